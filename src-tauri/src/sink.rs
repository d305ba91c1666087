//! The Tauri side of `state::EventSink`: typed events to the window, and at most one OS
//! notification per batch of changes.

use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;

use crate::events::{
    DeviceCodeShown, DirectoryChanged, GraphWait, GraphWaitsChanged, SessionChanged, WatchStatusChanged,
};
use crate::state::EventSink;
use crate::view::{ActivityEvent, AppSnapshot, WatchStatus};

pub struct TauriSink {
    app: AppHandle,
}

impl TauriSink {
    pub fn new(app: AppHandle) -> TauriSink {
        TauriSink { app }
    }

    fn emit(&self, event: impl Event + serde::Serialize + Clone, what: &str) {
        if let Err(e) = event.emit(&self.app) {
            tracing::warn!(error = %e, "could not send {what} to the window");
        }
    }
}

impl EventSink for TauriSink {
    fn session_changed(&self, snapshot: AppSnapshot) {
        self.emit(SessionChanged { snapshot }, "the account change");
    }

    fn watch_status(&self, status: WatchStatus) {
        self.emit(WatchStatusChanged { status }, "the watch status");
    }

    fn device_code(&self, shown: DeviceCodeShown) {
        self.emit(shown, "the sign-in code");
    }

    fn graph_waits(&self, waits: Vec<GraphWait>) {
        self.emit(GraphWaitsChanged { waits }, "the waits for Microsoft Graph");
    }

    fn directory_changed(&self, batch: &watch::ChangeBatch) {
        let events: Vec<ActivityEvent> = batch.events.iter().map(ActivityEvent::from).collect();
        self.emit(DirectoryChanged { events }, "directory changes");
        if let Some(text) = watch::summarize_batch(batch) {
            if let Err(e) = self
                .app
                .notification()
                .builder()
                .title(&text.title)
                .body(notification_body(&text.body))
                .show()
            {
                tracing::warn!(error = %e, "could not show a desktop notification");
            }
        }
    }
}

/// The body as the platform's notification server reads it. Freedesktop servers (GNOME, KDE, …)
/// read the body as markup: a group named `<b>URGENT</b> <a href=…>` would show in bold with a link,
/// so the body is escaped there and shows as typed. Other platforms show the text as it is.
fn notification_body(text: &str) -> String {
    if cfg!(all(unix, not(target_os = "macos"))) {
        escape_markup(text)
    } else {
        text.to_owned()
    }
}

/// `&`, `<`, `>`, `"` and `'` as XML entities.
fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_name_reaches_a_freedesktop_notification_as_text() {
        let body = "Added to <b>URGENT</b> <a href=\"https://evil.example/?a=1&b=2\">click</a>: Megan's";
        let escaped = escape_markup(body);
        assert_eq!(
            escaped,
            "Added to &lt;b&gt;URGENT&lt;/b&gt; &lt;a href=&quot;https://evil.example/?a=1&amp;b=2&quot;&gt;click&lt;/a&gt;: Megan&apos;s"
        );
        assert!(!escaped.contains('<') && !escaped.contains('>'));
        #[cfg(target_os = "linux")]
        assert_eq!(notification_body(body), escaped);
        assert_eq!(escape_markup("Sales & Marketing"), "Sales &amp; Marketing");
    }
}

//! The Tauri side of `state::EventSink`: typed events to the window, and at most one OS
//! notification per batch of changes.

use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event;

use crate::events::{DeviceCodeShown, DirectoryChanged, SessionChanged, WatchStatusChanged};
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

    fn directory_changed(&self, batch: &watch::ChangeBatch) {
        let events: Vec<ActivityEvent> = batch.events.iter().map(ActivityEvent::from).collect();
        self.emit(DirectoryChanged { events }, "directory changes");
        if let Some(text) = watch::summarize_batch(batch) {
            if let Err(e) = self
                .app
                .notification()
                .builder()
                .title(&text.title)
                .body(&text.body)
                .show()
            {
                tracing::warn!(error = %e, "could not show a desktop notification");
            }
        }
    }
}

//! Change batches from the watcher → typed UI events and at most one OS notification per batch.

use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;
use tauri_specta::Event as _;
use tokio::sync::mpsc;

use crate::events::DirectoryChanged;
use crate::view::ActivityEvent;

/// Forwards every batch to the window and the desktop until the watcher stops.
pub fn forward_batches(
    app: AppHandle,
    mut batches: mpsc::Receiver<watch::ChangeBatch>,
) -> tauri::async_runtime::JoinHandle<()> {
    tauri::async_runtime::spawn(async move {
        while let Some(batch) = batches.recv().await {
            let events: Vec<ActivityEvent> = batch.events.iter().map(ActivityEvent::from).collect();
            emit_directory_changed(&app, events);
            if let Some(text) = watch::summarize_batch(&batch) {
                if let Err(e) = app.notification().builder().title(&text.title).body(&text.body).show() {
                    tracing::warn!(error = %e, "could not show a desktop notification");
                }
            }
        }
    })
}

/// Forwarded so the window can refresh tables when the directory changes.
fn emit_directory_changed(app: &AppHandle, events: Vec<ActivityEvent>) {
    if let Err(e) = (DirectoryChanged { events }).emit(app) {
        tracing::warn!(error = %e, "could not send directory changes to the window");
    }
}

//! Typed events from the shell to the UI (tauri-specta). The UI listens through `ui/src/api/`.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri_specta::Event;

use crate::view::{ActivityEvent, AppSnapshot, WatchStatus};

/// The directory changed: one event per poll that found changes.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryChanged {
    pub events: Vec<ActivityEvent>,
}

/// Accounts were added, switched or signed out.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct SessionChanged {
    pub snapshot: AppSnapshot,
}

/// The watcher's state changed ("last checked 10:42, next 10:43", "offline — retrying").
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct WatchStatusChanged {
    pub status: WatchStatus,
}

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

/// A device-code sign-in started: show the code and where to type it.
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodeShown {
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in_secs: u32,
    /// The sign-in service's own instruction text, when it sent one.
    pub message: Option<String>,
}

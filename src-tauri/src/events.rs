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

/// The waits Microsoft Graph asked for that are in progress now (empty: none): each long one is shown,
/// with a way to stop waiting (`stop_waiting`).
#[derive(Debug, Clone, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct GraphWaitsChanged {
    pub waits: Vec<GraphWait>,
}

/// One wait in progress: what, why, until when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GraphWait {
    pub id: u32,
    /// "PATCH /v1.0/users/…".
    pub request: String,
    /// 429 (too many requests), 503 (busy), or none (the connection dropped).
    pub status: Option<u16>,
    pub seconds: u32,
    /// RFC 3339: when the request will be sent again.
    pub until: String,
}

impl GraphWait {
    pub fn new(w: &msgraph::Waiting, now: time::OffsetDateTime) -> GraphWait {
        GraphWait {
            id: u32::try_from(w.id).unwrap_or(u32::MAX),
            request: w.request.clone(),
            status: w.status,
            seconds: u32::try_from(w.seconds).unwrap_or(u32::MAX),
            until: crate::view::rfc3339(now + std::time::Duration::from_secs(w.seconds)),
        }
    }
}

/// Create Cloud User's chain, as it runs: the account was created, the steps done so far, and
/// whether Microsoft is being waited for (the New user form shows it until the result comes).
#[derive(Debug, Clone, Serialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct NewUserProgress {
    pub progress: directory::new_user::Progress,
}

impl NewUserProgress {
    pub fn tell(app: &tauri::AppHandle, p: &directory::new_user::Progress) {
        if let Err(e) = (NewUserProgress { progress: p.clone() }).emit(app) {
            tracing::warn!(error = %e, "the New user form could not be told where the chain is");
        }
    }
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

/// A bulk job's progress after each batch; `error` when it stopped as a whole (it stays unfinished
/// and can be resumed).
#[derive(Debug, Clone, Serialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct BulkJobProgress {
    pub progress: jobs::JobProgress,
    pub error: Option<String>,
}

impl BulkJobProgress {
    pub fn tell(app: &tauri::AppHandle, p: &jobs::JobProgress, error: Option<String>) {
        if let Err(e) = (BulkJobProgress {
            progress: p.clone(),
            error,
        })
        .emit(app)
        {
            tracing::warn!(error = %e, "the window could not be told where the bulk job is");
        }
    }
}

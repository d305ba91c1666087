use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{ActivityEvent, ActivityQuery};

/// Recorded directory events of the active tenant, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_activity(state: State<'_, AppState>, query: ActivityQuery) -> Result<Vec<ActivityEvent>, IpcError> {
    state.activity(query.limit.unwrap_or(1000)).await
}

use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::UserRow;

/// Every user of the active tenant (paging followed to the end).
#[tauri::command]
#[specta::specta]
pub async fn list_users(state: State<'_, AppState>) -> Result<Vec<UserRow>, IpcError> {
    let _ = state;
    Err(IpcError::not_signed_in())
}

use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::UserRow;

/// Every user of the active tenant (paging followed to the end).
#[tauri::command]
#[specta::specta]
pub async fn list_users(state: State<'_, AppState>) -> Result<Vec<UserRow>, IpcError> {
    let client = state.graph().await?;
    let users = directory::users::list_all(&client).await?;
    Ok(users.into_iter().map(UserRow::from).collect())
}

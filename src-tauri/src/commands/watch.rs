use tauri::{AppHandle, Manager};

use crate::state::AppState;
use crate::view::WatchStatus;

#[tauri::command]
#[specta::specta]
pub async fn get_watch_status(app: AppHandle) -> WatchStatus {
    app.state::<AppState>().watch_status().await
}

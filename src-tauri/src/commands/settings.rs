use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{GroupChoice, WatchSettings};

/// The active tenant's watch rules.
#[tauri::command]
#[specta::specta]
pub async fn get_watch_settings(state: State<'_, AppState>) -> Result<WatchSettings, IpcError> {
    state.watch_settings().await
}

/// Checks and saves the watch rules; they apply from the next check on.
#[tauri::command]
#[specta::specta]
pub async fn set_watch_settings(
    state: State<'_, AppState>,
    settings: WatchSettings,
) -> Result<WatchSettings, IpcError> {
    state.set_watch_settings(settings).await
}

/// Groups whose name contains `text`, for the watch-list picker (from the local copy: instant).
#[tauri::command]
#[specta::specta]
pub async fn search_watch_groups(state: State<'_, AppState>, text: String) -> Result<Vec<GroupChoice>, IpcError> {
    state.search_watch_groups(text).await
}

/// Check the directory now instead of waiting for the next check.
#[tauri::command]
#[specta::specta]
pub async fn check_now(state: State<'_, AppState>) -> Result<(), IpcError> {
    state.check_now().await
}

/// Whether Entra Desk starts (in the tray) when the person signs in to the computer.
#[tauri::command]
#[specta::specta]
pub fn get_start_at_login(app: AppHandle) -> Result<bool, IpcError> {
    app.autolaunch()
        .is_enabled()
        .map_err(|e| IpcError::internal(format!("Could not read the start-at-login setting: {e}")))
}

#[tauri::command]
#[specta::specta]
pub fn set_start_at_login(app: AppHandle, enabled: bool) -> Result<bool, IpcError> {
    let launcher = app.autolaunch();
    let result = if enabled { launcher.enable() } else { launcher.disable() };
    result.map_err(|e| IpcError::internal(format!("Could not change the start-at-login setting: {e}")))?;
    launcher
        .is_enabled()
        .map_err(|e| IpcError::internal(format!("Could not read the start-at-login setting: {e}")))
}

/// Stops waiting for Microsoft Graph (a long Retry-After): the waiting actions end, nothing is re-sent.
#[tauri::command]
#[specta::specta]
pub fn stop_waiting(state: State<'_, AppState>) {
    state.stop_waiting();
}

use tauri::{AppHandle, Manager, State};

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{AccountView, AppSnapshot, SignInRequest};

/// Accounts, the active one and the remembered organisation form.
#[tauri::command]
#[specta::specta]
pub async fn get_app_state(app: AppHandle) -> AppSnapshot {
    app.state::<AppState>().snapshot().await
}

/// Starts the local practice tenant and signs in to it through the browser.
#[tauri::command]
#[specta::specta]
pub async fn open_practice_tenant(state: State<'_, AppState>, read_only: bool) -> Result<AccountView, IpcError> {
    state.open_practice_tenant(read_only).await
}

/// Signs in to an organisation in the system browser.
#[tauri::command]
#[specta::specta]
pub async fn sign_in(state: State<'_, AppState>, request: SignInRequest) -> Result<AccountView, IpcError> {
    state.sign_in_organization(request).await
}

/// Cancels a sign-in that waits for the browser.
#[tauri::command]
#[specta::specta]
pub fn cancel_sign_in(state: State<'_, AppState>) {
    state.cancel_sign_in();
}

/// Signs in to an organisation with a code typed on another device; the code arrives as a
/// `deviceCodeShown` event.
#[tauri::command]
#[specta::specta]
pub async fn sign_in_with_code(state: State<'_, AppState>, request: SignInRequest) -> Result<AccountView, IpcError> {
    state.sign_in_organization_with_code(request).await
}

#[tauri::command]
#[specta::specta]
pub async fn switch_account(state: State<'_, AppState>, account_id: String) -> Result<AccountView, IpcError> {
    state.switch_account(&account_id).await
}

/// Signs the account out and deletes its saved sign-in from the OS keyring.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>, account_id: String) -> Result<(), IpcError> {
    state.sign_out(&account_id).await
}

/// Starts the practice tenant over with the chosen organisation (the sample one, or a generated
/// one of 2,000 or 100,000 people) and clears its activity history.
#[tauri::command]
#[specta::specta]
pub async fn reset_practice_tenant(
    state: State<'_, AppState>,
    size: crate::view::PracticeSize,
) -> Result<(), IpcError> {
    state.reset_practice_tenant(size).await
}

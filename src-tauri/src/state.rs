//! AppState: what the shell holds between commands. Placeholder bodies are being replaced as the
//! crates land; see git history.

use tauri::AppHandle;

use crate::error::IpcError;
use crate::view::{AccountView, ActivityEvent, AppSnapshot, SignInRequest, WatchStatus};

#[derive(Default)]
pub struct AppState {}

impl AppState {
    pub async fn snapshot(&self) -> AppSnapshot {
        AppSnapshot {
            accounts: vec![],
            active_account_id: None,
            last_organization: None,
        }
    }
    pub async fn open_practice_tenant(&self, _app: &AppHandle) -> Result<AccountView, IpcError> {
        Err(IpcError::not_signed_in())
    }
    pub async fn sign_in_organization(&self, _app: &AppHandle, _r: SignInRequest) -> Result<AccountView, IpcError> {
        Err(IpcError::not_signed_in())
    }
    pub fn cancel_sign_in(&self) {}
    pub async fn switch_account(&self, _app: &AppHandle, _id: &str) -> Result<AccountView, IpcError> {
        Err(IpcError::not_signed_in())
    }
    pub async fn sign_out(&self, _app: &AppHandle, _id: &str) -> Result<(), IpcError> {
        Err(IpcError::not_signed_in())
    }
    pub async fn activity(&self, _limit: u32) -> Result<Vec<ActivityEvent>, IpcError> {
        Err(IpcError::not_signed_in())
    }
    pub async fn watch_status(&self) -> WatchStatus {
        WatchStatus::not_watching()
    }
}

//! The data shapes the UI sees. Adapters from the domain crates live next to the commands.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum CloudName {
    Global,
    UsGovL4,
    UsGovL5Dod,
    China,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AccountKind {
    Practice,
    Organization,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub display_name: String,
    pub username: String,
    pub tenant_id: String,
    pub kind: AccountKind,
    pub cloud: CloudName,
}

/// The organisation sign-in form, remembered between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationProfile {
    pub tenant: String,
    pub client_id: String,
    pub cloud: CloudName,
}

pub type SignInRequest = OrganizationProfile;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppSnapshot {
    pub accounts: Vec<AccountView>,
    pub active_account_id: Option<String>,
    pub last_organization: Option<OrganizationProfile>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserRow {
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub account_enabled: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    UserCreated,
    UserUpdated,
    UserDeleted,
    UserRestored,
    GroupCreated,
    GroupUpdated,
    GroupDeleted,
    MemberAdded,
    MemberRemoved,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PropertyChange {
    pub property: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEvent {
    pub id: String,
    /// RFC 3339.
    pub occurred_at: String,
    pub kind: EventKind,
    pub object_id: String,
    pub object_name: String,
    pub summary: String,
    pub changes: Vec<PropertyChange>,
    pub group_name: Option<String>,
    pub member_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ActivityQuery {
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum WatchState {
    NotWatching,
    Syncing,
    Watching,
    Offline,
    Paused,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WatchStatus {
    pub state: WatchState,
    /// RFC 3339.
    pub last_checked: Option<String>,
    /// RFC 3339.
    pub next_check: Option<String>,
    pub message: Option<String>,
}

impl WatchStatus {
    pub fn not_watching() -> Self {
        WatchStatus {
            state: WatchState::NotWatching,
            last_checked: None,
            next_check: None,
            message: None,
        }
    }
}

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
    GroupRestored,
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
    /// Something needs a person: sign in again, a missing permission, a damaged local file.
    NeedsAttention,
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

impl From<msgraph::User> for UserRow {
    fn from(u: msgraph::User) -> UserRow {
        UserRow {
            id: u.id.as_str().to_string(),
            display_name: u.display_name,
            user_principal_name: u.user_principal_name,
            mail: u.mail,
            department: u.department,
            job_title: u.job_title,
            account_enabled: u.account_enabled,
        }
    }
}

impl From<watch::EventKind> for EventKind {
    fn from(k: watch::EventKind) -> EventKind {
        match k {
            watch::EventKind::UserCreated => EventKind::UserCreated,
            watch::EventKind::UserUpdated => EventKind::UserUpdated,
            watch::EventKind::UserDeleted => EventKind::UserDeleted,
            watch::EventKind::UserRestored => EventKind::UserRestored,
            watch::EventKind::GroupCreated => EventKind::GroupCreated,
            watch::EventKind::GroupUpdated => EventKind::GroupUpdated,
            watch::EventKind::GroupDeleted => EventKind::GroupDeleted,
            watch::EventKind::GroupRestored => EventKind::GroupRestored,
            watch::EventKind::MemberAdded => EventKind::MemberAdded,
            watch::EventKind::MemberRemoved => EventKind::MemberRemoved,
        }
    }
}

fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl From<&watch::Event> for ActivityEvent {
    fn from(e: &watch::Event) -> ActivityEvent {
        let member_event = e.kind.is_member_event();
        ActivityEvent {
            id: e.id.clone(),
            occurred_at: rfc3339(e.detected_at),
            kind: e.kind.into(),
            object_id: e.object.id.clone(),
            object_name: e.object.display_with_detail(),
            summary: e.summary.clone(),
            changes: e
                .changes
                .iter()
                .map(|c| PropertyChange {
                    property: watch::property_label(&c.property).to_string(),
                    old: (!c.old.is_null()).then(|| watch::value_text(&c.old)),
                    new: (!c.new.is_null()).then(|| watch::value_text(&c.new)),
                })
                .collect(),
            group_name: member_event.then(|| e.object.display()),
            member_name: e.member.as_ref().map(|m| m.display_with_detail()),
        }
    }
}

impl From<&watch::WatchStatus> for WatchStatus {
    fn from(s: &watch::WatchStatus) -> WatchStatus {
        use watch::WatchState as W;
        let state = match s.state {
            W::Starting | W::Syncing { .. } => WatchState::Syncing,
            W::Checking | W::Idle => WatchState::Watching,
            W::Paused => WatchState::Paused,
            W::Offline | W::Throttled => WatchState::Offline,
            W::NeedsAttention => WatchState::NeedsAttention,
            W::Stopped => WatchState::NotWatching,
        };
        // Times go as RFC 3339; the window formats them in the person's own time zone.
        WatchStatus {
            state,
            last_checked: s.last_checked.map(rfc3339),
            next_check: s.next_check.map(rfc3339),
            message: s.message.clone(),
        }
    }
}

/// One event kind's switches in Settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KindSetting {
    pub kind: EventKind,
    /// Record and show events of this kind.
    pub enabled: bool,
    /// Announce them in desktop notifications.
    pub notify: bool,
}

/// A group as the watch-list picker shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupChoice {
    pub id: String,
    pub name: String,
}

/// What Settings shows and saves for watching the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WatchSettings {
    /// Seconds between checks, 15 … 86,400.
    pub poll_interval_secs: u32,
    /// Days the activity history is kept, 1 … 3,650.
    pub retention_days: u32,
    pub kinds: Vec<KindSetting>,
    /// Member and group-updated events for every group (true) or only `watched_groups`.
    pub watch_all_groups: bool,
    pub watched_groups: Vec<GroupChoice>,
}

impl From<EventKind> for watch::EventKind {
    fn from(k: EventKind) -> watch::EventKind {
        match k {
            EventKind::UserCreated => watch::EventKind::UserCreated,
            EventKind::UserUpdated => watch::EventKind::UserUpdated,
            EventKind::UserDeleted => watch::EventKind::UserDeleted,
            EventKind::UserRestored => watch::EventKind::UserRestored,
            EventKind::GroupCreated => watch::EventKind::GroupCreated,
            EventKind::GroupUpdated => watch::EventKind::GroupUpdated,
            EventKind::GroupDeleted => watch::EventKind::GroupDeleted,
            EventKind::GroupRestored => watch::EventKind::GroupRestored,
            EventKind::MemberAdded => watch::EventKind::MemberAdded,
            EventKind::MemberRemoved => watch::EventKind::MemberRemoved,
        }
    }
}

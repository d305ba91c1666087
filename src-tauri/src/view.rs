//! The data shapes the UI sees (specta types, exported to `ui/src/bindings.gen.ts`) and the
//! adapters from the crates' types to them (`msgraph`, `directory`, `watch`; rows of the local
//! copy through `from_record`), plus the conversions of what the UI sends for reading and
//! watching (`SearchForm`; the watch settings). Domain types the UI exchanges as they are
//! (`msgraph::Cloud`, `signin::ProfileKind`, `watch::EventKind`, `watch::MemberType`, `watch::ListQuery`) derive their
//! specta type in their crate (`specta` feature) and are not repeated here. The
//! create and edit forms become the crates' inputs in their commands (`commands/users.rs`,
//! `groups.rs`, `contacts.rs`, `guests.rs`, `custom_request.rs`), which also build a few one-off
//! results (`InvitedGuestView`, `CustomResponseView`); `state.rs` builds `AccountView`.

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountView {
    pub id: String,
    pub display_name: String,
    pub username: String,
    pub tenant_id: String,
    pub kind: signin::ProfileKind,
    pub cloud: msgraph::Cloud,
    /// Signed in with read permissions only: the app sends no change with this account.
    pub read_only: bool,
}

/// The organisation sign-in form, remembered between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationProfile {
    pub tenant: String,
    pub client_id: String,
    pub cloud: msgraph::Cloud,
    /// Ask only for read permissions; nothing can be changed with the account.
    #[serde(default)]
    pub read_only: bool,
}

pub type SignInRequest = OrganizationProfile;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppSnapshot {
    pub accounts: Vec<AccountView>,
    pub active_account_id: Option<String>,
    pub last_organization: Option<OrganizationProfile>,
    /// Plain sentences about this start the person should read: a damaged file was set aside (where
    /// it went, what to do). Empty almost always.
    pub notices: Vec<String>,
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
    pub city: Option<String>,
    pub country: Option<String>,
    pub office_location: Option<String>,
    pub employee_id: Option<String>,
    pub user_type: Option<String>,
    pub mobile_phone: Option<String>,
    pub created_date_time: Option<String>,
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
    pub kind: watch::EventKind,
    pub object_id: String,
    pub object_name: String,
    pub summary: String,
    pub changes: Vec<PropertyChange>,
    pub group_name: Option<String>,
    pub member_name: Option<String>,
    /// Made in this app (recorded when Graph accepted it), not found by a check.
    pub made_here: bool,
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
    /// Set while the first read of the directory (or a resync) runs: how far it has come.
    pub syncing: Option<SyncProgress>,
    /// Not a failure, but worth reading: the local copy or the watch settings were damaged and set
    /// aside when watching started (`watch::WatchStatus::notice`).
    pub notice: Option<String>,
}

impl WatchStatus {
    pub fn not_watching() -> Self {
        WatchStatus {
            state: WatchState::NotWatching,
            last_checked: None,
            next_check: None,
            message: None,
            syncing: None,
            notice: None,
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
            city: u.city,
            country: u.country,
            office_location: u.office_location,
            employee_id: u.employee_id,
            user_type: u.user_type.map(|t| t.as_str().to_string()),
            mobile_phone: u.mobile_phone,
            created_date_time: u.created_date_time,
        }
    }
}

pub(crate) fn rfc3339(t: time::OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

impl From<&watch::Event> for ActivityEvent {
    fn from(e: &watch::Event) -> ActivityEvent {
        let member_event = e.kind.is_member_event();
        ActivityEvent {
            id: e.id.clone(),
            occurred_at: rfc3339(e.detected_at),
            kind: e.kind,
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
            made_here: e.by_app,
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
            syncing: SyncProgress::of(s),
            notice: s.notice.clone(),
        }
    }
}

impl SyncProgress {
    pub fn of(s: &watch::WatchStatus) -> Option<SyncProgress> {
        match s.state {
            watch::WatchState::Syncing {
                resource,
                objects,
                estimate,
            } => Some(SyncProgress {
                resource: resource.as_str().to_string(),
                done: u32::try_from(objects).unwrap_or(u32::MAX),
                about: estimate.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
            }),
            _ => None,
        }
    }
}

/// One event kind's switches in Settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct KindSetting {
    pub kind: watch::EventKind,
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
    /// Whether member events follow members, owners or both (Okta's Member Type).
    pub member_type: watch::MemberType,
    /// "User updated" events for everyone (true) or only `watched_users`.
    pub watch_all_users: bool,
    pub watched_users: Vec<PersonChoice>,
}

/// A person chosen in Settings, by id, with the name the copy knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PersonChoice {
    pub id: String,
    pub name: String,
}

// ---- Directory actions (users, groups, licences, roles, guests, contacts, custom requests) ----

/// A plain-language sentence saying what was done ("Adele Vance was disabled.").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Done {
    pub message: String,
}

impl Done {
    pub fn new(message: impl Into<String>) -> Done {
        Done {
            message: message.into(),
        }
    }
}

/// What Create Cloud User did (`directory::new_user::CreatedUser`) with the sentence the person
/// is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CreatedUserView {
    pub user: msgraph::User,
    /// Each step after the create, in order.
    pub steps: Vec<directory::new_user::Step>,
    /// False when a step after the create failed (the account exists).
    pub complete: bool,
    pub summary: String,
}

impl From<directory::new_user::CreatedUser> for CreatedUserView {
    fn from(c: directory::new_user::CreatedUser) -> CreatedUserView {
        CreatedUserView {
            summary: c.summary(),
            complete: c.complete(),
            user: c.user,
            steps: c.steps,
        }
    }
}

/// A reset password, shown once and never kept. Debug output hides it.
#[derive(Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PasswordResetView {
    pub password: String,
    pub must_change: bool,
    pub summary: String,
}

impl std::fmt::Debug for PasswordResetView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordResetView")
            .field("password", &"<redacted>")
            .field("summary", &self.summary)
            .finish_non_exhaustive()
    }
}

impl From<directory::users::PasswordReset> for PasswordResetView {
    fn from(r: directory::users::PasswordReset) -> PasswordResetView {
        PasswordResetView {
            summary: r.summary(),
            must_change: r.must_change,
            password: r.password,
        }
    }
}

/// One search criterion: a property (Graph's name, e.g. "department") and the value to match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchCriterion {
    pub property: String,
    pub value: String,
}

/// Search Users / Search Groups: words, property criteria, or both.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchForm {
    pub text: Option<String>,
    pub criteria: Vec<SearchCriterion>,
    /// Starts With instead of Exact Match.
    pub starts_with: Option<bool>,
    /// Only the first match.
    pub first_only: Option<bool>,
}

impl From<SearchForm> for directory::SearchInput {
    fn from(f: SearchForm) -> directory::SearchInput {
        directory::SearchInput {
            text: f.text,
            criteria: f
                .criteria
                .into_iter()
                .map(|c| directory::Criterion {
                    property: c.property,
                    value: c.value,
                })
                .collect(),
            mode: if f.starts_with == Some(true) {
                directory::MatchMode::StartsWith
            } else {
                directory::MatchMode::Exact
            },
            first_only: f.first_only == Some(true),
        }
    }
}

/// A person's manager (a person or an organisational contact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ManagerView {
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub office_location: Option<String>,
    pub business_phone: Option<String>,
    pub mobile_phone: Option<String>,
    /// An organisational contact (no sign-in name), not a person in the directory.
    pub is_contact: bool,
}

impl From<msgraph::DirectoryObject> for ManagerView {
    fn from(o: msgraph::DirectoryObject) -> ManagerView {
        ManagerView {
            is_contact: o.is_org_contact(),
            id: o.id.to_string(),
            display_name: o.display_name,
            user_principal_name: o.user_principal_name,
            mail: o.mail,
            job_title: o.job_title,
            department: o.department,
            office_location: o.office_location,
            business_phone: o.business_phones.into_iter().next(),
            mobile_phone: o.mobile_phone,
        }
    }
}

/// "Microsoft 365", "Security", "Mail-enabled security", "Distribution list".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum GroupKindView {
    Microsoft365,
    Security,
    MailEnabledSecurity,
    Distribution,
    Other,
}

fn group_kind(g: &msgraph::Group) -> GroupKindView {
    match g.kind() {
        Some(msgraph::GroupKind::Microsoft365) => GroupKindView::Microsoft365,
        Some(msgraph::GroupKind::Security) => GroupKindView::Security,
        Some(msgraph::GroupKind::MailEnabledSecurity) => GroupKindView::MailEnabledSecurity,
        Some(msgraph::GroupKind::Distribution) => GroupKindView::Distribution,
        None => GroupKindView::Other,
    }
}

/// A row of the Groups table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub mail: Option<String>,
    pub mail_nickname: Option<String>,
    pub kind: GroupKindView,
    /// Members come from a rule, not by hand.
    pub dynamic: bool,
    /// "Public", "Private", "HiddenMembership".
    pub visibility: Option<String>,
    pub created_date_time: Option<String>,
}

impl From<msgraph::Group> for GroupRow {
    fn from(g: msgraph::Group) -> GroupRow {
        GroupRow {
            kind: group_kind(&g),
            dynamic: g.is_dynamic(),
            id: g.id.to_string(),
            display_name: g.display_name,
            description: g.description,
            mail: g.mail,
            mail_nickname: g.mail_nickname,
            visibility: g.visibility.map(|v| v.to_string()),
            created_date_time: g.created_date_time,
        }
    }
}

/// One group, as the Read Group page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupDetails {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub mail: Option<String>,
    pub mail_nickname: Option<String>,
    pub kind: GroupKindView,
    pub dynamic: bool,
    pub membership_rule: Option<String>,
    pub visibility: Option<String>,
    pub classification: Option<String>,
    pub created_date_time: Option<String>,
    pub renewed_date_time: Option<String>,
    pub is_assignable_to_role: Option<bool>,
    pub on_premises_sync_enabled: Option<bool>,
    pub proxy_addresses: Vec<String>,
    pub mail_enabled: Option<bool>,
    pub security_enabled: Option<bool>,
    /// "On" or "Paused" (dynamic groups).
    pub membership_rule_processing_state: Option<String>,
    pub expiration_date_time: Option<String>,
    pub preferred_data_location: Option<String>,
    pub preferred_language: Option<String>,
    pub security_identifier: Option<String>,
    /// "Team" when the group has a team.
    pub resource_provisioning_options: Vec<String>,
    /// SKU ids of the licences the group gives its members.
    pub assigned_license_sku_ids: Vec<String>,
    /// Microsoft 365 groups only; null when not readable.
    pub allow_external_senders: Option<bool>,
    pub auto_subscribe_new_members: Option<bool>,
    pub hide_from_address_lists: Option<bool>,
    pub hide_from_outlook_clients: Option<bool>,
    /// About the signed-in person: subscribed to the group's conversations by email.
    pub is_subscribed_by_mail: Option<bool>,
    /// About the signed-in person: unread conversations.
    pub unseen_count: Option<i32>,
}

impl From<(msgraph::Group, Option<msgraph::Group>)> for GroupDetails {
    fn from((g, mail): (msgraph::Group, Option<msgraph::Group>)) -> GroupDetails {
        let mail = mail.as_ref();
        GroupDetails {
            kind: group_kind(&g),
            dynamic: g.is_dynamic(),
            id: g.id.to_string(),
            display_name: g.display_name,
            description: g.description,
            mail: g.mail,
            mail_nickname: g.mail_nickname,
            membership_rule: g.membership_rule,
            visibility: g.visibility.map(|v| v.to_string()),
            classification: g.classification,
            created_date_time: g.created_date_time,
            renewed_date_time: g.renewed_date_time,
            is_assignable_to_role: g.is_assignable_to_role,
            on_premises_sync_enabled: g.on_premises_sync_enabled,
            proxy_addresses: g.proxy_addresses,
            mail_enabled: g.mail_enabled,
            security_enabled: g.security_enabled,
            membership_rule_processing_state: g.membership_rule_processing_state,
            expiration_date_time: g.expiration_date_time,
            preferred_data_location: g.preferred_data_location,
            preferred_language: g.preferred_language,
            security_identifier: g.security_identifier,
            resource_provisioning_options: g.resource_provisioning_options,
            assigned_license_sku_ids: g.assigned_licenses.into_iter().map(|l| l.sku_id.to_string()).collect(),
            allow_external_senders: mail.and_then(|m| m.allow_external_senders),
            auto_subscribe_new_members: mail.and_then(|m| m.auto_subscribe_new_members),
            hide_from_address_lists: mail.and_then(|m| m.hide_from_address_lists),
            hide_from_outlook_clients: mail.and_then(|m| m.hide_from_outlook_clients),
            is_subscribed_by_mail: mail.and_then(|m| m.is_subscribed_by_mail),
            unseen_count: mail.and_then(|m| m.unseen_count).map(seats),
        }
    }
}

/// "Public" or "Private" (and, at creation of a Microsoft 365 group, "HiddenMembership").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum GroupVisibilityChoice {
    Public,
    Private,
    HiddenMembership,
}

impl From<GroupVisibilityChoice> for msgraph::GroupVisibility {
    fn from(v: GroupVisibilityChoice) -> msgraph::GroupVisibility {
        match v {
            GroupVisibilityChoice::Public => msgraph::GroupVisibility::Public,
            GroupVisibilityChoice::Private => msgraph::GroupVisibility::Private,
            GroupVisibilityChoice::HiddenMembership => msgraph::GroupVisibility::HiddenMembership,
        }
    }
}

/// Which kind of group to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum NewGroupKind {
    Microsoft365,
    Security,
}

/// The Create Group form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NewGroupForm {
    pub kind: NewGroupKind,
    pub display_name: String,
    /// Empty: made from the name.
    pub mail_nickname: Option<String>,
    pub description: Option<String>,
    pub visibility: Option<GroupVisibilityChoice>,
    /// A rule makes the group dynamic, e.g. `(user.department -eq "Sales")`.
    pub membership_rule: Option<String>,
    /// People: id, sign-in name or email.
    pub owners: Vec<String>,
    /// People (or groups by id): id, sign-in name or email.
    pub members: Vec<String>,
    /// Microsoft Entra roles can be given to the group (only at creation; private, not dynamic).
    pub is_assignable_to_role: bool,
}

/// A membership rule that passed the checks, said in plain words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MembershipRuleCheck {
    /// "people whose department is “Sales”".
    pub explanation: String,
    /// The rule selects devices (Microsoft 365 groups can only hold people).
    pub devices: bool,
}

impl From<directory::membership_rule::CheckedRule> for MembershipRuleCheck {
    fn from(c: directory::membership_rule::CheckedRule) -> MembershipRuleCheck {
        MembershipRuleCheck {
            explanation: c.explanation,
            devices: c.devices,
        }
    }
}

/// The Edit Group form: null = unchanged; an empty description clears it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GroupPatch {
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub mail_nickname: Option<String>,
    pub visibility: Option<GroupVisibilityChoice>,
    pub allow_external_senders: Option<bool>,
    pub auto_subscribe_new_members: Option<bool>,
    pub hide_from_address_lists: Option<bool>,
    pub hide_from_outlook_clients: Option<bool>,
}

/// A created group and what was done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CreatedGroup {
    pub group: GroupRow,
    pub message: String,
}

/// "user", "group", "device", "servicePrincipal", "orgContact" or "other".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum MemberKind {
    User,
    Group,
    Device,
    ServicePrincipal,
    OrgContact,
    Other,
}

/// A row of a group's Members table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberRow {
    pub id: String,
    pub kind: MemberKind,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
}

impl From<msgraph::DirectoryObject> for MemberRow {
    fn from(o: msgraph::DirectoryObject) -> MemberRow {
        let kind = match o.odata_type.as_deref() {
            Some("#microsoft.graph.user") => MemberKind::User,
            Some("#microsoft.graph.group") => MemberKind::Group,
            Some("#microsoft.graph.device") => MemberKind::Device,
            Some("#microsoft.graph.servicePrincipal") => MemberKind::ServicePrincipal,
            Some("#microsoft.graph.orgContact") => MemberKind::OrgContact,
            _ => MemberKind::Other,
        };
        MemberRow {
            id: o.id.to_string(),
            kind,
            display_name: o.display_name,
            user_principal_name: o.user_principal_name,
            mail: o.mail,
            job_title: o.job_title,
            department: o.department,
        }
    }
}

/// Someone named in a result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NamedObject {
    pub id: String,
    pub name: String,
}

/// What Add Members did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddMembersResult {
    pub message: String,
    pub added: Vec<NamedObject>,
    pub already_members: Vec<NamedObject>,
}

impl From<directory::groups::AddMembersOutcome> for AddMembersResult {
    fn from(o: directory::groups::AddMembersOutcome) -> AddMembersResult {
        let named = |m: &[directory::groups::Member]| {
            m.iter()
                .map(|m| NamedObject {
                    id: m.id.to_string(),
                    name: m.name.clone(),
                })
                .collect()
        };
        AddMembersResult {
            message: o.summary(),
            added: named(&o.added),
            already_members: named(&o.already_members),
        }
    }
}

/// A service plan inside a licence (can be switched off when assigning).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ServicePlanView {
    pub service_plan_id: String,
    /// The technical name ("EXCHANGE_S_ENTERPRISE").
    pub service_plan_name: Option<String>,
    /// Microsoft's friendly name ("Exchange Online (Plan 2)"), else the technical name, else the id.
    pub label: String,
    /// "User" or "Company".
    pub applies_to: Option<String>,
}

/// A subscription of the organisation (Get Licenses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LicenseRow {
    pub sku_id: String,
    pub sku_part_number: Option<String>,
    /// Product name ("Office 365 E3") from Microsoft's table, else the part number.
    pub name: String,
    /// "Enabled", "Warning", "Suspended", "Deleted", "LockedOut".
    pub capability_status: Option<String>,
    pub total: i32,
    pub consumed: i32,
    pub free: i32,
    pub applies_to: Option<String>,
    pub service_plans: Vec<ServicePlanView>,
}

/// Seat counts fit in 32 bits (JavaScript numbers are exact up to 2^53; specta refuses i64).
fn seats(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

impl From<directory::licenses::License> for LicenseRow {
    fn from(l: directory::licenses::License) -> LicenseRow {
        LicenseRow {
            sku_id: l.sku.sku_id.to_string(),
            sku_part_number: l.sku.sku_part_number,
            name: l.name,
            capability_status: l.sku.capability_status.map(|c| c.to_string()),
            total: seats(l.sku.prepaid_units.map(|p| p.enabled).unwrap_or(0)),
            consumed: seats(l.sku.consumed_units.unwrap_or(0)),
            free: seats(l.free),
            applies_to: l.sku.applies_to,
            service_plans: l
                .sku
                .service_plans
                .into_iter()
                .map(|p| ServicePlanView {
                    label: directory::licenses::plan_label(&p),
                    service_plan_id: p.service_plan_id.to_string(),
                    service_plan_name: p.service_plan_name,
                    applies_to: p.applies_to,
                })
                .collect(),
        }
    }
}

/// A licence a person holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserLicenseRow {
    pub sku_id: String,
    pub name: String,
    pub sku_part_number: Option<String>,
    pub disabled_plans: Vec<String>,
    /// The group it comes from (then it can only be removed by leaving the group).
    pub assigned_by_group: Option<String>,
    pub error: Option<String>,
}

impl From<directory::licenses::UserLicense> for UserLicenseRow {
    fn from(l: directory::licenses::UserLicense) -> UserLicenseRow {
        UserLicenseRow {
            sku_id: l.sku_id.to_string(),
            name: l.name,
            sku_part_number: l.sku_part_number,
            disabled_plans: l.disabled_plans.into_iter().map(|p| p.to_string()).collect(),
            assigned_by_group: l.assigned_by_group,
            error: l.error,
        }
    }
}

/// What Assign/Remove License did, and the person's licences now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct LicenseChangeResult {
    pub message: String,
    pub licenses: Vec<UserLicenseRow>,
}

/// A built-in directory role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleRow {
    pub role_template_id: String,
    pub display_name: String,
    pub description: Option<String>,
    pub privileged: bool,
    /// Activated in this tenant (Okta's Read Directory Roles lists only these).
    pub activated: bool,
}

impl From<directory::roles::RoleInfo> for RoleRow {
    fn from(r: directory::roles::RoleInfo) -> RoleRow {
        RoleRow {
            role_template_id: r.template.id,
            display_name: r.template.display_name,
            description: r.template.description,
            privileged: r.template.privileged,
            activated: r.activated,
        }
    }
}

/// A role a person holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UserRoleRow {
    pub role_template_id: String,
    pub display_name: String,
    pub description: Option<String>,
    /// "/" = the whole directory.
    pub scope: String,
    pub assignment_id: String,
}

impl From<directory::roles::UserRole> for UserRoleRow {
    fn from(r: directory::roles::UserRole) -> UserRoleRow {
        UserRoleRow {
            role_template_id: r.role_template_id,
            display_name: r.name,
            description: r.description,
            scope: r.scope,
            assignment_id: r.assignment_id,
        }
    }
}

/// The Invite Guest form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct GuestForm {
    pub email: String,
    pub display_name: Option<String>,
    /// Empty: https://myapplications.microsoft.com.
    pub redirect_url: Option<String>,
    /// Default false (as in Okta).
    pub send_invitation_message: Option<bool>,
    pub message: Option<String>,
    pub message_language: Option<String>,
    pub cc: Option<String>,
    /// Invite as a member instead of a guest.
    pub as_member: Option<bool>,
}

/// The invited guest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct InvitedGuestView {
    pub user: UserRow,
    pub user_type: Option<String>,
    pub invitation_id: String,
    /// The link to accept; share it when no email was sent.
    pub redeem_url: Option<String>,
    pub status: Option<String>,
    pub message: String,
}

/// A contact folder and its children (two levels).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactFolderView {
    pub id: String,
    pub display_name: Option<String>,
    pub parent_folder_id: Option<String>,
    pub child_folders: Vec<ContactFolderView>,
}

impl From<msgraph::ContactFolderTree> for ContactFolderView {
    fn from(t: msgraph::ContactFolderTree) -> ContactFolderView {
        ContactFolderView {
            id: t.folder.id.to_string(),
            display_name: t.folder.display_name,
            parent_folder_id: t.folder.parent_folder_id.map(|p| p.to_string()),
            child_folders: t.children.into_iter().map(Into::into).collect(),
        }
    }
}

/// An Outlook contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactRow {
    pub id: String,
    pub parent_folder_id: Option<String>,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub emails: Vec<String>,
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub business_phones: Vec<String>,
    pub mobile_phone: Option<String>,
}

impl From<msgraph::Contact> for ContactRow {
    fn from(c: msgraph::Contact) -> ContactRow {
        ContactRow {
            id: c.id.to_string(),
            parent_folder_id: c.parent_folder_id.map(|p| p.to_string()),
            display_name: c.display_name,
            given_name: c.given_name,
            surname: c.surname,
            emails: c.email_addresses.into_iter().filter_map(|e| e.address).collect(),
            company_name: c.company_name,
            job_title: c.job_title,
            business_phones: c.business_phones,
            mobile_phone: c.mobile_phone,
        }
    }
}

/// The Create Contact form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ContactForm {
    pub given_name: String,
    pub surname: Option<String>,
    pub display_name: Option<String>,
    pub emails: Vec<String>,
    pub company_name: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub business_phone: Option<String>,
    pub mobile_phone: Option<String>,
    pub personal_notes: Option<String>,
}

/// A name/value pair (query parameter or header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct NameValue {
    pub name: String,
    pub value: String,
}

/// The Custom Request form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomRequestForm {
    /// GET, POST, PUT, PATCH, DELETE.
    pub method: String,
    /// Relative to Graph v1.0, e.g. /users?$top=5.
    pub path: String,
    pub query: Vec<NameValue>,
    pub headers: Vec<NameValue>,
    /// JSON text (not for GET).
    pub body: Option<String>,
    /// Follow `@odata.nextLink` (GET only; at most 20 pages).
    pub follow_pages: bool,
}

/// What Graph answered to a custom request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct CustomResponseView {
    pub status: u16,
    /// What the status means, in plain words.
    pub status_text: String,
    pub headers: Vec<NameValue>,
    /// Pretty-printed JSON, or the text as sent.
    pub body: String,
    /// Pages fetched (1 unless next pages were followed).
    pub pages: u32,
    /// Items in the answer's `value`, when it is a collection.
    pub items: Option<u32>,
    /// Following stopped at the page limit and Graph has more.
    pub more_pages: bool,
}

/// A domain of the organisation, for the sign-in name in the New user form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct DomainView {
    /// The domain name (`contoso.com`).
    pub id: String,
    /// The organisation's default domain (listed first).
    pub is_default: bool,
    /// Only verified domains can be used in sign-in names.
    pub is_verified: bool,
}

impl From<directory::users::Domain> for DomainView {
    fn from(d: directory::users::Domain) -> DomainView {
        DomainView {
            id: d.id,
            is_default: d.is_default,
            is_verified: d.is_verified,
        }
    }
}

/// The properties Search Users and Search Groups accept in criteria (Graph's names).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SearchProperties {
    pub users: Vec<String>,
    pub groups: Vec<String>,
}

// ----- the local copy (watch's read model) ------------------------------------------------

/// The first read of the directory (or a resync) in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SyncProgress {
    /// "users" or "groups".
    pub resource: String,
    /// Objects read so far.
    pub done: u32,
    /// About how many there are (Graph's eventually consistent count), when known.
    pub about: Option<u32>,
}

/// One window of a table read from the local copy. (One struct per row type: the bindings
/// generator loses the type argument of a generic struct.)
macro_rules! copy_page {
    ($page:ident, $row:ty) => {
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
        #[serde(rename_all = "camelCase")]
        pub struct $page {
            /// Rows matching the query in the whole copy.
            pub total: u32,
            pub offset: u32,
            pub rows: Vec<$row>,
            /// When the copy was last brought up to date (RFC 3339); `None` before the first full read.
            /// (Whether a first read is running is the watch status's `syncing`.)
            pub as_of: Option<String>,
        }

        impl From<CopyWindow<$row>> for $page {
            fn from(w: CopyWindow<$row>) -> $page {
                $page {
                    total: w.total,
                    offset: w.offset,
                    rows: w.rows,
                    as_of: w.as_of,
                }
            }
        }
    };
}

/// What the shell reads for any of the pages below.
#[derive(Debug, Clone, PartialEq)]
pub struct CopyWindow<T> {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<T>,
    pub as_of: Option<String>,
}

copy_page!(UserPage, UserRow);
copy_page!(GroupPage, GroupRow);
copy_page!(MemberPage, MemberRow);

/// Which organisation "Start over" gives the practice tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum PracticeSize {
    /// The sample organisation (Adele Vance, Megan Bowen, …).
    Sample,
    /// A generated organisation of 2,000 people and 200 groups.
    People2000,
    /// A generated organisation of 100,000 people and 10,000 groups.
    People100000,
}

impl UserRow {
    pub fn from_record(r: &watch::Record) -> Result<UserRow, watch::WatchError> {
        Ok(r.decode::<msgraph::User>()?.into())
    }
}

impl GroupRow {
    pub fn from_record(r: &watch::Record) -> Result<GroupRow, watch::WatchError> {
        Ok(r.decode::<msgraph::Group>()?.into())
    }
}

/// The local copy's view of a person, shown while Graph is asked for the rest.
pub fn user_from_record(r: &watch::Record) -> Result<msgraph::User, watch::WatchError> {
    r.decode::<msgraph::User>()
}

impl GroupDetails {
    /// The local copy's view of a group (mail settings are not in it: Graph is asked for those).
    pub fn from_record(r: &watch::Record) -> Result<GroupDetails, watch::WatchError> {
        Ok((r.decode::<msgraph::Group>()?, None).into())
    }
}

impl MemberRow {
    /// A member from the copy: users and groups with their properties, other types by id.
    pub fn from_record(r: &watch::Record) -> MemberRow {
        let kind = match r.object_type {
            watch::ObjectType::User => MemberKind::User,
            watch::ObjectType::Group => MemberKind::Group,
            watch::ObjectType::Device => MemberKind::Device,
            watch::ObjectType::ServicePrincipal => MemberKind::ServicePrincipal,
            watch::ObjectType::Contact => MemberKind::OrgContact,
            watch::ObjectType::Other(_) => MemberKind::Other,
        };
        MemberRow {
            id: r.id.clone(),
            kind,
            display_name: r.text("displayName"),
            user_principal_name: r.text("userPrincipalName"),
            mail: r.text("mail"),
            job_title: r.text("jobTitle"),
            department: r.text("department"),
        }
    }
}

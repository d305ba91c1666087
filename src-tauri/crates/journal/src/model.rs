//! What an entry of the journal says: when, which account, what (a typed action), on what, the values
//! before and after, Graph's request id and the result.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The kind of object a change was made to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalTargetKind")]
pub enum TargetKind {
    User,
    Group,
    Contact,
    /// A deleted item whose kind was not known, or a custom request.
    Other,
}

/// What a change was made to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalTarget")]
pub struct Target {
    pub kind: TargetKind,
    /// The object id, or what was typed when the object could not be found.
    pub id: String,
    pub name: String,
}

/// Another object a change names besides its target: the group of a membership, the manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalNamed")]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// Every kind of change the app makes. The values needed to undo it travel with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase", rename = "JournalAction")]
pub enum Action {
    /// The target (a person or group) was added to `group` as a member.
    AddMember {
        group: Named,
    },
    RemoveMember {
        group: Named,
    },
    AddOwner {
        group: Named,
    },
    RemoveOwner {
        group: Named,
    },
    /// `disabled_plans`: the service plan ids switched off.
    #[serde(rename_all = "camelCase")]
    AssignLicence {
        sku_id: String,
        licence: String,
        disabled_plans: Vec<String>,
    },
    /// `disabled_plans`: those the person had switched off before it was removed.
    #[serde(rename_all = "camelCase")]
    RemoveLicence {
        sku_id: String,
        licence: String,
        disabled_plans: Vec<String>,
    },
    /// `role`: the role definition id; `scope`: "/" or an administrative unit.
    AssignRole {
        role: Named,
        scope: Named,
    },
    UnassignRole {
        role: Named,
        scope: Named,
    },
    /// `previous`: the manager before (none: there was none).
    SetManager {
        manager: Named,
        previous: Option<Named>,
    },
    RemoveManager {
        previous: Option<Named>,
    },
    /// The properties changed are the entry's `changes`.
    UpdateUser,
    UpdateGroup,
    Block,
    Unblock,
    RevokeSessions,
    /// The password itself is never kept.
    ResetPassword,
    CreateUser,
    InviteGuest,
    /// `security`: a security group (a deleted one is gone for good).
    CreateGroup {
        security: bool,
    },
    CreateContact,
    DeleteUser,
    /// `restorable`: a Microsoft 365 group waits in Deleted items; a security group is gone for good.
    DeleteGroup {
        restorable: bool,
    },
    /// A deleted user or group brought back from Deleted items.
    Restore,
    DeleteForGood,
    CustomRequest {
        method: String,
        path: String,
    },
}

impl Action {
    /// The action's name as the filters and the table show it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::AddMember { .. } => "addMember",
            Action::RemoveMember { .. } => "removeMember",
            Action::AddOwner { .. } => "addOwner",
            Action::RemoveOwner { .. } => "removeOwner",
            Action::AssignLicence { .. } => "assignLicence",
            Action::RemoveLicence { .. } => "removeLicence",
            Action::AssignRole { .. } => "assignRole",
            Action::UnassignRole { .. } => "unassignRole",
            Action::SetManager { .. } => "setManager",
            Action::RemoveManager { .. } => "removeManager",
            Action::UpdateUser => "updateUser",
            Action::UpdateGroup => "updateGroup",
            Action::Block => "block",
            Action::Unblock => "unblock",
            Action::RevokeSessions => "revokeSessions",
            Action::ResetPassword => "resetPassword",
            Action::CreateUser => "createUser",
            Action::InviteGuest => "inviteGuest",
            Action::CreateGroup { .. } => "createGroup",
            Action::CreateContact => "createContact",
            Action::DeleteUser => "deleteUser",
            Action::DeleteGroup { .. } => "deleteGroup",
            Action::Restore => "restore",
            Action::DeleteForGood => "deleteForGood",
            Action::CustomRequest { .. } => "customRequest",
        }
    }
}

/// One property an attribute edit changed: its value before and after (`null`: empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalChange")]
pub struct Change {
    pub property: String,
    /// Any JSON value (as Graph has it).
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub before: Value,
    #[cfg_attr(feature = "specta", specta(type = specta_typescript::Unknown))]
    pub after: Value,
}

/// How the change went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "result", rename_all = "camelCase", rename = "JournalOutcome")]
pub enum Outcome {
    Done,
    /// `reason`: what the person was told.
    Failed {
        reason: String,
    },
}

/// A row of a bulk job the change belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalJobRow")]
pub struct JobRow {
    pub job_id: String,
    pub row: u32,
}

/// Who made the change: the signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalAccount")]
pub struct Account {
    pub id: String,
    pub name: String,
}

/// An entry before it is recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub action: Action,
    pub target: Target,
    pub changes: Vec<Change>,
    pub request_id: Option<String>,
    pub outcome: Outcome,
    pub job: Option<JobRow>,
    /// The entry this change undid.
    pub undoes: Option<i64>,
}

impl Draft {
    /// A change that was done, without changed properties, request id or job.
    pub fn done(action: Action, target: Target) -> Draft {
        Draft {
            action,
            target,
            changes: Vec::new(),
            request_id: None,
            outcome: Outcome::Done,
            job: None,
            undoes: None,
        }
    }
}

/// A recorded entry (read from the journal's columns, never decoded from JSON).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalEntry")]
pub struct Entry {
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub account: Account,
    pub action: Action,
    pub target: Target,
    pub changes: Vec<Change>,
    pub request_id: Option<String>,
    pub outcome: Outcome,
    pub job: Option<JobRow>,
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub undoes: Option<i64>,
    /// The entry that undid this one.
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub undone_by: Option<i64>,
}

/// Which entries to read (all given conditions must hold), newest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", rename = "JournalFilter")]
pub struct Filter {
    /// `Action::name()` values; empty: any.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Words in the target's name or id (case-insensitive).
    #[serde(default)]
    pub target: Option<String>,
    /// true: only failed attempts; false: only done; none: both.
    #[serde(default)]
    pub failed: Option<bool>,
    #[serde(default)]
    pub account_id: Option<String>,
    /// RFC 3339 or a date (YYYY-MM-DD, from the start of that day, UTC).
    #[serde(default)]
    pub from: Option<String>,
    /// RFC 3339 or a date (until the end of that day, UTC).
    #[serde(default)]
    pub to: Option<String>,
    /// At most this many (default 1000).
    #[serde(default)]
    pub limit: Option<u32>,
}

//! Graph's answers explained: where a card's gotchas (cards.md §1) name a likely cause, the error
//! gets a plain-language hint. Graph's code, message and request id are always kept.

use msgraph::ErrorKind;

use crate::Error;

/// Which card failed: decides which role a 403 asks for and which known causes apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadDirectory,
    ManageUsers,
    EnableDisableUsers,
    DeleteUsers,
    RevokeSessions,
    ManageGroups,
    ManageMembership,
    ManageLicenses,
    ReadRoles,
    ManageRoles,
    InviteGuests,
    Contacts,
    Custom,
}

impl Action {
    /// "You need … to do this": the Entra roles that typically allow the card (cards.md §3).
    pub fn needed_role(self) -> &'static str {
        match self {
            Action::ReadDirectory => "You need permission to read the directory (any member can, unless your organisation restricts it; guests cannot).",
            Action::ManageUsers => "You need the User Administrator role to do this (changing an administrator needs a higher role, such as Privileged Authentication Administrator).",
            Action::EnableDisableUsers => "You need the User Administrator role to do this (administrators can only be enabled or disabled by a Privileged Authentication Administrator).",
            Action::DeleteUsers => "You need the User Administrator role to do this (deleting an administrator needs a higher role, such as Privileged Authentication Administrator).",
            Action::RevokeSessions => "You need the User Administrator or Helpdesk Administrator role to do this (for administrators: Privileged Authentication Administrator).",
            Action::ManageGroups => "You need the Groups Administrator or User Administrator role, or to be an owner of the group, to do this.",
            Action::ManageMembership => "You need to be an owner of the group, or hold the Groups Administrator or User Administrator role, to do this (role-assignable groups need the Privileged Role Administrator role).",
            Action::ManageLicenses => "You need the License Administrator or User Administrator role to do this.",
            Action::ReadRoles => "You need the Directory Readers, Global Reader or Privileged Role Administrator role to read role assignments.",
            Action::ManageRoles => "You need the Privileged Role Administrator role (or Global Administrator) to do this.",
            Action::InviteGuests => "You need the Guest Inviter or User Administrator role to invite guests (or your organisation's external collaboration settings must allow members to invite).",
            Action::Contacts => "You can only reach another person's contacts if their mailbox is shared with you (or the app has organisation-wide contacts permission).",
            Action::Custom => "You are not allowed to make this request: the app may need another permission (scope), or you another directory role.",
        }
    }
}

/// Adds the general explanation for a Graph error of `action` (403 → the role needed; throttling;
/// replication delay). Specific causes are matched by the callers before this.
pub fn explain(action: Action, e: msgraph::Error) -> Error {
    let hint = match e.kind() {
        ErrorKind::Forbidden => Some(action.needed_role().to_string()),
        ErrorKind::Throttled => Some(match e.retry_after() {
            Some(d) => format!(
                "Microsoft Graph is busy and asked to wait {} seconds. Nothing was changed; try again then.",
                d.as_secs()
            ),
            None => "Microsoft Graph is busy. Nothing was changed; try again in a minute.".to_string(),
        }),
        ErrorKind::NotFound if action != Action::Custom => Some(
            "Microsoft Graph could not find it. It may have been deleted, or — if it was created in the last minutes — it may not have reached every Microsoft server yet; try again shortly."
                .to_string(),
        ),
        _ => None,
    };
    match hint {
        Some(hint) => Error::Explained { hint, graph: e },
        None => Error::Graph(e),
    }
}

/// Graph's message contains `needle` (case-insensitive).
pub(crate) fn says(e: &msgraph::Error, needle: &str) -> bool {
    e.message()
        .is_some_and(|m| m.to_ascii_lowercase().contains(&needle.to_ascii_lowercase()))
}

/// An explained error with a specific hint.
pub(crate) fn hint(e: msgraph::Error, hint: impl Into<String>) -> Error {
    Error::Explained {
        hint: hint.into(),
        graph: e,
    }
}

/// "already exist" answers (existing member, existing role assignment).
pub(crate) fn is_already_exists(e: &msgraph::Error) -> bool {
    e.kind() == ErrorKind::Conflict || says(e, "already exist")
}

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
        // A gateway gave up waiting for Microsoft's server, which may have done the work: a POST
        // or PATCH is not sent twice (msgraph's retry policy), so the person checks first.
        ErrorKind::Transient if e.status() == Some(504) && !sent_safely(&e) => Some(
            "Microsoft did not answer in time, and the change may have been made anyway. Check (search for it, or open it) before trying again, so that nothing is done twice."
                .to_string(),
        ),
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

/// Whether the failed request could be sent again without doing anything twice (GET, PUT,
/// DELETE, … by its method).
fn sent_safely(e: &msgraph::Error) -> bool {
    e.request()
        .and_then(|r| r.split_whitespace().next())
        .is_some_and(|m| !matches!(m, "POST" | "PATCH"))
}

/// An error is an explained error with a specific hint.
pub(crate) fn hint(e: msgraph::Error, hint: impl Into<String>) -> Error {
    Error::Explained {
        hint: hint.into(),
        graph: e,
    }
}

/// "already exist" answers (existing member, existing role assignment): msgraph's `Conflict`.
pub(crate) fn is_already_exists(e: &msgraph::Error) -> bool {
    e.kind() == ErrorKind::Conflict
}

/// A cause of Graph's refusal that a card explains in its own words (cards.md "Errors" and
/// "Gotchas"). Callers ask [`graph_says`] about the causes their card knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cause {
    /// Another object already has this sign-in name.
    TakenUserPrincipalName,
    /// Another object already has this mail nickname.
    TakenMailNickname,
    /// Another object already has this email address.
    TakenProxyAddresses,
    WeakPassword,
    UnverifiedDomain,
    /// Graph's catch-all for a bad value (`#` in a sign-in name, federated domain without immutable id).
    InvalidValues,
    /// The property cannot be changed in this request (SharePoint-backed profile properties; group
    /// mail settings sent with other properties).
    NotInThisRequest,
    NoUsageLocation,
    NoFreeSeats,
    ExclusivePlans,
    DependentPlan,
    /// A licence was named by something other than its SKU id.
    NotASkuId,
    /// The licence comes from a group, so it cannot be removed from the person directly.
    InheritedLicense,
    /// Auto-subscribe needs subscriptions turned on for the group.
    SubscriptionsOff,
    /// The person has no Exchange Online mailbox.
    NoMailbox,
    /// External collaboration settings do not let this person invite guests.
    InvitationsNotAllowed,
    /// Invitations to that domain are blocked.
    DomainBlocked,
    /// A group that has owners keeps at least one.
    LastOwner,
}

/// Causes Graph names by code: its error code, an inner error's code or a detail's code.
const CODES: &[(&str, Cause)] = &[
    ("MailboxNotEnabledForRESTAPI", Cause::NoMailbox),
    // licenseAssignmentStates[].error values (cards.md 1.2).
    ("CountViolation", Cause::NoFreeSeats),
    ("MutuallyExclusiveViolation", Cause::ExclusivePlans),
    ("DependencyViolation", Cause::DependentPlan),
];

/// Causes Graph gives only as text (its code is the generic `Request_BadRequest`, no details):
/// a row applies when every one of its words appears in Graph's message (ASCII case-insensitive).
/// The one place that reads Graph's English. The third column is a message the row is for (with
/// its source where one was captured); the tests check each row against it.
type Said = (&'static [&'static str], Cause, &'static str);
const SAID: &[Said] = &[
    (&["same value for property userPrincipalName"], Cause::TakenUserPrincipalName,
        "Another object with the same value for property userPrincipalName already exists."), // cards.md 1.5, without its details
    (&["same value for property mailNickname"], Cause::TakenMailNickname,
        "Another object with the same value for property mailNickname already exists."), // microsoft-graph-docs#5122
    (&["same value for property proxyAddresses"], Cause::TakenProxyAddresses,
        "Another object with the same value for property proxyAddresses already exists."),
    (&["password", "complexity"], Cause::WeakPassword,
        "The specified password does not comply with password complexity requirements. Please provide a different password."),
    (&["password", "strong"], Cause::WeakPassword, "The password is not strong enough."),
    (&["domain", "verified"], Cause::UnverifiedDomain,
        "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization."),
    (&["domain", "not valid"], Cause::UnverifiedDomain, "The domain name is not valid for this tenant."),
    (&["one or more properties contains invalid values"], Cause::InvalidValues,
        "One or more properties contains invalid values."), // cards.md 1.5 (microsoft-graph-docs-contrib#6967)
    (&["not supported on the targeted entity set"], Cause::NotInThisRequest,
        "The request is currently not supported on the targeted entity set"), // cards.md 1.30
    (&["usage location"], Cause::NoUsageLocation,
        "License assignment cannot be done for user with invalid usage location."), // cards.md 1.2 (CIPP#783)
    (&["does not have any available licenses"], Cause::NoFreeSeats,
        "Subscription with SKU 078d2b04-f1bd-4111-bbd4-b4b1b354cef4 does not have any available licenses."),
    (&["mutually exclusive"], Cause::ExclusivePlans,
        "License assignment failed because service plans are mutually exclusive."),
    (&["conflicting"], Cause::ExclusivePlans, "License assignment failed because of conflicting service plans."),
    (&["dependency"], Cause::DependentPlan, "License assignment failed: a service plan dependency is not met."),
    (&["Edm.Guid"], Cause::NotASkuId,
        "Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details."), // cards.md 1.2
    (&["inherited", "group"], Cause::InheritedLicense,
        "User license is inherited from group membership and cannot be removed directly from the user."), // CIPP#4090
    (&["subscriptionEnabled"], Cause::SubscriptionsOff,
        "autoSubscribeNewMembers cannot be set while subscriptionEnabled is false."),
    (&["mailbox is either inactive"], Cause::NoMailbox,
        "The mailbox is either inactive, soft-deleted, or is hosted on-premise."),
    (&["B2B"], Cause::InvitationsNotAllowed, "B2B invitations are turned off for this tenant."),
    (&["collaboration"], Cause::InvitationsNotAllowed, "Your external collaboration settings prevent this invitation."),
    (&["not allowed to invite"], Cause::InvitationsNotAllowed, "The current user is not allowed to invite guests."),
    (&["domain", "block"], Cause::DomainBlocked, "Invitations to this domain are blocked."),
    (&["domain", "not allowed"], Cause::DomainBlocked, "The invited user's domain is not allowed."),
    (&["at least one owner"], Cause::LastOwner,
        "The group must have at least one owner, hence this owner cannot be removed."), // microsoft-graph-docs-contrib#3741
];

fn row_applies(words: &[&str], message: &str) -> bool {
    let message = message.to_ascii_lowercase();
    words.iter().all(|w| message.contains(&w.to_ascii_lowercase()))
}

/// The property an `ObjectConflict` detail names, as a cause.
fn conflict_on(target: &str) -> Option<Cause> {
    [
        ("userPrincipalName", Cause::TakenUserPrincipalName),
        ("mailNickname", Cause::TakenMailNickname),
        ("proxyAddresses", Cause::TakenProxyAddresses),
    ]
    .into_iter()
    .find(|(property, _)| property.eq_ignore_ascii_case(target))
    .map(|(_, cause)| cause)
}

fn message_says(message: &str, cause: Cause) -> bool {
    SAID.iter()
        .any(|(words, c, _)| *c == cause && row_applies(words, message))
}

/// Graph reported `cause`: by code (`CODES`, an `ObjectConflict` detail's target) or, where Graph
/// gives only text, by its message (`SAID`).
pub(crate) fn graph_says(e: &msgraph::Error, cause: Cause) -> bool {
    CODES.iter().any(|(code, c)| *c == cause && e.has_code(code))
        || e.detail_target("ObjectConflict").and_then(conflict_on) == Some(cause)
        || e.message().is_some_and(|m| message_says(m, cause))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(status: u16, body: &str) -> msgraph::Error {
        msgraph::Error::from_answer(status, body.as_bytes(), None)
    }

    fn said(message: &str) -> msgraph::Error {
        let body = serde_json::json!({"error": {"code": "Request_BadRequest", "message": message}});
        graph(400, &body.to_string())
    }

    /// Exactly `cause` among all causes: a row must not make Graph say something else too.
    fn only(e: &msgraph::Error, cause: Cause) {
        let all = [
            Cause::TakenUserPrincipalName,
            Cause::TakenMailNickname,
            Cause::TakenProxyAddresses,
            Cause::WeakPassword,
            Cause::UnverifiedDomain,
            Cause::InvalidValues,
            Cause::NotInThisRequest,
            Cause::NoUsageLocation,
            Cause::NoFreeSeats,
            Cause::ExclusivePlans,
            Cause::DependentPlan,
            Cause::NotASkuId,
            Cause::InheritedLicense,
            Cause::SubscriptionsOff,
            Cause::NoMailbox,
            Cause::InvitationsNotAllowed,
            Cause::DomainBlocked,
            Cause::LastOwner,
        ];
        let got: Vec<Cause> = all.into_iter().filter(|c| graph_says(e, *c)).collect();
        assert_eq!(got, vec![cause], "{e:?}");
    }

    #[test]
    fn an_object_conflict_detail_names_the_property_that_is_taken() {
        // The body of cards.md 1.5 (microsoft-graph-docs#1508), with the message left vague so
        // that only the detail can tell.
        let conflict_on = |target: &str| {
            let body = serde_json::json!({"error": {"code": "Request_BadRequest", "message": "Property has a conflict.",
                "details": [{"target": target, "code": "ObjectConflict"}]}});
            graph(400, &body.to_string())
        };
        only(&conflict_on("userPrincipalName"), Cause::TakenUserPrincipalName);
        only(&conflict_on("proxyAddresses"), Cause::TakenProxyAddresses);
        only(&conflict_on("MailNickname"), Cause::TakenMailNickname);
        let e = conflict_on("displayName");
        assert!(!graph_says(&e, Cause::TakenUserPrincipalName) && !graph_says(&e, Cause::TakenMailNickname));
    }

    #[test]
    fn codes_name_their_cause_wherever_graph_puts_them() {
        let e = graph(
            404,
            r#"{"error":{"code":"MailboxNotEnabledForRESTAPI","message":"REST API is not yet supported for this mailbox."}}"#,
        );
        only(&e, Cause::NoMailbox);
        let e = graph(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"License assignment failed.","details":[{"code":"CountViolation"}]}}"#,
        );
        only(&e, Cause::NoFreeSeats);
        let e = graph(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"License assignment failed.","innerError":{"code":"MutuallyExclusiveViolation"}}}"#,
        );
        only(&e, Cause::ExclusivePlans);
        let e = graph(
            400,
            r#"{"error":{"code":"DependencyViolation","message":"License assignment failed."}}"#,
        );
        only(&e, Cause::DependentPlan);
    }

    #[test]
    fn each_row_of_said_applies_to_its_message_and_gives_only_its_cause() {
        for (i, (words, cause, example)) in SAID.iter().enumerate() {
            assert!(
                row_applies(words, example),
                "row {i} {words:?} does not apply to its own message"
            );
            only(&said(example), *cause);
        }
    }

    #[test]
    fn mentioning_a_group_does_not_make_a_licence_inherited() {
        let e = said("A group cannot be a member of itself.");
        assert!(!graph_says(&e, Cause::InheritedLicense));
    }
}

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
/// every word group of a row must appear in Graph's message (ASCII case-insensitive). The one
/// place that reads Graph's English; each row has a test with the message it is for.
const SAID: &[(&[&str], Cause)] = &[
    (
        &["same value for property userPrincipalName"],
        Cause::TakenUserPrincipalName,
    ),
    (&["same value for property mailNickname"], Cause::TakenMailNickname),
    (&["same value for property proxyAddresses"], Cause::TakenProxyAddresses),
    (&["password", "complexity"], Cause::WeakPassword),
    (&["password", "strong"], Cause::WeakPassword),
    (&["domain", "verified"], Cause::UnverifiedDomain),
    (&["domain", "not valid"], Cause::UnverifiedDomain),
    (
        &["one or more properties contains invalid values"],
        Cause::InvalidValues,
    ),
    (&["not supported on the targeted entity set"], Cause::NotInThisRequest),
    (&["usage location"], Cause::NoUsageLocation),
    (&["does not have any available licenses"], Cause::NoFreeSeats),
    (&["mutually exclusive"], Cause::ExclusivePlans),
    (&["conflicting"], Cause::ExclusivePlans),
    (&["dependency"], Cause::DependentPlan),
    (&["Edm.Guid"], Cause::NotASkuId),
    (&["inherited", "group"], Cause::InheritedLicense),
    (&["subscriptionEnabled"], Cause::SubscriptionsOff),
    (&["mailbox is either inactive"], Cause::NoMailbox),
    (&["B2B"], Cause::InvitationsNotAllowed),
    (&["collaboration"], Cause::InvitationsNotAllowed),
    (&["not allowed to invite"], Cause::InvitationsNotAllowed),
    (&["domain", "block"], Cause::DomainBlocked),
    (&["domain", "not allowed"], Cause::DomainBlocked),
];

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
    let message = message.to_ascii_lowercase();
    SAID.iter()
        .any(|(words, c)| *c == cause && words.iter().all(|w| message.contains(&w.to_ascii_lowercase())))
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
        ];
        let got: Vec<Cause> = all.into_iter().filter(|c| graph_says(e, *c)).collect();
        assert_eq!(got, vec![cause], "{e:?}");
    }

    // One test per code and per row of SAID, with the message Graph sends (source in the comment).

    #[test]
    fn an_object_conflict_detail_names_the_property_that_is_taken() {
        // cards.md 1.5 (microsoft-graph-docs#1508)
        let e = graph(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"Property has a conflict.","details":[{"target":"userPrincipalName","code":"ObjectConflict"}]}}"#,
        );
        only(&e, Cause::TakenUserPrincipalName);
        let e = graph(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"Property has a conflict.","details":[{"target":"proxyAddresses","code":"ObjectConflict"}]}}"#,
        );
        only(&e, Cause::TakenProxyAddresses);
        let e = graph(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"Property has a conflict.","details":[{"target":"MailNickname","code":"ObjectConflict"}]}}"#,
        );
        only(&e, Cause::TakenMailNickname);
        let e = graph(
            400,
            r#"{"error":{"code":"Request_BadRequest","message":"Property has a conflict.","details":[{"target":"displayName","code":"ObjectConflict"}]}}"#,
        );
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
    fn row_duplicate_upn_without_details() {
        only(
            &said("Another object with the same value for property userPrincipalName already exists."),
            Cause::TakenUserPrincipalName,
        );
    }

    #[test]
    fn row_duplicate_mail_nickname() {
        // microsoft-graph-docs#5122
        only(
            &said("Another object with the same value for property mailNickname already exists."),
            Cause::TakenMailNickname,
        );
    }

    #[test]
    fn row_duplicate_proxy_addresses() {
        only(
            &said("Another object with the same value for property proxyAddresses already exists."),
            Cause::TakenProxyAddresses,
        );
    }

    #[test]
    fn row_password_complexity() {
        only(&said("The specified password does not comply with password complexity requirements. Please provide a different password."), Cause::WeakPassword);
    }

    #[test]
    fn row_password_not_strong() {
        only(&said("The password is not strong enough."), Cause::WeakPassword);
    }

    #[test]
    fn row_domain_not_verified() {
        only(&said("The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization."), Cause::UnverifiedDomain);
    }

    #[test]
    fn row_domain_not_valid() {
        only(
            &said("The domain name is not valid for this tenant."),
            Cause::UnverifiedDomain,
        );
    }

    #[test]
    fn row_invalid_values() {
        // cards.md 1.5 (microsoft-graph-docs-contrib#6967)
        only(
            &said("One or more properties contains invalid values."),
            Cause::InvalidValues,
        );
    }

    #[test]
    fn row_not_on_the_targeted_entity_set() {
        // cards.md 1.30 (group mail settings must be updated on their own)
        only(
            &said("The request is currently not supported on the targeted entity set"),
            Cause::NotInThisRequest,
        );
    }

    #[test]
    fn row_usage_location() {
        // cards.md 1.2 (CIPP#783)
        only(
            &said("License assignment cannot be done for user with invalid usage location."),
            Cause::NoUsageLocation,
        );
    }

    #[test]
    fn row_no_available_licenses() {
        only(
            &said("Subscription with SKU 078d2b04-f1bd-4111-bbd4-b4b1b354cef4 does not have any available licenses."),
            Cause::NoFreeSeats,
        );
    }

    #[test]
    fn row_mutually_exclusive() {
        only(
            &said("License assignment failed because service plans are mutually exclusive."),
            Cause::ExclusivePlans,
        );
    }

    #[test]
    fn row_conflicting() {
        only(
            &said("License assignment failed because of conflicting service plans."),
            Cause::ExclusivePlans,
        );
    }

    #[test]
    fn row_dependency() {
        only(
            &said("License assignment failed: a service plan dependency is not met."),
            Cause::DependentPlan,
        );
    }

    #[test]
    fn row_not_a_sku_id() {
        // cards.md 1.2 (microsoft-graph-docs#2853)
        only(&said("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details."), Cause::NotASkuId);
    }

    #[test]
    fn row_inherited_license() {
        // CIPP#4090
        only(
            &said("User license is inherited from group membership and cannot be removed directly from the user."),
            Cause::InheritedLicense,
        );
        let other = said("A group cannot be a member of itself.");
        assert!(
            !graph_says(&other, Cause::InheritedLicense),
            "mentioning a group is not enough"
        );
    }

    #[test]
    fn row_subscriptions_off() {
        only(
            &said("autoSubscribeNewMembers cannot be set while subscriptionEnabled is false."),
            Cause::SubscriptionsOff,
        );
    }

    #[test]
    fn row_mailbox_inactive() {
        only(
            &said("The mailbox is either inactive, soft-deleted, or is hosted on-premise."),
            Cause::NoMailbox,
        );
    }

    #[test]
    fn row_b2b() {
        only(
            &said("B2B invitations are turned off for this tenant."),
            Cause::InvitationsNotAllowed,
        );
    }

    #[test]
    fn row_collaboration() {
        only(
            &said("Your external collaboration settings prevent this invitation."),
            Cause::InvitationsNotAllowed,
        );
    }

    #[test]
    fn row_not_allowed_to_invite() {
        only(
            &said("The current user is not allowed to invite guests."),
            Cause::InvitationsNotAllowed,
        );
    }

    #[test]
    fn row_domain_blocked() {
        only(&said("Invitations to this domain are blocked."), Cause::DomainBlocked);
    }

    #[test]
    fn row_domain_not_allowed() {
        only(&said("The invited user's domain is not allowed."), Cause::DomainBlocked);
    }

    #[test]
    fn every_row_has_a_test() {
        let source = include_str!("explain.rs");
        let tests = source.matches("fn row_").count() - 1; // this line names the prefix once
        assert_eq!(tests, SAID.len(), "one row_ test per row of SAID");
    }
}

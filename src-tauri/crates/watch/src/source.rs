//! Where delta pages come from. The engine depends on this small trait, not on HTTP: production
//! plugs in `msgraph::Client` (see `graph.rs`), tests plug in an in-memory tenant.

use std::fmt;
use std::time::Duration;

use futures::future::BoxFuture;
use msgraph::{DeltaPage, DeltaStart};

use crate::model::Resource;

/// The properties tracked for users. Only selected properties make an object show up in a delta
/// round (Graph: "If a change occurs to a property that is not selected, the resource … does not
/// appear"). Changing this list changes the query baked into the delta token, so the mirror
/// resynchronises once (see `Mirror::cursor`).
pub const USER_SELECT: &[&str] = &[
    "displayName",
    "givenName",
    "surname",
    "userPrincipalName",
    "mail",
    "jobTitle",
    "department",
    "officeLocation",
    "companyName",
    "employeeId",
    "mobilePhone",
    "businessPhones",
    "usageLocation",
    "userType",
    "accountEnabled",
    "createdDateTime",
    // Address and contact details shown and edited by Read User / Update User.
    "streetAddress",
    "city",
    "state",
    "postalCode",
    "country",
    "preferredLanguage",
    "otherMails",
    "proxyAddresses",
    "faxNumber",
    "mailNickname",
    "employeeType",
    "employeeHireDate",
    "ageGroup",
    "consentProvidedForMinor",
    "onPremisesImmutableId",
    // Licence holders are read from the copy (`Mirror::licence_holders`).
    "assignedLicenses",
    // A relationship: Graph answers with `manager@delta`, which the mirror keeps as `manager`
    // (the manager's id), so a new manager is a User Updated change like any other.
    "manager",
];

/// The properties tracked for groups; `members` makes membership changes show up as `members@delta`.
pub const GROUP_SELECT: &[&str] = &[
    "displayName",
    "description",
    "groupTypes",
    "mail",
    "mailEnabled",
    "mailNickname",
    "proxyAddresses",
    "renewedDateTime",
    "securityEnabled",
    "securityIdentifier",
    "visibility",
    "createdDateTime",
    "members",
    "owners",
];

/// The `$select` of a resource.
pub fn select_for(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Users => USER_SELECT,
        Resource::Groups => GROUP_SELECT,
    }
}

/// A fingerprint of the query behind a stored cursor: if it differs from today's select list, the
/// old token tracks other properties and a resync is needed.
pub fn query_fingerprint(resource: Resource) -> String {
    format!("v1:{}:{}", resource.as_str(), select_for(resource).join(","))
}

/// How a failed page request should be handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceErrorKind {
    /// The delta token expired (`syncStateNotFound`, 410 Gone): resynchronise with a full walk.
    Expired,
    /// 429: wait (`retry_after` when Graph said how long).
    Throttled,
    /// No answer (DNS, connect, timeout): the machine is probably offline.
    Network,
    /// 5xx and other temporary failures.
    Transient,
    /// Sign-in needed again, or the signed-in person lacks the permission: retrying won't help
    /// until someone acts.
    Unauthorized,
    /// Anything else.
    Other,
}

/// A failed page request, classified for the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub kind: SourceErrorKind,
    pub retry_after: Option<Duration>,
    /// Plain language, no secrets (Graph's code and request id may be included).
    pub message: String,
}

impl SourceError {
    pub fn new(kind: SourceErrorKind, message: impl Into<String>) -> SourceError {
        SourceError {
            kind,
            retry_after: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SourceError {}

/// One delta walk in progress: pages until (and including) the page that carries the deltaLink,
/// then `None`.
pub trait DeltaPages: Send {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<DeltaPage>, SourceError>>;
}

/// Starts delta walks.
pub trait DeltaSource: Send + Sync {
    fn walk(&self, resource: Resource, start: DeltaStart) -> Box<dyn DeltaPages>;

    /// About how many objects a full walk will list, for the first sync's progress ("42,000 of
    /// about 100,000"). `None` when the source cannot tell; never fails a walk.
    fn estimate(&self, _resource: Resource) -> BoxFuture<'_, Option<u64>> {
        Box::pin(async { None })
    }
}

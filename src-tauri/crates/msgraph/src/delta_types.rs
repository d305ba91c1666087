//! The data shapes of a delta walk, shared by `msgraph` (which produces them) and `watch` (which
//! consumes them). Agreed up front; the functions that produce them live in `delta.rs`.

use serde_json::{Map, Value};

/// The final `@odata.deltaLink` of a walk, kept opaque: the only thing to do with it is to resume.
#[derive(Clone, PartialEq, Eq)]
pub struct DeltaCursor(pub String);

impl std::fmt::Debug for DeltaCursor {
    // A deltaLink carries no secret, but it is long; keep logs readable.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeltaCursor({} chars)", self.0.len())
    }
}

/// Where a delta walk starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeltaStart {
    /// A full initial walk: every object, then a deltaLink.
    Full,
    /// `$deltatoken=latest`: no objects, only a deltaLink for "from now on".
    Latest,
    /// Resume from a previous walk's deltaLink.
    Resume(DeltaCursor),
}

/// `@removed.reason`: `changed` = soft-deleted (restorable), `deleted` = gone for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemovedReason {
    Changed,
    Deleted,
    Unknown(String),
}

/// One entry of a delta page.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaObject {
    pub id: String,
    /// Set when the entry carries `@removed`.
    pub removed: Option<RemovedReason>,
    /// The object's properties as Graph sent them, without `id`, `@removed`, `members@delta` and
    /// `owners@delta`
    /// (`@odata.*` annotations are dropped too). Only changed properties may be present.
    pub properties: Map<String, Value>,
    /// Groups only: the `members@delta` entries of this page.
    pub members_delta: Vec<MemberDelta>,
    /// Groups with `owners` selected: the `owners@delta` entries of this page.
    pub owners_delta: Vec<MemberDelta>,
}

/// One `members@delta` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDelta {
    pub id: String,
    /// `#microsoft.graph.user`, `#microsoft.graph.group`, `#microsoft.graph.orgContact`, ...
    pub odata_type: Option<String>,
    /// True when the entry carries `@removed` (the member left the group).
    pub removed: bool,
}

/// One page of a delta walk. `delta_link` is `Some` only on the final page.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaPage {
    pub objects: Vec<DeltaObject>,
    pub delta_link: Option<DeltaCursor>,
}

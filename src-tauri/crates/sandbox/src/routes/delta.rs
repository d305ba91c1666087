//! `/users/delta` and `/groups/delta` (also `delta()` and `microsoft.graph.delta()`).

use super::Call;
use crate::error::GResult;
use crate::store::{Kind, Tenant};
use axum::http::Method;

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    let kind = match (&c.req.method, c.segs) {
        (&Method::GET, ["users", "delta"]) => Kind::User,
        (&Method::GET, ["groups", "delta"]) => Kind::Group,
        _ => return None,
    };
    Some(crate::delta::delta(t, c.ctx, c.req, kind))
}

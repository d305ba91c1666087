//! The Graph routes, one module per resource. Each `route` answers the requests it knows and
//! returns `None` for the others, so `graph::dispatch` can try the next one.

use crate::context::{Ctx, GReq};
use crate::error::{GErr, GResult};
use crate::store::Tenant;

pub mod contacts;
pub mod deleted_items;
pub mod delta;
pub mod groups;
pub mod invitations;
pub mod licenses;
pub mod members;
pub mod organization;
pub mod roles;
pub mod users;

/// One Graph request as the routes see it.
pub struct Call<'a> {
    pub ctx: &'a Ctx,
    pub req: &'a GReq,
    /// The tenant's integrity key for `$skiptoken`s.
    pub key: &'a [u8],
    /// Decoded path segments; `/me` is already `/users/{caller}`.
    pub segs: &'a [&'a str],
}

/// A resource's routes: `None` when the request is not one of them.
pub type Route = fn(&mut Tenant, &Call) -> Option<GResult>;

/// Writes to the directory need a permission that allows changes in the token and an Entra role in
/// delegated mode (cards.md §0.1): Graph's 403 `Authorization_RequestDenied` otherwise.
pub fn need_admin(t: &Tenant, req: &GReq) -> Result<(), GErr> {
    if req.caller.may_write() && t.is_admin(&req.caller.oid) {
        Ok(())
    } else {
        Err(GErr::forbidden())
    }
}

//! `/groups`: list, `$count`, create (with `members@odata.bind`/`owners@odata.bind`),
//! get/update/delete.

use super::{need_admin, Call};
use crate::error::{GResp, GResult};
use crate::odata::{count_records, entity, get_one, list_records, wants_representation, GROUPS};
use crate::store::{Kind, Tenant};
use axum::http::Method;

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    Some(match (&c.req.method, c.segs) {
        (&Method::GET, ["groups"]) => list(t, c),
        (&Method::GET, ["groups", "$count"]) => count(t, c),
        (&Method::POST, ["groups"]) => create(t, c),
        (&Method::GET, ["groups", id]) => get(t, c, id),
        (&Method::PATCH, ["groups", id]) => update(t, c, id),
        (&Method::DELETE, ["groups", id]) => delete(t, c, id),
        _ => return None,
    })
}

fn list(t: &Tenant, c: &Call) -> GResult {
    list_records(c.ctx, c.key, c.req, &GROUPS, Kind::Group, &t.groups)
}

fn count(t: &Tenant, c: &Call) -> GResult {
    count_records(c.req, &t.groups)
}

fn create(t: &mut Tenant, c: &Call) -> GResult {
    need_admin(t, c.req)?;
    let body = c.req.body_obj()?;
    let g = t.create_group(&body)?;
    Ok(GResp::created(entity(c.ctx, "groups", &g)))
}

fn get(t: &Tenant, c: &Call, id: &str) -> GResult {
    let id = t.group_id(id)?;
    let g = &t.groups[&id];
    get_one(c.ctx, c.req, &g.data(), &GROUPS)
}

fn update(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.group_id(id)?;
    let body = c.req.body_obj()?;
    t.update_group(&id, &body)?;
    if wants_representation(c.req) {
        return Ok(GResp::ok(entity(c.ctx, "groups", &t.groups[&id].data())));
    }
    Ok(GResp::no_content())
}

fn delete(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.group_id(id)?;
    t.delete_group(&id)?;
    Ok(GResp::no_content())
}

//! `/users`: list, `$count`, create, get/update/delete by id or UPN, the manager and direct
//! reports, and `revokeSignInSessions`.

use super::{need_admin, Call};
use crate::error::{GErr, GResp, GResult};
use crate::odata::{
    count_records, dir_object, entity, get_one, list_dir_objects, list_records, odata_id, wants_representation, USERS,
};
use crate::query::{project, Query};
use crate::store::{self, Kind, Tenant};
use crate::util::iso_now;
use axum::http::Method;
use serde_json::json;

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    Some(match (&c.req.method, c.segs) {
        (&Method::GET, ["users"]) => list(t, c),
        (&Method::GET, ["users", "$count"]) => count(t, c),
        (&Method::POST, ["users"]) => create(t, c),
        (&Method::GET, ["users", id]) => get(t, c, id),
        (&Method::PATCH, ["users", id]) => update(t, c, id),
        (&Method::DELETE, ["users", id]) => delete(t, c, id),
        (&Method::GET, ["users", id, "manager"]) => manager(t, c, id),
        (&Method::PUT, ["users", id, "manager", "$ref"]) => set_manager(t, c, id),
        (&Method::DELETE, ["users", id, "manager", "$ref"]) => remove_manager(t, c, id),
        (&Method::GET, ["users", id, "directReports"]) => direct_reports(t, c, id),
        (&Method::POST, ["users", id, "revokeSignInSessions"]) => revoke_sessions(t, c, id),
        _ => return None,
    })
}

fn list(t: &Tenant, c: &Call) -> GResult {
    list_records(c.ctx, c.key, c.req, &USERS, Kind::User, &t.users)
}

fn count(t: &Tenant, c: &Call) -> GResult {
    count_records(c.req, &t.users)
}

fn create(t: &mut Tenant, c: &Call) -> GResult {
    need_admin(t, c.req)?;
    let body = c.req.body_obj()?;
    let u = t.create_user(&body)?;
    // Graph answers with the default property set of the new user.
    let o = project(&u, None, store::USER_DEFAULT, store::USER_HIDDEN);
    Ok(GResp::created(entity(c.ctx, "users", &o)))
}

fn get(t: &Tenant, c: &Call, id: &str) -> GResult {
    let id = t.user_id(id)?;
    let u = &t.users[&id];
    get_one(c.ctx, c.req, &u.data(), &USERS)
}

fn update(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    let id = t.user_id(id)?;
    if id != c.req.caller.oid {
        need_admin(t, c.req)?;
    }
    let body = c.req.body_obj()?;
    t.update_user(&id, &body)?;
    if wants_representation(c.req) {
        let u = &t.users[&id];
        return Ok(GResp::ok(entity(
            c.ctx,
            "users",
            &project(&u.data(), None, store::USER_DEFAULT, store::USER_HIDDEN),
        )));
    }
    Ok(GResp::no_content())
}

fn delete(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.user_id(id)?;
    t.delete_user(&id)?;
    Ok(GResp::no_content())
}

fn manager(t: &Tenant, c: &Call, id: &str) -> GResult {
    let id = t.user_id(id)?;
    let mid = t.manager.get(&id).cloned().ok_or_else(|| GErr::not_found("manager"))?;
    let (k, r) = t.object(&mid).ok_or_else(|| GErr::not_found("manager"))?;
    let q = Query::parse(&c.req.query, c.req.eventual())?;
    let o = project(
        &r.data(),
        q.select.as_deref(),
        if k == Kind::User { store::USER_DEFAULT } else { &[] },
        store::USER_HIDDEN,
    );
    Ok(GResp::ok(dir_object(c.ctx, k, o)))
}

fn set_manager(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.user_id(id)?;
    let body = c.req.body_obj()?;
    let mid = t.id_from_odata_id(&odata_id(&body)?)?;
    t.set_manager(&id, Some(mid))?;
    Ok(GResp::no_content())
}

fn remove_manager(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.user_id(id)?;
    t.set_manager(&id, None)?;
    Ok(GResp::no_content())
}

fn direct_reports(t: &Tenant, c: &Call, id: &str) -> GResult {
    let id = t.user_id(id)?;
    let ids: Vec<String> = t
        .manager
        .iter()
        .filter(|(_, m)| **m == id)
        .map(|(u, _)| u.clone())
        .collect();
    list_dir_objects(t, c.ctx, c.key, c.req, &ids, None)
}

fn revoke_sessions(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    let id = t.user_id(id)?;
    if id != c.req.caller.oid {
        need_admin(t, c.req)?;
    }
    if let Some(u) = t.users.get_mut(&id) {
        u.data_mut()
            .insert("signInSessionsValidFromDateTime".into(), json!(iso_now()));
    }
    t.revoked.insert(id.clone(), c.ctx.now_ms);
    Ok(GResp::ok(
        json!({"@odata.context": format!("{}/$metadata#Edm.Boolean", c.ctx.graph), "value": true}),
    ))
}

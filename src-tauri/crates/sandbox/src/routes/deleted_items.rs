//! `/directory/deletedItems`: list deleted users or groups, get one, restore it or delete it
//! permanently.

use super::{need_admin, Call};
use crate::error::{GErr, GResp, GResult};
use crate::odata::{dir_object, list_objects, ListSpec, GROUPS, USERS};
use crate::store::{Kind, Tenant};
use axum::http::Method;
use serde_json::Value;

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    Some(match (&c.req.method, c.segs) {
        (&Method::GET, ["directory", "deletedItems", cast]) => match cast_kind(cast) {
            Some(kind) => list(t, c, kind),
            None => get(t, c, cast),
        },
        (&Method::POST, ["directory", "deletedItems", id, "restore"]) => restore(t, c, id),
        (&Method::DELETE, ["directory", "deletedItems", id]) => purge(t, c, id),
        _ => return None,
    })
}

/// `microsoft.graph.user` or `microsoft.graph.group`; anything else is an id.
fn cast_kind(cast: &str) -> Option<Kind> {
    if cast.ends_with("user") {
        Some(Kind::User)
    } else if cast.ends_with("group") {
        Some(Kind::Group)
    } else {
        None
    }
}

/// GET /directory/deletedItems/{id}
fn get(t: &Tenant, c: &Call, id: &str) -> GResult {
    let d = t.deleted.get(id).ok_or_else(|| GErr::not_found(id))?;
    Ok(GResp::ok(dir_object(c.ctx, d.kind, d.rec.data().into_owned())))
}

fn list(t: &Tenant, c: &Call, kind: Kind) -> GResult {
    let spec = if kind == Kind::User { &USERS } else { &GROUPS };
    let del = &t.deleted;
    let set = if kind == Kind::User {
        "directoryObjects/microsoft.graph.user"
    } else {
        "directoryObjects/microsoft.graph.group"
    };
    let defaults: &[&str] = if kind == Kind::User { DELETED_USER_DEFAULT } else { &[] };
    let spec = ListSpec { set, defaults, ..*spec };
    list_objects(c.ctx, c.key, c.req, &spec, &|after| {
        let it = del
            .iter()
            .filter(move |(_, d)| d.kind == kind)
            .map(|(_, d)| (d.kind, d.rec.data()));
        match after {
            Some(a) => {
                let a = a.to_string();
                Box::new(it.filter(move |(_, m)| {
                    m.get("id")
                        .and_then(Value::as_str)
                        .map(|i| i > a.as_str())
                        .unwrap_or(false)
                }))
            }
            None => Box::new(it),
        }
    })
}

fn restore(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let data = t.restore(id)?;
    let kind = t.kind_of(id).unwrap_or(Kind::User);
    Ok(GResp::ok(dir_object(c.ctx, kind, data)))
}

fn purge(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    t.purge(id)?;
    Ok(GResp::no_content())
}

const DELETED_USER_DEFAULT: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
    "deletedDateTime",
];

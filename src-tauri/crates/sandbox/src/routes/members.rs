//! Memberships: a group's `members`, `owners` and `transitiveMembers` (with casts and `$count`),
//! adding and removing them by `$ref`, and what users and groups are members of.

use super::{need_admin, Call};
use crate::error::{GResp, GResult};
use crate::odata::{count_text, list_dir_objects, odata_id};
use crate::store::{Kind, Tenant};
use axum::http::Method;
use serde_json::Value;

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    Some(match (&c.req.method, c.segs) {
        (&Method::GET, ["users", id, rel @ ("memberOf" | "transitiveMemberOf")]) => user_member_of(t, c, id, rel, None),
        (&Method::GET, ["users", id, rel @ ("memberOf" | "transitiveMemberOf"), cast]) => {
            user_member_of(t, c, id, rel, Some(cast))
        }
        (&Method::GET, ["groups", id, rel @ ("members" | "owners" | "transitiveMembers")]) => list(t, c, id, rel, None),
        (&Method::GET, ["groups", id, rel @ ("members" | "owners" | "transitiveMembers"), "$count"]) => {
            count(t, c, id, rel)
        }
        (&Method::GET, ["groups", id, rel @ ("members" | "transitiveMembers"), cast]) => {
            list(t, c, id, rel, Some(cast))
        }
        (&Method::GET, ["groups", id, rel @ ("members" | "transitiveMembers"), cast, "$count"]) => {
            count_cast(t, c, id, rel, cast)
        }
        (&Method::GET, ["groups", id, "memberOf"]) => group_member_of(t, c, id),
        (&Method::POST, ["groups", id, "members", "$ref"]) => add_member(t, c, id),
        (&Method::DELETE, ["groups", id, "members", mid, "$ref"]) => remove_member(t, c, id, mid),
        (&Method::POST, ["groups", id, "owners", "$ref"]) => add_owner(t, c, id),
        (&Method::DELETE, ["groups", id, "owners", oid, "$ref"]) => remove_owner(t, c, id, oid),
        _ => return None,
    })
}

fn user_member_of(t: &Tenant, c: &Call, id: &str, rel: &str, cast: Option<&str>) -> GResult {
    let id = t.user_id(id)?;
    let ids = if rel == "memberOf" {
        member_of(t, &id)
    } else {
        transitive_member_of(t, &id)
    };
    list_dir_objects(t, c.ctx, c.key, c.req, &ids, cast)
}

fn list(t: &Tenant, c: &Call, id: &str, rel: &str, cast: Option<&str>) -> GResult {
    let id = t.group_id(id)?;
    let ids = group_rel(t, &id, rel);
    list_dir_objects(t, c.ctx, c.key, c.req, &ids, cast)
}

fn count(t: &Tenant, c: &Call, id: &str, rel: &str) -> GResult {
    let id = t.group_id(id)?;
    count_text(c.req, group_rel(t, &id, rel).len())
}

fn count_cast(t: &Tenant, c: &Call, id: &str, rel: &str, cast: &str) -> GResult {
    let id = t.group_id(id)?;
    let ty = if cast.ends_with("group") {
        Kind::Group
    } else {
        Kind::User
    };
    let n = group_rel(t, &id, rel)
        .iter()
        .filter(|m| t.kind_of(m) == Some(ty))
        .count();
    count_text(c.req, n)
}

fn group_member_of(t: &Tenant, c: &Call, id: &str) -> GResult {
    let id = t.group_id(id)?;
    let ids = member_of(t, &id);
    list_dir_objects(t, c.ctx, c.key, c.req, &ids, None)
}

fn add_member(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.group_id(id)?;
    let body = c.req.body_obj()?;
    let mid = t.id_from_odata_id(&odata_id(&body)?)?;
    t.add_member(&id, &mid)?;
    Ok(GResp::no_content())
}

fn remove_member(t: &mut Tenant, c: &Call, id: &str, mid: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.group_id(id)?;
    t.remove_member(&id, mid)?;
    Ok(GResp::no_content())
}

fn add_owner(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.group_id(id)?;
    let body = c.req.body_obj()?;
    let oid = t.id_from_odata_id(&odata_id(&body)?)?;
    t.add_owner(&id, &oid)?;
    Ok(GResp::no_content())
}

fn remove_owner(t: &mut Tenant, c: &Call, id: &str, oid: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.group_id(id)?;
    t.remove_owner(&id, oid)?;
    Ok(GResp::no_content())
}

fn group_rel(t: &Tenant, id: &str, rel: &str) -> Vec<String> {
    match rel {
        "members" => t.members.get(id).cloned().unwrap_or_default(),
        "owners" => t.owners.get(id).cloned().unwrap_or_default(),
        _ => {
            let mut out: Vec<String> = Vec::new();
            let mut stack = vec![id.to_string()];
            let mut seen = std::collections::HashSet::new();
            while let Some(g) = stack.pop() {
                for m in t.members.get(&g).into_iter().flatten() {
                    if seen.insert(m.clone()) {
                        out.push(m.clone());
                        if t.groups.contains_key(m) {
                            stack.push(m.clone());
                        }
                    }
                }
            }
            out
        }
    }
}

/// Groups and directory roles an object is a direct member of.
fn member_of(t: &Tenant, id: &str) -> Vec<String> {
    let mut v: Vec<String> = t
        .member_of
        .get(id)
        .map(|s| s.iter().cloned().collect())
        .unwrap_or_default();
    for r in &t.roles {
        let tpl = r.get("roleTemplateId").and_then(Value::as_str).unwrap_or_default();
        if t.role_members(tpl).iter().any(|p| p == id) {
            if let Some(rid) = r.get("id").and_then(Value::as_str) {
                v.push(rid.to_string());
            }
        }
    }
    v
}

fn transitive_member_of(t: &Tenant, id: &str) -> Vec<String> {
    let mut out = member_of(t, id);
    let mut i = 0;
    while i < out.len() {
        let g = out[i].clone();
        for p in t.member_of.get(&g).into_iter().flatten() {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
        i += 1;
    }
    out
}

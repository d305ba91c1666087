//! Roles: `/directoryRoles` (activate, members by `$ref`), `/directoryRoleTemplates`,
//! `/roleManagement/directory` (built-in and custom role definitions, role assignments) and
//! `/directory/administrativeUnits` (the scopes a role can be assigned in).

use super::{need_admin, Call};
use crate::error::{GErr, GResp, GResult};
use crate::odata::{context, entity, get_one, list_dir_objects, odata_id, ListSpec, GROUPS};
use crate::query::{project, Query};
use crate::store::{self, Kind, Tenant};
use axum::http::Method;
use serde_json::{json, Map, Value};

const ASSIGNMENTS: &str = "roleManagement/directory/roleAssignments";

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    Some(match (&c.req.method, c.segs) {
        (&Method::GET, ["directoryRoles"]) => list_roles(t, c),
        (&Method::POST, ["directoryRoles"]) => activate(t, c),
        (_, ["directoryRoles", rid, rest @ ..]) => role(t, c, rid, rest),
        (&Method::GET, ["directoryRoleTemplates"]) => Ok(templates(c)),
        (&Method::GET, ["directoryRoleTemplates", id]) => template(c, id),
        (&Method::GET, ["roleManagement", "directory", "roleDefinitions"]) => definitions(c),
        (&Method::GET, ["roleManagement", "directory", "roleDefinitions", id]) => definition(c, id),
        (&Method::GET, ["roleManagement", "directory", "roleAssignments"]) => assignments(t, c),
        (&Method::POST, ["roleManagement", "directory", "roleAssignments"]) => assign(t, c),
        (&Method::GET, ["roleManagement", "directory", "roleAssignments", id]) => assignment(t, c, id),
        (&Method::DELETE, ["roleManagement", "directory", "roleAssignments", id]) => unassign(t, c, id),
        (&Method::GET, ["directory", "administrativeUnits"]) => units(c),
        (&Method::GET, ["directory", "administrativeUnits", id]) => unit(c, id),
        _ => return None,
    })
}

fn list_roles(t: &Tenant, c: &Call) -> GResult {
    let q = Query::parse(&c.req.query, c.req.eventual())?;
    if q.top.is_some() {
        return Err(GErr::bad_request(
            "The specified page size is not supported. directoryRoles doesn't support paging.",
        ));
    }
    let v: Vec<Value> = t
        .roles
        .iter()
        .filter(|r| q.filter.as_ref().map(|f| f.eval(r)).unwrap_or(true))
        .map(|r| Value::Object(project(r, q.select.as_deref(), &[], &[])))
        .collect();
    Ok(GResp::ok(
        json!({"@odata.context": context(c.ctx, "directoryRoles", q.select.as_deref()), "value": v}),
    ))
}

fn activate(t: &mut Tenant, c: &Call) -> GResult {
    need_admin(t, c.req)?;
    let body = c.req.body_obj()?;
    let tpl = body.get("roleTemplateId").and_then(Value::as_str).ok_or_else(|| {
        GErr::bad_request("Invalid value specified for property 'roleTemplateId' of resource 'DirectoryRole'.")
    })?;
    if t.roles
        .iter()
        .any(|r| r.get("roleTemplateId").and_then(Value::as_str) == Some(tpl))
    {
        return Err(GErr::bad_request(
            "A conflicting object with one or more of the specified property values is present in the directory.",
        ));
    }
    let r = t.activate_role(tpl)?;
    Ok(GResp::created(entity(c.ctx, "directoryRoles", &r)))
}

/// `/directoryRoles/{id}` or `/directoryRoles(roleTemplateId='…')`, and its members.
fn role(t: &mut Tenant, c: &Call, rid: &str, rest: &[&str]) -> GResult {
    let role = find_role(t, rid)?;
    let tpl = role
        .get("roleTemplateId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    match (&c.req.method, rest) {
        (&Method::GET, []) => get_one(
            c.ctx,
            c.req,
            &role,
            &ListSpec {
                set: "directoryRoles",
                ty: "directoryRole",
                known: &["id", "deletedDateTime", "description", "displayName", "roleTemplateId"],
                ..GROUPS
            },
        ),
        (&Method::GET, ["members"]) => {
            let ids = t.role_members(&tpl);
            list_dir_objects(t, c.ctx, c.key, c.req, &ids, None)
        }
        (&Method::POST, ["members", "$ref"]) => add_member(t, c, &tpl),
        (&Method::DELETE, ["members", pid, "$ref"]) => remove_member(t, c, &tpl, pid),
        _ => Err(GErr::no_route()),
    }
}

fn add_member(t: &mut Tenant, c: &Call, tpl: &str) -> GResult {
    need_admin(t, c.req)?;
    let body = c.req.body_obj()?;
    let pid = t.id_from_odata_id(&odata_id(&body)?)?;
    if t.role_members(tpl).contains(&pid) {
        return Err(GErr::bad_request(
            "One or more added object references already exist for the following modified properties: 'members'.",
        ));
    }
    t.assign_role(&pid, tpl, "/")?;
    Ok(GResp::no_content())
}

fn remove_member(t: &mut Tenant, c: &Call, tpl: &str, pid: &str) -> GResult {
    need_admin(t, c.req)?;
    let before = t.assignments.len();
    t.assignments.retain(|a| {
        !(a.get("principalId").and_then(Value::as_str) == Some(pid)
            && a.get("roleDefinitionId").and_then(Value::as_str) == Some(tpl))
    });
    if before == t.assignments.len() {
        return Err(GErr::not_found(pid));
    }
    Ok(GResp::no_content())
}

fn templates(c: &Call) -> GResp {
    let v: Vec<Value> = store::role_templates()
        .iter()
        .map(|x| Value::Object(x.clone()))
        .collect();
    GResp::ok(json!({"@odata.context": context(c.ctx, "directoryRoleTemplates", None), "value": v}))
}

fn template(c: &Call, id: &str) -> GResult {
    let tpl = store::role_templates()
        .iter()
        .find(|x| x.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| GErr::not_found(id))?;
    Ok(GResp::ok(entity(c.ctx, "directoryRoleTemplates", tpl)))
}

fn definitions(c: &Call) -> GResult {
    let q = Query::parse(&c.req.query, c.req.eventual())?;
    let v: Vec<Value> = role_definitions()
        .into_iter()
        .filter(|r| q.filter.as_ref().map(|f| f.eval(r)).unwrap_or(true))
        .map(|r| Value::Object(project(&r, q.select.as_deref(), &[], &[])))
        .collect();
    Ok(GResp::ok(
        json!({"@odata.context": context(c.ctx, "roleManagement/directory/roleDefinitions", q.select.as_deref()), "value": v}),
    ))
}

fn definition(c: &Call, id: &str) -> GResult {
    let d = role_definitions()
        .into_iter()
        .find(|r| r.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| GErr::not_found(id))?;
    get_one(
        c.ctx,
        c.req,
        &d,
        &ListSpec {
            set: "roleManagement/directory/roleDefinitions",
            ty: "unifiedRoleDefinition",
            known: ROLE_DEF_PROPS,
            ..GROUPS
        },
    )
}

fn assignments(t: &Tenant, c: &Call) -> GResult {
    let q = Query::parse(&c.req.query, c.req.eventual())?;
    let v: Vec<Value> = t
        .assignments
        .iter()
        .filter(|r| q.filter.as_ref().map(|f| f.eval(r)).unwrap_or(true))
        .map(|r| Value::Object(expand_assignment(t, r, q.expand.as_deref(), q.select.as_deref())))
        .collect();
    Ok(GResp::ok(
        json!({"@odata.context": context(c.ctx, ASSIGNMENTS, q.select.as_deref()), "value": v}),
    ))
}

fn assign(t: &mut Tenant, c: &Call) -> GResult {
    need_admin(t, c.req)?;
    let body = c.req.body_obj()?;
    let pid = body.get("principalId").and_then(Value::as_str).ok_or_else(|| {
        GErr::bad_request("Invalid value specified for property 'principalId' of resource 'UnifiedRoleAssignment'.")
    })?;
    let rdid = body.get("roleDefinitionId").and_then(Value::as_str).ok_or_else(|| {
        GErr::bad_request(
            "Invalid value specified for property 'roleDefinitionId' of resource 'UnifiedRoleAssignment'.",
        )
    })?;
    let scope = body.get("directoryScopeId").and_then(Value::as_str).unwrap_or("/");
    let a = t.assign_role(pid, rdid, scope)?;
    Ok(GResp::created(entity(c.ctx, ASSIGNMENTS, &a)))
}

fn assignment(t: &Tenant, c: &Call, id: &str) -> GResult {
    let a = t
        .assignments
        .iter()
        .find(|a| a.get("id").and_then(Value::as_str) == Some(id))
        .cloned()
        .ok_or_else(|| GErr::not_found(id))?;
    let q = Query::parse(&c.req.query, c.req.eventual())?;
    Ok(GResp::ok(entity(
        c.ctx,
        ASSIGNMENTS,
        &expand_assignment(t, &a, q.expand.as_deref(), q.select.as_deref()),
    )))
}

fn unassign(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let before = t.assignments.len();
    t.assignments
        .retain(|a| a.get("id").and_then(Value::as_str) != Some(id));
    if before == t.assignments.len() {
        return Err(GErr::not_found(id));
    }
    Ok(GResp::no_content())
}

const ROLE_DEF_PROPS: &[&str] = &[
    "id",
    "description",
    "displayName",
    "isBuiltIn",
    "isEnabled",
    "resourceScopes",
    "rolePermissions",
    "templateId",
    "version",
];

const UNIT_PROPS: &[&str] = &[
    "id",
    "deletedDateTime",
    "description",
    "displayName",
    "visibility",
    "membershipType",
    "isMemberManagementRestricted",
];
const UNITS: ListSpec = ListSpec {
    set: "directory/administrativeUnits",
    ty: "administrativeUnit",
    known: UNIT_PROPS,
    ..GROUPS
};

fn units(c: &Call) -> GResult {
    let q = Query::parse(&c.req.query, c.req.eventual())?;
    let v: Vec<Value> = store::administrative_units()
        .iter()
        .filter(|u| q.filter.as_ref().map(|f| f.eval(u)).unwrap_or(true))
        .map(|u| Value::Object(project(u, q.select.as_deref(), &[], &[])))
        .collect();
    Ok(GResp::ok(
        json!({"@odata.context": context(c.ctx, UNITS.set, q.select.as_deref()), "value": v}),
    ))
}

fn unit(c: &Call, id: &str) -> GResult {
    let u = store::administrative_units()
        .into_iter()
        .find(|u| u.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| GErr::not_found(id))?;
    get_one(c.ctx, c.req, &u, &UNITS)
}

/// The built-in roles (from Microsoft's templates) and the tenant's custom roles.
fn role_definitions() -> Vec<Map<String, Value>> {
    let builtin = store::role_templates()
        .iter()
        .map(|t| {
            let id = t.get("id").cloned().unwrap_or(Value::Null);
            json!({"id": id, "description": t.get("description"), "displayName": t.get("displayName"), "isBuiltIn": true, "isEnabled": true,
                   "inheritsPermissionsFrom": [], "resourceScopes": ["/"], "templateId": id, "version": "1", "rolePermissions": []})
            .as_object()
            .cloned()
            .unwrap_or_default()
        });
    builtin.chain(store::custom_role_definitions()).collect()
}

fn expand_assignment(
    t: &Tenant,
    a: &Map<String, Value>,
    expand: Option<&str>,
    select: Option<&[String]>,
) -> Map<String, Value> {
    let mut o = project(a, select, &[], &[]);
    let Some(exp) = expand else { return o };
    for e in exp.split(',').map(str::trim) {
        if e.starts_with("principal") {
            if let Some((k, r)) = a.get("principalId").and_then(Value::as_str).and_then(|p| t.object(p)) {
                let mut p = project(
                    &r.data(),
                    None,
                    if k == Kind::User { store::USER_DEFAULT } else { &[] },
                    store::USER_HIDDEN,
                );
                p.insert("@odata.type".into(), json!(k.odata_type()));
                o.insert("principal".into(), Value::Object(p));
            }
        } else if e.starts_with("roleDefinition") {
            let id = a.get("roleDefinitionId").and_then(Value::as_str);
            if let Some(d) = role_definitions()
                .into_iter()
                .find(|r| r.get("id").and_then(Value::as_str) == id)
            {
                o.insert("roleDefinition".into(), Value::Object(d));
            }
        }
    }
    o
}

fn find_role(t: &Tenant, key: &str) -> Result<Map<String, Value>, GErr> {
    let tpl = key.strip_prefix("roleTemplateId=").map(|x| x.trim_matches('\''));
    t.roles
        .iter()
        .find(|r| match tpl {
            Some(tp) => r.get("roleTemplateId").and_then(Value::as_str) == Some(tp),
            None => r.get("id").and_then(Value::as_str) == Some(key),
        })
        .cloned()
        .ok_or_else(|| GErr::not_found(key))
}

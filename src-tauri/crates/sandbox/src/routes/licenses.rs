//! Licences: `/subscribedSkus`, `assignLicense` on users and groups, and a user's
//! `licenseDetails`.

use super::{need_admin, Call};
use crate::error::{GErr, GResp, GResult};
use crate::odata::{context, entity};
use crate::query::project;
use crate::store::{self, Tenant};
use crate::util::fold;
use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    Some(match (&c.req.method, c.segs) {
        (&Method::POST, ["users", id, "assignLicense"]) => assign_to_user(t, c, id),
        (&Method::GET, ["users", id, "licenseDetails"]) => license_details(t, c, id),
        (&Method::POST, ["groups", id, "assignLicense"]) => assign_to_group(t, c, id),
        (&Method::GET, ["subscribedSkus"]) => Ok(skus(t, c)),
        (&Method::GET, ["subscribedSkus", id]) => sku(t, c, id),
        _ => return None,
    })
}

fn assign_to_user(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.user_id(id)?;
    let body = c.req.body_obj()?;
    t.assign_license(&id, &body)?;
    let u = &t.users[&id];
    // assignLicense answers with the user object, licences included.
    let o = project(&u.data(), None, store::USER_LICENSED, store::USER_HIDDEN);
    Ok(GResp::ok(entity(c.ctx, "users", &o)))
}

fn license_details(t: &Tenant, c: &Call, id: &str) -> GResult {
    let id = t.user_id(id)?;
    let lic = t.users[&id]
        .data()
        .get("assignedLicenses")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out = Vec::new();
    for l in lic {
        let sku_id = l.get("skuId").and_then(Value::as_str).unwrap_or_default();
        let disabled = store::disabled_plans(&l);
        if let Some(sku) = t.find_sku(sku_id) {
            let plans: Vec<Value> = sku
                .get("servicePlans")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| {
                    let pid = p.get("servicePlanId").and_then(Value::as_str).unwrap_or_default();
                    let status = if disabled.contains(&fold(pid)) { "Disabled" } else { "Success" };
                    json!({"servicePlanId": pid, "servicePlanName": p.get("servicePlanName"), "provisioningStatus": status, "appliesTo": p.get("appliesTo")})
                })
                .collect();
            out.push(json!({"id": format!("{}_{}", id, sku_id), "skuId": sku_id, "skuPartNumber": sku.get("skuPartNumber"), "servicePlans": plans}));
        }
    }
    Ok(GResp::ok(
        json!({"@odata.context": format!("{}/$metadata#users('{}')/licenseDetails", c.ctx.graph, id), "value": out}),
    ))
}

fn assign_to_group(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    need_admin(t, c.req)?;
    let id = t.group_id(id)?;
    let body = c.req.body_obj()?;
    t.assign_group_license(&id, &body)?;
    let g = &t.groups[&id];
    Ok(GResp::json(StatusCode::ACCEPTED, entity(c.ctx, "groups", &g.data())))
}

fn skus(t: &Tenant, c: &Call) -> GResp {
    let v: Vec<Value> = t.skus.iter().map(|k| Value::Object(t.sku_view(k))).collect();
    GResp::ok(json!({"@odata.context": context(c.ctx, "subscribedSkus", None), "value": v}))
}

fn sku(t: &Tenant, c: &Call, id: &str) -> GResult {
    let k = t
        .skus
        .iter()
        .find(|k| k.get("id").and_then(Value::as_str) == Some(id))
        .ok_or_else(|| GErr::not_found(id))?;
    Ok(GResp::ok(entity(c.ctx, "subscribedSkus", &t.sku_view(k))))
}

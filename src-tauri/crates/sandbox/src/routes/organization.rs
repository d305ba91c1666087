//! `/organization`: the practice tenant and its verified domains.

use super::Call;
use crate::error::{GResp, GResult};
use crate::odata::context;
use crate::store::Tenant;
use axum::http::Method;
use serde_json::json;

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    match (&c.req.method, c.segs) {
        (&Method::GET, ["organization"]) => Some(Ok(organization(t, c))),
        _ => None,
    }
}

fn organization(t: &Tenant, c: &Call) -> GResp {
    GResp::ok(json!({
        "@odata.context": context(c.ctx, "organization", None),
        "value": [{
            "id": t.tenant_id, "displayName": "Contoso (practice tenant)", "tenantType": "AAD",
            "verifiedDomains": t.domains.iter().enumerate().map(|(i, d)| json!({"name": d, "isDefault": i == 0, "isInitial": d.ends_with(".onmicrosoft.com") && i == 1, "type": "Managed", "capabilities": "Email, OfficeCommunicationsOnline"})).collect::<Vec<_>>()
        }]
    }))
}

//! The out-of-band admin API under `/_sandbox/` (loopback only, and only with the practice tenant's secret in
//! `X-Sandbox-Secret`, see `server::admin_guard`): act as another admin,
//! mint tokens, read the request log and counters, set faults, move the clock, reset.

use crate::error::GErr;
use crate::faults::FaultRule;
use crate::shared::Shared;
use crate::store::Tenant;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;

type S = State<Arc<Shared>>;

fn fail(e: GErr) -> Response {
    let rid = crate::util::new_guid();
    let body = e.body(&rid, &rid, &crate::util::iso_now());
    (e.status, Json(body)).into_response()
}

fn with_tenant<T>(s: &Shared, f: impl FnOnce(&mut Tenant) -> Result<T, GErr>) -> Result<T, Box<Response>> {
    let mut t = s.tenant.lock().map_err(|_| {
        Box::new(fail(GErr::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            "tenant lock poisoned",
        )))
    })?;
    f(&mut t).map_err(|e| Box::new(fail(e)))
}

fn obj(v: Value) -> Result<Map<String, Value>, Box<Response>> {
    match v {
        Value::Object(m) => Ok(m),
        _ => Err(Box::new(fail(GErr::bad("BadRequest", "A JSON object was expected.")))),
    }
}

macro_rules! tryr {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(r) => return *r,
        }
    };
}

async fn index(State(s): S) -> Response {
    Json(json!({
        "tenantId": s.tenant_id, "clientId": s.client_id, "graph": s.graph,
        "routes": [
            "GET /_sandbox/info", "POST /_sandbox/users", "PATCH /_sandbox/users/{id|upn}", "DELETE /_sandbox/users/{id|upn}[?hard=true]",
            "POST /_sandbox/groups", "PATCH /_sandbox/groups/{id}", "DELETE /_sandbox/groups/{id}[?hard=true]",
            "POST /_sandbox/groups/{id}/members", "DELETE /_sandbox/groups/{id}/members/{memberId}", "POST /_sandbox/restore/{id}",
            "POST /_sandbox/tokens", "POST /_sandbox/devicecode/approve", "POST /_sandbox/devicecode/deny",
            "GET /_sandbox/requests", "DELETE /_sandbox/requests", "GET /_sandbox/counters",
            "GET /_sandbox/faults", "POST /_sandbox/faults", "DELETE /_sandbox/faults", "DELETE /_sandbox/faults/{id}",
            "PUT /_sandbox/latency", "PUT /_sandbox/write-quota", "DELETE /_sandbox/write-quota",
            "POST /_sandbox/delta/expire", "PUT /_sandbox/delta", "POST /_sandbox/clock", "POST /_sandbox/reset", "POST /_sandbox/save", "GET /_sandbox/skus", "POST /_sandbox/skus",
            "GET /_sandbox/invitations"
        ]
    }))
    .into_response()
}

async fn info(State(s): S) -> Response {
    let t = tryr!(with_tenant(&s, |t| Ok(json!({
        "tenantId": t.tenant_id, "clientId": s.client_id, "users": t.users.len(), "groups": t.groups.len(),
        "deletedItems": t.deleted.len(), "changeLogLength": t.log.len(), "deltaEpoch": t.delta_epoch,
        "admins": crate::auth::admins(t).into_iter().map(|(id, upn, name)| json!({"id": id, "userPrincipalName": upn, "displayName": name})).collect::<Vec<_>>(),
    }))));
    Json(t).into_response()
}

/// The invitations Graph accepted, as sent (message language, cc recipients, custom message…):
/// what Microsoft would have emailed. Graph itself has no way to read an invitation back.
async fn invitations(State(s): S) -> Response {
    let v = tryr!(with_tenant(&s, |t| Ok(json!({ "value": t.invitations }))));
    Json(v).into_response()
}

async fn create_user(State(s): S, Json(v): Json<Value>) -> Response {
    let mut m = tryr!(obj(v));
    m.entry("accountEnabled").or_insert(json!(true));
    if !m.contains_key("mailNickname") {
        if let Some(upn) = m.get("userPrincipalName").and_then(Value::as_str) {
            let nick = upn.split('@').next().unwrap_or(upn).to_string();
            m.insert("mailNickname".into(), json!(nick));
        }
    }
    m.entry("passwordProfile")
        .or_insert(json!({"password": "Practice-Passw0rd!", "forceChangePasswordNextSignIn": true}));
    let u = tryr!(with_tenant(&s, |t| t.create_user(&m)));
    s.mark_dirty();
    let mut u = u;
    u.remove("passwordProfile");
    (StatusCode::CREATED, Json(Value::Object(u))).into_response()
}

async fn update_user(State(s): S, Path(key): Path<String>, Json(v): Json<Value>) -> Response {
    let m = tryr!(obj(v));
    tryr!(with_tenant(&s, |t| {
        let id = t.user_id(&key)?;
        t.update_user(&id, &m)
    }));
    s.mark_dirty();
    StatusCode::NO_CONTENT.into_response()
}

async fn delete_user(State(s): S, Path(key): Path<String>, Query(q): Query<HashMap<String, String>>) -> Response {
    let hard = q.get("hard").map(|v| v == "true").unwrap_or(false);
    tryr!(with_tenant(&s, |t| {
        let id = t.user_id(&key)?;
        t.delete_user(&id)?;
        if hard {
            t.purge(&id)?;
        }
        Ok(())
    }));
    s.mark_dirty();
    StatusCode::NO_CONTENT.into_response()
}

async fn create_group(State(s): S, Json(v): Json<Value>) -> Response {
    let mut m = tryr!(obj(v));
    m.entry("mailEnabled").or_insert(json!(false));
    m.entry("securityEnabled").or_insert(json!(true));
    if !m.contains_key("mailNickname") {
        let nick: String = m
            .get("displayName")
            .and_then(Value::as_str)
            .unwrap_or("group")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        m.insert(
            "mailNickname".into(),
            json!(if nick.is_empty() { "group".to_string() } else { nick }),
        );
    }
    let g = tryr!(with_tenant(&s, |t| t.create_group(&m)));
    s.mark_dirty();
    (StatusCode::CREATED, Json(Value::Object(g))).into_response()
}

async fn update_group(State(s): S, Path(id): Path<String>, Json(v): Json<Value>) -> Response {
    let m = tryr!(obj(v));
    tryr!(with_tenant(&s, |t| {
        let id = t.group_id(&id)?;
        t.update_group(&id, &m)
    }));
    s.mark_dirty();
    StatusCode::NO_CONTENT.into_response()
}

async fn delete_group(State(s): S, Path(id): Path<String>, Query(q): Query<HashMap<String, String>>) -> Response {
    let hard = q.get("hard").map(|v| v == "true").unwrap_or(false);
    tryr!(with_tenant(&s, |t| {
        let id = t.group_id(&id)?;
        t.delete_group(&id)?;
        if hard && t.deleted.contains_key(&id) {
            t.purge(&id)?;
        }
        Ok(())
    }));
    s.mark_dirty();
    StatusCode::NO_CONTENT.into_response()
}

fn member_key(t: &Tenant, v: &Value) -> Result<String, GErr> {
    if let Some(id) = v.get("id").and_then(Value::as_str) {
        if t.kind_of(id).is_some() {
            return Ok(id.to_string());
        }
        return Err(GErr::not_found(id));
    }
    if let Some(upn) = v
        .get("upn")
        .or_else(|| v.get("userPrincipalName"))
        .and_then(Value::as_str)
    {
        return t.user_id(upn);
    }
    Err(GErr::bad(
        "BadRequest",
        "Give the member as {\"id\": ...} or {\"upn\": ...}.",
    ))
}

async fn add_member(State(s): S, Path(gid): Path<String>, Json(v): Json<Value>) -> Response {
    tryr!(with_tenant(&s, |t| {
        let gid = t.group_id(&gid)?;
        let mid = member_key(t, &v)?;
        t.add_member(&gid, &mid)
    }));
    s.mark_dirty();
    StatusCode::NO_CONTENT.into_response()
}

async fn remove_member(State(s): S, Path((gid, mid)): Path<(String, String)>) -> Response {
    tryr!(with_tenant(&s, |t| {
        let gid = t.group_id(&gid)?;
        let mid = t.user_id(&mid).unwrap_or(mid.clone());
        t.remove_member(&gid, &mid)
    }));
    s.mark_dirty();
    StatusCode::NO_CONTENT.into_response()
}

async fn restore(State(s): S, Path(id): Path<String>) -> Response {
    let o = tryr!(with_tenant(&s, |t| t.restore(&id)));
    s.mark_dirty();
    Json(Value::Object(o)).into_response()
}

/// Mints an access token for a user (`{"upn": ..., "scope"?: ..., "expires_in"?: seconds}`).
async fn tokens(State(s): S, Json(v): Json<Value>) -> Response {
    let upn = v.get("upn").and_then(Value::as_str).unwrap_or_default().to_string();
    let scope = v
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or(crate::auth::DEFAULT_SCOPES)
        .to_string();
    let r = tryr!(with_tenant(&s, |t| {
        let oid = t.user_id(&upn)?;
        crate::auth::mint_access_token(&s, t, &oid, &scope, &s.client_id)
            .map(|(tok, ttl)| (tok, ttl, oid))
            .ok_or_else(|| GErr::not_found(&upn))
    }));
    let (mut tok, mut ttl, oid) = r;
    if let Some(e) = v.get("expires_in").and_then(Value::as_i64) {
        // Re-mint with a custom lifetime (0 or negative gives an already expired token).
        let now = s.now_ms() / 1000;
        let claims = json!({"aud": crate::auth::GRAPH_AUD, "iss": format!("{}/{}/v2.0", s.base, s.tenant_id), "iat": now, "nbf": now, "exp": now + e,
                            "tid": s.tenant_id, "oid": oid, "sub": oid, "upn": upn, "scp": scope, "appid": s.client_id, "ver": "1.0"});
        tok = crate::jwt::sign(&s.jwt_key, &claims);
        ttl = e;
    }
    Json(json!({"token_type": "Bearer", "access_token": tok, "expires_in": ttl, "scope": scope, "oid": oid}))
        .into_response()
}

async fn device_approve(State(s): S, Json(v): Json<Value>) -> Response {
    let code = v
        .get("user_code")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let upn = v.get("upn").and_then(Value::as_str).unwrap_or_default().to_string();
    let oid = tryr!(with_tenant(&s, |t| t.user_id(&upn)));
    if crate::auth::approve_device(&s, &code, Some(&oid)) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        fail(GErr::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            "No pending device code has that user code.",
        ))
    }
}

async fn device_deny(State(s): S, Json(v): Json<Value>) -> Response {
    let code = v.get("user_code").and_then(Value::as_str).unwrap_or_default();
    if crate::auth::approve_device(&s, code, None) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        fail(GErr::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            "No pending device code has that user code.",
        ))
    }
}

async fn requests(State(s): S, Query(q): Query<HashMap<String, String>>) -> Response {
    let since: u64 = q.get("since").and_then(|x| x.parse().ok()).unwrap_or(0);
    let lines: Vec<Value> = s
        .log
        .lock()
        .map(|l| {
            l.iter()
                .filter(|x| x.seq > since)
                .filter_map(|x| serde_json::to_value(x).ok())
                .collect()
        })
        .unwrap_or_default();
    Json(json!({"value": lines})).into_response()
}

async fn clear_requests(State(s): S) -> Response {
    if let Ok(mut l) = s.log.lock() {
        l.clear();
    }
    if let Ok(mut c) = s.counters.lock() {
        *c = Default::default();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn counters(State(s): S) -> Response {
    let v = s
        .counters
        .lock()
        .map(|c| serde_json::to_value(&*c).unwrap_or(Value::Null))
        .unwrap_or(Value::Null);
    Json(v).into_response()
}

async fn list_faults(State(s): S) -> Response {
    let v = s
        .faults
        .lock()
        .map(|f| serde_json::to_value(&f.rules).unwrap_or(Value::Null))
        .unwrap_or(Value::Null);
    Json(json!({"value": v})).into_response()
}

async fn add_fault(State(s): S, Json(v): Json<Value>) -> Response {
    let rule: FaultRule = match serde_json::from_value(v) {
        Ok(r) => r,
        Err(e) => return fail(GErr::bad("BadRequest", format!("Invalid fault rule: {e}"))),
    };
    let id = s.faults.lock().map(|mut f| f.add(rule)).unwrap_or(0);
    (StatusCode::CREATED, Json(json!({"id": id}))).into_response()
}

async fn clear_faults(State(s): S) -> Response {
    if let Ok(mut f) = s.faults.lock() {
        f.rules.clear();
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn remove_fault(State(s): S, Path(id): Path<u64>) -> Response {
    if s.faults.lock().map(|mut f| f.remove(id)).unwrap_or(false) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        fail(GErr::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!("No fault rule {id}."),
        ))
    }
}

async fn latency(State(s): S, Json(v): Json<Value>) -> Response {
    s.latency_ms
        .store(v.get("ms").and_then(Value::as_u64).unwrap_or(0), Ordering::Relaxed);
    StatusCode::NO_CONTENT.into_response()
}

async fn write_quota(State(s): S, Json(v): Json<Value>) -> Response {
    let limit = v.get("limit").and_then(Value::as_u64).unwrap_or(3000) as usize;
    let window = v.get("window_secs").and_then(Value::as_i64).unwrap_or(150);
    if let Ok(mut f) = s.faults.lock() {
        f.write_quota = Some((limit, window * 1000));
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn no_write_quota(State(s): S) -> Response {
    if let Ok(mut f) = s.faults.lock() {
        f.write_quota = None;
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn expire_delta(State(s): S) -> Response {
    tryr!(with_tenant(&s, |t| {
        t.delta_epoch += 1;
        Ok(())
    }));
    s.mark_dirty();
    StatusCode::NO_CONTENT.into_response()
}

async fn delta_settings(State(s): S, Json(v): Json<Value>) -> Response {
    if let Some(ttl) = v.get("ttl_secs").and_then(Value::as_i64) {
        s.delta_ttl_ms.store(ttl.saturating_mul(1000), Ordering::Relaxed);
    }
    if let Some(p) = v.get("page_size").and_then(Value::as_u64) {
        s.delta_page.store(p.max(1), Ordering::Relaxed);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn clock(State(s): S, Json(v): Json<Value>) -> Response {
    let secs = v.get("advance_secs").and_then(Value::as_i64).unwrap_or(0);
    s.clock_offset_ms
        .fetch_add(secs.saturating_mul(1000), Ordering::Relaxed);
    Json(json!({"now": crate::util::iso_at(s.now_ms() / 1000)})).into_response()
}

async fn reset(State(s): S) -> Response {
    tryr!(reset_tenant(&s, s.generate));
    StatusCode::NO_CONTENT.into_response()
}

/// Back to the seed tenant plus `generate` (users, groups) generated ones; clears faults, the log
/// and latency; old deltaLinks expire.
pub(crate) fn reset_tenant(s: &Shared, generate: Option<(usize, usize)>) -> Result<(), Box<Response>> {
    let fresh = crate::generate::build_tenant(s.seed, generate);
    with_tenant(s, |t| {
        let epoch = t.delta_epoch + 1;
        *t = fresh;
        // Links from before the reset must not resume against the new tenant.
        t.delta_epoch = epoch;
        Ok(())
    })?;
    if let Ok(mut f) = s.faults.lock() {
        f.reset(s.seed);
    }
    if let Ok(mut l) = s.log.lock() {
        l.clear();
    }
    s.latency_ms.store(0, Ordering::Relaxed);
    s.mark_dirty();
    Ok(())
}

/// `{"sku": "AAD_PREMIUM" | skuId, "seats": 25}`: adds a subscription from Microsoft's SKU table.
async fn add_sku(State(s): S, Json(v): Json<Value>) -> Response {
    let sku = v.get("sku").and_then(Value::as_str).unwrap_or_default().to_string();
    let seats = v.get("seats").and_then(Value::as_i64).unwrap_or(25);
    let m = tryr!(with_tenant(&s, |t| t.add_subscription(&sku, seats)));
    s.mark_dirty();
    (StatusCode::CREATED, Json(Value::Object(m))).into_response()
}

async fn sku_reference() -> Response {
    Json(json!({"value": crate::store::sku_reference()})).into_response()
}

async fn save(State(s): S) -> Response {
    match s.save().await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => fail(GErr::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            format!("Could not save the state file: {e}"),
        )),
    }
}

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/", get(index))
        .route("/info", get(info))
        .route("/users", post(create_user))
        .route("/users/{key}", axum::routing::patch(update_user).delete(delete_user))
        .route("/groups", post(create_group))
        .route("/groups/{id}", axum::routing::patch(update_group).delete(delete_group))
        .route("/groups/{id}/members", post(add_member))
        .route("/groups/{id}/members/{mid}", delete(remove_member))
        .route("/restore/{id}", post(restore))
        .route("/tokens", post(tokens))
        .route("/devicecode/approve", post(device_approve))
        .route("/devicecode/deny", post(device_deny))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/counters", get(counters))
        .route("/invitations", get(invitations))
        .route("/faults", get(list_faults).post(add_fault).delete(clear_faults))
        .route("/faults/{id}", delete(remove_fault))
        .route("/latency", axum::routing::put(latency))
        .route("/write-quota", axum::routing::put(write_quota).delete(no_write_quota))
        .route("/delta/expire", post(expire_delta))
        .route("/delta", axum::routing::put(delta_settings))
        .route("/clock", post(clock))
        .route("/reset", post(reset))
        .route("/save", post(save))
        .route("/skus", get(sku_reference).post(add_sku))
}

//! The Graph v1.0 dispatcher: one synchronous function over the tenant, used by HTTP and `$batch`.

use crate::error::{GErr, GResp, GResult};
use crate::query::{project, Query};
use crate::store::{self, Kind, Tenant};
use crate::util::{fold, iso_now, seal, unseal};
use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{json, Map, Value};

/// The signed-in user a validated access token names.
#[derive(Debug, Clone)]
pub struct Caller {
    pub oid: String,
}

/// One Graph request (from HTTP or from inside `$batch`).
#[derive(Clone)]
pub struct GReq {
    pub method: Method,
    /// Path after `/v1.0`, still percent-encoded, e.g. `/users/AdeleV%40contoso.com`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Option<Value>,
    pub caller: Caller,
}

/// Debug without headers: they carry the bearer token.
impl std::fmt::Debug for GReq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GReq")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

impl GReq {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    fn eventual(&self) -> bool {
        self.header("consistencylevel")
            .map(|v| v.eq_ignore_ascii_case("eventual"))
            .unwrap_or(false)
    }
    pub fn body_obj_pub(&self) -> Result<Map<String, Value>, GErr> {
        self.body_obj()
    }
    fn body_obj(&self) -> Result<Map<String, Value>, GErr> {
        match &self.body {
            Some(Value::Object(m)) => Ok(m.clone()),
            Some(_) => Err(GErr::bad(
                "BadRequest",
                "Invalid request body: a JSON object was expected.",
            )),
            None => Err(GErr::bad("BadRequest", "Empty Payload. JSON content expected.")),
        }
    }
}

/// Per-request context that is not part of the tenant.
pub struct Ctx {
    /// `http://127.0.0.1:PORT/v1.0`
    pub graph: String,
    pub now_ms: i64,
    pub delta_ttl_ms: i64,
    pub delta_page: usize,
}

/// Splits the path into decoded segments; `users('x')` becomes `users`, `x`;
/// `delta()` and `microsoft.graph.delta()` become `delta`.
pub fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let s = percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .to_string();
        let s = s.strip_prefix("microsoft.graph.").map(|x| match x {
            "user" | "group" | "directoryRole" => s.clone(),
            other => other.to_string(),
        });
        let s = s.unwrap_or_else(|| {
            percent_encoding::percent_decode_str(raw)
                .decode_utf8_lossy()
                .to_string()
        });
        if let Some(open) = s.find('(') {
            if s.ends_with(')') {
                let name = s[..open].to_string();
                let inner = &s[open + 1..s.len() - 1];
                out.push(name);
                if !inner.is_empty() {
                    let inner = inner.trim_matches('\'').to_string();
                    out.push(inner.replace("''", "'"));
                }
                continue;
            }
        }
        out.push(s);
    }
    out
}

fn context(ctx: &Ctx, set: &str, select: Option<&[String]>) -> String {
    match select {
        Some(s) => format!("{}/$metadata#{}({})", ctx.graph, set, s.join(",")),
        None => format!("{}/$metadata#{}", ctx.graph, set),
    }
}

fn check_select(q: &Query, known: &[&str], ty: &str) -> Result<(), GErr> {
    if let Some(sel) = &q.select {
        for s in sel {
            let ok = known.iter().any(|k| k.eq_ignore_ascii_case(s)) || s.starts_with("extension_") || s.contains('_');
            if !ok {
                return Err(GErr::bad_request(format!(
                    "Could not find a property named '{s}' on type 'microsoft.graph.{ty}'."
                )));
            }
        }
    }
    Ok(())
}

/// A page position inside a collection.
enum Cursor {
    After(String),
    Offset(usize),
}

/// Decodes `$skiptoken` into (original query, cursor). The original query replaces the request's.
/// (original query, cursor, whether the original request was an advanced query)
type Resumed = (Vec<(String, String)>, Cursor, bool);

/// Yields a collection's items in stable order, optionally starting after an id.
type Items<'a> = dyn Fn(Option<&str>) -> Box<dyn Iterator<Item = (Kind, &'a Map<String, Value>)> + 'a> + 'a;

fn resume(key: &[u8], req: &GReq) -> Result<Option<Resumed>, GErr> {
    let Some(tok) = req
        .query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("$skiptoken"))
        .map(|x| x.1.clone())
    else {
        return Ok(None);
    };
    let expired = || {
        GErr::bad(
            "Directory_ExpiredPageToken",
            "The specified page token value has expired and can no longer be included in your request.",
        )
    };
    let v = unseal(key, &tok).ok_or_else(expired)?;
    if v.get("p").and_then(Value::as_str) != Some(req.path.as_str()) {
        return Err(expired());
    }
    let q: Vec<(String, String)> =
        serde_json::from_value(v.get("q").cloned().unwrap_or(json!([]))).map_err(|_| expired())?;
    let cur = if let Some(a) = v.get("a").and_then(Value::as_str) {
        Cursor::After(a.to_string())
    } else {
        Cursor::Offset(v.get("o").and_then(Value::as_u64).unwrap_or(0) as usize)
    };
    Ok(Some((q, cur, v.get("e").and_then(Value::as_bool).unwrap_or(false))))
}

fn next_link(ctx: &Ctx, key: &[u8], req_path: &str, q: &[(String, String)], cur: Cursor, eventual: bool) -> String {
    let mut v = json!({"p": req_path, "q": q, "e": eventual});
    match cur {
        Cursor::After(a) => v["a"] = json!(a),
        Cursor::Offset(o) => v["o"] = json!(o),
    }
    format!("{}{}?$skiptoken={}", ctx.graph, req_path, seal(key, &v))
}

pub struct ListSpec<'a> {
    pub set: &'a str,
    pub ty: &'a str,
    pub known: &'a [&'a str],
    pub defaults: &'a [&'a str],
    pub hidden: &'a [&'a str],
    pub advanced_only: &'a [&'a str],
    /// Adds `@odata.type` to each item (directoryObject collections).
    pub typed: bool,
    /// Whether this collection supports `$top`/paging at all.
    pub paged: bool,
}

/// Lists a collection with Graph's query semantics. `items` must be in a stable (id) order;
/// `by_id` lets plain listing resume from an id without scanning.
fn list_objects<'a>(ctx: &Ctx, key: &[u8], req: &GReq, spec: &ListSpec, items: &Items<'a>) -> GResult {
    let (query_pairs, cursor, tok_eventual) = match resume(key, req)? {
        Some((q, c, e)) => (q, Some(c), e),
        None => (req.query.clone(), None, false),
    };
    let eventual = req.eventual() || tok_eventual;
    let q = Query::parse(&query_pairs, eventual)?;
    check_select(&q, spec.known, spec.ty)?;
    q.check_advanced(spec.advanced_only)?;
    if let Some(f) = &q.filter {
        let mut props = Vec::new();
        f.properties(&mut props);
        for p in props {
            let base = p.split('/').next().unwrap_or(&p);
            if !spec.known.iter().any(|k| k.eq_ignore_ascii_case(base)) {
                return Err(GErr::bad_request(format!(
                    "Could not find a property named '{base}' on type 'microsoft.graph.{}'.",
                    spec.ty
                )));
            }
        }
    }
    let top = if spec.paged { q.top.unwrap_or(100) } else { usize::MAX };
    let matches = |m: &Map<String, Value>| {
        q.filter.as_ref().map(|f| f.eval(m)).unwrap_or(true) && q.search.as_ref().map(|s| s.eval(m)).unwrap_or(true)
    };
    let render = |kind: Kind, m: &Map<String, Value>| {
        let mut o = project(m, q.select.as_deref(), spec.defaults, spec.hidden);
        if spec.typed {
            let defaults: &[&str] = if kind == Kind::User {
                store::USER_DIR_OBJECT
            } else {
                &[]
            };
            o = project(m, q.select.as_deref(), defaults, store::USER_HIDDEN);
            o.insert("@odata.type".into(), json!(kind.odata_type()));
        }
        Value::Object(o)
    };
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(context(ctx, spec.set, q.select.as_deref())),
    );
    let count_wanted = q.count && eventual;
    let mut value = Vec::new();
    let mut next = None;
    if q.orderby.is_empty() && q.search.is_none() {
        let after = match &cursor {
            Some(Cursor::After(a)) => Some(a.as_str()),
            _ => None,
        };
        let mut last = None;
        let mut more = false;
        for (kind, m) in items(after) {
            if !matches(m) {
                continue;
            }
            if value.len() == top {
                more = true;
                break;
            }
            last = m.get("id").and_then(Value::as_str).map(str::to_string);
            value.push(render(kind, m));
        }
        if more {
            if let Some(l) = last {
                next = Some(next_link(ctx, key, &req.path, &query_pairs, Cursor::After(l), eventual));
            }
        }
        if count_wanted {
            let n = items(None).filter(|(_, m)| matches(m)).count();
            body.insert("@odata.count".into(), json!(n));
        }
    } else {
        let mut all: Vec<(Kind, &Map<String, Value>)> = items(None).filter(|(_, m)| matches(m)).collect();
        if !q.orderby.is_empty() {
            let mut refs: Vec<&Map<String, Value>> = all.iter().map(|x| x.1).collect();
            q.sort(&mut refs);
            let kinds: std::collections::HashMap<*const Map<String, Value>, Kind> =
                all.iter().map(|(k, m)| (*m as *const _, *k)).collect();
            all = refs
                .into_iter()
                .map(|m| (kinds.get(&(m as *const _)).copied().unwrap_or(Kind::User), m))
                .collect();
        }
        let off = match cursor {
            Some(Cursor::Offset(o)) => o,
            _ => 0,
        };
        if count_wanted {
            body.insert("@odata.count".into(), json!(all.len()));
        }
        for (k, m) in all.iter().skip(off).take(top) {
            value.push(render(*k, m));
        }
        if off.saturating_add(top) < all.len() {
            next = Some(next_link(
                ctx,
                key,
                &req.path,
                &query_pairs,
                Cursor::Offset(off + top),
                eventual,
            ));
        }
    }
    if let Some(n) = next {
        body.insert("@odata.nextLink".into(), json!(n));
    }
    body.insert("value".into(), Value::Array(value));
    Ok(GResp::ok(Value::Object(body)))
}

fn count_text(req: &GReq, n: usize) -> GResult {
    if !req.eventual() {
        return Err(GErr::bad_request("$count is not currently supported."));
    }
    Ok(GResp::text(n.to_string()))
}

fn get_one(ctx: &Ctx, req: &GReq, m: &Map<String, Value>, spec: &ListSpec) -> GResult {
    let q = Query::parse(&req.query, req.eventual())?;
    check_select(&q, spec.known, spec.ty)?;
    let mut o = project(m, q.select.as_deref(), spec.defaults, spec.hidden);
    let ctxs = match &q.select {
        Some(s) => format!("{}/$metadata#{}({})/$entity", ctx.graph, spec.set, s.join(",")),
        None => format!("{}/$metadata#{}/$entity", ctx.graph, spec.set),
    };
    o.insert("@odata.context".into(), json!(ctxs));
    Ok(GResp::ok(Value::Object(o)))
}

fn entity(ctx: &Ctx, set: &str, m: &Map<String, Value>) -> Value {
    let mut o = m.clone();
    o.insert(
        "@odata.context".into(),
        json!(format!("{}/$metadata#{}/$entity", ctx.graph, set)),
    );
    Value::Object(o)
}

fn odata_id(body: &Map<String, Value>) -> Result<String, GErr> {
    body.get("@odata.id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| GErr::bad_request("Invalid object identifier ''."))
}

const USERS: ListSpec = ListSpec {
    set: "users",
    ty: "user",
    known: store::USER_PROPS,
    defaults: store::USER_DEFAULT,
    hidden: store::USER_HIDDEN,
    advanced_only: store::USER_ADVANCED_ONLY,
    typed: false,
    paged: true,
};
const GROUPS: ListSpec = ListSpec {
    set: "groups",
    ty: "group",
    known: store::GROUP_PROPS,
    defaults: &[],
    hidden: &[],
    advanced_only: &[],
    typed: false,
    paged: true,
};
const DIR_OBJECTS: ListSpec = ListSpec {
    set: "directoryObjects",
    ty: "directoryObject",
    known: &[],
    defaults: &[],
    hidden: &[],
    advanced_only: &[],
    typed: true,
    paged: true,
};

/// `Prefer: return=representation` turns an update's 204 into 200 with the updated object.
fn wants_representation(req: &GReq) -> bool {
    req.header("prefer")
        .map(|p| p.to_ascii_lowercase().contains("return=representation"))
        .unwrap_or(false)
}

/// Writes to the directory need an Entra role in delegated mode (cards.md §0.1).
fn need_admin(t: &Tenant, req: &GReq) -> Result<(), GErr> {
    if t.is_admin(&req.caller.oid) {
        Ok(())
    } else {
        Err(GErr::forbidden())
    }
}

/// Dispatches one Graph request against the tenant.
pub fn dispatch(t: &mut Tenant, ctx: &Ctx, req: &GReq) -> GResult {
    // `/users/$x@contoso.com` is read as an OData system segment: Graph answers 400 and a UPN that
    // starts with `$` must be written `/users('$x@contoso.com')` (user-get reference).
    if let Some(raw) = req.path.split('/').filter(|s| !s.is_empty()).nth(1) {
        let raw = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        if raw.starts_with('$')
            && raw != "$count"
            && raw != "$ref"
            && req.path.trim_start_matches('/').starts_with("users/")
        {
            return Err(GErr::bad(
                "BadRequest",
                format!("Resource not found for the segment '{raw}'."),
            ));
        }
    }
    let mut segs = segments(&req.path);
    if segs.first().map(String::as_str) == Some("me") {
        segs[0] = req.caller.oid.clone();
        segs.insert(0, "users".into());
    }
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let m = req.method.clone();
    let key = t.token_key.clone().into_bytes();
    let key = key.as_slice();
    match (&m, s.as_slice()) {
        // ---------------- users ----------------
        (&Method::GET, ["users"]) => {
            let users = &t.users;
            list_objects(ctx, key, req, &USERS, &|after| match after {
                Some(a) => Box::new(
                    users
                        .range::<str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
                        .map(|(_, r)| (Kind::User, &r.data)),
                ),
                None => Box::new(users.values().map(|r| (Kind::User, &r.data))),
            })
        }
        (&Method::GET, ["users", "$count"]) => {
            let q = Query::parse(&req.query, req.eventual())?;
            let n = t
                .users
                .values()
                .filter(|r| q.filter.as_ref().map(|f| f.eval(&r.data)).unwrap_or(true))
                .count();
            count_text(req, n)
        }
        (&Method::POST, ["users"]) => {
            need_admin(t, req)?;
            let body = req.body_obj()?;
            let u = t.create_user(&body)?;
            // Graph answers with the default property set of the new user.
            let o = project(&u, None, store::USER_DEFAULT, store::USER_HIDDEN);
            Ok(GResp::created(entity(ctx, "users", &o)))
        }
        (_, ["users", "delta"]) if m == Method::GET => crate::delta::delta(t, ctx, req, Kind::User),
        (&Method::GET, ["groups", "delta"]) => crate::delta::delta(t, ctx, req, Kind::Group),
        (&Method::GET, ["users", id]) => {
            let id = t.user_id(id)?;
            let u = &t.users[&id];
            get_one(ctx, req, &u.data, &USERS)
        }
        (&Method::PATCH, ["users", id]) => {
            let id = t.user_id(id)?;
            if id != req.caller.oid {
                need_admin(t, req)?;
            }
            let body = req.body_obj()?;
            t.update_user(&id, &body)?;
            if wants_representation(req) {
                let u = &t.users[&id];
                return Ok(GResp::ok(entity(
                    ctx,
                    "users",
                    &project(&u.data, None, store::USER_DEFAULT, store::USER_HIDDEN),
                )));
            }
            Ok(GResp::no_content())
        }
        (&Method::DELETE, ["users", id]) => {
            need_admin(t, req)?;
            let id = t.user_id(id)?;
            t.delete_user(&id)?;
            Ok(GResp::no_content())
        }
        (&Method::GET, ["users", id, rel @ ("memberOf" | "transitiveMemberOf")]) => {
            let id = t.user_id(id)?;
            let ids = if *rel == "memberOf" {
                member_of(t, &id)
            } else {
                transitive_member_of(t, &id)
            };
            list_dir_objects(t, ctx, key, req, &ids, None)
        }
        (&Method::GET, ["users", id, rel @ ("memberOf" | "transitiveMemberOf"), cast]) => {
            let id = t.user_id(id)?;
            let ids = if *rel == "memberOf" {
                member_of(t, &id)
            } else {
                transitive_member_of(t, &id)
            };
            list_dir_objects(t, ctx, key, req, &ids, Some(cast))
        }
        (&Method::GET, ["users", id, "manager"]) => {
            let id = t.user_id(id)?;
            let mid = t.manager.get(&id).cloned().ok_or_else(|| GErr::not_found("manager"))?;
            let (k, r) = t.object(&mid).ok_or_else(|| GErr::not_found("manager"))?;
            let q = Query::parse(&req.query, req.eventual())?;
            let mut o = project(
                &r.data,
                q.select.as_deref(),
                if k == Kind::User { store::USER_DEFAULT } else { &[] },
                store::USER_HIDDEN,
            );
            o.insert("@odata.type".into(), json!(k.odata_type()));
            o.insert(
                "@odata.context".into(),
                json!(format!("{}/$metadata#directoryObjects/$entity", ctx.graph)),
            );
            Ok(GResp::ok(Value::Object(o)))
        }
        (&Method::PUT, ["users", id, "manager", "$ref"]) => {
            need_admin(t, req)?;
            let id = t.user_id(id)?;
            let body = req.body_obj()?;
            let mid = t.id_from_odata_id(&odata_id(&body)?)?;
            t.set_manager(&id, Some(mid))?;
            Ok(GResp::no_content())
        }
        (&Method::DELETE, ["users", id, "manager", "$ref"]) => {
            need_admin(t, req)?;
            let id = t.user_id(id)?;
            t.set_manager(&id, None)?;
            Ok(GResp::no_content())
        }
        (&Method::GET, ["users", id, "directReports"]) => {
            let id = t.user_id(id)?;
            let ids: Vec<String> = t
                .manager
                .iter()
                .filter(|(_, m)| **m == id)
                .map(|(u, _)| u.clone())
                .collect();
            list_dir_objects(t, ctx, key, req, &ids, None)
        }
        (&Method::POST, ["users", id, "assignLicense"]) => {
            need_admin(t, req)?;
            let id = t.user_id(id)?;
            let body = req.body_obj()?;
            t.assign_license(&id, &body)?;
            let u = &t.users[&id];
            // assignLicense answers with the user object, licences included.
            let o = project(&u.data, None, store::USER_LICENSED, store::USER_HIDDEN);
            Ok(GResp::ok(entity(ctx, "users", &o)))
        }
        (&Method::GET, ["users", id, "licenseDetails"]) => {
            let id = t.user_id(id)?;
            let lic = t.users[&id]
                .data
                .get("assignedLicenses")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let mut out = Vec::new();
            for l in lic {
                let sku_id = l.get("skuId").and_then(Value::as_str).unwrap_or_default();
                let disabled: Vec<String> = l
                    .get("disabledPlans")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(|x| x.as_str().map(fold)).collect())
                    .unwrap_or_default();
                if let Some(sku) = t.skus.iter().find(|k| {
                    k.get("skuId")
                        .and_then(Value::as_str)
                        .map(|x| x.eq_ignore_ascii_case(sku_id))
                        .unwrap_or(false)
                }) {
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
                json!({"@odata.context": format!("{}/$metadata#users('{}')/licenseDetails", ctx.graph, id), "value": out}),
            ))
        }
        (&Method::POST, ["users", id, "revokeSignInSessions"]) => {
            let id = t.user_id(id)?;
            if id != req.caller.oid {
                need_admin(t, req)?;
            }
            if let Some(u) = t.users.get_mut(&id) {
                u.data
                    .insert("signInSessionsValidFromDateTime".into(), json!(iso_now()));
            }
            t.revoked.insert(id.clone(), ctx.now_ms);
            Ok(GResp::ok(
                json!({"@odata.context": format!("{}/$metadata#Edm.Boolean", ctx.graph), "value": true}),
            ))
        }
        (_, ["users", id, "contacts", ..]) | (_, ["users", id, "contactFolders", ..]) => {
            let id = t.user_id(id)?;
            if id != req.caller.oid {
                need_admin(t, req)?;
            }
            crate::contacts::dispatch(t, ctx, req, &id, &s[2..])
        }

        // ---------------- groups ----------------
        (&Method::GET, ["groups"]) => {
            let groups = &t.groups;
            list_objects(ctx, key, req, &GROUPS, &|after| match after {
                Some(a) => Box::new(
                    groups
                        .range::<str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
                        .map(|(_, r)| (Kind::Group, &r.data)),
                ),
                None => Box::new(groups.values().map(|r| (Kind::Group, &r.data))),
            })
        }
        (&Method::GET, ["groups", "$count"]) => {
            let q = Query::parse(&req.query, req.eventual())?;
            let n = t
                .groups
                .values()
                .filter(|r| q.filter.as_ref().map(|f| f.eval(&r.data)).unwrap_or(true))
                .count();
            count_text(req, n)
        }
        (&Method::POST, ["groups"]) => {
            need_admin(t, req)?;
            let body = req.body_obj()?;
            let g = t.create_group(&body)?;
            Ok(GResp::created(entity(ctx, "groups", &g)))
        }
        (&Method::GET, ["groups", id]) => {
            let id = t.group_id(id)?;
            let g = &t.groups[&id];
            get_one(ctx, req, &g.data, &GROUPS)
        }
        (&Method::PATCH, ["groups", id]) => {
            need_admin(t, req)?;
            let id = t.group_id(id)?;
            let body = req.body_obj()?;
            t.update_group(&id, &body)?;
            if wants_representation(req) {
                return Ok(GResp::ok(entity(ctx, "groups", &t.groups[&id].data)));
            }
            Ok(GResp::no_content())
        }
        (&Method::DELETE, ["groups", id]) => {
            need_admin(t, req)?;
            let id = t.group_id(id)?;
            t.delete_group(&id)?;
            Ok(GResp::no_content())
        }
        (&Method::GET, ["groups", id, rel @ ("members" | "owners" | "transitiveMembers")]) => {
            let id = t.group_id(id)?;
            let ids = group_rel(t, &id, rel);
            list_dir_objects(t, ctx, key, req, &ids, None)
        }
        (&Method::GET, ["groups", id, rel @ ("members" | "owners" | "transitiveMembers"), "$count"]) => {
            let id = t.group_id(id)?;
            count_text(req, group_rel(t, &id, rel).len())
        }
        (&Method::GET, ["groups", id, rel @ ("members" | "transitiveMembers"), cast]) => {
            let id = t.group_id(id)?;
            let ids = group_rel(t, &id, rel);
            list_dir_objects(t, ctx, key, req, &ids, Some(cast))
        }
        (&Method::GET, ["groups", id, rel @ ("members" | "transitiveMembers"), cast, "$count"]) => {
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
            count_text(req, n)
        }
        (&Method::POST, ["groups", id, "assignLicense"]) => {
            need_admin(t, req)?;
            let id = t.group_id(id)?;
            let body = req.body_obj()?;
            t.assign_group_license(&id, &body)?;
            let g = &t.groups[&id];
            Ok(GResp::json(StatusCode::ACCEPTED, entity(ctx, "groups", &g.data)))
        }
        (&Method::GET, ["groups", id, "memberOf"]) => {
            let id = t.group_id(id)?;
            let ids = member_of(t, &id);
            list_dir_objects(t, ctx, key, req, &ids, None)
        }
        (&Method::POST, ["groups", id, "members", "$ref"]) => {
            need_admin(t, req)?;
            let id = t.group_id(id)?;
            let body = req.body_obj()?;
            let mid = t.id_from_odata_id(&odata_id(&body)?)?;
            t.add_member(&id, &mid)?;
            Ok(GResp::no_content())
        }
        (&Method::DELETE, ["groups", id, "members", mid, "$ref"]) => {
            need_admin(t, req)?;
            let id = t.group_id(id)?;
            t.remove_member(&id, mid)?;
            Ok(GResp::no_content())
        }
        (&Method::POST, ["groups", id, "owners", "$ref"]) => {
            need_admin(t, req)?;
            let id = t.group_id(id)?;
            let body = req.body_obj()?;
            let oid = t.id_from_odata_id(&odata_id(&body)?)?;
            t.add_owner(&id, &oid)?;
            Ok(GResp::no_content())
        }
        (&Method::DELETE, ["groups", id, "owners", oid, "$ref"]) => {
            need_admin(t, req)?;
            let id = t.group_id(id)?;
            t.remove_owner(&id, oid)?;
            Ok(GResp::no_content())
        }

        // ---------------- roles ----------------
        (&Method::GET, ["directoryRoles"]) => {
            let q = Query::parse(&req.query, req.eventual())?;
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
                json!({"@odata.context": context(ctx, "directoryRoles", q.select.as_deref()), "value": v}),
            ))
        }
        (&Method::POST, ["directoryRoles"]) => {
            need_admin(t, req)?;
            let body = req.body_obj()?;
            let tpl = body.get("roleTemplateId").and_then(Value::as_str).ok_or_else(|| {
                GErr::bad_request("Invalid value specified for property 'roleTemplateId' of resource 'DirectoryRole'.")
            })?;
            if t.roles
                .iter()
                .any(|r| r.get("roleTemplateId").and_then(Value::as_str) == Some(tpl))
            {
                return Err(GErr::bad_request("A conflicting object with one or more of the specified property values is present in the directory."));
            }
            let r = t.activate_role(tpl)?;
            Ok(GResp::created(entity(ctx, "directoryRoles", &r)))
        }
        (_, ["directoryRoles", rid, rest @ ..]) => {
            let role = find_role(t, rid)?;
            let tpl = role
                .get("roleTemplateId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            match (&m, rest) {
                (&Method::GET, []) => get_one(
                    ctx,
                    req,
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
                    list_dir_objects(t, ctx, key, req, &ids, None)
                }
                (&Method::POST, ["members", "$ref"]) => {
                    need_admin(t, req)?;
                    let body = req.body_obj()?;
                    let pid = t.id_from_odata_id(&odata_id(&body)?)?;
                    if t.role_members(&tpl).contains(&pid) {
                        return Err(GErr::bad_request("One or more added object references already exist for the following modified properties: 'members'."));
                    }
                    t.assign_role(&pid, &tpl, "/")?;
                    Ok(GResp::no_content())
                }
                (&Method::DELETE, ["members", pid, "$ref"]) => {
                    need_admin(t, req)?;
                    let before = t.assignments.len();
                    t.assignments.retain(|a| {
                        !(a.get("principalId").and_then(Value::as_str) == Some(*pid)
                            && a.get("roleDefinitionId").and_then(Value::as_str) == Some(tpl.as_str()))
                    });
                    if before == t.assignments.len() {
                        return Err(GErr::not_found(pid));
                    }
                    Ok(GResp::no_content())
                }
                _ => Err(GErr::no_route()),
            }
        }
        (&Method::GET, ["directoryRoleTemplates"]) => {
            let v: Vec<Value> = store::role_templates()
                .iter()
                .map(|x| Value::Object(x.clone()))
                .collect();
            Ok(GResp::ok(
                json!({"@odata.context": context(ctx, "directoryRoleTemplates", None), "value": v}),
            ))
        }
        (&Method::GET, ["directoryRoleTemplates", id]) => {
            let tpl = store::role_templates()
                .iter()
                .find(|x| x.get("id").and_then(Value::as_str) == Some(*id))
                .ok_or_else(|| GErr::not_found(id))?;
            Ok(GResp::ok(entity(ctx, "directoryRoleTemplates", tpl)))
        }
        (&Method::GET, ["roleManagement", "directory", "roleDefinitions"]) => {
            let q = Query::parse(&req.query, req.eventual())?;
            let v: Vec<Value> = role_definitions()
                .into_iter()
                .filter(|r| q.filter.as_ref().map(|f| f.eval(r)).unwrap_or(true))
                .map(|r| Value::Object(project(&r, q.select.as_deref(), &[], &[])))
                .collect();
            Ok(GResp::ok(
                json!({"@odata.context": context(ctx, "roleManagement/directory/roleDefinitions", q.select.as_deref()), "value": v}),
            ))
        }
        (&Method::GET, ["roleManagement", "directory", "roleDefinitions", id]) => {
            let d = role_definitions()
                .into_iter()
                .find(|r| r.get("id").and_then(Value::as_str) == Some(*id))
                .ok_or_else(|| GErr::not_found(id))?;
            get_one(
                ctx,
                req,
                &d,
                &ListSpec {
                    set: "roleManagement/directory/roleDefinitions",
                    ty: "unifiedRoleDefinition",
                    known: ROLE_DEF_PROPS,
                    ..GROUPS
                },
            )
        }
        (&Method::GET, ["roleManagement", "directory", "roleAssignments"]) => {
            let q = Query::parse(&req.query, req.eventual())?;
            let v: Vec<Value> = t
                .assignments
                .iter()
                .filter(|r| q.filter.as_ref().map(|f| f.eval(r)).unwrap_or(true))
                .map(|r| Value::Object(expand_assignment(t, r, q.expand.as_deref(), q.select.as_deref())))
                .collect();
            Ok(GResp::ok(
                json!({"@odata.context": context(ctx, "roleManagement/directory/roleAssignments", q.select.as_deref()), "value": v}),
            ))
        }
        (&Method::POST, ["roleManagement", "directory", "roleAssignments"]) => {
            need_admin(t, req)?;
            let body = req.body_obj()?;
            let pid = body.get("principalId").and_then(Value::as_str).ok_or_else(|| {
                GErr::bad_request(
                    "Invalid value specified for property 'principalId' of resource 'UnifiedRoleAssignment'.",
                )
            })?;
            let rdid = body.get("roleDefinitionId").and_then(Value::as_str).ok_or_else(|| {
                GErr::bad_request(
                    "Invalid value specified for property 'roleDefinitionId' of resource 'UnifiedRoleAssignment'.",
                )
            })?;
            let scope = body.get("directoryScopeId").and_then(Value::as_str).unwrap_or("/");
            let a = t.assign_role(pid, rdid, scope)?;
            Ok(GResp::created(entity(
                ctx,
                "roleManagement/directory/roleAssignments",
                &a,
            )))
        }
        (&Method::GET, ["roleManagement", "directory", "roleAssignments", id]) => {
            let a = t
                .assignments
                .iter()
                .find(|a| a.get("id").and_then(Value::as_str) == Some(*id))
                .cloned()
                .ok_or_else(|| GErr::not_found(id))?;
            let q = Query::parse(&req.query, req.eventual())?;
            Ok(GResp::ok(entity(
                ctx,
                "roleManagement/directory/roleAssignments",
                &expand_assignment(t, &a, q.expand.as_deref(), q.select.as_deref()),
            )))
        }
        (&Method::DELETE, ["roleManagement", "directory", "roleAssignments", id]) => {
            need_admin(t, req)?;
            let before = t.assignments.len();
            t.assignments
                .retain(|a| a.get("id").and_then(Value::as_str) != Some(*id));
            if before == t.assignments.len() {
                return Err(GErr::not_found(id));
            }
            Ok(GResp::no_content())
        }

        // ---------------- licences ----------------
        (&Method::GET, ["subscribedSkus"]) => {
            let v: Vec<Value> = t.skus.iter().map(|k| Value::Object(t.sku_view(k))).collect();
            Ok(GResp::ok(
                json!({"@odata.context": context(ctx, "subscribedSkus", None), "value": v}),
            ))
        }
        (&Method::GET, ["subscribedSkus", id]) => {
            let k = t
                .skus
                .iter()
                .find(|k| k.get("id").and_then(Value::as_str) == Some(*id))
                .ok_or_else(|| GErr::not_found(id))?;
            Ok(GResp::ok(entity(ctx, "subscribedSkus", &t.sku_view(k))))
        }

        // ---------------- invitations ----------------
        (&Method::POST, ["invitations"]) => {
            need_admin(t, req)?;
            let body = req.body_obj()?;
            invite(t, ctx, &body)
        }

        // ---------------- deleted items ----------------
        (&Method::GET, ["directory", "deletedItems", cast]) => {
            let kind = if cast.ends_with("user") {
                Kind::User
            } else if cast.ends_with("group") {
                Kind::Group
            } else {
                // GET /directory/deletedItems/{id}
                let d = t.deleted.get(*cast).ok_or_else(|| GErr::not_found(cast))?;
                let mut o = d.rec.data.clone();
                o.insert("@odata.type".into(), json!(d.kind.odata_type()));
                o.insert(
                    "@odata.context".into(),
                    json!(format!("{}/$metadata#directoryObjects/$entity", ctx.graph)),
                );
                return Ok(GResp::ok(Value::Object(o)));
            };
            let spec = if kind == Kind::User { &USERS } else { &GROUPS };
            let del = &t.deleted;
            let set = if kind == Kind::User {
                "directoryObjects/microsoft.graph.user"
            } else {
                "directoryObjects/microsoft.graph.group"
            };
            let defaults: &[&str] = if kind == Kind::User { DELETED_USER_DEFAULT } else { &[] };
            let spec = ListSpec { set, defaults, ..*spec };
            list_objects(ctx, key, req, &spec, &|after| {
                let it = del
                    .iter()
                    .filter(move |(_, d)| d.kind == kind)
                    .map(|(_, d)| (d.kind, &d.rec.data));
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
        (&Method::POST, ["directory", "deletedItems", id, "restore"]) => {
            need_admin(t, req)?;
            let data = t.restore(id)?;
            let kind = t.kind_of(id).unwrap_or(Kind::User);
            let mut o = data;
            o.insert("@odata.type".into(), json!(kind.odata_type()));
            o.insert(
                "@odata.context".into(),
                json!(format!("{}/$metadata#directoryObjects/$entity", ctx.graph)),
            );
            Ok(GResp::ok(Value::Object(o)))
        }
        (&Method::DELETE, ["directory", "deletedItems", id]) => {
            need_admin(t, req)?;
            t.purge(id)?;
            Ok(GResp::no_content())
        }
        (&Method::GET, ["organization"]) => Ok(GResp::ok(json!({
            "@odata.context": context(ctx, "organization", None),
            "value": [{
                "id": t.tenant_id, "displayName": "Contoso (practice tenant)", "tenantType": "AAD",
                "verifiedDomains": t.domains.iter().enumerate().map(|(i, d)| json!({"name": d, "isDefault": i == 0, "isInitial": d.ends_with(".onmicrosoft.com") && i == 1, "type": "Managed", "capabilities": "Email, OfficeCommunicationsOnline"})).collect::<Vec<_>>()
            }]
        }))),
        (_, ["users" | "groups" | "directoryRoles" | "subscribedSkus" | "invitations", ..]) => Err(GErr::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            format!("The HTTP method '{}' is not supported for this resource.", m),
        )),
        _ => Err(GErr::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!(
                "Resource not found for the segment '{}'.",
                s.first().copied().unwrap_or("")
            ),
        )),
    }
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

fn role_definitions() -> Vec<Map<String, Value>> {
    store::role_templates()
        .iter()
        .map(|t| {
            let id = t.get("id").cloned().unwrap_or(Value::Null);
            json!({"id": id, "description": t.get("description"), "displayName": t.get("displayName"), "isBuiltIn": true, "isEnabled": true,
                   "inheritsPermissionsFrom": [], "resourceScopes": ["/"], "templateId": id, "version": "1", "rolePermissions": []})
            .as_object()
            .cloned()
            .unwrap_or_default()
        })
        .collect()
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
                    &r.data,
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

/// Lists directory objects by id (members, memberOf, …) with `@odata.type` on each item.
fn list_dir_objects(t: &Tenant, ctx: &Ctx, key: &[u8], req: &GReq, ids: &[String], cast: Option<&str>) -> GResult {
    let want = cast.map(|c| c.trim_start_matches("microsoft.graph.").to_string());
    if let Some(w) = &want {
        const CASTS: &[&str] = &[
            "user",
            "group",
            "directoryRole",
            "device",
            "orgContact",
            "servicePrincipal",
            "application",
        ];
        if !CASTS.contains(&w.as_str()) {
            return Err(GErr::unsupported(format!(
                "The type cast to 'microsoft.graph.{w}' is not supported for this collection."
            )));
        }
    }
    let mut objs: Vec<(Kind, &Map<String, Value>)> = Vec::new();
    for id in ids {
        if let Some((k, r)) = t.object(id) {
            if let Some(w) = &want {
                let name = if k == Kind::User { "user" } else { "group" };
                if name != w {
                    continue;
                }
            }
            objs.push((k, &r.data));
        } else if let Some(role) = t
            .roles
            .iter()
            .find(|r| r.get("id").and_then(Value::as_str) == Some(id.as_str()))
        {
            if want.is_some() && want.as_deref() != Some("directoryRole") {
                continue;
            }
            objs.push((Kind::Group, role));
        }
    }
    let roles: std::collections::HashSet<String> = t
        .roles
        .iter()
        .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let objs_ref = &objs;
    let spec = ListSpec {
        known: known_dir(),
        ..DIR_OBJECTS
    };
    // Members keep insertion order; a page resumes after the last id it returned.
    let mut resp = list_objects(ctx, key, req, &spec, &|after| {
        let start = match after {
            Some(a) => objs_ref
                .iter()
                .position(|(_, m)| m.get("id").and_then(Value::as_str) == Some(a))
                .map(|p| p + 1)
                .unwrap_or(objs_ref.len()),
            None => 0,
        };
        Box::new(objs_ref[start..].iter().map(|(k, m)| (*k, *m)))
    })?;
    // Directory roles are not groups: fix their @odata.type after rendering.
    if let crate::error::Body::Json(Value::Object(b)) = &mut resp.body {
        if let Some(Value::Array(items)) = b.get_mut("value") {
            for it in items {
                let id = it.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
                if roles.contains(&id) {
                    it["@odata.type"] = json!("#microsoft.graph.directoryRole");
                }
            }
        }
    }
    Ok(resp)
}

/// Properties a directoryObject collection can select or filter on: any user, group or role property.
fn known_dir() -> &'static [&'static str] {
    static K: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    K.get_or_init(|| {
        let mut v: Vec<&'static str> = store::USER_PROPS
            .iter()
            .chain(store::GROUP_PROPS.iter())
            .copied()
            .collect();
        v.extend(["description", "roleTemplateId"]);
        v.sort_unstable();
        v.dedup();
        v
    })
}

fn invite(t: &mut Tenant, ctx: &Ctx, body: &Map<String, Value>) -> GResult {
    let email = body
        .get("invitedUserEmailAddress")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if email.is_empty() || !email.contains('@') {
        return Err(GErr::bad("BadRequest", "The invited user email address is invalid."));
    }
    let redirect = body
        .get("inviteRedirectUrl")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if redirect.is_empty() {
        return Err(GErr::bad("BadRequest", "The invite redirect URL is required."));
    }
    let existing = t
        .users
        .values()
        .find(|u| {
            u.data
                .get("mail")
                .and_then(Value::as_str)
                .map(|m| m.eq_ignore_ascii_case(&email))
                .unwrap_or(false)
        })
        .map(|u| u.id().to_string());
    let uid = match existing {
        Some(id) => id,
        None => {
            let upn = format!("{}#EXT#@contoso.onmicrosoft.com", email.replace('@', "_"));
            let display = body
                .get("invitedUserDisplayName")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let user_type = body.get("invitedUserType").and_then(Value::as_str).unwrap_or("Guest");
            let id = t.next_id();
            let seq = t.next_seq();
            t.log.push(store::LogEntry {
                seq,
                change: store::Change::Touch {
                    kind: Kind::User,
                    id: id.clone(),
                },
            });
            let m = json!({"id": id, "displayName": display, "userPrincipalName": upn, "mail": email, "userType": user_type, "accountEnabled": true,
                           "creationType": "Invitation", "externalUserState": "PendingAcceptance", "externalUserStateChangeDateTime": iso_now(),
                           "createdDateTime": iso_now(), "otherMails": [email], "businessPhones": [], "assignedLicenses": [],
                           "mailNickname": email.replace('@', "_")});
            t.insert_user(m.as_object().cloned().unwrap_or_default(), seq);
            id
        }
    };
    let inv_id = t.next_id();
    let redeem = format!("https://login.microsoftonline.com/redeem?rd=practice-{}", inv_id);
    let out = json!({
        "@odata.context": format!("{}/$metadata#invitations/$entity", ctx.graph),
        "id": inv_id,
        "inviteRedeemUrl": redeem,
        "invitedUserDisplayName": body.get("invitedUserDisplayName").cloned().unwrap_or(Value::Null),
        "invitedUserEmailAddress": email,
        "invitedUserType": body.get("invitedUserType").cloned().unwrap_or(json!("Guest")),
        "resetRedemption": false,
        "sendInvitationMessage": body.get("sendInvitationMessage").cloned().unwrap_or(json!(false)),
        "invitedUserMessageInfo": body.get("invitedUserMessageInfo").cloned().unwrap_or(json!({"messageLanguage": null, "ccRecipients": [], "customizedMessageBody": null})),
        "inviteRedirectUrl": redirect,
        "status": "PendingAcceptance",
        "invitedUser": {"id": uid},
    });
    Ok(GResp::created(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_bearer_token() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer secret-token-value".parse().unwrap());
        let r = GReq {
            method: Method::GET,
            path: "/me".into(),
            query: vec![],
            headers,
            body: None,
            caller: Caller { oid: "x".into() },
        };
        assert!(!format!("{r:?}").contains("secret-token-value"));
    }

    #[test]
    fn segments_decode_keys_and_function_forms() {
        assert_eq!(
            segments("/users('AdeleV%40contoso.com')/memberOf"),
            vec!["users", "AdeleV@contoso.com", "memberOf"]
        );
        assert_eq!(
            segments("/users/a_b.com%23EXT%23@contoso.onmicrosoft.com"),
            vec!["users", "a_b.com#EXT#@contoso.onmicrosoft.com"]
        );
        assert_eq!(segments("/users/delta()"), vec!["users", "delta"]);
        assert_eq!(segments("/groups/microsoft.graph.delta()"), vec!["groups", "delta"]);
        assert_eq!(
            segments("/users/x/microsoft.graph.assignLicense"),
            vec!["users", "x", "assignLicense"]
        );
        assert_eq!(
            segments("/groups/g/members/microsoft.graph.user"),
            vec!["groups", "g", "members", "microsoft.graph.user"]
        );
        assert_eq!(
            segments("/directoryRoles(roleTemplateId='abc')"),
            vec!["directoryRoles", "roleTemplateId='abc"]
        );
    }
}

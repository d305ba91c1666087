//! HTTP plumbing: shared state, the router, the Graph front door (auth, faults, request ids,
//! latency, request log) and debounced persistence.

use crate::auth::{self, AuthState};
use crate::error::{Body as GBody, GErr, GResp};
use crate::faults::{retry_after_value, FaultKind, Faults};
use crate::graph::{self, Ctx, GReq};
use crate::store::Tenant;
use crate::util::new_guid;
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

#[derive(Debug, Clone, Serialize)]
pub struct LogLine {
    pub seq: u64,
    pub time: String,
    pub method: String,
    /// Path and query (Graph) or path only (sign-in endpoints). Never headers or bodies.
    pub path: String,
    pub status: u16,
    pub request_id: String,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Counters {
    pub requests: u64,
    pub by_status: BTreeMap<u16, u64>,
    pub by_route: BTreeMap<String, u64>,
    pub faults: u64,
    pub batches: u64,
}

pub struct Shared {
    pub base: String,
    pub graph: String,
    pub tenant_id: String,
    pub client_id: String,
    pub tenant: Mutex<Tenant>,
    pub auth: Mutex<AuthState>,
    pub faults: Mutex<Faults>,
    pub log: Mutex<VecDeque<LogLine>>,
    pub counters: Mutex<Counters>,
    pub log_seq: AtomicU64,
    pub clock_offset_ms: AtomicI64,
    pub latency_ms: AtomicU64,
    pub jwt_key: Vec<u8>,
    pub txn_key: Vec<u8>,
    pub access_ttl_secs: i64,
    pub delta_ttl_ms: AtomicI64,
    pub delta_page: AtomicU64,
    pub seed: u64,
    pub generate: Option<(usize, usize)>,
    pub state_file: Option<PathBuf>,
    pub dirty: Notify,
}

impl Shared {
    /// The sandbox clock: wall clock plus the offset `/_sandbox/clock` adds (for expiry tests).
    pub fn now_ms(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
            + self.clock_offset_ms.load(Ordering::Relaxed)
    }

    pub fn ctx(&self) -> Ctx {
        Ctx {
            graph: self.graph.clone(),
            now_ms: self.now_ms(),
            delta_ttl_ms: self.delta_ttl_ms.load(Ordering::Relaxed),
            delta_page: self.delta_page.load(Ordering::Relaxed) as usize,
        }
    }

    pub fn record(&self, mut line: LogLine, route: String) {
        line.seq = self.log_seq.fetch_add(1, Ordering::Relaxed) + 1;
        if let Ok(mut c) = self.counters.lock() {
            c.requests += 1;
            *c.by_status.entry(line.status).or_default() += 1;
            *c.by_route.entry(route).or_default() += 1;
            if line.fault.is_some() {
                c.faults += 1;
            }
        }
        if let Ok(mut l) = self.log.lock() {
            if l.len() >= 2000 {
                l.pop_front();
            }
            l.push_back(line);
        }
    }

    pub fn mark_dirty(&self) {
        if self.state_file.is_some() {
            self.dirty.notify_one();
        }
    }

    /// Writes the tenant to the state file (atomically: temp file + rename).
    pub async fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.state_file else { return Ok(()) };
        let json = {
            let t = self
                .tenant
                .lock()
                .map_err(|_| std::io::Error::other("tenant lock poisoned"))?;
            serde_json::to_vec(&*t).map_err(std::io::Error::other)?
        };
        if let Some(dir) = path.parent() {
            if !dir.as_os_str().is_empty() {
                tokio::fs::create_dir_all(dir).await?;
            }
        }
        let tmp = path.with_extension("tmp");
        tokio::fs::write(&tmp, json).await?;
        tokio::fs::rename(&tmp, path).await
    }
}

/// Route label for counters: method + path with ids replaced by `{id}`.
pub fn route_label(method: &str, path: &str) -> String {
    let segs: Vec<String> = graph::segments(path)
        .into_iter()
        .map(|s| {
            if crate::util::is_guid(&s) || s.contains('@') || s.len() > 40 {
                "{id}".to_string()
            } else {
                s
            }
        })
        .collect();
    format!("{} /{}", method, segs.join("/"))
}

pub const JSON_CT: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

pub fn to_response(r: GResp, request_id: &str, client_request_id: &str) -> Response {
    let mut resp = match r.body {
        GBody::None => Response::new(Body::empty()),
        GBody::Json(v) => {
            let mut x = Response::new(Body::from(serde_json::to_vec(&v).unwrap_or_default()));
            x.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CT));
            x
        }
        GBody::Text(t) => Response::new(Body::from(t)),
    };
    *resp.status_mut() = r.status;
    let h = resp.headers_mut();
    for (k, v) in r.headers {
        if let (Ok(k), Ok(v)) = (HeaderName::try_from(k.as_str()), HeaderValue::from_str(&v)) {
            h.insert(k, v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(client_request_id) {
        h.insert("client-request-id", v);
    }
    h.insert("x-ms-ags-diagnostic", HeaderValue::from_static(r#"{"ServerInfo":{"DataCenter":"Practice","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"SANDBOX"}}"#));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

/// A fault's error as Graph sends it.
pub fn fault_error(kind: FaultKind, retry: Option<u64>, http_date: bool, now_ms: i64, tenant: &str) -> GErr {
    match kind {
        FaultKind::Throttle => {
            let secs = retry.unwrap_or(5);
            GErr::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                format!("Too many requests from Identifier:{tenant} under category:throttle.aad.ags.graph.ags. Please try again later."),
            )
            .header("retry-after", retry_after_value(secs, http_date, now_ms))
        }
        FaultKind::Unavailable => {
            let e = GErr::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceUnavailable",
                "Service Unavailable. Please try again later.",
            );
            match retry {
                Some(s) => e.header("retry-after", retry_after_value(s, http_date, now_ms)),
                None => e,
            }
        }
        FaultKind::ExpiredToken => unauthorized("Lifetime validation failed, the token is expired."),
        FaultKind::ExpiredDelta => GErr::bad(
            "syncStateNotFound",
            "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
        ),
        FaultKind::Latency | FaultKind::Drop => GErr::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            "General exception while processing.",
        ),
    }
}

pub fn unauthorized(msg: &str) -> GErr {
    GErr::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", msg).header(
        "www-authenticate",
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000""#,
    )
}

fn has_delta_token(query: &[(String, String)]) -> bool {
    query.iter().any(|(k, v)| {
        (k.eq_ignore_ascii_case("$deltatoken") && !v.eq_ignore_ascii_case("latest"))
            || k.eq_ignore_ascii_case("$skiptoken")
    })
}

pub fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// A response whose body fails mid-stream: the client sees the connection drop.
fn dropped() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped by fault injection"))
    });
    let mut r = Response::new(Body::from_stream(stream));
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

async fn graph_entry(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let started = std::time::Instant::now();
    let (parts, body) = req.into_parts();
    let request_id = new_guid();
    let client_request_id = parts
        .headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(new_guid);
    let path = parts
        .uri
        .path()
        .strip_prefix("/v1.0")
        .unwrap_or(parts.uri.path())
        .to_string();
    let path = if path.is_empty() { "/".to_string() } else { path };
    let query = parse_query(parts.uri.query());
    let logged_path = match parts.uri.query() {
        Some(q) => format!("{}?{}", parts.uri.path(), q),
        None => parts.uri.path().to_string(),
    };
    let method = parts.method.clone();
    let route = route_label(method.as_str(), &path);
    let finish = |resp: Response, fault: Option<String>| -> Response {
        s.record(
            LogLine {
                seq: 0,
                time: crate::util::iso_now(),
                method: method.to_string(),
                path: logged_path.clone(),
                status: resp.status().as_u16(),
                request_id: request_id.clone(),
                duration_ms: started.elapsed().as_millis() as u64,
                fault,
            },
            route.clone(),
        );
        resp
    };
    let err = |e: GErr| {
        to_response(
            e.into_resp(&request_id, &client_request_id),
            &request_id,
            &client_request_id,
        )
    };

    let caller = match auth::validate_bearer(&s, &parts.headers) {
        Ok(c) => c,
        Err(msg) => return finish(err(unauthorized(msg)), None),
    };
    let bytes = match axum::body::to_bytes(body, 8 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return finish(err(GErr::bad("BadRequest", "The request body is too large.")), None),
    };
    let body = if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        None
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => Some(v),
            Err(_) => {
                return finish(
                    err(GErr::bad("BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")),
                    None,
                )
            }
        }
    };

    let verdict = s
        .faults
        .lock()
        .map(|mut f| f.check(method.as_str(), &path, has_delta_token(&query), s.now_ms()))
        .unwrap_or_default();
    let latency = s.latency_ms.load(Ordering::Relaxed) + verdict.latency_ms;
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    if let Some((kind, retry, date)) = verdict.fail {
        let label = format!("{kind:?}");
        if kind == FaultKind::Drop {
            return finish(dropped(), Some(label));
        }
        return finish(
            err(fault_error(kind, retry, date, s.now_ms(), &s.tenant_id)),
            Some(label),
        );
    }

    let greq = GReq {
        method: method.clone(),
        path: path.clone(),
        query,
        headers: parts.headers.clone(),
        body,
        caller,
    };
    let resp = if path == "/$batch" {
        if method != Method::POST {
            Err(GErr::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "BadRequest",
                "Only POST is supported for $batch.",
            ))
        } else {
            if let Ok(mut c) = s.counters.lock() {
                c.batches += 1;
            }
            crate::batch::run(&s, &greq).await
        }
    } else {
        run_one(&s, &greq)
    };
    let resp = match resp {
        Ok(r) => to_response(r, &request_id, &client_request_id),
        Err(e) => err(e),
    };
    finish(resp, None)
}

/// Runs one Graph request against the tenant (and marks state dirty after a successful write).
pub fn run_one(s: &Shared, req: &GReq) -> Result<GResp, GErr> {
    let ctx = s.ctx();
    let out = {
        let mut t = s.tenant.lock().map_err(|_| {
            GErr::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "generalException",
                "General exception while processing.",
            )
        })?;
        graph::dispatch(&mut t, &ctx, req)
    };
    if req.method != Method::GET && out.as_ref().map(|r| r.status.is_success()).unwrap_or(false) {
        s.mark_dirty();
    }
    out
}

async fn loopback_only(ConnectInfo(addr): ConnectInfo<SocketAddr>, req: Request, next: Next) -> Response {
    if !addr.ip().is_loopback() {
        return (
            StatusCode::FORBIDDEN,
            "The practice tenant's admin API is reachable only from this computer.",
        )
            .into_response();
    }
    next.run(req).await
}

async fn auth_log(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    // Sign-in endpoints: log the path only (queries carry state, nonce and codes).
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    s.record(
        LogLine {
            seq: 0,
            time: crate::util::iso_now(),
            method: method.clone(),
            path: path.clone(),
            status: resp.status().as_u16(),
            request_id: new_guid(),
            duration_ms: started.elapsed().as_millis() as u64,
            fault: None,
        },
        format!("{method} {}", path.replace(&s.tenant_id, "{tenant}")),
    );
    resp
}

async fn home(State(s): State<Arc<Shared>>) -> Response {
    let body = serde_json::json!({
        "name": "Entra Desk practice tenant",
        "tenantId": s.tenant_id,
        "clientId": s.client_id,
        "graph": s.graph,
        "openidConfiguration": format!("{}/{}/v2.0/.well-known/openid-configuration", s.base, s.tenant_id),
        "admin": format!("{}/_sandbox/", s.base),
    });
    axum::Json(body).into_response()
}

pub fn router(s: Arc<Shared>) -> Router {
    let sign_in = Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(auth::openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(auth::jwks))
        .route("/{tenant}/oauth2/v2.0/authorize", get(auth::authorize))
        .route("/{tenant}/oauth2/v2.0/authorize/select", get(auth::authorize_select))
        .route("/{tenant}/oauth2/v2.0/token", post(auth::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(auth::devicecode))
        .route("/{tenant}/oauth2/v2.0/logout", get(auth::logout))
        .route("/devicelogin", get(auth::devicelogin))
        .layer(middleware::from_fn_with_state(s.clone(), auth_log));
    let admin = crate::admin::router().layer(middleware::from_fn(loopback_only));
    Router::new()
        .route("/", get(home))
        .route("/v1.0", any(graph_entry))
        .route("/v1.0/{*rest}", any(graph_entry))
        .merge(sign_in)
        .nest("/_sandbox", admin)
        .with_state(s)
}

/// Read-only helper for admin/batch code that needs headers from a map.
pub fn header_map(pairs: &[(String, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        if let (Ok(k), Ok(v)) = (
            HeaderName::try_from(k.to_ascii_lowercase().as_str()),
            HeaderValue::from_str(v),
        ) {
            h.insert(k, v);
        }
    }
    h
}

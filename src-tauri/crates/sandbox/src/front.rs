//! The Graph front door: every `/v1.0` request passes here (access token, body, fault injection,
//! latency, request ids, the request log) before the dispatcher or `$batch` answers it.

use crate::auth;
use crate::context::{parse_query, GReq};
use crate::error::{unauthorized, Body as GBody, GErr, GResp, GResult};
use crate::faults::{fault_error, FaultKind};
use crate::graph;
use crate::shared::{LogLine, Shared};
use crate::util::new_guid;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

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

fn has_delta_token(query: &[(String, String)]) -> bool {
    query.iter().any(|(k, v)| {
        (k.eq_ignore_ascii_case("$deltatoken") && !v.eq_ignore_ascii_case("latest"))
            || k.eq_ignore_ascii_case("$skiptoken")
    })
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

/// One Graph request as the request log sees it: ids, timing and the labels it is logged under.
struct Entry {
    started: Instant,
    request_id: String,
    client_request_id: String,
    method: Method,
    logged_path: String,
    route: String,
}

impl Entry {
    fn new(started: Instant, parts: &Parts, path: &str) -> Entry {
        let request_id = new_guid();
        let client_request_id = parts
            .headers
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .unwrap_or_else(new_guid);
        let logged_path = match parts.uri.query() {
            Some(q) => format!("{}?{}", parts.uri.path(), q),
            None => parts.uri.path().to_string(),
        };
        Entry {
            started,
            request_id,
            client_request_id,
            method: parts.method.clone(),
            logged_path,
            route: route_label(parts.method.as_str(), path),
        }
    }

    /// Records the request in the log and counters, and hands the response back.
    fn finish(&self, s: &Shared, resp: Response, fault: Option<String>) -> Response {
        s.record(
            LogLine {
                seq: 0,
                time: crate::util::iso_now(),
                method: self.method.to_string(),
                path: self.logged_path.clone(),
                status: resp.status().as_u16(),
                request_id: self.request_id.clone(),
                duration_ms: self.started.elapsed().as_millis() as u64,
                fault,
            },
            self.route.clone(),
        );
        resp
    }

    fn respond(&self, r: GResult) -> Response {
        let r = r.unwrap_or_else(|e| e.into_resp(&self.request_id, &self.client_request_id));
        to_response(r, &self.request_id, &self.client_request_id)
    }
}

/// The path after `/v1.0` (`/` when nothing follows).
fn graph_path(uri_path: &str) -> String {
    let path = uri_path.strip_prefix("/v1.0").unwrap_or(uri_path).to_string();
    if path.is_empty() {
        "/".to_string()
    } else {
        path
    }
}

/// Reads the body as JSON; an empty (or all-whitespace) body is `None`.
async fn read_json(body: Body) -> Result<Option<Value>, GErr> {
    let bytes = axum::body::to_bytes(body, 8 * 1024 * 1024)
        .await
        .map_err(|_| GErr::bad("BadRequest", "The request body is too large."))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    serde_json::from_slice(&bytes).map(Some).map_err(|_| {
        GErr::bad("BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
    })
}

/// Applies latency and the fault rules; what a fired fault does.
async fn inject_fault(s: &Shared, entry: &Entry, path: &str, query: &[(String, String)]) -> Option<Injected> {
    let verdict = s
        .faults
        .lock()
        .map(|mut f| f.check(entry.method.as_str(), path, has_delta_token(query), s.now_ms()))
        .unwrap_or_default();
    let latency = s.latency_ms.load(Ordering::Relaxed) + verdict.latency_ms;
    if latency > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(latency)).await;
    }
    let (kind, retry, date) = verdict.fail?;
    let label = format!("{kind:?}");
    if kind == FaultKind::Drop {
        return Some(Injected::Instead(dropped(), label));
    }
    let e = fault_error(kind, retry, date, s.now_ms(), &s.tenant_id);
    if kind == FaultKind::GatewayTimeoutAfterWork {
        return Some(Injected::AfterWork(e, label));
    }
    Some(Injected::Instead(entry.respond(Err(e)), label))
}

/// A fault that fired, with its label for the log.
enum Injected {
    /// Answered instead of the request.
    Instead(Response, String),
    /// The request is carried out, then this error is the answer.
    AfterWork(GErr, String),
}

/// `$batch` or one request through the dispatcher.
async fn answer(s: &Shared, req: &GReq) -> GResult {
    if req.path != "/$batch" {
        return graph::run_one(s, req);
    }
    if req.method != Method::POST {
        return Err(GErr::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "BadRequest",
            "Only POST is supported for $batch.",
        ));
    }
    if let Ok(mut c) = s.counters.lock() {
        c.batches += 1;
    }
    crate::batch::run(s, req).await
}

pub async fn graph_entry(State(s): State<Arc<Shared>>, req: Request) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let path = graph_path(parts.uri.path());
    let query = parse_query(parts.uri.query());
    let entry = Entry::new(started, &parts, &path);
    let caller = match auth::validate_bearer(&s, &parts.headers) {
        Ok(c) => c,
        Err(msg) => return entry.finish(&s, entry.respond(Err(unauthorized(msg))), None),
    };
    let body = match read_json(body).await {
        Ok(b) => b,
        Err(e) => return entry.finish(&s, entry.respond(Err(e)), None),
    };
    let after_work = match inject_fault(&s, &entry, &path, &query).await {
        Some(Injected::Instead(resp, label)) => return entry.finish(&s, resp, Some(label)),
        Some(Injected::AfterWork(e, label)) => Some((e, label)),
        None => None,
    };
    let greq = GReq {
        method: parts.method.clone(),
        path,
        query,
        headers: parts.headers.clone(),
        body,
        caller,
    };
    let done = answer(&s, &greq).await;
    match after_work {
        Some((e, label)) => entry.finish(&s, entry.respond(Err(e)), Some(label)),
        None => entry.finish(&s, entry.respond(done), None),
    }
}

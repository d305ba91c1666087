//! Two transparent recording hops around Prism:
//!
//! ```text
//! msgraph::Client ──▶ front tap ──▶ Prism (proxy --errors) ──▶ back tap ──▶ sandbox
//! ```
//!
//! * The **front tap** records what the client saw: Prism's verdict (`sl-violations`, 422/500
//!   problem+json), the status, and the description's path template. A request whose path (or
//!   method) Microsoft's description does not have bypasses Prism (to the back tap), marked
//!   `described: false` (Prism would answer 404 "no path matched" without forwarding).
//! * The **back tap** records the sandbox's raw bodies (Prism replaces an invalid body with its own
//!   500), for the offline payload check.
//!
//! Bodies and paths are recorded, headers are not (the `Authorization` header never leaves memory).
//! Link rewriting: see [`FrontState::rewrite_links`].

use super::spec::{Match, Spec};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// One request/response the client exchanged (front tap).
#[derive(Debug, Clone)]
pub struct Exchange {
    pub operation: String,
    pub method: String,
    /// The concrete path and query as sent (`/v1.0/users?$top=2`).
    pub request: String,
    /// The description's template without the `/v1.0` prefix, or the concrete path when the
    /// description has no such path.
    pub path: String,
    pub described: bool,
    pub status: u16,
    pub violations: Vec<String>,
    /// Known-drift findings Prism reported that the README of the description allows.
    pub allowed_drift: Vec<String>,
    /// Prism's findings on an answer that follows Microsoft's documentation where the
    /// description disagrees with it (see [`SPEC_GAPS`]), with the evidence.
    pub spec_gap: Vec<String>,
}

/// One raw sandbox answer (back tap).
#[derive(Debug, Clone)]
pub struct RawBody {
    /// The driver's step that caused it (`canary: …` for the oracle self-test).
    pub operation: String,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub body: Bytes,
}

pub struct FrontState {
    pub spec: Spec,
    pub back: Arc<BackState>,
    pub prism: String,
    /// `http://127.0.0.1:BACK`: where requests on paths the description lacks go (bypassing
    /// Prism, still recorded by the back tap for the payload oracle).
    pub back_url: String,
    pub sandbox: String,
    /// `http://127.0.0.1:FRONT` (no slash): what links are rewritten to.
    pub origin: Mutex<String>,
    /// The sandbox builds `@odata.nextLink`/`deltaLink` from its own address, not from the
    /// address the request came in on, so behind any proxy its links name the sandbox and the
    /// client (rightly) refuses to follow them. When true, the front tap rewrites the sandbox's
    /// origin to its own in answers, *after* Prism validated them — what a link-aware proxy or a
    /// Host-aware sandbox would do. One step of the run turns it off to record the finding.
    pub rewrite_links: AtomicBool,
    /// The driver's current step (shared with the back tap).
    pub operation: Arc<Mutex<String>>,
    pub exchanges: Mutex<Vec<Exchange>>,
    pub http: reqwest::Client,
}

pub struct BackState {
    pub sandbox: String,
    pub bodies: Mutex<Vec<RawBody>>,
    /// The sandbox's latest answer (the driver is sequential, so it belongs to the exchange in
    /// flight); used to hand the client the real answer when Prism's 500 is a [`SPEC_GAPS`] entry.
    pub last: Mutex<Option<LastAnswer>>,
    /// Oracle self-test: when set, the next JSON answer is corrupted on its way to Prism
    /// (`businessPhones` becomes a string, in the first listed object or the object itself),
    /// and the flag clears. Prism and the payload oracle must both catch it.
    pub corrupt_next: AtomicBool,
    pub operation: Arc<Mutex<String>>,
    pub http: reqwest::Client,
}

#[derive(Debug, Clone)]
pub struct LastAnswer {
    pub method: String,
    pub path: String,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Where Microsoft's description contradicts Microsoft's documentation and the sandbox follows the
/// documentation. Prism (with `--errors`) replaces such an answer by a 500; the front tap gives the
/// client the sandbox's real answer, and the report lists Prism's findings under `specGap` with
/// the evidence. Only findings that all match `markers` qualify; anything else stays a violation.
pub struct SpecGap {
    pub method: &'static str,
    pub template: &'static str,
    pub sandbox_status: u16,
    pub markers: &'static [&'static str],
    pub evidence: &'static str,
}

const EMPTY_BODY: &[&str] = &[
    "The received media type \"\" does not match",
    "Response body must be object",
];

pub const SPEC_GAPS: [SpecGap; 2] = [
    SpecGap {
        method: "PATCH",
        template: "/v1.0/users/{user-id}",
        sandbox_status: 204,
        markers: EMPTY_BODY,
        evidence: "the description declares `2XX: microsoft.graph.user`, but Graph's 'Update user' reference says \"If successful, this method returns a 204 No Content response code\" (docs example PATCH /me → 204 in ../shared/graph/data/graph-docs-examples.v1.0.subset.json)",
    },
    SpecGap {
        method: "PATCH",
        template: "/v1.0/groups/{group-id}",
        sandbox_status: 204,
        markers: EMPTY_BODY,
        evidence: "the description declares `2XX: microsoft.graph.group`, but Graph's 'Update group' reference returns 204 No Content (docs example PATCH /groups/{group-id} → 204 in ../shared/graph/data/graph-docs-examples.v1.0.subset.json)",
    },
];

/// Properties Microsoft's 2025-01 description lacks although the live service returns them
/// (/work/shared/graph/README.md, "Known drift").
pub const KNOWN_DRIFT: [&str; 3] = [
    "resourceProvisioningOptions",
    "resourceBehaviorOptions",
    "principalOrganizationId",
];

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap_or_default()
}

pub async fn serve_front(state: Arc<FrontState>) -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    if let Ok(mut o) = state.origin.lock() {
        *o = format!("http://127.0.0.1:{port}");
    }
    let app = Router::new().fallback(front).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(port)
}

pub async fn serve_back(state: Arc<BackState>) -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let app = Router::new().fallback(back).with_state(state);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(port)
}

const HOP: [&str; 6] = [
    "host",
    "connection",
    "content-length",
    "transfer-encoding",
    "keep-alive",
    "accept-encoding",
];

struct Forwarded {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    /// The request body that was forwarded.
    request_body: Bytes,
}

async fn forward(http: &reqwest::Client, base: &str, req: Request) -> Result<(String, String, Forwarded), Response> {
    let (parts, body) = req.into_parts();
    let method = parts.method.to_string();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let bytes = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .map_err(|e| bad_gateway(&e.to_string()))?;
    let mut out = http.request(parts.method.clone(), format!("{base}{path_and_query}"));
    for (k, v) in &parts.headers {
        if !HOP.contains(&k.as_str()) {
            out = out.header(k, v);
        }
    }
    let resp = out
        .body(bytes.clone())
        .send()
        .await
        .map_err(|e| bad_gateway(&e.to_string()))?;
    let status = resp.status();
    let mut headers = HeaderMap::new();
    for (k, v) in resp.headers() {
        if !HOP.contains(&k.as_str()) {
            headers.append(k, v.clone());
        }
    }
    let body = resp.bytes().await.map_err(|e| bad_gateway(&e.to_string()))?;
    Ok((
        method,
        path_and_query,
        Forwarded {
            status,
            headers,
            body,
            request_body: bytes,
        },
    ))
}

fn bad_gateway(msg: &str) -> Response {
    let mut r = Response::new(Body::from(format!("conformance tap: upstream failed: {msg}")));
    *r.status_mut() = StatusCode::BAD_GATEWAY;
    r
}

fn respond(f: Forwarded) -> Response {
    let mut r = Response::new(Body::from(f.body));
    *r.status_mut() = f.status;
    *r.headers_mut() = f.headers;
    r
}

/// The JSON bodies inside a `$batch` answer, each with its sub-request's method and path, so the
/// payload oracle checks them against their own operation (Prism checks only the envelope).
fn batch_items(operation: &str, request: &[u8], response: &[u8]) -> Vec<RawBody> {
    let (Ok(req), Ok(resp)) = (
        serde_json::from_slice::<Value>(request),
        serde_json::from_slice::<Value>(response),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for r in resp["responses"].as_array().into_iter().flatten() {
        let Some(sub) = req["requests"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|q| q["id"] == r["id"])
        else {
            continue;
        };
        let (Some(method), Some(url), Some(status)) =
            (sub["method"].as_str(), sub["url"].as_str(), r["status"].as_u64())
        else {
            continue;
        };
        if !r["body"].is_object() {
            continue;
        }
        let path = url.split('?').next().unwrap_or_default().trim_start_matches('/');
        out.push(RawBody {
            operation: format!("{operation} ($batch item {})", r["id"].as_str().unwrap_or_default()),
            method: method.to_ascii_uppercase(),
            path: format!("/v1.0/{path}"),
            status: status as u16,
            body: Bytes::from(r["body"].to_string()),
        });
    }
    out
}

async fn back(State(s): State<Arc<BackState>>, req: Request) -> Response {
    match forward(&s.http, &s.sandbox, req).await {
        Ok((method, pq, mut f)) => {
            if s.corrupt_next.swap(false, Ordering::Relaxed) {
                if let Ok(mut v) = serde_json::from_slice::<Value>(&f.body) {
                    let target = match v.get_mut("value").and_then(Value::as_array_mut) {
                        Some(items) => items.first_mut(),
                        None => Some(&mut v),
                    };
                    if let Some(Value::Object(o)) = target {
                        o.insert("businessPhones".into(), Value::String("canary: not a list".into()));
                    }
                    f.body = Bytes::from(v.to_string());
                }
            }
            if let Ok(mut last) = s.last.lock() {
                *last = Some(LastAnswer {
                    method: method.clone(),
                    path: pq.split('?').next().unwrap_or_default().to_string(),
                    status: f.status,
                    headers: f.headers.clone(),
                    body: f.body.clone(),
                });
            }
            let json = f
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.contains("json"));
            if json && !f.body.is_empty() {
                if let Ok(mut b) = s.bodies.lock() {
                    b.push(RawBody {
                        operation: s.operation.lock().map(|o| o.clone()).unwrap_or_default(),
                        method,
                        path: pq.split('?').next().unwrap_or_default().to_string(),
                        status: f.status.as_u16(),
                        body: f.body.clone(),
                    });
                    let operation = s.operation.lock().map(|o| o.clone()).unwrap_or_default();
                    if pq.starts_with("/v1.0/$batch") {
                        b.extend(batch_items(&operation, &f.request_body, &f.body));
                    }
                }
            }
            respond(f)
        }
        Err(r) => r,
    }
}

async fn front(State(s): State<Arc<FrontState>>, req: Request) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let (upstream, template, described) = match s.spec.find(&method, &path) {
        Match::Described(t) => (s.prism.clone(), t, true),
        Match::MethodNotDescribed(_) | Match::NotDescribed => {
            (s.back_url.clone(), s.spec.undescribed_template(&path), false)
        }
    };
    let operation = s.operation.lock().map(|o| o.clone()).unwrap_or_default();
    if let Ok(mut last) = s.back.last.lock() {
        *last = None;
    }
    let (_, pq, mut f) = match forward(&s.http, &upstream, req).await {
        Ok(x) => x,
        Err(r) => {
            record(
                &s,
                Exchange {
                    operation,
                    method,
                    request: path.clone(),
                    path: strip_version(&template),
                    described,
                    status: 502,
                    violations: vec!["the conformance tap could not reach its upstream".into()],
                    allowed_drift: vec![],
                    spec_gap: vec![],
                },
            );
            return r;
        }
    };
    let (mut violations, allowed_drift) = if described {
        prism_violations(&f)
    } else {
        (vec![], vec![])
    };
    let spec_gap = take_spec_gap(&s, &method, &path, &template, &mut violations, &mut f);
    record(
        &s,
        Exchange {
            operation,
            method,
            request: pq,
            path: strip_version(&template),
            described,
            status: f.status.as_u16(),
            violations,
            allowed_drift,
            spec_gap,
        },
    );
    if s.rewrite_links.load(Ordering::Relaxed) {
        rewrite_links(&s, &mut f);
    }
    respond(f)
}

/// A 500 whose violations are all those of a documented spec gap (`SPEC_GAPS`), for which the
/// sandbox answered as Graph's docs say (an empty body with the documented status): the
/// violations become the exchange's spec gap, with the evidence, and the client gets the
/// sandbox's own answer. Returns the spec gap (empty when there is none).
fn take_spec_gap(
    s: &FrontState,
    method: &str,
    path: &str,
    template: &str,
    violations: &mut Vec<String>,
    f: &mut Forwarded,
) -> Vec<String> {
    let mut spec_gap = Vec::new();
    if f.status == StatusCode::INTERNAL_SERVER_ERROR && !violations.is_empty() {
        if let Some(gap) = SPEC_GAPS.iter().find(|g| {
            g.method == method
                && g.template == template
                && violations.iter().all(|v| g.markers.iter().any(|m| v.contains(m)))
        }) {
            let last = s.back.last.lock().ok().and_then(|l| l.clone());
            if let Some(real) = last.filter(|l| {
                l.method == method && l.path == path && l.status.as_u16() == gap.sandbox_status && l.body.is_empty()
            }) {
                spec_gap = std::mem::take(violations);
                spec_gap.push(format!("evidence: {}", gap.evidence));
                *f = Forwarded {
                    status: real.status,
                    headers: real.headers,
                    body: real.body,
                    request_body: Bytes::new(),
                };
            }
        }
    }
    spec_gap
}

/// The sandbox's origin replaced with the proxy's in the answer's body and Location header.
fn rewrite_links(s: &FrontState, f: &mut Forwarded) {
    let origin = s.origin.lock().map(|o| o.clone()).unwrap_or_default();
    let from = format!("{}/v1.0", s.sandbox);
    let to = format!("{origin}/v1.0");
    if let Ok(text) = std::str::from_utf8(&f.body) {
        if text.contains(&from) {
            f.body = Bytes::from(text.replace(&from, &to));
        }
    }
    // A client that addresses the sandbox's origin must not see it in Location headers either.
    if let Some(loc) = f
        .headers
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(|l| l.replace(&from, &to))
    {
        if let Ok(v) = HeaderValue::from_str(&loc) {
            f.headers.insert("location", v);
        }
    }
}

fn record(s: &FrontState, e: Exchange) {
    if let Ok(mut x) = s.exchanges.lock() {
        x.push(e);
    }
}

pub fn strip_version(p: &str) -> String {
    match p.strip_prefix("/v1.0") {
        Some("") => "/".into(),
        Some(rest) => rest.to_string(),
        None => p.to_string(),
    }
}

/// Prism's findings: the `sl-violations` header (a JSON array) and, with `--errors`, the
/// problem+json body of a 422 (request) or 500 (response) it produced itself.
fn prism_violations(f: &Forwarded) -> (Vec<String>, Vec<String>) {
    let mut found: Vec<String> = Vec::new();
    if let Some(h) = f.headers.get("sl-violations").and_then(|v| v.to_str().ok()) {
        match serde_json::from_str::<Value>(h) {
            Ok(Value::Array(items)) => found.extend(items.iter().map(describe)),
            _ => found.push(format!("sl-violations: {h}")),
        }
    }
    let problem = f
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("problem+json"));
    if problem {
        if let Ok(v) = serde_json::from_slice::<Value>(&f.body) {
            let kind = v["type"].as_str().unwrap_or_default();
            if kind.contains("stoplight.io/prism") {
                match v["validation"].as_array() {
                    Some(items) if !items.is_empty() => found.extend(items.iter().map(describe)),
                    _ => found.push(format!(
                        "Prism {}: {} {}",
                        kind.rsplit('#').next().unwrap_or(kind),
                        v["title"].as_str().unwrap_or_default(),
                        v["detail"].as_str().unwrap_or_default()
                    )),
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found.into_iter().partition(|v| !is_known_drift(v))
}

fn describe(v: &Value) -> String {
    let location = v["location"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|x| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string()))
                .collect::<Vec<_>>()
                .join(".")
        })
        .unwrap_or_default();
    format!(
        "{} [{}] {}: {}",
        v["severity"].as_str().unwrap_or("Error"),
        v["code"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| v["code"].to_string()),
        location,
        v["message"].as_str().unwrap_or_default()
    )
}

/// A Prism finding about an undeclared property that the description's README lists as known drift.
fn is_known_drift(v: &str) -> bool {
    let extra = v.contains("additional") || v.contains("not expected") || v.contains("additionalProperties");
    extra && KNOWN_DRIFT.iter().any(|p| v.contains(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(status: u16, headers: &[(&str, &str)], body: &str) -> Forwarded {
        let mut h = HeaderMap::new();
        for (k, v) in headers {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        Forwarded {
            status: StatusCode::from_u16(status).unwrap(),
            headers: h,
            body: Bytes::from(body.to_string()),
            request_body: Bytes::new(),
        }
    }

    #[test]
    fn prism_findings_come_from_the_header_and_the_problem_body_once_each() {
        // What Prism 5 sends with --errors for an answer it does not describe (seen in prism.log).
        let v = r#"[{"location":["response","body","value","0","businessPhones"],"severity":"Error","code":"type","message":"Response body property value.0.businessPhones must be array"}]"#;
        let body = format!(
            r#"{{"type":"https://stoplight.io/prism/errors#VIOLATIONS","title":"Request/Response not valid","status":500,"validation":{v}}}"#
        );
        let f = forwarded(
            500,
            &[("sl-violations", v), ("content-type", "application/problem+json")],
            &body,
        );
        let (violations, drift) = prism_violations(&f);
        assert_eq!(
            violations,
            vec!["Error [type] response.body.value.0.businessPhones: Response body property value.0.businessPhones must be array"]
        );
        assert!(drift.is_empty());
    }

    #[test]
    fn a_route_prism_does_not_know_is_a_violation_and_known_drift_is_not() {
        let f = forwarded(
            404,
            &[("content-type", "application/problem+json")],
            r#"{"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched","status":404,"detail":"The route /v1.0/x hasn't been found"}"#,
        );
        let (violations, _) = prism_violations(&f);
        assert_eq!(violations.len(), 1);
        assert!(violations[0].contains("NO_PATH_MATCHED_ERROR"), "{violations:?}");

        let drift = r#"[{"location":["response","body"],"severity":"Error","code":"additionalProperties","message":"Response body must NOT have additional property 'resourceProvisioningOptions'"}]"#;
        let (violations, allowed) = prism_violations(&forwarded(500, &[("sl-violations", drift)], ""));
        assert!(violations.is_empty());
        assert_eq!(allowed.len(), 1);

        // A Graph error body (application/json) from the sandbox is not a Prism finding.
        let graph = forwarded(
            404,
            &[("content-type", "application/json")],
            r#"{"error":{"code":"Request_ResourceNotFound"}}"#,
        );
        assert_eq!(prism_violations(&graph), (vec![], vec![]));
    }

    #[test]
    fn batch_items_carry_their_sub_request_method_and_path() {
        let req = r#"{"requests":[{"id":"1","method":"GET","url":"/users/abc?$select=id"},{"id":"2","method":"PATCH","url":"users/abc"}]}"#;
        let resp = r#"{"responses":[{"id":"2","status":204},{"id":"1","status":200,"body":{"id":"abc"}}]}"#;
        let items = batch_items("batch", req.as_bytes(), resp.as_bytes());
        assert_eq!(items.len(), 1);
        assert_eq!(
            (items[0].method.as_str(), items[0].path.as_str(), items[0].status),
            ("GET", "/v1.0/users/abc", 200)
        );
        assert_eq!(items[0].operation, "batch ($batch item 1)");
    }

    #[test]
    fn spec_gaps_are_limited_to_the_empty_body_findings() {
        let gap = &SPEC_GAPS[0];
        let empty = "Error [null] response: The received media type \"\" does not match the one specified in the current response: application/json";
        assert!(gap.markers.iter().any(|m| empty.contains(m)));
        let other = "Error [type] response.body.displayName: must be string";
        assert!(!gap.markers.iter().any(|m| other.contains(m)));
    }
}

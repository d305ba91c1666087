//! JSON batching: `POST /$batch` with 1..=20 requests, `dependsOn`, 424 for failed dependencies,
//! per-request status, headers and bodies (faults apply per sub-request, so a 429 can appear inside).

use crate::context::{header_map, parse_query, GReq};
use crate::error::{Body, GErr, GResp, GResult};
use crate::faults::{fault_error, FaultKind};
use crate::graph::run_one;
use crate::shared::Shared;
use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

fn invalid(msg: &str) -> GErr {
    GErr::bad("BadRequest", msg.to_string())
}

struct Sub {
    id: String,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    depends: Vec<String>,
}

fn parse(v: &Value) -> Result<Vec<Sub>, GErr> {
    let reqs = v
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("Invalid batch payload format."))?;
    if reqs.is_empty() {
        return Err(invalid("Invalid batch payload format."));
    }
    if reqs.len() > 20 {
        return Err(invalid("Number of requests in the batch exceeds the maximum of 20."));
    }
    let mut out: Vec<Sub> = Vec::new();
    for r in reqs {
        let sub = parse_sub(r, &out)?;
        out.push(sub);
    }
    check_depends(&out)?;
    Ok(out)
}

/// One entry of `requests`; `earlier` are the entries before it (ids must be unique).
fn parse_sub(r: &Value, earlier: &[Sub]) -> Result<Sub, GErr> {
    let id = match r.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(invalid("Invalid batch payload format. Each request needs an 'id'.")),
    };
    if earlier.iter().any(|s| s.id == id) {
        return Err(invalid(&format!(
            "Request id '{id}' is used more than once in the batch."
        )));
    }
    let method = r
        .get("method")
        .and_then(Value::as_str)
        .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
        .ok_or_else(|| invalid("Invalid batch payload format. Each request needs a 'method'."))?;
    let url = r
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("Invalid batch payload format. Each request needs a 'url'."))?;
    let rel = match url.find("/v1.0/") {
        Some(i) => &url[i + 5..],
        None => url,
    };
    let rel = if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("/{rel}")
    };
    let (path, q) = match rel.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (rel, None),
    };
    let headers: Vec<(String, String)> = r
        .get("headers")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let body = r.get("body").cloned().filter(|b| !b.is_null());
    if body.is_some() && !headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("content-type")) {
        return Err(invalid(
            "Content-Type header is required for a batch request with a body.",
        ));
    }
    let depends: Vec<String> = r
        .get("dependsOn")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|d| d.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok(Sub {
        id,
        method,
        path,
        query: parse_query(q.as_deref()),
        headers,
        body,
        depends,
    })
}

/// Every `dependsOn` names another request of the batch.
fn check_depends(subs: &[Sub]) -> Result<(), GErr> {
    for s in subs {
        for d in &s.depends {
            if !subs.iter().any(|o| &o.id == d) || d == &s.id {
                return Err(invalid(&format!(
                    "Request '{}' depends on '{d}', which is not in the batch.",
                    s.id
                )));
            }
        }
    }
    Ok(())
}

pub async fn run(s: &Shared, outer: &GReq) -> GResult {
    let v = outer
        .body
        .clone()
        .ok_or_else(|| invalid("Invalid batch payload format."))?;
    let subs = parse(&v)?;
    let mut status: HashMap<String, u16> = HashMap::new();
    let mut results: HashMap<String, Value> = HashMap::new();
    // Run in dependency order; a request whose dependency failed gets 424.
    let mut remaining: Vec<usize> = (0..subs.len()).collect();
    while !remaining.is_empty() {
        let ready: Option<usize> = remaining
            .iter()
            .position(|&i| subs[i].depends.iter().all(|d| status.contains_key(d)));
        let Some(pos) = ready else {
            return Err(invalid("The dependsOn graph of the batch has a cycle."));
        };
        let i = remaining.remove(pos);
        let sub = &subs[i];
        let failed_dep = sub
            .depends
            .iter()
            .any(|d| status.get(d).map(|x| *x >= 400).unwrap_or(true));
        let (code, headers, body) = if failed_dep {
            (
                424u16,
                json!({"Content-Type": "application/json"}),
                Some(
                    json!({"error": {"code": "FailedDependency", "message": "The request was not executed because a request it depends on failed."}}),
                ),
            )
        } else {
            run_sub(s, outer, sub).await
        };
        status.insert(sub.id.clone(), code);
        let mut r = json!({"id": sub.id, "status": code, "headers": headers});
        if let Some(b) = body {
            r["body"] = b;
        }
        results.insert(sub.id.clone(), r);
    }
    let responses: Vec<Value> = subs.iter().filter_map(|s| results.remove(&s.id)).collect();
    Ok(GResp::json(StatusCode::OK, json!({"responses": responses})))
}

/// A sub-request's status, headers and body as the batch response lists them.
type SubAnswer = (u16, Value, Option<Value>);

/// Runs one sub-request whose dependencies succeeded: its own faults, then the dispatcher.
async fn run_sub(s: &Shared, outer: &GReq, sub: &Sub) -> SubAnswer {
    let has_token = sub
        .query
        .iter()
        .any(|(k, v)| (k.eq_ignore_ascii_case("$deltatoken") && v != "latest") || k.eq_ignore_ascii_case("$skiptoken"));
    let verdict = s
        .faults
        .lock()
        .map(|mut f| f.check(sub.method.as_str(), &sub.path, has_token, s.now_ms()))
        .unwrap_or_default();
    if verdict.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(verdict.latency_ms)).await;
    }
    let resp: Result<GResp, GErr> = match verdict.fail {
        Some((kind, retry, date)) if kind != FaultKind::GatewayTimeoutAfterWork => {
            Err(fault_error(kind, retry, date, s.now_ms(), &s.tenant_id))
        }
        _ if sub.path == "/$batch" => Err(invalid("A batch request cannot contain another batch request.")),
        // No fault, or one answered after the work is done.
        _ => {
            let greq = GReq {
                method: sub.method.clone(),
                path: sub.path.clone(),
                query: sub.query.clone(),
                headers: header_map(&sub.headers),
                body: sub.body.clone(),
                caller: outer.caller.clone(),
            };
            let done = run_one(s, &greq);
            match verdict.fail {
                Some((kind, retry, date)) => {
                    drop(done);
                    Err(fault_error(kind, retry, date, s.now_ms(), &s.tenant_id))
                }
                None => done,
            }
        }
    };
    sub_answer(resp)
}

fn sub_answer(resp: Result<GResp, GErr>) -> SubAnswer {
    let resp = resp.unwrap_or_else(|e| e.into_resp(&crate::util::new_guid(), &crate::util::new_guid()));
    let mut h = Map::new();
    for (k, v) in &resp.headers {
        let name = match k.as_str() {
            "retry-after" => "Retry-After".to_string(),
            "content-type" => "Content-Type".to_string(),
            "www-authenticate" => "WWW-Authenticate".to_string(),
            other => other.to_string(),
        };
        h.insert(name, json!(v));
    }
    let body = match resp.body {
        Body::None => None,
        Body::Json(v) => {
            h.entry("Content-Type").or_insert(json!("application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"));
            Some(v)
        }
        Body::Text(t) => Some(Value::String(t)),
    };
    (resp.status.as_u16(), Value::Object(h), body)
}

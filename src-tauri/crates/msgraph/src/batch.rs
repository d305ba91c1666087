//! JSON batching (`POST /$batch`): up to 20 requests per batch, `dependsOn`, larger inputs split
//! (keeping dependency chains together), throttled sub-requests retried after their
//! `Retry-After`, results returned in input order.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, SystemTime};

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::custom::HttpMethod;
use crate::client::{Client, Req};
use crate::error::Error;
use crate::query::ListQuery;
use crate::retry::{parse_retry_after, AttemptOutcome, RetryDecision};

/// Graph's limit per `$batch`.
pub const MAX_BATCH: usize = 20;

/// One request inside a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRequest {
    /// Unique within the call; used by `depends_on` and to match answers.
    pub id: String,
    pub method: HttpMethod,
    /// Relative to the version root, e.g. `/users/{id}` (already percent-encoded).
    pub url: String,
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
    pub depends_on: Vec<String>,
}

impl BatchRequest {
    pub fn new(id: impl Into<String>, method: HttpMethod, url: impl Into<String>) -> Self {
        BatchRequest {
            id: id.into(),
            method,
            url: url.into(),
            headers: BTreeMap::new(),
            body: None,
            depends_on: Vec::new(),
        }
    }
    /// A GET with list query options; adds `ConsistencyLevel: eventual` when the query needs it
    /// (in a batch the header goes into each request's own `headers`).
    pub fn list(id: impl Into<String>, path: &str, query: &ListQuery) -> Result<Self, Error> {
        let mut r = BatchRequest::new(id, HttpMethod::Get, path);
        let pairs = query.pairs()?;
        let q = crate::encode::query(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        if !q.is_empty() {
            r.url = format!("{path}?{q}");
        }
        if query.needs_eventual_consistency() {
            r.headers.insert("ConsistencyLevel".into(), "eventual".into());
        }
        Ok(r)
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.insert(name.to_string(), value.to_string());
        self
    }
    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
    pub fn depends_on(mut self, id: &str) -> Self {
        self.depends_on.push(id.to_string());
        self
    }
}

/// One answer inside a batch.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BatchResponse {
    pub id: String,
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub body: Option<Value>,
}

impl BatchResponse {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    /// The sub-request's failure as an [`Error`] (Graph's error envelope inside the body).
    pub fn error(&self) -> Option<Error> {
        if self.is_success() {
            return None;
        }
        let mut headers = reqwest::header::HeaderMap::new();
        for (k, v) in &self.headers {
            if let (Ok(n), Ok(v)) = (
                reqwest::header::HeaderName::from_bytes(k.to_ascii_lowercase().as_bytes()),
                reqwest::header::HeaderValue::from_str(v),
            ) {
                headers.insert(n, v);
            }
        }
        let body = self
            .body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap_or_default())
            .unwrap_or_default();
        Some(Error::from_response(
            self.status,
            &headers,
            &body,
            self.retry_after(SystemTime::now()),
        ))
    }
    /// This sub-response's `Retry-After`, if any.
    pub fn retry_after(&self, now: SystemTime) -> Option<Duration> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
            .and_then(|(_, v)| parse_retry_after(v, now))
    }
    /// Decodes the body into a model.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let bytes = serde_json::to_vec(self.body.as_ref().unwrap_or(&Value::Null))
            .map_err(|e| Error::decode(e.to_string(), None, None))?;
        crate::client::decode(&bytes)
    }
}

#[derive(Serialize)]
struct WireRequest<'a> {
    id: &'a str,
    method: &'static str,
    url: &'a str,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a Value>,
    #[serde(rename = "dependsOn", skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<&'a str>,
}

#[derive(Deserialize)]
pub(crate) struct WireAnswer {
    #[serde(default)]
    pub(crate) responses: Vec<BatchResponse>,
}

fn method_name(m: HttpMethod) -> &'static str {
    match m {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
    }
}

fn http_method(m: HttpMethod) -> Method {
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
    }
}

/// Splits request indices into batches of at most `MAX_BATCH`, keeping every `dependsOn` chain
/// in one batch and the input order inside each batch.
pub(crate) fn plan(requests: &[BatchRequest]) -> Result<Vec<Vec<usize>>, Error> {
    let mut index = HashMap::new();
    for (i, r) in requests.iter().enumerate() {
        if r.id.is_empty() {
            return Err(Error::invalid_input("every batch request needs an id"));
        }
        if index.insert(r.id.as_str(), i).is_some() {
            return Err(Error::invalid_input(format!(
                "the batch request id '{}' is used twice",
                r.id
            )));
        }
        if !r.url.starts_with('/') || r.url.contains("://") {
            return Err(Error::invalid_input(format!(
                "batch request '{}' must use a relative address starting with '/'",
                r.id
            )));
        }
    }
    // union-find over dependsOn
    let mut parent: Vec<usize> = (0..requests.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for (i, r) in requests.iter().enumerate() {
        for d in &r.depends_on {
            let j = *index
                .get(d.as_str())
                .ok_or_else(|| Error::invalid_input(format!("batch request '{}' depends on unknown id '{d}'", r.id)))?;
            if j == i {
                return Err(Error::invalid_input(format!(
                    "batch request '{}' depends on itself",
                    r.id
                )));
            }
            let (a, b) = (find(&mut parent, i), find(&mut parent, j));
            parent[a] = b;
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut root_pos: HashMap<usize, usize> = HashMap::new();
    for i in 0..requests.len() {
        let root = find(&mut parent, i);
        match root_pos.get(&root) {
            Some(&p) => groups[p].1.push(i),
            None => {
                root_pos.insert(root, groups.len());
                groups.push((root, vec![i]));
            }
        }
    }
    let mut batches: Vec<Vec<usize>> = Vec::new();
    for (_, g) in groups {
        if g.len() > MAX_BATCH {
            return Err(Error::invalid_input(format!(
                "more than {MAX_BATCH} batch requests depend on each other; Graph cannot run them in one batch"
            )));
        }
        match batches.last_mut() {
            Some(b) if b.len() + g.len() <= MAX_BATCH => b.extend(g),
            _ => batches.push(g),
        }
    }
    for b in &mut batches {
        b.sort_unstable();
    }
    Ok(batches)
}

impl Client {
    /// Runs the requests through `POST /$batch`, 20 at a time. Sub-requests answered 429 (and
    /// those that failed only because one they depend on was throttled, 424) are sent again
    /// after the longest `Retry-After` among them, within the client's retry limits. Returns one
    /// answer per request, in input order; a sub-request's failure is in its `status`/`error()`.
    pub async fn batch(&self, requests: &[BatchRequest]) -> Result<Vec<BatchResponse>, Error> {
        let mut answers: HashMap<String, BatchResponse> = HashMap::new();
        for batch in plan(requests)? {
            self.run_batch(requests, batch, &mut answers).await?;
        }
        requests
            .iter()
            .map(|r| {
                answers.remove(&r.id).ok_or_else(|| {
                    Error::decode(
                        format!("the batch answer has no response for request '{}'", r.id),
                        None,
                        None,
                    )
                })
            })
            .collect()
    }

    /// One planned batch: sent, then its throttled sub-requests (and those waiting on them) sent
    /// again while the retry policy allows. The last answer to each request goes in `answers`.
    async fn run_batch(
        &self,
        requests: &[BatchRequest],
        batch: Vec<usize>,
        answers: &mut HashMap<String, BatchResponse>,
    ) -> Result<(), Error> {
        let mut pending: Vec<usize> = batch;
        let mut round: u32 = 0;
        // What this batch has slept so far (the retry policy's time budget).
        let mut waited = Duration::ZERO;
        loop {
            let got = self.send_batch(requests, &pending).await?;
            let again = self.to_send_again(requests, &pending, &got, round, waited)?;
            for &i in &pending {
                let id = &requests[i].id;
                if let Some(a) = got.get(id) {
                    answers.insert(id.clone(), a.clone());
                }
            }
            let Some((retry, wait)) = again else {
                return Ok(());
            };
            tracing::warn!(
                count = retry.len(),
                wait_ms = wait.as_millis() as u64,
                round,
                "throttled batch sub-requests; retrying"
            );
            tokio::time::sleep(wait).await;
            waited += wait;
            pending = retry;
            round += 1;
        }
    }

    /// Which sub-requests of this round to send again, and after how long (the longest wait the
    /// retry policy gives a throttled one); `None` when nothing throttled is to be retried.
    fn to_send_again(
        &self,
        requests: &[BatchRequest],
        pending: &[usize],
        got: &HashMap<String, BatchResponse>,
        round: u32,
        waited: Duration,
    ) -> Result<Option<(Vec<usize>, Duration)>, Error> {
        let mut retry = Vec::new();
        let mut wait = Duration::ZERO;
        let now = SystemTime::now();
        let mut throttled_any = false;
        for &i in pending {
            let r = &requests[i];
            let Some(a) = got.get(&r.id) else {
                return Err(Error::decode(
                    format!("the batch answer has no response for request '{}'", r.id),
                    None,
                    None,
                ));
            };
            if a.status == 429 {
                throttled_any = true;
                match self.retry_policy().decide_within(
                    &http_method(r.method),
                    AttemptOutcome::Status(429),
                    a.retry_after(now),
                    round,
                    rand::random::<f64>(),
                    waited,
                ) {
                    RetryDecision::RetryAfter(d) => {
                        wait = wait.max(d);
                        retry.push(i);
                    }
                    RetryDecision::GiveUp => {}
                }
            } else if a.status == 424 {
                retry.push(i);
            }
        }
        // 424s are only worth re-sending together with a throttled request they wait on.
        if !throttled_any {
            return Ok(None);
        }
        let throttled_ids: HashSet<&str> = retry
            .iter()
            .filter(|&&i| got.get(&requests[i].id).is_some_and(|a| a.status == 429))
            .map(|&i| requests[i].id.as_str())
            .collect();
        if throttled_ids.is_empty() {
            return Ok(None);
        }
        retry.retain(|&i| {
            let r = &requests[i];
            throttled_ids.contains(r.id.as_str())
                || r.depends_on
                    .iter()
                    .any(|d| depends_transitively(requests, d, &throttled_ids))
        });
        Ok(Some((retry, wait)))
    }

    async fn send_batch(
        &self,
        requests: &[BatchRequest],
        members: &[usize],
    ) -> Result<HashMap<String, BatchResponse>, Error> {
        let in_batch: HashSet<&str> = members.iter().map(|&i| requests[i].id.as_str()).collect();
        let wire: Vec<WireRequest<'_>> = members
            .iter()
            .map(|&i| {
                let r = &requests[i];
                let mut headers = r.headers.clone();
                if r.body.is_some() && !headers.keys().any(|k| k.eq_ignore_ascii_case("content-type")) {
                    headers.insert("Content-Type".into(), "application/json".into());
                }
                WireRequest {
                    id: &r.id,
                    method: method_name(r.method),
                    url: &r.url,
                    headers,
                    body: r.body.as_ref(),
                    // a dependency answered in an earlier round is already satisfied
                    depends_on: r
                        .depends_on
                        .iter()
                        .map(String::as_str)
                        .filter(|d| in_batch.contains(d))
                        .collect(),
                }
            })
            .collect();
        let req = Req::new(Method::POST, "/$batch").json(&serde_json::json!({ "requests": wire }))?;
        let answer: WireAnswer = self.json(&req).await?;
        Ok(answer.responses.into_iter().map(|a| (a.id.clone(), a)).collect())
    }
}

fn depends_transitively(requests: &[BatchRequest], id: &str, targets: &HashSet<&str>) -> bool {
    let mut stack = vec![id.to_string()];
    let mut seen = HashSet::new();
    while let Some(cur) = stack.pop() {
        if targets.contains(cur.as_str()) {
            return true;
        }
        if !seen.insert(cur.clone()) {
            continue;
        }
        if let Some(r) = requests.iter().find(|r| r.id == cur) {
            stack.extend(r.depends_on.iter().cloned());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: &str) -> BatchRequest {
        BatchRequest::new(id, HttpMethod::Get, format!("/users/{id}"))
    }

    #[test]
    fn forty_five_independent_requests_become_20_20_5_in_order() {
        let rs: Vec<_> = (0..45).map(|i| req(&i.to_string())).collect();
        let p = plan(&rs).unwrap();
        assert_eq!(p.iter().map(Vec::len).collect::<Vec<_>>(), [20, 20, 5]);
        assert_eq!(p.concat(), (0..45).collect::<Vec<_>>());
    }

    #[test]
    fn dependency_chains_stay_in_one_batch() {
        let mut rs: Vec<_> = (0..19).map(|i| req(&i.to_string())).collect();
        rs.push(req("a"));
        rs.push(req("b").depends_on("a"));
        let p = plan(&rs).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].len(), 19);
        assert_eq!(p[1], vec![19, 20]);
    }

    #[test]
    fn invalid_plans_are_refused() {
        assert!(plan(&[req("a"), req("a")]).is_err());
        assert!(plan(&[req("a").depends_on("zz")]).is_err());
        assert!(plan(&[req("a").depends_on("a")]).is_err());
        let chain: Vec<_> = (0..21)
            .map(|i| {
                let r = req(&i.to_string());
                if i > 0 {
                    r.depends_on(&(i - 1).to_string())
                } else {
                    r
                }
            })
            .collect();
        assert!(plan(&chain).is_err());
        assert!(plan(&[BatchRequest::new("x", HttpMethod::Get, "https://evil/x")]).is_err());
    }
}

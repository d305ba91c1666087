//! Faults on demand: throttling (429 + Retry-After), 503, latency, dropped connections, expired
//! access tokens and expired delta tokens — per route or by probability, deterministic with the seed.

use crate::error::{unauthorized, GErr};
use axum::http::StatusCode;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 429 TooManyRequests with Retry-After.
    Throttle,
    /// 503 ServiceUnavailable (with Retry-After when given).
    Unavailable,
    /// Extra latency, then the normal answer.
    Latency,
    /// The connection is closed before a complete response.
    Drop,
    /// 401: the access token is treated as expired.
    ExpiredToken,
    /// 400 syncStateNotFound for delta requests that carry a token.
    ExpiredDelta,
    /// 504 GatewayTimeout *after* the request was carried out: a gateway gave up waiting for the
    /// server, which did the work anyway (a user created, an invitation sent).
    GatewayTimeoutAfterWork,
    /// 404 `Request_ResourceNotFound` "… does not exist …": what Graph answers for an object
    /// created a moment ago that has not reached every replica yet (replication lag). Use with
    /// `count` and a `path` such as `/groups/*/members` or `/users/*/assignLicense`.
    NotReplicated,
}

/// One fault rule. Matching: `method` (any if absent) and `path` (a prefix of the path after
/// `/v1.0`, `*` matches one segment, any if absent); fires with `probability` (default 1) for at
/// most `count` requests (unlimited if absent).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FaultRule {
    #[serde(default)]
    pub id: u64,
    pub kind: FaultKind,
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub probability: Option<f64>,
    #[serde(default)]
    pub count: Option<u32>,
    /// Retry-After in seconds (429/503/504).
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Send Retry-After as an HTTP-date instead of seconds.
    #[serde(default)]
    pub retry_after_http_date: bool,
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// How many times it fired.
    #[serde(default)]
    pub fired: u64,
}

#[derive(Debug)]
pub struct Faults {
    pub rules: Vec<FaultRule>,
    next_id: u64,
    rng: StdRng,
    /// Optional write quota (3,000 writes / 150 s per app+tenant).
    pub write_quota: Option<(usize, i64)>,
    writes: VecDeque<i64>,
}

/// What the HTTP layer must do for a request.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub latency_ms: u64,
    pub fail: Option<(FaultKind, Option<u64>, bool)>,
}

fn path_matches(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern
        .trim_start_matches("/v1.0")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    let a: Vec<&str> = path
        .split('?')
        .next()
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    if p.len() > a.len() {
        return false;
    }
    p.iter()
        .zip(a.iter())
        .all(|(x, y)| *x == "*" || x.eq_ignore_ascii_case(y))
}

impl Faults {
    pub fn new(seed: u64) -> Faults {
        Faults {
            rules: Vec::new(),
            next_id: 1,
            rng: StdRng::seed_from_u64(seed),
            write_quota: None,
            writes: VecDeque::new(),
        }
    }

    pub fn reset(&mut self, seed: u64) {
        let q = self.write_quota;
        *self = Faults::new(seed);
        self.write_quota = q;
    }

    pub fn add(&mut self, mut r: FaultRule) -> u64 {
        r.id = self.next_id;
        r.fired = 0;
        self.next_id += 1;
        let id = r.id;
        self.rules.push(r);
        id
    }

    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        before != self.rules.len()
    }

    /// Decides the faults for one request. `has_delta_token` gates `ExpiredDelta`.
    pub fn check(&mut self, method: &str, path: &str, has_delta_token: bool, now_ms: i64) -> Verdict {
        let mut v = Verdict::default();
        for r in self.rules.iter_mut() {
            if r.count == Some(0) {
                continue;
            }
            if let Some(m) = &r.method {
                if !m.eq_ignore_ascii_case(method) {
                    continue;
                }
            }
            if let Some(p) = &r.path {
                if !path_matches(p, path) {
                    continue;
                }
            }
            if r.kind == FaultKind::ExpiredDelta && !has_delta_token {
                continue;
            }
            if r.kind != FaultKind::Latency && v.fail.is_some() {
                continue;
            }
            let p = r.probability.unwrap_or(1.0);
            if p < 1.0 && self.rng.gen::<f64>() >= p {
                continue;
            }
            if let Some(c) = r.count.as_mut() {
                *c -= 1;
            }
            r.fired += 1;
            match r.kind {
                FaultKind::Latency => v.latency_ms += r.latency_ms.unwrap_or(0),
                k => v.fail = Some((k, r.retry_after, r.retry_after_http_date)),
            }
        }
        if v.fail.is_none() && !matches!(method, "GET" | "HEAD") {
            if let Some((limit, window_ms)) = self.write_quota {
                while self.writes.front().map(|t| *t <= now_ms - window_ms).unwrap_or(false) {
                    self.writes.pop_front();
                }
                if self.writes.len() >= limit {
                    let wait = self
                        .writes
                        .front()
                        .map(|t| (t + window_ms - now_ms) / 1000 + 1)
                        .unwrap_or(1)
                        .max(1) as u64;
                    v.fail = Some((FaultKind::Throttle, Some(wait), false));
                } else {
                    self.writes.push_back(now_ms);
                }
            }
        }
        v
    }
}

pub fn retry_after_value(secs: u64, http_date: bool, now_ms: i64) -> String {
    if http_date {
        let t = std::time::UNIX_EPOCH
            + std::time::Duration::from_millis(now_ms.max(0) as u64)
            + std::time::Duration::from_secs(secs);
        httpdate::fmt_http_date(t)
    } else {
        secs.to_string()
    }
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
        FaultKind::GatewayTimeoutAfterWork => {
            let e = GErr::new(
                StatusCode::GATEWAY_TIMEOUT,
                "GatewayTimeout",
                "The gateway did not receive a timely response from the upstream server.",
            );
            match retry {
                Some(s) => e.header("retry-after", retry_after_value(s, http_date, now_ms)),
                None => e,
            }
        }
        FaultKind::NotReplicated => GErr::not_found("the object just created"),
        FaultKind::Latency | FaultKind::Drop => GErr::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "generalException",
            "General exception while processing.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: FaultKind) -> FaultRule {
        FaultRule {
            id: 0,
            kind,
            method: None,
            path: None,
            probability: None,
            count: None,
            retry_after: Some(3),
            retry_after_http_date: false,
            latency_ms: None,
            fired: 0,
        }
    }

    #[test]
    fn not_replicated_answers_graphs_does_not_exist_for_the_given_number_of_requests() {
        let mut f = Faults::new(1);
        f.add(FaultRule {
            method: Some("POST".into()),
            path: Some("/groups/*/members".into()),
            count: Some(1),
            ..rule(FaultKind::NotReplicated)
        });
        assert!(f.check("GET", "/groups/g1/members", false, 0).fail.is_none());
        let (kind, _, _) = f.check("POST", "/groups/g1/members/$ref", false, 0).fail.unwrap();
        let e = fault_error(kind, None, false, 0, "t");
        let body = e.body("r", "c", "d");
        assert_eq!(body["error"]["code"], "Request_ResourceNotFound");
        assert!(body["error"]["message"].as_str().unwrap().contains("does not exist"));
        assert!(
            f.check("POST", "/groups/g1/members/$ref", false, 0).fail.is_none(),
            "once only"
        );
    }

    #[test]
    fn count_limits_and_route_matching() {
        let mut f = Faults::new(1);
        f.add(FaultRule {
            path: Some("/users/*/memberOf".into()),
            count: Some(2),
            ..rule(FaultKind::Throttle)
        });
        assert!(f.check("GET", "/users", false, 0).fail.is_none());
        assert!(f.check("GET", "/users/abc/memberOf", false, 0).fail.is_some());
        assert!(f.check("GET", "/users/abc/memberOf", false, 0).fail.is_some());
        assert!(
            f.check("GET", "/users/abc/memberOf", false, 0).fail.is_none(),
            "count exhausted"
        );
        assert_eq!(f.rules[0].fired, 2);
    }

    #[test]
    fn probability_is_deterministic_with_the_seed() {
        let run = |seed| {
            let mut f = Faults::new(seed);
            f.add(FaultRule {
                probability: Some(0.3),
                ..rule(FaultKind::Unavailable)
            });
            (0..200)
                .map(|_| f.check("GET", "/users", false, 0).fail.is_some())
                .collect::<Vec<_>>()
        };
        let a = run(9);
        assert_eq!(a, run(9));
        let hits = a.iter().filter(|x| **x).count();
        assert!((30..=90).contains(&hits), "~30% of 200, got {hits}");
        assert_ne!(a, run(10));
    }

    #[test]
    fn expired_delta_only_hits_token_requests_and_latency_adds_up() {
        let mut f = Faults::new(1);
        f.add(rule(FaultKind::ExpiredDelta));
        f.add(FaultRule {
            latency_ms: Some(40),
            ..rule(FaultKind::Latency)
        });
        let v = f.check("GET", "/users/delta", false, 0);
        assert!(v.fail.is_none());
        assert_eq!(v.latency_ms, 40);
        assert_eq!(
            f.check("GET", "/users/delta", true, 0).fail.map(|x| x.0),
            Some(FaultKind::ExpiredDelta)
        );
    }

    #[test]
    fn write_quota_throttles_writes_in_the_window() {
        let mut f = Faults::new(1);
        f.write_quota = Some((3, 150_000));
        for _ in 0..3 {
            assert!(f.check("POST", "/users", false, 1_000).fail.is_none());
        }
        assert!(
            f.check("GET", "/users", false, 1_000).fail.is_none(),
            "reads don't count"
        );
        let v = f.check("PATCH", "/users/x", false, 2_000);
        assert_eq!(v.fail.map(|x| x.0), Some(FaultKind::Throttle));
        assert!(
            f.check("POST", "/users", false, 152_000).fail.is_none(),
            "window moved on"
        );
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(retry_after_value(5, false, 0), "5");
        assert_eq!(retry_after_value(5, true, 0), "Thu, 01 Jan 1970 00:00:05 GMT");
    }
}

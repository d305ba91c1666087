//! The retry policy: a pure function of (method, outcome, Retry-After, attempt, jitter).
//!
//! Nothing here does I/O or reads a clock; `execute()` feeds it and sleeps for what it says.

use std::time::{Duration, SystemTime};

use reqwest::Method;

/// What happened to one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// No HTTP answer: connect/reset/timeout.
    Transport,
    /// Graph answered with this (non-2xx) status.
    Status(u16),
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Sleep this long, then send again.
    RetryAfter(Duration),
    /// Stop and report the error.
    GiveUp,
}

/// Retry limits. `Default` suits an interactive desktop app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` sends at most).
    pub max_retries: u32,
    /// First backoff step; doubles per attempt.
    pub base_delay: Duration,
    /// Backoff never exceeds this (before jitter is applied downwards).
    pub max_delay: Duration,
    /// A `Retry-After` longer than this is not waited for: the error is returned instead,
    /// carrying `retry_after()` so the UI can say when to try again.
    pub max_retry_after: Duration,
    /// All the waits of one call together never exceed this (`decide_within`): a person waiting
    /// on a form gets an answer, "try again at …" included, within this time.
    pub max_total_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(32),
            // The Graph SDKs cap one delay at 180 s.
            max_retry_after: Duration::from_secs(180),
            max_total_wait: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// No retries at all (still honours the single 401 refresh, which is not a retry).
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Decides whether attempt number `attempt` (0 = the first send) is retried.
    ///
    /// * 429, and 503 carrying `Retry-After`: retried for every method (the server did not
    ///   process the request), waiting `Retry-After` if given, else backoff.
    /// * 504 (a gateway gave up waiting; the server may have done the work): retried only for
    ///   idempotent methods, whatever `Retry-After` says — a POST is not sent twice (a user created
    ///   twice, an invitation sent twice); the caller reports or re-reads instead.
    /// * transport errors and 500/502/503/504 without `Retry-After`: retried only for idempotent
    ///   methods (GET, HEAD, OPTIONS, PUT, DELETE), with backoff.
    /// * everything else: give up.
    ///
    /// `jitter` is a number in `[0, 1)`; the backoff is scaled into `[50%, 100%]` of its step.
    pub fn decide(
        &self,
        method: &Method,
        outcome: AttemptOutcome,
        retry_after: Option<Duration>,
        attempt: u32,
        jitter: f64,
    ) -> RetryDecision {
        if attempt >= self.max_retries {
            return RetryDecision::GiveUp;
        }
        let idempotent = is_idempotent(method);
        let honour = |ra: Option<Duration>| match ra {
            Some(d) if d > self.max_retry_after => RetryDecision::GiveUp,
            Some(d) => RetryDecision::RetryAfter(d),
            None => RetryDecision::RetryAfter(self.backoff(attempt, jitter)),
        };
        match outcome {
            AttemptOutcome::Status(429) => honour(retry_after),
            AttemptOutcome::Status(503) if retry_after.is_some() => honour(retry_after),
            AttemptOutcome::Status(504) if retry_after.is_some() && idempotent => honour(retry_after),
            AttemptOutcome::Status(500 | 502 | 503 | 504) | AttemptOutcome::Transport if idempotent => {
                RetryDecision::RetryAfter(self.backoff(attempt, jitter))
            }
            _ => RetryDecision::GiveUp,
        }
    }

    /// [`decide`](Self::decide), within the time budget: `waited` is what this call has already
    /// slept; a wait that would take the total past `max_total_wait` is not started.
    pub fn decide_within(
        &self,
        method: &Method,
        outcome: AttemptOutcome,
        retry_after: Option<Duration>,
        attempt: u32,
        jitter: f64,
        waited: Duration,
    ) -> RetryDecision {
        match self.decide(method, outcome, retry_after, attempt, jitter) {
            RetryDecision::RetryAfter(d) if waited.saturating_add(d) > self.max_total_wait => RetryDecision::GiveUp,
            d => d,
        }
    }

    /// Exponential backoff with "equal jitter": step = min(base * 2^attempt, max), result in
    /// `[step/2, step]`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(20));
        let step = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let j = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        step.mul_f64(0.5 + 0.5 * j).min(self.max_delay)
    }
}

/// RFC 9110 idempotent methods.
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Parses a `Retry-After` header value: delta-seconds (`"5"`) or an HTTP-date
/// (`"Wed, 21 Oct 2015 07:28:00 GMT"`), relative to `now`. A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn throttling_honours_retry_after_for_every_method() {
        for m in [Method::GET, Method::POST, Method::PATCH] {
            assert_eq!(
                p().decide(&m, AttemptOutcome::Status(429), Some(Duration::from_secs(7)), 0, 0.3),
                RetryDecision::RetryAfter(Duration::from_secs(7))
            );
        }
    }

    #[test]
    fn service_unavailable_with_retry_after_is_retried_even_for_post() {
        assert_eq!(
            p().decide(
                &Method::POST,
                AttemptOutcome::Status(503),
                Some(Duration::from_secs(2)),
                1,
                0.0
            ),
            RetryDecision::RetryAfter(Duration::from_secs(2))
        );
    }

    #[test]
    fn a_gateway_timeout_never_sends_a_post_twice() {
        let ra = Some(Duration::from_secs(2));
        for m in [Method::POST, Method::PATCH] {
            assert_eq!(
                p().decide(&m, AttemptOutcome::Status(504), ra, 0, 0.0),
                RetryDecision::GiveUp,
                "{m}"
            );
            assert_eq!(
                p().decide(&m, AttemptOutcome::Status(504), None, 0, 0.0),
                RetryDecision::GiveUp,
                "{m}"
            );
        }
        assert_eq!(
            p().decide(&Method::GET, AttemptOutcome::Status(504), ra, 0, 0.0),
            RetryDecision::RetryAfter(Duration::from_secs(2))
        );
    }

    #[test]
    fn one_call_waits_at_most_the_budget_in_all() {
        let pol = RetryPolicy::default();
        let ra = Some(Duration::from_secs(100));
        // 429 storms answering "100 s" each time: the first wait fits in 180 s, the second not.
        assert_eq!(
            pol.decide_within(&Method::GET, AttemptOutcome::Status(429), ra, 0, 0.0, Duration::ZERO),
            RetryDecision::RetryAfter(Duration::from_secs(100))
        );
        assert_eq!(
            pol.decide_within(
                &Method::GET,
                AttemptOutcome::Status(429),
                ra,
                1,
                0.0,
                Duration::from_secs(100)
            ),
            RetryDecision::GiveUp
        );
        // One delay longer than the SDKs' 180 s is not waited for at all.
        assert_eq!(
            pol.decide(
                &Method::GET,
                AttemptOutcome::Status(429),
                Some(Duration::from_secs(181)),
                0,
                0.0
            ),
            RetryDecision::GiveUp
        );
        // The worst case over every attempt stays within the budget.
        let mut waited = Duration::ZERO;
        for attempt in 0.. {
            match pol.decide_within(
                &Method::GET,
                AttemptOutcome::Status(429),
                Some(Duration::from_secs(60)),
                attempt,
                0.0,
                waited,
            ) {
                RetryDecision::RetryAfter(d) => waited += d,
                RetryDecision::GiveUp => break,
            }
        }
        assert!(waited <= pol.max_total_wait, "{waited:?}");
    }

    #[test]
    fn five_hundreds_without_retry_after_only_for_idempotent_methods() {
        let d = p().decide(&Method::GET, AttemptOutcome::Status(503), None, 0, 0.0);
        assert_eq!(d, RetryDecision::RetryAfter(Duration::from_millis(250)));
        assert_eq!(
            p().decide(&Method::POST, AttemptOutcome::Status(503), None, 0, 0.0),
            RetryDecision::GiveUp
        );
        assert_eq!(
            p().decide(&Method::PATCH, AttemptOutcome::Status(500), None, 0, 0.0),
            RetryDecision::GiveUp
        );
        assert!(matches!(
            p().decide(&Method::DELETE, AttemptOutcome::Status(502), None, 0, 0.0),
            RetryDecision::RetryAfter(_)
        ));
    }

    #[test]
    fn transport_errors_only_for_idempotent_methods() {
        assert!(matches!(
            p().decide(&Method::PUT, AttemptOutcome::Transport, None, 0, 0.5),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(
            p().decide(&Method::POST, AttemptOutcome::Transport, None, 0, 0.5),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn client_errors_and_not_implemented_are_never_retried() {
        for s in [400, 401, 403, 404, 409, 410, 501] {
            assert_eq!(
                p().decide(&Method::GET, AttemptOutcome::Status(s), None, 0, 0.0),
                RetryDecision::GiveUp,
                "{s}"
            );
        }
    }

    #[test]
    fn attempts_are_limited() {
        let pol = RetryPolicy { max_retries: 2, ..p() };
        let ra = Some(Duration::from_secs(1));
        assert!(matches!(
            pol.decide(&Method::GET, AttemptOutcome::Status(429), ra, 1, 0.0),
            RetryDecision::RetryAfter(_)
        ));
        assert_eq!(
            pol.decide(&Method::GET, AttemptOutcome::Status(429), ra, 2, 0.0),
            RetryDecision::GiveUp
        );
        assert_eq!(
            RetryPolicy::never().decide(&Method::GET, AttemptOutcome::Status(429), ra, 0, 0.0),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn too_long_retry_after_gives_up() {
        assert_eq!(
            p().decide(
                &Method::GET,
                AttemptOutcome::Status(429),
                Some(Duration::from_secs(3600)),
                0,
                0.0
            ),
            RetryDecision::GiveUp
        );
    }

    #[test]
    fn backoff_grows_is_capped_and_jittered_within_bounds() {
        let pol = p();
        assert_eq!(pol.backoff(0, 1.0), Duration::from_millis(500));
        assert_eq!(pol.backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(pol.backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(pol.backoff(30, 1.0), Duration::from_secs(32));
        assert_eq!(pol.backoff(30, 0.0), Duration::from_secs(16));
        for a in 0..12 {
            for j in [0.0, 0.25, 0.99, f64::NAN] {
                let d = pol.backoff(a, j);
                assert!(d <= pol.max_delay && d >= Duration::from_millis(250));
            }
        }
    }

    #[test]
    fn retry_after_in_both_forms() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(parse_retry_after("5", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after(" 120 ", now), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-3", now), None);
    }
}

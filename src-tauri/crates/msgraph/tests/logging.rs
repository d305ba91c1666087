//! The client's logs never contain the token or the Authorization header.

mod common;

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use common::*;
use msgraph::UserRef;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A minimal subscriber that records every event and span field as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut s = self.0.lock().unwrap();
        let _ = write!(s, "\nspan {}", span.metadata().name());
        span.record(&mut Fields(&mut s));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Fields(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut s = self.0.lock().unwrap();
        let _ = write!(s, "\n{} {}", event.metadata().level(), event.metadata().target());
        event.record(&mut Fields(&mut s));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test(start_paused = true)]
async fn logs_describe_requests_but_never_contain_a_token() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let mut h = harness().await;
    let stale = h
        .server
        .mock("GET", "/v1.0/me")
        .match_header("authorization", bearer(1).as_str())
        .with_status(401)
        .with_body(error_body("InvalidAuthenticationToken", "expired", "rid-l1"))
        .expect(1)
        .create_async()
        .await;
    let throttled = h
        .server
        .mock("GET", "/v1.0/me")
        .match_header("authorization", bearer(2).as_str())
        .with_status(429)
        .with_header("Retry-After", "1")
        .with_body(error_body("TooManyRequests", "slow down", "rid-l2"))
        .expect(1)
        .create_async()
        .await;
    let ok = h
        .server
        .mock("GET", "/v1.0/me")
        .match_header("authorization", bearer(2).as_str())
        .with_header("request-id", "rid-ok")
        .with_body(h.fixture("user_get"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    h.client.users().get(&UserRef::Me, &[]).await.unwrap();
    for m in [stale, throttled, ok] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;

    let log = capture.0.lock().unwrap().clone();
    assert!(log.contains("graph request"), "{log}");
    assert!(log.contains("rid-ok"), "the request id is logged for support: {log}");
    assert!(log.contains("refreshing the token once"), "{log}");
    assert!(log.contains("graph asked us to retry"), "{log}");
    for secret in ["token-1", "token-2", "Bearer"] {
        assert!(!log.contains(secret), "'{secret}' leaked into the logs:\n{log}");
    }
}

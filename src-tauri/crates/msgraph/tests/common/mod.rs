//! Shared test harness: one mockito server per test, a token provider that records what it was
//! asked, Microsoft's fixtures, and a catch-all mock that fails loudly on unexpected requests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use mockito::{Matcher, Mock, Server, ServerGuard};
use msgraph::{AccessToken, Client, ClientOptions, RetryPolicy, TokenError, TokenFuture, TokenProvider};
use url::Url;

pub const GRAPH: &str = "https://graph.microsoft.com/v1.0";

/// Hands out `token-1`; after a forced refresh `token-2`, `token-3`, …
#[derive(Default)]
pub struct TestTokens {
    pub calls: AtomicUsize,
    pub forced: AtomicUsize,
    pub fail: Mutex<Option<TokenError>>,
}

impl TestTokens {
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
    pub fn forced(&self) -> usize {
        self.forced.load(Ordering::SeqCst)
    }
}

impl TokenProvider for TestTokens {
    fn access_token(&self, force_refresh: bool) -> TokenFuture<'_> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            if let Some(e) = self.fail.lock().unwrap().clone() {
                return Err(e);
            }
            if force_refresh {
                self.forced.fetch_add(1, Ordering::SeqCst);
            }
            Ok(AccessToken::new(format!("token-{}", self.forced() + 1)))
        })
    }
}

pub struct Harness {
    pub server: ServerGuard,
    pub tokens: Arc<TestTokens>,
    pub client: Client,
}

/// Options for tests: no wall-clock timeouts (tests may run with paused time).
pub fn test_options() -> ClientOptions {
    ClientOptions {
        retry: RetryPolicy::default(),
        user_agent: "msgraph-tests".into(),
        timeout: None,
        connect_timeout: None,
        waits: None,
        read_only: false,
    }
}

pub async fn harness() -> Harness {
    harness_with(test_options()).await
}

pub async fn harness_with(options: ClientOptions) -> Harness {
    let server = Server::new_async().await;
    let tokens = Arc::new(TestTokens::default());
    let base = Url::parse(&format!("{}/v1.0", server.url())).unwrap();
    let client = Client::with_options(base, tokens.clone(), options);
    Harness { server, tokens, client }
}

impl Harness {
    /// The base URL the client uses (`http://127.0.0.1:PORT/v1.0`).
    pub fn base(&self) -> String {
        format!("{}/v1.0", self.server.url())
    }

    /// A fixture with Graph's host replaced by this server, so nextLinks point here.
    pub fn fixture(&self, name: &str) -> String {
        fixture(name).replace(GRAPH, &self.base())
    }

    /// Must be created LAST: mockito serves the last matching mock once the specific mocks have
    /// had their expected hits, so any extra or unexpected request lands here and fails the test.
    pub async fn catch_all(&mut self) -> CatchAll {
        let mut mocks = Vec::new();
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] {
            mocks.push(
                self.server
                    .mock(method, Matcher::Any)
                    .with_status(599)
                    .with_body(
                        r#"{"error":{"code":"UnexpectedRequest","message":"the test did not expect this request"}}"#,
                    )
                    .expect(0)
                    .create_async()
                    .await,
            );
        }
        CatchAll(mocks)
    }
}

/// The catch-all mocks; `assert_async` fails loudly if any unexpected request arrived.
pub struct CatchAll(Vec<Mock>);

impl CatchAll {
    pub async fn assert_async(&self) {
        for m in &self.0 {
            m.assert_async().await;
        }
    }
}

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

pub fn bearer(n: usize) -> String {
    format!("Bearer token-{n}")
}

pub fn error_body(code: &str, message: &str, request_id: &str) -> String {
    serde_json::json!({
        "error": {
            "code": code,
            "message": message,
            "innerError": {
                "date": "2024-05-01T10:00:00",
                "request-id": request_id,
                "client-request-id": request_id
            }
        }
    })
    .to_string()
}

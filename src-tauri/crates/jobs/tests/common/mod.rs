//! What the jobs crate's integration tests share: the practice tenant (the `sandbox` crate's Graph
//! emulator, in-process), a token it signed, our `msgraph::Client` on it, and its admin API.

use std::sync::Arc;

use jobs::JobProgress;
use msgraph::{AccessToken, Client, TokenFuture, TokenProvider};
use serde_json::{json, Value};

struct Token(String);

impl TokenProvider for Token {
    fn access_token(&self, _force_refresh: bool) -> TokenFuture<'_> {
        let t = self.0.clone();
        Box::pin(async move { Ok(AccessToken::new(t)) })
    }
}

pub struct Tenant {
    _sandbox: sandbox::Sandbox,
    pub base: String,
    pub secret: String,
    pub http: reqwest::Client,
    pub client: Client,
}

impl Tenant {
    pub async fn start(generate: Option<(usize, usize)>) -> Tenant {
        let sandbox = sandbox::Sandbox::start(sandbox::Config {
            generate,
            ..sandbox::Config::default()
        })
        .await
        .unwrap();
        let base = sandbox.base_url();
        let graph = sandbox.graph_url();
        let secret = sandbox.admin_secret();
        let http = reqwest::Client::new();
        let token = http
            .post(format!("{base}/_sandbox/tokens"))
            .header(sandbox::ADMIN_SECRET_HEADER, &secret)
            .json(&json!({ "upn": "admin@contoso.com" }))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_string();
        let client = Client::new(url::Url::parse(&graph).unwrap(), Arc::new(Token(token)));
        Tenant {
            _sandbox: sandbox,
            base,
            secret,
            http,
            client,
        }
    }

    /// A subscription the seed does not have (AAD_BASIC) with `seats` seats; its skuId.
    pub async fn subscription(&self, seats: u32) -> String {
        let sku = self
            .admin(
                reqwest::Method::POST,
                "/skus",
                Some(json!({ "sku": "AAD_BASIC", "seats": seats })),
            )
            .await;
        sku["skuId"].as_str().unwrap().to_string()
    }

    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}/_sandbox{path}", self.base))
            .header(sandbox::ADMIN_SECRET_HEADER, &self.secret);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
}

/// A job's progress, not looked at.
pub fn quiet(_: &JobProgress) {}

#![allow(dead_code)]
//! Shared helpers for the HTTP tests: start a sandbox, get tokens, call Graph.

use reqwest::{Client, Method, StatusCode};
use sandbox::{Config, Sandbox};
use serde_json::{json, Value};

pub struct T {
    pub sb: Sandbox,
    pub http: Client,
    pub token: String,
}

pub const ADMIN: &str = "admin@contoso.com";
pub const ADELE: &str = "AdeleV@contoso.com";

pub async fn start_with(config: Config) -> T {
    let sb = Sandbox::start(config).await.expect("sandbox starts");
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let token = mint(&http, &sb, ADMIN).await;
    T { sb, http, token }
}

pub async fn start() -> T {
    start_with(Config::default()).await
}

pub async fn mint(http: &Client, sb: &Sandbox, upn: &str) -> String {
    let r: Value = http
        .post(format!("{}/_sandbox/tokens", sb.base_url()))
        .header(sandbox::ADMIN_SECRET_HEADER, sb.admin_secret())
        .json(&json!({"upn": upn}))
        .send()
        .await
        .expect("mint")
        .json()
        .await
        .expect("json");
    r["access_token"].as_str().expect("token").to_string()
}

impl T {
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{}", self.sb.graph_url(), path)
        }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut rb = self.http.request(method, self.url(path)).bearer_auth(&self.token);
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("request");
        let status = r.status();
        let h = r.headers().clone();
        let text = r.text().await.unwrap_or_default();
        let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, h, v)
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::GET, path, None, &[]).await;
        (s, v)
    }

    pub async fn get_ev(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self
            .call(Method::GET, path, None, &[("ConsistencyLevel", "eventual")])
            .await;
        (s, v)
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::POST, path, Some(body), &[]).await;
        (s, v)
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let (s, _, v) = self.call(Method::PATCH, path, Some(body), &[]).await;
        (s, v)
    }

    pub async fn delete(&self, path: &str) -> StatusCode {
        self.call(Method::DELETE, path, None, &[]).await.0
    }

    pub async fn admin(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let mut rb = self
            .http
            .request(method, format!("{}/_sandbox{}", self.sb.base_url(), path))
            .header(sandbox::ADMIN_SECRET_HEADER, self.sb.admin_secret());
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let r = rb.send().await.expect("admin request");
        let s = r.status();
        let text = r.text().await.unwrap_or_default();
        (s, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// Follows nextLinks to the end, returning all items and the final response.
    pub async fn walk(&self, first: &str, headers: &[(&str, &str)]) -> (Vec<Value>, Value, usize) {
        let mut items = Vec::new();
        let mut url = first.to_string();
        let mut pages = 0;
        loop {
            let (s, _, v) = self.call(Method::GET, &url, None, headers).await;
            assert_eq!(s, StatusCode::OK, "{url}: {v}");
            pages += 1;
            items.extend(v["value"].as_array().cloned().unwrap_or_default());
            match v["@odata.nextLink"].as_str() {
                Some(n) => {
                    assert!(v.get("@odata.deltaLink").is_none(), "never both links");
                    url = n.to_string();
                }
                None => return (items, v, pages),
            }
            assert!(pages < 10_000);
        }
    }
}

pub fn assert_graph_error(v: &Value, code: &str) {
    assert_eq!(v["error"]["code"], code, "{v}");
    let inner = &v["error"]["innerError"];
    assert!(
        inner["request-id"].as_str().map(|s| s.len() == 36).unwrap_or(false),
        "{v}"
    );
    assert!(inner["client-request-id"].is_string(), "{v}");
    assert!(inner["date"].is_string(), "{v}");
}

//! The request context: who is calling, the Graph request itself (from HTTP or inside `$batch`)
//! and the per-request values that are not part of the tenant.

use crate::error::GErr;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde_json::{Map, Value};

/// The signed-in user a validated access token names.
#[derive(Debug, Clone)]
pub struct Caller {
    pub oid: String,
    /// The token's delegated permissions (`scp`), e.g. `User.Read.All Group.Read.All`.
    pub scopes: Vec<String>,
}

impl Caller {
    /// Whether the token carries a permission that allows changes (any `*.ReadWrite*`, or
    /// `Directory.AccessAsUser.All`, `User.Invite.All`, `User.RevokeSessions.All`,
    /// `User.EnableDisableAccount.All`). Graph checks a permission per operation; the practice
    /// tenant checks that the token may change anything at all: a read-only sign-in's token is
    /// refused every write with Graph's 403, as Graph refuses it.
    pub fn may_write(&self) -> bool {
        self.scopes.iter().any(|s| {
            s.contains(".ReadWrite")
                || matches!(
                    s.as_str(),
                    "Directory.AccessAsUser.All"
                        | "User.Invite.All"
                        | "User.RevokeSessions.All"
                        | "User.EnableDisableAccount.All"
                )
        })
    }
}

/// One Graph request (from HTTP or from inside `$batch`).
#[derive(Clone)]
pub struct GReq {
    pub method: Method,
    /// Path after `/v1.0`, still percent-encoded, e.g. `/users/AdeleV%40contoso.com`.
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Option<Value>,
    pub caller: Caller,
}

/// Debug without headers: they carry the bearer token.
impl std::fmt::Debug for GReq {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GReq")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("caller", &self.caller)
            .finish_non_exhaustive()
    }
}

impl GReq {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn eventual(&self) -> bool {
        self.header("consistencylevel")
            .map(|v| v.eq_ignore_ascii_case("eventual"))
            .unwrap_or(false)
    }
    pub fn body_obj(&self) -> Result<Map<String, Value>, GErr> {
        match &self.body {
            Some(Value::Object(m)) => Ok(m.clone()),
            Some(_) => Err(GErr::bad(
                "BadRequest",
                "Invalid request body: a JSON object was expected.",
            )),
            None => Err(GErr::bad("BadRequest", "Empty Payload. JSON content expected.")),
        }
    }
}

/// Per-request context that is not part of the tenant.
pub struct Ctx {
    /// `http://127.0.0.1:PORT/v1.0`
    pub graph: String,
    pub now_ms: i64,
    pub delta_ttl_ms: i64,
    pub delta_page: usize,
}

/// Decodes a query string into (name, value) pairs.
pub fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.map(|q| url::form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// A header map from (name, value) pairs (`$batch` sub-requests carry their headers so).
pub fn header_map(pairs: &[(String, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (k, v) in pairs {
        if let (Ok(k), Ok(v)) = (
            HeaderName::try_from(k.to_ascii_lowercase().as_str()),
            HeaderValue::from_str(v),
        ) {
            h.insert(k, v);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_bearer_token() {
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer secret-token-value".parse().unwrap());
        let r = GReq {
            method: Method::GET,
            path: "/me".into(),
            query: vec![],
            headers,
            body: None,
            caller: Caller {
                oid: "x".into(),
                scopes: Vec::new(),
            },
        };
        assert!(!format!("{r:?}").contains("secret-token-value"));
    }
}

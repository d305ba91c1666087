//! Graph's error envelope and the response type every Graph handler returns.

use axum::http::StatusCode;
use serde_json::{json, Value};

/// The body of a Graph response before headers like request-id are attached.
#[derive(Debug, Clone)]
pub enum Body {
    None,
    Json(Value),
    Text(String),
}

/// A response from the Graph dispatcher (also used inside `$batch`).
#[derive(Debug, Clone)]
pub struct GResp {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl GResp {
    pub fn json(status: StatusCode, v: Value) -> GResp {
        GResp {
            status,
            headers: Vec::new(),
            body: Body::Json(v),
        }
    }
    pub fn ok(v: Value) -> GResp {
        GResp::json(StatusCode::OK, v)
    }
    pub fn created(v: Value) -> GResp {
        GResp::json(StatusCode::CREATED, v)
    }
    pub fn no_content() -> GResp {
        GResp {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: Body::None,
        }
    }
    pub fn text(s: String) -> GResp {
        GResp {
            status: StatusCode::OK,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: Body::Text(s),
        }
    }
}

/// A Graph error: status + code + message (+ optional details).
#[derive(Debug, Clone)]
pub struct GErr {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub details: Option<Value>,
    pub headers: Vec<(String, String)>,
}

impl GErr {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> GErr {
        GErr {
            status,
            code: code.into(),
            message: message.into(),
            details: None,
            headers: Vec::new(),
        }
    }
    pub fn bad(code: &str, message: impl Into<String>) -> GErr {
        GErr::new(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn bad_request(message: impl Into<String>) -> GErr {
        GErr::bad("Request_BadRequest", message)
    }
    pub fn unsupported(message: impl Into<String>) -> GErr {
        GErr::bad("Request_UnsupportedQuery", message)
    }
    pub fn not_found(id: &str) -> GErr {
        GErr::new(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
        )
    }
    pub fn no_route() -> GErr {
        GErr::bad("BadRequest", "Resource not found for the segment.")
    }
    pub fn forbidden() -> GErr {
        GErr::new(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }
    pub fn with_details(mut self, d: Value) -> GErr {
        self.details = Some(d);
        self
    }
    pub fn header(mut self, k: &str, v: impl Into<String>) -> GErr {
        self.headers.push((k.to_string(), v.into()));
        self
    }

    /// Renders Graph's envelope. `request_id`/`client_request_id` come from the HTTP layer.
    pub fn body(&self, request_id: &str, client_request_id: &str, date: &str) -> Value {
        let mut err = json!({
            "code": self.code,
            "message": self.message,
            "innerError": {
                "date": date,
                "request-id": request_id,
                "client-request-id": client_request_id,
            }
        });
        if let Some(d) = &self.details {
            err["details"] = d.clone();
        }
        json!({ "error": err })
    }

    pub fn into_resp(self, request_id: &str, client_request_id: &str) -> GResp {
        let body = self.body(request_id, client_request_id, &crate::util::iso_now());
        let mut r = GResp::json(self.status, body);
        r.headers.extend(self.headers);
        r
    }
}

pub type GResult = Result<GResp, GErr>;

/// 401 with the `WWW-Authenticate` challenge Graph sends.
pub fn unauthorized(msg: &str) -> GErr {
    GErr::new(StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", msg).header(
        "www-authenticate",
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000""#,
    )
}

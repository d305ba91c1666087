//! Custom API Action (1.9): any Graph v1.0 request, relative to the signed-in Graph endpoint.

use msgraph::{Client, CustomBody, CustomRequest, HttpMethod};

use crate::explain::{explain, Action};
use crate::Error;

/// The Custom Request form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomInput {
    /// GET, POST, PUT, PATCH or DELETE.
    pub method: String,
    /// `/users`, or a full address on the signed-in Graph endpoint (its `/v1.0` prefix is removed).
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// JSON text (not for GET).
    pub body: Option<String>,
}

/// What Graph answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomOutput {
    pub status: u16,
    /// The headers worth showing (request-id, content-type, location, retry-after, …).
    pub headers: Vec<(String, String)>,
    /// Pretty-printed JSON, or the text as sent.
    pub body: String,
}

const SHOWN_HEADERS: &[&str] = &[
    "request-id",
    "client-request-id",
    "content-type",
    "location",
    "retry-after",
    "odata-version",
    "preference-applied",
    "x-ms-ags-diagnostic",
    "date",
];

/// The path relative to Graph's base, or why not. Full addresses are accepted only on the
/// signed-in Graph endpoint (the token is never sent elsewhere).
fn relative_path(client: &Client, raw: &str) -> Result<String, Error> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(Error::invalid(
            "path",
            "Enter the address, for example /users or /groups?$top=5.",
        ));
    }
    if raw.contains("://") || raw.starts_with("//") {
        let url = url::Url::parse(raw).map_err(|_| Error::invalid("path", format!("{raw} is not a web address.")))?;
        let base = client.base_url();
        let same_origin = url.scheme() == base.scheme()
            && url.host_str() == base.host_str()
            && url.port_or_known_default() == base.port_or_known_default();
        let base_path = base.path().trim_end_matches('/');
        if !same_origin || !url.path().starts_with(base_path) {
            return Err(Error::invalid(
                "path",
                format!("Only addresses on {base} can be used: your sign-in is never sent to another site. Write the part after {base_path}, for example /users."),
            ));
        }
        let mut rel = url.path()[base_path.len()..].to_string();
        if !rel.starts_with('/') {
            rel.insert(0, '/');
        }
        if let Some(q) = url.query() {
            rel.push('?');
            rel.push_str(q);
        }
        return Ok(rel);
    }
    if raw.starts_with("v1.0/") || raw.starts_with("/v1.0/") || raw.starts_with("/beta/") {
        return Err(Error::invalid(
            "path",
            "Leave out the version: write /users, not /v1.0/users (requests always go to v1.0).",
        ));
    }
    Ok(if raw.starts_with('/') {
        raw.to_string()
    } else {
        format!("/{raw}")
    })
}

/// Checked first: the method, the path (relative, or a full address on the signed-in Graph
/// endpoint), the body is valid JSON (with line and column when not) and absent for GET, header
/// and query names present. Graph's errors come back as errors (with code and request id).
pub async fn send(client: &Client, input: &CustomInput) -> Result<CustomOutput, Error> {
    let method = method(&input.method)?;
    let path = relative_path(client, &input.path)?;
    let body = json_body(input.body.as_deref(), method)?;
    for (k, _) in &input.query {
        if k.trim().is_empty() {
            return Err(Error::invalid(
                "query",
                "Every query parameter needs a name, for example $top.",
            ));
        }
    }
    for (k, _) in &input.headers {
        if k.trim().is_empty() {
            return Err(Error::invalid(
                "headers",
                "Every header needs a name, for example ConsistencyLevel.",
            ));
        }
    }
    let req = CustomRequest {
        method,
        path,
        query: input
            .query
            .iter()
            .map(|(k, v)| (k.trim().to_string(), v.clone()))
            .collect(),
        headers: input
            .headers
            .iter()
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect(),
        body,
    };
    let resp = client.custom(&req).await.map_err(|e| {
        if e.kind() == msgraph::ErrorKind::Validation && e.status().is_none() {
            Error::invalid("path", e.message().unwrap_or("The request is not valid.").to_string())
        } else {
            explain(Action::Custom, e)
        }
    })?;
    let headers = resp
        .headers
        .into_iter()
        .filter(|(k, _)| SHOWN_HEADERS.contains(&k.to_ascii_lowercase().as_str()))
        .collect();
    let body = match resp.body {
        CustomBody::Empty => String::new(),
        CustomBody::Json(v) => serde_json::to_string_pretty(&v).unwrap_or_else(|_| v.to_string()),
        CustomBody::Text(t) => t,
    };
    Ok(CustomOutput {
        status: resp.status,
        headers,
        body,
    })
}

/// GET, POST, PUT, PATCH or DELETE, in any case.
fn method(method: &str) -> Result<HttpMethod, Error> {
    match method.trim().to_ascii_uppercase().as_str() {
        "GET" => Ok(HttpMethod::Get),
        "POST" => Ok(HttpMethod::Post),
        "PUT" => Ok(HttpMethod::Put),
        "PATCH" => Ok(HttpMethod::Patch),
        "DELETE" => Ok(HttpMethod::Delete),
        other => Err(Error::invalid(
            "method",
            format!("{other} is not supported. Choose GET, POST, PUT, PATCH or DELETE."),
        )),
    }
}

/// The body as JSON (absent when empty; refused for GET, and when not JSON, with line and column).
fn json_body(body: Option<&str>, method: HttpMethod) -> Result<Option<serde_json::Value>, Error> {
    match body.map(str::trim).filter(|b| !b.is_empty()) {
        None => Ok(None),
        Some(_) if method == HttpMethod::Get => Err(Error::invalid(
            "body",
            "A GET request has no body. Clear the body or choose POST, PATCH or PUT.",
        )),
        Some(text) => serde_json::from_str::<serde_json::Value>(text).map(Some).map_err(|e| {
            Error::invalid(
                "body",
                format!(
                    "The body is not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
        }),
    }
}

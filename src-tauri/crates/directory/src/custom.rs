//! Custom API Action (1.9): any Graph v1.0 request, relative to the signed-in Graph endpoint.

use msgraph::{Client, CustomBody, CustomRequest, CustomResponse, HttpMethod};

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
    /// Follow `@odata.nextLink` (GET only), at most [`FOLLOW_PAGE_LIMIT`] pages.
    pub follow_pages: bool,
}

/// The most pages "Follow next pages" fetches (at Graph's largest page size, about 20,000 items).
pub const FOLLOW_PAGE_LIMIT: u32 = 20;

/// What Graph answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomOutput {
    pub status: u16,
    /// What the status means, in plain words.
    pub status_text: String,
    /// The headers worth showing (request-id, content-type, location, retry-after, …).
    pub headers: Vec<(String, String)>,
    /// Pretty-printed JSON, or the text as sent.
    pub body: String,
    /// Pages fetched (1 unless next pages were followed).
    pub pages: u32,
    /// Items in the answer's `value`, when it is a collection.
    pub items: Option<u32>,
    /// Following stopped at [`FOLLOW_PAGE_LIMIT`] and Graph has more.
    pub more_pages: bool,
}

/// What a success status means, in plain words (other statuses arrive as errors).
pub fn status_meaning(status: u16) -> String {
    match status {
        200 => "OK: Microsoft Graph did what was asked and sent the answer below.".into(),
        201 => "Created: Microsoft Graph made the new object; the answer below describes it.".into(),
        202 => "Accepted: Microsoft Graph will finish this in the background; check again in a moment.".into(),
        204 => "Done: Microsoft Graph did what was asked; there is nothing to show.".into(),
        206 => "Partial: Microsoft Graph sent part of the answer.".into(),
        s if (200..300).contains(&s) => format!("Success ({s})."),
        s => format!("Status {s}."),
    }
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
    if input.follow_pages && method != HttpMethod::Get {
        return Err(Error::invalid(
            "followPages",
            "Only a GET request can follow next pages. Turn off Follow next pages or choose GET.",
        ));
    }
    check_names(input)?;
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
    let explained = |e: msgraph::Error| {
        if e.kind() == msgraph::ErrorKind::Validation && e.status().is_none() {
            Error::invalid("path", e.message().unwrap_or("The request is not valid.").to_string())
        } else {
            explain(Action::Custom, e)
        }
    };
    let (resp, pages, items, more_pages) = if input.follow_pages {
        let out = client.custom_follow(&req, FOLLOW_PAGE_LIMIT).await.map_err(explained)?;
        (out.response, out.pages, out.items, out.next_link.is_some())
    } else {
        let resp = client.custom(&req).await.map_err(explained)?;
        let items = match &resp.body {
            CustomBody::Json(v) => v.get("value").and_then(|v| v.as_array()).map(Vec::len),
            _ => None,
        };
        (resp, 1, items, false)
    };
    Ok(output(resp, pages, items, more_pages))
}

/// Every query parameter and header has a name; no header is one Entra Desk sets itself.
fn check_names(input: &CustomInput) -> Result<(), Error> {
    for (k, _) in &input.query {
        if k.trim().is_empty() {
            return Err(Error::invalid(
                "query",
                "Every query parameter needs a name, for example $top.",
            ));
        }
    }
    for (k, v) in &input.headers {
        let name = k.trim();
        if name.is_empty() {
            return Err(Error::invalid(
                "headers",
                "Every header needs a name, for example ConsistencyLevel.",
            ));
        }
        if msgraph::is_reserved_header(name) {
            return Err(Error::invalid(
                "headers",
                format!(
                    "Remove the {name} header: Entra Desk sets it itself (your sign-in is added to every request)."
                ),
            ));
        }
        if name.eq_ignore_ascii_case("content-type") && !msgraph::is_json_content_type(v) {
            return Err(Error::invalid(
                "headers",
                format!("Remove the Content-Type header: the body is always sent as JSON, and Entra Desk labels it so itself ({} can't be used).", v.trim()),
            ));
        }
    }
    Ok(())
}

/// Graph's answer as the page shows it: the headers worth showing, the body pretty-printed.
fn output(resp: CustomResponse, pages: u32, items: Option<usize>, more_pages: bool) -> CustomOutput {
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
    CustomOutput {
        status: resp.status,
        status_text: status_meaning(resp.status),
        headers,
        body,
        pages,
        items: items.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
        more_pages,
    }
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
            // serde's text ends with its own " at line L column C"; the position is said first.
            let full = e.to_string();
            let what = full.split(" at line ").next().unwrap_or(&full);
            Error::invalid(
                "body",
                format!(
                    "The body is not valid JSON: line {}, column {}: {what}.",
                    e.line(),
                    e.column()
                ),
            )
        }),
    }
}

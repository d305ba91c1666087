//! Custom API Action: any method, a path relative to the base URL, query, headers, JSON body.
//! The path can never leave the signed-in Graph endpoint, and caller headers cannot replace the
//! Authorization header.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;
use serde_json::Value;

use crate::client::{Client, Req, Target};
use crate::encode;
use crate::error::Error;
use crate::paging::Pager;

/// HTTP methods the Custom API Action card offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    fn method(self) -> Method {
        match self {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Put => Method::PUT,
            HttpMethod::Patch => Method::PATCH,
            HttpMethod::Delete => Method::DELETE,
        }
    }
}

/// A request for [`Client::custom`].
#[derive(Debug, Clone, PartialEq)]
pub struct CustomRequest {
    pub method: HttpMethod,
    /// Relative to the base URL, e.g. `/users` or `/users?$top=5` (an inline query is kept as typed).
    pub path: String,
    /// Extra query parameters; values are strictly percent-encoded.
    pub query: Vec<(String, String)>,
    /// Extra headers (e.g. `ConsistencyLevel`, `Prefer`); `Authorization`, `Host`, `Cookie`,
    /// `Content-Length` are refused.
    pub headers: Vec<(String, String)>,
    /// JSON body (not for GET/DELETE).
    pub body: Option<Value>,
}

impl CustomRequest {
    pub fn new(method: HttpMethod, path: impl Into<String>) -> Self {
        CustomRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
        }
    }
}

/// The answer body of a custom request.
#[derive(Debug, Clone, PartialEq)]
pub enum CustomBody {
    Empty,
    Json(Value),
    Text(String),
}

/// The answer of a custom request (2xx; other statuses are an [`Error`] carrying the status).
#[derive(Debug, Clone, PartialEq)]
pub struct CustomResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: CustomBody,
}

/// The answer of [`Client::custom_follow`]: the first page's status and headers, and a body that
/// reads like one page holding the items of every page fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomPages {
    pub response: CustomResponse,
    /// Pages fetched (1 when the answer was not a collection or had no next page).
    pub pages: u32,
    /// Items in the merged `value`, when the answer is a collection.
    pub items: Option<usize>,
    /// The page limit was reached and Graph had more: the next page's link (also left in the
    /// body as `@odata.nextLink`).
    pub next_link: Option<String>,
}

/// Characters encoded in a caller-typed path: what would change its meaning or break the URL.
/// `%` is kept so already-encoded input (`%23EXT%23`) stays as typed.
const PATH_TYPED: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'^')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'+')
    .add(b'?');

/// An inline query is kept as typed, except what cannot travel in a URL; a typed `+` means a
/// plus sign (Graph would read a raw `+` as a space), so it is sent as `%2B`.
const QUERY_TYPED: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'+');

const FORBIDDEN_HEADERS: &[&str] = &[
    "authorization",
    "host",
    "cookie",
    "content-length",
    "transfer-encoding",
    "connection",
];

/// Headers the app sets itself (the sign-in, the connection), which a caller can never send.
pub fn is_reserved_header(name: &str) -> bool {
    FORBIDDEN_HEADERS.contains(&name.trim().to_ascii_lowercase().as_str())
}

/// Whether a typed `Content-Type` value means JSON (`application/json`, any case, with or
/// without parameters such as `charset=utf-8`): the app sends that header itself with a body.
pub fn is_json_content_type(value: &str) -> bool {
    let media = value.split(';').next().unwrap_or("").trim();
    media.eq_ignore_ascii_case("application/json")
}

fn next_link(page: &serde_json::Map<String, Value>) -> Option<String> {
    page.get("@odata.nextLink").and_then(Value::as_str).map(str::to_string)
}

fn build(req: &CustomRequest) -> Result<Req, Error> {
    let mut r = Req {
        method: req.method.method(),
        target: target(req)?,
        headers: Vec::new(),
        body: None,
    };
    for (name, value) in &req.headers {
        if let Some((n, v)) = header(name, value)? {
            r = r.header(n, v);
        }
    }
    if let Some(body) = &req.body {
        if matches!(req.method, HttpMethod::Get) {
            return Err(Error::invalid_input("a GET request cannot have a body"));
        }
        r = r.json(body)?;
    }
    Ok(r)
}

/// The typed path, checked to stay under Graph's base and encoded, with the inline query and the
/// query parameters.
fn target(req: &CustomRequest) -> Result<Target, Error> {
    let raw = req.path.trim();
    let (path, inline_query) = match raw.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw, None),
    };
    // "/users/" means "/users"
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(Error::invalid_input(
            "the address must be relative to Graph and start with '/', e.g. /users",
        ));
    }
    if path.contains('\\') || path.contains("://") {
        return Err(Error::invalid_input("the address must be a Graph path, not a full URL"));
    }
    if path.split('/').any(crate::client::is_dot_segment) {
        return Err(Error::invalid_input(
            "the address must not contain '.' or '..' segments",
        ));
    }
    let encoded_path: String = path
        .split('/')
        .map(|s| utf8_percent_encode(s, PATH_TYPED).to_string())
        .collect::<Vec<_>>()
        .join("/");
    let mut query = String::new();
    if let Some(q) = inline_query {
        if q.contains('#') {
            return Err(Error::invalid_input("write '#' as %23 in the query"));
        }
        query.push_str(&utf8_percent_encode(q, QUERY_TYPED).to_string());
    }
    let more = encode::query(req.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if !more.is_empty() {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&more);
    }
    Ok(Target::Relative {
        path: encoded_path,
        query,
    })
}

/// One typed header, checked; `None` for a JSON Content-Type, which `execute` sets itself.
fn header(name: &str, value: &str) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
    let lname = name.trim().to_ascii_lowercase();
    if is_reserved_header(&lname) {
        return Err(Error::invalid_input(format!(
            "the header '{name}' is set by the app and cannot be overridden"
        )));
    }
    // The body is always JSON and `execute` labels it once; a typed JSON Content-Type is that
    // same header (sending both would give Graph two), any other would mislabel the body.
    if lname == "content-type" {
        if is_json_content_type(value) {
            return Ok(None);
        }
        return Err(Error::invalid_input(format!(
            "the body is always sent as JSON (Content-Type: application/json); '{value}' cannot be used"
        )));
    }
    let n = HeaderName::from_bytes(lname.as_bytes())
        .map_err(|_| Error::invalid_input(format!("'{name}' is not a valid header name")))?;
    let v = HeaderValue::from_str(value)
        .map_err(|_| Error::invalid_input(format!("the value of header '{name}' is not valid")))?;
    Ok(Some((n, v)))
}

impl Client {
    /// Custom API Action: sends one request through the normal path (token, retries, errors).
    pub async fn custom(&self, request: &CustomRequest) -> Result<CustomResponse, Error> {
        let req = build(request)?;
        let resp = self.execute(&req).await?;
        let headers = resp
            .headers
            .iter()
            .filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str().to_string(), v.to_string())))
            .collect();
        let body = if resp.body.is_empty() {
            CustomBody::Empty
        } else {
            match serde_json::from_slice::<Value>(&resp.body) {
                Ok(v) => CustomBody::Json(v),
                Err(_) => CustomBody::Text(String::from_utf8_lossy(&resp.body).into_owned()),
            }
        };
        Ok(CustomResponse {
            status: resp.status,
            headers,
            body,
        })
    }

    /// Custom API Action that follows `@odata.nextLink` (GET only): at most `max_pages` pages,
    /// each with the first request's headers (e.g. `ConsistencyLevel`), merged into one body whose
    /// `value` holds every item. An answer that is not a collection is returned as it came.
    /// Stops with an error if Graph sends the same link twice.
    pub async fn custom_follow(&self, request: &CustomRequest, max_pages: u32) -> Result<CustomPages, Error> {
        if request.method != HttpMethod::Get {
            return Err(Error::invalid_input("only GET requests can follow next pages"));
        }
        let first = build(request)?;
        let mut response = self.custom(request).await?;
        let CustomBody::Json(Value::Object(body)) = &mut response.body else {
            return Ok(CustomPages {
                response,
                pages: 1,
                items: None,
                next_link: None,
            });
        };
        let Some(Value::Array(items)) = body.get_mut("value").map(std::mem::take) else {
            return Ok(CustomPages {
                response,
                pages: 1,
                items: None,
                next_link: None,
            });
        };
        let mut items = items;
        let mut pages = 1u32;
        let mut next = next_link(body);
        let mut seen = std::collections::HashSet::new();
        while let Some(link) = next.take_if(|_| pages < max_pages.max(1)) {
            if !seen.insert(link.clone()) {
                return Err(crate::paging::repeated_link());
            }
            let mut req = Req::absolute(Method::GET, link);
            req.headers = first.headers.clone();
            let page: Value = self.json(&req).await?;
            pages += 1;
            if let Value::Object(mut page) = page {
                if let Some(Value::Array(more)) = page.get_mut("value").map(std::mem::take) {
                    items.extend(more);
                }
                next = next_link(&page);
            }
        }
        let count = items.len();
        body.insert("value".into(), Value::Array(items));
        match &next {
            Some(link) => body.insert("@odata.nextLink".into(), Value::String(link.clone())),
            None => body.remove("@odata.nextLink"),
        };
        Ok(CustomPages {
            response,
            pages,
            items: Some(count),
            next_link: next,
        })
    }

    /// Custom API Action with auto-paging (GET only): every item of `value` across all pages.
    pub fn custom_pages(&self, request: &CustomRequest) -> Pager<Value> {
        if request.method != HttpMethod::Get {
            return Pager::failed(self.clone(), Error::invalid_input("only GET requests can be paged"));
        }
        match build(request) {
            Ok(r) => Pager::new(self.clone(), r),
            Err(e) => Pager::failed(self.clone(), e),
        }
    }
}

//! One error type for everything that can go wrong talking to Graph.
//!
//! `kind()` is what callers branch on; `code()`, `inner_code()`, `details()` (each with a `code`
//! and a `target`) say precisely what Graph refused, for callers that explain a specific cause;
//! `message()` and `request_id()` keep Graph's own words for the person at the keyboard and for
//! Microsoft support. `Display` is plain language and
//! never contains a token (requests are described by method and path only, never by header).

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

/// What kind of failure this is. Callers branch on this, never on message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 404: the object does not exist (or has not replicated yet).
    NotFound,
    /// 403: signed in, but the scope or the directory role is missing.
    Forbidden,
    /// 401 twice in a row, or no token could be had.
    Unauthorized,
    /// 429 that did not clear within the retry budget.
    Throttled,
    /// 409/412, or Graph's "already exists" answers (duplicate UPN, already a member).
    Conflict,
    /// 400/422: Graph rejected the input; or the input was rejected before sending.
    Validation,
    /// 5xx that did not clear within the retry budget.
    Transient,
    /// The delta token expired (`syncStateNotFound`, `resyncRequired`, 410 Gone): start a full walk.
    DeltaExpired,
    /// The request never got an HTTP answer (DNS, connect, reset, timeout).
    Network,
    /// Graph answered 2xx but the body was not what its documentation promises.
    Decode,
    /// Anything else (501 NotImplemented, unexpected statuses).
    Other,
    /// The person stopped waiting while Graph had asked to wait (`Waits::stop`); nothing was sent again.
    Stopped,
    /// The client is read-only (a read-only sign-in) and the request would have changed something;
    /// it was not sent.
    ReadOnly,
}

impl ErrorKind {
    /// A stable machine-readable name, e.g. for IPC (`"notFound"`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "notFound",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Conflict => "conflict",
            ErrorKind::Validation => "validation",
            ErrorKind::Transient => "transient",
            ErrorKind::DeltaExpired => "deltaExpired",
            ErrorKind::Network => "network",
            ErrorKind::Decode => "decode",
            ErrorKind::Other => "other",
            ErrorKind::Stopped => "stopped",
            ErrorKind::ReadOnly => "readOnly",
        }
    }

    fn explanation(self) -> &'static str {
        match self {
            ErrorKind::NotFound => {
                "Microsoft Graph could not find that object (it may not exist, or may not have replicated yet)"
            }
            ErrorKind::Forbidden => {
                "You are signed in, but you are not allowed to do this (a permission or directory role is missing)"
            }
            ErrorKind::Unauthorized => "Microsoft Graph did not accept the sign-in; please sign in again",
            ErrorKind::Throttled => "Microsoft Graph is limiting how fast requests can be made; try again later",
            ErrorKind::Conflict => "This conflicts with something that already exists",
            ErrorKind::Validation => "Microsoft Graph rejected the request as invalid",
            ErrorKind::Transient => "Microsoft Graph had a temporary problem; try again later",
            ErrorKind::DeltaExpired => "The change-tracking position expired; a full resynchronisation is needed",
            ErrorKind::Network => "Microsoft Graph could not be reached",
            ErrorKind::Decode => "Microsoft Graph sent an answer that could not be read",
            ErrorKind::Other => "The request to Microsoft Graph failed",
            ErrorKind::Stopped => "You stopped waiting for Microsoft Graph",
            ErrorKind::ReadOnly => "This sign-in is read-only",
        }
    }
}

/// An error from the Graph client.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    status: Option<u16>,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
    date: Option<String>,
    target: Option<String>,
    /// `innerError.code`, then the codes of nested inner errors (outermost first).
    inner_codes: Vec<String>,
    details: Vec<ErrorDetail>,
    retry_after: Option<Duration>,
    json_path: Option<String>,
    /// `GET /users/{id}` style description: method and path, never the query or headers.
    request: Option<String>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                status: None,
                code: None,
                message: None,
                request_id: None,
                client_request_id: None,
                date: None,
                target: None,
                inner_codes: Vec::new(),
                details: Vec::new(),
                retry_after: None,
                json_path: None,
                request: None,
                source: None,
            }),
        }
    }

    /// Input rejected before anything was sent.
    pub(crate) fn invalid_input(message: impl Into<String>) -> Self {
        let mut e = Error::new(ErrorKind::Validation);
        e.inner.message = Some(message.into());
        e
    }

    pub(crate) fn decode(
        message: impl Into<String>,
        json_path: Option<String>,
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        let mut e = Error::new(ErrorKind::Decode);
        e.inner.message = Some(message.into());
        e.inner.json_path = json_path;
        e.inner.source = source;
        e
    }

    pub(crate) fn stopped() -> Self {
        let mut e = Error::new(ErrorKind::Stopped);
        e.inner.message = Some("the request was not sent again, so nothing more was changed".into());
        e
    }

    pub(crate) fn read_only() -> Self {
        let mut e = Error::new(ErrorKind::ReadOnly);
        e.inner.message = Some("nothing was sent, so nothing was changed".into());
        e
    }

    pub(crate) fn network(source: reqwest::Error) -> Self {
        let mut e = Error::new(ErrorKind::Network);
        let what = if source.is_timeout() {
            "the request timed out"
        } else if source.is_connect() {
            "the connection could not be made"
        } else {
            "the connection failed"
        };
        e.inner.message = Some(what.to_string());
        // reqwest's Display can include the URL (with query); keep only the cause.
        e.inner.source = Some(Box::new(source.without_url()));
        e
    }

    pub(crate) fn from_token(err: crate::auth::TokenError) -> Self {
        let mut e = Error::new(ErrorKind::Unauthorized);
        e.inner.message = Some(format!("No access token: {}", err.message));
        e.inner.code = Some(if err.interaction_required {
            "interactionRequired".to_string()
        } else {
            "tokenUnavailable".to_string()
        });
        e.inner.source = Some(Box::new(err));
        e
    }

    /// Builds an error from a non-2xx answer and Graph's error envelope (if the body has one).
    pub(crate) fn from_response(
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
        retry_after: Option<Duration>,
    ) -> Self {
        let envelope = serde_json::from_slice::<Envelope>(body).ok().map(|e| e.error);
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let (code, message, target, inner, details) = match envelope {
            Some(b) => (b.code, b.message, b.target, b.inner_error, b.details),
            None => (None, None, None, None, Vec::new()),
        };
        let inner = inner.unwrap_or_default();
        let mut inner_codes = Vec::new();
        let mut nested = Some(&inner);
        while let Some(i) = nested {
            inner_codes.extend(i.code.clone().filter(|c| !c.is_empty()));
            nested = i.inner_error.as_deref();
        }
        let kind = classify(status, code.as_deref(), message.as_deref(), &details);
        let mut e = Error::new(kind);
        e.inner.status = Some(status);
        e.inner.code = code;
        e.inner.message = message.filter(|m| !m.is_empty());
        e.inner.request_id = inner.request_id.or_else(|| header("request-id"));
        e.inner.client_request_id = inner.client_request_id.or_else(|| header("client-request-id"));
        e.inner.date = inner.date.or_else(|| header("date"));
        e.inner.target = target;
        e.inner.inner_codes = inner_codes;
        e.inner.details = details;
        e.inner.retry_after = retry_after;
        e
    }

    /// The error that Graph's answer `status` + `body` means (the body may be Graph's error envelope
    /// or anything else), as `execute()` builds it. For callers holding an answer themselves, and for
    /// their tests.
    pub fn from_answer(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        Error::from_response(status, &reqwest::header::HeaderMap::new(), body, retry_after)
    }

    pub(crate) fn with_request(mut self, method: &reqwest::Method, path: &str) -> Self {
        self.inner.request = Some(format!("{method} {path}"));
        self
    }

    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.inner.kind = kind;
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// Graph's error code, e.g. `Request_ResourceNotFound`, `Authorization_RequestDenied`.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// `error.target`: the property or parameter the error is about, when Graph names one.
    pub fn target(&self) -> Option<&str> {
        self.inner.target.as_deref()
    }
    /// `innerError.code`: the most specific code Graph gave (inner errors can nest; this is the
    /// innermost one), e.g. `invalidRange` under `badRequest`.
    pub fn inner_code(&self) -> Option<&str> {
        self.inner.inner_codes.last().map(String::as_str)
    }
    /// `error.details`: one entry per thing Graph refused, e.g. `ObjectConflict` on
    /// `userPrincipalName`.
    pub fn details(&self) -> &[ErrorDetail] {
        &self.inner.details
    }
    /// Graph said `code` anywhere: as its code, an inner error's code or a detail's code
    /// (ASCII case-insensitive, as Graph's services spell codes differently).
    pub fn has_code(&self, code: &str) -> bool {
        let i = &self.inner;
        i.code
            .iter()
            .chain(&i.inner_codes)
            .any(|c| c.eq_ignore_ascii_case(code))
            || i.details
                .iter()
                .any(|d| d.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(code)))
    }
    /// The target of the first detail with `code` (e.g. which property an `ObjectConflict` is on).
    pub fn detail_target(&self, code: &str) -> Option<&str> {
        self.inner
            .details
            .iter()
            .find(|d| d.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(code)))
            .and_then(|d| d.target.as_deref())
    }
    /// Graph's own message (or ours, for errors raised before/after the HTTP exchange).
    pub fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }
    /// `innerError.request-id` (or the `request-id` header): show this for support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// `innerError.client-request-id` (or the header).
    pub fn client_request_id(&self) -> Option<&str> {
        self.inner.client_request_id.as_deref()
    }
    /// `innerError.date` (or the `Date` header).
    pub fn date(&self) -> Option<&str> {
        self.inner.date.as_deref()
    }
    /// The HTTP status, when Graph answered.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// For throttling: how long Graph asked us to wait (if it said so).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// For decode errors: the JSON path that failed, e.g. `value[3].accountEnabled`.
    pub fn json_path(&self) -> Option<&str> {
        self.inner.json_path.as_deref()
    }
    /// `METHOD /path` of the request that failed (no query, no headers).
    pub fn request(&self) -> Option<&str> {
        self.inner.request.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        if i.kind == ErrorKind::Validation && i.status.is_none() {
            f.write_str("The request was not sent because the input is not valid")?;
        } else {
            f.write_str(i.kind.explanation())?;
        }
        if let Some(m) = &i.message {
            write!(f, ": {m}")?;
        }
        if let Some(p) = &i.json_path {
            write!(f, " (at {p})")?;
        }
        let mut extra = Vec::new();
        if let Some(s) = i.status {
            extra.push(format!("HTTP {s}"));
        }
        if let Some(c) = &i.code {
            extra.push(c.clone());
        }
        if let Some(r) = &i.request {
            extra.push(r.clone());
        }
        if let Some(r) = &i.request_id {
            extra.push(format!("request-id {r}"));
        }
        if !extra.is_empty() {
            write!(f, " [{}]", extra.join(", "))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        f.debug_struct("Error")
            .field("kind", &i.kind)
            .field("status", &i.status)
            .field("code", &i.code)
            .field("inner_codes", &i.inner_codes)
            .field("target", &i.target)
            .field("details", &i.details)
            .field("message", &i.message)
            .field("request_id", &i.request_id)
            .field("json_path", &i.json_path)
            .field("request", &i.request)
            .field("retry_after", &i.retry_after)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_ref()
            .map(|b| b.as_ref() as &(dyn std::error::Error + 'static))
    }
}

/// Error codes Graph uses when a delta/sync token can no longer be used.
const DELTA_EXPIRED_CODES: &[&str] = &[
    "syncstatenotfound",
    "resyncrequired",
    "syncstateinvalid",
    "invalidsynctoken",
    "resyncapplicationrequired",
    "resyncrequiredwithoutupload",
];

pub(crate) fn is_delta_expired_code(code: &str) -> bool {
    DELTA_EXPIRED_CODES.contains(&code.to_ascii_lowercase().as_str())
}

fn classify(status: u16, code: Option<&str>, message: Option<&str>, details: &[ErrorDetail]) -> ErrorKind {
    if code.is_some_and(is_delta_expired_code) {
        return ErrorKind::DeltaExpired;
    }
    let conflict_detail = details.iter().any(|d| d.code.as_deref() == Some("ObjectConflict"));
    let already_exists = message.is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        m.contains("already exist")
    });
    match status {
        400 | 422 if conflict_detail || already_exists => ErrorKind::Conflict,
        400 | 422 => ErrorKind::Validation,
        401 => ErrorKind::Unauthorized,
        403 => ErrorKind::Forbidden,
        404 => ErrorKind::NotFound,
        409 | 412 => ErrorKind::Conflict,
        410 => ErrorKind::DeltaExpired,
        429 => ErrorKind::Throttled,
        500 | 502 | 503 | 504 => ErrorKind::Transient,
        _ => ErrorKind::Other,
    }
}

#[derive(Deserialize)]
struct Envelope {
    error: Body,
}

#[derive(Deserialize)]
struct Body {
    code: Option<String>,
    message: Option<String>,
    target: Option<String>,
    #[serde(rename = "innerError", alias = "innererror")]
    inner_error: Option<InnerError>,
    #[serde(default)]
    details: Vec<ErrorDetail>,
}

#[derive(Deserialize, Default)]
struct InnerError {
    code: Option<String>,
    #[serde(rename = "innerError", alias = "innererror")]
    inner_error: Option<Box<InnerError>>,
    date: Option<String>,
    #[serde(rename = "request-id")]
    request_id: Option<String>,
    #[serde(rename = "client-request-id")]
    client_request_id: Option<String>,
}

/// One entry of Graph's `error.details` (`ODataErrors.ErrorDetails` in Microsoft's description).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// e.g. `ObjectConflict`.
    pub code: Option<String>,
    /// The property it is about, e.g. `userPrincipalName`.
    pub target: Option<String>,
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    #[test]
    fn envelope_is_decoded_into_kind_code_message_and_request_id() {
        let body = br#"{"error":{"code":"Request_ResourceNotFound","message":"Resource 'x' does not exist or one of its queried reference-property objects are not present.","innerError":{"date":"2024-01-01T00:00:00","request-id":"rid-1","client-request-id":"crid-1"}}}"#;
        let e = Error::from_response(404, &HeaderMap::new(), body, None);
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert_eq!(e.code(), Some("Request_ResourceNotFound"));
        assert_eq!(e.request_id(), Some("rid-1"));
        assert_eq!(e.client_request_id(), Some("crid-1"));
        assert_eq!(e.date(), Some("2024-01-01T00:00:00"));
        let text = e.to_string();
        assert!(text.contains("could not find"), "{text}");
        assert!(text.contains("request-id rid-1"), "{text}");
    }

    #[test]
    fn input_rejected_before_sending_does_not_blame_graph() {
        let e = Error::invalid_input("a contact needs a given name");
        assert_eq!(
            e.to_string(),
            "The request was not sent because the input is not valid: a contact needs a given name"
        );
    }

    #[test]
    fn duplicate_upn_is_a_conflict() {
        let body = br#"{"error":{"code":"Request_BadRequest","message":"Another object with the same value for property userPrincipalName already exists.","details":[{"target":"userPrincipalName","code":"ObjectConflict"}]}}"#;
        let e = Error::from_response(400, &HeaderMap::new(), body, None);
        assert_eq!(e.kind(), ErrorKind::Conflict);
    }

    #[test]
    fn sync_state_not_found_and_gone_are_delta_expired() {
        let body = br#"{"error":{"code":"syncStateNotFound","message":"The sync state generation is not found."}}"#;
        assert_eq!(
            Error::from_response(400, &HeaderMap::new(), body, None).kind(),
            ErrorKind::DeltaExpired
        );
        assert_eq!(
            Error::from_response(410, &HeaderMap::new(), b"", None).kind(),
            ErrorKind::DeltaExpired
        );
    }

    fn fixture(status: u16, body: &str) -> Error {
        Error::from_answer(status, body.as_bytes(), None)
    }

    #[test]
    fn duplicate_upn_fixture_exposes_the_conflict_detail_and_its_target() {
        let e = fixture(400, include_str!("../tests/fixtures/errors/duplicate_upn.json"));
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert_eq!(e.code(), Some("Request_BadRequest"));
        assert_eq!(e.details().len(), 1);
        assert_eq!(e.details()[0].code.as_deref(), Some("ObjectConflict"));
        assert_eq!(e.details()[0].target.as_deref(), Some("userPrincipalName"));
        assert_eq!(e.detail_target("objectconflict"), Some("userPrincipalName"));
        assert!(e.has_code("ObjectConflict"));
        assert!(e.has_code("Request_BadRequest"));
        assert!(!e.has_code("Request_ResourceNotFound"));
        assert_eq!(e.inner_code(), None);
        assert_eq!(e.request_id(), Some("0c6e2f5a-3f7b-4c0e-9d4b-5a6f7e8d9c01"));
    }

    #[test]
    fn a_conflict_without_details_has_no_detail_target() {
        let e = fixture(
            400,
            include_str!("../tests/fixtures/errors/duplicate_mail_nickname.json"),
        );
        assert_eq!(e.kind(), ErrorKind::Conflict, "\"already exists\" is a conflict");
        assert!(e.details().is_empty());
        assert_eq!(e.detail_target("ObjectConflict"), None);
        let e = fixture(400, include_str!("../tests/fixtures/errors/already_member.json"));
        assert_eq!(e.kind(), ErrorKind::Conflict);
        assert_eq!(e.code(), Some("Request_BadRequest"));
    }

    #[test]
    fn inner_error_code_is_exposed_and_the_innermost_one_wins() {
        let e = fixture(400, include_str!("../tests/fixtures/errors/inner_code.json"));
        assert_eq!(e.code(), Some("badRequest"));
        assert_eq!(e.inner_code(), Some("invalidRange"));
        assert!(e.has_code("invalidRange"));
        assert_eq!(e.request_id(), Some("request-id"));
        let nested = br#"{"error":{"code":"badRequest","message":"m","innererror":{"code":"invalidRange","innererror":{"code":"fragmentOverlap"}}}}"#;
        let e = Error::from_response(400, &HeaderMap::new(), nested, None);
        assert_eq!(e.inner_code(), Some("fragmentOverlap"));
        assert!(e.has_code("invalidRange"), "every level of the chain counts");
    }

    #[test]
    fn error_target_is_exposed() {
        let body = br#"{"error":{"code":"Request_BadRequest","message":"Invalid value.","target":"usageLocation"}}"#;
        let e = Error::from_response(400, &HeaderMap::new(), body, None);
        assert_eq!(e.target(), Some("usageLocation"));
    }

    #[test]
    fn throttled_fixture_keeps_retry_after_and_the_request_id() {
        let body = include_str!("../tests/fixtures/errors/throttled.json");
        let e = Error::from_response(429, &HeaderMap::new(), body.as_bytes(), Some(Duration::from_secs(5)));
        assert_eq!(e.kind(), ErrorKind::Throttled);
        assert_eq!(e.code(), Some("TooManyRequests"));
        assert_eq!(e.retry_after(), Some(Duration::from_secs(5)));
        assert_eq!(e.request_id(), Some("5f2b0c1e-8d3a-4f6b-9c2d-1e0a7b6c5d4e"));
    }

    #[test]
    fn no_manager_fixture_is_not_found_by_code() {
        let e = fixture(404, include_str!("../tests/fixtures/errors/no_manager.json"));
        assert_eq!(e.kind(), ErrorKind::NotFound);
        assert!(e.has_code("Request_ResourceNotFound"));
        assert!(e.details().is_empty());
    }

    #[test]
    fn non_json_body_still_gives_status_and_header_request_id() {
        let mut h = HeaderMap::new();
        h.insert("request-id", "hdr-rid".parse().unwrap());
        let e = Error::from_response(503, &h, b"<html>busy</html>", None);
        assert_eq!(e.kind(), ErrorKind::Transient);
        assert_eq!(e.request_id(), Some("hdr-rid"));
        assert_eq!(e.status(), Some(503));
    }
}

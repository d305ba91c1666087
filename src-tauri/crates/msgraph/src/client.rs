//! `Client` and the one `execute()` every request goes through.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use url::Url;

use crate::auth::TokenProvider;
use crate::encode;
use crate::error::Error;
use crate::query::ListQuery;
use crate::retry::{parse_retry_after, AttemptOutcome, RetryDecision, RetryPolicy};

/// Knobs for [`Client::with_options`]. `Default` suits the desktop app.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub retry: RetryPolicy,
    pub user_agent: String,
    /// Whole-request timeout per attempt. `None` = no timeout (tests with paused time use this).
    pub timeout: Option<Duration>,
    /// TCP/TLS connect timeout per attempt.
    pub connect_timeout: Option<Duration>,
    /// Tells a listener about long waits and lets them be stopped (the app's own actions); `None`:
    /// waits pass unseen (the watcher's background checks).
    pub waits: Option<crate::Waits>,
    /// Refuse every request that could change something, before sending it (a read-only sign-in):
    /// it ends with [`crate::ErrorKind::ReadOnly`]. Reads, and POST actions that only read, go.
    pub read_only: bool,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            retry: RetryPolicy::default(),
            user_agent: format!("EntraDesk/{}", env!("CARGO_PKG_VERSION")),
            timeout: Some(Duration::from_secs(100)),
            connect_timeout: Some(Duration::from_secs(15)),
            waits: None,
            read_only: false,
        }
    }
}

/// A Microsoft Graph v1.0 client. Cheap to clone (an `Arc` inside); every clone shares the
/// connection pool and the token provider.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Base URL without trailing slash, e.g. `https://graph.microsoft.com/v1.0`.
    base: String,
    base_url: Url,
    tokens: Arc<dyn TokenProvider>,
    retry: RetryPolicy,
    waits: crate::Waits,
    read_only: bool,
    /// "Show the request": writes are recorded here instead of sent (`Client::previewing`).
    preview: Option<crate::Preview>,
    /// The request ids of the changes Graph accepted (`Client::receipted`).
    receipts: Option<crate::Receipts>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base)
            .finish_non_exhaustive()
    }
}

/// Where a request goes.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    /// A path under the base URL (already percent-encoded) and an encoded query string.
    Relative { path: String, query: String },
    /// A full URL Graph handed us (`@odata.nextLink`, `@odata.deltaLink`).
    Absolute(String),
}

/// A path segment a URL parser would resolve as `.` or `..` (`%2e` in any case counts as a dot).
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase().replace("%2e", ".");
    s == "." || s == ".."
}

/// In a preview: a change is recorded and answered with a stand-in; a read of an object the preview
/// "created" gets a stand-in too (Graph has never heard of it); any other read is sent for real (and
/// recorded, in a preview of reads).
fn preview_answer(preview: &crate::Preview, req: &Req, url: &Url, path: &str) -> Option<Resp> {
    let headers: HeaderMap = req.headers.iter().cloned().collect();
    if crate::read_only::changes_something(&req.method, path, req.body.as_deref()) {
        let (status, body) = preview.record(&req.method, url.as_str(), &headers, req.body.as_deref());
        return Some(Resp {
            status,
            headers: HeaderMap::new(),
            body,
        });
    }
    let stand_in = url.as_str().contains(crate::PREVIEW_ID);
    if preview.records_reads() && !stand_in {
        preview.note_read(&req.method, url.as_str(), &headers);
    }
    stand_in.then(|| Resp {
        status: 200,
        headers: HeaderMap::new(),
        body: serde_json::json!({ "id": crate::PREVIEW_ID, "value": [] })
            .to_string()
            .into_bytes(),
    })
}

/// One request, before the token and retries are added.
#[derive(Debug, Clone)]
pub(crate) struct Req {
    pub method: Method,
    pub target: Target,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Option<Vec<u8>>,
}

impl Req {
    pub fn new(method: Method, path: impl Into<String>) -> Req {
        Req {
            method,
            target: Target::Relative {
                path: path.into(),
                query: String::new(),
            },
            headers: Vec::new(),
            body: None,
        }
    }
    pub fn get(path: impl Into<String>) -> Req {
        Req::new(Method::GET, path)
    }
    pub fn absolute(method: Method, url: String) -> Req {
        Req {
            method,
            target: Target::Absolute(url),
            headers: Vec::new(),
            body: None,
        }
    }
    pub fn query_pairs<'a>(mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Req {
        if let Target::Relative { query, .. } = &mut self.target {
            let more = encode::query(pairs);
            if !more.is_empty() {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&more);
            }
        }
        self
    }
    /// Applies a [`ListQuery`], adding `ConsistencyLevel: eventual` when it needs it.
    pub fn list_query(self, q: &ListQuery) -> Result<Req, Error> {
        let pairs = q.pairs()?;
        let mut r = self.query_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        if q.needs_eventual_consistency() {
            r = r.eventual();
        }
        Ok(r)
    }
    pub fn select(self, props: &[&str]) -> Req {
        if props.is_empty() {
            return self;
        }
        let joined = props.join(",");
        self.query_pairs([("$select", joined.as_str())])
    }
    pub fn eventual(self) -> Req {
        self.header(
            HeaderName::from_static("consistencylevel"),
            HeaderValue::from_static("eventual"),
        )
    }
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Req {
        self.headers.retain(|(n, _)| n != name);
        self.headers.push((name, value));
        self
    }
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Req, Error> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| Error::invalid_input(format!("the request body could not be built: {e}")))?;
        self.body = Some(bytes);
        Ok(self)
    }
}

/// A successful (2xx) answer.
#[derive(Debug, Clone)]
pub(crate) struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode(&self.body)
    }
}

/// Decodes JSON, reporting the JSON path that failed.
pub(crate) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Error::decode(
            format!("unexpected answer ({inner})"),
            Some(path),
            Some(Box::new(inner)),
        )
    })
}

impl Client {
    /// A client for `base_url` (e.g. [`crate::Cloud::graph_base`] or
    /// `http://127.0.0.1:PORT/v1.0` for the practice tenant) with default options.
    pub fn new(base_url: Url, tokens: Arc<dyn TokenProvider>) -> Client {
        Client::with_options(base_url, tokens, ClientOptions::default())
    }

    /// A client with explicit retry limits, user agent and timeouts.
    pub fn with_options(base_url: Url, tokens: Arc<dyn TokenProvider>, options: ClientOptions) -> Client {
        let mut b = reqwest::Client::builder()
            .user_agent(options.user_agent)
            // Never follow redirects: a redirect could carry the bearer token to another host.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(t) = options.timeout {
            b = b.timeout(t);
        }
        if let Some(t) = options.connect_timeout {
            b = b.connect_timeout(t);
        }
        let http = b.build().unwrap_or_else(|e| {
            tracing::error!(error = %e, "custom HTTP client could not be built; using defaults");
            reqwest::Client::new()
        });
        let base = base_url.as_str().trim_end_matches('/').to_string();
        Client {
            inner: Arc::new(Inner {
                http,
                base,
                base_url,
                tokens,
                retry: options.retry,
                waits: options.waits.unwrap_or_default(),
                read_only: options.read_only,
                preview: None,
                receipts: None,
            }),
        }
    }

    /// The same client (connection pool, token, base) that reads for real and sends no change: each
    /// request that would change something is recorded in the returned [`crate::Preview`] and answered
    /// with a stand-in (see `preview.rs`), so a use case run on it shows what it would send.
    pub fn previewing(&self) -> (Client, crate::Preview) {
        self.previewing_with(crate::Preview::default())
    }

    /// Like [`Client::previewing`], and reads are recorded too (still sent for real): what a search
    /// form sends, for "Show the request".
    pub fn previewing_reads(&self) -> (Client, crate::Preview) {
        self.previewing_with(crate::Preview::with_reads())
    }

    fn previewing_with(&self, preview: crate::Preview) -> (Client, crate::Preview) {
        (self.derived(false, Some(preview.clone()), None), preview)
    }

    /// The same client, keeping Graph's `request-id` of every change it accepts in the returned
    /// [`crate::Receipts`] (the journal of the app's changes names them).
    pub fn receipted(&self) -> (Client, crate::Receipts) {
        let receipts = crate::Receipts::default();
        let i = &self.inner;
        (
            self.derived(i.read_only, i.preview.clone(), Some(receipts.clone())),
            receipts,
        )
    }

    /// The same connection pool, token, base, retry policy and waits, with these modes.
    fn derived(&self, read_only: bool, preview: Option<crate::Preview>, receipts: Option<crate::Receipts>) -> Client {
        let i = &self.inner;
        Client {
            inner: Arc::new(Inner {
                http: i.http.clone(),
                base: i.base.clone(),
                base_url: i.base_url.clone(),
                tokens: i.tokens.clone(),
                retry: i.retry.clone(),
                waits: i.waits.clone(),
                read_only,
                preview,
                receipts,
            }),
        }
    }

    /// Whether this client refuses every change (a read-only sign-in).
    pub fn is_read_only(&self) -> bool {
        self.inner.read_only
    }

    /// The base URL this client talks to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// Resolves a target to a URL. Absolute links must stay under the base URL: the bearer token
    /// is never sent to another host.
    pub(crate) fn resolve(&self, target: &Target) -> Result<Url, Error> {
        match target {
            Target::Relative { path, query } => {
                // An empty id would turn `/users/{id}` into the collection `/users/`.
                if path.ends_with('/') || path.contains("//") {
                    return Err(Error::invalid_input("an object id or user name is empty"));
                }
                // URL parsers resolve `.`/`..` segments, `%2e` spellings included: an id `..` would
                // turn `/users/{id}/memberOf` into `/memberOf`, and `/.%2e/.%2e/_sandbox` leaves
                // the Graph version altogether.
                if path.split('/').any(is_dot_segment) {
                    return Err(Error::invalid_input(
                        "an object id or part of the address cannot be '.' or '..'",
                    ));
                }
                let mut s = format!("{}{}", self.inner.base, path);
                if !query.is_empty() {
                    s.push('?');
                    s.push_str(query);
                }
                let url = Url::parse(&s).map_err(|e| Error::invalid_input(format!("invalid request address: {e}")))?;
                if !self.under_base(&url) {
                    return Err(Error::invalid_input(
                        "the address must stay under the signed-in Graph endpoint",
                    ));
                }
                Ok(url)
            }
            Target::Absolute(link) => {
                let url = Url::parse(link)
                    .map_err(|e| Error::decode(format!("Graph sent a link that is not a URL ({e})"), None, None))?;
                if self.under_base(&url) {
                    Ok(url)
                } else {
                    Err(Error::decode(
                        "Graph sent a link outside the signed-in Graph endpoint; it was not followed",
                        None,
                        None,
                    ))
                }
            }
        }
    }

    /// Whether `url` is on the base URL's origin and under its path (after the parser's
    /// normalisation): the bearer token goes nowhere else.
    fn under_base(&self, url: &Url) -> bool {
        let base = &self.inner.base_url;
        let same_origin = url.scheme() == base.scheme()
            && url.host_str() == base.host_str()
            && url.port_or_known_default() == base.port_or_known_default();
        let base_path = base.path().trim_end_matches('/');
        same_origin && (url.path() == base_path || url.path().starts_with(&format!("{base_path}/")))
    }

    // Long: one retry loop whose state (attempt, time waited, forced refresh) every branch updates;
    // split, each part would take and give back all of it.
    /// The one request path: token per attempt, one forced refresh on 401, retries per policy,
    /// Graph error envelope → [`Error`]. Returns only 2xx answers.
    pub(crate) async fn execute(&self, req: &Req) -> Result<Resp, Error> {
        let url = self.resolve(&req.target)?;
        let path = url.path().to_string();
        if self.inner.read_only && crate::read_only::changes_something(&req.method, &path, req.body.as_deref()) {
            return Err(Error::read_only().with_request(&req.method, &path));
        }
        if let Some(preview) = &self.inner.preview {
            if let Some(resp) = preview_answer(preview, req, &url, &path) {
                return Ok(resp);
            }
        }
        let mut attempt: u32 = 0;
        // What this call has slept so far (the retry policy's time budget).
        let mut waited = Duration::ZERO;
        let mut force_refresh = false;
        let mut refreshed = false;
        loop {
            let auth = self.authorization(req, &path, force_refresh).await?;
            force_refresh = false;
            tracing::debug!(method = %req.method, path = %path, attempt, "graph request");

            let resp = match self.request(req, &url, auth).send().await {
                Ok(r) => r,
                Err(e) => match self.transport_retry(req, attempt, waited) {
                    Some(wait) => {
                        tracing::warn!(method = %req.method, path = %path, attempt, wait_ms = wait.as_millis() as u64, error = %e.without_url(), "graph transport error; retrying");
                        self.wait(req, &path, wait, None).await?;
                        waited += wait;
                        attempt += 1;
                        continue;
                    }
                    None => return Err(Error::network(e).with_request(&req.method, &path)),
                },
            };
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let request_id = headers
                .get("request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let body = match resp.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) => match self.transport_retry(req, attempt, waited) {
                    Some(wait) => {
                        self.wait(req, &path, wait, None).await?;
                        waited += wait;
                        attempt += 1;
                        continue;
                    }
                    None => return Err(Error::network(e).with_request(&req.method, &path)),
                },
            };
            tracing::debug!(method = %req.method, path = %path, status, request_id = %request_id, attempt, "graph response");

            if (200..300).contains(&status) {
                if let Some(receipts) = &self.inner.receipts {
                    if crate::read_only::changes_something(&req.method, &path, req.body.as_deref()) {
                        receipts.keep(&request_id);
                    }
                }
                return Ok(Resp { status, headers, body });
            }
            if status == 401 && !refreshed {
                tracing::info!(path = %path, "graph answered 401; refreshing the token once");
                refreshed = true;
                force_refresh = true;
                continue;
            }
            let retry_after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| parse_retry_after(v, SystemTime::now()));
            match self.inner.retry.decide_within(
                &req.method,
                AttemptOutcome::Status(status),
                retry_after,
                attempt,
                rand::random::<f64>(),
                waited,
            ) {
                RetryDecision::RetryAfter(wait) => {
                    tracing::warn!(method = %req.method, path = %path, status, attempt, wait_ms = wait.as_millis() as u64, request_id = %request_id, "graph asked us to retry");
                    self.wait(req, &path, wait, Some(status)).await?;
                    waited += wait;
                    attempt += 1;
                }
                RetryDecision::GiveUp => {
                    let err =
                        Error::from_response(status, &headers, &body, retry_after).with_request(&req.method, &path);
                    tracing::info!(method = %req.method, path = %path, status, code = err.code().unwrap_or(""), request_id = %request_id, "graph request failed");
                    return Err(err);
                }
            }
        }
    }

    /// Sleeps before the next attempt; a long wait can be stopped by the person (`Waits::stop`), and
    /// then the call ends with `Stopped` and nothing is sent again.
    async fn wait(&self, req: &Req, path: &str, wait: Duration, status: Option<u16>) -> Result<(), Error> {
        let what = format!("{} {path}", req.method);
        if self.inner.waits.sleep(wait, &what, status).await {
            Ok(())
        } else {
            Err(Error::stopped().with_request(&req.method, path))
        }
    }

    /// The `Authorization` header for one attempt: a token asked for now (a fresh one when
    /// `force_refresh`), marked sensitive so no log prints it.
    async fn authorization(&self, req: &Req, path: &str, force_refresh: bool) -> Result<HeaderValue, Error> {
        let token = self
            .inner
            .tokens
            .access_token(force_refresh)
            .await
            .map_err(|e| Error::from_token(e).with_request(&req.method, path))?;
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", token.secret())).map_err(|_| {
            Error::from_token(crate::auth::TokenError {
                message: "the access token contains characters that cannot be sent".into(),
                interaction_required: true,
            })
        })?;
        auth.set_sensitive(true);
        Ok(auth)
    }

    /// One attempt's HTTP request: method, URL, token, the request's headers and JSON body.
    fn request(&self, req: &Req, url: &Url, auth: HeaderValue) -> reqwest::RequestBuilder {
        let mut rb = self
            .inner
            .http
            .request(req.method.clone(), url.clone())
            .header(AUTHORIZATION, auth);
        for (n, v) in &req.headers {
            rb = rb.header(n, v);
        }
        if let Some(body) = &req.body {
            rb = rb.header(CONTENT_TYPE, "application/json").body(body.clone());
        }
        rb
    }

    /// How long to wait before trying again after a transport failure, or `None` to give up.
    fn transport_retry(&self, req: &Req, attempt: u32, waited: Duration) -> Option<Duration> {
        match self.inner.retry.decide_within(
            &req.method,
            AttemptOutcome::Transport,
            None,
            attempt,
            rand::random::<f64>(),
            waited,
        ) {
            RetryDecision::RetryAfter(wait) => Some(wait),
            RetryDecision::GiveUp => None,
        }
    }

    /// `execute` + JSON decode.
    pub(crate) async fn json<T: DeserializeOwned>(&self, req: &Req) -> Result<T, Error> {
        let resp = self.execute(req).await?;
        resp.decode()
    }

    /// `execute`, ignoring any body (204 No Content and friends).
    pub(crate) async fn no_content(&self, req: &Req) -> Result<(), Error> {
        self.execute(req).await.map(|_| ())
    }

    /// `@odata.id` URL for a directory object, as Graph's `$ref` bodies want it.
    pub(crate) fn directory_object_url(&self, id: &str) -> String {
        format!("{}/directoryObjects/{}", self.inner.base, crate::encode::segment(id))
    }

    pub(crate) fn entity_url(&self, collection: &str, id: &str) -> String {
        format!("{}/{}/{}", self.inner.base, collection, crate::encode::segment(id))
    }
}

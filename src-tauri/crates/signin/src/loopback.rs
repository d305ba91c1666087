//! The loopback redirect listener (RFC 8252 §7.3): 127.0.0.1 (and [::1]) on an ephemeral port.
//!
//! It answers every request. A GET carrying `code` or `error` is the authorization response: with the
//! right `state` (and `iss`, RFC 9207) it ends the wait; with a wrong `state` it gets a 400 and the wait
//! goes on (as MSAL does). Anything else (favicon, probes) gets a short page and is ignored.
//! The request line is never logged: it carries the code.
//!
//! It stays bounded whatever connects to it: at most `MAX_CONNECTIONS` connections are served at a
//! time, and a new one pushes out the oldest (so idle connections cannot keep the browser's redirect
//! waiting); a failing `accept` (EMFILE: out of file descriptors) closes the oldest connection and
//! backs off instead of spinning.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use url::Url;

use crate::cancel::CancelHandle;
use crate::error::{EntraErrorBody, SignInError};
use crate::secret::Secret;

const MAX_REQUEST: usize = 16 * 1024;
/// Connections served at the same time. A browser opens a few; anything beyond is a flood.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// Back-off after a failed `accept`: doubles from the first to the last.
const ACCEPT_BACKOFF_FIRST: Duration = Duration::from_millis(10);
const ACCEPT_BACKOFF_MAX: Duration = Duration::from_millis(500);

/// How long to wait before accepting again after `failures` failed accepts in a row.
fn accept_backoff(failures: u32) -> Duration {
    ACCEPT_BACKOFF_FIRST
        .saturating_mul(2u32.saturating_pow(failures.saturating_sub(1).min(16)))
        .min(ACCEPT_BACKOFF_MAX)
}

/// The connections being served, oldest first, never more than `MAX_CONNECTIONS`.
struct Connections {
    tasks: tokio::task::JoinSet<()>,
    order: VecDeque<tokio::task::AbortHandle>,
}

impl Connections {
    fn new() -> Connections {
        Connections {
            tasks: tokio::task::JoinSet::new(),
            order: VecDeque::new(),
        }
    }

    /// Close the oldest connection still open. False if there is none.
    fn evict_oldest(&mut self) -> bool {
        while let Some(h) = self.order.pop_front() {
            if !h.is_finished() {
                h.abort();
                return true;
            }
        }
        false
    }

    fn serve(&mut self, stream: TcpStream, state: &str, iss: &IssCheck, tx: &mpsc::Sender<Redirect>) {
        self.order.retain(|h| !h.is_finished());
        if self.order.len() >= MAX_CONNECTIONS {
            tracing::debug!("loopback: too many connections; closing the oldest");
            self.evict_oldest();
        }
        let handle = self
            .tasks
            .spawn(serve(stream, state.to_string(), iss.clone(), tx.clone()));
        self.order.push_back(handle);
    }

    /// Reap finished (or evicted) connection tasks.
    async fn reap(&mut self) {
        if self.tasks.join_next().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

/// What came back on the redirect.
#[derive(Debug)]
pub(crate) enum Redirect {
    Code {
        code: Secret,
    },
    Error(EntraErrorBody),
    /// `?admin_consent=True&tenant=..&scope=..` after the admin-consent page (identity.md §1.8).
    AdminConsent {
        tenant: Option<String>,
        scope: Option<String>,
    },
}

pub(crate) struct Loopback {
    v4: TcpListener,
    v6: Option<TcpListener>,
    port: u16,
}

/// How the `iss` response parameter is checked.
#[derive(Clone, Debug)]
pub(crate) struct IssCheck {
    pub issuer_template: String,
    pub required: bool,
}

impl Loopback {
    pub async fn bind() -> Result<Loopback, SignInError> {
        let v4 = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            SignInError::config(
                format!("Could not open a local port for the browser to return to ({e})."),
                "Check that local firewall software allows Entra Desk to listen on 127.0.0.1, or use device-code sign-in.",
            )
        })?;
        let port = v4
            .local_addr()
            .map_err(|e| SignInError::config(format!("Could not open a local port ({e})."), "Try again."))?
            .port();
        // Some browsers resolve `localhost` to ::1 first; listen there too when possible.
        let v6 = TcpListener::bind(("::1", port)).await.ok();
        Ok(Loopback { v4, v6, port })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Wait for the authorization response.
    pub async fn wait(
        self,
        state: &str,
        iss: &IssCheck,
        timeout: Duration,
        cancel: &CancelHandle,
    ) -> Result<Redirect, SignInError> {
        let (tx, mut rx) = mpsc::channel::<Redirect>(1);
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let timed_out = || SignInError::timed_out(timeout.as_secs().div_ceil(60).max(1));
        let mut conns = Connections::new();
        let mut failures = 0u32;
        loop {
            let accepted = tokio::select! {
                biased;
                _ = cancel.cancelled() => return Err(SignInError::cancelled()),
                Some(r) = rx.recv() => return Ok(r),
                _ = &mut deadline => return Err(timed_out()),
                accepted = self.v4.accept() => accepted,
                accepted = accept_opt(&self.v6) => accepted,
                _ = conns.reap() => continue,
            };
            match accepted {
                Ok((stream, _)) => {
                    failures = 0;
                    conns.serve(stream, state, iss, &tx);
                }
                Err(e) => {
                    // EMFILE/ENFILE/ENOBUFS: free a descriptor and wait rather than spin on an
                    // accept that fails at once. The deadline and Cancel still apply.
                    failures += 1;
                    let wait = accept_backoff(failures);
                    tracing::warn!(error = %e, wait_ms = wait.as_millis() as u64, "loopback: accept failed; backing off");
                    conns.evict_oldest();
                    tokio::select! {
                        biased;
                        _ = cancel.cancelled() => return Err(SignInError::cancelled()),
                        _ = &mut deadline => return Err(timed_out()),
                        _ = tokio::time::sleep(wait) => {}
                    }
                }
            }
        }
    }
}

async fn accept_opt(l: &Option<TcpListener>) -> std::io::Result<(TcpStream, std::net::SocketAddr)> {
    match l {
        Some(l) => l.accept().await,
        None => std::future::pending().await,
    }
}

async fn serve(mut stream: TcpStream, state: String, iss: IssCheck, tx: mpsc::Sender<Redirect>) {
    let head = tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream)).await;
    let (page, result) = match head.ok().flatten().as_deref().and_then(request_target) {
        Some(target) => answer(&target, &state, &iss),
        None => (BAD_REQUEST, None),
    };
    let _ = respond(&mut stream, page.status, page.title, page.text).await;
    if let Some(result) = result {
        let _ = tx.send(result).await;
    }
}

/// The page the browser is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Page {
    status: u16,
    title: &'static str,
    text: &'static str,
}

const BAD_REQUEST: Page = Page {
    status: 400,
    title: "Bad request",
    text: "This address is used by Entra Desk for signing in.",
};

/// What a request for `target` is answered, and what it means for the sign-in (`None`: not the
/// sign-in response, or not this sign-in's; the wait goes on).
// Long: one arm per kind of answer, each with the page its person sees.
fn answer(target: &str, state: &str, iss: &IssCheck) -> (Page, Option<Redirect>) {
    let Ok(url) = Url::parse("http://127.0.0.1/").and_then(|b| b.join(target)) else {
        return (BAD_REQUEST, None);
    };
    let mut code = None;
    let mut got_state = None;
    let mut got_iss = None;
    let mut error = None;
    let mut error_description = None;
    let mut admin_consent = None;
    let mut tenant = None;
    let mut scope = None;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "admin_consent" => admin_consent = Some(v.eq_ignore_ascii_case("true")),
            "tenant" => tenant = Some(v.into_owned()),
            "scope" => scope = Some(v.into_owned()),
            "code" => code = Some(Secret::new(v.into_owned())),
            "state" => got_state = Some(v.into_owned()),
            "iss" => got_iss = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            "error_description" => error_description = Some(v.into_owned()),
            _ => {}
        }
    }
    if code.is_none() && error.is_none() && admin_consent.is_none() {
        tracing::debug!(
            path = url.path(),
            "loopback: ignoring a request that is not the sign-in response"
        );
        let page = Page {
            status: 404,
            title: "Entra Desk",
            text: "Entra Desk is waiting for the sign-in to finish in this browser.",
        };
        return (page, None);
    }
    if got_state.as_deref() != Some(state) {
        tracing::warn!("loopback: sign-in response with a wrong or missing state; ignored");
        let page = Page {
            status: 400,
            title: "Sign-in not accepted",
            text: "This sign-in response does not belong to the sign-in Entra Desk started. Return to Entra Desk.",
        };
        return (page, None);
    }
    let iss_ok = match &got_iss {
        Some(i) => crate::oidc::issuer_matches(&iss.issuer_template, i, None),
        None => !iss.required,
    };
    if !iss_ok {
        tracing::warn!("loopback: sign-in response from an unexpected issuer; ignored");
        let page = Page {
            status: 400,
            title: "Sign-in not accepted",
            text: "This sign-in response came from an unexpected sign-in service. Return to Entra Desk.",
        };
        return (page, None);
    }
    let (title, text, result) = match (code, error) {
        (_, Some(error)) => (
            "Sign-in did not complete",
            "The sign-in did not complete. Return to Entra Desk to see what to do next. You can close this window.",
            Redirect::Error(EntraErrorBody {
                error,
                error_description,
                ..Default::default()
            }),
        ),
        (Some(code), None) => (
            "Signed in",
            "You are signed in to Entra Desk. You can close this window.",
            Redirect::Code { code },
        ),
        (None, None) if admin_consent == Some(true) => (
            "Permissions granted",
            "The app's permissions were granted. Return to Entra Desk. You can close this window.",
            Redirect::AdminConsent { tenant, scope },
        ),
        (None, None) => (
            "Permissions not granted",
            "The permissions were not granted. Return to Entra Desk. You can close this window.",
            Redirect::Error(EntraErrorBody {
                error: "access_denied".into(),
                ..Default::default()
            }),
        ),
    };
    (
        Page {
            status: 200,
            title,
            text,
        },
        Some(result),
    )
}

/// Reads the request head (at most `MAX_REQUEST` bytes, up to the blank line or the end).
async fn read_head(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > MAX_REQUEST {
            return None;
        }
    }
    Some(buf)
}

/// The request target of a GET, from the request head's bytes.
fn request_target(head: &[u8]) -> Option<String> {
    let head = std::str::from_utf8(head).ok()?;
    let line = head.lines().next()?;
    let mut parts = line.split(' ');
    let method = parts.next()?;
    let target = parts.next()?;
    (method == "GET" && target.starts_with('/')).then(|| target.to_string())
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1b1b1b}}</style>\
         </head><body><h1>{t}</h1><p>{x}</p></body></html>",
        t = html_escape(title),
        x = html_escape(text)
    );
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SignInErrorKind;

    async fn get(port: u16, target: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        s.write_all(format!("GET {target} HTTP/1.1\r\nHost: localhost:{port}\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    }

    /// Wait (in a task) for a response with state `s1`, `iss` not required.
    fn wait_for_s1(lb: Loopback) -> tokio::task::JoinHandle<Result<Redirect, SignInError>> {
        let check = IssCheck {
            issuer_template: String::new(),
            required: false,
        };
        tokio::spawn(async move {
            lb.wait("s1", &check, Duration::from_secs(300), &CancelHandle::new())
                .await
        })
    }

    fn iss() -> IssCheck {
        IssCheck {
            issuer_template: "http://idp/t/v2.0".into(),
            required: true,
        }
    }

    #[tokio::test]
    async fn ignores_favicon_and_wrong_state_then_accepts_the_real_response() {
        let lb = Loopback::bind().await.unwrap();
        let port = lb.port();
        let cancel = CancelHandle::new();
        let waiter = tokio::spawn(async move { lb.wait("s1", &iss(), Duration::from_secs(300), &cancel).await });
        let fav = get(port, "/favicon.ico").await;
        assert!(fav.starts_with("HTTP/1.1 404"), "{fav}");
        let wrong = get(port, "/?code=abc&state=evil&iss=http%3A%2F%2Fidp%2Ft%2Fv2.0").await;
        assert!(wrong.starts_with("HTTP/1.1 400"), "{wrong}");
        let bad_iss = get(port, "/?code=abc&state=s1&iss=http%3A%2F%2Fevil%2Ft%2Fv2.0").await;
        assert!(bad_iss.starts_with("HTTP/1.1 400"), "{bad_iss}");
        let no_iss = get(port, "/?code=abc&state=s1").await;
        assert!(
            no_iss.starts_with("HTTP/1.1 400"),
            "iss is required when advertised: {no_iss}"
        );
        assert!(!waiter.is_finished());
        let ok = get(port, "/?code=the-code&state=s1&iss=http%3A%2F%2Fidp%2Ft%2Fv2.0").await;
        assert!(
            ok.starts_with("HTTP/1.1 200") && ok.contains("You can close this window"),
            "{ok}"
        );
        assert!(!ok.contains("the-code"));
        match waiter.await.unwrap().unwrap() {
            Redirect::Code { code } => assert_eq!(code.expose(), "the-code"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn error_redirect_is_returned_with_its_description() {
        let lb = Loopback::bind().await.unwrap();
        let port = lb.port();
        let cancel = CancelHandle::new();
        let check = IssCheck {
            issuer_template: "http://idp/t/v2.0".into(),
            required: false,
        };
        let waiter = tokio::spawn(async move { lb.wait("s1", &check, Duration::from_secs(300), &cancel).await });
        let page = get(
            port,
            "/?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent&state=s1",
        )
        .await;
        assert!(page.contains("did not complete"));
        match waiter.await.unwrap().unwrap() {
            Redirect::Error(b) => {
                assert_eq!(b.error, "access_denied");
                assert_eq!(b.aadsts_codes(), vec![65004]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn answers_on_ipv6_loopback_too_when_the_machine_has_it() {
        let lb = Loopback::bind().await.unwrap();
        let port = lb.port();
        if lb.v6.is_none() {
            eprintln!("SKIPPED: no [::1] on this machine");
            return;
        }
        let waiter = wait_for_s1(lb);
        let mut s = TcpStream::connect(("::1", port)).await.unwrap();
        s.write_all(b"GET /?code=v6-code&state=s1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
        assert!(matches!(waiter.await.unwrap().unwrap(), Redirect::Code { .. }));
    }

    #[tokio::test]
    async fn admin_consent_response_ends_the_wait() {
        let lb = Loopback::bind().await.unwrap();
        let port = lb.port();
        let waiter = wait_for_s1(lb);
        let page = get(port, "/?admin_consent=True&tenant=72f988bf-86f1-41af-91ab-2d7cd011db47&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&state=s1").await;
        assert!(page.contains("permissions were granted"), "{page}");
        match waiter.await.unwrap().unwrap() {
            Redirect::AdminConsent { tenant, scope } => {
                assert_eq!(tenant.as_deref(), Some("72f988bf-86f1-41af-91ab-2d7cd011db47"));
                assert_eq!(scope.as_deref(), Some("https://graph.microsoft.com/.default"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn accept_failures_back_off_from_10_ms_to_half_a_second() {
        assert_eq!(accept_backoff(1), Duration::from_millis(10));
        assert_eq!(accept_backoff(2), Duration::from_millis(20));
        assert_eq!(accept_backoff(6), Duration::from_millis(320));
        assert_eq!(accept_backoff(7), ACCEPT_BACKOFF_MAX);
        assert_eq!(accept_backoff(u32::MAX), ACCEPT_BACKOFF_MAX);
    }

    #[tokio::test]
    async fn idle_connections_beyond_the_cap_are_closed_and_the_redirect_still_gets_through() {
        let lb = Loopback::bind().await.unwrap();
        let port = lb.port();
        let waiter = wait_for_s1(lb);
        let mut idle = Vec::new();
        for _ in 0..MAX_CONNECTIONS * 2 {
            idle.push(TcpStream::connect(("127.0.0.1", port)).await.unwrap());
        }
        let ok = get(port, "/?code=c&state=s1").await;
        assert!(ok.starts_with("HTTP/1.1 200"), "{ok}");
        assert!(matches!(waiter.await.unwrap().unwrap(), Redirect::Code { .. }));
        // The first ones were pushed out as soon as the cap was reached: they read EOF (or a reset)
        // at once, not after the 10-second read timeout.
        let mut buf = [0u8; 1];
        let first = tokio::time::timeout(Duration::from_secs(2), idle[0].read(&mut buf)).await;
        assert!(matches!(first, Ok(Ok(0)) | Ok(Err(_))), "{first:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn gives_up_after_five_minutes() {
        let lb = Loopback::bind().await.unwrap();
        let err = lb
            .wait("s", &iss(), Duration::from_secs(300), &CancelHandle::new())
            .await
            .unwrap_err();
        assert_eq!(err.kind, SignInErrorKind::TimedOut);
        assert!(err.message.contains("5 minute"), "{}", err.message);
    }

    #[tokio::test]
    async fn cancel_stops_the_wait() {
        let lb = Loopback::bind().await.unwrap();
        let cancel = CancelHandle::new();
        let c2 = cancel.clone();
        let waiter = tokio::spawn(async move { lb.wait("s", &iss(), Duration::from_secs(300), &c2).await });
        cancel.cancel();
        assert_eq!(waiter.await.unwrap().unwrap_err().kind, SignInErrorKind::Cancelled);
    }
}

/// Property tests: no bytes a browser (or anything else on this machine) sends make the listener's
/// parsing panic, and only a response carrying this sign-in's `state` ends the wait. 256 cases
/// per property (proptest's default); `cargo xtask fuzz` runs millions through `PROPTEST_CASES`.
#[cfg(test)]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    const STATE: &str = "s-1";

    fn iss(required: bool) -> IssCheck {
        IssCheck {
            issuer_template: "https://login.microsoftonline.com/{tenantid}/v2.0".into(),
            required,
        }
    }

    const WORDS: &[&[u8]] = &[
        b"GET ",
        b"/",
        b"?",
        b"&",
        b"code=",
        b"state=s-1",
        b"state=",
        b"error=x",
        b"iss=",
        b"admin_consent=True",
        b"%ZZ",
        b"%c3%28",
        b"%00",
        b"//x",
        b"/../",
        b" HTTP/1.1\r\n",
        b"\r\n\r\n",
        b"\xff\xfe",
    ];

    /// Bytes that matter to an HTTP request line and a query string, among any others.
    fn request_bytes() -> impl Strategy<Value = Vec<u8>> {
        let byte = prop_oneof![
            4 => any::<u8>(),
            4 => prop::sample::select(b"GET /?&=%#+;:@.'\"\\ \r\n\t\0".to_vec()),
        ];
        let words = prop::sample::select(WORDS).prop_map(<[u8]>::to_vec);
        prop::collection::vec(prop_oneof![2 => byte.prop_map(|b| vec![b]), 3 => words], 0..64).prop_map(|p| p.concat())
    }

    proptest! {
        #[test]
        fn no_request_makes_the_listener_panic(head in request_bytes(), required in any::<bool>()) {
            if let Some(target) = request_target(&head) {
                prop_assert!(target.starts_with('/'));
                let (page, result) = answer(&target, STATE, &iss(required));
                prop_assert_eq!(result.is_some(), page.status == 200);
                if result.is_some() {
                    let url = Url::parse("http://127.0.0.1/").unwrap().join(&target).unwrap();
                    let state = url.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned());
                    prop_assert_eq!(state.as_deref(), Some(STATE), "{:?}", target);
                }
            }
        }

        #[test]
        fn arbitrary_bytes_never_panic(head in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Some(target) = request_target(&head) {
                let _ = answer(&target, STATE, &iss(true));
            }
        }

        /// Whatever the code's characters, the one sent (percent-encoded) is the one received.
        #[test]
        fn the_code_arrives_exactly(code in any::<String>()) {
            let enc: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
            let head = format!("GET /?code={enc}&state={STATE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            let target = request_target(head.as_bytes()).unwrap();
            match answer(&target, STATE, &iss(false)) {
                (_, Some(Redirect::Code { code: got })) => prop_assert_eq!(got.expose(), code.as_str()),
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
}

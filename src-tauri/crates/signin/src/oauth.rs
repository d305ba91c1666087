//! The OAuth 2.0 protocol through the `oauth2` crate (v5), adapted to Entra:
//!
//! * `EntraErrorBody` (error.rs) is the crate's error response type, so `error_codes`, `suberror`,
//!   `claims`, `trace_id` and `correlation_id` survive; `EntraTokenFields` keeps the `id_token`.
//! * `TokenHttp` is the crate's HTTP client: reqwest, plus `Retry-After` on the token endpoint
//!   (bounded, msgraph's pure retry policy) and the status and body of the last refusal, so an
//!   error the crate cannot type (HTML, an empty body, the device flow's fixed error type) is still
//!   mapped by `SignInError::from_http`.
//! * `token_lifetime` clamps `expires_in`, `refresh_margin` says when to refresh.
//!
//! No request or response body is ever formatted into a log or an error: the crate's
//! `RequestTokenError` is turned into a `SignInError` here and never printed.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use msgraph::retry::{parse_retry_after, AttemptOutcome, RetryDecision, RetryPolicy};
use oauth2::basic::{BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType};
use oauth2::{
    AsyncHttpClient, AuthUrl, ClientId, DeviceAuthorizationUrl, DeviceCodeErrorResponse, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, HttpRequest, HttpResponse, RequestTokenError, StandardRevocableToken,
    StandardTokenResponse, TokenUrl,
};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::error::{EntraErrorBody, SignInError, Stage};
use crate::oidc::Endpoints;
use crate::profile::Profile;
use crate::secret::Secret;

/// Refresh silently when the access token has less than this left (half its lifetime for tokens
/// shorter than 10 minutes; lifetimes are clamped to 60 s ..= 24 h).
pub const REFRESH_AHEAD: Duration = Duration::from_secs(5 * 60);

/// The shortest access-token lifetime believed: a provider that says 0 or 1 second would otherwise
/// make every call refresh.
pub(crate) const MIN_TOKEN_LIFETIME: Duration = Duration::from_secs(60);
/// The longest access-token lifetime believed (Entra's CAE tokens live up to 28 hours, and we refresh
/// earlier than that without harm). Also keeps `Instant + lifetime` from overflowing.
pub(crate) const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// When the token response has no `expires_in` (RFC 6749 §5.1 makes it optional).
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The token endpoint's retry limits: `Retry-After` up to 30 seconds is waited for (a person is
/// waiting), at most 3 times; a longer one is reported at once as "busy".
pub(crate) fn token_retry_policy() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(8),
        max_retry_after: Duration::from_secs(30),
        // A person is waiting at the sign-in page: a minute at most in all.
        max_total_wait: Duration::from_secs(60),
    }
}

/// The fields of a token response beyond RFC 6749's that the app reads.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct EntraTokenFields {
    #[serde(default)]
    pub id_token: Option<Secret>,
}

/// `oauth2` requires `Serialize` of extra fields; the app never serializes a token response, and if
/// anything did, no token would be written.
impl Serialize for EntraTokenFields {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        s.serialize_map(Some(0))?.end()
    }
}

impl oauth2::ExtraTokenFields for EntraTokenFields {}

/// Entra's device authorization answer adds a ready-made instruction text.
#[derive(Debug, Deserialize, Serialize)]
pub(crate) struct EntraDeviceFields {
    #[serde(default)]
    pub message: Option<String>,
}

impl oauth2::ExtraDeviceAuthorizationFields for EntraDeviceFields {}

pub(crate) type EntraTokenResponse = StandardTokenResponse<EntraTokenFields, BasicTokenType>;

/// The `oauth2` client for one profile: authorize and token endpoints set, device endpoint when
/// discovery offers one.
pub(crate) type EntraClient = oauth2::Client<
    EntraErrorBody,
    EntraTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointMaybeSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// A public client (no secret: `client_id` goes in the form body) on the discovered endpoints.
pub(crate) fn client(profile: &Profile, endpoints: &Endpoints) -> EntraClient {
    oauth2::Client::new(ClientId::new(profile.client_id.clone()))
        .set_auth_type(oauth2::AuthType::RequestBody)
        .set_auth_uri(AuthUrl::from_url(endpoints.authorization_endpoint.clone()))
        .set_token_uri(TokenUrl::from_url(endpoints.token_endpoint.clone()))
        .set_device_authorization_url_option(
            endpoints
                .device_authorization_endpoint
                .clone()
                .map(DeviceAuthorizationUrl::from_url),
        )
}

/// The scopes a profile asks for, as `oauth2` scopes.
pub(crate) fn scopes(profile: &Profile) -> Vec<oauth2::Scope> {
    profile
        .requested_scopes()
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| oauth2::Scope::new(s.to_string()))
        .collect()
}

/// The access token's lifetime as the app believes it: `expires_in` clamped to 60 s ..= 24 h.
pub(crate) fn token_lifetime(expires_in: Option<Duration>) -> Duration {
    expires_in
        .unwrap_or(DEFAULT_TOKEN_LIFETIME)
        .clamp(MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME)
}

/// Refresh when less than this is left: 5 minutes, or half the lifetime for tokens shorter than 10
/// minutes (a 2-minute token is used for a minute, not refreshed on every call).
pub(crate) fn refresh_margin(lifetime: Duration) -> Duration {
    REFRESH_AHEAD.min(lifetime / 2)
}

/// The token endpoint's last refusal: status and body (an error body; a successful answer, which
/// carries tokens, is never kept).
struct Refusal {
    status: u16,
    body: Vec<u8>,
}

/// `oauth2`'s HTTP client for the token and device endpoints.
pub(crate) struct TokenHttp<'a> {
    client: &'a reqwest::Client,
    policy: RetryPolicy,
    last_refusal: Mutex<Option<Refusal>>,
}

impl<'a> TokenHttp<'a> {
    pub fn new(client: &'a reqwest::Client) -> TokenHttp<'a> {
        TokenHttp::with_policy(client, token_retry_policy())
    }

    pub fn with_policy(client: &'a reqwest::Client, policy: RetryPolicy) -> TokenHttp<'a> {
        TokenHttp {
            client,
            policy,
            last_refusal: Mutex::new(None),
        }
    }

    fn remember(&self, refusal: Option<Refusal>) {
        *self.last_refusal.lock().unwrap_or_else(|p| p.into_inner()) = refusal;
    }

    fn take_refusal(&self) -> Option<Refusal> {
        self.last_refusal.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, reqwest::Error> {
        let (parts, body) = request.into_parts();
        let mut attempt = 0;
        // What this request has slept so far (the policy's time budget).
        let mut waited = Duration::ZERO;
        loop {
            let response = self
                .client
                .request(parts.method.clone(), parts.uri.to_string())
                .headers(parts.headers.clone())
                // We honour Retry-After (below); Entra throttles clients that say so more gently.
                .header("x-ms-lib-capability", "retry-after, h429")
                .body(body.clone())
                .send()
                .await?;
            let status = response.status();
            if !status.is_success() {
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| parse_retry_after(v, SystemTime::now()));
                let jitter = rand::thread_rng().gen::<f64>();
                let decision = self.policy.decide_within(
                    &parts.method,
                    AttemptOutcome::Status(status.as_u16()),
                    retry_after,
                    attempt,
                    jitter,
                    waited,
                );
                if let RetryDecision::RetryAfter(wait) = decision {
                    tracing::info!(
                        status = status.as_u16(),
                        wait_ms = wait.as_millis() as u64,
                        attempt,
                        "the token service asked to wait; trying again"
                    );
                    drop(response);
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    attempt += 1;
                    continue;
                }
            }
            let mut head = oauth2::http::Response::builder().status(status);
            for (name, value) in response.headers() {
                head = head.header(name, value);
            }
            let bytes = response.bytes().await?.to_vec();
            self.remember((!status.is_success()).then(|| Refusal {
                status: status.as_u16(),
                body: bytes.clone(),
            }));
            let built = head.body(bytes);
            // Only a header that reqwest itself accepted is copied, so building cannot fail.
            return Ok(built.unwrap_or_else(|_| oauth2::http::Response::new(Vec::new())));
        }
    }

    /// Turn `oauth2`'s error into one a person can act on. `body` gives the typed error body
    /// (the crate's error type differs per request); the last refusal fills in what it lacks.
    pub fn error<TE: oauth2::ErrorResponse + 'static>(
        &self,
        err: RequestTokenError<reqwest::Error, TE>,
        body: impl FnOnce(TE) -> EntraErrorBody,
        stage: Stage,
        profile: &Profile,
    ) -> SignInError {
        let refusal = self.take_refusal();
        match err {
            RequestTokenError::Request(e) => SignInError::network(&e, "contacting the token service"),
            RequestTokenError::ServerResponse(te) => {
                let typed = body(te);
                // The device flow's error type keeps only `error`: take Entra's full body when it is
                // the same error (and not one the crate made up, such as its own expiry).
                let full = refusal
                    .as_ref()
                    .and_then(|r| std::str::from_utf8(&r.body).ok())
                    .and_then(EntraErrorBody::from_json)
                    .filter(|b| b.error == typed.error);
                SignInError::from_entra(stage, &full.unwrap_or(typed), Some(profile))
            }
            // A refusal the crate could not type (HTML, an empty body): status and text decide.
            RequestTokenError::Parse(..) | RequestTokenError::Other(_) if refusal.is_some() => {
                let r = refusal.unwrap_or(Refusal {
                    status: 0,
                    body: Vec::new(),
                });
                SignInError::from_http(stage, r.status, &String::from_utf8_lossy(&r.body), Some(profile))
            }
            RequestTokenError::Parse(e, _) => SignInError {
                provider_detail: Some(format!("unexpected JSON at `{}`", e.path())),
                ..SignInError::protocol("The token service's answer could not be read.")
            },
            RequestTokenError::Other(_) => SignInError::protocol("The token service's answer could not be read."),
        }
    }
}

impl<'c> AsyncHttpClient<'c> for TokenHttp<'_> {
    type Error = reqwest::Error;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, reqwest::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(self.send(request))
    }
}

/// The typed body of the device flow's polling error (the crate fixes that type).
pub(crate) fn device_error_body(e: DeviceCodeErrorResponse) -> EntraErrorBody {
    let error = serde_json::to_value(e.error())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "invalid_request".into());
    EntraErrorBody {
        error,
        error_description: e.error_description().cloned(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expires_in_is_clamped_between_a_minute_and_a_day() {
        assert_eq!(token_lifetime(Some(Duration::ZERO)), MIN_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(Duration::from_secs(1))), MIN_TOKEN_LIFETIME);
        assert_eq!(token_lifetime(Some(Duration::from_secs(u64::MAX))), MAX_TOKEN_LIFETIME);
        assert_eq!(
            token_lifetime(Some(Duration::from_secs(4_500))),
            Duration::from_secs(4_500)
        );
        assert_eq!(token_lifetime(None), Duration::from_secs(3_600));
        // The clamp is what keeps `Instant + lifetime` from panicking.
        let now = tokio::time::Instant::now();
        let _ = now + token_lifetime(Some(Duration::from_secs(u64::MAX)));
    }

    #[test]
    fn short_tokens_are_reused_for_half_their_life_long_ones_until_five_minutes_are_left() {
        assert_eq!(
            refresh_margin(token_lifetime(Some(Duration::ZERO))),
            Duration::from_secs(30)
        );
        assert_eq!(
            refresh_margin(token_lifetime(Some(Duration::from_secs(1)))),
            Duration::from_secs(30)
        );
        assert_eq!(refresh_margin(Duration::from_secs(120)), Duration::from_secs(60));
        assert_eq!(refresh_margin(Duration::from_secs(3_600)), REFRESH_AHEAD);
        assert_eq!(
            refresh_margin(token_lifetime(Some(Duration::from_secs(u64::MAX)))),
            REFRESH_AHEAD
        );
    }

    #[test]
    fn the_token_endpoint_waits_for_a_short_retry_after_but_not_a_long_one() {
        let p = token_retry_policy();
        let post = reqwest::Method::POST;
        let decide = |status, ra: Option<u64>, attempt| {
            p.decide(
                &post,
                AttemptOutcome::Status(status),
                ra.map(Duration::from_secs),
                attempt,
                0.5,
            )
        };
        assert_eq!(
            decide(429, Some(2), 0),
            RetryDecision::RetryAfter(Duration::from_secs(2))
        );
        assert_eq!(
            decide(503, Some(5), 2),
            RetryDecision::RetryAfter(Duration::from_secs(5))
        );
        assert_eq!(decide(429, Some(3_600), 0), RetryDecision::GiveUp);
        assert_eq!(decide(429, Some(1), 3), RetryDecision::GiveUp);
        // A code must not be redeemed twice: a 500 or a 503 without Retry-After is not retried.
        assert_eq!(decide(500, None, 0), RetryDecision::GiveUp);
        assert_eq!(decide(503, None, 0), RetryDecision::GiveUp);
        assert_eq!(decide(400, Some(1), 0), RetryDecision::GiveUp);
    }

    #[test]
    fn token_fields_keep_the_id_token_and_never_serialize_it() {
        let r: EntraTokenResponse = serde_json::from_str(
            r#"{"access_token":"at-secret","token_type":"Bearer","expires_in":3599,"id_token":"a.b.c","refresh_token":"rt-secret"}"#,
        )
        .unwrap();
        assert_eq!(r.extra_fields().id_token.as_ref().unwrap().expose(), "a.b.c");
        let debug = format!("{r:?}");
        assert!(
            !debug.contains("at-secret") && !debug.contains("rt-secret") && !debug.contains("a.b.c"),
            "{debug}"
        );
        assert_eq!(serde_json::to_value(r.extra_fields()).unwrap(), serde_json::json!({}));
    }
}

//! The protocol pieces: discovery, PKCE, token endpoint calls, id_token checks.
//!
//! Hand-written over reqwest rather than the `oauth2` crate so that every Entra error field
//! (`error_codes`, `suberror`, `claims`, `trace_id`, ...) and the `id_token` survive, and so that no
//! request or response body is ever formatted into a log or error.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use url::Url;

use crate::error::{SignInError, Stage};
use crate::profile::Profile;
use crate::secret::Secret;

/// What the app needs from the provider's discovery document.
#[derive(Debug, Clone)]
pub(crate) struct Endpoints {
    /// May contain `{tenantid}` (Entra's multi-tenant authorities).
    pub issuer: String,
    pub authorization_endpoint: Url,
    pub token_endpoint: Url,
    pub device_authorization_endpoint: Option<Url>,
    pub iss_parameter_supported: bool,
}

#[derive(Deserialize)]
struct DiscoveryDoc {
    issuer: String,
    authorization_endpoint: Url,
    token_endpoint: Url,
    #[serde(default)]
    device_authorization_endpoint: Option<Url>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}

pub(crate) fn http_client() -> Result<reqwest::Client, SignInError> {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(60))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("EntraDesk/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| SignInError::network(&e, "setting up HTTPS"))
}

pub(crate) async fn discover(http: &reqwest::Client, profile: &Profile) -> Result<Endpoints, SignInError> {
    let url = profile.discovery_url()?;
    tracing::debug!(profile = %profile.id, %url, "OIDC discovery");
    let resp = http
        .get(url)
        .send()
        .await
        .map_err(|e| SignInError::network(&e, "reading the sign-in configuration"))?;
    let status = resp.status().as_u16();
    let text = resp
        .text()
        .await
        .map_err(|e| SignInError::network(&e, "reading the sign-in configuration"))?;
    if status != 200 {
        // Entra answers an unknown tenant with 400 + invalid_tenant/AADSTS90002.
        let mut e = SignInError::from_http(Stage::Authorize, status, &text, Some(profile));
        if e.kind == crate::SignInErrorKind::Protocol && (status == 400 || status == 404) {
            e = SignInError::from_entra(
                Stage::Authorize,
                &crate::error::EntraErrorBody {
                    error: "invalid_request".into(),
                    error_codes: vec![90002],
                    ..Default::default()
                },
                Some(profile),
            );
        }
        return Err(e);
    }
    let doc: DiscoveryDoc = serde_json::from_str(&text).map_err(|_| {
        SignInError::protocol("The sign-in configuration (OpenID discovery document) could not be read.")
    })?;
    Ok(Endpoints {
        issuer: doc.issuer,
        authorization_endpoint: doc.authorization_endpoint,
        token_endpoint: doc.token_endpoint,
        device_authorization_endpoint: doc.device_authorization_endpoint,
        iss_parameter_supported: doc.authorization_response_iss_parameter_supported,
    })
}

/// Does `actual` match the discovery issuer, which may be an Entra template with `{tenantid}`?
/// With `tid` given, the placeholder must be exactly that tenant.
pub(crate) fn issuer_matches(template: &str, actual: &str, tid: Option<&str>) -> bool {
    match template.split_once("{tenantid}") {
        None => template == actual,
        Some((pre, post)) => {
            let Some(mid) = actual.strip_prefix(pre).and_then(|r| r.strip_suffix(post)) else {
                return false;
            };
            let shaped = !mid.is_empty() && mid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
            shaped && tid.is_none_or(|t| t.eq_ignore_ascii_case(mid))
        }
    }
}

/// A random URL-safe string of `bytes` random bytes.
pub(crate) fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// PKCE S256: (verifier, challenge). 32 random bytes → a 43-character verifier (RFC 7636 §4.1).
pub(crate) fn pkce_pair() -> (Secret, String) {
    let verifier = random_token(32);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (Secret::new(verifier), challenge)
}

/// A successful token endpoint answer.
#[derive(Deserialize)]
pub(crate) struct TokenResponse {
    pub access_token: Secret,
    #[serde(default)]
    pub expires_in: Option<serde_json::Value>,
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    #[serde(default)]
    pub id_token: Option<Secret>,
}

impl TokenResponse {
    pub fn lifetime(&self) -> Duration {
        let secs = match &self.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.parse().ok(),
            _ => None,
        };
        Duration::from_secs(secs.unwrap_or(3600))
    }
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenResponse(<redacted>)")
    }
}

/// POST a form to a token-style endpoint; map any failure to a `SignInError`.
pub(crate) async fn post_form<T: for<'de> Deserialize<'de>>(
    http: &reqwest::Client,
    url: &Url,
    form: &[(&str, &str)],
    stage: Stage,
    profile: &Profile,
) -> Result<T, SignInError> {
    let resp = http
        .post(url.clone())
        .header("x-ms-lib-capability", "retry-after, h429")
        .form(form)
        .send()
        .await
        .map_err(|e| SignInError::network(&e, "contacting the token service"))?;
    let status = resp.status().as_u16();
    let text = resp
        .text()
        .await
        .map_err(|e| SignInError::network(&e, "reading the token service's answer"))?;
    if !(200..300).contains(&status) {
        return Err(SignInError::from_http(stage, status, &text, Some(profile)));
    }
    serde_json::from_str(&text).map_err(|_| SignInError::protocol("The token service's answer could not be read."))
}

/// The id_token claims the app uses.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct IdClaims {
    pub iss: String,
    pub aud: serde_json::Value,
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub sub: Option<String>,
    #[serde(default)]
    pub oid: Option<String>,
    #[serde(default)]
    pub tid: Option<String>,
    #[serde(default)]
    pub preferred_username: Option<String>,
    #[serde(default)]
    pub upn: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// Decode and check an id_token received directly from the token endpoint.
///
/// Checked: `iss` (against discovery, with Entra's `{tenantid}` template resolved from `tid`), `aud`
/// (must contain our client id), `nonce` (when we sent one), `exp`. The JWS signature is *not*
/// verified: the token came straight from the token endpoint over the connection we opened, which
/// OpenID Connect Core §3.1.3.7 (step 6) allows in place of signature validation.
pub(crate) fn check_id_token(
    id_token: &Secret,
    endpoints: &Endpoints,
    client_id: &str,
    nonce: Option<&str>,
    now_unix: i64,
) -> Result<IdClaims, SignInError> {
    let bad = |why: &str| {
        SignInError::protocol(format!(
            "The sign-in service returned an ID token that failed a check ({why})."
        ))
    };
    let mut parts = id_token.expose().split('.');
    let payload = match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(p), Some(_)) => p,
        _ => return Err(bad("not a JWT")),
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|_| bad("not a JWT"))?;
    let claims: IdClaims = serde_json::from_slice(&bytes).map_err(|_| bad("unreadable claims"))?;
    if !issuer_matches(&endpoints.issuer, &claims.iss, claims.tid.as_deref()) {
        return Err(bad("issuer"));
    }
    let aud_ok = match &claims.aud {
        serde_json::Value::String(a) => a == client_id,
        serde_json::Value::Array(v) => v.iter().any(|a| a.as_str() == Some(client_id)),
        _ => false,
    };
    if !aud_ok {
        return Err(bad("audience"));
    }
    if let Some(expected) = nonce {
        if claims.nonce.as_deref() != Some(expected) {
            return Err(bad("nonce"));
        }
    }
    if let Some(exp) = claims.exp {
        if exp + 300 < now_unix {
            return Err(bad("expired"));
        }
    }
    Ok(claims)
}

pub(crate) fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(issuer: &str) -> Endpoints {
        Endpoints {
            issuer: issuer.into(),
            authorization_endpoint: Url::parse("https://x/authorize").unwrap(),
            token_endpoint: Url::parse("https://x/token").unwrap(),
            device_authorization_endpoint: None,
            iss_parameter_supported: false,
        }
    }

    fn jwt(claims: serde_json::Value) -> Secret {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT"}"#);
        let p = URL_SAFE_NO_PAD.encode(claims.to_string());
        Secret::new(format!("{h}.{p}.c2ln"))
    }

    #[test]
    fn pkce_verifier_is_43_chars_and_challenge_is_its_s256() {
        let (v, c) = pkce_pair();
        assert_eq!(v.len(), 43);
        assert_eq!(c, URL_SAFE_NO_PAD.encode(Sha256::digest(v.expose().as_bytes())));
        // RFC 7636 appendix B test vector
        let c = URL_SAFE_NO_PAD.encode(Sha256::digest(b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assert_eq!(c, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn entra_issuer_template_accepts_only_the_token_tenant() {
        let t = "https://login.microsoftonline.com/{tenantid}/v2.0";
        assert!(issuer_matches(
            t,
            "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        ));
        assert!(!issuer_matches(
            t,
            "https://login.microsoftonline.com/aaaa/v2.0",
            Some("bbbb")
        ));
        assert!(!issuer_matches(t, "https://evil.example/72f988bf/v2.0", None));
        assert!(issuer_matches(
            "http://127.0.0.1:1/t/v2.0",
            "http://127.0.0.1:1/t/v2.0",
            None
        ));
        assert!(!issuer_matches(
            "http://127.0.0.1:1/t/v2.0",
            "http://127.0.0.1:2/t/v2.0",
            None
        ));
    }

    #[test]
    fn id_token_checks_issuer_audience_nonce_and_expiry() {
        let ep = endpoints("https://login.microsoftonline.com/{tenantid}/v2.0");
        let good = serde_json::json!({
            "iss": "https://login.microsoftonline.com/tid-1/v2.0", "aud": "client", "nonce": "n1",
            "exp": 2000, "tid": "tid-1", "oid": "oid-1", "preferred_username": "a@b", "name": "A"
        });
        assert!(check_id_token(&jwt(good.clone()), &ep, "client", Some("n1"), 1000).is_ok());
        let mut wrong_nonce = good.clone();
        wrong_nonce["nonce"] = "n2".into();
        assert_eq!(
            check_id_token(&jwt(wrong_nonce), &ep, "client", Some("n1"), 1000)
                .unwrap_err()
                .kind,
            crate::SignInErrorKind::Protocol
        );
        let mut wrong_aud = good.clone();
        wrong_aud["aud"] = serde_json::json!(["other"]);
        assert!(check_id_token(&jwt(wrong_aud), &ep, "client", Some("n1"), 1000).is_err());
        let mut wrong_iss = good.clone();
        wrong_iss["iss"] = "https://login.microsoftonline.com/tid-2/v2.0".into();
        assert!(check_id_token(&jwt(wrong_iss), &ep, "client", Some("n1"), 1000).is_err());
        assert!(check_id_token(&jwt(good), &ep, "client", Some("n1"), 3000).is_err());
        assert!(check_id_token(&Secret::new("garbage"), &ep, "client", None, 0).is_err());
    }
}

//! The OpenID Connect pieces around the `oauth2` crate (oauth.rs): discovery and its validation,
//! random `state`/`nonce`, id_token checks.

use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde::Deserialize;
use url::{Host, Url};

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
pub(crate) struct DiscoveryDoc {
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
    if url.scheme() != "https" && !(url.scheme() == "http" && is_loopback(&url)) {
        return Err(SignInError::config(
            "The sign-in address (authority) of this profile must start with https://.",
            "Edit the profile: only a practice tenant on this computer (127.0.0.1 or localhost) may use http://.",
        ));
    }
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
    validate_discovery(&profile.authority, doc)
}

/// 127.0.0.1, [::1] or localhost: where a practice tenant may use plain http.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12]) && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Accept a discovery document only if it belongs to the authority the profile names:
///
/// * every endpoint the app uses is on the authority's scheme, host and port, and that scheme is
///   https (http only for a practice tenant on 127.0.0.1 / localhost);
/// * the issuer is `{authority}/v2.0`; its tenant segment may instead be Entra's `{tenantid}`
///   template (`organizations`) or, when the authority names the tenant by a domain, the tenant's
///   GUID (Entra always issues with the GUID).
///
/// Otherwise a document served by the wrong host (a proxy, a typo'd custom authority) could send
/// the code, the PKCE verifier and the refresh token somewhere else.
pub(crate) fn validate_discovery(authority: &Url, doc: DiscoveryDoc) -> Result<Endpoints, SignInError> {
    let refuse = |what: &str| {
        tracing::warn!(what, "discovery document refused");
        SignInError::protocol(format!(
            "The sign-in configuration (OpenID discovery document) does not belong to this sign-in address: {what}."
        ))
    };
    let secure = authority.scheme() == "https" || (authority.scheme() == "http" && is_loopback(authority));
    if !secure {
        return Err(refuse("the sign-in address is not https"));
    }
    let same_origin = |u: &Url| u.origin() == authority.origin();
    let mut endpoints = vec![
        ("authorization endpoint", &doc.authorization_endpoint),
        ("token endpoint", &doc.token_endpoint),
    ];
    if let Some(d) = &doc.device_authorization_endpoint {
        endpoints.push(("device-code endpoint", d));
    }
    for (name, url) in endpoints {
        if !same_origin(url) {
            return Err(refuse(&format!("its {name} is on another host or scheme")));
        }
    }
    if !issuer_belongs_to(authority, &doc.issuer) {
        return Err(refuse("its issuer is not this authority"));
    }
    Ok(Endpoints {
        issuer: doc.issuer,
        authorization_endpoint: doc.authorization_endpoint,
        token_endpoint: doc.token_endpoint,
        device_authorization_endpoint: doc.device_authorization_endpoint,
        iss_parameter_supported: doc.authorization_response_iss_parameter_supported,
    })
}

fn issuer_belongs_to(authority: &Url, issuer: &str) -> bool {
    // `{tenantid}` is not a valid URL path segment until encoded; compare it as text.
    let Some(base) = issuer.strip_suffix("/v2.0") else {
        return false;
    };
    let authority_text = authority.as_str().trim_end_matches('/');
    if base == authority_text {
        return true;
    }
    let (Some((a_prefix, a_tenant)), Some((i_prefix, i_tenant))) =
        (authority_text.rsplit_once('/'), base.rsplit_once('/'))
    else {
        return false;
    };
    a_prefix == i_prefix
        && Url::parse(a_prefix).is_ok_and(|p| p.origin() == authority.origin() && p.path() == "/")
        && (i_tenant.eq_ignore_ascii_case(a_tenant)
            || i_tenant == "{tenantid}"
            || (!is_guid(a_tenant) && is_guid(i_tenant)))
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
    use sha2::Digest;

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
        // The verifier and challenge come from `oauth2`; check them against RFC 7636 anyway.
        let (c, v) = oauth2::PkceCodeChallenge::new_random_sha256();
        assert_eq!(v.secret().len(), 43);
        assert_eq!(c.method().as_str(), "S256");
        assert_eq!(
            c.as_str(),
            URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(v.secret().as_bytes()))
        );
        // RFC 7636 appendix B test vector
        let v = oauth2::PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        let c = oauth2::PkceCodeChallenge::from_code_verifier_sha256(&v);
        assert_eq!(c.as_str(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    fn doc(issuer: &str, base: &str) -> DiscoveryDoc {
        DiscoveryDoc {
            issuer: issuer.into(),
            authorization_endpoint: Url::parse(&format!("{base}/oauth2/v2.0/authorize")).unwrap(),
            token_endpoint: Url::parse(&format!("{base}/oauth2/v2.0/token")).unwrap(),
            device_authorization_endpoint: Some(Url::parse(&format!("{base}/oauth2/v2.0/devicecode")).unwrap()),
            authorization_response_iss_parameter_supported: false,
        }
    }

    fn check(authority: &str, d: DiscoveryDoc) -> Result<Endpoints, SignInError> {
        validate_discovery(&Url::parse(authority).unwrap(), d)
    }

    #[test]
    fn discovery_is_accepted_when_issuer_and_endpoints_belong_to_the_authority() {
        let guid = "72f988bf-86f1-41af-91ab-2d7cd011db47";
        let entra = "https://login.microsoftonline.com";
        // A tenant GUID: the issuer is the authority itself.
        assert!(check(
            &format!("{entra}/{guid}"),
            doc(&format!("{entra}/{guid}/v2.0"), &format!("{entra}/{guid}"))
        )
        .is_ok());
        // `organizations`: Entra's template.
        assert!(check(
            &format!("{entra}/organizations"),
            doc(&format!("{entra}/{{tenantid}}/v2.0"), &format!("{entra}/organizations"))
        )
        .is_ok());
        // A domain: Entra issues with the tenant's GUID.
        assert!(check(
            &format!("{entra}/contoso.onmicrosoft.com"),
            doc(
                &format!("{entra}/{guid}/v2.0"),
                &format!("{entra}/contoso.onmicrosoft.com")
            )
        )
        .is_ok());
        // The practice tenant and the test IdP: http on loopback.
        let local = "http://127.0.0.1:4010";
        assert!(check(
            &format!("{local}/{guid}"),
            doc(&format!("{local}/{guid}/v2.0"), &format!("{local}/{guid}"))
        )
        .is_ok());
        assert!(check(
            "http://localhost:4010/t",
            doc("http://localhost:4010/t/v2.0", "http://localhost:4010/t")
        )
        .is_ok());
    }

    #[test]
    fn discovery_is_refused_when_the_issuer_is_another_authority() {
        let a = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47";
        let other_tenant = "https://login.microsoftonline.com/0b6c4a6e-3f3b-4b0a-9d3e-2c8f1a7b6400/v2.0";
        let e = check(a, doc(other_tenant, a)).unwrap_err();
        assert_eq!(e.kind, crate::SignInErrorKind::Protocol);
        assert!(e.message.contains("issuer"), "{}", e.message);
        assert!(check(
            a,
            doc("https://evil.example/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0", a)
        )
        .is_err());
        assert!(check(a, doc(&format!("{a}/v2.0/extra"), a)).is_err());
        // A domain authority takes a GUID issuer on the same host only.
        let d = "https://login.microsoftonline.com/contoso.onmicrosoft.com";
        assert!(check(
            d,
            doc(
                "https://login.microsoftonline.us/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
                d
            )
        )
        .is_err());
        assert!(check(d, doc("https://login.microsoftonline.com/fabrikam.com/v2.0", d)).is_err());
        // Practice: the same port only.
        let p = "http://127.0.0.1:4010/t";
        assert!(check(p, doc("http://127.0.0.1:4011/t/v2.0", p)).is_err());
    }

    #[test]
    fn discovery_is_refused_when_an_endpoint_leaves_the_authority_or_https() {
        let a = "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47";
        let issuer = format!("{a}/v2.0");
        let mut d = doc(&issuer, a);
        d.token_endpoint = Url::parse("https://token-thief.example/t/oauth2/v2.0/token").unwrap();
        let e = check(a, d).unwrap_err();
        assert!(e.message.contains("token endpoint"), "{}", e.message);
        let mut d = doc(&issuer, a);
        d.authorization_endpoint = Url::parse("http://login.microsoftonline.com/t/oauth2/v2.0/authorize").unwrap();
        assert!(check(a, d).unwrap_err().message.contains("authorization endpoint"));
        let mut d = doc(&issuer, a);
        d.device_authorization_endpoint =
            Some(Url::parse("https://login.microsoftonline.com:8443/t/devicecode").unwrap());
        assert!(check(a, d).unwrap_err().message.contains("device-code endpoint"));
        // Plain http is for loopback only, and a loopback document cannot point elsewhere either.
        let h = "http://login.example.com/t";
        assert!(check(h, doc("http://login.example.com/t/v2.0", h)).is_err());
        let p = "http://127.0.0.1:4010/t";
        assert!(check(p, doc("http://127.0.0.1:4010/t/v2.0", "http://10.0.0.5:4010/t")).is_err());
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

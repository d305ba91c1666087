//! Errors a person can act on.
//!
//! Entra answers failures with `{error, error_description, error_codes, suberror, claims, trace_id,
//! correlation_id}`. Microsoft says the AADSTS numbers change over time, so the mapping branches on
//! `error` (the OAuth error, always present) and `suberror`/`claims` first, and uses an AADSTS number
//! only to tell cases apart *within* an `error` class; every class has a sensible fallback when the number
//! is unknown or missing. The AADSTS code, trace id and correlation id are kept for support.

use serde::{Deserialize, Serialize};

/// What went wrong, as far as the person in front of the screen is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SignInErrorKind {
    /// The person pressed Cancel.
    Cancelled,
    /// No answer from the browser within the time limit (5 minutes by default).
    TimedOut,
    /// The system browser could not be opened.
    BrowserUnavailable,
    /// The sign-in service could not be reached.
    Network,
    /// The sign-in service is busy or failing (HTTP 429/5xx, `temporarily_unavailable`).
    ServiceUnavailable,
    /// The person (or the service on their behalf) declined the sign-in or the consent.
    AccessDenied,
    /// Permissions have not been consented to; an administrator may need to grant consent.
    ConsentRequired,
    /// The app registration is set up wrongly (redirect URI, public client flows, secret expected, ...).
    AppRegistration,
    /// The app registration does not exist in (or is not consented for) this tenant.
    AppNotInTenant,
    /// The app requires user assignment and this user is not assigned.
    UserNotAssigned,
    /// Blocked by a Conditional Access policy; retrying will not help.
    ConditionalAccess,
    /// An extra step (usually MFA) is needed: sign in interactively again. The refresh token is kept.
    InteractionRequired,
    /// The tenant was not found in this cloud (wrong tenant, or it lives in another national cloud).
    WrongTenantOrCloud,
    /// The saved sign-in expired or was revoked; sign in again.
    SessionExpired,
    /// The authorization code was rejected (already used, expired, or the PKCE verifier did not match).
    CodeRejected,
    /// The device-code sign-in was declined in the browser.
    DeviceCodeDeclined,
    /// The device code expired before anyone entered it.
    DeviceCodeExpired,
    /// No saved sign-in for this account on this computer.
    NotSignedIn,
    /// The operating system keyring failed.
    Keyring,
    /// The profile is incomplete or invalid.
    Config,
    /// The identity provider answered something the protocol does not allow (state/issuer mismatch, bad id_token, ...).
    Protocol,
}

/// Where in the flow an error came back; the same OAuth error means different things at different stages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The browser redirect to the loopback listener.
    Authorize,
    /// Redeeming the authorization code.
    CodeExchange,
    /// Silent refresh with a refresh token.
    Refresh,
    /// Device-code polling.
    DeviceCode,
}

/// A sign-in failure: plain message, next step, and support details. Never contains a token or code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct SignInError {
    pub kind: SignInErrorKind,
    /// What happened, in plain language.
    pub message: String,
    /// What the person can do about it.
    pub next_step: String,
    /// Link an administrator can open to grant consent (for consent / app-not-in-tenant errors).
    pub admin_consent_url: Option<String>,
    /// True when the setup-help page (app registration steps) is the right place to go.
    pub show_setup_help: bool,
    /// True when signing in interactively again is the way forward.
    pub interaction_required: bool,
    /// The OAuth `error` value, e.g. `invalid_grant`.
    pub oauth_error: Option<String>,
    pub suberror: Option<String>,
    /// e.g. `AADSTS50076`, for support.
    pub aadsts_code: Option<String>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    /// A claims challenge to send with the next interactive sign-in (Conditional Access / MFA).
    pub claims: Option<String>,
    /// The provider's own description (first sentence, trimmed), for support.
    pub provider_detail: Option<String>,
}

/// An OAuth/Entra error body, from the token endpoint (JSON) or the redirect (query string).
/// It is the `oauth2` crate's error response type for every request the app sends, so none of
/// Entra's fields is lost on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct EntraErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u32>,
    #[serde(default)]
    pub suberror: Option<String>,
    #[serde(default)]
    pub claims: Option<String>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
    #[serde(default)]
    pub error_uri: Option<String>,
}

/// `error` and the AADSTS numbers only: a description can quote a token (see `sanitize`).
impl std::fmt::Display for EntraErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.error)?;
        for code in self.aadsts_codes() {
            write!(f, " AADSTS{code}")?;
        }
        Ok(())
    }
}

impl oauth2::ErrorResponse for EntraErrorBody {}

impl EntraErrorBody {
    /// Parse a JSON error body. `None` if it is not an OAuth error object.
    pub fn from_json(text: &str) -> Option<EntraErrorBody> {
        serde_json::from_str::<EntraErrorBody>(text)
            .ok()
            .filter(|b| !b.error.is_empty())
    }

    /// The AADSTS numbers: `error_codes`, else the ones named in `error_description`
    /// (the redirect carries them only there).
    pub fn aadsts_codes(&self) -> Vec<u32> {
        if !self.error_codes.is_empty() {
            return self.error_codes.clone();
        }
        let mut out = Vec::new();
        if let Some(desc) = &self.error_description {
            let mut rest = desc.as_str();
            while let Some(i) = rest.find("AADSTS") {
                rest = &rest[i + 6..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if let Ok(n) = digits.parse() {
                    out.push(n);
                }
            }
        }
        out
    }

    fn described(&self, label: &str) -> Option<String> {
        let desc = self.error_description.as_deref()?;
        let i = desc.find(label)?;
        let v: String = desc[i + label.len()..]
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
            .collect();
        (!v.is_empty()).then_some(v)
    }
}

const CA_BLOCK_CODES: &[u32] = &[53000, 53001, 53002, 53003, 530032, 530033, 530034, 530035];
const MFA_CODES: &[u32] = &[50072, 50074, 50076, 50078, 50079, 50158];
const SESSION_CODES: &[u32] = &[700082, 70043, 50173, 50089, 70008, 50132, 50133, 50055, 700084];

impl SignInError {
    pub(crate) fn new(kind: SignInErrorKind, message: impl Into<String>, next_step: impl Into<String>) -> SignInError {
        SignInError {
            kind,
            message: message.into(),
            next_step: next_step.into(),
            admin_consent_url: None,
            show_setup_help: false,
            interaction_required: matches!(
                kind,
                SignInErrorKind::InteractionRequired
                    | SignInErrorKind::ConsentRequired
                    | SignInErrorKind::SessionExpired
                    | SignInErrorKind::NotSignedIn
                    | SignInErrorKind::CodeRejected
            ),
            oauth_error: None,
            suberror: None,
            aadsts_code: None,
            trace_id: None,
            correlation_id: None,
            claims: None,
            provider_detail: None,
        }
    }

    pub fn config(message: impl Into<String>, next_step: impl Into<String>) -> SignInError {
        SignInError::new(SignInErrorKind::Config, message, next_step)
    }

    pub fn cancelled() -> SignInError {
        SignInError::new(
            SignInErrorKind::Cancelled,
            "Sign-in was cancelled.",
            "Start sign-in again when you are ready.",
        )
    }

    pub fn timed_out(minutes: u64) -> SignInError {
        SignInError {
            show_setup_help: true,
            ..SignInError::new(
                SignInErrorKind::TimedOut,
                format!("The browser did not finish the sign-in within {minutes} minute(s)."),
                "Start sign-in again. If the browser showed an error such as AADSTS50011 (redirect URI mismatch), \
                 the app registration needs the redirect URI http://localhost under \"Mobile and desktop applications\" \
                 (see Setup help).",
            )
        }
    }

    pub(crate) fn protocol(message: impl Into<String>) -> SignInError {
        SignInError::new(
            SignInErrorKind::Protocol,
            message,
            "Start sign-in again. If it keeps happening, send the details to your administrator.",
        )
    }

    pub(crate) fn network(err: &reqwest::Error, what: &str) -> SignInError {
        // reqwest's message names the URL, never a request body; our URLs carry no secrets.
        let detail = if err.is_timeout() {
            "the request timed out".to_string()
        } else if err.is_connect() {
            "could not connect".to_string()
        } else {
            "the connection failed".to_string()
        };
        SignInError {
            provider_detail: Some(sanitize(&err.to_string())),
            ..SignInError::new(
                SignInErrorKind::Network,
                format!("Could not reach the sign-in service ({what}: {detail})."),
                "Check your network connection, proxy or VPN, then try again.",
            )
        }
    }

    pub(crate) fn keyring(err: &keyring_core::Error, what: &str) -> SignInError {
        let next = match err {
            keyring_core::Error::NoStorageAccess(_) => "Unlock your system keyring (for example GNOME Keyring or KWallet) and try again.",
            keyring_core::Error::NoDefaultStore => "Entra Desk could not find a system keyring. On Linux, install and start a Secret Service (GNOME Keyring, KWallet or KeePassXC).",
            _ => "Check that your system keyring is running and unlocked, then try again.",
        };
        SignInError {
            provider_detail: Some(sanitize(&err.to_string())),
            ..SignInError::new(
                SignInErrorKind::Keyring,
                format!("The system keyring failed while {what}."),
                next,
            )
        }
    }

    /// Map an OAuth/Entra error body to a plain message and next step.
    pub fn from_entra(stage: Stage, body: &EntraErrorBody, profile: Option<&dyn SignInTarget>) -> SignInError {
        let reading = Reading {
            stage,
            body,
            profile,
            codes: body.aadsts_codes(),
        };
        let mut e = reading.explain();
        if stage == Stage::Authorize && e.kind == SignInErrorKind::CodeRejected {
            e = reading.generic();
        }
        e.with_details_of(body, &reading.codes)
    }

    /// Entra's own words and identifiers, kept for the details and for support.
    fn with_details_of(mut self, body: &EntraErrorBody, codes: &[u32]) -> SignInError {
        self.oauth_error = Some(body.error.clone());
        self.suberror = body.suberror.clone();
        self.aadsts_code = codes.first().map(|c| format!("AADSTS{c}"));
        self.trace_id = body.trace_id.clone().or_else(|| body.described("Trace ID:"));
        self.correlation_id = body
            .correlation_id
            .clone()
            .or_else(|| body.described("Correlation ID:"));
        self.claims = body.claims.clone().filter(|c| !c.trim().is_empty());
        self.provider_detail = body.error_description.as_deref().map(first_sentence);
        self
    }

    /// Map a non-success token/device endpoint answer (status + body text).
    pub fn from_http(stage: Stage, status: u16, body: &str, profile: Option<&dyn SignInTarget>) -> SignInError {
        match EntraErrorBody::from_json(body) {
            Some(b) => SignInError::from_entra(stage, &b, profile),
            None if status == 429 || status >= 500 => SignInError::new(
                SignInErrorKind::ServiceUnavailable,
                format!("The sign-in service is busy or failing (HTTP {status})."),
                "Wait a minute and try again.",
            ),
            None => SignInError::protocol(format!(
                "The sign-in service answered HTTP {status} with an unexpected body."
            )),
        }
    }
}

/// What an explanation names of the sign-in it comes from (a `Profile`): the tenant as the person
/// typed it and the cloud as a picker names it.
pub trait SignInTarget {
    fn tenant(&self) -> &str;
    fn cloud_name(&self) -> &'static str;
    /// The link an administrator follows to consent for the whole organisation, when there is one.
    fn admin_consent_url(&self) -> Option<String>;
}

/// An Entra error body being explained: which cause it names (`explain`, one table of Entra's
/// errors and codes) and the sentence for each cause.
struct Reading<'a> {
    stage: Stage,
    body: &'a EntraErrorBody,
    profile: Option<&'a dyn SignInTarget>,
    codes: Vec<u32>,
}

impl Reading<'_> {
    /// The profile's tenant, as the person typed it.
    fn tenant(&self) -> String {
        self.profile.map(|p| p.tenant().to_string()).unwrap_or_default()
    }

    /// The profile's cloud, as a picker names it.
    fn cloud(&self) -> &'static str {
        self.profile.map_or("selected", |p| p.cloud_name())
    }

    fn has(&self, code: u32) -> bool {
        self.codes.contains(&code)
    }

    fn has_any(&self, set: &[u32]) -> bool {
        self.codes.iter().any(|c| set.contains(c))
    }

    /// The cause, from the OAuth error, Entra's sub-error and its AADSTS codes.
    fn explain(&self) -> SignInError {
        use SignInErrorKind as K;
        let (has, has_any, stage) = (|c| self.has(c), |s| self.has_any(s), self.stage);
        match self.body.error.as_str() {
            "access_denied" if has_any(CA_BLOCK_CODES) => self.ca_block(),
            "access_denied" if has(50105) => self.user_not_assigned(),
            "access_denied" if stage == Stage::DeviceCode => SignInError::new(
                K::DeviceCodeDeclined,
                "The device-code sign-in was declined.",
                "Start sign-in again if that was not intended.",
            ),
            "access_denied" => self.denied(),
            "consent_required" => self.consent(),
            "interaction_required" | "login_required" if has_any(CA_BLOCK_CODES) => self.ca_block(),
            "interaction_required" | "login_required"
                if self.body.suberror.as_deref() == Some("consent_required") || has(65001) =>
            {
                self.consent()
            }
            "interaction_required" | "login_required" => self.interaction(),
            "invalid_grant" => self.invalid_grant(),
            "invalid_client" if has(700016) => self.app_not_in_tenant(),
            "invalid_client" => self.public_client(),
            "unauthorized_client" if has(700016) || self.codes.is_empty() => self.app_not_in_tenant(),
            "unauthorized_client" => self.setup("The app registration does not allow this kind of sign-in."),
            "invalid_request" if has(50011) || has(500113) => self.reply_url(),
            "invalid_tenant" => self.wrong_cloud(),
            "invalid_request" if has(90002) || has(90038) || has(90033) || has(50059) => self.wrong_cloud(),
            "invalid_request" if has(50194) => self.setup(
                "The app registration is single-tenant and cannot be used with \"organizations\". Use the tenant ID instead.",
            ),
            "invalid_request" if has(700016) => self.app_not_in_tenant(),
            "invalid_request" if has(7000218) || has(700025) => self.public_client(),
            "invalid_scope" => {
                self.setup("The app asked for a permission that the app registration or this tenant does not offer.")
            }
            "temporarily_unavailable" | "server_error" | "slow_down" => self.unavailable(),
            "authorization_declined" => SignInError::new(
                K::DeviceCodeDeclined,
                "The device-code sign-in was declined.",
                "Start sign-in again if that was not intended.",
            ),
            "expired_token" => SignInError::new(
                K::DeviceCodeExpired,
                "The device code expired before the sign-in was completed.",
                "Start the device-code sign-in again and enter the new code within 15 minutes.",
            ),
            _ => self.generic(),
        }
    }

    /// `invalid_grant`: told apart by Entra's sub-error, then its codes and the stage.
    fn invalid_grant(&self) -> SignInError {
        let (has, has_any, stage) = (|c| self.has(c), |s| self.has_any(s), self.stage);
        match self.body.suberror.as_deref().unwrap_or("") {
            "consent_required" => self.consent(),
            "basic_action" | "additional_action" => self.interaction(),
            "message_only" if has_any(CA_BLOCK_CODES) || self.codes.is_empty() => self.ca_block(),
            "bad_token" | "token_expired" | "user_password_expired" if stage == Stage::Refresh => {
                self.session_expired()
            }
            "bad_token" | "token_expired" => self.code_rejected(),
            _ if has(65001) || has(90094) || has(65006) => self.consent(),
            _ if has_any(CA_BLOCK_CODES) => self.ca_block(),
            _ if has_any(MFA_CODES) || self.body.claims.is_some() => self.interaction(),
            _ if has(50105) => self.user_not_assigned(),
            _ if has(700016) => self.app_not_in_tenant(),
            _ if stage == Stage::Refresh || has_any(SESSION_CODES) && stage != Stage::CodeExchange => {
                self.session_expired()
            }
            _ => self.code_rejected(),
        }
    }

    fn consent(&self) -> SignInError {
        let admin_only = self.has(90094) || self.has(90008) || self.has(65006);
        SignInError {
            admin_consent_url: self.profile.and_then(|p| p.admin_consent_url()),
            ..SignInError::new(
                SignInErrorKind::ConsentRequired,
                if admin_only {
                    "This app needs permissions that only an administrator can grant."
                } else {
                    "Nobody has agreed (consented) to the permissions this app asks for."
                },
                "Ask a Global or Privileged Role Administrator to open the admin-consent link and approve the \
                 app's permissions, then sign in again.",
            )
        }
    }

    fn interaction(&self) -> SignInError {
        SignInError::new(
            SignInErrorKind::InteractionRequired,
            "Your organisation needs you to complete an extra step, such as multi-factor authentication.",
            "Sign in again in the browser to complete it. Your other saved sign-ins stay as they are.",
        )
    }

    fn ca_block(&self) -> SignInError {
        SignInError::new(
            SignInErrorKind::ConditionalAccess,
            "Your organisation's Conditional Access policy blocked this sign-in (for example an untrusted \
             device, location or app).",
            "Trying again will not help. Contact your administrator with the error code and trace ID below.",
        )
    }

    fn user_not_assigned(&self) -> SignInError {
        SignInError::new(
            SignInErrorKind::UserNotAssigned,
            "Your account is not assigned to this app, and the app requires assignment.",
            "Ask an administrator to add you (or a group you are in) under Enterprise applications → the app → \
             Users and groups.",
        )
    }

    fn app_not_in_tenant(&self) -> SignInError {
        let tenant = self.tenant();
        SignInError {
            admin_consent_url: self.profile.and_then(|p| p.admin_consent_url()),
            show_setup_help: true,
            ..SignInError::new(
                SignInErrorKind::AppNotInTenant,
                format!(
                "The app registration was not found in tenant \"{tenant}\". The client ID may be wrong, the app may \
                 belong to another tenant, or no administrator has consented to it here."
            ),
                "Check the client ID and tenant in the profile. If they are right, ask an administrator of this \
             tenant to open the admin-consent link.",
            )
        }
    }

    fn setup(&self, message: &str) -> SignInError {
        SignInError {
            show_setup_help: true,
            ..SignInError::new(
                SignInErrorKind::AppRegistration,
                message.to_string(),
                "Open Setup help and give your administrator the registration summary to fix the app registration.",
            )
        }
    }

    fn reply_url(&self) -> SignInError {
        self.setup(
            "The app registration does not allow this app's redirect address. It needs \"http://localhost\" as a \
             redirect URI under \"Mobile and desktop applications\".",
        )
    }

    fn public_client(&self) -> SignInError {
        self.setup(
            "The app registration is not set up as a public client: Entra expected a client secret. Register the \
             redirect URI under \"Mobile and desktop applications\" (not Web) and turn on \"Allow public client flows\".",
        )
    }

    fn wrong_cloud(&self) -> SignInError {
        let (tenant, cloud) = (self.tenant(), self.cloud());
        SignInError::new(
        SignInErrorKind::WrongTenantOrCloud,
        format!("Tenant \"{tenant}\" was not found in the {cloud} cloud."),
        "Check the tenant ID or domain. If your organisation uses US Government or China (21Vianet), choose that cloud in the profile.",
        )
    }

    fn session_expired(&self) -> SignInError {
        SignInError::new(
            SignInErrorKind::SessionExpired,
            "Your saved sign-in has expired or was revoked (for example after a password change or inactivity).",
            "Sign in again.",
        )
    }

    fn code_rejected(&self) -> SignInError {
        SignInError::new(
            SignInErrorKind::CodeRejected,
            "The sign-in could not be completed: the one-time code from the browser was already used, expired, or \
             did not match this sign-in attempt.",
            "Start sign-in again.",
        )
    }

    fn denied(&self) -> SignInError {
        SignInError::new(
            SignInErrorKind::AccessDenied,
            "The sign-in was declined in the browser.",
            "Start sign-in again and accept the requested permissions, or ask an administrator to grant consent.",
        )
    }

    fn unavailable(&self) -> SignInError {
        SignInError::new(
            SignInErrorKind::ServiceUnavailable,
            "The sign-in service is busy or temporarily unavailable.",
            "Wait a minute and try again.",
        )
    }

    fn generic(&self) -> SignInError {
        SignInError::protocol(format!(
            "The sign-in service refused the request ({}).",
            self.body.error
        ))
    }
}

impl From<SignInError> for msgraph::TokenError {
    fn from(e: SignInError) -> Self {
        msgraph::TokenError {
            message: format!("{} {}", e.message, e.next_step),
            interaction_required: e.interaction_required
                || matches!(
                    e.kind,
                    SignInErrorKind::ConditionalAccess | SignInErrorKind::UserNotAssigned
                ),
        }
    }
}

/// First sentence of a provider description, without the AADSTS prefix and trace lines, with any
/// long token-like word removed.
fn first_sentence(desc: &str) -> String {
    let mut s = desc.trim();
    if let Some(rest) = s.strip_prefix("AADSTS") {
        if let Some(i) = rest.find(": ") {
            s = &rest[i + 2..];
        }
    }
    let cut = ["Trace ID:", "\r", "\n"]
        .iter()
        .filter_map(|m| s.find(m))
        .min()
        .unwrap_or(s.len());
    sanitize(s[..cut].trim())
}

/// Remove anything that looks like a token (a long unbroken word) and cap the length.
pub(crate) fn sanitize(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').map(|w| if w.len() > 48 { "[…]" } else { w }).collect();
    let mut s = words.join(" ");
    if s.len() > 400 {
        let mut cut = 400;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use msgraph::Cloud;

    // The tests explain errors for a real profile (its tenant, cloud and admin-consent link).
    fn profile() -> crate::profile::Profile {
        crate::profile::Profile::organization(
            "p",
            "Contoso",
            Cloud::Global,
            "contoso.onmicrosoft.com",
            "8a3f0c1e-5b7d-4e2a-9c61-3d5e7f9a1b2c",
        )
        .unwrap()
    }

    /// Bodies shaped like Entra's token endpoint answers (Learn: reference-error-codes, v2-oauth2-auth-code-flow).
    fn entra(error: &str, code: u32, suberror: Option<&str>, claims: Option<&str>, text: &str) -> String {
        serde_json::json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {text} Trace ID: 0b6c4a6e-3f3b-4b0a-9d3e-2c8f1a7b6400 Correlation ID: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b Timestamp: 2026-11-26 04:10:11Z"),
            "error_codes": [code],
            "timestamp": "2026-11-26 04:10:11Z",
            "trace_id": "0b6c4a6e-3f3b-4b0a-9d3e-2c8f1a7b6400",
            "correlation_id": "5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b",
            "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
            "suberror": suberror,
            "claims": claims,
        })
        .to_string()
    }

    fn map(stage: Stage, status: u16, body: &str) -> SignInError {
        let e = SignInError::from_http(stage, status, body, Some(&profile()));
        assert_eq!(e.trace_id.as_deref(), Some("0b6c4a6e-3f3b-4b0a-9d3e-2c8f1a7b6400"));
        assert_eq!(
            e.correlation_id.as_deref(),
            Some("5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b")
        );
        assert!(
            !e.message.contains("AADSTS"),
            "the message is plain language: {}",
            e.message
        );
        e
    }

    #[test]
    fn aadsts50076_mfa_needed_asks_for_interactive_sign_in_and_passes_the_claims_on() {
        let claims =
            r#"{"access_token":{"capolids":{"essential":true,"values":["a5f1f3c2-0000-4000-8000-000000000001"]}}}"#;
        let e = map(Stage::Refresh, 400, &entra("invalid_grant", 50076, Some("basic_action"), Some(claims),
            "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'."));
        assert_eq!(e.kind, SignInErrorKind::InteractionRequired);
        assert!(e.interaction_required);
        assert!(e.message.contains("multi-factor"));
        assert_eq!(e.claims.as_deref(), Some(claims));
        assert_eq!(e.aadsts_code.as_deref(), Some("AADSTS50076"));
        assert!(msgraph::TokenError::from(e).interaction_required);
    }

    #[test]
    fn aadsts65001_consent_required_offers_the_admin_consent_link() {
        let e = map(Stage::CodeExchange, 400, &entra("invalid_grant", 65001, Some("consent_required"), None,
            "The user or administrator has not consented to use the application with ID '8a3f0c1e-5b7d-4e2a-9c61-3d5e7f9a1b2c' named 'Entra Desk'. Send an interactive authorization request for this user and resource."));
        assert_eq!(e.kind, SignInErrorKind::ConsentRequired);
        let url = e.admin_consent_url.unwrap();
        assert!(
            url.starts_with(
                "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent?client_id=8a3f0c1e"
            ),
            "{url}"
        );
        assert!(e.next_step.contains("admin-consent link"));
    }

    #[test]
    fn aadsts700016_app_not_found_in_tenant_points_to_client_id_tenant_and_consent() {
        let e = map(Stage::CodeExchange, 400, &entra("unauthorized_client", 700016, None, None,
            "Application with identifier '8a3f0c1e-5b7d-4e2a-9c61-3d5e7f9a1b2c' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."));
        assert_eq!(e.kind, SignInErrorKind::AppNotInTenant);
        assert!(e.message.contains("contoso.onmicrosoft.com"));
        assert!(e.admin_consent_url.is_some());
        assert!(e.show_setup_help);
    }

    #[test]
    fn aadsts50011_reply_url_mismatch_sends_the_admin_to_setup_help() {
        let e = map(Stage::Authorize, 400, &entra("invalid_request", 50011, None, None,
            "The redirect URI 'http://localhost:53117' specified in the request does not match the redirect URIs configured for the application '8a3f0c1e-5b7d-4e2a-9c61-3d5e7f9a1b2c'."));
        assert_eq!(e.kind, SignInErrorKind::AppRegistration);
        assert!(e.show_setup_help);
        assert!(e.message.contains("http://localhost"));
        assert!(!e.interaction_required);
    }

    #[test]
    fn aadsts7000218_secret_expected_means_public_client_flows_are_off() {
        let e = map(
            Stage::CodeExchange,
            401,
            &entra(
                "invalid_client",
                7000218,
                None,
                None,
                "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
            ),
        );
        assert_eq!(e.kind, SignInErrorKind::AppRegistration);
        assert!(e.message.contains("Allow public client flows"));
        assert!(e.show_setup_help);
    }

    #[test]
    fn aadsts53003_conditional_access_block_says_retry_will_not_help() {
        let e = map(Stage::Refresh, 400, &entra("invalid_grant", 53003, None, None,
            "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance."));
        assert_eq!(e.kind, SignInErrorKind::ConditionalAccess);
        assert!(e.next_step.contains("will not help"));
        assert!(!e.interaction_required);
        // The same block seen on the browser redirect (no error_codes, number only in the description).
        let redirect = EntraErrorBody {
            error: "access_denied".into(),
            error_description: Some("AADSTS53003: Access has been blocked by Conditional Access policies. Trace ID: 0b6c4a6e-3f3b-4b0a-9d3e-2c8f1a7b6400 Correlation ID: 5f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b".into()),
            ..Default::default()
        };
        let e = SignInError::from_entra(Stage::Authorize, &redirect, Some(&profile()));
        assert_eq!(e.kind, SignInErrorKind::ConditionalAccess);
        assert_eq!(e.aadsts_code.as_deref(), Some("AADSTS53003"));
        assert_eq!(e.trace_id.as_deref(), Some("0b6c4a6e-3f3b-4b0a-9d3e-2c8f1a7b6400"));
    }

    #[test]
    fn aadsts90002_tenant_not_found_suggests_another_cloud() {
        let e = map(Stage::Authorize, 400, &entra("invalid_request", 90002, None, None,
            "Tenant 'contoso.onmicrosoft.com' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
        assert_eq!(e.kind, SignInErrorKind::WrongTenantOrCloud);
        assert!(e.message.contains("Global"));
        assert!(e.next_step.contains("US Government"));
    }

    #[test]
    fn aadsts700082_expired_refresh_token_asks_to_sign_in_again() {
        let e = map(Stage::Refresh, 400, &entra("invalid_grant", 700082, Some("bad_token"), None,
            "The refresh token has expired due to inactivity. The token was issued on 2026-08-01T10:00:00Z and was inactive for 90.00:00:00."));
        assert_eq!(e.kind, SignInErrorKind::SessionExpired);
        assert!(e.interaction_required);
        assert_eq!(e.next_step, "Sign in again.");
    }

    #[test]
    fn user_not_assigned_admin_only_consent_and_national_cloud_redirect() {
        let e = map(Stage::Authorize, 400, &entra("invalid_grant", 50105, None, None,
            "Your administrator has configured the application Entra Desk ('8a3f0c1e-5b7d-4e2a-9c61-3d5e7f9a1b2c') to block users unless they are specifically granted ('assigned') access to the application."));
        assert_eq!(e.kind, SignInErrorKind::UserNotAssigned);
        assert!(e.next_step.contains("Users and groups"));
        let e = map(
            Stage::CodeExchange,
            400,
            &entra(
                "invalid_grant",
                90094,
                Some("consent_required"),
                None,
                "The grant requires admin permission.",
            ),
        );
        assert_eq!(e.kind, SignInErrorKind::ConsentRequired);
        assert!(e.message.contains("only an administrator"));
        assert!(e.admin_consent_url.is_some());
        let e = map(Stage::Authorize, 400, &entra("invalid_request", 90038, None, None,
            "Tenant 'contoso.onmicrosoft.us' request is being redirected to the National Cloud 'login.microsoftonline.us'."));
        assert_eq!(e.kind, SignInErrorKind::WrongTenantOrCloud);
    }

    #[test]
    fn mapping_follows_the_error_field_when_the_aadsts_number_is_unknown() {
        let body = |error: &str, sub: Option<&str>| EntraErrorBody {
            error: error.into(),
            suberror: sub.map(str::to_string),
            error_codes: vec![99999999],
            ..Default::default()
        };
        let k = |b: EntraErrorBody, stage| SignInError::from_entra(stage, &b, Some(&profile())).kind;
        assert_eq!(
            k(body("invalid_grant", Some("basic_action")), Stage::Refresh),
            SignInErrorKind::InteractionRequired
        );
        assert_eq!(
            k(body("invalid_grant", Some("consent_required")), Stage::Refresh),
            SignInErrorKind::ConsentRequired
        );
        assert_eq!(
            k(body("invalid_grant", None), Stage::Refresh),
            SignInErrorKind::SessionExpired
        );
        assert_eq!(
            k(body("invalid_grant", None), Stage::CodeExchange),
            SignInErrorKind::CodeRejected
        );
        assert_eq!(
            k(body("interaction_required", None), Stage::Refresh),
            SignInErrorKind::InteractionRequired
        );
        assert_eq!(
            k(body("invalid_client", None), Stage::CodeExchange),
            SignInErrorKind::AppRegistration
        );
        assert_eq!(
            k(body("temporarily_unavailable", None), Stage::Refresh),
            SignInErrorKind::ServiceUnavailable
        );
        assert_eq!(
            k(body("access_denied", None), Stage::Authorize),
            SignInErrorKind::AccessDenied
        );
        assert_eq!(
            k(body("access_denied", None), Stage::DeviceCode),
            SignInErrorKind::DeviceCodeDeclined
        );
        assert_eq!(
            k(body("authorization_declined", None), Stage::DeviceCode),
            SignInErrorKind::DeviceCodeDeclined
        );
        assert_eq!(
            k(body("expired_token", None), Stage::DeviceCode),
            SignInErrorKind::DeviceCodeExpired
        );
        // The same AADSTS number under a different `error` does not change the class.
        let mut b = body("temporarily_unavailable", None);
        b.error_codes = vec![50076];
        assert_eq!(k(b, Stage::Refresh), SignInErrorKind::ServiceUnavailable);
    }

    #[test]
    fn non_json_failures_map_to_busy_or_protocol() {
        assert_eq!(
            SignInError::from_http(Stage::Refresh, 503, "<html>", None).kind,
            SignInErrorKind::ServiceUnavailable
        );
        assert_eq!(
            SignInError::from_http(Stage::Refresh, 429, "", None).kind,
            SignInErrorKind::ServiceUnavailable
        );
        assert_eq!(
            SignInError::from_http(Stage::Refresh, 400, "nope", None).kind,
            SignInErrorKind::Protocol
        );
    }

    #[test]
    fn provider_detail_drops_token_like_words() {
        let b = EntraErrorBody {
            error: "invalid_grant".into(),
            error_description: Some("AADSTS9002313: Invalid request 0.AAAAv4j5cvGGr0GRqy180BHbRyzQfhtQWXBFpHKQB98y9dAAAA.AgABAAEAAAD--DLA3VO7QrddgJg7WevrAgDs_wQA9P_kAyX9TmsB. More text".into()),
            ..Default::default()
        };
        let e = SignInError::from_entra(Stage::Refresh, &b, None);
        let d = e.provider_detail.unwrap();
        assert!(d.starts_with("Invalid request [") && !d.contains("AgABAAEAAAD"), "{d}");
    }
}

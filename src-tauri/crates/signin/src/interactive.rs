//! Interactive sign-in in the system browser: authorization code + PKCE S256 + state + nonce, with a
//! loopback redirect listener.

use std::time::Duration;

use tokio::time::Instant;
use url::Url;

use crate::cancel::CancelHandle;
use crate::error::{SignInError, SignInErrorKind, Stage};
use crate::loopback::{IssCheck, Loopback, Redirect};
use crate::oauth::{self, EntraClient, TokenHttp};
use crate::oidc::{self, Endpoints};
use crate::profile::{Profile, RESERVED_AUTHORIZE_PARAMS};
use crate::secret::Secret;
use crate::session::{self, Session};
use crate::store::{AccountsFile, TokenStore};

/// How long to wait for the browser before giving up.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Opens a URL in the system browser (never an embedded web view, RFC 8252 §8.12).
/// The app implements it with tauri-plugin-opener; tests with a scripted HTTP client.
pub trait BrowserOpener: Send + Sync {
    fn open(&self, url: &str) -> Result<(), String>;
}

/// Options for interactive sign-in.
#[derive(Debug, Clone)]
pub struct InteractiveOptions {
    /// Give up when the browser has not come back within this time (default 5 minutes).
    pub timeout: Duration,
    /// Pre-fill the account (e.g. when signing in again after `SessionExpired`).
    pub login_hint: Option<String>,
    /// A claims challenge from an earlier error (`SignInError::claims`), for MFA / Conditional Access.
    pub claims: Option<String>,
}

impl Default for InteractiveOptions {
    fn default() -> Self {
        InteractiveOptions {
            timeout: DEFAULT_TIMEOUT,
            login_hint: None,
            claims: None,
        }
    }
}

/// The code from the browser redirect. Never printed.
#[derive(Clone)]
pub struct AuthorizationCode(Secret);

impl std::fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuthorizationCode(<redacted>)")
    }
}

/// One interactive sign-in attempt, step by step. `sign_in_interactive` runs all the steps; the
/// steps are public so the app can show the sign-in link (for copying) while it waits.
pub struct AuthCodeFlow {
    profile: Profile,
    endpoints: Endpoints,
    client: EntraClient,
    http: reqwest::Client,
    listener: Option<Loopback>,
    redirect_uri: String,
    authorize_url: String,
    state: String,
    nonce: String,
    verifier: Secret,
    timeout: Duration,
}

impl std::fmt::Debug for AuthCodeFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthCodeFlow")
            .field("profile", &self.profile.id)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl AuthCodeFlow {
    /// Discovery, loopback listener, and the authorize URL.
    pub async fn start(profile: &Profile, options: &InteractiveOptions) -> Result<AuthCodeFlow, SignInError> {
        let http = oidc::http_client()?;
        let endpoints = oidc::discover(&http, profile).await?;
        let listener = Loopback::bind().await?;
        let path = &profile.redirect_path;
        if !(path.is_empty() || path.starts_with('/')) || path.contains(['?', '#']) {
            return Err(SignInError::config(
                "The profile's redirect path must be empty or start with \"/\".",
                "Edit the profile.",
            ));
        }
        let redirect_uri = format!("http://{}:{}{path}", profile.redirect_host.as_str(), listener.port());
        let redirect = oauth2::RedirectUrl::new(redirect_uri.clone())
            .map_err(|_| SignInError::config("The profile's redirect address is not valid.", "Edit the profile."))?;
        let client = oauth::client(profile, &endpoints).set_redirect_uri(redirect);
        let state = oidc::random_token(24);
        let nonce = oidc::random_token(24);
        let (challenge, verifier) = oauth2::PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(|| oauth2::CsrfToken::new(state.clone()))
            .add_scopes(oauth::scopes(profile))
            .set_pkce_challenge(challenge)
            .add_extra_param("nonce", nonce.clone())
            .add_extra_param("response_mode", "query");
        if let Some(hint) = &options.login_hint {
            request = request.add_extra_param("login_hint", hint.clone());
        }
        if let Some(claims) = &options.claims {
            request = request.add_extra_param("claims", claims.clone());
        }
        for (k, v) in &profile.extra_authorize_params {
            if RESERVED_AUTHORIZE_PARAMS.contains(&k.as_str())
                || (k == "login_hint" && options.login_hint.is_some())
                || (k == "claims" && options.claims.is_some())
            {
                tracing::warn!(param = %k, "profile tried to override a sign-in parameter; ignored");
                continue;
            }
            request = request.add_extra_param(k.clone(), v.clone());
        }
        let (url, _) = request.url();
        tracing::debug!(profile = %profile.id, port = listener.port(), "interactive sign-in started");
        Ok(AuthCodeFlow {
            profile: profile.clone(),
            endpoints,
            client,
            http,
            listener: Some(listener),
            redirect_uri,
            authorize_url: url.to_string(),
            state,
            nonce,
            verifier: Secret::new(verifier.into_secret()),
            timeout: options.timeout,
        })
    }

    /// The URL to open in the system browser.
    pub fn authorize_url(&self) -> &str {
        &self.authorize_url
    }

    /// `http://{redirect_host}:{port}{redirect_path}`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Wait for the browser to come back (timeout, Cancel). The listener closes afterwards.
    pub async fn wait_for_code(&mut self, cancel: &CancelHandle) -> Result<AuthorizationCode, SignInError> {
        let listener = self
            .listener
            .take()
            .ok_or_else(|| SignInError::protocol("This sign-in attempt has already received its answer."))?;
        let iss = IssCheck {
            issuer_template: self.endpoints.issuer.clone(),
            required: self.endpoints.iss_parameter_supported,
        };
        match listener.wait(&self.state, &iss, self.timeout, cancel).await? {
            Redirect::Code { code } => Ok(AuthorizationCode(code)),
            Redirect::Error(body) => Err(SignInError::from_entra(Stage::Authorize, &body, Some(&self.profile))),
            Redirect::AdminConsent { .. } => Err(SignInError::protocol(
                "The browser returned an admin-consent answer where a sign-in answer was expected.",
            )),
        }
    }

    /// Redeem the code (with the PKCE verifier), check the id_token, save the refresh token to the
    /// keyring and the account to the accounts file.
    pub async fn redeem(
        &self,
        code: &AuthorizationCode,
        store: &TokenStore,
        accounts: &AccountsFile,
    ) -> Result<Session, SignInError> {
        let started = Instant::now();
        let http = TokenHttp::new(&self.http);
        let response = self
            .client
            .exchange_code(oauth2::AuthorizationCode::new(code.0.expose().to_string()))
            .set_pkce_verifier(oauth2::PkceCodeVerifier::new(self.verifier.expose().to_string()))
            .request_async(&http)
            .await
            .map_err(|e| http.error(e, |b| b, Stage::CodeExchange, &self.profile))?;
        session::establish(
            &self.profile,
            &self.endpoints,
            self.client.clone(),
            self.http.clone(),
            store,
            accounts,
            response,
            Some(&self.nonce),
            started,
        )
        .await
    }
}

/// Sign in through the system browser with the default options (5-minute limit).
pub async fn sign_in_interactive(
    profile: &Profile,
    opener: &dyn BrowserOpener,
    cancel: CancelHandle,
    store: &TokenStore,
    accounts: &AccountsFile,
) -> Result<Session, SignInError> {
    sign_in_interactive_with(profile, opener, cancel, store, accounts, &InteractiveOptions::default()).await
}

/// Sign in through the system browser.
pub async fn sign_in_interactive_with(
    profile: &Profile,
    opener: &dyn BrowserOpener,
    cancel: CancelHandle,
    store: &TokenStore,
    accounts: &AccountsFile,
    options: &InteractiveOptions,
) -> Result<Session, SignInError> {
    let run = async {
        let mut flow = AuthCodeFlow::start(profile, options).await?;
        opener.open(flow.authorize_url()).map_err(|reason| {
            tracing::warn!(%reason, "could not open the system browser");
            SignInError::new(
                SignInErrorKind::BrowserUnavailable,
                "Entra Desk could not open your web browser.",
                "Set a default web browser, or use device-code sign-in instead.",
            )
        })?;
        let code = flow.wait_for_code(&cancel).await?;
        flow.redeem(&code, store, accounts).await
    };
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(SignInError::cancelled()),
        r = run => r,
    }
}

/// What the admin-consent page reported. `tenant` is informational only: never use it to decide
/// what someone may do (identity.md §1.8).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminConsentResult {
    pub tenant: Option<String>,
    pub scope: Option<String>,
}

/// Open the admin-consent page for this app in the system browser and wait for the answer on the
/// loopback listener (`?admin_consent=True&tenant=..&scope=..&state=..`). For an administrator signing in
/// on this computer; to hand the link to someone else use `Profile::admin_consent_url`.
/// `tenant` defaults to the profile's (`organizations` if that is `common`).
pub async fn request_admin_consent(
    profile: &Profile,
    tenant: Option<&str>,
    opener: &dyn BrowserOpener,
    cancel: CancelHandle,
    timeout: Duration,
) -> Result<AdminConsentResult, SignInError> {
    let run = async {
        let listener = Loopback::bind().await?;
        let redirect_uri = format!(
            "http://{}:{}{}",
            profile.redirect_host.as_str(),
            listener.port(),
            profile.redirect_path
        );
        let state = oidc::random_token(24);
        let base = profile
            .admin_consent_url(tenant)
            .ok_or_else(|| SignInError::config("No admin-consent address for this profile.", "Check the profile."))?;
        let mut url =
            Url::parse(&base).map_err(|_| SignInError::protocol("The admin-consent address is not valid."))?;
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| k != "redirect_uri")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(pairs)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("state", &state);
        opener.open(url.as_str()).map_err(|reason| {
            tracing::warn!(%reason, "could not open the system browser");
            SignInError::new(
                SignInErrorKind::BrowserUnavailable,
                "Entra Desk could not open your web browser.",
                "Copy the admin-consent link and open it in a browser yourself.",
            )
        })?;
        let iss = IssCheck {
            issuer_template: String::new(),
            required: false,
        };
        match listener.wait(&state, &iss, timeout, &cancel).await? {
            Redirect::AdminConsent { tenant, scope } => Ok(AdminConsentResult { tenant, scope }),
            Redirect::Error(body) => Err(SignInError::from_entra(Stage::Authorize, &body, Some(profile))),
            Redirect::Code { .. } => Err(SignInError::protocol(
                "The browser returned a sign-in answer where an admin-consent answer was expected.",
            )),
        }
    };
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(SignInError::cancelled()),
        r = run => r,
    }
}

//! Device-code sign-in (RFC 8628), the fallback when no browser can come back to this computer.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::cancel::CancelHandle;
use crate::error::{SignInError, SignInErrorKind, Stage};
use crate::oidc::{self, TokenResponse};
use crate::profile::Profile;
use crate::secret::Secret;
use crate::session::{self, Session};
use crate::store::{AccountsFile, TokenStore};

/// What to show the person: the code to type and where to type it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCodePrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in_secs: u64,
    /// The provider's own instruction text, if it sent one (Entra does).
    pub message: Option<String>,
}

#[derive(Deserialize)]
struct DeviceAuthorization {
    device_code: Secret,
    user_code: String,
    #[serde(alias = "verification_url")]
    verification_uri: String,
    expires_in: serde_json::Value,
    #[serde(default)]
    interval: Option<serde_json::Value>,
    #[serde(default)]
    message: Option<String>,
}

/// Sign in with a device code. `on_prompt` is called once with the code to show; then this polls at
/// the provider's interval (slowing down when asked) until the sign-in completes, is declined, the
/// code expires, or `cancel` fires.
pub async fn sign_in_device_code(
    profile: &Profile,
    on_prompt: &(dyn Fn(&DeviceCodePrompt) + Send + Sync),
    cancel: CancelHandle,
    store: &TokenStore,
    accounts: &AccountsFile,
) -> Result<Session, SignInError> {
    let run = async {
        let http = oidc::http_client()?;
        let endpoints = oidc::discover(&http, profile).await?;
        let device_url = endpoints.device_authorization_endpoint.clone().ok_or_else(|| {
            SignInError::config(
                "This sign-in service does not offer device-code sign-in.",
                "Use browser sign-in instead.",
            )
        })?;
        let scope = profile.requested_scopes();
        let auth: DeviceAuthorization = oidc::post_form(
            &http,
            &device_url,
            &[("client_id", profile.client_id.as_str()), ("scope", scope.as_str())],
            Stage::DeviceCode,
            profile,
        )
        .await?;
        let expires_in = seconds(Some(&auth.expires_in)).unwrap_or(900);
        on_prompt(&DeviceCodePrompt {
            user_code: auth.user_code.clone(),
            verification_uri: auth.verification_uri.clone(),
            expires_in_secs: expires_in,
            message: auth.message.clone(),
        });
        let deadline = Instant::now() + Duration::from_secs(expires_in);
        let mut interval = Duration::from_secs(seconds(auth.interval.as_ref()).unwrap_or(5).clamp(1, 60));
        loop {
            tokio::time::sleep(interval).await;
            if Instant::now() >= deadline {
                return Err(expired());
            }
            let started = Instant::now();
            let polled: Result<TokenResponse, SignInError> = oidc::post_form(
                &http,
                &endpoints.token_endpoint,
                &[
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                    ("client_id", profile.client_id.as_str()),
                    ("device_code", auth.device_code.expose()),
                ],
                Stage::DeviceCode,
                profile,
            )
            .await;
            match polled {
                Ok(response) => {
                    return session::establish(profile, endpoints, http, store, accounts, response, None, started).await
                }
                Err(e) if e.oauth_error.as_deref() == Some("authorization_pending") => continue,
                Err(e) if e.oauth_error.as_deref() == Some("slow_down") => {
                    interval += Duration::from_secs(5);
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
    };
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(SignInError::cancelled()),
        r = run => r,
    }
}

/// A number of seconds sent as a JSON number or (older Entra endpoints) a string.
fn seconds(v: Option<&serde_json::Value>) -> Option<u64> {
    match v? {
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn expired() -> SignInError {
    SignInError::new(
        SignInErrorKind::DeviceCodeExpired,
        "The device code expired before the sign-in was completed.",
        "Start the device-code sign-in again and enter the new code in time.",
    )
}

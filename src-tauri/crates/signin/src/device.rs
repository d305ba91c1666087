//! Device-code sign-in (RFC 8628), the fallback when no browser can come back to this computer.

use std::time::Duration;

use serde::Serialize;
use tokio::time::Instant;

use crate::cancel::CancelHandle;
use crate::error::{SignInError, SignInErrorKind, Stage};
use crate::oauth::{self, EntraDeviceFields, EntraTokenResponse, TokenHttp};
use crate::oidc;
use crate::profile::Profile;
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

/// The longest a device code is waited for, whatever the provider says (Entra: 15 minutes).
const MAX_DEVICE_CODE_LIFETIME: Duration = Duration::from_secs(60 * 60);

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
        let client = oauth::client(profile, &endpoints);
        let request = client.exchange_device_code().map_err(|_| {
            SignInError::config(
                "This sign-in service does not offer device-code sign-in.",
                "Use browser sign-in instead.",
            )
        })?;
        let token_http = TokenHttp::new(&http);
        let auth: oauth2::DeviceAuthorizationResponse<EntraDeviceFields> = request
            .add_scopes(oauth::scopes(profile))
            .request_async(&token_http)
            .await
            .map_err(|e| token_http.error(e, |b| b, Stage::DeviceCode, profile))?;
        let lifetime = auth.expires_in().min(MAX_DEVICE_CODE_LIFETIME);
        on_prompt(&DeviceCodePrompt {
            user_code: auth.user_code().secret().clone(),
            verification_uri: auth.verification_uri().to_string(),
            expires_in_secs: lifetime.as_secs(),
            message: auth.extra_fields().message.clone(),
        });
        let started = Instant::now();
        let polled: Result<EntraTokenResponse, _> = client
            .exchange_device_access_token(&auth)
            .request_async(
                &token_http,
                // The provider's interval, within reason (0 would poll in a busy loop).
                |wait| tokio::time::sleep(wait.clamp(Duration::from_secs(1), Duration::from_secs(60))),
                Some(lifetime),
            )
            .await;
        let response = match polled {
            Ok(r) => r,
            Err(oauth2::RequestTokenError::ServerResponse(e))
                if *e.error() == oauth2::DeviceCodeErrorResponseType::ExpiredToken =>
            {
                return Err(expired())
            }
            Err(e) => return Err(token_http.error(e, oauth::device_error_body, Stage::DeviceCode, profile)),
        };
        session::establish(
            profile, &endpoints, client, http, store, accounts, response, None, started,
        )
        .await
    };
    tokio::select! {
        biased;
        _ = cancel.cancelled() => Err(SignInError::cancelled()),
        r = run => r,
    }
}

fn expired() -> SignInError {
    SignInError::new(
        SignInErrorKind::DeviceCodeExpired,
        "The device code expired before the sign-in was completed.",
        "Start the device-code sign-in again and enter the new code in time.",
    )
}

//! The seam between Graph and whoever holds the tokens (`signin::Session` in the app).

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A bearer token. Its `Debug` never prints the secret.
#[derive(Clone)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }
    /// The raw token, for the `Authorization` header only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Why no token could be had. The message is for people and never contains a token.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct TokenError {
    pub message: String,
    /// The user must sign in again interactively (refresh token expired or revoked, MFA needed, ...).
    pub interaction_required: bool,
}

pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// Supplies an access token for every Graph request.
///
/// `force_refresh` is true after Graph answered 401 with the previous token: the provider must
/// not hand out a cached token then.
pub trait TokenProvider: Send + Sync {
    fn access_token(&self, force_refresh: bool) -> TokenFuture<'_>;
}

/// A fixed token is its own provider (a token minted by the practice tenant, for tools and tests):
/// it has nothing to refresh, so after a 401 it hands out the same token and Graph's answer stands.
impl TokenProvider for AccessToken {
    fn access_token(&self, _force_refresh: bool) -> TokenFuture<'_> {
        let token = self.clone();
        Box::pin(async move { Ok(token) })
    }
}

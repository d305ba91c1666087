//! Signed-in sessions: access token in memory, newest refresh token in the keyring, silent refresh.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use msgraph::{AccessToken, TokenError, TokenFuture, TokenProvider};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::{SignInError, SignInErrorKind, Stage};
use crate::oauth::{self, EntraClient, EntraTokenResponse, TokenHttp};
use crate::oidc::{self, Endpoints, IdClaims};
use crate::profile::Profile;
use crate::secret::Secret;
use crate::store::{Account, AccountsFile, TokenStore};

/// One signed-in account. Cheap to clone; clones share the tokens and the refresh lock, so there is
/// at most one refresh at a time per account.
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

struct Inner {
    profile: Profile,
    account: Account,
    client: EntraClient,
    http: reqwest::Client,
    store: TokenStore,
    rt_key: String,
    /// Bumped after every successful refresh (read without the lock).
    generation: AtomicU64,
    tokens: Mutex<Tokens>,
}

struct Tokens {
    /// The access token, when it expires, and how long before that to refresh it.
    access: Option<(Secret, Instant, Duration)>,
    refresh: Option<Secret>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("account", &self.inner.account)
            .field("profile", &self.inner.profile.id)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// The signed-in account (metadata only).
    pub fn account(&self) -> &Account {
        &self.inner.account
    }

    pub fn profile(&self) -> &Profile {
        &self.inner.profile
    }

    /// The keyring user name that holds this account's refresh token.
    pub fn keyring_key(&self) -> &str {
        &self.inner.rt_key
    }

    /// A valid access token: the cached one if it has more than 5 minutes left (half its lifetime for
    /// short-lived tokens), else a refreshed one.
    /// With `force_refresh` (Graph said 401), always refresh, unless another caller refreshed while
    /// this one waited for the lock.
    pub async fn access_token_or_error(&self, force_refresh: bool) -> Result<AccessToken, SignInError> {
        let seen_generation = self.inner.generation.load(Ordering::Acquire);
        let mut tokens = self.inner.tokens.lock().await;
        if let Some((token, expires_at, margin)) = &tokens.access {
            let fresh = expires_at.saturating_duration_since(Instant::now()) > *margin;
            let refreshed_meanwhile = self.inner.generation.load(Ordering::Acquire) != seen_generation;
            if (!force_refresh && fresh) || (force_refresh && refreshed_meanwhile) {
                return Ok(AccessToken::new(token.expose()));
            }
        }
        self.refresh_locked(&mut tokens).await
    }

    async fn refresh_locked(&self, tokens: &mut Tokens) -> Result<AccessToken, SignInError> {
        let inner = &self.inner;
        let refresh = match tokens.refresh.clone() {
            Some(rt) => rt,
            None => inner
                .store
                .load_async(inner.rt_key.clone())
                .await?
                .ok_or_else(not_signed_in)?,
        };
        let started = Instant::now();
        let http = TokenHttp::new(&inner.http);
        let rt = oauth2::RefreshToken::new(refresh.expose().to_string());
        let result = inner
            .client
            .exchange_refresh_token(&rt)
            .add_scopes(oauth::scopes(&inner.profile))
            .request_async(&http)
            .await
            .map_err(|e| http.error(e, |b| b, Stage::Refresh, &inner.profile));
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                // Keep the refresh token whatever the error (MSAL does the same): an MFA or consent
                // requirement for one request does not make it useless, and sign-out deletes it.
                tokens.access = None;
                tracing::warn!(account = %inner.account.id, kind = ?e.kind, aadsts = ?e.aadsts_code, "token refresh failed");
                return Err(e);
            }
        };
        let (access, lifetime, new_rt) = token_parts(&response);
        if let Some(new_rt) = new_rt {
            // Write the newest refresh token at once; the old one is never used again.
            if let Err(e) = inner.store.save_async(inner.rt_key.clone(), new_rt.clone()).await {
                tracing::warn!(account = %inner.account.id, kind = ?e.kind, "could not save the new refresh token to the keyring");
            }
            tokens.refresh = Some(new_rt);
        }
        tokens.access = Some((access.clone(), started + lifetime, oauth::refresh_margin(lifetime)));
        inner.generation.fetch_add(1, Ordering::AcqRel);
        tracing::info!(account = %inner.account.id, expires_in_secs = lifetime.as_secs(), "access token refreshed");
        Ok(AccessToken::new(access.expose()))
    }

    /// Forget this account on this computer: delete its keyring entries and its line in the accounts file,
    /// and drop the tokens held in memory. (Entra has no token revocation for public clients.)
    pub async fn sign_out(&self, accounts: &AccountsFile) -> Result<(), SignInError> {
        {
            let mut tokens = self.inner.tokens.lock().await;
            tokens.access = None;
            tokens.refresh = None;
        }
        self.inner.store.delete_async(self.inner.rt_key.clone()).await?;
        accounts.remove_account(&self.inner.account.id, &self.inner.profile.id)?;
        tracing::info!(account = %self.inner.account.id, "signed out");
        Ok(())
    }
}

impl TokenProvider for Session {
    fn access_token(&self, force_refresh: bool) -> TokenFuture<'_> {
        Box::pin(async move {
            self.access_token_or_error(force_refresh)
                .await
                .map_err(TokenError::from)
        })
    }
}

fn not_signed_in() -> SignInError {
    SignInError::new(
        SignInErrorKind::NotSignedIn,
        "There is no saved sign-in for this account on this computer.",
        "Sign in again.",
    )
}

/// The access token, its clamped lifetime and the new refresh token, if any.
fn token_parts(response: &EntraTokenResponse) -> (Secret, Duration, Option<Secret>) {
    use oauth2::TokenResponse as _;
    (
        Secret::new(response.access_token().secret().clone()),
        oauth::token_lifetime(response.expires_in()),
        response.refresh_token().map(|rt| Secret::new(rt.secret().clone())),
    )
}

/// Build the account from a checked id_token.
pub(crate) fn account_from_claims(profile: &Profile, claims: &IdClaims) -> Result<Account, SignInError> {
    let oid = claims
        .oid
        .clone()
        .or_else(|| claims.sub.clone())
        .ok_or_else(|| SignInError::protocol("The ID token does not say who signed in (no oid or sub)."))?;
    let tid = claims.tid.clone().unwrap_or_else(|| profile.tenant().to_string());
    let username = claims
        .preferred_username
        .clone()
        .or_else(|| claims.upn.clone())
        .or_else(|| claims.email.clone())
        .unwrap_or_default();
    let display_name = claims
        .name
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| username.clone());
    let suffix = if profile.read_only {
        crate::profile::READ_ONLY_ACCOUNT_SUFFIX
    } else {
        ""
    };
    Ok(Account {
        id: format!("{oid}.{tid}{suffix}"),
        display_name,
        username,
        tenant_id: tid,
        profile_id: profile.id.clone(),
    })
}

/// After a successful code or device-code redemption: check the id_token, save the refresh token,
/// remember the account, and hand back the session.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn establish(
    profile: &Profile,
    endpoints: &Endpoints,
    client: EntraClient,
    http: reqwest::Client,
    store: &TokenStore,
    accounts: &AccountsFile,
    response: EntraTokenResponse,
    nonce: Option<&str>,
    started: Instant,
) -> Result<Session, SignInError> {
    let id_token = response
        .extra_fields()
        .id_token
        .as_ref()
        .ok_or_else(|| SignInError::protocol("The sign-in service did not return an ID token."))?;
    let claims = oidc::check_id_token(id_token, endpoints, &profile.client_id, nonce, oidc::unix_now())?;
    let account = account_from_claims(profile, &claims)?;
    let rt_key = TokenStore::refresh_token_key(profile, &account.id);
    let (access, lifetime, refresh) = token_parts(&response);
    match &refresh {
        Some(rt) => store.save_async(rt_key.clone(), rt.clone()).await?,
        None => tracing::warn!(
            account = %account.id,
            "no refresh token returned (offline_access not granted); the session ends when the access token expires"
        ),
    }
    accounts.upsert_account(&account)?;
    tracing::info!(account = %account.id, profile = %profile.id, "signed in");
    Ok(Session {
        inner: Arc::new(Inner {
            profile: profile.clone(),
            account,
            client,
            http,
            store: store.clone(),
            rt_key,
            generation: AtomicU64::new(0),
            tokens: Mutex::new(Tokens {
                access: Some((access, started + lifetime, oauth::refresh_margin(lifetime))),
                refresh,
            }),
        }),
    })
}

/// Resume a saved sign-in at app start: read the refresh token from the keyring and refresh once, so
/// the caller knows right away whether the account still works (e.g. `SessionExpired`,
/// `InteractionRequired`, `NotSignedIn`, `Network`).
pub async fn restore_session(profile: &Profile, account: &Account, store: &TokenStore) -> Result<Session, SignInError> {
    let http = oidc::http_client()?;
    let endpoints = oidc::discover(&http, profile).await?;
    let rt_key = TokenStore::refresh_token_key(profile, &account.id);
    let refresh = store.load_async(rt_key.clone()).await?.ok_or_else(not_signed_in)?;
    let session = Session {
        inner: Arc::new(Inner {
            profile: profile.clone(),
            account: account.clone(),
            client: oauth::client(profile, &endpoints),
            http,
            store: store.clone(),
            rt_key,
            generation: AtomicU64::new(0),
            tokens: Mutex::new(Tokens {
                access: None,
                refresh: Some(refresh),
            }),
        }),
    };
    session.access_token_or_error(true).await?;
    Ok(session)
}

/// All signed-in accounts, keyed by account id, with one active account. Switching needs no sign-in.
#[derive(Clone, Default)]
pub struct Sessions {
    inner: Arc<std::sync::Mutex<Registry>>,
}

#[derive(Default)]
struct Registry {
    sessions: Vec<Session>,
    active: Option<String>,
}

impl Sessions {
    pub fn new() -> Sessions {
        Sessions::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Add (or replace) a session and make it the active one.
    pub fn insert(&self, session: Session) {
        let mut r = self.lock();
        let id = session.account().id.clone();
        r.sessions.retain(|s| s.account().id != id);
        r.sessions.push(session);
        r.active = Some(id);
    }

    pub fn get(&self, account_id: &str) -> Option<Session> {
        self.lock()
            .sessions
            .iter()
            .find(|s| s.account().id == account_id)
            .cloned()
    }

    /// The signed-in accounts, in sign-in order.
    pub fn accounts(&self) -> Vec<Account> {
        self.lock().sessions.iter().map(|s| s.account().clone()).collect()
    }

    pub fn active(&self) -> Option<Session> {
        let r = self.lock();
        let id = r.active.as_deref()?;
        r.sessions.iter().find(|s| s.account().id == id).cloned()
    }

    /// Make another signed-in account the active one.
    pub fn switch_to(&self, account_id: &str) -> Result<Session, SignInError> {
        let mut r = self.lock();
        let s = r
            .sessions
            .iter()
            .find(|s| s.account().id == account_id)
            .cloned()
            .ok_or_else(not_signed_in)?;
        r.active = Some(account_id.to_string());
        Ok(s)
    }

    /// Sign one account out (keyring entries, accounts file, memory). The next account becomes active.
    pub async fn sign_out(&self, account_id: &str, accounts: &AccountsFile) -> Result<(), SignInError> {
        let session = self.get(account_id).ok_or_else(not_signed_in)?;
        session.sign_out(accounts).await?;
        let mut r = self.lock();
        r.sessions.retain(|s| s.account().id != account_id);
        if r.active.as_deref() == Some(account_id) {
            r.active = r.sessions.first().map(|s| s.account().id.clone());
        }
        Ok(())
    }
}

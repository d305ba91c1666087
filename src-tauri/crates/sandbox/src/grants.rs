//! What sign-in remembers between requests: authorization codes, refresh tokens and device codes,
//! each under the SHA-256 hash of its secret.

use std::collections::HashMap;

#[derive(Clone)]
pub struct CodeGrant {
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    pub oid: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub expires_ms: i64,
}

#[derive(Clone)]
pub struct RefreshGrant {
    pub client_id: String,
    pub oid: String,
    pub scope: String,
    pub issued_ms: i64,
}

#[derive(Clone)]
pub struct DeviceGrant {
    pub user_code: String,
    pub client_id: String,
    pub scope: String,
    pub expires_ms: i64,
    pub approved: Option<String>,
    pub denied: bool,
}

/// Sign-in state. Secrets are stored hashed; `Debug` shows only counts.
#[derive(Default)]
pub struct AuthState {
    pub codes: HashMap<String, CodeGrant>,
    pub used_codes: HashMap<String, i64>,
    pub refresh: HashMap<String, RefreshGrant>,
    pub devices: HashMap<String, DeviceGrant>,
}

impl std::fmt::Debug for AuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthState")
            .field("codes", &self.codes.len())
            .field("refresh_tokens", &self.refresh.len())
            .field("device_codes", &self.devices.len())
            .finish()
    }
}

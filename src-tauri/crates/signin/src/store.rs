//! Where sign-ins are kept: refresh tokens in the OS keyring (`TokenStore`), account metadata in a
//! JSON file (`AccountsFile`). Nothing secret ever goes to the file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use keyring_core::{CredentialStore, Entry};
use serde::{Deserialize, Serialize};

use crate::error::SignInError;
use crate::profile::Profile;
use crate::secret::Secret;

/// Windows Credential Manager's limit for one secret (CRED_MAX_CREDENTIAL_BLOB_SIZE).
pub const MAX_CHUNK_BYTES: usize = 2560;
const CHUNK_HEADER: &str = "chunked:v1:";

/// Refresh tokens (and any other secret) in the OS keyring via keyring-core.
///
/// Secrets longer than 2,560 bytes are split: parts go to `{user}#0`, `{user}#1`, ... and the entry
/// `{user}` holds the header `chunked:v1:{n}`. Parts are written before the header; parts left over
/// from a longer earlier secret are deleted after it. Keyring calls block, so async code calls them
/// through `spawn_blocking`.
#[derive(Clone)]
pub struct TokenStore {
    service: String,
    store: Option<Arc<CredentialStore>>,
    modifiers: Vec<(String, String)>,
}

impl std::fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenStore").field("service", &self.service).finish()
    }
}

impl TokenStore {
    /// Use keyring-core's default store (the app sets it with `keyring_core::set_default_store`).
    pub fn new(service: impl Into<String>) -> TokenStore {
        TokenStore {
            service: service.into(),
            store: None,
            modifiers: Vec::new(),
        }
    }

    /// Use this store explicitly.
    pub fn with_store(service: impl Into<String>, store: Arc<CredentialStore>) -> TokenStore {
        TokenStore {
            service: service.into(),
            store: Some(store),
            modifiers: Vec::new(),
        }
    }

    /// Store-specific entry modifiers for every entry, e.g. `[("persistence", "Local")]` with the
    /// Windows store so refresh tokens do not roam with the profile. (The mock store accepts none.)
    pub fn with_entry_modifiers(mut self, modifiers: &[(&str, &str)]) -> TokenStore {
        self.modifiers = modifiers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The keyring user name for an account's refresh token: `{oid}.{tid}|{environment}|{client_id}|rt`.
    pub fn refresh_token_key(profile: &Profile, account_id: &str) -> String {
        format!("{account_id}|{}|{}|rt", profile.environment(), profile.client_id)
    }

    fn entry(&self, user: &str) -> Result<Entry, keyring_core::Error> {
        if self.modifiers.is_empty() {
            return match &self.store {
                Some(s) => Entry::new_in_store(s, &self.service, user),
                None => Entry::new(&self.service, user),
            };
        }
        let mods: std::collections::HashMap<&str, &str> =
            self.modifiers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        match &self.store {
            Some(s) => Entry::new_in_store_with_modifiers(s, &self.service, user, &mods),
            None => Entry::new_with_modifiers(&self.service, user, &mods),
        }
    }

    fn read_raw(&self, user: &str) -> Result<Option<Vec<u8>>, keyring_core::Error> {
        match self.entry(user)?.get_secret() {
            Ok(b) => Ok(Some(b)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn delete_raw(&self, user: &str) -> Result<(), keyring_core::Error> {
        match self.entry(user)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Number of parts the entry currently points to (0 if it is stored whole or missing).
    fn current_parts(&self, user: &str) -> Result<usize, keyring_core::Error> {
        Ok(self
            .read_raw(user)?
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix(CHUNK_HEADER))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0))
    }

    /// Write a secret, replacing whatever was stored under `user` (including stale parts).
    pub fn save(&self, user: &str, secret: &Secret) -> Result<(), SignInError> {
        let fail = |e: keyring_core::Error| SignInError::keyring(&e, "saving your sign-in");
        let old_parts = self.current_parts(user).map_err(fail)?;
        let value = secret.expose();
        let new_parts = if value.len() <= MAX_CHUNK_BYTES && !value.starts_with(CHUNK_HEADER) {
            self.entry(user)
                .and_then(|e| e.set_secret(value.as_bytes()))
                .map_err(fail)?;
            0
        } else {
            let parts = split_at_char_boundaries(value, MAX_CHUNK_BYTES);
            for (i, part) in parts.iter().enumerate() {
                self.entry(&format!("{user}#{i}"))
                    .and_then(|e| e.set_secret(part.as_bytes()))
                    .map_err(fail)?;
            }
            let header = format!("{CHUNK_HEADER}{}", parts.len());
            self.entry(user)
                .and_then(|e| e.set_secret(header.as_bytes()))
                .map_err(fail)?;
            parts.len()
        };
        for i in new_parts..old_parts {
            self.delete_raw(&format!("{user}#{i}")).map_err(fail)?;
        }
        tracing::debug!(service = %self.service, chunks = new_parts, "saved secret to keyring");
        Ok(())
    }

    /// Read a secret; `None` if nothing is stored.
    pub fn load(&self, user: &str) -> Result<Option<Secret>, SignInError> {
        let fail = |e: keyring_core::Error| SignInError::keyring(&e, "reading your saved sign-in");
        let Some(raw) = self.read_raw(user).map_err(fail)? else {
            return Ok(None);
        };
        let corrupt = || {
            SignInError::keyring(
                &keyring_core::Error::BadStoreFormat("a saved sign-in is incomplete".into()),
                "reading your saved sign-in",
            )
        };
        let text = String::from_utf8(raw).map_err(|_| corrupt())?;
        let Some(n) = text.strip_prefix(CHUNK_HEADER) else {
            return Ok(Some(Secret::new(text)));
        };
        let n: usize = n.parse().map_err(|_| corrupt())?;
        let mut out = String::new();
        for i in 0..n {
            let part = self
                .read_raw(&format!("{user}#{i}"))
                .map_err(fail)?
                .ok_or_else(corrupt)?;
            out.push_str(&String::from_utf8(part).map_err(|_| corrupt())?);
        }
        Ok(Some(Secret::new(out)))
    }

    /// Delete a secret and all its parts. Deleting something absent is not an error.
    pub fn delete(&self, user: &str) -> Result<(), SignInError> {
        let fail = |e: keyring_core::Error| SignInError::keyring(&e, "removing your saved sign-in");
        let parts = self.current_parts(user).map_err(fail)?;
        self.delete_raw(user).map_err(fail)?;
        for i in 0..parts {
            self.delete_raw(&format!("{user}#{i}")).map_err(fail)?;
        }
        Ok(())
    }

    pub(crate) async fn save_async(&self, user: String, secret: Secret) -> Result<(), SignInError> {
        let me = self.clone();
        blocking(move || me.save(&user, &secret)).await
    }

    pub(crate) async fn load_async(&self, user: String) -> Result<Option<Secret>, SignInError> {
        let me = self.clone();
        blocking(move || me.load(&user)).await
    }

    pub(crate) async fn delete_async(&self, user: String) -> Result<(), SignInError> {
        let me = self.clone();
        blocking(move || me.delete(&user)).await
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SignInError> + Send + 'static,
) -> Result<T, SignInError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|_| {
        Err(SignInError::keyring(
            &keyring_core::Error::BadStoreFormat("the keyring call stopped unexpectedly".into()),
            "using the keyring",
        ))
    })
}

fn split_at_char_boundaries(s: &str, max: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let mut cut = rest.len().min(max);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        let (a, b) = rest.split_at(cut);
        parts.push(a);
        rest = b;
    }
    parts
}

/// A signed-in account. Metadata only; safe to show, store and send over IPC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// Stable key: `{oid}.{tid}` (MSAL's home account id), unique per profile.
    pub id: String,
    pub display_name: String,
    /// The sign-in name (UPN / preferred_username).
    pub username: String,
    pub tenant_id: String,
    pub profile_id: String,
}

/// What the accounts file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountsData {
    #[serde(default)]
    pub profiles: Vec<Profile>,
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// The account shown when the app starts.
    #[serde(default)]
    pub active_account: Option<String>,
}

/// The accounts file (JSON in the app's config folder): remembered profiles and signed-in accounts.
/// Written atomically and privately (`localfiles::write_private`): a crash never leaves half a file.
/// A file that cannot be read as accounts is set aside and the app starts with none, so a damaged
/// file never locks anyone out (`set_aside_notice` says what happened).
#[derive(Debug, Clone)]
pub struct AccountsFile {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
    /// Where a damaged accounts file went, this session.
    set_aside: Arc<Mutex<Option<PathBuf>>>,
}

impl AccountsFile {
    /// `path` is the file, e.g. `{app_config_dir}/accounts.json`. It need not exist yet.
    pub fn new(path: impl Into<PathBuf>) -> AccountsFile {
        AccountsFile {
            path: path.into(),
            lock: Arc::new(Mutex::new(())),
            set_aside: Arc::new(Mutex::new(None)),
        }
    }

    /// What to tell the person when a damaged accounts file was set aside this session.
    pub fn set_aside_notice(&self) -> Option<String> {
        let aside = self.set_aside.lock().unwrap_or_else(|p| p.into_inner());
        aside.as_ref().map(|p| {
            format!(
                "Your saved accounts could not be read, so the file was set aside as {} and Entra Desk started without them. Sign in again; nothing changed in your organisation.",
                p.display()
            )
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io_error(&self, what: &str, e: impl std::fmt::Display) -> SignInError {
        SignInError::config(
            format!("Could not {what} the accounts file {} ({e}).", self.path.display()),
            "Check that the folder exists and that you can write to it.",
        )
    }

    fn read_unlocked(&self) -> Result<AccountsData, SignInError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => match serde_json::from_str(&text) {
                Ok(data) => Ok(data),
                Err(e) => {
                    let aside = localfiles::set_aside(&self.path, &[]).map_err(|io| self.io_error("set aside", io))?;
                    tracing::warn!(error = %e, aside = %aside.display(), "accounts file set aside");
                    *self.set_aside.lock().unwrap_or_else(|p| p.into_inner()) = Some(aside);
                    Ok(AccountsData::default())
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(AccountsData::default()),
            Err(e) => Err(self.io_error("read", e)),
        }
    }

    fn write_unlocked(&self, data: &AccountsData) -> Result<(), SignInError> {
        let text = serde_json::to_string_pretty(data).map_err(|e| self.io_error("write", e))?;
        localfiles::write_private(&self.path, text.as_bytes()).map_err(|e| self.io_error("write", e))
    }

    /// Read the whole file (empty data if it does not exist).
    pub fn load(&self) -> Result<AccountsData, SignInError> {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        self.read_unlocked()
    }

    /// Read, change, write back, under one lock.
    pub fn update<T>(&self, f: impl FnOnce(&mut AccountsData) -> T) -> Result<T, SignInError> {
        let _g = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut data = self.read_unlocked()?;
        let out = f(&mut data);
        self.write_unlocked(&data)?;
        Ok(out)
    }

    /// Add or replace an account (matched by id and profile) and make it the active one.
    pub fn upsert_account(&self, account: &Account) -> Result<(), SignInError> {
        self.update(|d| {
            d.accounts
                .retain(|a| !(a.id == account.id && a.profile_id == account.profile_id));
            d.accounts.push(account.clone());
            d.active_account = Some(account.id.clone());
        })
    }

    pub fn remove_account(&self, account_id: &str, profile_id: &str) -> Result<(), SignInError> {
        self.update(|d| {
            d.accounts
                .retain(|a| !(a.id == account_id && a.profile_id == profile_id));
            if d.active_account.as_deref() == Some(account_id) {
                d.active_account = d.accounts.first().map(|a| a.id.clone());
            }
        })
    }

    /// Remember a profile (replaces one with the same id).
    pub fn upsert_profile(&self, profile: &Profile) -> Result<(), SignInError> {
        self.update(|d| {
            d.profiles.retain(|p| p.id != profile.id);
            d.profiles.push(profile.clone());
        })
    }

    pub fn set_active_account(&self, account_id: Option<&str>) -> Result<(), SignInError> {
        self.update(|d| d.active_account = account_id.map(str::to_string))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mock_store() -> TokenStore {
        TokenStore::with_store("com.entradesk.test", keyring_core::mock::Store::new().unwrap())
    }

    fn token(len: usize) -> Secret {
        Secret::new((0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect::<String>())
    }

    #[test]
    fn short_secret_is_stored_whole_and_long_secret_in_parts_no_larger_than_2560_bytes() {
        let store = mock_store();
        store.save("u", &token(1200)).unwrap();
        assert_eq!(store.load("u").unwrap().unwrap(), token(1200));
        assert_eq!(store.current_parts("u").unwrap(), 0);

        store.save("u", &token(6000)).unwrap();
        assert_eq!(store.current_parts("u").unwrap(), 3);
        for i in 0..3 {
            let part = store.read_raw(&format!("u#{i}")).unwrap().unwrap();
            assert!(part.len() <= MAX_CHUNK_BYTES);
        }
        assert_eq!(store.load("u").unwrap().unwrap(), token(6000));
    }

    #[test]
    fn overwriting_with_a_shorter_secret_leaves_no_stale_parts() {
        let store = mock_store();
        store.save("u", &token(16000)).unwrap();
        assert_eq!(store.current_parts("u").unwrap(), 7);
        store.save("u", &token(2600)).unwrap();
        assert_eq!(store.current_parts("u").unwrap(), 2);
        for i in 2..7 {
            assert!(
                store.read_raw(&format!("u#{i}")).unwrap().is_none(),
                "part {i} left behind"
            );
        }
        assert_eq!(store.load("u").unwrap().unwrap(), token(2600));
        store.save("u", &token(100)).unwrap();
        assert!(store.read_raw("u#0").unwrap().is_none());
        assert!(store.read_raw("u#1").unwrap().is_none());
        assert_eq!(store.load("u").unwrap().unwrap(), token(100));
    }

    #[test]
    fn delete_removes_the_entry_and_every_part() {
        let store = mock_store();
        store.save("u", &token(6000)).unwrap();
        store.delete("u").unwrap();
        assert!(store.load("u").unwrap().is_none());
        for i in 0..3 {
            assert!(store.read_raw(&format!("u#{i}")).unwrap().is_none());
        }
        store.delete("u").unwrap();
    }

    #[test]
    fn a_locked_keyring_becomes_an_actionable_error() {
        let store = mock_store();
        store.save("u", &token(10)).unwrap();
        let entry = store.entry("u").unwrap();
        let cred: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(keyring_core::Error::NoStorageAccess("locked".into()));
        let err = store.load("u").unwrap_err();
        assert_eq!(err.kind, crate::SignInErrorKind::Keyring);
        assert!(err.next_step.contains("Unlock"), "{}", err.next_step);
    }

    #[test]
    fn entry_modifiers_reach_the_store() {
        // The mock store refuses modifiers, which proves they are passed through.
        let store = mock_store().with_entry_modifiers(&[("persistence", "Local")]);
        let err = store.save("u", &token(10)).unwrap_err();
        assert_eq!(err.kind, crate::SignInErrorKind::Keyring);
    }

    #[test]
    fn accounts_file_keeps_metadata_only_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let file = AccountsFile::new(dir.path().join("cfg/accounts.json"));
        assert_eq!(file.load().unwrap(), AccountsData::default());
        let a = Account {
            id: "oid.tid".into(),
            display_name: "Megan Bowen".into(),
            username: "MeganB@contoso.com".into(),
            tenant_id: "tid".into(),
            profile_id: "p1".into(),
        };
        file.upsert_account(&a).unwrap();
        file.upsert_account(&a).unwrap();
        let again = AccountsFile::new(file.path()).load().unwrap();
        assert_eq!(again.accounts, vec![a.clone()]);
        assert_eq!(again.active_account.as_deref(), Some("oid.tid"));
        file.remove_account("oid.tid", "p1").unwrap();
        let data = file.load().unwrap();
        assert!(data.accounts.is_empty());
        assert_eq!(data.active_account, None);
    }

    #[test]
    fn a_damaged_accounts_file_is_set_aside_and_never_locks_anyone_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/accounts.json");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, b"{\"profiles\": [{\"id\": \"org\", ").unwrap();
        let file = AccountsFile::new(&path);
        assert_eq!(file.set_aside_notice(), None);
        assert_eq!(file.load().unwrap(), AccountsData::default());
        let notice = file.set_aside_notice().expect("the person is told");
        assert!(notice.contains("Sign in again"), "{notice}");
        // The damaged file is kept under a new name, which the notice gives.
        let aside: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("accounts.json.damaged-"))
            .collect();
        assert_eq!(aside.len(), 1);
        assert!(notice.contains(&aside[0].display().to_string()), "{notice}");
        assert_eq!(std::fs::read(&aside[0]).unwrap(), b"{\"profiles\": [{\"id\": \"org\", ");
        // Signing in again works: the file is written anew, private to the user.
        file.set_active_account(Some("oid.tid")).unwrap();
        assert_eq!(
            AccountsFile::new(&path).load().unwrap().active_account.as_deref(),
            Some("oid.tid")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}

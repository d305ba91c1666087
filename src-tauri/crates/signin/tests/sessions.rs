//! Tokens and sessions against oidc-provider: refresh rotation, one refresh at a time, restore at
//! start, silent refresh before expiry, several accounts, sign-out, device code.

mod common;

use common::{device_responder, mock_token_store, sign_in, Idp};
use msgraph::TokenProvider;
use signin::{restore_session, sign_in_device_code, AccountsFile, CancelHandle, Sessions, SignInErrorKind};

async fn me_status(idp: &Idp, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/me", idp.issuer))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn refresh_rotates_the_refresh_token_and_never_reuses_the_old_one() {
    let Some(idp) = Idp::start(&[]) else { return };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let session = sign_in(&idp, "megan", &store, &accounts).await;
    let key = session.keyring_key().to_string();
    let rt1 = store.load(&key).unwrap().unwrap();
    let at1 = session.access_token(false).await.unwrap();

    let at2 = session.access_token(true).await.unwrap();
    assert_ne!(at1.secret(), at2.secret());
    let rt2 = store.load(&key).unwrap().unwrap();
    assert_ne!(
        rt1, rt2,
        "the newest refresh token is in the keyring right after the refresh"
    );

    // Five concurrent forced refreshes through clones of the session: oidc-provider revokes the whole
    // grant if any refresh token is presented twice, so this only keeps working if refreshes are
    // serialised and each uses the newest token.
    let results = futures_join(
        (0..5)
            .map(|_| {
                let s = session.clone();
                tokio::spawn(async move { s.access_token(true).await.map(|t| t.secret().to_string()) })
            })
            .collect(),
    )
    .await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let at3 = session.access_token(true).await.unwrap();
    assert_eq!(me_status(&idp, at3.secret()).await, 200);
    let rt3 = store.load(&key).unwrap().unwrap();
    assert_ne!(rt3, rt2);

    // The provider itself rejects the old refresh token (and, being strict, revokes the grant).
    let old = reqwest::Client::new()
        .post(idp.token_endpoint())
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", idp.client_id.as_str()),
            ("refresh_token", rt1.expose()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 400);
    // After that revocation the session's refresh fails with an actionable error, and keeps its token.
    let err = session.access_token_or_error(true).await.unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::SessionExpired, "{err:?}");
    assert!(err.interaction_required);
    assert!(
        store.load(&key).unwrap().is_some(),
        "a failed refresh does not delete the refresh token"
    );
}

async fn futures_join<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn restore_session_resumes_from_the_keyring_at_app_start() {
    let Some(idp) = Idp::start(&[]) else { return };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let first = sign_in(&idp, "adele", &store, &accounts).await;
    let profile = idp.profile();
    let account = accounts.load().unwrap().accounts[0].clone();
    drop(first); // "app restart": nothing in memory any more

    let restored = restore_session(&profile, &account, &store).await.unwrap();
    assert_eq!(restored.account(), &account);
    let at = restored.access_token(false).await.unwrap();
    assert_eq!(me_status(&idp, at.secret()).await, 200);

    // No saved refresh token → NotSignedIn, not a crash.
    let other_store = mock_token_store();
    let err = restore_session(&profile, &account, &other_store).await.unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::NotSignedIn);
}

#[tokio::test]
async fn short_lived_access_tokens_are_reused_for_half_their_life_not_refreshed_on_every_call() {
    // The IdP issues access tokens that live 2 minutes: less than the 5-minute refresh margin, so
    // the margin becomes half the lifetime (60 s). Before, every call refreshed.
    let Some(idp) = Idp::start(&[("IDP_AT_TTL", "120")]) else {
        return;
    };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let session = sign_in(&idp, "lee", &store, &accounts).await;
    let rt_before = store.load(session.keyring_key()).unwrap().unwrap();
    let a = session.access_token(false).await.unwrap();
    let b = session.access_token(false).await.unwrap();
    assert_eq!(a.secret(), b.secret(), "a fresh 2-minute token is used, not refreshed");
    assert_eq!(store.load(session.keyring_key()).unwrap().unwrap(), rt_before);
    let c = session.access_token(true).await.unwrap();
    assert_ne!(b.secret(), c.secret());
    assert_ne!(store.load(session.keyring_key()).unwrap().unwrap(), rt_before);
    assert_eq!(me_status(&idp, c.secret()).await, 200);
}

#[tokio::test]
async fn several_accounts_stay_signed_in_switching_needs_no_sign_in_and_sign_out_forgets_one() {
    let Some(idp) = Idp::start(&[]) else { return };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let sessions = Sessions::new();
    let megan = sign_in(&idp, "megan", &store, &accounts).await;
    let alex = sign_in(&idp, "alex", &store, &accounts).await;
    let (megan_id, alex_id) = (megan.account().id.clone(), alex.account().id.clone());
    assert_ne!(megan_id, alex_id);
    sessions.insert(megan.clone());
    sessions.insert(alex.clone());
    assert_eq!(sessions.accounts().len(), 2);
    assert_eq!(sessions.active().unwrap().account().id, alex_id);

    let switched = sessions.switch_to(&megan_id).unwrap();
    assert_eq!(sessions.active().unwrap().account().id, megan_id);
    let t = switched.access_token(false).await.unwrap();
    assert_eq!(me_status(&idp, t.secret()).await, 200);

    sessions.sign_out(&megan_id, &accounts).await.unwrap();
    assert!(
        store.load(megan.keyring_key()).unwrap().is_none(),
        "keyring entry deleted"
    );
    assert!(store.load(alex.keyring_key()).unwrap().is_some());
    let file = accounts.load().unwrap();
    assert_eq!(
        file.accounts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        vec![alex_id.as_str()]
    );
    assert_eq!(sessions.active().unwrap().account().id, alex_id);
    assert_eq!(
        sessions.switch_to(&megan_id).unwrap_err().kind,
        SignInErrorKind::NotSignedIn
    );
    assert!(
        megan.access_token(false).await.is_err(),
        "signed-out session has no tokens"
    );
    assert!(alex.access_token(true).await.is_ok());
}

#[tokio::test]
async fn device_code_sign_in_completes_after_the_code_is_entered_elsewhere() {
    let Some(idp) = Idp::start(&[]) else { return };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let mut profile = idp.profile();
    profile.extra_authorize_params.clear();
    let prompts = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let p2 = prompts.clone();
    let respond = device_responder("nestor", false);
    let on_prompt = move |p: &signin::DeviceCodePrompt| {
        p2.lock().unwrap().push(p.clone());
        respond(p);
    };
    let session = sign_in_device_code(&profile, &on_prompt, CancelHandle::new(), &store, &accounts)
        .await
        .unwrap();
    assert_eq!(session.account().username, "nestor@contoso.test");
    let prompt = prompts.lock().unwrap()[0].clone();
    assert!(prompt.verification_uri.starts_with(&idp.issuer));
    assert!(!prompt.user_code.is_empty());
    let t = session.access_token(false).await.unwrap();
    assert_eq!(me_status(&idp, t.secret()).await, 200);
}

#[tokio::test]
async fn device_code_declined_in_the_browser_is_reported_as_declined() {
    let Some(idp) = Idp::start(&[]) else { return };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let respond = device_responder("nestor", true);
    let err = sign_in_device_code(&idp.profile(), &respond, CancelHandle::new(), &store, &accounts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::DeviceCodeDeclined, "{err:?}");
}

#[tokio::test]
async fn device_code_that_nobody_enters_expires() {
    let Some(idp) = Idp::start(&[("IDP_DEVICE_CODE_TTL", "1")]) else {
        return;
    };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let err = sign_in_device_code(&idp.profile(), &|_| {}, CancelHandle::new(), &store, &accounts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::DeviceCodeExpired, "{err:?}");
}

#[tokio::test]
async fn device_code_sign_in_can_be_cancelled() {
    let Some(idp) = Idp::start(&[]) else { return };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let cancel = CancelHandle::new();
    let c2 = cancel.clone();
    let err = sign_in_device_code(&idp.profile(), &move |_| c2.cancel(), cancel, &store, &accounts)
        .await
        .unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::Cancelled);
}

//! End-to-end sign-in against oidc-provider 9.13.3 (tests/idp/server.mjs) on 127.0.0.1.

mod common;

use common::{mock_token_store, Idp, Script, ScriptedBrowser};
use msgraph::TokenProvider;
use signin::{
    sign_in_interactive, sign_in_interactive_with, AccountsFile, AuthCodeFlow, CancelHandle, InteractiveOptions,
    SignInErrorKind,
};

#[tokio::test]
async fn interactive_sign_in_completes_through_login_and_consent_pages() {
    let Some(idp) = Idp::start(&[]) else { return };
    let profile = idp.profile();
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let browser = ScriptedBrowser::new("megan@contoso.test", Script::Complete);

    let session = sign_in_interactive(&profile, &browser, CancelHandle::new(), &store, &accounts)
        .await
        .unwrap_or_else(|e| panic!("{e:?} / browser: {:?}", browser.seen.lock().unwrap()));

    let account = session.account().clone();
    assert_eq!(account.username, "megan@contoso.test");
    assert_eq!(account.display_name, "Megan");
    assert_eq!(account.tenant_id, idp.tenant);
    assert!(account.id.ends_with(&format!(".{}", idp.tenant)), "{}", account.id);
    assert_eq!(account.profile_id, "test-idp");

    {
        let seen = browser.seen.lock().unwrap();
        assert!(seen
            .final_page
            .as_deref()
            .unwrap()
            .contains("You can close this window"));
    }

    // Refresh token went to the keyring; metadata (and nothing else) to the accounts file.
    let rt = store.load(session.keyring_key()).unwrap().expect("refresh token saved");
    let file = std::fs::read_to_string(accounts.path()).unwrap();
    assert!(file.contains("megan@contoso.test"));
    assert!(!file.contains(rt.expose()));
    assert_eq!(accounts.load().unwrap().accounts, vec![account]);

    // The access token is usable and cached.
    let at1 = session.access_token(false).await.unwrap();
    let at2 = session.access_token(false).await.unwrap();
    assert_eq!(at1.secret(), at2.secret());
    let userinfo = reqwest::Client::new()
        .get(format!("{}/me", idp.issuer))
        .bearer_auth(at1.secret())
        .send()
        .await
        .unwrap();
    assert_eq!(userinfo.status(), 200, "the IdP accepts the access token");
}

#[tokio::test]
async fn authorization_code_cannot_be_redeemed_twice() {
    let Some(idp) = Idp::start(&[]) else { return };
    let profile = idp.profile();
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let browser = ScriptedBrowser::new("adele", Script::Complete);
    let cancel = CancelHandle::new();

    let mut flow = AuthCodeFlow::start(&profile, &InteractiveOptions::default())
        .await
        .unwrap();
    signin::BrowserOpener::open(&browser, flow.authorize_url()).unwrap();
    let code = flow.wait_for_code(&cancel).await.unwrap();
    flow.redeem(&code, &store, &accounts).await.unwrap();

    let replay = flow.redeem(&code, &store, &accounts).await.unwrap_err();
    assert_eq!(replay.kind, SignInErrorKind::CodeRejected, "{replay:?}");
    assert_eq!(replay.oauth_error.as_deref(), Some("invalid_grant"));
    assert!(replay.interaction_required);
    let code_seen = browser.seen.lock().unwrap().codes[0].clone();
    assert!(
        !format!("{replay:?}").contains(&code_seen),
        "the code must not leak into the error"
    );
}

#[tokio::test]
async fn wrong_pkce_verifier_is_rejected_with_invalid_grant() {
    let Some(idp) = Idp::start(&[]) else { return };
    let profile = idp.profile();
    let flow = AuthCodeFlow::start(&profile, &InteractiveOptions::default())
        .await
        .unwrap();
    let seen = std::sync::Mutex::new(common::Seen::default());
    common::drive(flow.authorize_url(), "alex", Script::Capture, &seen, None)
        .await
        .unwrap();
    let code = seen
        .lock()
        .unwrap()
        .codes
        .first()
        .cloned()
        .unwrap_or_else(|| panic!("{:?}", seen.lock().unwrap()));

    let resp = reqwest::Client::new()
        .post(idp.token_endpoint())
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", idp.client_id.as_str()),
            ("code", code.as_str()),
            ("redirect_uri", flow.redirect_uri()),
            ("code_verifier", "this-is-not-the-verifier-that-made-the-challenge-0123"),
        ])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body = resp.text().await.unwrap();
    assert_eq!(status, 400, "{body}");
    let err = signin::SignInError::from_http(signin::Stage::CodeExchange, status, &body, Some(&profile));
    assert_eq!(err.oauth_error.as_deref(), Some("invalid_grant"), "{body}");
    assert_eq!(err.kind, SignInErrorKind::CodeRejected);
}

#[tokio::test]
async fn cancel_while_waiting_for_the_browser_returns_cancelled() {
    let Some(idp) = Idp::start(&[]) else { return };
    let profile = idp.profile();
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let browser = ScriptedBrowser::new("x", Script::Ignore);
    let cancel = CancelHandle::new();
    let c2 = cancel.clone();
    let task = tokio::spawn(async move {
        sign_in_interactive(&profile, &browser, c2, &store, &accounts)
            .await
            .map(|_| ())
    });
    cancel.cancel();
    let err = task.await.unwrap().unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::Cancelled);
    assert!(
        !std::path::Path::new(&dir.path().join("accounts.json")).exists(),
        "nothing saved on cancel"
    );
}

#[tokio::test]
async fn browser_that_never_comes_back_times_out() {
    let Some(idp) = Idp::start(&[]) else { return };
    let profile = idp.profile();
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let browser = ScriptedBrowser::new("x", Script::Ignore);
    let options = InteractiveOptions {
        timeout: std::time::Duration::from_millis(300),
        ..Default::default()
    };
    let err = sign_in_interactive_with(&profile, &browser, CancelHandle::new(), &store, &accounts, &options)
        .await
        .unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::TimedOut);
    assert!(err.show_setup_help);
}

//! Entra-shaped error bodies end to end: a tiny local responder plays the Entra token endpoint.

mod common;

use signin::{
    restore_session, sign_in_device_code, Account, AccountsFile, CancelHandle, Profile, Secret, SignInErrorKind,
    TokenStore,
};

/// Serves discovery for `/{tenant}/v2.0/...` and answers every POST with `status` + `body`.
async fn responder(status: u16, body: String) -> (u16, tokio::task::JoinHandle<()>) {
    let r = common::Responder::start(vec![common::Answer::json(status, body)]).await;
    (r.port, r.task)
}

fn entra_body(error: &str, code: u32, suberror: Option<&str>, claims: Option<&str>, text: &str) -> String {
    serde_json::json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {text} Trace ID: 2f9d7e61-5a1c-4c0b-9e3f-6d8a0b1c2d00 Correlation ID: 9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d Timestamp: 2026-11-26 05:00:00Z"),
        "error_codes": [code],
        "timestamp": "2026-11-26 05:00:00Z",
        "trace_id": "2f9d7e61-5a1c-4c0b-9e3f-6d8a0b1c2d00",
        "correlation_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "suberror": suberror,
        "claims": claims,
    })
    .to_string()
}

fn profile(port: u16) -> Profile {
    let mut p = Profile::organization(
        "org",
        "Contoso",
        msgraph::Cloud::Global,
        "contoso.onmicrosoft.com",
        "8a3f0c1e-5b7d-4e2a-9c61-3d5e7f9a1b2c",
    )
    .unwrap();
    p.authority = format!("http://127.0.0.1:{port}/contoso.onmicrosoft.com")
        .parse()
        .unwrap();
    p
}

fn account() -> Account {
    Account {
        id: "48d31887-5fad-4d73-a9f5-3c356e68a038.72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
        display_name: "Megan Bowen".into(),
        username: "MeganB@contoso.com".into(),
        tenant_id: "72f988bf-86f1-41af-91ab-2d7cd011db47".into(),
        profile_id: "org".into(),
    }
}

fn store() -> TokenStore {
    TokenStore::with_store("com.entradesk.test", keyring_core::mock::Store::new().unwrap())
}

#[tokio::test]
async fn mfa_required_on_refresh_asks_for_interactive_sign_in_and_keeps_the_refresh_token() {
    let claims =
        r#"{"access_token":{"capolids":{"essential":true,"values":["c5a1b2d3-0000-4000-8000-000000000002"]}}}"#;
    let (port, server) = responder(400, entra_body("invalid_grant", 50076, Some("basic_action"), Some(claims),
        "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.")).await;
    let profile = profile(port);
    let store = store();
    let key = TokenStore::refresh_token_key(&profile, &account().id);
    store
        .save(&key, &Secret::new("0.AXEAv4j5cvGGr0GRqy180BHbR-refresh-token-value"))
        .unwrap();

    let err = restore_session(&profile, &account(), &store).await.unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::InteractionRequired);
    assert_eq!(err.aadsts_code.as_deref(), Some("AADSTS50076"));
    assert_eq!(err.trace_id.as_deref(), Some("2f9d7e61-5a1c-4c0b-9e3f-6d8a0b1c2d00"));
    assert_eq!(err.claims.as_deref(), Some(claims));
    assert_eq!(
        store.load(&key).unwrap().unwrap().expose(),
        "0.AXEAv4j5cvGGr0GRqy180BHbR-refresh-token-value",
        "the refresh token is kept for other tenants/scopes"
    );
    server.abort();
}

#[tokio::test]
async fn expired_refresh_token_asks_to_sign_in_again() {
    let (port, server) = responder(
        400,
        entra_body(
            "invalid_grant",
            700082,
            Some("bad_token"),
            None,
            "The refresh token has expired due to inactivity.",
        ),
    )
    .await;
    let profile = profile(port);
    let store = store();
    store
        .save(
            &TokenStore::refresh_token_key(&profile, &account().id),
            &Secret::new("rt"),
        )
        .unwrap();
    let err = restore_session(&profile, &account(), &store).await.unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::SessionExpired);
    assert_eq!(err.next_step, "Sign in again.");
    server.abort();
}

#[tokio::test]
async fn device_code_with_public_client_flows_off_points_to_setup_help() {
    let (port, server) = responder(
        401,
        entra_body(
            "invalid_client",
            7000218,
            None,
            None,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        ),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let err = sign_in_device_code(
        &profile(port),
        &|_| panic!("no prompt expected"),
        CancelHandle::new(),
        &store(),
        &accounts,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::AppRegistration);
    assert!(err.show_setup_help);
    assert!(err.message.contains("Allow public client flows"));
    server.abort();
}

#[tokio::test]
async fn unreachable_sign_in_service_is_a_network_error() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let err = restore_session(&profile(port), &account(), &store()).await.unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::Network);
    assert!(err.next_step.contains("network"));
}

/// Plays Entra's admin-consent page: reads redirect_uri and state from the URL it is given and sends
/// the browser back with `admin_consent=True` (or an error).
struct ConsentPage {
    grant: bool,
}

impl signin::BrowserOpener for ConsentPage {
    fn open(&self, url: &str) -> Result<(), String> {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        assert!(url.path().ends_with("/v2.0/adminconsent"), "{url}");
        let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(q["client_id"], "8a3f0c1e-5b7d-4e2a-9c61-3d5e7f9a1b2c");
        assert_eq!(q["scope"], "https://graph.microsoft.com/.default");
        let mut back = url::Url::parse(&q["redirect_uri"]).unwrap();
        if self.grant {
            back.query_pairs_mut()
                .append_pair("admin_consent", "True")
                .append_pair("tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47")
                .append_pair(
                    "scope",
                    "https://graph.microsoft.com/User.ReadWrite.All https://graph.microsoft.com/.default",
                )
                .append_pair("state", &q["state"]);
        } else {
            back.query_pairs_mut()
                .append_pair("error", "access_denied")
                .append_pair(
                    "error_description",
                    "AADSTS65004: User declined to consent to access the app.",
                )
                .append_pair("state", &q["state"]);
        }
        tokio::spawn(async move {
            reqwest::get(back).await.unwrap();
        });
        Ok(())
    }
}

#[tokio::test]
async fn admin_consent_granted_in_the_browser_comes_back_to_the_app() {
    let p = profile(1);
    let r = signin::request_admin_consent(
        &p,
        None,
        &ConsentPage { grant: true },
        CancelHandle::new(),
        signin::DEFAULT_TIMEOUT,
    )
    .await
    .unwrap();
    assert_eq!(r.tenant.as_deref(), Some("72f988bf-86f1-41af-91ab-2d7cd011db47"));
    let err = signin::request_admin_consent(
        &p,
        None,
        &ConsentPage { grant: false },
        CancelHandle::new(),
        signin::DEFAULT_TIMEOUT,
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::AccessDenied);
    assert_eq!(err.aadsts_code.as_deref(), Some("AADSTS65004"));
}

fn token_body(expires_in: &str) -> String {
    format!(
        r#"{{"token_type":"Bearer","access_token":"at-{expires_in}","refresh_token":"rt-new","expires_in":{expires_in}}}"#
    )
}

/// Resume a saved sign-in against `answers` (the token endpoint's, in order).
async fn restore_against(
    answers: Vec<common::Answer>,
) -> (common::Responder, Result<signin::Session, signin::SignInError>) {
    let r = common::Responder::start(answers).await;
    let profile = profile(r.port);
    let store = store();
    store
        .save(
            &TokenStore::refresh_token_key(&profile, &account().id),
            &Secret::new("rt"),
        )
        .unwrap();
    let result = restore_session(&profile, &account(), &store).await;
    (r, result)
}

#[tokio::test]
async fn throttled_token_endpoint_is_asked_again_after_its_retry_after() {
    let busy = common::Answer::json(
        429,
        entra_body("temporarily_unavailable", 50196, None, None, "Too many requests."),
    )
    .header("Retry-After", "1");
    let (r, session) = restore_against(vec![busy, common::Answer::json(200, token_body("3600"))]).await;
    let session = session.expect("the refresh succeeds on the second attempt");
    assert_eq!(r.posts(), 2);
    assert_eq!(session.access_token_or_error(false).await.unwrap().secret(), "at-3600");
}

#[tokio::test]
async fn retry_after_is_bounded_in_length_and_in_count() {
    // Longer than the 30 s the app waits for: reported at once, not waited for.
    let long = common::Answer::json(
        429,
        entra_body("temporarily_unavailable", 50196, None, None, "Too many requests."),
    )
    .header("Retry-After", "3600");
    let (r, err) = restore_against(vec![long]).await;
    assert_eq!(err.unwrap_err().kind, SignInErrorKind::ServiceUnavailable);
    assert_eq!(r.posts(), 1);
    // Always busy: three retries, then the error.
    let again = common::Answer::json(503, "<html>busy</html>").header("Retry-After", "0");
    let (r, err) = restore_against(vec![again]).await;
    assert_eq!(err.unwrap_err().kind, SignInErrorKind::ServiceUnavailable);
    assert_eq!(r.posts(), 4);
}

#[tokio::test]
async fn expires_in_of_zero_one_or_u64_max_neither_panics_nor_refreshes_on_every_call() {
    for expires_in in ["0", "1", &u64::MAX.to_string()] {
        let (r, session) = restore_against(vec![common::Answer::json(200, token_body(expires_in))]).await;
        let session = session.unwrap_or_else(|e| panic!("expires_in {expires_in}: {e:?}"));
        for _ in 0..3 {
            session.access_token_or_error(false).await.unwrap();
        }
        assert_eq!(r.posts(), 1, "expires_in {expires_in}: the token is reused");
    }
}

#[tokio::test]
async fn a_discovery_document_for_another_host_is_refused_before_any_token_is_sent() {
    let r = common::Responder::start(vec![common::Answer::json(200, token_body("3600"))]).await;
    let mut p = profile(r.port);
    // The same responder under another loopback name: its document names 127.0.0.1, not localhost.
    p.authority = format!("http://localhost:{}/contoso.onmicrosoft.com", r.port)
        .parse()
        .unwrap();
    let store = store();
    store
        .save(&TokenStore::refresh_token_key(&p, &account().id), &Secret::new("rt"))
        .unwrap();
    let err = restore_session(&p, &account(), &store).await.unwrap_err();
    assert_eq!(err.kind, SignInErrorKind::Protocol);
    assert!(
        err.message.contains("does not belong to this sign-in address"),
        "{}",
        err.message
    );
    assert_eq!(r.posts(), 0, "the refresh token was not sent");
}

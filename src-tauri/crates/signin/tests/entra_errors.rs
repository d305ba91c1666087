//! Entra-shaped error bodies end to end: a tiny local responder plays the Entra token endpoint.

use std::sync::Arc;

use signin::{
    restore_session, sign_in_device_code, Account, AccountsFile, CancelHandle, Profile, Secret, SignInErrorKind,
    TokenStore,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves discovery for `/{tenant}/v2.0/...` and answers every POST with `status` + `body`.
async fn responder(status: u16, body: String) -> (u16, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let body = Arc::new(body);
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut s, _)) = listener.accept().await else {
                return;
            };
            let body = body.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 8192];
                let mut n = 0;
                loop {
                    let r = s.read(&mut buf[n..]).await.unwrap_or(0);
                    if r == 0 {
                        break;
                    }
                    n += r;
                    let head = String::from_utf8_lossy(&buf[..n]).to_string();
                    if let Some(end) = head.find("\r\n\r\n") {
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if n >= end + 4 + len {
                            break;
                        }
                    }
                }
                let head = String::from_utf8_lossy(&buf[..n]).to_string();
                let base = format!("http://127.0.0.1:{port}/contoso.onmicrosoft.com");
                let (code, text) = if head.starts_with("GET ") {
                    (
                        200,
                        serde_json::json!({
                            "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0",
                            "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
                            "token_endpoint": format!("{base}/oauth2/v2.0/token"),
                            "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
                        })
                        .to_string(),
                    )
                } else {
                    (status, body.to_string())
                };
                let resp = format!(
                    "HTTP/1.1 {code} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                );
                let _ = s.write_all(resp.as_bytes()).await;
            });
        }
    });
    (port, task)
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

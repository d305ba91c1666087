//! Captures every tracing event (all crates, TRACE level) during a full sign-in, refresh, restore,
//! sign-out and a device-code sign-in, plus everything the app would send over IPC (account, errors, Debug output), and checks
//! that no token or code appears in any of it. One test per binary: it installs a global subscriber.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{mock_token_store, Idp, Script, ScriptedBrowser};
use msgraph::TokenProvider;
use signin::{restore_session, AccountsFile, AuthCodeFlow, CancelHandle, InteractiveOptions};

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// Long: one scenario — every secret the flow makes is collected on the way and then looked for in the capture.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_token_or_code_in_logs_or_ipc_payloads_during_sign_in_and_refresh() {
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let Some(idp) = Idp::start(&[]) else { return };
    let profile = idp.profile();
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let browser = ScriptedBrowser::new("megan", Script::Complete);
    let cancel = CancelHandle::new();

    let mut flow = AuthCodeFlow::start(&profile, &InteractiveOptions::default())
        .await
        .unwrap();
    signin::BrowserOpener::open(&browser, flow.authorize_url()).unwrap();
    let code = flow.wait_for_code(&cancel).await.unwrap();
    let session = flow.redeem(&code, &store, &accounts).await.unwrap();

    let mut secrets: Vec<String> = browser.seen.lock().unwrap().codes.clone();
    secrets.push(store.load(session.keyring_key()).unwrap().unwrap().expose().to_string());
    secrets.push(session.access_token(false).await.unwrap().secret().to_string());
    secrets.push(session.access_token(true).await.unwrap().secret().to_string());
    secrets.push(store.load(session.keyring_key()).unwrap().unwrap().expose().to_string());
    let restored = restore_session(&profile, session.account(), &store).await.unwrap();
    secrets.push(restored.access_token(false).await.unwrap().secret().to_string());
    secrets.push(store.load(session.keyring_key()).unwrap().unwrap().expose().to_string());
    let stale_error = session.access_token_or_error(true).await.err();
    // Replaying the code makes oidc-provider revoke the grant (RFC 6749 §4.1.2), so do it last.
    let replay_error = flow.redeem(&code, &store, &accounts).await.unwrap_err();
    let after_replay = restored.access_token_or_error(true).await.unwrap_err();
    restored.sign_out(&accounts).await.unwrap();
    // The device-code flow goes through the same oauth2 client and token HTTP adapter.
    let device = signin::sign_in_device_code(
        &profile,
        &common::device_responder("adele", false),
        CancelHandle::new(),
        &store,
        &accounts,
    )
    .await
    .unwrap();
    secrets.push(store.load(device.keyring_key()).unwrap().unwrap().expose().to_string());
    secrets.push(device.access_token(false).await.unwrap().secret().to_string());
    secrets.push(device.access_token(true).await.unwrap().secret().to_string());
    assert!(
        secrets.len() >= 10 && secrets.iter().all(|s| s.len() >= 20),
        "collected real secrets"
    );

    let logs = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("signed in") && logs.contains("access token refreshed"),
        "logs were captured:\n{logs}"
    );
    let ipc = [
        serde_json::to_string(session.account()).unwrap(),
        serde_json::to_string(&replay_error).unwrap(),
        serde_json::to_string(&stale_error).unwrap(),
        serde_json::to_string(&after_replay).unwrap(),
        serde_json::to_string(&accounts.load().unwrap()).unwrap(),
        std::fs::read_to_string(accounts.path()).unwrap(),
        format!(
            "{session:?} {restored:?} {code:?} {flow:?} {replay_error:?} {stale_error:?} {after_replay:?} {device:?}"
        ),
    ];
    for s in &secrets {
        assert!(!logs.contains(s.as_str()), "a secret appeared in the logs");
        for payload in &ipc {
            assert!(
                !payload.contains(s.as_str()),
                "a secret appeared in an IPC payload / Debug output: {payload}"
            );
        }
    }
}

//! The loopback listener under a flood of idle connections: 5,000 connections that never send a
//! byte, then a full sign-in against oidc-provider through the same listener. The listener serves
//! at most `MAX_CONNECTIONS` (64) at a time, so almost all of the idle ones are closed at once
//! instead of each holding a task and a descriptor for 10 seconds.

mod common;

use std::io::Read;
use std::time::Duration;

use common::{mock_token_store, Idp, Script, ScriptedBrowser};
use signin::{AccountsFile, AuthCodeFlow, BrowserOpener, CancelHandle, InteractiveOptions};

const IDLE: usize = 5_000;

/// The soft limit on open files, read without `getrlimit` (each idle connection costs this
/// process a descriptor, and the listener's side another while it is served).
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

// Long: one scenario read top to bottom — open the flood, sign in through it, check the listener stayed bounded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_completes_through_a_listener_holding_5000_idle_connections() {
    let Some(idp) = Idp::start(&[]) else { return };
    // Leave room for the listener's side, the IdP connections and the test harness.
    let count = match open_files_limit() {
        Some(limit) if limit < 2 * IDLE + 512 => {
            let lowered = limit.saturating_sub(512) / 2;
            eprintln!("open-files limit {limit}: using {lowered} idle connections instead of {IDLE}");
            lowered
        }
        _ => IDLE,
    };
    let store = mock_token_store();
    let dir = tempfile::tempdir().unwrap();
    let accounts = AccountsFile::new(dir.path().join("accounts.json"));
    let mut flow = AuthCodeFlow::start(&idp.profile(), &InteractiveOptions::default())
        .await
        .unwrap();
    let port = url::Url::parse(flow.redirect_uri()).unwrap().port().unwrap();
    let authorize_url = flow.authorize_url().to_string();
    let waiter = tokio::spawn(async move {
        let code = flow.wait_for_code(&CancelHandle::new()).await;
        (flow, code)
    });

    let mut idle = Vec::with_capacity(count);
    for _ in 0..count {
        let s = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("idle connection");
        // A plain non-blocking socket, read below without the runtime.
        idle.push(s.into_std().unwrap());
    }

    // The listener closes all but the newest 64 (EOF or reset), well before the 10-second read
    // timeout that would otherwise end each of them.
    fn closed_count(idle: &[std::net::TcpStream]) -> usize {
        idle.iter()
            .filter(|s| {
                let mut buf = [0u8; 1];
                match (&**s).read(&mut buf) {
                    Ok(0) => true,
                    Ok(_) => false,
                    Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
                }
            })
            .count()
    }
    let started = std::time::Instant::now();
    let closed = loop {
        let closed;
        (idle, closed) = tokio::task::spawn_blocking(move || {
            let closed = closed_count(&idle);
            (idle, closed)
        })
        .await
        .unwrap();
        if closed + 64 >= count || started.elapsed() > Duration::from_secs(8) {
            break closed;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(
        closed + 64 >= count,
        "{closed} of {count} idle connections were closed; the listener should keep at most 64"
    );

    let browser = ScriptedBrowser::new("megan", Script::Complete);
    browser.open(&authorize_url).unwrap();
    let (flow, code) = tokio::time::timeout(Duration::from_secs(60), waiter)
        .await
        .expect("the redirect got through within a minute")
        .unwrap();
    let code = code.unwrap_or_else(|e| panic!("{e:?} / browser: {:?}", browser.seen.lock().unwrap()));
    let session = flow.redeem(&code, &store, &accounts).await.unwrap();
    assert!(session.account().username.starts_with("megan@"));
    let seen = browser.seen.lock().unwrap();
    assert!(seen
        .final_page
        .as_deref()
        .unwrap_or("")
        .contains("You can close this window"));
    drop(idle);
}

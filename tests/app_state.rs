//! The app's orchestration (`AppState`) without a window: the real practice tenant, the real
//! sign-in code path through a scripted browser, the real watcher on a temporary data folder, and a
//! recorder in place of the Tauri event sink. What a person would notice: which account is active,
//! what the tables read, what the window is told, and the sentences they see.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use entra_desk_lib::error::IpcError;
use entra_desk_lib::events::{DeviceCodeShown, GraphWait};
use entra_desk_lib::state::{AppState, EventSink, Outside, Overrides};
use entra_desk_lib::view::{AppSnapshot, PracticeSize, UserRow, WatchState, WatchStatus};
use signin::TokenStore;

mod common;
use common::ScriptedBrowser;

/// What the app told "the window".
#[derive(Default)]
struct Recorder {
    sessions: Mutex<Vec<AppSnapshot>>,
    statuses: Mutex<Vec<WatchStatus>>,
    changes: Mutex<Vec<String>>,
    waits: Mutex<Vec<Vec<GraphWait>>>,
}

impl EventSink for Recorder {
    fn session_changed(&self, snapshot: AppSnapshot) {
        self.sessions.lock().unwrap().push(snapshot);
    }
    fn watch_status(&self, status: WatchStatus) {
        self.statuses.lock().unwrap().push(status);
    }
    fn device_code(&self, _shown: DeviceCodeShown) {}
    fn graph_waits(&self, waits: Vec<GraphWait>) {
        self.waits.lock().unwrap().push(waits);
    }
    fn directory_changed(&self, batch: &watch::ChangeBatch) {
        self.changes
            .lock()
            .unwrap()
            .extend(batch.events.iter().map(|e| e.summary.clone()));
    }
}

struct App {
    state: AppState,
    sink: Arc<Recorder>,
    browser: Arc<ScriptedBrowser>,
    _dir: tempfile::TempDir,
}

/// The practice tenant's admin API secret in these tests (the app takes it from its overrides).
const ADMIN_SECRET: &str = "app-state-test-secret";

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let sink = Arc::new(Recorder::default());
    let browser = Arc::new(ScriptedBrowser::new("admin@contoso.com"));
    let outside = Outside {
        sink: sink.clone(),
        browser: browser.clone(),
        tokens: TokenStore::with_store("entra-desk-test", keyring_core::mock::Store::new().unwrap()),
    };
    let state = AppState::new(
        dir.path().join("config"),
        dir.path().join("data"),
        Overrides {
            watch_interval_secs: Some(watch::MIN_POLL_SECS),
            practice_admin_secret: Some(ADMIN_SECRET.into()),
            ..Overrides::default()
        },
        outside,
    );
    App {
        state,
        sink,
        browser,
        _dir: dir,
    }
}

/// Waits for a completed check after `after` (an RFC 3339 time, or none yet).
async fn checked_after(state: &AppState, after: Option<String>) -> String {
    for _ in 0..200 {
        let s = state.watch_status().await;
        if let Some(checked) = s
            .last_checked
            .filter(|c| s.state == WatchState::Watching && Some(c) > after.as_ref())
        {
            return checked;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no check completed: {:?}", state.watch_status().await);
}

async fn people(state: &AppState) -> (u32, Vec<String>) {
    let page = state
        .query_directory(
            watch::Resource::Users,
            watch::ListQuery::default(),
            UserRow::from_record,
        )
        .await
        .unwrap();
    (
        page.total,
        page.rows.into_iter().filter_map(|r| r.display_name).collect(),
    )
}

async fn another_admin_creates(state_base: &str, name: &str, nickname: &str) {
    let created = reqwest::Client::new()
        .post(format!("{state_base}/_sandbox/users"))
        .header(sandbox::ADMIN_SECRET_HEADER, ADMIN_SECRET)
        .json(&serde_json::json!({
            "accountEnabled": true, "displayName": name, "mailNickname": nickname,
            "userPrincipalName": format!("{nickname}@contoso.com"),
            "passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

/// The practice tenant's address, from its discovery document's issuer.
fn practice_base(app: &App) -> String {
    let port = std::fs::read_to_string(app._dir.path().join("data/practice-tenant.port")).unwrap();
    format!("http://127.0.0.1:{}", port.trim())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_sign_in_every_read_says_to_sign_in_first() {
    let app = app();
    let err = app
        .state
        .query_directory(
            watch::Resource::Users,
            watch::ListQuery::default(),
            UserRow::from_record,
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "You are not signed in. Sign in to your organization or open the practice tenant."
    );
    assert!(matches!(err, IpcError::NotSignedIn { .. }));
    let err = app.state.reset_practice_tenant(PracticeSize::Sample).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "The practice tenant is not open. Open it first, then reset it."
    );
    assert_eq!(app.state.watch_status().await.state, WatchState::NotWatching);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_practice_tenant_opens_is_watched_and_the_tables_follow_another_admin() {
    let app = app();
    let admin = app.state.open_practice_tenant(false).await.unwrap();
    assert_eq!(admin.display_name, "MOD Administrator");
    let told = app.sink.sessions.lock().unwrap().last().cloned().unwrap();
    assert_eq!(told.active_account_id.as_deref(), Some(admin.id.as_str()));

    let first = checked_after(&app.state, None).await;
    let (total, names) = people(&app.state).await;
    assert_eq!(total, 8, "{names:?}");
    assert!(names.contains(&"Adele Vance".to_string()));

    another_admin_creates(&practice_base(&app), "Nestor Wilke", "NestorW").await;
    app.state.check_now().await.unwrap();
    checked_after(&app.state, Some(first)).await;
    let (total, names) = people(&app.state).await;
    assert_eq!(total, 9);
    assert!(names.contains(&"Nestor Wilke".to_string()));
    assert!(
        app.sink
            .changes
            .lock()
            .unwrap()
            .iter()
            .any(|s| s.contains("Nestor Wilke")),
        "the window was told: {:?}",
        app.sink.changes.lock().unwrap()
    );
    let found = app.state.find_person("nestorw@contoso.com".into()).await.unwrap();
    assert_eq!(found.and_then(|p| p.display_name).as_deref(), Some("Nestor Wilke"));
    // The window was told the watcher's state as it went.
    assert!(app
        .sink
        .statuses
        .lock()
        .unwrap()
        .iter()
        .any(|s| s.state == WatchState::Watching));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_accounts_quickly_leaves_one_watcher_and_signing_out_stops_it() {
    let app = app();
    let admin = app.state.open_practice_tenant(false).await.unwrap();
    app.browser.choose("AdeleV@contoso.com");
    let adele = app.state.open_practice_tenant(false).await.unwrap();
    assert_eq!(adele.display_name, "Adele Vance");
    let snap = app.state.snapshot().await;
    assert_eq!(snap.accounts.len(), 2);
    assert_eq!(snap.active_account_id.as_deref(), Some(adele.id.as_str()));

    // Several quick switches at once: each one stops the previous watcher before starting its own.
    let state = Arc::new(app.state);
    let mut switches = Vec::new();
    for i in 0..6 {
        let state = state.clone();
        let id = if i % 2 == 0 { admin.id.clone() } else { adele.id.clone() };
        switches.push(tokio::spawn(async move { state.switch_account(&id).await }));
    }
    for s in switches {
        s.await.unwrap().unwrap();
    }
    let active = state.snapshot().await.active_account_id.unwrap();
    assert!(active == admin.id || active == adele.id);
    checked_after(&state, None).await;
    assert_eq!(people(&state).await.0, 8);

    // Signing out the active account moves to the other; signing out the last stops watching.
    state.sign_out(&active).await.unwrap();
    let snap = state.snapshot().await;
    assert_eq!(snap.accounts.len(), 1);
    assert_ne!(snap.active_account_id.as_deref(), Some(active.as_str()));
    let other = snap.active_account_id.unwrap();
    state.sign_out(&other).await.unwrap();
    let snap = app.sink.sessions.lock().unwrap().last().cloned().unwrap();
    assert!(snap.accounts.is_empty() && snap.active_account_id.is_none());
    assert_eq!(state.watch_status().await.state, WatchState::NotWatching);
    assert!(matches!(state.check_now().await, Err(IpcError::NotSignedIn { .. })));

    // No watcher was left running behind the switches: past one poll interval, nothing more was
    // said about the watcher.
    let said = app.sink.statuses.lock().unwrap().len();
    tokio::time::sleep(Duration::from_secs(watch::MIN_POLL_SECS + 2)).await;
    let after: Vec<WatchStatus> = app.sink.statuses.lock().unwrap()[said..].to_vec();
    assert!(after.is_empty(), "a watcher still runs after every sign-out: {after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starting_the_practice_tenant_over_brings_back_the_sample_and_clears_its_history() {
    let app = app();
    app.state.open_practice_tenant(false).await.unwrap();
    let first = checked_after(&app.state, None).await;
    another_admin_creates(&practice_base(&app), "Nestor Wilke", "NestorW").await;
    app.state.check_now().await.unwrap();
    checked_after(&app.state, Some(first)).await;
    assert_eq!(people(&app.state).await.0, 9);
    assert!(!app.state.activity(100).await.unwrap().is_empty());

    app.state.reset_practice_tenant(PracticeSize::Sample).await.unwrap();
    checked_after(&app.state, None).await;
    let (total, names) = people(&app.state).await;
    assert_eq!(total, 8);
    assert!(!names.contains(&"Nestor Wilke".to_string()));
    assert!(
        app.state.activity(100).await.unwrap().is_empty(),
        "a fresh sample is not news"
    );
    // Still signed in to the same account.
    assert_eq!(app.state.snapshot().await.accounts.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn role_holders_are_read_from_graph_once_then_from_the_copy() {
    let app = app();
    app.state.open_practice_tenant(false).await.unwrap();
    checked_after(&app.state, None).await;
    const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
    let before = app
        .state
        .query_role_holders(GLOBAL_ADMIN.into(), watch::ListQuery::default())
        .await
        .unwrap();
    assert!(
        before.rows.is_empty() && before.as_of.is_none(),
        "not read yet: not known"
    );
    assert!(app
        .state
        .refresh_role_holders("Global Administrator".into(), false)
        .await
        .unwrap());
    let holders = app
        .state
        .query_role_holders(GLOBAL_ADMIN.into(), watch::ListQuery::default())
        .await
        .unwrap();
    let names: Vec<_> = holders.rows.iter().filter_map(|m| m.display_name.clone()).collect();
    assert!(names.contains(&"MOD Administrator".to_string()), "{names:?}");
    assert!(holders.as_of.is_some());
    // Fresh: the copy answers without asking Graph; `force` asks anyway.
    assert!(!app
        .state
        .refresh_role_holders(GLOBAL_ADMIN.into(), false)
        .await
        .unwrap());
    assert!(app.state.refresh_role_holders(GLOBAL_ADMIN.into(), true).await.unwrap());
    // A role that is not built in is refused in plain words, before Graph is asked.
    let err = app
        .state
        .refresh_role_holders("Chief Coffee Officer".into(), false)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is not a built-in role"), "{err}");
}

/// Bad local files never lock anyone out: a damaged accounts file, practice-tenant state and local copy
/// are each set aside (kept, not deleted), the person is told where, and the practice tenant opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn damaged_local_files_are_set_aside_and_the_practice_tenant_still_opens() {
    let app = app();
    let root = app._dir.path();
    std::fs::create_dir_all(root.join("config")).unwrap();
    std::fs::create_dir_all(root.join("data/watch")).unwrap();
    std::fs::write(root.join("config/accounts.json"), b"{\"accounts\": [").unwrap();
    std::fs::write(root.join("data/practice-tenant.json"), b"{\"tenant_id\": 42").unwrap();

    let admin = app.state.open_practice_tenant(false).await.unwrap();
    assert_eq!(admin.display_name, "MOD Administrator");
    checked_after(&app.state, None).await;
    assert_eq!(people(&app.state).await.0, 8, "the sample organisation");
    let notices = app.state.snapshot().await.notices;
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(
        notices
            .iter()
            .any(|n| n.contains("accounts.json.damaged-") && n.contains("Sign in again")),
        "{notices:?}"
    );
    assert!(
        notices
            .iter()
            .any(|n| n.contains("practice-tenant.json.damaged-") && n.contains("sample organisation")),
        "{notices:?}"
    );
    for kept in ["config/accounts.json.damaged-", "data/practice-tenant.json.damaged-"] {
        let (dir, prefix) = kept.rsplit_once('/').unwrap();
        let found = std::fs::read_dir(root.join(dir))
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(prefix));
        assert!(found, "{kept} is kept");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for private in [
            "config/accounts.json",
            "data/practice-tenant.json",
            "data/practice-tenant.port",
        ] {
            let mode = std::fs::metadata(root.join(private)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{private}");
        }
    }
}

/// A long wait Microsoft Graph asks of the app's own action (429, Retry-After 30 s) is told to the window
/// and can be stopped: the action ends at once, nothing is sent again, nothing changed. The watcher's own
/// checks wait without telling.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_wait_for_graph_is_shown_and_stopping_it_changes_nothing() {
    let app = app();
    app.state.open_practice_tenant(false).await.unwrap();
    checked_after(&app.state, None).await;
    let secret = [(sandbox::ADMIN_SECRET_HEADER, ADMIN_SECRET)];
    let http = reqwest::Client::new();
    let fault =
        serde_json::json!({"kind": "throttle", "method": "PATCH", "path": "/users", "retry_after": 30, "count": 1});
    let mut post = http
        .post(format!("{}/_sandbox/faults", practice_base(&app)))
        .json(&fault);
    for (k, v) in secret {
        post = post.header(k, v);
    }
    assert!(post.send().await.unwrap().status().is_success());

    let graph = app.state.graph().await.unwrap();
    let saving = tokio::spawn(async move {
        let change = msgraph::UserUpdate {
            profile: msgraph::UserProfile {
                job_title: Some(Some("Waited".into())),
                ..Default::default()
            },
            ..Default::default()
        };
        directory::users::update(&graph, "AdeleV@contoso.com", &change).await
    });
    let shown = loop {
        if let Some(w) = app.sink.waits.lock().unwrap().last().and_then(|w| w.first().cloned()) {
            break w;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(shown.request.starts_with("PATCH /v1.0/users/"), "{shown:?}");
    assert_eq!((shown.status, shown.seconds), (Some(429), 30));

    app.state.stop_waiting();
    let result = tokio::time::timeout(Duration::from_secs(5), saving)
        .await
        .expect("stopped at once")
        .unwrap();
    let err = IpcError::from(result.unwrap_err());
    assert!(matches!(err, IpcError::Cancelled { .. }), "{err:?}");
    assert!(err.to_string().contains("not sent again"), "{err}");
    assert_eq!(
        app.sink.waits.lock().unwrap().last(),
        Some(&vec![]),
        "the window is told the wait ended"
    );
    let adele = directory::users::get(&app.state.graph().await.unwrap(), "AdeleV@contoso.com")
        .await
        .unwrap();
    assert_ne!(adele.job_title.as_deref(), Some("Waited"), "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_sign_in_reads_and_watches_but_sends_no_change() {
    let app = app();
    let reader = app.state.open_practice_tenant(true).await.unwrap();
    assert!(reader.read_only, "{reader:?}");
    assert!(reader.id.ends_with(signin::READ_ONLY_ACCOUNT_SUFFIX), "{}", reader.id);
    // It reads and watches like any sign-in.
    checked_after(&app.state, None).await;
    let (total, names) = people(&app.state).await;
    assert!(total > 0 && names.iter().any(|n| n == "Adele Vance"), "{names:?}");

    // A change is refused before it is sent: nothing reaches the practice tenant.
    let http = reqwest::Client::new();
    let log = || async {
        let v: serde_json::Value = http
            .get(format!("{}/_sandbox/requests", practice_base(&app)))
            .header(sandbox::ADMIN_SECRET_HEADER, ADMIN_SECRET)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v.to_string()
    };
    let change = msgraph::UserUpdate {
        profile: msgraph::UserProfile {
            job_title: Some(Some("Changed while read-only".into())),
            ..Default::default()
        },
        ..Default::default()
    };
    let graph = app.state.graph().await.unwrap();
    let err = IpcError::from(
        directory::users::update(&graph, "AdeleV@contoso.com", &change)
            .await
            .unwrap_err(),
    );
    assert!(matches!(err, IpcError::ReadOnly { .. }), "{err:?}");
    assert!(err.to_string().contains("read-only"), "{err}");
    let err = IpcError::from(
        directory::users::set_enabled(&graph, "AdeleV@contoso.com", false)
            .await
            .unwrap_err(),
    );
    assert!(matches!(err, IpcError::ReadOnly { .. }), "{err:?}");
    let sent = log().await;
    assert!(
        !sent.contains("\"PATCH\""),
        "a change reached the practice tenant: {sent}"
    );
    let adele = directory::users::get(&graph, "AdeleV@contoso.com").await.unwrap();
    assert!(adele.account_enabled.unwrap_or(true));

    // The same person signed in with full access is a second account beside it, and can change things.
    let admin = app.state.open_practice_tenant(false).await.unwrap();
    assert!(!admin.read_only && admin.id != reader.id);
    let snapshot = app.state.snapshot().await;
    let flags: Vec<(bool, &str)> = snapshot
        .accounts
        .iter()
        .map(|a| (a.read_only, a.display_name.as_str()))
        .collect();
    assert_eq!(flags.len(), 2, "{flags:?}");
    assert!(flags.iter().any(|f| f.0) && flags.iter().any(|f| !f.0), "{flags:?}");
    directory::users::update(&app.state.graph().await.unwrap(), "AdeleV@contoso.com", &change)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn show_the_request_runs_the_action_for_real_but_sends_no_change() {
    use entra_desk_lib::commands::preview::{preview, PreviewAction};
    let app = app();
    app.state.open_practice_tenant(false).await.unwrap();
    checked_after(&app.state, None).await;
    let http = reqwest::Client::new();
    let since = |v: serde_json::Value| {
        v["value"]
            .as_array()
            .unwrap()
            .last()
            .map(|l| l["seq"].as_u64().unwrap())
            .unwrap_or(0)
    };
    let log = |after: u64| {
        let http = http.clone();
        let url = format!("{}/_sandbox/requests?since={after}", practice_base(&app));
        async move {
            http.get(url)
                .header(sandbox::ADMIN_SECRET_HEADER, ADMIN_SECRET)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let before = since(log(0).await);

    // Block sign-in: the look-up is real, the PATCH is shown and not sent.
    let shown = preview(
        &app.state,
        PreviewAction::SetUserEnabled {
            key: "AdeleV@contoso.com".into(),
            enabled: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].method, "PATCH");
    assert!(
        shown[0]
            .url
            .contains("/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd"),
        "{}",
        shown[0].url
    );
    assert!(shown[0].body.as_deref().unwrap().contains("\"accountEnabled\": false"));
    assert!(
        shown[0]
            .powershell
            .starts_with("Invoke-MgGraphRequest -Method PATCH -Uri 'http"),
        "{}",
        shown[0].powershell
    );

    // A new user with a group: the create (password masked) and the membership that names the new id.
    let request: directory::new_user::NewUserRequest = serde_json::from_value(serde_json::json!({
        "user": {"accountEnabled": true, "displayName": "Preview Person", "mailNickname": "preview",
                 "userPrincipalName": "preview@contoso.com",
                 "passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d"}},
        "groups": ["HR Taskforce"]
    }))
    .unwrap();
    let shown = preview(&app.state, PreviewAction::CreateUser { request })
        .await
        .unwrap();
    let lines: Vec<String> = shown.iter().map(|r| format!("{} {}", r.method, r.url)).collect();
    assert_eq!(shown.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with("POST ") && lines[0].ends_with("/v1.0/users"),
        "{lines:?}"
    );
    let create = shown[0].body.as_deref().unwrap();
    assert!(create.contains("••••••••") && !create.contains("xWwvJ"), "{create}");
    assert!(lines[1].contains("/members/$ref"), "{lines:?}");
    assert!(shown[1].body.as_deref().unwrap().contains(msgraph::PREVIEW_ID));

    // Invite a guest: the invitation is shown (the guest account it would make is not read from Graph).
    let guest: entra_desk_lib::view::GuestForm = serde_json::from_value(serde_json::json!({
        "email": "kim.preview@fabrikam.com", "displayName": "Kim Preview", "redirectUrl": null,
        "sendInvitationMessage": true, "message": null, "messageLanguage": "fr-FR", "cc": null,
        "ccName": null, "asMember": false
    }))
    .unwrap();
    let shown = preview(&app.state, PreviewAction::InviteGuest { guest }).await.unwrap();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(shown[0].url.ends_with("/v1.0/invitations"), "{}", shown[0].url);
    let body = shown[0].body.as_deref().unwrap();
    assert!(
        body.contains("kim.preview@fabrikam.com") && body.contains("fr-FR"),
        "{body}"
    );

    // Reset password: the new password never shows.
    let shown = preview(
        &app.state,
        PreviewAction::ResetPassword {
            key: "AdeleV@contoso.com".into(),
            must_change: true,
        },
    )
    .await
    .unwrap();
    let body = shown.last().unwrap().body.as_deref().unwrap();
    assert!(
        body.contains("••••••••") && body.contains("forceChangePasswordNextSignIn"),
        "{body}"
    );

    // A role in the whole directory: the role assignment Graph would be sent.
    let shown = preview(
        &app.state,
        PreviewAction::AssignRole {
            user_id: "AdeleV@contoso.com".into(),
            role_template_id: "Helpdesk Administrator".into(),
            scope: None,
        },
    )
    .await
    .unwrap();
    let last = shown.last().unwrap();
    assert_eq!(last.method, "POST", "{shown:?}");
    assert!(
        last.url.contains("roleAssignments") || last.url.contains("/members/$ref"),
        "{}",
        last.url
    );

    // A search shows what it reads (sent for real: reading changes nothing).
    let search: directory::groups::MemberSearch = serde_json::from_value(serde_json::json!({
        "text": "adele", "relation": "members", "nested": false
    }))
    .unwrap();
    let shown = preview(
        &app.state,
        PreviewAction::SearchGroupMembers {
            group_id: "HR Taskforce".into(),
            search,
        },
    )
    .await
    .unwrap();
    assert!(!shown.is_empty(), "a search shows its requests");
    assert!(shown.iter().all(|r| r.method == "GET"), "{shown:?}");
    assert!(
        shown
            .iter()
            .any(|r| r.url.contains("/members?") && r.url.contains("top=999")),
        "{:?}",
        shown.iter().map(|r| &r.url).collect::<Vec<_>>()
    );

    // Bad input is refused as the action would refuse it.
    let bad = preview(
        &app.state,
        PreviewAction::SetManager {
            key: "AdeleV@contoso.com".into(),
            manager: "nobody-here@contoso.com".into(),
        },
    )
    .await;
    assert!(bad.is_err());

    // Nothing that changes anything reached the practice tenant.
    let sent = log(before).await.to_string();
    for method in ["\"PATCH\"", "\"POST\"", "\"PUT\"", "\"DELETE\""] {
        assert!(!sent.contains(method), "{method} reached the practice tenant: {sent}");
    }
    let adele = directory::users::get(&app.state.graph().await.unwrap(), "AdeleV@contoso.com")
        .await
        .unwrap();
    assert_eq!(adele.account_enabled, Some(true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_job_runs_in_its_own_task_and_one_left_running_is_offered_after_a_restart() {
    use entra_desk_lib::bulk;
    let app = app();
    app.state.open_practice_tenant(false).await.unwrap();
    checked_after(&app.state, None).await;
    let graph = app.state.graph().await.unwrap();
    let mut ids = Vec::new();
    for upn in ["AdeleV@contoso.com", "AlexW@contoso.com"] {
        ids.push(
            directory::users::get(&graph, upn)
                .await
                .unwrap()
                .id
                .as_str()
                .to_string(),
        );
    }
    let plan = bulk::plan(&app.state, jobs::JobKind::Block, ids.clone()).await.unwrap();
    assert_eq!(plan.job.title, "Block sign-in");
    assert_eq!(plan.job.counts.will_change, 2);
    let first_job = plan.job.id;
    let started = bulk::start(&app.state, plan.job.id, &[1, 2]).await.unwrap();
    let told: Mutex<Vec<jobs::JobProgress>> = Mutex::default();
    let tell = |p: &jobs::JobProgress, e: Option<String>| {
        assert!(e.is_none(), "{e:?}");
        told.lock().unwrap().push(p.clone());
    };
    bulk::drive(&app.state, started, &tell).await;
    let last = told.lock().unwrap().last().cloned().unwrap();
    assert_eq!((last.state, last.done), (jobs::JobState::Finished, 2));
    // Written through: the Users table (the local copy) shows them blocked at once.
    for id in &ids {
        let row = app.state.find_person(id.clone()).await.unwrap().unwrap();
        assert_eq!(row.account_enabled, Some(false), "{row:?}");
    }

    // A job confirmed but never run here (as after the app was killed mid-job) is offered.
    let plan = bulk::plan(&app.state, jobs::JobKind::Unblock, ids.clone())
        .await
        .unwrap();
    let (path, jobs_here) = app.state.bulk_jobs().await.unwrap();
    jobs::confirm(&jobs_here.store(&path).unwrap(), plan.job.id, &[1, 2]).unwrap();
    let offered = jobs_here.unfinished(&path).unwrap();
    assert_eq!(offered.iter().map(|j| j.id).collect::<Vec<_>>(), [plan.job.id]);
    let started = bulk::resume(&app.state, plan.job.id).await.unwrap();
    assert!(
        bulk::resume(&app.state, plan.job.id).await.is_err(),
        "a job is never run twice at once"
    );
    bulk::drive(&app.state, started, &|_, e| assert!(e.is_none(), "{e:?}")).await;
    assert!(jobs_here.unfinished(&path).unwrap().is_empty());
    let adele = directory::users::get(&graph, "AdeleV@contoso.com").await.unwrap();
    assert_eq!(adele.account_enabled, Some(true));

    // Both jobs journaled, one entry a row with its job; a row is undone as a single change is.
    let (journal, _) = app.state.journal().await.unwrap();
    let entries = journal.unwrap().list(&journal::Filter::default()).unwrap();
    let of_job = |id: u32| -> Vec<&journal::Entry> {
        entries
            .iter()
            .filter(|e| e.job.as_ref().is_some_and(|j| j.job_id == id.to_string()))
            .collect()
    };
    let (blocked, unblocked) = (of_job(first_job), of_job(plan.job.id));
    assert_eq!((blocked.len(), unblocked.len()), (2, 2), "{entries:?}");
    assert!(blocked
        .iter()
        .all(|e| e.action == journal::Action::Block && ids.contains(&e.target.id)));
    let alex = unblocked.iter().find(|e| e.target.id == ids[1]).unwrap();
    assert_eq!(alex.action, journal::Action::Unblock);
    entra_desk_lib::commands::changes::run(&app.state, alex.id)
        .await
        .unwrap();
    let alex_now = directory::users::get(&graph, "AlexW@contoso.com").await.unwrap();
    assert_eq!(alex_now.account_enabled, Some(false), "the undo blocks Alex again");

    // The whole unblock job undone in one go: a block job over its done rows, checked again first
    // (Alex's row was undone on its own since, so it is already so and skipped).
    let undo = bulk::plan_undo(&app.state, plan.job.id).await.unwrap();
    assert_eq!(
        (undo.job.title.as_str(), undo.job.undoes),
        ("Block sign-in", Some(plan.job.id))
    );
    let answers: Vec<bool> = undo.rows.iter().map(|r| r.check.will_change()).collect();
    assert_eq!(answers, [true, false], "{:?}", undo.rows);
    let started = bulk::start(&app.state, undo.job.id, &[1]).await.unwrap();
    bulk::drive(&app.state, started, &|_, e| assert!(e.is_none(), "{e:?}")).await;
    let adele = directory::users::get(&graph, "AdeleV@contoso.com").await.unwrap();
    assert_eq!(
        adele.account_enabled,
        Some(false),
        "the job's undo blocks Adele again in Graph"
    );
    let (journal, _) = app.state.journal().await.unwrap();
    let journal = journal.unwrap();
    let undone = journal.of_job(&plan.job.id.to_string()).unwrap();
    let adele_unblocked = undone.iter().find(|e| e.target.id == ids[0]).unwrap();
    let by = adele_unblocked
        .undone_by
        .expect("the job's undo marks the row it undid");
    assert_eq!(
        journal.get(by).unwrap().unwrap().job.unwrap().job_id,
        undo.job.id.to_string()
    );
    let (path, jobs_here) = app.state.bulk_jobs().await.unwrap();
    let original = jobs_here.store(&path).unwrap().job(plan.job.id).unwrap().unwrap();
    assert_eq!(original.undone_by, Some(undo.job.id));
    let again = bulk::plan_undo(&app.state, plan.job.id).await.unwrap_err();
    assert!(again.to_string().contains("already undone"), "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_import_is_checked_fixed_run_and_journaled_and_its_passwords_go_nowhere() {
    use entra_desk_lib::{bulk, import};
    const PASSWORD: &str = "Harbour-Maple-93";
    let app = app();
    app.state.open_practice_tenant(false).await.unwrap();
    checked_after(&app.state, None).await;
    let graph = app.state.graph().await.unwrap();
    let text = format!(
        "Display name,Sign-in name,Temporary password,Job title,Department,Usage location\n\
         Csv One,csv.one@contoso.com,{PASSWORD},,,\n\
         Csv Two,csv two@contoso.com,{PASSWORD},,,\n\
         Csv Three,csv.three@contoso.com,{PASSWORD},,,\n"
    );
    let kind = directory::import::ImportKind::CreateUsers;
    let check = import::open(&app.state, kind, "people.csv".into(), &text)
        .await
        .unwrap();
    let shown = serde_json::to_string(&check).unwrap();
    assert!(!shown.contains(PASSWORD), "no password crosses IPC: {shown}");
    let bad = check.lines.iter().find(|l| l.problem.is_some()).unwrap();
    assert_eq!(
        (bad.line, bad.problem.as_ref().unwrap().column.as_deref()),
        (3, Some("Sign-in name"))
    );

    let refused = import::plan(&app.state, check.import_id, vec![], None)
        .await
        .unwrap_err();
    assert_eq!(
        refused.to_string(),
        "Line 3 still has a problem: fix it or skip it. Nothing has been sent."
    );
    let exists = |upn: &'static str| {
        let graph = graph.clone();
        async move { directory::users::get(&graph, upn).await.is_ok() }
    };
    assert!(
        !exists("csv.one@contoso.com").await,
        "nothing sent while a bad line is left"
    );

    let mut typed: Vec<Option<String>> = bad.cells.clone();
    typed[1] = Some("csv.two@contoso.com".into());
    assert_eq!(typed[2], None, "the password cell is kept, never shown");
    let fixed = import::fix(&app.state, check.import_id, 3, typed).unwrap();
    assert!(fixed.lines.iter().all(|l| l.problem.is_none()));
    let plan = import::plan(&app.state, check.import_id, vec![], None).await.unwrap();
    assert_eq!(plan.job.counts.will_change, 3);
    assert!(!serde_json::to_string(&plan).unwrap().contains(PASSWORD));
    let started = bulk::start(&app.state, plan.job.id, &[1, 2, 3]).await.unwrap();
    bulk::drive(&app.state, started, &|_, e| assert!(e.is_none(), "{e:?}")).await;
    for upn in ["csv.one@contoso.com", "csv.two@contoso.com", "csv.three@contoso.com"] {
        assert!(exists(upn).await, "{upn} was created");
    }

    let (journal, _) = app.state.journal().await.unwrap();
    let entries = journal.unwrap().list(&journal::Filter::default()).unwrap();
    let created: Vec<&journal::Entry> = entries
        .iter()
        .filter(|e| e.job.as_ref().is_some_and(|j| j.job_id == plan.job.id.to_string()))
        .collect();
    assert_eq!(created.len(), 3, "{entries:?}");
    assert!(created.iter().all(|e| e.action == journal::Action::CreateUser));
    assert!(!format!("{entries:?}").contains(PASSWORD), "no password in the journal");
    let (path, _) = app.state.bulk_jobs().await.unwrap();
    let file = std::fs::read(&path).unwrap_or_default();
    let wal = std::fs::read(format!("{}-wal", path.display())).unwrap_or_default();
    for bytes in [file, wal] {
        assert!(
            !bytes.windows(PASSWORD.len()).any(|w| w == PASSWORD.as_bytes()),
            "no password in the jobs file"
        );
    }
}

//! The engine against the in-memory tenant: batches, status, back-off, pause, restart, resync.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::future::BoxFuture;
use msgraph::{DeltaPage, DeltaStart};
use time::macros::{datetime, offset};
use time::OffsetDateTime;
use tokio::sync::mpsc;
use watch::fake::{self, FakeTenant};
use watch::testkit::object_from_json;
use watch::{
    summarize_batch, ChangeBatch, Clock, DeltaPages, DeltaSource, Engine, EngineOptions, EventKind, EventQuery,
    KindRule, Mirror, Resource, SourceError, SourceErrorKind, WatchRules, WatchState,
};

const START: OffsetDateTime = datetime!(2026-11-26 10:42 UTC);

struct TestClock(Mutex<OffsetDateTime>);

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    fn advance(&self, minutes: i64) {
        *self.0.lock().unwrap() += time::Duration::minutes(minutes);
    }
}

fn tenant() -> FakeTenant {
    let t = FakeTenant::new();
    t.create_user(ADELE, fake::user_props("Adele Vance", "AdeleV@contoso.com"));
    t.create_user("u-megan", fake::user_props("Megan Bowen", "MeganB@contoso.com"));
    t.create_group("g-sales", fake::group_props("Sales"));
    t.add_member("g-sales", "u-megan", fake::USER_TYPE);
    t
}

const ADELE: &str = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";

struct Running {
    engine: Engine,
    batches: mpsc::Receiver<ChangeBatch>,
    clock: Arc<TestClock>,
}

fn start(source: Arc<dyn DeltaSource>, db: &std::path::Path, clock: Arc<TestClock>) -> Running {
    let options = EngineOptions {
        clock: clock.clone(),
        jitter_seed: Some(1),
        batch_capacity: 16,
        ..EngineOptions::new(db)
    };
    let (engine, batches) = Engine::start(source, options).unwrap();
    Running { engine, batches, clock }
}

async fn wait_checks(engine: &Engine, n: u64) -> watch::WatchStatus {
    let mut status = engine.status();
    loop {
        {
            let s = status.borrow_and_update();
            if s.checks >= n {
                return s.clone();
            }
        }
        status.changed().await.unwrap();
    }
}

/// Checks now and returns the batch it produced.
async fn check(r: &mut Running) -> ChangeBatch {
    r.clock.advance(1);
    r.engine.poll_now();
    r.batches.recv().await.unwrap()
}

fn summaries(batch: &ChangeBatch) -> Vec<String> {
    batch.events.iter().map(|e| e.summary.clone()).collect()
}

#[tokio::test(start_paused = true)]
async fn first_check_is_silent_then_changes_arrive_as_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &dir.path().join("m.sqlite3"), clock);

    // The first sync only builds the mirror: its batch tells the shell to refresh, no events.
    let first = r.batches.recv().await.unwrap();
    assert!(first.events.is_empty());
    assert_eq!(first.changed.len(), 2);
    assert_eq!(summarize_batch(&first), None);
    let status = wait_checks(&r.engine, 1).await;
    assert_eq!(status.state, WatchState::Idle);
    assert_eq!(status.last_checked, Some(START));
    let next = status.next_check.unwrap();
    assert!(next >= START + Duration::from_secs(54) && next <= START + Duration::from_secs(66));

    t.add_member("g-sales", ADELE, fake::USER_TYPE);
    let batch = check(&mut r).await;
    assert_eq!(summaries(&batch), vec!["Adele Vance was added to Sales"]);
    let text = summarize_batch(&batch).unwrap();
    assert_eq!(
        (text.title.as_str(), text.body.as_str()),
        ("Member added", "Adele Vance was added to Sales")
    );

    for i in 0..9 {
        t.create_user(
            &format!("u{i}"),
            fake::user_props(&format!("New {i}"), &format!("new{i}@contoso.com")),
        );
    }
    for i in 0..3 {
        t.add_member("g-sales", &format!("u{i}"), fake::USER_TYPE);
    }
    let batch = check(&mut r).await;
    let text = summarize_batch(&batch).unwrap();
    assert_eq!(text.title, "12 directory changes");
    assert_eq!(text.body, "9 users created, 3 members added to Sales");
    r.engine.stop().await;
}

#[tokio::test(start_paused = true)]
async fn an_expired_token_resyncs_and_reports_only_real_differences() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &dir.path().join("m.sqlite3"), clock);
    r.batches.recv().await.unwrap();

    t.update(
        Resource::Users,
        ADELE,
        serde_json::from_str(r#"{"jobTitle":"Retail Manager"}"#).unwrap(),
    );
    t.remove_member("g-sales", "u-megan");
    t.expire_cursors();
    let batch = check(&mut r).await;
    assert_eq!(
        summaries(&batch),
        vec![
            "User updated: Adele Vance (AdeleV@contoso.com) — job title: (empty) → Retail Manager",
            "Megan Bowen was removed from Sales"
        ]
    );
    assert!(batch.events.iter().all(|e| e.resync));
    // Both resources were walked in full after the expiry.
    let walks = t.walks();
    assert!(walks.iter().rev().take(2).all(|w| w.from.is_none()));
    r.engine.stop().await;
}

#[tokio::test(start_paused = true)]
async fn throttling_waits_as_told_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &dir.path().join("m.sqlite3"), clock.clone());
    r.batches.recv().await.unwrap();
    wait_checks(&r.engine, 1).await;

    t.fail_next(SourceError {
        kind: SourceErrorKind::Throttled,
        retry_after: Some(Duration::from_secs(120)),
        message: "Too many requests".into(),
    });
    t.create_user("u-new", fake::user_props("Nestor Wilke", "NestorW@contoso.com"));
    clock.advance(1);
    r.engine.poll_now();
    let status = wait_checks(&r.engine, 2).await;
    assert_eq!(status.state, WatchState::Throttled);
    assert_eq!(status.next_check, Some(START + time::Duration::minutes(3)));
    assert_eq!(
        status.text(offset!(+1)),
        "Microsoft Graph asked to slow down — retrying at 11:45"
    );
    assert_eq!(status.last_checked, Some(START));

    // The retry happens by itself once the wait is over (virtual time), and catches up.
    let batch = r.batches.recv().await.unwrap();
    assert_eq!(
        summaries(&batch),
        vec!["User created: Nestor Wilke (NestorW@contoso.com)"]
    );
    let status = wait_checks(&r.engine, 3).await;
    assert_eq!(status.state, WatchState::Idle);
    r.engine.stop().await;
}

#[tokio::test(start_paused = true)]
async fn network_failures_show_offline_and_back_off() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &dir.path().join("m.sqlite3"), clock.clone());
    r.batches.recv().await.unwrap();
    wait_checks(&r.engine, 1).await;

    t.fail_next(SourceError::new(
        SourceErrorKind::Network,
        "Microsoft Graph could not be reached",
    ));
    t.fail_next(SourceError::new(
        SourceErrorKind::Network,
        "Microsoft Graph could not be reached",
    ));
    r.engine.poll_now();
    let first = wait_checks(&r.engine, 2).await;
    assert_eq!(first.state, WatchState::Offline);
    assert!(
        first.text(offset!(UTC)).starts_with("offline — retrying at 10:4"),
        "{}",
        first.text(offset!(UTC))
    );
    assert_eq!(first.message.as_deref(), Some("Microsoft Graph could not be reached"));
    let wait1 = first.next_check.unwrap() - START;
    let second = wait_checks(&r.engine, 3).await;
    assert_eq!(second.state, WatchState::Offline);
    let wait2 = second.next_check.unwrap() - START;
    assert!(wait2 > wait1, "back-off grows: {wait1} then {wait2}");
    let third = wait_checks(&r.engine, 4).await;
    assert_eq!(third.state, WatchState::Idle);
    r.engine.stop().await;
}

#[tokio::test(start_paused = true)]
async fn pause_stops_checking_and_resume_checks_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &dir.path().join("m.sqlite3"), clock);
    r.batches.recv().await.unwrap();
    wait_checks(&r.engine, 1).await;

    r.engine.pause();
    let mut status = r.engine.status();
    status.wait_for(|s| s.state == WatchState::Paused).await.unwrap();
    t.create_user("u-new", fake::user_props("Nestor Wilke", "NestorW@contoso.com"));
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(r.batches.try_recv().is_err(), "checked while paused");
    assert_eq!(r.engine.status().borrow().checks, 1);

    r.engine.resume();
    let batch = r.batches.recv().await.unwrap();
    assert_eq!(
        summaries(&batch),
        vec!["User created: Nestor Wilke (NestorW@contoso.com)"]
    );
    r.engine.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_restart_neither_repeats_nor_loses_events() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite3");
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &db, clock.clone());
    r.batches.recv().await.unwrap();
    t.create_user("u-new", fake::user_props("Nestor Wilke", "NestorW@contoso.com"));
    let batch = check(&mut r).await;
    assert_eq!(batch.events.len(), 1);
    r.engine.stop().await;

    // Changes while the app is closed.
    t.delete(Resource::Users, "u-megan", false);
    clock.advance(60);
    let mut r = start(Arc::new(t.clone()), &db, clock.clone());
    let batch = r.batches.recv().await.unwrap();
    assert_eq!(
        summaries(&batch),
        vec![
            "User deleted: Megan Bowen (MeganB@contoso.com) — it can be restored for 30 days",
            "Megan Bowen was removed from Sales"
        ]
    );
    r.engine.stop().await;
    let history = Mirror::open_read_only(&db)
        .unwrap()
        .events(&EventQuery::default())
        .unwrap();
    assert_eq!(history.len(), 3);
}

#[tokio::test(start_paused = true)]
async fn rules_set_through_the_engine_persist_and_apply() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite3");
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &db, clock.clone());
    r.batches.recv().await.unwrap();
    let mut rules = r.engine.rules();
    rules.set_kind(
        EventKind::UserCreated,
        KindRule {
            enabled: true,
            notify: false,
        },
    );
    rules.set_kind(
        EventKind::UserUpdated,
        KindRule {
            enabled: false,
            notify: false,
        },
    );
    rules.poll_interval_secs = 1;
    let saved = r.engine.set_rules(rules).await.unwrap();
    assert_eq!(saved.poll_interval_secs, 15);

    t.create_user("u-new", fake::user_props("Nestor Wilke", "NestorW@contoso.com"));
    t.update(
        Resource::Users,
        ADELE,
        serde_json::from_str(r#"{"jobTitle":"Retail Manager"}"#).unwrap(),
    );
    let batch = check(&mut r).await;
    assert_eq!(
        summaries(&batch),
        vec!["User created: Nestor Wilke (NestorW@contoso.com)"]
    );
    assert_eq!(summarize_batch(&batch), None, "notifications for this kind are off");
    r.engine.stop().await;
    assert_eq!(watch::load_rules(&watch::rules_path_for(&db)).unwrap(), saved);
}

/// A source whose walks hang after the first page (a connection that stalls mid-walk).
struct Stalling;

struct StallingWalk {
    served: bool,
}

impl DeltaPages for StallingWalk {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<DeltaPage>, SourceError>> {
        if self.served {
            return Box::pin(futures::future::pending());
        }
        self.served = true;
        Box::pin(async {
            Ok(Some(DeltaPage {
                objects: vec![object_from_json(
                    &serde_json::json!({"id": "u1", "displayName": "Half Done"}),
                )],
                delta_link: None,
            }))
        })
    }
}

impl DeltaSource for Stalling {
    fn walk(&self, _: Resource, _: DeltaStart) -> Box<dyn DeltaPages> {
        Box::new(StallingWalk { served: false })
    }
}

#[tokio::test(start_paused = true)]
async fn stopping_in_the_middle_of_a_walk_keeps_nothing_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite3");
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let r = start(Arc::new(Stalling), &db, clock);
    let mut status = r.engine.status();
    status.wait_for(|s| s.state == WatchState::Checking).await.unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    r.engine.stop().await;
    let m = Mirror::open(&db).unwrap();
    assert_eq!(m.counts().unwrap().users, 0);
    assert!(m.cursor(Resource::Users).unwrap().is_none());
}

#[tokio::test(start_paused = true)]
async fn a_shorter_interval_takes_effect_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &dir.path().join("m.sqlite3"), clock.clone());
    r.batches.recv().await.unwrap();
    wait_checks(&r.engine, 1).await;
    let rules = r.engine.rules();
    r.engine
        .set_rules(WatchRules {
            poll_interval_secs: 86_400,
            ..rules.clone()
        })
        .await
        .unwrap();
    r.engine.poll_now();
    let status = wait_checks(&r.engine, 2).await;
    assert!(status.next_check.unwrap() > START + time::Duration::hours(20));

    r.engine
        .set_rules(WatchRules {
            poll_interval_secs: 15,
            ..rules
        })
        .await
        .unwrap();
    let mut rx = r.engine.status();
    let status = rx
        .wait_for(|s| s.next_check.is_some_and(|n| n < START + time::Duration::hours(1)))
        .await
        .unwrap()
        .clone();
    let wait = status.next_check.unwrap() - START;
    assert!(
        wait >= time::Duration::seconds(13) && wait <= time::Duration::seconds(17),
        "{wait}"
    );
    r.engine.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_rejected_sign_in_needs_attention_and_keeps_the_normal_rhythm() {
    let dir = tempfile::tempdir().unwrap();
    let t = tenant();
    let clock = Arc::new(TestClock(Mutex::new(START)));
    let mut r = start(Arc::new(t.clone()), &dir.path().join("m.sqlite3"), clock);
    r.batches.recv().await.unwrap();
    wait_checks(&r.engine, 1).await;

    t.fail_next(SourceError::new(
        SourceErrorKind::Unauthorized,
        "Microsoft Graph did not accept the sign-in; please sign in again",
    ));
    r.engine.poll_now();
    let status = wait_checks(&r.engine, 2).await;
    assert_eq!(status.state, WatchState::NeedsAttention);
    assert_eq!(
        status.message.as_deref(),
        Some("Microsoft Graph did not accept the sign-in; please sign in again")
    );
    // No hammering: the next try waits a normal interval (60 s ± 10 %).
    let wait = status.next_check.unwrap() - START;
    assert!(
        wait >= time::Duration::seconds(54) && wait <= time::Duration::seconds(66),
        "{wait}"
    );
    // After signing in again the shell asks for a check, and watching resumes.
    r.engine.poll_now();
    assert_eq!(wait_checks(&r.engine, 3).await.state, WatchState::Idle);
    r.engine.stop().await;
}

/// The local copy is a cache and the rules have defaults: a damaged or newer-version file never stops
/// the watching. It is set aside (not deleted), the person is told where, and the copy is read again.
#[tokio::test(start_paused = true)]
async fn a_damaged_copy_or_rules_file_is_set_aside_and_watching_goes_on() {
    type Damage = fn(&std::path::Path);
    let cases: [(&str, Damage); 3] = [
        ("garbage", |db| {
            std::fs::write(db, b"this is not an SQLite database, it was cut short by a full dis").unwrap()
        }),
        ("newer version", |db| {
            let conn = rusqlite::Connection::open(db).unwrap();
            conn.pragma_update(None, "user_version", watch::SCHEMA_VERSION + 1)
                .unwrap();
        }),
        ("damaged rules", |db| {
            std::fs::write(watch::rules_path_for(db), b"{\"pollIntervalSecs\": 60, \"kinds\": ").unwrap();
        }),
    ];
    for (case, damage) in cases {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("watch/m.sqlite3");
        std::fs::create_dir_all(db.parent().unwrap()).unwrap();
        damage(&db);
        let clock = Arc::new(TestClock(Mutex::new(START)));
        let mut r = start(Arc::new(tenant()), &db, clock);
        let first = r.batches.recv().await.unwrap();
        assert_eq!(first.changed.len(), 2, "{case}: the copy was read again");
        let status = wait_checks(&r.engine, 1).await;
        assert_eq!(status.state, WatchState::Idle, "{case}");
        let notice = status.notice.unwrap_or_else(|| panic!("{case}: nobody is told"));
        assert!(notice.contains("set aside as"), "{case}: {notice}");
        let aside: Vec<String> = std::fs::read_dir(db.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains(".damaged-"))
            .collect();
        assert_eq!(aside.len(), 1, "{case}: {aside:?}");
        assert!(
            notice.contains(&aside[0]),
            "{case}: the notice names the file: {notice}"
        );
        assert_eq!(Mirror::open(&db).unwrap().counts().unwrap().users, 2, "{case}");
        r.engine.stop().await;
    }
}

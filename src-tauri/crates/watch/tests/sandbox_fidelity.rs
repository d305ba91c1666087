//! Fidelity against the practice tenant (the `sandbox` crate), through the real `msgraph::Client`:
//! random changes made out of band through the sandbox's admin API, engine restarts, a forced
//! delta expiry and injected connection drops; the ground truth is read back from Graph between
//! checks (changes are made between checks, so the state a check's walks see is the state read
//! right before it) and compared with the engine's event history.
//!
//! `FIDELITY_CHANGES` (default 150) and `FIDELITY_SEED` (default 1) scale it, e.g.
//! `FIDELITY_CHANGES=1000 cargo test -p watch --test sandbox_fidelity -- --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use msgraph::{AccessToken, Client, ClientOptions, RetryPolicy, TokenFuture, TokenProvider};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};
use time::OffsetDateTime;
use watch::fake::{FakeObject, FakeState, Snapshot};
use watch::fidelity::{EventKey, FidelityReport, GroundTruth};
use watch::testkit::StepClock;
use watch::{
    rules_path_for, save_rules, Engine, EngineOptions, EventQuery, Mirror, Resource, WatchRules, GROUP_SELECT,
    MAX_POLL_SECS, USER_SELECT,
};

struct Token(String);

impl TokenProvider for Token {
    fn access_token(&self, _force_refresh: bool) -> TokenFuture<'_> {
        let t = self.0.clone();
        Box::pin(async move { Ok(AccessToken::new(t)) })
    }
}

struct Tenant {
    http: reqwest::Client,
    base: String,
    /// The practice tenant's admin API secret (`X-Sandbox-Secret`).
    secret: String,
    graph: String,
    token: String,
    /// Objects created and purged before any snapshot could see them (they exist in Graph's
    /// change log all the same).
    purged_unseen: Mutex<BTreeMap<String, Resource>>,
}

impl Tenant {
    /// An admin-API call; failures (a restore that conflicts, a member that is already there)
    /// are fine: the ground truth is read back from Graph, not assumed.
    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Option<Value> {
        let mut req = self
            .http
            .request(method, format!("{}/_sandbox{path}", self.base))
            .header(sandbox::ADMIN_SECRET_HEADER, &self.secret);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.ok()?;
        if !resp.status().is_success() {
            return None;
        }
        resp.json().await.ok().or(Some(Value::Null))
    }

    async fn graph_all(&self, path_and_query: &str) -> Vec<Value> {
        let mut url = format!("{}{path_and_query}", self.graph);
        let mut out = Vec::new();
        loop {
            let resp = self.http.get(&url).bearer_auth(&self.token).send().await.unwrap();
            let status = resp.status();
            let body: Value = resp.json().await.unwrap();
            assert!(status.is_success(), "{url}: {status} {body}");
            out.extend(body["value"].as_array().cloned().unwrap_or_default());
            match body["@odata.nextLink"].as_str() {
                Some(next) => url = next.to_owned(),
                None => return out,
            }
        }
    }

    // Long: users and groups (with members and owners) read as the watcher reads them, then the
    // purge of what is gone, in one pass over the same listing.
    /// The tenant as Graph lists it now; objects seen before and listed nowhere now are purged.
    async fn snapshot(&self, previous: Option<&Snapshot>) -> Snapshot {
        let user_select = USER_SELECT.join(",");
        let group_select: Vec<&str> = GROUP_SELECT.iter().copied().filter(|p| *p != "members").collect();
        let group_select = group_select.join(",");
        let mut snap = Snapshot::default();
        let object = |v: &Value, state: FakeState| {
            let mut props: Map<String, Value> = v.as_object().cloned().unwrap_or_default();
            props.retain(|k, _| !k.starts_with('@') && k != "id");
            FakeObject {
                props,
                state,
                version: 0,
            }
        };
        for u in self
            .graph_all(&format!("/users?$select=id,{user_select}&$top=999"))
            .await
        {
            snap.users
                .insert(u["id"].as_str().unwrap().to_owned(), object(&u, FakeState::Active));
        }
        for g in self
            .graph_all(&format!("/groups?$select=id,{group_select}&$top=999"))
            .await
        {
            let id = g["id"].as_str().unwrap().to_owned();
            let mut members = BTreeMap::new();
            for m in self
                .graph_all(&format!("/groups/{id}/members?$select=id&$top=999"))
                .await
            {
                members.insert(
                    m["id"].as_str().unwrap().to_owned(),
                    m["@odata.type"].as_str().unwrap_or("#microsoft.graph.user").to_owned(),
                );
            }
            if !members.is_empty() {
                snap.members.insert(id.clone(), members);
            }
            snap.groups.insert(id, object(&g, FakeState::Active));
        }
        for (cast, resource) in [
            ("microsoft.graph.user", Resource::Users),
            ("microsoft.graph.group", Resource::Groups),
        ] {
            for d in self.graph_all(&format!("/directory/deletedItems/{cast}")).await {
                let id = d["id"].as_str().unwrap().to_owned();
                let map = match resource {
                    Resource::Users => &mut snap.users,
                    Resource::Groups => &mut snap.groups,
                };
                let mut o = previous
                    .and_then(|p| p.objects(resource).get(&id).cloned())
                    .unwrap_or_else(|| object(&d, FakeState::SoftDeleted));
                o.state = FakeState::SoftDeleted;
                map.insert(id, o);
            }
        }
        for (id, resource) in self.purged_unseen.lock().unwrap().iter() {
            let map = match resource {
                Resource::Users => &mut snap.users,
                Resource::Groups => &mut snap.groups,
            };
            map.entry(id.clone()).or_insert(FakeObject {
                props: Map::new(),
                state: FakeState::Purged,
                version: 0,
            });
        }
        if let Some(prev) = previous {
            for (id, o) in &prev.users {
                if !snap.users.contains_key(id) {
                    snap.users.insert(
                        id.clone(),
                        FakeObject {
                            state: FakeState::Purged,
                            ..o.clone()
                        },
                    );
                }
            }
            for (id, o) in &prev.groups {
                if !snap.groups.contains_key(id) {
                    snap.groups.insert(
                        id.clone(),
                        FakeObject {
                            state: FakeState::Purged,
                            ..o.clone()
                        },
                    );
                }
            }
        }
        snap
    }
}

fn ids(snap: &Snapshot, resource: Resource, state: FakeState) -> Vec<String> {
    snap.objects(resource)
        .iter()
        .filter(|(_, o)| o.state == state)
        .map(|(id, _)| id.clone())
        .collect()
}

fn pick<'a>(rng: &mut StdRng, v: &'a [String]) -> Option<&'a String> {
    (!v.is_empty()).then(|| &v[rng.gen_range(0..v.len())])
}

// Long: one table of weighted changes; split up, its weights would no longer read as one distribution.
async fn random_change(rng: &mut StdRng, t: &Tenant, snap: &Snapshot, n: usize) {
    use reqwest::Method;
    let users = ids(snap, Resource::Users, FakeState::Active);
    let soft_users = ids(snap, Resource::Users, FakeState::SoftDeleted);
    let groups = ids(snap, Resource::Groups, FakeState::Active);
    let soft_groups = ids(snap, Resource::Groups, FakeState::SoftDeleted);
    match rng.gen_range(0..100) {
        0..=11 => {
            t.admin(
                Method::POST,
                "/users",
                Some(json!({"displayName": format!("User {n}"), "userPrincipalName": format!("user{n}@contoso.com")})),
            )
            .await;
        }
        12..=21 => {
            if let Some(id) = pick(rng, &users) {
                let field = ["jobTitle", "department", "displayName", "officeLocation"][rng.gen_range(0..4)];
                t.admin(
                    Method::PATCH,
                    &format!("/users/{id}"),
                    Some(json!({ field: format!("{field} {n}") })),
                )
                .await;
            }
        }
        22..=25 => {
            if let Some(id) = pick(rng, &users) {
                let hard = if rng.gen_bool(0.3) { "?hard=true" } else { "" };
                t.admin(Method::DELETE, &format!("/users/{id}{hard}"), None).await;
            }
        }
        26..=28 => {
            if let Some(id) = pick(rng, &soft_users) {
                t.admin(Method::POST, &format!("/restore/{id}"), Some(json!({}))).await;
            }
        }
        29..=30 => {
            // Created and gone again before the next check.
            if let Some(u) = t
                .admin(
                    Method::POST,
                    "/users",
                    Some(json!({"displayName": format!("Temp {n}"), "userPrincipalName": format!("temp{n}@contoso.com")})),
                )
                .await
            {
                let id = u["id"].as_str().unwrap_or_default().to_owned();
                let hard = rng.gen_bool(0.5);
                let query = if hard { "?hard=true" } else { "" };
                if t.admin(Method::DELETE, &format!("/users/{id}{query}"), None).await.is_some() && hard {
                    t.purged_unseen.lock().unwrap().insert(id, Resource::Users);
                }
            }
        }
        31..=36 => {
            let unified = rng.gen_bool(0.5);
            let body = if unified {
                json!({"displayName": format!("Team {n}"), "groupTypes": ["Unified"], "mailEnabled": true, "mailNickname": format!("team{n}")})
            } else {
                json!({"displayName": format!("Group {n}")})
            };
            t.admin(Method::POST, "/groups", Some(body)).await;
        }
        37..=41 => {
            if let Some(id) = pick(rng, &groups) {
                t.admin(
                    Method::PATCH,
                    &format!("/groups/{id}"),
                    Some(json!({"description": format!("about {n}")})),
                )
                .await;
            }
        }
        42..=44 => {
            if let Some(id) = pick(rng, &groups) {
                let hard = if rng.gen_bool(0.3) { "?hard=true" } else { "" };
                t.admin(Method::DELETE, &format!("/groups/{id}{hard}"), None).await;
            }
        }
        45..=46 => {
            if let Some(id) = pick(rng, &soft_groups) {
                t.admin(Method::POST, &format!("/restore/{id}"), Some(json!({}))).await;
            }
        }
        47..=79 => {
            if let (Some(g), Some(u)) = (pick(rng, &groups), pick(rng, &users)) {
                t.admin(Method::POST, &format!("/groups/{g}/members"), Some(json!({"id": u})))
                    .await;
            }
        }
        80..=84 => {
            if let (Some(g), Some(child)) = (pick(rng, &groups), pick(rng, &groups)) {
                t.admin(
                    Method::POST,
                    &format!("/groups/{g}/members"),
                    Some(json!({"id": child})),
                )
                .await;
            }
        }
        _ => {
            if let Some(g) = pick(rng, &groups) {
                let members: Vec<String> = snap
                    .members
                    .get(g)
                    .map(|m| m.keys().cloned().collect())
                    .unwrap_or_default();
                if let Some(m) = pick(rng, &members) {
                    t.admin(Method::DELETE, &format!("/groups/{g}/members/{m}"), None).await;
                    if rng.gen_bool(0.2) {
                        t.admin(Method::POST, &format!("/groups/{g}/members"), Some(json!({"id": m})))
                            .await;
                    }
                }
            }
        }
    }
}

struct Run {
    tenant: Tenant,
    db: std::path::PathBuf,
    clock: Arc<StepClock>,
    engine: Option<Engine>,
    batches: Option<tokio::sync::mpsc::Receiver<watch::ChangeBatch>>,
    truth: GroundTruth,
    /// Resources whose next commit is a resync (their delta tokens were expired).
    expired: BTreeSet<Resource>,
    committed: BTreeMap<Resource, (OffsetDateTime, Snapshot)>,
    last_seq: i64,
    delivered: BTreeSet<String>,
    report: FidelityReport,
}

impl Run {
    fn client(&self) -> Client {
        Client::with_options(
            url::Url::parse(&self.tenant.graph).unwrap(),
            Arc::new(Token(self.tenant.token.clone())),
            ClientOptions {
                // Failures reach the engine instead of being retried away inside the client.
                retry: RetryPolicy {
                    max_retries: 0,
                    ..RetryPolicy::default()
                },
                user_agent: "watch-fidelity".into(),
                timeout: None,
                connect_timeout: None,
                waits: None,
                read_only: false,
            },
        )
    }

    async fn start(&mut self, snap: &Snapshot) {
        let options = EngineOptions {
            clock: self.clock.clone(),
            jitter_seed: Some(3),
            ..EngineOptions::new(&self.db)
        };
        let (engine, batches) = Engine::start(Arc::new(self.client()), options).unwrap();
        engine.status().wait_for(|s| s.checks >= 1).await.unwrap();
        self.engine = Some(engine);
        self.batches = Some(batches);
        self.compare(snap);
    }

    async fn stop(&mut self) {
        if let Some(engine) = self.engine.take() {
            engine.stop().await;
        }
        self.drain();
    }

    fn drain(&mut self) {
        if let Some(rx) = &mut self.batches {
            while let Ok(b) = rx.try_recv() {
                for e in b.events {
                    if !self.delivered.insert(e.id.clone()) {
                        self.report.duplicates += 1;
                    }
                }
            }
        }
    }

    async fn check(&mut self, snap: &Snapshot) {
        let engine = self.engine.as_ref().unwrap();
        let mut status = engine.status();
        let before = status.borrow().checks;
        engine.poll_now();
        status.wait_for(|s| s.checks > before).await.unwrap();
        self.report.checks += 1;
        self.drain();
        self.compare(snap);
    }

    /// Windows: a resource's walk committed in this check covers the state since its last
    /// commit; the state during this check is `snap`.
    fn compare(&mut self, snap: &Snapshot) {
        let mirror = Mirror::open_read_only(&self.db).unwrap();
        let events = mirror
            .events(&EventQuery {
                after_seq: Some(self.last_seq),
                limit: 1 << 40,
                ..EventQuery::default()
            })
            .unwrap();
        if let Some(newest) = events.first() {
            self.last_seq = newest.seq;
        }
        for resource in [Resource::Users, Resource::Groups] {
            let emitted: Vec<EventKey> = events
                .iter()
                .filter(|e| e.kind.resource() == resource)
                .map(EventKey::of)
                .collect();
            let Some(cursor) = mirror.cursor(resource).unwrap() else {
                self.report.add_window(&[], &emitted);
                continue;
            };
            let previous = self.committed.get(&resource);
            if previous.is_some_and(|(t, _)| *t == cursor.synced_at) {
                self.report.add_window(&[], &emitted);
                continue;
            }
            let resync = self.expired.remove(&resource) && previous.is_some();
            let expected = self.truth.window(resource, previous.map(|(_, s)| s), snap, resync);
            self.report.add_window(&expected, &emitted);
            self.committed.insert(resource, (cursor.synced_at, snap.clone()));
        }
    }
}

// Long: one run: changes, checks, a restart and an expired token, each compared with the tenant's state the check before it saw.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_changes_to_the_practice_tenant_are_reported_exactly() {
    let changes: usize = std::env::var("FIDELITY_CHANGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let seed: u64 = std::env::var("FIDELITY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let sandbox = sandbox::Sandbox::start(sandbox::Config {
        delta_page_size: 4,
        seed,
        ..sandbox::Config::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/_sandbox/tokens", sandbox.base_url()))
        .header(sandbox::ADMIN_SECRET_HEADER, sandbox.admin_secret())
        .json(&json!({"upn": "admin@contoso.com"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let tenant = Tenant {
        http,
        base: sandbox.base_url(),
        secret: sandbox.admin_secret(),
        graph: sandbox.graph_url(),
        token: token["access_token"].as_str().unwrap().to_owned(),
        purged_unseen: Mutex::new(BTreeMap::new()),
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mirror.sqlite3");
    save_rules(
        &rules_path_for(&db),
        WatchRules {
            poll_interval_secs: MAX_POLL_SECS,
            ..WatchRules::default()
        },
    )
    .unwrap();
    let mut run = Run {
        tenant,
        db,
        // Every reading a second later: every check (and the cursor it stores) has its own time,
        // even across restarts; that is how a commit is recognised.
        clock: Arc::new(StepClock::ticking(
            OffsetDateTime::from_unix_timestamp(1_764_150_000).unwrap(),
            time::Duration::seconds(1),
        )),
        engine: None,
        batches: None,
        truth: GroundTruth::new(false),
        expired: BTreeSet::new(),
        committed: BTreeMap::new(),
        last_seq: 0,
        delivered: BTreeSet::new(),
        report: FidelityReport::default(),
    };
    let mut rng = StdRng::seed_from_u64(seed);
    // One group bigger than a delta page.
    let big = run
        .tenant
        .admin(
            reqwest::Method::POST,
            "/groups",
            Some(json!({"displayName": "Big Group"})),
        )
        .await
        .unwrap();
    let big = big["id"].as_str().unwrap().to_owned();
    let mut snap = run.tenant.snapshot(None).await;
    for u in ids(&snap, Resource::Users, FakeState::Active) {
        run.tenant
            .admin(
                reqwest::Method::POST,
                &format!("/groups/{big}/members"),
                Some(json!({"id": u})),
            )
            .await;
    }
    snap = run.tenant.snapshot(Some(&snap)).await;
    run.start(&snap).await;

    let restart_at: BTreeSet<usize> = [changes / 3, 2 * changes / 3].into_iter().collect();
    let expire_at = changes / 2;
    let mut made = 0;
    while made < changes {
        let burst = rng.gen_range(1..=8).min(changes - made);
        for _ in 0..burst {
            random_change(&mut rng, &run.tenant, &snap, made).await;
            made += 1;
            snap = run.tenant.snapshot(Some(&snap)).await;
            if restart_at.contains(&made) {
                run.engine.as_ref().unwrap().poll_now();
                tokio::task::yield_now().await;
                run.stop().await;
                run.report.restarts += 1;
                run.compare(&snap);
                run.start(&snap).await;
            }
            if made == expire_at {
                run.tenant
                    .admin(reqwest::Method::POST, "/delta/expire", Some(json!({})))
                    .await;
                run.expired = [Resource::Users, Resource::Groups].into_iter().collect();
                run.report.resyncs += 2;
            }
        }
        if rng.gen_range(0..6) == 0 {
            let path = if rng.gen_bool(0.5) {
                "/users/delta"
            } else {
                "/groups/delta"
            };
            run.tenant
                .admin(
                    reqwest::Method::POST,
                    "/faults",
                    Some(json!({"kind": "drop", "path": path, "probability": 0.5, "count": 1})),
                )
                .await;
            run.report.failures_injected += 1;
        }
        run.check(&snap).await;
    }
    run.tenant.admin(reqwest::Method::DELETE, "/faults", None).await;
    run.check(&snap).await;
    run.check(&snap).await;
    run.stop().await;
    run.report.changes = made;
    println!("{}", run.report.table());
    assert!(run.report.perfect(), "{}", run.report.table());
    sandbox.shutdown().await;
}

//! End to end: the engine on the real `msgraph::Client` against the practice tenant (the
//! `sandbox` crate's Graph emulator), changed out of band through its admin API.

use std::sync::Arc;

use msgraph::{AccessToken, Client, TokenFuture, TokenProvider};
use serde_json::{json, Value};
use tokio::sync::mpsc;
use watch::{summarize_batch, ChangeBatch, Engine, EngineOptions, Mirror};

struct Token(String);

impl TokenProvider for Token {
    fn access_token(&self, _force_refresh: bool) -> TokenFuture<'_> {
        let t = self.0.clone();
        Box::pin(async move { Ok(AccessToken::new(t)) })
    }
}

struct Admin {
    http: reqwest::Client,
    base: String,
    secret: String,
}

impl Admin {
    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method, format!("{}/_sandbox{path}", self.base))
            .header(sandbox::ADMIN_SECRET_HEADER, &self.secret);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }
    async fn post(&self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }
    async fn patch(&self, path: &str, body: Value) -> Value {
        self.send(reqwest::Method::PATCH, path, Some(body)).await
    }
    async fn delete(&self, path: &str) -> Value {
        self.send(reqwest::Method::DELETE, path, None).await
    }
}

async fn next_batch(engine: &Engine, batches: &mut mpsc::Receiver<ChangeBatch>) -> Vec<String> {
    engine.poll_now();
    let batch = batches.recv().await.unwrap();
    batch.events.iter().map(|e| e.summary.clone()).collect()
}

// Long: one engine against one practice tenant: each change is made, then found in the events of the check after it, on the copy the earlier checks left.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_reports_out_of_band_changes_to_the_practice_tenant() {
    let sandbox = sandbox::Sandbox::start(sandbox::Config {
        delta_page_size: 3,
        ..sandbox::Config::default()
    })
    .await
    .unwrap();
    let admin = Admin {
        http: reqwest::Client::new(),
        base: sandbox.base_url(),
        secret: sandbox.admin_secret(),
    };
    let token = admin.post("/tokens", json!({"upn": "admin@contoso.com"})).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = Client::new(
        url::Url::parse(&sandbox.graph_url()).unwrap(),
        Arc::new(Token(token.clone())),
    );
    // The first sync's "of about N": one counted request per resource.
    use watch::DeltaSource;
    let about_users = client.estimate(watch::Resource::Users).await;
    let about_groups = client.estimate(watch::Resource::Groups).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mirror.sqlite3");
    let (engine, mut batches) = Engine::start(Arc::new(client), EngineOptions::new(&db)).unwrap();

    // The first sync fills the mirror from the seed tenant without a single event.
    let first = batches.recv().await.unwrap();
    assert!(first.events.is_empty());
    let counts = Mirror::open_read_only(&db).unwrap().counts().unwrap();
    assert!(counts.users >= 8 && counts.groups >= 8, "{counts:?}");
    assert_eq!((about_users, about_groups), (Some(counts.users), Some(counts.groups)));

    let kim = admin
        .post(
            "/users",
            json!({"displayName": "Kim Lee", "userPrincipalName": "kim@contoso.com"}),
        )
        .await;
    let kim_id = kim["id"].as_str().unwrap().to_owned();
    let buyers = admin.post("/groups", json!({"displayName": "Buyers"})).await;
    let buyers_id = buyers["id"].as_str().unwrap().to_owned();
    admin
        .post(
            &format!("/groups/{buyers_id}/members"),
            json!({"upn": "kim@contoso.com"}),
        )
        .await;
    assert_eq!(
        next_batch(&engine, &mut batches).await,
        vec![
            "User created: Kim Lee (kim@contoso.com)",
            "Group created: Buyers",
            "Kim Lee was added to Buyers"
        ]
    );

    // Owners are tracked too: the rules follow members only by default, so the owner is kept in
    // the copy without an event; with Member Type "both" the next owner change is reported.
    let graph = |method, path: String| {
        admin
            .http
            .request(method, format!("{}{path}", sandbox.graph_url()))
            .bearer_auth(&token)
    };
    let owner_ref = json!({"@odata.id": format!("{}/users/{kim_id}", sandbox.graph_url())});
    let added = graph(reqwest::Method::POST, format!("/groups/{buyers_id}/owners/$ref"))
        .json(&owner_ref)
        .send()
        .await
        .unwrap();
    assert!(added.status().is_success(), "{}", added.text().await.unwrap());
    assert_eq!(next_batch(&engine, &mut batches).await, Vec::<String>::new());
    assert_eq!(
        Mirror::open_read_only(&db)
            .unwrap()
            .owners(&buyers_id)
            .unwrap()
            .iter()
            .map(|o| o.id.as_str().to_owned())
            .collect::<Vec<_>>(),
        vec![kim_id.to_string()]
    );
    // A second owner (Adele Vance, seed), so that Kim can be removed: Graph keeps a group's last owner.
    let adele_ref = json!({"@odata.id": format!("{}/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd", sandbox.graph_url())});
    let added = graph(reqwest::Method::POST, format!("/groups/{buyers_id}/owners/$ref"))
        .json(&adele_ref)
        .send()
        .await
        .unwrap();
    assert!(added.status().is_success(), "{}", added.text().await.unwrap());
    assert_eq!(next_batch(&engine, &mut batches).await, Vec::<String>::new());
    engine
        .set_rules(watch::WatchRules {
            member_type: watch::MemberType::Both,
            ..watch::WatchRules::default()
        })
        .await
        .unwrap();
    let removed = graph(
        reqwest::Method::DELETE,
        format!("/groups/{buyers_id}/owners/{kim_id}/$ref"),
    )
    .send()
    .await
    .unwrap();
    assert!(removed.status().is_success(), "{}", removed.text().await.unwrap());
    assert_eq!(
        next_batch(&engine, &mut batches).await,
        vec!["Kim Lee is no longer an owner of Buyers"]
    );
    engine.set_rules(watch::WatchRules::default()).await.unwrap();

    admin
        .patch("/users/kim@contoso.com", json!({"jobTitle": "Buyer"}))
        .await;
    admin
        .patch(&format!("/groups/{buyers_id}"), json!({"displayName": "Buyers EMEA"}))
        .await;
    let events = next_batch(&engine, &mut batches).await;
    assert_eq!(
        events,
        vec![
            "User updated: Kim Lee (kim@contoso.com) — job title: (empty) → Buyer",
            "Group updated: Buyers EMEA — display name: Buyers → Buyers EMEA"
        ]
    );

    admin.delete("/users/kim@contoso.com").await;
    let events = next_batch(&engine, &mut batches).await;
    assert_eq!(
        events,
        vec![
            "User deleted: Kim Lee (kim@contoso.com) — it can be restored for 30 days",
            "Kim Lee was removed from Buyers EMEA"
        ]
    );

    admin.post(&format!("/restore/{kim_id}"), json!({})).await;
    let events = next_batch(&engine, &mut batches).await;
    assert_eq!(
        events,
        vec![
            "User restored: Kim Lee (kim@contoso.com)",
            "Kim Lee was added to Buyers EMEA"
        ]
    );

    // An expired token: the resync finds no difference, so nothing is reported.
    admin.post("/delta/expire", json!({})).await;
    let mut status = engine.status();
    let before = status.borrow().checks;
    engine.poll_now();
    status.wait_for(|s| s.checks > before).await.unwrap();
    assert!(batches.try_recv().map(|b| b.events.is_empty()).unwrap_or(true));

    let text = {
        admin.delete(&format!("/groups/{buyers_id}?hard=true")).await;
        engine.poll_now();
        let batch = batches.recv().await.unwrap();
        summarize_batch(&batch).unwrap()
    };
    assert_eq!(text.title, "Group deleted");
    assert_eq!(text.body, "Group permanently deleted: Buyers EMEA");

    engine.stop().await;
    sandbox.shutdown().await;
}

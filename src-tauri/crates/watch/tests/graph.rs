//! The engine on the real Graph client (`msgraph::Client`) against a mock server that answers
//! with Microsoft's documented delta responses.

use std::sync::Arc;

use mockito::{Matcher, Server};
use msgraph::{AccessToken, Client, ClientOptions, RetryPolicy, TokenFuture, TokenProvider};
use watch::{ChangeBatch, Engine, EngineOptions, Mirror, Resource, SourceErrorKind};

struct Tokens;

impl TokenProvider for Tokens {
    fn access_token(&self, _force_refresh: bool) -> TokenFuture<'_> {
        Box::pin(async { Ok(AccessToken::new("token-1")) })
    }
}

fn fixture(text: &str, base: &str) -> String {
    text.replace("https://graph.microsoft.com/v1.0", base)
}

async fn wait_checks(engine: &Engine, n: u64) {
    let mut status = engine.status();
    status.wait_for(|s| s.checks >= n).await.unwrap();
}

// Long: one mock server whose links lead from one walk to the next; the resync starts from the cursor the earlier walks stored.
#[tokio::test]
async fn walks_follow_next_links_and_an_expired_token_resyncs_silently() {
    let mut server = Server::new_async().await;
    let base = format!("{}/v1.0", server.url());
    let get = |server: &mut mockito::ServerGuard, path: &str, query: &str| {
        server
            .mock("GET", path)
            .match_query(Matcher::Regex(query.into()))
            .match_header("authorization", "Bearer token-1")
    };
    let users_full = get(&mut server, "/v1.0/users/delta", "select=displayName")
        .with_body(fixture(include_str!("fixtures/users_initial_1.json"), &base))
        .expect(1)
        .create_async()
        .await;
    let users_page2 = get(
        &mut server,
        "/v1.0/users/delta",
        "skiptoken=oEBwdSP6uehIAxQOWq_3Ksh_TLol6KIm",
    )
    .with_body(fixture(include_str!("fixtures/users_initial_2.json"), &base))
    .expect(1)
    .create_async()
    .await;
    let groups_full = get(&mut server, "/v1.0/groups/delta", "select=displayName.*members")
        .with_body(fixture(include_str!("fixtures/groups_initial.json"), &base))
        .expect(2)
        .create_async()
        .await;
    let groups_page2 = get(
        &mut server,
        "/v1.0/groups/delta",
        "skiptoken=pqwSUjGYvb3jQpbwVAwEL7yuI3dU1LecfkkfLPtnIjvB7XnF_yllFsCrZJ",
    )
    .with_body(
        serde_json::json!({ "value": [], "@odata.deltaLink": format!("{base}/groups/delta?$deltatoken=g1") })
            .to_string(),
    )
    .expect(2)
    .create_async()
    .await;
    let users_changes = get(
        &mut server,
        "/v1.0/users/delta",
        "deltatoken=oEcOySpF_hWYmTIUZBOIfPzcwisr_rPe8o9M",
    )
    .with_body(fixture(include_str!("fixtures/users_changes.json"), &base))
    .expect(1)
    .create_async()
    .await;
    let groups_gone = get(&mut server, "/v1.0/groups/delta", "deltatoken=g1")
        .with_status(410)
        .with_header("location", &format!("{base}/groups/delta?$deltatoken="))
        .with_body(r#"{"error":{"code":"syncStateNotFound","message":"The sync state generation is not found. The delta token is expired and data must be synchronized again.","innerError":{"request-id":"6f0e5b1b-0000-4000-8000-000000000000"}}}"#)
        .expect(1)
        .create_async()
        .await;

    let client = Client::with_options(
        url::Url::parse(&base).unwrap(),
        Arc::new(Tokens),
        ClientOptions {
            retry: RetryPolicy::default(),
            user_agent: "watch-tests".into(),
            timeout: None,
            connect_timeout: None,
            waits: None,
            read_only: false,
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("mirror.sqlite3");
    let (engine, mut batches) = Engine::start(Arc::new(client), EngineOptions::new(&db)).unwrap();
    let first: ChangeBatch = batches.recv().await.unwrap();
    assert!(first.events.is_empty());
    wait_checks(&engine, 1).await;

    engine.poll_now();
    let batch = batches.recv().await.unwrap();
    let summaries: Vec<&str> = batch.events.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(
        summaries,
        vec![
            "User updated: MOD Administrator — display name: Lidia Holloway → MOD Administrator; first name: Lidia → MOD; last name: Holloway → Administrator",
            "User created and deleted again before its details could be read: 8ffff70c-1c63-4860-b963-e34ec660931d",
            "User deleted: User 8ffff70c-1c63-4860-b963-e34ec660931d — it can be restored for 30 days",
        ]
    );
    wait_checks(&engine, 2).await;
    engine.stop().await;

    for m in [
        &users_full,
        &users_page2,
        &groups_full,
        &groups_page2,
        &users_changes,
        &groups_gone,
    ] {
        m.assert_async().await;
    }
    let mirror = Mirror::open_read_only(&db).unwrap();
    // The resync stored a fresh cursor for groups and found no differences.
    let cursor = mirror.cursor(Resource::Groups).unwrap().unwrap();
    assert!(cursor.link.0.ends_with("$deltatoken=g1"));
    assert_eq!(mirror.counts().unwrap().events, 3);
}

#[tokio::test]
async fn graph_errors_are_classified_for_the_engine() {
    let mut server = Server::new_async().await;
    let base = format!("{}/v1.0", server.url());
    server
        .mock("GET", "/v1.0/users/delta")
        .match_query(Matcher::Any)
        .with_status(403)
        .with_body(r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"11111111-2222-3333-4444-555555555555"}}}"#)
        .create_async()
        .await;
    let client = Client::new(url::Url::parse(&base).unwrap(), Arc::new(Tokens));
    let mut walk = watch::DeltaSource::walk(&client, Resource::Users, msgraph::DeltaStart::Full);
    let err = walk.next_page().await.unwrap_err();
    assert_eq!(err.kind, SourceErrorKind::Unauthorized);
    assert!(
        err.message.contains("11111111-2222-3333-4444-555555555555"),
        "{}",
        err.message
    );
}

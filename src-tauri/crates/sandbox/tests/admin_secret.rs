//! The admin API (`/_sandbox/*`) answers only requests that carry the tenant's secret: a web page open
//! in a local browser can reach 127.0.0.1, and must not be able to reset or rewrite the practice tenant.

use reqwest::StatusCode;
use sandbox::{Config, Sandbox, ADMIN_SECRET_HEADER};
use serde_json::{json, Value};

async fn users(http: &reqwest::Client, sb: &Sandbox) -> u64 {
    let info: Value = http
        .get(format!("{}/_sandbox/info", sb.base_url()))
        .header(ADMIN_SECRET_HEADER, sb.admin_secret())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    info["users"].as_u64().unwrap()
}

#[tokio::test]
async fn without_the_secret_the_admin_api_changes_nothing() {
    let sb = Sandbox::start(Config::default()).await.unwrap();
    let http = reqwest::Client::new();
    let before = users(&http, &sb).await;
    let new_user =
        json!({"displayName": "Drive-by", "mailNickname": "driveby", "userPrincipalName": "driveby@contoso.com"});
    for secret in [None, Some(""), Some("guessed"), Some(&sb.admin_secret()[1..])] {
        let mut create = http.post(format!("{}/_sandbox/users", sb.base_url())).json(&new_user);
        let mut reset = http.post(format!("{}/_sandbox/reset", sb.base_url()));
        let mut token = http
            .post(format!("{}/_sandbox/tokens", sb.base_url()))
            .json(&json!({"upn": "admin@contoso.com"}));
        if let Some(s) = secret {
            create = create.header(ADMIN_SECRET_HEADER, s);
            reset = reset.header(ADMIN_SECRET_HEADER, s);
            token = token.header(ADMIN_SECRET_HEADER, s);
        }
        for request in [create, reset, token] {
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED, "secret {secret:?}");
            assert!(answer.text().await.unwrap().contains("X-Sandbox-Secret"));
        }
    }
    assert_eq!(
        users(&http, &sb).await,
        before,
        "a request without the secret changed the tenant"
    );

    // With it, the same request works.
    let created = http
        .post(format!("{}/_sandbox/users", sb.base_url()))
        .header(ADMIN_SECRET_HEADER, sb.admin_secret())
        .json(&new_user)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    assert_eq!(users(&http, &sb).await, before + 1);
}

#[tokio::test]
async fn each_tenant_makes_its_own_secret_unless_given_one() {
    let a = Sandbox::start(Config::default()).await.unwrap();
    let b = Sandbox::start(Config::default()).await.unwrap();
    assert!(a.admin_secret().len() >= 24, "a guessable secret: {}", a.admin_secret());
    assert_ne!(a.admin_secret(), b.admin_secret());
    let given = Sandbox::start(Config {
        admin_secret: Some("from-the-test".into()),
        ..Config::default()
    })
    .await
    .unwrap();
    assert_eq!(given.admin_secret(), "from-the-test");
    // The Graph front door does not want it: Graph calls carry a bearer token, as with Microsoft.
    let graph = reqwest::Client::new()
        .get(format!("{}/users", given.graph_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(graph.status(), StatusCode::UNAUTHORIZED);
}

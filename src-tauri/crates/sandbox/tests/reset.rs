//! "Reset the practice tenant" from the app: `Sandbox::reset` brings back the seed tenant.

use serde_json::{json, Value};

/// An access token for the practice tenant's administrator (the admin API mints it).
async fn admin_token(http: &reqwest::Client, sb: &sandbox::Sandbox) -> String {
    let token: Value = http
        .post(format!("{}/_sandbox/tokens", sb.base_url()))
        .header(sandbox::ADMIN_SECRET_HEADER, sb.admin_secret())
        .json(&json!({"upn": "admin@contoso.com"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    token["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn reset_brings_back_the_seed_tenant_and_expires_old_delta_links() {
    let sb = sandbox::Sandbox::start(sandbox::Config::default()).await.unwrap();
    let http = reqwest::Client::new();
    let token = admin_token(&http, &sb).await;
    let names = || async {
        let page: Value = http
            .get(format!("{}/users?$select=displayName&$top=999", sb.graph_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        page["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["displayName"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let seeded = names().await;
    let delta: Value = http
        .get(format!("{}/users/delta?$deltatoken=latest", sb.graph_url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let delta_link = delta["@odata.deltaLink"].as_str().unwrap().to_string();

    let created = http
        .post(format!("{}/_sandbox/users", sb.base_url()))
        .header(sandbox::ADMIN_SECRET_HEADER, sb.admin_secret())
        .json(
            &json!({"accountEnabled": true, "displayName": "Practice Mistake", "mailNickname": "PracticeMistake",
                      "userPrincipalName": "PracticeMistake@contoso.com",
                      "passwordProfile": {"password": "xWwvJ]6NMw+bWH-d"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert!(names().await.contains(&"Practice Mistake".to_string()));

    sb.reset().unwrap();
    assert_eq!(names().await, seeded, "the tenant is back to its seed");
    let old = http.get(&delta_link).bearer_auth(&token).send().await.unwrap();
    assert_eq!(old.status(), 400, "a deltaLink from before the reset must not resume");
    let body: Value = old.json().await.unwrap();
    assert_eq!(body["error"]["code"], "syncStateNotFound");
    sb.shutdown().await;
}

#[tokio::test]
async fn starting_over_with_a_generated_organisation_keeps_sign_ins_and_can_go_back() {
    let sb = sandbox::Sandbox::start(sandbox::Config::default()).await.unwrap();
    let http = reqwest::Client::new();
    let token = admin_token(&http, &sb).await;
    let count = |what: &'static str| {
        let http = http.clone();
        let token = token.clone();
        let url = format!("{}/{what}/$count", sb.graph_url());
        async move {
            let resp = http
                .get(url)
                .bearer_auth(&token)
                .header("ConsistencyLevel", "eventual")
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "the sign-in from before the reset still works");
            resp.text().await.unwrap().trim().parse::<usize>().unwrap()
        }
    };
    let (seed_users, seed_groups) = (count("users").await, count("groups").await);

    sb.reset_to(Some((2_000, 200))).unwrap();
    assert_eq!(count("users").await, seed_users + 2_000);
    assert_eq!(count("groups").await, seed_groups + 200);

    sb.reset_to(None).unwrap();
    assert_eq!(count("users").await, seed_users, "back to the sample organisation");
    sb.shutdown().await;
}

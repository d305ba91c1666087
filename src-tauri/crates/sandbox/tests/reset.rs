//! "Reset the practice tenant" from the app: `Sandbox::reset` brings back the seed tenant.

use serde_json::{json, Value};

#[tokio::test]
async fn reset_brings_back_the_seed_tenant_and_expires_old_delta_links() {
    let sb = sandbox::Sandbox::start(sandbox::Config::default()).await.unwrap();
    let http = reqwest::Client::new();
    let token: Value = http
        .post(format!("{}/_sandbox/tokens", sb.base_url()))
        .json(&json!({"upn": "admin@contoso.com"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_string();
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

//! A token with read permissions only (a read-only sign-in) reads everything and changes nothing:
//! every write gets Graph's 403 `Authorization_RequestDenied`, inside `$batch` too, even for an admin.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const READ_ONLY: &str = "User.Read.All Group.Read.All GroupMember.Read.All Directory.Read.All RoleManagement.Read.Directory Organization.Read.All Contacts.Read";

async fn read_only_admin() -> T {
    let mut t = start().await;
    let minted: Value = t
        .http
        .post(format!("{}/_sandbox/tokens", t.sb.base_url()))
        .header(sandbox::ADMIN_SECRET_HEADER, t.sb.admin_secret())
        .json(&json!({"upn": ADMIN, "scope": READ_ONLY}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    t.token = minted["access_token"].as_str().unwrap().to_string();
    t
}

async fn user_count(t: &T) -> u64 {
    let (_, info) = t.admin(Method::GET, "/info", None).await;
    info["users"].as_u64().unwrap()
}

#[tokio::test]
async fn a_read_only_token_reads_and_every_write_is_refused_with_graphs_403() {
    let t = read_only_admin().await;
    let before = user_count(&t).await;
    let (status, users) = t.get("/users?$select=id,displayName").await;
    assert_eq!(status, StatusCode::OK);
    let adele = users["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["displayName"] == "Adele Vance")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = t.get("/groups").await;
    assert_eq!(status, StatusCode::OK);

    let new_user = json!({"accountEnabled": true, "displayName": "Read Only", "mailNickname": "ro",
        "userPrincipalName": "ro@contoso.com", "passwordProfile": {"password": "xWwvJ]6NMw+bWH-d"}});
    let writes = [
        t.post("/users", new_user).await,
        t.patch(&format!("/users/{adele}"), json!({"jobTitle": "Changed"}))
            .await,
        t.patch("/me", json!({"jobTitle": "Changed"})).await,
        t.post(&format!("/users/{adele}/revokeSignInSessions"), json!({})).await,
        t.post("/me/contacts", json!({"givenName": "Pavel"})).await,
    ];
    for (status, body) in writes {
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_graph_error(&body, "Authorization_RequestDenied");
    }
    assert_eq!(t.delete(&format!("/users/{adele}")).await, StatusCode::FORBIDDEN);

    // Inside $batch: the reads are answered, the write is refused on its own.
    let (status, batch) = t
        .post(
            "/$batch",
            json!({"requests": [
                {"id": "1", "method": "GET", "url": format!("/users/{adele}")},
                {"id": "2", "method": "PATCH", "url": format!("/users/{adele}"),
                 "headers": {"Content-Type": "application/json"}, "body": {"jobTitle": "Changed"}},
            ]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{batch}");
    let answer = |id: &str| {
        batch["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["status"]
            .as_u64()
            .unwrap()
    };
    assert_eq!((answer("1"), answer("2")), (200, 403));

    // Nothing changed.
    assert_eq!(user_count(&t).await, before);
    let (_, adele_now) = t.get(&format!("/users/{adele}?$select=jobTitle")).await;
    assert_ne!(adele_now["jobTitle"], "Changed");

    // The same admin with the app's full permissions may write.
    let full = start().await;
    let (status, _) = full.patch("/me", json!({"jobTitle": "Changed"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
}

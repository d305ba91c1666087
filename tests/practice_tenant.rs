//! The practice tenant end to end, without a window: the real sign-in code path (authorize URL with
//! PKCE, loopback listener, a scripted "browser" clicking an account on the practice tenant's
//! sign-in page, code exchange), then Microsoft Graph through `msgraph` with that session, and a
//! change made by "another admin" seen through a delta walk.

use std::sync::Arc;

use msgraph::{DeltaResource, DeltaStart, ListQuery, TokenProvider};
use signin::{AccountsFile, CancelHandle, CloudLogin, Profile, TokenStore};

mod common;
use common::ScriptedBrowser;

async fn signed_in_practice(sandbox: &sandbox::Sandbox, dir: &std::path::Path) -> signin::Session {
    let store = TokenStore::with_store("entra-desk-test", keyring_core::mock::Store::new().unwrap());
    let accounts = AccountsFile::new(dir.join("accounts.json"));
    let authority = url::Url::parse(&format!("{}/{}", sandbox.base_url(), sandbox.tenant_id())).unwrap();
    let profile = Profile::practice(
        "practice",
        "Practice tenant",
        authority,
        sandbox.client_id(),
        msgraph::Cloud::Global.default_scopes(),
    );
    signin::sign_in_interactive(
        &profile,
        &ScriptedBrowser::new("admin@contoso.com"),
        CancelHandle::new(),
        &store,
        &accounts,
    )
    .await
    .expect("sign-in to the practice tenant")
}

#[tokio::test]
async fn sign_in_to_the_practice_tenant_then_list_users_and_see_a_new_one_in_delta() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox::Sandbox::start(sandbox::Config::default()).await.unwrap();
    let session = signed_in_practice(&sandbox, dir.path()).await;
    assert_eq!(session.account().display_name, "MOD Administrator");
    assert_eq!(session.account().username, "admin@contoso.com");
    assert_eq!(session.account().tenant_id, sandbox.tenant_id());

    let graph = msgraph::Client::new(
        url::Url::parse(&sandbox.graph_url()).unwrap(),
        Arc::new(session.clone()),
    );
    let users = graph
        .users()
        .list(ListQuery::new().select(directory::users::LIST_PROPERTIES).top(3))
        .collect_all()
        .await
        .unwrap();
    let names: Vec<_> = users.iter().filter_map(|u| u.display_name.clone()).collect();
    assert!(names.contains(&"Adele Vance".to_string()), "{names:?}");
    assert_eq!(users.len(), 8, "paging with $top=3 followed to the end");

    // Start tracking changes from now on, let another admin create a user, and see exactly that.
    let mut walk = graph.delta(DeltaResource::Users, &["displayName"], DeltaStart::Latest);
    let mut cursor = None;
    while let Some(page) = walk.next_page().await.unwrap() {
        assert!(page.objects.is_empty());
        cursor = page.delta_link;
    }
    let created = reqwest::Client::new()
        .post(format!("{}/_sandbox/users", sandbox.base_url()))
        .header(sandbox::ADMIN_SECRET_HEADER, sandbox.admin_secret())
        .json(&serde_json::json!({
            "accountEnabled": true, "displayName": "Nestor Wilke", "mailNickname": "NestorW",
            "userPrincipalName": "NestorW@contoso.com",
            "passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let mut walk = graph.delta(
        DeltaResource::Users,
        &["displayName"],
        DeltaStart::Resume(cursor.unwrap()),
    );
    let mut seen = vec![];
    while let Some(page) = walk.next_page().await.unwrap() {
        seen.extend(
            page.objects
                .into_iter()
                .map(|o| o.properties.get("displayName").cloned()),
        );
    }
    assert_eq!(seen, vec![Some(serde_json::json!("Nestor Wilke"))]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_refreshed_session_keeps_working_and_never_reuses_an_old_token() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox::Sandbox::start(sandbox::Config::default()).await.unwrap();
    let session = signed_in_practice(&sandbox, dir.path()).await;
    let first = session.access_token(false).await.unwrap();
    let forced = session.access_token(true).await.unwrap();
    assert_ne!(
        first.secret(),
        forced.secret(),
        "a forced refresh gets a new access token"
    );
    let graph = msgraph::Client::new(url::Url::parse(&sandbox.graph_url()).unwrap(), Arc::new(session));
    let me = graph
        .users()
        .get(&msgraph::UserRef::parse("admin@contoso.com"), &["displayName"])
        .await
        .unwrap();
    assert_eq!(me.display_name.as_deref(), Some("MOD Administrator"));
    sandbox.shutdown().await;
}

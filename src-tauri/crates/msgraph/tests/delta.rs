//! Delta walks, against Microsoft's delta-query examples.

mod common;

use common::*;
use futures::FutureExt;
use mockito::Matcher;
use msgraph::{DeltaCursor, DeltaResource, DeltaStart, ErrorKind, MemberDelta, RemovedReason};

#[tokio::test]
async fn users_full_walk_reports_removed_reasons_and_ends_with_the_delta_link() {
    let mut h = harness().await;
    let first = h
        .server
        .mock("GET", "/v1.0/users/delta")
        .match_query(Matcher::Exact("$select=displayName%2CgivenName%2Csurname".into()))
        .match_header("authorization", bearer(1).as_str())
        .with_body(h.fixture("delta_users_initial"))
        .expect(1)
        .create_async()
        .await;
    let last = h
        .server
        .mock("GET", "/v1.0/users/delta")
        .match_query(Matcher::Exact("$skiptoken=oEBwdSP6uehIAxQOWq_3Ksh_TLol6KIm".into()))
        .with_body(h.fixture("delta_users_final"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let mut walk = h.client.delta(
        DeltaResource::Users,
        &["displayName", "givenName", "surname"],
        DeltaStart::Full,
    );
    let p1 = walk.next_page().await.unwrap().unwrap();
    assert_eq!(p1.delta_link, None);
    assert_eq!(p1.objects.len(), 3);
    assert_eq!(p1.objects[0].id, "ffff7b1a-13b6-477b-8c0c-380905cd99f7");
    assert_eq!(p1.objects[0].properties["displayName"], "Cameron White");
    assert_eq!(p1.objects[0].removed, None);
    assert_eq!(p1.objects[1].id, "86462606-fde0-4fc4-9e0c-a20eb73e54c6");
    assert_eq!(p1.objects[1].removed, Some(RemovedReason::Deleted));
    assert!(p1.objects[1].properties.is_empty());

    let p2 = walk.next_page().await.unwrap().unwrap();
    assert_eq!(p2.objects[0].properties["surname"], "Holloway");
    let cursor = p2.delta_link.expect("the last page carries the deltaLink");
    assert_eq!(
        cursor.0,
        format!(
            "{}/users/delta?$deltatoken=oEcOySpF_hWYmTIUZBOIfPzcwisr_rPe8o9M",
            h.base()
        )
    );
    assert!(walk.next_page().await.unwrap().is_none());
    first.assert_async().await;
    last.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn resuming_from_a_cursor_reports_soft_deleted_users_as_changed() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users/delta")
        .match_query(Matcher::Exact(
            "$deltatoken=oEcOySpF_hWYmTIUZBOIfPzcwisr_rPe8o9M".into(),
        ))
        .with_body(h.fixture("delta_users_changes"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let cursor = DeltaCursor(format!(
        "{}/users/delta?$deltatoken=oEcOySpF_hWYmTIUZBOIfPzcwisr_rPe8o9M",
        h.base()
    ));
    let mut walk = h
        .client
        .delta(DeltaResource::Users, &["ignored"], DeltaStart::Resume(cursor));
    let page = walk.next_page().await.unwrap().unwrap();
    assert_eq!(page.objects[0].properties["displayName"], "MOD Administrator");
    assert_eq!(page.objects[1].removed, Some(RemovedReason::Changed));
    assert!(page.delta_link.is_some());
    assert!(walk.next_page().await.unwrap().is_none());
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn latest_asks_for_deltatoken_latest_and_gets_only_a_delta_link() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/groups/delta")
        .match_query(Matcher::Exact(
            "$select=displayName%2Cdescription%2Cmembers&$deltatoken=latest".into(),
        ))
        .with_body(h.fixture("delta_users_latest"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    // `members` is added for groups when the caller forgot it
    let mut walk = h.client.delta(
        DeltaResource::Groups,
        &["displayName", "description"],
        DeltaStart::Latest,
    );
    let page = walk.next_page().await.unwrap().unwrap();
    assert!(page.objects.is_empty());
    assert!(page.delta_link.is_some());
    assert!(walk.next_page().await.unwrap().is_none());
    m.assert_async().await;
    unexpected.assert_async().await;
}

// Long: one delta round of four pages built from Microsoft's description, and what each page must give.
#[tokio::test]
async fn group_members_delta_split_across_pages_with_an_empty_page_between() {
    let mut h = harness().await;
    let base = h.base();
    let p1 = h
        .server
        .mock("GET", "/v1.0/groups/delta")
        .match_query(Matcher::Exact("$select=displayName%2Cdescription%2Cmembers".into()))
        .with_body(h.fixture("delta_groups_initial"))
        .expect(1)
        .create_async()
        .await;
    // Graph splits a big group's members over pages ("Paging through members in a large group")
    // and may send empty pages with a nextLink; this page is built from that description.
    let p2 = h
        .server
        .mock("GET", "/v1.0/groups/delta")
        .match_query(Matcher::Exact(
            "$skiptoken=pqwSUjGYvb3jQpbwVAwEL7yuI3dU1LecfkkfLPtnIjvB7XnF_yllFsCrZJ".into(),
        ))
        .with_body(
            serde_json::json!({
                "@odata.nextLink": format!("{base}/groups/delta?$skiptoken=empty"),
                "value": []
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let p3 = h
        .server
        .mock("GET", "/v1.0/groups/delta")
        .match_query(Matcher::Exact("$skiptoken=empty".into()))
        .with_body(
            serde_json::json!({
                "@odata.nextLink": format!("{base}/groups/delta?$skiptoken=more"),
                "value": [{
                    "id": "c2f798fd-f95d-4623-8824-63aec21fffff",
                    "members@delta": [
                        {"@odata.type": "#microsoft.graph.group", "id": "2e5807ce-58f3-4a94-9b37-ffff2e085957"}
                    ]
                }]
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let p4 = h
        .server
        .mock("GET", "/v1.0/groups/delta")
        .match_query(Matcher::Exact("$skiptoken=more".into()))
        .with_body(h.fixture("delta_groups_member_changes"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let mut walk = h.client.delta(
        DeltaResource::Groups,
        &["displayName", "description", "members"],
        DeltaStart::Full,
    );
    let mut pages = Vec::new();
    while let Some(p) = walk.next_page().await.unwrap() {
        pages.push(p);
    }
    assert_eq!(pages.len(), 4);
    let g1 = &pages[0].objects[0];
    assert_eq!(g1.properties["displayName"], "TestGroup1");
    assert_eq!(g1.members_delta.len(), 2);
    assert!(g1.members_delta.iter().all(|m| !m.removed));
    assert!(pages[0].objects[1].members_delta.is_empty());
    assert!(pages[1].objects.is_empty() && pages[1].delta_link.is_none());
    assert_eq!(pages[2].objects[0].id, g1.id);
    assert_eq!(
        pages[2].objects[0].members_delta,
        vec![MemberDelta {
            id: "2e5807ce-58f3-4a94-9b37-ffff2e085957".into(),
            odata_type: Some("#microsoft.graph.group".into()),
            removed: false
        }]
    );
    let g3 = &pages[3].objects[0];
    assert_eq!(
        g3.members_delta
            .iter()
            .map(|m| (m.id.as_str(), m.removed))
            .collect::<Vec<_>>(),
        [
            ("632f6bb2-3ec8-4c1f-9073-0027a8c6859", true),
            ("37de1ae3-408f-4702-8636-20824abda004", false)
        ]
    );
    assert!(!g3.properties.contains_key("members@delta"));
    assert!(pages[3].delta_link.is_some());
    for m in [p1, p2, p3, p4] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn microsofts_group_delta_example_with_default_properties_decodes() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/groups/delta")
        .match_query(Matcher::Exact("$select=members".into()))
        .with_body(h.fixture("groups_delta"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let mut walk = h.client.delta(DeltaResource::Groups, &[], DeltaStart::Full);
    // Microsoft's example omits the group's `id`: that is reported, with the JSON path.
    let err = walk.next_page().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.json_path(), Some("value[0]"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn expired_tokens_become_delta_expired_for_both_signals() {
    // 400 syncStateNotFound
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users/delta")
        .match_query(Matcher::Exact("$deltatoken=old".into()))
        .with_status(400)
        .with_body(error_body(
            "syncStateNotFound",
            "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
            "rid-ssnf",
        ))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let cursor = DeltaCursor(format!("{}/users/delta?$deltatoken=old", h.base()));
    let err = h
        .client
        .delta(DeltaResource::Users, &[], DeltaStart::Resume(cursor))
        .next_page()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DeltaExpired);
    assert_eq!(err.request_id(), Some("rid-ssnf"));
    m.assert_async().await;
    unexpected.assert_async().await;

    // 410 Gone with a Location header and no body
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/groups/delta")
        .match_query(Matcher::Exact("$deltatoken=old".into()))
        .with_status(410)
        .with_header("Location", &format!("{}/groups/delta?$deltatoken=", h.base()))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let cursor = DeltaCursor(format!("{}/groups/delta?$deltatoken=old", h.base()));
    let err = h
        .client
        .delta(DeltaResource::Groups, &[], DeltaStart::Resume(cursor))
        .next_page()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DeltaExpired);
    assert_eq!(err.status(), Some(410));
    m.assert_async().await;
    unexpected.assert_async().await;

    // resyncRequired (Graph's other reset code)
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users/delta")
        .with_status(410)
        .with_body(error_body("resyncRequired", "Resync required.", "rid-rr"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .delta(DeltaResource::Users, &[], DeltaStart::Full)
        .next_page()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DeltaExpired);
    assert_eq!(err.code(), Some("resyncRequired"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn a_delta_walk_is_static_and_send() {
    fn assert_static_send<T: Send + 'static>(_: &T) {}
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users/delta")
        .match_query(Matcher::Exact("$deltatoken=latest".into()))
        .with_body(h.fixture("delta_users_latest"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let walk = h.client.delta(DeltaResource::Users, &[], DeltaStart::Latest);
    assert_static_send(&walk);
    // the walk owns its client: it runs on another task after the caller's handle is gone
    let client = h.client.clone();
    drop(client);
    let handle = tokio::spawn(async move {
        let mut walk = walk;
        walk.next_page().await
    });
    let page = handle.await.unwrap().unwrap().unwrap();
    assert!(page.delta_link.is_some());
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn the_catch_all_fails_loudly_on_an_unexpected_request() {
    let mut h = harness().await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .delta(DeltaResource::Users, &[], DeltaStart::Full)
        .next_page()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("UnexpectedRequest"));
    let outcome = std::panic::AssertUnwindSafe(unexpected.assert_async())
        .catch_unwind()
        .await;
    assert!(outcome.is_err(), "the catch-all must fail the test");
}

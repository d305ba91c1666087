//! Delta over HTTP: initial rounds, resumed rounds, removals, members@delta paging, token expiry.

mod common;
use common::*;
use reqwest::Method;
use sandbox::Config;
use serde_json::{json, Value};

fn small_pages() -> Config {
    Config {
        delta_page_size: 3,
        ..Config::default()
    }
}

fn by_id(items: &[Value], id: &str) -> Vec<Value> {
    items.iter().filter(|i| i["id"] == id).cloned().collect()
}

#[tokio::test]
async fn users_delta_initial_round_then_changes() {
    let t = start_with(small_pages()).await;
    let (items, last, pages) = t.walk("/users/delta?$select=displayName,jobTitle", &[]).await;
    assert_eq!(items.len(), 8);
    assert_eq!(pages, 3, "8 users at 3 per page");
    assert!(last["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#users(displayName,jobTitle)"));
    let delta = last["@odata.deltaLink"].as_str().unwrap().to_string();
    assert!(delta.contains("$deltatoken="));
    assert!(items.iter().all(|i| i.get("@removed").is_none() && i["id"].is_string()));

    // Nothing changed yet.
    let (again, last2, _) = t.walk(&delta, &[]).await;
    assert!(again.is_empty());
    assert!(last2["@odata.deltaLink"].is_string());

    // Create, update a tracked and an untracked property, soft delete, hard delete.
    let (_, created) = t.post("/users", json!({"accountEnabled": true, "displayName": "Delta New", "mailNickname": "dn", "userPrincipalName": "dn@contoso.com", "passwordProfile": {"password": "Delta-Passw0rd"}})).await;
    let new_id = created["id"].as_str().unwrap().to_string();
    t.patch("/users/AdeleV@contoso.com", json!({"jobTitle": "Store Manager"}))
        .await;
    t.patch("/users/GradyA@contoso.com", json!({"mobilePhone": "+1 555 0100"}))
        .await; // not selected: not reported
    t.delete("/users/SaraD@contoso.com").await;
    t.admin(Method::DELETE, "/users/DiegoS@contoso.com?hard=true", None)
        .await;

    let (changes, last3, _) = t.walk(&delta, &[]).await;
    let ids: Vec<&str> = changes.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(changes.len(), 4, "{changes:?}");
    let n = &by_id(&changes, &new_id)[0];
    assert!(n.get("@removed").is_none(), "created objects carry no annotation");
    assert_eq!(n["displayName"], "Delta New");
    let a = &by_id(&changes, "87d349ed-44d7-43e1-9a83-5f2406dee5bd")[0];
    assert_eq!(a["jobTitle"], "Store Manager");
    assert_eq!(
        a["displayName"], "Adele Vance",
        "default shape returns changed and unchanged selected properties"
    );
    assert!(
        !ids.contains(&"e8b753b5-4117-464e-9a08-713e1ff266b3"),
        "untracked property change is not reported"
    );
    assert_eq!(
        by_id(&changes, "263a1289-8282-4bf7-91f7-550d9bba8c02")[0]["@removed"]["reason"],
        "changed"
    );
    assert_eq!(
        by_id(&changes, "24fcbca3-c3e2-48bf-9ffc-c7f81b81483d")[0]["@removed"]["reason"],
        "deleted"
    );

    // Prefer: return=minimal → only changed properties.
    t.patch("/users/AdeleV@contoso.com", json!({"displayName": "Adele V."}))
        .await;
    let d3 = last3["@odata.deltaLink"].as_str().unwrap().to_string();
    let (min, _, _) = t.walk(&d3, &[("Prefer", "return=minimal")]).await;
    assert_eq!(min.len(), 1);
    assert_eq!(
        min[0].as_object().unwrap().keys().cloned().collect::<Vec<_>>(),
        vec!["displayName", "id"]
    );

    // Restore after soft delete: comes back without annotation.
    t.post(
        "/directory/deletedItems/263a1289-8282-4bf7-91f7-550d9bba8c02/restore",
        json!({}),
    )
    .await;
    let (_, last4) = t.get(&d3).await;
    let restored = by_id(
        last4["value"].as_array().unwrap(),
        "263a1289-8282-4bf7-91f7-550d9bba8c02",
    );
    assert_eq!(restored.len(), 1);
    assert!(restored[0].get("@removed").is_none());
}

#[tokio::test]
async fn latest_token_skips_the_initial_round_and_filter_tracks_ids() {
    let t = start().await;
    let (s, v) = t.get("/users/delta?$deltatoken=latest").await;
    assert_eq!(s, 200);
    assert_eq!(v["value"], json!([]));
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    t.patch("/users/AdeleV@contoso.com", json!({"jobTitle": "x"})).await;
    t.patch("/users/admin@contoso.com", json!({"jobTitle": "y"})).await;
    let (_, v) = t.get(&link).await;
    assert_eq!(v["value"].as_array().unwrap().len(), 2);

    let (_, v) = t
        .get("/users/delta?$filter=id eq '87d349ed-44d7-43e1-9a83-5f2406dee5bd'")
        .await;
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    t.patch("/users/AdeleV@contoso.com", json!({"jobTitle": "z"})).await;
    t.patch("/users/admin@contoso.com", json!({"jobTitle": "w"})).await;
    let (_, v) = t.get(&link).await;
    assert_eq!(
        v["value"].as_array().unwrap().len(),
        1,
        "only the filtered id is tracked"
    );
    let (s, _) = t.get("/users/delta?$filter=displayName eq 'x'").await;
    assert_eq!(s, 400);
    let (s, v) = t.get("/users/delta?$select=skills").await;
    assert_eq!(s, 501);
    assert_eq!(v["error"]["message"], "This operation target is not yet supported.");
}

#[tokio::test]
async fn delta_tokens_expire_with_sync_state_not_found() {
    let t = start().await;
    let (_, v) = t.get("/groups/delta?$deltatoken=latest").await;
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    assert_eq!(t.get(&link).await.0, 200);
    // Default lifetime is 7 days.
    t.admin(Method::POST, "/clock", Some(json!({"advance_secs": 7 * 24 * 3600 + 1})))
        .await;
    let mut t2 = t;
    t2.token = mint(&t2.http, &t2.sb, ADMIN).await;
    let (s, v) = t2.get(&link).await;
    assert_eq!(s, 400);
    assert_graph_error(&v, "syncStateNotFound");
    assert_eq!(
        v["error"]["message"],
        "The sync state generation is not found. The delta token is expired and data must be synchronized again."
    );
    // Forced expiry through the admin API.
    let (_, v) = t2.get("/users/delta?$deltatoken=latest").await;
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    t2.admin(Method::POST, "/delta/expire", None).await;
    assert_eq!(t2.get(&link).await.0, 400);
    // And as a fault rule (once).
    let (_, v) = t2.get("/users/delta?$deltatoken=latest").await;
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    t2.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "expired_delta", "count": 1})),
    )
    .await;
    assert_eq!(t2.get(&link).await.0, 400);
    assert_eq!(t2.get(&link).await.0, 200);
    // A tampered token is refused the same way.
    let (s, _) = t2.get(&format!("{}A", link)).await;
    assert_eq!(s, 400);
}

// Long: one delta round after another; each reads the deltaLink the previous one returned.
#[tokio::test]
async fn group_delta_members_split_across_pages_and_membership_changes() {
    let t = start_with(Config {
        generate: Some((30, 0)),
        delta_page_size: 5,
        ..Config::default()
    })
    .await;
    let (_, g) = t
        .admin(Method::POST, "/groups", Some(json!({"displayName": "Big Group"})))
        .await;
    let gid = g["id"].as_str().unwrap().to_string();
    let (_, users) = t.get("/users?$select=id&$top=20").await;
    let uids: Vec<String> = users["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    for u in &uids[..12] {
        let (s, _) = t
            .admin(Method::POST, &format!("/groups/{gid}/members"), Some(json!({"id": u})))
            .await;
        assert_eq!(s, 204);
    }
    let (items, last, pages) = t.walk("/groups/delta?$select=displayName,members", &[]).await;
    assert!(pages >= 4);
    let slices = by_id(&items, &gid);
    assert!(
        slices.len() >= 3,
        "12 members at page size 5 span several pages: {slices:?}"
    );
    let mut members: Vec<String> = slices
        .iter()
        .flat_map(|s| s["members@delta"].as_array().cloned().unwrap_or_default())
        .map(|m| {
            assert_eq!(m["@odata.type"], "#microsoft.graph.user");
            m["id"].as_str().unwrap().to_string()
        })
        .collect();
    members.sort();
    let mut want = uids[..12].to_vec();
    want.sort();
    assert_eq!(members, want, "every member exactly once");
    assert_eq!(slices[0]["displayName"], "Big Group");
    let seeded: Vec<&Value> = items.iter().filter(|i| i["id"] != gid.as_str()).collect();
    assert_eq!(seeded.len(), 8);

    // Membership changes appear as members@delta on the group.
    let link = last["@odata.deltaLink"].as_str().unwrap().to_string();
    t.admin(Method::DELETE, &format!("/groups/{gid}/members/{}", uids[0]), None)
        .await;
    t.post(
        &format!("/groups/{gid}/members/$ref"),
        json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{}", uids[15])}),
    )
    .await;
    let (items, _, _) = t.walk(&link, &[]).await;
    let g = by_id(&items, &gid);
    assert_eq!(g.len(), 1);
    let md = g[0]["members@delta"].as_array().unwrap();
    assert_eq!(md.len(), 2);
    assert_eq!(md[0]["id"], uids[0].as_str());
    assert_eq!(md[0]["@removed"]["reason"], "deleted");
    assert_eq!(md[1]["id"], uids[15].as_str());
    assert!(md[1].get("@removed").is_none());
    // Deleting a user shows as a removed member too.
    let (_, v) = t.get("/groups/delta?$deltatoken=latest").await;
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    t.delete(&format!("/users/{}", uids[1])).await;
    let (items, _, _) = t.walk(&link, &[]).await;
    let md = by_id(&items, &gid)[0]["members@delta"].clone();
    assert_eq!(
        md,
        json!([{"@odata.type": "#microsoft.graph.user", "id": uids[1], "@removed": {"reason": "deleted"}}])
    );
    // Deleted groups: M365 soft (changed), security hard (deleted).
    let (_, v) = t.get("/groups/delta?$deltatoken=latest").await;
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    t.delete("/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315").await;
    t.delete(&format!("/groups/{gid}")).await;
    let (items, _, _) = t.walk(&link, &[]).await;
    assert_eq!(
        by_id(&items, "02bd9fd6-8f93-4758-87c3-1fb73740a315")[0]["@removed"]["reason"],
        "changed"
    );
    assert_eq!(by_id(&items, &gid)[0]["@removed"]["reason"], "deleted");
}

#[tokio::test]
async fn manager_and_owners_are_tracked_when_selected() {
    let t = start().await;
    let adele = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    let diego = "24fcbca3-c3e2-48bf-9ffc-c7f81b81483d";
    let sara = "263a1289-8282-4bf7-91f7-550d9bba8c02";
    let hr = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
    let bind = |id: &str| json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/users/{id}")});
    t.call(
        Method::PUT,
        &format!("/users/{adele}/manager/$ref"),
        Some(bind(diego)),
        &[],
    )
    .await;
    let (items, last, _) = t.walk("/users/delta?$select=displayName,manager", &[]).await;
    let a = &by_id(&items, adele)[0];
    assert_eq!(
        a["manager@delta"],
        json!([{"@odata.type": "#microsoft.graph.user", "id": diego}])
    );
    assert!(by_id(&items, diego)[0].get("manager@delta").is_none());
    let link = last["@odata.deltaLink"].as_str().unwrap().to_string();
    // Changing the manager reports the old one removed and the new one added; nothing else changed.
    let (s, _, _) = t
        .call(
            Method::PUT,
            &format!("/users/{adele}/manager/$ref"),
            Some(bind(sara)),
            &[],
        )
        .await;
    assert_eq!(s, 204);
    let (items, last, _) = t.walk(&link, &[]).await;
    assert_eq!(items.len(), 1);
    assert_eq!(
        items[0]["manager@delta"],
        json!([{"@odata.type": "#microsoft.graph.user", "id": diego, "@removed": {"reason": "deleted"}}, {"@odata.type": "#microsoft.graph.user", "id": sara}])
    );
    let link = last["@odata.deltaLink"].as_str().unwrap().to_string();
    assert_eq!(t.delete(&format!("/users/{adele}/manager/$ref")).await, 204);
    let (items, _, _) = t.walk(&link, &[]).await;
    assert_eq!(
        items[0]["manager@delta"],
        json!([{"@odata.type": "#microsoft.graph.user", "id": sara, "@removed": {"reason": "deleted"}}])
    );
    // Without manager in $select, manager changes are not tracked.
    let (_, v) = t.get("/users/delta?$deltatoken=latest&$select=displayName").await;
    let plain = v["@odata.deltaLink"].as_str().unwrap().to_string();
    t.call(
        Method::PUT,
        &format!("/users/{adele}/manager/$ref"),
        Some(bind(diego)),
        &[],
    )
    .await;
    assert_eq!(t.get(&plain).await.1["value"], json!([]));

    // Owners.
    let (_, v) = t
        .get("/groups/delta?$deltatoken=latest&$select=displayName,owners")
        .await;
    let link = v["@odata.deltaLink"].as_str().unwrap().to_string();
    assert_eq!(t.post(&format!("/groups/{hr}/owners/$ref"), bind(diego)).await.0, 204);
    let (items, _, _) = t.walk(&link, &[]).await;
    let g = &by_id(&items, hr)[0];
    assert_eq!(
        g["owners@delta"],
        json!([{"@odata.type": "#microsoft.graph.user", "id": diego}])
    );
    assert!(
        g.get("members@delta").is_none(),
        "members are not tracked when $select omits them"
    );
    let (items, _, _) = t.walk("/groups/delta?$select=displayName,owners", &[]).await;
    assert_eq!(
        by_id(&items, hr)[0]["owners@delta"],
        json!([{"@odata.type": "#microsoft.graph.user", "id": diego}])
    );
}

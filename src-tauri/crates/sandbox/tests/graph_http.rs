//! Graph behaviour over HTTP against a started sandbox.

mod common;
use common::*;
use reqwest::{Method, StatusCode};
use sandbox::Config;
use serde_json::{json, Value};

#[tokio::test]
async fn missing_forged_and_expired_tokens_get_graphs_401() {
    let t = start().await;
    let r = t.http.get(t.url("/users")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().get("request-id").is_some());
    assert!(r.headers().get("www-authenticate").is_some());
    let v: Value = r.json().await.unwrap();
    assert_graph_error(&v, "InvalidAuthenticationToken");
    assert_eq!(v["error"]["message"], "Access token is empty.");

    let mut forged = t.token.clone();
    forged.push('x');
    let v: Value = t
        .http
        .get(t.url("/users"))
        .bearer_auth(&forged)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_graph_error(&v, "InvalidAuthenticationToken");

    // Move the sandbox clock past the token's lifetime.
    t.admin(Method::POST, "/clock", Some(json!({"advance_secs": 4000})))
        .await;
    let (s, v) = t.get("/me").await;
    assert_eq!(s, 401);
    assert_eq!(
        v["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );
}

#[tokio::test]
async fn every_error_carries_the_envelope_and_ids() {
    let t = start().await;
    let (s, h, v) = t
        .call(
            Method::GET,
            "/users/nobody@contoso.com",
            None,
            &[("client-request-id", "my-trace-1")],
        )
        .await;
    assert_eq!(s, 404);
    assert_graph_error(&v, "Request_ResourceNotFound");
    assert_eq!(v["error"]["innerError"]["client-request-id"], "my-trace-1");
    assert_eq!(h["client-request-id"], "my-trace-1");
    assert_eq!(
        h["request-id"].to_str().unwrap(),
        v["error"]["innerError"]["request-id"].as_str().unwrap()
    );
    let (s, v) = t.get("/nonsense").await;
    assert_eq!(s, 400);
    assert_graph_error(&v, "BadRequest");
}

#[tokio::test]
async fn users_page_with_opaque_next_links() {
    let t = start_with(Config {
        generate: Some((250, 0)),
        ..Config::default()
    })
    .await;
    let (s, v) = t.get("/users").await;
    assert_eq!(s, 200);
    assert_eq!(v["value"].as_array().unwrap().len(), 100, "default page size");
    let next = v["@odata.nextLink"].as_str().unwrap();
    assert!(
        next.contains("$skiptoken=") && !next.contains("skip=1") && !next.contains("$skip="),
        "{next}"
    );
    let (items, last, pages) = t.walk("/users?$top=999&$select=id,displayName", &[]).await;
    assert_eq!(pages, 1);
    assert_eq!(items.len(), 258);
    assert!(last.get("@odata.nextLink").is_none());
    assert_eq!(
        items[0].as_object().unwrap().len(),
        2,
        "$select keeps only selected properties"
    );
    let (items, _, pages) = t.walk("/users?$top=7", &[]).await;
    assert_eq!(pages, 37);
    let ids: std::collections::HashSet<_> = items.iter().map(|u| u["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 258, "no duplicates, nothing missed");
    // A tampered skiptoken is refused.
    let bad = format!("{}x", &next[..next.len() - 3]);
    let (s, v) = t.get(&bad).await;
    assert_eq!(s, 400, "{v}");
}

#[tokio::test]
async fn top_bounds_filters_and_advanced_queries() {
    let t = start().await;
    let (s, v) = t.get("/users?$top=1000").await;
    assert_eq!(s, 400);
    assert_eq!(
        v["error"]["message"],
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
    );
    let (s, v) = t.get("/users?$top=0").await;
    assert_eq!(s, 400, "{v}");

    let (_, v) = t
        .get("/users?$filter=startswith(displayName,'Ad')&$select=displayName")
        .await;
    let names: Vec<&str> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Adele Vance"]);
    let (_, v) = t
        .get("/users?$filter=mail%20eq%20'meganb@m365x214355.onmicrosoft.com'")
        .await;
    assert_eq!(v["value"][0]["displayName"], "Megan Bowen");
    let (_, v) = t.get("/users?$filter=userPrincipalName in ('AdeleV@contoso.com','admin@contoso.com') or displayName eq 'Sara Davis'").await;
    assert_eq!(v["value"].as_array().unwrap().len(), 3);

    let (s, v) = t.get("/users?$filter=displayName ne 'x'").await;
    assert_eq!(s, 400);
    assert_graph_error(&v, "Request_UnsupportedQuery");
    let (s, v) = t
        .get_ev("/users?$filter=endswith(mail,'@contoso.com')&$count=true&$orderby=displayName")
        .await;
    assert_eq!(s, 200, "{v}");
    let n = v["@odata.count"].as_u64().unwrap();
    assert_eq!(n as usize, v["value"].as_array().unwrap().len());
    assert_eq!(v["value"][0]["displayName"], "Adele Vance");
    let (s, v) = t
        .get("/users?$filter=startswith(displayName,'A')&$orderby=displayName")
        .await;
    assert_eq!(s, 400);
    assert_eq!(v["error"]["message"], "Sorting not supported for current query.");
    let (s, v) = t.get("/users?$count=true").await;
    assert_eq!(s, 200);
    assert!(v.get("@odata.count").is_none(), "$count without the header is ignored");

    let (s, v) = t.get("/users?$search=\"displayName:vance\"").await;
    assert_eq!(s, 400);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("ConsistencyLevel: eventual"));
    let (s, v) = t
        .get_ev("/users?$search=\"displayName:vance\" OR \"displayName:bowen\"&$orderby=displayName")
        .await;
    assert_eq!(s, 200);
    let names: Vec<&str> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Adele Vance", "Megan Bowen"]);
    let (s, v) = t.get("/users/$count").await;
    assert_eq!(s, 400);
    assert_eq!(v["error"]["message"], "$count is not currently supported.");
    let (s, h, v) = t
        .call(Method::GET, "/users/$count", None, &[("ConsistencyLevel", "eventual")])
        .await;
    assert_eq!((s, v), (StatusCode::OK, json!(8)));
    assert_eq!(h["content-type"], "text/plain");
    let (s, v) = t.get("/users?$select=bogusProp").await;
    assert_eq!(s, 400, "{v}");
}

// Long: one user's life (create, read by each UPN form, update, delete, restore), in order.
#[tokio::test]
async fn user_crud_with_upn_forms_and_graph_validation() {
    let t = start().await;
    let new = json!({"accountEnabled": true, "displayName": "Pat Practice", "mailNickname": "pat", "userPrincipalName": "pat@contoso.com",
                     "passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d"}});
    let (s, u) = t.post("/users", new.clone()).await;
    assert_eq!(s, 201, "{u}");
    assert!(u.get("passwordProfile").is_none());
    let id = u["id"].as_str().unwrap().to_string();
    let (s, v) = t.post("/users", new).await;
    assert_eq!(s, 400);
    assert_eq!(
        v["error"]["message"],
        "Another object with the same value for property userPrincipalName already exists."
    );
    assert_eq!(v["error"]["details"][0]["code"], "ObjectConflict");
    let (s, v) = t.post("/users", json!({"accountEnabled": true, "displayName": "X", "mailNickname": "x", "userPrincipalName": "x@contoso.com"})).await;
    assert_eq!(s, 400);
    assert_eq!(
        v["error"]["message"],
        "A password must be specified to create a new user."
    );

    let (s, v) = t.get("/users/pat@contoso.com").await;
    assert_eq!((s, v["id"].as_str()), (StatusCode::OK, Some(id.as_str())));
    let (s, _) = t.get("/users/$pat@contoso.com").await;
    assert_eq!(s, 400, "a UPN starting with $ needs the (…) form");
    let (s, v) = t
        .get("/users('PAT%40contoso.com')?$select=displayName,accountEnabled")
        .await;
    assert_eq!(s, 200);
    assert_eq!(v["accountEnabled"], true);
    assert!(v["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#users(displayName,accountEnabled)/$entity"));
    let (s, _) = t
        .patch(
            &format!("/users/{id}"),
            json!({"jobTitle": "Trainer", "accountEnabled": false}),
        )
        .await;
    assert_eq!(s, 204);
    let (_, v) = t.get(&format!("/users/{id}?$select=jobTitle,accountEnabled")).await;
    assert_eq!(
        (v["jobTitle"].as_str(), v["accountEnabled"].as_bool()),
        (Some("Trainer"), Some(false))
    );
    let (s, _, v) = t
        .call(
            Method::PATCH,
            &format!("/users/{id}"),
            Some(json!({"officeLocation": "18/2111"})),
            &[("Prefer", "return=representation")],
        )
        .await;
    assert_eq!(s, 200, "Prefer: return=representation answers with the user");
    assert_eq!(v["officeLocation"], "18/2111");
    let (_, v) = t
        .get(&format!("/users/{id}?$select=otherMails,assignedPlans,mobilePhone"))
        .await;
    assert_eq!(
        (
            v["otherMails"].clone(),
            v["assignedPlans"].clone(),
            v["mobilePhone"].clone()
        ),
        (json!([]), json!([]), Value::Null),
        "unset collections are [] not null"
    );
    let (s, v) = t.patch(&format!("/users/{id}"), json!({"id": "x"})).await;
    assert_eq!(s, 400, "{v}");

    // Soft delete → deletedItems → restore.
    assert_eq!(t.delete(&format!("/users/{id}")).await, 204);
    assert_eq!(t.get(&format!("/users/{id}")).await.0, 404);
    let (_, v) = t.get("/directory/deletedItems/microsoft.graph.user").await;
    assert!(v["value"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["id"] == id.as_str() && u["deletedDateTime"].is_string()));
    let (s, v) = t
        .post(&format!("/directory/deletedItems/{id}/restore"), json!({}))
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["@odata.type"], "#microsoft.graph.user");
    assert_eq!(t.get("/users/pat@contoso.com").await.0, 200);
    // Permanent delete.
    assert_eq!(t.delete(&format!("/users/{id}")).await, 204);
    assert_eq!(t.delete(&format!("/directory/deletedItems/{id}")).await, 204);
    assert_eq!(
        t.post(&format!("/directory/deletedItems/{id}/restore"), json!({}))
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn invitations_make_ext_guests_reachable_by_encoded_upn() {
    let t = start().await;
    let (s, v) = t
        .post("/invitations", json!({"invitedUserEmailAddress": "robin@fabrikam.com", "inviteRedirectUrl": "https://myapps.microsoft.com", "invitedUserDisplayName": "Robin"}))
        .await;
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["status"], "PendingAcceptance");
    let gid = v["invitedUser"]["id"].as_str().unwrap().to_string();
    let (s, u) = t.get("/users/robin_fabrikam.com%23EXT%23@contoso.onmicrosoft.com?$select=id,userType,userPrincipalName,externalUserState").await;
    assert_eq!(s, 200, "{u}");
    assert_eq!(u["id"], gid.as_str());
    assert_eq!(u["userType"], "Guest");
    assert_eq!(
        u["userPrincipalName"],
        "robin_fabrikam.com#EXT#@contoso.onmicrosoft.com"
    );
    let (s, _) = t
        .post("/invitations", json!({"invitedUserEmailAddress": "robin@fabrikam.com"}))
        .await;
    assert_eq!(s, 400, "inviteRedirectUrl is required");
}

#[tokio::test]
async fn groups_members_and_member_of() {
    let t = start().await;
    let adele = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    let diego = "24fcbca3-c3e2-48bf-9ffc-c7f81b81483d";
    let (s, g) = t
        .post("/groups", json!({"displayName": "Practice Ops", "mailEnabled": false, "mailNickname": "practiceops", "securityEnabled": true,
                                "members@odata.bind": [format!("https://graph.microsoft.com/v1.0/directoryObjects/{adele}")]}))
        .await;
    assert_eq!(s, 201, "{g}");
    let gid = g["id"].as_str().unwrap().to_string();
    let (s, _) = t
        .post(
            &format!("/groups/{gid}/members/$ref"),
            json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{diego}")}),
        )
        .await;
    assert_eq!(s, 204);
    let (s, v) = t
        .post(
            &format!("/groups/{gid}/members/$ref"),
            json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{diego}")}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        v["error"]["message"],
        "One or more added object references already exist for the following modified properties: 'members'."
    );
    let (_, v) = t.get(&format!("/groups/{gid}/members?$select=id,displayName")).await;
    let ids: Vec<&str> = v["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![adele, diego]);
    assert_eq!(v["value"][0]["@odata.type"], "#microsoft.graph.user");
    let (_, v) = t.get(&format!("/users/{adele}/memberOf")).await;
    assert!(v["value"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["id"] == gid.as_str() && g["@odata.type"] == "#microsoft.graph.group"));
    let (s, v) = t.get(&format!("/groups/{gid}/members/microsoft.graph.device")).await;
    assert_eq!((s, v["value"].clone()), (StatusCode::OK, json!([])));
    let (s, v) = t.get(&format!("/groups/{gid}/members/microsoft.graph.banana")).await;
    assert_eq!(s, 400);
    assert_graph_error(&v, "Request_UnsupportedQuery");
    let (s, v) = t.get_ev(&format!("/groups/{gid}/members/microsoft.graph.user?$count=true&$search=\"displayName:diego\"&$select=id,department")).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["@odata.count"], 1);
    // PATCH with members@odata.bind is all-or-nothing.
    let (s, _) = t
        .patch(
            &format!("/groups/{gid}"),
            json!({"members@odata.bind": [format!("https://graph.microsoft.com/v1.0/directoryObjects/{diego}")]}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(t.delete(&format!("/groups/{gid}/members/{diego}/$ref")).await, 204);
    assert_eq!(t.delete(&format!("/groups/{gid}/members/{diego}/$ref")).await, 404);
    let (s, _) = t
        .patch(&format!("/groups/{gid}"), json!({"description": "Runs the practice"}))
        .await;
    assert_eq!(s, 204);
    let (_, v) = t.get(&format!("/groups/{gid}?$select=description")).await;
    assert_eq!(v["description"], "Runs the practice");
    // Security groups are deleted permanently; Microsoft 365 groups go to deletedItems.
    assert_eq!(t.delete(&format!("/groups/{gid}")).await, 204);
    let (_, v) = t.get("/directory/deletedItems/microsoft.graph.group").await;
    assert!(!v["value"].as_array().unwrap().iter().any(|g| g["id"] == gid.as_str()));
    assert_eq!(t.delete("/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315").await, 204);
    let (_, v) = t.get("/directory/deletedItems/microsoft.graph.group").await;
    assert!(v["value"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["id"] == "02bd9fd6-8f93-4758-87c3-1fb73740a315"));
}

#[tokio::test]
async fn licences_seats_and_usage_location() {
    let t = start().await;
    let e5 = "c7df2760-2c81-4ef7-b578-5b5392b571df";
    let (s, v) = t
        .post(
            &format!("/users/{ADELE}/assignLicense"),
            json!({"addLicenses": [{"skuId": e5, "disabledPlans": []}], "removeLicenses": []}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["assignedLicenses"][0]["skuId"], e5);
    assert_eq!(
        v["assignedPlans"][0]["servicePlanId"], "8c098270-9dd4-4350-9b30-ba4703f3b36b",
        "the SKU's plans become assignedPlans"
    );
    assert_eq!(v["assignedPlans"][0]["capabilityStatus"], "Enabled");
    let (_, skus) = t.get("/subscribedSkus").await;
    let sku = skus["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["skuId"] == e5)
        .unwrap()
        .clone();
    assert_eq!(sku["consumedUnits"], 1);
    let (_, v) = t.get(&format!("/users/{ADELE}/licenseDetails")).await;
    assert_eq!(v["value"][0]["skuPartNumber"], "ENTERPRISEPREMIUM");
    // Suspended SKU with no enabled seats.
    let (s, v) = t
        .post(
            &format!("/users/{ADELE}/assignLicense"),
            json!({"addLicenses": [{"skuId": "d17b27af-3f49-4822-99f9-56a661538792"}], "removeLicenses": []}),
        )
        .await;
    assert_eq!(s, 400);
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("does not have any available licenses"));
    t.patch(&format!("/users/{ADELE}"), json!({"usageLocation": null}))
        .await;
    let (s, v) = t
        .post(
            &format!("/users/{ADELE}/assignLicense"),
            json!({"addLicenses": [{"skuId": e5}], "removeLicenses": [e5]}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        v["error"]["message"],
        "License assignment cannot be done for user with invalid usage location."
    );
}

#[tokio::test]
async fn roles_assignments_and_non_admins() {
    let t = start().await;
    let (_, v) = t.get("/directoryRoles").await;
    assert_eq!(v["value"].as_array().unwrap().len(), 4);
    let (s, _) = t.get("/directoryRoles?$top=2").await;
    assert_eq!(s, 400, "directoryRoles does not page");
    let ua = "76f84d30-2759-4c66-915d-65c6e4083fa0";
    let (s, _) = t.post(&format!("/directoryRoles/{ua}/members/$ref"), json!({"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/87d349ed-44d7-43e1-9a83-5f2406dee5bd"})).await;
    assert_eq!(s, 204);
    let (_, v) = t
        .get("/directoryRoles(roleTemplateId='fe930be7-5e62-47db-91af-98c3a49a38b1')/members")
        .await;
    assert_eq!(v["value"][0]["id"], "87d349ed-44d7-43e1-9a83-5f2406dee5bd");
    let (_, v) = t.get("/roleManagement/directory/roleAssignments?$filter=principalId eq '87d349ed-44d7-43e1-9a83-5f2406dee5bd'&$expand=roleDefinition").await;
    assert_eq!(
        v["value"][0]["roleDefinitionId"],
        "fe930be7-5e62-47db-91af-98c3a49a38b1"
    );
    assert_eq!(v["value"][0]["roleDefinition"]["displayName"], "User Administrator");
    let (s, a) = t
        .post("/roleManagement/directory/roleAssignments", json!({"principalId": "24fcbca3-c3e2-48bf-9ffc-c7f81b81483d", "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8", "directoryScopeId": "/"}))
        .await;
    assert_eq!(s, 201, "{a}");
    let (_, v) = t.get("/users/24fcbca3-c3e2-48bf-9ffc-c7f81b81483d/memberOf").await;
    assert!(v["value"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["@odata.type"] == "#microsoft.graph.directoryRole"
            && r["roleTemplateId"] == "729827e3-9c14-49f7-bb1b-9608f156bbb8"));
    assert_eq!(
        t.delete(&format!(
            "/roleManagement/directory/roleAssignments/{}",
            a["id"].as_str().unwrap()
        ))
        .await,
        204
    );
    let (_, v) = t
        .get("/roleManagement/directory/roleDefinitions?$filter=displayName eq 'Helpdesk Administrator'")
        .await;
    assert_eq!(v["value"][0]["templateId"], "729827e3-9c14-49f7-bb1b-9608f156bbb8");

    // Megan holds no role: reads work, writes are denied.
    let mut megan = start().await;
    megan.token = mint(&megan.http, &megan.sb, "MeganB@M365x214355.onmicrosoft.com").await;
    assert_eq!(megan.get("/users").await.0, 200);
    let (s, v) = megan.patch(&format!("/users/{ADELE}"), json!({"jobTitle": "x"})).await;
    assert_eq!(s, 403);
    assert_graph_error(&v, "Authorization_RequestDenied");
    let (s, v) = megan.patch("/me", json!({"mobilePhone": "+1 412 555 0100"})).await;
    assert_eq!(s, 204, "{v}");
}

/// A custom role and the administrative units: listed as Graph lists them, a custom role given in a
/// unit, and a scope the directory does not have refused as Graph refuses it.
#[tokio::test]
async fn custom_roles_and_administrative_unit_scopes() {
    const ADELE_ID: &str = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    let t = start().await;
    let (_, v) = t
        .get("/roleManagement/directory/roleDefinitions?$filter=displayName eq 'Contoso Password Helper'")
        .await;
    let custom = v["value"][0].clone();
    assert_eq!(custom["isBuiltIn"], false, "{v}");
    let id = custom["id"].as_str().unwrap().to_string();
    let (s, one) = t.get(&format!("/roleManagement/directory/roleDefinitions/{id}")).await;
    assert_eq!(
        (s.as_u16(), one["displayName"].as_str()),
        (200, Some("Contoso Password Helper"))
    );
    let (_, units) = t.get("/directory/administrativeUnits").await;
    let names: Vec<&str> = units["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|u| u["displayName"].as_str())
        .collect();
    assert_eq!(names, ["Seattle office", "Paris office"]);
    let seattle = units["value"][0]["id"].as_str().unwrap().to_string();
    let (s, u) = t
        .get(&format!("/directory/administrativeUnits/{seattle}?$select=displayName"))
        .await;
    assert_eq!((s.as_u16(), u["displayName"].as_str()), (200, Some("Seattle office")));
    assert_eq!(
        t.get("/directory/administrativeUnits/00000000-0000-0000-0000-000000000000")
            .await
            .0,
        404
    );

    let scope = format!("/administrativeUnits/{seattle}");
    let (s, a) = t
        .post(
            "/roleManagement/directory/roleAssignments",
            json!({"principalId": ADELE_ID, "roleDefinitionId": id, "directoryScopeId": scope}),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["directoryScopeId"], scope.as_str());
    // A custom role is never activated as a directoryRole.
    let (_, roles) = t.get("/directoryRoles").await;
    assert!(!roles["value"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["roleTemplateId"] == id.as_str()));
    let (s, v) = t
        .post("/roleManagement/directory/roleAssignments", json!({"principalId": ADELE_ID, "roleDefinitionId": id, "directoryScopeId": "/administrativeUnits/00000000-0000-0000-0000-000000000000"}))
        .await;
    assert_eq!(s, 400);
    assert_graph_error(&v, "Request_BadRequest");
    let (s, v) = t
        .post("/roleManagement/directory/roleAssignments", json!({"principalId": ADELE_ID, "roleDefinitionId": "00000000-0000-0000-0000-00000000beef", "directoryScopeId": "/"}))
        .await;
    assert_eq!(s, 404);
    assert_graph_error(&v, "Request_ResourceNotFound");
}

/// Every invitation Graph accepted is kept for the admin API, as it was answered.
#[tokio::test]
async fn invitations_are_kept_for_the_admin_api() {
    let t = start().await;
    let (s, inv) = t
        .post("/invitations", json!({"invitedUserEmailAddress": "sam@fabrikam.com", "inviteRedirectUrl": "https://myapplications.microsoft.com",
            "invitedUserType": "Member", "invitedUserMessageInfo": {"messageLanguage": "fr-FR", "ccRecipients": [{"emailAddress": {"address": "boss@fabrikam.com", "name": "Boss"}}]}}))
        .await;
    assert_eq!(s, 201, "{inv}");
    let (s, kept) = t.admin(Method::GET, "/invitations", None).await;
    assert_eq!(s, 200);
    let kept = &kept["value"][0];
    assert_eq!(kept["id"], inv["id"]);
    assert_eq!(
        kept["invitedUserMessageInfo"]["ccRecipients"][0]["emailAddress"]["name"],
        "Boss"
    );
    assert!(kept.get("@odata.context").is_none());
    let (_, u) = t
        .get(&format!(
            "/users/{}?$select=userType",
            inv["invitedUser"]["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(u["userType"], "Member");
}

#[tokio::test]
async fn contacts_folders_and_child_folders() {
    let t = start().await;
    let (s, c) = t.post("/me/contacts", json!({"givenName": "Pavel", "surname": "Bansky", "emailAddresses": [{"address": "pavelb@fabrikam.onmicrosoft.com", "name": "Pavel Bansky"}]})).await;
    assert_eq!(s, 201, "{c}");
    assert_eq!(c["displayName"], "Pavel Bansky");
    let (_, v) = t
        .get("/me/contacts?$filter=emailAddresses/any(a:a/address eq 'pavelb@fabrikam.onmicrosoft.com')")
        .await;
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    let (s, f) = t.post("/me/contactFolders", json!({"displayName": "Suppliers"})).await;
    assert_eq!(s, 201);
    let fid = f["id"].as_str().unwrap().to_string();
    let (s, _) = t.post("/me/contactFolders", json!({"displayName": "Suppliers"})).await;
    assert_eq!(s, 409);
    let (s, child) = t
        .post(
            &format!("/me/contactFolders/{fid}/childFolders"),
            json!({"displayName": "EMEA"}),
        )
        .await;
    assert_eq!(s, 201);
    assert_eq!(child["parentFolderId"], fid.as_str());
    let (_, v) = t.get(&format!("/me/contactFolders/{fid}/childFolders")).await;
    assert_eq!(v["value"].as_array().unwrap().len(), 1);
    let (s, _) = t
        .post(
            &format!("/me/contactFolders/{fid}/contacts"),
            json!({"displayName": "Supplier One"}),
        )
        .await;
    assert_eq!(s, 201);
    assert_eq!(
        t.get(&format!("/me/contactFolders/{fid}/contacts")).await.1["value"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(t.delete(&format!("/me/contactFolders/{fid}")).await, 204);
    assert_eq!(t.get(&format!("/me/contactFolders/{fid}/childFolders")).await.0, 404);
    assert_eq!(
        t.delete(&format!("/me/contacts/{}", c["id"].as_str().unwrap())).await,
        204
    );
    let (s, v) = t.post("/me/revokeSignInSessions", json!({})).await;
    assert_eq!((s, v["value"].clone()), (StatusCode::OK, json!(true)));
}

#[tokio::test]
async fn batch_depends_on_and_failed_dependency() {
    let t = start().await;
    let (s, v) = t
        .post(
            "/$batch",
            json!({"requests": [
                {"id": "1", "method": "POST", "url": "/groups", "headers": {"Content-Type": "application/json"},
                 "body": {"displayName": "Batch", "mailEnabled": false, "mailNickname": "batch", "securityEnabled": true}},
                {"id": "2", "method": "GET", "url": "/users/nobody@contoso.com"},
                {"id": "3", "method": "GET", "url": "/users?$select=id", "dependsOn": ["2"]},
                {"id": "4", "method": "GET", "url": "/users/$count", "headers": {"ConsistencyLevel": "eventual"}, "dependsOn": ["1"]}
            ]}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let by: std::collections::HashMap<String, Value> = v["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r.clone()))
        .collect();
    assert_eq!(by["1"]["status"], 201);
    assert_eq!(by["2"]["status"], 404);
    assert_eq!(by["3"]["status"], 424);
    assert_eq!(by["4"]["status"], 200);
    assert_eq!(by["4"]["body"], "8");
    let many: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"}))
        .collect();
    let (s, _) = t.post("/$batch", json!({"requests": many})).await;
    assert_eq!(s, 400);
    // A throttled sub-request carries its own Retry-After.
    t.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "throttle", "path": "/users/*", "retry_after": 7, "count": 1})),
    )
    .await;
    let (_, v) = t.post("/$batch", json!({"requests": [{"id": "a", "method": "GET", "url": "/users/admin@contoso.com"}, {"id": "b", "method": "GET", "url": "/users/admin@contoso.com"}]})).await;
    assert_eq!(v["responses"][0]["status"], 429);
    assert_eq!(v["responses"][0]["headers"]["Retry-After"], "7");
    assert_eq!(v["responses"][1]["status"], 200);
}

/// A 429 storm inside `$batch` in the HTTP-date form too: each throttled sub-request carries an
/// HTTP-date `Retry-After` (a future date), the others are carried out.
#[tokio::test]
async fn batch_throttle_storm_in_the_http_date_form() {
    let t = start().await;
    t.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "throttle", "method": "PATCH", "path": "/users/*", "retry_after": 3, "retry_after_http_date": true, "count": 2})),
    )
    .await;
    let reqs: Vec<Value> = (0..4)
        .map(|i| json!({"id": i.to_string(), "method": "PATCH", "url": "/users/admin@contoso.com", "headers": {"Content-Type": "application/json"}, "body": {"jobTitle": format!("Title {i}")}}))
        .collect();
    let (s, v) = t.post("/$batch", json!({"requests": reqs})).await;
    assert_eq!(s, 200);
    let answers = v["responses"].as_array().unwrap();
    let throttled: Vec<&Value> = answers.iter().filter(|a| a["status"] == 429).collect();
    assert_eq!(throttled.len(), 2, "count: 2 throttles two sub-requests");
    for a in &throttled {
        let when = httpdate::parse_http_date(a["headers"]["Retry-After"].as_str().unwrap()).unwrap();
        assert!(when > std::time::SystemTime::now(), "the date is in the future");
        assert_eq!(a["body"]["error"]["code"], "TooManyRequests");
    }
    assert_eq!(answers.iter().filter(|a| a["status"] == 204).count(), 2);
}

#[tokio::test]
async fn faults_throttle_unavailable_drop_and_expired_token() {
    let t = start().await;
    t.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "throttle", "method": "GET", "path": "/users", "retry_after": 3, "count": 1})),
    )
    .await;
    let (s, h, v) = t.call(Method::GET, "/users", None, &[]).await;
    assert_eq!(s, 429);
    assert_eq!(h["retry-after"], "3");
    assert_graph_error(&v, "TooManyRequests");
    assert_eq!(t.get("/users").await.0, 200, "count: 1 fires once");
    t.admin(
        Method::POST,
        "/faults",
        Some(
            json!({"kind": "throttle", "path": "/groups", "retry_after": 5, "retry_after_http_date": true, "count": 1}),
        ),
    )
    .await;
    let (_, h, _) = t.call(Method::GET, "/groups", None, &[]).await;
    assert!(httpdate::parse_http_date(h["retry-after"].to_str().unwrap()).is_ok());
    t.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "unavailable", "path": "/me", "count": 1})),
    )
    .await;
    assert_eq!(t.get("/me").await.0, 503);
    t.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "drop", "path": "/me", "count": 1})),
    )
    .await;
    let r = t.http.get(t.url("/me")).bearer_auth(&t.token).send().await;
    let dropped = match r {
        Err(_) => true,
        Ok(resp) => resp.bytes().await.is_err(),
    };
    assert!(dropped, "the client sees the connection fail");
    t.admin(
        Method::POST,
        "/faults",
        Some(json!({"kind": "expired_token", "count": 1})),
    )
    .await;
    let (s, v) = t.get("/me").await;
    assert_eq!(s, 401);
    assert_eq!(
        v["error"]["message"],
        "Lifetime validation failed, the token is expired."
    );
    let (_, c) = t.admin(Method::GET, "/counters", None).await;
    assert_eq!(c["faults"], 5);
    let (_, log) = t.admin(Method::GET, "/requests", None).await;
    let text = log.to_string();
    assert!(!text.contains(&t.token), "the request log never holds tokens");
    assert!(log["value"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["status"] == 429 && l["fault"] == "Throttle"));
}

#[tokio::test]
async fn state_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("sandbox-state-{}", std::process::id()));
    let file = dir.join("tenant.json");
    let _ = std::fs::remove_file(&file);
    let cfg = Config {
        state_file: Some(file.clone()),
        ..Config::default()
    };
    let t = start_with(cfg.clone()).await;
    let (s, _) = t.post("/users", json!({"accountEnabled": true, "displayName": "Kept", "mailNickname": "kept", "userPrincipalName": "kept@contoso.com", "passwordProfile": {"password": "Kept-Passw0rd"}})).await;
    assert_eq!(s, 201);
    t.sb.shutdown().await;
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("kept@contoso.com"), "state file written");
    assert!(!text.contains("Kept-Passw0rd"), "passwords are never stored");
    let t2 = start_with(cfg).await;
    assert_eq!(t2.get("/users/kept@contoso.com").await.0, 200);
    t2.admin(Method::POST, "/reset", None).await;
    assert_eq!(t2.get("/users/kept@contoso.com").await.0, 404);
    t2.sb.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn group_members_page_in_insertion_order_without_repeats() {
    let t = start_with(Config {
        generate: Some((40, 0)),
        ..Config::default()
    })
    .await;
    let (_, g) = t
        .admin(Method::POST, "/groups", Some(json!({"displayName": "Paged"})))
        .await;
    let gid = g["id"].as_str().unwrap().to_string();
    let (_, users) = t.get("/users?$select=id&$top=30").await;
    let mut want = Vec::new();
    for u in users["value"].as_array().unwrap().iter().rev().take(12) {
        let id = u["id"].as_str().unwrap().to_string();
        t.admin(Method::POST, &format!("/groups/{gid}/members"), Some(json!({"id": id})))
            .await;
        want.push(id);
    }
    let (items, _, pages) = t
        .walk(&format!("/groups/{gid}/members?$top=5&$select=id,displayName"), &[])
        .await;
    assert_eq!(pages, 3);
    let got: Vec<String> = items.iter().map(|m| m["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(got, want, "every member once, in the order they were added");
    let (s, v) = t.get_ev(&format!("/groups/{gid}/members/$count")).await;
    assert_eq!((s, v), (StatusCode::OK, json!(12)));
}

#[tokio::test]
async fn an_unusable_state_file_is_reported_at_start() {
    let dir = std::env::temp_dir().join(format!("sandbox-bad-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let corrupt = dir.join("corrupt.json");
    std::fs::write(&corrupt, "{not json").unwrap();
    let e = sandbox::Sandbox::start(Config {
        state_file: Some(corrupt.clone()),
        ..Config::default()
    })
    .await
    .unwrap_err();
    // Damaged, not unreadable: the app sets such a file aside and starts afresh (StartError::Damaged).
    assert!(matches!(e, sandbox::StartError::Damaged { .. }), "{e}");
    assert!(e.to_string().contains("is damaged"), "{e}");
    assert_eq!(
        std::fs::read_to_string(&corrupt).unwrap(),
        "{not json",
        "a broken file is never replaced silently"
    );
    // A directory where the file should be cannot be written.
    let e = sandbox::Sandbox::start(Config {
        state_file: Some(dir.clone()),
        ..Config::default()
    })
    .await
    .unwrap_err();
    assert!(matches!(e, sandbox::StartError::State { .. }), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

// Long: the hidden-membership, mail-settings and owner rules are checked on the role-assignable group made in the middle.
#[tokio::test]
async fn group_rules_dynamic_role_assignable_owners_and_mail_settings() {
    let t = start().await;
    let adele = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    let diego = "24fcbca3-c3e2-48bf-9ffc-c7f81b81483d";
    let obj = |id: &str| format!("https://graph.microsoft.com/v1.0/directoryObjects/{id}");
    let user = |id: &str| format!("https://graph.microsoft.com/v1.0/users/{id}");
    // A dynamic group needs its rule, and its members come only from it.
    let dynamic = json!({"displayName": "Sales people", "mailEnabled": false, "mailNickname": "salespeople", "securityEnabled": true,
                         "groupTypes": ["DynamicMembership"]});
    let (s, v) = t.post("/groups", dynamic.clone()).await;
    assert_eq!(s, 400, "{v}");
    let mut with_rule = dynamic.clone();
    with_rule["membershipRule"] = json!("(user.department -eq \"Sales\")");
    with_rule["membershipRuleProcessingState"] = json!("On");
    let (s, g) = t.post("/groups", with_rule).await;
    assert_eq!(s, 201, "{g}");
    assert_eq!(g["membershipRule"], "(user.department -eq \"Sales\")");
    let gid = g["id"].as_str().unwrap();
    let (s, v) = t
        .post(&format!("/groups/{gid}/members/$ref"), json!({"@odata.id": obj(adele)}))
        .await;
    assert_eq!(s, 400, "{v}");
    assert_graph_error(&v, "Request_BadRequest");
    // Role-assignable: security-enabled, not dynamic, private; immutable afterwards.
    let (s, v) = t
        .post(
            "/groups",
            json!({"displayName": "Helpdesk admins", "mailEnabled": true, "mailNickname": "helpdeskadmins",
                                "securityEnabled": false, "groupTypes": ["Unified"], "isAssignableToRole": true}),
        )
        .await;
    assert_eq!(s, 400, "a role-assignable group must be security-enabled: {v}");
    let (s, v) = t
        .post(
            "/groups",
            json!({"displayName": "Helpdesk admins", "mailEnabled": false, "mailNickname": "helpdeskadmins",
                                "securityEnabled": true, "isAssignableToRole": true, "visibility": "Public"}),
        )
        .await;
    assert_eq!(s, 400, "role-assignable groups are private: {v}");
    let (s, g) = t
        .post("/groups", json!({"displayName": "Helpdesk admins", "mailEnabled": true, "mailNickname": "helpdeskadmins",
                                "securityEnabled": true, "groupTypes": ["Unified"], "isAssignableToRole": true, "visibility": "Private",
                                "owners@odata.bind": [user(adele), user(diego)]}))
        .await;
    assert_eq!(s, 201, "{g}");
    assert_eq!(g["isAssignableToRole"], true);
    let rid = g["id"].as_str().unwrap().to_string();
    let (s, _) = t
        .patch(&format!("/groups/{rid}"), json!({"isAssignableToRole": false}))
        .await;
    assert_eq!(s, 400);
    // Hidden membership: Microsoft 365 groups only, and only at creation.
    let (s, _) = t
        .post(
            "/groups",
            json!({"displayName": "Quiet", "mailEnabled": false, "mailNickname": "quiet", "securityEnabled": true,
                                "visibility": "HiddenMembership"}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, _) = t
        .patch(&format!("/groups/{rid}"), json!({"visibility": "HiddenMembership"}))
        .await;
    assert_eq!(s, 400);
    // Mail settings: never in the create call; each in a PATCH of its own.
    let (s, _) = t
        .post(
            "/groups",
            json!({"displayName": "Loud", "mailEnabled": true, "mailNickname": "loud", "securityEnabled": false,
                                "groupTypes": ["Unified"], "allowExternalSenders": true}),
        )
        .await;
    assert_eq!(s, 400);
    let (s, v) = t
        .patch(
            &format!("/groups/{rid}"),
            json!({"allowExternalSenders": true, "description": "x"}),
        )
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        v["error"]["message"],
        "The request is currently not supported on the targeted entity set"
    );
    // Returned only on $select, false until set (the group resource's defaults).
    let (_, v) = t.get(&format!("/groups/{rid}")).await;
    assert!(v.get("allowExternalSenders").is_none(), "{v}");
    let (_, v) = t
        .get(&format!(
            "/groups/{rid}?$select=allowExternalSenders,isSubscribedByMail"
        ))
        .await;
    assert_eq!(
        (v["allowExternalSenders"].clone(), v["isSubscribedByMail"].clone()),
        (json!(false), json!(true))
    );
    let (s, _) = t
        .patch(&format!("/groups/{rid}"), json!({"allowExternalSenders": true}))
        .await;
    assert!(s.is_success());
    let (_, v) = t.get(&format!("/groups/{rid}?$select=allowExternalSenders")).await;
    assert_eq!(v["allowExternalSenders"], true);
    // Owners: a group that has owners keeps at least one person as owner.
    assert_eq!(t.delete(&format!("/groups/{rid}/owners/{diego}/$ref")).await, 204);
    let (s, _, v) = t
        .call(Method::DELETE, &format!("/groups/{rid}/owners/{adele}/$ref"), None, &[])
        .await;
    assert_eq!(s, 400);
    assert_eq!(
        v["error"]["message"],
        "The group must have at least one owner, hence this owner cannot be removed."
    );
    let (_, v) = t.get(&format!("/groups/{rid}/owners?$select=id")).await;
    assert_eq!(v["value"][0]["id"], adele);
}

#[tokio::test]
async fn disabled_plans_show_as_disabled_in_licence_details() {
    let t = start().await;
    let e5 = "c7df2760-2c81-4ef7-b578-5b5392b571df";
    let plan = "8c098270-9dd4-4350-9b30-ba4703f3b36b";
    let (s, v) = t
        .post(
            &format!("/users/{ADELE}/assignLicense"),
            json!({"addLicenses": [{"skuId": e5, "disabledPlans": [plan]}], "removeLicenses": []}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["assignedLicenses"][0]["disabledPlans"], json!([plan]));
    let (_, v) = t.get(&format!("/users/{ADELE}/licenseDetails")).await;
    let plans = v["value"][0]["servicePlans"].as_array().unwrap();
    let status = |id: &str| plans.iter().find(|p| p["servicePlanId"] == id).unwrap()["provisioningStatus"].clone();
    assert_eq!(status(plan), "Disabled");
}

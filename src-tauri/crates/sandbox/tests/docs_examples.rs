//! Fidelity against Microsoft's own examples: for each request/response pair of the Graph API
//! reference (tests/fixtures/graph-docs-examples.v1.0.subset.json, copied from shared/graph/data)
//! that falls in our scope, the sandbox answers the documented request with the documented status
//! and a body of the same shape: every documented property is present with a compatible JSON type
//! (null is compatible with anything, since our data differs), collections keep their envelope,
//! and a documented nextLink is matched by a nextLink or (for delta, on our small tenant) a deltaLink.
//!
//! Ids that only exist in Microsoft's example tenant are replaced by ids of our seed (the seed was
//! harvested from the same examples, so most ids match). Out-of-scope examples are listed with the
//! reason, and the test fails if the fixture gains examples nobody has classified.

mod common;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("fixtures/graph-docs-examples.v1.0.subset.json");
const HR: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315"; // HR Taskforce (Unified)
const ADELE_ID: &str = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
const DIEGO: &str = "24fcbca3-c3e2-48bf-9ffc-c7f81b81483d";
const MEGAN: &str = "48d31887-5fad-4d73-a9f5-3c356e68a038";
const E5: &str = "c7df2760-2c81-4ef7-b578-5b5392b571df";

/// Examples outside the sandbox's scope, with the reason.
fn out_of_scope(i: usize) -> Option<&'static str> {
    Some(match i {
        4 => "$expand=members on groups and the lambda-less any() filter: not used by our client",
        5 => "identities/any() with a compound lambda: B2C sign-in names, not in our scope",
        12 => "appRoleAssignments/$count filter: app role assignments are not modelled",
        23 | 48 => "contact (folder) delta: no card uses it",
        28 | 29 | 30 | 34 => "creating or changing role definitions: the tenant has one fixed custom role; the app never makes roles",
        40 => "scopedMembers: administrative units are listed and used as role scopes, but have no members",
        56 => "directoryRoles/delta: no card uses it",
        89 | 96 => "Dev Proxy's synthetic mock wraps a single user in {\"value\":…}, which contradicts the reference (user-get returns the entity)",
        90 | 97 => "Dev Proxy's synthetic mock answers PATCH /users with 200 + body; the reference (user-update) documents 204 No Content",
        _ => return None,
    })
}

struct Plan {
    url: String,
    body: Option<Value>,
    /// The status we answer when the mock's status contradicts the API reference (with the reason).
    status: Option<(u16, &'static str)>,
}

fn plan(url: &str, body: Option<Value>) -> Plan {
    Plan {
        url: url.to_string(),
        body,
        status: None,
    }
}

struct Ids {
    folder: String,
    contact: String,
    assignment: String,
}

/// Puts the data the examples talk about into a fresh sandbox.
async fn setup(t: &T) -> Ids {
    t.admin(
        Method::POST,
        "/groups/72052a9a-c466-4995-8210-95a1c1221995/members",
        Some(json!({"id": ADELE_ID})),
    )
    .await;
    for u in [ADELE_ID, DIEGO, "5bde3e51-d13b-4db1-9948-fe4b109d11a7"] {
        t.admin(Method::POST, &format!("/groups/{HR}/members"), Some(json!({"id": u})))
            .await;
    }
    // Two owners: removing one (example #54) must leave the group an owner, as Graph requires.
    for owner in [ADELE_ID, "5bde3e51-d13b-4db1-9948-fe4b109d11a7"] {
        t.post(
            &format!("/groups/{HR}/owners/$ref"),
            json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{owner}")}),
        )
        .await;
    }
    t.call(
        Method::PUT,
        &format!("/users/{ADELE_ID}/manager/$ref"),
        Some(json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/users/{DIEGO}")})),
        &[],
    )
    .await;
    t.post(
        "/me/assignLicense",
        json!({"addLicenses": [{"skuId": E5}], "removeLicenses": []}),
    )
    .await;
    let (_, f) = t.post("/me/contactFolders", json!({"displayName": "Finance"})).await;
    let folder = f["id"].as_str().unwrap_or_default().to_string();
    t.post(
        &format!("/me/contactFolders/{folder}/childFolders"),
        json!({"displayName": "Family"}),
    )
    .await;
    t.post(&format!("/me/contactFolders/{folder}/contacts"), json!({"givenName": "Garth", "surname": "Fort", "initials": "GF", "fileAs": "Fort, Garth", "birthday": "1974-07-22"})).await;
    let (_, c) = t.post("/me/contacts", json!({"givenName": "Pavel", "surname": "Bansky", "initials": "PB", "fileAs": "Bansky, Pavel", "birthday": "1974-07-22",
                                             "emailAddresses": [{"address": "pavelb@fabrikam.onmicrosoft.com", "name": "Pavel Bansky"}], "businessPhones": ["+1 732 555 0102"]})).await;
    let contact = c["id"].as_str().unwrap_or_default().to_string();
    let (_, a) = t.post("/roleManagement/directory/roleAssignments", json!({"principalId": DIEGO, "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "directoryScopeId": "/"})).await;
    let assignment = a["id"].as_str().unwrap_or_default().to_string();
    Ids {
        folder,
        contact,
        assignment,
    }
}

/// The request to send for example `i` (documented URL, with ids mapped onto our tenant).
fn plan_for(i: usize, doc_url: &str, ids: &Ids) -> Plan {
    let u = doc_url.replace("https://graph.microsoft.com/v1.0", "");
    let f = &ids.folder;
    match i {
        1 | 2 | 3 | 17 | 19 | 25 => plan(&u.replace("{id}", HR), None),
        7 | 15 => plan(&u.replace("5bde3e51-d13b-4db1-9948-fe4b109d11a7", DIEGO), None),
        16 | 27 => plan(&format!("/roleManagement/directory/roleAssignments/{}{}", ids.assignment, if i == 16 { "?$expand=roleDefinition" } else { "" }), None),
        // The docs assign a custom role (c2cf284d…); ours assigns the built-in User Administrator.
        33 => plan(&u, Some(json!({"@odata.type": "#microsoft.graph.unifiedRoleAssignment", "roleDefinitionId": "fe930be7-5e62-47db-91af-98c3a49a38b1", "principalId": MEGAN, "directoryScopeId": "/"}))),
        26 => plan(&format!("/roleManagement/directory/roleAssignments/{}", ids.assignment), None),
        31 | 35 => plan(&u.replace("4562bcc8-c436-4f95-b7c0-4f8ce89dca5e", ADELE_ID).replace("{id}", ADELE_ID), None),
        37 | 42 => plan(&u.replace("{id}", f), None),
        38 => Plan { url: u.replace("{id}", f), body: Some(json!({"displayName": "Cousins"})), status: Some((201, "contactfolder-post-childfolders documents 201 Created")) },
        43 => Plan {
            url: u.replace("{id}", f),
            body: Some(json!({"parentFolderId": "ignored-by-service", "givenName": "Pavel", "surname": "Bansky", "birthday": "1974-07-22", "fileAs": "Bansky, Pavel", "initials": "PB"}).as_object().map(|m| {
                let mut m = m.clone();
                m.remove("parentFolderId");
                Value::Object(m)
            }).unwrap_or(Value::Null)),
            status: Some((201, "contactfolder-post-contacts documents 201 Created")),
        },
        39 => plan(&format!("/directoryRoles/43a63cc2-582b-4d81-a79d-1591f91d5558/members/{DIEGO}/$ref"), None),
        41 => plan(&u, Some(json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{ADELE_ID}")}))),
        44 => plan(&u, None),
        45 | 70 => plan(&u.replace("6e7b768e-07e2-4810-8459-485f84f8f204", ADELE_ID), None),
        49 => plan(&format!("/groups/{HR}/members/{DIEGO}/$ref"), None),
        53 => plan(&format!("/groups/{HR}/assignLicense"), Some(json!({"addLicenses": [{"disabledPlans": [], "skuId": E5}], "removeLicenses": []}))),
        54 => plan(&format!("/groups/{HR}/owners/{ADELE_ID}/$ref"), None),
        55 => plan(&format!("/groups/{HR}/members/$ref"), Some(json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/directoryObjects/{MEGAN}")}))),
        57 => plan(&format!("/groups/{HR}/owners/$ref"), Some(json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/users/{DIEGO}")}))),
        58 => plan(&format!("/users/{ADELE_ID}/manager/$ref"), None),
        59 => plan(&format!("/users/{MEGAN}/manager/$ref"), Some(json!({"@odata.id": format!("https://graph.microsoft.com/v1.0/users/{DIEGO}")}))),
        60 | 61 => plan(&u.replace("{id}", f), None),
        62 => plan(&u.replace("{id}", f), Some(json!({"displayName": "Finance (EMEA)"}))),
        65 => plan(&u, Some(json!({"displayName": "Important contacts"}))),
        69 => plan(&u, Some(json!({"addLicenses": [{"disabledPlans": ["8c098270-9dd4-4350-9b30-ba4703f3b36b"], "skuId": E5}], "removeLicenses": []}))),
        72 => plan(&format!("/users/{ADELE_ID}/manager"), None),
        74 => plan(&u, Some(json!({"roleTemplateId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"}))),
        68 => plan(&format!("/subscribedSkus/48a80680-7326-48cd-9935-b556b81d3a4e_{E5}"), None),
        76 | 77 => plan(&format!("/me/contacts/{}", ids.contact), None),
        78 => plan(&format!("/me/contacts/{}", ids.contact), Some(json!({"homeAddress": {"street": "123 Some street", "city": "Seattle", "state": "WA", "postalCode": "98121"},
                "businessAddress": {"street": "10 Contoso Way", "city": "Redmond", "state": "WA", "countryOrRegion": "USA", "postalCode": "98075"}, "birthday": "1974-07-22"}))),
        81 => plan(&u, Some(json!({"invitedUserEmailAddress": "admin@fabrikam.com", "inviteRedirectUrl": "https://myapp.contoso.com"}))),
        84 => plan(&u, Some(json!({"givenName": "Pavel", "surname": "Bansky", "emailAddresses": [{"address": "pavelb@fabrikam.onmicrosoft.com", "name": "Pavel Bansky"}], "businessPhones": ["+1 732 555 0102"]}))),
        85 => plan(&format!("/groups/{HR}"), None),
        87 => plan(&format!("/groups/{HR}"), Some(json!({"description": "Group with designated owner and members", "displayName": "Operations group", "groupTypes": ["Unified"], "mailEnabled": true, "mailNickname": "operations2019", "securityEnabled": false}))),
        88 | 95 => plan(&format!("/users/{DIEGO}"), None),
        92 => plan(&u, Some(json!({"description": "Self help community for library", "displayName": "Library Assist", "groupTypes": ["Unified"], "mailEnabled": true, "mailNickname": "library", "securityEnabled": false}))),
        93 | 98 => plan(&u, Some(json!({"accountEnabled": true, "displayName": "Adele Vance", "mailNickname": "AdeleV", "userPrincipalName": "AdeleV2@contoso.com",
                                     "passwordProfile": {"forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d"}}))),
        101 => plan(&u, Some(json!({"businessPhones": ["+1 425 555 0109"], "officeLocation": "18/2111"}))),
        _ => plan(&u.replace("{id}", HR).replace("{group-id}", HR), None),
    }
}

fn numeric_text(v: &Value) -> bool {
    match v {
        Value::String(s) => s.trim().parse::<u64>().is_ok(),
        Value::Number(_) => true,
        _ => false,
    }
}

/// Every documented property must be present in ours with a compatible type.
fn same_shape(doc: &Value, ours: &Value, at: &str, errs: &mut Vec<String>) {
    match (doc, ours) {
        (Value::Null, _) | (_, Value::Null) => {}
        (Value::Object(d), Value::Object(o)) => {
            for (k, dv) in d {
                if k == "@odata.nextLink" {
                    if !o.contains_key("@odata.nextLink") && !o.contains_key("@odata.deltaLink") {
                        errs.push(format!("{at}: missing @odata.nextLink/@odata.deltaLink"));
                    }
                    continue;
                }
                // Annotations that depend on the example tenant (odata.id/etag/type hints) are not shape.
                // `resourceScope` is deprecated and absent from Microsoft's 2025-01 description (known drift).
                if (k.starts_with("@odata.") && k != "@odata.count" && k != "@odata.context")
                    || k == "@removed"
                    || k == "resourceScope"
                {
                    continue;
                }
                match o.get(k) {
                    None => errs.push(format!("{at}/{k}: missing")),
                    Some(ov) => same_shape(dv, ov, &format!("{at}/{k}"), errs),
                }
            }
        }
        (Value::Array(d), Value::Array(o)) => {
            if let Some(d0) = d.first() {
                let by = |k: &str| d0.get(k).and_then(|v| o.iter().find(|x| x.get(k) == Some(v)));
                let mine = by("id").or_else(|| by("displayName")).or(o.first());
                if let Some(m) = mine {
                    same_shape(d0, m, &format!("{at}[0]"), errs);
                }
            }
        }
        (Value::String(_), Value::String(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::Bool(_), Value::Bool(_)) => {}
        (d, o) if numeric_text(d) && numeric_text(o) => {}
        (d, o) => errs.push(format!("{at}: documented {d} but got {o}")),
    }
}

#[tokio::test]
async fn docs_examples_in_scope_replay_with_documented_status_and_shape() {
    let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
    let mocks = fixture["mocks"].as_array().unwrap();
    assert_eq!(mocks.len(), 102, "the fixture changed: classify the new examples");
    let mut failures = Vec::new();
    let mut replayed = 0;
    let mut shape_checked = 0;
    for (i, m) in mocks.iter().enumerate() {
        if out_of_scope(i).is_some() {
            continue;
        }
        let method = Method::from_bytes(m["request"]["method"].as_str().unwrap().as_bytes()).unwrap();
        let doc_url = m["request"]["exampleUrl"].as_str().unwrap();
        let doc_status = m["response"]["statusCode"].as_u64().unwrap() as u16;
        let t = start().await;
        let ids = setup(&t).await;
        let p = plan_for(i, doc_url, &ids);
        // Advanced queries are sent with ConsistencyLevel: eventual, as the docs' requests do.
        let advanced = p.url.contains("$count")
            || p.url.contains("$search")
            || p.url.to_lowercase().contains("endswith")
            || p.url.contains("NOT(");
        let headers: &[(&str, &str)] = if advanced {
            &[("ConsistencyLevel", "eventual")]
        } else {
            &[]
        };
        let (status, _, body) = t.call(method.clone(), &p.url, p.body.clone(), headers).await;
        replayed += 1;
        let want = p.status.map(|s| s.0).unwrap_or(doc_status);
        if status.as_u16() != want {
            failures.push(format!(
                "#{i} {method} {doc_url}: status {status}, documented {want}: {body}"
            ));
            continue;
        }
        let doc_body = match &m["response"]["body"] {
            Value::String(s) => serde_json::from_str(s).unwrap_or(Value::String(s.clone())),
            other => other.clone(),
        };
        if doc_status == 204 {
            if body != Value::String(String::new()) {
                failures.push(format!("#{i}: 204 must have no body, got {body}"));
            }
            continue;
        }
        if matches!(&doc_body, Value::String(s) if s.trim_start().starts_with('{')) {
            // Microsoft's sample is not valid JSON (truncated in the docs): status only.
            continue;
        }
        let mut errs = Vec::new();
        same_shape(&doc_body, &body, "", &mut errs);
        shape_checked += 1;
        if !errs.is_empty() {
            failures.push(format!("#{i} {method} {doc_url}: {}", errs.join("; ")));
        }
    }
    println!("replayed {replayed} documented requests, shape-checked {shape_checked} bodies");
    assert!(
        failures.is_empty(),
        "{} of {replayed} examples differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        replayed >= 85 && shape_checked >= 60,
        "replayed {replayed}, shape-checked {shape_checked}"
    );
}

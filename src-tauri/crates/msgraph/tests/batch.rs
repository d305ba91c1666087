//! `$batch`: envelope, dependsOn, splitting, throttled sub-requests, input order.

mod common;

use std::time::Duration;

use common::*;
use mockito::Matcher;
use msgraph::{BatchRequest, ErrorKind, Filter, HttpMethod, ListQuery, User};
use serde_json::json;

#[tokio::test]
async fn a_batch_sends_graphs_envelope_and_returns_answers_in_input_order() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("POST", "/v1.0/$batch")
        .match_header("authorization", bearer(1).as_str())
        .match_header("content-type", "application/json")
        .match_body(Matcher::Json(json!({
            "requests": [
                { "id": "1", "method": "GET", "url": "/users/AdeleV@contoso.com?$select=id%2CdisplayName" },
                { "id": "2", "method": "PATCH", "url": "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                  "headers": { "Content-Type": "application/json" },
                  "body": { "accountEnabled": false }, "dependsOn": ["1"] },
                { "id": "3", "method": "GET",
                  "url": "/users?$filter=department%20eq%20%27R%26D%27&$count=true",
                  "headers": { "ConsistencyLevel": "eventual" } }
            ]
        })))
        .with_body(
            json!({ "responses": [
                { "id": "3", "status": 200, "body": { "value": [] } },
                { "id": "1", "status": 200, "body": { "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "displayName": "Adele Vance" } },
                { "id": "2", "status": 403, "body": { "error": { "code": "Authorization_RequestDenied",
                    "message": "Insufficient privileges to complete the operation.",
                    "innerError": { "request-id": "rid-sub" } } } }
            ]})
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let reqs = vec![
        BatchRequest::list(
            "1",
            "/users/AdeleV@contoso.com",
            &ListQuery::new().select(&["id", "displayName"]),
        )
        .unwrap(),
        BatchRequest::new("2", HttpMethod::Patch, "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd")
            .json(json!({ "accountEnabled": false }))
            .depends_on("1"),
        BatchRequest::list(
            "3",
            "/users",
            &ListQuery::new().filter(Filter::eq("department", "R&D")).count(true),
        )
        .unwrap(),
    ];
    let out = h.client.batch(&reqs).await.unwrap();
    assert_eq!(out.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["1", "2", "3"]);
    let adele: User = out[0].decode().unwrap();
    assert_eq!(adele.display_name.as_deref(), Some("Adele Vance"));
    let denied = out[1].error().unwrap();
    assert_eq!(denied.kind(), ErrorKind::Forbidden);
    assert_eq!(denied.request_id(), Some("rid-sub"));
    assert!(out[2].error().is_none());
    m.assert_async().await;
    unexpected.assert_async().await;
}

fn answer_all(ids: std::ops::Range<usize>) -> String {
    let responses: Vec<_> = ids.map(|i| json!({ "id": i.to_string(), "status": 204 })).collect();
    json!({ "responses": responses }).to_string()
}

#[tokio::test]
async fn twenty_five_requests_are_split_into_twenty_and_five() {
    let mut h = harness().await;
    let first_ids: Vec<_> = (0..20).map(|i| json!({ "id": i.to_string() })).collect();
    let second_ids: Vec<_> = (20..25).map(|i| json!({ "id": i.to_string() })).collect();
    let b1 = h
        .server
        .mock("POST", "/v1.0/$batch")
        .match_body(Matcher::PartialJson(json!({ "requests": first_ids })))
        .with_body(answer_all(0..20))
        .expect(1)
        .create_async()
        .await;
    let b2 = h
        .server
        .mock("POST", "/v1.0/$batch")
        .match_body(Matcher::PartialJson(json!({ "requests": second_ids })))
        .with_body(answer_all(20..25))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let reqs: Vec<_> = (0..25)
        .map(|i| {
            BatchRequest::new(
                i.to_string(),
                HttpMethod::Delete,
                format!("/groups/g/members/m{i}/$ref"),
            )
        })
        .collect();
    let out = h.client.batch(&reqs).await.unwrap();
    assert_eq!(out.len(), 25);
    assert!(out
        .iter()
        .enumerate()
        .all(|(i, a)| a.id == i.to_string() && a.status == 204));
    for m in [b1, b2] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn a_throttled_sub_request_is_retried_after_its_retry_after() {
    let mut h = harness().await;
    let first = h
        .server
        .mock("POST", "/v1.0/$batch")
        .match_body(Matcher::Json(json!({ "requests": [
            { "id": "a", "method": "GET", "url": "/groups/g1" },
            { "id": "b", "method": "GET", "url": "/groups/g2" },
            { "id": "c", "method": "GET", "url": "/groups/g3" }
        ]})))
        .with_body(
            json!({ "responses": [
                { "id": "a", "status": 200, "body": { "id": "g1" } },
                { "id": "b", "status": 429, "headers": { "Retry-After": "9" },
                  "body": { "error": { "code": "TooManyRequests", "message": "Too many requests" } } },
                { "id": "c", "status": 200, "body": { "id": "g3" } }
            ]})
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let again = h
        .server
        .mock("POST", "/v1.0/$batch")
        .match_body(Matcher::Json(json!({ "requests": [
            { "id": "b", "method": "GET", "url": "/groups/g2" }
        ]})))
        .with_body(json!({ "responses": [ { "id": "b", "status": 200, "body": { "id": "g2" } } ]}).to_string())
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let reqs: Vec<_> = [("a", "g1"), ("b", "g2"), ("c", "g3")]
        .iter()
        .map(|(id, g)| BatchRequest::new(*id, HttpMethod::Get, format!("/groups/{g}")))
        .collect();
    let start = tokio::time::Instant::now();
    let out = h.client.batch(&reqs).await.unwrap();
    assert!(start.elapsed() >= Duration::from_secs(9), "{:?}", start.elapsed());
    assert_eq!(
        out.iter()
            .map(|a| (
                a.id.as_str(),
                a.status,
                a.body.as_ref().unwrap()["id"].as_str().unwrap()
            ))
            .collect::<Vec<_>>(),
        [("a", 200, "g1"), ("b", 200, "g2"), ("c", 200, "g3")]
    );
    for m in [first, again] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn a_dependent_of_a_throttled_request_is_resent_with_it() {
    let mut h = harness().await;
    let first = h
        .server
        .mock("POST", "/v1.0/$batch")
        .match_body(Matcher::Json(json!({ "requests": [
            { "id": "1", "method": "POST", "url": "/groups/g/members/$ref",
              "headers": { "Content-Type": "application/json" },
              "body": { "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/u1" } },
            { "id": "2", "method": "GET", "url": "/groups/g/members", "dependsOn": ["1"] }
        ]})))
        .with_body(
            json!({ "responses": [
                { "id": "1", "status": 429, "headers": { "Retry-After": "2" }, "body": {} },
                { "id": "2", "status": 424, "body": { "error": { "code": "FailedDependency", "message": "dependency failed" } } }
            ]})
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let again = h
        .server
        .mock("POST", "/v1.0/$batch")
        .match_body(Matcher::PartialJson(json!({ "requests": [
            { "id": "1" }, { "id": "2", "dependsOn": ["1"] }
        ]})))
        .with_body(
            json!({ "responses": [
                { "id": "2", "status": 200, "body": { "value": [ { "id": "u1" } ] } },
                { "id": "1", "status": 204 }
            ]})
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let reqs = vec![
        BatchRequest::new("1", HttpMethod::Post, "/groups/g/members/$ref")
            .json(json!({ "@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/u1" })),
        BatchRequest::new("2", HttpMethod::Get, "/groups/g/members").depends_on("1"),
    ];
    let out = h.client.batch(&reqs).await.unwrap();
    assert_eq!(out[0].status, 204);
    assert_eq!(out[1].status, 200);
    for m in [first, again] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

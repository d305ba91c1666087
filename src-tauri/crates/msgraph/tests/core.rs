//! The request path: tokens, 401 refresh, retries, throttling, error envelopes, paging, queries.

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use futures::StreamExt;
use mockito::Matcher;
use msgraph::{ClientOptions, ErrorKind, Filter, ListQuery, Order, RetryPolicy, Search, TokenError, UserRef};
use tokio::net::TcpListener;

#[tokio::test]
async fn first_screen_user_list_sends_exact_query_and_decodes_microsofts_example() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::Exact(
            "$select=id%2CdisplayName%2CuserPrincipalName%2Cdepartment%2CaccountEnabled&$top=999".into(),
        ))
        .match_header("authorization", bearer(1).as_str())
        .match_header("consistencylevel", Matcher::Missing)
        .with_body(h.fixture("users_list"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let users = h
        .client
        .users()
        .list(
            ListQuery::new()
                .select(&["id", "displayName", "userPrincipalName", "department", "accountEnabled"])
                .top(999),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].id.as_str(), "d36894ae-94ae-d368-ae94-68d3ae9468d3");
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn paging_follows_next_links_across_an_empty_middle_page_to_the_end() {
    let mut h = harness().await;
    let base = h.base();
    let p1 = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::Exact("$count=true".into()))
        .match_header("consistencylevel", "eventual")
        .with_body(
            serde_json::json!({
                "@odata.count": 3,
                "@odata.nextLink": format!("{base}/users?$count=true&$skiptoken=page2"),
                "value": [{"id": "u1", "displayName": "Adele Vance"}]
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let p2 = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::Exact("$count=true&$skiptoken=page2".into()))
        // the advanced-query header must travel with every page
        .match_header("consistencylevel", "eventual")
        .with_body(
            serde_json::json!({
                "@odata.nextLink": format!("{base}/users?$count=true&$skiptoken=page3"),
                "value": []
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let p3 = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::Exact("$count=true&$skiptoken=page3".into()))
        .match_header("consistencylevel", "eventual")
        .with_body(r#"{"value":[{"id":"u2"},{"id":"u3"}]}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let mut pager = h.client.users().list(ListQuery::new().count(true));
    let first = pager.next_page().await.unwrap().unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(pager.count(), Some(3));
    let second = pager.next_page().await.unwrap().unwrap();
    assert_eq!(
        second.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(),
        ["u2", "u3"],
        "the empty middle page must not end the listing"
    );
    assert!(pager.next_page().await.unwrap().is_none());
    assert!(pager.next_page().await.unwrap().is_none());
    assert_eq!(pager.pages_fetched(), 3);
    // each page asked for its own token
    assert_eq!(h.tokens.calls(), 3);
    for m in [p1, p2, p3] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn items_stream_flattens_pages_lazily() {
    let mut h = harness().await;
    let base = h.base();
    let p1 = h
        .server
        .mock("GET", "/v1.0/groups")
        .with_body(
            serde_json::json!({
                "@odata.nextLink": format!("{base}/groups?$skiptoken=2"),
                "value": [{"id": "g1"}, {"id": "g2"}]
            })
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let p2 = h
        .server
        .mock("GET", "/v1.0/groups")
        .match_query(Matcher::Exact("$skiptoken=2".into()))
        .with_body(r#"{"value":[{"id":"g3"}]}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let mut items = h.client.groups().list(ListQuery::new()).items();
    let first = items.next().await.unwrap().unwrap();
    assert_eq!(first.id.as_str(), "g1");
    // lazy: only the first page has been fetched so far
    assert_eq!(h.tokens.calls(), 1);
    let rest: Vec<_> = items.map(|r| r.unwrap().id.0).collect().await;
    assert_eq!(rest, ["g2", "g3"]);
    for m in [p1, p2] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn a_repeated_next_link_stops_with_an_error_instead_of_looping() {
    let mut h = harness().await;
    let base = h.base();
    let loop_page = serde_json::json!({
        "@odata.nextLink": format!("{base}/users?$skiptoken=same"),
        "value": [{"id": "u1"}]
    })
    .to_string();
    let first = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::Missing)
        .with_body(&loop_page)
        .expect(1)
        .create_async()
        .await;
    let again = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::Exact("$skiptoken=same".into()))
        .with_body(&loop_page)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let err = h.client.users().list(ListQuery::new()).collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.to_string().contains("same next-page link twice"), "{err}");
    for m in [first, again] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn a_next_link_to_another_host_is_never_followed_with_the_token() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users")
        .with_body(r#"{"@odata.nextLink":"https://evil.example.com/v1.0/users?$skiptoken=x","value":[{"id":"u1"}]}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let mut pager = h.client.users().list(ListQuery::new());
    assert_eq!(pager.next_page().await.unwrap().unwrap().len(), 1);
    let err = pager.next_page().await.unwrap_err();
    assert!(err.to_string().contains("outside the signed-in Graph endpoint"));
    assert_eq!(h.tokens.calls(), 1);
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn a_long_wait_is_told_and_stopping_it_sends_nothing_again() {
    use msgraph::{WaitEvent, Waits};
    use std::sync::{Arc, Mutex, OnceLock};
    // The person sees the wait and stops it at once (the listener stops what it was told of).
    let events = Arc::new(Mutex::new(Vec::new()));
    let this: Arc<OnceLock<Waits>> = Arc::new(OnceLock::new());
    let (seen, me) = (events.clone(), this.clone());
    let waits = Waits::new(move |e| {
        let started = matches!(e, WaitEvent::Started(_));
        seen.lock().unwrap().push(e);
        if started {
            me.get().unwrap().stop();
        }
    });
    this.set(waits.clone()).unwrap();
    let mut h = harness_with(ClientOptions {
        waits: Some(waits),
        ..test_options()
    })
    .await;
    let throttled = h
        .server
        .mock("GET", "/v1.0/subscribedSkus")
        .with_status(429)
        .with_header("Retry-After", "60")
        .with_body(error_body("TooManyRequests", "Too many requests", "rid-429"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let start = tokio::time::Instant::now();
    let err = h.client.licenses().subscribed_skus().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Stopped);
    assert!(err.to_string().contains("not sent again"), "{err}");
    assert!(start.elapsed() < Duration::from_secs(60), "it did not wait it out");
    let events = events.lock().unwrap().clone();
    assert_eq!(events.len(), 2, "{events:?}");
    match &events[0] {
        WaitEvent::Started(w) => {
            assert_eq!(
                (w.request.as_str(), w.status, w.seconds),
                ("GET /v1.0/subscribedSkus", Some(429), 60)
            );
            assert_eq!(events[1], WaitEvent::Ended(w.id));
        }
        other => panic!("{other:?}"),
    }
    throttled.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn throttling_429_waits_the_retry_after_seconds_then_succeeds() {
    let mut h = harness().await;
    let throttled = h
        .server
        .mock("GET", "/v1.0/subscribedSkus")
        .with_status(429)
        .with_header("Retry-After", "7")
        .with_body(error_body(
            "TooManyRequests",
            "Too many requests from Identifier:x under category:throttle.aad.ags",
            "rid-429",
        ))
        .expect(1)
        .create_async()
        .await;
    let ok = h
        .server
        .mock("GET", "/v1.0/subscribedSkus")
        .with_body(h.fixture("subscribed_skus"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let start = tokio::time::Instant::now();
    let skus = h.client.licenses().subscribed_skus().await.unwrap();
    // virtual time: the client slept at least what Graph asked for
    assert!(start.elapsed() >= Duration::from_secs(7), "{:?}", start.elapsed());
    assert_eq!(skus.len(), 2);
    for m in [throttled, ok] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn throttling_429_honours_an_http_date_retry_after() {
    let mut h = harness().await;
    // 120 s is beyond the backoff cap (32 s): only honouring the date explains such a wait.
    let when = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(121));
    let throttled = h
        .server
        .mock("POST", "/v1.0/invitations")
        .with_status(429)
        .with_header("Retry-After", &when)
        .with_body(error_body("TooManyRequests", "slow down", "rid-date"))
        .expect(1)
        .create_async()
        .await;
    let ok = h
        .server
        .mock("POST", "/v1.0/invitations")
        .with_status(201)
        .with_body(h.fixture("invitation_create"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let start = tokio::time::Instant::now();
    let inv = h
        .client
        .invitations()
        .create(&msgraph::NewInvitation {
            invited_user_email_address: "admin@fabrikam.com".into(),
            invite_redirect_url: "https://myapp.contoso.com".into(),
            invited_user_display_name: None,
            send_invitation_message: false,
            invited_user_type: None,
            invited_user_message_info: None,
        })
        .await
        .unwrap();
    assert!(start.elapsed() >= Duration::from_secs(118), "{:?}", start.elapsed());
    assert_eq!(inv.id.as_str(), "9071bfde-35e0-47d2-a582-d244ab1b4af6");
    for m in [throttled, ok] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn throttling_that_never_clears_ends_as_throttled_with_retry_after() {
    let mut opts = test_options();
    opts.retry = RetryPolicy {
        max_retries: 2,
        ..RetryPolicy::default()
    };
    let mut h = harness_with(opts).await;
    let m = h
        .server
        .mock("GET", "/v1.0/directoryRoles")
        .with_status(429)
        .with_header("Retry-After", "3")
        .with_header("request-id", "rid-t")
        .with_body(error_body("TooManyRequests", "Too many requests", "rid-t"))
        .expect(3)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h.client.roles().directory_roles().collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttled);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(err.request_id(), Some("rid-t"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn service_unavailable_is_retried_with_backoff_for_get() {
    let mut h = harness().await;
    let busy = h
        .server
        .mock("GET", "/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd")
        .with_status(503)
        .with_body(error_body("serviceNotAvailable", "Service Unavailable", "rid-503"))
        .expect(2)
        .create_async()
        .await;
    let ok = h
        .server
        .mock("GET", "/v1.0/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd")
        .with_body(h.fixture("user_get"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let start = tokio::time::Instant::now();
    let user = h
        .client
        .users()
        .get(&UserRef::parse("87d349ed-44d7-43e1-9a83-5f2406dee5bd"), &[])
        .await
        .unwrap();
    // two backoff sleeps: >= 250 ms + 500 ms (jitter keeps each in [50%, 100%] of its step)
    assert!(start.elapsed() >= Duration::from_millis(750), "{:?}", start.elapsed());
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));
    for m in [busy, ok] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test(start_paused = true)]
async fn service_unavailable_without_retry_after_is_not_retried_for_post() {
    let mut h = harness().await;
    let busy = h
        .server
        .mock("POST", "/v1.0/users")
        .with_status(503)
        .with_body(error_body("serviceNotAvailable", "Service Unavailable", "rid-503p"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .users()
        .create(&msgraph::NewUser::new(
            "Adele Vance",
            "AdeleV",
            "AdeleV@contoso.onmicrosoft.com",
            msgraph::PasswordProfile {
                password: "xWwvJ]6NMw+bWH-d".into(),
                force_change_password_next_sign_in: true,
                force_change_password_next_sign_in_with_mfa: None,
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transient);
    assert_eq!(err.request_id(), Some("rid-503p"));
    busy.assert_async().await;
    unexpected.assert_async().await;
}

/// A server that accepts connections and closes them without answering (a reset/EOF).
async fn resetting_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(sock);
        }
    });
    (format!("http://{addr}/v1.0"), count)
}

#[tokio::test(start_paused = true)]
async fn post_is_not_retried_after_a_connection_reset_but_get_is() {
    let (base, connections) = resetting_server().await;
    let tokens = std::sync::Arc::new(TestTokens::default());
    let client = msgraph::Client::with_options(url::Url::parse(&base).unwrap(), tokens.clone(), test_options());
    let err = client
        .users()
        .revoke_sign_in_sessions(&UserRef::parse("a@contoso.com"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(tokens.calls(), 1);

    let err = client
        .users()
        .get(&UserRef::parse("a@contoso.com"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    // default policy: the first send plus 4 retries
    assert_eq!(tokens.calls(), 1 + 5);
    assert!(connections.load(std::sync::atomic::Ordering::SeqCst) >= 6);
}

#[tokio::test]
async fn unauthorized_forces_one_token_refresh_then_succeeds() {
    let mut h = harness().await;
    let stale = h
        .server
        .mock("GET", "/v1.0/me")
        .match_header("authorization", bearer(1).as_str())
        .with_status(401)
        .with_body(error_body(
            "InvalidAuthenticationToken",
            "Access token has expired or is not yet valid.",
            "rid-401",
        ))
        .expect(1)
        .create_async()
        .await;
    let fresh = h
        .server
        .mock("GET", "/v1.0/me")
        .match_header("authorization", bearer(2).as_str())
        .with_body(h.fixture("user_get"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let me = h.client.users().get(&UserRef::Me, &[]).await.unwrap();
    assert_eq!(me.user_principal_name.as_deref(), Some("AdeleV@contoso.com"));
    assert_eq!(h.tokens.forced(), 1);
    for m in [stale, fresh] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn unauthorized_twice_is_reported_without_the_token() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/me")
        .with_status(401)
        .with_body(error_body(
            "InvalidAuthenticationToken",
            "Access token validation failure.",
            "rid-401b",
        ))
        .expect(2)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h.client.users().get(&UserRef::Me, &[]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(err.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(err.request_id(), Some("rid-401b"));
    assert_eq!(h.tokens.forced(), 1);
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("token-1") && !shown.contains("token-2"), "{shown}");
    assert!(shown.contains("sign in again"), "{shown}");
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn a_token_provider_failure_is_unauthorized_and_nothing_is_sent() {
    let mut h = harness().await;
    *h.tokens.fail.lock().unwrap() = Some(TokenError {
        message: "The refresh token has expired".into(),
        interaction_required: true,
    });
    let unexpected = h.catch_all().await;
    let err = h.client.users().get(&UserRef::Me, &[]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(err.code(), Some("interactionRequired"));
    unexpected.assert_async().await;
}

#[tokio::test]
async fn error_bodies_become_kinds_with_graphs_code_message_and_request_id() {
    let cases = [
        (
            404,
            "Request_ResourceNotFound",
            "Resource 'x' does not exist or one of its queried reference-property objects are not present.",
            ErrorKind::NotFound,
        ),
        (
            403,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
            ErrorKind::Forbidden,
        ),
        (
            400,
            "Request_BadRequest",
            "License assignment cannot be done for user with invalid usage location.",
            ErrorKind::Validation,
        ),
        (
            400,
            "Request_BadRequest",
            "One or more added object references already exist for the following modified properties: 'members'.",
            ErrorKind::Conflict,
        ),
        (409, "Conflict", "conflict", ErrorKind::Conflict),
        (
            501,
            "NotImplemented",
            "This operation target is not yet supported.",
            ErrorKind::Other,
        ),
    ];
    for (status, code, message, kind) in cases {
        let status: u16 = status;
        let mut h = harness().await;
        let m = h
            .server
            .mock("DELETE", "/v1.0/groups/g1")
            .with_status(status as usize)
            .with_body(error_body(code, message, "rid-e"))
            .expect(1)
            .create_async()
            .await;
        let unexpected = h.catch_all().await;
        let err = h
            .client
            .groups()
            .delete(&msgraph::GroupId::new("g1"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{status} {code}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.code(), Some(code));
        assert_eq!(err.message(), Some(message));
        assert_eq!(err.request_id(), Some("rid-e"));
        assert_eq!(err.request(), Some("DELETE /v1.0/groups/g1"));
        m.assert_async().await;
        unexpected.assert_async().await;
    }
}

#[tokio::test]
async fn a_body_that_does_not_match_the_model_reports_the_json_path() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users")
        .with_body(r#"{"value":[{"id":"u1"},{"id":"u2","accountEnabled":"yes"}]}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h.client.users().list(ListQuery::new()).collect_all().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert_eq!(err.json_path(), Some("value[1].accountEnabled"));
    assert!(err.to_string().contains("value[1].accountEnabled"), "{err}");
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn hostile_strings_in_filters_and_paths_are_escaped_and_strictly_encoded() {
    let mut h = harness().await;
    // O'Brien, a+b@x.com, #EXT#, &, %, unicode — in a filter
    let filter = Filter::eq("displayName", "O'Brien & Zoë 100%")
        .or(Filter::eq("mail", "a+b@x.com"))
        .or(Filter::eq("userPrincipalName", "ann_x.com#EXT#@contoso.com"));
    let want = "((displayName eq 'O''Brien & Zoë 100%') or (mail eq 'a+b@x.com')) or (userPrincipalName eq 'ann_x.com#EXT#@contoso.com')";
    let m = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("$filter".into(), want.into()),
            Matcher::Regex("^\\$filter=[A-Za-z0-9%._~-]+$".into()),
        ]))
        .with_body(h.fixture("users_list"))
        .expect(1)
        .create_async()
        .await;
    // … and in paths
    let guest = h
        .server
        .mock("GET", "/v1.0/users/ann_x.com%23EXT%23@contoso.com")
        .with_body(h.fixture("user_get"))
        .expect(1)
        .create_async()
        .await;
    let plus = h
        .server
        .mock("GET", "/v1.0/users/a%2Bb@x.com")
        .with_body(h.fixture("user_get"))
        .expect(1)
        .create_async()
        .await;
    let dollar = h
        .server
        .mock("GET", "/v1.0/users('$adm''in@x.com')")
        .with_body(h.fixture("user_get"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    h.client
        .users()
        .list(ListQuery::new().filter(filter))
        .collect_all()
        .await
        .unwrap();
    for upn in ["ann_x.com#EXT#@contoso.com", "a+b@x.com", "$adm'in@x.com"] {
        h.client.users().get(&UserRef::parse(upn), &[]).await.unwrap();
    }
    for mk in [m, guest, plus, dollar] {
        mk.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn search_users_sends_advanced_query_headers_and_quoted_clauses() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::AllOf(vec![
            Matcher::UrlEncoded("$search".into(), "\"displayName:wa\"".into()),
            Matcher::UrlEncoded("$orderby".into(), "displayName".into()),
            Matcher::UrlEncoded("$count".into(), "true".into()),
        ]))
        .match_header("consistencylevel", "eventual")
        .with_body(h.fixture("users_filter_endswith"))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let mut pager = h.client.users().list(
        ListQuery::new()
            .search(Search::term("displayName", "wa"))
            .order_by("displayName", Order::Asc)
            .count(true),
    );
    let page = pager.next_page().await.unwrap().unwrap();
    assert_eq!(page[0].display_name.as_deref(), Some("Grady Archie"));
    assert_eq!(pager.count(), Some(1));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn invalid_query_input_fails_before_anything_is_sent() {
    let mut h = harness().await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .users()
        .list(ListQuery::new().select(&["id", "displayName,secret"]))
        .collect_all()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(h.tokens.calls(), 0);
    unexpected.assert_async().await;
}

#[tokio::test]
async fn enumerating_100k_users_streams_one_page_at_a_time() {
    const PAGES: usize = 101; // 100 pages of 999 + one of 100 = 100,000 users
    let mut h = harness().await;
    let base = h.base();
    let m = h
        .server
        .mock("GET", "/v1.0/users")
        .match_query(Matcher::Any)
        .with_body_from_request(move |req| {
            let q = req.path_and_query().split_once('?').map(|x| x.1).unwrap_or("");
            let page: usize = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("$skiptoken="))
                .map(|n| n.parse().unwrap())
                .unwrap_or(0);
            let size = if page + 1 == PAGES { 100 } else { 999 };
            let value: Vec<_> = (0..size)
                .map(|i| serde_json::json!({ "id": format!("u{page}-{i}"), "displayName": "User" }))
                .collect();
            let mut body = serde_json::json!({ "value": value });
            if page + 1 < PAGES {
                body["@odata.nextLink"] =
                    format!("{base}/users?$select=id%2CdisplayName&$top=999&$skiptoken={}", page + 1).into();
            }
            serde_json::to_vec(&body).unwrap()
        })
        .expect(PAGES)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let mut items = h
        .client
        .users()
        .list(ListQuery::new().select(&["id", "displayName"]).top(999))
        .items();
    let mut n = 0usize;
    while let Some(u) = items.next().await {
        let u = u.unwrap();
        let page = n / 999;
        if n.is_multiple_of(999) {
            // the pager never fetches ahead: page `page` is the only one it has asked for yet
            assert_eq!(h.tokens.calls(), page + 1, "at item {n}");
            assert_eq!(u.id.as_str(), format!("u{page}-0"));
        }
        n += 1;
    }
    assert_eq!(n, 100_000);
    assert_eq!(h.tokens.calls(), PAGES);
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn empty_ids_are_refused_before_anything_is_sent() {
    let mut h = harness().await;
    let unexpected = h.catch_all().await;
    let e1 = h.client.users().delete(&UserRef::parse("  ")).await.unwrap_err();
    let e2 = h
        .client
        .groups()
        .remove_member(&msgraph::GroupId::new("g1"), &msgraph::DirectoryObjectId::new(""))
        .await
        .unwrap_err();
    let e3 = h
        .client
        .groups()
        .get(&msgraph::GroupId::new(""), &[])
        .await
        .unwrap_err();
    for e in [e1, e2, e3] {
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert!(e.to_string().contains("was not sent"), "{e}");
    }
    assert_eq!(h.tokens.calls(), 0);
    unexpected.assert_async().await;
}

#[tokio::test]
async fn a_read_only_client_reads_and_refuses_every_change_before_sending_it() {
    use msgraph::{BatchRequest, CustomRequest, HttpMethod};
    let mut h = harness_with(ClientOptions {
        read_only: true,
        ..test_options()
    })
    .await;
    assert!(h.client.is_read_only());
    let read = h
        .server
        .mock("GET", "/v1.0/users/u1")
        .match_query(Matcher::Any)
        .with_body(r#"{"id":"u1","displayName":"Adele Vance"}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;

    let user = UserRef::parse("u1");
    let adele = h.client.users().get(&user, &["id", "displayName"]).await.unwrap();
    assert_eq!(adele.display_name.as_deref(), Some("Adele Vance"));

    let refused = [
        h.client.users().set_account_enabled(&user, false).await.unwrap_err(),
        h.client.users().delete(&user).await.unwrap_err(),
        h.client.users().revoke_sign_in_sessions(&user).await.unwrap_err(),
        h.client
            .custom(&CustomRequest::new(HttpMethod::Delete, "/users/u1"))
            .await
            .unwrap_err(),
        h.client
            .batch(&[BatchRequest::new("1", HttpMethod::Patch, "/users/u1")])
            .await
            .unwrap_err(),
    ];
    for err in refused {
        assert_eq!(err.kind(), ErrorKind::ReadOnly, "{err}");
        assert!(
            err.to_string().contains("read-only") && err.to_string().contains("nothing was sent"),
            "{err}"
        );
    }
    read.assert_async().await;
    unexpected.assert_async().await;
}

//! Hostile text through msgraph's builders and back out of the practice tenant's parser (the
//! `sandbox` crate, an independent implementation of Graph's URL and `$filter` rules): a user
//! name in a path arrives at the router as exactly that name, and a `$filter` literal compares
//! equal to exactly that text. One tenant for all cases (a runtime kept for the test binary).
//!
//! 64 cases per property by default (a quarter of proptest's 256: each case is a few HTTP
//! requests); `cargo xtask fuzz` raises it through `PROPTEST_CASES`.

#[path = "support/arb_json.rs"]
mod arb_json;
#[path = "../../sandbox/tests/common/mod.rs"]
mod sandbox_common;

use std::sync::{Arc, OnceLock};

use msgraph::{AccessToken, Client, ErrorKind, Filter, GroupId, ListQuery, UserId, UserRef, UserUpdate};
use proptest::prelude::*;

struct Tenant {
    rt: tokio::runtime::Runtime,
    _practice: sandbox_common::T,
    client: Client,
    /// A seeded user whose display name the filter property rewrites.
    user: UserId,
}

fn tenant() -> &'static Tenant {
    static T: OnceLock<Tenant> = OnceLock::new();
    T.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let practice = rt.block_on(sandbox_common::start());
        let graph = url::Url::parse(&practice.sb.graph_url()).unwrap();
        let client = Client::new(graph, Arc::new(AccessToken::new(practice.token.clone())));
        let adele = UserRef::Upn(sandbox_common::ADELE.into());
        let user = rt.block_on(client.users().get(&adele, &["id"])).unwrap().id;
        Tenant {
            rt,
            _practice: practice,
            client,
            user,
        }
    })
}

/// A display name cannot be blank; a blank one gets a letter (rather than being rejected: at
/// millions of cases, rejections would abort the run).
fn non_blank(name: String) -> String {
    if name.trim().is_empty() {
        format!("x{name}")
    } else {
        name
    }
}

fn not_found_message(key: &str) -> String {
    format!("Resource '{key}' does not exist or one of its queried reference-property objects are not present.")
}

proptest! {
    #![proptest_config(arb_json::config_for(4))]

    /// `GET /users/{name}` (and `/groups/{id}`) for a name nothing has: refused before sending
    /// (empty, `.`, `..`), or the tenant answers 404 naming exactly that name — so the name
    /// reached its router intact.
    #[test]
    fn a_user_name_reaches_the_router_intact(name in arb_json::hostile_string(24)) {
        let t = tenant();
        if name.contains('@') && name.to_ascii_lowercase().ends_with("contoso.com") {
            return Ok(()); // may be a seeded user's name
        }
        let answers = t.rt.block_on(async {
            [
                t.client.users().get(&UserRef::Upn(name.clone()), &["id"]).await.map(|_| ()),
                t.client.users().get(&UserRef::Id(UserId::new(name.clone())), &["id"]).await.map(|_| ()),
                t.client.groups().get(&GroupId::new(name.clone()), &["id"]).await.map(|_| ()),
            ]
        });
        let want = not_found_message(&name);
        for answer in answers {
            let err = answer.unwrap_err();
            if err.kind() == ErrorKind::Validation && err.status().is_none() {
                continue;
            }
            prop_assert_eq!(err.kind(), ErrorKind::NotFound, "{:?}: {}", name, err);
            prop_assert_eq!(err.message(), Some(want.as_str()));
        }
    }

    /// A display name set through Graph is found again by `displayName eq '…'` and
    /// `startswith(displayName,'…')` built by msgraph — the literal parsed back to that text.
    #[test]
    fn a_filter_literal_parses_back_to_itself(name in arb_json::hostile_string(24).prop_map(non_blank)) {
        let t = tenant();
        let update = UserUpdate { display_name: Some(name.clone()), ..Default::default() };
        let set = t.rt.block_on(t.client.users().update(&UserRef::Id(t.user.clone()), &update));
        if let Err(e) = &set {
            // The tenant may refuse a name (as Graph does); then there is nothing to find.
            prop_assume!(e.kind() != ErrorKind::Validation, "{}", e);
        }
        prop_assert!(set.is_ok(), "{:?}: {:?}", name, set);
        for filter in [Filter::eq("displayName", name.as_str()), Filter::starts_with("displayName", &name)] {
            let found = t.rt.block_on(t.client.users().list(ListQuery::new().filter(filter.clone()).select(&["id", "displayName"])).collect_all());
            let found = found.map_err(|e| TestCaseError::fail(format!("{name:?} {filter:?}: {e}")))?;
            prop_assert!(found.iter().any(|u| u.id == t.user && u.display_name.as_deref() == Some(name.as_str())),
                "{:?}: {:?} found {:?}", name, filter.to_odata(), found.iter().map(|u| &u.display_name).collect::<Vec<_>>());
        }
    }
}

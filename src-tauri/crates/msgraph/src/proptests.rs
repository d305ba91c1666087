//! Property tests: no answer Graph (or anything pretending to be Graph) can send makes a decoder
//! panic, and the builders keep hostile text inside its literal or segment. Errors are fine;
//! panics are not. Inside the crate, so the private decoders (paging, delta, `$batch`, the error
//! envelope) are tested exactly as `execute()` and the pagers call them.
//!
//! 256 cases per property (proptest's default); `cargo xtask fuzz` runs millions through
//! `PROPTEST_CASES`. The round trip through the practice tenant's parser is in
//! `tests/roundtrip_sandbox.rs`.

#[path = "../tests/support/arb_json.rs"]
mod arb_json;

use std::time::Duration;

use proptest::prelude::*;
use serde::de::DeserializeOwned;

use crate::batch::WireAnswer;
use crate::client::decode;
use crate::delta::decode_page;
use crate::error::Error;
use crate::paging::Page;
use crate::*;
use arb_json::answer_body;

/// Decodes `body` as one `T` and as a page of `T`, and uses what came out the way callers do.
fn model<T: DeserializeOwned + std::fmt::Debug>(body: &[u8], used: impl Fn(&T)) {
    match decode::<T>(body) {
        Ok(t) => {
            used(&t);
            let _ = format!("{t:?}");
        }
        Err(e) => {
            let _ = (e.to_string(), format!("{e:?}"), e.json_path());
        }
    }
    if let Ok(page) = decode::<Page<T>>(body) {
        page.value.iter().for_each(&used);
        let _ = (page.next_link, page.count);
    }
}

/// Everything a Graph answer's body goes through.
fn decode_everything(body: &[u8]) {
    model::<User>(body, |_| {});
    model::<Group>(body, |g| {
        let _ = (g.is_unified(), g.is_dynamic(), g.kind());
    });
    model::<DirectoryObject>(body, |o| {
        let _ = (o.is_user(), o.is_group(), o.is_org_contact(), Group::from(o.clone()));
    });
    model::<SubscribedSku>(body, |s| {
        let _ = s.available_units();
    });
    model::<LicenseDetails>(body, |_| {});
    model::<AssignLicenseResult>(body, |_| {});
    model::<DirectoryRole>(body, |_| {});
    model::<RoleDefinition>(body, |_| {});
    model::<RoleAssignment>(body, |_| {});
    model::<Contact>(body, |_| {});
    model::<ContactFolder>(body, |_| {});
    model::<Invitation>(body, |_| {});
    // The error envelope, for every status a caller may see.
    for status in [400, 401, 403, 404, 409, 410, 429, 500, 503] {
        let e = Error::from_answer(status, body, Some(Duration::from_secs(u64::MAX)));
        let _ = (
            e.to_string(),
            format!("{e:?}"),
            e.kind(),
            e.has_code("syncStateNotFound"),
        );
        let _ = (e.code(), e.target(), e.inner_code(), e.details(), e.detail_target("x"));
    }
    // `$batch`: the answer, and each sub-answer as `Client::batch` and its callers use it.
    if let Ok(answer) = decode::<WireAnswer>(body) {
        for r in &answer.responses {
            let _ = (r.is_success(), r.retry_after(std::time::SystemTime::now()));
            let _ = r.error().map(|e| e.to_string());
            let _ = r.decode::<User>();
        }
    }
    // A delta page, as `DeltaWalk::next_page` reads it.
    if let Ok(page) = decode_page(body) {
        let _ = (format!("{:?}", page.objects), page.next_link, page.delta_link);
    }
}

proptest! {
    #[test]
    fn no_graph_answer_makes_a_decoder_panic(body in answer_body()) {
        decode_everything(&body);
    }

    /// A user name or id becomes one path segment that decodes back to exactly itself, or the
    /// request is refused before it is sent; it never becomes another path.
    #[test]
    fn a_user_segment_decodes_back_to_itself(name in arb_json::hostile_string(24)) {
        let client = graph_client();
        for user in [UserRef::Upn(name.clone()), UserRef::Id(UserId::new(name.clone()))] {
            let target = crate::client::Target::Relative { path: format!("{}/memberOf", user.path()), query: String::new() };
            let Ok(url) = client.resolve(&target) else { continue };
            let segs: Vec<String> = url.path_segments().unwrap()
                .map(|s| percent_encoding::percent_decode_str(s).decode_utf8().unwrap().into_owned())
                .collect();
            let key = format!("users('{}')", name.replace('\'', "''"));
            prop_assert!(
                segs == ["v1.0", "users", name.as_str(), "memberOf"] || segs == ["v1.0", key.as_str(), "memberOf"],
                "{:?} -> {}", name, url
            );
        }
    }

    /// A query value comes back from the query string exactly as it went in.
    #[test]
    fn query_values_decode_back_to_themselves(value in arb_json::hostile_string(40), name in arb_json::hostile_string(8)) {
        let filter = Filter::starts_with("displayName", &value);
        let text = filter.to_odata().unwrap().to_string();
        let name = format!("x{name}");
        let q = crate::encode::query([("$filter", text.as_str()), (name.as_str(), value.as_str())]);
        let back: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes()).into_owned().collect();
        prop_assert_eq!(back, vec![("$filter".to_string(), text), (name, value)]);
    }

    /// `@odata.nextLink` / `@odata.deltaLink` values Graph sends are followed only under the base.
    #[test]
    fn links_from_graph_never_panic_and_stay_under_the_base(link in arb_json::hostile_string(40)) {
        let client = graph_client();
        for l in [link.clone(), format!("https://graph.microsoft.com/v1.0/{link}"), format!("https://graph.microsoft.com/{link}")] {
            if let Ok(url) = client.resolve(&crate::client::Target::Absolute(l)) {
                prop_assert_eq!(url.host_str(), Some("graph.microsoft.com"));
                prop_assert!(url.path() == "/v1.0" || url.path().starts_with("/v1.0/"), "{}", url);
            }
        }
    }
}

fn graph_client() -> Client {
    let base = url::Url::parse("https://graph.microsoft.com/v1.0").unwrap();
    Client::new(base, std::sync::Arc::new(AccessToken::new("t")))
}

/// Found while writing `no_graph_answer_makes_a_decoder_panic` (which reaches it only rarely: it
/// needs a whole SKU with both counts at the edges): counts at the edges of `i64` made
/// `available_units` overflow (a panic in debug builds, a wrapped count in release).
#[test]
fn available_units_of_counts_at_the_edges_is_unknown_not_a_panic() {
    for (enabled, consumed) in [(i64::MIN, 1), (i64::MAX, -1)] {
        let body = serde_json::json!({"id": "i", "skuId": "s", "prepaidUnits": {"enabled": enabled}, "consumedUnits": consumed});
        let sku: SubscribedSku = decode(body.to_string().as_bytes()).unwrap();
        assert_eq!(sku.available_units(), None);
    }
    decode_everything(
        br#"{"value":[{"id":"i","skuId":"s","prepaidUnits":{"enabled":-9223372036854775808},"consumedUnits":1}]}"#,
    );
}

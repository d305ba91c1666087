//! Property test: no delta answer — arbitrary JSON, or Microsoft's documented delta pages with
//! fields dropped, types changed, odd Unicode, deep nesting — makes the page/object decoding
//! (`testkit::page_from_json`, the `msgraph::delta_types` contract) or applying it to the mirror
//! panic. Errors are fine; panics are not. Each case is a whole walk into a fresh in-memory
//! mirror, so the case count is a sixteenth of proptest's (16 by default; `cargo xtask fuzz`
//! raises it through `PROPTEST_CASES`).

#[path = "../../msgraph/tests/support/arb_json.rs"]
mod arb_json;

use msgraph::DeltaCursor;
use proptest::prelude::*;
use serde_json::{json, Value};
use time::macros::datetime;
use watch::testkit::page_from_json;
use watch::{property_label, value_text, Mirror, Resource, WalkMode, WatchRules};

/// A delta answer: a documented page with mutations, one whose `value` holds arbitrary items,
/// or arbitrary JSON.
fn delta_body() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => arb_json::mutated_fixture(),
        2 => prop::collection::vec(prop_oneof![arb_json::mutated_fixture(), arb_json::arb_json(4)], 0..6)
            .prop_map(|items| json!({ "value": items, "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x" })),
        1 => arb_json::arb_json(6),
    ]
}

/// One walk of `bodies` into `m`; an error ends it (the mirror rolls it back).
fn walk(m: &mut Mirror, resource: Resource, mode: WalkMode, at: time::OffsetDateTime, bodies: &[Value]) {
    let Ok(mut w) = m.begin_walk(resource, mode, at) else {
        return;
    };
    for body in bodies {
        let page = page_from_json(body);
        for o in &page.objects {
            for (k, v) in &o.properties {
                let _ = (property_label(k), value_text(v));
            }
        }
        if m.apply_page(&mut w, &page).is_err() {
            m.abort_walk();
            return;
        }
    }
    let cursor = DeltaCursor("https://graph.microsoft.com/v1.0/users/delta?$deltatoken=y".into());
    if let Ok(events) = m.finish_walk(w, &cursor, &WatchRules::default()) {
        for e in events {
            let _ = (e.summary.len(), format!("{e:?}"));
        }
    }
}

proptest! {
    #![proptest_config(arb_json::config_for(16))]

    #[test]
    fn no_delta_answer_makes_decoding_or_applying_panic(
        first in prop::collection::vec(delta_body(), 1..3),
        then in prop::collection::vec(delta_body(), 1..3),
        groups in any::<bool>(),
    ) {
        let resource = if groups { Resource::Groups } else { Resource::Users };
        let mut m = Mirror::open_in_memory().unwrap();
        walk(&mut m, resource, WalkMode::Initial, datetime!(2026-11-26 10:00 UTC), &first);
        walk(&mut m, resource, WalkMode::Incremental, datetime!(2026-11-26 10:01 UTC), &then);
        walk(&mut m, resource, WalkMode::Resync, datetime!(2026-11-26 10:02 UTC), &first);
    }
}

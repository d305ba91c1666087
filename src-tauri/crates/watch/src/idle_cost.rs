//! An idle check must cost what the changes cost, not what the tenant weighs (issue 13, P3): the
//! same empty delta walk of users and groups is run on a mirror of 300 and of 3,000 people, and the
//! SQLite virtual-machine instructions it executes (counted by a progress handler, every statement
//! of the walk, on the walk's own connection) must not grow with the mirror. No timing: a count.

use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;

use crate::testkit::page_from_json;
use crate::{Mirror, Resource, WalkMode, WatchRules};

const T0: OffsetDateTime = datetime!(2026-11-26 10:00 UTC);
const T1: OffsetDateTime = datetime!(2026-11-26 10:05 UTC);
/// Members of each generated group.
const MEMBERS: usize = 10;
/// The progress handler fires every this many VM instructions.
const OPS_PER_CALL: i32 = 10;

fn user_id(i: usize) -> String {
    format!("{i:08x}-0000-0000-0000-000000000000")
}

fn last_page(values: Vec<Value>, resource: &str) -> Value {
    json!({ "value": values, "@odata.deltaLink": format!("https://graph.microsoft.com/v1.0/{resource}/delta?$deltatoken=t") })
}

/// People deleted after the first walks, kept as tombstones the way an idle check finds them within
/// the retention: the same number at both sizes (what an idle check reads of them follows the
/// deletions, not the tenant).
const DELETED: usize = 20;

/// A mirror after the first walks: `people` users ([`DELETED`] of them deleted afterwards) and a
/// tenth as many groups of [`MEMBERS`] people each.
fn mirror_of(people: usize) -> Mirror {
    let mut m = Mirror::open_in_memory().unwrap();
    let users: Vec<Value> = (0..people)
        .map(|i| json!({ "id": user_id(i), "displayName": format!("Person {i}"), "userPrincipalName": format!("p{i}@contoso.com") }))
        .collect();
    let mut walk = m.begin_walk(Resource::Users, WalkMode::Initial, T0).unwrap();
    let page = page_from_json(&last_page(users, "users"));
    m.apply_page(&mut walk, &page).unwrap();
    m.finish_walk(walk, page.delta_link.as_ref().unwrap(), &WatchRules::default())
        .unwrap();

    let groups: Vec<Value> = (0..people / 10)
        .map(|g| {
            let members: Vec<Value> = (0..MEMBERS)
                .map(|k| json!({ "@odata.type": "#microsoft.graph.user", "id": user_id((g * 7 + k * 13) % people) }))
                .collect();
            json!({ "id": format!("g{g:07}"), "displayName": format!("Group {g}"), "members@delta": members })
        })
        .collect();
    let mut walk = m.begin_walk(Resource::Groups, WalkMode::Initial, T0).unwrap();
    let page = page_from_json(&last_page(groups, "groups"));
    m.apply_page(&mut walk, &page).unwrap();
    m.finish_walk(walk, page.delta_link.as_ref().unwrap(), &WatchRules::default())
        .unwrap();

    // Some people deleted (their memberships end in the same check, as Graph reports).
    let gone: Vec<Value> = (0..DELETED)
        .map(|i| json!({ "id": user_id(i * 10), "@removed": { "reason": "deleted" } }))
        .collect();
    idle_walk(&mut m, Resource::Users, gone);
    idle_walk(&mut m, Resource::Groups, Vec::new());
    m
}

fn idle_walk(m: &mut Mirror, resource: Resource, values: Vec<Value>) {
    let mut walk = m.begin_walk(resource, WalkMode::Incremental, T1).unwrap();
    let page = page_from_json(&last_page(values, resource.as_str()));
    m.apply_page(&mut walk, &page).unwrap();
    m.finish_walk(walk, page.delta_link.as_ref().unwrap(), &WatchRules::default())
        .unwrap();
}

/// VM instructions (in units of [`OPS_PER_CALL`]) of one idle check (users, then groups, each an
/// empty delta page) on `m`.
fn idle_check_ops(m: &mut Mirror) -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    let count = Arc::new(AtomicU64::new(0));
    let counter = count.clone();
    m.conn.progress_handler(
        OPS_PER_CALL,
        Some(move || {
            counter.fetch_add(1, Ordering::Relaxed);
            false
        }),
    );
    idle_walk(m, Resource::Users, Vec::new());
    idle_walk(m, Resource::Groups, Vec::new());
    m.conn.progress_handler(OPS_PER_CALL, None::<fn() -> bool>);
    count.load(Ordering::Relaxed)
}

#[test]
fn an_idle_check_costs_the_same_on_a_ten_times_larger_mirror() {
    let (mut small, mut large) = (mirror_of(300), mirror_of(3_000));
    let (s, l) = (idle_check_ops(&mut small), idle_check_ops(&mut large));
    eprintln!(
        "idle check: {} VM instructions at 300 people, {} at 3,000",
        s * OPS_PER_CALL as u64,
        l * OPS_PER_CALL as u64
    );
    // Equal in principle; the margin covers B-tree depth (one more level at 3,000 rows).
    assert!(
        l <= s + s / 4 + 10,
        "an idle check executes {l}×{OPS_PER_CALL} SQLite instructions at 3,000 people against {s}×{OPS_PER_CALL} at 300: it reads the whole copy"
    );
}

//! The randomized fidelity scenario against the in-memory tenant: every change reported exactly
//! once, across engine restarts, a forced delta expiry, replays, duplicates and failures.

use watch::fidelity::{run_scenario, Scenario};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_random_changes_are_reported_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = Scenario::new(20261126, 500);
    let report = run_scenario(&scenario, dir.path()).await.unwrap();
    println!("{}", report.table());
    assert!(report.restarts >= 2);
    assert!(report.resyncs >= 1, "{}", report.table());
    assert!(report.perfect(), "{}", report.table());
    for kind in watch::EventKind::ALL {
        assert!(
            report.kinds.get(&kind).is_some_and(|s| s.expected > 0),
            "the scenario never produced {kind:?}:\n{}",
            report.table()
        );
    }
}

/// The own-write check of `cargo xtask fidelity`: each own write exactly once, marked as made
/// here; a mark on anything else only where it follows from an own write.
#[test]
fn own_writes_must_be_recorded_once_and_marked_as_made_here() {
    use watch::fidelity::{EventKey, FidelityReport};
    use watch::EventKind;
    let created = EventKey::new(EventKind::UserCreated, "u1");
    let updated = EventKey::new(EventKind::UserUpdated, "u2");
    let deleted = EventKey::new(EventKind::UserDeleted, "u3");
    let added = EventKey {
        member_id: Some("u4".into()),
        ..EventKey::new(EventKind::MemberAdded, "g1")
    };
    let left = EventKey {
        member_id: Some("u3".into()),
        ..EventKey::new(EventKind::MemberRemoved, "g2")
    };
    let someone_else = EventKey::new(EventKind::GroupUpdated, "g3");
    let own = [created.clone(), updated.clone(), deleted.clone(), added.clone()];
    let emitted = [
        (created.clone(), true),
        (updated.clone(), false), // recorded by the walk only: not marked
        (added.clone(), true),
        (added.clone(), true), // twice
        (left.clone(), true),  // follows from deleting u3
        (someone_else.clone(), true),
    ];
    let mut report = FidelityReport::default();
    report.add_own(&own, &emitted, |k| k.member_id.as_deref() == Some("u3"));
    let o = &report.own;
    assert_eq!((o.writes, o.recorded), (4, 1));
    assert_eq!(o.missing, [deleted]);
    assert_eq!(o.unmarked, [updated]);
    assert_eq!(o.duplicated, [added]);
    assert_eq!(o.foreign, [someone_else]);
    assert!(!report.perfect());

    let mut clean = FidelityReport::default();
    clean.add_own(std::slice::from_ref(&created), &[(created.clone(), true)], |_| false);
    assert!(clean.perfect(), "{}", clean.table());
}

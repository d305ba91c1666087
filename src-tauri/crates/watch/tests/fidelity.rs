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

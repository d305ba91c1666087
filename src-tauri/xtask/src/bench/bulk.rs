//! P2: a bulk job adding 1,000 people to a group against the same people added one request each,
//! both in the same run on the same practice tenant (answering after 20 ms), each run a process of
//! its own (`bench-scenario bulk-pair`, `bench_bulk::pair_scenario`); ratios pair by pair.

use super::compare::{ratios, run_process, Row, Run, Series};
use std::path::Path;

/// People added per run, and the tenant's latency per request.
pub const PEOPLE: usize = 1000;
pub const LATENCY_MS: u64 = 20;

const WORKLOAD: &str = "add 1,000 people to a group (bulk job: `members@odata.bind`, 20 per PATCH), practice tenant of its own answering after 20 ms";
const TARGET: &str = "≤ 50 write requests; ≥ 15 × faster than one request per member";

/// `runs` runs of the pair, each a process of its own; P2's row.
pub fn row(runner: &Path, runs: usize) -> Row {
    let mut done: Vec<Run> = Vec::new();
    for i in 0..runs {
        println!("==> P2 run {}/{runs}: bulk job and one request per member", i + 1);
        let mut cmd = std::process::Command::new(runner);
        cmd.args(["bench-scenario", "bulk-pair", "-"]);
        match run_process(&mut cmd) {
            Ok(r) => done.push(r),
            Err(e) => return super::compare::not_measured("P2", WORKLOAD, TARGET, &e),
        }
    }
    match row_of(&done) {
        Ok(r) => r,
        Err(e) => super::compare::not_measured("P2", WORKLOAD, TARGET, &e),
    }
}

fn row_of(done: &[Run]) -> Result<Row, String> {
    let bulk = Series::of(done, "bulk_secs")?;
    let one = Series::of(done, "one_secs")?;
    let bulk_writes = Series::of(done, "bulk_writes")?;
    let one_writes = Series::of(done, "one_writes")?;
    Ok(Row {
        id: "P2".into(),
        workload: WORKLOAD.into(),
        ours: format!(
            "{} runs: {}, {} write requests (max {})",
            done.len(),
            bulk.show(2, "s"),
            bulk_writes.median(),
            bulk_writes.max()
        ),
        other: format!(
            "one `POST members/$ref` per member: {}, {} write requests",
            one.show(2, "s"),
            one_writes.median()
        ),
        ratio: format!("one by one / bulk {}", ratios(&one, &bulk).show(1, "×")),
        target: TARGET.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_pairs_each_run_with_itself() {
        let run = |b: f64, o: f64| -> Run {
            [
                ("bulk_secs", b),
                ("one_secs", o),
                ("bulk_writes", 50.0),
                ("one_writes", 1000.0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
        };
        let r = row_of(&[run(1.0, 20.0), run(2.0, 20.0), run(1.0, 30.0)]).unwrap();
        assert!(r.ratio.contains("20.0 × (10.0–30.0)"), "{}", r.ratio);
        assert!(
            r.ours.starts_with("3 runs: 1.00 s (1.00–2.00), 50 write requests"),
            "{}",
            r.ours
        );
    }
}

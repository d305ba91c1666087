//! `cargo xtask fuzz [--cases N]`: the property tests of the test suite, with millions of cases.
//!
//! The same properties `cargo test` runs with proptest's default 256 cases (fewer for the costly
//! ones), run here with `PROPTEST_CASES` raised, in the optimised `fuzz` profile (debug assertions
//! and overflow checks kept: an overflow is a finding). A failure prints proptest's minimal
//! failing input and makes the command exit non-zero; proptest also saves the case's seed in a
//! `*.proptest-regressions` file next to the test, which replays it first on the next run.

use std::path::Path;
use std::time::Instant;

use crate::runner::{execute, step, Counter};

/// One test binary's properties: `PROPTEST_CASES` is the run's `--cases` divided by `divisor`,
/// and each of its `properties` runs that many cases divided by its `share` (see
/// `arb_json::config_for`: a case that is a few HTTP requests or a whole mirror costs more).
struct Target {
    name: &'static str,
    args: &'static [&'static str],
    properties: u64,
    divisor: u64,
    share: u64,
}

const TARGETS: &[Target] = &[
    Target {
        name: "msgraph: Graph answers into every decoder; user segments, query values and links",
        args: &["-p", "msgraph", "--lib", "proptests::"],
        properties: 4,
        divisor: 1,
        share: 1,
    },
    Target {
        name: "signin: bytes into the loopback listener's request parsing",
        args: &["-p", "signin", "--lib", "loopback::proptests::"],
        properties: 3,
        divisor: 1,
        share: 1,
    },
    Target {
        name: "msgraph -> practice tenant: hostile names and $filter literals round trip",
        args: &["-p", "msgraph", "--test", "roundtrip_sandbox"],
        properties: 2,
        divisor: 10,
        share: 4,
    },
    Target {
        name: "watch: delta answers decoded and applied to a mirror",
        args: &["-p", "watch", "--test", "proptest_pages"],
        properties: 1,
        divisor: 100,
        share: 16,
    },
];

const DEFAULT_CASES: u64 = 1_000_000;

fn parse_cases(args: &[String]) -> Result<u64, String> {
    let usage = "usage: cargo xtask fuzz [--cases N]";
    match args {
        [] => Ok(DEFAULT_CASES),
        [flag, n] if flag == "--cases" => n
            .replace('_', "")
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("--cases must be a whole number above 0, not {n:?}; {usage}")),
        _ => Err(usage.to_string()),
    }
}

pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let cases = parse_cases(args)?;
    let started = Instant::now();
    let mut total = 0u64;
    let mut report = Vec::new();
    let mut failed = 0;
    // Built first, so each run's time below is its cases' time.
    let build = [
        "test",
        "--profile",
        "fuzz",
        "--no-run",
        "-p",
        "msgraph",
        "-p",
        "signin",
        "-p",
        "watch",
    ];
    let t0 = Instant::now();
    if !execute(
        root,
        &step(
            "build the property tests (fuzz profile)",
            "cargo",
            &build,
            Counter::Single,
        ),
    )
    .0
    {
        return Err("the property tests did not build".into());
    }
    report.push(format!("  built in {:.1} s", t0.elapsed().as_secs_f64()));
    for t in TARGETS {
        let env_cases = (cases / t.divisor).max(1);
        let per_property = (env_cases / t.share).max(1);
        let mut args = vec!["test", "--profile", "fuzz"];
        args.extend(t.args);
        let mut s = step(t.name, "cargo", &args, Counter::CargoTest);
        s.env.push(("PROPTEST_CASES", env_cases.to_string()));
        s.min_tests = t.properties;
        println!(
            "\n{} properties x {per_property} cases (PROPTEST_CASES={env_cases})",
            t.properties
        );
        let t0 = Instant::now();
        let (ok, _, _) = execute(root, &s);
        let secs = t0.elapsed().as_secs_f64();
        let n = t.properties * per_property;
        total += n;
        if !ok {
            failed += 1;
        }
        report.push(format!(
            "  {:<6} {n:>10} cases {secs:>8.1} s  {}",
            if ok { "ok" } else { "FAILED" },
            t.name
        ));
    }
    println!("\ncargo xtask fuzz --cases {cases}:");
    for line in &report {
        println!("{line}");
    }
    println!("  {total} cases in all, {:.1} s", started.elapsed().as_secs_f64());
    if failed == 0 {
        Ok(())
    } else {
        Err(format!(
            "{failed} of {} property runs failed (minimal failing inputs above)",
            TARGETS.len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_default_to_a_million_and_take_underscores() {
        assert_eq!(parse_cases(&[]), Ok(DEFAULT_CASES));
        assert_eq!(parse_cases(&["--cases".into(), "2_000".into()]), Ok(2000));
        assert!(parse_cases(&["--cases".into(), "0".into()]).is_err());
        assert!(parse_cases(&["--fast".into()]).is_err());
    }
}

//! The supply chain, as part of `cargo xtask test`: `cargo deny` checks the Rust dependencies' licences,
//! bans (crates the project refuses, duplicates it tolerates) and sources (crates.io only) against
//! `deny.toml`, and their security advisories where the advisory database can be fetched; `npm audit`
//! checks the UI's production dependencies where the registry's audit service answers. A check that
//! cannot reach its database says so and is counted neither passed nor failed: a machine without that
//! network cannot know, and saying "no advisories" would be a fake success.

use crate::runner::{execute, step, Counter, Tally};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

pub fn steps(root: &Path, tally: &mut Tally) {
    let deny = match crate::setup::cargo_deny() {
        Ok(d) => d,
        Err(e) => {
            println!("supply chain: {e}");
            tally.record("cargo deny", false, 0, 1, 0.0);
            return;
        }
    };
    let t = Instant::now();
    let s = step(
        "cargo deny: licences, bans and sources of every Rust dependency (deny.toml)",
        &deny,
        &[
            "deny",
            "--locked",
            "check",
            "--hide-inclusion-graph",
            "licenses",
            "bans",
            "sources",
        ],
        Counter::Single,
    );
    let (ok, p, f) = execute(root, &s);
    tally.record(
        "cargo deny (licences, bans, sources)",
        ok,
        p,
        f,
        t.elapsed().as_secs_f64(),
    );

    unreachable_or_run(
        root,
        tally,
        "cargo deny: security advisories (RustSec)",
        &deny,
        &["deny", "--locked", "check", "--hide-inclusion-graph", "advisories"],
        &[
            "failed to fetch",
            "failed to open advisory database",
            "could not resolve",
            "Couldn't resolve host",
        ],
    );
    unreachable_or_run(
        root,
        tally,
        "npm audit: the UI's production dependencies",
        "npm",
        &["audit", "--omit=dev"],
        &[
            "audit endpoint returned an error",
            "ENOTFOUND",
            "EAI_AGAIN",
            "ECONNREFUSED",
        ],
    );
}

/// `cargo xtask supply`: the same checks alone, with their `N passed, N failed` line.
pub fn only(root: &Path) -> Result<(), String> {
    let mut tally = Tally::default();
    steps(root, &mut tally);
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} supply-chain check(s) failed", tally.failed))
    }
}

/// Runs a check that needs a database from the network: a pass or a failure counts; an answer that says
/// the database could not be reached (one of `unreachable`) is reported and not counted.
fn unreachable_or_run(root: &Path, tally: &mut Tally, name: &str, program: &str, args: &[&str], unreachable: &[&str]) {
    println!("\n==> {name}");
    let t = Instant::now();
    let out = match Command::new(program).current_dir(root).args(args).output() {
        Ok(o) => o,
        Err(e) => {
            println!("could not start `{program}`: {e}");
            tally.record(name, false, 0, 1, t.elapsed().as_secs_f64());
            return;
        }
    };
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{text}");
    if out.status.success() {
        tally.record(name, true, 1, 0, t.elapsed().as_secs_f64());
    } else if let Some(why) = unreachable.iter().find(|u| text.contains(*u)) {
        println!("NOT CHECKED: its database cannot be reached from this machine ({why}); run it where it can");
    } else {
        tally.record(name, false, 0, 1, t.elapsed().as_secs_f64());
    }
}

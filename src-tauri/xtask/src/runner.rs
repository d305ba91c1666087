//! How `cargo xtask` runs a step (a command whose output it streams) and counts what it reports:
//! every test a runner reports counts (cargo test, vitest, the e2e steps); a check that is not a
//! test runner (fmt, clippy, typecheck, lint, a build) counts as one test that passed or failed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Default)]
pub(crate) struct Tally {
    pub(crate) passed: u64,
    pub(crate) failed: u64,
    steps: Vec<(String, bool, u64, u64, f64)>,
}

impl Tally {
    pub(crate) fn record(&mut self, name: &str, ok: bool, passed: u64, failed: u64, secs: f64) {
        self.passed += passed;
        self.failed += failed;
        self.steps.push((name.to_string(), ok, passed, failed, secs));
    }

    /// One line per step, then `N passed, N failed`.
    pub(crate) fn print_summary(&self) {
        for (name, ok, p, f, secs) in &self.steps {
            println!(
                "  {} {name}: {p} passed, {f} failed ({secs:.0} s)",
                if *ok { "ok  " } else { "FAIL" }
            );
        }
        println!("{} passed, {} failed", self.passed, self.failed);
    }
}

/// How a step's output is counted.
#[derive(Clone, Copy)]
pub(crate) enum Counter {
    /// The step is one check.
    Single,
    /// `test result: ok. N passed; M failed` lines (cargo test).
    CargoTest,
    /// A line `E2E-RESULT {"passed":N,"failed":M}` printed by our e2e runner, or vitest's JSON file.
    ResultLine,
}

pub(crate) struct Step<'a> {
    pub name: &'a str,
    pub program: &'a str,
    pub args: Vec<String>,
    pub env: Vec<(&'a str, String)>,
    pub counter: Counter,
    /// A runner step that ran fewer tests than this failed (a filter that matched nothing proves nothing).
    pub min_tests: u64,
}

pub(crate) fn step<'a>(name: &'a str, program: &'a str, args: &[&str], counter: Counter) -> Step<'a> {
    Step {
        name,
        program,
        args: args.iter().map(|s| s.to_string()).collect(),
        env: vec![],
        counter,
        min_tests: 0,
    }
}

/// Runs a step, streaming its output, and returns (ok, passed, failed).
pub(crate) fn execute(root: &Path, s: &Step) -> (bool, u64, u64) {
    println!("\n==> {}", s.name);
    let mut command = Command::new(s.program);
    command
        .current_dir(root)
        .args(&s.args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    for (k, v) in &s.env {
        command.env(k, v);
    }
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => {
            println!("could not start `{}`: {e}", s.program);
            return (false, 0, 1);
        }
    };
    let (mut passed, mut failed) = (0u64, 0u64);
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            match s.counter {
                Counter::CargoTest => {
                    if let Some((p, f)) = parse_cargo_result(&line) {
                        passed += p;
                        failed += f;
                    }
                }
                Counter::ResultLine => {
                    if let Some((p, f)) = parse_result_line(&line) {
                        passed += p;
                        failed += f;
                    }
                }
                Counter::Single => {}
            }
        }
    }
    let ok = child.wait().map(|st| st.success()).unwrap_or(false);
    match s.counter {
        Counter::Single => {
            if ok {
                (true, 1, 0)
            } else {
                (false, 0, 1)
            }
        }
        _ => {
            // A runner that failed without reporting a failed test (a compile error, a crash) still fails.
            if !ok && failed == 0 {
                failed = 1;
            }
            if passed + failed < s.min_tests {
                println!("expected at least {} tests, {} ran", s.min_tests, passed + failed);
                failed += 1;
            }
            (ok && failed == 0, passed, failed)
        }
    }
}

/// `test result: ok. 3 passed; 0 failed; 1 ignored; ...`
fn parse_cargo_result(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<u64> {
        let idx = rest.find(word)?;
        rest[..idx].trim_end().rsplit([' ', '.']).next()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

/// `E2E-RESULT {"passed":3,"failed":0}` (our e2e runner and the vitest wrapper print this).
fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let json = line.trim().strip_prefix("E2E-RESULT ")?;
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    Some((v["passed"].as_u64()?, v["failed"].as_u64()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cargo_results() {
        assert_eq!(
            parse_cargo_result(
                "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s"
            ),
            Some((3, 0))
        );
        assert_eq!(
            parse_cargo_result("test result: FAILED. 10 passed; 2 failed; 0 ignored"),
            Some((10, 2))
        );
        assert_eq!(parse_cargo_result("running 3 tests"), None);
    }

    #[test]
    fn parses_result_lines() {
        assert_eq!(parse_result_line(r#"E2E-RESULT {"passed":5,"failed":1}"#), Some((5, 1)));
        assert_eq!(parse_result_line("E2E-RESULT nonsense"), None);
    }
}

//! `cargo xtask test`: every check and suite, one summary line.
//!
//! Counting: every test a runner reports counts (cargo test, vitest, the e2e steps); a check that is
//! not a test runner (fmt, clippy, typecheck, lint, a build) counts as one test that passed or failed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::setup;

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

pub fn test(root: &Path, args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let skip_e2e = args.iter().any(|a| a == "--no-e2e");
    let mut tally = Tally::default();

    let mut setup_ok = true;
    for (name, result) in [
        (
            "system packages",
            setup::system_packages(&[setup::APP_PACKAGES, setup::TEST_PACKAGES].concat()),
        ),
        ("npm packages", setup::npm_packages(root)),
    ] {
        if let Err(e) = result {
            println!("setup: {name}: {e}");
            setup_ok = false;
        }
    }
    setup::python_oracle_modules();
    if !setup_ok {
        tally.record("setup", false, 0, 1, 0.0);
    }

    let steps = vec![
        step(
            "cargo fmt --check",
            "cargo",
            &["fmt", "--all", "--check"],
            Counter::Single,
        ),
        step(
            "cargo clippy (all targets, warnings are errors)",
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ],
            Counter::Single,
        ),
        step(
            "cargo test (workspace; includes the bindings drift check)",
            "cargo",
            &["test", "--workspace", "--locked", "--no-fail-fast"],
            Counter::CargoTest,
        ),
        Step {
            min_tests: 1,
            ..step(
                "keyring round trip through a real Secret Service (gnome-keyring on a private D-Bus)",
                "dbus-run-session",
                &[
                    "--",
                    "bash",
                    "tests/with-keyring.sh",
                    "cargo",
                    "test",
                    "-p",
                    "signin",
                    "--locked",
                    "--",
                    "--ignored",
                    "keyring_real",
                ],
                Counter::CargoTest,
            )
        },
        step(
            "UI typecheck",
            "npm",
            &["run", "--silent", "-w", "ui", "typecheck"],
            Counter::Single,
        ),
        step(
            "UI lint",
            "npm",
            &["run", "--silent", "-w", "ui", "lint"],
            Counter::Single,
        ),
        step(
            "UI unit tests (vitest)",
            "node",
            &["tests/vitest-count.mjs"],
            Counter::ResultLine,
        ),
    ];
    for s in &steps {
        let t = Instant::now();
        let (ok, p, f) = execute(root, s);
        tally.record(s.name, ok, p, f, t.elapsed().as_secs_f64());
    }

    crate::supply::steps(root, &mut tally);

    println!("\n==> conformance: every msgraph operation through Prism in front of the practice tenant");
    let t = Instant::now();
    match crate::conformance::run(root) {
        Ok(s) => tally.record(
            "conformance (Prism)",
            s.failed == 0,
            s.passed as u64,
            s.failed as u64,
            t.elapsed().as_secs_f64(),
        ),
        Err(e) => {
            println!("conformance: {e}");
            tally.record("conformance (Prism)", false, 0, 1, t.elapsed().as_secs_f64());
        }
    }

    // The watcher against the practice tenant: every event kind at 100 % precision and recall,
    // no duplicates, across restarts and a forced delta expiry. Several seeds, 500 changes each.
    for seed in ["1", "2", "3"] {
        println!("\n==> fidelity: 500 random directory changes (seed {seed}) vs the events the watcher reported");
        let t = Instant::now();
        let name = format!("fidelity (500 changes, seed {seed})");
        match crate::fidelity::run(root, &["--changes".into(), "500".into(), "--seed".into(), seed.into()]) {
            Ok(s) => tally.record(
                &name,
                s.failed == 0,
                s.passed as u64,
                s.failed as u64,
                t.elapsed().as_secs_f64(),
            ),
            Err(e) => {
                println!("fidelity: {e}");
                tally.record(&name, false, 0, 1, t.elapsed().as_secs_f64());
            }
        }
    }

    if !skip_e2e {
        e2e_steps(root, &mut tally);
    }

    println!("\n==> summary ({:.0} s)", started.elapsed().as_secs_f64());
    for (name, ok, p, f, secs) in &tally.steps {
        println!(
            "  {} {name}: {p} passed, {f} failed ({secs:.0} s)",
            if *ok { "ok  " } else { "FAIL" }
        );
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} failed", tally.failed))
    }
}

fn e2e_steps(root: &Path, tally: &mut Tally) {
    let driver = match setup::tauri_driver() {
        Ok(d) => d,
        Err(e) => {
            println!("e2e: {e}");
            tally.record("tauri-driver", false, 0, 1, 0.0);
            return;
        }
    };
    let t = Instant::now();
    let (ok, p, f) = execute(
        root,
        &step(
            "build the app for e2e (tauri build --debug --no-bundle)",
            "npx",
            &["tauri", "build", "--debug", "--no-bundle"],
            Counter::Single,
        ),
    );
    tally.record("build the app for e2e", ok, p, f, t.elapsed().as_secs_f64());
    if !ok {
        return;
    }
    e2e_slice(root, tally, driver, None);
}

/// The end-to-end slice (tests/e2e/run.sh) on the debug build, or on `app` (the installed release
/// binary, `cargo xtask bundle`) with its output under target/e2e-release.
pub(crate) fn e2e_slice(root: &Path, tally: &mut Tally, driver: String, app: Option<&Path>) {
    let t = Instant::now();
    let mut env = vec![("TAURI_DRIVER", driver)];
    if let Some(app) = app {
        let out = root.join("target/e2e-release");
        env.push(("E2E_APP", app.display().to_string()));
        env.push(("E2E_SCREENSHOTS", out.join("screenshots").display().to_string()));
        env.push(("E2E_OUT", out.display().to_string()));
    }
    let s = Step {
        env,
        ..step(
            "end-to-end: the real app under Xvfb (WebdriverIO + tauri-driver + WebKitWebDriver)",
            "xvfb-run",
            &[
                "-a",
                "-s",
                "-screen 0 1280x800x24",
                "dbus-run-session",
                "--",
                "bash",
                "tests/e2e/run.sh",
            ],
            Counter::ResultLine,
        )
    };
    let (ok, p, f) = execute(root, &s);
    tally.record("end-to-end", ok, p, f, t.elapsed().as_secs_f64());
}

pub fn e2e_only(root: &Path) -> Result<(), String> {
    setup::system_packages(&[setup::APP_PACKAGES, setup::TEST_PACKAGES].concat())?;
    setup::npm_packages(root)?;
    let mut tally = Tally::default();
    e2e_steps(root, &mut tally);
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} failed", tally.failed))
    }
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

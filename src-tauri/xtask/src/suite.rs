//! `cargo xtask test`: every check and suite, one summary line (counted as `runner.rs` says).

use std::path::Path;
use std::time::Instant;

use crate::runner::{execute, step, Counter, Step, Tally};
use crate::setup;

pub fn test(root: &Path, args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let skip_e2e = args.iter().any(|a| a == "--no-e2e");
    let mut tally = Tally::default();

    install(root, &mut tally);
    for s in &checks() {
        let t = Instant::now();
        let (ok, p, f) = execute(root, s);
        tally.record(s.name, ok, p, f, t.elapsed().as_secs_f64());
    }
    crate::supply::steps(root, &mut tally);
    conformance_step(root, &mut tally);
    fidelity_steps(root, &mut tally);
    if !skip_e2e {
        e2e_steps(root, &mut tally);
    }

    println!("\n==> summary ({:.0} s)", started.elapsed().as_secs_f64());
    tally.print_summary();
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} failed", tally.failed))
    }
}

/// Installs what the tests need (system packages, the UI's npm packages, the payload oracle's
/// Python modules); a failed install is one failed step.
fn install(root: &Path, tally: &mut Tally) {
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
}

/// The checks and test runners of the Rust workspace and the UI, in the order they run.
fn checks() -> Vec<Step<'static>> {
    vec![
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
    ]
}

fn conformance_step(root: &Path, tally: &mut Tally) {
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
}

/// The watcher against the practice tenant: every event kind at 100 % precision and recall,
/// no duplicates, across restarts and a forced delta expiry. Several seeds, 500 changes each.
fn fidelity_steps(root: &Path, tally: &mut Tally) {
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

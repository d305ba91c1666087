//! `cargo xtask <command>`: the only entry points people need.
//!
//! * `run`      installs what is missing (system packages, the UI's npm packages), builds, opens the app
//! * `test`     installs what tests need, runs every suite, ends with `N passed, N failed`
//! * `fidelity` drives random directory changes through the practice tenant and scores the watcher
//! * `bench`    measures speed and memory into BENCHMARKS.md
//! * `bundle`   builds the release app and its .deb, and proves the .deb (unpacked, run through e2e)
//! * `bindings` regenerates `ui/src/bindings.gen.ts` from the Rust commands and events
//! * `e2e`      builds the app and runs only the end-to-end tests
//! * `conformance` drives every msgraph operation through Prism in front of the practice tenant
//! * `fuzz`     runs the property tests with millions of cases (`--cases N`, default a million)

mod bench;
mod bench_bulk;
mod bundle;
mod conformance;
mod fidelity;
mod fuzz;
mod practice;
mod runner;
mod setup;
mod suite;
mod supply;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&root),
        Some("test") => suite::test(&root, &args[1..]),
        Some("e2e") => suite::e2e_only(&root),
        Some("bindings") => bindings(&root),
        Some("bench") => bench::run(&root, &args[1..]),
        Some("bundle") => bundle::run(&root),
        Some("fidelity") => fidelity::run(&root, &args[1..]).and_then(|s| {
            if s.failed == 0 {
                Ok(())
            } else {
                Err(format!(
                    "fidelity: {} of {} checks failed",
                    s.failed,
                    s.passed + s.failed
                ))
            }
        }),
        Some("fuzz") => fuzz::run(&root, &args[1..]),
        Some("supply") => supply::only(&root),
        Some("bench-scenario") => bench::scenario(&args[1..]),
        Some("conformance") => conformance::run(&root).and_then(|s| {
            if s.failed == 0 {
                Ok(())
            } else {
                Err(format!("{} conformance failures", s.failed))
            }
        }),
        Some("help") | Some("--help") | Some("-h") | None => {
            print_help();
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`; try `cargo xtask help`")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_help() {
    println!(
        "cargo xtask <command>\n\n  run       install what is missing, build and open Entra Desk\n  test      run every check and test suite (what CI runs)\n  e2e       build the app and run only the end-to-end tests\n  conformance  drive every msgraph operation through Prism in front of the practice tenant\n  bindings  regenerate ui/src/bindings.gen.ts\n  fidelity  --changes N --seed S: randomized directory changes vs the events the watcher reports\n  fuzz      [--cases N]: the property tests with millions of cases (default N = 1000000)\n  supply    the supply-chain checks alone (cargo deny, npm audit; part of `test`)\n  bench     measure speed and memory; writes BENCHMARKS.md\n  bundle    build the release app and its .deb, unpack it and run the e2e slice on it"
    );
}

/// The repository root (two levels above this crate).
pub fn project_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .and_then(|p| p.parent())
        .map(PathBuf::from)
        .unwrap_or(here)
}

fn run(root: &std::path::Path) -> Result<(), String> {
    setup::system_packages(setup::APP_PACKAGES)?;
    setup::npm_packages(root)?;
    println!("==> building Entra Desk (the first build takes several minutes)");
    setup::cmd(root, "npx", &["tauri", "build", "--debug", "--no-bundle"]).map_err(|e| format!("build failed: {e}"))?;
    let binary = root.join("target/debug/entra-desk");
    println!("==> starting {}", binary.display());
    let status = std::process::Command::new(&binary)
        .current_dir(root)
        .status()
        .map_err(|e| format!("could not start {}: {e}", binary.display()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("Entra Desk exited with {status}"))
    }
}

fn bindings(root: &std::path::Path) -> Result<(), String> {
    let status = std::process::Command::new("cargo")
        .current_dir(root)
        .env("ENTRA_DESK_WRITE_BINDINGS", "1")
        .args(["test", "-p", "entra-desk", "--test", "shell", "bindings_are_up_to_date"])
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        println!("wrote ui/src/bindings.gen.ts");
        Ok(())
    } else {
        Err("could not export the bindings".into())
    }
}

//! `cargo xtask bundle`: the release app and the installers this machine can make, then the .deb
//! proven as a person would use it.
//!
//! * builds `npx tauri build --bundles deb` (the release profile of the workspace `Cargo.toml`);
//!   AppImage needs tools Tauri downloads from GitHub, which this machine cannot reach, and msi/dmg
//!   are built on their own platforms from the same `tauri.conf.json`;
//! * checks the package: its control fields, that every dependency it declares is a package apt
//!   knows, the binary's size (≤ 20 MB), the desktop entry (name, command, icon, category) and the
//!   icons it names;
//! * unpacks it into a scratch root (`dpkg -x`: nothing is installed on this machine) and runs the
//!   installed binary through the same end-to-end slice as the debug build (`tests/e2e/run.sh` with
//!   `E2E_APP`), screenshots in target/e2e-release/screenshots.
//!
//! It ends with `N passed, N failed`. It stays out of `cargo xtask test`: a cold release build takes
//! about 20 minutes on 2 cores.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::runner::{execute, step, Counter, Tally};
use crate::setup;
use crate::suite::e2e_slice;

/// The binary a person installs stays small.
const MAX_BINARY_BYTES: u64 = 20 * 1024 * 1024;

pub fn run(root: &Path) -> Result<(), String> {
    setup::system_packages(&[setup::APP_PACKAGES, setup::TEST_PACKAGES].concat())?;
    setup::npm_packages(root)?;
    let mut tally = Tally::default();
    let t = Instant::now();
    let (ok, p, f) = execute(
        root,
        &step(
            "build the release app and its .deb (npx tauri build --bundles deb)",
            "npx",
            &["tauri", "build", "--bundles", "deb"],
            Counter::Single,
        ),
    );
    tally.record("build the .deb", ok, p, f, t.elapsed().as_secs_f64());
    if ok {
        match find_deb(root) {
            Ok(deb) => check_and_run(root, &deb, &mut tally),
            Err(e) => {
                println!("bundle: {e}");
                tally.record("find the .deb", false, 0, 1, 0.0);
            }
        }
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed == 0 {
        Ok(())
    } else {
        Err(format!("{} failed", tally.failed))
    }
}

fn find_deb(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("target/release/bundle/deb");
    std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "deb"))
        .ok_or_else(|| format!("no .deb in {}", dir.display()))
}

/// The package's checks, then the unpacked binary through the end-to-end slice.
fn check_and_run(root: &Path, deb: &Path, tally: &mut Tally) {
    println!("\n==> the package: {}", deb.display());
    let scratch = root.join("target/deb-root");
    let _ = std::fs::remove_dir_all(&scratch);
    let unpacked = output(
        "dpkg",
        &["-x", &deb.display().to_string(), &scratch.display().to_string()],
    );
    let checks: Vec<(&str, Result<String, String>)> = vec![
        ("control fields name the app", control_fields(deb)),
        ("every declared dependency is a package apt knows", dependencies(deb)),
        (
            "unpacks into a scratch root",
            unpacked.map(|_| scratch.display().to_string()),
        ),
        ("the installed binary is under 20 MB", binary_size(&scratch)),
        (
            "the desktop entry starts the app with its icon",
            desktop_entry(&scratch),
        ),
    ];
    for (name, result) in checks {
        match result {
            Ok(what) => {
                println!("  ok   {name}: {what}");
                tally.record(name, true, 1, 0, 0.0);
            }
            Err(e) => {
                println!("  FAIL {name}: {e}");
                tally.record(name, false, 0, 1, 0.0);
            }
        }
    }
    let binary = scratch.join("usr/bin/entra-desk");
    if !binary.exists() {
        return;
    }
    match setup::tauri_driver() {
        Ok(driver) => e2e_slice(root, tally, driver, Some(&binary)),
        Err(e) => {
            println!("e2e: {e}");
            tally.record("tauri-driver", false, 0, 1, 0.0);
        }
    }
}

fn output(program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("could not run {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn field(deb: &Path, name: &str) -> Result<String, String> {
    output("dpkg-deb", &["-f", &deb.display().to_string(), name]).map(|s| s.trim().to_owned())
}

fn control_fields(deb: &Path) -> Result<String, String> {
    let package = field(deb, "Package")?;
    let version = field(deb, "Version")?;
    let arch = field(deb, "Architecture")?;
    if package != "entra-desk" {
        return Err(format!("Package is {package:?}, expected \"entra-desk\""));
    }
    if version != env!("CARGO_PKG_VERSION") {
        return Err(format!(
            "Version is {version:?}, the app is {}",
            env!("CARGO_PKG_VERSION")
        ));
    }
    Ok(format!("{package} {version} {arch}"))
}

/// `Depends: libwebkit2gtk-4.1-0, libgtk-3-0 (>= 3.24), …`: each package name has a candidate
/// version in apt (alternatives `a | b`: one of them).
fn dependencies(deb: &Path) -> Result<String, String> {
    let depends = field(deb, "Depends")?;
    // WebKitGTK and GTK draw the window; the tray icon loads Ayatana AppIndicator at run time.
    for needed in ["libwebkit2gtk-4.1-0", "libgtk-3-0", "libayatana-appindicator3-1"] {
        if !depends.split(',').any(|d| d.split_whitespace().next() == Some(needed)) {
            return Err(format!("Depends ({depends}) lacks {needed}"));
        }
    }
    let mut names = Vec::new();
    for alternatives in depends.split(',') {
        let choices: Vec<&str> = alternatives
            .split('|')
            .filter_map(|c| c.split_whitespace().next())
            .collect();
        let known = choices.iter().any(|name| {
            output("apt-cache", &["policy", name])
                .map(|policy| {
                    policy
                        .lines()
                        .any(|l| l.trim_start().starts_with("Candidate:") && !l.contains("(none)"))
                })
                .unwrap_or(false)
        });
        if !known {
            return Err(format!("apt knows none of {}", choices.join(" | ")));
        }
        names.push(choices.join("|"));
    }
    Ok(names.join(", "))
}

fn binary_size(scratch: &Path) -> Result<String, String> {
    let binary = scratch.join("usr/bin/entra-desk");
    let bytes = std::fs::metadata(&binary)
        .map_err(|e| format!("{}: {e}", binary.display()))?
        .len();
    let mib = bytes as f64 / 1048576.0;
    if bytes > MAX_BINARY_BYTES {
        return Err(format!("{mib:.1} MiB"));
    }
    Ok(format!("{mib:.1} MiB"))
}

/// The desktop entry: the app's name, `Exec` the installed binary, `Icon` a file the package ships.
fn desktop_entry(scratch: &Path) -> Result<String, String> {
    let dir = scratch.join("usr/share/applications");
    let entry = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "desktop"))
        .ok_or("the package has no desktop entry")?;
    let text = std::fs::read_to_string(&entry).map_err(|e| e.to_string())?;
    let value = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")))
            .map(str::trim)
            .unwrap_or("")
            .to_owned()
    };
    if value("Name") != "Entra Desk" {
        return Err(format!("Name={:?}", value("Name")));
    }
    let exec = value("Exec");
    if exec.split_whitespace().next() != Some("entra-desk") {
        return Err(format!("Exec={exec:?} does not start entra-desk"));
    }
    // The window is matched to its entry (taskbar icon, "keep in dock") by its WM class.
    if value("StartupWMClass") != "entra-desk" {
        return Err(format!(
            "StartupWMClass={:?}, the window's class is entra-desk",
            value("StartupWMClass")
        ));
    }
    let icon = value("Icon");
    let icons = scratch.join("usr/share/icons/hicolor");
    let shipped: Vec<String> = std::fs::read_dir(&icons)
        .map_err(|e| format!("{}: {e}", icons.display()))?
        .filter_map(Result::ok)
        .map(|size| size.path().join(format!("apps/{icon}.png")))
        .filter(|p| p.exists())
        .map(|p| p.strip_prefix(scratch).unwrap_or(&p).display().to_string())
        .collect();
    if shipped.is_empty() {
        return Err(format!(
            "Icon={icon:?} but no usr/share/icons/hicolor/*/apps/{icon}.png"
        ));
    }
    Ok(format!(
        "{} (Exec={exec}, Icon={icon}: {}; Categories={})",
        entry.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
        shipped.join(", "),
        value("Categories")
    ))
}

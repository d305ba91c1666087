//! Installing what is missing: Debian/Ubuntu packages (apt-get, through sudo when not root), the
//! npm packages from the lockfile, and tauri-driver.

use std::path::Path;
use std::process::Command;

/// What building and running the app needs (Tauri's Linux prerequisites).
pub const APP_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "file",
    "libssl-dev",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libxdo-dev",
    "xdg-utils",
];

/// What the test suites add: a virtual display, WebKit's WebDriver, a private D-Bus with a keyring
/// and a notification server, screenshots, and xdotool (the e2e check types a path into the
/// system's save dialog, a GTK window of its own).
pub const TEST_PACKAGES: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    "dunst",
    "imagemagick",
    "xdotool",
];

/// Runs a command in `dir`, inheriting stdio; Err on spawn failure or non-zero exit.
pub fn cmd(dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    let status = Command::new(program)
        .current_dir(dir)
        .args(args)
        .status()
        .map_err(|e| format!("could not start `{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn have(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program} >/dev/null 2>&1")])
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs the missing Debian/Ubuntu packages. On other systems it says what is needed and goes on.
pub fn system_packages(packages: &[&str]) -> Result<(), String> {
    if !cfg!(target_os = "linux") {
        return Ok(());
    }
    if !have("dpkg-query") || !have("apt-get") {
        println!(
            "==> not a Debian/Ubuntu system: make sure the equivalents of these packages are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get install -y --no-install-recommends {}", missing.join(" "));
    println!("==> installing system packages: {}", missing.join(" "));
    let prefix = if is_root() {
        ""
    } else if have("sudo") {
        "sudo "
    } else {
        return Err(format!(
            "these system packages are missing and I cannot install them without root or sudo:\n    {}\nrun this as an administrator, then try again:\n    apt-get update && {install}",
            missing.join(" ")
        ));
    };
    let script = format!("{prefix}apt-get update -qq && DEBIAN_FRONTEND=noninteractive {prefix}{install}");
    let ok = Command::new("sh")
        .args(["-c", &script])
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(())
    } else {
        Err(format!("installing system packages failed; run this yourself and try again:\n    sudo apt-get update && sudo {install}"))
    }
}

/// `npm ci` when node_modules does not match the lockfile.
pub fn npm_packages(root: &Path) -> Result<(), String> {
    if !have("npm") {
        return Err("Node.js 20.19 or newer with npm is needed: install it from https://nodejs.org or your package manager, then try again".into());
    }
    let lock = root.join("package-lock.json");
    let installed_lock = root.join("node_modules/.package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed_lock)) {
        (Ok(a), Ok(b)) => match (a.modified(), b.modified()) {
            (Ok(lock_time), Ok(installed_time)) => installed_time >= lock_time,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("==> installing the UI's packages from package-lock.json");
    cmd(root, "npm", &["ci", "--no-audit", "--no-fund"])
}

/// tauri-driver (the WebDriver proxy for the real app), installed with cargo when missing.
pub fn tauri_driver() -> Result<String, String> {
    cargo_tool("tauri-driver", "^2", "about 2 minutes")
}

/// `cargo-deny` (licences, bans, sources and advisories of the Rust dependencies), pinned.
pub fn cargo_deny() -> Result<String, String> {
    cargo_tool("cargo-deny", "=0.20.2", "about 8 minutes")
}

/// A cargo-installed tool at `version` in `$CARGO_HOME/bin`, installed from crates.io when missing.
fn cargo_tool(name: &str, version: &str, how_long: &str) -> Result<String, String> {
    let home = std::env::var("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|_| std::env::var("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")))
        .map_err(|_| "neither CARGO_HOME nor HOME is set".to_string())?;
    let path = home.join("bin").join(name);
    if path.exists() {
        return Ok(path.display().to_string());
    }
    println!("==> installing {name} ({how_long}, once)");
    let ok = Command::new("cargo")
        .args(["install", name, "--version", version, "--locked"])
        .status()
        .is_ok_and(|s| s.success());
    if ok && path.exists() {
        Ok(path.display().to_string())
    } else {
        Err(format!(
            "could not install {name} (`cargo install {name} --version {version} --locked`)"
        ))
    }
}

/// The payload oracle (`validate_payload.py`) needs PyYAML and jsonschema: installed (pinned) from PyPI for
/// the current user when python3 lacks them. Optional: the conformance run says "skipped" without them.
pub fn python_oracle_modules() {
    let has = |m: &str| {
        Command::new("python3")
            .args(["-c", &format!("import {m}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("python3") || (has("yaml") && has("jsonschema")) {
        return;
    }
    println!("==> installing PyYAML and jsonschema for the payload oracle");
    let ok = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--user",
            "pyyaml==6.0.3",
            "jsonschema==4.26.0",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        println!("    could not install them; the conformance run will skip the payload oracle");
    }
}

//! P5: the app itself against a trivial Tauri 2 app (src-tauri/xtask/bench/trivial-app), measured
//! the same way in the same run: start to interactive window, idle memory (PSS of the app and every
//! process under it: WebKitWebProcess, WebKitNetworkProcess), and the release binary's size.
//!
//! Start to interactive window: from spawning the binary until its main webview reports its page
//! loaded (Tauri's `on_page_load` with `PageLoadEvent::Finished`, WebKit's load-finished: the
//! document, its scripts run and its `load` event fired), which both apps print as a `BENCH-READY`
//! line on stdout when `ENTRA_DESK_BENCH_READY` is set. Idle memory: [`IDLE_SECS`] later, the sum
//! of `Pss` in `/proc/PID/smaps_rollup` over the process and all its descendants. Each start runs
//! on a fresh profile (new HOME and XDG folders: Entra Desk without any account, as a new user sees
//! it); the runs alternate, ours then the trivial app's, so pair i shares the machine's state.
//!
//! The parent ([`rows`]) builds the trivial app and runs `bench-scenario startup` under Xvfb and a
//! private D-Bus session; the scenario ([`scenario`]) prints one `BENCH-P5 {json}` line.

use super::compare::{ratios, Row, Series};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long each app stays idle after its page loaded before its memory is read.
pub const IDLE_SECS: u64 = 10;
/// A start that has not reported its page by then failed.
const START_TIMEOUT: Duration = Duration::from_secs(90);

const TRIVIAL_DIR: &str = "src-tauri/xtask/bench/trivial-app";
const TRIVIAL_TARGET: &str = "target/bench-trivial-app";

/// Builds the trivial app (release, its own target under `target/`); returns its binary.
pub fn build_trivial(root: &Path) -> Result<PathBuf, String> {
    println!("==> building the trivial Tauri app ({TRIVIAL_DIR}, release, into {TRIVIAL_TARGET})");
    let status = Command::new("cargo")
        .current_dir(root.join(TRIVIAL_DIR))
        .args(["build", "--release", "--locked", "--target-dir"])
        .arg(root.join(TRIVIAL_TARGET))
        .status()
        .map_err(|e| format!("could not run cargo for the trivial app: {e}"))?;
    if !status.success() {
        return Err(format!("building the trivial app failed ({status})"));
    }
    Ok(root.join(TRIVIAL_TARGET).join("release/trivial-app"))
}

/// P5's rows: builds the trivial app, runs both `runs` times under Xvfb, compares.
pub fn rows(root: &Path, runner: &Path, ours: &Path, runs: usize) -> Vec<Row> {
    match measure(root, runner, ours, runs) {
        Ok(rows) => rows,
        Err(e) => vec![super::compare::not_measured(
            "P5",
            "the app itself: start to interactive window, idle PSS, release binary size",
            TARGET_START,
            &e,
        )],
    }
}

const TARGET_START: &str = "start ≤ 1 s";
const TARGET_PSS: &str = "≤ 1.15 × the trivial app's";
const TARGET_SIZE: &str = "≤ 20 MB";

fn measure(root: &Path, runner: &Path, ours: &Path, runs: usize) -> Result<Vec<Row>, String> {
    let trivial = build_trivial(root)?;
    println!("==> P5: {runs} starts of each app under Xvfb, alternating");
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24", "dbus-run-session", "--"])
        .arg(runner)
        .args(["bench-scenario", "startup"])
        .arg(ours)
        .arg(&trivial)
        .arg(runs.to_string())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start xvfb-run: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let json = text.lines().find_map(|l| l.strip_prefix("BENCH-P5 ")).ok_or_else(|| {
        format!(
            "the startup scenario printed no BENCH-P5 line ({}): {}",
            out.status,
            text.trim()
        )
    })?;
    let r: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if let Some(e) = r["error"].as_str() {
        return Err(e.to_string());
    }
    let series = |who: &str, what: &str| {
        Series(
            r[who][what]
                .as_array()
                .map(|v| v.iter().filter_map(serde_json::Value::as_f64).collect())
                .unwrap_or_default(),
        )
    };
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len() as f64).unwrap_or(f64::NAN);
    let (start, t_start) = (series("ours", "start_ms"), series("trivial", "start_ms"));
    let (pss, t_pss) = (
        series("ours", "pss_kib").scaled(1.0 / 1024.0),
        series("trivial", "pss_kib").scaled(1.0 / 1024.0),
    );
    let (size, t_size) = (size(ours) / 1e6, size(&trivial) / 1e6);
    let n = start.0.len();
    Ok(vec![
        Row {
            id: "P5".into(),
            workload: format!("the app itself, release build: start to interactive window (spawn → main page load finished), fresh profile without any account, under Xvfb; {n} starts each, alternating"),
            ours: start.show(0, "ms"),
            other: format!("trivial Tauri 2 app: {}", t_start.show(0, "ms")),
            ratio: format!("ours / trivial {}", ratios(&start, &t_start).show(2, "×")),
            target: TARGET_START.into(),
        },
        Row {
            id: "P5".into(),
            workload: format!("idle memory {IDLE_SECS} s after the page loaded: PSS of the app and its WebKit processes ({})", r["ours"]["processes"].as_str().unwrap_or("?")),
            ours: pss.show(1, "MiB"),
            other: format!("trivial Tauri 2 app: {} ({})", t_pss.show(1, "MiB"), r["trivial"]["processes"].as_str().unwrap_or("?")),
            ratio: format!("ours / trivial {}", ratios(&pss, &t_pss).show(2, "×")),
            target: TARGET_PSS.into(),
        },
        Row {
            id: "P5".into(),
            workload: "release binary size (the workspace's release profile, stripped)".into(),
            ours: format!("{size:.1} MB"),
            other: format!("trivial Tauri 2 app: {t_size:.1} MB"),
            ratio: format!("ours / trivial {:.2} ×", size / t_size),
            target: TARGET_SIZE.into(),
        },
    ])
}

/// One start of `bin` on a fresh profile: milliseconds to its page loaded, its idle PSS (KiB) and
/// the names of the processes counted.
fn launch(bin: &Path, scratch: &Path) -> Result<(f64, u64, Vec<String>), String> {
    use std::os::unix::process::CommandExt;
    let dirs = ["home", "data", "config", "cache", "run"].map(|d| scratch.join(d));
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| e.to_string())?;
    }
    let mut cmd = Command::new(bin);
    cmd.env("HOME", &dirs[0])
        .env("XDG_DATA_HOME", &dirs[1])
        .env("XDG_CONFIG_HOME", &dirs[2])
        .env("XDG_CACHE_HOME", &dirs[3])
        .env("XDG_RUNTIME_DIR", &dirs[4])
        .env("ENTRA_DESK_BENCH_READY", "1")
        .env("NO_AT_BRIDGE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if line.starts_with("BENCH-READY") {
                    let _ = tx.send(());
                }
            }
        });
    }
    let ready = rx.recv_timeout(START_TIMEOUT).map(|_| started.elapsed());
    let result = ready
        .map_err(|_| format!("{} reported no page load within {START_TIMEOUT:?}", bin.display()))
        .map(|elapsed| {
            std::thread::sleep(Duration::from_secs(IDLE_SECS));
            let (pss, names) = tree_pss(child.id());
            (elapsed.as_secs_f64() * 1000.0, pss, names)
        });
    stop_group(&mut child);
    result
}

/// Ends the app's process group (TERM, then KILL after 3 s) and reaps it.
fn stop_group(child: &mut std::process::Child) {
    let group = child.id() as libc::pid_t;
    // SAFETY: signals the process group this module created for the child.
    unsafe { libc::kill(-group, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(3);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // SAFETY: as above; whatever is left of the group.
    unsafe { libc::kill(-group, libc::SIGKILL) };
    let _ = child.wait();
}

/// PSS (KiB) of `pid` and all its descendants, with their names.
fn tree_pss(pid: u32) -> (u64, Vec<String>) {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`: comm may hold spaces, so read after the last ')'.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            children.entry(ppid).or_default().push(p);
        }
    }
    let (mut total, mut names, mut todo) = (0, Vec::new(), vec![pid]);
    while let Some(p) = todo.pop() {
        total += pss_kib(p).unwrap_or(0);
        // The executable's file name (`comm` is cut at 15 characters: WebKitNetworkPr).
        let name = std::fs::read_link(format!("/proc/{p}/exe"))
            .ok()
            .and_then(|e| e.file_name().map(|n| n.to_string_lossy().into_owned()))
            .or_else(|| std::fs::read_to_string(format!("/proc/{p}/comm")).ok())
            .unwrap_or_default();
        names.push(name.trim().to_string());
        todo.extend(children.get(&p).into_iter().flatten());
    }
    (total, names)
}

fn pss_kib(pid: u32) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    text.lines()
        .find(|l| l.starts_with("Pss:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// `bench-scenario startup OURS TRIVIAL RUNS` (under Xvfb and D-Bus): prints `BENCH-P5 {json}`.
pub fn scenario(args: &[String]) -> Result<(), String> {
    let [ours, trivial, runs, ..] = args else {
        return Err("usage: xtask bench-scenario startup OURS_BIN TRIVIAL_BIN RUNS".into());
    };
    let runs: usize = runs.parse().map_err(|_| format!("not a number of runs: {runs}"))?;
    let result =
        measure_both(Path::new(ours), Path::new(trivial), runs).unwrap_or_else(|e| serde_json::json!({ "error": e }));
    println!("BENCH-P5 {result}");
    Ok(())
}

fn measure_both(ours: &Path, trivial: &Path, runs: usize) -> Result<serde_json::Value, String> {
    let scratch = std::env::temp_dir().join(format!("entra-desk-bench-p5-{}", std::process::id()));
    let mut out = serde_json::json!({
        "ours": { "start_ms": [], "pss_kib": [] },
        "trivial": { "start_ms": [], "pss_kib": [] },
    });
    for i in 0..runs {
        for (who, bin) in [("ours", ours), ("trivial", trivial)] {
            let dir = scratch.join(format!("{who}-{i}"));
            let (ms, pss, names) = launch(bin, &dir)?;
            let _ = std::fs::remove_dir_all(&dir);
            eprintln!(
                "P5 run {}: {who} page loaded after {ms:.0} ms, idle PSS {} MiB ({})",
                i + 1,
                pss / 1024,
                names.join(", ")
            );
            if let Some(v) = out[who]["start_ms"].as_array_mut() {
                v.push(ms.into());
            }
            if let Some(v) = out[who]["pss_kib"].as_array_mut() {
                v.push(pss.into());
            }
            out[who]["processes"] = names.join(" + ").into();
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(out)
}

//! P1: enumerating every user at Graph-like latency, next to Microsoft's msgraph-sdk for Python and
//! the physical floor of sequential paging, plus partitioned enumeration in parallel (P1b).
//!
//! The parent (`cargo xtask bench`) measures the practice tenant's own time per page with no
//! latency, sets `--latency-ms`'s equivalent through the admin API, then runs our enumeration and
//! the Python SDK's alternately, each run a process of its own timed from spawn to exit (so the
//! interpreter's start and imports count, as a user pays them), and the parallel enumeration.

use super::compare::{ratios, run_process, Row, Run, Series};
use super::SELECT;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

/// The latency every Graph request gets in P1, as `graph-sandbox --latency-ms 20`.
pub const LATENCY_MS: u64 = 20;
/// The peer's virtual environment (under target/, made by [`peer_python`]).
const VENV: &str = "target/bench-peer-venv";
const REQUIREMENTS: &str = "src-tauri/xtask/bench/peer-requirements.txt";
const PEER_SCRIPT: &str = "src-tauri/xtask/bench/peer_enumerate.py";
/// Partitions of the parallel enumeration: every character a sign-in name's local part may start
/// with (letters, digits and `'.-_!#^~`; Graph compares case-insensitively), so each user is in
/// exactly one.
const FIRST_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789'.-_!#^~";
/// Partitions read at once: far below Graph's per-app limits (thousands of requests per 10 s).
const PARALLEL: usize = 8;

/// The Python interpreter of the peer's virtual environment, made and filled from
/// peer-requirements.txt (exact versions, from PyPI) when it is missing or the list changed.
pub fn peer_python(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join(VENV);
    let python = venv.join("bin/python");
    let wanted = std::fs::read_to_string(root.join(REQUIREMENTS)).map_err(|e| format!("{REQUIREMENTS}: {e}"))?;
    let stamp = venv.join("installed-requirements.txt");
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    println!("==> installing the peer (msgraph-sdk for Python, pinned) into {VENV}");
    let ok = Command::new("python3")
        .args(["-m", "venv", "--clear"])
        .arg(&venv)
        .status()
        .map_err(|e| format!("python3 -m venv: {e}"))?
        .success()
        && Command::new(&python)
            .args(["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r"])
            .arg(root.join(REQUIREMENTS))
            .status()
            .map_err(|e| format!("pip install: {e}"))?
            .success();
    if !ok {
        return Err("could not install the peer's pinned packages from PyPI".into());
    }
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// What the parent needs to run P1's processes against the tenant.
pub struct P1Setup<'a> {
    pub root: &'a Path,
    pub runner: &'a Path,
    pub base: &'a str,
    pub secret: &'a str,
    pub token: String,
    /// The tenant's median time per 999-user page without latency, in seconds.
    pub page_secs: f64,
}

/// Runs P1 and P1b `n` times each (ours, the peer and the parallel one alternating, each run a
/// process of its own) and returns their rows.
pub fn rows(s: &P1Setup, n: usize) -> Vec<Row> {
    let python = peer_python(s.root);
    let peer_runs = peer_runs().min(n);
    let (mut ours, mut peer, mut parallel) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        println!("==> P1 run {}/{n}", i + 1);
        ours.push(run_process(&mut scenario(s, "enumerate")));
        if let (Ok(py), true) = (&python, i < peer_runs) {
            println!(
                "==> P1 peer run {}/{peer_runs} (msgraph-sdk for Python: minutes)",
                i + 1
            );
            let mut cmd = Command::new(py);
            cmd.arg(s.root.join(PEER_SCRIPT))
                .env("BENCH_GRAPH", format!("{}/v1.0", s.base))
                .env("BENCH_TOKEN", &s.token)
                .env("BENCH_SELECT", SELECT.join(","));
            peer.push(run_process(&mut cmd));
        }
        parallel.push(run_process(&mut scenario(s, "enumerate-parallel")));
    }
    let ours = all(ours);
    let peer = python.and_then(|_| all(peer));
    vec![
        p1_row(s.page_secs, &ours, &peer)
            .unwrap_or_else(|e| super::compare::not_measured("P1", P1_WORKLOAD, P1_TARGET, &e)),
        p1b_row(s.page_secs, &ours, &all(parallel))
            .unwrap_or_else(|e| super::compare::not_measured("P1b", P1B_WORKLOAD, P1B_TARGET, &e)),
    ]
}

/// How many of the runs the peer takes part in (`BENCH_PEER_RUNS`, default 1): the Python SDK
/// needs minutes per enumeration (its models' deserializers are rebuilt for every object), so its
/// runs are the bench's longest part; ratios pair our first runs with its runs.
fn peer_runs() -> usize {
    std::env::var("BENCH_PEER_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

const P1_WORKLOAD: &str = "enumerate all users (`$top=999`, the app's `$select`) at 20 ms latency per request";
const P1_TARGET: &str = "≤ 1.05 × the floor; ≥ 3 × faster than the Python SDK; peak memory ≤ 100 MB";
const P1B_WORKLOAD: &str =
    "the same, partitioned by the sign-in name's first character (44 `startswith` filters, 8 at a time)";
const P1B_TARGET: &str = "every user exactly once; faster than the sequential floor";

fn scenario(s: &P1Setup, name: &str) -> Command {
    let mut cmd = Command::new(s.runner);
    cmd.args(["bench-scenario", name, s.base])
        .env(super::SECRET_ENV, s.secret)
        .env("BENCH_TOKEN", &s.token);
    cmd
}

fn all(runs: Vec<Result<Run, String>>) -> Result<Vec<Run>, String> {
    runs.into_iter().collect()
}

/// The sequential floor of one run: its pages × (latency + the tenant's own time per page).
fn floor(runs: &[Run], page_secs: f64) -> Result<Series, String> {
    Ok(Series::of(runs, "pages")?.scaled(LATENCY_MS as f64 / 1000.0 + page_secs))
}

/// Checks that every run saw the same number of users, each once; returns that number.
fn complete(runs: &[Run], who: &str) -> Result<f64, String> {
    let users = Series::of(runs, "users")?;
    let unique = Series::of(runs, "unique")?;
    let n = users.max();
    if users.min() != n || unique.0 != users.0 {
        return Err(format!("{who} saw {:?} users, {:?} of them unique", users.0, unique.0));
    }
    Ok(n)
}

fn p1_row(page_secs: f64, ours: &Result<Vec<Run>, String>, peer: &Result<Vec<Run>, String>) -> Result<Row, String> {
    let ours = ours.as_ref().map_err(String::clone)?;
    let n = complete(ours, "our enumeration")?;
    let (wall, peak) = (Series::of(ours, "wall_secs")?, Series::of(ours, "peak_mib")?);
    let floor = floor(ours, page_secs)?;
    let pages = Series::of(ours, "pages")?.median();
    let mut other = format!(
        "floor {:.2} s ({pages:.0} pages × ({LATENCY_MS} ms + the tenant's {:.1} ms per page))",
        floor.median(),
        page_secs * 1000.0
    );
    let mut ratio = format!("ours / floor {}", ratios(&wall, &floor).show(2, "×"));
    match peer {
        Ok(peer) => {
            let peer_n = complete(peer, "the Python SDK")?;
            let peer_wall = Series::of(peer, "wall_secs")?;
            other = format!(
                "msgraph-sdk for Python {} ({} runs): {} ({peer_n:.0} users), peak {}; {other}",
                peer_version(),
                peer.len(),
                peer_wall.show(2, "s"),
                Series::of(peer, "peak_mib")?.show(0, "MiB")
            );
            ratio = format!("Python / ours {}; {ratio}", ratios(&peer_wall, &wall).show(1, "×"));
        }
        Err(e) => other = format!("Python SDK not measured ({e}); {other}"),
    }
    Ok(Row {
        id: "P1".into(),
        workload: P1_WORKLOAD.into(),
        ours: format!(
            "{} runs: {} for {n:.0} users, peak {} (msgraph, release)",
            wall.0.len(),
            wall.show(2, "s"),
            peak.show(0, "MiB")
        ),
        other,
        ratio,
        target: P1_TARGET.into(),
    })
}

fn p1b_row(
    page_secs: f64,
    ours: &Result<Vec<Run>, String>,
    parallel: &Result<Vec<Run>, String>,
) -> Result<Row, String> {
    let (ours, parallel) = (
        ours.as_ref().map_err(String::clone)?,
        parallel.as_ref().map_err(String::clone)?,
    );
    let n = complete(parallel, "the parallel enumeration")?;
    if n != complete(ours, "our enumeration")? {
        return Err(format!(
            "the parallel enumeration saw {n} users, the sequential one another number"
        ));
    }
    let wall = Series::of(parallel, "wall_secs")?;
    let floor = floor(ours, page_secs)?;
    Ok(Row {
        id: "P1b".into(),
        workload: P1B_WORKLOAD.into(),
        ours: format!(
            "{} for {n:.0} users, each once (ids compared), in {} requests, peak {}",
            wall.show(2, "s"),
            Series::of(parallel, "pages")?.median(),
            Series::of(parallel, "peak_mib")?.show(0, "MiB")
        ),
        other: format!("the sequential floor {}", floor.show(2, "s")),
        ratio: format!("parallel / sequential floor {}", ratios(&wall, &floor).show(2, "×")),
        target: P1B_TARGET.into(),
    })
}

/// The pinned msgraph-sdk version, as peer-requirements.txt says it.
fn peer_version() -> String {
    include_str!("../../bench/peer-requirements.txt")
        .lines()
        .find_map(|l| l.strip_prefix("msgraph-sdk=="))
        .unwrap_or("?")
        .to_string()
}

/// `bench-scenario enumerate`: msgraph enumerating every user, one page held at a time; prints the
/// users, the distinct ids, the pages, the enumeration's time and the process's peak memory.
pub async fn sequential(graph: &msgraph::Client) -> Result<(), String> {
    let t = Instant::now();
    let mut pager = graph.users().list(msgraph::ListQuery::new().select(SELECT).top(999));
    let (mut users, mut pages, mut ids) = (0usize, 0usize, HashSet::new());
    while let Some(page) = pager.next_page().await.map_err(|e| e.to_string())? {
        pages += 1;
        users += page.len();
        ids.extend(page.into_iter().map(|u| u.id.as_str().to_string()));
    }
    print_values(users, ids.len(), pages, t.elapsed().as_secs_f64());
    Ok(())
}

/// `bench-scenario enumerate-parallel`: one `startswith(userPrincipalName, c)` listing per first
/// character, [`PARALLEL`] at a time; the union of the partitions must be every user once.
pub async fn parallel(graph: msgraph::Client) -> Result<(), String> {
    let t = Instant::now();
    let graph = Arc::new(graph);
    let gate = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
    let mut tasks = Vec::new();
    for c in FIRST_CHARS.chars() {
        let (graph, gate) = (graph.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _turn = gate.acquire_owned().await.map_err(|e| e.to_string())?;
            let query = msgraph::ListQuery::new()
                .select(SELECT)
                .top(999)
                .filter(msgraph::Filter::starts_with("userPrincipalName", &c.to_string()));
            let mut pager = graph.users().list(query);
            let (mut ids, mut pages) = (Vec::new(), 0usize);
            while let Some(page) = pager.next_page().await.map_err(|e| e.to_string())? {
                pages += 1;
                ids.extend(page.into_iter().map(|u| u.id.as_str().to_string()));
            }
            Ok::<_, String>((ids, pages))
        }));
    }
    let (mut users, mut pages, mut ids) = (0usize, 0usize, HashSet::new());
    for task in tasks {
        let (part, p) = task.await.map_err(|e| e.to_string())??;
        users += part.len();
        pages += p;
        ids.extend(part);
    }
    print_values(users, ids.len(), pages, t.elapsed().as_secs_f64());
    Ok(())
}

fn print_values(users: usize, unique: usize, pages: usize, secs: f64) {
    println!("VALUE users {users}");
    println!("VALUE unique {unique}");
    println!("VALUE pages {pages}");
    println!("VALUE enumerate_secs {secs:.6}");
    println!("VALUE peak_mib {:.1}", super::own_peak_mib());
}

//! `cargo xtask bench`: speed and memory, measured, written to BENCHMARKS.md.
//!
//! Builds release binaries (the workspace's release profile, as installed), starts `graph-sandbox` with a large
//! generated tenant as its own process, and runs each scenario in a child process of its own so that
//! each peak memory figure (VmHWM) belongs to that scenario alone:
//!
//! * `page`   — the practice tenant serving `GET /users?$top=999&$select=…` (latency over 50 requests)
//! * `stream` — msgraph enumerating every user, one page held at a time
//! * `sync`   — the watch engine's first sync of users and groups (with members) through msgraph into
//!   SQLite, then one idle check (requests counted by the practice tenant); `KEEP_MIRROR=1` keeps
//!   the synced copy on disk (its path goes to stderr) for looking into a query
//! * `bulk`   — a bulk job adding 1,000 people to a group on a practice tenant of its own answering
//!   after 20 ms, against one request per member in the same run, and through a 429 storm
//!   (`bench_bulk.rs`)
//! * `app`    — the real app (release build, `npx tauri build --no-bundle`) under Xvfb, driven
//!   by `tests/e2e/bench.mjs` through tauri-driver as `tests/e2e/run.sh` runs the smoke test: Start
//!   over with 100,000 people, the Users table's first window as an IPC round trip from the webview,
//!   one change by another admin shown after one check, and the app's memory with the copy open.
//!   It prints `BENCH-RESULT {json}`; [`app_rows`] turns that into table rows.

mod bulk;
mod compare;
mod enumerate;
mod idle;
mod load;
mod paint;
mod startup;

use std::io::{BufRead, BufReader, Write};

use crate::practice::{mint_token, StaticToken};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const USERS: usize = 100_000;
const GROUPS: usize = 10_000;
const SELECT: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "department",
    "jobTitle",
    "accountEnabled",
];

/// Entry point of `cargo xtask bench [--no-app | --app-only]` (debug xtask): builds, orchestrates,
/// writes BENCHMARKS.md. `--no-app` leaves out the app's release build and its rows (said in the
/// table); `--app-only` runs only them (see [`app_only`]).
pub fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let with_app = !args.iter().any(|a| a == "--no-app");
    let load = load::Sampler::start();
    build_release(root)?;
    let runner = root.join("target/release/xtask");
    if args.iter().any(|a| a == "--app-only") {
        return app_only(root, &runner);
    }

    println!("==> starting graph-sandbox with {USERS} extra users and {GROUPS} extra groups");
    let started = Instant::now();
    let mut tenant = Tenant::start(&root.join("target/release/graph-sandbox"))?;
    let sandbox_start = started.elapsed();
    let results = run_scenarios(&runner, &mut tenant);
    let mut side = match &results {
        Ok(results) => side_by_side(root, &runner, &tenant, results),
        Err(_) => Vec::new(),
    };
    let sandbox_rss = peak_rss_kib(tenant.process.id()).unwrap_or(0);
    let _ = tenant.process.kill();
    let _ = tenant.process.wait();
    let results = results?;
    println!(
        "==> P2: the bulk job against one request per member, {} runs",
        compare::runs()
    );
    let p2 = bulk::row(&runner, compare::runs());
    let at = side.iter().position(|r| r.id == "P4").unwrap_or(side.len());
    side.insert(at, p2);
    side.push(tenant_memory_row(sandbox_rss));
    println!(
        "==> P3 at a tenth of the size: a tenant of {} people of its own",
        USERS / 10
    );
    let small = idle::at_size(root, &runner, USERS / 10);
    let large = compare::parse_values(scenario_output(&results, "sync"));
    side.insert(
        side.len() - 1,
        idle::row(&[(USERS / 10 + SEED_USERS, small), (USERS + SEED_USERS, Ok(large))]),
    );

    // The app-level step, after the standalone practice tenant is gone (the app starts its own).
    let (app_table, app_error) = if with_app {
        let (rows, table, error) = app_step(root, &runner);
        let at = side.iter().position(|r| r.id == "P7").unwrap_or(side.len());
        for (i, row) in rows.into_iter().enumerate() {
            side.insert(at + i, row);
        }
        (table, error)
    } else {
        let skipped = "| app (release build): tests/e2e/bench.mjs | not measured in this run (`--no-app`) |";
        (vec![skipped.to_string()], None)
    };

    let measured = Measured {
        command: if with_app {
            "cargo xtask bench"
        } else {
            "cargo xtask bench --no-app"
        },
        sandbox_start,
        sandbox_rss,
        results,
        side_by_side: side,
        app_table,
        load: load.finish(),
    };
    let md = benchmarks_md(&machine_description(), &measured);
    std::fs::write(root.join("BENCHMARKS.md"), &md).map_err(|e| e.to_string())?;
    println!("wrote BENCHMARKS.md");
    match app_error {
        None => Ok(()),
        Some(e) => Err(format!("the app step failed (the other rows were written): {e}")),
    }
}

/// `--app-only`: the app-level step alone (P5, P6 and the app rows), written to
/// `target/bench-app.md` rather than BENCHMARKS.md (whose other rows it would lose), to be put
/// together with a `--no-app` run's.
fn app_only(root: &Path, runner: &Path) -> Result<(), String> {
    let (side, table, error) = app_step(root, runner);
    let mut md = format!("Machine: {}\n\n", machine_description());
    md.push_str(&compare::table(&side));
    md.push('\n');
    for row in table {
        md.push_str(&row);
        md.push('\n');
    }
    print!("{md}");
    std::fs::write(root.join("target/bench-app.md"), &md).map_err(|e| e.to_string())?;
    println!("wrote target/bench-app.md");
    error.map_or(Ok(()), Err)
}

/// The seed tenant's own people, besides the generated ones.
const SEED_USERS: usize = 8;

/// What one scenario printed ("" when it did not run).
fn scenario_output<'a>(results: &'a [(&'static str, String)], name: &str) -> &'a str {
    results
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| text.as_str())
        .unwrap_or("")
}

/// The side-by-side rows measured on the large tenant (issue 13): P1 and P1b at 20 ms latency
/// (set through the admin API and cleared afterwards), P4 from the sync scenario. P2 (bulk
/// writes) adds its row here from its own scenario; P3 and P7 are added by [`run`].
fn side_by_side(root: &Path, runner: &Path, tenant: &Tenant, results: &[(&'static str, String)]) -> Vec<compare::Row> {
    let mut rows = Vec::new();
    let page = compare::parse_values(scenario_output(results, "page"));
    let setup = page
        .get("page_median_secs")
        .copied()
        .ok_or_else(|| "the page scenario printed no page time".to_string())
        .and_then(|page_secs| {
            let token = tenant_call(tenant, TenantCall::Token)?;
            Ok(enumerate::P1Setup {
                root,
                runner,
                base: &tenant.base,
                secret: &tenant.secret,
                token,
                page_secs,
            })
        });
    match setup.and_then(|s| tenant_call(tenant, TenantCall::Latency(enumerate::LATENCY_MS)).map(|_| s)) {
        Ok(setup) => {
            rows.extend(enumerate::rows(&setup, compare::runs()));
            if let Err(e) = tenant_call(tenant, TenantCall::Latency(0)) {
                eprintln!("could not clear the practice tenant's latency: {e}");
            }
        }
        Err(e) => rows.push(compare::not_measured(
            "P1",
            "enumerate all users at 20 ms latency",
            "—",
            &e,
        )),
    }
    let sync = compare::parse_values(scenario_output(results, "sync"));
    rows.push(compare::Row {
        id: "P4".into(),
        workload: "search as you type over the local copy of 100,008 people (count + 200-row window per query; one run of all queries)".into(),
        ours: match (sync.get("search_p95_ms"), sync.get("search_median_ms")) {
            (Some(p95), Some(median)) => format!("p95 {p95:.1} ms, median {median:.1} ms"),
            _ => "not measured: the sync scenario printed no search times".into(),
        },
        other: "—".into(),
        ratio: "—".into(),
        target: "p95 ≤ 10 ms".into(),
    });
    rows
}

/// P7: the standalone practice tenant's peak memory after every scenario on it.
fn tenant_memory_row(peak_kib: u64) -> compare::Row {
    compare::Row {
        id: "P7".into(),
        workload: format!(
            "the practice tenant at {USERS} users / {GROUPS} groups: peak memory (VmHWM) after all the scenarios above, P1's runs included"
        ),
        ours: format!("{:.0} MiB", peak_kib as f64 / 1024.0),
        other: "—".into(),
        ratio: "—".into(),
        target: "≤ 150 MiB (475 MiB before generated objects were kept compact)".into(),
    }
}

/// Admin calls the parent makes on the standalone tenant.
enum TenantCall {
    /// A token for the admin, handed to P1's processes (ours and the peer alike).
    Token,
    /// Every Graph request waits this long first (`--latency-ms`).
    Latency(u64),
}

fn tenant_call(tenant: &Tenant, call: TenantCall) -> Result<String, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let http = reqwest::Client::new();
    rt.block_on(async {
        match call {
            TenantCall::Token => mint_token(&http, &tenant.base, &tenant.secret, "admin@contoso.com").await,
            TenantCall::Latency(ms) => {
                let resp = http
                    .put(format!("{}/_sandbox/latency", tenant.base))
                    .header(sandbox::ADMIN_SECRET_HEADER, &tenant.secret)
                    .json(&serde_json::json!({ "ms": ms }))
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                match resp.status().is_success() {
                    true => Ok(String::new()),
                    false => Err(format!("setting the latency: {}", resp.status())),
                }
            }
        }
    })
}

fn build_release(root: &Path) -> Result<(), String> {
    println!("==> building release binaries (graph-sandbox, the bench runner)");
    let status = Command::new("cargo")
        .current_dir(root)
        .args([
            "build",
            "--release",
            "--locked",
            "-p",
            "sandbox",
            "-p",
            "xtask",
            "--bin",
            "graph-sandbox",
            "--bin",
            "xtask",
        ])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err("release build failed".into());
    }
    Ok(())
}

/// The standalone practice tenant the scenarios measure: its process, base URL and admin secret.
struct Tenant {
    process: std::process::Child,
    base: String,
    secret: String,
}

impl Tenant {
    /// Starts graph-sandbox with the large generated tenant and reads the base URL it prints.
    fn start(sandbox_bin: &Path) -> Result<Tenant, String> {
        Tenant::start_sized(sandbox_bin, USERS, GROUPS)
    }

    /// Starts graph-sandbox with `users` and `groups` generated and reads the base URL it prints.
    fn start_sized(sandbox_bin: &Path, users: usize, groups: usize) -> Result<Tenant, String> {
        // The admin API's secret, handed to the tenant and to each scenario's process.
        let secret = format!(
            "bench-{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        );
        let mut process = Command::new(sandbox_bin)
            .env(SECRET_ENV, &secret)
            .args([
                "--port",
                "0",
                "--users",
                &users.to_string(),
                "--groups",
                &groups.to_string(),
                "--seed",
                "7",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("could not start graph-sandbox: {e}"))?;
        let mut first = String::new();
        if let Some(out) = process.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut first);
        }
        let base = first.trim().to_string();
        if !base.starts_with("http") {
            let _ = process.kill();
            return Err(format!("graph-sandbox printed no base URL: {first:?}"));
        }
        Ok(Tenant { process, base, secret })
    }
}

/// Runs each scenario in a process of its own against the tenant; returns what each printed.
fn run_scenarios(runner: &Path, tenant: &mut Tenant) -> Result<Vec<(&'static str, String)>, String> {
    let mut results = Vec::new();
    for scenario in ["page", "stream", "sync", "bulk"] {
        println!("==> scenario {scenario}");
        let out = Command::new(runner)
            .args(["bench-scenario", scenario, &tenant.base])
            .env(SECRET_ENV, &tenant.secret)
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        print!("{text}");
        if !out.status.success() {
            return Err(format!("scenario {scenario} failed"));
        }
        results.push((scenario, text));
    }
    Ok(results)
}

/// What one run measured, for BENCHMARKS.md.
struct Measured {
    /// How the bench was started.
    command: &'static str,
    sandbox_start: Duration,
    sandbox_rss: u64,
    /// Each scenario's output (its `ROW ` lines are table rows).
    results: Vec<(&'static str, String)>,
    /// The side-by-side table (issue 13), one row per workload.
    side_by_side: Vec<compare::Row>,
    app_table: Vec<String>,
    /// When it ran and how busy the machine was (builds included).
    load: String,
}

/// BENCHMARKS.md: the machine, the table of results, and how each was measured.
fn benchmarks_md(machine: &str, m: &Measured) -> String {
    let mut md = String::new();
    md.push_str(
        "# Benchmarks\n\nEvery speed or memory claim about Entra Desk lives here, measured by `cargo xtask bench`\n",
    );
    md.push_str(
        "(release builds with the workspace's release profile — fat LTO, one codegen unit, optimised for size, as `cargo xtask bundle` packages the app — each scenario in a process of its own; peak memory is the process's VmHWM).\n\n",
    );
    md.push_str(&format!("* Machine: {machine}\n* Command: `{}` ({})\n* Tenant: the practice tenant (`graph-sandbox --users {USERS} --groups {GROUPS} --seed 7`) on 127.0.0.1, over HTTP\n\n", m.command, m.load));
    md.push_str(&format!(
        "## Side by side (issue 13)\n\nEach repeated figure is the median (min–max) of {} runs unless the row says otherwise, every run a process of its own; ratios are computed pair by pair (our run i against the peer's run i, or against the floor), then summarised the same way. How each row is taken is said below the tables.\n\n",
        compare::runs()
    ));
    md.push_str(&compare::table(&m.side_by_side));
    md.push_str("\n## Our own figures (one run each)\n\n");
    md.push_str("| what | result |\n|---|---|\n");
    md.push_str(&format!(
        "| practice tenant start-up, generating {USERS} users and {GROUPS} groups | {:.1} s |\n",
        m.sandbox_start.as_secs_f64()
    ));
    md.push_str(&format!(
        "| practice tenant peak memory after all scenarios | {} MiB |\n",
        m.sandbox_rss / 1024
    ));
    for (_, text) in &m.results {
        for line in text.lines().filter_map(|l| l.strip_prefix("ROW ")) {
            md.push_str(line);
            md.push('\n');
        }
    }
    for row in &m.app_table {
        md.push_str(row);
        md.push('\n');
    }
    md.push_str(NOTES);
    md
}

/// How the rows were measured: the end of BENCHMARKS.md.
const NOTES: &str = concat!(
    "\nNotes: times are wall-clock on a shared 2-core machine; rerun to compare, and compare only runs on the same machine.\n",
    "\nP1 (`bench/enumerate.rs`): the practice tenant above, its latency set to 20 ms per Graph request through its admin API \
     (as `--latency-ms 20`) after the page row was measured without it. Our enumeration is `msgraph` listing `/users` with \
     `$top=999` and the `$select` of the rows above, one page held at a time, as `bench-scenario enumerate` (release). \
     The peer is Microsoft's msgraph-sdk for Python, versions pinned in `src-tauri/xtask/bench/peer-requirements.txt` and \
     installed from PyPI into `target/bench-peer-venv`, running `src-tauri/xtask/bench/peer_enumerate.py`: the SDK's \
     own client, middleware and models, paging with `odata_next_link` as its documentation shows, given the tenant's \
     base URL and a bearer-token provider holding the token the tenant signed (one token, minted by the parent, for both). \
     Both are timed from spawn to exit by the parent (so the interpreter's start and imports count); both keep every \
     id in a set and report how many were distinct; peak memory is each process's VmHWM. The floor is the run's pages × \
     (20 ms + the tenant's median time per 999-user page measured without latency, the page row above). P1b lists the \
     same users in 44 partitions, `startswith(userPrincipalName, c)` for every character a sign-in name may start with \
     (Graph compares case-insensitively, so each user falls in exactly one), 8 partitions at a time — far under Graph's \
     per-app request limits — and checks that the partitions together hold every user exactly once (ids compared). \
     The Python SDK needs minutes per enumeration (its models rebuild their table of field deserializers for every \
     object, importing as they go), so it takes part in the first `BENCH_PEER_RUNS` runs only (default 1; the row \
     says how many) and its ratio pairs those runs with our first ones.\n",
    "\nP3 (`bench/idle.rs`): after the watch engine's first sync, 20 idle checks (`poll_now`) one after another; requests \
     are what the practice tenant logged for each check, CPU time is `getrusage(RUSAGE_SELF)` user + system of the whole \
     process (every thread: HTTP, JSON, SQLite) around each check. Measured at 100,008 people (the sync scenario) and at \
     10,008 people (a tenant of its own, 1,000 groups), to compare the cost at two sizes. Until the `watch` fix of \
     2026-12-07 (tombstones indexed apart, migration 7) every groups walk, idle ones included, looked for memberships \
     of deleted members by reading every user and every membership: 10.5 ms of CPU per idle check at 10,008 people \
     and 91 ms at 100,008 in the run of 14:26 UTC; `watch`'s unit test `idle_cost` now counts the SQLite instructions \
     of an idle check at two sizes so that it cannot come back. P4: the search row of the table below, one run. \
     P7: the standalone practice tenant's VmHWM after every scenario on it (page, stream, sync, P1's runs).\n",
    "\nP2 (`bench/bulk.rs`, `bench-scenario bulk-pair`): each run a process of its own with a practice tenant of its own \
     answering every request after 20 ms: 1,000 people added to a new group by a bulk job (`jobs::run`: \
     `members@odata.bind`, 20 per PATCH), then the same 1,000 added to another group one `POST members/$ref` each, \
     on the same tenant in the same run; write requests are those the tenant logged (not GET); the ratio is \
     one-by-one time / bulk time of the same run.\n",
    "\nP5 (`bench/startup.rs`): Entra Desk (`npx tauri build --no-bundle`) and a trivial Tauri 2 app \
     (`src-tauri/xtask/bench/trivial-app`: one window, one static page, the same tauri 2.12.5 and the same release \
     profile, its own workspace, built into `target/bench-trivial-app`), started one after the other, alternating, \
     under one Xvfb screen (1280×800×24) and one private D-Bus session, each start on a fresh profile (new HOME and \
     XDG folders: Entra Desk has no account, as a new user sees it). Start to interactive window: from spawning the \
     binary until its main webview reports its page loaded — Tauri's `on_page_load` with `PageLoadEvent::Finished` \
     (WebKit's load finished: the document and its scripts loaded and run, its `load` event fired), which both \
     print as a `BENCH-READY` line when `ENTRA_DESK_BENCH_READY` is set; React's first render of Entra Desk's \
     sign-in page is scheduled by those scripts and may land a frame later. Idle memory: 10 s after that line, the \
     sum of `Pss` from `/proc/PID/smaps_rollup` over the app process and every process under it (WebKitWebProcess, \
     WebKitNetworkProcess, and a bwrap sandbox when WebKit uses one). Binary size: the stripped release binary.\n",
    "\nP6 (`bench/paint.rs`, `usersTablePaint` in tests/e2e/bench.mjs): in the real app with the 100,008-person \
     copy read (the app step below), inside the webview: from clicking Users in the navigation (coming from Groups, \
     so the page mounts and reads its first window afresh) until the first loaded rows are in the DOM (seen by a \
     MutationObserver) and the next animation frame after them has run (`requestAnimationFrame` twice: the second \
     callback runs once the frame holding the rows was drawn); then, for jumps to rows 1,000, 10,000, 50,000 and \
     99,000, from setting the table's `scrollTop` until every row in view is loaded (no \"Loading…\") and painted \
     (the same next frame). WebKitGTK gives `performance.now()` in whole milliseconds.\n",
    "\nLocal copy (the tables' read model, `watch::read`): each search query counts every match and reads one \
     200-row window, as the Users table asks. The queries are what a person types: the first 1–5 letters of the \
     name, city and department of people spread over the tenant, so many match thousands of people. The window \
     in name order comes straight from the search index, whose rows are keyed in name order (`watch::name_order`), \
     so it stops after 200 rows however many match; counting grows with the number of matches, not with the \
     tenant, so a short prefix matching most of 100,000 people is the slowest case. The read is timed in Rust, \
     without the IPC hop to the window. `cargo run --release -p watch --example read_model -- 100000` times \
     the same without HTTP, per prefix length.\n",
    "\nBulk jobs (rows starting \"bulk job\"): `jobs::run` over a practice tenant of its own in the scenario's \
     process that answers every request after 20 ms (`--latency-ms 20`), 1,000 people added to a new group \
     (`members@odata.bind`, 20 per PATCH) and, in the same run, the same 1,000 added one `POST members/$ref` \
     each; write requests are those the tenant logged (not GET). The storm row: 429s with Retry-After in \
     seconds and as an HTTP date, on the members PATCH and on the preview's reads inside `$batch`; the group \
     is then read back from Graph.\n",
    "\nThe app (rows starting \"app (release build)\"): the real Entra Desk window, built as a user gets it \
     (`npx tauri build --no-bundle`, the release profile that `cargo xtask bundle` packages), under Xvfb, \
     driven by `tests/e2e/bench.mjs` through tauri-driver and \
     WebKitWebDriver. It signs in to the practice tenant, starts it over with 100,000 people and 10,000 groups \
     and waits for the first read of the local copy. The IPC row times `window.__TAURI_INTERNALS__.invoke(\"query_users\")` \
     with `performance.now()` inside the webview, with the query the Users table sends for its first window \
     (200 rows sorted by name, with the total: `WINDOW_SIZE` in ui/src/components/useDataTable.ts); each call reads on one of the read-only connections the app \
     keeps open to the copy (`watch::Readers`), serialises and crosses IPC (WebKitGTK gives `performance.now()` in whole milliseconds). The change row: another admin changes one user's job title through the practice tenant's \
     admin API, then `check_now`; the time runs from `check_now` until the watch status reports the check \
     done and `query_users` finds the new title (the wait for the next scheduled check is not included); \
     requests are those the practice tenant logged meanwhile. The practice tenant runs inside the app process \
     in this mode, so the app's memory includes the 100,000-person tenant it serves (compare the standalone \
     practice tenant's peak memory above); RSS counts shared pages in each process, PSS splits them.\n",
);

/// The app-level step: builds the app, then P5 (against the trivial Tauri app) and
/// tests/e2e/bench.mjs (P6 and the app rows). Returns the side-by-side rows (P5, P6), the app rows
/// of the second table, and the step's error, if any.
fn app_step(root: &Path, runner: &Path) -> (Vec<compare::Row>, Vec<String>, Option<String>) {
    if let Err(e) = build_app(root) {
        let row = format!("| app (release build) | not measured: {} |", e.replace('|', "/"));
        return (vec![paint::row(None)], vec![row], Some(e));
    }
    let mut side = startup::rows(root, runner, &root.join("target/release/entra-desk"), compare::runs());
    println!("==> scenario app: the real app (release build) under Xvfb, tests/e2e/bench.mjs");
    let (table, error) = match app_bench(root) {
        Ok(result) => {
            side.push(paint::row(Some(&result)));
            (app_rows(&result), None)
        }
        Err(e) => {
            side.push(paint::row(None));
            let row = format!(
                "| app (release build): tests/e2e/bench.mjs | not measured: {} |",
                e.replace('|', "/")
            );
            (vec![row], Some(e))
        }
    };
    (side, table, error)
}

/// The release app (the profile `cargo xtask bundle` installs).
fn build_app(root: &Path) -> Result<(), String> {
    println!("==> building the app (npx tauri build --no-bundle, the release profile people install)");
    let status = Command::new("npx")
        .current_dir(root)
        .args(["tauri", "build", "--no-bundle"])
        .status()
        .map_err(|e| format!("could not run npx tauri build: {e}"))?;
    if !status.success() {
        return Err(format!("npx tauri build --no-bundle failed ({status})"));
    }
    Ok(())
}

/// Runs `tests/e2e/bench.mjs` on the release app through `tests/e2e/run.sh` under Xvfb and a
/// private D-Bus session; returns the script's `BENCH-RESULT` JSON.
fn app_bench(root: &Path) -> Result<serde_json::Value, String> {
    let driver = crate::setup::tauri_driver()?;
    let out_dir = root.join("target/e2e-bench");
    let mut child = Command::new("xvfb-run")
        .current_dir(root)
        .env("TAURI_DRIVER", &driver)
        .env("E2E_APP", root.join("target/release/entra-desk"))
        .env("E2E_OUT", &out_dir)
        .env("E2E_SCREENSHOTS", out_dir.join("screenshots"))
        // Only check_now starts a check while the script measures one.
        .env("ENTRA_DESK_WATCH_INTERVAL_SECS", "3600")
        .args([
            "-a",
            "-s",
            "-screen 0 1280x800x24",
            "dbus-run-session",
            "--",
            "bash",
            "tests/e2e/run.sh",
            "tests/e2e/bench.mjs",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start xvfb-run: {e}"))?;
    let mut result = None;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some(json) = line.strip_prefix("BENCH-RESULT ") {
                result = serde_json::from_str::<serde_json::Value>(json).ok();
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let result = result.ok_or_else(|| format!("tests/e2e/bench.mjs printed no BENCH-RESULT line ({status})"))?;
    if let Some(e) = result["error"].as_str() {
        return Err(format!("tests/e2e/bench.mjs: {e} (see target/e2e-bench)"));
    }
    if !status.success() {
        return Err(format!("tests/e2e/bench.mjs exited with {status}"));
    }
    Ok(result)
}

/// Table rows from bench.mjs's result (see the module docs).
fn app_rows(r: &serde_json::Value) -> Vec<String> {
    let f = |v: &serde_json::Value| v.as_f64().unwrap_or(f64::NAN);
    let mut rows = Vec::new();
    rows.push(format!(
        "| app (release build): Start over with 100,000 people and 10,000 groups until the Users table shows them (tenant regenerated in-process, first read of the copy) | {:.0} s (regenerated after {:.1} s) |",
        f(&r["firstSyncMs"]) / 1000.0,
        f(&r["resetMs"]) / 1000.0
    ));
    let ipc = &r["ipc"];
    rows.push(format!(
        "| app (release build): Users table first window from the local copy as an IPC round trip from the webview (`query_users`, {} rows of {}, {:.0} KiB of JSON; {} calls) | median {:.1} ms, p95 {:.1} ms, max {:.1} ms (target p95 ≤ 20 ms) |",
        ipc["rows"],
        ipc["total"],
        f(&ipc["bytes"]) / 1024.0,
        r["calls"],
        f(&ipc["medianMs"]),
        f(&ipc["p95Ms"]),
        f(&ipc["maxMs"])
    ));
    let d = &r["delta"];
    let routes = d["byRoute"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(route, n)| format!("{n}× `{route}`"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    rows.push(format!(
        "| app (release build): one change by another admin shown (`check_now` → check done → visible through `query_users`; one delta walk) | {} requests ({routes}); {:.0} ms (check done after {:.0} ms) |",
        d["requests"],
        f(&d["visibleMs"]),
        f(&d["checkedMs"])
    ));
    rows.push(app_memory_row(r));
    rows.extend(app_files_row(r));
    rows
}

fn mib(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or(0.0) / 1024.0
}

/// The app's memory with the copy open: its processes' RSS and PSS, its own peak.
fn app_memory_row(r: &serde_json::Value) -> String {
    let m = &r["memory"];
    let parts = m["processes"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| format!("{} {:.0}", p["name"].as_str().unwrap_or("?"), mib(&p["rssKib"])))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .unwrap_or_default();
    let peak_after = mib(&r["memoryAfter"]["mainHwmKib"]);
    format!(
        "| app (release build): memory with the 100k copy open, app process and its WebKit children (includes the in-process practice tenant) | VmRSS {:.0} MiB ({parts}), PSS {:.0} MiB; app process VmHWM {:.0} MiB ({peak_after:.0} MiB after the delta walk) |",
        mib(&m["totalRssKib"]),
        mib(&m["totalPssKib"]),
        mib(&m["mainHwmKib"])
    )
}

/// The app's SQLite files on disk, when bench.mjs measured them.
fn app_files_row(r: &serde_json::Value) -> Option<String> {
    let bytes = r["mirrorBytes"].as_f64()?;
    let files = r["mirrorFiles"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter(|f| f["bytes"].as_f64().unwrap_or(0.0) >= 1048576.0)
                .map(|f| {
                    let name = f["file"].as_str().unwrap_or("?");
                    let name = if name.ends_with("-wal") {
                        "its WAL"
                    } else if name.ends_with("-shm") {
                        "its shared-memory index"
                    } else {
                        "the copy"
                    };
                    format!("{name} {:.0}", f["bytes"].as_f64().unwrap_or(0.0) / 1048576.0)
                })
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .unwrap_or_default();
    Some(format!(
        "| app (release build): the app's SQLite files on disk with the 100k copy open (files of 1 MiB or more) | {:.0} MiB ({files}) |",
        bytes / 1048576.0
    ))
}

fn machine_description() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .next()
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok())
        })
        .map(|kib| kib / 1024 / 1024)
        .unwrap_or(0);
    let os = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("PRETTY_NAME="))
                .map(|l| l[12..].trim_matches('"').to_string())
        })
        .unwrap_or_default();
    format!("{cpu}, {cores} cores, {mem_gib} GiB, {os}")
}

/// Peak resident memory (VmHWM) of a process, in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn own_peak_mib() -> f64 {
    peak_rss_kib(std::process::id()).unwrap_or(0) as f64 / 1024.0
}

/// How the practice tenant's admin API secret reaches graph-sandbox and the scenario processes.
const SECRET_ENV: &str = "GRAPH_SANDBOX_ADMIN_SECRET";

fn admin_secret() -> String {
    std::env::var(SECRET_ENV).unwrap_or_default()
}

async fn client(base: &str) -> Result<(msgraph::Client, String), String> {
    let token = mint_token(&reqwest::Client::new(), base, &admin_secret(), "admin@contoso.com").await?;
    let url = url::Url::parse(&format!("{base}/v1.0")).map_err(|e| e.to_string())?;
    Ok((msgraph::Client::new(url, Arc::new(StaticToken(token.clone()))), token))
}

/// `xtask bench-scenario <name> <base>` (release): one scenario, `ROW | … | … |` lines (the
/// single-run table) and `VALUE name number` lines (figures the parent repeats and compares) on stdout.
pub fn scenario(args: &[String]) -> Result<(), String> {
    if args.first().map(String::as_str) == Some("startup") {
        // P5, under Xvfb: no practice tenant.
        return startup::scenario(&args[1..]);
    }
    let (name, base) = match args {
        [name, base, ..] => (name.as_str(), base.as_str()),
        _ => return Err(
            "usage: xtask bench-scenario page|stream|sync|idle|enumerate|enumerate-parallel|bulk|bulk-pair BASE_URL"
                .into(),
        ),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        if let Some(token) = std::env::var("BENCH_TOKEN")
            .ok()
            .filter(|_| name.starts_with("enumerate"))
        {
            // P1: the token the parent minted for ours and the peer alike; no request of our own first.
            let url = url::Url::parse(&format!("{base}/v1.0")).map_err(|e| e.to_string())?;
            let graph = msgraph::Client::new(url, Arc::new(StaticToken(token)));
            return match name {
                "enumerate" => enumerate::sequential(&graph).await,
                _ => enumerate::parallel(graph).await,
            };
        }
        if name == "bulk-pair" {
            // P2: its own practice tenant; prints VALUE lines.
            return crate::bench_bulk::pair_scenario(bulk::PEOPLE, bulk::LATENCY_MS).await;
        }
        let (graph, token) = client(base).await?;
        let rows = match name {
            "page" => page_scenario(base, &token).await?,
            "stream" => stream_scenario(&graph).await?,
            "sync" => sync_scenario(base, graph).await?,
            "idle" => idle_scenario(base, graph).await?,
            // Its own practice tenant (1,000 people at 20 ms), not the large one at `base`.
            "bulk" => crate::bench_bulk::scenario(1000, 20).await?,
            other => return Err(format!("unknown scenario {other}")),
        };
        let mut out = std::io::stdout();
        for row in rows {
            let _ = writeln!(out, "ROW {row}");
        }
        Ok(())
    })
}

/// `page`: the practice tenant serving one 999-user page, 50 times.
async fn page_scenario(base: &str, token: &str) -> Result<Vec<String>, String> {
    let http = reqwest::Client::new();
    let url = format!("{base}/v1.0/users?$top=999&$select={}", SELECT.join(","));
    let mut times = Vec::new();
    for _ in 0..50 {
        let t = Instant::now();
        let resp = http
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body = resp.bytes().await.map_err(|e| e.to_string())?;
        times.push(t.elapsed());
        if body.len() < 1000 {
            return Err("the page was unexpectedly small".into());
        }
    }
    times.sort();
    println!("VALUE page_median_secs {:.6}", times[25].as_secs_f64());
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    Ok(vec![format!(
        "| practice tenant: one 999-user page with $select (50 requests, incl. HTTP on loopback) | median {:.1} ms, p95 {:.1} ms |",
        ms(times[25]),
        ms(times[47])
    )])
}

/// `stream`: msgraph enumerating every user, one page held at a time.
async fn stream_scenario(graph: &msgraph::Client) -> Result<Vec<String>, String> {
    let t = Instant::now();
    let mut pager = graph.users().list(msgraph::ListQuery::new().select(SELECT).top(999));
    let mut n = 0usize;
    while let Some(page) = pager.next_page().await.map_err(|e| e.to_string())? {
        n += page.len();
    }
    Ok(vec![format!(
        "| msgraph: enumerate all {n} users (pages of 999, one held at a time) | {:.1} s, peak memory {:.0} MiB |",
        t.elapsed().as_secs_f64(),
        own_peak_mib()
    )])
}

/// `sync`: the watch engine's first sync into SQLite, one idle check, [`idle::CHECKS`] more for P3,
/// then the read model over the synced copy.
async fn sync_scenario(base: &str, graph: msgraph::Client) -> Result<Vec<String>, String> {
    let dir = std::env::temp_dir().join(format!("entra-desk-bench-{}", std::process::id()));
    let db = dir.join("watch.sqlite3");
    let t = Instant::now();
    let (engine, mut status) = first_sync(&dir, graph).await?;
    let first_sync = t.elapsed();
    let peak = own_peak_mib();
    let db_mib = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1048576.0;
    let requests = idle_check_requests(base, &engine, &mut status).await?;
    idle::measure(base, &engine, &mut status).await?;
    engine.stop().await;
    let read_rows = read_model_rows(&db)?;
    if std::env::var_os("KEEP_MIRROR").is_some() {
        eprintln!("kept {}", db.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let mut rows = vec![
        format!(
            "| watch: first sync of users and groups with members through msgraph into SQLite | {:.1} s, peak memory {peak:.0} MiB, mirror {db_mib:.0} MiB |",
            first_sync.as_secs_f64()
        ),
        format!("| watch: one idle check afterwards | {requests} requests |"),
    ];
    rows.extend(read_rows);
    Ok(rows)
}

/// `idle` (P3 on a tenant of another size): the first sync, then [`idle::CHECKS`] idle checks.
async fn idle_scenario(base: &str, graph: msgraph::Client) -> Result<Vec<String>, String> {
    let dir = std::env::temp_dir().join(format!("entra-desk-bench-idle-{}", std::process::id()));
    let (engine, mut status) = first_sync(&dir, graph).await?;
    let measured = idle::measure(base, &engine, &mut status).await;
    engine.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
    measured.map(|_| Vec::new())
}

/// Starts the watch engine on a fresh copy in `dir` and waits for its first sync to finish.
async fn first_sync(
    dir: &Path,
    graph: msgraph::Client,
) -> Result<(watch::Engine, tokio::sync::watch::Receiver<watch::WatchStatus>), String> {
    let _ = std::fs::remove_dir_all(dir);
    let (engine, _batches) =
        watch::Engine::start(Arc::new(graph), watch::EngineOptions::new(dir.join("watch.sqlite3")))
            .map_err(|e| e.to_string())?;
    let mut status = engine.status();
    loop {
        let s = status.borrow_and_update().clone();
        if s.last_checked.is_some() && matches!(s.state, watch::WatchState::Idle) {
            break;
        }
        if matches!(s.state, watch::WatchState::NeedsAttention | watch::WatchState::Offline) {
            return Err(format!("first sync failed: {:?}", s.message));
        }
        status.changed().await.map_err(|e| e.to_string())?;
    }
    Ok((engine, status))
}

/// One idle check after the first sync: how many requests it costs at the practice tenant.
async fn idle_check_requests(
    base: &str,
    engine: &watch::Engine,
    status: &mut tokio::sync::watch::Receiver<watch::WatchStatus>,
) -> Result<u64, String> {
    Ok(idle::check(&reqwest::Client::new(), base, engine, status)
        .await?
        .requests)
}

/// The Graph requests the practice tenant counted since its request log was last cleared.
async fn logged_requests(http: &reqwest::Client, base: &str) -> Result<u64, String> {
    let counters: serde_json::Value = http
        .get(format!("{base}/_sandbox/counters"))
        .header(sandbox::ADMIN_SECRET_HEADER, admin_secret())
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    Ok(counters["requests"].as_u64().unwrap_or(0))
}

/// The read model over the synced mirror: search as you type and table windows, each query
/// counted and windowed as the Users table asks for it (200 rows).
fn read_model_rows(db: &Path) -> Result<Vec<String>, String> {
    use watch::{ListQuery, Mirror, Resource};
    let mirror = Mirror::open_read_only(db).map_err(|e| e.to_string())?;
    let everyone = mirror
        .list(
            Resource::Users,
            &ListQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .map_err(|e| e.to_string())?
        .total;
    let typed = watch::testkit::typed_prefixes(&mirror, everyone).map_err(|e| e.to_string())?;
    let time = |query: &ListQuery| -> Result<(Duration, u64), String> {
        let t = Instant::now();
        let page = mirror.list(Resource::Users, query).map_err(|e| e.to_string())?;
        Ok((t.elapsed(), page.total))
    };
    let mut search = Vec::new();
    let mut hits = 0u64;
    for text in &typed {
        let (d, total) = time(&ListQuery {
            text: Some(text.clone()),
            limit: 200,
            ..Default::default()
        })?;
        search.push(d);
        hits += total;
    }
    let (median, p95, _) = percentiles(&search);
    println!("VALUE search_median_ms {:.3}", median.as_secs_f64() * 1000.0);
    println!("VALUE search_p95_ms {:.3}", p95.as_secs_f64() * 1000.0);
    let mut first_page = Vec::new();
    let mut by_city = Vec::new();
    for i in 0..50u32 {
        first_page.push(
            time(&ListQuery {
                limit: 200,
                ..Default::default()
            })?
            .0,
        );
        let deep = ListQuery {
            sort: Some("city".into()),
            offset: i * 1000,
            limit: 200,
            ..Default::default()
        };
        by_city.push(time(&deep)?.0);
    }
    Ok(vec![
        format!(
            "| local copy: search as you type over {everyone} people ({} queries of 1–5 letters, count + 200-row window) | {} ({} matches on average) |",
            typed.len(),
            stats(search),
            hits / typed.len().max(1) as u64
        ),
        format!("| local copy: Users table first window (200 rows by name, with the total) | {} |", stats(first_page)),
        format!("| local copy: Users table sorted by city, windows at offsets 0–49,000 | {} |", stats(by_city)),
    ])
}

/// The median, p95 and maximum of some timings (zero for none).
fn percentiles(v: &[Duration]) -> (Duration, Duration, Duration) {
    let mut v = v.to_vec();
    v.sort();
    let at = |i: usize| v.get(i.min(v.len().saturating_sub(1))).copied().unwrap_or_default();
    (at(v.len() / 2), at(v.len() * 95 / 100), at(v.len().saturating_sub(1)))
}

/// "median …, p95 …, max …" of some timings.
fn stats(v: Vec<Duration>) -> String {
    let (median, p95, max) = percentiles(&v);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(median),
        ms(p95),
        ms(max)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_rows_from_a_bench_result() {
        let r: serde_json::Value = serde_json::from_str(
            r#"{"build":"debug","calls":200,"resetMs":7558,"firstSyncMs":95761,
                "ipc":{"total":100008,"rows":500,"p95Ms":57.00000000001455,"medianMs":42,"minMs":39,"bytes":208436,"maxMs":101},
                "memory":{"mainHwmKib":786000,"totalRssKib":1234772,"totalPssKib":1045286,
                  "processes":[{"name":"entra-desk","rssKib":707160},{"name":"WebKitWebProcess","rssKib":465412}]},
                "mirrorFiles":[{"file":"a/watch/x.sqlite3","bytes":225935360},{"file":"a/watch/x.sqlite3-shm","bytes":327680},
                  {"file":"a/watch/x.sqlite3-wal","bytes":160379272}],"mirrorBytes":386642312,
                "delta":{"visibleMs":114,"checkedMs":81,"requests":2,"byRoute":{"GET /groups/delta":1,"GET /users/delta":1}},
                "memoryAfter":{"mainHwmKib":786000}}"#,
        )
        .unwrap();
        let rows = app_rows(&r);
        assert_eq!(rows.len(), 5);
        assert!(
            rows[1].contains("median 42.0 ms, p95 57.0 ms, max 101.0 ms"),
            "{}",
            rows[1]
        );
        assert!(
            rows[2].contains("2 requests (1× `GET /groups/delta`, 1× `GET /users/delta`); 114 ms"),
            "{}",
            rows[2]
        );
        assert!(
            rows[3].contains("VmRSS 1206 MiB (entra-desk 691 + WebKitWebProcess 455)"),
            "{}",
            rows[3]
        );
        assert!(rows[4].contains("369 MiB (the copy 215 + its WAL 153)"), "{}", rows[4]);
        assert!(rows
            .iter()
            .all(|row| row.starts_with("| app (release build): ") && row.ends_with(" |")));
    }
}

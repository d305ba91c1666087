//! P3: what one idle check of users and groups costs once the local copy is current — requests
//! (counted by the practice tenant) and the CPU time of the whole process around the check
//! (`getrusage`: user + system, every thread: HTTP, JSON, SQLite) — measured at two tenant sizes,
//! to show that the cost follows the changes (none) and not the tenant.

use super::compare::{Row, Series};
use super::{admin_secret, SECRET_ENV};
use std::time::Duration;

/// Idle checks measured after the first sync, in one process (the sync costs minutes at 100,000
/// people; the checks are what is measured).
pub const CHECKS: usize = 20;

/// The process's CPU time so far (user + system, all threads).
fn cpu_time() -> Result<Duration, String> {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage owned by this frame.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return Err("getrusage failed".into());
    }
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    Ok(tv(usage.ru_utime) + tv(usage.ru_stime))
}

/// What one idle check cost.
pub struct Check {
    /// Graph requests the practice tenant logged during the check.
    pub requests: u64,
    pub cpu: Duration,
    pub wall: Duration,
}

/// One idle check (`poll_now`) on a synced engine, from its request until the engine is idle again.
pub async fn check(
    http: &reqwest::Client,
    base: &str,
    engine: &watch::Engine,
    status: &mut tokio::sync::watch::Receiver<watch::WatchStatus>,
) -> Result<Check, String> {
    let _ = http
        .delete(format!("{base}/_sandbox/requests"))
        .header(sandbox::ADMIN_SECRET_HEADER, admin_secret())
        .send()
        .await;
    let checks_before = status.borrow().checks;
    let (cpu_before, started) = (cpu_time()?, std::time::Instant::now());
    engine.poll_now();
    loop {
        status.changed().await.map_err(|e| e.to_string())?;
        let s = status.borrow().clone();
        if s.checks > checks_before && matches!(s.state, watch::WatchState::Idle) {
            break;
        }
    }
    let (cpu, wall) = (cpu_time()? - cpu_before, started.elapsed());
    let requests = super::logged_requests(http, base).await?;
    Ok(Check { requests, cpu, wall })
}

/// [`CHECKS`] idle checks on a synced engine; prints `VALUE requests_per_check`,
/// `VALUE cpu_ms_median`, `VALUE cpu_ms_max` and `VALUE wall_ms_median`.
pub async fn measure(
    base: &str,
    engine: &watch::Engine,
    status: &mut tokio::sync::watch::Receiver<watch::WatchStatus>,
) -> Result<(), String> {
    let http = reqwest::Client::new();
    let (mut cpu, mut wall, mut requests) = (Vec::new(), Vec::new(), Vec::new());
    // `BENCH_IDLE_CHECKS`: more checks, to profile them (`perf record -p` once this line shows).
    let checks = std::env::var("BENCH_IDLE_CHECKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CHECKS);
    eprintln!("idle: first sync done; {checks} idle checks");
    for _ in 0..checks {
        let c = check(&http, base, engine, status).await?;
        cpu.push(c.cpu.as_secs_f64() * 1000.0);
        wall.push(c.wall.as_secs_f64() * 1000.0);
        requests.push(c.requests as f64);
    }
    let (cpu, wall, requests) = (Series(cpu), Series(wall), Series(requests));
    println!("VALUE requests_per_check {}", requests.max());
    println!("VALUE requests_min {}", requests.min());
    println!("VALUE cpu_ms_median {:.3}", cpu.median());
    println!("VALUE cpu_ms_max {:.3}", cpu.max());
    println!("VALUE wall_ms_median {:.3}", wall.median());
    Ok(())
}

/// P3's row from the two sizes' runs (people in the tenant, the `idle` figures printed).
pub fn row(sizes: &[(usize, Result<super::compare::Run, String>)]) -> Row {
    let mut ours = Vec::new();
    for (people, run) in sizes {
        ours.push(match run {
            Ok(r) => {
                let get = |k: &str| r.get(k).copied().unwrap_or(f64::NAN);
                format!(
                    "{people} people: {} requests, CPU {:.2} ms (max {:.2}), {:.0} ms wall",
                    get("requests_per_check"),
                    get("cpu_ms_median"),
                    get("cpu_ms_max"),
                    get("wall_ms_median")
                )
            }
            Err(e) => format!("{people} people: not measured ({e})"),
        });
    }
    Row {
        id: "P3".into(),
        workload: format!("one idle check of users and groups on a current local copy (median of {CHECKS} checks after one first sync, CPU = getrusage of the whole process around the check)"),
        ours: ours.join("; "),
        other: "—".into(),
        ratio: "—".into(),
        target: "2 requests; CPU time per check ≤ 5 ms; cost grows with the changes, not the tenant".into(),
    }
}

/// Runs `bench-scenario idle` against a tenant of its own with `users` people (and a tenth as
/// many groups), started and stopped here.
pub fn at_size(root: &std::path::Path, runner: &std::path::Path, users: usize) -> Result<super::compare::Run, String> {
    let mut tenant = super::Tenant::start_sized(&root.join("target/release/graph-sandbox"), users, users / 10)?;
    let mut cmd = std::process::Command::new(runner);
    cmd.args(["bench-scenario", "idle", &tenant.base])
        .env(SECRET_ENV, &tenant.secret);
    let run = super::compare::run_process(&mut cmd);
    let _ = tenant.process.kill();
    let _ = tenant.process.wait();
    run
}

//! `cargo run -p watch --example fidelity -- --changes 10000 --seed 7`
//!
//! Runs the randomized fidelity scenario against the in-memory tenant and prints precision and
//! recall per event kind and the duplicate count. Exits with status 1 unless all are 100 % / 0.

use watch::fidelity::{run_scenario, Scenario};

fn arg(args: &[String], name: &str) -> Option<u64> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let changes = arg(&args, "--changes").unwrap_or(500) as usize;
    let seed = arg(&args, "--seed").unwrap_or(1);
    let mut scenario = Scenario::new(seed, changes);
    if let Some(r) = arg(&args, "--restarts") {
        scenario.restarts = r as usize;
    }
    if let Some(e) = arg(&args, "--expiries") {
        scenario.expiries = e as usize;
    }
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("cannot create a temporary folder: {e}");
            std::process::exit(2);
        }
    };
    let started = std::time::Instant::now();
    match run_scenario(&scenario, dir.path()).await {
        Ok(report) => {
            println!("seed {seed}, {changes} changes, {:.1?}", started.elapsed());
            print!("{}", report.table());
            if !report.perfect() {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("the scenario failed to run: {e}");
            std::process::exit(2);
        }
    }
}

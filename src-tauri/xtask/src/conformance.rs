//! `cargo xtask conformance`: our Graph client and our practice tenant, checked against
//! Microsoft's own API description.
//!
//! ```text
//! msgraph::Client ──▶ front tap ──▶ Prism 5 proxy --errors ──▶ back tap ──▶ sandbox (in-process)
//! ```
//!
//! Every operation of the client is driven (see `drive.rs`); Prism validates each request against
//! the description (422 when the client sends something it rejects) and each answer (500 +
//! `sl-violations` when the sandbox answers something it does not describe). The run writes
//! `target/conformance/report.json`, then checks every JSON body the sandbox produced with
//! `../shared/graph/tools/validate_payload.py --strict` when that oracle is available.
//! See tests/conformance/README.md.

mod drive;
mod payloads;
mod prism;
mod spec;
mod tap;

use crate::practice::{mint_token, StaticToken};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What `cargo xtask test` counts: one operation = one HTTP exchange of the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConformanceSummary {
    /// Exchanges the client made.
    pub operations: usize,
    /// Exchanges Prism checked and found nothing wrong with.
    pub passed: usize,
    /// Exchanges with at least one violation.
    pub failed: usize,
    /// Exchanges on paths Microsoft's description lacks (OData cast segments): not seen by
    /// Prism, their bodies checked offline only. Counted in `operations`, not in passed/failed.
    pub undescribed: usize,
}

/// The description Prism serves (a copy of `../shared/graph/openapi/…lean.v1prefix.yaml`).
pub const SPEC: &str = "tests/conformance/graph-v1.0-subset.lean.v1prefix.yaml";

/// Runs the whole check. `Err` on any Prism violation, any step whose outcome differs from
/// Graph's documented behaviour, or any payload problem; the error text says which.
pub fn run(root: &Path) -> Result<ConformanceSummary, String> {
    let started = Instant::now();
    let out_dir = root.join("target/conformance");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("could not create {}: {e}", out_dir.display()))?;
    let spec_path = root.join(SPEC);
    let spec_text =
        std::fs::read_to_string(&spec_path).map_err(|e| format!("could not read {}: {e}", spec_path.display()))?;
    let spec = spec::Spec::parse(&spec_text)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("could not start the async runtime: {e}"))?;
    let session = runtime.block_on(session(root, &out_dir, &spec_path, spec.clone()));
    runtime.shutdown_timeout(Duration::from_secs(2));
    let session = session?;

    let report_path = write_report(&out_dir, &session)?;
    // Offline payload oracle.
    let payload = payloads::check(root, &out_dir, &spec, &session.bodies);

    let tally = tally(&session.exchanges);
    let summary = tally.summary;
    for f in &session.findings {
        println!("finding: {f}");
    }
    for p in &session.problems {
        println!("problem: {p}");
    }
    print_payloads(&payload);
    println!("report: {}", report_path.display());
    let gaps = session.exchanges.iter().filter(|e| !e.spec_gap.is_empty()).count();
    println!(
        "({} exchanges on paths the description lacks, checked offline only; {gaps} with a documented spec gap; {:.1} s)",
        summary.undescribed,
        started.elapsed().as_secs_f64()
    );
    println!(
        "conformance: {} operations, {} passed, {} failed",
        summary.operations, summary.passed, summary.failed
    );

    let errors = verdict(&session, &tally, &payload);
    if errors.is_empty() {
        Ok(summary)
    } else {
        Err(format!(
            "conformance failed: {} (see {})",
            errors.join("; "),
            report_path.display()
        ))
    }
}

/// Writes `report.json` (every exchange, the findings and the problems) and returns its path.
fn write_report(out_dir: &Path, session: &Session) -> Result<std::path::PathBuf, String> {
    let operations: Vec<serde_json::Value> = session
        .exchanges
        .iter()
        .map(|e| {
            serde_json::json!({
                "method": e.method,
                "path": e.path,
                "status": e.status,
                "violations": e.violations,
                "described": e.described,
                "operation": e.operation,
                "request": e.request,
                "allowedDrift": e.allowed_drift,
                "specGap": e.spec_gap,
            })
        })
        .collect();
    let report = serde_json::json!({
        "spec": SPEC,
        "operations": operations,
        "findings": session.findings,
        "problems": session.problems,
    });
    let report_path = out_dir.join("report.json");
    let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    std::fs::write(&report_path, text).map_err(|e| format!("could not write {}: {e}", report_path.display()))?;
    Ok(report_path)
}

/// The exchanges counted, and how many of the deliberately wrong ones Prism caught.
struct Tally {
    summary: ConformanceSummary,
    canary_caught: usize,
}

/// Counts and prints every exchange with its verdict and what Prism said of it.
fn tally(exchanges: &[tap::Exchange]) -> Tally {
    let mut summary = ConformanceSummary {
        operations: exchanges.len(),
        passed: 0,
        failed: 0,
        undescribed: 0,
    };
    let mut canary_caught = 0;
    for e in exchanges {
        let canary = e.operation.starts_with(drive::CANARY);
        let verdict = if canary {
            // The self-test: these exchanges must carry violations.
            if e.violations.is_empty() {
                summary.failed += 1;
                "FAIL"
            } else {
                summary.passed += 1;
                canary_caught += 1;
                "ok  "
            }
        } else if !e.violations.is_empty() {
            summary.failed += 1;
            "FAIL"
        } else if e.described {
            summary.passed += 1;
            if e.spec_gap.is_empty() {
                "ok  "
            } else {
                "gap "
            }
        } else {
            summary.undescribed += 1;
            "n/d "
        };
        println!("{verdict} {:<6} {:<70} {}  {}", e.method, e.path, e.status, e.operation);
        print_notes(e, canary);
    }
    Tally { summary, canary_caught }
}

/// What Prism and the known drifts say of one exchange, under its verdict line.
fn print_notes(e: &tap::Exchange, canary: bool) {
    if canary && e.violations.is_empty() {
        println!("       the oracle missed a deliberately wrong exchange");
    }
    for v in &e.violations {
        if canary {
            println!("       caught as intended: {v}");
        } else {
            println!("       violation: {v}");
        }
    }
    for v in &e.allowed_drift {
        println!("       known drift (allowed): {v}");
    }
    for v in &e.spec_gap {
        println!("       spec gap (sandbox follows the docs): {v}");
    }
}

fn print_payloads(payload: &payloads::Outcome) {
    match payload {
        payloads::Outcome::Skipped(why) => println!("payloads: skipped: {why}"),
        payloads::Outcome::Checked {
            bodies,
            problems,
            canary,
            unchecked,
        } => {
            for p in problems {
                println!("payload problem: {p}");
            }
            for u in unchecked {
                println!("payload not checked (not in the description subset): {u}");
            }
            for p in canary {
                println!("payload canary caught as intended: {p}");
            }
            println!(
                "payloads: {bodies} sandbox bodies checked with validate_payload.py --strict, {} problem(s)",
                problems.len()
            );
        }
    }
}

/// Why the run fails (empty: it passes): violations, steps unlike Graph, operations not reached,
/// a self-test that caught nothing, payload problems.
fn verdict(session: &Session, tally: &Tally, payload: &payloads::Outcome) -> Vec<String> {
    let mut errors = Vec::new();
    if tally.summary.failed > 0 {
        errors.push(format!(
            "{} exchange(s) violate Microsoft's description",
            tally.summary.failed
        ));
    }
    if !session.problems.is_empty() {
        errors.push(format!("{} step(s) did not behave like Graph", session.problems.len()));
    }
    let missing: Vec<String> = drive::COVERED
        .iter()
        .filter(|(m, p)| {
            !session
                .exchanges
                .iter()
                .any(|e| e.described && e.method == *m && e.path == *p)
        })
        .map(|(m, p)| format!("{m} {p}"))
        .collect();
    if !missing.is_empty() {
        println!("not reached this run: {}", missing.join(", "));
        errors.push(format!("{} operation(s) of the client were not reached", missing.len()));
    }
    if tally.canary_caught < 2 {
        errors.push("the oracle self-test failed: Prism must reject both deliberately wrong exchanges".into());
    }
    if let payloads::Outcome::Checked { problems, canary, .. } = payload {
        if !problems.is_empty() {
            errors.push(format!("{} payload problem(s)", problems.len()));
        }
        if canary.is_empty() {
            errors.push("the payload oracle missed the deliberately corrupted answer".into());
        }
    }
    errors
}

struct Session {
    exchanges: Vec<tap::Exchange>,
    bodies: Vec<tap::RawBody>,
    problems: Vec<String>,
    findings: Vec<String>,
}

/// The chain of one run: the practice tenant, the back tap in front of it, Prism in front of that,
/// the front tap the client talks to.
async fn session(root: &Path, out_dir: &Path, spec_path: &Path, spec: spec::Spec) -> Result<Session, String> {
    let sandbox = sandbox::Sandbox::start(sandbox::Config {
        seed: 7,
        ..sandbox::Config::default()
    })
    .await
    .map_err(|e| format!("could not start the practice tenant: {e}"))?;
    let sandbox_base = sandbox.base_url();
    let http = tap::http_client();

    let operation = Arc::new(Mutex::new(String::new()));
    let back = Arc::new(tap::BackState {
        sandbox: sandbox_base.clone(),
        bodies: Mutex::new(Vec::new()),
        last: Mutex::new(None),
        corrupt_next: AtomicBool::new(false),
        operation: operation.clone(),
        http: http.clone(),
    });
    let back_port = tap::serve_back(back.clone()).await?;

    let mut prism = prism::Prism::start(
        root,
        spec_path,
        &format!("http://127.0.0.1:{back_port}"),
        &out_dir.join("prism.log"),
    )?;
    prism.wait_ready(Duration::from_secs(45)).await?;

    let front = Arc::new(tap::FrontState {
        spec,
        back: back.clone(),
        prism: format!("http://127.0.0.1:{}", prism.port),
        back_url: format!("http://127.0.0.1:{back_port}"),
        sandbox: sandbox_base.clone(),
        origin: Mutex::new(String::new()),
        rewrite_links: AtomicBool::new(true),
        operation,
        exchanges: Mutex::new(Vec::new()),
        http: http.clone(),
    });
    let front_port = tap::serve_front(front.clone()).await?;

    let token = mint_token(&http, &sandbox_base, &sandbox.admin_secret(), "admin@contoso.com").await?;
    let client = client_through(front_port, token)?;
    let mut driver = drive::Driver {
        client,
        front: &front,
        back: &back,
        sandbox: sandbox_base,
        sandbox_secret: sandbox.admin_secret(),
        http,
        problems: Vec::new(),
        findings: Vec::new(),
    };
    driver.run().await;
    let (problems, findings) = (
        std::mem::take(&mut driver.problems),
        std::mem::take(&mut driver.findings),
    );
    drop(driver);
    drop(prism);
    sandbox.shutdown().await;

    let exchanges = front.exchanges.lock().map(|x| x.clone()).unwrap_or_default();
    let bodies = back.bodies.lock().map(|x| x.clone()).unwrap_or_default();
    Ok(Session {
        exchanges,
        bodies,
        problems,
        findings,
    })
}

/// Our Graph client, talking to the front tap, never retrying.
fn client_through(front_port: u16, token: String) -> Result<msgraph::Client, String> {
    let base = url::Url::parse(&format!("http://127.0.0.1:{front_port}/v1.0")).map_err(|e| e.to_string())?;
    let options = msgraph::ClientOptions {
        // A retried request would hide the first answer; every exchange is recorded once.
        retry: msgraph::RetryPolicy {
            max_retries: 0,
            ..msgraph::RetryPolicy::default()
        },
        timeout: Some(Duration::from_secs(30)),
        ..msgraph::ClientOptions::default()
    };
    Ok(msgraph::Client::with_options(
        base,
        Arc::new(StaticToken(token)),
        options,
    ))
}

//! `graph-sandbox`: runs the practice tenant until killed and prints its base URL first.

use std::io::Write;
use std::path::PathBuf;

const USAGE: &str =
    "usage: graph-sandbox [--port N] [--users N] [--groups M] [--latency-ms N] [--state FILE] [--seed N]
  --port N        port on 127.0.0.1 (default 0 = any free port)
  --users N       generate N extra users (deterministic, realistic)
  --groups M      generate M extra groups
  --latency-ms N  add N ms to every Graph request
  --state FILE    load the tenant from FILE if present, save it there after writes
  --seed N        seed for generated ids/data and probabilistic faults (default 1)
The admin API (/_sandbox/*) wants the header X-Sandbox-Secret: the value of GRAPH_SANDBOX_ADMIN_SECRET
when set, else a random secret printed on stderr at start.";

fn parse(args: &[String]) -> Result<sandbox::Config, String> {
    let mut c = sandbox::Config::default();
    let mut users: Option<usize> = None;
    let mut groups: Option<usize> = None;
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        if flag == "-h" || flag == "--help" {
            return Err(String::new());
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        let value = match inline {
            Some(v) => v,
            None => {
                i += 1;
                args.get(i).cloned().ok_or_else(|| format!("{name} needs a value"))?
            }
        };
        let num = |v: &str| v.parse::<u64>().map_err(|_| format!("{name}: '{v}' is not a number"));
        match name {
            "--port" => {
                c.port = u16::try_from(num(&value)?).map_err(|_| format!("--port: '{value}' is out of range"))?
            }
            "--users" => users = Some(num(&value)? as usize),
            "--groups" => groups = Some(num(&value)? as usize),
            "--latency-ms" => c.latency_ms = num(&value)?,
            "--state" => c.state_file = Some(PathBuf::from(value)),
            "--seed" => c.seed = num(&value)?,
            other => return Err(format!("unknown option {other}")),
        }
        i += 1;
    }
    c.admin_secret = std::env::var("GRAPH_SANDBOX_ADMIN_SECRET")
        .ok()
        .filter(|s| !s.is_empty());
    if users.is_some() || groups.is_some() {
        c.generate = Some((users.unwrap_or(0), groups.unwrap_or(0)));
    }
    Ok(c)
}

/// Waits for Ctrl-C, or SIGTERM on Unix (so `kill` also saves the state file).
async fn stopped() {
    #[cfg(unix)]
    {
        if let Ok(mut term) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("graph-sandbox: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(if e.is_empty() { 0 } else { 2 });
        }
    };
    // Warnings (e.g. a state file that cannot be written) go to stderr; stdout carries only the URL.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .try_init();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("graph-sandbox: could not start the runtime: {e}");
            std::process::exit(1);
        }
    };
    rt.block_on(async move {
        let sb = match sandbox::Sandbox::start(config).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("graph-sandbox: {e}");
                std::process::exit(1);
            }
        };
        println!("{}", sb.base_url());
        let _ = std::io::stdout().flush();
        eprintln!(
            "tenant {} · client id {} · Graph {}\nadmin API {}/_sandbox/ with the header X-Sandbox-Secret: {}",
            sb.tenant_id(),
            sb.client_id(),
            sb.graph_url(),
            sb.base_url(),
            sb.admin_secret()
        );
        stopped().await;
        sb.shutdown().await;
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_flags() {
        let c = parse(&a(
            "--port 8123 --users 100 --groups=7 --latency-ms 5 --state /tmp/x.json --seed 9",
        ))
        .unwrap();
        assert_eq!(c.port, 8123);
        assert_eq!(c.generate, Some((100, 7)));
        assert_eq!(c.latency_ms, 5);
        assert_eq!(c.state_file, Some(PathBuf::from("/tmp/x.json")));
        assert_eq!(c.seed, 9);
        assert!(parse(&a("--port")).is_err());
        assert!(parse(&a("--port 70000")).is_err());
        assert!(parse(&a("--bogus 1")).is_err());
    }
}

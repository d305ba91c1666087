//! The state every handler shares: the tenant, sign-in state, faults, the request log and counters,
//! the sandbox clock and debounced persistence.

use crate::context::Ctx;
use crate::faults::Faults;
use crate::grants::AuthState;
use crate::store::Tenant;
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use tokio::sync::Notify;

#[derive(Debug, Clone, Serialize)]
pub struct LogLine {
    pub seq: u64,
    pub time: String,
    pub method: String,
    /// Path and query (Graph) or path only (sign-in endpoints). Never headers or bodies.
    pub path: String,
    pub status: u16,
    pub request_id: String,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Counters {
    pub requests: u64,
    pub by_status: BTreeMap<u16, u64>,
    pub by_route: BTreeMap<String, u64>,
    pub faults: u64,
    pub batches: u64,
}

pub struct Shared {
    pub base: String,
    pub graph: String,
    pub tenant_id: String,
    pub client_id: String,
    pub tenant: Mutex<Tenant>,
    pub auth: Mutex<AuthState>,
    pub faults: Mutex<Faults>,
    pub log: Mutex<VecDeque<LogLine>>,
    pub counters: Mutex<Counters>,
    pub log_seq: AtomicU64,
    pub clock_offset_ms: AtomicI64,
    pub latency_ms: AtomicU64,
    pub jwt_key: Vec<u8>,
    pub txn_key: Vec<u8>,
    pub access_ttl_secs: i64,
    pub delta_ttl_ms: AtomicI64,
    pub delta_page: AtomicU64,
    pub seed: u64,
    pub generate: Option<(usize, usize)>,
    pub state_file: Option<PathBuf>,
    pub dirty: Notify,
    /// What `/_sandbox/*` requests must carry in `X-Sandbox-Secret` (see `server::admin_guard`).
    pub admin_secret: String,
}

impl Shared {
    /// The sandbox clock: wall clock plus the offset `/_sandbox/clock` adds (for expiry tests).
    pub fn now_ms(&self) -> i64 {
        time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
            + self.clock_offset_ms.load(Ordering::Relaxed)
    }

    pub fn ctx(&self) -> Ctx {
        Ctx {
            graph: self.graph.clone(),
            now_ms: self.now_ms(),
            delta_ttl_ms: self.delta_ttl_ms.load(Ordering::Relaxed),
            delta_page: self.delta_page.load(Ordering::Relaxed) as usize,
        }
    }

    pub fn record(&self, mut line: LogLine, route: String) {
        line.seq = self.log_seq.fetch_add(1, Ordering::Relaxed) + 1;
        if let Ok(mut c) = self.counters.lock() {
            c.requests += 1;
            *c.by_status.entry(line.status).or_default() += 1;
            *c.by_route.entry(route).or_default() += 1;
            if line.fault.is_some() {
                c.faults += 1;
            }
        }
        if let Ok(mut l) = self.log.lock() {
            if l.len() >= 2000 {
                l.pop_front();
            }
            l.push_back(line);
        }
    }

    pub fn mark_dirty(&self) {
        if self.state_file.is_some() {
            self.dirty.notify_one();
        }
    }

    /// Writes the tenant to the state file (atomically: temp file + rename).
    pub async fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.state_file else { return Ok(()) };
        let json = {
            let t = self
                .tenant
                .lock()
                .map_err(|_| std::io::Error::other("tenant lock poisoned"))?;
            serde_json::to_vec(&*t).map_err(std::io::Error::other)?
        };
        let path = path.clone();
        tokio::task::spawn_blocking(move || write_private(&path, &json))
            .await
            .map_err(std::io::Error::other)?
    }
}

/// Writes the state file atomically (a temporary file flushed to disk, then renamed over the old one)
/// and privately (0600; a new folder 0700).
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut folder = std::fs::DirBuilder::new();
    folder.recursive(true);
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        folder.mode(0o700);
        file.mode(0o600);
    }
    folder.create(dir)?;
    let tmp = path.with_extension("tmp");
    let mut out = file.open(&tmp)?;
    out.write_all(bytes)?;
    out.sync_all()?;
    std::fs::rename(&tmp, path)
}

//! The practice tenant: a local Microsoft Graph v1.0 + Entra sign-in emulator on loopback.
//!
//! It is an independent implementation of Graph's behaviour and shares no code with `msgraph`.
//! See README.md for the HTTP surface, the admin API and how it is tested.

mod admin;
mod auth;
mod batch;
mod context;
mod delta;
mod error;
mod faults;
mod front;
mod generate;
mod grants;
mod graph;
mod jwt;
mod odata;
mod people;
mod query;
mod routes;
mod server;
mod shared;
mod store;
mod util;

use shared::Shared;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicI64, AtomicU64};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

pub use auth::PRACTICE_CLIENT_ID;
pub use faults::{FaultKind, FaultRule};
pub use server::ADMIN_SECRET_HEADER;

/// How to start the sandbox.
#[derive(Debug, Clone)]
pub struct Config {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// JSON file holding the tenant; loaded at start when present, saved (debounced) after writes.
    pub state_file: Option<PathBuf>,
    /// Added to every Graph request.
    pub latency_ms: u64,
    /// Makes generated ids, generated data and probabilistic faults reproducible.
    pub seed: u64,
    /// Extra generated (users, groups) on top of the seed tenant.
    pub generate: Option<(usize, usize)>,
    /// Lifetime of a deltaLink's token (Entra: 7 days); older tokens get 400 `syncStateNotFound`.
    pub delta_token_ttl: Duration,
    /// Lifetime of access tokens from /token and /_sandbox/tokens.
    pub access_token_ttl: Duration,
    /// Entries (objects + `members@delta` items) per delta page.
    pub delta_page_size: usize,
    /// How long to wait after a write before saving the state file.
    pub save_debounce: Duration,
    /// The secret every `/_sandbox/*` request must carry in the `X-Sandbox-Secret` header (so that a web
    /// page open in a local browser cannot reset or rewrite the practice tenant). `None`: a random one,
    /// read with [`Sandbox::admin_secret`].
    pub admin_secret: Option<String>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            port: 0,
            state_file: None,
            latency_ms: 0,
            seed: 1,
            generate: None,
            delta_token_ttl: Duration::from_secs(7 * 24 * 3600),
            access_token_ttl: Duration::from_secs(3599),
            delta_page_size: 100,
            save_debounce: Duration::from_millis(250),
            admin_secret: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("the practice tenant's state file {path} could not be read or written: {reason}")]
    State { path: PathBuf, reason: String },
    /// The state file is there but is not a practice tenant (damaged, cut short, another format).
    #[error("the practice tenant's state file {path} is damaged: {reason}")]
    Damaged { path: PathBuf, reason: String },
}

/// A running practice tenant.
pub struct Sandbox {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    saver: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox").field("addr", &self.addr).finish()
    }
}

/// The tenant in `state_file` when it exists, else the seed (plus generated data).
async fn load_tenant(config: &Config) -> Result<store::Tenant, StartError> {
    let p = match &config.state_file {
        Some(p) if p.exists() => p,
        _ => return Ok(generate::build_tenant(config.seed, config.generate)),
    };
    let text = tokio::fs::read(p).await.map_err(|e| StartError::State {
        path: p.clone(),
        reason: e.to_string(),
    })?;
    serde_json::from_slice::<store::Tenant>(&text).map_err(|e| StartError::Damaged {
        path: p.clone(),
        reason: e.to_string(),
    })
}

impl Sandbox {
    /// Starts the sandbox on 127.0.0.1 (loading `state_file` when it exists).
    pub async fn start(config: Config) -> Result<Sandbox, StartError> {
        let tenant = load_tenant(&config).await?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(|source| StartError::Bind {
                port: config.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            port: config.port,
            source,
        })?;
        let base = format!("http://127.0.0.1:{}", addr.port());
        let mut faults = faults::Faults::new(config.seed);
        faults.write_quota = None;
        let shared = Arc::new(Shared {
            graph: format!("{base}/v1.0"),
            base,
            tenant_id: tenant.tenant_id.clone(),
            client_id: auth::PRACTICE_CLIENT_ID.to_string(),
            tenant: Mutex::new(tenant),
            auth: Mutex::new(grants::AuthState::default()),
            faults: Mutex::new(faults),
            log: Mutex::new(Default::default()),
            counters: Mutex::new(Default::default()),
            log_seq: AtomicU64::new(0),
            clock_offset_ms: AtomicI64::new(0),
            latency_ms: AtomicU64::new(config.latency_ms),
            jwt_key: util::random_bytes(32),
            txn_key: util::random_bytes(32),
            access_ttl_secs: config.access_token_ttl.as_secs() as i64,
            delta_ttl_ms: AtomicI64::new(config.delta_token_ttl.as_millis().min(i64::MAX as u128) as i64),
            delta_page: AtomicU64::new(config.delta_page_size.max(1) as u64),
            seed: config.seed,
            generate: config.generate,
            state_file: config.state_file.clone(),
            dirty: Notify::new(),
            admin_secret: config
                .admin_secret
                .clone()
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| util::random_token(24)),
        });
        if let Some(path) = &shared.state_file {
            // Write the tenant right away: an unwritable location is reported now, not lost later.
            shared.save().await.map_err(|e| StartError::State {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        }
        let (tx, rx) = oneshot::channel::<()>();
        let server = server::serve(listener, shared.clone(), rx);
        let saver = config.state_file.as_ref().map(|_| {
            let s = shared.clone();
            let debounce = config.save_debounce;
            tokio::spawn(async move {
                loop {
                    s.dirty.notified().await;
                    tokio::time::sleep(debounce).await;
                    if let Err(e) = s.save().await {
                        tracing::warn!(error = %e, "could not save the practice tenant");
                    }
                }
            })
        });
        Ok(Sandbox {
            shared,
            addr,
            stop: Some(tx),
            server,
            saver,
        })
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.shared.base.clone()
    }

    /// `http://127.0.0.1:PORT/v1.0`
    pub fn graph_url(&self) -> String {
        self.shared.graph.clone()
    }

    /// The practice tenant's id (a GUID).
    pub fn tenant_id(&self) -> String {
        self.shared.tenant_id.clone()
    }

    /// The secret the admin API (`/_sandbox/*`) wants in the `X-Sandbox-Secret` header.
    pub fn admin_secret(&self) -> String {
        self.shared.admin_secret.clone()
    }

    /// The practice app registration's client id that /authorize and /token accept.
    pub fn client_id(&self) -> String {
        self.shared.client_id.clone()
    }

    /// Back to the seed tenant (plus generated data), as "Reset the practice tenant" in the app does:
    /// faults, the request log and latency are cleared and earlier deltaLinks expire.
    pub fn reset(&self) -> Result<(), String> {
        self.reset_to(self.shared.generate)
    }

    /// Like `reset`, with another organisation: the seed tenant plus `generate` (users, groups)
    /// generated ones (`None`: the seed tenant alone). Sign-ins stay valid.
    pub fn reset_to(&self, generate: Option<(usize, usize)>) -> Result<(), String> {
        admin::reset_tenant(&self.shared, generate).map_err(|_| "the practice tenant could not be reset".to_string())
    }

    /// Stops the server and saves the state file one last time.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
        if let Some(s) = self.saver.take() {
            s.abort();
        }
        if let Err(e) = self.shared.save().await {
            tracing::warn!(error = %e, "could not save the practice tenant");
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(s) = self.saver.take() {
            s.abort();
        }
    }
}

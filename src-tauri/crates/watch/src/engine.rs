//! The engine: a tokio task that checks users and groups on an interval, keeps the mirror, and
//! sends a `ChangeBatch` per check that found changes.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use msgraph::DeltaStart;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use time::OffsetDateTime;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::derive::WalkMode;
use crate::error::WatchError;
use crate::model::{ChangeBatch, Event, EventKind, OwnChange, Resource};
use crate::roles::RoleHolders;
use crate::rules::{load_rules_or_set_aside, rules_path_for, save_rules, WatchRules};
use crate::source::{DeltaSource, SourceErrorKind};
use crate::status::{WatchState, WatchStatus};
use crate::store::Mirror;

/// Wall-clock time, passed in so that logic never reads the system clock itself.
pub trait Clock: Send + Sync {
    fn now(&self) -> OffsetDateTime;
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// How to start the engine.
pub struct EngineOptions {
    /// The mirror database, e.g. `<app data>/watch/<tenant id>.sqlite3`. Created if missing.
    pub db_path: PathBuf,
    /// The watch rules file; `EngineOptions::new` puts it next to the database
    /// (`<tenant id>.rules.json`).
    pub rules_path: PathBuf,
    pub clock: Arc<dyn Clock>,
    /// Seed for the interval jitter (tests); `None` = random.
    pub jitter_seed: Option<u64>,
    /// How many undelivered batches may queue before the engine waits for the shell.
    pub batch_capacity: usize,
}

impl EngineOptions {
    pub fn new(db_path: impl Into<PathBuf>) -> EngineOptions {
        let db_path = db_path.into();
        EngineOptions {
            rules_path: rules_path_for(&db_path),
            db_path,
            clock: Arc::new(SystemClock),
            jitter_seed: None,
            batch_capacity: 64,
        }
    }
}

/// Events kept this long are checked for pruning at most once per this interval.
const PRUNE_EVERY: time::Duration = time::Duration::hours(1);
/// Progress of a full walk is published every this many pages.
const PROGRESS_EVERY_PAGES: u64 = 5;
const BACKOFF_FIRST: Duration = Duration::from_secs(15);
const BACKOFF_MAX: Duration = Duration::from_secs(15 * 60);

#[derive(Debug)]
enum Command {
    PollNow,
    Pause,
    Resume,
    /// Write-through of this app's own changes (`Engine::record_own`).
    Record {
        changes: Vec<OwnChange>,
        done: tokio::sync::oneshot::Sender<Result<Vec<Event>, WatchError>>,
    },
    /// Role holders read from Graph, or this app's own role change (`Engine::record_role_holders`).
    RoleHolders {
        change: RoleHolders,
        done: tokio::sync::oneshot::Sender<Result<(), WatchError>>,
    },
}

/// See `Engine::check_after`.
#[derive(Debug)]
pub struct CheckAfter(mpsc::UnboundedSender<Command>);

impl Drop for CheckAfter {
    fn drop(&mut self) {
        let _ = self.0.send(Command::PollNow);
    }
}

/// A running engine. Dropping it stops the task (like `stop`, without waiting).
pub struct Engine {
    commands: mpsc::UnboundedSender<Command>,
    stop: watch::Sender<bool>,
    status: watch::Receiver<WatchStatus>,
    rules: watch::Sender<WatchRules>,
    rules_path: PathBuf,
    /// Serialises rule saves (two Settings changes in quick succession).
    rules_save: tokio::sync::Mutex<()>,
    task: JoinHandle<()>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("status", &*self.status.borrow())
            .finish()
    }
}

impl Engine {
    /// Opens the mirror and starts the engine task on the current tokio runtime (panics outside
    /// one, like `tokio::spawn`). The first check starts at once. Returns the engine and the
    /// receiver of change batches.
    pub fn start(
        source: Arc<dyn DeltaSource>,
        options: EngineOptions,
    ) -> Result<(Engine, mpsc::Receiver<ChangeBatch>), WatchError> {
        Engine::start_on(&tokio::runtime::Handle::current(), source, options)
    }

    /// Like `start`, on the given runtime (e.g. Tauri's, from a setup hook that is not inside it).
    pub fn start_on(
        runtime: &tokio::runtime::Handle,
        source: Arc<dyn DeltaSource>,
        options: EngineOptions,
    ) -> Result<(Engine, mpsc::Receiver<ChangeBatch>), WatchError> {
        // The copy is a cache and the rules have defaults: a damaged one is set aside, never a reason
        // not to watch.
        let (mirror, copy_notice) = Mirror::open_or_set_aside(&options.db_path)?;
        let (rules, rules_notice) = load_rules_or_set_aside(&options.rules_path)?;
        let notice = match (copy_notice, rules_notice) {
            (Some(a), Some(b)) => Some(format!("{a} {b}")),
            (a, b) => a.or(b),
        };
        let (rules_tx, rules_rx) = watch::channel(rules);
        let (batch_tx, batch_rx) = mpsc::channel(options.batch_capacity.max(1));
        let (status_tx, status_rx) = watch::channel(WatchStatus {
            notice: notice.clone(),
            ..WatchStatus::starting()
        });
        let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
        let (stop_tx, stop_rx) = watch::channel(false);
        let rng = match options.jitter_seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_entropy(),
        };
        let worker = Worker {
            source,
            db: DbSlot::new(mirror, options.db_path),
            clock: options.clock,
            rules: rules_rx.clone(),
            batches: batch_tx,
            status: status_tx,
            rng,
            paused: false,
            failures: 0,
            last_checked: None,
            next_check: None,
            last_prune: None,
            checks: 0,
            notice,
        };
        let task = runtime.spawn(worker.run(cmd_rx, stop_rx, rules_rx));
        Ok((
            Engine {
                commands: cmd_tx,
                stop: stop_tx,
                status: status_rx,
                rules: rules_tx,
                rules_path: options.rules_path,
                rules_save: tokio::sync::Mutex::new(()),
                task,
            },
            batch_rx,
        ))
    }

    /// Status updates ("last checked 10:42, next 10:43").
    pub fn status(&self) -> watch::Receiver<WatchStatus> {
        self.status.clone()
    }

    /// Check now (after the check in progress, if any). Also ends a back-off wait.
    pub fn poll_now(&self) {
        let _ = self.commands.send(Command::PollNow);
    }

    /// Records changes this app made and Graph accepted in the local copy now (write-through),
    /// after the check in progress if any: the tables show them at once and Activity records them
    /// once, marked as made here (the batch sent for them asks for no desktop notification). The
    /// next delta walk reconciles the copy with Graph.
    pub async fn record_own(&self, changes: Vec<OwnChange>) -> Result<Vec<Event>, WatchError> {
        let (done, answer) = tokio::sync::oneshot::channel();
        self.commands
            .send(Command::Record { changes, done })
            .map_err(|_| WatchError::Stopped)?;
        answer.await.map_err(|_| WatchError::Stopped)?
    }

    /// Records who holds which directory role (see `roles`: the copy cannot follow them by delta).
    pub async fn record_role_holders(&self, change: RoleHolders) -> Result<(), WatchError> {
        let (done, answer) = tokio::sync::oneshot::channel();
        self.commands
            .send(Command::RoleHolders { change, done })
            .map_err(|_| WatchError::Stopped)?;
        answer.await.map_err(|_| WatchError::Stopped)?
    }

    /// A handle that asks for a check when dropped: hold it across a write to the directory, so
    /// the local copy catches up as soon as the write is over (whatever its outcome).
    pub fn check_after(&self) -> CheckAfter {
        CheckAfter(self.commands.clone())
    }

    /// No checks until `resume`.
    pub fn pause(&self) {
        let _ = self.commands.send(Command::Pause);
    }

    /// Resume checking; checks at once.
    pub fn resume(&self) {
        let _ = self.commands.send(Command::Resume);
    }

    /// Saves new rules (normalised: interval 15 s … 1 day) and returns them. They filter the
    /// events of every walk that finishes from now on; a shorter interval reschedules the next
    /// check at once. Never waits for a check in progress.
    pub async fn set_rules(&self, rules: WatchRules) -> Result<WatchRules, WatchError> {
        let _guard = self.rules_save.lock().await;
        let path = self.rules_path.clone();
        let saved = tokio::task::spawn_blocking(move || save_rules(&path, rules))
            .await
            .map_err(|e| WatchError::Internal(format!("saving the watch rules failed: {e}")))??;
        self.rules.send_replace(saved.clone());
        Ok(saved)
    }

    /// The rules in force.
    pub fn rules(&self) -> WatchRules {
        self.rules.borrow().clone()
    }

    /// Stops the engine and waits for it. A check in progress is abandoned: its transaction is
    /// rolled back and the next start repeats it from the stored cursor. A database step already
    /// running finishes first (a walk whose commit had started is kept, events and cursor
    /// together), so when this returns the engine no longer touches the file.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// The mirror, used from blocking threads for each database step so that SQLite work never
/// blocks the async runtime. It stays in this shared slot (never travels inside a task's
/// result): a step runs to its end even when the check that started it is abandoned (a blocking
/// thread cannot be cancelled), and `settle` waits for that, so `Engine::stop` returns only once
/// nothing touches the file any more — a walk whose commit had started is then committed, with
/// its events, before the next engine opens the file.
struct DbSlot {
    mirror: Arc<Mutex<Option<Mirror>>>,
    path: PathBuf,
}

impl DbSlot {
    fn new(mirror: Mirror, path: PathBuf) -> DbSlot {
        DbSlot {
            mirror: Arc::new(Mutex::new(Some(mirror))),
            path,
        }
    }

    async fn run<R, F>(&mut self, f: F) -> Result<R, WatchError>
    where
        F: FnOnce(&mut Mirror) -> Result<R, WatchError> + Send + 'static,
        R: Send + 'static,
    {
        let slot = self.mirror.clone();
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            // A step that panicked leaves the mirror usable: an open transaction is rolled back
            // by the next `begin_walk`.
            let mut slot = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if slot.is_none() {
                *slot = Some(Mirror::open(&path)?);
            }
            match slot.as_mut() {
                Some(mirror) => f(mirror),
                None => Err(WatchError::Internal("the mirror could not be opened".into())),
            }
        })
        .await
        .map_err(|e| WatchError::Internal(format!("database task failed: {e}")))?
    }

    /// Waits for a database step that an abandoned check left running, then closes the mirror
    /// (rolling back a walk left open).
    async fn close(&self) {
        let slot = self.mirror.clone();
        let _ = tokio::task::spawn_blocking(move || {
            let mirror = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
            drop(mirror);
        })
        .await;
    }

    async fn abort_walk(&mut self) {
        let _ = self
            .run(|m| {
                m.abort_walk();
                Ok(())
            })
            .await;
    }
}

struct Worker {
    source: Arc<dyn DeltaSource>,
    db: DbSlot,
    clock: Arc<dyn Clock>,
    rules: watch::Receiver<WatchRules>,
    batches: mpsc::Sender<ChangeBatch>,
    status: watch::Sender<WatchStatus>,
    rng: StdRng,
    paused: bool,
    failures: u32,
    last_checked: Option<OffsetDateTime>,
    next_check: Option<OffsetDateTime>,
    last_prune: Option<OffsetDateTime>,
    checks: u64,
    /// What was set aside when this engine started (see `WatchStatus::notice`).
    notice: Option<String>,
}

struct SyncOutcome {
    events: Vec<Event>,
    changed: bool,
}

/// How long to wait after a failed check. Pure, so it is tested without time.
pub(crate) fn retry_delay(
    kind: Option<SourceErrorKind>,
    retry_after: Option<Duration>,
    failures: u32,
    interval: Duration,
) -> Duration {
    let exponential = BACKOFF_FIRST
        .saturating_mul(1u32 << failures.saturating_sub(1).min(10))
        .min(BACKOFF_MAX);
    match kind {
        Some(SourceErrorKind::Throttled) => retry_after.unwrap_or(exponential).max(Duration::from_secs(1)),
        // Retrying won't help until someone signs in again; don't hammer, keep the rhythm.
        Some(SourceErrorKind::Unauthorized) => interval.max(exponential),
        _ => exponential,
    }
}

impl Worker {
    fn publish(&self, state: WatchState, message: Option<String>) {
        self.status.send_replace(WatchStatus {
            state,
            last_checked: self.last_checked,
            next_check: self.next_check,
            message,
            checks: self.checks,
            notice: self.notice.clone(),
        });
    }

    fn jittered(&mut self, interval: Duration) -> Duration {
        let factor: f64 = self.rng.gen_range(0.9..=1.1);
        interval.mul_f64(factor)
    }

    async fn run(
        mut self,
        mut commands: mpsc::UnboundedReceiver<Command>,
        mut stop: watch::Receiver<bool>,
        mut rules_changed: watch::Receiver<WatchRules>,
    ) {
        let mut next = Instant::now();
        rules_changed.mark_unchanged();
        loop {
            if *stop.borrow() {
                break;
            }
            tokio::select! {
                biased;
                _ = stop.changed() => break,
                cmd = commands.recv() => match cmd {
                    None => break,
                    Some(Command::PollNow) => next = Instant::now(),
                    Some(Command::Pause) => {
                        self.paused = true;
                        self.next_check = None;
                        self.publish(WatchState::Paused, None);
                    }
                    Some(Command::Resume) => {
                        if self.paused {
                            self.paused = false;
                            next = Instant::now();
                        }
                    }
                    Some(Command::Record { changes, done }) => {
                        let _ = done.send(self.record_own(changes).await);
                    }
                    Some(Command::RoleHolders { change, done }) => {
                        let now = self.clock.now();
                        let _ = done.send(self.db.run(move |m| m.apply_role_holders(&change, now)).await);
                    }
                },
                Ok(()) = rules_changed.changed() => {
                    // A shorter interval takes effect now, not after the old, longer wait.
                    let interval = rules_changed.borrow_and_update().poll_interval();
                    let wait = self.jittered(interval);
                    let sooner = Instant::now() + wait;
                    if sooner < next && self.failures == 0 && self.last_checked.is_some() {
                        next = sooner;
                        self.next_check = Some(self.clock.now() + wait);
                        if !self.paused {
                            self.publish(WatchState::Idle, None);
                        }
                    }
                }
                _ = tokio::time::sleep_until(next), if !self.paused => {
                    let wait = tokio::select! {
                        biased;
                        _ = stop.changed() => break,
                        wait = self.check() => wait,
                    };
                    next = Instant::now() + wait;
                }
            }
        }
        // A walk cut short by stop is rolled back when the mirror closes; a step already running
        // (possibly the walk's commit) finishes first.
        self.db.close().await;
        self.next_check = None;
        self.publish(WatchState::Stopped, None);
    }

    async fn record_own(&mut self, changes: Vec<OwnChange>) -> Result<Vec<Event>, WatchError> {
        let now = self.clock.now();
        let rules = self.rules.borrow().clone();
        let changed: BTreeSet<Resource> = changes
            .iter()
            .map(|c| match c {
                OwnChange::Upsert { resource, .. } | OwnChange::Deleted { resource, .. } => *resource,
                OwnChange::Membership { .. } => Resource::Groups,
            })
            .collect();
        let events = self.db.run(move |m| m.record_own(&changes, now, &rules)).await?;
        let batch = ChangeBatch {
            events: events.clone(),
            detected_at: now,
            // The person made these changes: Activity shows them, the desktop does not announce them.
            notify: BTreeSet::new(),
            changed,
        };
        let _ = self.batches.send(batch).await;
        Ok(events)
    }

    /// One check of both resources. Returns how long to wait before the next one.
    async fn check(&mut self) -> Duration {
        let now = self.clock.now();
        self.publish(WatchState::Checking, None);
        let mut events = Vec::new();
        let mut changed = BTreeSet::new();
        let mut failure = None;
        for resource in [Resource::Users, Resource::Groups] {
            match self.sync(resource, now).await {
                Ok(out) => {
                    if out.changed {
                        changed.insert(resource);
                    }
                    events.extend(out.events);
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        if !events.is_empty() || !changed.is_empty() {
            let rules = self.rules.borrow().clone();
            let notify: BTreeSet<EventKind> = EventKind::ALL.into_iter().filter(|k| rules.notifies(*k)).collect();
            let batch = ChangeBatch {
                events,
                detected_at: now,
                notify,
                changed,
            };
            // A closed receiver means the shell is gone; the events are in the history anyway.
            let _ = self.batches.send(batch).await;
        }
        self.prune_if_due(now).await;

        let interval = self.rules.borrow().poll_interval();
        self.checks += 1;
        match failure {
            None => {
                self.failures = 0;
                self.last_checked = Some(now);
                let wait = self.jittered(interval);
                self.next_check = Some(now + wait);
                self.publish(WatchState::Idle, None);
                wait
            }
            Some(error) => {
                self.failures = self.failures.saturating_add(1);
                let (kind, retry_after) = match &error {
                    WatchError::Source(e) => (Some(e.kind), e.retry_after),
                    _ => (None, None),
                };
                let mut wait = retry_delay(kind, retry_after, self.failures, interval);
                if retry_after.is_none() {
                    wait = self.jittered(wait);
                }
                self.next_check = Some(now + wait);
                let state = match kind {
                    Some(SourceErrorKind::Network) | Some(SourceErrorKind::Transient) => WatchState::Offline,
                    Some(SourceErrorKind::Throttled) => WatchState::Throttled,
                    _ => WatchState::NeedsAttention,
                };
                tracing::warn!(error = %error, failures = self.failures, "directory check failed");
                self.publish(state, Some(error.to_string()));
                wait
            }
        }
    }

    async fn prune_if_due(&mut self, now: OffsetDateTime) {
        if self.last_prune.is_some_and(|t| now - t < PRUNE_EVERY) {
            return;
        }
        let days = self.rules.borrow().retention_days;
        match self.db.run(move |m| m.prune(now, days)).await {
            Ok(n) => {
                self.last_prune = Some(now);
                if n > 0 {
                    tracing::info!(events = n, "pruned old directory events");
                }
            }
            Err(e) => tracing::warn!(error = %e, "pruning old directory events failed"),
        }
    }

    async fn sync(&mut self, resource: Resource, now: OffsetDateTime) -> Result<SyncOutcome, WatchError> {
        let cursor = self.db.run(move |m| m.cursor(resource)).await?;
        let (start, mode) = match cursor {
            None => (DeltaStart::Full, WalkMode::Initial),
            Some(c) if c.current_query => (DeltaStart::Resume(c.link), WalkMode::Incremental),
            Some(_) => (DeltaStart::Full, WalkMode::Resync),
        };
        match self.walk(resource, start, mode, now).await {
            Err(WatchError::Source(e)) if e.kind == SourceErrorKind::Expired && mode == WalkMode::Incremental => {
                tracing::info!(resource = resource.as_str(), "delta token expired; resynchronising");
                self.walk(resource, DeltaStart::Full, WalkMode::Resync, now).await
            }
            other => other,
        }
    }

    async fn walk(
        &mut self,
        resource: Resource,
        start: DeltaStart,
        mode: WalkMode,
        now: OffsetDateTime,
    ) -> Result<SyncOutcome, WatchError> {
        let estimate = match mode {
            WalkMode::Incremental => None,
            _ => {
                let about = self.source.estimate(resource).await;
                self.publish(
                    WatchState::Syncing {
                        resource,
                        objects: 0,
                        estimate: about,
                    },
                    None,
                );
                about
            }
        };
        let mut state = self.db.run(move |m| m.begin_walk(resource, mode, now)).await?;
        let mut pages = self.source.walk(resource, start);
        let link = loop {
            let page = match pages.next_page().await {
                Ok(Some(page)) => page,
                Ok(None) => break None,
                Err(e) => {
                    self.db.abort_walk().await;
                    return Err(e.into());
                }
            };
            let link = page.delta_link.clone();
            let checkpoint =
                mode == WalkMode::Initial && link.is_none() && (state.pages + 1) % PROGRESS_EVERY_PAGES == 0;
            let applied = self
                .db
                .run(move |m| {
                    m.apply_page(&mut state, &page)?;
                    if checkpoint {
                        m.checkpoint(&mut state)?;
                    }
                    Ok(state)
                })
                .await;
            state = match applied {
                Ok(s) => s,
                Err(e) => {
                    self.db.abort_walk().await;
                    return Err(e);
                }
            };
            if mode != WalkMode::Incremental && state.pages % PROGRESS_EVERY_PAGES == 0 {
                self.publish(
                    WatchState::Syncing {
                        resource,
                        objects: state.objects,
                        estimate,
                    },
                    None,
                );
            }
            if link.is_some() {
                break link;
            }
        };
        let Some(link) = link else {
            self.db.abort_walk().await;
            return Err(WatchError::WalkWithoutCursor);
        };
        let rules = self.rules.borrow().clone();
        let changed = state.mirror_changed;
        let events = self.db.run(move |m| m.finish_walk(state, &link, &rules)).await?;
        Ok(SyncOutcome { events, changed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_honours_retry_after_and_grows_otherwise() {
        let minute = Duration::from_secs(60);
        assert_eq!(
            retry_delay(
                Some(SourceErrorKind::Throttled),
                Some(Duration::from_secs(5)),
                1,
                minute
            ),
            Duration::from_secs(5)
        );
        let net = |n| retry_delay(Some(SourceErrorKind::Network), None, n, minute);
        assert_eq!(net(1), Duration::from_secs(15));
        assert_eq!(net(2), Duration::from_secs(30));
        assert_eq!(net(3), Duration::from_secs(60));
        assert_eq!(net(30), Duration::from_secs(900));
        assert_eq!(
            retry_delay(Some(SourceErrorKind::Unauthorized), None, 1, minute),
            minute
        );
    }
}

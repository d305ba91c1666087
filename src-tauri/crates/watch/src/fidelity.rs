//! Fidelity: does the engine report every change exactly once? Ground truth is computed from the
//! tenant's state at the start of consecutive walks the engine committed (a delta round reports
//! the net change of each object between two rounds, so that is what can be demanded), and is
//! compared with the events the engine recorded in its history for that window.
//!
//! `GroundTruth` and `FidelityReport` work on any `Snapshot` pair, so the lead's `cargo xtask fidelity`
//! can feed them from the sandbox; `run_scenario` drives a randomized scenario against the
//! in-memory `FakeTenant` with engine restarts, a forced delta expiry, replays, duplicates,
//! failures and big groups split over pages.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::derive::NOISE_PROPERTIES;
use crate::engine::{Engine, EngineOptions};
use crate::error::WatchError;
use crate::fake::{self, FakeState, FakeTenant, Snapshot};
use crate::model::{ChangeBatch, DeleteReason, Event, EventKind, Resource};
use crate::rules::{rules_path_for, save_rules, WatchRules, MAX_POLL_SECS};
use crate::source::{SourceError, SourceErrorKind};
use crate::store::{EventQuery, Mirror};
use crate::testkit::StepClock;

/// The identity of an event for comparison: what happened to what.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventKey {
    pub kind: EventKind,
    pub object_id: String,
    pub member_id: Option<String>,
    pub reason: Option<ReasonKey>,
}

/// `DeleteReason`, orderable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReasonKey {
    Soft,
    Permanent,
    Unknown,
}

impl From<DeleteReason> for ReasonKey {
    fn from(r: DeleteReason) -> ReasonKey {
        match r {
            DeleteReason::SoftDeleted => ReasonKey::Soft,
            DeleteReason::PermanentlyDeleted => ReasonKey::Permanent,
            DeleteReason::Unknown => ReasonKey::Unknown,
        }
    }
}

impl EventKey {
    pub fn of(event: &Event) -> EventKey {
        EventKey {
            kind: event.kind,
            object_id: event.object.id.clone(),
            member_id: event.member.as_ref().map(|m| m.id.clone()),
            reason: event.reason.map(ReasonKey::from),
        }
    }

    pub fn new(kind: EventKind, object_id: &str) -> EventKey {
        EventKey {
            kind,
            object_id: object_id.to_owned(),
            member_id: None,
            reason: None,
        }
    }
}

fn meaningful_props(o: &fake::FakeObject) -> Vec<(&String, &Value)> {
    o.props
        .iter()
        .filter(|(k, _)| !NOISE_PROPERTIES.contains(&k.as_str()))
        .collect()
}

/// The ground truth, window by window. It remembers each group's members as of the last window
/// end at which the group was active: that is all a delta consumer can know about a group that was
/// deleted since (Graph sends only `@removed` for a deleted group, never its member changes).
#[derive(Debug, Clone)]
pub struct GroundTruth {
    known_members: BTreeMap<String, BTreeMap<String, String>>,
    full_walks_list_deleted: bool,
    /// Objects the watcher cannot know (see `diff`).
    unseen: BTreeSet<String>,
}

impl Default for GroundTruth {
    fn default() -> Self {
        GroundTruth::new(true)
    }
}

impl GroundTruth {
    /// `full_walks_list_deleted`: whether the source's full walk lists deleted objects with
    /// `@removed` (Microsoft's documented initial round does, and so does `FakeTenant`; the
    /// sandbox lists only live objects). It decides what a resync can see.
    pub fn new(full_walks_list_deleted: bool) -> GroundTruth {
        GroundTruth {
            known_members: BTreeMap::new(),
            full_walks_list_deleted,
            unseen: BTreeSet::new(),
        }
    }

    /// The events a perfect watcher reports for `resource` between two states of the tenant.
    /// `before = None` is the first sync (nothing to report). `resync` marks a window closed by a
    /// full walk after the delta token expired: a full walk lists deleted objects without telling
    /// when they were deleted, so an object created and deleted inside that gap cannot be told
    /// from one deleted before the watcher ever started, and is not reported.
    pub fn window(
        &mut self,
        resource: Resource,
        before: Option<&Snapshot>,
        after: &Snapshot,
        resync: bool,
    ) -> Vec<EventKey> {
        let out = match before {
            None => {
                // The first sync: silent. Deleted objects it cannot list stay unknown.
                if !self.full_walks_list_deleted {
                    for (id, o) in after.objects(resource) {
                        if o.state == FakeState::SoftDeleted {
                            self.unseen.insert(id.clone());
                        }
                    }
                }
                Vec::new()
            }
            Some(before) => self.diff(resource, before, after, resync),
        };
        if resource == Resource::Groups {
            for (id, g) in &after.groups {
                if g.state == FakeState::Active {
                    self.known_members
                        .insert(id.clone(), after.members.get(id).cloned().unwrap_or_default());
                }
            }
        }
        // A member deleted while its group is deleted leaves silently (its own deletion is the
        // event; see `Mirror::reconcile_deleted_members`).
        let gone = |m: &String| {
            let state = after.users.get(m).or_else(|| after.groups.get(m)).map(|o| o.state);
            matches!(state, Some(FakeState::SoftDeleted) | Some(FakeState::Purged))
        };
        for (id, known) in self.known_members.iter_mut() {
            if after.groups.get(id).is_some_and(|g| g.state != FakeState::Active) {
                known.retain(|m, _| !gone(m));
            }
        }
        out
    }

    fn diff(&mut self, resource: Resource, before: &Snapshot, after: &Snapshot, resync: bool) -> Vec<EventKey> {
        let (created, updated, deleted, restored) = match resource {
            Resource::Users => (
                EventKind::UserCreated,
                EventKind::UserUpdated,
                EventKind::UserDeleted,
                EventKind::UserRestored,
            ),
            Resource::Groups => (
                EventKind::GroupCreated,
                EventKind::GroupUpdated,
                EventKind::GroupDeleted,
                EventKind::GroupRestored,
            ),
        };
        let del = |id: &str, r: ReasonKey| EventKey {
            reason: Some(r),
            ..EventKey::new(deleted, id)
        };
        let unlisted = resync && !self.full_walks_list_deleted;
        let mut out = Vec::new();
        for (id, now) in after.objects(resource) {
            let was = before.objects(resource).get(id);
            match (was.map(|o| o.state), now.state) {
                (None, FakeState::Active) => out.push(EventKey::new(created, id)),
                (None, FakeState::SoftDeleted) if !resync => {
                    out.push(EventKey::new(created, id));
                    out.push(del(id, ReasonKey::Soft));
                }
                (None, FakeState::Purged) if !resync => {
                    out.push(EventKey::new(created, id));
                    out.push(del(id, ReasonKey::Permanent));
                }
                // Created and deleted inside a gap that a resync over live objects only cannot
                // see: the watcher never learns of it until it comes back or is purged.
                (None, FakeState::SoftDeleted) if unlisted => {
                    self.unseen.insert(id.clone());
                }
                (Some(FakeState::Active), FakeState::Active)
                    if was.map(meaningful_props) != Some(meaningful_props(now)) =>
                {
                    out.push(EventKey::new(updated, id));
                }
                // A resync over a source whose full walk lists only live objects sees a deletion
                // as "no longer listed", and a purge of an already deleted object not at all.
                (Some(FakeState::Active), FakeState::SoftDeleted | FakeState::Purged) if unlisted => {
                    out.push(del(id, ReasonKey::Unknown))
                }
                (Some(FakeState::SoftDeleted), FakeState::Purged) if unlisted => {
                    self.unseen.remove(id);
                }
                (Some(FakeState::SoftDeleted), FakeState::Active) if self.unseen.remove(id) => {
                    out.push(EventKey::new(created, id))
                }
                (Some(FakeState::SoftDeleted), FakeState::Purged) if self.unseen.remove(id) => {
                    out.push(EventKey::new(created, id));
                    out.push(del(id, ReasonKey::Permanent));
                }
                (Some(FakeState::Active), FakeState::SoftDeleted) => out.push(del(id, ReasonKey::Soft)),
                (Some(FakeState::Active), FakeState::Purged) => out.push(del(id, ReasonKey::Permanent)),
                (Some(FakeState::SoftDeleted), FakeState::Active) => out.push(EventKey::new(restored, id)),
                (Some(FakeState::SoftDeleted), FakeState::Purged) => out.push(del(id, ReasonKey::Permanent)),
                _ => {}
            }
        }
        if resource == Resource::Groups {
            out.extend(self.member_diff(after));
        }
        out
    }

    /// Who joined or left each live group since the members last known to the watcher.
    fn member_diff(&self, after: &Snapshot) -> Vec<EventKey> {
        let mut out = Vec::new();
        let empty = BTreeMap::new();
        for (id, g) in &after.groups {
            if g.state != FakeState::Active {
                continue;
            }
            let then = self.known_members.get(id).unwrap_or(&empty);
            let now = after.members.get(id).unwrap_or(&empty);
            for m in now.keys().filter(|m| !then.contains_key(*m)) {
                out.push(EventKey {
                    member_id: Some(m.clone()),
                    ..EventKey::new(EventKind::MemberAdded, id)
                });
            }
            for m in then.keys().filter(|m| !now.contains_key(*m)) {
                out.push(EventKey {
                    member_id: Some(m.clone()),
                    ..EventKey::new(EventKind::MemberRemoved, id)
                });
            }
        }
        out
    }
}

/// Precision and recall inputs for one kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindScore {
    pub expected: usize,
    pub emitted: usize,
    pub matched: usize,
}

impl KindScore {
    pub fn precision(&self) -> f64 {
        if self.emitted == 0 {
            1.0
        } else {
            self.matched as f64 / self.emitted as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.matched as f64 / self.expected as f64
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct FidelityReport {
    pub kinds: BTreeMap<EventKind, KindScore>,
    /// Extra copies of an event within one window, plus events delivered in more than one batch.
    pub duplicates: usize,
    pub missing: Vec<EventKey>,
    pub unexpected: Vec<EventKey>,
    pub changes: usize,
    pub checks: usize,
    pub restarts: usize,
    pub resyncs: usize,
    pub failures_injected: usize,
    /// The app's own writes (write-through) and how each was recorded.
    pub own: OwnScore,
}

/// How the app's own writes were recorded: each must appear exactly once in the engine's history,
/// marked as made here (`Event::by_app`), and nothing else may carry that mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OwnScore {
    /// Own writes whose event was expected (and checked).
    pub writes: usize,
    /// Recorded exactly once and marked as made here.
    pub recorded: usize,
    pub missing: Vec<EventKey>,
    /// Recorded more than once.
    pub duplicated: Vec<EventKey>,
    /// Recorded once, but not marked as made here.
    pub unmarked: Vec<EventKey>,
    /// Marked as made here, but no own write made it (and it is no consequence of one).
    pub foreign: Vec<EventKey>,
}

impl OwnScore {
    pub fn perfect(&self) -> bool {
        self.recorded == self.writes
            && self.missing.is_empty()
            && self.duplicated.is_empty()
            && self.unmarked.is_empty()
            && self.foreign.is_empty()
    }
}

impl FidelityReport {
    /// Adds one window's comparison.
    pub fn add_window(&mut self, expected: &[EventKey], emitted: &[EventKey]) {
        let mut want: BTreeMap<&EventKey, usize> = BTreeMap::new();
        for k in expected {
            *want.entry(k).or_default() += 1;
            self.kinds.entry(k.kind).or_default().expected += 1;
        }
        let mut got: BTreeMap<&EventKey, usize> = BTreeMap::new();
        for k in emitted {
            *got.entry(k).or_default() += 1;
            self.kinds.entry(k.kind).or_default().emitted += 1;
        }
        for (k, &n) in &got {
            let w = want.get(k).copied().unwrap_or(0);
            self.kinds.entry(k.kind).or_default().matched += n.min(w);
            if n > 1 {
                self.duplicates += n - 1;
            }
            if w == 0 {
                self.unexpected.push((*k).clone());
            }
        }
        for (k, &w) in &want {
            if got.get(k).copied().unwrap_or(0) < w {
                self.missing.push((*k).clone());
            }
        }
    }

    /// Checks the app's own writes of one window: `own` holds the event each write must have
    /// produced, `emitted` every event recorded for the window with its `by_app` mark. An event
    /// marked as made here that no write in `own` explains is accepted only if `consequence`
    /// says it follows from one (a member leaving its groups with the user the app deleted).
    pub fn add_own(&mut self, own: &[EventKey], emitted: &[(EventKey, bool)], consequence: impl Fn(&EventKey) -> bool) {
        for key in own {
            self.own.writes += 1;
            let copies: Vec<bool> = emitted
                .iter()
                .filter(|(k, _)| k == key)
                .map(|(_, by_app)| *by_app)
                .collect();
            match copies.as_slice() {
                [] => self.own.missing.push(key.clone()),
                [true] => self.own.recorded += 1,
                [false] => self.own.unmarked.push(key.clone()),
                _ => self.own.duplicated.push(key.clone()),
            }
        }
        for (key, by_app) in emitted {
            if *by_app && !own.contains(key) && !consequence(key) {
                self.own.foreign.push(key.clone());
            }
        }
    }

    /// 100 % precision and recall for every kind, no duplicates, every own write recorded once
    /// and marked as made here.
    pub fn perfect(&self) -> bool {
        self.own.perfect()
            && self.duplicates == 0
            && self.missing.is_empty()
            && self.unexpected.is_empty()
            && self
                .kinds
                .values()
                .all(|s| s.matched == s.expected && s.matched == s.emitted)
    }

    /// A printable table.
    pub fn table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<15} {:>8} {:>8} {:>8} {:>10} {:>8}",
            "kind", "expected", "emitted", "matched", "precision", "recall"
        );
        for (k, v) in &self.kinds {
            let _ = writeln!(
                s,
                "{:<15} {:>8} {:>8} {:>8} {:>9.2}% {:>7.2}%",
                k.as_str(),
                v.expected,
                v.emitted,
                v.matched,
                v.precision() * 100.0,
                v.recall() * 100.0
            );
        }
        let _ = writeln!(
            s,
            "duplicates {}; changes {}; checks {}; restarts {}; resyncs {}; failures injected {}",
            self.duplicates, self.changes, self.checks, self.restarts, self.resyncs, self.failures_injected
        );
        let o = &self.own;
        let _ = writeln!(
            s,
            "own writes {}: recorded once and marked {}; missing {}; duplicated {}; not marked {}; marked but not own {}",
            o.writes,
            o.recorded,
            o.missing.len(),
            o.duplicated.len(),
            o.unmarked.len(),
            o.foreign.len()
        );
        for (what, keys) in [
            ("own missing", &o.missing),
            ("own duplicated", &o.duplicated),
            ("own not marked", &o.unmarked),
            ("marked but not own", &o.foreign),
        ] {
            if !keys.is_empty() {
                let _ = writeln!(s, "{what}: {:?}", &keys[..keys.len().min(10)]);
            }
        }
        if !self.missing.is_empty() {
            let _ = writeln!(s, "missing: {:?}", &self.missing[..self.missing.len().min(10)]);
        }
        if !self.unexpected.is_empty() {
            let _ = writeln!(s, "unexpected: {:?}", &self.unexpected[..self.unexpected.len().min(10)]);
        }
        s
    }
}

/// Scenario knobs.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub seed: u64,
    /// Admin changes to make.
    pub changes: usize,
    /// Engine restarts spread over the run (at least 2 recommended).
    pub restarts: usize,
    /// Forced delta-token expiries.
    pub expiries: usize,
    /// Objects per page / members per group slice of the fake.
    pub page_size: usize,
    pub member_page_size: usize,
}

impl Scenario {
    pub fn new(seed: u64, changes: usize) -> Scenario {
        Scenario {
            seed,
            changes,
            restarts: 2,
            expiries: 1,
            page_size: 7,
            member_page_size: 4,
        }
    }
}

struct Harness {
    tenant: FakeTenant,
    db: std::path::PathBuf,
    clock: Arc<StepClock>,
    engine: Option<(Engine, tokio::sync::mpsc::Receiver<ChangeBatch>)>,
    committed: BTreeMap<Resource, usize>,
    last_seq: i64,
    delivered: BTreeSet<String>,
    truth: GroundTruth,
    report: FidelityReport,
}

impl Harness {
    /// Stops while a check may be running, then starts again on the same file.
    async fn restart_during_check(&mut self) -> Result<(), WatchError> {
        if let Some((engine, _)) = &self.engine {
            engine.poll_now();
        }
        tokio::task::yield_now().await;
        self.stop().await;
        self.report.restarts += 1;
        self.compare()?;
        self.start().await
    }

    /// Starts the engine and waits for its start-up check (then compares it). The rules file sets
    /// the interval to a day, so that only the harness triggers checks: one committed window per
    /// comparison.
    async fn start(&mut self) -> Result<(), WatchError> {
        let options = EngineOptions {
            clock: self.clock.clone(),
            jitter_seed: Some(7),
            batch_capacity: 1024,
            ..EngineOptions::new(self.db.clone())
        };
        let (engine, rx) = Engine::start(Arc::new(self.tenant.clone()), options)?;
        let mut status = engine.status();
        self.engine = Some((engine, rx));
        loop {
            if status.borrow_and_update().checks >= 1 {
                break;
            }
            status.changed().await.map_err(|_| WatchError::Stopped)?;
        }
        self.report.checks += 1;
        self.drain();
        self.compare()
    }

    fn drain(&mut self) {
        let mut batches = Vec::new();
        if let Some((_, rx)) = &mut self.engine {
            while let Ok(b) = rx.try_recv() {
                batches.push(b);
            }
        }
        for b in batches {
            self.take_batch(b);
        }
    }

    async fn stop(&mut self) {
        if let Some((engine, mut rx)) = self.engine.take() {
            engine.stop().await;
            while let Ok(batch) = rx.try_recv() {
                self.take_batch(batch);
            }
        }
    }

    fn take_batch(&mut self, batch: ChangeBatch) {
        for e in batch.events {
            if !self.delivered.insert(e.id.clone()) {
                self.report.duplicates += 1;
            }
        }
    }

    /// Asks for a check and waits until it has finished.
    async fn check(&mut self) -> Result<(), WatchError> {
        self.check_with(|| {}).await
    }

    /// Asks for a check, runs `during` while it may be in progress (changes racing with the
    /// walks: the fake answers each walk from the state at its first page, and the comparison
    /// uses exactly that state), and waits until the check has finished.
    async fn check_with(&mut self, mut during: impl FnMut()) -> Result<(), WatchError> {
        self.clock.advance(time::Duration::minutes(1));
        let Some((engine, _)) = &self.engine else {
            return Err(WatchError::Stopped);
        };
        let mut status = engine.status();
        let before = status.borrow().checks;
        engine.poll_now();
        for _ in 0..3 {
            tokio::task::yield_now().await;
            during();
        }
        loop {
            if status.borrow_and_update().checks > before {
                break;
            }
            status.changed().await.map_err(|_| WatchError::Stopped)?;
        }
        self.report.checks += 1;
        self.drain();
        self.compare()
    }

    /// Compares what was recorded since the last comparison with the ground truth of each
    /// resource's newly committed window.
    fn compare(&mut self) -> Result<(), WatchError> {
        let mirror = Mirror::open_read_only(&self.db)?;
        let new_events = mirror.events(&EventQuery {
            after_seq: Some(self.last_seq),
            limit: usize::MAX >> 1,
            ..EventQuery::default()
        })?;
        if let Some(newest) = new_events.first() {
            self.last_seq = newest.seq;
        }
        for resource in [Resource::Users, Resource::Groups] {
            let Some(cursor) = mirror.cursor(resource)? else {
                continue;
            };
            let Some(walk_index) = FakeTenant::walk_of_cursor(&cursor.link.0) else {
                continue;
            };
            let emitted: Vec<EventKey> = new_events
                .iter()
                .filter(|e| e.kind.resource() == resource)
                .map(EventKey::of)
                .collect();
            let previous = self.committed.get(&resource).copied();
            if previous == Some(walk_index) {
                // Nothing committed for this resource: nothing may have been recorded either.
                self.report.add_window(&[], &emitted);
                continue;
            }
            let Some(after) = self.tenant.walk(walk_index) else {
                continue;
            };
            let before = previous.and_then(|i| self.tenant.walk(i));
            let resync = after.from.is_none() && before.is_some();
            if resync {
                self.report.resyncs += 1;
            }
            let expected = self
                .truth
                .window(resource, before.as_ref().map(|w| &w.snapshot), &after.snapshot, resync);
            self.report.add_window(&expected, &emitted);
            self.committed.insert(resource, walk_index);
        }
        Ok(())
    }
}

fn pick<'a>(rng: &mut StdRng, items: &'a [String]) -> Option<&'a String> {
    if items.is_empty() {
        None
    } else {
        Some(&items[rng.gen_range(0..items.len())])
    }
}

// Long: one table of weighted changes; split up, its weights would no longer read as one distribution.
fn random_change(rng: &mut StdRng, tenant: &FakeTenant, next_id: &mut u64) {
    let snap = tenant.snapshot();
    let active_users = fake::ids_in(&snap, Resource::Users, FakeState::Active);
    let soft_users = fake::ids_in(&snap, Resource::Users, FakeState::SoftDeleted);
    let active_groups = fake::ids_in(&snap, Resource::Groups, FakeState::Active);
    let soft_groups = fake::ids_in(&snap, Resource::Groups, FakeState::SoftDeleted);
    *next_id += 1;
    let n = *next_id;
    let roll = rng.gen_range(0..100);
    match roll {
        0..=11 => tenant.create_user(
            &format!("u{n}"),
            fake::user_props(&format!("User {n}"), &format!("user{n}@contoso.com")),
        ),
        12..=19 => {
            if let Some(id) = pick(rng, &active_users) {
                let mut p = Map::new();
                let field = ["jobTitle", "department", "displayName"][rng.gen_range(0..3)];
                p.insert(field.into(), Value::String(format!("{field} {n}")));
                if rng.gen_bool(0.2) {
                    p.insert("renewedDateTime".into(), Value::String(format!("noise {n}")));
                }
                tenant.update(Resource::Users, id, p);
            }
        }
        20..=22 => {
            if let Some(id) = pick(rng, &active_users) {
                tenant.delete(Resource::Users, id, rng.gen_bool(0.3));
            }
        }
        23..=24 => {
            if let Some(id) = pick(rng, &soft_users) {
                if rng.gen_bool(0.6) {
                    tenant.restore(Resource::Users, id);
                } else {
                    tenant.delete(Resource::Users, id, true);
                }
            }
        }
        25..=29 => tenant.create_group(&format!("g{n}"), fake::group_props(&format!("Group {n}"))),
        30..=34 => {
            if let Some(id) = pick(rng, &active_groups) {
                let mut p = Map::new();
                p.insert("description".into(), Value::String(format!("about {n}")));
                tenant.update(Resource::Groups, id, p);
            }
        }
        35..=36 => {
            if let Some(id) = pick(rng, &active_groups) {
                tenant.delete(Resource::Groups, id, rng.gen_bool(0.4));
            }
        }
        37 => {
            if let Some(id) = pick(rng, &soft_groups) {
                tenant.restore(Resource::Groups, id);
            }
        }
        38..=39 => {
            // Created and gone again before anyone could look.
            let id = format!("u{n}");
            tenant.create_user(
                &id,
                fake::user_props(&format!("Temp {n}"), &format!("temp{n}@contoso.com")),
            );
            tenant.delete(Resource::Users, &id, rng.gen_bool(0.5));
        }
        40..=79 => {
            if let (Some(g), Some(u)) = (pick(rng, &active_groups), pick(rng, &active_users)) {
                tenant.add_member(g, u, fake::USER_TYPE);
            }
        }
        80..=84 => {
            if let (Some(g), Some(child)) = (pick(rng, &active_groups), pick(rng, &active_groups)) {
                if g != child {
                    tenant.add_member(g, child, fake::GROUP_TYPE);
                }
            }
        }
        85..=86 => {
            if let Some(g) = pick(rng, &active_groups) {
                tenant.add_member(g, &format!("c{n}"), fake::CONTACT_TYPE);
            }
        }
        _ => {
            if let Some(g) = pick(rng, &active_groups) {
                let members: Vec<String> = fake::members_in(&snap, g).into_iter().collect();
                if let Some(m) = pick(rng, &members) {
                    tenant.remove_member(g, m);
                    if rng.gen_bool(0.2) {
                        // Remove, then add back, inside one window.
                        tenant.add_member(g, m, snap.members[g][m].as_str());
                    }
                }
            }
        }
    }
}

/// The starting directory: 30 people and 6 groups, one of them bigger than a member page.
fn seed(tenant: &FakeTenant) {
    for i in 0..30 {
        tenant.create_user(
            &format!("seed-u{i}"),
            fake::user_props(&format!("Seed User {i}"), &format!("seed{i}@contoso.com")),
        );
    }
    for i in 0..6 {
        tenant.create_group(&format!("seed-g{i}"), fake::group_props(&format!("Seed Group {i}")));
    }
    for i in 0..20 {
        tenant.add_member("seed-g0", &format!("seed-u{i}"), fake::USER_TYPE);
    }
}

/// Now and then, a fault for the next check (a failure, throttling, a failure mid-walk) or
/// replayed pages switched on or off. True when a failure was injected.
fn inject_fault(rng: &mut StdRng, tenant: &FakeTenant) -> bool {
    match rng.gen_range(0..20) {
        0 => tenant.fail_next(SourceError::new(SourceErrorKind::Network, "connection reset")),
        1 => tenant.fail_next(SourceError {
            kind: SourceErrorKind::Throttled,
            retry_after: Some(std::time::Duration::from_secs(5)),
            message: "Too many requests".into(),
        }),
        2 => tenant.fail_mid_walk(
            rng.gen_range(1..4),
            SourceError::new(SourceErrorKind::Transient, "Service unavailable"),
        ),
        3 => {
            tenant.set_replays(rng.gen_range(1..5), true);
            return false;
        }
        4 => {
            tenant.set_replays(0, false);
            return false;
        }
        _ => return false,
    }
    true
}

/// Runs a randomized scenario against the in-memory tenant. `db_dir` receives the mirror file.
pub async fn run_scenario(scenario: &Scenario, db_dir: &Path) -> Result<FidelityReport, WatchError> {
    let mut rng = StdRng::seed_from_u64(scenario.seed);
    let tenant = FakeTenant::new();
    tenant.set_paging(scenario.page_size, scenario.member_page_size);
    let mut next_id = 0u64;
    seed(&tenant);
    let mut h = Harness {
        tenant: tenant.clone(),
        db: db_dir.join("fidelity.sqlite3"),
        clock: Arc::new(StepClock::at(
            OffsetDateTime::from_unix_timestamp(1_764_150_000).unwrap_or(OffsetDateTime::UNIX_EPOCH),
        )),
        engine: None,
        committed: BTreeMap::new(),
        last_seq: 0,
        delivered: BTreeSet::new(),
        truth: GroundTruth::default(),
        report: FidelityReport::default(),
    };
    save_rules(
        &rules_path_for(&h.db),
        WatchRules {
            poll_interval_secs: MAX_POLL_SECS,
            ..WatchRules::default()
        },
    )?;
    h.start().await?; // first sync: silent

    let steps = scenario.changes.max(1);
    let mut restart_at: BTreeSet<usize> = (1..=scenario.restarts)
        .map(|i| i * steps / (scenario.restarts + 1))
        .collect();
    let mut expire_at: BTreeSet<usize> = (1..=scenario.expiries)
        .map(|i| i * steps / (scenario.expiries + 1) + steps / 10)
        .collect();
    let mut made = 0usize;
    while made < steps {
        // A burst of changes, then a check; some changes race with the check itself.
        let burst = rng.gen_range(1..=12).min(steps - made);
        for _ in 0..burst {
            random_change(&mut rng, &tenant, &mut next_id);
            made += 1;
            if restart_at.first().is_some_and(|&r| made >= r) {
                restart_at.pop_first();
                h.restart_during_check().await?;
            }
            if expire_at.first().is_some_and(|&e| made >= e) {
                expire_at.pop_first();
                tenant.expire_cursors();
            }
        }
        if inject_fault(&mut rng, &tenant) {
            h.report.failures_injected += 1;
        }
        if rng.gen_range(0..3) == 0 && made < steps {
            // Changes while the check is running.
            let tenant2 = tenant.clone();
            let mut racing = 0usize;
            let budget = rng.gen_range(1..=3).min(steps - made);
            h.check_with(|| {
                if racing < budget {
                    random_change(&mut rng, &tenant2, &mut next_id);
                    racing += 1;
                }
            })
            .await?;
            made += racing;
        } else {
            h.check().await?;
        }
    }
    // Drain: clear faults and replays, then two clean checks.
    tenant.set_replays(0, false);
    h.check().await?;
    h.check().await?;
    h.stop().await;
    h.report.changes = made;
    Ok(h.report)
}

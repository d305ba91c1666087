//! Applying a delta walk to the mirror and deriving events from it.
//!
//! A walk is applied page by page inside ONE SQLite transaction that also stores the new cursor
//! and the derived events (`begin_walk` → `apply_page`… → `finish_walk`). If anything fails before
//! `finish_walk` commits, nothing of the walk remains: the old cursor replays it next time.
//!
//! Every decision is made against the mirror, which makes application idempotent: an entry that
//! repeats what the mirror already holds (a replay, a duplicate inside a walk, a group split over
//! several pages) changes nothing and derives nothing.

use std::collections::BTreeSet;

use msgraph::{DeltaCursor, DeltaObject, DeltaPage, MemberDelta, RemovedReason};
use rusqlite::{params, OptionalExtension};
use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::error::WatchError;
use crate::model::{DeleteReason, Event, EventKind, ObjectType, PropertyChange, Relation, Resource};
use crate::rules::WatchRules;
use crate::source::query_fingerprint;
use crate::store::{unix, Mirror};
use crate::text;

/// Properties whose changes are recorded in the mirror but never reported, because they change
/// without anyone changing the object:
/// - `renewedDateTime`: Microsoft 365 group expiration policy renews groups automatically;
/// - `onPremisesLastSyncDateTime`: bumped by every Entra Connect sync cycle;
/// - `refreshTokensValidFromDateTime`, `signInSessionsValidFromDateTime`: moved by session
///   revocation and password resets, which are sign-in events, not directory changes;
/// - `deletedDateTime`: delete and restore have their own events.
pub const NOISE_PROPERTIES: &[&str] = &[
    "renewedDateTime",
    "onPremisesLastSyncDateTime",
    "refreshTokensValidFromDateTime",
    "signInSessionsValidFromDateTime",
    "deletedDateTime",
];

/// What kind of walk is being applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkMode {
    /// The first full walk: builds the mirror silently, no events.
    Initial,
    /// A walk from a stored cursor: every real difference is an event.
    Incremental,
    /// A full walk after the cursor expired (or the tracked properties changed): compared with
    /// the mirror, so only real differences become events.
    Resync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Active,
    SoftDeleted,
    Deleted,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Active => "active",
            State::SoftDeleted => "softDeleted",
            State::Deleted => "deleted",
        }
    }
    fn parse(s: &str) -> State {
        match s {
            "active" => State::Active,
            "softDeleted" => State::SoftDeleted,
            _ => State::Deleted,
        }
    }
}

struct Row {
    state: State,
    props: Map<String, Value>,
    rev: i64,
}

/// An event derived but not yet worded: names are resolved when the walk finishes, so a member
/// that appears later in the same walk (a group created on page 3, added to another on page 1)
/// is still named.
#[derive(Debug)]
struct Pending {
    kind: EventKind,
    object_id: String,
    member: Option<(String, ObjectType)>,
    relation: Relation,
    reason: Option<DeleteReason>,
    changes: Vec<PropertyChange>,
    occurred_at: Option<OffsetDateTime>,
    rev: i64,
}

/// A membership (or ownership) row as the mirror holds it: what ending it needs.
struct Membership {
    group_id: String,
    member_id: String,
    member_type: String,
    /// Its revision before it ends.
    rev: i64,
}

impl Membership {
    /// From a row that starts `group_id, member_id, member_type, rev`.
    fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Membership> {
        Ok(Membership {
            group_id: r.get(0)?,
            member_id: r.get(1)?,
            member_type: r.get(2)?,
            rev: r.get(3)?,
        })
    }
}

/// The state of a walk being applied. Holds only the derived (not yet recorded) events, never the
/// walk's pages, so memory stays bounded by the number of changes.
#[derive(Debug)]
pub struct WalkState {
    pub resource: Resource,
    pub mode: WalkMode,
    now: OffsetDateTime,
    since: Option<OffsetDateTime>,
    pending: Vec<Pending>,
    /// Objects processed so far (for progress reports).
    pub objects: u64,
    pub pages: u64,
    /// Whether any mirror row changed (even if no event is recorded).
    pub mirror_changed: bool,
    /// Groups this walk found restored (soft-deleted in the mirror, listed live): their
    /// `members@delta` in this walk is their whole member list (see `end_unlisted_members`).
    restored_groups: Vec<String>,
    /// Properties this build tracks that the stored cursor's query did not (a resync after the
    /// tracked list grew): the mirror learns their values silently, since it never knew the old
    /// ones and nobody changed them.
    newly_tracked: BTreeSet<String>,
    /// Applying this app's own changes (`Mirror::record_own`), not a delta walk.
    own: bool,
    /// First sync: the search index holds the rows up to this rowid (see `Mirror::checkpoint`).
    indexed_rowid: i64,
}

/// Marks a row written from this app's answer to a create before any delta walk listed it: its
/// properties may be fewer than a walk lists, and the first walk fills them in silently.
const PROVISIONAL: &str = "@entraDesk.provisional";

fn object_type(resource: Resource) -> ObjectType {
    match resource {
        Resource::Users => ObjectType::User,
        Resource::Groups => ObjectType::Group,
    }
}

/// Arrays of strings (proxyAddresses, businessPhones, groupTypes) are sets: Graph may return them
/// in another order without anything having changed.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) if x.iter().chain(y).all(Value::is_string) => {
            let xs: BTreeSet<&str> = x.iter().filter_map(Value::as_str).collect();
            let ys: BTreeSet<&str> = y.iter().filter_map(Value::as_str).collect();
            xs == ys
        }
        _ => a == b,
    }
}

/// Merges `incoming` (all or only the changed properties) into `old`; returns the merged set and
/// the meaningful changes.
fn merge_props(
    old: &Map<String, Value>,
    incoming: &Map<String, Value>,
) -> (Map<String, Value>, Vec<PropertyChange>, bool) {
    let mut merged = old.clone();
    let mut changes = Vec::new();
    let mut any = false;
    for (key, new) in incoming {
        let before = old.get(key).cloned().unwrap_or(Value::Null);
        if !same_value(&before, new) {
            any = true;
            if !NOISE_PROPERTIES.contains(&key.as_str()) {
                changes.push(PropertyChange {
                    property: key.clone(),
                    old: before,
                    new: new.clone(),
                });
            }
        }
        merged.insert(key.clone(), new.clone());
    }
    // displayName first: it is what a person looks for.
    changes.sort_by_key(|c| (c.property != "displayName", c.property.clone()));
    (merged, changes, any)
}

/// Relationship annotations as plain properties: `manager@delta: [{id}]` becomes `manager: "<id>"`
/// (`null` when the entry is `@removed`), so the mirror compares and stores it like any property.
fn with_relationships(incoming: &Map<String, Value>) -> Map<String, Value> {
    let mut out = incoming.clone();
    if let Some(entries) = out.remove("manager@delta") {
        let manager = entries
            .as_array()
            .and_then(|a| a.last())
            .filter(|e| e.get("@removed").is_none())
            .and_then(|e| e.get("id"))
            .cloned()
            .unwrap_or(Value::Null);
        out.insert("manager".into(), manager);
    }
    out
}

fn name_and_detail(resource: Resource, props: &Map<String, Value>) -> (Option<String>, Option<String>) {
    let s = |k: &str| props.get(k).and_then(Value::as_str).map(str::to_owned);
    let name = s("displayName");
    let detail = match resource {
        Resource::Users => s("userPrincipalName").or_else(|| s("mail")),
        Resource::Groups => s("mail"),
    };
    (name, detail)
}

fn created_at(props: &Map<String, Value>) -> Option<OffsetDateTime> {
    props
        .get("createdDateTime")
        .and_then(Value::as_str)
        .and_then(|s| OffsetDateTime::parse(s, &Rfc3339).ok())
}

/// An own change as the delta walk of `resource` would list it, if it is about that resource.
fn own_delta(c: &crate::model::OwnChange, resource: Resource) -> Option<DeltaObject> {
    use crate::model::OwnChange;
    match c {
        OwnChange::Upsert { resource: r, id, props } if *r == resource => Some(DeltaObject {
            id: id.clone(),
            removed: None,
            properties: props
                .iter()
                .filter(|(k, _)| crate::source::select_for(resource).contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            members_delta: Vec::new(),
            owners_delta: Vec::new(),
        }),
        OwnChange::Deleted {
            resource: r,
            id,
            permanent,
        } if *r == resource => Some(DeltaObject {
            id: id.clone(),
            removed: Some(if *permanent {
                RemovedReason::Deleted
            } else {
                RemovedReason::Changed
            }),
            properties: Map::new(),
            members_delta: Vec::new(),
            owners_delta: Vec::new(),
        }),
        OwnChange::Membership {
            group_id,
            member_id,
            member_type,
            relation,
            added,
        } if resource == Resource::Groups => {
            let entry = vec![MemberDelta {
                id: member_id.clone(),
                odata_type: Some(format!("#microsoft.graph.{}", member_type.odata_name())),
                removed: !added,
            }];
            let (members_delta, owners_delta) = match relation {
                Relation::Member => (entry, Vec::new()),
                Relation::Owner => (Vec::new(), entry),
            };
            Some(DeltaObject {
                id: group_id.clone(),
                removed: None,
                properties: Map::new(),
                members_delta,
                owners_delta,
            })
        }
        _ => None,
    }
}

/// An object's event, to be filled in with what else it says.
fn pending(kind: EventKind, object_id: &str, rev: i64) -> Pending {
    Pending {
        kind,
        object_id: object_id.to_owned(),
        member: None,
        relation: Relation::Member,
        reason: None,
        changes: Vec::new(),
        occurred_at: None,
        rev,
    }
}

fn kinds(resource: Resource) -> (EventKind, EventKind, EventKind, EventKind) {
    match resource {
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
    }
}

impl Mirror {
    /// Starts applying a walk: opens the transaction. `now` is the time of this check; the
    /// previous check's time comes from the stored cursor.
    pub fn begin_walk(
        &mut self,
        resource: Resource,
        mode: WalkMode,
        now: OffsetDateTime,
    ) -> Result<WalkState, WatchError> {
        if !self.conn.is_autocommit() {
            // A walk that was abandoned without abort (a cancelled task): drop its changes.
            self.conn.execute_batch("ROLLBACK")?;
        }
        let since = match mode {
            WalkMode::Incremental => self.cursor(resource)?.map(|c| c.synced_at),
            _ => None,
        };
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        // The members and owners this walk lists as present (`temp.walk_members`,
        // `temp.walk_owners`, created by `Mirror::init`).
        for relation in Relation::ALL {
            self.conn
                .execute(&format!("DELETE FROM {}", relation.walk_table()), [])?;
        }
        let newly_tracked = match mode {
            WalkMode::Resync => self.newly_tracked(resource)?,
            _ => BTreeSet::new(),
        };
        if mode != WalkMode::Incremental {
            // A full walk rewrites every row: the read model is rebuilt in bulk at its end.
            self.conn.execute_batch(&crate::read_schema::suspend_sql(resource))?;
        }
        if mode == WalkMode::Resync {
            self.conn
                .execute("DELETE FROM resync_seen WHERE resource = ?1", [resource.as_str()])?;
            if resource == Resource::Groups {
                for relation in Relation::ALL {
                    self.conn
                        .execute(&format!("DELETE FROM {}", relation.resync_table()), [])?;
                }
            }
        }
        Ok(WalkState {
            resource,
            mode,
            now,
            since,
            pending: Vec::new(),
            objects: 0,
            pages: 0,
            mirror_changed: false,
            restored_groups: Vec::new(),
            newly_tracked,
            own: false,
            indexed_rowid: 0,
        })
    }

    /// Records this app's own changes that Graph accepted, as a walk of their own that moves no
    /// cursor: events are recorded now (marked `by_app`), and the next delta walk, finding the
    /// mirror already up to date, records nothing twice. Nothing is recorded before the first
    /// full walk of the resource (it will list the change itself).
    pub fn record_own(
        &mut self,
        changes: &[crate::model::OwnChange],
        now: OffsetDateTime,
        rules: &WatchRules,
    ) -> Result<Vec<Event>, WatchError> {
        let mut recorded = Vec::new();
        for resource in [Resource::Users, Resource::Groups] {
            let objects: Vec<DeltaObject> = changes.iter().filter_map(|c| own_delta(c, resource)).collect();
            if objects.is_empty() || self.cursor(resource)?.is_none() {
                continue;
            }
            let mut walk = self.begin_walk(resource, WalkMode::Incremental, now)?;
            walk.own = true;
            let applied = objects.iter().try_for_each(|o| self.apply_object(&mut walk, o));
            if let Err(e) = applied {
                self.abort_walk();
                return Err(e);
            }
            let result = self.finish_inner(&mut walk, None, rules);
            if result.is_err() {
                self.abort_walk();
            }
            recorded.extend(result?);
        }
        Ok(recorded)
    }

    /// The properties of today's `$select` that the stored cursor's query did not name.
    fn newly_tracked(&self, resource: Resource) -> Result<BTreeSet<String>, WatchError> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT query FROM cursors WHERE resource = ?1",
                [resource.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stored) = stored else {
            return Ok(BTreeSet::new());
        };
        // `v1:<resource>:<p1>,<p2>,…` (see `query_fingerprint`).
        let old: BTreeSet<&str> = stored.splitn(3, ':').nth(2).unwrap_or("").split(',').collect();
        Ok(crate::source::select_for(resource)
            .iter()
            .filter(|p| !old.contains(**p))
            .map(|p| (*p).to_owned())
            .collect())
    }

    /// Abandons the walk in progress: nothing of it is kept, the cursor stays where it was.
    /// During a first sync only: commits what the walk has applied so far, so the tables fill as
    /// pages arrive, and adds the new rows to the search index (rebuilt whole when the walk
    /// finishes). A first sync records no events and stores its cursor only at the end, so a
    /// walk broken after a checkpoint simply starts again over the rows it already wrote.
    /// Other walks are one transaction (their events depend on the whole walk): a no-op.
    pub fn checkpoint(&mut self, walk: &mut WalkState) -> Result<(), WatchError> {
        if walk.mode != WalkMode::Initial || self.conn.is_autocommit() {
            return Ok(());
        }
        let t = walk.resource.table();
        let top: i64 = self
            .conn
            .query_row(&format!("SELECT coalesce(max(rowid), 0) FROM {t}"), [], |r| r.get(0))?;
        // Rows new to the mirror get provisional keys, replaced by the name order when the walk ends.
        self.conn.execute(
            &format!("UPDATE {t} SET name_key = ?3 + rowid WHERE name_key IS NULL AND rowid > ?1 AND rowid <= ?2"),
            params![walk.indexed_rowid, top, crate::name_order::PROVISIONAL],
        )?;
        self.conn.execute(
            &format!(
                "INSERT INTO {t}_fts (rowid, words) SELECT name_key, {} FROM {t}
                 WHERE state = 'active' AND rowid > ?1 AND rowid <= ?2",
                crate::read_schema::words_sql(walk.resource)
            ),
            params![walk.indexed_rowid, top],
        )?;
        walk.indexed_rowid = top;
        self.conn.execute_batch("COMMIT; BEGIN IMMEDIATE")?;
        Ok(())
    }

    pub fn abort_walk(&mut self) {
        if !self.conn.is_autocommit() {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "rolling back an abandoned delta walk failed");
            }
        }
    }

    /// Applies one page of the walk.
    pub fn apply_page(&mut self, walk: &mut WalkState, page: &DeltaPage) -> Result<(), WatchError> {
        if self.conn.is_autocommit() {
            return Err(WatchError::Internal("apply_page without begin_walk".into()));
        }
        for object in &page.objects {
            self.apply_object(walk, object)?;
            walk.objects += 1;
        }
        walk.pages += 1;
        Ok(())
    }

    fn load(&self, resource: Resource, id: &str) -> Result<Option<Row>, WatchError> {
        let row: Option<(String, String, i64)> = self
            .conn
            .prepare_cached(&format!(
                "SELECT state, props, rev FROM {} WHERE id = ?1",
                resource.table()
            ))?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        row.map(|(state, props, rev)| {
            let props: Map<String, Value> = serde_json::from_str(&props)
                .map_err(|e| WatchError::Corrupt(format!("stored properties of {id}: {e}")))?;
            Ok(Row {
                state: State::parse(&state),
                props,
                rev,
            })
        })
        .transpose()
    }

    fn store(
        &self,
        walk: &mut WalkState,
        id: &str,
        state: State,
        props: &Map<String, Value>,
        rev: i64,
    ) -> Result<(), WatchError> {
        let (name, detail) = name_and_detail(walk.resource, props);
        let json = serde_json::to_string(props).map_err(|e| WatchError::Corrupt(format!("properties of {id}: {e}")))?;
        let t = walk.resource.table();
        // A full walk numbers every row when it ends (`read_schema::resume_sql`); a delta walk places it.
        let name_key = match walk.mode {
            WalkMode::Incremental => Some(crate::name_order::key_for(&self.conn, t, id, name.as_deref())?),
            _ => None,
        };
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO {t} (id, state, display_name, detail, props, rev, changed_at, name_key)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (id) DO UPDATE SET state = excluded.state,
                    display_name = coalesce(excluded.display_name, display_name),
                    detail = coalesce(excluded.detail, detail),
                    props = excluded.props, rev = excluded.rev, changed_at = excluded.changed_at,
                    name_key = coalesce(excluded.name_key, name_key)"
            ))?
            .execute(params![
                id,
                state.as_str(),
                name,
                detail,
                json,
                rev,
                unix(walk.now),
                name_key
            ])?;
        walk.mirror_changed = true;
        Ok(())
    }

    fn set_state(&self, walk: &mut WalkState, id: &str, state: State, rev: i64) -> Result<(), WatchError> {
        self.conn
            .prepare_cached(&format!(
                "UPDATE {} SET state = ?2, rev = ?3, changed_at = ?4 WHERE id = ?1",
                walk.resource.table()
            ))?
            .execute(params![id, state.as_str(), rev, unix(walk.now)])?;
        walk.mirror_changed = true;
        Ok(())
    }

    /// A permanently deleted group has no members any more; its member rows end silently (the
    /// group's own deletion is the event).
    fn end_memberships_of(&self, walk: &mut WalkState, group_id: &str) -> Result<(), WatchError> {
        if walk.resource == Resource::Groups {
            for relation in Relation::ALL {
                self.conn
                    .prepare_cached(&format!(
                        "UPDATE {} SET present = 0, rev = rev + 1, changed_at = ?2
                         WHERE group_id = ?1 AND present = 1",
                        relation.table()
                    ))?
                    .execute(params![group_id, unix(walk.now)])?;
            }
        }
        Ok(())
    }

    /// A group restored in this walk comes back the way a created group appears: Graph lists its
    /// members (the memberships the restore re-instates) in `members@delta`. That list, over all
    /// pages of the walk, is its whole member list: a remembered member it does not list left
    /// the group while the group could not be watched — typically removed just before the group
    /// was deleted, which Graph never reports (a deleted group's entry is only `@removed`). Each
    /// such membership ends with a MemberRemoved.
    fn end_unlisted_members(&mut self, walk: &mut WalkState) -> Result<(), WatchError> {
        let mut restored = std::mem::take(&mut walk.restored_groups);
        restored.sort();
        restored.dedup();
        for (group_id, relation) in restored.iter().flat_map(|g| Relation::ALL.map(|r| (g.clone(), r))) {
            if walk.newly_tracked.contains(relation.property()) {
                continue;
            }
            let (t, w) = (relation.table(), relation.walk_table());
            let rows: Vec<Membership> = {
                let mut stmt = self.conn.prepare_cached(&format!(
                    "SELECT m.member_id, m.member_type, m.rev
                     FROM {t} m JOIN groups g ON g.id = m.group_id AND g.state = 'active'
                     WHERE m.group_id = ?1 AND m.present = 1
                       AND NOT EXISTS (SELECT 1 FROM {w} w
                                       WHERE w.group_id = m.group_id AND w.member_id = m.member_id)
                     ORDER BY m.member_id"
                ))?;
                let rows = stmt.query_map([&group_id], |r| {
                    Ok(Membership {
                        group_id: group_id.clone(),
                        member_id: r.get(0)?,
                        member_type: r.get(1)?,
                        rev: r.get(2)?,
                    })
                })?;
                rows.collect::<Result<_, _>>()?
            };
            for ended in rows {
                self.end_membership(walk, relation, ended, true)?;
            }
        }
        Ok(())
    }

    /// At the end of a groups walk, no deleted user or group stays a member of anything:
    /// - in a group that is deleted itself, the row ends silently: Graph sends a deleted group's
    ///   `@removed` without its member changes, so this is all that can be known, and the
    ///   member's own deletion is the event;
    /// - in a live group, it is a MemberRemoved: Graph normally reports that removal itself
    ///   ("either by removing the membership or by deleting the user object itself"), so this
    ///   only fires when it did not — e.g. a group restored without a member that was deleted
    ///   while the group was gone.
    ///
    /// Except a membership this walk lists as present: Graph re-instates the memberships of a
    /// restored member, so a listed member the mirror still believes deleted was restored after
    /// the users walk of this check ran (the two walks are separate queries). The membership
    /// stays; the next users walk reports the restore and makes the member active.
    fn reconcile_deleted_members(&mut self, walk: &mut WalkState) -> Result<(), WatchError> {
        for relation in Relation::ALL {
            self.reconcile_deleted(walk, relation)?;
        }
        Ok(())
    }

    fn reconcile_deleted(&mut self, walk: &mut WalkState, relation: Relation) -> Result<(), WatchError> {
        let (t, w) = (relation.table(), relation.walk_table());
        let rows: Vec<(Membership, bool)> = {
            // Driven from the tombstones (`users_gone`, `groups_gone`: partial indexes), then each
            // one's rows by `{t}_member`: the cost follows the deleted objects the retention keeps,
            // not the tenant — this runs at the end of every groups walk, idle checks included.
            // CROSS JOIN keeps that order (SQLite does not reorder it).
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT m.group_id, m.member_id, m.member_type, m.rev, g.state = 'active'
                 FROM (SELECT id FROM users WHERE state != 'active'
                       UNION ALL SELECT id FROM groups WHERE state != 'active') d
                 CROSS JOIN {t} m ON m.member_id = d.id
                 JOIN groups g ON g.id = m.group_id
                 WHERE m.present = 1
                   AND NOT EXISTS (SELECT 1 FROM {w} w
                                   WHERE w.group_id = m.group_id AND w.member_id = m.member_id)
                 ORDER BY m.group_id, m.member_id"
            ))?;
            let rows = stmt.query_map([], |r| Ok((Membership::from_row(r)?, r.get(4)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (ended, group_live) in rows {
            self.end_membership(walk, relation, ended, group_live)?;
        }
        Ok(())
    }

    /// Ends a membership (or ownership) the mirror holds as present: the row is kept, not present,
    /// with the next revision; with `report`, a MemberRemoved is pending for it.
    fn end_membership(
        &mut self,
        walk: &mut WalkState,
        relation: Relation,
        ended: Membership,
        report: bool,
    ) -> Result<(), WatchError> {
        let t = relation.table();
        let rev = ended.rev + 1;
        self.conn
            .prepare_cached(&format!(
                "UPDATE {t} SET present = 0, rev = ?3, changed_at = ?4
                 WHERE group_id = ?1 AND member_id = ?2"
            ))?
            .execute(params![ended.group_id, ended.member_id, rev, unix(walk.now)])?;
        walk.mirror_changed = true;
        if report {
            Self::push(
                walk,
                Pending {
                    kind: EventKind::MemberRemoved,
                    object_id: ended.group_id,
                    member: Some((ended.member_id, ObjectType::from_stored(&ended.member_type))),
                    relation,
                    reason: None,
                    changes: Vec::new(),
                    occurred_at: None,
                    rev,
                },
            );
        }
        Ok(())
    }

    fn push(walk: &mut WalkState, pending: Pending) {
        if walk.mode != WalkMode::Initial {
            walk.pending.push(pending);
        }
    }

    fn apply_object(&mut self, walk: &mut WalkState, obj: &DeltaObject) -> Result<(), WatchError> {
        let normalised;
        let obj = if obj.properties.contains_key("manager@delta") {
            normalised = DeltaObject {
                properties: with_relationships(&obj.properties),
                ..obj.clone()
            };
            &normalised
        } else {
            obj
        };
        if walk.mode == WalkMode::Resync {
            self.conn
                .prepare_cached(
                    "INSERT INTO resync_seen (resource, id, active) VALUES (?1, ?2, ?3)
                     ON CONFLICT (resource, id) DO UPDATE SET active = excluded.active",
                )?
                .execute(params![walk.resource.as_str(), obj.id, obj.removed.is_none()])?;
        }
        let existing = self.load(walk.resource, &obj.id)?;
        if let Some(removed) = &obj.removed {
            return self.apply_removal(walk, obj, removed, existing);
        }
        self.apply_listed(walk, obj, existing)?;
        for member in &obj.members_delta {
            self.apply_relation(walk, &obj.id, member, Relation::Member)?;
        }
        for owner in &obj.owners_delta {
            self.apply_relation(walk, &obj.id, owner, Relation::Owner)?;
        }
        Ok(())
    }

    /// An object listed as removed: deleted (soft or for good), or created and deleted since the
    /// last check.
    fn apply_removal(
        &mut self,
        walk: &mut WalkState,
        obj: &DeltaObject,
        removed: &RemovedReason,
        existing: Option<Row>,
    ) -> Result<(), WatchError> {
        let (created_kind, _, deleted_kind, _) = kinds(walk.resource);
        let event = |kind, rev| pending(kind, &obj.id, rev);
        let (new_state, reason) = match removed {
            RemovedReason::Changed => (State::SoftDeleted, DeleteReason::SoftDeleted),
            RemovedReason::Deleted => (State::Deleted, DeleteReason::PermanentlyDeleted),
            RemovedReason::Unknown(_) => (State::Deleted, DeleteReason::Unknown),
        };
        match existing {
            None => {
                // Never seen: created and deleted since the last check. A full walk (first
                // sync, resync) also lists objects deleted long ago, so there it is silent.
                let empty = Map::new();
                if walk.mode == WalkMode::Incremental {
                    self.store(walk, &obj.id, new_state, &empty, 2)?;
                    Self::push(walk, event(created_kind, 1));
                    Self::push(
                        walk,
                        Pending {
                            reason: Some(reason),
                            ..event(deleted_kind, 2)
                        },
                    );
                } else {
                    self.store(walk, &obj.id, new_state, &empty, 1)?;
                }
            }
            Some(row) => {
                let reportable = match (row.state, new_state) {
                    (State::Active, _) => true,
                    (State::SoftDeleted, State::Deleted) => true,
                    _ => false, // a replay, or soft-deleted again
                };
                if reportable {
                    let rev = row.rev + 1;
                    self.set_state(walk, &obj.id, new_state, rev)?;
                    if new_state == State::Deleted {
                        self.end_memberships_of(walk, &obj.id)?;
                    }
                    Self::push(
                        walk,
                        Pending {
                            reason: Some(reason),
                            ..event(deleted_kind, rev)
                        },
                    );
                }
            }
        }
        Ok(())
    }

    /// An object listed as present: created, restored, updated, or unchanged.
    fn apply_listed(
        &mut self,
        walk: &mut WalkState,
        obj: &DeltaObject,
        existing: Option<Row>,
    ) -> Result<(), WatchError> {
        let (created_kind, updated_kind, _, restored_kind) = kinds(walk.resource);
        let event = |kind, rev| pending(kind, &obj.id, rev);
        match existing {
            None => {
                let mut props = obj.properties.clone();
                if walk.own {
                    props.insert(PROVISIONAL.into(), Value::Bool(true));
                }
                self.store(walk, &obj.id, State::Active, &props, 1)?;
                Self::push(
                    walk,
                    Pending {
                        occurred_at: created_at(&obj.properties),
                        ..event(created_kind, 1)
                    },
                );
            }
            Some(row) if row.state == State::Deleted => {
                // Graph never reuses ids; a tombstone coming back is treated as new.
                let rev = row.rev + 1;
                self.store(walk, &obj.id, State::Active, &obj.properties, rev)?;
                Self::push(
                    walk,
                    Pending {
                        occurred_at: created_at(&obj.properties),
                        ..event(created_kind, rev)
                    },
                );
            }
            Some(row) if row.state == State::SoftDeleted => {
                let had_props = !row.props.is_empty();
                let (merged, changes, _) = merge_props(&row.props, &obj.properties);
                let rev = row.rev + 1;
                self.store(walk, &obj.id, State::Active, &merged, rev)?;
                if walk.resource == Resource::Groups && walk.mode == WalkMode::Incremental {
                    walk.restored_groups.push(obj.id.clone());
                }
                Self::push(
                    walk,
                    Pending {
                        changes: if had_props { changes } else { Vec::new() },
                        ..event(restored_kind, rev)
                    },
                );
            }
            Some(row) => {
                let (mut merged, mut changes, mut any) = merge_props(&row.props, &obj.properties);
                changes.retain(|c| !walk.newly_tracked.contains(&c.property));
                if row.props.contains_key(PROVISIONAL) && !walk.own {
                    // The first walk to list an object created here: what the create's answer
                    // lacked is learnt, not reported.
                    changes.retain(|c| row.props.contains_key(&c.property));
                    merged.remove(PROVISIONAL);
                    any = true;
                }
                if any {
                    let rev = row.rev + 1;
                    self.store(walk, &obj.id, State::Active, &merged, rev)?;
                    if !changes.is_empty() {
                        Self::push(
                            walk,
                            Pending {
                                changes,
                                ..event(updated_kind, rev)
                            },
                        );
                    }
                }
            }
        }
        Ok(())
    }

    /// One `members@delta` or `owners@delta` entry.
    fn apply_relation(
        &mut self,
        walk: &mut WalkState,
        group_id: &str,
        m: &MemberDelta,
        relation: Relation,
    ) -> Result<(), WatchError> {
        if walk.resource != Resource::Groups {
            return Ok(());
        }
        self.note_listed(walk, group_id, m, relation)?;
        let t = relation.table();
        let existing: Option<(bool, i64, String)> = self
            .conn
            .prepare_cached(&format!(
                "SELECT present, rev, member_type FROM {t} WHERE group_id = ?1 AND member_id = ?2"
            ))?
            .query_row(params![group_id, m.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        let given_type = m.odata_type.as_deref().map(|t| ObjectType::from_odata(Some(t)));
        let (present, rev, stored_type) = match &existing {
            Some((p, r, t)) => (*p, *r, Some(ObjectType::from_stored(t))),
            None => (false, 0, None),
        };
        let member_type = given_type.or(stored_type).unwrap_or(ObjectType::User);
        // A change is adding an absent member or removing a present one; adding a present
        // member or removing an absent one is a replay (or a group split over pages) and does
        // nothing.
        if m.removed == present {
            let rev = rev + 1;
            self.conn
                .prepare_cached(&format!(
                    "INSERT INTO {t} (group_id, member_id, member_type, present, rev, changed_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (group_id, member_id) DO UPDATE SET member_type = excluded.member_type,
                        present = excluded.present, rev = excluded.rev, changed_at = excluded.changed_at"
                ))?
                .execute(params![
                    group_id,
                    m.id,
                    member_type.as_stored(),
                    !m.removed,
                    rev,
                    unix(walk.now)
                ])?;
            walk.mirror_changed = true;
            if walk.newly_tracked.contains(relation.property()) {
                // The old cursor did not track this relationship: learnt, not reported.
                return Ok(());
            }
            let kind = if m.removed {
                EventKind::MemberRemoved
            } else {
                EventKind::MemberAdded
            };
            Self::push(
                walk,
                Pending {
                    member: Some((m.id.clone(), member_type)),
                    relation,
                    ..pending(kind, group_id, rev)
                },
            );
        }
        Ok(())
    }

    /// What this walk has listed of a group's relation: the resync's list of who is there, and
    /// (after a first sync) the walk's latest word on each membership.
    fn note_listed(
        &self,
        walk: &WalkState,
        group_id: &str,
        m: &MemberDelta,
        relation: Relation,
    ) -> Result<(), WatchError> {
        let w = relation.walk_table();
        if walk.mode == WalkMode::Resync && !m.removed {
            self.conn
                .prepare_cached(&format!(
                    "INSERT OR IGNORE INTO {} (group_id, member_id) VALUES (?1, ?2)",
                    relation.resync_table()
                ))?
                .execute(params![group_id, m.id])?;
        }
        if walk.mode != WalkMode::Initial {
            // Whether this walk's latest word on the membership is "present".
            let sql = if m.removed {
                format!("DELETE FROM {w} WHERE group_id = ?1 AND member_id = ?2")
            } else {
                format!("INSERT OR IGNORE INTO {w} (group_id, member_id) VALUES (?1, ?2)")
            };
            self.conn.prepare_cached(&sql)?.execute(params![group_id, m.id])?;
        }
        Ok(())
    }

    /// After a resync walk: whatever the mirror holds that the full walk no longer listed is gone.
    fn finish_resync(&mut self, walk: &mut WalkState) -> Result<(), WatchError> {
        let (_, _, deleted_kind, _) = kinds(walk.resource);
        let gone: Vec<(String, i64)> = {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT id, rev FROM {t} WHERE state = 'active'
                 AND id NOT IN (SELECT id FROM resync_seen WHERE resource = ?1)",
                t = walk.resource.table()
            ))?;
            let rows = stmt.query_map([walk.resource.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (id, rev) in gone {
            // Not listed: deleted, but whether it can still be restored is unknown. It is kept as
            // soft-deleted (memberships retained), so that a later restore is a restore and a
            // later purge is reported as one.
            let rev = rev + 1;
            self.set_state(walk, &id, State::SoftDeleted, rev)?;
            Self::push(
                walk,
                Pending {
                    kind: deleted_kind,
                    object_id: id,
                    member: None,
                    relation: Relation::Member,
                    reason: Some(DeleteReason::Unknown),
                    changes: Vec::new(),
                    occurred_at: None,
                    rev,
                },
            );
        }
        let relations: &[Relation] = if walk.resource == Resource::Groups {
            &Relation::ALL
        } else {
            &[]
        };
        for &relation in relations {
            let (t, r) = (relation.table(), relation.resync_table());
            let left: Vec<Membership> = {
                let mut stmt = self.conn.prepare(&format!(
                    "SELECT m.group_id, m.member_id, m.member_type, m.rev FROM {t} m
                     JOIN resync_seen s ON s.resource = 'groups' AND s.id = m.group_id AND s.active = 1
                     WHERE m.present = 1 AND NOT EXISTS (
                        SELECT 1 FROM {r} r
                        WHERE r.group_id = m.group_id AND r.member_id = m.member_id)"
                ))?;
                let rows = stmt.query_map([], Membership::from_row)?;
                rows.collect::<Result<_, _>>()?
            };
            for ended in left {
                self.end_membership(walk, relation, ended, true)?;
            }
            self.conn.execute(&format!("DELETE FROM {r}"), [])?;
        }
        self.conn
            .execute("DELETE FROM resync_seen WHERE resource = ?1", [walk.resource.as_str()])?;
        Ok(())
    }

    /// Ends the walk: names and records its events (those the rules let through), stores the new
    /// cursor, and commits all of it at once. Returns the recorded events in order.
    pub fn finish_walk(
        &mut self,
        mut walk: WalkState,
        cursor: &DeltaCursor,
        rules: &WatchRules,
    ) -> Result<Vec<Event>, WatchError> {
        let result = self.finish_inner(&mut walk, Some(cursor), rules);
        if result.is_err() {
            self.abort_walk();
        }
        result
    }

    fn finish_inner(
        &mut self,
        walk: &mut WalkState,
        cursor: Option<&DeltaCursor>,
        rules: &WatchRules,
    ) -> Result<Vec<Event>, WatchError> {
        if self.conn.is_autocommit() {
            return Err(WatchError::Internal("finish_walk without begin_walk".into()));
        }
        if walk.mode == WalkMode::Resync {
            self.finish_resync(walk)?;
        }
        if walk.resource == Resource::Groups && walk.mode != WalkMode::Initial {
            self.end_unlisted_members(walk)?;
            self.reconcile_deleted_members(walk)?;
        }
        let mut recorded = Vec::new();
        for p in std::mem::take(&mut walk.pending) {
            let mut event = self.event(walk, p)?;
            if rules.records(&event) && self.record(&event)? {
                event.seq = self.conn.last_insert_rowid();
                recorded.push(event);
            }
        }
        if walk.mode != WalkMode::Incremental {
            self.conn
                .execute_batch(&crate::read_schema::resume_sql(walk.resource))?;
        }
        if let Some(cursor) = cursor {
            self.conn
                .prepare_cached(
                    "INSERT INTO cursors (resource, delta_link, query, synced_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (resource) DO UPDATE SET delta_link = excluded.delta_link,
                        query = excluded.query, synced_at = excluded.synced_at",
                )?
                .execute(params![
                    walk.resource.as_str(),
                    cursor.0,
                    query_fingerprint(walk.resource),
                    unix(walk.now)
                ])?;
        }
        self.conn.execute_batch("COMMIT")?;
        Ok(recorded)
    }

    /// The event a pending change becomes: its objects named from the mirror, its id (stable, so
    /// a replayed walk records nothing twice) and its sentence.
    fn event(&self, walk: &WalkState, p: Pending) -> Result<Event, WatchError> {
        let object = self.resolve(&p.object_id, object_type(walk.resource))?;
        let member = match &p.member {
            Some((id, t)) => Some(self.resolve(id, t.clone())?),
            None => None,
        };
        let id = match (&p.member, p.relation) {
            (Some((member_id, _)), Relation::Member) => {
                format!("{}:{}:{}:{}", p.kind.as_str(), p.object_id, member_id, p.rev)
            }
            (Some((member_id, _)), Relation::Owner) => {
                format!("{}:{}:owner:{}:{}", p.kind.as_str(), p.object_id, member_id, p.rev)
            }
            (None, _) => format!("{}:{}:{}", p.kind.as_str(), p.object_id, p.rev),
        };
        let summary = match p.relation {
            Relation::Owner => text::owner_summary(p.kind, &object, member.as_ref()),
            Relation::Member => text::summary(p.kind, &object, member.as_ref(), p.reason, &p.changes),
        };
        Ok(Event {
            id,
            seq: 0,
            kind: p.kind,
            detected_at: walk.now,
            since: walk.since,
            occurred_at: p.occurred_at,
            object,
            member,
            relation: p.relation,
            reason: p.reason,
            changes: p.changes,
            summary,
            resync: walk.mode == WalkMode::Resync,
            by_app: walk.own,
        })
    }

    /// Records an event in the history; false when it was already there.
    fn record(&self, event: &Event) -> Result<bool, WatchError> {
        let data = serde_json::to_string(event).map_err(|e| WatchError::Corrupt(format!("event {}: {e}", event.id)))?;
        let inserted = self
            .conn
            .prepare_cached(
                "INSERT OR IGNORE INTO events (id, kind, detected_at, object_id, member_id, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                event.id,
                event.kind.as_str(),
                unix(event.detected_at),
                event.object.id,
                event.member.as_ref().map(|m| m.id.as_str()),
                data
            ])?;
        Ok(inserted == 1)
    }
}

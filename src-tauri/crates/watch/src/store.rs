//! The mirror: a SQLite copy of the watched directory (users, groups, memberships), the delta
//! cursors and the event history. Schema changes are numbered migrations tracked in
//! `PRAGMA user_version`.

use std::path::Path;

use msgraph::DeltaCursor;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use time::OffsetDateTime;

use crate::error::WatchError;
use crate::model::{Event, EventKind, ObjectRef, ObjectType, Relation, Resource};
use crate::source::query_fingerprint;

/// Each entry moves the schema from version `index` to `index + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    r#"
    CREATE TABLE users (
        id           TEXT PRIMARY KEY NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('active', 'softDeleted', 'deleted')),
        display_name TEXT,
        detail       TEXT,
        props        TEXT NOT NULL DEFAULT '{}',
        rev          INTEGER NOT NULL,
        changed_at   INTEGER NOT NULL
    );
    CREATE INDEX users_name ON users (display_name COLLATE NOCASE);
    CREATE TABLE groups (
        id           TEXT PRIMARY KEY NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('active', 'softDeleted', 'deleted')),
        display_name TEXT,
        detail       TEXT,
        props        TEXT NOT NULL DEFAULT '{}',
        rev          INTEGER NOT NULL,
        changed_at   INTEGER NOT NULL
    );
    CREATE INDEX groups_name ON groups (display_name COLLATE NOCASE);
    CREATE TABLE memberships (
        group_id    TEXT NOT NULL,
        member_id   TEXT NOT NULL,
        member_type TEXT NOT NULL,
        present     INTEGER NOT NULL,
        rev         INTEGER NOT NULL,
        changed_at  INTEGER NOT NULL,
        PRIMARY KEY (group_id, member_id)
    ) WITHOUT ROWID;
    CREATE INDEX memberships_member ON memberships (member_id);
    CREATE TABLE cursors (
        resource   TEXT PRIMARY KEY NOT NULL,
        delta_link TEXT NOT NULL,
        query      TEXT NOT NULL,
        synced_at  INTEGER NOT NULL
    );
    CREATE TABLE events (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        id          TEXT NOT NULL UNIQUE,
        kind        TEXT NOT NULL,
        detected_at INTEGER NOT NULL,
        object_id   TEXT NOT NULL,
        member_id   TEXT,
        data        TEXT NOT NULL
    );
    CREATE INDEX events_detected ON events (detected_at);
    CREATE INDEX events_object ON events (object_id);
    CREATE TABLE resync_seen (
        resource TEXT NOT NULL,
        id       TEXT NOT NULL,
        active   INTEGER NOT NULL,
        PRIMARY KEY (resource, id)
    ) WITHOUT ROWID;
    CREATE TABLE resync_members (
        group_id  TEXT NOT NULL,
        member_id TEXT NOT NULL,
        PRIMARY KEY (group_id, member_id)
    ) WITHOUT ROWID;
    "#,
];

/// Migrations whose SQL is made from a definition kept elsewhere: entry `i` moves the schema from
/// version `MIGRATIONS.len() + i` to the next.
/// - the read model (`read_schema::migration_sql`): word-prefix search (FTS5, case and accents folded)
///   over what the tables show, kept up to date by triggers so every writer feeds it, and
///   expression indexes for the sortable columns.
/// - owners (kept like memberships), licence holders and direct reports (`read_schema`).
/// - `read_schema::prefix_migration_sql`: the search tables rebuilt with prefix indexes for 1–5 letters.
/// - `roles_migration_sql`: directory role holders (read from Graph, no delta; see `roles`).
/// - `read_schema::name_key_migration_sql`: name keys (`name_order`), the search index keyed by them.
/// - `gone_migration_sql`: the objects no longer active, indexed apart.
const BUILT_MIGRATIONS: &[fn() -> String] = &[
    crate::read_schema::migration_sql,
    owners_migration_sql,
    crate::read_schema::prefix_migration_sql,
    roles_migration_sql,
    crate::read_schema::name_key_migration_sql,
    gone_migration_sql,
];

/// Migration 7: the objects no longer active (deleted, or in the recycle bin), indexed apart, so
/// that the end of every groups walk finds the memberships of deleted members from the few
/// tombstones the retention keeps instead of reading every membership and every user
/// (`Mirror::reconcile_deleted`; issue 13, P3: an idle check's cost follows the changes).
fn gone_migration_sql() -> String {
    r#"
    CREATE INDEX users_gone ON users (id) WHERE state != 'active';
    CREATE INDEX groups_gone ON groups (id) WHERE state != 'active';
    "#
    .to_owned()
}

/// Migration 3: group owners, kept exactly like memberships; licence holders and the manager index.
fn owners_migration_sql() -> String {
    r#"
    CREATE TABLE ownerships (
        group_id    TEXT NOT NULL,
        member_id   TEXT NOT NULL,
        member_type TEXT NOT NULL,
        present     INTEGER NOT NULL,
        rev         INTEGER NOT NULL,
        changed_at  INTEGER NOT NULL,
        PRIMARY KEY (group_id, member_id)
    ) WITHOUT ROWID;
    CREATE INDEX ownerships_member ON ownerships (member_id);
    CREATE TABLE resync_owners (
        group_id  TEXT NOT NULL,
        member_id TEXT NOT NULL,
        PRIMARY KEY (group_id, member_id)
    ) WITHOUT ROWID;
    "#
    .to_owned()
        + &crate::read_schema::licences_migration_sql()
}

/// Migration 5: role holders and when they were last read from Graph (kept by `roles`).
fn roles_migration_sql() -> String {
    r#"
    CREATE TABLE role_holders (
        role_id     TEXT NOT NULL,
        member_id   TEXT NOT NULL,
        member_type TEXT NOT NULL,
        PRIMARY KEY (role_id, member_id)
    ) WITHOUT ROWID;
    CREATE TABLE role_holders_read (
        role_id TEXT PRIMARY KEY NOT NULL,
        read_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#
    .to_owned()
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = (MIGRATIONS.len() + BUILT_MIGRATIONS.len()) as i64;

/// A stored delta cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCursor {
    pub link: DeltaCursor,
    /// False when the cursor was made with another `$select` than today's: resync needed.
    pub current_query: bool,
    pub synced_at: OffsetDateTime,
}

/// How many objects the mirror holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MirrorCounts {
    pub users: u64,
    pub groups: u64,
    pub memberships: u64,
    pub events: u64,
}

/// What to read from the event history (newest first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    /// Only events older than this sequence number (for paging back).
    pub before_seq: Option<i64>,
    /// Only events newer than this sequence number (for catching up).
    pub after_seq: Option<i64>,
    /// Only these kinds (empty = all).
    pub kinds: Vec<EventKind>,
    /// Only events about this user or group (for member events: the group or the member).
    pub object_id: Option<String>,
    /// Only events whose summary, names or ids contain this text (case-insensitive).
    pub text: Option<String>,
    /// At most this many (0 = 500).
    pub limit: usize,
}

/// The mirror database. One writer (the engine); readers may open their own `Mirror` on the same
/// file (WAL mode allows reading while the engine writes).
pub struct Mirror {
    pub(crate) conn: Connection,
}

impl std::fmt::Debug for Mirror {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mirror").field("path", &self.conn.path()).finish()
    }
}

pub(crate) fn unix(t: OffsetDateTime) -> i64 {
    t.unix_timestamp()
}

pub(crate) fn from_unix(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

impl Mirror {
    /// Opens (creating if needed) the mirror at `path` and brings its schema up to date. The folder
    /// and the file are private to the user (SQLite gives its -wal and -shm files the same mode).
    pub fn open(path: &Path) -> Result<Mirror, WatchError> {
        let io = |p: &Path, e: std::io::Error| WatchError::Io {
            path: p.display().to_string(),
            message: e.to_string(),
        };
        if let Some(dir) = path.parent() {
            localfiles::create_private_dir(dir).map_err(|e| io(dir, e))?;
        }
        let conn = Connection::open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| io(path, e))?;
        }
        Mirror::init(conn)
    }

    /// Opens the mirror at `path`; a file that cannot be used — damaged, not a database, or written by a
    /// newer Entra Desk — is set aside (`localfiles::set_aside`, with its -wal and -shm) and a new copy is
    /// started: it is a cache, read again from Microsoft Graph. The second value tells the person what
    /// happened (None when nothing was set aside).
    pub fn open_or_set_aside(path: &Path) -> Result<(Mirror, Option<String>), WatchError> {
        let why = match Mirror::open(path) {
            Ok(mirror) => return Ok((mirror, None)),
            Err(e) if e.is_unusable_copy() && path.exists() => e,
            Err(e) => return Err(e),
        };
        let aside = localfiles::set_aside(path, &["-wal", "-shm"]).map_err(|e| WatchError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        tracing::warn!(error = %why, aside = %aside.display(), "local copy set aside");
        let notice = format!(
            "Entra Desk's local copy of your directory could not be used ({why}), so it was set aside as {} and is being read again from Microsoft Graph. Activity recorded before now stays in the set-aside file.",
            aside.display()
        );
        Ok((Mirror::open(path)?, Some(notice)))
    }

    /// Opens an existing mirror for reading only (the Activity view, Users/Groups tables).
    pub fn open_read_only(path: &Path) -> Result<Mirror, WatchError> {
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            return Err(WatchError::SchemaMismatch {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        Ok(Mirror { conn })
    }

    /// An in-memory mirror (tests, benchmarks).
    pub fn open_in_memory() -> Result<Mirror, WatchError> {
        Mirror::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Mirror, WatchError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // WAL: readers never block the engine. synchronous=NORMAL: after a power cut the last
        // commit may be lost, but the mirror, its cursor and its events always stay together, so
        // the next walk simply replays from the older cursor.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(WatchError::SchemaMismatch {
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        let all = MIGRATIONS
            .iter()
            .map(|sql| std::borrow::Cow::Borrowed(*sql))
            .chain(BUILT_MIGRATIONS.iter().map(|make| std::borrow::Cow::Owned(make())));
        for (i, sql) in all.enumerate().skip(version.max(0) as usize) {
            let tx = conn.transaction()?;
            tx.execute_batch(&sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        // Per-walk scratch (this connection only): the memberships the walk being applied lists
        // as present. Emptied by `begin_walk`.
        for relation in Relation::ALL {
            conn.execute_batch(&format!(
                "CREATE TEMP TABLE IF NOT EXISTS {} (
                    group_id  TEXT NOT NULL,
                    member_id TEXT NOT NULL,
                    PRIMARY KEY (group_id, member_id)
                ) WITHOUT ROWID;",
                relation.walk_table().trim_start_matches("temp.")
            ))?;
        }
        Ok(Mirror { conn })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64, WatchError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    // ----- cursors -----------------------------------------------------------------------

    pub fn cursor(&self, resource: Resource) -> Result<Option<StoredCursor>, WatchError> {
        let row: Option<(String, String, i64)> = self
            .conn
            .query_row(
                "SELECT delta_link, query, synced_at FROM cursors WHERE resource = ?1",
                [resource.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        Ok(row.map(|(link, query, synced_at)| StoredCursor {
            link: DeltaCursor(link),
            current_query: query == query_fingerprint(resource),
            synced_at: from_unix(synced_at),
        }))
    }

    // ----- reading -----------------------------------------------------------------------

    pub fn counts(&self) -> Result<MirrorCounts, WatchError> {
        let count = |sql: &str| -> Result<u64, WatchError> {
            let n: i64 = self.conn.query_row(sql, [], |r| r.get(0))?;
            Ok(n.max(0) as u64)
        };
        Ok(MirrorCounts {
            users: count("SELECT count(*) FROM users WHERE state = 'active'")?,
            groups: count("SELECT count(*) FROM groups WHERE state = 'active'")?,
            memberships: count("SELECT count(*) FROM memberships WHERE present = 1")?,
            events: count("SELECT count(*) FROM events")?,
        })
    }

    /// Event history, newest first.
    pub fn events(&self, query: &EventQuery) -> Result<Vec<Event>, WatchError> {
        let mut sql = String::from("SELECT seq, data FROM events WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(before) = query.before_seq {
            sql.push_str(" AND seq < ?");
            args.push(before.into());
        }
        if let Some(after) = query.after_seq {
            sql.push_str(" AND seq > ?");
            args.push(after.into());
        }
        if !query.kinds.is_empty() {
            sql.push_str(" AND kind IN (");
            for (i, k) in query.kinds.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push('?');
                args.push(k.as_str().to_owned().into());
            }
            sql.push(')');
        }
        if let Some(id) = &query.object_id {
            sql.push_str(" AND (object_id = ? OR member_id = ?)");
            args.push(id.clone().into());
            args.push(id.clone().into());
        }
        if let Some(text) = query.text.as_deref().filter(|t| !t.is_empty()) {
            sql.push_str(" AND instr(lower(data), lower(?)) > 0");
            args.push(text.to_owned().into());
        }
        let limit = if query.limit == 0 { 500 } else { query.limit };
        sql.push_str(&format!(" ORDER BY seq DESC LIMIT {limit}"));
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, data) = row?;
            let mut event: Event = serde_json::from_str(&data)
                .map_err(|e| WatchError::Corrupt(format!("event {seq} in the history: {e}")))?;
            event.seq = seq;
            out.push(event);
        }
        Ok(out)
    }

    /// Active groups whose name contains `text` (case-insensitive), for the watch-list picker.
    pub fn search_groups(&self, text: &str, limit: usize) -> Result<Vec<ObjectRef>, WatchError> {
        let pattern = format!(
            "%{}%",
            text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
        );
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, display_name, detail FROM groups
             WHERE state = 'active' AND display_name LIKE ?1 ESCAPE '\\'
             ORDER BY display_name COLLATE NOCASE LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![pattern, limit as i64], |r| {
            Ok(ObjectRef {
                id: r.get(0)?,
                object_type: ObjectType::Group,
                name: r.get(1)?,
                detail: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The current members of a group, with names from the mirror.
    pub fn members(&self, group_id: &str) -> Result<Vec<ObjectRef>, WatchError> {
        self.related(group_id, Relation::Member)
    }

    /// The current owners of a group, with names from the mirror.
    pub fn owners(&self, group_id: &str) -> Result<Vec<ObjectRef>, WatchError> {
        self.related(group_id, Relation::Owner)
    }

    fn related(&self, group_id: &str, relation: Relation) -> Result<Vec<ObjectRef>, WatchError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT member_id, member_type FROM {} WHERE group_id = ?1 AND present = 1
             ORDER BY member_id",
            relation.table()
        ))?;
        let rows = stmt
            .query_map([group_id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(id, t)| self.resolve(&id, ObjectType::from_stored(&t)))
            .collect()
    }

    /// Names an object from the mirror (users and groups; other types stay unnamed).
    pub fn resolve(&self, id: &str, object_type: ObjectType) -> Result<ObjectRef, WatchError> {
        let table = match object_type {
            ObjectType::User => Some("users"),
            ObjectType::Group => Some("groups"),
            _ => None,
        };
        let mut found = None;
        if let Some(table) = table {
            found = self
                .conn
                .prepare_cached(&format!("SELECT display_name, detail FROM {table} WHERE id = ?1"))?
                .query_row([id], |r| {
                    Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?))
                })
                .optional()?;
        }
        let (name, detail) = found.unwrap_or((None, None));
        Ok(ObjectRef {
            id: id.to_owned(),
            object_type,
            name,
            detail,
        })
    }

    // ----- retention ---------------------------------------------------------------------

    /// Deletes history older than `retention_days` before `now`: events, tombstones of deleted
    /// objects (soft-deleted ones too: Entra's recycle bin keeps them 30 days) and memberships
    /// that ended. Returns how many events were removed.
    pub fn prune(&mut self, now: OffsetDateTime, retention_days: u32) -> Result<usize, WatchError> {
        let cutoff = unix(now) - i64::from(retention_days.max(1)) * 86_400;
        let tx = self.conn.transaction()?;
        let events = tx.execute("DELETE FROM events WHERE detected_at < ?1", [cutoff])?;
        tx.execute(
            "DELETE FROM users WHERE state != 'active' AND changed_at < ?1",
            [cutoff],
        )?;
        tx.execute(
            "DELETE FROM groups WHERE state != 'active' AND changed_at < ?1",
            [cutoff],
        )?;
        for relation in Relation::ALL {
            let t = relation.table();
            tx.execute(
                &format!("DELETE FROM {t} WHERE present = 0 AND changed_at < ?1"),
                [cutoff],
            )?;
            tx.execute(
                &format!("DELETE FROM {t} WHERE group_id NOT IN (SELECT id FROM groups)"),
                [],
            )?;
        }
        tx.commit()?;
        Ok(events)
    }
}

//! The journal file: one SQLite database per account in its data folder, private to the user
//! (0600 in a 0700 folder, as `localfiles` makes the app's files). A file that cannot be used is set
//! aside (`localfiles::set_aside`) and a new journal started, so start-up is never blocked.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::model::{Account, Change, Draft, Entry, Filter, Outcome};
use crate::Error;

const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS entries (
    id           INTEGER PRIMARY KEY,
    at           INTEGER NOT NULL,
    account_id   TEXT NOT NULL,
    account_name TEXT NOT NULL,
    kind         TEXT NOT NULL,
    action       TEXT NOT NULL,
    target_kind  TEXT NOT NULL,
    target_id    TEXT NOT NULL,
    target_name  TEXT NOT NULL,
    changes      TEXT NOT NULL,
    request_id   TEXT,
    failed       TEXT,
    job_id       TEXT,
    job_row      INTEGER,
    undoes       INTEGER,
    undone_by    INTEGER
);
CREATE INDEX IF NOT EXISTS entries_at ON entries (at DESC, id DESC);
";

/// What a password looks like in the journal.
pub const MASKED: &str = "••••••••";

/// The journal of one account.
pub struct Journal {
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").finish_non_exhaustive()
    }
}

impl Journal {
    /// Opens (creating if needed) the journal at `path`, private to the user.
    pub fn open(path: &Path) -> Result<Journal, Error> {
        if let Some(dir) = path.parent() {
            localfiles::create_private_dir(dir).map_err(|e| Error::io(dir, e))?;
        }
        let conn = Connection::open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| Error::io(path, e))?;
        }
        Journal::init(conn)
    }

    /// Opens the journal at `path`; one that cannot be used (damaged, not a database, or written
    /// by a newer Entra Desk) is set aside and a new one started. The second value tells the
    /// person what happened.
    pub fn open_or_set_aside(path: &Path) -> Result<(Journal, Option<String>), Error> {
        let why = match Journal::open(path) {
            Ok(j) => return Ok((j, None)),
            Err(e @ (Error::Sqlite(_) | Error::Newer { .. })) if path.exists() => e,
            Err(e) => return Err(e),
        };
        let aside = localfiles::set_aside(path, &["-wal", "-shm"]).map_err(|e| Error::io(path, e))?;
        tracing::warn!(error = %why, aside = %aside.display(), "journal set aside");
        let notice = format!(
            "The list of changes made here could not be read ({why}), so it was set aside as {} and a new one started.",
            aside.display()
        );
        Ok((Journal::open(path)?, Some(notice)))
    }

    /// A journal in memory (tests).
    pub fn open_in_memory() -> Result<Journal, Error> {
        Journal::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<Journal, Error> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(Error::Newer { found: version });
        }
        conn.execute_batch("PRAGMA journal_mode = WAL;")?;
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        Ok(Journal { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records one change made by `account` at `at`; returns its entry id.
    pub fn record(&self, account: &Account, at: OffsetDateTime, draft: &Draft) -> Result<i64, Error> {
        Ok(self.record_many(account, at, std::slice::from_ref(draft))?.remove(0))
    }

    /// Records several changes in one transaction (a bulk job's rows); returns their ids in order.
    /// An entry that undoes another marks that one undone.
    pub fn record_many(&self, account: &Account, at: OffsetDateTime, drafts: &[Draft]) -> Result<Vec<i64>, Error> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let mut ids = Vec::with_capacity(drafts.len());
        for d in drafts {
            let changes: Vec<Change> = d.changes.iter().map(masked).collect();
            tx.execute(
                "INSERT INTO entries (at, account_id, account_name, kind, action, target_kind, target_id,
                     target_name, changes, request_id, failed, job_id, job_row, undoes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                params![
                    at.unix_timestamp(),
                    account.id,
                    account.name,
                    d.action.name(),
                    serde_json::to_string(&d.action)?,
                    serde_json::to_string(&d.target.kind)?,
                    d.target.id,
                    d.target.name,
                    serde_json::to_string(&changes)?,
                    d.request_id,
                    match &d.outcome {
                        Outcome::Done => None,
                        Outcome::Failed { reason } => Some(reason.as_str()),
                    },
                    d.job.as_ref().map(|j| j.job_id.as_str()),
                    d.job.as_ref().map(|j| j.row),
                    d.undoes,
                ],
            )?;
            let id = tx.last_insert_rowid();
            if let (Some(undone), Outcome::Done) = (d.undoes, &d.outcome) {
                tx.execute("UPDATE entries SET undone_by = ?1 WHERE id = ?2", params![id, undone])?;
            }
            ids.push(id);
        }
        tx.commit()?;
        Ok(ids)
    }

    /// One entry.
    pub fn get(&self, id: i64) -> Result<Option<Entry>, Error> {
        let conn = self.conn();
        let sql = format!("SELECT {COLUMNS} FROM entries WHERE id = ?1");
        Ok(conn.query_row(&sql, [id], entry).optional()?)
    }

    /// The entries recorded for a bulk job's rows, in row order.
    pub fn of_job(&self, job_id: &str) -> Result<Vec<Entry>, Error> {
        let conn = self.conn();
        let sql = format!("SELECT {COLUMNS} FROM entries WHERE job_id = ?1 ORDER BY job_row, id");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([job_id], entry)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The entries `filter` selects, newest first.
    pub fn list(&self, filter: &Filter) -> Result<Vec<Entry>, Error> {
        let mut sql = format!("SELECT {COLUMNS} FROM entries WHERE 1 = 1");
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if !filter.actions.is_empty() {
            let list = filter.actions.iter().map(|a| quote(a)).collect::<Vec<_>>().join(", ");
            sql.push_str(&format!(" AND kind IN ({list})"));
        }
        if let Some(t) = filter.target.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let like = format!("%{}%", t.to_lowercase().replace(['%', '_'], ""));
            // Both placeholders become the same numbered one.
            arg(
                &mut sql,
                " AND (lower(target_name) LIKE ? OR lower(target_id) LIKE ?)",
                like.into(),
            );
        }
        match filter.failed {
            Some(true) => sql.push_str(" AND failed IS NOT NULL"),
            Some(false) => sql.push_str(" AND failed IS NULL"),
            None => {}
        }
        if let Some(a) = &filter.account_id {
            arg(&mut sql, " AND account_id = ?", a.clone().into());
        }
        if let Some(from) = filter.from.as_deref().filter(|s| !s.trim().is_empty()) {
            arg(&mut sql, " AND at >= ?", bound(from, false)?.into());
        }
        if let Some(to) = filter.to.as_deref().filter(|s| !s.trim().is_empty()) {
            arg(&mut sql, " AND at <= ?", bound(to, true)?.into());
        }
        sql.push_str(&format!(
            " ORDER BY at DESC, id DESC LIMIT {}",
            filter.limit.unwrap_or(1000).clamp(1, 100_000)
        ));
        let conn = self.conn();
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), entry)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

const COLUMNS: &str = "id, at, account_id, account_name, action, target_kind, target_id, target_name, changes,
    request_id, failed, job_id, job_row, undoes, undone_by";

fn entry(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let at: i64 = r.get(1)?;
    let job_id: Option<String> = r.get(11)?;
    let job_row: Option<u32> = r.get(12)?;
    let failed: Option<String> = r.get(10)?;
    Ok(Entry {
        id: r.get(0)?,
        at: OffsetDateTime::from_unix_timestamp(at)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            .format(&Rfc3339)
            .unwrap_or_default(),
        account: Account {
            id: r.get(2)?,
            name: r.get(3)?,
        },
        action: json(4, r.get(4)?)?,
        target: crate::model::Target {
            kind: json(5, r.get(5)?)?,
            id: r.get(6)?,
            name: r.get(7)?,
        },
        changes: json(8, r.get(8)?)?,
        request_id: r.get(9)?,
        outcome: match failed {
            None => Outcome::Done,
            Some(reason) => Outcome::Failed { reason },
        },
        job: job_id.map(|job_id| crate::model::JobRow {
            job_id,
            row: job_row.unwrap_or(0),
        }),
        undoes: r.get(13)?,
        undone_by: r.get(14)?,
    })
}

fn json<T: serde::de::DeserializeOwned>(i: usize, text: String) -> rusqlite::Result<T> {
    serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

/// A value SQLite can take as a literal (the action names are ours, but never trusted).
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A date filter's bound in unix seconds: RFC 3339, or a day (its start, or its end with `end`).
fn bound(text: &str, end: bool) -> Result<i64, Error> {
    let text = text.trim();
    if let Ok(t) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(t.unix_timestamp());
    }
    let day = time::Date::parse(text, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|_| Error::Invalid(format!("“{text}” is not a date (write it as 2026-12-31).")))?;
    let start = day.midnight().assume_utc().unix_timestamp();
    Ok(if end { start + 86_399 } else { start })
}

/// A password never reaches the journal: a property that holds one is kept as masked.
fn masked(c: &Change) -> Change {
    let secret = c.property.to_lowercase().contains("password") && c.property != "passwordPolicies";
    if !secret {
        return c.clone();
    }
    let mask = |v: &Value| {
        if v.is_null() {
            Value::Null
        } else {
            Value::String(MASKED.into())
        }
    };
    Change {
        property: c.property.clone(),
        before: mask(&c.before),
        after: mask(&c.after),
    }
}

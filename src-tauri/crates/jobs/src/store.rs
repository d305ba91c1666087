//! Jobs and their rows in SQLite, one file per account (`jobs.sqlite` in its data folder),
//! private to the user (folder 0700, file 0600, the `localfiles` way). A file that cannot be used
//! is set aside (`localfiles::set_aside`) and a new one started: the app never fails to start
//! because of it. Every change of a row's status is committed before the next request is sent
//! (`synchronous=FULL`), so after a crash a row is either known to be sent (`Sending`) or not.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};

use crate::create::Passwords;
use crate::model::{AppliedChange, Job, JobCounts, JobKind, JobRow, JobState, RowCheck, RowStatus};
use crate::plan::Planned;

/// The jobs file's schema version (`PRAGMA user_version`).
const SCHEMA_VERSION: i64 = 1;

/// The file's name in the account's data folder.
pub const FILE_NAME: &str = "jobs.sqlite";

/// A store failure (the file, SQLite, a row that does not decode).
#[derive(Debug, thiserror::Error)]
#[error("Entra Desk's list of bulk jobs could not be used: {0}")]
pub struct StoreError(pub String);

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> StoreError {
        StoreError(e.to_string())
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError(e.to_string())
    }
}

/// The jobs of one account.
pub struct JobStore {
    conn: Mutex<Connection>,
    /// Create-user rows' temporary passwords: in memory only, for this run of the app.
    passwords: Passwords,
}

impl std::fmt::Debug for JobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JobStore")
    }
}

/// One row's result, as stored after its request was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowUpdate {
    pub index: u32,
    pub status: RowStatus,
    pub reason: Option<String>,
    pub request_id: Option<String>,
}

impl JobStore {
    /// Opens (creating if needed) the store at `path`; a file that cannot be used is set aside and
    /// a new one started — the second value then says so in plain words.
    pub fn open_or_set_aside(path: &Path) -> Result<(JobStore, Option<String>), StoreError> {
        let why = match JobStore::open(path) {
            Ok(s) => return Ok((s, None)),
            Err(e) if path.exists() => e,
            Err(e) => return Err(e),
        };
        let aside: PathBuf = localfiles::set_aside(path, &["-wal", "-shm"]).map_err(|e| StoreError(e.to_string()))?;
        tracing::warn!(error = %why, aside = %aside.display(), "jobs file set aside");
        let notice = format!(
            "Entra Desk's list of bulk jobs could not be read ({}), so it was set aside as {} and a new one started.",
            why.0,
            aside.display()
        );
        Ok((JobStore::open(path)?, Some(notice)))
    }

    /// Opens (creating if needed) the store at `path`, private to this user.
    pub fn open(path: &Path) -> Result<JobStore, StoreError> {
        if let Some(dir) = path.parent() {
            localfiles::create_private_dir(dir).map_err(|e| StoreError(e.to_string()))?;
        }
        let conn = Connection::open(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| StoreError(e.to_string()))?;
        }
        JobStore::init(conn)
    }

    /// A store in memory (tests).
    pub fn open_in_memory() -> Result<JobStore, StoreError> {
        JobStore::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> Result<JobStore, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError(format!(
                "it was written by a newer Entra Desk (version {version})"
            )));
        }
        conn.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS jobs(
                 id INTEGER PRIMARY KEY,
                 kind TEXT NOT NULL,
                 title TEXT NOT NULL,
                 state TEXT NOT NULL,
                 created INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS rows(
                 job INTEGER NOT NULL REFERENCES jobs(id),
                 idx INTEGER NOT NULL,
                 object_id TEXT NOT NULL,
                 name TEXT NOT NULL,
                 checked TEXT NOT NULL,
                 status TEXT NOT NULL,
                 reason TEXT,
                 request_id TEXT,
                 change TEXT,
                 PRIMARY KEY(job, idx));
             CREATE TABLE IF NOT EXISTS undos(
                 job INTEGER PRIMARY KEY REFERENCES jobs(id),
                 undoes INTEGER NOT NULL REFERENCES jobs(id));
             PRAGMA user_version=1;",
        )?;
        // Integrity: a damaged file fails here rather than half-way through a job.
        let ok: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if ok != "ok" {
            return Err(StoreError(ok));
        }
        Ok(JobStore {
            conn: Mutex::new(conn),
            passwords: Passwords::default(),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn
            .lock()
            .map_err(|_| StoreError("the jobs file was left mid-change by a failed task".into()))
    }

    /// Keeps a previewed job (state `Planned`) and returns it with its id.
    pub fn create(&self, planned: &Planned, now_secs: u32) -> Result<Job, StoreError> {
        let id = {
            let mut conn = self.conn()?;
            let tx = conn.transaction()?;
            tx.execute(
                "INSERT INTO jobs(kind, title, state, created) VALUES (?1, ?2, ?3, ?4)",
                params![
                    serde_json::to_string(&planned.kind)?,
                    planned.title,
                    JobState::Planned.as_str(),
                    now_secs
                ],
            )?;
            let id = tx.last_insert_rowid();
            {
                let mut insert = tx.prepare(
                    "INSERT INTO rows(job, idx, object_id, name, checked, status, reason, request_id, change)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?;
                for r in &planned.rows {
                    insert.execute(params![
                        id,
                        r.index,
                        r.object_id,
                        r.name,
                        serde_json::to_string(&r.check)?,
                        r.status.as_str(),
                        r.reason,
                        r.request_id,
                        r.change.as_ref().map(serde_json::to_string).transpose()?,
                    ])?;
                }
            }
            tx.commit()?;
            id
        };
        self.job(id as u32)?
            .ok_or_else(|| StoreError("the job just kept could not be read back".into()))
    }

    /// Marks `job` as the undo of `undoes`.
    pub fn set_undoes(&self, job: u32, undoes: u32) -> Result<(), StoreError> {
        self.conn()?.execute(
            "INSERT OR REPLACE INTO undos(job, undoes) VALUES (?1, ?2)",
            params![job, undoes],
        )?;
        Ok(())
    }

    /// One job, with its counts.
    pub fn job(&self, id: u32) -> Result<Option<Job>, StoreError> {
        let head = self
            .conn()?
            .query_row(
                "SELECT kind, title, state, created FROM jobs WHERE id = ?1",
                params![id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, u32>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((kind, title, state, created)) = head else {
            return Ok(None);
        };
        let rows = self.rows(id)?;
        let (undoes, undone_by) = {
            let conn = self.conn()?;
            let undoes = conn
                .query_row("SELECT undoes FROM undos WHERE job = ?1", params![id], |r| r.get(0))
                .optional()?;
            let undone_by = conn
                .query_row(
                    "SELECT u.job FROM undos u JOIN jobs j ON j.id = u.job
                     WHERE u.undoes = ?1 AND j.state != 'discarded' ORDER BY u.job DESC LIMIT 1",
                    params![id],
                    |r| r.get(0),
                )
                .optional()?;
            (undoes, undone_by)
        };
        Ok(Some(Job {
            undoes,
            undone_by,
            id,
            kind: serde_json::from_str::<JobKind>(&kind)?,
            title,
            state: JobState::parse(&state).ok_or_else(|| StoreError(format!("unknown job state {state}")))?,
            created_secs: created,
            counts: JobCounts::of(&rows),
        }))
    }

    /// Every job not discarded, newest first.
    pub fn jobs(&self) -> Result<Vec<Job>, StoreError> {
        let ids: Vec<u32> = {
            let conn = self.conn()?;
            let mut q = conn.prepare("SELECT id FROM jobs WHERE state != 'discarded' ORDER BY id DESC")?;
            let ids = q.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
            ids
        };
        ids.into_iter().filter_map(|id| self.job(id).transpose()).collect()
    }

    /// Jobs left `Running` — stopped mid-way by a crash or a closed app when no task runs them.
    pub fn unfinished(&self) -> Result<Vec<Job>, StoreError> {
        Ok(self
            .jobs()?
            .into_iter()
            .filter(|j| j.state == JobState::Running)
            .collect())
    }

    /// A job's rows, in order.
    pub fn rows(&self, id: u32) -> Result<Vec<JobRow>, StoreError> {
        let conn = self.conn()?;
        let mut q = conn.prepare(
            "SELECT idx, object_id, name, checked, status, reason, request_id, change
             FROM rows WHERE job = ?1 ORDER BY idx",
        )?;
        let raw = q
            .query_map(params![id], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raw.into_iter()
            .map(
                |(index, object_id, name, checked, status, reason, request_id, change)| {
                    Ok(JobRow {
                        index,
                        object_id,
                        name,
                        check: serde_json::from_str::<RowCheck>(&checked)?,
                        status: RowStatus::parse(&status)
                            .ok_or_else(|| StoreError(format!("unknown row status {status}")))?,
                        reason,
                        request_id,
                        change: change.map(|c| serde_json::from_str(&c)).transpose()?,
                    })
                },
            )
            .collect()
    }

    /// Sets the job's state.
    pub fn set_state(&self, id: u32, state: JobState) -> Result<(), StoreError> {
        self.conn()?
            .execute("UPDATE jobs SET state = ?2 WHERE id = ?1", params![id, state.as_str()])?;
        Ok(())
    }

    /// Stores rows' statuses and results in one transaction.
    pub fn update_rows(&self, id: u32, updates: &[RowUpdate]) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        {
            let mut q =
                tx.prepare("UPDATE rows SET status = ?3, reason = ?4, request_id = ?5 WHERE job = ?1 AND idx = ?2")?;
            for u in updates {
                q.execute(params![id, u.index, u.status.as_str(), u.reason, u.request_id])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The temporary passwords of this store's create-user rows (never written to the file).
    pub fn passwords(&self) -> &Passwords {
        &self.passwords
    }

    /// Replaces rows' changes (a created object's id, once Graph has it).
    pub fn set_changes(&self, id: u32, changes: &[(u32, AppliedChange)]) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        {
            let mut q = tx.prepare("UPDATE rows SET change = ?3 WHERE job = ?1 AND idx = ?2")?;
            for (index, change) in changes {
                q.execute(params![id, index, serde_json::to_string(change)?])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Replaces rows' pre-flight answers (a resumed job's fresh check).
    pub fn update_checks(&self, id: u32, rows: &[JobRow]) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        {
            let mut q = tx.prepare("UPDATE rows SET checked = ?3 WHERE job = ?1 AND idx = ?2")?;
            for r in rows {
                q.execute(params![id, r.index, serde_json::to_string(&r.check)?])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}

/// The store's path in an account's data folder.
pub fn path_in(folder: &Path) -> PathBuf {
    folder.join(FILE_NAME)
}

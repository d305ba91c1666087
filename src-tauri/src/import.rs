//! CSV import in the shell, Tauri-free: a file read by Rust (the window never hands over a path)
//! is checked row by row (`directory::import`) and kept here, in memory, as an import session of
//! the account that read it; a bad row's cells can be fixed and checked again, or the row skipped;
//! then the good rows become a bulk job (`jobs`), previewed, run and resumed as every bulk job is.
//! A create-users file's temporary passwords stay in this process: never in an IPC result (the
//! UI sees the cell as "kept"), never in the jobs file or the journal.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use directory::import::{self, Entry, ImportKind, ImportRow};
use jobs::{JobKind, NewRow};
use serde::Serialize;
use specta::Type;

use crate::bulk::BulkPlan;
use crate::error::IpcError;
use crate::state::AppState;

/// The biggest file read (a CSV of about 50,000 people).
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// One line of the file as the window shows it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportLine {
    pub line: u32,
    /// The cells in the template's column order; a secret cell (the temporary password) is `null`.
    pub cells: Vec<Option<String>>,
    /// `None`: the row is good. Else the column at fault (when one is) and the reason.
    pub problem: Option<ImportProblem>,
}

#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblem {
    pub column: Option<String>,
    pub reason: String,
}

/// A file read and checked: every line, good or bad.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ImportCheck {
    pub import_id: u32,
    pub kind: ImportKind,
    pub file_name: String,
    pub columns: Vec<String>,
    /// Which column holds a secret (never shown back), if any.
    pub secret_column: Option<u32>,
    pub lines: Vec<ImportLine>,
}

/// A file read, with its rows as checked, for the account whose jobs file is `path`.
struct Session {
    path: PathBuf,
    kind: ImportKind,
    file_name: String,
    licences: Vec<directory::licenses::License>,
    entries: Vec<Entry>,
}

/// The import sessions of this process.
#[derive(Default)]
pub struct Imports {
    sessions: Mutex<HashMap<u32, Session>>,
    next: Mutex<u32>,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn no_session() -> IpcError {
    IpcError::Validation {
        message: "This import is no longer open: choose the file again.".into(),
        field: Some("file".into()),
    }
}

impl Session {
    fn view(&self, import_id: u32) -> ImportCheck {
        let secret = self.kind.secret_column();
        ImportCheck {
            import_id,
            kind: self.kind,
            file_name: self.file_name.clone(),
            columns: self.kind.columns().iter().map(|c| c.to_string()).collect(),
            secret_column: secret.map(|s| s as u32),
            lines: self
                .entries
                .iter()
                .map(|e| ImportLine {
                    line: e.line as u32,
                    cells: e
                        .cells
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (Some(i) != secret).then(|| c.clone()))
                        .collect(),
                    problem: e.outcome.as_ref().err().map(|f| ImportProblem {
                        column: f.column.clone(),
                        reason: f.reason.clone(),
                    }),
                })
                .collect(),
        }
    }
}

/// Checks the text of a file the person chose as `kind` and keeps it as an import session of the
/// active account. Assign licences reads the organisation's subscriptions first (a read).
pub async fn open(state: &AppState, kind: ImportKind, file_name: String, text: &str) -> Result<ImportCheck, IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    let licences = match kind {
        ImportKind::AssignLicences => directory::licenses::list(&state.graph().await?).await?,
        _ => Vec::new(),
    };
    let entries = import::check_file(kind, text, &licences)?;
    if entries.is_empty() {
        return Err(IpcError::Validation {
            message: "The file has its header but no rows: add one person per line under it.".into(),
            field: Some("file".into()),
        });
    }
    let session = Session {
        path,
        kind,
        file_name,
        licences,
        entries,
    };
    let imports = &bulk.imports;
    let id = {
        let mut next = locked(&imports.next);
        *next += 1;
        *next
    };
    let view = session.view(id);
    locked(&imports.sessions).insert(id, session);
    Ok(view)
}

/// Replaces a line's cells with what the person typed (`None`: keep the cell as it was — the
/// secret one, which the window never had) and checks every row again.
pub fn fix(state: &AppState, import_id: u32, line: u32, cells: Vec<Option<String>>) -> Result<ImportCheck, IpcError> {
    let imports = &state.bulk().imports;
    let mut sessions = locked(&imports.sessions);
    let session = sessions.get_mut(&import_id).ok_or_else(no_session)?;
    let rows: Vec<(u64, Vec<String>)> = session
        .entries
        .iter()
        .map(|e| {
            let mut row = e.cells.clone();
            if e.line == u64::from(line) {
                for (cell, typed) in row.iter_mut().zip(&cells) {
                    if let Some(t) = typed {
                        *cell = t.trim().to_string();
                    }
                }
            }
            (e.line, row)
        })
        .collect();
    session.entries = import::check_all(session.kind, rows, &session.licences);
    Ok(session.view(import_id))
}

/// Forgets an import (the dialog closed without running it).
pub fn close(state: &AppState, import_id: u32) {
    locked(&state.bulk().imports.sessions).remove(&import_id);
}

/// The job of an import's good rows (`skipped`: the lines left out), previewed and kept, as
/// `bulk::plan` keeps a job. Refused while a bad line is neither fixed nor skipped; add members
/// needs the group. The session ends here: the passwords move to the jobs file's memory.
pub async fn plan(
    state: &AppState,
    import_id: u32,
    skipped: Vec<u32>,
    group_id: Option<String>,
) -> Result<BulkPlan, IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    let (kind, rows) = {
        let sessions = locked(&bulk.imports.sessions);
        let session = sessions.get(&import_id).ok_or_else(no_session)?;
        if session.path != path {
            return Err(IpcError::Validation {
                message: "This file was read for another account: choose it again.".into(),
                field: Some("file".into()),
            });
        }
        let kept: Vec<&Entry> = session
            .entries
            .iter()
            .filter(|e| !skipped.contains(&(e.line as u32)))
            .collect();
        if let Some(bad) = kept.iter().find(|e| e.outcome.is_err()) {
            return Err(IpcError::Validation {
                message: format!(
                    "Line {} still has a problem: fix it or skip it. Nothing has been sent.",
                    bad.line
                ),
                field: Some("rows".into()),
            });
        }
        let rows: Vec<ImportRow> = kept.into_iter().filter_map(|e| e.outcome.clone().ok()).collect();
        (session.kind, rows)
    };
    if rows.is_empty() {
        return Err(IpcError::Validation {
            message: "Every line is skipped: there is nothing to import.".into(),
            field: Some("rows".into()),
        });
    }
    let client = state.graph().await?;
    let store = bulk.store(&path)?;
    let job = match kind {
        ImportKind::CreateUsers | ImportKind::InviteGuests => {
            let planned = jobs::plan_create(&client, new_rows(rows)).await?;
            let job = store
                .create(&planned.planned, crate::bulk::now_secs())
                .map_err(store_error)?;
            store.passwords().keep(job.id, planned.passwords);
            job
        }
        ImportKind::AddMembers | ImportKind::AssignLicences => {
            let (job_kind, names) = by_name(kind, rows, group_id)?;
            let planned = jobs::plan_by_names(&client, &job_kind, &names).await?;
            store.create(&planned, crate::bulk::now_secs()).map_err(store_error)?
        }
    };
    locked(&bulk.imports.sessions).remove(&import_id);
    let rows = store.rows(job.id).map_err(store_error)?;
    Ok(BulkPlan {
        job,
        rows,
        left_out: Vec::new(),
    })
}

fn store_error(e: jobs::StoreError) -> IpcError {
    IpcError::internal(e.to_string())
}

fn new_rows(rows: Vec<ImportRow>) -> Vec<NewRow> {
    rows.into_iter()
        .filter_map(|r| match r {
            ImportRow::NewUser(u) => Some(NewRow::User(u)),
            ImportRow::Guest(g) => Some(NewRow::Guest(g)),
            _ => None,
        })
        .collect()
}

/// The job of a file of people named by sign-in name: add to `group_id`, or assign the file's
/// licence (one per file, checked with the rows).
fn by_name(
    kind: ImportKind,
    rows: Vec<ImportRow>,
    group_id: Option<String>,
) -> Result<(JobKind, Vec<String>), IpcError> {
    let mut names = Vec::with_capacity(rows.len());
    let mut licence = None;
    for r in rows {
        match r {
            ImportRow::Member(m) => names.push(m),
            ImportRow::Licence(l) => {
                names.push(l.user.clone());
                licence.get_or_insert(l);
            }
            _ => {}
        }
    }
    let job = match (kind, licence) {
        (ImportKind::AssignLicences, Some(l)) => JobKind::AssignLicence {
            sku_id: l.sku_id,
            disabled_plans: l.disabled_plans,
            usage_location: None,
        },
        _ => JobKind::AddToGroup {
            group_id: group_id
                .filter(|g| !g.trim().is_empty())
                .ok_or_else(|| IpcError::Validation {
                    message: "Choose the group to add these people to.".into(),
                    field: Some("group".into()),
                })?,
        },
    };
    Ok((job, names))
}

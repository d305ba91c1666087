//! Bulk jobs in the shell, Tauri-free: each account's jobs file opened once, the jobs running in
//! this process (so one is never run twice at once, and a job left `Running` by another run of
//! the app is told apart as unfinished), a run driven to its end with its results written through
//! to the local copy. The `jobs` crate does the work; the commands (`commands/bulk.rs`) adapt.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use jobs::{AppliedChange, CancelToken, ChangeKind, Job, JobProgress, JobRow, JobState, JobStore, RowStatus};
use serde::Serialize;
use specta::Type;
use watch::own;

use crate::error::IpcError;
use crate::state::AppState;

/// A previewed job: the job and its rows.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BulkPlan {
    pub job: Job,
    pub rows: Vec<JobRow>,
}

/// The jobs files and the jobs running in this process.
#[derive(Default)]
pub struct Bulk {
    stores: Mutex<HashMap<PathBuf, Arc<JobStore>>>,
    running: Mutex<HashMap<(PathBuf, u32), CancelToken>>,
    /// CSV files read and checked, not yet made into a job.
    pub imports: crate::import::Imports,
}

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn store_error(e: jobs::StoreError) -> IpcError {
    IpcError::internal(e.to_string())
}

/// A job's errors as the UI reads them.
pub fn job_error(e: jobs::JobError) -> IpcError {
    match e {
        jobs::JobError::Directory(d) => d.into(),
        jobs::JobError::Store(s) => store_error(s),
        other => IpcError::internal(other.to_string()),
    }
}

impl Bulk {
    /// The jobs file at `path`, opened once (a damaged one is set aside, and that is logged).
    pub fn store(&self, path: &Path) -> Result<Arc<JobStore>, IpcError> {
        let mut stores = locked(&self.stores);
        if let Some(s) = stores.get(path) {
            return Ok(s.clone());
        }
        let (store, notice) = JobStore::open_or_set_aside(path).map_err(store_error)?;
        if let Some(n) = notice {
            tracing::warn!(notice = %n, "bulk jobs file set aside");
        }
        let store = Arc::new(store);
        stores.insert(path.to_path_buf(), store.clone());
        Ok(store)
    }

    pub fn is_running(&self, path: &Path, id: u32) -> bool {
        locked(&self.running).contains_key(&(path.to_path_buf(), id))
    }

    /// Marks the job running here; refused when it already is.
    fn begin(&self, path: &Path, id: u32) -> Result<CancelToken, IpcError> {
        let mut running = locked(&self.running);
        let key = (path.to_path_buf(), id);
        if running.contains_key(&key) {
            return Err(IpcError::internal("This job is already running."));
        }
        let token = CancelToken::default();
        running.insert(key, token.clone());
        Ok(token)
    }

    fn end(&self, path: &Path, id: u32) {
        locked(&self.running).remove(&(path.to_path_buf(), id));
    }

    /// Asks a running job to stop after the batch in flight; `false` when it is not running here.
    pub fn cancel(&self, path: &Path, id: u32) -> bool {
        match locked(&self.running).get(&(path.to_path_buf(), id)) {
            Some(t) => {
                t.cancel();
                true
            }
            None => false,
        }
    }

    /// Jobs left running by an earlier run of the app (closed or killed mid-job).
    pub fn unfinished(&self, path: &Path) -> Result<Vec<Job>, IpcError> {
        let store = self.store(path)?;
        Ok(store
            .unfinished()
            .map_err(store_error)?
            .into_iter()
            .filter(|j| !self.is_running(path, j.id))
            .collect())
    }
}

/// Previews a job on the active account and keeps it (state `Planned`).
pub async fn plan(state: &AppState, kind: jobs::JobKind, object_ids: Vec<String>) -> Result<BulkPlan, IpcError> {
    let client = state.graph().await?;
    let (path, bulk) = state.bulk_jobs().await?;
    let planned = jobs::plan(&client, &kind, &object_ids).await?;
    let store = bulk.store(&path)?;
    let job = store.create(&planned, now_secs()).map_err(store_error)?;
    let rows = store.rows(job.id).map_err(store_error)?;
    Ok(BulkPlan { job, rows })
}

/// A job about to run: the account's client (the job stays with the account that started it), its
/// file and its cancel token.
pub struct Started {
    client: msgraph::Client,
    check: watch::CheckAfter,
    path: PathBuf,
    job_id: u32,
    resume: bool,
    token: CancelToken,
}

/// Confirms the chosen rows (1-based indexes) and marks the job running here; `drive` runs it.
/// A read-only sign-in is refused before anything is stored.
pub async fn start(state: &AppState, job_id: u32, chosen: &[u32]) -> Result<Started, IpcError> {
    begin(state, job_id, Some(chosen)).await
}

/// Marks an unfinished job running here again; `drive` checks its open rows in Graph, then runs it.
pub async fn resume(state: &AppState, job_id: u32) -> Result<Started, IpcError> {
    begin(state, job_id, None).await
}

/// `chosen`: a new job's confirmed rows; `None`: an unfinished job resumed.
async fn begin(state: &AppState, job_id: u32, chosen: Option<&[u32]>) -> Result<Started, IpcError> {
    let (client, check) = client_for_change(state).await?;
    let (path, bulk) = state.bulk_jobs().await?;
    if let Some(chosen) = chosen {
        jobs::confirm(&*bulk.store(&path)?, job_id, chosen).map_err(job_error)?;
    }
    let token = bulk.begin(&path, job_id)?;
    Ok(Started {
        client,
        check,
        path,
        job_id,
        resume: chosen.is_none(),
        token,
    })
}

/// The active account's client for changes; a read-only sign-in is refused before anything is stored.
async fn client_for_change(state: &AppState) -> Result<(msgraph::Client, watch::CheckAfter), IpcError> {
    let (client, check) = state.graph_for_change().await?;
    if client.is_read_only() {
        return Err(IpcError::read_only());
    }
    Ok((client, check))
}

/// Runs (or resumes) a started job to its end, telling `tell` after each batch; then records the
/// changes Graph accepted in the local copy (when the same account is still active). An error
/// that stops the job as a whole is told with the job's last state and the reason.
pub async fn drive(state: &AppState, started: Started, tell: &(dyn Fn(&JobProgress, Option<String>) + Send + Sync)) {
    let bulk = state.bulk();
    let outcome = run_once(state, bulk, &started, tell).await;
    let Started {
        path, job_id, check, ..
    } = started;
    bulk.end(&path, job_id);
    // The next check reconciles the local copy with what the job changed.
    drop(check);
    if let Err(e) = outcome {
        let store = bulk.store(&path).ok();
        let rows = store.and_then(|s| s.rows(job_id).ok()).unwrap_or_default();
        // Still `Running` in its file: it is offered for resuming.
        tell(&JobProgress::of(job_id, JobState::Running, &rows), Some(e.to_string()));
    }
}

async fn run_once(
    state: &AppState,
    bulk: &Bulk,
    started: &Started,
    tell: &(dyn Fn(&JobProgress, Option<String>) + Send + Sync),
) -> Result<(), IpcError> {
    let Started {
        client,
        path,
        job_id,
        resume,
        token,
        ..
    } = started;
    let (path, job_id) = (path.as_path(), *job_id);
    let store = bulk.store(path)?;
    let progress = |p: &JobProgress| tell(p, None);
    if *resume {
        jobs::resume(client, &store, job_id, token, &progress).await
    } else {
        jobs::run(client, &store, job_id, token, &progress).await
    }
    .map_err(job_error)?;
    let same_account = state.bulk_jobs().await.is_ok_and(|(p, _)| p == path);
    if same_account {
        let rows = store.rows(job_id).map_err(store_error)?;
        state
            .record_own(
                rows.iter()
                    .filter(|r| r.status == RowStatus::Done)
                    .filter_map(|r| r.change.as_ref())
                    .map(own_change),
            )
            .await;
        // Once, when the job has run to its end (a job stopped mid-way is journaled when resumed).
        journal_rows(state, job_id, &rows).await;
    }
    Ok(())
}

/// Journals what a finished job did: each row sent, done or failed, as an entry of its own (with the
/// job and row), so "Changes made here" lists it and can undo it as it undoes a single change.
async fn journal_rows(state: &AppState, job_id: u32, rows: &[JobRow]) {
    let Ok((Some(journal), account)) = state.journal().await else {
        return;
    };
    let drafts: Vec<journal::Draft> = rows.iter().filter_map(|r| journal_draft(job_id, r)).collect();
    if drafts.is_empty() {
        return;
    }
    let written =
        tokio::task::spawn_blocking(move || journal.record_many(&account, time::OffsetDateTime::now_utc(), &drafts))
            .await;
    if !matches!(written, Ok(Ok(_))) {
        tracing::warn!(job_id, "a bulk job's changes could not be journaled");
    }
}

/// A row that was sent, as a journal entry (rows skipped, left out or never sent are not changes).
fn journal_draft(job_id: u32, row: &JobRow) -> Option<journal::Draft> {
    use journal::{Action, Named, Outcome, Target, TargetKind};
    let outcome = match row.status {
        RowStatus::Done => Outcome::Done,
        RowStatus::Failed => Outcome::Failed {
            reason: row.reason.clone().unwrap_or_default(),
        },
        _ => return None,
    };
    let c = row.change.as_ref()?;
    let group = || Named {
        id: c.group_id.clone().unwrap_or_default(),
        name: c.group_name.clone().unwrap_or_default(),
    };
    let (sku_id, licence) = (
        c.sku_id.clone().unwrap_or_default(),
        c.licence_name.clone().unwrap_or_default(),
    );
    let action = match c.change {
        ChangeKind::AddedToGroup => Action::AddMember { group: group() },
        ChangeKind::RemovedFromGroup => Action::RemoveMember { group: group() },
        ChangeKind::LicenceAssigned => Action::AssignLicence {
            sku_id,
            licence,
            disabled_plans: c.disabled_plans.clone(),
        },
        ChangeKind::LicenceRemoved => Action::RemoveLicence {
            sku_id,
            licence,
            disabled_plans: c.disabled_plans.clone(),
        },
        ChangeKind::SignInBlocked => Action::Block,
        ChangeKind::SignInUnblocked => Action::Unblock,
        ChangeKind::SessionsRevoked => Action::RevokeSessions,
        ChangeKind::UserDeleted => Action::DeleteUser,
        ChangeKind::Restored => Action::Restore,
        ChangeKind::UserCreated => Action::CreateUser,
        ChangeKind::GuestInvited => Action::InviteGuest,
    };
    let kind = match c.change {
        ChangeKind::Restored if c.is_group => TargetKind::Group,
        _ => TargetKind::User,
    };
    Some(journal::Draft {
        request_id: row.request_id.clone(),
        outcome,
        job: Some(journal::JobRow {
            job_id: job_id.to_string(),
            row: row.index,
        }),
        ..journal::Draft::done(
            action,
            Target {
                kind,
                id: c.object_id.clone(),
                name: c.object_name.clone(),
            },
        )
    })
}

/// What a done row changed, for the local copy (licences and restores come with the next check,
/// which the change handle asks for).
fn own_change(c: &AppliedChange) -> Option<watch::OwnChange> {
    let user = watch::Resource::Users;
    match c.change {
        ChangeKind::AddedToGroup | ChangeKind::RemovedFromGroup => Some(own::membership(
            c.group_id.as_deref()?,
            &c.object_id,
            watch::ObjectType::User,
            c.change == ChangeKind::AddedToGroup,
        )),
        ChangeKind::SignInBlocked => Some(own::property(user, &c.object_id, "accountEnabled", false.into())),
        ChangeKind::SignInUnblocked => Some(own::property(user, &c.object_id, "accountEnabled", true.into())),
        ChangeKind::UserDeleted => Some(own::deleted(user, &c.object_id, true)),
        ChangeKind::LicenceAssigned
        | ChangeKind::LicenceRemoved
        | ChangeKind::SessionsRevoked
        | ChangeKind::Restored
        | ChangeKind::UserCreated
        | ChangeKind::GuestInvited => None,
    }
}

pub(crate) fn now_secs() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
        .unwrap_or(0)
}

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
    /// For the undo of a job: its done rows that the undo leaves out, each with the reason.
    pub left_out: Vec<String>,
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
    Ok(BulkPlan {
        job,
        rows,
        left_out: Vec::new(),
    })
}

/// Previews the undo of a whole job: the job of the opposite kind over the objects its done rows
/// changed, each checked in Graph again (a row changed since is said and skipped), kept as a job
/// that undoes it. Refused with the reason when the job cannot be undone, or already was.
pub async fn plan_undo(state: &AppState, job_id: u32) -> Result<BulkPlan, IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    let store = bulk.store(&path)?;
    let job = store
        .job(job_id)
        .map_err(store_error)?
        .ok_or_else(|| IpcError::internal(format!("There is no bulk job {job_id}.")))?;
    let refuse = |message: String| IpcError::Validation { message, field: None };
    if let Some(by) = job.undone_by {
        return Err(refuse(format!("This job was already undone (job {by}).")));
    }
    if bulk.is_running(&path, job_id) || matches!(job.state, JobState::Running | JobState::Planned) {
        return Err(refuse("This job has not ended yet: undo it once it has.".into()));
    }
    let rows = store.rows(job_id).map_err(store_error)?;
    let undo = jobs::undo_of(&job, &rows).map_err(refuse)?;
    let mut plan = plan(state, undo.kind, undo.object_ids).await?;
    store.set_undoes(plan.job.id, job_id).map_err(store_error)?;
    plan.job.undoes = Some(job_id);
    plan.left_out = undo.left_out;
    Ok(plan)
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
                    .flat_map(own_changes)
                    .map(Some),
            )
            .await;
        // Once, when the job has run to its end (a job stopped mid-way is journaled when resumed).
        let undoes = store.job(job_id).ok().flatten().and_then(|j| j.undoes);
        journal_rows(state, job_id, undoes, &rows).await;
    }
    Ok(())
}

/// Journals what a finished job did: each row sent, done or failed, as an entry of its own (with the
/// job and row), so "Changes made here" lists it and can undo it as it undoes a single change.
async fn journal_rows(state: &AppState, job_id: u32, undoes: Option<u32>, rows: &[JobRow]) {
    let Ok((Some(journal), account)) = state.journal().await else {
        return;
    };
    let mut drafts: Vec<journal::Draft> = rows.iter().flat_map(|r| journal_drafts(job_id, r)).collect();
    if let Some(undone) = undoes {
        link_undone(&journal, undone, &mut drafts);
    }
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

/// The undo of a job: each row's entry undoes the entry of the undone job's row for the same object
/// (its change, not the usage location set before it), which the journal then marks undone.
fn link_undone(journal: &journal::Journal, undone: u32, drafts: &mut [journal::Draft]) {
    let Ok(before) = journal.of_job(&undone.to_string()) else {
        tracing::warn!(undone, "the undone job's journal entries could not be read");
        return;
    };
    for d in drafts.iter_mut().filter(|d| d.action != journal::Action::UpdateUser) {
        d.undoes = before
            .iter()
            .filter(|e| e.action != journal::Action::UpdateUser && e.undone_by.is_none())
            .find(|e| matches!(e.outcome, journal::Outcome::Done) && e.target.id.eq_ignore_ascii_case(&d.target.id))
            .map(|e| e.id);
    }
}

/// A row that was sent, as journal entries: the usage location it set first (an attribute edit of its
/// own, undone on its own), then its change. Rows skipped, left out or never sent are not changes.
fn journal_drafts(job_id: u32, row: &JobRow) -> Vec<journal::Draft> {
    let Some(main) = journal_draft(job_id, row) else {
        return Vec::new();
    };
    let location = row.change.as_ref().and_then(|c| c.usage_location_set.clone());
    let mut drafts = Vec::with_capacity(2);
    if let (Some(location), RowStatus::Done) = (location, row.status) {
        drafts.push(journal::Draft {
            changes: vec![journal::Change {
                property: "usageLocation".into(),
                before: serde_json::Value::Null,
                after: location.into(),
            }],
            ..journal::Draft {
                action: journal::Action::UpdateUser,
                ..main.clone()
            }
        });
    }
    drafts.push(main);
    drafts
}

/// A row's own change as a journal entry.
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
        ChangeKind::GroupDeleted => Action::DeleteGroup {
            restorable: c.restorable,
        },
        ChangeKind::Restored => Action::Restore,
        ChangeKind::UserCreated => Action::CreateUser,
        ChangeKind::GuestInvited => Action::InviteGuest,
    };
    let kind = match c.change {
        _ if c.is_group => TargetKind::Group,
        _ if c.is_device => TargetKind::Other,
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

/// What a done row changed, for the local copy: the usage location it set, and its change.
fn own_changes(c: &AppliedChange) -> Vec<watch::OwnChange> {
    let location = c
        .usage_location_set
        .as_ref()
        .map(|l| own::property(watch::Resource::Users, &c.object_id, "usageLocation", l.as_str().into()));
    location.into_iter().chain(own_change(c)).collect()
}

/// What a done row's change is for the local copy (licences and restores come with the next check,
/// which the change handle asks for).
fn own_change(c: &AppliedChange) -> Option<watch::OwnChange> {
    let user = watch::Resource::Users;
    match c.change {
        ChangeKind::AddedToGroup | ChangeKind::RemovedFromGroup => Some(own::membership(
            c.group_id.as_deref()?,
            &c.object_id,
            if c.is_group {
                watch::ObjectType::Group
            } else if c.is_device {
                watch::ObjectType::Device
            } else {
                watch::ObjectType::User
            },
            c.change == ChangeKind::AddedToGroup,
        )),
        ChangeKind::SignInBlocked => Some(own::property(user, &c.object_id, "accountEnabled", false.into())),
        ChangeKind::SignInUnblocked => Some(own::property(user, &c.object_id, "accountEnabled", true.into())),
        ChangeKind::UserDeleted => Some(own::deleted(user, &c.object_id, true)),
        ChangeKind::GroupDeleted => Some(own::deleted(watch::Resource::Groups, &c.object_id, c.restorable)),
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

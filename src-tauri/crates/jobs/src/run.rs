//! Running a confirmed job: its rows sent in batches (`members@odata.bind`, 20 per PATCH, for
//! Add to group; `$batch`, 20 per request, for the rest), each batch's rows marked `Sending` in the
//! store before the request and given their results after it, cancellable between batches,
//! throttling honoured (msgraph waits out `Retry-After`; rows still throttled are sent again
//! after Graph's wait), progress told after each batch. A job stopped mid-way is resumed by
//! checking each unconfirmed row in Graph first, so nothing is applied twice.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use directory::explain::{explain, Action};
use directory::{deleted, licenses};
use msgraph::{BatchRequest, Client, DirectoryObjectId, ErrorKind, GroupId, HttpMethod, Receipts, MAX_BATCH, MAX_BIND};
use serde_json::json;

use crate::model::{JobKind, JobProgress, JobRow, JobState, RowCheck, RowStatus};
use crate::store::{JobStore, RowUpdate, StoreError};
use crate::{create, plan};

/// How many times rows that Graph still throttles after msgraph's own retries are sent again.
const THROTTLED_ROUNDS: u32 = 6;
/// The longest single wait for Graph between those rounds.
const MAX_WAIT: Duration = Duration::from_secs(120);

/// Stops a running job between two batches.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What can stop a job as a whole.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("{0}")]
    Directory(#[from] directory::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("There is no bulk job {0}.")]
    NoSuchJob(u32),
    #[error("This job has already run.")]
    AlreadyRun,
}

/// Told after each batch.
pub type ProgressFn<'a> = &'a (dyn Fn(&JobProgress) + Send + Sync);

/// Confirms the rows the person chose (their 1-based indexes; rows that will not change are never
/// sent): chosen rows that will change become `Pending`, the others `NotSent`; rows answered
/// "already", "needs input" or "refused" become `Skipped` with that reason. The job is then `Running`.
pub fn confirm(store: &JobStore, job_id: u32, chosen: &[u32]) -> Result<(), JobError> {
    let job = store.job(job_id)?.ok_or(JobError::NoSuchJob(job_id))?;
    if job.state != JobState::Planned {
        return Err(JobError::AlreadyRun);
    }
    let updates: Vec<RowUpdate> = store
        .rows(job_id)?
        .iter()
        .map(|r| {
            let (status, reason) = match &r.check {
                RowCheck::WillChange { .. } if chosen.contains(&r.index) => (RowStatus::Pending, None),
                RowCheck::WillChange { .. } => (RowStatus::NotSent, Some("Left out at the preview.".to_string())),
                other => (RowStatus::Skipped, other.reason().map(str::to_string)),
            };
            RowUpdate {
                index: r.index,
                status,
                reason,
                request_id: None,
            }
        })
        .collect();
    store.update_rows(job_id, &updates)?;
    store.set_state(job_id, JobState::Running)?;
    Ok(())
}

/// Sends the job's `Pending` rows, batch by batch, until none is left or `cancel` is set; returns
/// the last progress. A batch whose request fails as a whole fails its rows (with Graph's reason
/// and request id) and the job goes on.
pub async fn run(
    client: &Client,
    store: &JobStore,
    job_id: u32,
    cancel: &CancelToken,
    progress: ProgressFn<'_>,
) -> Result<JobProgress, JobError> {
    let job = store.job(job_id)?.ok_or(JobError::NoSuchJob(job_id))?;
    if create::is_create(&job.kind) {
        return create::run(client, store, &job, cancel, progress).await;
    }
    let rows = store.rows(job_id)?;
    let pending: Vec<JobRow> = rows.into_iter().filter(|r| r.status == RowStatus::Pending).collect();
    let size = if matches!(job.kind, JobKind::AddToGroup { .. }) {
        MAX_BIND
    } else {
        MAX_BATCH
    };
    let tell = |state: JobState, waiting: Option<u32>| -> Result<JobProgress, JobError> {
        let mut p = JobProgress::of(job_id, state, &store.rows(job_id)?);
        p.waiting_secs = waiting;
        progress(&p);
        Ok(p)
    };
    tell(JobState::Running, None)?;
    for chunk in pending.chunks(size) {
        if cancel.is_cancelled() {
            cancel_pending(store, job_id)?;
            return tell(JobState::Cancelled, None);
        }
        let sending: Vec<RowUpdate> = chunk
            .iter()
            .map(|r| update(r, RowStatus::Sending, None, None))
            .collect();
        store.update_rows(job_id, &sending)?;
        let results = send_with_waits(client, &job.kind, chunk, &|secs| {
            let _ = tell(JobState::Running, Some(secs));
        })
        .await;
        store.update_rows(job_id, &results)?;
        tell(JobState::Running, None)?;
    }
    store.set_state(job_id, JobState::Finished)?;
    tell(JobState::Finished, None)
}

/// Resumes a job stopped mid-way: every row not yet answered (`Pending`, or `Sending` — sent, its
/// answer lost) is checked in Graph again. A `Sending` row whose change is already there counts as
/// done and is not sent again; a `Pending` one is skipped ("already"); a row now refused is skipped
/// with the reason. Rows whose change cannot be seen in Graph (sign out everywhere) are sent again:
/// signing someone out twice changes nothing more. Then the job runs on.
pub async fn resume(
    client: &Client,
    store: &JobStore,
    job_id: u32,
    cancel: &CancelToken,
    progress: ProgressFn<'_>,
) -> Result<JobProgress, JobError> {
    let job = store.job(job_id)?.ok_or(JobError::NoSuchJob(job_id))?;
    if create::is_create(&job.kind) {
        return create::resume(client, store, &job, cancel, progress).await;
    }
    let open: Vec<JobRow> = store
        .rows(job_id)?
        .into_iter()
        .filter(|r| matches!(r.status, RowStatus::Pending | RowStatus::Sending))
        .collect();
    let ids: Vec<String> = open.iter().map(|r| r.object_id.clone()).collect();
    let fresh = if ids.is_empty() {
        Vec::new()
    } else {
        plan::recheck(client, &job.kind, &ids).await?
    };
    let mut updates = Vec::new();
    for (r, now) in open.iter().zip(&fresh) {
        let u = match (&now.check, r.status) {
            (RowCheck::Already { .. }, RowStatus::Sending) => update(
                r,
                RowStatus::Done,
                Some("Done before the job stopped (checked when it resumed).".into()),
                None,
            ),
            (RowCheck::Already { reason }, _) => update(r, RowStatus::Skipped, Some(reason.clone()), None),
            (RowCheck::WillChange { .. }, _) => update(r, RowStatus::Pending, None, None),
            (other, _) => update(r, RowStatus::Skipped, other.reason().map(str::to_string), None),
        };
        updates.push(u);
    }
    store.update_rows(job_id, &updates)?;
    store.set_state(job_id, JobState::Running)?;
    run(client, store, job_id, cancel, progress).await
}

/// Gives up an unfinished job: rows not answered become `NotSent` (a `Sending` row's request may
/// have reached Graph: it says so) and the job is `Discarded`.
pub fn discard(store: &JobStore, job_id: u32) -> Result<(), JobError> {
    store.job(job_id)?.ok_or(JobError::NoSuchJob(job_id))?;
    let updates: Vec<RowUpdate> = store
        .rows(job_id)?
        .iter()
        .filter_map(|r| match r.status {
            RowStatus::Pending => Some(update(r, RowStatus::NotSent, Some("Not sent: the job was discarded.".into()), None)),
            RowStatus::Sending => Some(update(
                r,
                RowStatus::NotSent,
                Some("The job stopped while this change was being sent: it may or may not have been made. Check it before doing it again.".into()),
                None,
            )),
            _ => None,
        })
        .collect();
    store.update_rows(job_id, &updates)?;
    store.set_state(job_id, JobState::Discarded)?;
    Ok(())
}

/// A cancelled job: every row not sent yet says so, and the job is marked cancelled.
pub(crate) fn cancel_pending(store: &JobStore, job_id: u32) -> Result<(), JobError> {
    let left: Vec<RowUpdate> = store
        .rows(job_id)?
        .iter()
        .filter(|r| r.status == RowStatus::Pending)
        .map(|r| {
            update(
                r,
                RowStatus::NotSent,
                Some("Not sent: the job was cancelled.".into()),
                None,
            )
        })
        .collect();
    store.update_rows(job_id, &left)?;
    store.set_state(job_id, JobState::Cancelled)?;
    Ok(())
}

pub(crate) fn update(r: &JobRow, status: RowStatus, reason: Option<String>, request_id: Option<String>) -> RowUpdate {
    RowUpdate {
        index: r.index,
        status,
        reason,
        request_id,
    }
}

/// One row's outcome before it is stored; `Throttled` rows are sent again after `wait`.
enum Outcome {
    Result(RowUpdate),
    Throttled { wait: Duration, last: RowUpdate },
}

/// Sends one batch of rows, sending throttled rows again after Graph's wait (told to `waiting`),
/// at most [`THROTTLED_ROUNDS`] times.
async fn send_with_waits(
    client: &Client,
    kind: &JobKind,
    rows: &[JobRow],
    waiting: &(dyn Fn(u32) + Send + Sync),
) -> Vec<RowUpdate> {
    let mut results: HashMap<u32, RowUpdate> = HashMap::new();
    let mut todo: Vec<JobRow> = rows.to_vec();
    for round in 0..=THROTTLED_ROUNDS {
        let outcomes = send(client, kind, &todo).await;
        let mut again = Vec::new();
        let mut wait = Duration::ZERO;
        for (r, o) in todo.iter().zip(outcomes) {
            match o {
                Outcome::Result(u) => {
                    results.insert(u.index, u);
                }
                Outcome::Throttled { wait: w, last } => {
                    wait = wait.max(w);
                    results.insert(last.index, last);
                    again.push(r.clone());
                }
            }
        }
        if again.is_empty() || round == THROTTLED_ROUNDS {
            break;
        }
        let wait = wait.clamp(Duration::from_secs(1), MAX_WAIT);
        waiting(wait.as_secs() as u32);
        tracing::warn!(
            rows = again.len(),
            wait_s = wait.as_secs(),
            "bulk job throttled; waiting"
        );
        tokio::time::sleep(wait).await;
        todo = again;
    }
    rows.iter().filter_map(|r| results.remove(&r.index)).collect()
}

/// One send of `rows`: one outcome per row, in order. A done row names Graph's request id of the
/// request that carried it (the `$batch` or the PATCH), so support can find every change.
async fn send(client: &Client, kind: &JobKind, rows: &[JobRow]) -> Vec<Outcome> {
    let (client, receipts) = client.receipted();
    match kind {
        JobKind::AddToGroup { group_id } => add_members(&client, &receipts, kind, &GroupId::new(group_id), rows).await,
        _ => send_batch(&client, &receipts, kind, rows).await,
    }
}

/// A done row, with the request id of the last change Graph accepted through `receipts`.
fn done(r: &JobRow, receipts: &Receipts) -> Outcome {
    Outcome::Result(update(r, RowStatus::Done, None, receipts.request_ids().pop()))
}

/// Add to group: one `members@odata.bind` PATCH for the rows (a single row: `POST members/$ref`).
/// The PATCH is all or nothing: if someone became a member since the preview, Graph refuses it
/// all, and the rows are added one by one, "already a member" being skipped.
async fn add_members(
    client: &Client,
    receipts: &Receipts,
    kind: &JobKind,
    group: &GroupId,
    rows: &[JobRow],
) -> Vec<Outcome> {
    let ids: Vec<DirectoryObjectId> = rows.iter().map(|r| DirectoryObjectId::new(&r.object_id)).collect();
    let sent = if ids.len() == 1 {
        client.groups().add_member(group, &ids[0]).await
    } else {
        client.groups().add_members(group, &ids).await
    };
    match sent {
        Ok(()) => rows.iter().map(|r| done(r, receipts)).collect(),
        Err(e) if e.kind() == ErrorKind::Conflict && rows.len() > 1 => {
            let mut out = Vec::with_capacity(rows.len());
            for (r, id) in rows.iter().zip(&ids) {
                out.push(match client.groups().add_member(group, id).await {
                    Ok(()) => done(r, receipts),
                    Err(e) => failed(kind, r, e),
                });
            }
            out
        }
        Err(e) => failed_all(kind, rows, e),
    }
}

/// Every other kind: one `$batch` of the rows' requests. A licence row that sets the person's usage
/// location first sends that PATCH in the same batch, the assignment depending on it.
async fn send_batch(client: &Client, receipts: &Receipts, kind: &JobKind, rows: &[JobRow]) -> Vec<Outcome> {
    let mut requests: Vec<BatchRequest> = Vec::with_capacity(rows.len());
    for r in rows {
        let mut main = request(client, kind, r);
        if let Some(first) = usage_location_first(r) {
            main = main.depends_on(&first.id);
            requests.push(first);
        }
        requests.push(main);
    }
    let answers = match client.batch(&requests).await {
        Ok(answers) => answers,
        Err(e) => return failed_all(kind, rows, e),
    };
    let mut by_id: HashMap<String, msgraph::BatchResponse> = answers.into_iter().map(|a| (a.id.clone(), a)).collect();
    rows.iter()
        .map(|r| {
            let first = by_id.remove(&location_id(r)).and_then(|a| a.error());
            let main = by_id.remove(&r.index.to_string()).and_then(|a| a.error());
            match (first, main) {
                (Some(e), _) => failed_location(r, e),
                (None, Some(e)) => failed(kind, r, e),
                (None, None) => done(r, receipts),
            }
        })
        .collect()
}

fn location_id(r: &JobRow) -> String {
    format!("{}-location", r.index)
}

/// The PATCH that gives the person the usage location the row sets before its licence, if any.
fn usage_location_first(r: &JobRow) -> Option<BatchRequest> {
    let location = r.change.as_ref()?.usage_location_set.as_ref()?;
    Some(
        BatchRequest::new(location_id(r), HttpMethod::Patch, format!("/users/{}", r.object_id))
            .json(json!({ "usageLocation": location })),
    )
}

/// The usage location could not be set: the row fails with that reason (the licence was not sent).
fn failed_location(r: &JobRow, e: msgraph::Error) -> Outcome {
    let throttled = e.kind() == ErrorKind::Throttled;
    let wait = e.retry_after().unwrap_or(Duration::from_secs(5));
    let request_id = e.request_id().map(str::to_string);
    let reason = format!(
        "The usage location could not be set, so the licence was not given: {}",
        plain(&explain(Action::ManageUsers, e))
    );
    let last = update(r, RowStatus::Failed, Some(reason), request_id);
    if throttled {
        Outcome::Throttled { wait, last }
    } else {
        Outcome::Result(last)
    }
}

/// The row's request inside a `$batch` (ids were checked to be GUIDs at the preview).
fn request(client: &Client, kind: &JobKind, r: &JobRow) -> BatchRequest {
    let id = &r.object_id;
    let n = r.index.to_string();
    match kind {
        JobKind::AddToGroup { group_id } => BatchRequest::new(n, HttpMethod::Post, format!("/groups/{group_id}/members/$ref"))
            .json(json!({ "@odata.id": format!("{}/directoryObjects/{id}", client.base_url().as_str().trim_end_matches('/')) })),
        JobKind::RemoveFromGroup { group_id } => {
            BatchRequest::new(n, HttpMethod::Delete, format!("/groups/{group_id}/members/{id}/$ref"))
        }
        JobKind::AssignLicence { .. } => {
            let c = r.change.as_ref();
            let sku = c.and_then(|c| c.sku_id.clone()).unwrap_or_default();
            let plans = c.map(|c| c.disabled_plans.clone()).unwrap_or_default();
            BatchRequest::new(n, HttpMethod::Post, format!("/users/{id}/assignLicense")).json(json!({
                "addLicenses": [{ "skuId": sku, "disabledPlans": plans }],
                "removeLicenses": []
            }))
        }
        JobKind::RemoveLicence { sku_id } => {
            let sku = r.change.as_ref().and_then(|c| c.sku_id.clone()).unwrap_or_else(|| sku_id.clone());
            BatchRequest::new(n, HttpMethod::Post, format!("/users/{id}/assignLicense"))
                .json(json!({ "addLicenses": [], "removeLicenses": [sku] }))
        }
        JobKind::Block | JobKind::Unblock => BatchRequest::new(n, HttpMethod::Patch, format!("/users/{id}"))
            .json(json!({ "accountEnabled": matches!(kind, JobKind::Unblock) })),
        JobKind::RevokeSessions => BatchRequest::new(n, HttpMethod::Post, format!("/users/{id}/revokeSignInSessions")),
        JobKind::DeleteUsers => BatchRequest::new(n, HttpMethod::Delete, format!("/users/{id}")),
        JobKind::Restore => BatchRequest::new(n, HttpMethod::Post, format!("/directory/deletedItems/{id}/restore")),
        JobKind::DeleteGroups => BatchRequest::new(n, HttpMethod::Delete, format!("/groups/{id}")),
        JobKind::CreateUsers | JobKind::InviteGuests => create::request(kind, r, None),
    }
}

/// A row Graph refused: already so (skipped), throttled still (sent again), or failed with the
/// plain reason and Graph's request id.
fn failed(kind: &JobKind, r: &JobRow, e: msgraph::Error) -> Outcome {
    let request_id = e.request_id().map(str::to_string);
    let skipped = match (kind, e.kind()) {
        (JobKind::AddToGroup { .. }, ErrorKind::Conflict) => Some("Already a member (added since the preview)."),
        (JobKind::RemoveFromGroup { .. }, ErrorKind::NotFound) => {
            Some("Not a member any more (removed since the preview).")
        }
        (JobKind::DeleteUsers | JobKind::DeleteGroups, ErrorKind::NotFound) => Some("Already deleted."),
        _ => None,
    };
    if let Some(why) = skipped {
        return Outcome::Result(update(r, RowStatus::Skipped, Some(why.into()), request_id));
    }
    let throttled = e.kind() == ErrorKind::Throttled;
    let wait = e.retry_after().unwrap_or(Duration::from_secs(5));
    let explained = match kind {
        JobKind::AssignLicence { .. } | JobKind::RemoveLicence { .. } => {
            let licence = r
                .change
                .as_ref()
                .and_then(|c| c.licence_name.clone())
                .unwrap_or_default();
            licenses::explain_license(e, &r.name, &licence)
        }
        JobKind::Restore => deleted::explain_restore(e),
        JobKind::AddToGroup { .. } | JobKind::RemoveFromGroup { .. } => explain(Action::ManageMembership, e),
        JobKind::Block | JobKind::Unblock => explain(Action::EnableDisableUsers, e),
        JobKind::RevokeSessions => explain(Action::RevokeSessions, e),
        JobKind::DeleteUsers => explain(Action::DeleteUsers, e),
        JobKind::DeleteGroups => explain(Action::ManageGroups, e),
        JobKind::CreateUsers | JobKind::InviteGuests => create::explain_refusal(kind, r, e),
    };
    let reason = plain(&explained);
    let last = update(r, RowStatus::Failed, Some(reason), request_id);
    if throttled {
        Outcome::Throttled { wait, last }
    } else {
        Outcome::Result(last)
    }
}

/// A request that failed as a whole fails each of its rows with the same reason.
fn failed_all(kind: &JobKind, rows: &[JobRow], e: msgraph::Error) -> Vec<Outcome> {
    let Some(first) = rows.first() else {
        return Vec::new();
    };
    let one = failed(kind, first, e);
    rows.iter()
        .map(|r| match &one {
            Outcome::Result(u) => Outcome::Result(RowUpdate {
                index: r.index,
                ..u.clone()
            }),
            Outcome::Throttled { wait, last } => Outcome::Throttled {
                wait: *wait,
                last: RowUpdate {
                    index: r.index,
                    ..last.clone()
                },
            },
        })
        .collect()
}

/// The words a person reads: the explanation, else Graph's own message.
pub(crate) fn plain(e: &directory::Error) -> String {
    if let Some(h) = e.hint() {
        return h.to_string();
    }
    match e.graph() {
        Some(g) => g.message().map(str::to_string).unwrap_or_else(|| {
            format!(
                "Microsoft Graph refused the change ({}).",
                g.code().unwrap_or("no code")
            )
        }),
        None => e.to_string(),
    }
}

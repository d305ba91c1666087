//! Bulk jobs that create (CSV import's "create users" and "invite guests"): the preview checks each
//! row's sign-in name or email in Graph (20 look-ups per `$batch`), and the run sends the rows 20 per
//! `$batch` (`POST /users`, `POST /invitations`), keeping each new object's id for the journal.
//!
//! Each row carries its request's body in its change (`AppliedChange::payload`), except a new
//! user's temporary password: passwords live only in memory ([`Passwords`], held by the
//! [`JobStore`] of this run of the app), never in SQLite, the journal or an IPC result. A job
//! resumed after the app was closed or killed checks each open row in Graph first: a person who
//! now exists is not created again (done, or skipped when it was never sent), and a person not
//! created whose password is gone is not sent — the row says to import the file again.

use std::collections::HashMap;
use std::sync::Mutex;

use directory::explain::{explain, Action};
use directory::{guests, users, Error};
use msgraph::{BatchRequest, Client, Filter, HttpMethod, ListQuery, NewInvitation, NewUser, User, MAX_BATCH};
use serde::Deserialize;
use serde_json::Value;

use crate::model::{AppliedChange, ChangeKind, Job, JobKind, JobProgress, JobRow, JobState, RowCheck, RowStatus};
use crate::plan::Planned;
use crate::run::{cancel_pending, plain, update, CancelToken, JobError, ProgressFn};
use crate::store::{JobStore, RowUpdate};

/// Why a create-user row is not sent after the app restarted.
pub const PASSWORD_GONE: &str = "Not created: the app closed first, and temporary passwords are never saved. Import the file again to create this person.";

/// Create-user rows' temporary passwords, by job and row, in memory only. Never printed.
#[derive(Default)]
pub struct Passwords(Mutex<HashMap<(u32, u32), String>>);

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passwords(…)")
    }
}

impl Passwords {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<(u32, u32), String>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    /// Keeps `passwords` (row index, password) for the job's run.
    pub fn keep(&self, job_id: u32, passwords: Vec<(u32, String)>) {
        let mut map = self.map();
        for (index, password) in passwords {
            map.insert((job_id, index), password);
        }
    }
    /// Whether the row's password is still here.
    pub fn has(&self, job_id: u32, index: u32) -> bool {
        self.map().contains_key(&(job_id, index))
    }
    fn get(&self, job_id: u32, index: u32) -> Option<String> {
        self.map().get(&(job_id, index)).cloned()
    }
    fn forget(&self, job_id: u32, index: u32) {
        self.map().remove(&(job_id, index));
    }
}

/// A row to create, as CSV import checked it.
#[derive(Debug, Clone, PartialEq)]
pub enum NewRow {
    User(Box<NewUser>),
    Guest(Box<NewInvitation>),
}

/// The preview of a create job, and the passwords (row index, password) to keep in memory for it.
pub struct PlannedCreate {
    pub planned: Planned,
    pub passwords: Vec<(u32, String)>,
}

impl std::fmt::Debug for PlannedCreate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlannedCreate")
            .field("planned", &self.planned)
            .field("passwords", &self.passwords.len())
            .finish()
    }
}

/// Whether `kind` is one of this file's.
pub(crate) fn is_create(kind: &JobKind) -> bool {
    matches!(kind, JobKind::CreateUsers | JobKind::InviteGuests)
}

/// The preview of creating `rows` (all users or all guests): each row's sign-in name (and its
/// domain among the verified ones) or email looked up in Graph. Nothing is sent but reads.
pub async fn plan_create(client: &Client, rows: Vec<NewRow>) -> Result<PlannedCreate, Error> {
    let kind = match rows.first() {
        None => return Err(Error::invalid("rows", "Choose at least one row.")),
        Some(NewRow::User(_)) => JobKind::CreateUsers,
        Some(NewRow::Guest(_)) => JobKind::InviteGuests,
    };
    let keys: Vec<String> = rows.iter().map(key_of).collect();
    let found = look_up(client, &kind, &keys).await?;
    let domains = match kind {
        JobKind::CreateUsers => users::verified_domains(client).await,
        _ => None,
    };
    let mut planned = Vec::with_capacity(rows.len());
    let mut passwords = Vec::new();
    for (n, row) in rows.into_iter().enumerate() {
        let index = n as u32 + 1;
        let existing = found.get(&key_of(&row).to_lowercase()).cloned().flatten();
        let (job_row, password) = plan_row(index, row, existing.as_ref(), domains.as_deref())?;
        if let Some(p) = password {
            passwords.push((index, p));
        }
        planned.push(job_row);
    }
    Ok(PlannedCreate {
        planned: Planned {
            title: kind.label().to_string(),
            kind,
            rows: planned,
        },
        passwords,
    })
}

fn key_of(row: &NewRow) -> String {
    match row {
        NewRow::User(u) => u.user_principal_name.clone(),
        NewRow::Guest(g) => g.invited_user_email_address.clone(),
    }
}

/// One row of the preview, and its password (taken out of the body that is stored).
fn plan_row(
    index: u32,
    row: NewRow,
    existing: Option<&User>,
    domains: Option<&[String]>,
) -> Result<(JobRow, Option<String>), Error> {
    let stored = |e: serde_json::Error| Error::invalid("rows", format!("A row could not be prepared: {e}"));
    let (key, name, check, change, body, password) = match row {
        NewRow::User(u) => {
            let mut body = serde_json::to_value(&*u).map_err(stored)?;
            if let Some(p) = body.get_mut("passwordProfile").and_then(|p| p.get_mut("password")) {
                *p = Value::String(String::new());
            }
            let check = check_user(&u, existing, domains);
            let key = u.user_principal_name.clone();
            let password = u.password_profile.password.clone();
            (
                key,
                u.display_name.clone(),
                check,
                ChangeKind::UserCreated,
                body,
                Some(password),
            )
        }
        NewRow::Guest(g) => {
            let body = serde_json::to_value(&*g).map_err(stored)?;
            let key = g.invited_user_email_address.clone();
            let name = g.invited_user_display_name.clone().unwrap_or_else(|| key.clone());
            (
                key,
                name,
                check_guest(&g, existing),
                ChangeKind::GuestInvited,
                body,
                None,
            )
        }
    };
    let mut c = AppliedChange::new(change, &key, &name);
    c.payload = Some(body.to_string());
    let row = JobRow {
        index,
        object_id: key,
        name,
        check,
        status: RowStatus::Planned,
        reason: None,
        request_id: None,
        change: Some(c),
    };
    Ok((row, password))
}

/// A new user: the sign-in name's domain is verified, and no one has the sign-in name yet (the
/// same display name: already there; someone else: refused).
fn check_user(u: &NewUser, existing: Option<&User>, domains: Option<&[String]>) -> RowCheck {
    let upn = &u.user_principal_name;
    if let Some(e) = existing {
        let name = users::name_of(e);
        if name.eq_ignore_ascii_case(&u.display_name) {
            return RowCheck::Already {
                reason: format!("Already in the directory: {name} signs in as {upn}."),
            };
        }
        return RowCheck::Refused {
            reason: format!(
                "Someone in the directory already has this sign-in name ({upn}): {name}. Choose another one."
            ),
        };
    }
    let domain = upn.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if let Some(domains) = domains {
        if !domains.iter().any(|d| d.eq_ignore_ascii_case(domain)) {
            return RowCheck::Refused {
                reason: format!(
                    "{domain} is not one of your organisation's verified domains. Use one of: {}.",
                    domains.join(", ")
                ),
            };
        }
    }
    RowCheck::WillChange { note: None }
}

/// A guest: no one in the directory has the email yet (a guest: already invited; a member: refused,
/// as the Invite guest form refuses them).
fn check_guest(g: &NewInvitation, existing: Option<&User>) -> RowCheck {
    let email = &g.invited_user_email_address;
    match existing {
        Some(e) if e.user_type == Some(msgraph::UserType::Guest) => RowCheck::Already {
            reason: format!("Already invited: {} is a guest with this email.", users::name_of(e)),
        },
        Some(e) => RowCheck::Refused {
            reason: format!(
                "{email} already belongs to {} in your directory; they do not need an invitation.",
                users::name_of(e)
            ),
        },
        None => RowCheck::WillChange { note: None },
    }
}

#[derive(Deserialize)]
struct Found {
    #[serde(default)]
    value: Vec<User>,
}

/// Who has each sign-in name (users) or email (guests) now, 20 look-ups per `$batch`; keyed folded.
async fn look_up(client: &Client, kind: &JobKind, keys: &[String]) -> Result<HashMap<String, Option<User>>, Error> {
    let select = ["id", "displayName", "userPrincipalName", "mail", "userType"];
    let mut requests = Vec::with_capacity(keys.len());
    for (n, key) in keys.iter().enumerate() {
        let filter = match kind {
            JobKind::InviteGuests => Filter::eq("mail", key.as_str()).or(Filter::any_eq("otherMails", key.as_str())),
            _ => Filter::eq("userPrincipalName", key.as_str()),
        };
        let query = ListQuery::new().filter(filter).select(&select).top(1);
        requests
            .push(BatchRequest::list(n.to_string(), "/users", &query).map_err(|e| explain(Action::ReadDirectory, e))?);
    }
    let mut out = HashMap::new();
    for (chunk_keys, chunk) in keys.chunks(MAX_BATCH).zip(requests.chunks(MAX_BATCH)) {
        let answers = client
            .batch(chunk)
            .await
            .map_err(|e| explain(Action::ReadDirectory, e))?;
        for (key, a) in chunk_keys.iter().zip(answers) {
            if let Some(e) = a.error() {
                return Err(explain(Action::ReadDirectory, e));
            }
            let found: Found = a.decode().map_err(|e| explain(Action::ReadDirectory, e))?;
            out.insert(key.to_lowercase(), found.value.into_iter().next());
        }
    }
    Ok(out)
}

/// The row's request inside a `$batch`: its stored body, with the temporary password put back.
pub(crate) fn request(kind: &JobKind, r: &JobRow, password: Option<String>) -> BatchRequest {
    let mut body: Value = r
        .change
        .as_ref()
        .and_then(|c| c.payload.as_deref())
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or(Value::Null);
    if let (Some(p), Some(slot)) = (
        password,
        body.get_mut("passwordProfile").and_then(|p| p.get_mut("password")),
    ) {
        *slot = Value::String(p);
    }
    let url = match kind {
        JobKind::InviteGuests => "/invitations",
        _ => "/users",
    };
    BatchRequest::new(r.index.to_string(), HttpMethod::Post, url).json(body)
}

/// Graph's refusal of one row, in the single form's words.
pub(crate) fn explain_refusal(kind: &JobKind, r: &JobRow, e: msgraph::Error) -> Error {
    match kind {
        JobKind::InviteGuests => guests::invitation_refused(e, &r.object_id),
        _ => users::explain_user_write(e, &r.object_id),
    }
}

/// Sends the job's `Pending` rows, 20 per `$batch`, until none is left or `cancel` is set.
pub(crate) async fn run(
    client: &Client,
    store: &JobStore,
    job: &Job,
    cancel: &CancelToken,
    progress: ProgressFn<'_>,
) -> Result<JobProgress, JobError> {
    let job_id = job.id;
    let tell = |state: JobState| -> Result<JobProgress, JobError> {
        let p = JobProgress::of(job_id, state, &store.rows(job_id)?);
        progress(&p);
        Ok(p)
    };
    tell(JobState::Running)?;
    let pending: Vec<JobRow> = store
        .rows(job_id)?
        .into_iter()
        .filter(|r| r.status == RowStatus::Pending)
        .collect();
    for chunk in pending.chunks(MAX_BATCH) {
        if cancel.is_cancelled() {
            forget_all(store, job_id, &pending);
            cancel_pending(store, job_id)?;
            return tell(JobState::Cancelled);
        }
        send_chunk(client, store, job, chunk).await?;
        tell(JobState::Running)?;
    }
    store.set_state(job_id, JobState::Finished)?;
    tell(JobState::Finished)
}

fn forget_all(store: &JobStore, job_id: u32, rows: &[JobRow]) {
    for r in rows {
        store.passwords().forget(job_id, r.index);
    }
}

/// One batch: rows without their password are not sent; the others are marked `Sending`, sent,
/// and given their results (a done row's change gets the new object's id).
async fn send_chunk(client: &Client, store: &JobStore, job: &Job, chunk: &[JobRow]) -> Result<(), JobError> {
    let job_id = job.id;
    let mut results = Vec::new();
    let mut sendable = Vec::new();
    let mut requests = Vec::new();
    for r in chunk {
        let password = store.passwords().get(job_id, r.index);
        if job.kind == JobKind::CreateUsers && password.is_none() {
            results.push(update(r, RowStatus::NotSent, Some(PASSWORD_GONE.into()), None));
            continue;
        }
        requests.push(request(&job.kind, r, password));
        sendable.push(r.clone());
    }
    let sending: Vec<RowUpdate> = sendable
        .iter()
        .map(|r| update(r, RowStatus::Sending, None, None))
        .collect();
    store.update_rows(job_id, &sending)?;
    let mut changes = Vec::new();
    if !requests.is_empty() {
        // A done row names the `$batch` that created it (Graph's request id, for support).
        let (client, receipts) = client.receipted();
        match client.batch(&requests).await {
            Ok(answers) => {
                let batch_id = receipts.request_ids().pop();
                for (r, a) in sendable.iter().zip(answers) {
                    let (mut u, change) = answered(&job.kind, r, &a);
                    if u.status == RowStatus::Done {
                        u.request_id = batch_id.clone();
                    }
                    results.push(u);
                    changes.extend(change);
                }
            }
            Err(e) => {
                let request_id = e.request_id().map(str::to_string);
                let reason = plain(&explain_refusal(&job.kind, &sendable[0], e));
                for r in &sendable {
                    results.push(update(r, RowStatus::Failed, Some(reason.clone()), request_id.clone()));
                }
            }
        }
    }
    forget_all(store, job_id, chunk);
    store.set_changes(job_id, &changes)?;
    store.update_rows(job_id, &results)?;
    Ok(())
}

/// One row's answer: done with the new object's id in its change, or failed with the reason and
/// Graph's request id.
fn answered(kind: &JobKind, r: &JobRow, a: &msgraph::BatchResponse) -> (RowUpdate, Option<(u32, AppliedChange)>) {
    if let Some(e) = a.error() {
        let request_id = e.request_id().map(str::to_string);
        let reason = plain(&explain_refusal(kind, r, e));
        return (update(r, RowStatus::Failed, Some(reason), request_id), None);
    }
    let id = match kind {
        JobKind::InviteGuests => a
            .decode::<msgraph::Invitation>()
            .ok()
            .and_then(|i| i.invited_user)
            .map(|u| u.id.as_str().to_string()),
        _ => a.decode::<User>().ok().map(|u| u.id.as_str().to_string()),
    };
    let change = match (id, r.change.clone()) {
        (Some(id), Some(mut c)) => {
            c.object_id = id;
            Some((r.index, c))
        }
        _ => None,
    };
    (update(r, RowStatus::Done, None, None), change)
}

/// Resumes a create job stopped mid-way: each open row looked up in Graph first. Found: a row that
/// was being sent is done (its new id kept), one never sent is skipped as already there. Not found:
/// sent again — except a new user whose password is gone, which is marked not sent (import again).
pub(crate) async fn resume(
    client: &Client,
    store: &JobStore,
    job: &Job,
    cancel: &CancelToken,
    progress: ProgressFn<'_>,
) -> Result<JobProgress, JobError> {
    let job_id = job.id;
    let open: Vec<JobRow> = store
        .rows(job_id)?
        .into_iter()
        .filter(|r| matches!(r.status, RowStatus::Pending | RowStatus::Sending))
        .collect();
    let keys: Vec<String> = open.iter().map(|r| r.object_id.clone()).collect();
    let found = if keys.is_empty() {
        HashMap::new()
    } else {
        look_up(client, &job.kind, &keys).await?
    };
    let mut updates = Vec::new();
    let mut changes = Vec::new();
    for r in &open {
        let existing = found.get(&r.object_id.to_lowercase()).cloned().flatten();
        let u = match (existing, r.status) {
            (Some(e), RowStatus::Sending) => {
                if let Some(mut c) = r.change.clone() {
                    c.object_id = e.id.as_str().to_string();
                    changes.push((r.index, c));
                }
                update(
                    r,
                    RowStatus::Done,
                    Some("Done before the job stopped (checked when it resumed).".into()),
                    None,
                )
            }
            (Some(e), _) => update(
                r,
                RowStatus::Skipped,
                Some(format!("Already in the directory: {}.", users::name_of(&e))),
                None,
            ),
            (None, _) if job.kind == JobKind::CreateUsers && !store.passwords().has(job_id, r.index) => {
                update(r, RowStatus::NotSent, Some(PASSWORD_GONE.into()), None)
            }
            (None, _) => update(r, RowStatus::Pending, None, None),
        };
        updates.push(u);
    }
    store.set_changes(job_id, &changes)?;
    store.update_rows(job_id, &updates)?;
    store.set_state(job_id, JobState::Running)?;
    run(client, store, job, cancel, progress).await
}

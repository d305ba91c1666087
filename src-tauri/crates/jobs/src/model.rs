//! What a bulk job is made of: its kind, its rows with their pre-flight answers and results, the
//! change each row made (for the journal and undo), and the progress a running job reports.

use serde::{Deserialize, Serialize};

/// What a job does to each of its rows (people, or deleted items for `Restore`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum JobKind {
    /// Add each person to the group (`members@odata.bind`, 20 per PATCH).
    AddToGroup {
        #[serde(rename = "groupId")]
        group_id: String,
    },
    /// Remove each person from the group (the membership only).
    RemoveFromGroup {
        #[serde(rename = "groupId")]
        group_id: String,
    },
    /// Give each person the licence, with these service plans switched off (ids or plan names).
    AssignLicence {
        #[serde(rename = "skuId")]
        sku_id: String,
        #[serde(rename = "disabledPlans", default)]
        disabled_plans: Vec<String>,
        /// The usage location (two letters, "GB") to set first for the people who have none;
        /// without it those rows wait for one.
        #[serde(rename = "usageLocation", default)]
        usage_location: Option<String>,
    },
    /// Take the licence away from each person.
    RemoveLicence {
        #[serde(rename = "skuId")]
        sku_id: String,
    },
    /// Block sign-in (`accountEnabled: false`).
    Block,
    /// Allow sign-in again (`accountEnabled: true`).
    Unblock,
    /// Sign out everywhere (revoke sign-in sessions).
    RevokeSessions,
    /// Delete the people (restorable for 30 days).
    DeleteUsers,
    /// Restore deleted people or groups from Deleted items.
    Restore,
    /// Delete groups (a Microsoft 365 group can be restored for 30 days; a security group cannot).
    DeleteGroups,
    /// Create each row's person (CSV import; each row carries its profile, never its password:
    /// see `create.rs`).
    CreateUsers,
    /// Invite each row's guest (CSV import; each row carries its invitation).
    InviteGuests,
}

impl JobKind {
    /// What the job is called in lists ("Add to group", "Block sign-in").
    pub fn label(&self) -> &'static str {
        match self {
            JobKind::AddToGroup { .. } => "Add to group",
            JobKind::RemoveFromGroup { .. } => "Remove from group",
            JobKind::AssignLicence { .. } => "Assign licence",
            JobKind::RemoveLicence { .. } => "Remove licence",
            JobKind::Block => "Block sign-in",
            JobKind::Unblock => "Unblock sign-in",
            JobKind::RevokeSessions => "Sign out everywhere",
            JobKind::DeleteUsers => "Delete people",
            JobKind::Restore => "Restore deleted items",
            JobKind::DeleteGroups => "Delete groups",
            JobKind::CreateUsers => "Create users",
            JobKind::InviteGuests => "Invite guests",
        }
    }
}

/// The pre-flight answer for one row, read from Graph before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "answer", rename_all = "camelCase")]
pub enum RowCheck {
    /// The change will be sent (`note`: anything worth knowing, e.g. only the switched-off services change).
    WillChange { note: Option<String> },
    /// Nothing to do: it is already so ("already a member of Sales").
    Already { reason: String },
    /// Cannot be done until something is given (e.g. a usage location before a licence).
    NeedsInput { reason: String },
    /// Will not be done, and why (dynamic group, no seat left, a guest's sessions).
    Refused { reason: String },
}

impl RowCheck {
    pub fn will_change(&self) -> bool {
        matches!(self, RowCheck::WillChange { .. })
    }
    /// The reason given, if any.
    pub fn reason(&self) -> Option<&str> {
        match self {
            RowCheck::WillChange { note } => note.as_deref(),
            RowCheck::Already { reason } | RowCheck::NeedsInput { reason } | RowCheck::Refused { reason } => {
                Some(reason)
            }
        }
    }
}

/// Where a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum RowStatus {
    /// In the preview; nothing confirmed yet.
    Planned,
    /// Confirmed, to be sent.
    Pending,
    /// In a request that was sent and whose answer is not stored yet. After a crash such a row is
    /// checked in Graph before anything is sent again.
    Sending,
    /// Graph accepted the change.
    Done,
    /// Nothing was sent for it (already so, refused or waiting for input at the preview); `reason` says why.
    Skipped,
    /// Graph refused it or could not be reached; `reason` and `request_id` say what happened.
    Failed,
    /// Not sent: left out at the preview, or the job was cancelled or discarded first.
    NotSent,
}

impl RowStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Planned => "planned",
            RowStatus::Pending => "pending",
            RowStatus::Sending => "sending",
            RowStatus::Done => "done",
            RowStatus::Skipped => "skipped",
            RowStatus::Failed => "failed",
            RowStatus::NotSent => "notSent",
        }
    }
    pub fn parse(s: &str) -> Option<RowStatus> {
        [
            RowStatus::Planned,
            RowStatus::Pending,
            RowStatus::Sending,
            RowStatus::Done,
            RowStatus::Skipped,
            RowStatus::Failed,
            RowStatus::NotSent,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// Which change a row makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    AddedToGroup,
    RemovedFromGroup,
    LicenceAssigned,
    LicenceRemoved,
    SignInBlocked,
    SignInUnblocked,
    SessionsRevoked,
    UserDeleted,
    Restored,
    GroupDeleted,
    UserCreated,
    GuestInvited,
}

/// The change one row makes (or made, once the row is `Done`), small and serialisable, for the
/// change journal and its undo: what, on which object, with which group or licence, and the
/// value before where Graph had one. The undo of each kind is its opposite: added ↔ removed,
/// assigned ↔ removed (with `disabled_plans`, or back to `previous_disabled_plans` when the person
/// already held the licence), blocked ↔ unblocked (`previous_account_enabled`), deleted → restore.
/// `SessionsRevoked` cannot be undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AppliedChange {
    pub change: ChangeKind,
    /// The person (or restored object) changed.
    pub object_id: String,
    pub object_name: String,
    pub group_id: Option<String>,
    pub group_name: Option<String>,
    pub sku_id: Option<String>,
    pub licence_name: Option<String>,
    /// Service plans (ids) switched off by an assignment, or held switched off before a removal.
    pub disabled_plans: Vec<String>,
    /// The licence's switched-off plans before, when the person already held it (only they changed).
    pub previous_disabled_plans: Option<Vec<String>>,
    /// `accountEnabled` before a block or unblock.
    pub previous_account_enabled: Option<bool>,
    /// The usage location the row sets before it assigns the licence (the person had none).
    #[serde(default)]
    pub usage_location_set: Option<String>,
    /// Whether the object is a group: a restored group, or a group that is (or becomes) a member.
    #[serde(default)]
    pub is_group: bool,
    /// Whether the object is a device that is (or becomes) a group's member.
    #[serde(default)]
    pub is_device: bool,
    /// For a deleted group: whether Deleted items keeps it (a Microsoft 365 group), so it can be restored.
    #[serde(default)]
    pub restorable: bool,
    /// For `UserCreated` and `GuestInvited`: the request's body as JSON (a new user's without its
    /// temporary password, which is never stored). Until the row is done, `object_id` is the
    /// sign-in name or email; then the new object's id.
    #[serde(default)]
    pub payload: Option<String>,
}

impl AppliedChange {
    pub(crate) fn new(change: ChangeKind, object_id: &str, object_name: &str) -> AppliedChange {
        AppliedChange {
            change,
            object_id: object_id.to_string(),
            object_name: object_name.to_string(),
            group_id: None,
            group_name: None,
            sku_id: None,
            licence_name: None,
            disabled_plans: Vec::new(),
            previous_disabled_plans: None,
            previous_account_enabled: None,
            usage_location_set: None,
            is_group: false,
            is_device: false,
            restorable: false,
            payload: None,
        }
    }
}

/// One row of a job: the object, its pre-flight answer, where it is and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobRow {
    /// 1-based, in the order the rows were chosen.
    pub index: u32,
    pub object_id: String,
    /// The name shown ("Adele Vance"; the sign-in name when Graph has no display name).
    pub name: String,
    pub check: RowCheck,
    pub status: RowStatus,
    /// Why it was skipped or failed, in plain words.
    pub reason: Option<String>,
    /// Graph's request id: of the request that made the change (done) or was refused (failed), for support.
    pub request_id: Option<String>,
    /// The change the row makes; it was made when `status` is `Done`.
    pub change: Option<AppliedChange>,
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum JobState {
    /// Previewed, not started.
    Planned,
    /// Running (or, found so at start-up, stopped mid-way by a crash or a closed app: see
    /// [`crate::JobStore::unfinished`]).
    Running,
    /// Stopped by Cancel; the rows not sent are `NotSent`.
    Cancelled,
    /// Every confirmed row has its result.
    Finished,
    /// An unfinished job the person chose not to resume.
    Discarded,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Planned => "planned",
            JobState::Running => "running",
            JobState::Cancelled => "cancelled",
            JobState::Finished => "finished",
            JobState::Discarded => "discarded",
        }
    }
    pub fn parse(s: &str) -> Option<JobState> {
        [
            JobState::Planned,
            JobState::Running,
            JobState::Cancelled,
            JobState::Finished,
            JobState::Discarded,
        ]
        .into_iter()
        .find(|j| j.as_str() == s)
    }
}

/// How many rows are where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobCounts {
    pub total: u32,
    /// Pre-flight answers.
    pub will_change: u32,
    pub already: u32,
    pub needs_input: u32,
    pub refused: u32,
    /// Results.
    pub pending: u32,
    pub done: u32,
    pub skipped: u32,
    pub failed: u32,
    pub not_sent: u32,
}

impl JobCounts {
    pub(crate) fn of(rows: &[JobRow]) -> JobCounts {
        let mut c = JobCounts {
            total: rows.len() as u32,
            ..JobCounts::default()
        };
        for r in rows {
            match r.check {
                RowCheck::WillChange { .. } => c.will_change += 1,
                RowCheck::Already { .. } => c.already += 1,
                RowCheck::NeedsInput { .. } => c.needs_input += 1,
                RowCheck::Refused { .. } => c.refused += 1,
            }
            match r.status {
                RowStatus::Planned => {}
                RowStatus::Pending | RowStatus::Sending => c.pending += 1,
                RowStatus::Done => c.done += 1,
                RowStatus::Skipped => c.skipped += 1,
                RowStatus::Failed => c.failed += 1,
                RowStatus::NotSent => c.not_sent += 1,
            }
        }
        c
    }
}

/// A job as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: u32,
    pub kind: JobKind,
    /// "Add to group Sales", "Assign licence Microsoft 365 E5".
    pub title: String,
    pub state: JobState,
    /// When it was planned (Unix seconds).
    pub created_secs: u32,
    pub counts: JobCounts,
    /// The job this one undoes (an undo of a whole job).
    pub undoes: Option<u32>,
    /// The job that undid this one.
    pub undone_by: Option<u32>,
}

/// What a running job tells its listener after each batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct JobProgress {
    pub job_id: u32,
    pub state: JobState,
    /// Rows confirmed to send, in all.
    pub to_send: u32,
    pub done: u32,
    pub skipped: u32,
    pub failed: u32,
    /// When Microsoft Graph asked to wait: how many seconds.
    pub waiting_secs: Option<u32>,
}

impl JobProgress {
    /// The progress `rows` show, in `state`.
    pub fn of(job_id: u32, state: JobState, rows: &[JobRow]) -> JobProgress {
        let mut p = JobProgress {
            job_id,
            state,
            to_send: 0,
            done: 0,
            skipped: 0,
            failed: 0,
            waiting_secs: None,
        };
        for r in rows.iter().filter(|r| r.check.will_change()) {
            match r.status {
                RowStatus::Pending | RowStatus::Sending => p.to_send += 1,
                RowStatus::Done => {
                    p.to_send += 1;
                    p.done += 1
                }
                RowStatus::Skipped => {
                    p.to_send += 1;
                    p.skipped += 1
                }
                RowStatus::Failed => {
                    p.to_send += 1;
                    p.failed += 1
                }
                RowStatus::Planned | RowStatus::NotSent => {}
            }
        }
        p
    }

    /// "12 of 40 done, 1 skipped, 2 failed".
    pub fn summary(&self) -> String {
        let mut s = format!("{} of {} done", self.done, self.to_send);
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        if self.failed > 0 {
            s.push_str(&format!(", {} failed", self.failed));
        }
        s
    }
}

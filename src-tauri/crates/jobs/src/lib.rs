//! Bulk jobs: one change (add to a group, assign a licence, block sign-in, …) over many people or
//! deleted items. [`plan`] reads what it needs and returns the preview — one row per change with
//! its pre-flight answer — and nothing is sent until [`confirm`] and [`run`]: the rows go in
//! batches (`members@odata.bind`, 20 per PATCH; `$batch`, 20 per request), throttling honoured,
//! progress told after each batch, cancellable between batches, each row's result kept (done /
//! skipped / failed with the plain reason and Graph's request id) in SQLite ([`JobStore`]). A job
//! stopped mid-way (the app closed or killed) is [`resume`]d — each row not yet answered is checked
//! in Graph before anything is sent again — or [`discard`]ed. Each row carries the
//! [`AppliedChange`] it makes, for the change journal and undo; [`undo_of`] turns a done job into the job that undoes it.
//!
//! Knows the domain (through `directory`'s pre-flight rules and explanations), never Tauri.

pub mod create;
pub mod inverse;
pub mod model;
pub mod names;
pub mod plan;
pub mod run;
pub mod store;

pub use create::{plan_create, NewRow, Passwords, PlannedCreate};
pub use inverse::{undo_of, UndoJob};
pub use model::{
    AppliedChange, ChangeKind, Job, JobCounts, JobKind, JobProgress, JobRow, JobState, RowCheck, RowStatus,
};
pub use names::plan_by_names;
pub use plan::{plan, Planned};
pub use run::{confirm, discard, resume, run, CancelToken, JobError, ProgressFn};
pub use store::{JobStore, RowUpdate, StoreError};

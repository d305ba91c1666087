//! Bulk jobs: preview, start, cancel, list, rows, resume or discard an unfinished one. A started
//! job runs in its own task (it outlives the page that started it); where it is goes to the window
//! as `BulkJobProgress` events.

use jobs::{Job, JobKind, JobRow};
use tauri::{Manager, State};

use crate::bulk::{self, BulkPlan, Started};
use crate::error::IpcError;
use crate::events::BulkJobProgress;
use crate::state::AppState;

/// The preview of a job over the chosen rows (people's ids; deleted items' ids to restore):
/// one row per change with its pre-flight answer. Nothing is changed.
#[tauri::command]
#[specta::specta]
pub async fn plan_bulk_job(
    state: State<'_, AppState>,
    kind: JobKind,
    object_ids: Vec<String>,
) -> Result<BulkPlan, IpcError> {
    bulk::plan(&state, kind, object_ids).await
}

/// The preview of undoing a whole job: the opposite job over the objects its done rows changed,
/// each checked in Graph again. Nothing is changed until it is started like any job.
#[tauri::command]
#[specta::specta]
pub async fn plan_undo_bulk_job(state: State<'_, AppState>, job_id: u32) -> Result<BulkPlan, IpcError> {
    bulk::plan_undo(&state, job_id).await
}

/// Starts a previewed job with the rows the person kept (1-based indexes).
#[tauri::command]
#[specta::specta]
pub async fn start_bulk_job(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    job_id: u32,
    rows: Vec<u32>,
) -> Result<(), IpcError> {
    let started = bulk::start(&state, job_id, &rows).await?;
    spawn(app, started);
    Ok(())
}

/// Resumes a job stopped mid-way (each row not answered is checked in Graph before it is sent).
#[tauri::command]
#[specta::specta]
pub async fn resume_bulk_job(app: tauri::AppHandle, state: State<'_, AppState>, job_id: u32) -> Result<(), IpcError> {
    let started = bulk::resume(&state, job_id).await?;
    spawn(app, started);
    Ok(())
}

fn spawn(app: tauri::AppHandle, started: Started) {
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let tell = |p: &jobs::JobProgress, error: Option<String>| BulkJobProgress::tell(&app, p, error);
        bulk::drive(&state, started, &tell).await;
    });
}

/// Stops a running job after the batch in flight.
#[tauri::command]
#[specta::specta]
pub async fn cancel_bulk_job(state: State<'_, AppState>, job_id: u32) -> Result<bool, IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    Ok(bulk.cancel(&path, job_id))
}

/// Gives up a job stopped mid-way: nothing more is sent.
#[tauri::command]
#[specta::specta]
pub async fn discard_bulk_job(state: State<'_, AppState>, job_id: u32) -> Result<(), IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    jobs::discard(&*bulk.store(&path)?, job_id).map_err(bulk::job_error)
}

/// The active account's jobs, newest first, with whether each runs now.
#[tauri::command]
#[specta::specta]
pub async fn list_bulk_jobs(state: State<'_, AppState>) -> Result<Vec<Job>, IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    bulk.store(&path)?.jobs().map_err(|e| IpcError::internal(e.to_string()))
}

/// Jobs stopped mid-way by a closed or killed app: offered to resume or discard at start.
#[tauri::command]
#[specta::specta]
pub async fn unfinished_bulk_jobs(state: State<'_, AppState>) -> Result<Vec<Job>, IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    bulk.unfinished(&path)
}

/// A job's rows with their answers and results.
#[tauri::command]
#[specta::specta]
pub async fn bulk_job_rows(state: State<'_, AppState>, job_id: u32) -> Result<Vec<JobRow>, IpcError> {
    let (path, bulk) = state.bulk_jobs().await?;
    bulk.store(&path)?
        .rows(job_id)
        .map_err(|e| IpcError::internal(e.to_string()))
}

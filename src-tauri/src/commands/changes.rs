//! "Changes made here": the journal of the active account's changes, and their one-click undo
//! (checked against Graph, previewed, itself journaled). The decisions are `journal::undo`'s.

use journal::undo::{self, Plan};
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::commands::preview::ShownRequest;
use crate::error::IpcError;
use crate::state::AppState;
use crate::view::Done;

/// An entry as the table shows it.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRow {
    pub entry: journal::Entry,
    /// Whether its kind can be undone at all (the Undo button); whether it can be undone now is
    /// asked with `plan_undo`.
    pub undoable: bool,
}

/// What an undo would do, or why it cannot be done, with the requests it would send.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct UndoPlanView {
    /// The undo in plain words (none when refused).
    pub what: Option<String>,
    /// Why it cannot be undone (none when it can).
    pub refused: Option<String>,
    /// What would be sent ("Show the request").
    pub requests: Vec<ShownRequest>,
}

/// The journal's entries `filter` selects, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_changes(state: State<'_, AppState>, filter: journal::Filter) -> Result<Vec<ChangeRow>, IpcError> {
    let entries = state.journal_entries(filter).await?;
    Ok(entries
        .into_iter()
        .map(|entry| ChangeRow {
            undoable: undo::undoable_kind(&entry),
            entry,
        })
        .collect())
}

/// Whether the entry can be undone now (checked against Graph) and what the undo would send.
#[tauri::command]
#[specta::specta]
pub async fn plan_undo(state: State<'_, AppState>, id: u32) -> Result<UndoPlanView, IpcError> {
    plan(&state, i64::from(id)).await
}

/// `plan_undo` without Tauri (tests/app_state.rs drives it).
pub async fn plan(state: &AppState, id: i64) -> Result<UndoPlanView, IpcError> {
    let entry = state.journal_entry(id).await?;
    let (client, preview) = state.graph().await?.previewing();
    match undo::plan(&client, &entry).await? {
        Plan::Refused { reason } => Ok(UndoPlanView {
            what: None,
            refused: Some(reason),
            requests: Vec::new(),
        }),
        Plan::Ready { inverse, what } => {
            undo::run(&client, &entry, &inverse).await?;
            Ok(UndoPlanView {
                what: Some(what),
                refused: None,
                requests: preview.requests().into_iter().map(ShownRequest::from).collect(),
            })
        }
    }
}

/// Undoes the entry, checked against Graph again first; the undo is journaled, linked to it.
#[tauri::command]
#[specta::specta]
pub async fn undo_change(state: State<'_, AppState>, id: u32) -> Result<Done, IpcError> {
    run(&state, i64::from(id)).await
}

/// `undo_change` without Tauri.
pub async fn run(state: &AppState, id: i64) -> Result<Done, IpcError> {
    let entry = state.journal_entry(id).await?;
    let rec = state.recorder().await?.undoing(entry.id);
    let (inverse, what) = match undo::plan(&rec.client, &entry).await? {
        Plan::Ready { inverse, what } => (inverse, what),
        Plan::Refused { reason } => {
            return Err(IpcError::Validation {
                message: reason,
                field: None,
            })
        }
    };
    let undone = undo::run(&rec.client, &entry, &inverse).await;
    rec.record(&undone, Clone::clone, || {
        (undo::attempted(&entry, &inverse), entry.target.clone())
    })
    .await;
    undone?;
    Ok(Done::new(format!("Undone: {}", what.trim_end_matches('.'))))
}

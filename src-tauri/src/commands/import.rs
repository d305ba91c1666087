//! CSV import: download a template (the system's save dialog), choose a file (the system's open
//! dialog, opened from Rust: the window never hands over a path), fix or skip its bad rows, then
//! preview its good rows as a bulk job (`plan_import`), which runs through the bulk job commands.

use directory::import::ImportKind;
use tauri::State;
use tauri_plugin_dialog::DialogExt;

use crate::bulk::BulkPlan;
use crate::error::IpcError;
use crate::import::{self, ImportCheck, MAX_FILE_BYTES};
use crate::state::AppState;

/// Asks where to save the template of `kind` (its columns and an example row) and writes it there.
/// Returns where it was written, or none when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_import_template(app: tauri::AppHandle, kind: ImportKind) -> Result<Option<String>, IpcError> {
    let mut template = kind.template();
    let header = template.remove(0);
    let rows: Vec<Vec<Option<String>>> = template
        .into_iter()
        .map(|r| r.into_iter().map(Some).collect())
        .collect();
    super::export::save_csv_as(&app, "Save the template", kind.file_name(), header, rows).await
}

/// Asks which CSV file to import as `kind`, reads it and checks every row (nothing is sent).
/// None when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn open_import_file(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    kind: ImportKind,
) -> Result<Option<ImportCheck>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Choose the CSV file to import")
        .add_filter("CSV file", &["csv", "txt"])
        .pick_file(move |chosen| {
            let _ = tx.send(chosen);
        });
    let Some(chosen) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path = chosen
        .into_path()
        .map_err(|e| IpcError::internal(format!("That file cannot be read: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let shown = path.display().to_string();
    let bytes = tokio::task::spawn_blocking(move || read_limited(&path))
        .await
        .map_err(|e| IpcError::internal(format!("Reading the file stopped: {e}")))?
        .map_err(|e| file_error(format!("{shown} could not be read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        file_error(format!(
            "{name} is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma delimited)”, then choose it again."
        ))
    })?;
    import::open(&state, kind, name, &text).await.map(Some)
}

fn file_error(message: String) -> IpcError {
    IpcError::Validation {
        message,
        field: Some("file".into()),
    }
}

fn read_limited(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    let size = std::fs::metadata(path)?.len();
    if size > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "it is {} MB; split it into files of at most {} MB",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    std::fs::read(path)
}

/// Puts what the person typed into a line's cells (`null`: keep the cell) and checks the rows again.
#[tauri::command]
#[specta::specta]
pub async fn fix_import_row(
    state: State<'_, AppState>,
    import_id: u32,
    line: u32,
    cells: Vec<Option<String>>,
) -> Result<ImportCheck, IpcError> {
    import::fix(&state, import_id, line, cells)
}

/// Forgets an import that will not run (its passwords with it).
#[tauri::command]
#[specta::specta]
pub async fn close_import(state: State<'_, AppState>, import_id: u32) -> Result<(), IpcError> {
    import::close(&state, import_id);
    Ok(())
}

/// The bulk job of an import's good rows (`skipped`: lines left out; `group_id`: add members'
/// group), previewed and kept; refused while a bad line is neither fixed nor skipped.
#[tauri::command]
#[specta::specta]
pub async fn plan_import(
    state: State<'_, AppState>,
    import_id: u32,
    skipped: Vec<u32>,
    group_id: Option<String>,
) -> Result<BulkPlan, IpcError> {
    import::plan(&state, import_id, skipped, group_id).await
}

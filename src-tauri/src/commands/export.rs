//! Export: the person chooses where in the system's save dialog (tauri-plugin-dialog, opened from
//! Rust: the window needs no dialog permission), and Rust writes the file (`localfiles::csv`).

use tauri_plugin_dialog::DialogExt;

use crate::error::IpcError;

/// Asks where to save `suggested_name` (a CSV file) and writes `header` and `rows` there.
/// Returns where it was written, or none when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_csv(
    app: tauri::AppHandle,
    suggested_name: String,
    header: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
) -> Result<Option<String>, IpcError> {
    save_csv_as(&app, "Export as CSV", &suggested_name, header, rows).await
}

/// The save dialog titled `title`, then the file written from Rust: what `save_csv` and the import
/// templates share. Where it was written, or none when the person cancelled.
pub(crate) async fn save_csv_as(
    app: &tauri::AppHandle,
    title: &str,
    suggested_name: &str,
    header: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
) -> Result<Option<String>, IpcError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(suggested_name)
        .add_filter("CSV file", &["csv"])
        .save_file(move |chosen| {
            let _ = tx.send(chosen);
        });
    let Some(chosen) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    let path = chosen
        .into_path()
        .map_err(|e| IpcError::internal(format!("That place cannot be written to: {e}")))?;
    let target = path.clone();
    tokio::task::spawn_blocking(move || localfiles::csv::write(&target, &header, &rows))
        .await
        .map_err(|e| IpcError::internal(format!("Writing the file stopped: {e}")))?
        .map_err(|e| IpcError::internal(format!("The file could not be written to {}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}

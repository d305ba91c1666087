//! Deleted items: deleted users and groups, restore, delete for good.

use directory::deleted::{DeletedItem, DeletedItemKind};
use journal::capture::{self, typed};
use journal::{Action, TargetKind};
use tauri::State;
use watch::own;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::Done;

/// Deleted users and groups, the most recently deleted first, with the days left to restore them.
#[tauri::command]
#[specta::specta]
pub async fn list_deleted_items(state: State<'_, AppState>) -> Result<Vec<DeletedItem>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::deleted::list(&client, time::OffsetDateTime::now_utc()).await?)
}

/// Restores a deleted user or group; the next check brings it back into the tables.
#[tauri::command]
#[specta::specta]
pub async fn restore_deleted_item(state: State<'_, AppState>, id: String) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let restored = directory::deleted::restore(&rec.client, &id).await;
    rec.record(
        &restored,
        |r| capture::restored(&id, r),
        || (Action::Restore, typed(TargetKind::Other, &id)),
    )
    .await;
    Ok(Done::new(restored?.summary()))
}

/// Deletes a deleted user or group for good, once its name has been typed (`confirmation`).
#[tauri::command]
#[specta::specta]
pub async fn delete_permanently(
    state: State<'_, AppState>,
    id: String,
    kind: DeletedItemKind,
    confirmation: String,
) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let gone = directory::deleted::delete_permanently(&rec.client, &id, &confirmation).await;
    rec.record(
        &gone,
        |g| capture::deleted_for_good(&id, kind, g),
        || (Action::DeleteForGood, typed(TargetKind::Other, &id)),
    )
    .await;
    let gone = gone?;
    let resource = match kind {
        DeletedItemKind::User => watch::Resource::Users,
        DeletedItemKind::Group => watch::Resource::Groups,
    };
    state.record_own([Some(own::deleted(resource, &id, false))]).await;
    Ok(Done::new(gone.summary()))
}

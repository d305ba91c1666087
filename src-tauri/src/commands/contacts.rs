use journal::capture::{self, typed};
use journal::{Action, TargetKind};
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{ContactFolderView, ContactRow, ContactSearchView};

/// List Contact Folders (two levels). `user_id` empty/null: your own mailbox.
#[tauri::command]
#[specta::specta]
pub async fn list_contact_folders(
    state: State<'_, AppState>,
    user_id: Option<String>,
) -> Result<Vec<ContactFolderView>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::contacts::folders(&client, user_id.as_deref())
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Search Contacts by email address (exact) or the start of a name, keeping the result set
/// asked for (the first, the first 200, or all, Graph's pages followed).
#[tauri::command]
#[specta::specta]
pub async fn search_contacts(
    state: State<'_, AppState>,
    user_id: Option<String>,
    folder_id: Option<String>,
    text: String,
    include_child_folders: bool,
    result_set: directory::contacts::ResultSet,
) -> Result<ContactSearchView, IpcError> {
    let client = state.graph().await?;
    let found = directory::contacts::search(
        &client,
        user_id.as_deref(),
        folder_id.as_deref(),
        &text,
        include_child_folders,
        result_set,
    )
    .await?;
    Ok(ContactSearchView {
        contacts: found.contacts.into_iter().map(Into::into).collect(),
        more: found.more,
    })
}

/// Create Contact (empty folder: the Contacts folder), every property of the card as the form
/// sends it; checked in `directory` before anything is sent.
#[tauri::command]
#[specta::specta]
pub async fn create_contact(
    state: State<'_, AppState>,
    user_id: Option<String>,
    folder_id: Option<String>,
    contact: msgraph::ContactInput,
) -> Result<ContactRow, IpcError> {
    let rec = state.recorder().await?;
    let created = directory::contacts::create(&rec.client, user_id.as_deref(), folder_id.as_deref(), &contact).await;
    let name = contact.display_name.clone().unwrap_or_default();
    rec.record(&created, capture::contact_created, || {
        (Action::CreateContact, typed(TargetKind::Contact, &name))
    })
    .await;
    Ok(created?.into())
}

use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{ContactFolderView, ContactForm, ContactRow};

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

/// Search Contacts by email address (exact) or the start of a name.
#[tauri::command]
#[specta::specta]
pub async fn search_contacts(
    state: State<'_, AppState>,
    user_id: Option<String>,
    folder_id: Option<String>,
    text: String,
    include_child_folders: bool,
) -> Result<Vec<ContactRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::contacts::search(
        &client,
        user_id.as_deref(),
        folder_id.as_deref(),
        &text,
        include_child_folders,
    )
    .await?
    .into_iter()
    .map(Into::into)
    .collect())
}

/// Create Contact (empty folder: the Contacts folder).
#[tauri::command]
#[specta::specta]
pub async fn create_contact(
    state: State<'_, AppState>,
    user_id: Option<String>,
    folder_id: Option<String>,
    contact: ContactForm,
) -> Result<ContactRow, IpcError> {
    let client = state.graph().await?;
    let nonempty = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let input = msgraph::ContactInput {
        given_name: Some(contact.given_name),
        surname: nonempty(contact.surname),
        display_name: nonempty(contact.display_name),
        email_addresses: Some(
            contact
                .emails
                .into_iter()
                .map(|e| msgraph::EmailAddress {
                    name: None,
                    address: Some(e),
                })
                .collect(),
        ),
        company_name: nonempty(contact.company_name),
        job_title: nonempty(contact.job_title),
        department: nonempty(contact.department),
        business_phones: Some(nonempty(contact.business_phone).into_iter().collect()),
        mobile_phone: nonempty(contact.mobile_phone),
        personal_notes: nonempty(contact.personal_notes),
        ..Default::default()
    };
    Ok(
        directory::contacts::create(&client, user_id.as_deref(), folder_id.as_deref(), &input)
            .await?
            .into(),
    )
}

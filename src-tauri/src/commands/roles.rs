use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{Done, MemberRow, RoleRow, UserRoleRow};

/// Read Directory Roles: every built-in role, marked activated or not.
#[tauri::command]
#[specta::specta]
pub async fn list_directory_roles(state: State<'_, AppState>) -> Result<Vec<RoleRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::roles::list(&client)
        .await?
        .into_iter()
        .map(RoleRow::from)
        .collect())
}

/// Who holds a directory role directory-wide (`role_template_id`: template id or the role's name):
/// people, groups and apps, with their names.
#[tauri::command]
#[specta::specta]
pub async fn list_role_members(
    state: State<'_, AppState>,
    role_template_id: String,
) -> Result<Vec<MemberRow>, IpcError> {
    let client = state.graph().await?;
    let (_, holders) = directory::roles::members(&client, &role_template_id).await?;
    Ok(holders.into_iter().map(MemberRow::from).collect())
}

/// Read User Roles.
#[tauri::command]
#[specta::specta]
pub async fn user_roles(state: State<'_, AppState>, user_id: String) -> Result<Vec<UserRoleRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::roles::of_user(&client, &user_id)
        .await?
        .into_iter()
        .map(UserRoleRow::from)
        .collect())
}

/// Assign Role to User (`role_template_id`: template id or the role's name), directory-wide.
#[tauri::command]
#[specta::specta]
pub async fn assign_role(
    state: State<'_, AppState>,
    user_id: String,
    role_template_id: String,
) -> Result<Done, IpcError> {
    let client = state.graph().await?;
    let c = directory::roles::assign(&client, &user_id, &role_template_id).await?;
    Ok(Done::new(c.summary()))
}

/// Unassign Role from User.
#[tauri::command]
#[specta::specta]
pub async fn unassign_role(
    state: State<'_, AppState>,
    user_id: String,
    role_template_id: String,
) -> Result<Done, IpcError> {
    let client = state.graph().await?;
    let c = directory::roles::unassign(&client, &user_id, &role_template_id).await?;
    Ok(Done::new(c.summary()))
}

use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{Done, MemberPage, RoleRow, UserRoleRow};

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

/// Who holds a directory role directory-wide (`role_template_id`: template id or the role's name),
/// from the local copy: people, groups and apps, named from the copy. `asOf` is when the role's
/// holders were last read from Graph (`refresh_role_holders`); none yet: not known.
#[tauri::command]
#[specta::specta]
pub async fn query_role_holders(
    state: State<'_, AppState>,
    role_template_id: String,
    query: watch::ListQuery,
) -> Result<MemberPage, IpcError> {
    state
        .query_role_holders(role_template_id, query)
        .await
        .map(MemberPage::from)
}

/// Reads who holds the role from Graph into the local copy, when the copy's list is older than a
/// few minutes (or always, with `force`). Returns whether Graph was asked.
#[tauri::command]
#[specta::specta]
pub async fn refresh_role_holders(
    state: State<'_, AppState>,
    role_template_id: String,
    force: bool,
) -> Result<bool, IpcError> {
    state.refresh_role_holders(role_template_id, force).await
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
    state.record_role_holders(holder_now(&c)).await;
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
    state.record_role_holders(holder_now(&c)).await;
    Ok(Done::new(c.summary()))
}

/// What a role change Graph accepted means for the copy's role holders.
fn holder_now(c: &directory::roles::RoleChange) -> watch::RoleHolders {
    watch::RoleHolders::Set {
        holder: watch::RoleHolder {
            role_id: c.role.id.clone(),
            member_id: c.user.id.to_string(),
            member_type: watch::ObjectType::User,
        },
        holds: c.assigned,
    }
}

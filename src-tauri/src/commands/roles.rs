use journal::capture::{self, typed};
use journal::{Action, Named, TargetKind::User as Person};
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{Done, MemberPage, RoleRow, ScopeRow, UserRoleRow};

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

/// The organisation's custom roles (Assign Role offers them next to the built-in ones).
#[tauri::command]
#[specta::specta]
pub async fn list_custom_roles(state: State<'_, AppState>) -> Result<Vec<RoleRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::roles::custom(&client)
        .await?
        .into_iter()
        .map(RoleRow::from)
        .collect())
}

/// The directory's administrative units: the scopes a role can be given in besides the whole directory.
#[tauri::command]
#[specta::specta]
pub async fn list_administrative_units(state: State<'_, AppState>) -> Result<Vec<ScopeRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::roles::administrative_units(&client)
        .await?
        .into_iter()
        .map(ScopeRow::from)
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

/// Assign Role to User. `role_template_id`: a built-in role's template id or name, a role
/// definition id (custom roles too) or an activated role's id; `scope`: none or "/" for the whole
/// directory, else an administrative unit (its id).
#[tauri::command]
#[specta::specta]
pub async fn assign_role(
    state: State<'_, AppState>,
    user_id: String,
    role_template_id: String,
    scope: Option<String>,
) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let c = directory::roles::assign(&rec.client, &user_id, &role_template_id, scope.as_deref()).await;
    rec.record(&c, capture::role_changed, || {
        let scope = scope.clone().unwrap_or_else(|| "/".into());
        let action = Action::AssignRole {
            role: tried(&role_template_id),
            scope: tried(&scope),
        };
        (action, typed(Person, &user_id))
    })
    .await;
    let c = c?;
    if let Some(change) = holder_now(&c) {
        state.record_role_holders(change).await;
    }
    Ok(Done::new(c.summary()))
}

/// Unassign Role from User by the assignment the person's role list shows (any role, any scope).
#[tauri::command]
#[specta::specta]
pub async fn unassign_role_assignment(
    state: State<'_, AppState>,
    user_id: String,
    assignment_id: String,
) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let c = directory::roles::unassign_assignment(&rec.client, &user_id, &assignment_id).await;
    rec.record(&c, capture::role_changed, || {
        let action = Action::UnassignRole {
            role: tried(&assignment_id),
            scope: tried("/"),
        };
        (action, typed(Person, &user_id))
    })
    .await;
    let c = c?;
    if let Some(change) = holder_now(&c) {
        state.record_role_holders(change).await;
    }
    Ok(Done::new(c.summary()))
}

/// Unassign Role from User, directory-wide (the Roles page's holders).
#[tauri::command]
#[specta::specta]
pub async fn unassign_role(
    state: State<'_, AppState>,
    user_id: String,
    role_template_id: String,
) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let c = directory::roles::unassign(&rec.client, &user_id, &role_template_id).await;
    rec.record(&c, capture::role_changed, || {
        let action = Action::UnassignRole {
            role: tried(&role_template_id),
            scope: tried("/"),
        };
        (action, typed(Person, &user_id))
    })
    .await;
    let c = c?;
    if let Some(change) = holder_now(&c) {
        state.record_role_holders(change).await;
    }
    Ok(Done::new(c.summary()))
}

/// A role or scope known only by what was asked (an attempt that failed).
fn tried(key: &str) -> Named {
    Named {
        id: key.to_owned(),
        name: key.to_owned(),
    }
}

/// What a role change Graph accepted means for the copy's role holders (built-in roles held
/// directory-wide, the ones the Roles page lists).
fn holder_now(c: &directory::roles::RoleChange) -> Option<watch::RoleHolders> {
    (c.role.built_in && c.scope.id == "/").then(|| watch::RoleHolders::Set {
        holder: watch::RoleHolder {
            role_id: c.role.id.clone(),
            member_id: c.user.id.to_string(),
            member_type: watch::ObjectType::User,
        },
        holds: c.assigned,
    })
}

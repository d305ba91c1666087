use journal::capture::{self, before, typed};
use journal::{Action, TargetKind::User as Person};
use serde_json::Value;
use tauri::State;
use watch::own;
use watch::Resource::Users;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{
    user_from_record, CreatedUserView, DomainView, Done, GroupRow, ManagerView, PasswordResetView, SearchForm,
    SearchProperties, UserPage, UserRow,
};

/// The Users table: a window of the local copy (searched, filtered and sorted there).
#[tauri::command]
#[specta::specta]
pub async fn query_users(state: State<'_, AppState>, query: watch::ListQuery) -> Result<UserPage, IpcError> {
    state
        .query_directory(watch::Resource::Users, query, UserRow::from_record)
        .await
        .map(UserPage::from)
}

/// Find a person: object id, sign-in name or any of their email addresses (from the local copy).
#[tauri::command]
#[specta::specta]
pub async fn find_person(state: State<'_, AppState>, key: String) -> Result<Option<UserRow>, IpcError> {
    state.find_person(key).await
}

/// Search Users in Microsoft Graph (for what the local copy does not keep): words in the
/// name/email/sign-in name and/or property criteria (at most 4,000).
#[tauri::command]
#[specta::specta]
pub async fn search_users(state: State<'_, AppState>, search: SearchForm) -> Result<Vec<UserRow>, IpcError> {
    let client = state.graph().await?;
    let users = directory::users::search(&client, &search.into()).await?;
    Ok(users.into_iter().map(UserRow::from).collect())
}

/// A temporary password for a new account whose sign-in name starts with `alias` (Rust's one
/// generator, the one Reset password uses). Shown in the New user form, sent only with the create.
#[tauri::command]
#[specta::specta]
pub fn new_temporary_password(alias: String) -> String {
    directory::users::temporary_password(alias.trim())
}

/// The organisation's verified domains, the default first (the New user form's domain list).
#[tauri::command]
#[specta::specta]
pub async fn list_domains(state: State<'_, AppState>) -> Result<Vec<DomainView>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::users::domains(&client)
        .await?
        .into_iter()
        .map(DomainView::from)
        .collect())
}

/// The properties the search forms offer as criteria.
#[tauri::command]
#[specta::specta]
pub fn search_properties() -> SearchProperties {
    SearchProperties {
        users: directory::users::search_properties()
            .into_iter()
            .map(str::to_string)
            .collect(),
        groups: directory::groups::search_properties()
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

/// Read User: `key` is an object id, sign-in name or email address.
#[tauri::command]
#[specta::specta]
pub async fn get_user(state: State<'_, AppState>, key: String) -> Result<msgraph::User, IpcError> {
    let client = state.graph().await?;
    Ok(directory::users::get(&client, &key).await?)
}

/// Read User from the local copy (shown at once; `get_user` then brings the live object).
#[tauri::command]
#[specta::specta]
pub async fn copy_user(state: State<'_, AppState>, key: String) -> Result<Option<msgraph::User>, IpcError> {
    state.copy_object(watch::Resource::Users, key, user_from_record).await
}

/// Create Cloud User, then its manager, groups and licence (waiting out Microsoft's replication);
/// where the chain is goes to the window as it runs (`NewUserProgress`).
/// The password is sent once and never kept.
#[tauri::command]
#[specta::specta]
pub async fn create_user(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    request: directory::new_user::NewUserRequest,
) -> Result<CreatedUserView, IpcError> {
    let rec = state.recorder().await?;
    let patience = directory::new_user::Patience::default();
    let tell = |p: &directory::new_user::Progress| crate::events::NewUserProgress::tell(&app, p);
    let created = directory::new_user::create(&rec.client, &request, &patience, &tell).await;
    let name = &request.user.user_principal_name;
    rec.record(
        &created,
        |c| capture::user_created(&c.user),
        || (Action::CreateUser, typed(Person, name)),
    )
    .await;
    let created = created?;
    state
        .record_own([own::created(Users, created.user.id.as_str(), &created.user)])
        .await;
    Ok(created.into())
}

/// Update User: only the properties present in `changes` are sent (`null` clears one).
#[tauri::command]
#[specta::specta]
pub async fn update_user(
    state: State<'_, AppState>,
    key: String,
    changes: msgraph::UserUpdate,
) -> Result<msgraph::User, IpcError> {
    let rec = state.recorder().await?;
    let was = before::user(&rec.client, &key).await;
    let user = directory::users::update(&rec.client, &key, &changes).await;
    let sent = changes.keys();
    rec.record(
        &user,
        |after| {
            was.as_ref()
                .map_or_else(Vec::new, |b| capture::user_updated(&sent, b, after))
        },
        || (Action::UpdateUser, typed(Person, &key)),
    )
    .await;
    let user = user?;
    state
        .record_own([own::patched_as_now(Users, user.id.as_str(), &changes.keys(), &user)])
        .await;
    Ok(user)
}

/// Reset Password: a new temporary password made in Rust, shown once.
#[tauri::command]
#[specta::specta]
pub async fn reset_password(
    state: State<'_, AppState>,
    key: String,
    must_change: bool,
) -> Result<PasswordResetView, IpcError> {
    let rec = state.recorder().await?;
    let reset = directory::users::reset_password(&rec.client, &key, must_change).await;
    rec.record(&reset, capture::password_reset, || {
        (Action::ResetPassword, typed(Person, &key))
    })
    .await;
    Ok(reset?.into())
}

/// Enable or Disable User Account.
#[tauri::command]
#[specta::specta]
pub async fn set_user_enabled(state: State<'_, AppState>, key: String, enabled: bool) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let change = directory::users::set_enabled(&rec.client, &key, enabled).await;
    let action = if enabled { Action::Unblock } else { Action::Block };
    rec.record(&change, capture::enabled, || (action, typed(Person, &key)))
        .await;
    let change = change?;
    state
        .record_own([Some(own::property(
            Users,
            change.user.id.as_str(),
            "accountEnabled",
            enabled.into(),
        ))])
        .await;
    Ok(Done::new(change.summary()))
}

/// Delete User (restorable for 30 days).
#[tauri::command]
#[specta::specta]
pub async fn delete_user(state: State<'_, AppState>, key: String) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let deleted = directory::users::delete(&rec.client, &key).await;
    rec.record(&deleted, capture::user_deleted, || {
        (Action::DeleteUser, typed(Person, &key))
    })
    .await;
    let deleted = deleted?;
    state
        .record_own([Some(own::deleted(Users, deleted.user.id.as_str(), true))])
        .await;
    Ok(Done::new(deleted.summary()))
}

/// Revoke User Sign-In Sessions.
#[tauri::command]
#[specta::specta]
pub async fn revoke_sessions(state: State<'_, AppState>, key: String) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let revoked = directory::users::revoke_sessions(&rec.client, &key).await;
    rec.record(&revoked, capture::sessions_revoked, || {
        (Action::RevokeSessions, typed(Person, &key))
    })
    .await;
    Ok(Done::new(revoked?.summary()))
}

/// Read User Manager: null when the person has no manager.
#[tauri::command]
#[specta::specta]
pub async fn get_manager(state: State<'_, AppState>, key: String) -> Result<Option<ManagerView>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::users::manager(&client, &key).await?.map(ManagerView::from))
}

/// Assign User Manager (replaces any previous manager).
#[tauri::command]
#[specta::specta]
pub async fn set_manager(state: State<'_, AppState>, key: String, manager: String) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let was = before::manager(&rec.client, &key).await;
    let change = directory::users::set_manager(&rec.client, &key, &manager).await;
    let tried = || journal::Named {
        id: manager.clone(),
        name: manager.clone(),
    };
    rec.record(
        &change,
        |c| capture::manager_changed(was.as_ref(), c),
        || {
            (
                Action::SetManager {
                    manager: tried(),
                    previous: None,
                },
                typed(Person, &key),
            )
        },
    )
    .await;
    let change = change?;
    state.record_own([manager_now(&change)]).await;
    Ok(Done::new(change.summary()))
}

/// Removes the person's manager.
#[tauri::command]
#[specta::specta]
pub async fn remove_manager(state: State<'_, AppState>, key: String) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let was = before::manager(&rec.client, &key).await;
    let change = directory::users::remove_manager(&rec.client, &key).await;
    rec.record(
        &change,
        |c| capture::manager_changed(was.as_ref(), c),
        || (Action::RemoveManager { previous: None }, typed(Person, &key)),
    )
    .await;
    let change = change?;
    state.record_own([manager_now(&change)]).await;
    Ok(Done::new(change.summary()))
}

/// The person's manager as the local copy keeps it (the manager's id, or none), after a change.
fn manager_now(change: &directory::users::ManagerChange) -> Option<watch::OwnChange> {
    change.changed.then(|| {
        let manager = change
            .manager
            .as_ref()
            .map_or(Value::Null, |m| Value::String(m.id.to_string()));
        own::property(Users, change.user.id.as_str(), "manager", manager)
    })
}

/// The groups a person is a direct member of.
#[tauri::command]
#[specta::specta]
pub async fn user_groups(state: State<'_, AppState>, key: String) -> Result<Vec<GroupRow>, IpcError> {
    state.user_groups(key).await
}

/// The groups a person owns.
#[tauri::command]
#[specta::specta]
pub async fn owned_groups(state: State<'_, AppState>, key: String) -> Result<Vec<GroupRow>, IpcError> {
    state.owned_groups(key).await
}

/// A window of the person's direct reports from the local copy.
#[tauri::command]
#[specta::specta]
pub async fn query_direct_reports(
    state: State<'_, AppState>,
    user_id: String,
    query: watch::ListQuery,
) -> Result<UserPage, IpcError> {
    state.query_direct_reports(user_id, query).await.map(UserPage::from)
}

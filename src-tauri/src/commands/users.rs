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
    let (client, _check) = state.graph_for_change().await?;
    let patience = directory::new_user::Patience::default();
    let tell = |p: &directory::new_user::Progress| crate::events::NewUserProgress::tell(&app, p);
    let created = directory::new_user::create(&client, &request, &patience, &tell).await?;
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
    let (client, _check) = state.graph_for_change().await?;
    let user = directory::users::update(&client, &key, &changes).await?;
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
    let client = state.graph().await?;
    Ok(directory::users::reset_password(&client, &key, must_change)
        .await?
        .into())
}

/// Enable or Disable User Account.
#[tauri::command]
#[specta::specta]
pub async fn set_user_enabled(state: State<'_, AppState>, key: String, enabled: bool) -> Result<Done, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    let change = directory::users::set_enabled(&client, &key, enabled).await?;
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
    let (client, _check) = state.graph_for_change().await?;
    let deleted = directory::users::delete(&client, &key).await?;
    state
        .record_own([Some(own::deleted(Users, deleted.user.id.as_str(), true))])
        .await;
    Ok(Done::new(deleted.summary()))
}

/// Revoke User Sign-In Sessions.
#[tauri::command]
#[specta::specta]
pub async fn revoke_sessions(state: State<'_, AppState>, key: String) -> Result<Done, IpcError> {
    let client = state.graph().await?;
    Ok(Done::new(
        directory::users::revoke_sessions(&client, &key).await?.summary(),
    ))
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
    let (client, _check) = state.graph_for_change().await?;
    let change = directory::users::set_manager(&client, &key, &manager).await?;
    state.record_own([manager_now(&change)]).await;
    Ok(Done::new(change.summary()))
}

/// Removes the person's manager.
#[tauri::command]
#[specta::specta]
pub async fn remove_manager(state: State<'_, AppState>, key: String) -> Result<Done, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    let change = directory::users::remove_manager(&client, &key).await?;
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

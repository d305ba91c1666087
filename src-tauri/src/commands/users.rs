use serde_json::Value;
use tauri::State;
use watch::own;
use watch::Resource::Users;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{
    DomainView, Done, GroupRow, ManagerView, NewUserForm, SearchForm, SearchProperties, UserDetails, UserPage,
    UserPatch, UserRow,
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
pub async fn get_user(state: State<'_, AppState>, key: String) -> Result<UserDetails, IpcError> {
    let client = state.graph().await?;
    Ok(directory::users::get(&client, &key).await?.into())
}

/// Read User from the local copy (shown at once; `get_user` then brings the live object).
#[tauri::command]
#[specta::specta]
pub async fn copy_user(state: State<'_, AppState>, key: String) -> Result<Option<UserDetails>, IpcError> {
    state
        .copy_object(watch::Resource::Users, key, UserDetails::from_record)
        .await
}

/// Create Cloud User. The password is sent once and never kept.
#[tauri::command]
#[specta::specta]
pub async fn create_user(state: State<'_, AppState>, user: NewUserForm) -> Result<UserRow, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    let created = directory::users::create(&client, &new_user(user)).await?;
    state
        .record_own([own::created(Users, created.id.as_str(), &created)])
        .await;
    Ok(created.into())
}

/// Update User: only the fields present in `changes` are sent.
#[tauri::command]
#[specta::specta]
pub async fn update_user(state: State<'_, AppState>, key: String, changes: UserPatch) -> Result<UserDetails, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    let update = user_update(changes);
    let user = directory::users::update(&client, &key, &update).await?;
    state.record_own([own::patched(Users, user.id.as_str(), &update)]).await;
    Ok(user.into())
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

fn text(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Edit form → update: absent = unchanged, empty = cleared.
fn clearable(v: Option<String>) -> Option<Option<String>> {
    v.map(|s| text(Some(s)))
}

fn new_user(f: NewUserForm) -> msgraph::NewUser {
    let mut u = msgraph::NewUser::new(
        f.display_name,
        f.mail_nickname.unwrap_or_default(),
        f.user_principal_name,
        msgraph::PasswordProfile {
            password: f.password,
            force_change_password_next_sign_in: f.force_change_password_next_sign_in.unwrap_or(true),
            force_change_password_next_sign_in_with_mfa: None,
        },
    );
    u.account_enabled = f.account_enabled.unwrap_or(true);
    u.given_name = text(f.given_name);
    u.surname = text(f.surname);
    u.job_title = text(f.job_title);
    u.department = text(f.department);
    u.company_name = text(f.company_name);
    u.office_location = text(f.office_location);
    u.business_phones = text(f.business_phone).into_iter().collect();
    u.mobile_phone = text(f.mobile_phone);
    u.street_address = text(f.street_address);
    u.city = text(f.city);
    u.state = text(f.state);
    u.postal_code = text(f.postal_code);
    u.country = text(f.country);
    u.usage_location = text(f.usage_location);
    u.preferred_language = text(f.preferred_language);
    u.employee_id = text(f.employee_id);
    u
}

fn user_update(p: UserPatch) -> msgraph::UserUpdate {
    msgraph::UserUpdate {
        display_name: p.display_name,
        given_name: clearable(p.given_name),
        surname: clearable(p.surname),
        user_principal_name: p.user_principal_name,
        mail_nickname: p.mail_nickname,
        job_title: clearable(p.job_title),
        department: clearable(p.department),
        company_name: clearable(p.company_name),
        office_location: clearable(p.office_location),
        employee_id: clearable(p.employee_id),
        business_phones: p.business_phone.map(|b| text(Some(b)).into_iter().collect()),
        mobile_phone: clearable(p.mobile_phone),
        street_address: clearable(p.street_address),
        city: clearable(p.city),
        state: clearable(p.state),
        postal_code: clearable(p.postal_code),
        country: clearable(p.country),
        usage_location: p.usage_location,
        preferred_language: clearable(p.preferred_language),
        other_mails: p.other_mails,
        about_me: clearable(p.about_me),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edit_form_sends_only_touched_fields_and_empty_text_clears() {
        let u = user_update(UserPatch {
            job_title: Some("Buyer".into()),
            department: Some("  ".into()),
            business_phone: Some(String::new()),
            ..Default::default()
        });
        let body = serde_json::to_value(&u).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"jobTitle": "Buyer", "department": null, "businessPhones": []})
        );
    }

    #[test]
    fn the_create_form_defaults_to_an_enabled_account_that_changes_its_password() {
        let form = NewUserForm {
            display_name: "Kim Lee".into(),
            user_principal_name: "kim@contoso.com".into(),
            mail_nickname: None,
            password: "xWwvJ]6NMw+bWH-d".into(),
            force_change_password_next_sign_in: None,
            account_enabled: None,
            given_name: Some(" ".into()),
            surname: None,
            job_title: None,
            department: Some("Sales".into()),
            company_name: None,
            office_location: None,
            business_phone: Some("+1 425 555 0100".into()),
            mobile_phone: None,
            street_address: None,
            city: None,
            state: None,
            postal_code: None,
            country: None,
            usage_location: Some("US".into()),
            preferred_language: None,
            employee_id: None,
        };
        assert!(
            !format!("{form:?}").contains("xWwvJ"),
            "the form's Debug output hides the password"
        );
        let u = new_user(form);
        assert!(u.account_enabled && u.password_profile.force_change_password_next_sign_in);
        assert_eq!(u.given_name, None);
        assert_eq!(u.business_phones, vec!["+1 425 555 0100".to_string()]);
        assert!(
            !format!("{u:?}").contains("xWwvJ"),
            "the password never appears in Debug output"
        );
    }
}

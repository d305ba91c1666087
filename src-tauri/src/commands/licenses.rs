use tauri::State;
use watch::own;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{LicenseChangeResult, LicenseRow, UserLicenseRow, UserPage};

/// Get Licenses: the organisation's subscriptions with product names and free seats.
#[tauri::command]
#[specta::specta]
pub async fn list_licenses(state: State<'_, AppState>) -> Result<Vec<LicenseRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::licenses::list(&client)
        .await?
        .into_iter()
        .map(LicenseRow::from)
        .collect())
}

/// Who holds a licence (`sku_id`: the SKU id from `list_licenses`), directly or through a group:
/// a window of the local copy, by name.
#[tauri::command]
#[specta::specta]
pub async fn query_license_holders(
    state: State<'_, AppState>,
    sku_id: String,
    query: watch::ListQuery,
) -> Result<UserPage, IpcError> {
    state.query_licence_holders(sku_id, query).await.map(UserPage::from)
}

/// The licences a person holds.
#[tauri::command]
#[specta::specta]
pub async fn user_licenses(state: State<'_, AppState>, user_id: String) -> Result<Vec<UserLicenseRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::licenses::of_user(&client, &user_id)
        .await?
        .into_iter()
        .map(UserLicenseRow::from)
        .collect())
}

/// Assign License to User (`sku_id`: SKU id, part number or product name; plans to switch off).
#[tauri::command]
#[specta::specta]
pub async fn assign_license(
    state: State<'_, AppState>,
    user_id: String,
    sku_id: String,
    disabled_plans: Vec<String>,
) -> Result<LicenseChangeResult, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    let c = directory::licenses::assign(&client, &user_id, &sku_id, &disabled_plans).await?;
    state.record_own([licences_now(&c.user)]).await;
    Ok(LicenseChangeResult {
        message: c.summary(),
        licenses: c.licenses.into_iter().map(Into::into).collect(),
    })
}

/// Remove License from User.
#[tauri::command]
#[specta::specta]
pub async fn remove_license(
    state: State<'_, AppState>,
    user_id: String,
    sku_id: String,
) -> Result<LicenseChangeResult, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    let c = directory::licenses::remove(&client, &user_id, &sku_id).await?;
    state.record_own([licences_now(&c.user)]).await;
    Ok(LicenseChangeResult {
        message: c.summary(),
        licenses: c.licenses.into_iter().map(Into::into).collect(),
    })
}

/// Sets a person's usage location (two-letter country code), needed before licensing.
#[tauri::command]
#[specta::specta]
pub async fn set_usage_location(
    state: State<'_, AppState>,
    user_id: String,
    usage_location: String,
) -> Result<msgraph::User, IpcError> {
    let (client, _check) = state.graph_for_change().await?;
    Ok(directory::licenses::set_usage_location(&client, &user_id, &usage_location).await?)
}

/// The person's licences as Graph reports them after the change, for the local copy.
fn licences_now(user: &msgraph::User) -> Option<watch::OwnChange> {
    let value = serde_json::to_value(&user.assigned_licenses).ok()?;
    Some(own::property(
        watch::Resource::Users,
        user.id.as_str(),
        "assignedLicenses",
        value,
    ))
}

use journal::capture::{self, before, typed};
use journal::{Action, TargetKind::User as Person};
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
    let rec = state.recorder().await?;
    let c = directory::licenses::assign(&rec.client, &user_id, &sku_id, &disabled_plans).await;
    rec.record(
        &c,
        |c| capture::licence_changed(&[], c),
        || {
            let (sku_id, licence) = (sku_id.clone(), sku_id.clone());
            let disabled_plans = disabled_plans.clone();
            (
                Action::AssignLicence {
                    sku_id,
                    licence,
                    disabled_plans,
                },
                typed(Person, &user_id),
            )
        },
    )
    .await;
    let c = c?;
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
    let rec = state.recorder().await?;
    let held = before::licences(&rec.client, &user_id).await;
    let c = directory::licenses::remove(&rec.client, &user_id, &sku_id).await;
    rec.record(
        &c,
        |c| capture::licence_changed(&held, c),
        || {
            let (sku_id, licence) = (sku_id.clone(), sku_id.clone());
            (
                Action::RemoveLicence {
                    sku_id,
                    licence,
                    disabled_plans: Vec::new(),
                },
                typed(Person, &user_id),
            )
        },
    )
    .await;
    let c = c?;
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
    let rec = state.recorder().await?;
    let was = before::user(&rec.client, &user_id).await;
    let user = directory::licenses::set_usage_location(&rec.client, &user_id, &usage_location).await;
    let sent = ["usageLocation".to_string()];
    rec.record(
        &user,
        |after| {
            was.as_ref()
                .map_or_else(Vec::new, |b| capture::user_updated(&sent, b, after))
        },
        || (Action::UpdateUser, typed(Person, &user_id)),
    )
    .await;
    Ok(user?)
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

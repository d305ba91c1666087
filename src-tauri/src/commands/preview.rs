//! "Show the request": runs an action's use case on a previewing Graph client (reads for real, writes
//! recorded instead of sent — `msgraph::Client::previewing`) with exactly the values the action's own
//! command would pass, and returns what would be sent: method, URL, body (passwords masked) and the
//! Microsoft Graph PowerShell line. Each arm calls the same `directory` function as its command.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::commands::groups::{group_changes, new_group};
use crate::commands::guests::guest_input;
use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{GroupPatch, GuestForm, NewGroupForm, SearchForm};

/// An action and the values its command takes (the same names and shapes).
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(tag = "action", rename_all = "camelCase")]
pub enum PreviewAction {
    #[serde(rename_all = "camelCase")]
    CreateUser {
        request: directory::new_user::NewUserRequest,
    },
    #[serde(rename_all = "camelCase")]
    UpdateUser { key: String, changes: msgraph::UserUpdate },
    #[serde(rename_all = "camelCase")]
    SetUserEnabled { key: String, enabled: bool },
    #[serde(rename_all = "camelCase")]
    DeleteUser { key: String },
    #[serde(rename_all = "camelCase")]
    RevokeSessions { key: String },
    #[serde(rename_all = "camelCase")]
    SetManager { key: String, manager: String },
    #[serde(rename_all = "camelCase")]
    RemoveManager { key: String },
    #[serde(rename_all = "camelCase")]
    CreateGroup { group: NewGroupForm },
    #[serde(rename_all = "camelCase")]
    UpdateGroup { key: String, changes: GroupPatch },
    #[serde(rename_all = "camelCase")]
    DeleteGroup { key: String },
    #[serde(rename_all = "camelCase")]
    AddGroupMembers { group_id: String, member_ids: Vec<String> },
    #[serde(rename_all = "camelCase")]
    RemoveGroupMember { group_id: String, member_id: String },
    #[serde(rename_all = "camelCase")]
    AssignLicense {
        user_id: String,
        sku_id: String,
        disabled_plans: Vec<String>,
    },
    #[serde(rename_all = "camelCase")]
    RemoveLicense { user_id: String, sku_id: String },
    #[serde(rename_all = "camelCase")]
    RestoreDeletedItem { id: String },
    #[serde(rename_all = "camelCase")]
    ResetPassword { key: String, must_change: bool },
    #[serde(rename_all = "camelCase")]
    SetUsageLocation { user_id: String, usage_location: String },
    #[serde(rename_all = "camelCase")]
    AddGroupOwner { group_id: String, owner_id: String },
    #[serde(rename_all = "camelCase")]
    RemoveGroupOwner { group_id: String, owner_id: String },
    #[serde(rename_all = "camelCase")]
    AssignRole {
        user_id: String,
        role_template_id: String,
        scope: Option<String>,
    },
    #[serde(rename_all = "camelCase")]
    UnassignRoleAssignment { user_id: String, assignment_id: String },
    #[serde(rename_all = "camelCase")]
    CreateContact {
        user_id: Option<String>,
        folder_id: Option<String>,
        contact: msgraph::ContactInput,
    },
    #[serde(rename_all = "camelCase")]
    InviteGuest { guest: GuestForm },
    // Searches: their reads are shown (and sent: reading changes nothing).
    #[serde(rename_all = "camelCase")]
    SearchUsers { search: SearchForm },
    #[serde(rename_all = "camelCase")]
    SearchGroups { search: SearchForm },
    #[serde(rename_all = "camelCase")]
    SearchGroupMembers {
        group_id: String,
        search: directory::groups::MemberSearch,
    },
    #[serde(rename_all = "camelCase")]
    SearchContacts {
        user_id: Option<String>,
        folder_id: Option<String>,
        text: String,
        include_child_folders: bool,
        result_set: directory::contacts::ResultSet,
    },
}

impl PreviewAction {
    /// A search: what it reads is what it sends.
    fn only_reads(&self) -> bool {
        matches!(
            self,
            PreviewAction::SearchUsers { .. }
                | PreviewAction::SearchGroups { .. }
                | PreviewAction::SearchGroupMembers { .. }
                | PreviewAction::SearchContacts { .. }
        )
    }
}

/// One request the action would send, as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ShownRequest {
    pub method: String,
    pub url: String,
    /// `Name: value` lines (besides the token and the content type).
    pub headers: Vec<String>,
    /// Pretty JSON, passwords masked.
    pub body: Option<String>,
    /// `Invoke-MgGraphRequest …`: the same request from Microsoft Graph PowerShell.
    pub powershell: String,
}

impl From<msgraph::PreviewedRequest> for ShownRequest {
    fn from(r: msgraph::PreviewedRequest) -> ShownRequest {
        ShownRequest {
            powershell: r.powershell(),
            method: r.method,
            url: r.url,
            headers: r.headers.into_iter().map(|(k, v)| format!("{k}: {v}")).collect(),
            body: r
                .body
                .map(|b| serde_json::to_string_pretty(&b).unwrap_or_else(|_| b.to_string())),
        }
    }
}

/// What `action` would send, nothing that changes anything sent (a search's reads are sent and shown).
/// Input the action would refuse is refused here the same way.
#[tauri::command]
#[specta::specta]
pub async fn preview_request(state: State<'_, AppState>, action: PreviewAction) -> Result<Vec<ShownRequest>, IpcError> {
    preview(&state, action).await
}

/// `preview_request` without Tauri (tests/app_state.rs drives it).
pub async fn preview(state: &AppState, action: PreviewAction) -> Result<Vec<ShownRequest>, IpcError> {
    let graph = state.graph().await?;
    let (client, preview) = if action.only_reads() {
        graph.previewing_reads()
    } else {
        graph.previewing()
    };
    run(&client, action).await?;
    Ok(preview.requests().into_iter().map(ShownRequest::from).collect())
}

/// The action's use case, as its command calls it (the outcome is not needed: only the requests).
async fn run(client: &msgraph::Client, action: PreviewAction) -> Result<(), IpcError> {
    use directory::{contacts, deleted, groups, guests, licenses, new_user, roles, users};
    match action {
        PreviewAction::CreateUser { request } => {
            new_user::create(client, &request, &new_user::Patience::default(), &|_| {}).await?;
        }
        PreviewAction::UpdateUser { key, changes } => {
            users::update(client, &key, &changes).await?;
        }
        PreviewAction::SetUserEnabled { key, enabled } => {
            users::set_enabled(client, &key, enabled).await?;
        }
        PreviewAction::DeleteUser { key } => {
            users::delete(client, &key).await?;
        }
        PreviewAction::RevokeSessions { key } => {
            users::revoke_sessions(client, &key).await?;
        }
        PreviewAction::SetManager { key, manager } => {
            users::set_manager(client, &key, &manager).await?;
        }
        PreviewAction::RemoveManager { key } => {
            users::remove_manager(client, &key).await?;
        }
        PreviewAction::CreateGroup { group } => {
            groups::create(client, &new_group(group)).await?;
        }
        PreviewAction::UpdateGroup { key, changes } => {
            groups::update(client, &key, &group_changes(changes)).await?;
        }
        PreviewAction::DeleteGroup { key } => {
            groups::delete(client, &key).await?;
        }
        PreviewAction::AddGroupMembers { group_id, member_ids } => {
            groups::add_members(client, &group_id, &member_ids).await?;
        }
        PreviewAction::RemoveGroupMember { group_id, member_id } => {
            groups::remove_member(client, &group_id, &member_id).await?;
        }
        PreviewAction::AssignLicense {
            user_id,
            sku_id,
            disabled_plans,
        } => {
            licenses::assign(client, &user_id, &sku_id, &disabled_plans).await?;
        }
        PreviewAction::RemoveLicense { user_id, sku_id } => {
            licenses::remove(client, &user_id, &sku_id).await?;
        }
        PreviewAction::RestoreDeletedItem { id } => {
            deleted::restore(client, &id).await?;
        }
        PreviewAction::ResetPassword { key, must_change } => {
            users::reset_password(client, &key, must_change).await?;
        }
        PreviewAction::SetUsageLocation {
            user_id,
            usage_location,
        } => {
            licenses::set_usage_location(client, &user_id, &usage_location).await?;
        }
        PreviewAction::AddGroupOwner { group_id, owner_id } => {
            groups::add_owner(client, &group_id, &owner_id).await?;
        }
        PreviewAction::RemoveGroupOwner { group_id, owner_id } => {
            groups::remove_owner(client, &group_id, &owner_id).await?;
        }
        PreviewAction::AssignRole {
            user_id,
            role_template_id,
            scope,
        } => {
            roles::assign(client, &user_id, &role_template_id, scope.as_deref()).await?;
        }
        PreviewAction::UnassignRoleAssignment { user_id, assignment_id } => {
            roles::unassign_assignment(client, &user_id, &assignment_id).await?;
        }
        PreviewAction::CreateContact {
            user_id,
            folder_id,
            contact,
        } => {
            contacts::create(client, user_id.as_deref(), folder_id.as_deref(), &contact).await?;
        }
        PreviewAction::InviteGuest { guest } => {
            guests::invite(client, &guest_input(guest), &new_user::Patience::default()).await?;
        }
        PreviewAction::SearchUsers { search } => {
            users::search(client, &search.into()).await?;
        }
        PreviewAction::SearchGroups { search } => {
            groups::search(client, &search.into()).await?;
        }
        PreviewAction::SearchGroupMembers { group_id, search } => {
            groups::search_members(client, &group_id, &search).await?;
        }
        PreviewAction::SearchContacts {
            user_id,
            folder_id,
            text,
            include_child_folders,
            result_set,
        } => {
            contacts::search(
                client,
                user_id.as_deref(),
                folder_id.as_deref(),
                &text,
                include_child_folders,
                result_set,
            )
            .await?;
        }
    }
    Ok(())
}

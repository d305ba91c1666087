use journal::capture::{self, before, typed};
use journal::{Action, Named, TargetKind};
use tauri::State;
use watch::own;
use watch::Resource::Groups;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{
    AddMembersResult, CreatedGroup, Done, FoundMemberRow, GroupDetails, GroupPage, GroupPatch, GroupRow, MemberPage,
    MembershipRuleCheck, NewGroupForm, NewGroupKind, SearchForm,
};

/// The Groups table: a window of the local copy (searched, filtered and sorted there).
#[tauri::command]
#[specta::specta]
pub async fn query_groups(state: State<'_, AppState>, query: watch::ListQuery) -> Result<GroupPage, IpcError> {
    state
        .query_directory(watch::Resource::Groups, query, GroupRow::from_record)
        .await
        .map(GroupPage::from)
}

/// Search Groups in Microsoft Graph: words in the name/description and/or property criteria.
#[tauri::command]
#[specta::specta]
pub async fn search_groups(state: State<'_, AppState>, search: SearchForm) -> Result<Vec<GroupRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::groups::search(&client, &search.into())
        .await?
        .into_iter()
        .map(GroupRow::from)
        .collect())
}

/// Read Group: `key` is the group's id, name or mail nickname.
#[tauri::command]
#[specta::specta]
pub async fn get_group(state: State<'_, AppState>, key: String) -> Result<GroupDetails, IpcError> {
    let client = state.graph().await?;
    Ok(directory::groups::get(&client, &key).await?.into())
}

/// Read Group from the local copy (shown at once; `get_group` then brings the live object).
#[tauri::command]
#[specta::specta]
pub async fn copy_group(state: State<'_, AppState>, key: String) -> Result<Option<GroupDetails>, IpcError> {
    state
        .copy_object(watch::Resource::Groups, key, GroupDetails::from_record)
        .await
}

/// Create Group (Microsoft 365 or security; dynamic with a membership rule).
#[tauri::command]
#[specta::specta]
pub async fn create_group(state: State<'_, AppState>, group: NewGroupForm) -> Result<CreatedGroup, IpcError> {
    let rec = state.recorder().await?;
    let security = group.kind == NewGroupKind::Security;
    let name = group.display_name.clone();
    let created = directory::groups::create(&rec.client, &new_group(group)).await;
    rec.record(&created, capture::group_created, || {
        (Action::CreateGroup { security }, typed(TargetKind::Group, &name))
    })
    .await;
    let created = created?;
    let g = &created.group;
    state.record_own([own::created(Groups, g.id.as_str(), g)]).await;
    Ok(CreatedGroup {
        message: created.summary(),
        group: created.group.into(),
    })
}

/// Update Group: only the fields present in `changes` are sent.
#[tauri::command]
#[specta::specta]
pub async fn update_group(
    state: State<'_, AppState>,
    key: String,
    changes: GroupPatch,
) -> Result<GroupDetails, IpcError> {
    let rec = state.recorder().await?;
    let changes = group_changes(changes);
    let was = before::group(&rec.client, &key).await;
    let updated = directory::groups::update(&rec.client, &key, &changes).await;
    let sent = capture::sent(&changes.core);
    rec.record(
        &updated,
        |(after, _)| {
            was.as_ref()
                .map_or_else(Vec::new, |b| capture::group_updated(&sent, b, after))
        },
        || (Action::UpdateGroup, typed(TargetKind::Group, &key)),
    )
    .await;
    let updated = updated?;
    state
        .record_own([own::patched(Groups, updated.0.id.as_str(), &changes.core)])
        .await;
    Ok(updated.into())
}

/// Delete Group. Says whether it can be restored.
#[tauri::command]
#[specta::specta]
pub async fn delete_group(state: State<'_, AppState>, key: String) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let deleted = directory::groups::delete(&rec.client, &key).await;
    rec.record(&deleted, capture::group_deleted, || {
        (
            Action::DeleteGroup { restorable: false },
            typed(TargetKind::Group, &key),
        )
    })
    .await;
    let deleted = deleted?;
    state
        .record_own([Some(own::deleted(
            Groups,
            deleted.group.id.as_str(),
            deleted.restorable,
        ))])
        .await;
    Ok(Done::new(deleted.summary()))
}

/// Search Group Members: a window of the group's current members from the local copy.
#[tauri::command]
#[specta::specta]
pub async fn query_group_members(
    state: State<'_, AppState>,
    group_id: String,
    query: watch::ListQuery,
) -> Result<MemberPage, IpcError> {
    state.query_group_members(group_id, query).await.map(MemberPage::from)
}

/// Search Group Members in Microsoft Graph: members (direct or nested), owners or both, whose
/// name or address matches the words.
#[tauri::command]
#[specta::specta]
pub async fn search_group_members(
    state: State<'_, AppState>,
    group_id: String,
    search: directory::groups::MemberSearch,
) -> Result<Vec<FoundMemberRow>, IpcError> {
    let client = state.graph().await?;
    Ok(directory::groups::search_members(&client, &group_id, &search)
        .await?
        .into_iter()
        .map(FoundMemberRow::from)
        .collect())
}

/// A window of the group's owners from the local copy.
#[tauri::command]
#[specta::specta]
pub async fn query_group_owners(
    state: State<'_, AppState>,
    group_id: String,
    query: watch::ListQuery,
) -> Result<MemberPage, IpcError> {
    state.query_group_owners(group_id, query).await.map(MemberPage::from)
}

/// Add User to Group, for several people at once (ids, sign-in names or emails).
#[tauri::command]
#[specta::specta]
pub async fn add_group_members(
    state: State<'_, AppState>,
    group_id: String,
    member_ids: Vec<String>,
) -> Result<AddMembersResult, IpcError> {
    let rec = state.recorder().await?;
    let outcome = directory::groups::add_members(&rec.client, &group_id, &member_ids).await;
    rec.record(&outcome, capture::members_added, || {
        let group = Named {
            id: group_id.clone(),
            name: group_id.clone(),
        };
        (
            Action::AddMember { group },
            typed(TargetKind::Other, &member_ids.join(", ")),
        )
    })
    .await;
    let outcome = outcome?;
    let group = outcome.group.id.to_string();
    state
        .record_own(
            outcome
                .added
                .iter()
                .map(|m| Some(own::membership(&group, m.id.as_str(), member_type(m), true))),
        )
        .await;
    Ok(outcome.into())
}

/// Remove User from Group (only the membership; never the person).
#[tauri::command]
#[specta::specta]
pub async fn remove_group_member(
    state: State<'_, AppState>,
    group_id: String,
    member_id: String,
) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let o = directory::groups::remove_member(&rec.client, &group_id, &member_id).await;
    rec.record(&o, capture::member_removed, || {
        let group = Named {
            id: group_id.clone(),
            name: group_id.clone(),
        };
        (Action::RemoveMember { group }, typed(TargetKind::Other, &member_id))
    })
    .await;
    let o = o?;
    if o.was_member {
        let group = o.group.id.to_string();
        state
            .record_own([Some(own::membership(
                &group,
                o.member.id.as_str(),
                member_type(&o.member),
                false,
            ))])
            .await;
    }
    Ok(Done::new(o.summary()))
}

/// Add an owner to a group (a person: id, sign-in name or email).
#[tauri::command]
#[specta::specta]
pub async fn add_group_owner(state: State<'_, AppState>, group_id: String, owner_id: String) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let change = directory::groups::add_owner(&rec.client, &group_id, &owner_id).await;
    rec.record(&change, capture::owner_changed, || {
        let group = Named {
            id: group_id.clone(),
            name: group_id.clone(),
        };
        (Action::AddOwner { group }, typed(TargetKind::User, &owner_id))
    })
    .await;
    let change = change?;
    record_ownership(&state, &change).await;
    Ok(Done::new(change.summary()))
}

/// Remove an owner from a group (only the ownership; a group that has owners keeps one).
#[tauri::command]
#[specta::specta]
pub async fn remove_group_owner(
    state: State<'_, AppState>,
    group_id: String,
    owner_id: String,
) -> Result<Done, IpcError> {
    let rec = state.recorder().await?;
    let change = directory::groups::remove_owner(&rec.client, &group_id, &owner_id).await;
    rec.record(&change, capture::owner_changed, || {
        let group = Named {
            id: group_id.clone(),
            name: group_id.clone(),
        };
        (Action::RemoveOwner { group }, typed(TargetKind::User, &owner_id))
    })
    .await;
    let change = change?;
    record_ownership(&state, &change).await;
    Ok(Done::new(change.summary()))
}

async fn record_ownership(state: &AppState, change: &directory::groups::OwnerChange) {
    if change.changed {
        let group = change.group.id.to_string();
        state
            .record_own([Some(own::ownership(
                &group,
                change.owner.id.as_str(),
                member_type(&change.owner),
                change.added,
            ))])
            .await;
    }
}

/// Checks a dynamic membership rule as it is typed and says what it selects (no Graph request).
#[tauri::command]
#[specta::specta]
pub fn check_membership_rule(rule: String) -> Result<MembershipRuleCheck, IpcError> {
    Ok(directory::membership_rule::check(&rule)?.into())
}

/// What kind of object a member is, for the local copy.
fn member_type(member: &directory::groups::Member) -> watch::ObjectType {
    if member.is_group {
        watch::ObjectType::Group
    } else {
        watch::ObjectType::User
    }
}

pub(crate) fn new_group(f: NewGroupForm) -> directory::groups::NewGroupInput {
    let rule = f.membership_rule.filter(|r| !r.trim().is_empty());
    let group_type = match (f.kind, rule) {
        (NewGroupKind::Microsoft365, None) => msgraph::NewGroupType::Microsoft365,
        (NewGroupKind::Security, None) => msgraph::NewGroupType::Security,
        (NewGroupKind::Microsoft365, Some(membership_rule)) => {
            msgraph::NewGroupType::Microsoft365Dynamic { membership_rule }
        }
        (NewGroupKind::Security, Some(membership_rule)) => msgraph::NewGroupType::SecurityDynamic { membership_rule },
    };
    directory::groups::NewGroupInput {
        group_type,
        display_name: f.display_name,
        mail_nickname: f.mail_nickname.unwrap_or_default(),
        description: f.description,
        visibility: f.visibility.map(Into::into),
        owners: f.owners,
        members: f.members,
        is_assignable_to_role: f.is_assignable_to_role,
    }
}

pub(crate) fn group_changes(p: GroupPatch) -> directory::groups::GroupChanges {
    directory::groups::GroupChanges {
        core: msgraph::GroupUpdate {
            display_name: p.display_name,
            description: p
                .description
                .map(|d| Some(d.trim().to_string()).filter(|d| !d.is_empty())),
            mail_nickname: p.mail_nickname,
            visibility: p.visibility.map(Into::into),
            ..Default::default()
        },
        allow_external_senders: p.allow_external_senders,
        auto_subscribe_new_members: p.auto_subscribe_new_members,
        hide_from_address_lists: p.hide_from_address_lists,
        hide_from_outlook_clients: p.hide_from_outlook_clients,
    }
}

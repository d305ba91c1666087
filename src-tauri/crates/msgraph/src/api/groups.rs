//! Groups: CRUD, the one-property-per-PATCH mail settings, members and owners.

use reqwest::Method;
use serde_json::{json, Map, Value};

use super::users::pager;
use crate::client::{Client, Req};
use crate::encode;
use crate::error::Error;
use crate::ids::{DirectoryObjectId, GroupId};
use crate::models::{
    DirectoryObject, Group, GroupMailSetting, GroupUpdate, GroupVisibility, NewGroup, NewGroupType, User,
};
use crate::paging::Pager;
use crate::query::ListQuery;

/// Graph's limit on relationships in one create or one `members@odata.bind` PATCH.
pub const MAX_BIND: usize = 20;

/// `client.groups()`: every group card's request.
#[derive(Debug, Clone, Copy)]
pub struct Groups<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// Group operations.
    pub fn groups(&self) -> Groups<'_> {
        Groups { client: self }
    }
}

fn group_path(id: &GroupId) -> String {
    encode::entity_path("groups", id.as_str())
}

impl Groups<'_> {
    /// `GET /groups` with query options (Search Groups).
    pub fn list(&self, query: ListQuery) -> Pager<Group> {
        pager(self.client, Req::get("/groups").list_query(&query))
    }

    /// `GET /groups/{id}?$select=…` (Read Group).
    pub async fn get(&self, id: &GroupId, select: &[&str]) -> Result<Group, Error> {
        self.client.json(&Req::get(group_path(id)).select(select)).await
    }

    /// `GET /groups/{id}?$select=allowExternalSenders,autoSubscribeNewMembers,hideFromAddressLists,…`
    /// — the Exchange-backed settings, in their own request (they fail for non-Unified groups
    /// and need delegated permissions).
    pub async fn get_mail_settings(&self, id: &GroupId) -> Result<Group, Error> {
        self.get(
            id,
            &[
                "allowExternalSenders",
                "autoSubscribeNewMembers",
                "hideFromAddressLists",
                "hideFromOutlookClients",
                "isSubscribedByMail",
                "unseenCount",
            ],
        )
        .await
    }

    /// `POST /groups` (Create Group): Microsoft 365 or security, assigned or dynamic.
    pub async fn create(&self, group: &NewGroup) -> Result<Group, Error> {
        if group.owners.len() + group.members.len() > MAX_BIND {
            return Err(Error::invalid_input(format!(
                "a new group can have at most {MAX_BIND} owners and members together; add the rest afterwards"
            )));
        }
        if group.mail_nickname.is_empty() || group.mail_nickname.contains(' ') {
            return Err(Error::invalid_input(
                "the mail nickname must not be empty or contain spaces",
            ));
        }
        let (types, mail, security, rule): (Vec<&str>, bool, bool, Option<&str>) = match &group.group_type {
            NewGroupType::Microsoft365 => (vec!["Unified"], true, false, None),
            NewGroupType::Security => (vec![], false, true, None),
            NewGroupType::Microsoft365Dynamic { membership_rule } => {
                (vec!["Unified", "DynamicMembership"], true, false, Some(membership_rule))
            }
            NewGroupType::SecurityDynamic { membership_rule } => {
                (vec!["DynamicMembership"], false, true, Some(membership_rule))
            }
        };
        // A group that can hold roles must be security-enabled (Microsoft 365 groups too).
        let security = security || group.is_assignable_to_role == Some(true);
        let mut body = Map::new();
        if let Some(d) = &group.description {
            body.insert("description".into(), json!(d));
        }
        body.insert("displayName".into(), json!(group.display_name));
        body.insert("groupTypes".into(), json!(types));
        body.insert("mailEnabled".into(), json!(mail));
        body.insert("mailNickname".into(), json!(group.mail_nickname));
        body.insert("securityEnabled".into(), json!(security));
        if let Some(rule) = rule {
            body.insert("membershipRule".into(), json!(rule));
            body.insert("membershipRuleProcessingState".into(), json!("On"));
        }
        if let Some(v) = &group.visibility {
            body.insert("visibility".into(), json!(v));
        }
        if let Some(l) = &group.preferred_data_location {
            body.insert("preferredDataLocation".into(), json!(l));
        }
        if let Some(r) = group.is_assignable_to_role {
            body.insert("isAssignableToRole".into(), json!(r));
        }
        if !group.owners.is_empty() {
            let owners: Vec<String> = group
                .owners
                .iter()
                .map(|o| self.client.entity_url("users", o.as_str()))
                .collect();
            body.insert("owners@odata.bind".into(), json!(owners));
        }
        if !group.members.is_empty() {
            let members: Vec<String> = group
                .members
                .iter()
                .map(|m| self.client.directory_object_url(m.as_str()))
                .collect();
            body.insert("members@odata.bind".into(), json!(members));
        }
        self.client
            .json(&Req::new(Method::POST, "/groups").json(&Value::Object(body))?)
            .await
    }

    /// `PATCH /groups/{id}` with core properties (Update Group). `HiddenMembership` is refused
    /// (it can only be set at creation).
    pub async fn update(&self, id: &GroupId, update: &GroupUpdate) -> Result<(), Error> {
        if update.is_empty() {
            return Err(Error::invalid_input("nothing to update"));
        }
        if update.visibility == Some(GroupVisibility::HiddenMembership) {
            return Err(Error::invalid_input(
                "hidden membership can only be chosen when a Microsoft 365 group is created",
            ));
        }
        if update.display_name.as_deref().is_some_and(str::is_empty) {
            return Err(Error::invalid_input("a group's display name cannot be cleared"));
        }
        self.client
            .no_content(&Req::new(Method::PATCH, group_path(id)).json(update)?)
            .await
    }

    /// `PATCH /groups/{id}` with exactly one Exchange-backed setting (`allowExternalSenders`,
    /// `autoSubscribeNewMembers`, …): Graph rejects them combined with anything else.
    pub async fn set_mail_setting(&self, id: &GroupId, setting: GroupMailSetting) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(Method::PATCH, group_path(id)).json(&setting.body())?)
            .await
    }

    /// `DELETE /groups/{id}` (Delete Group).
    pub async fn delete(&self, id: &GroupId) -> Result<(), Error> {
        self.client.no_content(&Req::new(Method::DELETE, group_path(id))).await
    }

    /// `GET /groups/{id}/members` (direct members of any type).
    pub fn members(&self, id: &GroupId, query: ListQuery) -> Pager<DirectoryObject> {
        pager(
            self.client,
            Req::get(format!("{}/members", group_path(id))).list_query(&query),
        )
    }

    /// `GET /groups/{id}/members/microsoft.graph.user` (Search Group Members: users only; with
    /// `$search`/`$count` the advanced-query header is added).
    pub fn member_users(&self, id: &GroupId, query: ListQuery) -> Pager<User> {
        pager(
            self.client,
            Req::get(format!("{}/members/microsoft.graph.user", group_path(id))).list_query(&query),
        )
    }

    /// `GET /groups/{id}/transitiveMembers`.
    pub fn transitive_members(&self, id: &GroupId, query: ListQuery) -> Pager<DirectoryObject> {
        pager(
            self.client,
            Req::get(format!("{}/transitiveMembers", group_path(id))).list_query(&query),
        )
    }

    /// `GET /groups/{id}/owners`.
    pub fn owners(&self, id: &GroupId, query: ListQuery) -> Pager<DirectoryObject> {
        pager(
            self.client,
            Req::get(format!("{}/owners", group_path(id))).list_query(&query),
        )
    }

    /// `POST /groups/{id}/members/$ref` (Add User to Group). An "already a member" answer is an
    /// error of kind `Conflict`.
    pub async fn add_member(&self, id: &GroupId, member: &DirectoryObjectId) -> Result<(), Error> {
        let body = json!({ "@odata.id": self.client.directory_object_url(member.as_str()) });
        self.client
            .no_content(&Req::new(Method::POST, format!("{}/members/$ref", group_path(id))).json(&body)?)
            .await
    }

    /// `PATCH /groups/{id}` `{"members@odata.bind": [...]}`: 1..=20 members in one all-or-nothing
    /// request (if one is already a member, Graph rejects the whole request).
    pub async fn add_members(&self, id: &GroupId, members: &[DirectoryObjectId]) -> Result<(), Error> {
        if members.is_empty() || members.len() > MAX_BIND {
            return Err(Error::invalid_input(format!(
                "between 1 and {MAX_BIND} members can be added in one request"
            )));
        }
        let urls: Vec<String> = members
            .iter()
            .map(|m| self.client.directory_object_url(m.as_str()))
            .collect();
        self.client
            .no_content(&Req::new(Method::PATCH, group_path(id)).json(&json!({ "members@odata.bind": urls }))?)
            .await
    }

    /// `DELETE /groups/{id}/members/{memberId}/$ref` (Remove User from Group). Always with
    /// `/$ref`: without it Graph would delete the member object itself.
    pub async fn remove_member(&self, id: &GroupId, member: &DirectoryObjectId) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(
                Method::DELETE,
                format!("{}/members/{}/$ref", group_path(id), encode::segment(member.as_str())),
            ))
            .await
    }

    /// `POST /groups/{id}/owners/$ref`.
    pub async fn add_owner(&self, id: &GroupId, owner: &DirectoryObjectId) -> Result<(), Error> {
        let body = json!({ "@odata.id": self.client.directory_object_url(owner.as_str()) });
        self.client
            .no_content(&Req::new(Method::POST, format!("{}/owners/$ref", group_path(id))).json(&body)?)
            .await
    }

    /// `DELETE /groups/{id}/owners/{ownerId}/$ref`.
    pub async fn remove_owner(&self, id: &GroupId, owner: &DirectoryObjectId) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(
                Method::DELETE,
                format!("{}/owners/{}/$ref", group_path(id), encode::segment(owner.as_str())),
            ))
            .await
    }
}

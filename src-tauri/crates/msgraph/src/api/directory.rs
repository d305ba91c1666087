//! Licences (subscribedSkus), roles (directoryRoles + unified RBAC) and invitations.

use reqwest::Method;
use serde_json::json;

use super::users::pager;
use crate::client::{Client, Req};
use crate::encode;
use crate::error::Error;
use crate::ids::{DirectoryObjectId, DirectoryRoleId, RoleAssignmentId, RoleDefinitionId, RoleTemplateId};
use crate::models::{
    AdministrativeUnit, DirectoryObject, DirectoryRole, Invitation, NewInvitation, RoleAssignment, RoleDefinition,
    SubscribedSku,
};
use crate::paging::Pager;
use crate::query::{Filter, ListQuery};

/// `client.licenses()`
#[derive(Debug, Clone, Copy)]
pub struct Licenses<'a> {
    client: &'a Client,
}

/// `client.roles()`
#[derive(Debug, Clone, Copy)]
pub struct Roles<'a> {
    client: &'a Client,
}

/// `client.invitations()`
#[derive(Debug, Clone, Copy)]
pub struct Invitations<'a> {
    client: &'a Client,
}

impl Client {
    pub fn licenses(&self) -> Licenses<'_> {
        Licenses { client: self }
    }
    pub fn roles(&self) -> Roles<'_> {
        Roles { client: self }
    }
    pub fn invitations(&self) -> Invitations<'_> {
        Invitations { client: self }
    }
}

impl Licenses<'_> {
    /// `GET /subscribedSkus` (Get Licenses). Graph supports no `$filter` here: filter locally.
    pub async fn subscribed_skus(&self) -> Result<Vec<SubscribedSku>, Error> {
        Pager::new(self.client.clone(), Req::get("/subscribedSkus"))
            .collect_all()
            .await
    }
}

/// Which directory role a legacy `/directoryRoles` member call addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectoryRoleKey {
    /// An activated role's object id.
    Id(DirectoryRoleId),
    /// The role template id: `/directoryRoles/roleTemplateId={id}`.
    Template(RoleTemplateId),
}

impl DirectoryRoleKey {
    fn path(&self) -> String {
        match self {
            DirectoryRoleKey::Id(id) => format!("/directoryRoles/{}", encode::segment(id.as_str())),
            DirectoryRoleKey::Template(t) => format!("/directoryRoles/roleTemplateId={}", encode::segment(t.as_str())),
        }
    }
}

impl Roles<'_> {
    /// `GET /directoryRoles` (Read Directory Roles: activated roles only; not paged by Graph).
    pub fn directory_roles(&self) -> Pager<DirectoryRole> {
        Pager::new(self.client.clone(), Req::get("/directoryRoles"))
    }

    /// `POST /directoryRoles {"roleTemplateId": …}`: activates a built-in role (legacy API).
    pub async fn activate_directory_role(&self, template: &RoleTemplateId) -> Result<DirectoryRole, Error> {
        self.client
            .json(&Req::new(Method::POST, "/directoryRoles").json(&json!({ "roleTemplateId": template }))?)
            .await
    }

    /// `GET /directoryRoles/{id}/members`.
    pub fn directory_role_members(&self, role: &DirectoryRoleKey) -> Pager<DirectoryObject> {
        Pager::new(self.client.clone(), Req::get(format!("{}/members", role.path())))
    }

    /// `POST /directoryRoles/{id | roleTemplateId=…}/members/$ref` (Assign Role, Okta's legacy mode).
    pub async fn add_directory_role_member(
        &self,
        role: &DirectoryRoleKey,
        member: &DirectoryObjectId,
    ) -> Result<(), Error> {
        let body = json!({ "@odata.id": self.client.directory_object_url(member.as_str()) });
        self.client
            .no_content(&Req::new(Method::POST, format!("{}/members/$ref", role.path())).json(&body)?)
            .await
    }

    /// `DELETE /directoryRoles/{id}/members/{memberId}/$ref` (Unassign Role, legacy mode).
    pub async fn remove_directory_role_member(
        &self,
        role: &DirectoryRoleKey,
        member: &DirectoryObjectId,
    ) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(
                Method::DELETE,
                format!("{}/members/{}/$ref", role.path(), encode::segment(member.as_str())),
            ))
            .await
    }

    /// `GET /roleManagement/directory/roleDefinitions` (built-in and custom roles, for pickers).
    pub fn role_definitions(&self, query: ListQuery) -> Pager<RoleDefinition> {
        pager(
            self.client,
            Req::get("/roleManagement/directory/roleDefinitions").list_query(&query),
        )
    }

    /// `GET /roleManagement/directory/roleDefinitions/{id}`: a built-in role (its template id) or
    /// a custom role.
    pub async fn role_definition(&self, id: &RoleDefinitionId) -> Result<RoleDefinition, Error> {
        self.client
            .json(&Req::get(format!(
                "/roleManagement/directory/roleDefinitions/{}",
                encode::segment(id.as_str())
            )))
            .await
    }

    /// `GET /directoryRoles/{id}`: an activated role by its object id (Okta's "Role Id").
    pub async fn directory_role(&self, id: &DirectoryRoleId) -> Result<DirectoryRole, Error> {
        self.client
            .json(&Req::get(format!("/directoryRoles/{}", encode::segment(id.as_str()))))
            .await
    }

    /// `GET /roleManagement/directory/roleAssignments/{id}?$expand=roleDefinition` (Unassign Role
    /// by the assignment a person's role list shows).
    pub async fn assignment(&self, id: &RoleAssignmentId) -> Result<RoleAssignment, Error> {
        let req = Req::get(format!(
            "/roleManagement/directory/roleAssignments/{}",
            encode::segment(id.as_str())
        ))
        .list_query(&ListQuery::new().expand("roleDefinition"))?;
        self.client.json(&req).await
    }

    /// `GET /directory/administrativeUnits` (the scopes a role can be assigned in).
    pub fn administrative_units(&self) -> Pager<AdministrativeUnit> {
        pager(
            self.client,
            Ok(Req::get("/directory/administrativeUnits").select(&["id", "displayName", "description"])),
        )
    }

    /// `GET /roleManagement/directory/roleAssignments` with any query.
    pub fn role_assignments(&self, query: ListQuery) -> Pager<RoleAssignment> {
        pager(
            self.client,
            Req::get("/roleManagement/directory/roleAssignments").list_query(&query),
        )
    }

    /// `GET /roleManagement/directory/roleAssignments?$filter=principalId eq '…'[ and roleDefinitionId eq '…']&$expand=roleDefinition`
    /// (Read User Roles, modern; and step 1 of Unassign Role).
    pub fn role_assignments_of(
        &self,
        principal: &DirectoryObjectId,
        role: Option<&RoleDefinitionId>,
    ) -> Pager<RoleAssignment> {
        let mut f = Filter::eq("principalId", principal.as_str());
        if let Some(r) = role {
            f = f.and(Filter::eq("roleDefinitionId", r.as_str()));
        }
        self.role_assignments(ListQuery::new().filter(f).expand("roleDefinition"))
    }

    /// `POST /roleManagement/directory/roleAssignments` (Assign Role). `role` may be a built-in
    /// template id (no activation needed); `scope` is `/`, `/administrativeUnits/{id}` or `/{appId}`.
    pub async fn assign(
        &self,
        role: &RoleDefinitionId,
        principal: &DirectoryObjectId,
        scope: &str,
    ) -> Result<RoleAssignment, Error> {
        if !scope.starts_with('/') {
            return Err(Error::invalid_input(
                "a role scope starts with '/' (use '/' for the whole directory)",
            ));
        }
        let body = json!({
            "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
            "roleDefinitionId": role,
            "principalId": principal,
            "directoryScopeId": scope,
        });
        self.client
            .json(&Req::new(Method::POST, "/roleManagement/directory/roleAssignments").json(&body)?)
            .await
    }

    /// `DELETE /roleManagement/directory/roleAssignments/{id}` (Unassign Role, step 2).
    pub async fn delete_assignment(&self, id: &RoleAssignmentId) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(
                Method::DELETE,
                format!(
                    "/roleManagement/directory/roleAssignments/{}",
                    encode::segment(id.as_str())
                ),
            ))
            .await
    }
}

impl Invitations<'_> {
    /// `POST /invitations` (Create Guest User).
    pub async fn create(&self, invitation: &NewInvitation) -> Result<Invitation, Error> {
        if invitation.invited_user_email_address.trim().is_empty() {
            return Err(Error::invalid_input("the guest's email address is required"));
        }
        if invitation.invite_redirect_url.trim().is_empty() {
            return Err(Error::invalid_input("the redirect URL is required"));
        }
        self.client
            .json(&Req::new(Method::POST, "/invitations").json(invitation)?)
            .await
    }
}

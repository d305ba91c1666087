//! Directory roles: the built-in roles (with names and descriptions), a person's roles, assign
//! and unassign (unified role assignments at directory scope, so no activation is needed).
//! Cards 1.3, 1.16, 1.20, 1.28.

use std::sync::OnceLock;

use msgraph::{Client, DirectoryObject, DirectoryObjectId, Filter, ListQuery, RoleAssignment, RoleDefinitionId, User};
use serde::Deserialize;

use crate::explain::{explain, hint, is_already_exists, Action};
use crate::users;
use crate::validate;
use crate::Error;

/// Microsoft's list of built-in Entra roles (provenance in the file and README.md).
const TEMPLATES_JSON: &str = include_str!("../data/directory-role-templates.json");

/// A built-in role.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleTemplate {
    /// The role template id (also the role definition id of a built-in role).
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Marked "privileged" in Microsoft's documentation.
    #[serde(rename = "x-isPrivileged", default)]
    pub privileged: bool,
}

/// The built-in roles, by name.
pub fn templates() -> &'static [RoleTemplate] {
    static T: OnceLock<Vec<RoleTemplate>> = OnceLock::new();
    T.get_or_init(|| {
        #[derive(Deserialize)]
        struct File {
            value: Vec<RoleTemplate>,
        }
        let mut v = serde_json::from_str::<File>(TEMPLATES_JSON)
            .map(|f| f.value)
            .unwrap_or_default();
        v.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        v
    })
}

/// Finds the role `key` names: a role template id, or a built-in role's name (case-insensitive).
pub fn find(field: &'static str, key: &str) -> Result<&'static RoleTemplate, Error> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid(field, "Choose a role."));
    }
    templates()
        .iter()
        .find(|t| {
            (validate::is_guid(key) && t.id.eq_ignore_ascii_case(key)) || t.display_name.eq_ignore_ascii_case(key)
        })
        .ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "{key} is not a built-in role. Choose a role from the list (custom roles are not supported here)."
                ),
            )
        })
}

/// A role in the catalogue, and whether it is activated in the tenant (Okta's Read Directory
/// Roles lists only activated ones; assigning through Entra Desk never needs activation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInfo {
    pub template: RoleTemplate,
    pub activated: bool,
}

/// Read Directory Roles (1.16): every built-in role, marked activated or not.
pub async fn list(client: &Client) -> Result<Vec<RoleInfo>, Error> {
    let active = client
        .roles()
        .directory_roles()
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadRoles, e))?;
    Ok(templates()
        .iter()
        .map(|t| RoleInfo {
            activated: active.iter().any(|r| {
                r.role_template_id
                    .as_ref()
                    .is_some_and(|id| id.as_str().eq_ignore_ascii_case(&t.id))
            }),
            template: t.clone(),
        })
        .collect())
}

/// A role a person holds.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRole {
    pub role_template_id: String,
    pub name: String,
    pub description: Option<String>,
    /// `/` for the whole directory, else an administrative unit or app.
    pub scope: String,
    pub assignment_id: String,
}

fn user_role(a: RoleAssignment) -> UserRole {
    let def_id = a
        .role_definition
        .as_ref()
        .and_then(|d| d.template_id.clone())
        .or_else(|| a.role_definition_id.as_ref().map(|d| d.to_string()))
        .unwrap_or_default();
    let known = templates().iter().find(|t| t.id.eq_ignore_ascii_case(&def_id));
    UserRole {
        name: a
            .role_definition
            .as_ref()
            .and_then(|d| d.display_name.clone())
            .or_else(|| known.map(|t| t.display_name.clone()))
            .unwrap_or_else(|| def_id.clone()),
        description: a
            .role_definition
            .as_ref()
            .and_then(|d| d.description.clone())
            .or_else(|| known.and_then(|t| t.description.clone())),
        scope: a.directory_scope_id.clone().unwrap_or_else(|| "/".into()),
        assignment_id: a.id.to_string(),
        role_template_id: def_id,
    }
}

async fn assignments(
    client: &Client,
    user: &User,
    role: Option<&RoleDefinitionId>,
) -> Result<Vec<RoleAssignment>, Error> {
    client
        .roles()
        .role_assignments_of(&DirectoryObjectId::from(&user.id), role)
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadRoles, e))
}

const NAME: &[&str] = &["id", "displayName", "userPrincipalName"];

/// Read User Roles (1.20): the roles assigned to the person directly (built-in and custom, any
/// scope). Roles held through a role-assignable group are not listed (Graph v1.0 limit).
pub async fn of_user(client: &Client, key: &str) -> Result<Vec<UserRole>, Error> {
    let user = users::find(client, "user", key, NAME).await?;
    Ok(assignments(client, &user, None)
        .await?
        .into_iter()
        .map(user_role)
        .collect())
}

/// Who holds the role `role_key` (a template id or a built-in role's name) directory-wide, as
/// Assign Role gives it: `GET /roleManagement/directory/roleAssignments?$filter=roleDefinitionId
/// eq '…'&$expand=principal`, principals (people, groups, apps) with their names, each once, by
/// name. Assignments scoped to an administrative unit or an app are not listed (Entra Desk
/// assigns and unassigns directory-wide only). A principal Graph no longer returns (deleted)
/// keeps only its id.
pub async fn members(client: &Client, role_key: &str) -> Result<(RoleTemplate, Vec<DirectoryObject>), Error> {
    let role = find("roleTemplateId", role_key)?;
    let all = client
        .roles()
        .role_assignments(
            ListQuery::new()
                .filter(Filter::eq("roleDefinitionId", role.id.as_str()))
                .expand("principal"),
        )
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadRoles, e))?;
    let mut out: Vec<DirectoryObject> = Vec::new();
    for a in all {
        if a.directory_scope_id.as_deref().unwrap_or("/") != "/" {
            continue;
        }
        let principal = match (a.principal, a.principal_id) {
            (Some(p), _) => p,
            (None, Some(id)) => DirectoryObject {
                id: DirectoryObjectId::new(id),
                odata_type: None,
                display_name: None,
                description: None,
                mail: None,
                user_principal_name: None,
                given_name: None,
                surname: None,
                job_title: None,
                department: None,
                office_location: None,
                mobile_phone: None,
                business_phones: Vec::new(),
                account_enabled: None,
                mail_enabled: None,
                security_enabled: None,
                group_types: Vec::new(),
                role_template_id: None,
            },
            (None, None) => continue,
        };
        if !out.iter().any(|o| o.id == principal.id) {
            out.push(principal);
        }
    }
    out.sort_by_key(|o| {
        o.display_name
            .clone()
            .or_else(|| o.user_principal_name.clone())
            .unwrap_or_else(|| o.id.to_string())
            .to_lowercase()
    });
    Ok((role.clone(), out))
}

/// What Assign Role did.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleChange {
    pub user: User,
    pub role: RoleTemplate,
    /// Assign: `false` when the person already held it. Unassign: `false` when they did not.
    pub changed: bool,
    /// `true`: Assign Role; `false`: Unassign Role.
    pub assigned: bool,
}

impl RoleChange {
    pub fn summary(&self) -> String {
        let who = users::name_of(&self.user);
        let role = &self.role.display_name;
        match (self.assigned, self.changed) {
            (true, true) => format!("{who} is now {role}."),
            (true, false) => format!("{who} already has the {role} role; nothing was changed."),
            (false, true) => format!("{who} no longer has the {role} role."),
            (false, false) => format!("{who} did not have the {role} role; nothing was changed."),
        }
    }
}

/// Assign Role to User (1.3), directory-wide. The role is checked against the built-in roles
/// before anything is sent; a role the person already holds is reported, not an error.
pub async fn assign(client: &Client, user_key: &str, role_key: &str) -> Result<RoleChange, Error> {
    let role = find("roleTemplateId", role_key)?;
    let user = users::find(client, "user", user_key, NAME).await?;
    let def = RoleDefinitionId::new(role.id.as_str());
    let existing = assignments(client, &user, Some(&def)).await?;
    if existing
        .iter()
        .any(|a| a.directory_scope_id.as_deref().unwrap_or("/") == "/")
    {
        return Ok(RoleChange {
            user,
            role: role.clone(),
            changed: false,
            assigned: true,
        });
    }
    match client
        .roles()
        .assign(&def, &DirectoryObjectId::from(&user.id), "/")
        .await
    {
        Ok(_) => Ok(RoleChange {
            user,
            role: role.clone(),
            changed: true,
            assigned: true,
        }),
        Err(e) if is_already_exists(&e) => Ok(RoleChange {
            user,
            role: role.clone(),
            changed: false,
            assigned: true,
        }),
        Err(e) if e.kind() == msgraph::ErrorKind::Forbidden => Err(hint(
            e,
            format!(
                "{} Only a Privileged Role Administrator or Global Administrator can give someone the {} role.",
                Action::ManageRoles.needed_role(),
                role.display_name
            ),
        )),
        Err(e) => Err(explain(Action::ManageRoles, e)),
    }
}

/// Unassign Role from User (1.28): removes every directory-wide assignment of the role to the
/// person. Not holding it is reported, not an error.
pub async fn unassign(client: &Client, user_key: &str, role_key: &str) -> Result<RoleChange, Error> {
    let role = find("roleTemplateId", role_key)?;
    let user = users::find(client, "user", user_key, NAME).await?;
    let def = RoleDefinitionId::new(role.id.as_str());
    let existing: Vec<RoleAssignment> = assignments(client, &user, Some(&def))
        .await?
        .into_iter()
        .filter(|a| a.directory_scope_id.as_deref().unwrap_or("/") == "/")
        .collect();
    for a in &existing {
        match client.roles().delete_assignment(&a.id).await {
            Ok(()) => {}
            Err(e) if e.kind() == msgraph::ErrorKind::NotFound => {}
            Err(e) => return Err(explain(Action::ManageRoles, e)),
        }
    }
    Ok(RoleChange {
        user,
        role: role.clone(),
        changed: !existing.is_empty(),
        assigned: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_found_by_name_or_template_id() {
        assert!(templates().len() > 100);
        let by_name = find("role", "user administrator").unwrap();
        assert_eq!(by_name.id, "fe930be7-5e62-47db-91af-98c3a49a38b1");
        assert_eq!(
            find("role", "FE930BE7-5E62-47DB-91AF-98C3A49A38B1")
                .unwrap()
                .display_name,
            "User Administrator"
        );
        let e = find("roleTemplateId", "Chief Coffee Officer").unwrap_err();
        assert_eq!(e.field(), Some("roleTemplateId"));
    }
}

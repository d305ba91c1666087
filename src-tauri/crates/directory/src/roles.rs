//! Directory roles: the built-in roles (with names and descriptions), a person's roles, assign
//! and unassign (unified role assignments at directory scope, so no activation is needed).
//! Cards 1.3, 1.16, 1.20, 1.28.

use std::sync::OnceLock;

use msgraph::{
    AdministrativeUnit, Client, DirectoryObject, DirectoryObjectId, DirectoryRoleId, Filter, ListQuery, RoleAssignment,
    RoleAssignmentId, RoleDefinition, RoleDefinitionId, User,
};
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

/// The organisation's custom roles, by name (`GET /roleManagement/directory/roleDefinitions`,
/// the ones that are not built in).
pub async fn custom(client: &Client) -> Result<Vec<Role>, Error> {
    let mut out: Vec<Role> = client
        .roles()
        .role_definitions(ListQuery::new())
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadRoles, e))?
        .into_iter()
        .filter(|d| d.is_built_in == Some(false))
        .map(Role::from)
        .collect();
    out.sort_by_key(|r| r.display_name.to_lowercase());
    Ok(out)
}

/// A role a person holds.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRole {
    pub role_template_id: String,
    pub name: String,
    pub description: Option<String>,
    /// `/` for the whole directory, else an administrative unit or app.
    pub scope: String,
    /// The administrative unit's name, when the scope is one and its name could be read.
    pub scope_name: Option<String>,
    pub assignment_id: String,
    /// A built-in role (else one of the organisation's custom roles).
    pub built_in: bool,
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
        scope_name: None,
        assignment_id: a.id.to_string(),
        built_in: a
            .role_definition
            .as_ref()
            .and_then(|d| d.is_built_in)
            .unwrap_or(known.is_some()),
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
/// scope, administrative units named when they can be read). Roles held through a
/// role-assignable group are not listed (Graph v1.0 limit).
pub async fn of_user(client: &Client, key: &str) -> Result<Vec<UserRole>, Error> {
    let user = users::find(client, "user", key, NAME).await?;
    let mut roles: Vec<UserRole> = assignments(client, &user, None)
        .await?
        .into_iter()
        .map(user_role)
        .collect();
    if roles.iter().any(|r| r.scope.starts_with(UNIT_PREFIX)) {
        // A name is a nicety: without the units (no right to read them), the scope's id is shown.
        let units = administrative_units(client).await.unwrap_or_default();
        for r in &mut roles {
            let id = r.scope.strip_prefix(UNIT_PREFIX).unwrap_or_default();
            r.scope_name = units
                .iter()
                .find(|u| u.id.eq_ignore_ascii_case(id))
                .and_then(|u| u.display_name.clone());
        }
    }
    Ok(roles)
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

/// A role Entra Desk assigns: a role definition, built-in (its id is the template id) or one of
/// the organisation's custom roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    pub id: String,
    pub display_name: String,
    pub description: Option<String>,
    pub built_in: bool,
}

impl From<&RoleTemplate> for Role {
    fn from(t: &RoleTemplate) -> Role {
        Role {
            id: t.id.clone(),
            display_name: t.display_name.clone(),
            description: t.description.clone(),
            built_in: true,
        }
    }
}

impl From<RoleDefinition> for Role {
    fn from(d: RoleDefinition) -> Role {
        Role {
            display_name: d.display_name.unwrap_or_else(|| d.id.to_string()),
            id: d.id.to_string(),
            description: d.description,
            built_in: d.is_built_in.unwrap_or(false),
        }
    }
}

/// Finds the role `key` names, as Assign Role takes it (Okta's two modes and a name): a built-in
/// role's template id or name, a role definition id (custom roles too), or the object id of an
/// activated directory role (`/directoryRoles/{id}`, Okta's "Role Id"), or a custom role's name.
pub async fn resolve(client: &Client, field: &'static str, key: &str) -> Result<Role, Error> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid(field, "Choose a role, or enter a role id."));
    }
    if let Ok(t) = find(field, key) {
        return Ok(t.into());
    }
    let missing = |e: &msgraph::Error| e.kind() == msgraph::ErrorKind::NotFound;
    if validate::is_guid(key) {
        match client.roles().role_definition(&RoleDefinitionId::new(key)).await {
            Ok(d) => return Ok(d.into()),
            Err(e) if missing(&e) => {}
            Err(e) => return Err(explain(Action::ReadRoles, e)),
        }
        let activated = match client.roles().directory_role(&DirectoryRoleId::new(key)).await {
            Ok(r) => r,
            Err(e) if missing(&e) => {
                return Err(Error::invalid(
                    field,
                    format!(
                        "No role in your directory has the id {key}. Check the id, or choose a role from the list."
                    ),
                ))
            }
            Err(e) => return Err(explain(Action::ReadRoles, e)),
        };
        let template = activated.role_template_id.map(|t| t.to_string()).unwrap_or_default();
        return find(field, &template).map(Role::from);
    }
    let named = client
        .roles()
        .role_definitions(ListQuery::new().filter(Filter::eq("displayName", key)))
        .first()
        .await
        .map_err(|e| explain(Action::ReadRoles, e))?;
    named.map(Role::from).ok_or_else(|| {
        Error::invalid(
            field,
            format!("{key} is not a role in your directory. Choose a role from the list, or enter its id."),
        )
    })
}

/// Where a role applies: the whole directory (`/`) or an administrative unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Graph's `directoryScopeId`: `/` or `/administrativeUnits/{id}`.
    pub id: String,
    /// The administrative unit's name (none for the whole directory).
    pub name: Option<String>,
}

impl Scope {
    pub fn directory() -> Scope {
        Scope {
            id: "/".into(),
            name: None,
        }
    }

    /// "the whole directory", "the Seattle office administrative unit".
    pub fn phrase(&self) -> String {
        match (&self.name, self.id.as_str()) {
            (_, "/") => "the whole directory".into(),
            (Some(n), _) => format!("the {n} administrative unit"),
            (None, id) => format!("the scope {id}"),
        }
    }
}

const UNIT_PREFIX: &str = "/administrativeUnits/";

/// The scope `key` names: empty or `/` for the whole directory, else an administrative unit by
/// its id, its `directoryScopeId` or its name (checked against the directory's units).
pub async fn resolve_scope(client: &Client, key: Option<&str>) -> Result<Scope, Error> {
    let key = key.map(str::trim).unwrap_or_default();
    if key.is_empty() || key == "/" {
        return Ok(Scope::directory());
    }
    let wanted = key.strip_prefix(UNIT_PREFIX).unwrap_or(key);
    let units = administrative_units(client).await?;
    units
        .into_iter()
        .find(|u| u.id.eq_ignore_ascii_case(wanted) || u.display_name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(wanted)))
        .map(|u| Scope {
            id: format!("{UNIT_PREFIX}{}", u.id),
            name: u.display_name,
        })
        .ok_or_else(|| {
            Error::invalid(
                "directoryScopeId",
                format!("{key} is not an administrative unit of your directory. Choose the whole directory or one of its administrative units."),
            )
        })
}

/// The directory's administrative units (the scopes a role can be given in besides the whole directory).
pub async fn administrative_units(client: &Client) -> Result<Vec<AdministrativeUnit>, Error> {
    let mut units = client
        .roles()
        .administrative_units()
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadRoles, e))?;
    units.sort_by_key(|u| u.display_name.clone().unwrap_or_default().to_lowercase());
    Ok(units)
}

/// What Assign or Unassign Role did.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleChange {
    pub user: User,
    pub role: Role,
    pub scope: Scope,
    /// Assign: `false` when the person already held it. Unassign: `false` when they did not.
    pub changed: bool,
    /// `true`: Assign Role; `false`: Unassign Role.
    pub assigned: bool,
}

impl RoleChange {
    pub fn summary(&self) -> String {
        let who = users::name_of(&self.user);
        let role = &self.role.display_name;
        let within = if self.scope.id == "/" {
            String::new()
        } else {
            format!(" in {}", self.scope.phrase())
        };
        match (self.assigned, self.changed) {
            (true, true) => format!("{who} is now {role}{within}."),
            (true, false) => format!("{who} already has the {role} role{within}; nothing was changed."),
            (false, true) => format!("{who} no longer has the {role} role{within}."),
            (false, false) => format!("{who} did not have the {role} role{within}; nothing was changed."),
        }
    }
}

fn refused_to_assign(e: msgraph::Error, role: &Role) -> Error {
    if e.kind() == msgraph::ErrorKind::Forbidden {
        return hint(
            e,
            format!(
                "{} Only a Privileged Role Administrator or Global Administrator can give someone the {} role.",
                Action::ManageRoles.needed_role(),
                role.display_name
            ),
        );
    }
    explain(Action::ManageRoles, e)
}

/// Assign Role to User (1.3) in a scope (`None` or `/`: the whole directory; else an
/// administrative unit). The role (a template id or name, a role definition id, an activated
/// role's id, a custom role) and the scope are resolved before anything is sent; a role the
/// person already holds in that scope is reported, not an error.
pub async fn assign(
    client: &Client,
    user_key: &str,
    role_key: &str,
    scope_key: Option<&str>,
) -> Result<RoleChange, Error> {
    let role = resolve(client, "roleTemplateId", role_key).await?;
    let scope = resolve_scope(client, scope_key).await?;
    let user = users::find(client, "user", user_key, NAME).await?;
    let def = RoleDefinitionId::new(role.id.as_str());
    let held = assignments(client, &user, Some(&def))
        .await?
        .iter()
        .any(|a| a.directory_scope_id.as_deref().unwrap_or("/") == scope.id);
    let changed = match held {
        true => false,
        false => match client
            .roles()
            .assign(&def, &DirectoryObjectId::from(&user.id), &scope.id)
            .await
        {
            Ok(_) => true,
            Err(e) if is_already_exists(&e) => false,
            Err(e) => return Err(refused_to_assign(e, &role)),
        },
    };
    Ok(RoleChange {
        user,
        role,
        scope,
        changed,
        assigned: true,
    })
}

/// Unassign Role from User (1.28) directory-wide: removes every assignment of the role to the
/// person at the directory scope. Not holding it is reported, not an error.
pub async fn unassign(client: &Client, user_key: &str, role_key: &str) -> Result<RoleChange, Error> {
    let role = resolve(client, "roleTemplateId", role_key).await?;
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
        role,
        scope: Scope::directory(),
        changed: !existing.is_empty(),
        assigned: false,
    })
}

/// Unassign Role from User (1.28) by the assignment a person's role list shows
/// (`DELETE /roleManagement/directory/roleAssignments/{id}`): any role, built-in or custom, in
/// any scope. The assignment is read first, so a role that belongs to someone else is refused
/// and the summary names the role and its scope.
pub async fn unassign_assignment(client: &Client, user_key: &str, assignment_id: &str) -> Result<RoleChange, Error> {
    let user = users::find(client, "user", user_key, NAME).await?;
    let id = RoleAssignmentId::new(assignment_id.trim());
    let a = match client.roles().assignment(&id).await {
        Ok(a) => a,
        Err(e) if e.kind() == msgraph::ErrorKind::NotFound => {
            return Err(Error::Invalid {
                field: None,
                message: format!(
                    "This role assignment is no longer in Microsoft Entra ID: someone may have removed it already. {}'s roles are read again.",
                    users::name_of(&user)
                ),
            })
        }
        Err(e) => return Err(explain(Action::ReadRoles, e)),
    };
    if a.principal_id.as_deref() != Some(user.id.as_str()) {
        return Err(Error::Invalid {
            field: None,
            message: format!("This role assignment is not {}'s.", users::name_of(&user)),
        });
    }
    let held = user_role(a.clone());
    let scope = match held.scope.as_str() {
        "/" => Scope::directory(),
        other => Scope {
            id: other.to_string(),
            name: unit_name(client, other).await,
        },
    };
    let changed = match client.roles().delete_assignment(&a.id).await {
        Ok(()) => true,
        Err(e) if e.kind() == msgraph::ErrorKind::NotFound => false,
        Err(e) => return Err(explain(Action::ManageRoles, e)),
    };
    Ok(RoleChange {
        user,
        role: Role {
            id: held.role_template_id,
            display_name: held.name,
            description: held.description,
            built_in: held.built_in,
        },
        scope,
        changed,
        assigned: false,
    })
}

/// The name of the administrative unit a scope names, when it can be read (a name is a nicety:
/// without it the scope's id is shown).
async fn unit_name(client: &Client, scope: &str) -> Option<String> {
    let id = scope.strip_prefix(UNIT_PREFIX)?;
    administrative_units(client)
        .await
        .ok()?
        .into_iter()
        .find(|u| u.id.eq_ignore_ascii_case(id))
        .and_then(|u| u.display_name)
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

//! Directory roles, role definitions (built-in and the tenant's custom roles), administrative
//! units and role assignments.

use super::*;

/// The practice tenant's custom role (ids fixed, so tests and the admin's screen agree).
pub const CUSTOM_ROLE_ID: &str = "5c4d3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";

/// Custom role definitions (`isBuiltIn: false`): Graph returns them from
/// `roleManagement/directory/roleDefinitions` next to the built-in ones; they have no template
/// and are never activated as `directoryRoles`.
pub fn custom_role_definitions() -> Vec<Map<String, Value>> {
    [json!({"id": CUSTOM_ROLE_ID, "description": "Resets the passwords of people who are not administrators (a custom role of Contoso).",
            "displayName": "Contoso Password Helper", "isBuiltIn": false, "isEnabled": true, "inheritsPermissionsFrom": [],
            "resourceScopes": ["/"], "templateId": CUSTOM_ROLE_ID, "version": null,
            "rolePermissions": [{"allowedResourceActions": ["microsoft.directory/users/password/update"], "condition": null}]})]
    .into_iter()
    .filter_map(|v| v.as_object().cloned())
    .collect()
}

/// The tenant's administrative units (`/directory/administrativeUnits`), for scoped role assignments.
pub fn administrative_units() -> Vec<Map<String, Value>> {
    [
        (
            "8a2f6b1c-3d4e-4f5a-9b6c-7d8e9f0a1b2c",
            "Seattle office",
            "People who work in Seattle.",
        ),
        (
            "9b3a7c2d-4e5f-4a6b-8c7d-8e9f0a1b2c3d",
            "Paris office",
            "People who work in Paris.",
        ),
    ]
    .into_iter()
    .filter_map(|(id, name, description)| {
        json!({"id": id, "deletedDateTime": null, "displayName": name, "description": description,
               "visibility": null, "membershipType": "Assigned", "isMemberManagementRestricted": false})
        .as_object()
        .cloned()
    })
    .collect()
}

fn is_builtin(definition: &str) -> bool {
    role_templates()
        .iter()
        .any(|t| t.get("id").and_then(Value::as_str) == Some(definition))
}

/// Graph's answer to a `directoryScopeId` that names no scope of this tenant.
fn check_scope(scope: &str) -> Result<(), GErr> {
    if scope == "/" {
        return Ok(());
    }
    let unit = scope.strip_prefix("/administrativeUnits/");
    if unit.is_some_and(|u| {
        administrative_units()
            .iter()
            .any(|a| a.get("id").and_then(Value::as_str) == Some(u))
    }) {
        return Ok(());
    }
    Err(GErr::bad_request(format!(
        "Invalid value specified for property 'directoryScopeId' of resource 'UnifiedRoleAssignment': '{scope}' is not a scope in this directory."
    )))
}

impl Tenant {
    pub fn role_members(&self, template: &str) -> Vec<String> {
        self.assignments
            .iter()
            .filter(|a| {
                a.get("roleDefinitionId").and_then(Value::as_str) == Some(template)
                    && a.get("directoryScopeId").and_then(Value::as_str).unwrap_or("/") == "/"
            })
            .filter_map(|a| a.get("principalId").and_then(Value::as_str).map(str::to_string))
            .collect()
    }

    pub fn activate_role(&mut self, template: &str) -> Result<Map<String, Value>, GErr> {
        if let Some(r) = self
            .roles
            .iter()
            .find(|r| r.get("roleTemplateId").and_then(Value::as_str) == Some(template))
        {
            return Ok(r.clone());
        }
        let t = role_templates()
            .iter()
            .find(|t| t.get("id").and_then(Value::as_str) == Some(template))
            .ok_or_else(|| GErr::not_found(template))?;
        let id = self.next_id();
        let m = json!({"id": id, "deletedDateTime": null, "description": t.get("description"), "displayName": t.get("displayName"), "roleTemplateId": template});
        let m = m.as_object().cloned().unwrap_or_default();
        self.roles.push(m.clone());
        Ok(m)
    }

    pub fn assign_role(&mut self, principal: &str, template: &str, scope: &str) -> Result<Map<String, Value>, GErr> {
        if self.kind_of(principal).is_none() {
            return Err(GErr::not_found(principal));
        }
        let builtin = is_builtin(template);
        if !builtin
            && !custom_role_definitions()
                .iter()
                .any(|d| d.get("id").and_then(Value::as_str) == Some(template))
        {
            return Err(GErr::not_found(template));
        }
        check_scope(scope)?;
        if self.assignments.iter().any(|a| {
            a.get("principalId").and_then(Value::as_str) == Some(principal)
                && a.get("roleDefinitionId").and_then(Value::as_str) == Some(template)
                && a.get("directoryScopeId").and_then(Value::as_str) == Some(scope)
        }) {
            return Err(GErr::bad_request(
                "A conflicting object with one or more of the specified property values is present in the directory.",
            )
            .with_details(json!([{"code": "ObjectConflict", "message": "The role assignment already exists."}])));
        }
        if builtin {
            self.activate_role(template)?;
        }
        let id = self.next_id();
        let m = json!({"id": id, "principalId": principal, "roleDefinitionId": template, "directoryScopeId": scope});
        let m = m.as_object().cloned().unwrap_or_default();
        self.assignments.push(m.clone());
        Ok(m)
    }
}

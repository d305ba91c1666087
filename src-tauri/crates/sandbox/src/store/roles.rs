//! Directory roles and role assignments.

use super::*;

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
        if !role_templates()
            .iter()
            .any(|t| t.get("id").and_then(Value::as_str) == Some(template))
        {
            return Err(GErr::not_found(template));
        }
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
        self.activate_role(template)?;
        let id = self.next_id();
        let m = json!({"id": id, "principalId": principal, "roleDefinitionId": template, "directoryScopeId": scope});
        let m = m.as_object().cloned().unwrap_or_default();
        self.assignments.push(m.clone());
        Ok(m)
    }
}

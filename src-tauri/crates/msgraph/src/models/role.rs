use serde::{Deserialize, Serialize};

use super::{null_as_empty, DirectoryObject};
use crate::ids::{DirectoryRoleId, RoleAssignmentId, RoleDefinitionId, RoleTemplateId};

/// An activated directory role (`/directoryRoles`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryRole {
    pub id: DirectoryRoleId,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub role_template_id: Option<RoleTemplateId>,
    pub deleted_date_time: Option<String>,
}

/// `rolePermissions` entry of a role definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolePermission {
    #[serde(default, deserialize_with = "null_as_empty")]
    pub allowed_resource_actions: Vec<String>,
    pub condition: Option<String>,
}

/// A `unifiedRoleDefinition` (built-in and custom roles).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinition {
    pub id: RoleDefinitionId,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub is_built_in: Option<bool>,
    pub is_enabled: Option<bool>,
    pub template_id: Option<String>,
    pub version: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub role_permissions: Vec<RolePermission>,
}

/// An administrative unit (`/directory/administrativeUnits`): a part of the directory a role can
/// be assigned in (`directoryScopeId` `/administrativeUnits/{id}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdministrativeUnit {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
}

/// A `unifiedRoleAssignment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    pub id: RoleAssignmentId,
    pub role_definition_id: Option<RoleDefinitionId>,
    pub principal_id: Option<String>,
    pub directory_scope_id: Option<String>,
    /// Present with `$expand=roleDefinition`.
    pub role_definition: Option<RoleDefinition>,
    /// Present with `$expand=principal`.
    pub principal: Option<DirectoryObject>,
}

use serde::{Deserialize, Serialize};

use super::null_as_empty;
use crate::ids::DirectoryObjectId;

/// Any directory object (member lists, memberOf, manager). `odata_type` tells what it is:
/// `#microsoft.graph.user`, `#microsoft.graph.group`, `#microsoft.graph.orgContact`,
/// `#microsoft.graph.device`, `#microsoft.graph.servicePrincipal`, `#microsoft.graph.directoryRole`.
/// Objects the caller may not read come back with only `@odata.type` and `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryObject {
    pub id: DirectoryObjectId,
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub mail: Option<String>,
    pub user_principal_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub office_location: Option<String>,
    pub mobile_phone: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub business_phones: Vec<String>,
    pub account_enabled: Option<bool>,
    pub mail_enabled: Option<bool>,
    pub security_enabled: Option<bool>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub group_types: Vec<String>,
    pub role_template_id: Option<String>,
}

impl DirectoryObject {
    pub fn is_user(&self) -> bool {
        self.odata_type.as_deref() == Some("#microsoft.graph.user")
    }
    pub fn is_group(&self) -> bool {
        self.odata_type.as_deref() == Some("#microsoft.graph.group")
    }
    pub fn is_org_contact(&self) -> bool {
        self.odata_type.as_deref() == Some("#microsoft.graph.orgContact")
    }
}

/// A user or group in `/directory/deletedItems`: what the Deleted items page shows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedObject {
    pub id: DirectoryObjectId,
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub group_types: Vec<String>,
    pub security_enabled: Option<bool>,
    pub mail_enabled: Option<bool>,
    /// When it was deleted (ISO 8601); Graph removes it for good 30 days later.
    pub deleted_date_time: Option<String>,
}

use serde::{Deserialize, Serialize};

use super::{null_as_empty, open_enum, AssignedLicense, DirectoryObject};
use crate::ids::GroupId;

open_enum!(
    /// `visibility`. `HiddenMembership` can only be set when a Microsoft 365 group is created.
    GroupVisibility { Public => "Public", Private => "Private", HiddenMembership => "HiddenMembership" }
);

/// A group. Only `id` is always present.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: GroupId,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub mail: Option<String>,
    pub mail_enabled: Option<bool>,
    pub mail_nickname: Option<String>,
    pub security_enabled: Option<bool>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub group_types: Vec<String>,
    pub visibility: Option<GroupVisibility>,
    pub classification: Option<String>,
    pub created_date_time: Option<String>,
    pub renewed_date_time: Option<String>,
    pub expiration_date_time: Option<String>,
    pub deleted_date_time: Option<String>,
    pub membership_rule: Option<String>,
    pub membership_rule_processing_state: Option<String>,
    pub is_assignable_to_role: Option<bool>,
    pub on_premises_sync_enabled: Option<bool>,
    pub preferred_data_location: Option<String>,
    pub preferred_language: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub proxy_addresses: Vec<String>,
    pub security_identifier: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub resource_provisioning_options: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assigned_licenses: Vec<AssignedLicense>,
    // Exchange-backed; only with an explicit $select on a single-group GET:
    pub allow_external_senders: Option<bool>,
    pub auto_subscribe_new_members: Option<bool>,
    pub is_subscribed_by_mail: Option<bool>,
    pub unseen_count: Option<i64>,
    pub hide_from_address_lists: Option<bool>,
    pub hide_from_outlook_clients: Option<bool>,
}

/// What kind of group, as people say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupKind {
    Microsoft365,
    Security,
    MailEnabledSecurity,
    Distribution,
}

impl Group {
    pub fn is_unified(&self) -> bool {
        self.group_types.iter().any(|t| t == "Unified")
    }
    pub fn is_dynamic(&self) -> bool {
        self.group_types.iter().any(|t| t == "DynamicMembership")
    }
    /// Derived from `groupTypes`, `securityEnabled`, `mailEnabled` (needs them selected).
    pub fn kind(&self) -> Option<GroupKind> {
        if self.is_unified() {
            return Some(GroupKind::Microsoft365);
        }
        match (self.security_enabled?, self.mail_enabled?) {
            (true, false) => Some(GroupKind::Security),
            (true, true) => Some(GroupKind::MailEnabledSecurity),
            (false, true) => Some(GroupKind::Distribution),
            (false, false) => None,
        }
    }
}

/// A group from a directoryObject list (memberOf): what a directoryObject carries; the rest is
/// unknown.
impl From<DirectoryObject> for Group {
    fn from(o: DirectoryObject) -> Group {
        Group {
            id: GroupId::new(o.id.as_str()),
            display_name: o.display_name,
            description: o.description,
            mail: o.mail,
            mail_enabled: o.mail_enabled,
            mail_nickname: None,
            security_enabled: o.security_enabled,
            group_types: o.group_types,
            visibility: None,
            classification: None,
            created_date_time: None,
            renewed_date_time: None,
            expiration_date_time: None,
            deleted_date_time: None,
            membership_rule: None,
            membership_rule_processing_state: None,
            is_assignable_to_role: None,
            on_premises_sync_enabled: None,
            preferred_data_location: None,
            preferred_language: None,
            proxy_addresses: Vec::new(),
            security_identifier: None,
            resource_provisioning_options: Vec::new(),
            assigned_licenses: Vec::new(),
            allow_external_senders: None,
            auto_subscribe_new_members: None,
            is_subscribed_by_mail: None,
            unseen_count: None,
            hide_from_address_lists: None,
            hide_from_outlook_clients: None,
        }
    }
}

/// Which group `POST /groups` creates. Mail-enabled security groups and distribution lists
/// cannot be created through Graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewGroupType {
    /// `groupTypes: ["Unified"]`, mail-enabled, not security-enabled.
    Microsoft365,
    /// `groupTypes: []`, security-enabled, not mail-enabled.
    Security,
    /// Microsoft 365 group with a dynamic membership rule.
    Microsoft365Dynamic { membership_rule: String },
    /// Security group with a dynamic membership rule.
    SecurityDynamic { membership_rule: String },
}

/// Input for Create Group. Owners + members together: at most 20 (Graph's limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroup {
    pub group_type: NewGroupType,
    pub display_name: String,
    pub mail_nickname: String,
    pub description: Option<String>,
    pub visibility: Option<GroupVisibility>,
    pub preferred_data_location: Option<String>,
    pub is_assignable_to_role: Option<bool>,
    pub owners: Vec<crate::ids::UserId>,
    pub members: Vec<crate::ids::DirectoryObjectId>,
}

impl NewGroup {
    pub fn new(group_type: NewGroupType, display_name: impl Into<String>, mail_nickname: impl Into<String>) -> Self {
        NewGroup {
            group_type,
            display_name: display_name.into(),
            mail_nickname: mail_nickname.into(),
            description: None,
            visibility: None,
            preferred_data_location: None,
            is_assignable_to_role: None,
            owners: Vec::new(),
            members: Vec::new(),
        }
    }
}

/// Core properties of `PATCH /groups/{id}`: `None` = unchanged, `Some(None)` = clear.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_nickname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_enabled: Option<bool>,
    /// `HiddenMembership` is refused: it can only be set at creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<GroupVisibility>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_data_location: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classification: Option<Option<String>>,
}

impl GroupUpdate {
    pub fn is_empty(&self) -> bool {
        *self == GroupUpdate::default()
    }
}

/// An Exchange-backed group setting: Graph accepts each only in its own PATCH.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupMailSetting {
    AllowExternalSenders(bool),
    AutoSubscribeNewMembers(bool),
    HideFromAddressLists(bool),
    HideFromOutlookClients(bool),
}

impl GroupMailSetting {
    pub(crate) fn body(self) -> serde_json::Value {
        let (k, v) = match self {
            GroupMailSetting::AllowExternalSenders(v) => ("allowExternalSenders", v),
            GroupMailSetting::AutoSubscribeNewMembers(v) => ("autoSubscribeNewMembers", v),
            GroupMailSetting::HideFromAddressLists(v) => ("hideFromAddressLists", v),
            GroupMailSetting::HideFromOutlookClients(v) => ("hideFromOutlookClients", v),
        };
        serde_json::json!({ k: v })
    }
}

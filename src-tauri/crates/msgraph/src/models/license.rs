use serde::{Deserialize, Serialize};

use super::{null_as_empty, open_enum};
use crate::ids::{ServicePlanId, SkuId, UserId};

/// An entry of `assignedLicenses`, and the `addLicenses` item of assignLicense.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AssignedLicense {
    pub sku_id: SkuId,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<ServicePlanId>))]
    pub disabled_plans: Vec<ServicePlanId>,
}

/// An entry of `assignedPlans`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct AssignedPlan {
    pub assigned_date_time: Option<String>,
    pub capability_status: Option<String>,
    pub service: Option<String>,
    pub service_plan_id: Option<ServicePlanId>,
}

/// An entry of `licenseAssignmentStates`: tells direct from group-inherited licences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct LicenseAssignmentState {
    pub sku_id: Option<SkuId>,
    /// The group the licence is inherited from; `None` for a direct assignment.
    pub assigned_by_group: Option<String>,
    pub state: Option<String>,
    /// `CountViolation`, `MutuallyExclusiveViolation`, `DependencyViolation`, … or `None`.
    pub error: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<ServicePlanId>))]
    pub disabled_plans: Vec<ServicePlanId>,
}

open_enum!(
    /// `capabilityStatus` of a subscribed SKU.
    CapabilityStatus {
        Enabled => "Enabled",
        Warning => "Warning",
        Suspended => "Suspended",
        Deleted => "Deleted",
        LockedOut => "LockedOut"
    }
);

/// `prepaidUnits` of a subscribed SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseUnits {
    #[serde(default)]
    pub enabled: i64,
    #[serde(default)]
    pub locked_out: i64,
    #[serde(default)]
    pub suspended: i64,
    #[serde(default)]
    pub warning: i64,
}

/// A service plan inside a SKU or a user's licence details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePlanInfo {
    pub service_plan_id: ServicePlanId,
    pub service_plan_name: Option<String>,
    pub provisioning_status: Option<String>,
    pub applies_to: Option<String>,
}

/// `GET /subscribedSkus` item (Get Licenses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribedSku {
    pub id: String,
    pub sku_id: SkuId,
    pub sku_part_number: Option<String>,
    pub applies_to: Option<String>,
    pub capability_status: Option<CapabilityStatus>,
    pub consumed_units: Option<i64>,
    pub prepaid_units: Option<LicenseUnits>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub service_plans: Vec<ServicePlanInfo>,
    pub account_name: Option<String>,
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub subscription_ids: Vec<String>,
}

impl SubscribedSku {
    /// `prepaidUnits.enabled − consumedUnits`, when both are known (and the difference fits).
    pub fn available_units(&self) -> Option<i64> {
        self.prepaid_units?.enabled.checked_sub(self.consumed_units?)
    }
}

/// `GET /users/{id}/licenseDetails` item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseDetails {
    pub id: String,
    pub sku_id: SkuId,
    pub sku_part_number: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub service_plans: Vec<ServicePlanInfo>,
}

/// What `POST /users/{id}/assignLicense` answers: the user, of which these licence fields
/// matter (Graph's documented examples omit even `id`, so it is optional here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignLicenseResult {
    pub id: Option<UserId>,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub account_enabled: Option<bool>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assigned_licenses: Vec<AssignedLicense>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assigned_plans: Vec<AssignedPlan>,
}

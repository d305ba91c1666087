//! Licences: the organisation's subscriptions with friendly names and free seats, a person's
//! licences, assign (usage location and free seats checked first) and remove. Cards 1.2, 1.14, 1.21.

use msgraph::{
    AssignedLicense, Client, Filter, FilterValue, LicenseAssignmentState, ListQuery, ServicePlanId, SkuId,
    SubscribedSku, User, UserRef,
};

use crate::explain::{explain, graph_says, hint, Action, Cause};
use crate::users;
use crate::validate;
use crate::Error;

pub use crate::licence_names::{product_name, service_plan_name};

/// A subscription the organisation has, as the Licences page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct License {
    pub sku: SubscribedSku,
    /// The product name ("Office 365 E3"), else the SKU part number.
    pub name: String,
    /// `prepaidUnits.enabled − consumedUnits` (never below 0).
    pub free: i64,
}

impl License {
    fn of(sku: SubscribedSku) -> License {
        let name = product_name(sku.sku_part_number.as_deref(), sku.sku_id.as_str())
            .map(str::to_string)
            .or_else(|| sku.sku_part_number.clone())
            .unwrap_or_else(|| sku.sku_id.to_string());
        License {
            free: sku.available_units().unwrap_or(0).max(0),
            name,
            sku,
        }
    }
}

/// Get Licenses (1.14): every subscription, with product names and free seats.
pub async fn list(client: &Client) -> Result<Vec<License>, Error> {
    let skus = client
        .licenses()
        .subscribed_skus()
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    Ok(skus.into_iter().map(License::of).collect())
}

/// Finds the subscription `key` names: a SKU id, a SKU part number (ENTERPRISEPACK) or a
/// product name (Office 365 E3), case-insensitive.
pub fn find<'a>(licenses: &'a [License], field: &'static str, key: &str) -> Result<&'a License, Error> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid(field, "Choose a licence."));
    }
    licenses
        .iter()
        .find(|l| {
            l.sku.sku_id.as_str().eq_ignore_ascii_case(key)
                || l.sku
                    .sku_part_number
                    .as_deref()
                    .is_some_and(|p| p.eq_ignore_ascii_case(key))
                || l.name.eq_ignore_ascii_case(key)
        })
        .ok_or_else(|| {
            Error::invalid(
                field,
                format!(
                    "Your organisation has no subscription called {key}. It has: {}.",
                    licenses.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")
                ),
            )
        })
}

/// A licence a person holds.
#[derive(Debug, Clone, PartialEq)]
pub struct UserLicense {
    pub sku_id: SkuId,
    pub name: String,
    pub sku_part_number: Option<String>,
    pub disabled_plans: Vec<ServicePlanId>,
    /// Set when the licence comes from a group (it can only be removed by leaving the group).
    pub assigned_by_group: Option<String>,
    /// Graph's error for this assignment (CountViolation, MutuallyExclusiveViolation…), if any.
    pub error: Option<String>,
}

/// What licence actions read about a person.
pub const LICENSE_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "usageLocation",
    "assignedLicenses",
    "licenseAssignmentStates",
];

fn user_licenses_of(user: &User, licenses: &[License]) -> Vec<UserLicense> {
    user.assigned_licenses
        .iter()
        .map(|a| {
            let state: Option<&LicenseAssignmentState> = user
                .license_assignment_states
                .iter()
                .find(|s| s.sku_id.as_ref() == Some(&a.sku_id) && s.assigned_by_group.is_some())
                .or_else(|| {
                    user.license_assignment_states
                        .iter()
                        .find(|s| s.sku_id.as_ref() == Some(&a.sku_id))
                });
            let known = licenses.iter().find(|l| l.sku.sku_id == a.sku_id);
            UserLicense {
                sku_id: a.sku_id.clone(),
                name: known
                    .map(|l| l.name.clone())
                    .or_else(|| product_name(None, a.sku_id.as_str()).map(str::to_string))
                    .unwrap_or_else(|| a.sku_id.to_string()),
                sku_part_number: known.and_then(|l| l.sku.sku_part_number.clone()),
                disabled_plans: a.disabled_plans.clone(),
                assigned_by_group: state.and_then(|s| s.assigned_by_group.clone()),
                error: state.and_then(|s| s.error.clone()).filter(|e| e != "None"),
            }
        })
        .collect()
}

/// The licences a person holds, with names.
pub async fn of_user(client: &Client, key: &str) -> Result<Vec<UserLicense>, Error> {
    let user = users::find(client, "user", key, LICENSE_PROPERTIES).await?;
    let licenses = list(client).await?;
    Ok(user_licenses_of(&user, &licenses))
}

/// Who holds the licence `sku_id` (a SKU id, as `list` gives it), directly or through a group;
/// the Users table's properties, by display name.
///
/// Graph filters on the server: `$filter=assignedLicenses/any(x:x/skuId eq {guid})` (an unquoted
/// GUID literal), so only the holders are read.
pub async fn holders(client: &Client, sku_id: &str) -> Result<Vec<User>, Error> {
    let sku_id = sku_id.trim();
    if sku_id.is_empty() {
        return Err(Error::invalid("skuId", "Choose a licence."));
    }
    if !validate::is_guid(sku_id) {
        return Err(Error::invalid(
            "skuId",
            format!("{sku_id} is not a licence id (a SKU id looks like c7df2760-2c81-4ef7-b578-5b5392b571df)."),
        ));
    }
    let sku =
        FilterValue::guid(sku_id).ok_or_else(|| Error::invalid("skuId", format!("{sku_id} is not a licence id.")))?;
    let query = ListQuery::new()
        .select(users::LIST_PROPERTIES)
        .filter(Filter::any_sub_eq("assignedLicenses", "skuId", sku))
        .top(999);
    let mut people: Vec<User> = client
        .users()
        .list(query)
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    people.sort_by_key(|u| users::name_of(u).to_lowercase());
    Ok(people)
}

/// What Assign/Remove License returns: the person and their licences now.
#[derive(Debug, Clone, PartialEq)]
pub struct LicenseChange {
    pub user: User,
    pub license_name: String,
    /// The services switched off (friendly names), when assigning.
    pub switched_off: Vec<String>,
    pub licenses: Vec<UserLicense>,
    /// `true`: Assign License; `false`: Remove License.
    pub assigned: bool,
}

impl LicenseChange {
    pub fn summary(&self) -> String {
        let name = users::name_of(&self.user);
        if self.assigned {
            match self.switched_off.as_slice() {
                [] => format!("{name} now has {}.", self.license_name),
                [one] => format!("{name} now has {}, with {one} switched off.", self.license_name),
                [rest @ .., last] => format!(
                    "{name} now has {}, with {} and {last} switched off.",
                    self.license_name,
                    rest.join(", ")
                ),
            }
        } else {
            format!("{} was removed from {name}.", self.license_name)
        }
    }
}

/// Assign License to User (1.2). Checked before the licence is sent, with one look-up of the
/// person and one of the subscriptions: the person has a usage location (Microsoft requires one
/// before licensing), the subscription exists and is active, it has a free seat (unless the person
/// already holds it and only the switched-off plans change), and every plan to switch off belongs
/// to it (by id or plan name).
pub async fn assign(
    client: &Client,
    user_key: &str,
    sku_key: &str,
    disabled_plans: &[String],
) -> Result<LicenseChange, Error> {
    if sku_key.trim().is_empty() {
        return Err(Error::invalid("skuId", "Choose a licence."));
    }
    let user = users::find(client, "user", user_key, LICENSE_PROPERTIES).await?;
    let name = users::name_of(&user);
    if user.usage_location.as_deref().is_none_or(|l| l.trim().is_empty()) {
        return Err(Error::invalid(
            "usageLocation",
            format!("{name} has no usage location. Microsoft requires the country where a person uses their licence before one can be assigned: set Usage location on {name}'s profile (for example US or GB), then assign the licence."),
        ));
    }
    let licenses = list(client).await?;
    let license = find(&licenses, "skuId", sku_key)?;
    let holds = user.assigned_licenses.iter().any(|a| a.sku_id == license.sku.sku_id);
    check_assignable(license, holds)?;
    let (plans, switched_off) = plans_to_switch_off(license, disabled_plans)?;
    let add = AssignedLicense {
        sku_id: license.sku.sku_id.clone(),
        disabled_plans: plans,
    };
    client
        .users()
        .assign_license(&UserRef::Id(user.id.clone()), &[add], &[])
        .await
        .map_err(|e| explain_license(e, &name, &license.name))?;
    let after = users::find(client, "user", user.id.as_str(), LICENSE_PROPERTIES).await?;
    Ok(LicenseChange {
        licenses: user_licenses_of(&after, &licenses),
        license_name: license.name.clone(),
        switched_off,
        user: after,
        assigned: true,
    })
}

/// The subscription is active, and has a free seat unless the person already holds it.
pub fn check_assignable(license: &License, holds: bool) -> Result<(), Error> {
    match &license.sku.capability_status {
        Some(msgraph::CapabilityStatus::Enabled) | Some(msgraph::CapabilityStatus::Warning) | None => {}
        Some(other) => {
            return Err(Error::invalid(
                "skuId",
                format!("The {} subscription is {other}: its licences cannot be assigned. Renew it in the Microsoft 365 admin center.", license.name),
            ))
        }
    }
    if !holds && license.free <= 0 {
        let total = license.sku.prepaid_units.map(|p| p.enabled).unwrap_or(0);
        return Err(Error::invalid(
            "skuId",
            format!("No {} licences are free: all {total} are assigned. Remove the licence from someone who no longer needs it, or buy more.", license.name),
        ));
    }
    Ok(())
}

/// The plans to switch off, each named by id or plan name and belonging to the licence: their ids
/// (once each) and their labels.
pub fn plans_to_switch_off(
    license: &License,
    disabled_plans: &[String],
) -> Result<(Vec<msgraph::ServicePlanId>, Vec<String>), Error> {
    let mut plans = Vec::new();
    let mut switched_off = Vec::new();
    for p in disabled_plans.iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        let plan = license
            .sku
            .service_plans
            .iter()
            .find(|s| {
                s.service_plan_id.as_str().eq_ignore_ascii_case(p)
                    || s.service_plan_name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case(p))
            })
            .ok_or_else(|| {
                Error::invalid(
                    "disabledPlans",
                    format!(
                        "{p} is not a service plan of {}. Choose plans from the licence's list.",
                        license.name
                    ),
                )
            })?;
        if !plans.contains(&plan.service_plan_id) {
            plans.push(plan.service_plan_id.clone());
            switched_off.push(plan_label(plan));
        }
    }
    Ok((plans, switched_off))
}

/// A service plan as people read it: Microsoft's friendly name, else its technical name, else its id.
pub fn plan_label(plan: &msgraph::ServicePlanInfo) -> String {
    service_plan_name(plan.service_plan_id.as_str())
        .map(str::to_string)
        .or_else(|| plan.service_plan_name.clone())
        .unwrap_or_else(|| plan.service_plan_id.to_string())
}

/// Graph's refusal of a licence change, in the words of its known causes (usage location, seats,
/// plans that exclude or need each other).
pub fn explain_license(e: msgraph::Error, user: &str, license: &str) -> Error {
    if graph_says(&e, Cause::NoUsageLocation) {
        return hint(e, format!("{user} has no valid usage location. Set Usage location on the profile (for example US), then try again."));
    }
    if graph_says(&e, Cause::NoFreeSeats) {
        return hint(e, format!("No {license} licences are free any more. Remove the licence from someone who no longer needs it, or buy more."));
    }
    if graph_says(&e, Cause::ExclusivePlans) {
        return hint(
            e,
            format!("{license} cannot be combined with a licence {user} already has."),
        );
    }
    if graph_says(&e, Cause::DependentPlan) {
        return hint(
            e,
            "A service plan you switched off is needed by another plan in this licence. Leave it on.",
        );
    }
    if graph_says(&e, Cause::NotASkuId) {
        return hint(e, "The licence must be chosen from your organisation's subscriptions.");
    }
    explain(Action::ManageLicenses, e)
}

/// Remove License from User (1.21). Checked first: the person holds the licence, and holds it
/// directly — a licence that comes from a group can only be removed by leaving that group.
pub async fn remove(client: &Client, user_key: &str, sku_key: &str) -> Result<LicenseChange, Error> {
    if sku_key.trim().is_empty() {
        return Err(Error::invalid("skuId", "Choose a licence."));
    }
    let user = users::find(client, "user", user_key, LICENSE_PROPERTIES).await?;
    let name = users::name_of(&user);
    let licenses = list(client).await?;
    let held = user_licenses_of(&user, &licenses);
    let key = sku_key.trim();
    let Some(license) = held.iter().find(|l| {
        l.sku_id.as_str().eq_ignore_ascii_case(key)
            || l.name.eq_ignore_ascii_case(key)
            || l.sku_part_number
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(key))
    }) else {
        return Err(Error::invalid(
            "skuId",
            format!("{name} does not have the licence {key}."),
        ));
    };
    if let Some(group) = only_from_group(&user, &license.sku_id) {
        let group_name = match crate::groups::find(client, "group", &group, &["id", "displayName"]).await {
            Ok(g) => crate::groups::name_of(&g),
            Err(_) => group.clone(),
        };
        return Err(Error::invalid(
            "skuId",
            from_group_refusal(&name, &license.name, &group_name),
        ));
    }
    client
        .users()
        .assign_license(
            &UserRef::Id(user.id.clone()),
            &[],
            std::slice::from_ref(&license.sku_id),
        )
        .await
        .map_err(|e| {
            if graph_says(&e, Cause::InheritedLicense) {
                hint(
                    e,
                    format!("{name} gets this licence from a group; remove them from the group instead."),
                )
            } else {
                explain_license(e, &name, &license.name)
            }
        })?;
    let after = users::find(client, "user", user.id.as_str(), LICENSE_PROPERTIES).await?;
    Ok(LicenseChange {
        licenses: user_licenses_of(&after, &licenses),
        license_name: license.name.clone(),
        switched_off: Vec::new(),
        user: after,
        assigned: false,
    })
}

/// The group a person gets `sku` from when they hold it only through a group (Remove License
/// cannot take it away then). Needs `licenseAssignmentStates`; `None` when Graph did not say.
pub fn only_from_group(user: &User, sku: &SkuId) -> Option<String> {
    let states = || {
        user.license_assignment_states
            .iter()
            .filter(|s| s.sku_id.as_ref() == Some(sku))
    };
    if states().any(|s| s.assigned_by_group.is_none()) {
        return None;
    }
    states().find_map(|s| s.assigned_by_group.clone())
}

/// Why a licence that comes from a group is not removed from the person.
pub fn from_group_refusal(person: &str, license: &str, group: &str) -> String {
    format!("{person} gets {license} from the group {group}. Remove {person} from that group (or the licence from the group) instead.")
}

/// Sets a person's usage location (needed before licensing), e.g. "GB".
pub async fn set_usage_location(client: &Client, user_key: &str, location: &str) -> Result<User, Error> {
    let location = validate::usage_location("usageLocation", location)?;
    users::update(
        client,
        user_key,
        &msgraph::UserUpdate {
            profile: msgraph::UserProfile {
                usage_location: Some(location),
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .await
}

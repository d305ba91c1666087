//! Subscribed SKUs, licence assignment (users and groups) and the SKU reference table.

use super::*;

impl Tenant {
    pub fn consumed(&self, sku_id: &str) -> i64 {
        let has = |r: &Rec| {
            r.data()
                .get("assignedLicenses")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter().any(|l| {
                        l.get("skuId")
                            .and_then(Value::as_str)
                            .map(|s| s.eq_ignore_ascii_case(sku_id))
                            .unwrap_or(false)
                    })
                })
                .unwrap_or(false)
        };
        self.users.values().filter(|r| has(r)).count() as i64
    }

    /// The subscribed SKU with this skuId (GUIDs compare case-insensitively).
    pub fn find_sku(&self, sku_id: &str) -> Option<&Map<String, Value>> {
        self.skus.iter().find(|k| same_sku(k.get("skuId"), sku_id))
    }

    pub fn sku_view(&self, sku: &Map<String, Value>) -> Map<String, Value> {
        let mut m = sku.clone();
        let id = sku.get("skuId").and_then(Value::as_str).unwrap_or_default();
        m.insert("consumedUnits".into(), json!(self.consumed(id)));
        m
    }

    pub fn assign_license(&mut self, uid: &str, body: &Map<String, Value>) -> Result<(), GErr> {
        let add = body.get("addLicenses").and_then(Value::as_array).cloned();
        let remove = body.get("removeLicenses").and_then(Value::as_array).cloned();
        let (Some(add), Some(remove)) = (add, remove) else {
            return Err(both_lists_required());
        };
        let user = self.users.get(uid).ok_or_else(|| GErr::not_found(uid))?;
        let mut current = assigned_licenses(user);
        let no_location = user
            .data()
            .get("usageLocation")
            .map(|v| v.is_null() || v.as_str() == Some(""))
            .unwrap_or(true);
        remove_user_licenses(&mut current, &remove)?;
        if !add.is_empty() && no_location {
            return Err(GErr::bad_request(
                "License assignment cannot be done for user with invalid usage location.",
            ));
        }
        for a in &add {
            self.add_user_license(&mut current, a)?;
        }
        let plans = self.assigned_plans(&current);
        let rec = self.users.get_mut(uid).ok_or_else(|| GErr::not_found(uid))?;
        rec.data_mut().insert("assignedLicenses".into(), Value::Array(current));
        rec.data_mut().insert("assignedPlans".into(), Value::Array(plans));
        self.touch(
            Kind::User,
            uid,
            &["assignedLicenses".to_string(), "assignedPlans".to_string()],
        );
        Ok(())
    }

    /// Checks one `addLicenses` entry (SKU, disabled plans, a free seat) and puts it in `current`.
    fn add_user_license(&self, current: &mut Vec<Value>, a: &Value) -> Result<(), GErr> {
        let s = a.get("skuId").and_then(Value::as_str).unwrap_or_default();
        if !is_guid(s) {
            return Err(not_a_guid());
        }
        let sku = self
            .find_sku(s)
            .ok_or_else(|| GErr::bad_request(format!("License {s} does not correspond to a valid company License.")))?;
        let plans: Vec<String> = sku
            .get("servicePlans")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|p| p.get("servicePlanId").and_then(Value::as_str).map(fold))
                    .collect()
            })
            .unwrap_or_default();
        for d in a.get("disabledPlans").and_then(Value::as_array).into_iter().flatten() {
            let d = d.as_str().unwrap_or_default();
            if !plans.contains(&fold(d)) {
                return Err(GErr::bad_request(format!(
                    "Service plan {d} does not belong to license {s}."
                )));
            }
        }
        let already = current.iter().any(|l| same_sku(l.get("skuId"), s));
        if !already {
            let enabled = sku
                .get("prepaidUnits")
                .and_then(|p| p.get("enabled"))
                .and_then(Value::as_i64)
                .unwrap_or(0);
            if self.consumed(s) >= enabled {
                return Err(GErr::bad_request(format!(
                    "Subscription with SKU {s} does not have any available licenses."
                )));
            }
        }
        put_license(current, a, s);
        Ok(())
    }

    /// assignedPlans: every service plan of every assigned SKU that is not disabled.
    fn assigned_plans(&self, current: &[Value]) -> Vec<Value> {
        let now = iso_now();
        let mut plans = Vec::new();
        for l in current {
            let sku_id = l.get("skuId").and_then(Value::as_str).unwrap_or_default();
            let disabled = disabled_plans(l);
            let sku = self.find_sku(sku_id);
            for p in sku
                .and_then(|k| k.get("servicePlans"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let pid = p.get("servicePlanId").and_then(Value::as_str).unwrap_or_default();
                if disabled.contains(&fold(pid)) {
                    continue;
                }
                plans.push(json!({"assignedDateTime": now, "capabilityStatus": "Enabled", "service": p.get("servicePlanName"), "servicePlanId": pid}));
            }
        }
        plans
    }

    /// Group-based licensing: sets the group's licences (Graph answers 202 and processes members later).
    pub fn assign_group_license(&mut self, gid: &str, body: &Map<String, Value>) -> Result<(), GErr> {
        let (Some(add), Some(remove)) = (
            body.get("addLicenses").and_then(Value::as_array),
            body.get("removeLicenses").and_then(Value::as_array),
        ) else {
            return Err(both_lists_required());
        };
        let g = self.groups.get(gid).ok_or_else(|| GErr::not_found(gid))?;
        let mut current = assigned_licenses(g);
        for r in remove {
            let s = r.as_str().unwrap_or_default();
            current.retain(|l| !same_sku(l.get("skuId"), s));
        }
        for a in add {
            let s = a.get("skuId").and_then(Value::as_str).unwrap_or_default();
            if !is_guid(s) {
                return Err(not_a_guid());
            }
            if self.find_sku(s).is_none() {
                return Err(GErr::bad_request(format!(
                    "License {s} does not correspond to a valid company License."
                )));
            }
            put_license(&mut current, a, s);
        }
        if let Some(g) = self.groups.get_mut(gid) {
            g.data_mut().insert("assignedLicenses".into(), Value::Array(current));
        }
        self.touch(Kind::Group, gid, &["assignedLicenses".to_string()]);
        Ok(())
    }

    /// Adds (or tops up) a subscription for a SKU from the reference table, with `seats` enabled units.
    pub fn add_subscription(&mut self, part_or_id: &str, seats: i64) -> Result<Map<String, Value>, GErr> {
        let r = sku_reference()
            .into_iter()
            .find(|r| r.sku_part_number.eq_ignore_ascii_case(part_or_id) || r.sku_id.eq_ignore_ascii_case(part_or_id))
            .ok_or_else(|| GErr::not_found(part_or_id))?;
        if let Some(existing) = self
            .skus
            .iter_mut()
            .find(|k| k.get("skuId").and_then(Value::as_str) == Some(r.sku_id.as_str()))
        {
            existing.insert(
                "prepaidUnits".into(),
                json!({"enabled": seats, "lockedOut": 0, "suspended": 0, "warning": 0}),
            );
            return Ok(existing.clone());
        }
        let plans: Vec<Value> = r
            .service_plans
            .iter()
            .map(|(n, id)| json!({"servicePlanId": id, "servicePlanName": n, "provisioningStatus": "Success", "appliesTo": "User"}))
            .collect();
        let sub = self.next_id();
        let m = json!({
            "id": format!("{}_{}", self.tenant_id, r.sku_id), "accountName": "Contoso", "accountId": self.tenant_id, "appliesTo": "User",
            "capabilityStatus": "Enabled", "consumedUnits": 0, "prepaidUnits": {"enabled": seats, "lockedOut": 0, "suspended": 0, "warning": 0},
            "servicePlans": plans, "skuId": r.sku_id, "skuPartNumber": r.sku_part_number, "subscriptionIds": [sub],
        });
        let m = m.as_object().cloned().unwrap_or_default();
        self.skus.push(m.clone());
        Ok(m)
    }
}

/// Whether a `skuId` value names the SKU `s` (GUIDs compare case-insensitively).
fn same_sku(v: Option<&Value>, s: &str) -> bool {
    v.and_then(Value::as_str)
        .map(|x| x.eq_ignore_ascii_case(s))
        .unwrap_or(false)
}

fn both_lists_required() -> GErr {
    GErr::bad_request("Invalid value specified for property 'addLicenses' or 'removeLicenses' of resource 'assignLicense'. Both are required and can be empty collections.")
}

fn not_a_guid() -> GErr {
    GErr::bad_request(
        "Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details.",
    )
}

/// Replaces the licence for SKU `s` in `current` with the `addLicenses` entry `a`.
fn put_license(current: &mut Vec<Value>, a: &Value, s: &str) {
    current.retain(|l| !same_sku(l.get("skuId"), s));
    current.push(json!({"disabledPlans": a.get("disabledPlans").cloned().unwrap_or(json!([])), "skuId": s}));
}

/// Applies `removeLicenses` to a user's licences: each must be a GUID the user holds.
fn remove_user_licenses(current: &mut Vec<Value>, remove: &[Value]) -> Result<(), GErr> {
    let mut rm_ids = Vec::new();
    for r in remove {
        let s = r.as_str().unwrap_or_default();
        if !is_guid(s) {
            return Err(not_a_guid());
        }
        if !current.iter().any(|l| same_sku(l.get("skuId"), s)) {
            return Err(GErr::bad_request(format!(
                "User does not have a corresponding license {s}."
            )));
        }
        rm_ids.push(fold(s));
    }
    current.retain(|l| !rm_ids.contains(&l.get("skuId").and_then(Value::as_str).map(fold).unwrap_or_default()));
    Ok(())
}

/// A user's or group's `assignedLicenses`.
fn assigned_licenses(r: &Rec) -> Vec<Value> {
    r.data()
        .get("assignedLicenses")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The `disabledPlans` of one assigned licence, folded for comparison.
pub fn disabled_plans(licence: &Value) -> Vec<String> {
    licence
        .get("disabledPlans")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|x| x.as_str().map(fold)).collect())
        .unwrap_or_default()
}

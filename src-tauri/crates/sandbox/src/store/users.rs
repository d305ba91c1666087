//! Users: create, update, soft delete, manager.

use super::*;

impl Tenant {
    fn check_upn(&self, upn: &str, except: Option<&str>) -> Result<(), GErr> {
        let Some((local, domain)) = upn.rsplit_once('@') else {
            return Err(invalid_value("userPrincipalName", "User"));
        };
        if !valid_upn_local(local) || local.starts_with('.') || local.ends_with('.') {
            return Err(invalid_value("userPrincipalName", "User"));
        }
        if !self.domains.iter().any(|d| d.eq_ignore_ascii_case(domain)) {
            return Err(GErr::bad_request(
                "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
            ));
        }
        if let Some(other) = self.upn.get(&fold(upn)) {
            if Some(other.as_str()) != except {
                return Err(GErr::bad_request("Another object with the same value for property userPrincipalName already exists.").with_details(json!([
                    {"code": "ObjectConflict", "message": "Another object with the same value for property userPrincipalName already exists.", "target": "userPrincipalName"}
                ])));
            }
        }
        Ok(())
    }

    pub fn create_user(&mut self, body: &Map<String, Value>) -> Result<Map<String, Value>, GErr> {
        check_props(body, USER_PROPS, &USER_READONLY[1..])?;
        type_check(body, "User")?;
        for req in ["accountEnabled", "displayName", "mailNickname", "userPrincipalName"] {
            if body.get(req).map(Value::is_null).unwrap_or(true) {
                return Err(GErr::bad_request(format!(
                    "Invalid value specified for property '{req}' of resource 'User'."
                )));
            }
        }
        let pw = body
            .get("passwordProfile")
            .and_then(|p| p.get("password"))
            .and_then(Value::as_str);
        let Some(pw) = pw else {
            return Err(GErr::bad_request("A password must be specified to create a new user."));
        };
        if !password_ok(pw) {
            return Err(GErr::bad_request("The specified password does not comply with password complexity requirements. Please provide a different password."));
        }
        let upn = body
            .get("userPrincipalName")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.check_upn(&upn, None)?;
        let mut m = body.clone();
        m.retain(|k, _| !k.ends_with("@odata.bind") && !k.starts_with('@'));
        forget_password(&mut m);
        if let Some(loc) = m.get("usageLocation").and_then(Value::as_str) {
            if loc.len() != 2 {
                return Err(invalid_value("usageLocation", "User"));
            }
        }
        let id = body
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| is_guid(s))
            .map(str::to_string)
            .unwrap_or_else(|| self.next_id());
        m.insert("id".into(), json!(id));
        m.insert("createdDateTime".into(), json!(iso_now()));
        m.entry("userType").or_insert(json!("Member"));
        m.entry("businessPhones").or_insert(json!([]));
        m.entry("assignedLicenses").or_insert(json!([]));
        m.entry("creationType").or_insert(Value::Null);
        let seq = self.log(Change::Touch {
            kind: Kind::User,
            id: id.clone(),
        });
        self.insert_user(m.clone(), seq);
        Ok(m)
    }

    pub fn update_user(&mut self, id: &str, body: &Map<String, Value>) -> Result<(), GErr> {
        check_props(body, USER_PROPS, USER_READONLY)?;
        type_check(body, "User")?;
        if let Some(upn) = body.get("userPrincipalName").and_then(Value::as_str) {
            self.check_upn(upn, Some(id))?;
        }
        if let Some(pw) = body
            .get("passwordProfile")
            .and_then(|p| p.get("password"))
            .and_then(Value::as_str)
        {
            if !password_ok(pw) {
                return Err(GErr::bad_request("The specified password does not comply with password complexity requirements. Please provide a different password."));
            }
        }
        if let Some(loc) = body.get("usageLocation") {
            if !(loc.is_null() || loc.as_str().map(|s| s.len() == 2).unwrap_or(false)) {
                return Err(invalid_value("usageLocation", "User"));
            }
        }
        let mut body = body.clone();
        forget_password(&mut body);
        let body = &body;
        let rec = self.users.get_mut(id).ok_or_else(|| GErr::not_found(id))?;
        let old_upn = rec.data().get("userPrincipalName").and_then(Value::as_str).map(fold);
        let changed = merge_props(rec, body);
        if let Some(new_upn) = body.get("userPrincipalName").and_then(Value::as_str) {
            if let Some(o) = old_upn {
                self.upn.remove(&o);
            }
            self.upn.insert(fold(new_upn), id.to_string());
        }
        if !changed.is_empty() {
            self.touch(Kind::User, id, &changed);
        }
        Ok(())
    }

    /// Soft-deletes a user into deletedItems (restorable for 30 days in Entra).
    pub fn delete_user(&mut self, id: &str) -> Result<(), GErr> {
        let mut rec = self.users.remove(id).ok_or_else(|| GErr::not_found(id))?;
        if let Some(upn) = rec.data().get("userPrincipalName").and_then(Value::as_str) {
            self.upn.remove(&fold(upn));
        }
        rec.data_mut().insert("deletedDateTime".into(), json!(iso_now()));
        let groups: Vec<String> = self
            .member_of
            .remove(id)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        for g in &groups {
            if let Some(m) = self.members.get_mut(g) {
                m.retain(|x| x != id);
            }
            self.log(Change::Member {
                group: g.clone(),
                member: id.to_string(),
                member_kind: Kind::User,
                added: false,
            });
        }
        if let Some(prev) = self.manager.remove(id) {
            self.log(Change::Manager {
                user: id.to_string(),
                manager: None,
                previous: Some(prev),
            });
        }
        let reports: Vec<String> = self
            .manager
            .iter()
            .filter(|(_, m)| *m == id)
            .map(|(u, _)| u.clone())
            .collect();
        for r in reports {
            self.manager.remove(&r);
            self.log(Change::Manager {
                user: r,
                manager: None,
                previous: Some(id.to_string()),
            });
        }
        let owned: Vec<String> = self
            .owners
            .iter()
            .filter(|(_, o)| o.iter().any(|x| x == id))
            .map(|(g, _)| g.clone())
            .collect();
        for g in owned {
            if let Some(o) = self.owners.get_mut(&g) {
                o.retain(|x| x != id);
            }
            self.log(Change::Owner {
                group: g,
                owner: id.to_string(),
                added: false,
            });
        }
        self.assignments
            .retain(|a| a.get("principalId").and_then(Value::as_str) != Some(id));
        self.deleted.insert(
            id.to_string(),
            Deleted {
                kind: Kind::User,
                rec,
                links: groups,
                owners: Vec::new(),
            },
        );
        self.log(Change::Removed {
            kind: Kind::User,
            id: id.to_string(),
        });
        Ok(())
    }

    /// Sets (Some) or removes (None) a user's manager.
    pub fn set_manager(&mut self, uid: &str, manager: Option<String>) -> Result<(), GErr> {
        if !self.users.contains_key(uid) {
            return Err(GErr::not_found(uid));
        }
        let previous = match &manager {
            Some(m) => {
                if self.kind_of(m).is_none() {
                    return Err(GErr::not_found(m));
                }
                if m == uid {
                    return Err(GErr::bad_request("A user cannot be their own manager."));
                }
                self.manager.insert(uid.to_string(), m.clone())
            }
            None => Some(self.manager.remove(uid).ok_or_else(|| GErr::not_found("manager"))?),
        };
        self.log(Change::Manager {
            user: uid.to_string(),
            manager,
            previous,
        });
        Ok(())
    }
}

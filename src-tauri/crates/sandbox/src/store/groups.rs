//! Groups: create, update, delete (soft for Microsoft 365 groups, hard for security groups).

use super::*;

impl Tenant {
    pub fn create_group(&mut self, body: &Map<String, Value>) -> Result<Map<String, Value>, GErr> {
        let (unified, nick) = check_new_group(body)?;
        let binds = |k: &str| -> Result<Vec<String>, GErr> {
            match body.get(k) {
                None => Ok(Vec::new()),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|u| self.id_from_odata_id(u.as_str().unwrap_or_default()))
                    .collect(),
                Some(_) => Err(invalid_value(k, "Group")),
            }
        };
        let members = binds("members@odata.bind")?;
        let owners = binds("owners@odata.bind")?;
        if members.len() + owners.len() > 20 {
            return Err(GErr::bad_request(
                "You can add up to 20 members and owners in a single request.",
            ));
        }
        let id = self.next_id();
        let m = self.new_group_props(body, &id, unified, &nick);
        let seq = self.log(Change::Touch {
            kind: Kind::Group,
            id: id.clone(),
        });
        self.groups.insert(id.clone(), Rec::new(m.clone(), seq));
        for o in &owners {
            self.add_owner(&id, o)?;
        }
        for mem in &members {
            self.add_member(&id, mem)?;
        }
        Ok(m)
    }

    /// The stored properties of a new group: the body's, plus what Graph fills in.
    fn new_group_props(&self, body: &Map<String, Value>, id: &str, unified: bool, nick: &str) -> Map<String, Value> {
        let mut m = body.clone();
        m.retain(|k, _| !k.ends_with("@odata.bind") && !k.starts_with('@'));
        let now = iso_now();
        m.insert("id".into(), json!(id));
        m.insert("createdDateTime".into(), json!(now));
        m.insert("renewedDateTime".into(), json!(now));
        m.entry("groupTypes").or_insert(json!([]));
        m.entry("description").or_insert(Value::Null);
        m.entry("visibility")
            .or_insert(if unified { json!("Public") } else { Value::Null });
        m.insert(
            "mail".into(),
            if unified {
                json!(format!("{}@contoso.com", nick))
            } else {
                Value::Null
            },
        );
        m.insert(
            "proxyAddresses".into(),
            if unified {
                json!([format!("SMTP:{}@contoso.com", nick)])
            } else {
                json!([])
            },
        );
        m.insert(
            "securityIdentifier".into(),
            json!(format!("S-1-12-1-{}", self.counter * 7919 % 4_294_967_291)),
        );
        m.insert("deletedDateTime".into(), Value::Null);
        fill_group_defaults(&mut m);
        m
    }

    pub fn update_group(&mut self, id: &str, body: &Map<String, Value>) -> Result<(), GErr> {
        check_props(body, GROUP_PROPS, GROUP_READONLY)?;
        type_check(body, "Group")?;
        if !self.groups.contains_key(id) {
            return Err(GErr::not_found(id));
        }
        check_group_update(body, self.is_unified(id))?;
        let mut plain = body.clone();
        plain.retain(|k, _| !k.ends_with("@odata.bind") && !k.starts_with('@'));
        // members@odata.bind on PATCH: all or nothing (one existing member fails the whole request).
        if let Some(v) = body.get("members@odata.bind") {
            let Some(a) = v.as_array() else {
                return Err(invalid_value("members@odata.bind", "Group"));
            };
            if a.len() > 20 {
                return Err(GErr::bad_request(
                    "You can add up to 20 members and owners in a single request.",
                ));
            }
            let ids: Vec<String> = a
                .iter()
                .map(|u| self.id_from_odata_id(u.as_str().unwrap_or_default()))
                .collect::<Result<_, _>>()?;
            let current = self.members.get(id).cloned().unwrap_or_default();
            if ids.iter().any(|i| current.contains(i)) {
                return Err(already_exists());
            }
            for i in &ids {
                self.add_member(id, i)?;
            }
        }
        let rec = self.groups.get_mut(id).ok_or_else(|| GErr::not_found(id))?;
        let changed = merge_props(rec, &plain);
        if !changed.is_empty() {
            self.touch(Kind::Group, id, &changed);
        }
        Ok(())
    }

    /// Members come from a membership rule (`groupTypes` has DynamicMembership).
    pub fn is_dynamic(&self, id: &str) -> bool {
        self.groups
            .get(id)
            .is_some_and(|g| has_type(&g.data(), "DynamicMembership"))
    }

    pub fn is_unified(&self, id: &str) -> bool {
        self.groups.get(id).is_some_and(|g| has_type(&g.data(), "Unified"))
    }

    /// Microsoft 365 groups are soft-deleted; security groups are deleted permanently (MSG/group-delete).
    pub fn delete_group(&mut self, id: &str) -> Result<(), GErr> {
        let soft = self.is_unified(id);
        let mut rec = self.groups.remove(id).ok_or_else(|| GErr::not_found(id))?;
        let members = self.members.remove(id).unwrap_or_default();
        for m in &members {
            if let Some(s) = self.member_of.get_mut(m) {
                s.remove(id);
            }
        }
        // The group itself may be a member of other groups.
        let parents: Vec<String> = self
            .member_of
            .remove(id)
            .map(|s| s.into_iter().collect())
            .unwrap_or_default();
        for p in &parents {
            if let Some(m) = self.members.get_mut(p) {
                m.retain(|x| x != id);
            }
            self.log(Change::Member {
                group: p.clone(),
                member: id.to_string(),
                member_kind: Kind::Group,
                added: false,
            });
        }
        let owners = self.owners.remove(id).unwrap_or_default();
        if soft {
            rec.data_mut().insert("deletedDateTime".into(), json!(iso_now()));
            self.deleted.insert(
                id.to_string(),
                Deleted {
                    kind: Kind::Group,
                    rec,
                    links: members,
                    owners,
                },
            );
        } else {
            self.purged.insert(id.to_string());
        }
        self.log(Change::Removed {
            kind: Kind::Group,
            id: id.to_string(),
        });
        Ok(())
    }
}

fn str_prop<'a>(body: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
    body.get(k).and_then(Value::as_str)
}

fn has_type(body: &Map<String, Value>, t: &str) -> bool {
    body.get("groupTypes")
        .and_then(Value::as_array)
        .is_some_and(|a| a.iter().any(|x| x == t))
}

/// Dynamic groups need a rule (and a rule needs DynamicMembership); HiddenMembership is for
/// Microsoft 365 groups only (group resource, `visibility`).
fn check_new_membership(body: &Map<String, Value>, unified: bool) -> Result<(), GErr> {
    let dynamic = has_type(body, "DynamicMembership");
    let rule = str_prop(body, "membershipRule").is_some_and(|r| !r.trim().is_empty());
    if dynamic != rule {
        return Err(invalid_value("membershipRule", "Group"));
    }
    if str_prop(body, "visibility") == Some("HiddenMembership") && !unified {
        return Err(invalid_value("visibility", "Group"));
    }
    Ok(())
}

/// `isAssignableToRole: true` (group resource): securityEnabled, not dynamic, Private.
fn check_role_assignable(body: &Map<String, Value>, security: bool) -> Result<(), GErr> {
    if body.get("isAssignableToRole").and_then(Value::as_bool) != Some(true) {
        return Ok(());
    }
    if !security {
        return Err(invalid_value("securityEnabled", "Group"));
    }
    if has_type(body, "DynamicMembership") {
        return Err(invalid_value("groupTypes", "Group"));
    }
    if str_prop(body, "visibility").is_some_and(|v| v != "Private") {
        return Err(invalid_value("visibility", "Group"));
    }
    Ok(())
}

/// An update's body against Graph's rules for groups: mail settings alone and only on
/// Microsoft 365 groups; `isAssignableToRole` and HiddenMembership only at creation.
fn check_group_update(body: &Map<String, Value>, unified: bool) -> Result<(), GErr> {
    let exchange = body.keys().filter(|k| EXCHANGE_PROPS.contains(&k.as_str())).count();
    if exchange > 0 && (body.len() > 1 || !unified) {
        return Err(GErr::bad_request(
            "The request is currently not supported on the targeted entity set",
        ));
    }
    if body.contains_key("isAssignableToRole") {
        return Err(invalid_value("isAssignableToRole", "Group"));
    }
    if str_prop(body, "visibility") == Some("HiddenMembership") {
        return Err(invalid_value("visibility", "Group"));
    }
    Ok(())
}

/// Checks a new group's body; returns whether it is a Microsoft 365 group and its mailNickname.
fn check_new_group(body: &Map<String, Value>) -> Result<(bool, String), GErr> {
    check_props(body, GROUP_PROPS, GROUP_READONLY)?;
    type_check(body, "Group")?;
    for req in ["displayName", "mailEnabled", "mailNickname", "securityEnabled"] {
        if body.get(req).map(Value::is_null).unwrap_or(true) {
            return Err(GErr::bad_request(format!(
                "Invalid value specified for property '{req}' of resource 'Group'."
            )));
        }
    }
    let unified = body
        .get("groupTypes")
        .and_then(Value::as_array)
        .map(|a| a.iter().any(|x| x == "Unified"))
        .unwrap_or(false);
    let mail_enabled = body.get("mailEnabled").and_then(Value::as_bool).unwrap_or(false);
    let security = body.get("securityEnabled").and_then(Value::as_bool).unwrap_or(false);
    if mail_enabled && !unified {
        return Err(GErr::bad_request("The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or is set to false."));
    }
    if !unified && !security {
        return Err(GErr::bad_request(
            "A group must be security-enabled, mail-enabled or a Microsoft 365 group.",
        ));
    }
    let nick = body
        .get("mailNickname")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if nick.is_empty() || nick.len() > 64 || !nick.chars().all(|c| c.is_ascii() && !"@()\\[]\";:<>, ".contains(c)) {
        return Err(invalid_value("mailNickname", "Group"));
    }
    if let Some(k) = EXCHANGE_PROPS.iter().find(|k| body.contains_key(**k)) {
        // group-post-groups: these "can't be set" in the create call; a later PATCH sets them.
        return Err(invalid_value(k, "Group"));
    }
    check_new_membership(body, unified)?;
    check_role_assignable(body, security)?;
    Ok((unified, nick))
}

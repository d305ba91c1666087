//! The seeded practice tenant: the docs examples' users, groups, roles and subscriptions.

use super::*;

impl Tenant {
    /// Builds the seeded practice tenant (deterministic for a given `seed`).
    pub fn seeded(seed: u64) -> Tenant {
        let s = seed_json();
        let mut t = Tenant::empty(seed);
        t.seed_users(&s);
        t.seed_groups(&s);
        t.seed_roles(&s);
        t.seed_skus(&s);
        t.seed_admin();
        t
    }

    /// A tenant with its domains and nothing in it.
    fn empty(seed: u64) -> Tenant {
        Tenant {
            tenant_id: TENANT_ID.to_string(),
            domains: vec![
                "contoso.com".into(),
                "contoso.onmicrosoft.com".into(),
                "M365x214355.onmicrosoft.com".into(),
            ],
            seed,
            counter: 0,
            seq: 0,
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            deleted: BTreeMap::new(),
            purged: BTreeSet::new(),
            upn: HashMap::new(),
            members: HashMap::new(),
            member_of: HashMap::new(),
            owners: HashMap::new(),
            manager: HashMap::new(),
            roles: Vec::new(),
            assignments: Vec::new(),
            skus: Vec::new(),
            contacts: HashMap::new(),
            folders: HashMap::new(),
            invitations: Vec::new(),
            log: Vec::new(),
            token_key: crate::util::random_token(32),
            delta_epoch: 0,
            revoked: HashMap::new(),
        }
    }

    fn seed_users(&mut self, s: &Value) {
        for u in s.get("users").and_then(Value::as_array).into_iter().flatten() {
            let Some(mut m) = u.as_object().cloned() else { continue };
            m.remove("@odata.type");
            m.remove("@odata.id");
            m.remove("@odata.context");
            // Seeded members of the demo tenant are enabled, licensable members of the organisation.
            m.entry("accountEnabled").or_insert(Value::Bool(true));
            m.entry("userType").or_insert(json!("Member"));
            m.entry("usageLocation").or_insert(json!("US"));
            m.entry("createdDateTime").or_insert(json!("2021-03-12T10:36:14Z"));
            m.entry("assignedLicenses").or_insert(json!([]));
            m.entry("passwordProfile").or_insert(json!({"forceChangePasswordNextSignIn": false, "forceChangePasswordNextSignInWithMfa": false, "password": null}));
            if let Some(upn) = m.get("userPrincipalName").and_then(Value::as_str) {
                let local = upn.split('@').next().unwrap_or(upn).to_string();
                m.entry("mailNickname").or_insert(json!(local));
            }
            self.insert_user(m, 0);
        }
    }

    fn seed_groups(&mut self, s: &Value) {
        for g in s.get("groups").and_then(Value::as_array).into_iter().flatten() {
            let Some(mut m) = g.as_object().cloned() else { continue };
            m.remove("@odata.type");
            m.remove("@odata.id");
            m.remove("@odata.context");
            let id = m.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
            let deleted = m.get("deletedDateTime").map(|v| !v.is_null()).unwrap_or(false);
            // Keep what Microsoft's description declares (plus the known drift it lists), so every
            // seeded object validates strictly; the docs example's createdByAppId/organizationId go.
            m.retain(|k, _| GROUP_PROPS.contains(&k.as_str()));
            fill_group_defaults(&mut m);
            let rec = Rec::new(m, 0);
            if deleted {
                self.deleted.insert(
                    id,
                    Deleted {
                        kind: Kind::Group,
                        rec,
                        links: Vec::new(),
                        owners: Vec::new(),
                    },
                );
            } else {
                self.groups.insert(id, rec);
            }
        }
    }

    fn seed_roles(&mut self, s: &Value) {
        for r in s.get("directoryRoles").and_then(Value::as_array).into_iter().flatten() {
            if let Some(m) = r.as_object() {
                let tpl = m.get("roleTemplateId").and_then(Value::as_str).unwrap_or_default();
                // The seed carries Global Administrator twice (two docs examples); a tenant activates a role once.
                if self
                    .roles
                    .iter()
                    .any(|x| x.get("roleTemplateId").and_then(Value::as_str) == Some(tpl))
                {
                    continue;
                }
                self.roles.push(m.clone());
            }
        }
    }

    fn seed_skus(&mut self, s: &Value) {
        for k in s.get("subscribedSkus").and_then(Value::as_array).into_iter().flatten() {
            if let Some(m) = k.as_object() {
                let mut m = m.clone();
                m.remove("@odata.context");
                m.entry("prepaidUnits")
                    .or_insert(json!({"enabled":0,"lockedOut":0,"suspended":0,"warning":0}));
                m.entry("appliesTo").or_insert(json!("User"));
                m.entry("capabilityStatus").or_insert(json!("Enabled"));
                m.entry("subscriptionIds").or_insert(json!([]));
                self.skus.push(m);
            }
        }
    }

    fn seed_admin(&mut self) {
        // The demo tenant's administrator holds Global Administrator, so the practice tenant has an admin.
        if self.users.contains_key(MOD_ADMIN_ID) {
            let id = self.next_id();
            self.assignments.push(
                json!({"id": id, "principalId": MOD_ADMIN_ID, "roleDefinitionId": GLOBAL_ADMIN_TEMPLATE, "directoryScopeId": "/"})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
    }
}

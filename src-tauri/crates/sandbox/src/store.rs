//! The tenant's directory: users, groups, memberships, roles, licences, contacts, soft-deleted
//! items, and the change log that delta queries read.

use crate::error::GErr;
use crate::util::{fold, is_guid, iso_now};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

pub const SEED_TENANT: &str = include_str!("../data/seed-tenant.json");
pub const ROLE_TEMPLATES: &str = include_str!("../data/directory-role-templates.json");
pub const SKU_REFERENCE: &str = include_str!("../data/sku-reference.tsv");

/// The practice tenant's id: the `organizationId` the seed's docs examples carry.
pub const TENANT_ID: &str = "927c6607-8060-4f4a-a5f8-34964ac78d70";
pub const GLOBAL_ADMIN_TEMPLATE: &str = "62e90394-69f5-4237-9190-012177145e10";
/// MOD Administrator: the demo tenant's own administrator account.
pub const MOD_ADMIN_ID: &str = "5bde3e51-d13b-4db1-9948-fe4b109d11a7";

pub const USER_PROPS: &[&str] = &[
    "id",
    "deletedDateTime",
    "aboutMe",
    "accountEnabled",
    "ageGroup",
    "assignedLicenses",
    "assignedPlans",
    "authorizationInfo",
    "birthday",
    "businessPhones",
    "city",
    "companyName",
    "consentProvidedForMinor",
    "country",
    "createdDateTime",
    "creationType",
    "customSecurityAttributes",
    "department",
    "deviceEnrollmentLimit",
    "displayName",
    "employeeHireDate",
    "employeeId",
    "employeeLeaveDateTime",
    "employeeOrgData",
    "employeeType",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "faxNumber",
    "givenName",
    "hireDate",
    "identities",
    "imAddresses",
    "interests",
    "isManagementRestricted",
    "isResourceAccount",
    "jobTitle",
    "lastPasswordChangeDateTime",
    "legalAgeGroupClassification",
    "licenseAssignmentStates",
    "mail",
    "mailboxSettings",
    "mailNickname",
    "mobilePhone",
    "mySite",
    "officeLocation",
    "onPremisesDistinguishedName",
    "onPremisesDomainName",
    "onPremisesExtensionAttributes",
    "onPremisesImmutableId",
    "onPremisesLastSyncDateTime",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "onPremisesUserPrincipalName",
    "otherMails",
    "passwordPolicies",
    "passwordProfile",
    "pastProjects",
    "postalCode",
    "preferredDataLocation",
    "preferredLanguage",
    "preferredName",
    "print",
    "provisionedPlans",
    "proxyAddresses",
    "responsibilities",
    "schools",
    "securityIdentifier",
    "serviceProvisioningErrors",
    "showInAddressList",
    "signInActivity",
    "signInSessionsValidFromDateTime",
    "skills",
    "state",
    "streetAddress",
    "surname",
    "usageLocation",
    "userPrincipalName",
    "userType",
    "manager",
];
pub const USER_DEFAULT: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];
/// What assignLicense returns: the default set plus the organisational and licensing properties.
pub const USER_LICENSED: &[&str] = &[
    "accountEnabled",
    "assignedLicenses",
    "assignedPlans",
    "businessPhones",
    "city",
    "companyName",
    "country",
    "department",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mailNickname",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "usageLocation",
    "userPrincipalName",
    "userType",
    "id",
];
/// Users inside directoryObject collections (members, owners, memberOf…).
pub const USER_DIR_OBJECT: &[&str] = &[
    "accountEnabled",
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
];
/// Nothing is hidden: passwords are never stored, so `passwordProfile` shows only its flags.
pub const USER_HIDDEN: &[&str] = &[];
pub const USER_READONLY: &[&str] = &[
    "id",
    "createdDateTime",
    "deletedDateTime",
    "assignedLicenses",
    "assignedPlans",
    "creationType",
    "externalUserState",
    "signInSessionsValidFromDateTime",
    "lastPasswordChangeDateTime",
];
/// Properties that `$filter` supports only in advanced queries (FILTERTBL in cards.md §0.4).
pub const USER_ADVANCED_ONLY: &[&str] = &[
    "companyName",
    "employeeHireDate",
    "employeeType",
    "mobilePhone",
    "officeLocation",
    "postalCode",
    "preferredLanguage",
    "streetAddress",
    "onPremisesSamAccountName",
    "onPremisesImmutableId",
    "onPremisesExtensionAttributes",
    "passwordPolicies",
    "showInAddressList",
];
/// Properties stored outside the directory: delta can't track them (501).
pub const USER_NOT_TRACKED: &[&str] = &[
    "aboutMe",
    "birthday",
    "hireDate",
    "interests",
    "mySite",
    "pastProjects",
    "preferredName",
    "responsibilities",
    "schools",
    "skills",
    "mailboxSettings",
];
pub const GROUP_PROPS: &[&str] = &[
    "id",
    "deletedDateTime",
    "allowExternalSenders",
    "assignedLabels",
    "assignedLicenses",
    "autoSubscribeNewMembers",
    "classification",
    "createdDateTime",
    "description",
    "displayName",
    "expirationDateTime",
    "groupTypes",
    "hasMembersWithLicenseErrors",
    "hideFromAddressLists",
    "hideFromOutlookClients",
    "isArchived",
    "isAssignableToRole",
    "isManagementRestricted",
    "isSubscribedByMail",
    "licenseProcessingState",
    "mail",
    "mailEnabled",
    "mailNickname",
    "membershipRule",
    "membershipRuleProcessingState",
    "onPremisesDomainName",
    "onPremisesLastSyncDateTime",
    "onPremisesNetBiosName",
    "onPremisesProvisioningErrors",
    "onPremisesSamAccountName",
    "onPremisesSecurityIdentifier",
    "onPremisesSyncEnabled",
    "preferredDataLocation",
    "preferredLanguage",
    "proxyAddresses",
    "renewedDateTime",
    "securityEnabled",
    "securityIdentifier",
    "serviceProvisioningErrors",
    "theme",
    "uniqueName",
    "unseenCount",
    "visibility",
    "resourceBehaviorOptions",
    "resourceProvisioningOptions",
    "members",
    "owners",
];
/// Properties Graph returns for every group (null or empty when unset).
pub const GROUP_DEFAULTS: &[(&str, &str)] = &[
    ("deletedDateTime", "null"),
    ("classification", "null"),
    ("createdDateTime", "null"),
    ("description", "null"),
    ("expirationDateTime", "null"),
    ("groupTypes", "[]"),
    ("isAssignableToRole", "null"),
    ("mail", "null"),
    ("mailEnabled", "false"),
    ("mailNickname", "null"),
    ("membershipRule", "null"),
    ("membershipRuleProcessingState", "null"),
    ("onPremisesDomainName", "null"),
    ("onPremisesLastSyncDateTime", "null"),
    ("onPremisesNetBiosName", "null"),
    ("onPremisesSamAccountName", "null"),
    ("onPremisesSecurityIdentifier", "null"),
    ("onPremisesSyncEnabled", "null"),
    ("preferredDataLocation", "null"),
    ("preferredLanguage", "null"),
    ("proxyAddresses", "[]"),
    ("renewedDateTime", "null"),
    ("resourceBehaviorOptions", "[]"),
    ("resourceProvisioningOptions", "[]"),
    ("securityEnabled", "false"),
    ("securityIdentifier", "null"),
    ("theme", "null"),
    ("visibility", "null"),
    ("onPremisesProvisioningErrors", "[]"),
    ("serviceProvisioningErrors", "[]"),
];

/// Fills the properties Graph always returns for a group.
pub fn fill_group_defaults(m: &mut Map<String, Value>) {
    for (k, v) in GROUP_DEFAULTS {
        if !m.contains_key(*k) {
            m.insert(k.to_string(), serde_json::from_str(v).unwrap_or(Value::Null));
        }
    }
}

pub const GROUP_READONLY: &[&str] = &[
    "id",
    "createdDateTime",
    "deletedDateTime",
    "renewedDateTime",
    "securityIdentifier",
    "mail",
    "proxyAddresses",
];

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub enum Kind {
    User,
    Group,
}

impl Kind {
    pub fn odata_type(self) -> &'static str {
        match self {
            Kind::User => "#microsoft.graph.user",
            Kind::Group => "#microsoft.graph.group",
        }
    }
}

/// One directory object: its properties plus the sequence numbers delta needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rec {
    pub data: Map<String, Value>,
    /// Sequence number at creation or restore (0 = part of the seed).
    pub created: u64,
    /// Last change sequence per property (only properties changed after creation).
    #[serde(default)]
    pub props: HashMap<String, u64>,
}

impl Rec {
    pub fn new(data: Map<String, Value>, seq: u64) -> Rec {
        Rec {
            data,
            created: seq,
            props: HashMap::new(),
        }
    }
    pub fn id(&self) -> &str {
        self.data.get("id").and_then(Value::as_str).unwrap_or("")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum Change {
    /// Created, updated or restored.
    Touch { kind: Kind, id: String },
    /// Soft or hard deleted (the reason is read from the current state when rendered).
    Removed { kind: Kind, id: String },
    Member {
        group: String,
        member: String,
        member_kind: Kind,
        added: bool,
    },
    /// A group owner added or removed (`owners@delta`).
    Owner { group: String, owner: String, added: bool },
    /// A user's manager set (Some) or removed (None, with the previous manager) (`manager@delta`).
    Manager {
        user: String,
        manager: Option<String>,
        previous: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogEntry {
    pub seq: u64,
    pub change: Change,
}

/// A soft-deleted object waiting in `/directory/deletedItems`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Deleted {
    pub kind: Kind,
    pub rec: Rec,
    /// For users: the groups they were in; for groups: their members.
    pub links: Vec<String>,
    pub owners: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tenant {
    pub tenant_id: String,
    pub domains: Vec<String>,
    pub seed: u64,
    pub counter: u64,
    pub seq: u64,
    pub users: BTreeMap<String, Rec>,
    pub groups: BTreeMap<String, Rec>,
    pub deleted: BTreeMap<String, Deleted>,
    /// Hard-deleted ids (for delta's `reason: deleted`).
    #[serde(default)]
    pub purged: BTreeSet<String>,
    pub upn: HashMap<String, String>,
    pub members: HashMap<String, Vec<String>>,
    pub member_of: HashMap<String, BTreeSet<String>>,
    pub owners: HashMap<String, Vec<String>>,
    pub manager: HashMap<String, String>,
    pub roles: Vec<Map<String, Value>>,
    pub assignments: Vec<Map<String, Value>>,
    pub skus: Vec<Map<String, Value>>,
    pub contacts: HashMap<String, Vec<Map<String, Value>>>,
    pub folders: HashMap<String, Vec<Map<String, Value>>>,
    pub log: Vec<LogEntry>,
    /// Integrity key for paging and delta tokens (not a credential: it only makes tokens tamper-evident,
    /// and is kept in the state file so deltaLinks survive a restart).
    pub token_key: String,
    /// Delta tokens issued before this epoch are refused with `syncStateNotFound`.
    #[serde(default)]
    pub delta_epoch: u64,
    /// revokeSignInSessions: refresh tokens issued at or before this time (ms) are refused.
    #[serde(default)]
    pub revoked: HashMap<String, i64>,
}

/// Removes `x-*` keys (seed bookkeeping that Graph never returns), recursively.
pub fn strip_x(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !k.starts_with("x-"));
            for (_, x) in m.iter_mut() {
                strip_x(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(strip_x),
        _ => {}
    }
}

pub fn role_templates() -> &'static Vec<Map<String, Value>> {
    static T: OnceLock<Vec<Map<String, Value>>> = OnceLock::new();
    T.get_or_init(|| {
        let mut v: Value = serde_json::from_str(ROLE_TEMPLATES).unwrap_or(Value::Null);
        strip_x(&mut v);
        v.get("value")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|x| x.as_object().cloned()).collect())
            .unwrap_or_default()
    })
}

pub fn seed_json() -> Value {
    let mut v: Value = serde_json::from_str(SEED_TENANT).unwrap_or(Value::Null);
    strip_x(&mut v);
    v
}

fn valid_upn_local(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "'.-_!#^~".contains(c))
}

/// Entra's default password policy: 8..=256 chars and 3 of 4 character classes.
pub fn password_ok(p: &str) -> bool {
    let n = p.chars().count();
    if !(8..=256).contains(&n) {
        return false;
    }
    let classes = [
        p.chars().any(|c| c.is_ascii_lowercase()),
        p.chars().any(|c| c.is_ascii_uppercase()),
        p.chars().any(|c| c.is_ascii_digit()),
        p.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    classes.iter().filter(|x| **x).count() >= 3
}

/// The practice tenant checks a password's complexity but never keeps it (nothing can sign in with it).
fn forget_password(m: &mut Map<String, Value>) {
    if let Some(Value::Object(p)) = m.get_mut("passwordProfile") {
        p.insert("password".into(), Value::Null);
    }
}

fn invalid_value(prop: &str, res: &str) -> GErr {
    GErr::bad_request(format!(
        "Invalid value specified for property '{prop}' of resource '{res}'."
    ))
}

fn check_props(body: &Map<String, Value>, known: &[&str], readonly: &[&str]) -> Result<(), GErr> {
    for k in body.keys() {
        if k.starts_with('@') || k.ends_with("@odata.bind") || k.starts_with("extension_") {
            continue;
        }
        if !known.iter().any(|p| p == k) {
            return Err(GErr::bad_request(format!(
                "Property '{k}' does not exist as a declared property or extension property."
            )));
        }
        if readonly.iter().any(|p| p == k) {
            return Err(GErr::bad_request(format!(
                "Property '{k}' is read-only and cannot be set."
            )));
        }
    }
    Ok(())
}

fn type_check(body: &Map<String, Value>, res: &str) -> Result<(), GErr> {
    const BOOLS: &[&str] = &[
        "accountEnabled",
        "mailEnabled",
        "securityEnabled",
        "isAssignableToRole",
        "showInAddressList",
    ];
    const ARRAYS: &[&str] = &[
        "businessPhones",
        "otherMails",
        "groupTypes",
        "proxyAddresses",
        "imAddresses",
    ];
    const STRINGS: &[&str] = &[
        "displayName",
        "givenName",
        "surname",
        "jobTitle",
        "department",
        "mailNickname",
        "userPrincipalName",
        "usageLocation",
        "description",
        "visibility",
        "city",
        "country",
        "officeLocation",
        "companyName",
        "mobilePhone",
        "employeeId",
    ];
    for (k, v) in body {
        let ok = if BOOLS.contains(&k.as_str()) {
            v.is_boolean()
        } else if ARRAYS.contains(&k.as_str()) {
            v.is_array()
        } else if STRINGS.contains(&k.as_str()) {
            v.is_string() || v.is_null()
        } else {
            true
        };
        if !ok {
            return Err(invalid_value(k, res));
        }
    }
    Ok(())
}

impl Tenant {
    /// Builds the seeded practice tenant (deterministic for a given `seed`).
    pub fn seeded(seed: u64) -> Tenant {
        let s = seed_json();
        let mut t = Tenant {
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
            log: Vec::new(),
            token_key: crate::util::random_token(32),
            delta_epoch: 0,
            revoked: HashMap::new(),
        };
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
            t.insert_user(m, 0);
        }
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
                t.deleted.insert(
                    id,
                    Deleted {
                        kind: Kind::Group,
                        rec,
                        links: Vec::new(),
                        owners: Vec::new(),
                    },
                );
            } else {
                t.groups.insert(id, rec);
            }
        }
        for r in s.get("directoryRoles").and_then(Value::as_array).into_iter().flatten() {
            if let Some(m) = r.as_object() {
                let tpl = m.get("roleTemplateId").and_then(Value::as_str).unwrap_or_default();
                // The seed carries Global Administrator twice (two docs examples); a tenant activates a role once.
                if t.roles
                    .iter()
                    .any(|x| x.get("roleTemplateId").and_then(Value::as_str) == Some(tpl))
                {
                    continue;
                }
                t.roles.push(m.clone());
            }
        }
        for k in s.get("subscribedSkus").and_then(Value::as_array).into_iter().flatten() {
            if let Some(m) = k.as_object() {
                let mut m = m.clone();
                m.remove("@odata.context");
                m.entry("prepaidUnits")
                    .or_insert(json!({"enabled":0,"lockedOut":0,"suspended":0,"warning":0}));
                m.entry("appliesTo").or_insert(json!("User"));
                m.entry("capabilityStatus").or_insert(json!("Enabled"));
                m.entry("subscriptionIds").or_insert(json!([]));
                t.skus.push(m);
            }
        }
        // The demo tenant's administrator holds Global Administrator, so the practice tenant has an admin.
        if t.users.contains_key(MOD_ADMIN_ID) {
            let id = t.next_id();
            t.assignments.push(
                json!({"id": id, "principalId": MOD_ADMIN_ID, "roleDefinitionId": GLOBAL_ADMIN_TEMPLATE, "directoryScopeId": "/"})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        t
    }

    /// A deterministic GUID from (seed, counter).
    pub fn next_id(&mut self) -> String {
        self.counter += 1;
        let mut h = Sha256::new();
        h.update(self.seed.to_le_bytes());
        h.update(self.counter.to_le_bytes());
        let d = h.finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&d[..16]);
        uuid::Builder::from_random_bytes(b).into_uuid().to_string()
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    fn log(&mut self, change: Change) -> u64 {
        let seq = self.next_seq();
        self.log.push(LogEntry { seq, change });
        seq
    }

    pub fn insert_user(&mut self, m: Map<String, Value>, seq: u64) {
        let id = m.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
        if let Some(upn) = m.get("userPrincipalName").and_then(Value::as_str) {
            self.upn.insert(fold(upn), id.clone());
        }
        self.users.insert(id, Rec::new(m, seq));
    }

    fn touch(&mut self, kind: Kind, id: &str, props: &[String]) {
        let seq = self.log(Change::Touch {
            kind,
            id: id.to_string(),
        });
        let rec = match kind {
            Kind::User => self.users.get_mut(id),
            Kind::Group => self.groups.get_mut(id),
        };
        if let Some(r) = rec {
            for p in props {
                r.props.insert(p.clone(), seq);
            }
        }
    }

    // ----- lookups -----------------------------------------------------------------------------

    /// Resolves `/users/{id | userPrincipalName}`.
    pub fn user_id(&self, key: &str) -> Result<String, GErr> {
        if self.users.contains_key(key) {
            return Ok(key.to_string());
        }
        if let Some(id) = self.upn.get(&fold(key)) {
            return Ok(id.clone());
        }
        if is_guid(key) {
            // Ids compare case-insensitively.
            let k = fold(key);
            if self.users.contains_key(&k) {
                return Ok(k);
            }
        }
        Err(GErr::not_found(key))
    }

    pub fn group_id(&self, key: &str) -> Result<String, GErr> {
        if self.groups.contains_key(key) {
            return Ok(key.to_string());
        }
        let k = fold(key);
        if self.groups.contains_key(&k) {
            return Ok(k);
        }
        Err(GErr::not_found(key))
    }

    pub fn kind_of(&self, id: &str) -> Option<Kind> {
        if self.users.contains_key(id) {
            Some(Kind::User)
        } else if self.groups.contains_key(id) {
            Some(Kind::Group)
        } else {
            None
        }
    }

    pub fn object(&self, id: &str) -> Option<(Kind, &Rec)> {
        if let Some(r) = self.users.get(id) {
            return Some((Kind::User, r));
        }
        self.groups.get(id).map(|r| (Kind::Group, r))
    }

    /// Extracts the object id from an `@odata.id` URL like `https://graph.microsoft.com/v1.0/directoryObjects/{id}`.
    pub fn id_from_odata_id(&self, url: &str) -> Result<String, GErr> {
        let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        let last = last.trim_start_matches("directoryObjects('").trim_end_matches("')");
        let last = percent_encoding::percent_decode_str(last)
            .decode_utf8_lossy()
            .to_string();
        if self.kind_of(&last).is_some() {
            return Ok(last);
        }
        if let Some(id) = self.upn.get(&fold(&last)) {
            return Ok(id.clone());
        }
        Err(GErr::not_found(&last))
    }

    pub fn is_admin(&self, oid: &str) -> bool {
        self.assignments
            .iter()
            .any(|a| a.get("principalId").and_then(Value::as_str) == Some(oid))
    }

    // ----- users -------------------------------------------------------------------------------

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
        let old_upn = rec.data.get("userPrincipalName").and_then(Value::as_str).map(fold);
        let mut changed = Vec::new();
        for (k, v) in body {
            if rec.data.get(k) != Some(v) {
                rec.data.insert(k.clone(), v.clone());
                changed.push(k.clone());
            }
        }
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
        if let Some(upn) = rec.data.get("userPrincipalName").and_then(Value::as_str) {
            self.upn.remove(&fold(upn));
        }
        rec.data.insert("deletedDateTime".into(), json!(iso_now()));
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

    // ----- groups ------------------------------------------------------------------------------

    pub fn create_group(&mut self, body: &Map<String, Value>) -> Result<Map<String, Value>, GErr> {
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
        let mut m = body.clone();
        m.retain(|k, _| !k.ends_with("@odata.bind") && !k.starts_with('@'));
        let id = self.next_id();
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

    pub fn update_group(&mut self, id: &str, body: &Map<String, Value>) -> Result<(), GErr> {
        check_props(body, GROUP_PROPS, GROUP_READONLY)?;
        type_check(body, "Group")?;
        if !self.groups.contains_key(id) {
            return Err(GErr::not_found(id));
        }
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
        let mut changed = Vec::new();
        for (k, v) in &plain {
            if rec.data.get(k) != Some(v) {
                rec.data.insert(k.clone(), v.clone());
                changed.push(k.clone());
            }
        }
        if !changed.is_empty() {
            self.touch(Kind::Group, id, &changed);
        }
        Ok(())
    }

    pub fn is_unified(&self, id: &str) -> bool {
        self.groups
            .get(id)
            .and_then(|g| g.data.get("groupTypes"))
            .and_then(Value::as_array)
            .map(|a| a.iter().any(|x| x == "Unified"))
            .unwrap_or(false)
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
            rec.data.insert("deletedDateTime".into(), json!(iso_now()));
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

    pub fn add_member(&mut self, gid: &str, mid: &str) -> Result<(), GErr> {
        if !self.groups.contains_key(gid) {
            return Err(GErr::not_found(gid));
        }
        let kind = self.kind_of(mid).ok_or_else(|| GErr::not_found(mid))?;
        if kind == Kind::Group && self.is_unified(gid) {
            return Err(GErr::bad_request(
                "Microsoft 365 groups can only have users as members.",
            ));
        }
        if gid == mid {
            return Err(GErr::bad_request("A group cannot be a member of itself."));
        }
        let list = self.members.entry(gid.to_string()).or_default();
        if list.iter().any(|x| x == mid) {
            return Err(already_exists());
        }
        list.push(mid.to_string());
        self.member_of
            .entry(mid.to_string())
            .or_default()
            .insert(gid.to_string());
        self.log(Change::Member {
            group: gid.to_string(),
            member: mid.to_string(),
            member_kind: kind,
            added: true,
        });
        Ok(())
    }

    pub fn remove_member(&mut self, gid: &str, mid: &str) -> Result<(), GErr> {
        if !self.groups.contains_key(gid) {
            return Err(GErr::not_found(gid));
        }
        let list = self.members.entry(gid.to_string()).or_default();
        let before = list.len();
        list.retain(|x| x != mid);
        if list.len() == before {
            return Err(GErr::not_found(mid));
        }
        if let Some(s) = self.member_of.get_mut(mid) {
            s.remove(gid);
        }
        let kind = self.kind_of(mid).unwrap_or(Kind::User);
        self.log(Change::Member {
            group: gid.to_string(),
            member: mid.to_string(),
            member_kind: kind,
            added: false,
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

    pub fn add_owner(&mut self, gid: &str, oid: &str) -> Result<(), GErr> {
        if !self.groups.contains_key(gid) {
            return Err(GErr::not_found(gid));
        }
        if self.kind_of(oid).is_none() {
            return Err(GErr::not_found(oid));
        }
        let list = self.owners.entry(gid.to_string()).or_default();
        if list.iter().any(|x| x == oid) {
            return Err(GErr::bad_request(
                "One or more added object references already exist for the following modified properties: 'owners'.",
            ));
        }
        list.push(oid.to_string());
        self.log(Change::Owner {
            group: gid.to_string(),
            owner: oid.to_string(),
            added: true,
        });
        Ok(())
    }

    pub fn remove_owner(&mut self, gid: &str, oid: &str) -> Result<(), GErr> {
        let list = self.owners.entry(gid.to_string()).or_default();
        let before = list.len();
        list.retain(|x| x != oid);
        if before == list.len() {
            return Err(GErr::not_found(oid));
        }
        self.log(Change::Owner {
            group: gid.to_string(),
            owner: oid.to_string(),
            added: false,
        });
        Ok(())
    }

    // ----- deleted items -----------------------------------------------------------------------

    pub fn restore(&mut self, id: &str) -> Result<Map<String, Value>, GErr> {
        let d = self.deleted.get(id).ok_or_else(|| GErr::not_found(id))?;
        if d.kind == Kind::User {
            if let Some(upn) = d.rec.data.get("userPrincipalName").and_then(Value::as_str) {
                if self.upn.contains_key(&fold(upn)) {
                    return Err(GErr::bad_request(format!(
                        "Request to restore object {id} failed due to conflicts with property userPrincipalName: another object with the same value already exists."
                    )));
                }
            }
        }
        let Some(mut d) = self.deleted.remove(id) else {
            return Err(GErr::not_found(id));
        };
        d.rec.data.insert("deletedDateTime".into(), Value::Null);
        let seq = self.log(Change::Touch {
            kind: d.kind,
            id: id.to_string(),
        });
        d.rec.created = seq;
        d.rec.props.clear();
        let data = d.rec.data.clone();
        match d.kind {
            Kind::User => {
                self.insert_user(d.rec.data, seq);
                for g in d.links {
                    if self.groups.contains_key(&g) {
                        let _ = self.add_member(&g, id);
                    }
                }
            }
            Kind::Group => {
                self.groups.insert(id.to_string(), d.rec);
                for m in d.links {
                    if self.kind_of(&m).is_some() {
                        let _ = self.add_member(id, &m);
                    }
                }
                if !d.owners.is_empty() {
                    self.owners.insert(id.to_string(), d.owners);
                }
            }
        }
        Ok(data)
    }

    pub fn purge(&mut self, id: &str) -> Result<(), GErr> {
        let d = self.deleted.remove(id).ok_or_else(|| GErr::not_found(id))?;
        self.purged.insert(id.to_string());
        self.log(Change::Removed {
            kind: d.kind,
            id: id.to_string(),
        });
        Ok(())
    }

    // ----- licences ----------------------------------------------------------------------------

    pub fn consumed(&self, sku_id: &str) -> i64 {
        let has = |r: &Rec| {
            r.data
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
            return Err(GErr::bad_request("Invalid value specified for property 'addLicenses' or 'removeLicenses' of resource 'assignLicense'. Both are required and can be empty collections."));
        };
        let user = self.users.get(uid).ok_or_else(|| GErr::not_found(uid))?;
        let mut current: Vec<Value> = user
            .data
            .get("assignedLicenses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let no_location = user
            .data
            .get("usageLocation")
            .map(|v| v.is_null() || v.as_str() == Some(""))
            .unwrap_or(true);
        let mut rm_ids = Vec::new();
        for r in &remove {
            let s = r.as_str().unwrap_or_default();
            if !is_guid(s) {
                return Err(GErr::bad_request("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details."));
            }
            if !current.iter().any(|l| {
                l.get("skuId")
                    .and_then(Value::as_str)
                    .map(|x| x.eq_ignore_ascii_case(s))
                    .unwrap_or(false)
            }) {
                return Err(GErr::bad_request(format!(
                    "User does not have a corresponding license {s}."
                )));
            }
            rm_ids.push(fold(s));
        }
        current.retain(|l| !rm_ids.contains(&l.get("skuId").and_then(Value::as_str).map(fold).unwrap_or_default()));
        if !add.is_empty() && no_location {
            return Err(GErr::bad_request(
                "License assignment cannot be done for user with invalid usage location.",
            ));
        }
        for a in &add {
            let s = a.get("skuId").and_then(Value::as_str).unwrap_or_default();
            if !is_guid(s) {
                return Err(GErr::bad_request("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details."));
            }
            let sku = self
                .skus
                .iter()
                .find(|k| {
                    k.get("skuId")
                        .and_then(Value::as_str)
                        .map(|x| x.eq_ignore_ascii_case(s))
                        .unwrap_or(false)
                })
                .ok_or_else(|| {
                    GErr::bad_request(format!("License {s} does not correspond to a valid company License."))
                })?;
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
            let already = current.iter().any(|l| {
                l.get("skuId")
                    .and_then(Value::as_str)
                    .map(|x| x.eq_ignore_ascii_case(s))
                    .unwrap_or(false)
            });
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
            current.retain(|l| {
                !l.get("skuId")
                    .and_then(Value::as_str)
                    .map(|x| x.eq_ignore_ascii_case(s))
                    .unwrap_or(false)
            });
            current.push(json!({"disabledPlans": a.get("disabledPlans").cloned().unwrap_or(json!([])), "skuId": s}));
        }
        // assignedPlans: every service plan of every assigned SKU that is not disabled.
        let now = iso_now();
        let mut plans = Vec::new();
        for l in &current {
            let sku_id = l.get("skuId").and_then(Value::as_str).unwrap_or_default();
            let disabled: Vec<String> = l
                .get("disabledPlans")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(|x| x.as_str().map(fold)).collect())
                .unwrap_or_default();
            let sku = self.skus.iter().find(|k| {
                k.get("skuId")
                    .and_then(Value::as_str)
                    .map(|x| x.eq_ignore_ascii_case(sku_id))
                    .unwrap_or(false)
            });
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
        let rec = self.users.get_mut(uid).ok_or_else(|| GErr::not_found(uid))?;
        rec.data.insert("assignedLicenses".into(), Value::Array(current));
        rec.data.insert("assignedPlans".into(), Value::Array(plans));
        self.touch(
            Kind::User,
            uid,
            &["assignedLicenses".to_string(), "assignedPlans".to_string()],
        );
        Ok(())
    }

    /// Group-based licensing: sets the group's licences (Graph answers 202 and processes members later).
    pub fn assign_group_license(&mut self, gid: &str, body: &Map<String, Value>) -> Result<(), GErr> {
        let (Some(add), Some(remove)) = (
            body.get("addLicenses").and_then(Value::as_array),
            body.get("removeLicenses").and_then(Value::as_array),
        ) else {
            return Err(GErr::bad_request("Invalid value specified for property 'addLicenses' or 'removeLicenses' of resource 'assignLicense'. Both are required and can be empty collections."));
        };
        let g = self.groups.get(gid).ok_or_else(|| GErr::not_found(gid))?;
        let mut current: Vec<Value> = g
            .data
            .get("assignedLicenses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for r in remove {
            let s = r.as_str().unwrap_or_default();
            current.retain(|l| {
                !l.get("skuId")
                    .and_then(Value::as_str)
                    .map(|x| x.eq_ignore_ascii_case(s))
                    .unwrap_or(false)
            });
        }
        for a in add {
            let s = a.get("skuId").and_then(Value::as_str).unwrap_or_default();
            if !is_guid(s) {
                return Err(GErr::bad_request("Cannot convert a primitive value to the expected type 'Edm.Guid'. See the inner exception for more details."));
            }
            if !self.skus.iter().any(|k| {
                k.get("skuId")
                    .and_then(Value::as_str)
                    .map(|x| x.eq_ignore_ascii_case(s))
                    .unwrap_or(false)
            }) {
                return Err(GErr::bad_request(format!(
                    "License {s} does not correspond to a valid company License."
                )));
            }
            current.retain(|l| {
                !l.get("skuId")
                    .and_then(Value::as_str)
                    .map(|x| x.eq_ignore_ascii_case(s))
                    .unwrap_or(false)
            });
            current.push(json!({"disabledPlans": a.get("disabledPlans").cloned().unwrap_or(json!([])), "skuId": s}));
        }
        if let Some(g) = self.groups.get_mut(gid) {
            g.data.insert("assignedLicenses".into(), Value::Array(current));
        }
        self.touch(Kind::Group, gid, &["assignedLicenses".to_string()]);
        Ok(())
    }

    // ----- roles -------------------------------------------------------------------------------

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

/// One row of Microsoft's "Product names and service plan identifiers for licensing" excerpt.
#[derive(Debug, Clone, Serialize)]
pub struct SkuRef {
    pub product_name: String,
    pub sku_part_number: String,
    pub sku_id: String,
    /// (servicePlanName, servicePlanId); empty when the excerpt did not transcribe them.
    pub service_plans: Vec<(String, String)>,
}

pub fn sku_reference() -> Vec<SkuRef> {
    SKU_REFERENCE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("productName") && !l.trim().is_empty())
        .filter_map(|l| {
            let mut c = l.split('\t');
            let product_name = c.next()?.to_string();
            let sku_part_number = c.next()?.to_string();
            let sku_id = c.next()?.to_string();
            let plans = c.next().unwrap_or("");
            let service_plans = plans
                .split(';')
                .filter_map(|p| {
                    p.split_once(':')
                        .map(|(n, id)| (n.trim().to_string(), id.trim().to_string()))
                })
                .filter(|(_, id)| is_guid(id))
                .collect();
            Some(SkuRef {
                product_name,
                sku_part_number,
                sku_id,
                service_plans,
            })
        })
        .collect()
}

impl Tenant {
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

pub fn already_exists() -> GErr {
    GErr::bad_request(
        "One or more added object references already exist for the following modified properties: 'members'.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn new_user(t: &mut Tenant, upn: &str) -> String {
        let u = t
            .create_user(&body(
                json!({"accountEnabled":true,"displayName":"T","mailNickname":"t","userPrincipalName":upn,
                "passwordProfile":{"password":"Passw0rd!x"}}),
            ))
            .unwrap();
        u["id"].as_str().unwrap().to_string()
    }

    #[test]
    fn seed_strips_x_keys_and_loads_everything() {
        let t = Tenant::seeded(1);
        assert_eq!(t.users.len(), 8);
        assert_eq!(
            t.groups.len(),
            8,
            "the seed's deleted 'Test' group lands in deletedItems"
        );
        assert!(t.deleted.contains_key("bfa7033a-7367-4644-85f5-95aaf385cbd7"));
        assert!(!SEED_TENANT.is_empty() && !serde_json::to_string(&t.users).unwrap().contains("x-sources"));
        assert_eq!(role_templates().len(), 123);
        assert!(t.is_admin(MOD_ADMIN_ID));
    }

    #[test]
    fn ids_are_deterministic_per_seed() {
        let mut a = Tenant::seeded(7);
        let mut b = Tenant::seeded(7);
        let mut c = Tenant::seeded(8);
        let (x, y, z) = (a.next_id(), b.next_id(), c.next_id());
        assert_eq!(x, y);
        assert_ne!(x, z);
        assert!(is_guid(&x));
    }

    #[test]
    fn duplicate_upn_is_object_conflict() {
        let mut t = Tenant::seeded(1);
        let e = t
            .create_user(&body(json!({"accountEnabled":true,"displayName":"A","mailNickname":"a","userPrincipalName":"adelev@contoso.com","passwordProfile":{"password":"Passw0rd!x"}})))
            .unwrap_err();
        assert_eq!(
            e.message,
            "Another object with the same value for property userPrincipalName already exists."
        );
        assert_eq!(e.details.unwrap()[0]["code"], "ObjectConflict");
    }

    #[test]
    fn create_user_validation() {
        let mut t = Tenant::seeded(1);
        let e = t
            .create_user(&body(
                json!({"accountEnabled":true,"displayName":"A","mailNickname":"a","userPrincipalName":"a@contoso.com"}),
            ))
            .unwrap_err();
        assert_eq!(e.message, "A password must be specified to create a new user.");
        let e = t
            .create_user(&body(json!({"accountEnabled":true,"displayName":"A","mailNickname":"a","userPrincipalName":"a@fabrikam.com","passwordProfile":{"password":"Passw0rd!x"}})))
            .unwrap_err();
        assert!(e.message.contains("verified domain"));
        let e = t
            .create_user(&body(json!({"accountEnabled":true,"displayName":"A","mailNickname":"a","userPrincipalName":"a@contoso.com","passwordProfile":{"password":"short"}})))
            .unwrap_err();
        assert!(e.message.contains("complexity"));
        let e = t
            .create_user(&body(json!({"accountEnabled":"yes","displayName":"A","mailNickname":"a","userPrincipalName":"a@contoso.com","passwordProfile":{"password":"Passw0rd!x"}})))
            .unwrap_err();
        assert!(e.message.contains("accountEnabled"));
    }

    #[test]
    fn soft_delete_and_restore_user_keeps_memberships() {
        let mut t = Tenant::seeded(1);
        let uid = new_user(&mut t, "x@contoso.com");
        let gid = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
        t.add_member(gid, &uid).unwrap();
        t.delete_user(&uid).unwrap();
        assert!(t.user_id("x@contoso.com").is_err());
        assert!(t.deleted[&uid].rec.data["deletedDateTime"].is_string());
        assert!(!t.members[gid].contains(&uid));
        t.restore(&uid).unwrap();
        assert_eq!(t.user_id("x@contoso.com").unwrap(), uid);
        assert!(t.members[gid].contains(&uid));
        assert!(t.users[&uid].data["deletedDateTime"].is_null());
    }

    #[test]
    fn security_groups_are_hard_deleted_m365_groups_soft() {
        let mut t = Tenant::seeded(1);
        t.delete_group("d7797254-3084-44d0-99c9-a3b5ab149538").unwrap(); // Golf Discussion: not Unified
        assert!(t.purged.contains("d7797254-3084-44d0-99c9-a3b5ab149538"));
        t.delete_group("02bd9fd6-8f93-4758-87c3-1fb73740a315").unwrap(); // HR Taskforce: Unified
        assert!(t.deleted.contains_key("02bd9fd6-8f93-4758-87c3-1fb73740a315"));
        t.purge("02bd9fd6-8f93-4758-87c3-1fb73740a315").unwrap();
        assert!(!t.deleted.contains_key("02bd9fd6-8f93-4758-87c3-1fb73740a315"));
    }

    #[test]
    fn existing_member_fails_like_graph() {
        let mut t = Tenant::seeded(1);
        let gid = "02bd9fd6-8f93-4758-87c3-1fb73740a315";
        t.add_member(gid, MOD_ADMIN_ID).unwrap();
        let e = t.add_member(gid, MOD_ADMIN_ID).unwrap_err();
        assert_eq!(
            e.message,
            "One or more added object references already exist for the following modified properties: 'members'."
        );
        t.remove_member(gid, MOD_ADMIN_ID).unwrap();
        assert_eq!(t.remove_member(gid, MOD_ADMIN_ID).unwrap_err().status, 404);
    }

    #[test]
    fn seats_are_counted_and_exhaust() {
        let mut t = Tenant::seeded(1);
        let e5 = "c7df2760-2c81-4ef7-b578-5b5392b571df"; // 25 enabled seats
        let crm = "d17b27af-3f49-4822-99f9-56a661538792"; // 0 enabled (suspended)
        let add = |s: &str| body(json!({"addLicenses":[{"skuId":s,"disabledPlans":[]}],"removeLicenses":[]}));
        t.assign_license(MOD_ADMIN_ID, &add(e5)).unwrap();
        assert_eq!(t.consumed(e5), 1);
        let e = t.assign_license(MOD_ADMIN_ID, &add(crm)).unwrap_err();
        assert!(
            e.message.contains("does not have any available licenses"),
            "{}",
            e.message
        );
        t.assign_license(MOD_ADMIN_ID, &body(json!({"addLicenses":[],"removeLicenses":[e5]})))
            .unwrap();
        assert_eq!(t.consumed(e5), 0);
    }

    #[test]
    fn sku_reference_feeds_new_subscriptions() {
        let refs = sku_reference();
        assert!(refs
            .iter()
            .any(|r| r.sku_part_number == "AAD_PREMIUM" && r.sku_id == "078d2b04-f1bd-4111-bbd4-b4b1b354cef4"));
        let mut t = Tenant::seeded(1);
        let s = t.add_subscription("AAD_PREMIUM", 1).unwrap();
        assert_eq!(s["servicePlans"][0]["servicePlanName"], "AAD_PREMIUM");
        let add = body(json!({"addLicenses":[{"skuId":"078d2b04-f1bd-4111-bbd4-b4b1b354cef4"}],"removeLicenses":[]}));
        t.assign_license(MOD_ADMIN_ID, &add).unwrap();
        let e = t
            .assign_license("87d349ed-44d7-43e1-9a83-5f2406dee5bd", &add)
            .unwrap_err();
        assert!(e.message.contains("does not have any available licenses"));
        assert!(t.add_subscription("NOPE", 1).is_err());
    }

    #[test]
    fn license_needs_usage_location() {
        let mut t = Tenant::seeded(1);
        let uid = new_user(&mut t, "n@contoso.com");
        let e = t
            .assign_license(
                &uid,
                &body(json!({"addLicenses":[{"skuId":"c7df2760-2c81-4ef7-b578-5b5392b571df"}],"removeLicenses":[]})),
            )
            .unwrap_err();
        assert_eq!(
            e.message,
            "License assignment cannot be done for user with invalid usage location."
        );
        let e = t
            .assign_license(
                &uid,
                &body(json!({"addLicenses":[{"skuId":"ENTERPRISEPACK"}],"removeLicenses":[]})),
            )
            .unwrap_err();
        assert!(e.message.contains("Edm.Guid") || e.message.contains("usage location"));
    }
}

//! The tenant's directory: users, groups, memberships, roles, licences, contacts, soft-deleted
//! items, and the change log that delta queries read.

use crate::error::GErr;
use crate::people::{GenGroup, GenUser};
use crate::util::{fold, is_guid, iso_now};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

mod deleted;
mod groups;
mod licenses;
mod members;
mod props;
mod roles;
mod seed;
mod sku_table;
mod users;

pub use licenses::disabled_plans;
pub use props::*;
pub use roles::{administrative_units, custom_role_definitions};
pub use sku_table::sku_reference;

pub const SEED_TENANT: &str = include_str!("../data/seed-tenant.json");
pub const ROLE_TEMPLATES: &str = include_str!("../data/directory-role-templates.json");

/// The practice tenant's id: the `organizationId` the seed's docs examples carry.
pub const TENANT_ID: &str = "927c6607-8060-4f4a-a5f8-34964ac78d70";
pub const GLOBAL_ADMIN_TEMPLATE: &str = "62e90394-69f5-4237-9190-012177145e10";
/// MOD Administrator: the demo tenant's own administrator account.
pub const MOD_ADMIN_ID: &str = "5bde3e51-d13b-4db1-9948-fe4b109d11a7";

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
    data: Data,
    /// Sequence number at creation or restore (0 = part of the seed).
    pub created: u64,
    /// Last change sequence per property (only properties changed after creation).
    #[serde(default)]
    pub props: HashMap<String, u64>,
}

/// An object's properties: a JSON map, or (the map left empty) a generated object kept as the few
/// numbers it is made of (`people`) until something changes it. Either way it is saved and answered
/// as the map.
#[derive(Debug, Clone)]
struct Data {
    map: Map<String, Value>,
    generated: Option<Generated>,
}

#[derive(Debug, Clone)]
enum Generated {
    User(GenUser),
    Group(GenGroup),
}

impl Data {
    fn generated(g: Generated) -> Data {
        Data {
            map: Map::new(),
            generated: Some(g),
        }
    }

    fn object(&self) -> Cow<'_, Map<String, Value>> {
        match &self.generated {
            None => Cow::Borrowed(&self.map),
            Some(Generated::User(u)) => Cow::Owned(u.object()),
            Some(Generated::Group(g)) => Cow::Owned(g.object()),
        }
    }
}

impl Serialize for Data {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.object().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Data {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Data, D::Error> {
        Map::deserialize(d).map(|map| Data { map, generated: None })
    }
}

impl Rec {
    pub fn new(data: Map<String, Value>, seq: u64) -> Rec {
        Rec::with(
            Data {
                map: data,
                generated: None,
            },
            seq,
        )
    }

    /// A generated user, part of the seed (sequence 0).
    pub fn generated_user(u: GenUser) -> Rec {
        Rec::with(Data::generated(Generated::User(u)), 0)
    }

    /// A generated group, part of the seed (sequence 0).
    pub fn generated_group(g: GenGroup) -> Rec {
        Rec::with(Data::generated(Generated::Group(g)), 0)
    }

    fn with(data: Data, created: u64) -> Rec {
        Rec {
            data,
            created,
            props: HashMap::new(),
        }
    }

    /// The object's properties (built afresh for a generated object).
    pub fn data(&self) -> Cow<'_, Map<String, Value>> {
        self.data.object()
    }

    /// The properties to change: a generated object becomes a map first.
    pub fn data_mut(&mut self) -> &mut Map<String, Value> {
        if self.data.generated.is_some() {
            self.data.map = self.data.object().into_owned();
            self.data.generated = None;
        }
        &mut self.data.map
    }

    pub fn into_data(self) -> Map<String, Value> {
        match self.data.generated {
            None => self.data.map,
            Some(_) => self.data.object().into_owned(),
        }
    }

    pub fn id(&self) -> Cow<'_, str> {
        match &self.data.generated {
            None => Cow::Borrowed(self.data.map.get("id").and_then(Value::as_str).unwrap_or("")),
            Some(Generated::User(u)) => Cow::Owned(u.id()),
            Some(Generated::Group(g)) => Cow::Owned(g.id()),
        }
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
    /// Invitations Graph accepted (`POST /invitations`), newest last: the admin API shows them.
    #[serde(default)]
    pub invitations: Vec<Map<String, Value>>,
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
    /// A deterministic GUID from (seed, counter).
    pub fn next_id(&mut self) -> String {
        self.next_uuid().to_string()
    }

    /// The next deterministic GUID from (seed, counter), as a `Uuid`.
    pub fn next_uuid(&mut self) -> uuid::Uuid {
        self.counter += 1;
        let mut h = Sha256::new();
        h.update(self.seed.to_le_bytes());
        h.update(self.counter.to_le_bytes());
        let d = h.finalize();
        let mut b = [0u8; 16];
        b.copy_from_slice(&d[..16]);
        uuid::Builder::from_random_bytes(b).into_uuid()
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

    /// Adds a generated user (kept compact until it changes) and indexes its sign-in name.
    pub fn insert_generated_user(&mut self, u: GenUser) {
        let id = u.id();
        self.upn.insert(fold(&u.user_principal_name()), id.clone());
        self.users.insert(id, Rec::generated_user(u));
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
}

/// Writes `body`'s properties into `rec`; returns the names of those whose value changed.
fn merge_props(rec: &mut Rec, body: &Map<String, Value>) -> Vec<String> {
    let mut changed = Vec::new();
    for (k, v) in body {
        if rec.data().get(k) != Some(v) {
            rec.data_mut().insert(k.clone(), v.clone());
            changed.push(k.clone());
        }
    }
    changed
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
        assert!(t.deleted[&uid].rec.data()["deletedDateTime"].is_string());
        assert!(!t.members[gid].contains(&uid));
        t.restore(&uid).unwrap();
        assert_eq!(t.user_id("x@contoso.com").unwrap(), uid);
        assert!(t.members[gid].contains(&uid));
        assert!(t.users[&uid].data()["deletedDateTime"].is_null());
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

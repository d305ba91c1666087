//! Drives every operation of `msgraph::Client` (every action card, both delta queries, `$batch`,
//! custom requests), success and error paths, against the practice tenant through Prism.
//!
//! Each step states what a user of the card would see; a step whose outcome differs (an error
//! where success was expected, success where Graph answers an error) is a *problem* and fails the
//! run, independently of Prism's verdict on the exchanges.

use super::tap::{BackState, FrontState};
use msgraph::{
    AssignedLicense, BatchRequest, Client, ContactFolderId, ContactId, ContactInput, Contacts, CustomBody,
    CustomRequest, DeltaCursor, DeltaObject, DeltaResource, DeltaStart, DirectoryObjectId, DirectoryRoleId,
    DirectoryRoleKey, EmailAddress, Error, ErrorKind, Filter, GroupId, GroupMailSetting, GroupUpdate, HttpMethod,
    ListQuery, NewGroup, NewGroupType, NewInvitation, NewUser, PasswordProfile, RoleDefinitionId, RoleTemplateId,
    Search, SkuId, User, UserId, UserProfile, UserRef, UserUpdate,
};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;

/// Built-in role template ids (Entra built-in roles page).
const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const HELPDESK_ADMINISTRATOR: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
/// Every (method, path template) of the description that the client's operations use; the run
/// fails when a step stops reaching one of them (so coverage cannot silently shrink).
pub const COVERED: &[(&str, &str)] = &[
    ("GET", "/users"),
    ("GET", "/users/{user-id}"),
    ("POST", "/users"),
    ("PATCH", "/users/{user-id}"),
    ("GET", "/users/{user-id}/manager"),
    ("PUT", "/users/{user-id}/manager/$ref"),
    ("DELETE", "/users/{user-id}/manager/$ref"),
    ("GET", "/subscribedSkus"),
    ("POST", "/users/{user-id}/assignLicense"),
    ("GET", "/users/{user-id}/licenseDetails"),
    ("GET", "/users/{user-id}/memberOf"),
    ("GET", "/users/{user-id}/transitiveMemberOf"),
    ("POST", "/users/{user-id}/revokeSignInSessions"),
    ("GET", "/groups"),
    ("POST", "/groups"),
    ("GET", "/groups/{group-id}"),
    ("PATCH", "/groups/{group-id}"),
    ("POST", "/groups/{group-id}/members/$ref"),
    ("GET", "/groups/{group-id}/members"),
    ("GET", "/groups/{group-id}/transitiveMembers"),
    ("GET", "/groups/{group-id}/owners"),
    ("POST", "/groups/{group-id}/owners/$ref"),
    ("DELETE", "/groups/{group-id}/owners/{directoryObject-id}/$ref"),
    ("DELETE", "/groups/{group-id}/members/{directoryObject-id}/$ref"),
    ("GET", "/directoryRoles"),
    ("GET", "/roleManagement/directory/roleDefinitions"),
    (
        "GET",
        "/roleManagement/directory/roleDefinitions/{unifiedRoleDefinition-id}",
    ),
    ("GET", "/directoryRoles/{directoryRole-id}"),
    (
        "GET",
        "/roleManagement/directory/roleAssignments/{unifiedRoleAssignment-id}",
    ),
    ("POST", "/directoryRoles"),
    ("POST", "/directoryRoles/{directoryRole-id}/members/$ref"),
    ("GET", "/directoryRoles/{directoryRole-id}/members"),
    (
        "DELETE",
        "/directoryRoles/{directoryRole-id}/members/{directoryObject-id}/$ref",
    ),
    ("POST", "/roleManagement/directory/roleAssignments"),
    ("GET", "/roleManagement/directory/roleAssignments"),
    (
        "DELETE",
        "/roleManagement/directory/roleAssignments/{unifiedRoleAssignment-id}",
    ),
    ("POST", "/invitations"),
    ("POST", "/users/{user-id}/contactFolders"),
    (
        "POST",
        "/users/{user-id}/contactFolders/{contactFolder-id}/childFolders",
    ),
    ("GET", "/users/{user-id}/contactFolders"),
    ("GET", "/users/{user-id}/contactFolders/{contactFolder-id}/childFolders"),
    ("GET", "/users/{user-id}/contactFolders/{contactFolder-id}"),
    ("PATCH", "/users/{user-id}/contactFolders/{contactFolder-id}"),
    ("POST", "/users/{user-id}/contacts"),
    ("POST", "/users/{user-id}/contactFolders/{contactFolder-id}/contacts"),
    ("GET", "/users/{user-id}/contacts"),
    ("GET", "/users/{user-id}/contactFolders/{contactFolder-id}/contacts"),
    ("GET", "/users/{user-id}/contacts/{contact-id}"),
    ("PATCH", "/users/{user-id}/contacts/{contact-id}"),
    ("DELETE", "/users/{user-id}/contacts/{contact-id}"),
    ("DELETE", "/users/{user-id}/contactFolders/{contactFolder-id}"),
    ("POST", "/$batch"),
    ("GET", "/users/delta"),
    ("GET", "/groups/delta"),
    ("DELETE", "/users/{user-id}"),
    ("DELETE", "/groups/{group-id}"),
];

/// Steps whose exchanges are *meant* to violate the description (the oracle self-test).
pub const CANARY: &str = "canary: ";
/// An id no object of the seed tenant has.
const MISSING: &str = "00000000-0000-4000-8000-00000000dead";

pub struct Driver<'a> {
    pub client: Client,
    pub front: &'a FrontState,
    pub back: &'a BackState,
    /// `http://127.0.0.1:SANDBOX` for the out-of-band admin API.
    pub sandbox: String,
    /// The practice tenant's admin API secret (`X-Sandbox-Secret`).
    pub sandbox_secret: String,
    pub http: reqwest::Client,
    pub problems: Vec<String>,
    pub findings: Vec<String>,
}

fn describe(e: &Error) -> String {
    format!(
        "{e} (kind {}, status {}, code {})",
        e.kind().as_str(),
        e.status().map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
        e.code().unwrap_or("-")
    )
}

/// The properties the app's user pages select (the seed data goes through both oracles with them).
const USER_PAGES_SELECT: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "accountEnabled",
    "assignedLicenses",
    "assignedPlans",
    "createdDateTime",
    "department",
    "employeeId",
    "mail",
    "otherMails",
    "proxyAddresses",
    "usageLocation",
    "userType",
    "onPremisesSyncEnabled",
    "companyName",
    "city",
    "country",
];
const USERS_DELTA_SELECT: &[&str] = &["displayName", "userPrincipalName", "accountEnabled", "department"];
const GROUPS_DELTA_SELECT: &[&str] = &["displayName", "description", "members"];

/// The seed users the steps use, found on the first screen.
struct Seed {
    /// Every user of the first screen.
    all: Vec<User>,
    /// Adele Vance.
    adele: UserId,
    adele_ref: UserRef,
    adele_obj: DirectoryObjectId,
    /// The signed-in admin.
    admin_id: Option<UserId>,
}

/// The user the run creates (Conformance Cora) and changes.
struct Cora {
    id: UserId,
    user_ref: UserRef,
    obj: DirectoryObjectId,
}

/// The groups the run creates: the security group, and the Microsoft 365 group when created.
struct Made {
    sec: GroupId,
    team: Option<GroupId>,
}

/// Where the first full delta walks ended.
struct Cursors {
    users: Option<DeltaCursor>,
    groups: Option<DeltaCursor>,
}

impl Driver<'_> {
    fn op(&self, name: &str) {
        if let Ok(mut o) = self.front.operation.lock() {
            *o = name.to_string();
        }
    }

    fn ok<T>(&mut self, step: &str, r: Result<T, Error>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.problems
                    .push(format!("{step}: expected success, got {}", describe(&e)));
                None
            }
        }
    }

    fn fails<T>(&mut self, step: &str, r: Result<T, Error>, kind: ErrorKind, status: Option<u16>) {
        match r {
            Ok(_) => self
                .problems
                .push(format!("{step}: expected {} ({status:?}), got success", kind.as_str())),
            Err(e) if e.kind() == kind && (status.is_none() || e.status() == status) => {}
            Err(e) => self.problems.push(format!(
                "{step}: expected {} ({status:?}), got {}",
                kind.as_str(),
                describe(&e)
            )),
        }
    }

    fn check(&mut self, step: &str, cond: bool, what: &str) {
        if !cond {
            self.problems.push(format!("{step}: {what}"));
        }
    }

    /// The query string of the last exchange the client made (to see what it actually sent).
    fn last_request(&self) -> String {
        self.front
            .exchanges
            .lock()
            .ok()
            .and_then(|x| x.last().map(|e| e.request.clone()))
            .unwrap_or_default()
    }

    async fn admin(&mut self, method: reqwest::Method, path: &str, body: Value) -> Option<Value> {
        let url = format!("{}/_sandbox{path}", self.sandbox);
        let request = self
            .http
            .request(method, &url)
            .header(sandbox::ADMIN_SECRET_HEADER, &self.sandbox_secret);
        match request.json(&body).send().await {
            Ok(r) if r.status().is_success() => Some(r.json().await.unwrap_or(Value::Null)),
            Ok(r) => {
                self.problems.push(format!("sandbox admin {path}: {}", r.status()));
                None
            }
            Err(e) => {
                self.problems.push(format!("sandbox admin {path}: {e}"));
                None
            }
        }
    }

    /// Every card's exchanges, in a fixed order (the report counts and names them). A step
    /// without which the rest cannot go on (Adele missing, Cora or the security group not
    /// created) ends the run; the problem is already recorded.
    pub async fn run(&mut self) {
        let c = self.client.clone();
        let me = UserRef::parse("admin@contoso.com");
        let Some(seed) = self.first_screen(&c).await else {
            return;
        };
        self.list_whole_directory(&c, &seed).await;
        self.query_users(&c).await;
        self.get_users(&c, &seed).await;
        let Some(cora) = self.create_and_update_user(&c).await else {
            return;
        };
        self.manager(&c, &seed, &cora).await;
        self.licences(&c, &cora).await;
        self.memberships_and_sessions(&c, &seed, &cora).await;
        let Some(groups) = self.create_and_update_groups(&c, &seed, &cora).await else {
            return;
        };
        self.group_members_and_owners(&c, &seed, &cora, &groups.sec).await;
        self.directory_roles(&c, &cora).await;
        self.role_assignments(&c, &cora).await;
        self.roles_by_id_and_scope(&c, &cora).await;
        self.guests(&c).await;
        self.contacts(&c, &me).await;
        self.custom_requests(&c, &cora).await;
        self.batch(&c, &seed, &cora).await;
        let cursors = self.delta_first_walks(&c, &cora).await;
        self.changes_between_walks(&c, &seed, &cora, &groups).await;
        self.delta_resume(&c, &seed, &cora, &groups, cursors).await;
        self.delta_expiry(&c).await;
        self.delete_security_group(&c, &groups.sec).await;
        self.links_behind_a_proxy(&c).await;
        self.canaries(&c).await;
        self.op("");
    }

    // ---- Read / search users (cards 1.18, 1.27; the first screen) ----

    /// The first screen's list; finds the seed users the later steps use.
    async fn first_screen(&mut self, c: &Client) -> Option<Seed> {
        self.op("users().list first screen");
        let all = c
            .users()
            .list(
                ListQuery::new()
                    .select(&["id", "displayName", "userPrincipalName", "department", "accountEnabled"])
                    .top(999),
            )
            .collect_all()
            .await;
        let all = self.ok("users().list", all).unwrap_or_default();
        self.check("users().list", all.len() >= 8, "the seed tenant's 8 users are listed");
        let Some(adele) = all
            .iter()
            .find(|u| u.user_principal_name.as_deref() == Some("AdeleV@contoso.com"))
            .map(|u| u.id.clone())
        else {
            self.problems
                .push("users().list: Adele Vance (seed user) is missing; cannot go on".into());
            return None;
        };
        let admin_id = all
            .iter()
            .find(|u| u.user_principal_name.as_deref() == Some("admin@contoso.com"))
            .map(|u| u.id.clone());
        Some(Seed {
            adele_ref: UserRef::parse("AdeleV@contoso.com"),
            adele_obj: DirectoryObjectId::from(&adele),
            adele,
            admin_id,
            all,
        })
    }

    /// Every seeded user with Graph's default property set, and with the properties the app's
    /// user pages select: the seed data itself goes through both oracles. Then paging.
    async fn list_whole_directory(&mut self, c: &Client, seed: &Seed) {
        self.op("users().list default properties");
        let r = c.users().list(ListQuery::new().top(999)).collect_all().await;
        if let Some(v) = self.ok("users().list default properties", r) {
            self.check(
                "users().list default properties",
                v.len() == seed.all.len(),
                "every user",
            );
        }
        self.op("users().list extended $select");
        let r = c
            .users()
            .list(ListQuery::new().select(USER_PAGES_SELECT).top(999))
            .collect_all()
            .await;
        self.ok("users().list extended $select", r);
        self.op("groups().list default properties");
        let r = c.groups().list(ListQuery::new().top(999)).collect_all().await;
        self.ok("groups().list default properties", r);

        self.op("users().list $top=2 (paging)");
        let paged = c
            .users()
            .list(ListQuery::new().select(&["id", "displayName"]).top(2))
            .collect_all()
            .await;
        if let Some(p) = self.ok("users().list paged by 2", paged) {
            self.check(
                "users().list paged by 2",
                p.len() == seed.all.len(),
                "following nextLinks yields every user once",
            );
        }

        self.op("users().list $top(1000) → clamped client-side");
        let r = c.users().list(ListQuery::new().select(&["id"]).top(1000)).first().await;
        self.ok("users().list top(1000)", r);
        let sent = self.last_request();
        self.check(
            "users().list top(1000)",
            sent.contains("%24top=999") || sent.contains("$top=999"),
            &format!("the client clamps $top to 999 (sent {sent})"),
        );
    }

    /// Filters, search, count and order (advanced queries among them).
    async fn query_users(&mut self, c: &Client) {
        self.op("users().list $filter startswith");
        let r = c
            .users()
            .list(
                ListQuery::new()
                    .filter(Filter::starts_with("displayName", "Ad"))
                    .select(&["id", "displayName"]),
            )
            .collect_all()
            .await;
        if let Some(v) = self.ok("users().list startswith", r) {
            self.check(
                "users().list startswith",
                !v.is_empty(),
                "Adele and Adams start with 'Ad'",
            );
        }
        self.op("users().list by email (mail eq or otherMails/any)");
        let r = c
            .users()
            .list(ListQuery::new().filter(
                Filter::eq("mail", "AdeleV@contoso.com").or(Filter::any_eq("otherMails", "AdeleV@contoso.com")),
            ))
            .collect_all()
            .await;
        if let Some(v) = self.ok("users().list by email", r) {
            self.check("users().list by email", v.len() == 1, "exactly Adele");
        }
        self.op("users().list $search + $count (advanced)");
        let mut pager = c.users().list(
            ListQuery::new()
                .search(Search::term("displayName", "Adele"))
                .count(true)
                .select(&["id", "displayName"]),
        );
        let r = pager.next_page().await;
        if let Some(page) = self.ok("users().list $search", r) {
            self.check(
                "users().list $search",
                page.is_some_and(|p| !p.is_empty()),
                "a $search for Adele finds her",
            );
            self.check(
                "users().list $search",
                pager.count().is_some(),
                "@odata.count is present with $count=true",
            );
        }
        self.op("users().list endswith (advanced) + orderby");
        let r = c
            .users()
            .list(
                ListQuery::new()
                    .filter(Filter::ends_with("mail", "@contoso.com"))
                    .order_by("displayName", msgraph::Order::Asc)
                    .count(true),
            )
            .collect_all()
            .await;
        self.ok("users().list endswith", r);
    }

    /// One user by UPN, by id, as `/me`, and one that does not exist.
    async fn get_users(&mut self, c: &Client, seed: &Seed) {
        self.op("users().get by UPN");
        let r = c
            .users()
            .get(
                &seed.adele_ref,
                &["id", "displayName", "userPrincipalName", "mail", "jobTitle"],
            )
            .await;
        self.ok("users().get by UPN", r);
        self.op("users().get by id");
        let r = c.users().get(&UserRef::from(&seed.adele), &[]).await;
        self.ok("users().get by id", r);
        self.op("users().get /me (UserRef::Me)");
        let r = c
            .users()
            .get(&UserRef::Me, &["id", "displayName", "userPrincipalName"])
            .await;
        if let Some(u) = self.ok("users().get /me", r) {
            self.check(
                "users().get /me",
                u.user_principal_name.as_deref() == Some("admin@contoso.com"),
                "/me is the signed-in admin",
            );
        }
        self.op("users().get missing → 404");
        let r = c.users().get(&UserRef::parse("nobody@contoso.com"), &[]).await;
        self.fails("users().get missing user", r, ErrorKind::NotFound, Some(404));
    }

    // ---- Create / update / enable / disable (1.5, 1.12, 1.13, 1.30) ----

    /// Creates Cora (the user the later steps change), then updates, disables and enables her.
    async fn create_and_update_user(&mut self, c: &Client) -> Option<Cora> {
        let new_user = cora_as_new();
        self.op("users().create");
        let r = c.users().create(&new_user).await;
        let id = self.ok("users().create", r).map(|u| u.id)?;
        let cora = Cora {
            user_ref: UserRef::from(&id),
            obj: DirectoryObjectId::from(&id),
            id,
        };
        self.op("users().create duplicate UPN → 400");
        let r = c.users().create(&new_user).await;
        self.fails("users().create duplicate UPN", r, ErrorKind::Conflict, Some(400));

        self.update_and_toggle(c, &cora).await;
        Some(cora)
    }

    /// Updates Cora's profile (setting, changing and clearing), disables and enables her.
    async fn update_and_toggle(&mut self, c: &Client, cora: &Cora) {
        self.op("users().update");
        let update = UserUpdate {
            profile: UserProfile {
                job_title: Some(Some("Senior Auditor".into())),
                office_location: Some(Some("18/2111".into())),
                business_phones: Some(vec!["+1 425 555 0109".into()]),
                mobile_phone: Some(None),
                fax_number: Some(None),
                other_mails: Some(vec![]),
                age_group: Some(None),
                employee_hire_date: Some(Some("2026-04-15T00:00:00Z".into())),
                preferred_language: Some(Some("en-GB".into())),
                ..UserProfile::default()
            },
            ..UserUpdate::default()
        };
        let r = c.users().update(&cora.user_ref, &update).await;
        self.ok("users().update", r);
        self.op("users().set_account_enabled(false)");
        let r = c.users().set_account_enabled(&cora.user_ref, false).await;
        self.ok("users().set_account_enabled(false)", r);
        self.op("users().set_account_enabled(true)");
        let r = c.users().set_account_enabled(&cora.user_ref, true).await;
        self.ok("users().set_account_enabled(true)", r);
        self.op("users().update missing → 404");
        let r = c
            .users()
            .set_account_enabled(&UserRef::from(UserId::new(MISSING)), false)
            .await;
        self.fails(
            "users().set_account_enabled missing user",
            r,
            ErrorKind::NotFound,
            Some(404),
        );
    }

    // ---- Manager (1.4, 1.19) ----

    async fn manager(&mut self, c: &Client, seed: &Seed, cora: &Cora) {
        self.op("users().manager (none) → None");
        let r = c.users().manager(&cora.user_ref, &[]).await;
        if let Some(m) = self.ok("users().manager without one", r) {
            self.check(
                "users().manager without one",
                m.is_none(),
                "a user without a manager has none",
            );
        }
        self.op("users().set_manager");
        let r = c.users().set_manager(&cora.user_ref, &seed.adele_obj).await;
        self.ok("users().set_manager", r);
        self.op("users().manager");
        let r = c.users().manager(&cora.user_ref, &["id", "displayName"]).await;
        if let Some(m) = self.ok("users().manager", r) {
            self.check(
                "users().manager",
                m.is_some_and(|m| m.id == seed.adele_obj),
                "the manager is Adele",
            );
        }
        self.op("users().remove_manager");
        let r = c.users().remove_manager(&cora.user_ref).await;
        self.ok("users().remove_manager", r);
        self.op("users().manager of a missing user → 404");
        let r = c.users().manager(&UserRef::from(UserId::new(MISSING)), &[]).await;
        self.fails("users().manager of a missing user", r, ErrorKind::NotFound, Some(404));
    }

    // ---- Licences (1.2, 1.14, 1.21) ----

    /// Finds a SKU with a free seat, then assigns and removes it (see `licence_seat`).
    async fn licences(&mut self, c: &Client, cora: &Cora) {
        self.op("licenses().subscribed_skus");
        let skus = c.licenses().subscribed_skus().await;
        let skus = self.ok("licenses().subscribed_skus", skus).unwrap_or_default();
        let sku = skus
            .iter()
            .find(|s| {
                s.prepaid_units
                    .as_ref()
                    .is_some_and(|p| p.enabled > s.consumed_units.unwrap_or(0))
            })
            .map(|s| s.sku_id.clone());
        if let Some(sku) = sku {
            self.licence_seat(c, cora, sku).await;
        } else {
            self.problems
                .push("licenses().subscribed_skus: no SKU with a free seat in the seed tenant".into());
        }
    }

    /// Licensing without a usage location, with one, the details, the removal, an unknown SKU.
    async fn licence_seat(&mut self, c: &Client, cora: &Cora, sku: SkuId) {
        let add = [AssignedLicense {
            sku_id: sku.clone(),
            disabled_plans: vec![],
        }];
        self.op("users().assign_license without usageLocation → 400");
        let r = c.users().assign_license(&cora.user_ref, &add, &[]).await;
        self.fails(
            "users().assign_license without usageLocation",
            r,
            ErrorKind::Validation,
            Some(400),
        );
        self.op("users().update usageLocation");
        let r = c
            .users()
            .update(
                &cora.user_ref,
                &UserUpdate {
                    profile: UserProfile {
                        usage_location: Some("US".into()),
                        ..UserProfile::default()
                    },
                    ..UserUpdate::default()
                },
            )
            .await;
        self.ok("users().update usageLocation", r);
        self.op("users().assign_license add");
        let r = c.users().assign_license(&cora.user_ref, &add, &[]).await;
        self.ok("users().assign_license add", r);
        self.op("users().license_details");
        let r = c.users().license_details(&cora.user_ref).collect_all().await;
        if let Some(d) = self.ok("users().license_details", r) {
            self.check(
                "users().license_details",
                d.iter().any(|l| l.sku_id == sku),
                "the assigned SKU is listed",
            );
        }
        self.op("users().assign_license remove");
        let r = c
            .users()
            .assign_license(&cora.user_ref, &[], std::slice::from_ref(&sku))
            .await;
        self.ok("users().assign_license remove", r);
        self.op("users().assign_license unknown SKU → 400");
        let bogus = [AssignedLicense {
            sku_id: SkuId::new(MISSING),
            disabled_plans: vec![],
        }];
        let r = c.users().assign_license(&cora.user_ref, &bogus, &[]).await;
        self.fails(
            "users().assign_license unknown SKU",
            r,
            ErrorKind::Validation,
            Some(400),
        );
    }

    // ---- Memberships, sessions ----

    async fn memberships_and_sessions(&mut self, c: &Client, seed: &Seed, cora: &Cora) {
        self.op("users().member_of");
        let r = c
            .users()
            .member_of(&seed.adele_ref, ListQuery::new())
            .collect_all()
            .await;
        self.ok("users().member_of", r);
        self.op("users().transitive_member_of");
        let r = c
            .users()
            .transitive_member_of(&seed.adele_ref, ListQuery::new())
            .collect_all()
            .await;
        self.ok("users().transitive_member_of", r);
        self.op("users().revoke_sign_in_sessions");
        let r = c.users().revoke_sign_in_sessions(&cora.user_ref).await;
        self.ok("users().revoke_sign_in_sessions", r);
    }

    // ---- Groups (1.1, 1.7, 1.10, 1.17, 1.22, 1.25, 1.26, 1.29) ----

    /// Searches and pages groups, creates a security and a Microsoft 365 group, reads and
    /// updates them. `None` when the security group (which later steps need) was not created.
    async fn create_and_update_groups(&mut self, c: &Client, seed: &Seed, cora: &Cora) -> Option<Made> {
        self.op("groups().list advanced (Search Groups)");
        let r = c
            .groups()
            .list(
                ListQuery::new()
                    .filter(Filter::starts_with("displayName", "Golf"))
                    .top(999)
                    .count(true)
                    .advanced(),
            )
            .collect_all()
            .await;
        if let Some(g) = self.ok("groups().list Search Groups", r) {
            self.check(
                "groups().list Search Groups",
                g.len() == 2,
                "Golf Assist and Golf Discussion",
            );
        }
        self.op("groups().list $top=3 (paging)");
        let r = c.groups().list(ListQuery::new().top(3)).collect_all().await;
        self.ok("groups().list paged", r);

        let mut security = NewGroup::new(NewGroupType::Security, "Conformance Security", "conformance-security");
        security.description = Some("Created by cargo xtask conformance".into());
        security.members = vec![seed.adele_obj.clone()];
        self.op("groups().create security");
        let r = c.groups().create(&security).await;
        let sec = self.ok("groups().create security", r).map(|g| g.id)?;
        let mut m365 = NewGroup::new(NewGroupType::Microsoft365, "Conformance Team", "conformance-team");
        m365.owners = seed.admin_id.clone().into_iter().collect();
        m365.members = vec![cora.obj.clone()];
        self.op("groups().create Microsoft 365");
        let r = c.groups().create(&m365).await;
        let team = self.ok("groups().create Microsoft 365", r).map(|g| g.id);
        self.read_and_update_groups(c, &sec, team.as_ref()).await;
        Some(Made { sec, team })
    }

    async fn read_and_update_groups(&mut self, c: &Client, sec: &GroupId, team: Option<&GroupId>) {
        self.op("groups().get");
        let r = c.groups().get(sec, &[]).await;
        self.ok("groups().get", r);
        self.op("groups().get missing → 404");
        let r = c.groups().get(&GroupId::new(MISSING), &[]).await;
        self.fails("groups().get missing", r, ErrorKind::NotFound, Some(404));
        self.op("groups().update");
        let r = c
            .groups()
            .update(
                sec,
                &GroupUpdate {
                    description: Some(Some("Updated by conformance".into())),
                    display_name: Some("Conformance Security 2".into()),
                    ..GroupUpdate::default()
                },
            )
            .await;
        self.ok("groups().update", r);
        if let Some(team) = team {
            self.op("groups().get_mail_settings");
            let r = c.groups().get_mail_settings(team).await;
            self.ok("groups().get_mail_settings", r);
            self.op("groups().set_mail_setting");
            let r = c
                .groups()
                .set_mail_setting(team, GroupMailSetting::AutoSubscribeNewMembers(true))
                .await;
            self.ok("groups().set_mail_setting", r);
        }
    }

    /// Adds members (one, then several by members@odata.bind) and lists them; then owners and
    /// the removals (see `group_owners_and_removals`).
    async fn group_members_and_owners(&mut self, c: &Client, seed: &Seed, cora: &Cora, sec: &GroupId) {
        self.op("groups().add_member");
        let r = c.groups().add_member(sec, &cora.obj).await;
        self.ok("groups().add_member", r);
        self.op("groups().add_member existing → 400");
        let r = c.groups().add_member(sec, &cora.obj).await;
        self.fails("groups().add_member existing member", r, ErrorKind::Conflict, Some(400));
        let bind: Vec<DirectoryObjectId> = seed
            .all
            .iter()
            .filter(|u| u.id != seed.adele && u.id != cora.id)
            .take(3)
            .map(|u| DirectoryObjectId::from(&u.id))
            .collect();
        self.op("groups().add_members (members@odata.bind)");
        let r = c.groups().add_members(sec, &bind).await;
        self.ok("groups().add_members", r);
        self.op("groups().add_members existing → 400");
        let r = c.groups().add_members(sec, &bind[..1]).await;
        self.fails(
            "groups().add_members existing member",
            r,
            ErrorKind::Conflict,
            Some(400),
        );
        self.op("groups().members");
        let r = c.groups().members(sec, ListQuery::new()).collect_all().await;
        if let Some(m) = self.ok("groups().members", r) {
            self.check(
                "groups().members",
                m.len() == 2 + bind.len(),
                "Adele, Cora and the bound users",
            );
        }
        self.op("groups().member_users $search (Search Group Members)");
        let r = c
            .groups()
            .member_users(
                sec,
                ListQuery::new().search(Search::term("displayName", "Cora")).count(true),
            )
            .collect_all()
            .await;
        if let Some(m) = self.ok("groups().member_users $search", r) {
            self.check("groups().member_users $search", m.len() == 1, "only Cora matches");
        }
        self.group_owners_and_removals(c, seed, cora, sec).await;
    }

    async fn group_owners_and_removals(&mut self, c: &Client, seed: &Seed, cora: &Cora, sec: &GroupId) {
        self.op("groups().transitive_members");
        let r = c.groups().transitive_members(sec, ListQuery::new()).collect_all().await;
        self.ok("groups().transitive_members", r);
        self.op("groups().owners");
        let r = c.groups().owners(sec, ListQuery::new()).collect_all().await;
        self.ok("groups().owners", r);
        self.op("groups().add_owner");
        let r = c.groups().add_owner(sec, &seed.adele_obj).await;
        self.ok("groups().add_owner", r);
        let r = c.groups().add_owner(sec, &cora.obj).await;
        self.ok("groups().add_owner (a second owner)", r);
        self.op("groups().remove_owner");
        let r = c.groups().remove_owner(sec, &seed.adele_obj).await;
        self.ok("groups().remove_owner", r);
        // group-delete-owners: "the last owner (a user object) of the group cannot be removed".
        self.op("groups().remove_owner the last owner → 400");
        let r = c.groups().remove_owner(sec, &cora.obj).await;
        self.fails(
            "groups().remove_owner the last owner",
            r,
            ErrorKind::Validation,
            Some(400),
        );
        self.op("groups().remove_member");
        let r = c.groups().remove_member(sec, &cora.obj).await;
        self.ok("groups().remove_member", r);
        self.op("groups().remove_member not a member → 404");
        let r = c.groups().remove_member(sec, &cora.obj).await;
        self.fails("groups().remove_member not a member", r, ErrorKind::NotFound, Some(404));
    }

    // ---- Roles (1.3, 1.16, 1.20, 1.28) ----

    /// Directory roles: list, activate, add Cora as User Administrator, read, remove.
    async fn directory_roles(&mut self, c: &Client, cora: &Cora) {
        self.op("roles().directory_roles");
        let r = c.roles().directory_roles().collect_all().await;
        let roles = self.ok("roles().directory_roles", r).unwrap_or_default();
        self.op("roles().role_definitions");
        let r = c.roles().role_definitions(ListQuery::new()).collect_all().await;
        self.ok("roles().role_definitions", r);
        self.op("roles().activate_directory_role");
        let r = c
            .roles()
            .activate_directory_role(&RoleTemplateId::new(HELPDESK_ADMINISTRATOR))
            .await;
        self.ok("roles().activate_directory_role", r);
        self.op("roles().add_directory_role_member by template");
        let user_admin_template = DirectoryRoleKey::Template(RoleTemplateId::new(USER_ADMINISTRATOR));
        let r = c
            .roles()
            .add_directory_role_member(&user_admin_template, &cora.obj)
            .await;
        self.ok("roles().add_directory_role_member", r);
        let user_admin_role = roles
            .iter()
            .find(|r| {
                r.role_template_id
                    .as_ref()
                    .is_some_and(|t| t.as_str() == USER_ADMINISTRATOR)
            })
            .map(|r| r.id.clone())
            .unwrap_or_else(|| DirectoryRoleId::new(MISSING));
        self.op("roles().directory_role_members");
        let r = c
            .roles()
            .directory_role_members(&DirectoryRoleKey::Id(user_admin_role.clone()))
            .collect_all()
            .await;
        if let Some(m) = self.ok("roles().directory_role_members", r) {
            self.check(
                "roles().directory_role_members",
                m.iter().any(|o| o.id == cora.obj),
                "Cora is a User Administrator",
            );
        }
        self.op("users().directory_roles (memberOf cast)");
        let r = c.users().directory_roles(&cora.user_ref).collect_all().await;
        if let Some(m) = self.ok("users().directory_roles", r) {
            self.check(
                "users().directory_roles",
                m.len() == 1,
                "Cora holds exactly one directory role",
            );
        }
        self.op("roles().remove_directory_role_member");
        let r = c
            .roles()
            .remove_directory_role_member(&DirectoryRoleKey::Id(user_admin_role), &cora.obj)
            .await;
        self.ok("roles().remove_directory_role_member", r);
    }

    /// Role assignments (roleManagement): assign, a refused scope, list, Cora's, delete twice.
    async fn role_assignments(&mut self, c: &Client, cora: &Cora) {
        let role = RoleDefinitionId::new(USER_ADMINISTRATOR);
        self.op("roles().assign (roleAssignments POST)");
        let r = c.roles().assign(&role, &cora.obj, "/").await;
        self.ok("roles().assign", r);
        self.op("roles().assign without leading slash → refused client-side");
        let r = c.roles().assign(&role, &cora.obj, "").await;
        self.fails("roles().assign bad scope", r, ErrorKind::Validation, None);
        self.op("roles().role_assignments");
        let r = c.roles().role_assignments(ListQuery::new()).collect_all().await;
        self.ok("roles().role_assignments", r);
        self.op("roles().role_assignments_of (Read User Roles)");
        let r = c
            .roles()
            .role_assignments_of(&cora.obj, Some(&role))
            .collect_all()
            .await;
        if let Some(a) = self.ok("roles().role_assignments_of", r) {
            self.check(
                "roles().role_assignments_of",
                a.len() == 1,
                "one assignment of User Administrator",
            );
            if let Some(first) = a.first() {
                self.op("roles().assignment (by id, Unassign from a person's list)");
                let r = c.roles().assignment(&first.id).await;
                if let Some(one) = self.ok("roles().assignment", r) {
                    self.check(
                        "roles().assignment",
                        one.role_definition.as_ref().and_then(|d| d.display_name.as_deref())
                            == Some("User Administrator"),
                        "the assignment names its role",
                    );
                }
                self.op("roles().delete_assignment");
                let r = c.roles().delete_assignment(&first.id).await;
                self.ok("roles().delete_assignment", r);
                self.op("roles().delete_assignment again → 404");
                let r = c.roles().delete_assignment(&first.id).await;
                self.fails("roles().delete_assignment again", r, ErrorKind::NotFound, Some(404));
            }
        }
    }

    /// Assign Role by role id and in a scope: a role definition by id (built-in and custom), an
    /// activated role by its object id, the administrative units, a custom role given in one of
    /// them, and a scope the directory does not have (400).
    async fn roles_by_id_and_scope(&mut self, c: &Client, cora: &Cora) {
        self.op("roles().role_definition built-in");
        let r = c
            .roles()
            .role_definition(&RoleDefinitionId::new(USER_ADMINISTRATOR))
            .await;
        if let Some(d) = self.ok("roles().role_definition", r) {
            self.check(
                "roles().role_definition",
                d.is_built_in == Some(true),
                "User Administrator is built in",
            );
        }
        self.op("roles().role_definitions custom");
        let r = c.roles().role_definitions(ListQuery::new()).collect_all().await;
        let custom = self
            .ok("roles().role_definitions custom", r)
            .and_then(|all| all.into_iter().find(|d| d.is_built_in == Some(false)));
        self.check(
            "roles().role_definitions custom",
            custom.is_some(),
            "the tenant has a custom role",
        );
        self.op("roles().role_definition missing → 404");
        let r = c.roles().role_definition(&RoleDefinitionId::new(MISSING)).await;
        self.fails("roles().role_definition missing", r, ErrorKind::NotFound, Some(404));
        self.op("roles().directory_roles then directory_role by id");
        let r = c.roles().directory_roles().collect_all().await;
        if let Some(first) = self.ok("roles().directory_roles", r).and_then(|v| v.into_iter().next()) {
            let r = c.roles().directory_role(&first.id).await;
            if let Some(one) = self.ok("roles().directory_role", r) {
                self.check(
                    "roles().directory_role",
                    one.role_template_id.is_some(),
                    "an activated role names its template",
                );
            }
        }
        self.op("roles().administrative_units");
        let r = c.roles().administrative_units().collect_all().await;
        let unit = self
            .ok("roles().administrative_units", r)
            .and_then(|v| v.into_iter().next());
        self.check(
            "roles().administrative_units",
            unit.is_some(),
            "the tenant has administrative units",
        );
        if let (Some(custom), Some(unit)) = (custom, unit) {
            self.op("roles().assign custom role in an administrative unit");
            let scope = format!("/administrativeUnits/{}", unit.id);
            let r = c.roles().assign(&custom.id, &cora.obj, &scope).await;
            if let Some(a) = self.ok("roles().assign scoped", r) {
                self.check(
                    "roles().assign scoped",
                    a.directory_scope_id.as_deref() == Some(scope.as_str()),
                    "the scope Graph kept",
                );
                let r = c.roles().delete_assignment(&a.id).await;
                self.ok("roles().delete_assignment scoped", r);
            }
        }
        self.op("roles().assign in a scope the directory lacks → 400");
        let r = c
            .roles()
            .assign(
                &RoleDefinitionId::new(USER_ADMINISTRATOR),
                &cora.obj,
                &format!("/administrativeUnits/{MISSING}"),
            )
            .await;
        self.fails("roles().assign missing scope", r, ErrorKind::Validation, Some(400));
    }

    // ---- Guests (1.8) ----

    async fn guests(&mut self, c: &Client) {
        self.op("invitations().create");
        let inv = NewInvitation {
            invited_user_email_address: "conformance.guest@fabrikam.com".into(),
            invite_redirect_url: "https://myapps.microsoft.com".into(),
            invited_user_display_name: Some("Conformance Guest".into()),
            send_invitation_message: false,
            invited_user_type: None,
            invited_user_message_info: None,
        };
        let r = c.invitations().create(&inv).await;
        if let Some(i) = self.ok("invitations().create", r) {
            self.check(
                "invitations().create",
                i.invited_user.is_some(),
                "the invitation names the new guest user",
            );
        }
    }

    // ---- Contacts and contact folders (1.6, 1.15, 1.24) ----

    /// A folder with a child folder, contacts in it and in the default folder, then all deleted.
    async fn contacts(&mut self, c: &Client, me: &UserRef) {
        let contacts = c.contacts(me);
        self.op("contacts().create_folder");
        let r = contacts.create_folder("Conformance Vendors", None).await;
        let Some(folder) = self.ok("contacts().create_folder", r).map(|f| f.id) else {
            return;
        };
        let child = self.contact_folders(&contacts, &folder).await;
        let contact = self.create_and_find_contacts(&contacts, &folder).await;
        if let Some(contact) = contact {
            self.change_contact(&contacts, &contact).await;
        }
        if let Some(child) = child {
            self.op("contacts().delete_folder child");
            let r = contacts.delete_folder(&child).await;
            self.ok("contacts().delete_folder child", r);
        }
        self.op("contacts().delete_folder");
        let r = contacts.delete_folder(&folder).await;
        self.ok("contacts().delete_folder", r);
        self.op("contacts().get_folder missing → 404");
        let r = contacts.get_folder(&ContactFolderId::new(MISSING)).await;
        self.fails("contacts().get_folder missing", r, ErrorKind::NotFound, Some(404));
    }

    /// A child folder, the folder listings and tree, the folder read and renamed. Returns the child.
    async fn contact_folders(&mut self, contacts: &Contacts<'_>, folder: &ContactFolderId) -> Option<ContactFolderId> {
        self.op("contacts().create_folder child");
        let r = contacts.create_folder("Conformance Vendors EU", Some(folder)).await;
        let child = self.ok("contacts().create_folder child", r).map(|f| f.id);
        self.op("contacts().folders");
        let r = contacts.folders().collect_all().await;
        self.ok("contacts().folders", r);
        self.op("contacts().child_folders");
        let r = contacts.child_folders(folder).collect_all().await;
        self.ok("contacts().child_folders", r);
        self.op("contacts().folder_tree");
        let r = contacts.folder_tree().await;
        if let Some(t) = self.ok("contacts().folder_tree", r) {
            let found = t.iter().find(|n| &n.folder.id == folder);
            self.check(
                "contacts().folder_tree",
                found.is_some_and(|n| n.children.len() == 1),
                "the new folder with its child",
            );
        }
        self.op("contacts().get_folder");
        let r = contacts.get_folder(folder).await;
        self.ok("contacts().get_folder", r);
        self.op("contacts().rename_folder");
        let r = contacts.rename_folder(folder, "Conformance Suppliers").await;
        self.ok("contacts().rename_folder", r);
        child
    }

    /// The same contact in the default folder and in `folder`; listings and a search by email.
    /// Returns the one in the default folder.
    async fn create_and_find_contacts(
        &mut self,
        contacts: &Contacts<'_>,
        folder: &ContactFolderId,
    ) -> Option<ContactId> {
        let input = ContactInput {
            given_name: Some("Pavel".into()),
            surname: Some("Bansky".into()),
            email_addresses: Some(vec![EmailAddress {
                name: Some("Pavel Bansky".into()),
                address: Some("pavelb@fabrikam.onmicrosoft.com".into()),
            }]),
            business_phones: Some(vec!["+1 732 555 0102".into()]),
            home_phones: Some(vec!["+1 732 555 0103".into()]),
            im_addresses: Some(vec!["pavel@im.fabrikam.com".into()]),
            categories: Some(vec!["Suppliers".into()]),
            children: Some(vec!["Mia".into()]),
            birthday: Some("1990-05-17T00:00:00Z".into()),
            business_home_page: Some("https://www.fabrikam.com".into()),
            spouse_name: Some("Ana".into()),
            profession: Some("Engineer".into()),
            business_address: Some(msgraph::PhysicalAddress {
                street: Some("1 Main Street".into()),
                city: Some("Redmond".into()),
                state: Some("WA".into()),
                postal_code: Some("98052".into()),
                country_or_region: Some("United States".into()),
            }),
            ..ContactInput::default()
        };
        self.op("contacts().create in default folder");
        let r = contacts.create(None, &input).await;
        let contact = self.ok("contacts().create", r).map(|x| x.id);
        self.op("contacts().create in folder");
        let r = contacts.create(Some(folder), &input).await;
        self.ok("contacts().create in folder", r);
        self.op("contacts().list");
        let r = contacts.list(None, ListQuery::new()).collect_all().await;
        self.ok("contacts().list", r);
        self.op("contacts().list in folder");
        let r = contacts.list(Some(folder), ListQuery::new()).collect_all().await;
        self.ok("contacts().list in folder", r);
        self.op("contacts().search_by_email");
        let r = contacts
            .search_by_email(None, "pavelb@fabrikam.onmicrosoft.com")
            .collect_all()
            .await;
        if let Some(found) = self.ok("contacts().search_by_email", r) {
            self.check(
                "contacts().search_by_email",
                found.len() == 1,
                "exactly the new contact",
            );
        }
        contact
    }

    async fn change_contact(&mut self, contacts: &Contacts<'_>, contact: &ContactId) {
        self.op("contacts().get");
        let r = contacts.get(contact).await;
        self.ok("contacts().get", r);
        self.op("contacts().update");
        let r = contacts
            .update(
                contact,
                &ContactInput {
                    job_title: Some("Buyer".into()),
                    ..ContactInput::default()
                },
            )
            .await;
        self.ok("contacts().update", r);
        self.op("contacts().delete");
        let r = contacts.delete(contact).await;
        self.ok("contacts().delete", r);
        self.op("contacts().get deleted → 404");
        let r = contacts.get(contact).await;
        self.fails("contacts().get deleted", r, ErrorKind::NotFound, Some(404));
    }

    // ---- Custom API Action (1.9) and its guard rails, server-side query rules ----

    /// Custom requests that Graph answers (see `custom_requests_refused` for those it refuses).
    async fn custom_requests(&mut self, c: &Client, cora: &Cora) {
        self.op("custom GET /users?$top=5");
        let mut req = CustomRequest::new(HttpMethod::Get, "/users");
        req.query = vec![("$top".into(), "5".into()), ("$select".into(), "id,displayName".into())];
        let r = c.custom(&req).await;
        if let Some(resp) = self.ok("custom GET /users", r) {
            let n = match &resp.body {
                CustomBody::Json(v) => v["value"].as_array().map(Vec::len),
                _ => None,
            };
            self.check("custom GET /users", n == Some(5), "five users");
        }
        self.op("custom_pages GET /groups?$top=4");
        let mut req = CustomRequest::new(HttpMethod::Get, "/groups");
        req.query = vec![("$top".into(), "4".into())];
        let r = c.custom_pages(&req).collect_all().await;
        self.ok("custom_pages GET /groups", r);
        self.op("custom PATCH /users/{id}");
        let mut req = CustomRequest::new(HttpMethod::Patch, format!("/users/{}", cora.id.as_str()));
        req.body = Some(json!({"department": "Internal Audit"}));
        let r = c.custom(&req).await;
        self.ok("custom PATCH /users/{id}", r);
        self.custom_requests_refused(c).await;
    }

    /// Query rules Graph enforces server-side, and the header the client refuses itself.
    async fn custom_requests_refused(&mut self, c: &Client) {
        self.op("custom GET /users?$top=1000 → 400 server-side");
        let mut req = CustomRequest::new(HttpMethod::Get, "/users");
        req.query = vec![("$top".into(), "1000".into())];
        let r = c.custom(&req).await;
        self.fails("custom $top=1000", r, ErrorKind::Validation, Some(400));
        self.op("custom $search without ConsistencyLevel → 400");
        let mut req = CustomRequest::new(HttpMethod::Get, "/users");
        req.query = vec![("$search".into(), "\"displayName:Adele\"".into())];
        let r = c.custom(&req).await;
        self.fails(
            "custom $search without ConsistencyLevel",
            r,
            ErrorKind::Validation,
            Some(400),
        );
        self.op("custom $count without ConsistencyLevel → 400");
        let mut req = CustomRequest::new(HttpMethod::Get, "/users");
        req.query = vec![
            ("$filter".into(), "endswith(mail,'@contoso.com')".into()),
            ("$count".into(), "true".into()),
        ];
        let r = c.custom(&req).await;
        self.fails(
            "custom endswith without ConsistencyLevel",
            r,
            ErrorKind::Validation,
            Some(400),
        );
        self.op("custom refuses Authorization header (client-side)");
        let mut req = CustomRequest::new(HttpMethod::Get, "/users");
        req.headers = vec![("Authorization".into(), "Bearer x".into())];
        let r = c.custom(&req).await;
        self.fails("custom Authorization header", r, ErrorKind::Validation, None);
    }

    // ---- $batch ----

    async fn batch(&mut self, c: &Client, seed: &Seed, cora: &Cora) {
        self.op("batch");
        let list = BatchRequest::list("2", "/groups", &ListQuery::new().top(5));
        if let Some(list) = self.ok("batch list request", list) {
            let reqs = [
                BatchRequest::new("1", HttpMethod::Get, format!("/users/{}", seed.adele.as_str())),
                list,
                BatchRequest::new("3", HttpMethod::Get, format!("/groups/{MISSING}")),
                BatchRequest::new("4", HttpMethod::Patch, format!("/users/{}", cora.id.as_str()))
                    .json(json!({"officeLocation": "20/1101"}))
                    .depends_on("1"),
            ];
            let r = c.batch(&reqs).await;
            if let Some(answers) = self.ok("batch", r) {
                let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
                self.check(
                    "batch",
                    statuses == vec![200, 200, 404, 204],
                    &format!("per-request statuses 200, 200, 404, 204 (got {statuses:?})"),
                );
            }
        }
    }

    // ---- Delta (the 8 event cards) ----

    /// Full walks of both resources at 4 entries per page, then `$deltatoken=latest`. Returns
    /// the full walks' cursors.
    async fn delta_first_walks(&mut self, c: &Client, cora: &Cora) -> Cursors {
        self.admin(reqwest::Method::PUT, "/delta", json!({"page_size": 4}))
            .await;
        self.op("delta users full");
        let r = walk(c, DeltaResource::Users, USERS_DELTA_SELECT, DeltaStart::Full).await;
        let users = match self.ok("delta users full", r) {
            Some((objects, cursor, pages)) => {
                self.check(
                    "delta users full",
                    pages > 1,
                    "more than one page at 4 entries per page",
                );
                self.check(
                    "delta users full",
                    objects.iter().any(|o| o.id == cora.id.as_str()),
                    "the walk includes Cora",
                );
                self.check("delta users full", cursor.is_some(), "the walk ends with a deltaLink");
                cursor
            }
            None => None,
        };
        self.op("delta groups full");
        let r = walk(c, DeltaResource::Groups, GROUPS_DELTA_SELECT, DeltaStart::Full).await;
        let groups = self.ok("delta groups full", r).and_then(|(_, cursor, _)| cursor);
        self.op("delta users latest");
        let r = walk(c, DeltaResource::Users, USERS_DELTA_SELECT, DeltaStart::Latest).await;
        if let Some((objects, _, _)) = self.ok("delta users $deltatoken=latest", r) {
            self.check(
                "delta users $deltatoken=latest",
                objects.is_empty(),
                "latest returns no objects",
            );
        }
        self.op("delta groups latest");
        let r = walk(c, DeltaResource::Groups, GROUPS_DELTA_SELECT, DeltaStart::Latest).await;
        self.ok("delta groups $deltatoken=latest", r);
        Cursors { users, groups }
    }

    /// Changes between the walks: an update, a soft delete, a membership change, a group deletion.
    async fn changes_between_walks(&mut self, c: &Client, seed: &Seed, cora: &Cora, groups: &Made) {
        self.op("users().update (between delta walks)");
        let r = c
            .users()
            .update(
                &seed.adele_ref,
                &UserUpdate {
                    profile: UserProfile {
                        department: Some(Some("Retail".into())),
                        ..UserProfile::default()
                    },
                    ..UserUpdate::default()
                },
            )
            .await;
        self.ok("users().update between walks", r);
        self.op("groups().add_member (between delta walks)");
        let r = c.groups().add_member(&groups.sec, &cora.obj).await;
        self.ok("groups().add_member between walks", r);
        self.op("users().delete (soft)");
        let r = c.users().delete(&cora.user_ref).await;
        self.ok("users().delete", r);
        self.op("users().get deleted → 404");
        let r = c.users().get(&cora.user_ref, &[]).await;
        self.fails("users().get deleted user", r, ErrorKind::NotFound, Some(404));
        self.op("users().delete missing → 404");
        let r = c.users().delete(&cora.user_ref).await;
        self.fails("users().delete twice", r, ErrorKind::NotFound, Some(404));
        if let Some(team) = &groups.team {
            self.op("groups().delete Microsoft 365 (soft)");
            let r = c.groups().delete(team).await;
            self.ok("groups().delete Microsoft 365", r);
        }
    }

    /// Both walks resumed from their cursors see the changes made between them.
    async fn delta_resume(&mut self, c: &Client, seed: &Seed, cora: &Cora, groups: &Made, cursors: Cursors) {
        if let Some(cursor) = cursors.users {
            self.op("delta users resume");
            let r = walk(c, DeltaResource::Users, USERS_DELTA_SELECT, DeltaStart::Resume(cursor)).await;
            if let Some((objects, _, _)) = self.ok("delta users resume", r) {
                let removed = objects
                    .iter()
                    .find(|o| o.id == cora.id.as_str())
                    .and_then(|o| o.removed.clone());
                self.check(
                    "delta users resume",
                    removed == Some(msgraph::RemovedReason::Changed),
                    "Cora's soft delete arrives as @removed reason 'changed'",
                );
                self.check(
                    "delta users resume",
                    objects
                        .iter()
                        .any(|o| o.id == seed.adele.as_str() && o.removed.is_none()),
                    "Adele's change arrives",
                );
            }
        }
        if let Some(cursor) = cursors.groups {
            self.op("delta groups resume");
            let r = walk(
                c,
                DeltaResource::Groups,
                GROUPS_DELTA_SELECT,
                DeltaStart::Resume(cursor),
            )
            .await;
            if let Some((objects, _, _)) = self.ok("delta groups resume", r) {
                self.check(
                    "delta groups resume",
                    objects.iter().any(|o| o.id == groups.sec.as_str()),
                    "the security group's membership change arrives",
                );
            }
        }
    }

    async fn delta_expiry(&mut self, c: &Client) {
        self.op("delta users latest (before expiry)");
        let r = walk(c, DeltaResource::Users, USERS_DELTA_SELECT, DeltaStart::Latest).await;
        if let Some(cursor) = self
            .ok("delta users latest before expiry", r)
            .and_then(|(_, cur, _)| cur)
        {
            // The sandbox's admin API ends every sync state, as Entra does after 7 days.
            self.admin(reqwest::Method::POST, "/delta/expire", json!({})).await;
            self.op("delta users expired deltaLink → 400 syncStateNotFound");
            let r = walk(c, DeltaResource::Users, USERS_DELTA_SELECT, DeltaStart::Resume(cursor)).await;
            self.fails("delta users expired deltaLink", r, ErrorKind::DeltaExpired, Some(400));
        }
    }

    async fn delete_security_group(&mut self, c: &Client, sec: &GroupId) {
        self.op("groups().delete security");
        let r = c.groups().delete(sec).await;
        self.ok("groups().delete security", r);
        self.op("groups().delete missing → 404");
        let r = c.groups().delete(sec).await;
        self.fails("groups().delete twice", r, ErrorKind::NotFound, Some(404));
    }

    // ---- Finding: links behind a proxy ----

    async fn links_behind_a_proxy(&mut self, c: &Client) {
        self.front.rewrite_links.store(false, Ordering::Relaxed);
        self.op("users().list $top=2 with the sandbox's own links (finding)");
        let r = c
            .users()
            .list(ListQuery::new().select(&["id"]).top(2))
            .collect_all()
            .await;
        match r {
            Err(e) if e.kind() == ErrorKind::Decode => self.findings.push(format!(
                "sandbox: @odata.nextLink/@odata.deltaLink are built from the sandbox's bind address ({}); behind a proxy the client refuses them (\"{e}\"). (Prism sends the upstream's own Host and no X-Forwarded-Host, so only a configurable public base URL in the sandbox would fix this.) The run rewrites the sandbox origin to the proxy's in answers after Prism validated them.",
                self.sandbox
            )),
            Err(e) => self.problems.push(format!("links behind a proxy: unexpected error {}", describe(&e))),
            Ok(_) => self.findings.push("sandbox: links follow the request's origin (nextLinks work behind a proxy); the link rewrite of the front tap is no longer needed".into()),
        }
        self.front.rewrite_links.store(true, Ordering::Relaxed);
    }

    // ---- Oracle self-test: both oracles must catch a wrong answer and a wrong request ----

    async fn canaries(&mut self, c: &Client) {
        self.op(&format!("{CANARY}a corrupted list answer"));
        self.back.corrupt_next.store(true, Ordering::Relaxed);
        let r = c
            .users()
            .list(ListQuery::new().select(&["id", "displayName", "businessPhones"]).top(3))
            .first()
            .await;
        self.back.corrupt_next.store(false, Ordering::Relaxed);
        self.fails("canary: corrupted answer", r, ErrorKind::Transient, Some(500));
        self.op(&format!("{CANARY}a request body the description rejects"));
        let mut req = CustomRequest::new(HttpMethod::Post, "/users");
        req.body = Some(
            json!({"accountEnabled": "yes", "displayName": "Canary", "mailNickname": "canary", "userPrincipalName": "canary@contoso.com"}),
        );
        let r = c.custom(&req).await;
        match r {
            Err(e) if e.status() == Some(422) => {}
            Err(e) => self.problems.push(format!(
                "canary: Prism should answer 422 to a wrong request body, got {}",
                describe(&e)
            )),
            Ok(_) => self
                .problems
                .push("canary: Prism let a wrong request body through".into()),
        }
    }
}

/// Walks a delta query to its deltaLink: (objects, cursor, pages). `None` as cursor: the walk
/// ended without a deltaLink (which Graph never does).
async fn walk(
    c: &Client,
    resource: DeltaResource,
    select: &[&str],
    start: DeltaStart,
) -> Result<(Vec<DeltaObject>, Option<DeltaCursor>, usize), Error> {
    let mut w = c.delta(resource, select, start);
    let mut objects = Vec::new();
    let mut pages = 0;
    while let Some(page) = w.next_page().await? {
        pages += 1;
        objects.extend(page.objects);
        if let Some(cursor) = page.delta_link {
            return Ok((objects, Some(cursor), pages));
        }
    }
    Ok((objects, None, pages))
}

/// Cora as the New user form sends her: every profile property it can set, so the description
/// checks each one.
fn cora_as_new() -> NewUser {
    let password = PasswordProfile {
        password: "xWwvJ]6NMw+bWH-d".into(),
        force_change_password_next_sign_in: true,
        force_change_password_next_sign_in_with_mfa: None,
    };
    let mut new_user = NewUser::new("Conformance Cora", "cora", "cora.conformance@contoso.com", password);
    new_user.profile.given_name = Some(Some("Cora".into()));
    new_user.profile.surname = Some(Some("Conformance".into()));
    new_user.profile.job_title = Some(Some("Auditor".into()));
    new_user.profile.department = Some(Some("Compliance".into()));
    let set = |v: &str| Some(Some(v.to_string()));
    new_user.profile.company_name = set("Contoso");
    new_user.profile.office_location = set("18/2111");
    new_user.profile.employee_id = set("E-1234");
    new_user.profile.employee_type = set("Contractor");
    new_user.profile.employee_hire_date = set("2026-03-01T00:00:00Z");
    new_user.profile.business_phones = Some(vec!["+1 425 555 0100".into()]);
    new_user.profile.mobile_phone = set("+1 425 555 0101");
    new_user.profile.fax_number = set("+1 425 555 0102");
    new_user.profile.other_mails = Some(vec!["cora@fabrikam.com".into()]);
    new_user.profile.street_address = set("1 Main Street");
    new_user.profile.city = set("Redmond");
    new_user.profile.state = set("WA");
    new_user.profile.postal_code = set("98052");
    new_user.profile.country = set("United States");
    // (No usage location: a later step checks that a licence is refused without one.)
    new_user.profile.preferred_language = set("en-US");
    new_user.profile.age_group = Some(Some(msgraph::AgeGroup::Adult));
    new_user.profile.consent_provided_for_minor = Some(Some(msgraph::ConsentProvidedForMinor::NotRequired));
    new_user.profile.on_premises_immutable_id = set("cora-0001");
    new_user
}

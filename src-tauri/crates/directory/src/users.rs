//! Users: find (by id, sign-in name or email), search, read, create, update, enable/disable,
//! delete, revoke sessions, manager, groups. Cards 1.4, 1.5, 1.11–1.13, 1.18, 1.19, 1.23, 1.27, 1.30.

use msgraph::{
    Client, CustomBody, CustomRequest, DirectoryObject, DirectoryObjectId, ErrorKind, Filter, Group, HttpMethod,
    ListQuery, NewUser, User, UserRef, UserUpdate,
};

use crate::explain::{explain, graph_says, hint, Action, Cause};
use crate::profile;
use crate::search::{PropertyKind, SearchInput};
use crate::validate;
use crate::Error;

/// The properties the Users table shows.
pub const LIST_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "department",
    "jobTitle",
    "accountEnabled",
];

/// What "Read User" shows (cards.md §1.18), without the SharePoint-backed properties.
pub const DETAIL_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "givenName",
    "surname",
    "userPrincipalName",
    "mail",
    "mailNickname",
    "accountEnabled",
    "userType",
    "ageGroup",
    "consentProvidedForMinor",
    "assignedLicenses",
    "assignedPlans",
    "licenseAssignmentStates",
    "businessPhones",
    "mobilePhone",
    "faxNumber",
    "jobTitle",
    "department",
    "companyName",
    "officeLocation",
    "employeeId",
    "employeeType",
    "employeeHireDate",
    "streetAddress",
    "city",
    "state",
    "postalCode",
    "country",
    "usageLocation",
    "preferredLanguage",
    "createdDateTime",
    "otherMails",
    "proxyAddresses",
    "imAddresses",
    "onPremisesSyncEnabled",
    "onPremisesImmutableId",
];

/// The most users a search returns (Okta's cap for Search Users, cards.md §1.27).
pub const MAX_SEARCH_RESULTS: usize = 4000;

/// Every user of the tenant, with the Users table's properties. Pages of 999 (Graph's maximum),
/// followed to the end.
pub async fn list_all(client: &Client) -> Result<Vec<User>, Error> {
    let pager = client.users().list(ListQuery::new().select(LIST_PROPERTIES).top(999));
    pager.collect_all().await.map_err(|e| explain(Action::ReadDirectory, e))
}

/// Finds the user `key` names: an object id, a sign-in name (UPN), or an email address that is
/// not the sign-in name (`mail` or `otherMails`, cards.md §0.2). `field` is the form field the key
/// came from; "no such person" is reported against it.
pub async fn find(client: &Client, field: &'static str, key: &str, select: &[&str]) -> Result<User, Error> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid(
            field,
            "Enter the person's sign-in name, email address or object id.",
        ));
    }
    if !validate::is_guid(key) && !key.contains('@') {
        return Err(Error::invalid(
            field,
            format!("“{key}” is not a sign-in name, email address or object id. A sign-in name looks like adele.vance@contoso.com."),
        ));
    }
    match client.users().get(&UserRef::parse(key), select).await {
        Ok(u) => return Ok(u),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if validate::is_guid(key) {
                return Err(Error::invalid(
                    field,
                    format!("No one in the directory has the object id {key}."),
                ));
            }
        }
        Err(e) if e.kind() == ErrorKind::Validation && e.status().is_none() => {
            return Err(Error::invalid(
                field,
                format!("“{key}” cannot be used to find a person."),
            ));
        }
        Err(e) => return Err(explain(Action::ReadDirectory, e)),
    }
    // Not a sign-in name: maybe an email address.
    let by_mail = Filter::eq("mail", key).or(Filter::any_eq("otherMails", key));
    let found = client
        .users()
        .list(ListQuery::new().filter(by_mail).select(select).top(2))
        .take(2)
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    match found.len() {
        0 => Err(Error::invalid(
            field,
            format!("No one in the directory has the sign-in name or email address {key}."),
        )),
        1 => Ok(found.into_iter().next().expect("one element")),
        _ => Err(Error::invalid(
            field,
            format!("Several people have the email address {key}. Use the sign-in name or object id instead."),
        )),
    }
}

/// A user's name for messages: display name, else sign-in name, else id.
pub fn name_of(u: &User) -> String {
    u.display_name
        .clone()
        .or_else(|| u.user_principal_name.clone())
        .unwrap_or_else(|| u.id.to_string())
}

const NAME: &[&str] = &["id", "displayName", "userPrincipalName"];

/// Read User (1.18): every property the card shows. `aboutMe` is stored in SharePoint: Graph
/// returns it only when asked for alone, so it is read in a second request, and left out (with
/// a note in the log) when that one fails.
pub async fn get(client: &Client, key: &str) -> Result<User, Error> {
    let mut user = find(client, "user", key, DETAIL_PROPERTIES).await?;
    match client.users().get(&UserRef::Id(user.id.clone()), &["aboutMe"]).await {
        Ok(u) => user.about_me = u.about_me,
        Err(e) => tracing::info!(error = %e, "aboutMe not readable; Read User shows the rest"),
    }
    Ok(user)
}

const USER_SEARCH_PROPERTIES: &[(&str, PropertyKind)] = &[
    ("displayName", PropertyKind::Text),
    ("givenName", PropertyKind::Text),
    ("surname", PropertyKind::Text),
    ("userPrincipalName", PropertyKind::Text),
    ("mail", PropertyKind::Text),
    ("mailNickname", PropertyKind::Text),
    ("jobTitle", PropertyKind::Text),
    ("department", PropertyKind::Text),
    ("companyName", PropertyKind::Text),
    ("officeLocation", PropertyKind::Text),
    ("employeeId", PropertyKind::Text),
    ("employeeType", PropertyKind::Text),
    ("mobilePhone", PropertyKind::Text),
    ("streetAddress", PropertyKind::Text),
    ("city", PropertyKind::Text),
    ("state", PropertyKind::Text),
    ("postalCode", PropertyKind::Text),
    ("country", PropertyKind::Text),
    ("usageLocation", PropertyKind::Text),
    ("preferredLanguage", PropertyKind::Text),
    ("otherMails", PropertyKind::List),
    ("proxyAddresses", PropertyKind::List),
    ("imAddresses", PropertyKind::List),
    ("businessPhones", PropertyKind::List),
    ("accountEnabled", PropertyKind::Bool),
    ("userType", PropertyKind::Choice(&["Member", "Guest"])),
    ("ageGroup", PropertyKind::Choice(&["Minor", "NotAdult", "Adult"])),
    (
        "consentProvidedForMinor",
        PropertyKind::Choice(&["Granted", "Denied", "NotRequired"]),
    ),
];

/// The properties Search Users accepts in criteria.
pub fn search_properties() -> Vec<&'static str> {
    USER_SEARCH_PROPERTIES.iter().map(|(p, _)| *p).collect()
}

/// Search Users (1.27): exact or starts-with matches on any of [`search_properties`], and/or
/// words in the name, email address or sign-in name. Always an advanced query (every operator
/// works; results are eventually consistent). At most [`MAX_SEARCH_RESULTS`].
pub async fn search(client: &Client, input: &SearchInput) -> Result<Vec<User>, Error> {
    let query = crate::search::build(
        input,
        USER_SEARCH_PROPERTIES,
        &["displayName", "mail", "userPrincipalName"],
    )?
    .select(LIST_PROPERTIES);
    let limit = if input.first_only { 1 } else { MAX_SEARCH_RESULTS };
    client
        .users()
        .list(query)
        .take(limit)
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))
}

/// A domain of the organisation, as the New user form offers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// The domain name (`contoso.com`).
    pub id: String,
    /// The organisation's default domain (new sign-in names use it unless another is chosen).
    pub is_default: bool,
    /// Ownership proven; only verified domains can be used in sign-in names.
    pub is_verified: bool,
}

/// The organisation's domains, read from `GET /organization?$select=verifiedDomains` (one
/// request; every domain listed there is verified), the default domain first, then by name.
pub async fn domains(client: &Client) -> Result<Vec<Domain>, Error> {
    let mut req = CustomRequest::new(HttpMethod::Get, "/organization");
    req.query.push(("$select".into(), "verifiedDomains".into()));
    let resp = client
        .custom(&req)
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    let CustomBody::Json(v) = resp.body else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Domain> = v["value"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|org| org["verifiedDomains"].as_array().cloned().unwrap_or_default())
        .filter_map(|d| {
            Some(Domain {
                id: d["name"].as_str()?.to_string(),
                is_default: d["isDefault"].as_bool().unwrap_or(false),
                is_verified: true,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.is_default
            .cmp(&a.is_default)
            .then_with(|| a.id.to_lowercase().cmp(&b.id.to_lowercase()))
    });
    out.dedup_by(|a, b| a.id.eq_ignore_ascii_case(&b.id));
    Ok(out)
}

/// The organisation's verified domain names (see [`domains`]), or `None` when they cannot be
/// read (the signed-in person may lack `Organization.Read.All`): then the domain check is left to
/// Graph.
pub async fn verified_domains(client: &Client) -> Option<Vec<String>> {
    match domains(client).await {
        Ok(d) if !d.is_empty() => Some(d.into_iter().map(|d| d.id).collect()),
        Ok(_) => None,
        Err(e) => {
            tracing::info!(error = %e, "verified domains not readable; the domain check is left to Graph");
            None
        }
    }
}

/// The UPN's domain must be a verified domain (when the domains can be read).
async fn check_domain(client: &Client, field: &'static str, upn: &str) -> Result<(), Error> {
    let domain = upn.rsplit_once('@').map(|(_, d)| d).unwrap_or_default();
    if let Some(domains) = verified_domains(client).await {
        if !domains.iter().any(|d| d.eq_ignore_ascii_case(domain)) {
            return Err(Error::invalid(
                field,
                format!(
                    "{domain} is not one of your organisation's verified domains. Use one of: {}.",
                    domains.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// A mail nickname made from the sign-in name's alias (characters a nickname cannot hold dropped).
pub fn nickname_from_upn(upn: &str) -> String {
    upn.split('@')
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii() && !c.is_ascii_control() && !" @()\\[]\";:<>,".contains(*c))
        .take(64)
        .collect::<String>()
        .trim_matches('.')
        .to_string()
}

/// The New user form's checks, made without sending anything, in this order: display name,
/// sign-in name characters, mail nickname (made from the sign-in name when empty), password
/// complexity, then the profile ([`profile::check`]: lengths, formats, one business phone).
pub fn checked_new_user(new: &NewUser) -> Result<NewUser, Error> {
    let mut u = new.clone();
    u.display_name = validate::required("displayName", "display name", &u.display_name, 256)?;
    u.user_principal_name = validate::upn("userPrincipalName", &u.user_principal_name)?;
    if u.mail_nickname.trim().is_empty() {
        u.mail_nickname = nickname_from_upn(&u.user_principal_name);
    }
    u.mail_nickname = validate::mail_nickname("mailNickname", &u.mail_nickname, true)?;
    let alias = u.user_principal_name.split('@').next().unwrap_or_default().to_string();
    validate::password("password", &u.password_profile.password, &alias)?;
    u.profile = profile::check(&u.profile, true)?;
    Ok(u)
}

/// Create Cloud User (1.5), the account alone: [`checked_new_user`], then the sign-in name's
/// domain against the verified domains (one `GET /organization`, skipped if not readable). A
/// duplicate sign-in name is explained. (With manager, groups and licence: [`crate::new_user`].)
pub async fn create(client: &Client, new: &NewUser) -> Result<User, Error> {
    let u = checked_new_user(new)?;
    check_domain(client, "userPrincipalName", &u.user_principal_name).await?;
    client
        .users()
        .create(&u)
        .await
        .map_err(|e| explain_user_write(e, &u.user_principal_name))
}

pub fn explain_user_write(e: msgraph::Error, upn: &str) -> Error {
    if graph_says(&e, Cause::TakenUserPrincipalName) {
        return hint(
            e,
            format!("Someone in the directory already has this sign-in name ({upn}). Choose another one."),
        );
    }
    if graph_says(&e, Cause::TakenProxyAddresses) || graph_says(&e, Cause::TakenMailNickname) {
        return hint(
            e,
            "Someone in the directory already uses this mail nickname or email address. Choose another mail nickname.",
        );
    }
    if graph_says(&e, Cause::WeakPassword) {
        return hint(e, "The password does not meet your organisation's password policy. Use a longer password with letters, digits and symbols.");
    }
    if graph_says(&e, Cause::UnverifiedDomain) {
        return hint(
            e,
            "The domain after the @ is not one of your organisation's verified domains.",
        );
    }
    if graph_says(&e, Cause::InvalidValues) {
        return hint(e, "Microsoft Graph refused one of the values. Check the sign-in name (no # or accents; a federated domain also needs an on-premises immutable id).");
    }
    explain(Action::ManageUsers, e)
}

/// Update User (1.30): only the properties set in `changes` are sent (`Some(None)` clears one).
/// Checked first: display name not empty, sign-in name rules, mail nickname rules, usage
/// location format, one business phone. SharePoint-backed properties (about me, birthday, skills…)
/// go in their own PATCH each, as Graph requires.
pub async fn update(client: &Client, key: &str, changes: &UserUpdate) -> Result<User, Error> {
    let mut c = changes.clone();
    if let Some(n) = &c.display_name {
        c.display_name = Some(validate::required("displayName", "display name", n, 256)?);
    }
    if let Some(u) = &c.user_principal_name {
        c.user_principal_name = Some(validate::upn("userPrincipalName", u)?);
    }
    if let Some(n) = &c.mail_nickname {
        c.mail_nickname = Some(validate::mail_nickname("mailNickname", n, true)?);
    }
    if let Some(p) = &c.password_profile {
        validate::password("password", &p.password, "")?;
    }
    c.profile = profile::check(&c.profile, false)?;
    if let Some(Some(a)) = &c.about_me {
        c.about_me = Some(profile::field("aboutMe", a)?);
    }
    if c.is_empty() {
        return Err(Error::Invalid {
            field: None,
            message: "Nothing was changed, so nothing was sent.".into(),
        });
    }
    let user = find(client, "user", key, NAME).await?;
    if let Some(u) = &c.user_principal_name {
        if Some(u) != user.user_principal_name.as_ref() {
            check_domain(client, "userPrincipalName", u).await?;
        }
    }
    let r = UserRef::Id(user.id.clone());
    for part in c.split() {
        client.users().update(&r, &part).await.map_err(|e| {
            if graph_says(&e, Cause::NotInThisRequest) {
                hint(e, "Profile details such as About me, Birthday or Skills are stored in SharePoint and could not be changed for this person (this needs SharePoint rights; the other changes were saved).")
            } else {
                explain_user_write(e, c.user_principal_name.as_deref().unwrap_or_default())
            }
        })?;
    }
    get(client, user.id.as_str()).await
}

/// A temporary password Microsoft's default policy accepts: 16 characters drawn by the operating
/// system's secure random generator from upper- and lower-case letters (no I, l, O, o), digits
/// (no 0, 1) and symbols, at least one of each.
pub fn generate_password() -> String {
    use rand::rngs::OsRng;
    use rand::seq::SliceRandom;
    const SETS: [&str; 4] = [
        "ABCDEFGHJKLMNPQRSTUVWXYZ",
        "abcdefghijkmnpqrstuvwxyz",
        "23456789",
        "!#$%&*+-=?@^_",
    ];
    let all: Vec<char> = SETS.concat().chars().collect();
    let mut chars: Vec<char> = SETS
        .iter()
        .map(|s| *s.chars().collect::<Vec<_>>().choose(&mut OsRng).expect("not empty"))
        .collect();
    while chars.len() < 16 {
        chars.push(*all.choose(&mut OsRng).expect("not empty"));
    }
    chars.shuffle(&mut OsRng);
    chars.into_iter().collect()
}

/// A generated password ([`generate_password`]) that passes the sign-in rules for a person whose
/// sign-in name starts with `alias` (it must not contain the name): the one generator for New
/// user's temporary password and Reset password.
pub fn temporary_password(alias: &str) -> String {
    loop {
        let p = generate_password();
        if validate::password("password", &p, alias).is_ok() {
            return p;
        }
    }
}

/// What Reset Password did: the new temporary password, to be shown once. `Debug` hides it.
#[derive(Clone, PartialEq)]
pub struct PasswordReset {
    pub user: User,
    pub password: String,
    /// The person must choose a new password when they next sign in.
    pub must_change: bool,
}

impl std::fmt::Debug for PasswordReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordReset")
            .field("user", &self.user.id)
            .field("password", &"<redacted>")
            .field("must_change", &self.must_change)
            .finish()
    }
}

impl PasswordReset {
    pub fn summary(&self) -> String {
        let name = name_of(&self.user);
        if self.must_change {
            format!("{name} has a new temporary password. Give it to them: they must choose their own when they next sign in.")
        } else {
            format!("{name} has a new password. Give it to them; it is shown only now.")
        }
    }
}

/// Reset Password (part of Update User, 1.30): a new password generated here
/// ([`generate_password`]), sent as `passwordProfile`; Graph's refusals explained.
pub async fn reset_password(client: &Client, key: &str, must_change: bool) -> Result<PasswordReset, Error> {
    let user = find(client, "user", key, NAME).await?;
    let alias = user
        .user_principal_name
        .as_deref()
        .and_then(|u| u.split('@').next())
        .unwrap_or_default()
        .to_string();
    let password = temporary_password(&alias);
    let change = UserUpdate {
        password_profile: Some(msgraph::PasswordProfile {
            password: password.clone(),
            force_change_password_next_sign_in: must_change,
            force_change_password_next_sign_in_with_mfa: None,
        }),
        ..UserUpdate::default()
    };
    client
        .users()
        .update(&UserRef::Id(user.id.clone()), &change)
        .await
        .map_err(|e| explain_user_write(e, ""))?;
    Ok(PasswordReset {
        user,
        password,
        must_change,
    })
}

/// What Enable or Disable User Account did.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInChange {
    pub user: User,
    pub enabled: bool,
}

impl SignInChange {
    pub fn summary(&self) -> String {
        let name = name_of(&self.user);
        if self.enabled {
            format!("{name} can sign in again.")
        } else {
            format!("{name} can no longer sign in. Sessions already open stay valid until you revoke them.")
        }
    }
}

/// Enable (1.13) or Disable (1.12) User Account.
pub async fn set_enabled(client: &Client, key: &str, enabled: bool) -> Result<SignInChange, Error> {
    let user = find(client, "user", key, NAME).await?;
    client
        .users()
        .set_account_enabled(&UserRef::Id(user.id.clone()), enabled)
        .await
        .map_err(|e| explain(Action::EnableDisableUsers, e))?;
    Ok(SignInChange { user, enabled })
}

/// A deleted user: in deleted items, restorable for 30 days.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedUser {
    pub user: User,
}

impl DeletedUser {
    pub fn summary(&self) -> String {
        format!(
            "{} was deleted. It can be restored from Deleted items for 30 days.",
            name_of(&self.user)
        )
    }
}

/// Delete User (1.11): the user goes to deleted items and can be restored for 30 days.
pub async fn delete(client: &Client, key: &str) -> Result<DeletedUser, Error> {
    let user = find(client, "user", key, NAME).await?;
    client
        .users()
        .delete(&UserRef::Id(user.id.clone()))
        .await
        .map_err(|e| explain(Action::DeleteUsers, e))?;
    Ok(DeletedUser { user })
}

/// What Revoke Sessions did: Graph's "are all sessions revoked?".
#[derive(Debug, Clone, PartialEq)]
pub struct RevokedSessions {
    pub user: User,
    pub all: bool,
}

impl RevokedSessions {
    pub fn summary(&self) -> String {
        let name = name_of(&self.user);
        if self.all {
            format!("Every session of {name} was revoked: apps must sign in again within a few minutes.")
        } else {
            format!(
                "Microsoft Graph accepted the request for {name} but did not confirm that every session was revoked."
            )
        }
    }
}

/// Why a person's sessions cannot be revoked here (a guest signs in at home), if so. Needs `userType`.
pub fn revoke_refusal(user: &User) -> Option<String> {
    (user.user_type == Some(msgraph::UserType::Guest)).then(|| format!("{} is a guest: guests sign in through their own organisation, so their sessions cannot be revoked here. Disable the account or remove the guest instead.", name_of(user)))
}

/// Revoke User Sign-In Sessions (1.23). Guests sign in at home, so their sessions are not revoked
/// here: refused with an explanation.
pub async fn revoke_sessions(client: &Client, key: &str) -> Result<RevokedSessions, Error> {
    let user = find(
        client,
        "user",
        key,
        &["id", "displayName", "userPrincipalName", "userType"],
    )
    .await?;
    if let Some(why) = revoke_refusal(&user) {
        return Err(Error::invalid("user", why));
    }
    let all = client
        .users()
        .revoke_sign_in_sessions(&UserRef::Id(user.id.clone()))
        .await
        .map_err(|e| explain(Action::RevokeSessions, e))?;
    Ok(RevokedSessions { user, all })
}

const MANAGER_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "givenName",
    "surname",
    "mail",
    "userPrincipalName",
    "businessPhones",
    "mobilePhone",
    "jobTitle",
    "officeLocation",
    "department",
];

/// Read User Manager (1.19). `None` when the person has no manager.
pub async fn manager(client: &Client, key: &str) -> Result<Option<DirectoryObject>, Error> {
    let user = find(client, "user", key, NAME).await?;
    client
        .users()
        .manager(&UserRef::Id(user.id), MANAGER_PROPERTIES)
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))
}

/// What Assign User Manager or removing a manager did.
#[derive(Debug, Clone, PartialEq)]
pub struct ManagerChange {
    pub user: User,
    /// The new manager; `None` when the manager was removed.
    pub manager: Option<User>,
    /// `false`: nothing to do (removing a manager from someone who had none).
    pub changed: bool,
}

impl ManagerChange {
    pub fn summary(&self) -> String {
        let name = name_of(&self.user);
        match (&self.manager, self.changed) {
            (Some(m), _) => format!("{} is now {name}'s manager.", name_of(m)),
            (None, true) => format!("{name}'s manager was removed."),
            (None, false) => format!("{name} had no manager; nothing was changed."),
        }
    }
}

/// Assign User Manager (1.4): replaces any previous manager. Both people are looked up first; a
/// person cannot manage themselves.
pub async fn set_manager(client: &Client, key: &str, manager_key: &str) -> Result<ManagerChange, Error> {
    let user = find(client, "user", key, NAME).await?;
    let manager = find(client, "manager", manager_key, NAME).await?;
    if user.id == manager.id {
        return Err(Error::invalid(
            "manager",
            format!("{} cannot be their own manager.", name_of(&user)),
        ));
    }
    client
        .users()
        .set_manager(&UserRef::Id(user.id.clone()), &DirectoryObjectId::from(&manager.id))
        .await
        .map_err(|e| explain(Action::ManageUsers, e))?;
    Ok(ManagerChange {
        user,
        manager: Some(manager),
        changed: true,
    })
}

/// Removes the person's manager (nothing to do when they had none).
pub async fn remove_manager(client: &Client, key: &str) -> Result<ManagerChange, Error> {
    let user = find(client, "user", key, NAME).await?;
    let changed = match client.users().remove_manager(&UserRef::Id(user.id.clone())).await {
        Ok(()) => true,
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => return Err(explain(Action::ManageUsers, e)),
    };
    Ok(ManagerChange {
        user,
        manager: None,
        changed,
    })
}

/// The groups the person is a direct member of.
pub async fn groups(client: &Client, key: &str) -> Result<Vec<Group>, Error> {
    let user = find(client, "user", key, NAME).await?;
    let objects = client
        .users()
        .member_of(
            &UserRef::Id(user.id),
            ListQuery::new()
                .select(&[
                    "id",
                    "displayName",
                    "description",
                    "mail",
                    "mailEnabled",
                    "securityEnabled",
                    "groupTypes",
                ])
                .top(999),
        )
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    Ok(objects
        .into_iter()
        .filter(DirectoryObject::is_group)
        .map(Group::from)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_password_passes_the_sign_in_rules_and_is_new_each_time() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let p = temporary_password("kim");
            assert_eq!(p.chars().count(), 16);
            assert!(validate::password("password", &p, "kim").is_ok(), "{p}");
            assert!(!p.to_lowercase().contains("kim"), "{p}");
            for set in [
                "ABCDEFGHJKLMNPQRSTUVWXYZ",
                "abcdefghijkmnpqrstuvwxyz",
                "23456789",
                "!#$%&*+-=?@^_",
            ] {
                assert!(p.chars().any(|c| set.contains(c)), "{p} lacks one of {set}");
            }
            assert!(seen.insert(p), "a password came twice");
        }
    }
}

//! Groups and membership: find (by id, name or mail nickname), list, search, read, create,
//! update, delete, members (list, search, add several, remove). Cards 1.1, 1.7, 1.10, 1.17,
//! 1.22, 1.25, 1.26, 1.29.

use msgraph::{
    Client, DirectoryObject, DirectoryObjectId, ErrorKind, Filter, Group, GroupId, GroupMailSetting, GroupUpdate,
    GroupVisibility, ListQuery, NewGroup, NewGroupType, Search, User, UserRef, MAX_BIND,
};

use serde::{Deserialize, Serialize};

use crate::explain::{explain, graph_says, hint, is_already_exists, Action, Cause};
use crate::membership_rule;
use crate::search::{PropertyKind, SearchInput};
use crate::users;
use crate::validate;
use crate::Error;

/// The properties the Groups table shows.
pub const LIST_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "description",
    "mail",
    "mailNickname",
    "mailEnabled",
    "securityEnabled",
    "groupTypes",
    "visibility",
    "createdDateTime",
    "membershipRule",
    "onPremisesSyncEnabled",
];

/// What "Read Group" shows (cards.md §1.17), without the Exchange-backed settings.
pub const DETAIL_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "description",
    "mail",
    "mailNickname",
    "mailEnabled",
    "securityEnabled",
    "groupTypes",
    "visibility",
    "classification",
    "createdDateTime",
    "renewedDateTime",
    "expirationDateTime",
    "membershipRule",
    "membershipRuleProcessingState",
    "isAssignableToRole",
    "onPremisesSyncEnabled",
    "preferredDataLocation",
    "proxyAddresses",
    "assignedLicenses",
    "preferredLanguage",
    "securityIdentifier",
    "resourceProvisioningOptions",
];

/// The properties member lists show.
pub const MEMBER_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "jobTitle",
    "department",
];

/// Finds the group `key` names: an object id, or exactly one group whose display name, mail
/// nickname or email address is `key`. Several groups with that name → the person picks by id.
pub async fn find(client: &Client, field: &'static str, key: &str, select: &[&str]) -> Result<Group, Error> {
    let key = key.trim();
    if key.is_empty() {
        return Err(Error::invalid(field, "Choose a group (its name or id)."));
    }
    if validate::is_guid(key) {
        return match client.groups().get(&GroupId::new(key), select).await {
            Ok(g) => Ok(g),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                Err(Error::invalid(field, format!("No group has the id {key}.")))
            }
            Err(e) => Err(explain(Action::ReadDirectory, e)),
        };
    }
    let f = Filter::eq("displayName", key)
        .or(Filter::eq("mailNickname", key))
        .or(Filter::eq("mail", key));
    let found = client
        .groups()
        .list(ListQuery::new().filter(f).select(select).top(3))
        .take(3)
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    match found.len() {
        0 => Err(Error::invalid(field, format!("No group is called {key}."))),
        1 => Ok(found.into_iter().next().expect("one element")),
        n => Err(Error::invalid(
            field,
            format!("{n} groups are called {key}. Choose the group from the list (or use its id)."),
        )),
    }
}

/// A group's name for messages.
pub fn name_of(g: &Group) -> String {
    g.display_name.clone().unwrap_or_else(|| g.id.to_string())
}

/// Every group of the tenant, with the Groups table's properties.
pub async fn list_all(client: &Client) -> Result<Vec<Group>, Error> {
    client
        .groups()
        .list(ListQuery::new().select(LIST_PROPERTIES).top(999))
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))
}

const GROUP_SEARCH_PROPERTIES: &[(&str, PropertyKind)] = &[
    ("displayName", PropertyKind::Text),
    ("mail", PropertyKind::Text),
    ("mailNickname", PropertyKind::Text),
    ("proxyAddresses", PropertyKind::List),
    (
        "groupTypes",
        PropertyKind::ChoiceList(&["Unified", "DynamicMembership"]),
    ),
    ("mailEnabled", PropertyKind::Bool),
    ("securityEnabled", PropertyKind::Bool),
];

/// The properties Search Groups accepts in criteria.
pub fn search_properties() -> Vec<&'static str> {
    GROUP_SEARCH_PROPERTIES.iter().map(|(p, _)| *p).collect()
}

/// Search Groups (1.25): exact or starts-with criteria and/or words in the name or description.
pub async fn search(client: &Client, input: &SearchInput) -> Result<Vec<Group>, Error> {
    let query =
        crate::search::build(input, GROUP_SEARCH_PROPERTIES, &["displayName", "description"])?.select(LIST_PROPERTIES);
    let limit = if input.first_only { 1 } else { users::MAX_SEARCH_RESULTS };
    client
        .groups()
        .list(query)
        .take(limit)
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))
}

/// Read Group (1.17): the group, and for Microsoft 365 groups its Exchange-backed mail settings
/// (read in a second request; `None` when they cannot be read, which does not fail the read).
pub async fn get(client: &Client, key: &str) -> Result<(Group, Option<Group>), Error> {
    let group = find(client, "group", key, DETAIL_PROPERTIES).await?;
    let mail = if group.is_unified() {
        match client.groups().get_mail_settings(&group.id).await {
            Ok(m) => Some(m),
            Err(e) => {
                tracing::info!(error = %e, "group mail settings not readable");
                None
            }
        }
    } else {
        None
    };
    Ok((group, mail))
}

/// The Create Group form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGroupInput {
    pub group_type: NewGroupType,
    pub display_name: String,
    /// Empty: made from the display name.
    pub mail_nickname: String,
    pub description: Option<String>,
    pub visibility: Option<GroupVisibility>,
    /// People (id, sign-in name or email).
    pub owners: Vec<String>,
    /// People or groups (id, sign-in name or email; group ids).
    pub members: Vec<String>,
    /// Microsoft Entra roles can be given to the group (chosen only at creation; not dynamic,
    /// always private, security-enabled).
    pub is_assignable_to_role: bool,
}

/// A created group and how many members were added after the create call.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedGroup {
    pub group: Group,
    pub members_added_afterwards: usize,
}

impl CreatedGroup {
    pub fn summary(&self) -> String {
        format!("The group {} was created.", name_of(&self.group))
    }
}

/// A mail nickname made from a display name ("Sales Team (EU)" → "SalesTeamEU").
pub fn nickname_from_name(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect()
}

/// Create Group (1.7). Checked first: display name, mail nickname (made from the name when empty),
/// the membership rule of dynamic groups (which cannot have members added by hand), hidden
/// membership only for Microsoft 365 groups, at most 20 owners. Then owners and members are looked
/// up (people by id, sign-in name or email; Microsoft 365 groups take only people), and the mail
/// nickname is checked to be free. Graph takes at most 20 owners and members in the create call:
/// the rest are added straight afterwards, 20 per request.
pub async fn create(client: &Client, input: &NewGroupInput) -> Result<CreatedGroup, Error> {
    let checked = checked_new_group(input)?;
    let owner_ids = owner_ids(client, &checked.owners).await?;
    let mut member_ids = member_ids(client, &checked.members, checked.unified).await?;
    refuse_taken_nickname(client, &checked.nickname).await?;
    let (display_name, nickname) = (checked.display_name, checked.nickname);
    let room = MAX_BIND - owner_ids.len();
    let later = member_ids.split_off(room.min(member_ids.len()));
    let mut new = NewGroup::new(input.group_type.clone(), display_name, nickname);
    new.description = validate::optional(input.description.as_deref());
    new.visibility = input.visibility.clone();
    new.owners = owner_ids;
    new.members = member_ids;
    if input.is_assignable_to_role {
        new.is_assignable_to_role = Some(true);
        new.visibility = Some(GroupVisibility::Private);
    }
    let group = client.groups().create(&new).await.map_err(|e| {
        if graph_says(&e, Cause::TakenMailNickname) || graph_says(&e, Cause::TakenProxyAddresses) {
            hint(
                e,
                "This mail nickname is already used in your organisation. Choose another one.",
            )
        } else {
            explain(Action::ManageGroups, e)
        }
    })?;
    for chunk in later.chunks(MAX_BIND) {
        client.groups().add_members(&group.id, chunk).await.map_err(|e| {
            hint(
                e,
                format!(
                    "The group {} was created, but adding the remaining members failed. Add them from the group's Members page.",
                    name_of(&group)
                ),
            )
        })?;
    }
    Ok(CreatedGroup {
        group,
        members_added_afterwards: later.len(),
    })
}

/// A Create Group form whose fields passed the checks made before anything is sent.
struct CheckedGroup<'a> {
    display_name: String,
    nickname: String,
    /// A Microsoft 365 group (takes only people as members).
    unified: bool,
    owners: Vec<&'a String>,
    members: Vec<&'a String>,
}

/// The checks of `create` made without Graph, in its order.
fn checked_new_group(input: &NewGroupInput) -> Result<CheckedGroup<'_>, Error> {
    let display_name = validate::required("displayName", "group name", &input.display_name, 256)?;
    let nickname = if input.mail_nickname.trim().is_empty() {
        nickname_from_name(&display_name)
    } else {
        input.mail_nickname.clone()
    };
    let nickname = validate::mail_nickname("mailNickname", &nickname, false)?;
    let (unified, dynamic) = match &input.group_type {
        NewGroupType::Microsoft365 => (true, false),
        NewGroupType::Security => (false, false),
        NewGroupType::Microsoft365Dynamic { membership_rule } | NewGroupType::SecurityDynamic { membership_rule } => {
            let unified = matches!(input.group_type, NewGroupType::Microsoft365Dynamic { .. });
            if membership_rule::check(membership_rule)?.devices && unified {
                return Err(Error::invalid(
                    membership_rule::FIELD,
                    "Microsoft 365 groups can only contain people: write a rule about user.… properties, or create a security group for devices.",
                ));
            }
            (unified, true)
        }
    };
    check_role_assignable(input, dynamic)?;
    let members: Vec<&String> = input.members.iter().filter(|m| !m.trim().is_empty()).collect();
    let owners: Vec<&String> = input.owners.iter().filter(|m| !m.trim().is_empty()).collect();
    if dynamic && !members.is_empty() {
        return Err(Error::invalid(
            "members",
            "A dynamic group gets its members from its rule; leave Members empty.",
        ));
    }
    if input.visibility == Some(GroupVisibility::HiddenMembership) && !unified {
        return Err(Error::invalid(
            "visibility",
            "Hidden membership is only available for Microsoft 365 groups.",
        ));
    }
    if owners.len() > MAX_BIND {
        return Err(Error::invalid(
            "owners",
            format!("A new group can have at most {MAX_BIND} owners."),
        ));
    }
    Ok(CheckedGroup {
        display_name,
        nickname,
        unified,
        owners,
        members,
    })
}

/// A group that can hold Microsoft Entra roles: not dynamic, never public or hidden (Graph's
/// rules for `isAssignableToRole`: security-enabled, private, no membership rule).
fn check_role_assignable(input: &NewGroupInput, dynamic: bool) -> Result<(), Error> {
    if !input.is_assignable_to_role {
        return Ok(());
    }
    if dynamic {
        return Err(Error::invalid(
            "isAssignableToRole",
            "A group that can be given roles can't have dynamic membership: its members must be chosen by hand, so nobody gets a role through a rule.",
        ));
    }
    if matches!(
        input.visibility,
        Some(GroupVisibility::Public) | Some(GroupVisibility::HiddenMembership)
    ) {
        return Err(Error::invalid(
            "visibility",
            "A group that can be given roles is always private. Choose Private.",
        ));
    }
    Ok(())
}

/// The owners, looked up (people by id, sign-in name or email), each once.
async fn owner_ids(client: &Client, owners: &[&String]) -> Result<Vec<msgraph::UserId>, Error> {
    let mut owner_ids = Vec::new();
    for o in owners {
        let id = users::find(client, "owners", o, &["id"]).await?.id;
        if !owner_ids.contains(&id) {
            owner_ids.push(id);
        }
    }
    Ok(owner_ids)
}

/// The members, looked up (Microsoft 365 groups take only people), each once.
async fn member_ids(client: &Client, members: &[&String], unified: bool) -> Result<Vec<DirectoryObjectId>, Error> {
    let mut member_ids = Vec::new();
    for m in members {
        let member = find_member(client, "members", m, unified).await?;
        if !member_ids.contains(&member.id) {
            member_ids.push(member.id);
        }
    }
    Ok(member_ids)
}

/// A new group's mail nickname must be free.
async fn refuse_taken_nickname(client: &Client, nickname: &str) -> Result<(), Error> {
    let taken = client
        .groups()
        .list(
            ListQuery::new()
                .filter(Filter::eq("mailNickname", nickname))
                .select(&["id", "displayName"])
                .top(1),
        )
        .first()
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    if let Some(g) = taken {
        return Err(Error::invalid(
            "mailNickname",
            format!(
                "The group {} already uses the mail nickname {nickname}. Choose another one.",
                name_of(&g)
            ),
        ));
    }
    Ok(())
}

/// The Update Group form: core properties in one PATCH; each mail setting in its own PATCH, as
/// Graph requires (Microsoft 365 groups only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupChanges {
    pub core: GroupUpdate,
    pub allow_external_senders: Option<bool>,
    pub auto_subscribe_new_members: Option<bool>,
    pub hide_from_address_lists: Option<bool>,
    pub hide_from_outlook_clients: Option<bool>,
}

/// Update Group (1.29). Checked first: display name not empty, mail nickname rules, hidden
/// membership refused (it can only be chosen at creation), mail settings only on Microsoft 365
/// groups. Returns the group as it is now.
pub async fn update(client: &Client, key: &str, changes: &GroupChanges) -> Result<(Group, Option<Group>), Error> {
    let mut core = changes.core.clone();
    if let Some(n) = &core.display_name {
        core.display_name = Some(validate::required("displayName", "group name", n, 256)?);
    }
    if let Some(n) = &core.mail_nickname {
        core.mail_nickname = Some(validate::mail_nickname("mailNickname", n, false)?);
    }
    if core.visibility == Some(GroupVisibility::HiddenMembership) {
        return Err(Error::invalid(
            "visibility",
            "Hidden membership can only be chosen when a group is created. Choose Public or Private.",
        ));
    }
    let settings: Vec<GroupMailSetting> = [
        changes
            .allow_external_senders
            .map(GroupMailSetting::AllowExternalSenders),
        changes
            .auto_subscribe_new_members
            .map(GroupMailSetting::AutoSubscribeNewMembers),
        changes
            .hide_from_address_lists
            .map(GroupMailSetting::HideFromAddressLists),
        changes
            .hide_from_outlook_clients
            .map(GroupMailSetting::HideFromOutlookClients),
    ]
    .into_iter()
    .flatten()
    .collect();
    if core.is_empty() && settings.is_empty() {
        return Err(Error::Invalid {
            field: None,
            message: "Nothing was changed, so nothing was sent.".into(),
        });
    }
    let group = find(client, "group", key, &["id", "displayName", "groupTypes"]).await?;
    if !settings.is_empty() && !group.is_unified() {
        return Err(Error::invalid(
            "allowExternalSenders",
            format!(
                "{} is not a Microsoft 365 group, so it has no mail settings.",
                name_of(&group)
            ),
        ));
    }
    if !core.is_empty() {
        client
            .groups()
            .update(&group.id, &core)
            .await
            .map_err(|e| explain(Action::ManageGroups, e))?;
    }
    for s in settings {
        client.groups().set_mail_setting(&group.id, s).await.map_err(|e| {
            if graph_says(&e, Cause::SubscriptionsOff) {
                hint(e, "New members cannot be subscribed automatically because subscriptions are turned off for this group.")
            } else {
                explain(Action::ManageGroups, e)
            }
        })?;
    }
    get(client, group.id.as_str()).await
}

/// A deleted group, and whether it can be restored (Microsoft 365 groups: 30 days; security
/// groups and distribution lists may be gone for good, cards.md §0.8).
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedGroup {
    pub group: Group,
    pub restorable: bool,
}

impl DeletedGroup {
    pub fn summary(&self) -> String {
        let name = name_of(&self.group);
        if self.restorable {
            format!("The group {name} was deleted. It can be restored for 30 days.")
        } else {
            format!("The group {name} was deleted. Security groups cannot always be restored.")
        }
    }
}

/// Delete Group (1.10).
pub async fn delete(client: &Client, key: &str) -> Result<DeletedGroup, Error> {
    let group = find(
        client,
        "group",
        key,
        &["id", "displayName", "groupTypes", "mailEnabled", "securityEnabled"],
    )
    .await?;
    client
        .groups()
        .delete(&group.id)
        .await
        .map_err(|e| explain(Action::ManageGroups, e))?;
    Ok(DeletedGroup {
        restorable: group.is_unified(),
        group,
    })
}

/// A member (or would-be member) of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: DirectoryObjectId,
    pub name: String,
    pub is_group: bool,
}

impl Member {
    fn of_user(u: &User) -> Member {
        Member {
            id: DirectoryObjectId::from(&u.id),
            name: users::name_of(u),
            is_group: false,
        }
    }
}

/// A person by id, sign-in name or email — or, by id, a group (not into a Microsoft 365 group).
async fn find_member(client: &Client, field: &'static str, key: &str, into_unified: bool) -> Result<Member, Error> {
    let key = key.trim();
    if validate::is_guid(key) {
        match client
            .users()
            .get(&UserRef::parse(key), &["id", "displayName", "userPrincipalName"])
            .await
        {
            Ok(u) => return Ok(Member::of_user(&u)),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(explain(Action::ReadDirectory, e)),
        }
        return match client.groups().get(&GroupId::new(key), &["id", "displayName"]).await {
            Ok(g) if into_unified => Err(Error::invalid(
                field,
                format!(
                    "{} is a group. Microsoft 365 groups can only contain people.",
                    name_of(&g)
                ),
            )),
            Ok(g) => Ok(Member {
                id: DirectoryObjectId::from(&g.id),
                name: name_of(&g),
                is_group: true,
            }),
            Err(e) if e.kind() == ErrorKind::NotFound => {
                Err(Error::invalid(field, format!("No person or group has the id {key}.")))
            }
            Err(e) => Err(explain(Action::ReadDirectory, e)),
        };
    }
    Ok(Member::of_user(
        &users::find(client, field, key, &["id", "displayName", "userPrincipalName"]).await?,
    ))
}

/// The members of a group (direct), or — with `search` — the people among them whose name or
/// email address matches the words (Search Group Members 1.26).
pub async fn members(client: &Client, key: &str, search: Option<&str>) -> Result<Vec<DirectoryObject>, Error> {
    let group = find(client, "group", key, &["id"]).await?;
    match search.map(str::trim).filter(|s| !s.is_empty()) {
        None => client
            .groups()
            .members(&group.id, ListQuery::new().select(MEMBER_PROPERTIES).top(999))
            .collect_all()
            .await
            .map_err(|e| explain(Action::ReadDirectory, e)),
        Some(text) => {
            let s = Search::term("displayName", text)
                .or(Search::term("mail", text))
                .or(Search::term("userPrincipalName", text));
            let users = client
                .groups()
                .member_users(
                    &group.id,
                    ListQuery::new()
                        .search(s)
                        .count(true)
                        .select(MEMBER_PROPERTIES)
                        .top(999),
                )
                .take(users::MAX_SEARCH_RESULTS)
                .await
                .map_err(|e| explain(Action::ReadDirectory, e))?;
            Ok(users.into_iter().map(user_object).collect())
        }
    }
}

/// Whom Search Group Members looks at (1.26).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Relation {
    Members,
    Owners,
    Both,
}

/// Search Group Members' form: words (none: everyone), members and/or owners, and whether
/// members of the groups inside the group count (`transitiveMembers`; owners are always direct).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MemberSearch {
    #[serde(default)]
    pub text: Option<String>,
    pub relation: Relation,
    #[serde(default)]
    pub nested: bool,
}

/// Someone Search Group Members found, and how they belong to the group.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundMember {
    pub object: DirectoryObject,
    pub member: bool,
    pub owner: bool,
    /// A member only through a group inside the group.
    pub nested: bool,
}

/// Whether every word of `text` starts a word of the name, sign-in name or email address (words
/// split at spaces, `@`, `.`, `_` and `-`; case ignored).
fn matches_words(o: &DirectoryObject, text: &str) -> bool {
    fn words(v: &str) -> impl Iterator<Item = String> + '_ {
        v.split(|c: char| c.is_whitespace() || matches!(c, '@' | '.' | '_' | '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
    }
    let known: Vec<String> = [&o.display_name, &o.user_principal_name, &o.mail]
        .into_iter()
        .flatten()
        .flat_map(|v| words(v))
        .collect();
    words(text).all(|t| known.iter().any(|w| w.starts_with(&t)))
}

/// Search Group Members (1.26): the group's members (direct, or with `nested` also the members
/// of the groups inside it: `GET /groups/{id}/transitiveMembers`), its owners, or both, each
/// page followed; with words, only those whose name or address matches them. By name.
pub async fn search_members(client: &Client, key: &str, search: &MemberSearch) -> Result<Vec<FoundMember>, Error> {
    let group = find(client, "group", key, &["id"]).await?;
    let read = |e| explain(Action::ReadDirectory, e);
    let query = || ListQuery::new().select(MEMBER_PROPERTIES).top(999);
    let mut found: Vec<FoundMember> = Vec::new();
    if search.relation != Relation::Owners {
        let direct = client
            .groups()
            .members(&group.id, query())
            .collect_all()
            .await
            .map_err(read)?;
        let nested = match search.nested {
            true => client
                .groups()
                .transitive_members(&group.id, query())
                .collect_all()
                .await
                .map_err(read)?
                .into_iter()
                .filter(|o| !direct.iter().any(|d| d.id == o.id))
                .collect(),
            false => Vec::new(),
        };
        for (objects, nested) in [(direct, false), (nested, true)] {
            found.extend(objects.into_iter().map(|object| FoundMember {
                object,
                member: true,
                owner: false,
                nested,
            }));
        }
    }
    if search.relation != Relation::Members {
        for object in client
            .groups()
            .owners(&group.id, query())
            .collect_all()
            .await
            .map_err(read)?
        {
            match found.iter_mut().find(|f| f.object.id == object.id) {
                Some(f) => f.owner = true,
                None => found.push(FoundMember {
                    object,
                    member: false,
                    owner: true,
                    nested: false,
                }),
            }
        }
    }
    if let Some(text) = search.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        found.retain(|f| matches_words(&f.object, text));
    }
    found.sort_by_key(|f| {
        f.object
            .display_name
            .clone()
            .or_else(|| f.object.user_principal_name.clone())
            .unwrap_or_else(|| f.object.id.to_string())
            .to_lowercase()
    });
    Ok(found)
}

fn user_object(u: User) -> DirectoryObject {
    DirectoryObject {
        id: DirectoryObjectId::from(&u.id),
        odata_type: Some("#microsoft.graph.user".into()),
        display_name: u.display_name,
        description: None,
        mail: u.mail,
        user_principal_name: u.user_principal_name,
        given_name: u.given_name,
        surname: u.surname,
        job_title: u.job_title,
        department: u.department,
        office_location: u.office_location,
        mobile_phone: u.mobile_phone,
        business_phones: u.business_phones,
        account_enabled: u.account_enabled,
        mail_enabled: None,
        security_enabled: None,
        group_types: Vec::new(),
        role_template_id: None,
    }
}

/// What Add Members did: who was added and who already was a member (not an error, as in Okta).
#[derive(Debug, Clone, PartialEq)]
pub struct AddMembersOutcome {
    pub group: Group,
    pub added: Vec<Member>,
    pub already_members: Vec<Member>,
}

impl AddMembersOutcome {
    /// "Adele Vance was added to Sales. Alex Wilber is already a member of Sales."
    pub fn summary(&self) -> String {
        let g = name_of(&self.group);
        let names = |m: &[Member]| m.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        match self.added.len() {
            0 => {}
            1 => parts.push(format!("{} was added to {g}.", names(&self.added))),
            n if n <= 5 => parts.push(format!("{} were added to {g}.", names(&self.added))),
            n => parts.push(format!("{n} members were added to {g}.")),
        }
        match self.already_members.len() {
            0 => {}
            1 => parts.push(format!("{} is already a member of {g}.", names(&self.already_members))),
            n if n <= 5 => parts.push(format!("{} are already members of {g}.", names(&self.already_members))),
            n => parts.push(format!("{n} were already members of {g}.")),
        }
        parts.join(" ")
    }
}

/// Refuses a group whose members cannot be changed by hand (dynamic, or synced from on-premises),
/// with the reason in plain words. Add/Remove Member and bulk jobs ask it.
pub fn check_membership_editable(field: &'static str, group: &Group) -> Result<(), Error> {
    if group.is_dynamic() {
        return Err(Error::invalid(
            field,
            format!(
                "{}'s members are set by its rule (dynamic membership), so they cannot be changed by hand.",
                name_of(group)
            ),
        ));
    }
    if group.on_premises_sync_enabled == Some(true) {
        return Err(Error::invalid(
            field,
            format!("{} comes from your on-premises Active Directory: change its members there (a change here would be overwritten by the next sync).", name_of(group)),
        ));
    }
    Ok(())
}

/// Add User to Group (1.1), for several people at once. Checked first: at least one member, the
/// group's membership is editable (not dynamic, not synced), every member exists (people by id,
/// sign-in name or email; groups by id, not into Microsoft 365 groups). Then added 20 per request;
/// someone who already is a member is reported, not treated as a failure.
pub async fn add_members(client: &Client, group_key: &str, member_keys: &[String]) -> Result<AddMembersOutcome, Error> {
    let keys: Vec<&String> = member_keys.iter().filter(|k| !k.trim().is_empty()).collect();
    if keys.is_empty() {
        return Err(Error::invalid("members", "Choose at least one person to add."));
    }
    let group = find(
        client,
        "group",
        group_key,
        &["id", "displayName", "groupTypes", "onPremisesSyncEnabled"],
    )
    .await?;
    check_membership_editable("group", &group)?;
    let unified = group.is_unified();
    let mut wanted: Vec<Member> = Vec::new();
    for k in keys {
        let m = find_member(client, "members", k, unified).await?;
        if !wanted.iter().any(|w| w.id == m.id) {
            wanted.push(m);
        }
    }
    let mut outcome = AddMembersOutcome {
        group,
        added: Vec::new(),
        already_members: Vec::new(),
    };
    for chunk in wanted.chunks(MAX_BIND) {
        let ids: Vec<DirectoryObjectId> = chunk.iter().map(|m| m.id.clone()).collect();
        let result = if ids.len() == 1 {
            client.groups().add_member(&outcome.group.id, &ids[0]).await
        } else {
            client.groups().add_members(&outcome.group.id, &ids).await
        };
        match result {
            Ok(()) => outcome.added.extend(chunk.iter().cloned()),
            // All or nothing: someone in this chunk is already a member. Add them one by one.
            Err(e) if is_already_exists(&e) => {
                for m in chunk {
                    match client.groups().add_member(&outcome.group.id, &m.id).await {
                        Ok(()) => outcome.added.push(m.clone()),
                        Err(e) if is_already_exists(&e) => outcome.already_members.push(m.clone()),
                        Err(e) => return Err(partial(e, &outcome)),
                    }
                }
            }
            Err(e) => return Err(partial(e, &outcome)),
        }
    }
    Ok(outcome)
}

fn partial(e: msgraph::Error, so_far: &AddMembersOutcome) -> Error {
    let done = if so_far.added.is_empty() {
        String::new()
    } else {
        format!(" {}", so_far.summary())
    };
    match explain(Action::ManageMembership, e) {
        Error::Explained { hint: h, graph } => hint(graph, format!("{h}{done}")),
        Error::Graph(g) if !done.is_empty() => hint(g, format!("Adding members stopped.{done}")),
        other => other,
    }
}

/// What Remove Member did.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoveMemberOutcome {
    pub group: Group,
    pub member: Member,
    /// `false`: they were not a member (nothing to do; not an error).
    pub was_member: bool,
}

impl RemoveMemberOutcome {
    pub fn summary(&self) -> String {
        let g = name_of(&self.group);
        if self.was_member {
            format!("{} was removed from {g}.", self.member.name)
        } else {
            format!("{} was not a member of {g}; nothing was changed.", self.member.name)
        }
    }
}

/// Remove User from Group (1.22). Always removes only the membership (`/$ref`), never the person.
pub async fn remove_member(client: &Client, group_key: &str, member_key: &str) -> Result<RemoveMemberOutcome, Error> {
    let group = find(
        client,
        "group",
        group_key,
        &["id", "displayName", "groupTypes", "onPremisesSyncEnabled"],
    )
    .await?;
    check_membership_editable("group", &group)?;
    let member = find_member(client, "member", member_key, false).await?;
    let was_member = match client.groups().remove_member(&group.id, &member.id).await {
        Ok(()) => true,
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) => return Err(explain(Action::ManageMembership, e)),
    };
    Ok(RemoveMemberOutcome {
        group,
        member,
        was_member,
    })
}

/// What Add Owner / Remove Owner did.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnerChange {
    pub group: Group,
    pub owner: Member,
    /// `true`: Add Owner; `false`: Remove Owner.
    pub added: bool,
    /// `false`: they already were (or were not) an owner; nothing was changed.
    pub changed: bool,
}

impl OwnerChange {
    pub fn summary(&self) -> String {
        let (g, who) = (name_of(&self.group), &self.owner.name);
        match (self.added, self.changed) {
            (true, true) => format!("{who} is now an owner of {g}."),
            (true, false) => format!("{who} already is an owner of {g}; nothing was changed."),
            (false, true) => format!("{who} is no longer an owner of {g}."),
            (false, false) => format!("{who} was not an owner of {g}; nothing was changed."),
        }
    }
}

/// Why Microsoft refuses to remove a group's last owner, in plain words.
pub fn last_owner_rule(owner: &str, group: &str) -> String {
    format!("{owner} is the only owner of {group}. Microsoft keeps at least one owner on a group that has owners, so that someone other than administrators can manage it: add another owner first, then remove {owner}.")
}

/// Add an owner to a group (a person, by id, sign-in name or email). An owner manages the group
/// and its members; being an owner does not make them a member.
pub async fn add_owner(client: &Client, group_key: &str, owner_key: &str) -> Result<OwnerChange, Error> {
    let group = find(client, "group", group_key, &["id", "displayName"]).await?;
    let owner =
        Member::of_user(&users::find(client, "owner", owner_key, &["id", "displayName", "userPrincipalName"]).await?);
    let changed = match client.groups().add_owner(&group.id, &owner.id).await {
        Ok(()) => true,
        Err(e) if is_already_exists(&e) => false,
        Err(e) => return Err(explain(Action::ManageGroups, e)),
    };
    Ok(OwnerChange {
        group,
        owner,
        added: true,
        changed,
    })
}

/// Remove an owner (only the ownership, never the person). Checked first: they are an owner, and
/// not the group's only owner that is a person (Graph's rule: a group that has owners keeps one).
pub async fn remove_owner(client: &Client, group_key: &str, owner_key: &str) -> Result<OwnerChange, Error> {
    let group = find(client, "group", group_key, &["id", "displayName"]).await?;
    let owner = find_member(client, "owner", owner_key, false).await?;
    let owners = client
        .groups()
        .owners(&group.id, ListQuery::new().select(&["id", "displayName"]).top(999))
        .collect_all()
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    let unchanged = |owner| OwnerChange {
        group: group.clone(),
        owner,
        added: false,
        changed: false,
    };
    if !owners.iter().any(|o| o.id == owner.id) {
        return Ok(unchanged(owner));
    }
    let people = owners
        .iter()
        .filter(|o| o.odata_type.as_deref().is_none_or(|t| t == "#microsoft.graph.user"))
        .count();
    if people <= 1 && !owner.is_group {
        return Err(Error::invalid("owners", last_owner_rule(&owner.name, &name_of(&group))));
    }
    match client.groups().remove_owner(&group.id, &owner.id).await {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(unchanged(owner)),
        Err(e) if graph_says(&e, Cause::LastOwner) => {
            return Err(hint(e, last_owner_rule(&owner.name, &name_of(&group))))
        }
        Err(e) => return Err(explain(Action::ManageGroups, e)),
    }
    Ok(OwnerChange {
        group,
        owner,
        added: false,
        changed: true,
    })
}

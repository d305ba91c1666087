//! The preview: what a job would change, row by row, with each row's pre-flight answer read from
//! Graph (the group's members, each person's sign-in and licences, the licence's free seats).
//! Nothing is sent but reads: the objects are read 20 per `$batch`.

use std::collections::{HashMap, HashSet};

use directory::explain::{explain, Action};
use directory::licenses::{self, License};
use directory::{groups, users, validate, Error};
use msgraph::{BatchRequest, Client, DeletedObject, DirectoryObject, Group, HttpMethod, ListQuery, User};
use serde::de::DeserializeOwned;

use crate::model::{AppliedChange, ChangeKind, JobKind, JobRow, RowCheck, RowStatus};

/// A job's preview: its title and one row per object.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub kind: JobKind,
    pub title: String,
    pub rows: Vec<JobRow>,
}

/// What the rows are checked against.
enum Target {
    Group {
        group: Box<Group>,
        /// Why its members cannot be changed by hand (dynamic, synced), if so.
        refused: Option<String>,
        /// Its members by lower-case id, as Graph lists them (people, groups, devices).
        members: HashMap<String, DirectoryObject>,
    },
    Licence {
        licence: Box<License>,
        disabled: Vec<String>,
        /// Set first for people who have none (checked: two letters).
        usage_location: Option<String>,
        /// Seats still free for the rows checked so far.
        free: i64,
    },
    People,
    Deleted,
    Groups,
}

const USER_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "userType",
    "accountEnabled",
    "usageLocation",
    "assignedLicenses",
    "licenseAssignmentStates",
];

/// The preview of `kind` over `object_ids` (people's ids; deleted items' ids for `Restore`), in
/// the order given, each id once. A problem with the job as a whole (no rows, the group or
/// licence not found, a plan that is not the licence's) is an error; a problem with one row is that
/// row's answer.
pub async fn plan(client: &Client, kind: &JobKind, object_ids: &[String]) -> Result<Planned, Error> {
    let mut seen = HashSet::new();
    let ids: Vec<String> = object_ids
        .iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty() && seen.insert(i.to_ascii_lowercase()))
        .collect();
    if ids.is_empty() {
        return Err(Error::invalid("rows", "Choose at least one row."));
    }
    let mut target = read_target(client, kind).await?;
    let title = title(kind, &target);
    let rows = check_rows(client, kind, &mut target, &ids).await?;
    Ok(Planned {
        kind: kind.clone(),
        title,
        rows,
    })
}

/// The current answer for each of `ids` (already numbered rows, e.g. when a job resumes).
pub(crate) async fn recheck(client: &Client, kind: &JobKind, ids: &[String]) -> Result<Vec<JobRow>, Error> {
    let mut target = read_target(client, kind).await?;
    check_rows(client, kind, &mut target, ids).await
}

async fn check_rows(
    client: &Client,
    kind: &JobKind,
    target: &mut Target,
    ids: &[String],
) -> Result<Vec<JobRow>, Error> {
    let valid: Vec<&String> = ids.iter().filter(|i| validate::is_guid(i)).collect();
    let mut rows = Vec::with_capacity(ids.len());
    if matches!(target, Target::Deleted) {
        let found: HashMap<String, Option<DeletedObject>> =
            read_each(client, &valid, |id| format!("/directory/deletedItems/{id}")).await?;
        let gone: Vec<&String> = valid
            .iter()
            .copied()
            .filter(|i| found.get(*i).is_some_and(Option::is_none))
            .collect();
        let restored = read_live(client, &gone).await?;
        for (n, id) in ids.iter().enumerate() {
            let (name, check, change) = check_deleted(
                id,
                found.get(id).cloned().flatten(),
                restored.get(id).cloned().flatten(),
            );
            rows.push(row(n, id, name, check, change));
        }
        return Ok(rows);
    }
    if matches!(target, Target::Groups) {
        let found: HashMap<String, Option<Group>> = read_each(client, &valid, |id| {
            format!("/groups/{id}?$select=id,displayName,groupTypes,securityEnabled,mailEnabled,onPremisesSyncEnabled")
        })
        .await?;
        for (n, id) in ids.iter().enumerate() {
            let (name, check, change) = check_group_delete(id, found.get(id).cloned().flatten());
            rows.push(row(n, id, name, check, change));
        }
        return Ok(rows);
    }
    let people: HashMap<String, Option<User>> = read_each(client, &valid, |id| {
        format!("/users/{id}?$select={}", USER_PROPERTIES.join(","))
    })
    .await?;
    // Ids that are not people: a group's members may be groups or devices.
    let not_people: Vec<&String> = valid
        .iter()
        .copied()
        .filter(|i| people.get(*i).is_some_and(Option::is_none))
        .collect();
    let others = read_not_people(client, target, &not_people).await?;
    let mut group_names = HashMap::new();
    for (n, id) in ids.iter().enumerate() {
        let other = others.get(id).cloned().flatten();
        let (name, check, change) = match people.get(id).cloned().flatten() {
            _ if !validate::is_guid(id) => (id.clone(), refused(format!("{id} is not an object id.")), None),
            None if other.is_some() => check_other(kind, target, other.as_ref(), id),
            None if matches!(kind, JobKind::DeleteUsers) => (
                id.clone(),
                already("Already deleted (no longer in the directory)."),
                None,
            ),
            None => (
                id.clone(),
                refused("No longer in the directory: it may have been deleted.".into()),
                None,
            ),
            Some(u) => check_person(client, kind, target, &u, &mut group_names).await?,
        };
        rows.push(row(n, id, name, check, change));
    }
    Ok(rows)
}

/// Objects back in the directory, read as people and then as groups (`None`: neither).
async fn read_live(client: &Client, ids: &[&String]) -> Result<HashMap<String, Option<DirectoryObject>>, Error> {
    let mut live: HashMap<String, Option<DirectoryObject>> =
        read_each(client, ids, |id| format!("/users/{id}?$select=id,displayName")).await?;
    let not_people: Vec<&String> = ids
        .iter()
        .copied()
        .filter(|i| live.get(*i).is_some_and(Option::is_none))
        .collect();
    let groups: HashMap<String, Option<DirectoryObject>> =
        read_each(client, &not_people, |id| format!("/groups/{id}?$select=id,displayName")).await?;
    live.extend(groups.into_iter().filter(|(_, g)| g.is_some()));
    Ok(live)
}

/// Rows that are not people, as groups (read from Graph) or as the job's group lists them
/// (a device among its members).
async fn read_not_people(
    client: &Client,
    target: &Target,
    ids: &[&String],
) -> Result<HashMap<String, Option<DirectoryObject>>, Error> {
    let mut found: HashMap<String, Option<DirectoryObject>> = read_each(client, ids, |id| {
        format!("/groups/{id}?$select=id,displayName,groupTypes")
    })
    .await?;
    for (id, o) in found.iter_mut() {
        match o {
            Some(g) => g.odata_type = Some("#microsoft.graph.group".into()),
            None => {
                if let Target::Group { members, .. } = target {
                    *o = members.get(&id.to_ascii_lowercase()).cloned();
                }
            }
        }
    }
    Ok(found)
}

fn row(n: usize, id: &str, name: String, check: RowCheck, change: Option<AppliedChange>) -> JobRow {
    JobRow {
        index: n as u32 + 1,
        object_id: id.to_string(),
        name,
        check,
        status: RowStatus::Planned,
        reason: None,
        request_id: None,
        change,
    }
}

fn refused(reason: String) -> RowCheck {
    RowCheck::Refused { reason }
}

fn already(reason: &str) -> RowCheck {
    RowCheck::Already { reason: reason.into() }
}

fn will() -> RowCheck {
    RowCheck::WillChange { note: None }
}

/// Reads the group (and its members) or the licence the job is about.
async fn read_target(client: &Client, kind: &JobKind) -> Result<Target, Error> {
    match kind {
        JobKind::AddToGroup { group_id } | JobKind::RemoveFromGroup { group_id } => {
            let group = groups::find(
                client,
                "group",
                group_id,
                &[
                    "id",
                    "displayName",
                    "groupTypes",
                    "onPremisesSyncEnabled",
                    "membershipRule",
                ],
            )
            .await?;
            let refused = groups::check_membership_editable("group", &group)
                .err()
                .map(|e| e.to_string());
            let members = if refused.is_some() {
                HashMap::new()
            } else {
                client
                    .groups()
                    .members(&group.id, ListQuery::new().select(&["id", "displayName"]).top(999))
                    .collect_all()
                    .await
                    .map_err(|e| explain(Action::ReadDirectory, e))?
                    .into_iter()
                    .map(|m| (m.id.as_str().to_ascii_lowercase(), m))
                    .collect()
            };
            Ok(Target::Group {
                group: Box::new(group),
                refused,
                members,
            })
        }
        JobKind::AssignLicence {
            sku_id,
            disabled_plans,
            usage_location,
        } => {
            let usage_location = usage_location
                .as_deref()
                .filter(|l| !l.trim().is_empty())
                .map(|l| validate::usage_location("usageLocation", l))
                .transpose()?;
            let all = licenses::list(client).await?;
            let licence = licenses::find(&all, "skuId", sku_id)?.clone();
            licenses::check_assignable(&licence, true)?;
            let (plans, _) = licenses::plans_to_switch_off(&licence, disabled_plans)?;
            Ok(Target::Licence {
                usage_location,
                free: licence.free,
                disabled: plans.iter().map(|p| p.as_str().to_string()).collect(),
                licence: Box::new(licence),
            })
        }
        JobKind::RemoveLicence { sku_id } => {
            let all = licenses::list(client).await?;
            let licence = licenses::find(&all, "skuId", sku_id)?.clone();
            Ok(Target::Licence {
                usage_location: None,
                free: licence.free,
                disabled: Vec::new(),
                licence: Box::new(licence),
            })
        }
        JobKind::Restore => Ok(Target::Deleted),
        JobKind::DeleteGroups => Ok(Target::Groups),
        JobKind::Block | JobKind::Unblock | JobKind::RevokeSessions | JobKind::DeleteUsers => Ok(Target::People),
        // Planned from the import's rows (`create.rs`), never from ids.
        JobKind::CreateUsers | JobKind::InviteGuests => Ok(Target::People),
    }
}

fn title(kind: &JobKind, target: &Target) -> String {
    match target {
        Target::Group { group, .. } => format!("{} {}", kind.label(), groups::name_of(group)),
        Target::Licence { licence, .. } => format!("{} {}", kind.label(), licence.name),
        Target::People | Target::Deleted | Target::Groups => kind.label().to_string(),
    }
}

/// One person's answer for the job, and the change it would make.
async fn check_person(
    client: &Client,
    kind: &JobKind,
    target: &mut Target,
    u: &User,
    group_names: &mut HashMap<String, String>,
) -> Result<(String, RowCheck, Option<AppliedChange>), Error> {
    let name = users::name_of(u);
    let id = u.id.as_str();
    let (check, change) = match (kind, target) {
        (
            JobKind::AddToGroup { .. },
            Target::Group {
                group,
                refused,
                members,
            },
        ) => check_member(true, group, refused.as_deref(), members, id, &name),
        (
            JobKind::RemoveFromGroup { .. },
            Target::Group {
                group,
                refused,
                members,
            },
        ) => check_member(false, group, refused.as_deref(), members, id, &name),
        (
            JobKind::AssignLicence { .. },
            Target::Licence {
                licence,
                disabled,
                usage_location,
                free,
            },
        ) => check_assign(u, &name, licence, (disabled, usage_location.as_deref()), free),
        (JobKind::RemoveLicence { .. }, Target::Licence { licence, .. }) => {
            check_remove(client, u, &name, licence, group_names).await
        }
        (JobKind::Block | JobKind::Unblock, _) => {
            let enable = matches!(kind, JobKind::Unblock);
            let change = if enable {
                ChangeKind::SignInUnblocked
            } else {
                ChangeKind::SignInBlocked
            };
            let mut c = AppliedChange::new(change, id, &name);
            c.previous_account_enabled = u.account_enabled;
            let check = match (enable, u.account_enabled) {
                (false, Some(false)) => already("Already blocked: cannot sign in."),
                (true, Some(true)) => already("Can already sign in."),
                _ => will(),
            };
            (check, Some(c))
        }
        (JobKind::RevokeSessions, _) => match users::revoke_refusal(u) {
            Some(why) => (RowCheck::Refused { reason: why }, None),
            None => (will(), Some(AppliedChange::new(ChangeKind::SessionsRevoked, id, &name))),
        },
        (JobKind::DeleteUsers, _) => (will(), Some(AppliedChange::new(ChangeKind::UserDeleted, id, &name))),
        _ => (refused("This row does not fit the job.".into()), None),
    };
    Ok((name, check, change))
}

/// A row that is not a person but a group or a device (a group's members may be either): its
/// membership can be changed like a person's — but a Microsoft 365 group holds people only — and
/// every other job is about people, which it says.
fn check_other(
    kind: &JobKind,
    target: &Target,
    object: Option<&DirectoryObject>,
    id: &str,
) -> (String, RowCheck, Option<AppliedChange>) {
    let Some(o) = object else {
        return (id.to_string(), refused("No longer in the directory.".into()), None);
    };
    let name = o.display_name.clone().unwrap_or_else(|| id.to_string());
    let what = if o.is_group() {
        "a group"
    } else if o.odata_type.as_deref().is_some_and(|t| t.ends_with("device")) {
        "a device"
    } else {
        "not a person"
    };
    let add = matches!(kind, JobKind::AddToGroup { .. });
    let (check, change) = match target {
        Target::Group { group, .. } if add && o.is_group() && group.is_unified() => (
            refused(format!(
                "{name} is a group: a Microsoft 365 group can hold people only, not other groups."
            )),
            None,
        ),
        Target::Group {
            group,
            refused,
            members,
        } => {
            let (check, mut change) = check_member(add, group, refused.as_deref(), members, id, &name);
            if let Some(c) = change.as_mut() {
                c.is_group = o.is_group();
                c.is_device = what == "a device";
            }
            (check, change)
        }
        _ => (
            refused(format!("{name} is {what}: “{}” applies to people only.", kind.label())),
            None,
        ),
    };
    (name, check, change)
}

/// Add to (`add`) or remove from a group, for one person: refused when the group's members cannot be
/// changed by hand; "already" when they are (or are not) a member.
fn check_member(
    add: bool,
    group: &Group,
    refused: Option<&str>,
    members: &HashMap<String, DirectoryObject>,
    id: &str,
    name: &str,
) -> (RowCheck, Option<AppliedChange>) {
    let kind = if add {
        ChangeKind::AddedToGroup
    } else {
        ChangeKind::RemovedFromGroup
    };
    let mut c = AppliedChange::new(kind, id, name);
    c.group_id = Some(group.id.as_str().to_string());
    c.group_name = Some(groups::name_of(group));
    let member = members.contains_key(&id.to_ascii_lowercase());
    let check = match refused {
        Some(r) => RowCheck::Refused { reason: r.to_string() },
        None if add && member => already(&format!("Already a member of {}.", groups::name_of(group))),
        None if !add && !member => already(&format!("Not a member of {}.", groups::name_of(group))),
        None => will(),
    };
    (check, Some(c))
}

/// Assign Licence for one person: usage location first (the job's, set first, for someone who has
/// none), then a seat (counted down over the rows, so "no seat left" starts at the row that would
/// take one too many).
fn check_assign(
    u: &User,
    name: &str,
    licence: &License,
    (disabled, usage_location): (&[String], Option<&str>),
    free: &mut i64,
) -> (RowCheck, Option<AppliedChange>) {
    let mut c = AppliedChange::new(ChangeKind::LicenceAssigned, u.id.as_str(), name);
    c.sku_id = Some(licence.sku.sku_id.as_str().to_string());
    c.licence_name = Some(licence.name.clone());
    c.disabled_plans = disabled.to_vec();
    let held = u.assigned_licenses.iter().find(|a| a.sku_id == licence.sku.sku_id);
    if let Some(h) = held {
        let before: Vec<String> = h.disabled_plans.iter().map(|p| p.as_str().to_string()).collect();
        let same = before.len() == disabled.len()
            && before
                .iter()
                .all(|p| disabled.iter().any(|d| d.eq_ignore_ascii_case(p)));
        c.previous_disabled_plans = Some(before);
        if same {
            return (already(&format!("Already has {}.", licence.name)), Some(c));
        }
        let note = Some(format!(
            "Already has {}: only the switched-off services change.",
            licence.name
        ));
        return (RowCheck::WillChange { note }, Some(c));
    }
    let mut note = None;
    if u.usage_location.as_deref().is_none_or(|l| l.trim().is_empty()) {
        let Some(location) = usage_location else {
            let reason = format!("{name} has no usage location. Microsoft requires the country where a person uses their licence: give one for the people who have none, or set Usage location on the profile.");
            return (RowCheck::NeedsInput { reason }, Some(c));
        };
        c.usage_location_set = Some(location.to_string());
        note = Some(format!("Usage location will be set to {location} first."));
    }
    if *free <= 0 {
        let reason = format!(
            "No {} seat is left for this row: the ones that were free go to the rows above.",
            licence.name
        );
        return (RowCheck::Refused { reason }, Some(c));
    }
    *free -= 1;
    (RowCheck::WillChange { note }, Some(c))
}

/// Remove Licence for one person: they hold it, and not only through a group.
async fn check_remove(
    client: &Client,
    u: &User,
    name: &str,
    licence: &License,
    group_names: &mut HashMap<String, String>,
) -> (RowCheck, Option<AppliedChange>) {
    let mut c = AppliedChange::new(ChangeKind::LicenceRemoved, u.id.as_str(), name);
    c.sku_id = Some(licence.sku.sku_id.as_str().to_string());
    c.licence_name = Some(licence.name.clone());
    let Some(held) = u.assigned_licenses.iter().find(|a| a.sku_id == licence.sku.sku_id) else {
        return (already(&format!("Does not have {}.", licence.name)), Some(c));
    };
    c.disabled_plans = held.disabled_plans.iter().map(|p| p.as_str().to_string()).collect();
    if let Some(group) = licenses::only_from_group(u, &licence.sku.sku_id) {
        if !group_names.contains_key(&group) {
            let found = groups::find(client, "group", &group, &["id", "displayName"]).await;
            let shown = found.map(|g| groups::name_of(&g)).unwrap_or_else(|_| group.clone());
            group_names.insert(group.clone(), shown);
        }
        let group_name = group_names.get(&group).cloned().unwrap_or(group);
        let reason = licenses::from_group_refusal(name, &licence.name, &group_name);
        return (RowCheck::Refused { reason }, Some(c));
    }
    (will(), Some(c))
}

/// Delete a group: a synced group is refused (it is deleted where it comes from); what is lost is
/// said (a security group is gone for good; a Microsoft 365 group waits 30 days in Deleted items).
fn check_group_delete(id: &str, group: Option<Group>) -> (String, RowCheck, Option<AppliedChange>) {
    if !validate::is_guid(id) {
        return (id.to_string(), refused(format!("{id} is not an object id.")), None);
    }
    let Some(g) = group else {
        return (
            id.to_string(),
            already("Already deleted (no longer in the directory)."),
            None,
        );
    };
    let name = groups::name_of(&g);
    let mut c = AppliedChange::new(ChangeKind::GroupDeleted, id, &name);
    c.is_group = true;
    if g.on_premises_sync_enabled == Some(true) {
        let reason = "Synced from your on-premises directory: delete it there, and the deletion reaches Microsoft Entra with the next sync.";
        return (name, refused(reason.into()), None);
    }
    c.restorable = g.is_unified();
    let note = if g.is_unified() {
        "A Microsoft 365 group: it can be restored from Deleted items for 30 days."
    } else {
        "A security group is deleted for good: it cannot be restored."
    };
    (
        name,
        RowCheck::WillChange {
            note: Some(note.into()),
        },
        Some(c),
    )
}

/// A deleted item's answer: still in Deleted items → will be restored; back in the directory →
/// already restored; neither → gone for good.
fn check_deleted(
    id: &str,
    deleted: Option<DeletedObject>,
    live: Option<msgraph::DirectoryObject>,
) -> (String, RowCheck, Option<AppliedChange>) {
    if !validate::is_guid(id) {
        return (id.to_string(), refused(format!("{id} is not an object id.")), None);
    }
    match (deleted, live) {
        (Some(d), _) => {
            let name = d
                .display_name
                .clone()
                .or(d.user_principal_name.clone())
                .unwrap_or_else(|| id.to_string());
            let mut c = AppliedChange::new(ChangeKind::Restored, id, &name);
            c.is_group = d.odata_type.as_deref().is_some_and(|t| t.ends_with("group"));
            (name, will(), Some(c))
        }
        (None, Some(o)) => {
            let name = o.display_name.unwrap_or_else(|| id.to_string());
            (name, already("Already restored: it is back in the directory."), None)
        }
        (None, None) => (
            id.to_string(),
            refused("No longer in Deleted items: it may have been deleted for good.".into()),
            None,
        ),
    }
}

/// Reads each object (`GET` built by `url`), 20 per `$batch`: `None` for one Graph does not have.
pub(crate) async fn read_each<T: DeserializeOwned>(
    client: &Client,
    ids: &[&String],
    url: impl Fn(&str) -> String,
) -> Result<HashMap<String, Option<T>>, Error> {
    let requests: Vec<BatchRequest> = ids
        .iter()
        .enumerate()
        .map(|(n, id)| BatchRequest::new(n.to_string(), HttpMethod::Get, url(id)))
        .collect();
    let answers = client
        .batch(&requests)
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    let mut out = HashMap::new();
    for (id, a) in ids.iter().zip(answers) {
        let value = match a.error() {
            None => Some(a.decode::<T>().map_err(|e| explain(Action::ReadDirectory, e))?),
            Some(e) if e.kind() == msgraph::ErrorKind::NotFound => None,
            Some(e) => return Err(explain(Action::ReadDirectory, e)),
        };
        out.insert((*id).clone(), value);
    }
    Ok(out)
}

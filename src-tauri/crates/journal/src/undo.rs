//! One-click undo: whether an entry can be undone (checked against Graph as it is now, never
//! against what the app last saw), the inverse change, and running it. An undo is itself an
//! entry, linked to the one it undid (`Draft::undoes`); `Journal::record` marks that one undone.
//! The preview ("Show the request") is the same `run` on a previewing client.

use directory::groups::{MemberSearch, Relation};
use directory::Error;
use msgraph::{Client, UserUpdate};
use serde_json::{Map, Value};

use crate::capture::{self, as_map, before};
use crate::model::{Action, Change, Draft, Entry, Named, Outcome, TargetKind};

/// The change that takes an entry back.
#[derive(Debug, Clone, PartialEq)]
pub enum Inverse {
    RemoveMember {
        group: String,
        member: String,
    },
    AddMember {
        group: String,
        member: String,
    },
    RemoveOwner {
        group: String,
        owner: String,
    },
    AddOwner {
        group: String,
        owner: String,
    },
    RemoveLicence {
        user: String,
        sku: String,
    },
    AssignLicence {
        user: String,
        sku: String,
        disabled_plans: Vec<String>,
    },
    UnassignRole {
        user: String,
        assignment: String,
    },
    AssignRole {
        user: String,
        role: String,
        scope: String,
    },
    SetManager {
        user: String,
        manager: String,
    },
    RemoveManager {
        user: String,
    },
    /// Only the properties the entry changed, back to their values before.
    UpdateUser {
        user: String,
        changes: Box<UserUpdate>,
        sent: Vec<String>,
    },
    UpdateGroup {
        group: String,
        changes: Box<directory::groups::GroupChanges>,
        sent: Vec<String>,
    },
    SetEnabled {
        user: String,
        enabled: bool,
    },
    Restore {
        id: String,
    },
}

/// Whether an entry can be undone now.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    /// `what`: the undo in plain words ("Remove Adele Vance from Sales again").
    Ready { inverse: Inverse, what: String },
    /// `reason`: why not, in plain words.
    Refused { reason: String },
}

fn refuse(reason: impl Into<String>) -> Result<Plan, Error> {
    Ok(Plan::Refused { reason: reason.into() })
}

fn ready(inverse: Inverse, what: String) -> Result<Plan, Error> {
    Ok(Plan::Ready { inverse, what })
}

/// Whether `entry` can be undone, checked against Graph now: the object must still be as this
/// app left it. Graph errors while checking are returned (the person sees them with the request id).
pub async fn plan(client: &Client, entry: &Entry) -> Result<Plan, Error> {
    if let Outcome::Failed { .. } = entry.outcome {
        return refuse("Nothing to undo: this attempt failed, so nothing was changed.");
    }
    if let Some(by) = entry.undone_by {
        return refuse(format!("Already undone (change #{by})."));
    }
    if let Some(reason) = never(&entry.action) {
        return refuse(reason);
    }
    let t = &entry.target;
    match &entry.action {
        Action::AddMember { group } | Action::RemoveMember { group } => {
            membership(client, entry, group, Relation::Members).await
        }
        Action::AddOwner { group } | Action::RemoveOwner { group } => {
            membership(client, entry, group, Relation::Owners).await
        }
        Action::AssignLicence { .. } | Action::RemoveLicence { .. } => licence(client, entry).await,
        Action::AssignRole { role, scope } | Action::UnassignRole { role, scope } => {
            self::role(client, entry, role, scope).await
        }
        Action::SetManager { .. } | Action::RemoveManager { .. } => manager(client, entry).await,
        Action::UpdateUser => update_user(client, entry).await,
        Action::UpdateGroup => update_group(client, entry).await,
        Action::Block | Action::Unblock => {
            let now = directory::users::get(client, &t.id).await?;
            let blocked = entry.action == Action::Block;
            if now.account_enabled == Some(blocked) {
                let state = if blocked {
                    "allowed to sign in"
                } else {
                    "blocked from signing in"
                };
                return refuse(format!("Changed since: {} is now {state} again.", t.name));
            }
            let (enabled, verb) = if blocked { (true, "Allow") } else { (false, "Block") };
            let what = format!(
                "{verb} {} {} signing in again.",
                t.name,
                if blocked { "to go on" } else { "from" }
            );
            ready(
                Inverse::SetEnabled {
                    user: t.id.clone(),
                    enabled,
                },
                what,
            )
        }
        Action::DeleteUser | Action::DeleteGroup { restorable: true } => deleted(client, entry).await,
        _ => refuse("This change cannot be undone here."),
    }
}

/// Why a kind of change can never be undone (none: it can, if nothing changed since).
fn never(action: &Action) -> Option<&'static str> {
    Some(match action {
        Action::DeleteGroup { restorable: false } => "A security group deleted for good cannot be brought back.",
        Action::DeleteForGood => "Deleted for good: Microsoft keeps no copy to bring back.",
        Action::ResetPassword => "The old password is not kept, so it cannot be put back.",
        Action::RevokeSessions => {
            "Sessions that were signed out cannot be signed back in; the person simply signs in again."
        }
        Action::CreateUser | Action::InviteGuest | Action::CreateGroup { .. } | Action::CreateContact => {
            "Undo does not delete what was created: delete it from its page if it is no longer wanted."
        }
        Action::Restore => "To undo a restore, delete it again from its page.",
        Action::CustomRequest { .. } => {
            "A custom request cannot be undone automatically: Entra Desk does not know what it changed."
        }
        _ => return None,
    })
}

async fn membership(client: &Client, entry: &Entry, group: &Named, relation: Relation) -> Result<Plan, Error> {
    let t = &entry.target;
    let search = MemberSearch {
        text: None,
        relation,
        nested: false,
    };
    let found = directory::groups::search_members(client, &group.id, &search).await?;
    let holds = found.iter().any(|f| {
        f.object.id.as_str() == t.id
            && match relation {
                Relation::Owners => f.owner,
                _ => f.member,
            }
    });
    let role = if relation == Relation::Owners {
        "an owner"
    } else {
        "a member"
    };
    let added = matches!(entry.action, Action::AddMember { .. } | Action::AddOwner { .. });
    if holds != added {
        let now = if holds { "is" } else { "is no longer" };
        return refuse(format!("Changed since: {} {now} {role} of {}.", t.name, group.name));
    }
    let (g, m) = (group.id.clone(), t.id.clone());
    let (inverse, what) = match (&entry.action, relation) {
        (Action::AddMember { .. }, _) => (Inverse::RemoveMember { group: g, member: m }, "Remove"),
        (Action::RemoveMember { .. }, _) => (Inverse::AddMember { group: g, member: m }, "Add"),
        (Action::AddOwner { .. }, _) => (Inverse::RemoveOwner { group: g, owner: m }, "Remove"),
        _ => (Inverse::AddOwner { group: g, owner: m }, "Add"),
    };
    let (prep, role) = if what == "Add" {
        ("to", format!(" as {role}"))
    } else {
        ("from", format!(" as {role}"))
    };
    ready(inverse, format!("{what} {} {prep} {}{role} again.", t.name, group.name))
}

async fn licence(client: &Client, entry: &Entry) -> Result<Plan, Error> {
    let t = &entry.target;
    let (Action::AssignLicence {
        sku_id,
        licence,
        disabled_plans,
    }
    | Action::RemoveLicence {
        sku_id,
        licence,
        disabled_plans,
    }) = &entry.action
    else {
        return refuse("This change cannot be undone here.");
    };
    let now = directory::licenses::of_user(client, &t.id).await?;
    let held = now.iter().find(|l| l.sku_id.as_str() == sku_id);
    match (&entry.action, held) {
        (Action::AssignLicence { .. }, None) => refuse(format!("Changed since: {} no longer has {licence}.", t.name)),
        (Action::AssignLicence { .. }, Some(l)) if l.assigned_by_group.is_some() => refuse(format!(
            "Changed since: {} now gets {licence} through a group; remove it there.",
            t.name
        )),
        (Action::AssignLicence { .. }, Some(_)) => ready(
            Inverse::RemoveLicence {
                user: t.id.clone(),
                sku: sku_id.clone(),
            },
            format!("Remove {licence} from {} again.", t.name),
        ),
        (_, Some(_)) => refuse(format!("Changed since: {} has {licence} again.", t.name)),
        (_, None) => ready(
            Inverse::AssignLicence {
                user: t.id.clone(),
                sku: sku_id.clone(),
                disabled_plans: disabled_plans.clone(),
            },
            match disabled_plans.len() {
                0 => format!("Give {} {licence} again.", t.name),
                n => format!(
                    "Give {} {licence} again, with the same {n} services switched off.",
                    t.name
                ),
            },
        ),
    }
}

async fn role(client: &Client, entry: &Entry, role: &Named, scope: &Named) -> Result<Plan, Error> {
    let t = &entry.target;
    let now = directory::roles::of_user(client, &t.id).await?;
    let held = now
        .iter()
        .find(|r| r.role_template_id == role.id && r.scope == scope.id);
    let r = &role.name;
    match (&entry.action, held) {
        (Action::AssignRole { .. }, None) => refuse(format!("Changed since: {} no longer holds {r}.", t.name)),
        (Action::AssignRole { .. }, Some(a)) => ready(
            Inverse::UnassignRole {
                user: t.id.clone(),
                assignment: a.assignment_id.clone(),
            },
            format!("Take {r} ({}) from {} again.", scope.name, t.name),
        ),
        (_, Some(_)) => refuse(format!("Changed since: {} holds {r} again.", t.name)),
        (_, None) => ready(
            Inverse::AssignRole {
                user: t.id.clone(),
                role: role.id.clone(),
                scope: scope.id.clone(),
            },
            format!("Give {} {r} ({}) again.", t.name, scope.name),
        ),
    }
}

async fn manager(client: &Client, entry: &Entry) -> Result<Plan, Error> {
    let t = &entry.target;
    let (left, previous) = match &entry.action {
        Action::SetManager { manager, previous } => (Some(manager), previous),
        Action::RemoveManager { previous } => (None, previous),
        _ => return refuse("This change cannot be undone here."),
    };
    let now = directory::users::manager(client, &t.id).await?;
    let now_id = now.as_ref().map(|m| m.id.to_string());
    if now_id.as_deref() != left.map(|m| m.id.as_str()) {
        let left = left.map_or("no manager".to_owned(), |m| m.name.clone());
        let now = now.map_or("no manager".to_owned(), |m| {
            m.display_name.unwrap_or_else(|| m.id.to_string())
        });
        return refuse(format!(
            "Changed since: {}'s manager is now {now}, not {left} as this app left it.",
            t.name
        ));
    }
    match previous {
        Some(p) => ready(
            Inverse::SetManager {
                user: t.id.clone(),
                manager: p.id.clone(),
            },
            format!("Make {} {}'s manager again.", p.name, t.name),
        ),
        None => ready(
            Inverse::RemoveManager { user: t.id.clone() },
            format!("Remove {}'s manager again (they had none).", t.name),
        ),
    }
}

/// The first property that no longer holds what this app left, in plain words.
fn changed_since(changes: &[Change], now: &Map<String, Value>) -> Option<String> {
    changes.iter().find_map(|c| {
        let current = now.get(&c.property).cloned().unwrap_or(Value::Null);
        (current != c.after).then(|| {
            format!(
                "Changed since: the {} is now {}, not {} as this app left it.",
                words(&c.property),
                shown(&current),
                shown(&c.after)
            )
        })
    })
}

/// The properties to put back (a password is never among them: it is not kept).
fn revertible(changes: &[Change]) -> Vec<&Change> {
    changes
        .iter()
        .filter(|c| !c.property.to_lowercase().contains("password") || c.property == "passwordPolicies")
        .collect()
}

async fn update_user(client: &Client, entry: &Entry) -> Result<Plan, Error> {
    let t = &entry.target;
    let back = revertible(&entry.changes);
    if back.is_empty() {
        return refuse("No property to put back: only a password was changed, and passwords are not kept.");
    }
    let now = as_map(&directory::users::get(client, &t.id).await?);
    let kept: Vec<Change> = back.iter().map(|c| (*c).clone()).collect();
    if let Some(reason) = changed_since(&kept, &now) {
        return refuse(reason);
    }
    let body: Map<String, Value> = back.iter().map(|c| (c.property.clone(), c.before.clone())).collect();
    let changes: UserUpdate = serde_json::from_value(Value::Object(body)).map_err(|e| Error::Invalid {
        field: None,
        message: format!("The values before this change cannot be sent back: {e}"),
    })?;
    let sent = back.iter().map(|c| c.property.clone()).collect();
    ready(
        Inverse::UpdateUser {
            user: t.id.clone(),
            changes: Box::new(changes),
            sent,
        },
        format!("Put back {} of {}: {}.", plural(back.len()), t.name, listed(&back)),
    )
}

async fn update_group(client: &Client, entry: &Entry) -> Result<Plan, Error> {
    let t = &entry.target;
    let (group, _) = directory::groups::get(client, &t.id).await?;
    if let Some(reason) = changed_since(&entry.changes, &as_map(&group)) {
        return refuse(reason);
    }
    let mut core = msgraph::GroupUpdate::default();
    for c in &entry.changes {
        let text = c.before.as_str().map(str::to_owned);
        match c.property.as_str() {
            "displayName" => core.display_name = text,
            "description" => core.description = Some(text),
            "mailNickname" => core.mail_nickname = text,
            "visibility" => core.visibility = serde_json::from_value(c.before.clone()).ok(),
            other => return refuse(format!("The {} of a group cannot be put back here.", words(other))),
        }
    }
    let changes = directory::groups::GroupChanges {
        core,
        allow_external_senders: None,
        auto_subscribe_new_members: None,
        hide_from_address_lists: None,
        hide_from_outlook_clients: None,
    };
    let back: Vec<&Change> = entry.changes.iter().collect();
    let sent = back.iter().map(|c| c.property.clone()).collect();
    ready(
        Inverse::UpdateGroup {
            group: t.id.clone(),
            changes: Box::new(changes),
            sent,
        },
        format!("Put back {} of {}: {}.", plural(back.len()), t.name, listed(&back)),
    )
}

async fn deleted(client: &Client, entry: &Entry) -> Result<Plan, Error> {
    let t = &entry.target;
    let bin = directory::deleted::list(client, time::OffsetDateTime::now_utc()).await?;
    if !bin.iter().any(|d| d.id == t.id) {
        return refuse(format!(
            "{} is no longer in Deleted items: it was restored already, or deleted for good (Microsoft keeps deleted items 30 days).",
            t.name
        ));
    }
    ready(
        Inverse::Restore { id: t.id.clone() },
        format!("Restore {} from Deleted items.", t.name),
    )
}

/// Runs the inverse change and returns what it did as journal entries linked to `entry`. On a
/// previewing client this shows the requests it would send.
pub async fn run(client: &Client, entry: &Entry, inverse: &Inverse) -> Result<Vec<Draft>, Error> {
    use directory::{deleted, groups, licenses, roles, users};
    let drafts = match inverse {
        Inverse::RemoveMember { group, member } => {
            capture::member_removed(&groups::remove_member(client, group, member).await?)
        }
        Inverse::AddMember { group, member } => {
            capture::members_added(&groups::add_members(client, group, std::slice::from_ref(member)).await?)
        }
        Inverse::RemoveOwner { group, owner } => {
            capture::owner_changed(&groups::remove_owner(client, group, owner).await?)
        }
        Inverse::AddOwner { group, owner } => capture::owner_changed(&groups::add_owner(client, group, owner).await?),
        Inverse::RemoveLicence { user, sku } => {
            let before = before::licences(client, user).await;
            capture::licence_changed(&before, &licenses::remove(client, user, sku).await?)
        }
        Inverse::AssignLicence {
            user,
            sku,
            disabled_plans,
        } => capture::licence_changed(&[], &licenses::assign(client, user, sku, disabled_plans).await?),
        Inverse::UnassignRole { user, assignment } => {
            capture::role_changed(&roles::unassign_assignment(client, user, assignment).await?)
        }
        Inverse::AssignRole { user, role, scope } => {
            capture::role_changed(&roles::assign(client, user, role, Some(scope)).await?)
        }
        Inverse::SetManager { user, manager } => {
            let before = before::manager(client, user).await;
            capture::manager_changed(before.as_ref(), &users::set_manager(client, user, manager).await?)
        }
        Inverse::RemoveManager { user } => {
            let before = before::manager(client, user).await;
            capture::manager_changed(before.as_ref(), &users::remove_manager(client, user).await?)
        }
        Inverse::UpdateUser { user, changes, sent } => {
            let before = users::get(client, user).await?;
            let after = users::update(client, user, changes).await?;
            capture::user_updated(sent, &before, &after)
        }
        Inverse::UpdateGroup { group, changes, sent } => {
            let (before, _) = groups::get(client, group).await?;
            let (after, _) = groups::update(client, group, changes).await?;
            capture::group_updated(sent, &before, &after)
        }
        Inverse::SetEnabled { user, enabled } => capture::enabled(&users::set_enabled(client, user, *enabled).await?),
        Inverse::Restore { id } => capture::restored(id, &deleted::restore(client, id).await?),
    };
    Ok(drafts
        .into_iter()
        .map(|d| Draft {
            undoes: Some(entry.id),
            ..d
        })
        .collect())
}

/// `jobTitle` → "job title".
pub fn words(property: &str) -> String {
    let mut out = String::new();
    for ch in property.chars() {
        if ch.is_uppercase() && !out.is_empty() {
            out.push(' ');
        }
        out.extend(ch.to_lowercase());
    }
    out
}

/// A value as the person reads it: text in quotes, nothing as "empty".
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "empty".into(),
        Value::String(s) if s.is_empty() => "empty".into(),
        Value::String(s) => format!("‘{s}’"),
        Value::Array(a) if a.is_empty() => "empty".into(),
        other => other.to_string(),
    }
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 property".into()
    } else {
        format!("{n} properties")
    }
}

fn listed(changes: &[&Change]) -> String {
    changes
        .iter()
        .map(|c| format!("{} {}", words(&c.property), shown(&c.before)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether an entry's kind can be undone at all (before asking Graph): the table's Undo button.
pub fn undoable_kind(entry: &Entry) -> bool {
    matches!(entry.outcome, Outcome::Done)
        && entry.undone_by.is_none()
        && never(&entry.action).is_none()
        && entry.target.kind != TargetKind::Other
}

/// The journal's action for an undo that was tried (what `run` would have recorded had it
/// worked), for recording it when Graph refused.
pub fn attempted(entry: &Entry, inverse: &Inverse) -> Action {
    let group = || match &entry.action {
        Action::AddMember { group }
        | Action::RemoveMember { group }
        | Action::AddOwner { group }
        | Action::RemoveOwner { group } => group.clone(),
        _ => Named {
            id: String::new(),
            name: String::new(),
        },
    };
    let same = || entry.action.clone();
    match inverse {
        Inverse::RemoveMember { .. } => Action::RemoveMember { group: group() },
        Inverse::AddMember { .. } => Action::AddMember { group: group() },
        Inverse::RemoveOwner { .. } => Action::RemoveOwner { group: group() },
        Inverse::AddOwner { .. } => Action::AddOwner { group: group() },
        Inverse::RemoveLicence { .. } | Inverse::AssignLicence { .. } => match same() {
            Action::AssignLicence {
                sku_id,
                licence,
                disabled_plans,
            } => Action::RemoveLicence {
                sku_id,
                licence,
                disabled_plans,
            },
            Action::RemoveLicence {
                sku_id,
                licence,
                disabled_plans,
            } => Action::AssignLicence {
                sku_id,
                licence,
                disabled_plans,
            },
            other => other,
        },
        Inverse::UnassignRole { .. } | Inverse::AssignRole { .. } => match same() {
            Action::AssignRole { role, scope } => Action::UnassignRole { role, scope },
            Action::UnassignRole { role, scope } => Action::AssignRole { role, scope },
            other => other,
        },
        Inverse::SetManager { manager, .. } => Action::SetManager {
            manager: Named {
                id: manager.clone(),
                name: manager.clone(),
            },
            previous: None,
        },
        Inverse::RemoveManager { .. } => Action::RemoveManager { previous: None },
        Inverse::UpdateUser { .. } => Action::UpdateUser,
        Inverse::UpdateGroup { .. } => Action::UpdateGroup,
        Inverse::SetEnabled { enabled: true, .. } => Action::Unblock,
        Inverse::SetEnabled { enabled: false, .. } => Action::Block,
        Inverse::Restore { .. } => Action::Restore,
    }
}

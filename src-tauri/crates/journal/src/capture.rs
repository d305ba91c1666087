//! What each of the app's changes is as journal entries: from what the `directory` use case
//! returned (and, where the entry needs the value before, what was read before the change), or
//! from what was tried when it failed.

use directory::deleted::{DeletedForGood, DeletedItemKind, Restored};
use directory::groups::{AddMembersOutcome, CreatedGroup, DeletedGroup, Member, OwnerChange, RemoveMemberOutcome};
use directory::licenses::{LicenseChange, UserLicense};
use directory::roles::RoleChange;
use directory::users::{name_of, DeletedUser, ManagerChange, PasswordReset, RevokedSessions, SignInChange};
use msgraph::{Client, DirectoryObject, Group, User};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{Action, Change, Draft, Named, Outcome, Target, TargetKind};

/// A target known by what was typed (an attempt that failed before the object was found).
pub fn typed(kind: TargetKind, key: &str) -> Target {
    Target {
        kind,
        id: key.to_owned(),
        name: key.to_owned(),
    }
}

/// A failed attempt: what was tried, the plain reason the person was shown and Graph's request id.
pub fn failed(action: Action, target: Target, error: &directory::Error) -> Draft {
    let reason = match error {
        directory::Error::Explained { hint, .. } => hint.clone(),
        directory::Error::Invalid { message, .. } => message.clone(),
        directory::Error::Graph(g) => g.message().map_or_else(|| g.to_string(), str::to_owned),
    };
    Draft {
        request_id: error.graph().and_then(|g| g.request_id()).map(str::to_owned),
        outcome: Outcome::Failed { reason },
        ..Draft::done(action, target)
    }
}

pub fn user(u: &User) -> Target {
    Target {
        kind: TargetKind::User,
        id: u.id.to_string(),
        name: name_of(u),
    }
}

pub fn group(g: &Group) -> Target {
    Target {
        kind: TargetKind::Group,
        id: g.id.to_string(),
        name: g.display_name.clone().unwrap_or_else(|| g.id.to_string()),
    }
}

fn named_group(g: &Group) -> Named {
    let t = group(g);
    Named { id: t.id, name: t.name }
}

fn member(m: &Member) -> Target {
    Target {
        kind: if m.is_group {
            TargetKind::Group
        } else {
            TargetKind::User
        },
        id: m.id.to_string(),
        name: m.name.clone(),
    }
}

fn named_object(o: &DirectoryObject) -> Named {
    Named {
        id: o.id.to_string(),
        name: o
            .display_name
            .clone()
            .or_else(|| o.user_principal_name.clone())
            .unwrap_or_else(|| o.id.to_string()),
    }
}

/// The properties `sent` as they were `before` and are `after` (JSON of the object read before and
/// returned after), only those whose value changed.
pub fn property_changes<T: Serialize>(sent: &[String], before: &T, after: &T) -> Vec<Change> {
    let (b, a) = (as_map(before), as_map(after));
    sent.iter()
        .filter(|p| p.as_str() != "id")
        .map(|p| Change {
            property: p.clone(),
            before: b.get(p).cloned().unwrap_or(Value::Null),
            after: a.get(p).cloned().unwrap_or(Value::Null),
        })
        .filter(|c| c.before != c.after || c.property.to_lowercase().contains("password"))
        .collect()
}

/// The properties a PATCH body sends (absent ones are left alone).
pub fn sent<T: Serialize>(body: &T) -> Vec<String> {
    as_map(body).keys().cloned().collect()
}

pub(crate) fn as_map<T: Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Update User: the person as read before the change and as Graph returned it after.
pub fn user_updated(sent: &[String], before: &User, after: &User) -> Vec<Draft> {
    vec![Draft {
        changes: property_changes(sent, before, after),
        ..Draft::done(Action::UpdateUser, user(after))
    }]
}

/// Update Group: the group before and after.
pub fn group_updated(sent: &[String], before: &Group, after: &Group) -> Vec<Draft> {
    vec![Draft {
        changes: property_changes(sent, before, after),
        ..Draft::done(Action::UpdateGroup, group(after))
    }]
}

pub fn enabled(c: &SignInChange) -> Vec<Draft> {
    let action = if c.enabled { Action::Unblock } else { Action::Block };
    vec![Draft {
        changes: vec![Change {
            property: "accountEnabled".into(),
            before: Value::Bool(!c.enabled),
            after: Value::Bool(c.enabled),
        }],
        ..Draft::done(action, user(&c.user))
    }]
}

pub fn user_deleted(d: &DeletedUser) -> Vec<Draft> {
    vec![Draft::done(Action::DeleteUser, user(&d.user))]
}

pub fn sessions_revoked(r: &RevokedSessions) -> Vec<Draft> {
    vec![Draft::done(Action::RevokeSessions, user(&r.user))]
}

/// Reset Password: that it was reset, never the password.
pub fn password_reset(r: &PasswordReset) -> Vec<Draft> {
    vec![Draft::done(Action::ResetPassword, user(&r.user))]
}

/// Assign or remove a manager; `before`: the manager read before the change.
pub fn manager_changed(before: Option<&DirectoryObject>, c: &ManagerChange) -> Vec<Draft> {
    if !c.changed {
        return Vec::new();
    }
    let previous = before.map(named_object);
    let action = match &c.manager {
        Some(m) => Action::SetManager {
            manager: Named {
                id: m.id.to_string(),
                name: name_of(m),
            },
            previous,
        },
        None => Action::RemoveManager { previous },
    };
    vec![Draft::done(action, user(&c.user))]
}

pub fn user_created(u: &User) -> Vec<Draft> {
    vec![Draft::done(Action::CreateUser, user(u))]
}

pub fn guest_invited(u: &User) -> Vec<Draft> {
    vec![Draft::done(Action::InviteGuest, user(u))]
}

pub fn group_created(c: &CreatedGroup) -> Vec<Draft> {
    let security = !c.group.group_types.iter().any(|t| t.eq_ignore_ascii_case("Unified"));
    vec![Draft::done(Action::CreateGroup { security }, group(&c.group))]
}

pub fn group_deleted(d: &DeletedGroup) -> Vec<Draft> {
    vec![Draft::done(
        Action::DeleteGroup {
            restorable: d.restorable,
        },
        group(&d.group),
    )]
}

/// One entry per member added (those already members were not changed).
pub fn members_added(o: &AddMembersOutcome) -> Vec<Draft> {
    o.added
        .iter()
        .map(|m| {
            Draft::done(
                Action::AddMember {
                    group: named_group(&o.group),
                },
                member(m),
            )
        })
        .collect()
}

pub fn member_removed(o: &RemoveMemberOutcome) -> Vec<Draft> {
    if !o.was_member {
        return Vec::new();
    }
    vec![Draft::done(
        Action::RemoveMember {
            group: named_group(&o.group),
        },
        member(&o.member),
    )]
}

pub fn owner_changed(c: &OwnerChange) -> Vec<Draft> {
    if !c.changed {
        return Vec::new();
    }
    let group = named_group(&c.group);
    let action = if c.added {
        Action::AddOwner { group }
    } else {
        Action::RemoveOwner { group }
    };
    vec![Draft::done(action, member(&c.owner))]
}

/// Assign or Remove License; `before`: the person's licences read before the change (a removed
/// licence keeps the plans that were switched off, so that undo gives it back the same way).
pub fn licence_changed(before: &[UserLicense], c: &LicenseChange) -> Vec<Draft> {
    let held = |list: &[UserLicense]| list.iter().find(|l| l.name == c.license_name).cloned();
    let Some(licence) = (if c.assigned { held(&c.licenses) } else { held(before) }) else {
        return Vec::new();
    };
    let plans = licence.disabled_plans.iter().map(|p| p.to_string()).collect();
    let (sku_id, name) = (licence.sku_id.to_string(), licence.name.clone());
    let action = if c.assigned {
        Action::AssignLicence {
            sku_id,
            licence: name,
            disabled_plans: plans,
        }
    } else {
        Action::RemoveLicence {
            sku_id,
            licence: name,
            disabled_plans: plans,
        }
    };
    vec![Draft::done(action, user(&c.user))]
}

pub fn role_changed(c: &RoleChange) -> Vec<Draft> {
    if !c.changed {
        return Vec::new();
    }
    let role = Named {
        id: c.role.id.clone(),
        name: c.role.display_name.clone(),
    };
    let scope = Named {
        id: c.scope.id.clone(),
        name: c.scope.name.clone().unwrap_or_else(|| "the whole directory".into()),
    };
    let action = if c.assigned {
        Action::AssignRole { role, scope }
    } else {
        Action::UnassignRole { role, scope }
    };
    vec![Draft::done(action, user(&c.user))]
}

fn deleted_item(id: &str, name: &str, kind: DeletedItemKind) -> Target {
    Target {
        kind: match kind {
            DeletedItemKind::User => TargetKind::User,
            DeletedItemKind::Group => TargetKind::Group,
        },
        id: id.to_owned(),
        name: name.to_owned(),
    }
}

pub fn restored(id: &str, r: &Restored) -> Vec<Draft> {
    vec![Draft::done(Action::Restore, deleted_item(id, &r.name, r.kind))]
}

pub fn deleted_for_good(id: &str, kind: DeletedItemKind, d: &DeletedForGood) -> Vec<Draft> {
    vec![Draft::done(Action::DeleteForGood, deleted_item(id, &d.name, kind))]
}

pub fn contact_created(c: &msgraph::Contact) -> Vec<Draft> {
    let id = c.id.to_string();
    let name = c.display_name.clone().unwrap_or_else(|| id.clone());
    vec![Draft::done(
        Action::CreateContact,
        Target {
            kind: TargetKind::Contact,
            id,
            name,
        },
    )]
}

/// A custom request that could change something (not a GET).
pub fn custom_request(method: &str, path: &str) -> Vec<Draft> {
    if method.eq_ignore_ascii_case("GET") {
        return Vec::new();
    }
    let action = Action::CustomRequest {
        method: method.to_uppercase(),
        path: path.to_owned(),
    };
    vec![Draft::done(action, typed(TargetKind::Other, path))]
}

/// What the journal needs read before some changes (the values undo gives back). A read that
/// fails leaves it unknown: the change itself goes ahead and says why if it cannot.
pub mod before {
    use super::*;

    /// The person as they are (every property Read User shows).
    pub async fn user(client: &Client, key: &str) -> Option<User> {
        directory::users::get(client, key).await.ok()
    }

    /// The group as it is.
    pub async fn group(client: &Client, key: &str) -> Option<Group> {
        directory::groups::get(client, key).await.ok().map(|(g, _)| g)
    }

    /// The person's manager (none: no manager, or not known).
    pub async fn manager(client: &Client, key: &str) -> Option<DirectoryObject> {
        directory::users::manager(client, key).await.ok().flatten()
    }

    /// The person's licences with their switched-off plans.
    pub async fn licences(client: &Client, key: &str) -> Vec<UserLicense> {
        directory::licenses::of_user(client, key).await.unwrap_or_default()
    }
}

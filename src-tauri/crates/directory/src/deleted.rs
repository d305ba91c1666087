//! Deleted items (issue 12 §6): deleted users and Microsoft 365 groups wait 30 days in
//! `/directory/deletedItems`; from here they can be restored or deleted for good (cards.md §0.8).

use msgraph::{Client, DeletedKind, DeletedObject, DirectoryObjectId, ErrorKind, ListQuery};
use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::explain::{explain, Action};
use crate::Error;

/// How long Microsoft keeps a deleted object before removing it for good.
pub const KEPT_DAYS: i64 = 30;

/// A deleted user or group, as the Deleted items page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct DeletedItem {
    pub id: String,
    pub kind: DeletedItemKind,
    pub display_name: String,
    /// The sign-in name of a user, the email address of a group.
    pub detail: Option<String>,
    /// When it was deleted (RFC 3339), when Graph says.
    pub deleted: Option<String>,
    /// Whole days left before Microsoft removes it for good (0: today); `None` when the deletion
    /// time is unknown.
    pub days_left: Option<u32>,
    /// Deleted more than 30 days ago: Microsoft may remove it at any moment.
    pub overdue: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum DeletedItemKind {
    User,
    Group,
}

/// What is read of each kind (Graph refuses a property the type does not have).
fn select(kind: DeletedKind) -> &'static [&'static str] {
    match kind {
        DeletedKind::User => &["id", "displayName", "userPrincipalName", "mail", "deletedDateTime"],
        DeletedKind::Group => &["id", "displayName", "mail", "groupTypes", "deletedDateTime"],
    }
}

/// Every deleted user and group, the most recently deleted first.
pub async fn list(client: &Client, now: OffsetDateTime) -> Result<Vec<DeletedItem>, Error> {
    let mut items = Vec::new();
    for kind in [DeletedKind::User, DeletedKind::Group] {
        let found: Vec<DeletedObject> = client
            .deleted_items()
            .list(kind, ListQuery::new().select(select(kind)).top(999))
            .collect_all()
            .await
            .map_err(|e| explain(Action::ReadDirectory, e))?;
        items.extend(found.into_iter().map(|o| item(o, kind, now)));
    }
    items.sort_by(|a, b| {
        b.deleted
            .cmp(&a.deleted)
            .then_with(|| a.display_name.cmp(&b.display_name))
    });
    Ok(items)
}

fn item(o: DeletedObject, kind: DeletedKind, now: OffsetDateTime) -> DeletedItem {
    let deleted_at = o
        .deleted_date_time
        .as_deref()
        .and_then(|d| OffsetDateTime::parse(d, &Rfc3339).ok());
    let days_left = deleted_at.map(|deleted| days_left(deleted, now));
    let overdue = deleted_at.is_some_and(|deleted| deleted + time::Duration::days(KEPT_DAYS) < now);
    DeletedItem {
        id: o.id.as_str().to_string(),
        kind: match kind {
            DeletedKind::User => DeletedItemKind::User,
            DeletedKind::Group => DeletedItemKind::Group,
        },
        display_name: o
            .display_name
            .clone()
            .or_else(|| o.user_principal_name.clone())
            .unwrap_or_else(|| o.id.as_str().to_string()),
        detail: match kind {
            DeletedKind::User => o.user_principal_name,
            DeletedKind::Group => o.mail,
        },
        deleted: o.deleted_date_time,
        days_left,
        overdue,
    }
}

/// Whole days until `deleted` + 30 days, never below 0.
pub fn days_left(deleted: OffsetDateTime, now: OffsetDateTime) -> u32 {
    let gone = deleted + time::Duration::days(KEPT_DAYS);
    let left = (gone - now).whole_days();
    u32::try_from(left.max(0)).unwrap_or(0)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    pub name: String,
    pub kind: DeletedItemKind,
}

impl Restored {
    pub fn summary(&self) -> String {
        match self.kind {
            DeletedItemKind::User => format!(
                "{} was restored, with their groups and licences. Their sign-in was left as it was when they were deleted.",
                self.name
            ),
            DeletedItemKind::Group => format!("{} was restored, with its members and owners.", self.name),
        }
    }
}

/// Restores a deleted user or group. A user whose sign-in name (or an email address) was given to
/// someone else since cannot come back until that is resolved: said plainly.
pub async fn restore(client: &Client, id: &str) -> Result<Restored, Error> {
    let id = object_id(id)?;
    let object = client.deleted_items().restore(&id).await.map_err(explain_restore)?;
    let kind = if object.is_group() {
        DeletedItemKind::Group
    } else {
        DeletedItemKind::User
    };
    let name = object
        .display_name
        .or(object.user_principal_name)
        .unwrap_or_else(|| object.id.as_str().to_string());
    Ok(Restored { name, kind })
}

/// Graph's refusal of a restore: a sign-in name or address taken since is said plainly.
pub fn explain_restore(e: msgraph::Error) -> Error {
    let conflict = matches!(e.kind(), ErrorKind::Validation | ErrorKind::Conflict)
        && e.message().is_some_and(|m| m.contains("conflicts with property"));
    if conflict {
        let property = e
            .message()
            .and_then(|m| m.split("conflicts with property ").nth(1))
            .map(|rest| rest.split(':').next().unwrap_or(rest).trim().to_string())
            .unwrap_or_else(|| "userPrincipalName".into());
        let what = match property.as_str() {
            "userPrincipalName" => "sign-in name",
            "proxyAddresses" | "mail" => "email address",
            other => other,
        };
        Error::Explained {
            hint: format!(
                "It cannot be restored: another account now has the same {what}. Give that account another {what} (or delete it), then restore again."
            ),
            graph: e,
        }
    } else {
        explain(Action::DeleteUsers, e)
    }
}

/// What a permanent delete did.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedForGood {
    pub name: String,
}

impl DeletedForGood {
    pub fn summary(&self) -> String {
        format!("{} was deleted for good. It cannot be restored.", self.name)
    }
}

/// Deletes for good, once the person has typed the object's name (`typed`) — checked here too,
/// against the name Graph holds, so no slip of the window can skip it.
pub async fn delete_permanently(client: &Client, id: &str, typed: &str) -> Result<DeletedForGood, Error> {
    let id = object_id(id)?;
    let name = current_name(client, &id).await?;
    if typed.trim() != name.trim() {
        return Err(Error::invalid(
            "confirmation",
            format!("Type the name exactly as shown (“{name}”) to delete it for good."),
        ));
    }
    client
        .deleted_items()
        .delete_permanently(&id)
        .await
        .map_err(|e| explain(Action::DeleteUsers, e))?;
    Ok(DeletedForGood { name })
}

/// The deleted object's name as Graph holds it now (it may have gone since the list was read).
async fn current_name(client: &Client, id: &DirectoryObjectId) -> Result<String, Error> {
    for kind in [DeletedKind::User, DeletedKind::Group] {
        let found: Vec<DeletedObject> = client
            .deleted_items()
            .list(
                kind,
                ListQuery::new()
                    .select(&select(kind)[..2])
                    .filter(msgraph::Filter::eq("id", id.as_str())),
            )
            .collect_all()
            .await
            .map_err(|e| explain(Action::ReadDirectory, e))?;
        if let Some(o) = found.into_iter().next() {
            return Ok(o
                .display_name
                .or(o.user_principal_name)
                .unwrap_or_else(|| id.as_str().to_string()));
        }
    }
    Err(Error::Invalid {
        field: None,
        message: "It is no longer in deleted items: it was restored or removed for good meanwhile.".into(),
    })
}

fn object_id(id: &str) -> Result<DirectoryObjectId, Error> {
    let id = id.trim();
    if id.is_empty() || id == "." || id == ".." {
        return Err(Error::invalid("id", "Choose a deleted user or group."));
    }
    Ok(DirectoryObjectId::new(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn days_left_count_down_from_thirty_and_stop_at_zero() {
        let deleted = datetime!(2026-12-01 10:00 UTC);
        assert_eq!(days_left(deleted, datetime!(2026-12-01 10:00 UTC)), 30);
        assert_eq!(days_left(deleted, datetime!(2026-12-07 09:00 UTC)), 24);
        assert_eq!(days_left(deleted, datetime!(2026-12-30 12:00 UTC)), 0);
        assert_eq!(days_left(deleted, datetime!(2027-02-01 00:00 UTC)), 0);
    }

    #[test]
    fn an_item_deleted_more_than_thirty_days_ago_is_due_for_removal() {
        let object = |deleted: &str| -> DeletedObject {
            serde_json::from_value(serde_json::json!({"id": "g1", "displayName": "Test", "deletedDateTime": deleted}))
                .unwrap()
        };
        let now = datetime!(2026-12-07 10:00 UTC);
        let old = item(object("2018-04-01T12:39:00Z"), DeletedKind::Group, now);
        assert!(old.overdue && old.days_left == Some(0), "{old:?}");
        let recent = item(object("2026-12-06T10:00:00Z"), DeletedKind::Group, now);
        assert!(!recent.overdue && recent.days_left == Some(29), "{recent:?}");
    }

    #[test]
    fn summaries_say_what_happened_in_plain_words() {
        let user = Restored {
            name: "Adele Vance".into(),
            kind: DeletedItemKind::User,
        };
        assert!(user.summary().starts_with("Adele Vance was restored"));
        assert_eq!(
            DeletedForGood {
                name: "Old Team".into()
            }
            .summary(),
            "Old Team was deleted for good. It cannot be restored."
        );
    }
}

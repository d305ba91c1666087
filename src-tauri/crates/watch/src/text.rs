//! Plain-English wording of events. Kept apart so the wording is tested in one place.

use serde_json::Value;

use crate::model::{DeleteReason, EventKind, ObjectRef, PropertyChange};

/// How many changed properties an "updated" summary spells out before "and N more".
const MAX_CHANGES_IN_SUMMARY: usize = 3;

/// A person-friendly name for a Graph property.
pub fn property_label(property: &str) -> &str {
    match property {
        "displayName" => "display name",
        "givenName" => "first name",
        "assignedLicenses" => "licences",
        "surname" => "last name",
        "userPrincipalName" => "sign-in name",
        "mail" => "email",
        "jobTitle" => "job title",
        "department" => "department",
        "officeLocation" => "office",
        "companyName" => "company",
        "employeeId" => "employee ID",
        "mobilePhone" => "mobile phone",
        "businessPhones" => "business phones",
        "usageLocation" => "usage location",
        "userType" => "user type",
        "accountEnabled" => "sign-in enabled",
        "createdDateTime" => "created",
        "description" => "description",
        "groupTypes" => "group types",
        "mailEnabled" => "mail enabled",
        "mailNickname" => "mail nickname",
        "proxyAddresses" => "email addresses",
        "securityEnabled" => "security enabled",
        "securityIdentifier" => "security identifier",
        "visibility" => "visibility",
        other => other,
    }
}

/// A property value as a person reads it.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "(empty)".into(),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) if items.is_empty() => "(empty)".into(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        // A licence (`assignedLicenses` entry) is named by its SKU id.
        Value::Object(o) if o.get("skuId").is_some_and(Value::is_string) => value_text(&o["skuId"]),
        Value::Object(_) => value.to_string(),
    }
}

fn changes_text(changes: &[PropertyChange]) -> String {
    let mut parts: Vec<String> = changes
        .iter()
        .take(MAX_CHANGES_IN_SUMMARY)
        .map(|c| {
            format!(
                "{}: {} → {}",
                property_label(&c.property),
                value_text(&c.old),
                value_text(&c.new)
            )
        })
        .collect();
    if changes.len() > MAX_CHANGES_IN_SUMMARY {
        parts.push(format!("and {} more", changes.len() - MAX_CHANGES_IN_SUMMARY));
    }
    parts.join("; ")
}

fn member_text(member: &ObjectRef) -> String {
    use crate::model::ObjectType;
    match (&member.object_type, &member.name) {
        (ObjectType::User, Some(n)) if !n.is_empty() => n.clone(),
        (t, Some(n)) if !n.is_empty() => format!("{} {n}", t.noun()),
        _ => member.display(),
    }
}

/// The one-line summary of an event.
pub fn summary(
    kind: EventKind,
    object: &ObjectRef,
    member: Option<&ObjectRef>,
    reason: Option<DeleteReason>,
    changes: &[PropertyChange],
) -> String {
    let noun = object.object_type.noun();
    let who = object.display_with_detail();
    match kind {
        EventKind::UserCreated | EventKind::GroupCreated => {
            if object.name.is_none() {
                format!(
                    "{noun} created and deleted again before its details could be read: {}",
                    object.id
                )
            } else {
                format!("{noun} created: {who}")
            }
        }
        EventKind::UserUpdated | EventKind::GroupUpdated => {
            if changes.is_empty() {
                format!("{noun} updated: {who}")
            } else {
                format!("{noun} updated: {who} — {}", changes_text(changes))
            }
        }
        EventKind::UserRestored | EventKind::GroupRestored => {
            if changes.is_empty() {
                format!("{noun} restored: {who}")
            } else {
                format!("{noun} restored: {who} — {}", changes_text(changes))
            }
        }
        EventKind::UserDeleted | EventKind::GroupDeleted => match reason {
            Some(DeleteReason::SoftDeleted) => {
                format!("{noun} deleted: {who} — it can be restored for 30 days")
            }
            Some(DeleteReason::PermanentlyDeleted) => {
                format!("{noun} permanently deleted: {who}")
            }
            _ => format!("{noun} deleted: {who} — it is no longer in the directory"),
        },
        EventKind::MemberAdded | EventKind::MemberRemoved => {
            let group = object.display();
            let m = member.map(member_text).unwrap_or_else(|| "A member".into());
            if kind == EventKind::MemberAdded {
                format!("{m} was added to {group}")
            } else {
                format!("{m} was removed from {group}")
            }
        }
    }
}

/// The sentence of an owner event: "Adele Vance was made an owner of Sales".
pub fn owner_summary(kind: EventKind, group: &ObjectRef, owner: Option<&ObjectRef>) -> String {
    let group = group.display();
    let who = owner.map(member_text).unwrap_or_else(|| "An owner".into());
    if kind == EventKind::MemberAdded {
        format!("{who} was made an owner of {group}")
    } else {
        format!("{who} is no longer an owner of {group}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ObjectType;
    use serde_json::json;

    fn adele() -> ObjectRef {
        ObjectRef {
            id: "87d349ed-44d7-43e1-9a83-5f2406dee5bd".into(),
            object_type: ObjectType::User,
            name: Some("Adele Vance".into()),
            detail: Some("AdeleV@contoso.com".into()),
        }
    }

    fn sales() -> ObjectRef {
        ObjectRef {
            id: "g-sales".into(),
            object_type: ObjectType::Group,
            name: Some("Sales".into()),
            detail: Some("sales@contoso.com".into()),
        }
    }

    #[test]
    fn sentences_read_naturally() {
        assert_eq!(
            summary(EventKind::UserCreated, &adele(), None, None, &[]),
            "User created: Adele Vance (AdeleV@contoso.com)"
        );
        assert_eq!(
            summary(EventKind::MemberAdded, &sales(), Some(&adele()), None, &[]),
            "Adele Vance was added to Sales"
        );
        let contact = ObjectRef {
            id: "c-1".into(),
            object_type: ObjectType::Contact,
            name: None,
            detail: None,
        };
        assert_eq!(
            summary(EventKind::MemberRemoved, &sales(), Some(&contact), None, &[]),
            "Contact c-1 was removed from Sales"
        );
        assert_eq!(
            owner_summary(EventKind::MemberAdded, &sales(), Some(&adele())),
            "Adele Vance was made an owner of Sales"
        );
        assert_eq!(
            owner_summary(EventKind::MemberRemoved, &sales(), Some(&adele())),
            "Adele Vance is no longer an owner of Sales"
        );
        let change = PropertyChange {
            property: "jobTitle".into(),
            old: json!("Retail Manager"),
            new: json!("Store Manager"),
        };
        assert_eq!(
            summary(EventKind::UserUpdated, &adele(), None, None, &[change]),
            "User updated: Adele Vance (AdeleV@contoso.com) — job title: Retail Manager → Store Manager"
        );
        assert_eq!(
            summary(
                EventKind::GroupDeleted,
                &sales(),
                None,
                Some(DeleteReason::SoftDeleted),
                &[]
            ),
            "Group deleted: Sales (sales@contoso.com) — it can be restored for 30 days"
        );
    }

    #[test]
    fn long_change_lists_are_shortened() {
        let changes: Vec<PropertyChange> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|p| PropertyChange {
                property: (*p).into(),
                old: Value::Null,
                new: json!(true),
            })
            .collect();
        let s = summary(EventKind::UserUpdated, &adele(), None, None, &changes);
        assert!(s.ends_with("c: (empty) → yes; and 2 more"), "{s}");
    }
}

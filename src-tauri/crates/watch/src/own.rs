//! Write-through adapters: what Graph accepted for a change made in this app (a create's answer,
//! a PATCH body, a deletion, a membership) as `OwnChange`s for `Engine::record_own`. The shell's
//! commands and `cargo xtask fidelity` both build their write-through from these, so what the
//! harness checks is what the app records. The mirror keeps only the properties it tracks.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::model::{ObjectType, OwnChange, Relation, Resource};

/// The fields of a PATCH body Graph accepted (absent = unchanged, `null` = cleared).
pub fn patched<T: Serialize>(resource: Resource, id: &str, body: &T) -> Option<OwnChange> {
    match serde_json::to_value(body) {
        Ok(Value::Object(props)) => Some(OwnChange::Upsert {
            resource,
            id: id.to_owned(),
            props,
        }),
        _ => None,
    }
}

/// A PATCH whose `sent` properties are recorded with the values the object holds now (as Graph
/// returned it after the change: tidied values, cleared ones as `null`). What the object does not
/// carry — a password, a property Graph does not return — is never recorded.
pub fn patched_as_now<T: Serialize>(resource: Resource, id: &str, sent: &[String], now: &T) -> Option<OwnChange> {
    let Ok(Value::Object(all)) = serde_json::to_value(now) else {
        return None;
    };
    let props: Map<String, Value> = all.into_iter().filter(|(k, _)| k != "id" && sent.contains(k)).collect();
    (!props.is_empty()).then(|| OwnChange::Upsert {
        resource,
        id: id.to_owned(),
        props,
    })
}

/// An object Graph returned from a create: what it says is known, what it omits is left for the
/// next check to fill in (never recorded as cleared).
pub fn created<T: Serialize>(resource: Resource, id: &str, object: &T) -> Option<OwnChange> {
    match serde_json::to_value(object) {
        Ok(Value::Object(props)) => Some(OwnChange::Upsert {
            resource,
            id: id.to_owned(),
            props: props
                .into_iter()
                .filter(|(k, v)| k != "id" && !v.is_null() && v != &Value::Array(Vec::new()))
                .collect(),
        }),
        _ => None,
    }
}

/// One property set (or cleared with `Value::Null`).
pub fn property(resource: Resource, id: &str, name: &str, value: Value) -> OwnChange {
    let mut props = Map::new();
    props.insert(name.to_owned(), value);
    OwnChange::Upsert {
        resource,
        id: id.to_owned(),
        props,
    }
}

/// Deleted: `restorable` from the recycle bin (deleted items) for 30 days — users and Microsoft
/// 365 groups — or gone for good (security groups): Graph's DELETE answers neither, so the
/// caller says which.
pub fn deleted(resource: Resource, id: &str, restorable: bool) -> OwnChange {
    OwnChange::Deleted {
        resource,
        id: id.to_owned(),
        permanent: !restorable,
    }
}

/// Added to (`added`) or removed from a group as a member.
pub fn membership(group_id: &str, member_id: &str, member_type: ObjectType, added: bool) -> OwnChange {
    OwnChange::Membership {
        group_id: group_id.to_owned(),
        member_id: member_id.to_owned(),
        member_type,
        relation: Relation::Member,
        added,
    }
}

/// Made (`added`) or no longer an owner of a group.
pub fn ownership(group_id: &str, owner_id: &str, owner_type: ObjectType, added: bool) -> OwnChange {
    OwnChange::Membership {
        group_id: group_id.to_owned(),
        member_id: owner_id.to_owned(),
        member_type: owner_type,
        relation: Relation::Owner,
        added,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_create_answer_records_what_graph_said_and_leaves_out_what_it_did_not() {
        let change = created(
            Resource::Users,
            "u1",
            &json!({"id": "u1", "displayName": "Nestor Wilke", "city": null, "businessPhones": []}),
        )
        .unwrap();
        let OwnChange::Upsert { props, .. } = change else {
            panic!("{change:?}")
        };
        assert_eq!(Value::Object(props), json!({"displayName": "Nestor Wilke"}));
    }

    #[test]
    fn a_patch_records_cleared_fields_as_cleared() {
        let change = patched(Resource::Users, "u1", &json!({"city": null, "jobTitle": "Director"})).unwrap();
        let OwnChange::Upsert { props, .. } = change else {
            panic!("{change:?}")
        };
        assert_eq!(Value::Object(props), json!({"city": null, "jobTitle": "Director"}));
    }

    #[test]
    fn a_patch_is_recorded_with_the_values_graph_holds_now_and_never_a_password() {
        let sent = ["preferredLanguage", "city", "passwordProfile"].map(String::from);
        let now = json!({"id": "u1", "preferredLanguage": "en-GB", "city": null, "department": "Sales"});
        let change = patched_as_now(Resource::Users, "u1", &sent, &now).unwrap();
        let OwnChange::Upsert { props, .. } = change else {
            panic!("{change:?}")
        };
        assert_eq!(
            Value::Object(props),
            json!({"preferredLanguage": "en-GB", "city": null})
        );
        let only_password = ["passwordProfile".to_string()];
        assert!(patched_as_now(Resource::Users, "u1", &only_password, &now).is_none());
    }

    #[test]
    fn a_deletion_says_whether_it_can_be_undone() {
        let gone = |restorable| match deleted(Resource::Groups, "g1", restorable) {
            OwnChange::Deleted { permanent, .. } => permanent,
            other => panic!("{other:?}"),
        };
        assert!(!gone(true), "a Microsoft 365 group waits in deleted items");
        assert!(gone(false), "a security group is gone for good");
    }

    #[test]
    fn a_membership_names_the_member_and_its_type() {
        assert_eq!(
            membership("g1", "g2", ObjectType::Group, false),
            OwnChange::Membership {
                group_id: "g1".into(),
                member_id: "g2".into(),
                member_type: ObjectType::Group,
                relation: Relation::Member,
                added: false,
            }
        );
    }
}

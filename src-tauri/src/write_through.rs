//! Write-through: after Graph accepts a change made here, the change is recorded in the local copy
//! at once (`watch::Engine::record_own`), so the tables, which read the copy, show it without
//! waiting for the next check, and Activity records it once, marked as made in this app.
//! These adapters turn what Graph accepted into `watch::OwnChange`s; the watch crate keeps only the
//! properties it tracks.

use serde::Serialize;
use serde_json::{Map, Value};
use watch::{ObjectType, OwnChange, Resource};

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

pub fn deleted(resource: Resource, id: &str) -> OwnChange {
    OwnChange::Deleted {
        resource,
        id: id.to_owned(),
    }
}

pub fn membership(group_id: &str, member: &directory::groups::Member, added: bool) -> OwnChange {
    OwnChange::Membership {
        group_id: group_id.to_owned(),
        member_id: member.id.to_string(),
        member_type: if member.is_group {
            ObjectType::Group
        } else {
            ObjectType::User
        },
        relation: watch::Relation::Member,
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
}

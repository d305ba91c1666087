//! One OS notification per batch. Desktop notifications cannot be clicked through to details, so
//! the text says what happened in a glance and the Activity view has the rest.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{ChangeBatch, Event, EventKind};

/// At most this many phrases in a multi-change body; the rest is counted.
const MAX_PARTS: usize = 4;
/// Member events of more groups than this are counted per kind, not named per group.
const MAX_NAMED_GROUPS: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationText {
    pub title: String,
    pub body: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn phrase(kind: EventKind, n: usize) -> String {
    let (one, many, verb) = match kind {
        EventKind::UserCreated => ("user", "users", "created"),
        EventKind::UserUpdated => ("user", "users", "updated"),
        EventKind::UserDeleted => ("user", "users", "deleted"),
        EventKind::UserRestored => ("user", "users", "restored"),
        EventKind::GroupCreated => ("group", "groups", "created"),
        EventKind::GroupUpdated => ("group", "groups", "updated"),
        EventKind::GroupDeleted => ("group", "groups", "deleted"),
        EventKind::GroupRestored => ("group", "groups", "restored"),
        EventKind::MemberAdded => ("member", "members", "added"),
        EventKind::MemberRemoved => ("member", "members", "removed"),
    };
    format!("{} {verb}", plural(n, one, many))
}

/// The notification for a batch, counting only the kinds whose notifications are on; `None` when
/// nothing in the batch is to be notified.
///
/// One event: title = what happened ("Member added"), body = its summary ("Adele Vance was added
/// to Sales"). Several: title = "12 directory changes", body = "9 users created, 3 members added
/// to Sales".
pub fn summarize_batch(batch: &ChangeBatch) -> Option<NotificationText> {
    let events: Vec<&Event> = batch.events.iter().filter(|e| batch.notify.contains(&e.kind)).collect();
    match events.as_slice() {
        [] => None,
        [one] => Some(NotificationText {
            title: one.kind.label().to_owned(),
            body: one.summary.clone(),
        }),
        many => Some(NotificationText {
            title: format!("{} directory changes", many.len()),
            body: body(many),
        }),
    }
}

fn body(events: &[&Event]) -> String {
    // (count, first position) per kind, and per group for member events.
    let mut per_kind: BTreeMap<EventKind, (usize, usize)> = BTreeMap::new();
    let mut per_group: BTreeMap<(EventKind, String), (usize, usize)> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        per_kind.entry(e.kind).or_insert((0, i)).0 += 1;
        if e.kind.is_member_event() {
            per_group.entry((e.kind, e.object.display())).or_insert((0, i)).0 += 1;
        }
    }
    // (count, first position, text)
    let mut parts: Vec<(usize, usize, String)> = Vec::new();
    for (kind, (n, first)) in &per_kind {
        if kind.is_member_event() {
            let groups: Vec<(&String, &(usize, usize))> = per_group
                .iter()
                .filter(|((k, _), _)| k == kind)
                .map(|((_, g), v)| (g, v))
                .collect();
            if groups.len() <= MAX_NAMED_GROUPS {
                for (group, (gn, gfirst)) in groups {
                    let to = if *kind == EventKind::MemberAdded { "to" } else { "from" };
                    parts.push((*gn, *gfirst, format!("{} {to} {group}", phrase(*kind, *gn))));
                }
            } else {
                let to = if *kind == EventKind::MemberAdded { "to" } else { "from" };
                parts.push((
                    *n,
                    *first,
                    format!("{} {to} {} groups", phrase(*kind, *n), groups.len()),
                ));
            }
        } else {
            parts.push((*n, *first, phrase(*kind, *n)));
        }
    }
    // Biggest first; ties in the order they happened.
    parts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let total_parts = parts.len();
    let mut shown: Vec<String> = Vec::new();
    let mut rest = 0usize;
    for (i, (n, _, text)) in parts.into_iter().enumerate() {
        if i < MAX_PARTS || total_parts == MAX_PARTS + 1 && i == MAX_PARTS {
            shown.push(text);
        } else {
            rest += n;
        }
    }
    if rest > 0 {
        shown.push(plural(rest, "other change", "other changes"));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObjectRef, ObjectType};
    use std::collections::BTreeSet;
    use time::macros::datetime;

    fn ev(kind: EventKind, object: &str, summary: &str) -> Event {
        Event {
            id: format!("{}:{object}:{summary}", kind.as_str()),
            seq: 0,
            kind,
            detected_at: datetime!(2026-11-26 10:42 UTC),
            since: None,
            occurred_at: None,
            object: ObjectRef {
                id: object.into(),
                object_type: if kind.resource() == crate::model::Resource::Users {
                    ObjectType::User
                } else {
                    ObjectType::Group
                },
                name: Some(object.into()),
                detail: None,
            },
            member: None,
            relation: crate::model::Relation::Member,
            reason: None,
            changes: vec![],
            summary: summary.into(),
            resync: false,
            by_app: false,
        }
    }

    fn batch(events: Vec<Event>) -> ChangeBatch {
        ChangeBatch {
            events,
            detected_at: datetime!(2026-11-26 10:42 UTC),
            notify: EventKind::ALL.into_iter().collect(),
            changed: BTreeSet::new(),
        }
    }

    #[test]
    fn one_event_is_its_own_sentence() {
        let b = batch(vec![ev(
            EventKind::MemberAdded,
            "Sales",
            "Adele Vance was added to Sales",
        )]);
        assert_eq!(
            summarize_batch(&b),
            Some(NotificationText {
                title: "Member added".into(),
                body: "Adele Vance was added to Sales".into()
            })
        );
    }

    #[test]
    fn many_events_are_counted() {
        let mut events = Vec::new();
        for i in 0..9 {
            events.push(ev(EventKind::UserCreated, &format!("u{i}"), "x"));
        }
        for i in 0..3 {
            events.push(ev(EventKind::MemberAdded, "Sales", &format!("m{i}")));
        }
        let text = summarize_batch(&batch(events)).unwrap();
        assert_eq!(text.title, "12 directory changes");
        assert_eq!(text.body, "9 users created, 3 members added to Sales");
    }

    #[test]
    fn members_of_many_groups_are_counted_per_kind_and_long_lists_cut() {
        let mut events = Vec::new();
        for g in ["A", "B", "C"] {
            events.push(ev(EventKind::MemberRemoved, g, g));
        }
        events.push(ev(EventKind::UserDeleted, "u", "u"));
        events.push(ev(EventKind::GroupCreated, "g", "g"));
        events.push(ev(EventKind::GroupDeleted, "g2", "g2"));
        events.push(ev(EventKind::UserRestored, "u2", "u2"));
        events.push(ev(EventKind::UserUpdated, "u3", "u3"));
        let text = summarize_batch(&batch(events)).unwrap();
        assert_eq!(text.title, "8 directory changes");
        assert_eq!(
            text.body,
            "3 members removed from 3 groups, 1 user deleted, 1 group created, 1 group deleted, 2 other changes"
        );
    }

    #[test]
    fn notification_rules_are_respected() {
        let mut b = batch(vec![
            ev(EventKind::UserUpdated, "u1", "User updated: u1"),
            ev(EventKind::UserCreated, "u2", "User created: u2"),
        ]);
        b.notify.remove(&EventKind::UserUpdated);
        assert_eq!(
            summarize_batch(&b),
            Some(NotificationText {
                title: "User created".into(),
                body: "User created: u2".into()
            })
        );
        b.notify.clear();
        assert_eq!(summarize_batch(&b), None);
    }
}

//! Watch rules: what is recorded and what is notified. Stored as a small JSON file next to the
//! mirror (`<mirror>.rules.json`), not inside it: the engine holds a long write transaction while
//! it streams a first sync into SQLite, and a change in Settings must not wait for that. The
//! mirror itself always stays complete; rules only decide which events are recorded, sent and
//! notified.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::WatchError;
use crate::model::{Event, EventKind, Relation};

/// Where the rules of a mirror live: `watch.sqlite3` → `watch.rules.json`.
pub fn rules_path_for(db_path: &Path) -> PathBuf {
    db_path.with_extension("rules.json")
}

/// Reads rules from `path`; a missing file means the defaults.
pub fn load_rules(path: &Path) -> Result<WatchRules, WatchError> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str::<WatchRules>(&text)
            .map(WatchRules::normalized)
            .map_err(|e| WatchError::Corrupt(format!("the watch rules in {}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(WatchRules::default()),
        Err(e) => Err(WatchError::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

/// Like `load_rules`, but a rules file that cannot be read as rules (damaged, or cut short) is set
/// aside (`localfiles::set_aside`) and the default rules apply; the second value says so, for the
/// person. An unreadable folder is still an error.
pub fn load_rules_or_set_aside(path: &Path) -> Result<(WatchRules, Option<String>), WatchError> {
    match load_rules(path) {
        Err(WatchError::Corrupt(why)) => {
            let aside = localfiles::set_aside(path, &[]).map_err(|e| WatchError::Io {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            tracing::warn!(error = %why, aside = %aside.display(), "watch rules set aside");
            Ok((
                WatchRules::default(),
                Some(format!(
                    "Your watch settings could not be read, so they were set aside as {} and the default settings apply; set them again in Settings.",
                    aside.display()
                )),
            ))
        }
        other => other.map(|rules| (rules, None)),
    }
}

/// Writes rules (normalised) to `path` atomically and privately (`localfiles::write_private`) and
/// returns what was written.
pub fn save_rules(path: &Path, rules: WatchRules) -> Result<WatchRules, WatchError> {
    let rules = rules.normalized();
    let io = |e: std::io::Error| WatchError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let json =
        serde_json::to_string_pretty(&rules).map_err(|e| WatchError::Corrupt(format!("the watch rules: {e}")))?;
    localfiles::write_private(path, json.as_bytes()).map_err(io)?;
    Ok(rules)
}

pub const DEFAULT_POLL_SECS: u64 = 60;
pub const MIN_POLL_SECS: u64 = 15;
/// One day: a slower check would let the 7-day delta token expire after a week's holiday anyway.
pub const MAX_POLL_SECS: u64 = 86_400;
pub const DEFAULT_RETENTION_DAYS: u32 = 180;

/// Per-kind switches. A kind that is missing from `WatchRules::kinds` is on and notifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KindRule {
    /// Record and send events of this kind.
    pub enabled: bool,
    /// Include them in OS notifications (only meaningful when `enabled`).
    pub notify: bool,
}

impl Default for KindRule {
    fn default() -> Self {
        KindRule {
            enabled: true,
            notify: true,
        }
    }
}

/// Which groups the member events and "group updated" events are reported for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", tag = "scope", content = "groupIds")]
pub enum GroupScope {
    #[default]
    All,
    /// Only these group ids (the UI picks them by name from the mirror).
    Only(Vec<String>),
}

/// Which people "user updated" events are reported for (Okta's "specific user" option).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase", tag = "scope", content = "userIds")]
pub enum UserScope {
    #[default]
    All,
    /// Only these user ids (the UI picks them by name from the local copy).
    Only(Vec<String>),
}

/// Which relation the member events follow (Okta's *Member Type*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum MemberType {
    /// People and objects joining or leaving as members.
    #[default]
    Members,
    /// Owners being added or removed.
    Owners,
    Both,
}

impl MemberType {
    pub fn covers(self, relation: Relation) -> bool {
        matches!(
            (self, relation),
            (MemberType::Both, _) | (MemberType::Members, Relation::Member) | (MemberType::Owners, Relation::Owner)
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WatchRules {
    pub kinds: BTreeMap<EventKind, KindRule>,
    /// Applies to MemberAdded, MemberRemoved and GroupUpdated.
    pub groups: GroupScope,
    /// Applies to UserUpdated.
    pub users: UserScope,
    /// Applies to MemberAdded and MemberRemoved.
    pub member_type: MemberType,
    /// Seconds between checks (jittered by ±10 %). Clamped to 15 s … 1 day.
    pub poll_interval_secs: u64,
    /// Days the event history is kept. At least 1.
    pub retention_days: u32,
}

impl Default for WatchRules {
    fn default() -> Self {
        WatchRules {
            kinds: BTreeMap::new(),
            groups: GroupScope::All,
            users: UserScope::All,
            member_type: MemberType::Members,
            poll_interval_secs: DEFAULT_POLL_SECS,
            retention_days: DEFAULT_RETENTION_DAYS,
        }
    }
}

impl WatchRules {
    /// The same rules with out-of-range values brought into range.
    pub fn normalized(mut self) -> WatchRules {
        self.poll_interval_secs = self.poll_interval_secs.clamp(MIN_POLL_SECS, MAX_POLL_SECS);
        self.retention_days = self.retention_days.max(1);
        if let GroupScope::Only(ids) = &mut self.groups {
            ids.sort();
            ids.dedup();
        }
        if let UserScope::Only(ids) = &mut self.users {
            ids.sort();
            ids.dedup();
        }
        self
    }

    pub fn kind(&self, kind: EventKind) -> KindRule {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }

    pub fn set_kind(&mut self, kind: EventKind, rule: KindRule) {
        self.kinds.insert(kind, rule);
    }

    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs(self.poll_interval_secs.clamp(MIN_POLL_SECS, MAX_POLL_SECS))
    }

    /// Whether an event is recorded and sent.
    pub fn records(&self, event: &Event) -> bool {
        if !self.kind(event.kind).enabled {
            return false;
        }
        if event.kind.is_member_event() && !self.member_type.covers(event.relation) {
            return false;
        }
        let group_scoped = matches!(
            event.kind,
            EventKind::MemberAdded | EventKind::MemberRemoved | EventKind::GroupUpdated
        );
        if let (GroupScope::Only(ids), true) = (&self.groups, group_scoped) {
            return ids.contains(&event.object.id);
        }
        match (&self.users, event.kind) {
            (UserScope::Only(ids), EventKind::UserUpdated) => ids.contains(&event.object.id),
            _ => true,
        }
    }

    /// Whether a recorded event of this kind goes into notifications.
    pub fn notifies(&self, kind: EventKind) -> bool {
        let rule = self.kind(kind);
        rule.enabled && rule.notify
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_watch_everything_every_minute() {
        let r = WatchRules::default();
        for k in EventKind::ALL {
            assert!(r.kind(k).enabled && r.notifies(k));
        }
        assert_eq!(r.poll_interval(), Duration::from_secs(60));
        assert_eq!(r.retention_days, 180);
    }

    #[test]
    fn interval_is_clamped_to_fifteen_seconds() {
        let r = WatchRules {
            poll_interval_secs: 2,
            retention_days: 0,
            ..WatchRules::default()
        }
        .normalized();
        assert_eq!(r.poll_interval_secs, 15);
        assert_eq!(r.retention_days, 1);
    }

    #[test]
    fn rules_are_saved_next_to_the_mirror_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = rules_path_for(&dir.path().join("tenant/watch.sqlite3"));
        assert!(path.ends_with("tenant/watch.rules.json"));
        assert_eq!(load_rules(&path).unwrap(), WatchRules::default());
        let saved = save_rules(
            &path,
            WatchRules {
                poll_interval_secs: 5,
                ..WatchRules::default()
            },
        )
        .unwrap();
        assert_eq!(saved.poll_interval_secs, 15);
        assert_eq!(load_rules(&path).unwrap(), saved);
        std::fs::write(&path, "{not json").unwrap();
        let err = load_rules(&path).unwrap_err();
        assert!(err.to_string().contains("watch rules"), "{err}");
    }

    #[test]
    fn json_shape_is_stable() {
        let mut r = WatchRules {
            groups: GroupScope::Only(vec!["g2".into(), "g1".into(), "g1".into()]),
            ..WatchRules::default()
        }
        .normalized();
        r.set_kind(
            EventKind::UserUpdated,
            KindRule {
                enabled: true,
                notify: false,
            },
        );
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "kinds": {"userUpdated": {"enabled": true, "notify": false}},
                "groups": {"scope": "only", "groupIds": ["g1", "g2"]},
                "users": {"scope": "all"},
                "memberType": "members",
                "pollIntervalSecs": 60,
                "retentionDays": 180
            })
        );
        let back: WatchRules = serde_json::from_value(json).unwrap();
        assert_eq!(back, r);
        // Older or partial settings files fill in defaults.
        let partial: WatchRules = serde_json::from_str("{\"pollIntervalSecs\": 120}").unwrap();
        assert_eq!(partial.poll_interval_secs, 120);
        assert_eq!(partial.groups, GroupScope::All);
        assert_eq!(partial.member_type, MemberType::Members);
    }

    fn event(kind: EventKind, object: &str, relation: Relation) -> Event {
        use crate::model::{ObjectRef, ObjectType};
        let obj = |id: &str, object_type| ObjectRef {
            id: id.into(),
            object_type,
            name: None,
            detail: None,
        };
        Event {
            id: "x".into(),
            seq: 0,
            kind,
            detected_at: time::OffsetDateTime::UNIX_EPOCH,
            since: None,
            occurred_at: None,
            object: obj(object, ObjectType::Group),
            member: kind.is_member_event().then(|| obj("u1", ObjectType::User)),
            relation,
            reason: None,
            changes: vec![],
            summary: String::new(),
            resync: false,
            by_app: false,
        }
    }

    #[test]
    fn member_type_chooses_members_owners_or_both() {
        let added_member = event(EventKind::MemberAdded, "g1", Relation::Member);
        let added_owner = event(EventKind::MemberAdded, "g1", Relation::Owner);
        let removed_owner = event(EventKind::MemberRemoved, "g1", Relation::Owner);
        let with = |member_type| WatchRules {
            member_type,
            ..WatchRules::default()
        };
        let members = with(MemberType::Members);
        assert!(members.records(&added_member) && !members.records(&added_owner));
        let owners = with(MemberType::Owners);
        assert!(!owners.records(&added_member) && owners.records(&added_owner) && owners.records(&removed_owner));
        let both = with(MemberType::Both);
        assert!(both.records(&added_member) && both.records(&added_owner));
        // The group scope still applies to owner events.
        let scoped = WatchRules {
            groups: GroupScope::Only(vec!["g2".into()]),
            ..with(MemberType::Both)
        };
        assert!(!scoped.records(&added_owner));
        // A group event is not a member event: member type does not hide it.
        assert!(owners.records(&event(EventKind::GroupCreated, "g1", Relation::Member)));
    }

    #[test]
    fn specific_people_scope_only_user_updated() {
        let r = WatchRules {
            users: UserScope::Only(vec!["u2".into(), "u1".into(), "u2".into()]),
            ..WatchRules::default()
        }
        .normalized();
        assert_eq!(r.users, UserScope::Only(vec!["u1".into(), "u2".into()]));
        assert!(r.records(&event(EventKind::UserUpdated, "u1", Relation::Member)));
        assert!(!r.records(&event(EventKind::UserUpdated, "u3", Relation::Member)));
        // Other user events are about the whole directory.
        assert!(r.records(&event(EventKind::UserCreated, "u3", Relation::Member)));
        assert!(r.records(&event(EventKind::UserDeleted, "u3", Relation::Member)));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(
            json["users"],
            serde_json::json!({"scope": "only", "userIds": ["u1", "u2"]})
        );
    }
}

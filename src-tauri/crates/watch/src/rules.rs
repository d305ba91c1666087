//! Watch rules: what is recorded and what is notified. Stored as JSON in the mirror's `settings`
//! table (key `rules`), so they live and move with the watched tenant's data. The mirror itself
//! always stays complete; rules only decide which events are recorded, sent and notified.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::{Event, EventKind};

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WatchRules {
    pub kinds: BTreeMap<EventKind, KindRule>,
    /// Applies to MemberAdded, MemberRemoved and GroupUpdated.
    pub groups: GroupScope,
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
        let scoped = matches!(
            event.kind,
            EventKind::MemberAdded | EventKind::MemberRemoved | EventKind::GroupUpdated
        );
        match (&self.groups, scoped) {
            (GroupScope::Only(ids), true) => ids.contains(&event.object.id),
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
    }
}

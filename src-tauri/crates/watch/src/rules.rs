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
use crate::model::{Event, EventKind};

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

/// Writes rules (normalised) to `path` atomically (a temporary file renamed over the old one)
/// and returns what was written.
pub fn save_rules(path: &Path, rules: WatchRules) -> Result<WatchRules, WatchError> {
    let rules = rules.normalized();
    let io = |e: std::io::Error| WatchError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
    }
    let json =
        serde_json::to_string_pretty(&rules).map_err(|e| WatchError::Corrupt(format!("the watch rules: {e}")))?;
    let tmp = path.with_extension("rules.json.tmp");
    std::fs::write(&tmp, json).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)?;
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

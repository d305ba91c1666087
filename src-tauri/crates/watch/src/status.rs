//! What the engine is doing, for the status bar and the tray.

use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

use crate::model::Resource;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "state")]
pub enum WatchState {
    /// Started, first check not done yet.
    Starting,
    /// Building the local copy (first sync, or a resync after a long time offline).
    Syncing {
        resource: Resource,
        objects: u64,
        /// About how many the walk will list (Graph's eventually consistent count), when known.
        #[serde(default)]
        estimate: Option<u64>,
    },
    /// A regular check is running.
    Checking,
    /// Waiting for the next check.
    Idle,
    /// Paused by the person; no checks until resumed.
    Paused,
    /// Microsoft Graph could not be reached; retrying at `next_check`.
    Offline,
    /// Microsoft Graph asked us to slow down; retrying at `next_check`.
    Throttled,
    /// Something needs a person (sign in again, a missing permission, a damaged local file).
    NeedsAttention,
    /// The engine has stopped.
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WatchStatus {
    #[serde(flatten)]
    pub state: WatchState,
    /// The last check that completed.
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_checked: Option<OffsetDateTime>,
    /// When the next check (or retry) is due.
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_check: Option<OffsetDateTime>,
    /// Plain-language detail of the last failure, if the engine is retrying or needs attention.
    pub message: Option<String>,
    /// How many checks (successful or not) this engine has finished since it started.
    pub checks: u64,
    /// Something the person should know that is not a failure, for as long as this engine runs: a
    /// damaged local copy or rules file was set aside (where it went, what happens now).
    pub notice: Option<String>,
}

impl WatchStatus {
    pub fn starting() -> WatchStatus {
        WatchStatus {
            state: WatchState::Starting,
            last_checked: None,
            next_check: None,
            message: None,
            checks: 0,
            notice: None,
        }
    }

    /// One line for the status bar, with times in `offset` (the shell passes the local offset):
    /// "last checked 10:42, next 10:43", "offline — retrying at 10:45".
    pub fn text(&self, offset: UtcOffset) -> String {
        let hm = |t: OffsetDateTime| {
            t.to_offset(offset)
                .format(format_description!("[hour]:[minute]"))
                .unwrap_or_default()
        };
        let last = self.last_checked.map(hm);
        let next = self.next_check.map(hm);
        match (&self.state, last, next) {
            (WatchState::Starting, ..) => "starting".into(),
            (
                WatchState::Syncing {
                    resource,
                    objects,
                    estimate,
                },
                ..,
            ) => match estimate {
                Some(about) if *about >= *objects => {
                    format!(
                        "building the local copy — {objects} of about {about} {} read",
                        resource.as_str()
                    )
                }
                _ => format!("building the local copy — {objects} {} read", resource.as_str()),
            },
            (WatchState::Checking, Some(l), _) => format!("checking now (last checked {l})"),
            (WatchState::Checking, None, _) => "checking now".into(),
            (WatchState::Idle, Some(l), Some(n)) => format!("last checked {l}, next {n}"),
            (WatchState::Idle, Some(l), None) => format!("last checked {l}"),
            (WatchState::Idle, None, _) => "waiting for the first check".into(),
            (WatchState::Paused, Some(l), _) => format!("paused (last checked {l})"),
            (WatchState::Paused, None, _) => "paused".into(),
            (WatchState::Offline, _, Some(n)) => format!("offline — retrying at {n}"),
            (WatchState::Offline, _, None) => "offline — retrying".into(),
            (WatchState::Throttled, _, Some(n)) => {
                format!("Microsoft Graph asked to slow down — retrying at {n}")
            }
            (WatchState::Throttled, _, None) => "Microsoft Graph asked to slow down".into(),
            (WatchState::NeedsAttention, _, next) => {
                let msg = self.message.clone().unwrap_or_else(|| "check failed".into());
                match next {
                    Some(n) => format!("{msg} — next try at {n}"),
                    None => msg,
                }
            }
            (WatchState::Stopped, ..) => "stopped".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{datetime, offset};

    #[test]
    fn status_line_uses_local_time() {
        let s = WatchStatus {
            state: WatchState::Idle,
            last_checked: Some(datetime!(2026-11-26 09:42 UTC)),
            next_check: Some(datetime!(2026-11-26 09:43 UTC)),
            message: None,
            checks: 1,
            notice: None,
        };
        assert_eq!(s.text(offset!(+1)), "last checked 10:42, next 10:43");
        let offline = WatchStatus {
            state: WatchState::Offline,
            next_check: Some(datetime!(2026-11-26 09:45 UTC)),
            ..s.clone()
        };
        assert_eq!(offline.text(offset!(+1)), "offline — retrying at 10:45");
        let json = serde_json::to_value(&offline).unwrap();
        assert_eq!(json["state"], "offline");
        assert_eq!(json["nextCheck"], "2026-11-26T09:45:00Z");
    }
}

//! Change detection for Entra Desk: delta walks → local mirror (SQLite) → directory events.
//! Knows nothing of Tauri: the shell receives `ChangeBatch`es on a channel and `WatchStatus` on a
//! watch channel, and words notifications with `summarize_batch`. See README.md.

mod derive;
mod engine;
mod error;
mod graph;
#[cfg(test)]
mod idle_cost;
mod model;
mod name_order;
mod notify;
mod read;
mod read_schema;
mod readers;
mod roles;
mod rules;
mod source;
mod status;
mod store;
mod text;

pub mod own;

// The test harness, for tests and tools only (see the `test-util` feature in Cargo.toml).
#[cfg(feature = "test-util")]
pub mod fake;
#[cfg(feature = "test-util")]
pub mod fidelity;
#[cfg(feature = "test-util")]
pub mod testkit;

pub use derive::{WalkMode, WalkState, NOISE_PROPERTIES};
pub use engine::{CheckAfter, Clock, Engine, EngineOptions, SystemClock};
pub use error::WatchError;
pub use graph::classify;
pub use model::{
    ChangeBatch, DeleteReason, Event, EventKind, ObjectRef, ObjectType, OwnChange, PropertyChange, Relation, Resource,
};
pub use notify::{summarize_batch, NotificationText};
pub use read::{Criterion, ListQuery, MatchOp, Page, Record, MAX_WINDOW};
pub use readers::Readers;
pub use roles::{RoleHolder, RoleHolders};
pub use rules::{
    load_rules, load_rules_or_set_aside, rules_path_for, save_rules, GroupScope, KindRule, MemberType, UserScope,
    WatchRules, DEFAULT_POLL_SECS, DEFAULT_RETENTION_DAYS, MAX_POLL_SECS, MIN_POLL_SECS,
};
pub use source::{
    query_fingerprint, select_for, DeltaPages, DeltaSource, SourceError, SourceErrorKind, GROUP_SELECT, USER_SELECT,
};
pub use status::{WatchState, WatchStatus};
pub use store::{EventQuery, Mirror, MirrorCounts, StoredCursor, SCHEMA_VERSION};
pub use text::{property_label, value_text};

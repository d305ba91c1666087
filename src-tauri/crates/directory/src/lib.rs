//! The directory actions as use cases over `msgraph`: input checked before anything is sent,
//! names resolved to ids, Graph's answers explained in plain language. Knows the domain, never Tauri.

pub mod contacts;
pub mod custom;
pub mod deleted;
pub mod error;
pub mod explain;
pub mod groups;
pub mod guests;
pub mod import;
pub mod licence_names;
pub mod licenses;
pub mod membership_rule;
pub mod new_user;
pub mod profile;
pub mod roles;
pub mod search;
pub mod users;
pub mod validate;

pub use error::Error;
pub use search::{Criterion, MatchMode, SearchInput};

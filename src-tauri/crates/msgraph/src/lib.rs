//! Microsoft Graph v1.0 client. Knows HTTP and Graph only: no Tauri, no keyring, no UI.

pub mod auth;

pub use auth::{AccessToken, TokenError, TokenProvider};
pub mod delta_types;
pub use delta_types::{DeltaCursor, DeltaObject, DeltaPage, DeltaStart, MemberDelta, RemovedReason};

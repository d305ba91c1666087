//! Microsoft Graph v1.0 client. Knows HTTP and Graph only: no Tauri, no keyring, no UI.
//!
//! Every request goes through one `execute()` (token per request, one forced refresh on 401,
//! retries per [`RetryPolicy`], Graph's error envelope decoded into [`Error`]).

pub mod api;
pub mod auth;
pub mod batch;
mod client;
pub mod cloud;
pub mod delta;
pub mod delta_types;
mod encode;
pub mod error;
pub mod ids;
pub mod models;
pub mod paging;
pub mod preview;
#[cfg(test)]
mod proptests;
pub mod query;
mod read_only;
pub mod receipts;
pub mod retry;
pub mod waits;

pub use api::contacts::Contacts;
pub use api::custom::{
    is_json_content_type, is_reserved_header, CustomBody, CustomPages, CustomRequest, CustomResponse, HttpMethod,
};
pub use api::deleted::{DeletedItems, DeletedKind};
pub use api::directory::{DirectoryRoleKey, Invitations, Licenses, Roles};
pub use api::groups::{Groups, MAX_BIND};
pub use api::users::Users;
pub use auth::{AccessToken, TokenError, TokenFuture, TokenProvider};
pub use batch::{BatchRequest, BatchResponse, MAX_BATCH};
pub use client::{Client, ClientOptions};
pub use cloud::Cloud;
pub use delta::{DeltaResource, DeltaWalk};
pub use delta_types::{DeltaCursor, DeltaObject, DeltaPage, DeltaStart, MemberDelta, RemovedReason};
pub use error::{Error, ErrorDetail, ErrorKind};
pub use ids::*;
pub use models::*;
pub use paging::Pager;
pub use preview::{Preview, PreviewedRequest, PREVIEW_ID};
pub use query::{Filter, FilterValue, ListQuery, Order, Search};
pub use receipts::Receipts;
pub use retry::{AttemptOutcome, RetryDecision, RetryPolicy};
pub use waits::{WaitEvent, Waiting, Waits};

//! The journal of every change Entra Desk makes (one at a time or in bulk): when, which account,
//! what, on what, the values before and after, Graph's request id and the result — and the
//! one-click undo of the changes Graph can take back (`undo`). Knows the domain, never Tauri.

pub mod capture;
pub mod model;
mod store;
pub mod undo;

pub use model::{Account, Action, Change, Draft, Entry, Filter, JobRow, Named, Outcome, Target, TargetKind};
pub use store::{Journal, MASKED};

use std::path::Path;

/// What can go wrong with the journal itself.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the journal could not be read or written: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the journal was written by a newer Entra Desk (version {found})")]
    Newer { found: i64 },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("an entry could not be encoded: {0}")]
    Json(#[from] serde_json::Error),
    /// A filter or request the person can correct.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    fn io(path: &Path, e: std::io::Error) -> Error {
        Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        }
    }
}

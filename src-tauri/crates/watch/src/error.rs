//! Errors of the watch engine, in plain language.

use crate::source::SourceError;

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("Entra Desk's local copy of the directory could not be read or written: {0}")]
    Store(#[from] rusqlite::Error),
    #[error("The folder {path} for Entra Desk's local copy of the directory could not be created: {message}")]
    Io { path: String, message: String },
    #[error("The local copy of the directory was written by another version of Entra Desk (schema {found}; this version uses {known}). Update Entra Desk, or remove the file to rebuild it.")]
    SchemaMismatch { found: i64, known: i64 },
    #[error("Part of Entra Desk's local copy of the directory is damaged ({0}).")]
    Corrupt(String),
    #[error("{0}")]
    Source(#[from] SourceError),
    #[error("Microsoft Graph ended a change list without the link to continue from; the check will be repeated.")]
    WalkWithoutCursor,
    #[error("The watcher has stopped.")]
    Stopped,
    /// A search of the local copy named something it cannot search by (plain language).
    #[error("{0}")]
    BadQuery(String),
    #[error("Internal error in the watcher: {0}")]
    Internal(String),
}

impl WatchError {
    /// The local copy's file itself cannot be used: not a database, damaged, or from a newer version.
    pub fn is_unusable_copy(&self) -> bool {
        use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
        match self {
            WatchError::SchemaMismatch { found, known } => found > known,
            WatchError::Store(rusqlite::Error::SqliteFailure(e, _)) => matches!(e.code, NotADatabase | DatabaseCorrupt),
            WatchError::Corrupt(_) => true,
            _ => false,
        }
    }
}

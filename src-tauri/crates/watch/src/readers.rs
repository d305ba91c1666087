//! Read-only connections to the mirror, kept open between reads.
//!
//! Every table window, search keystroke and picker reads the mirror. Opening a connection per read
//! throws away SQLite's page cache and parsed schema each time, which at 100,000 people cost most
//! of a window's IPC round trip. `Readers` keeps a few idle read-only connections (WAL: each read
//! sees the last committed check, and readers never block the engine's writer) and opens another
//! only when they are all busy.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::{Mirror, WatchError};

/// At most this many idle connections are kept; more may be open while reads overlap.
const KEEP_IDLE: usize = 4;

pub struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Mirror>>,
}

impl Readers {
    /// Readers of the mirror at `path` (which may not exist yet: the first check creates it).
    pub fn new(path: impl Into<PathBuf>) -> Readers {
        Readers {
            path: path.into(),
            idle: Mutex::new(Vec::new()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `read` on an idle connection, or on a new one. `Ok(None)` while there is no mirror yet.
    /// Blocks (SQLite): call it off the async runtime.
    pub fn read<T>(&self, read: impl FnOnce(&Mirror) -> Result<T, WatchError>) -> Result<Option<T>, WatchError> {
        let reused = self.lock().pop();
        let mirror = match reused {
            Some(m) => m,
            None if !self.path.exists() => return Ok(None),
            None => Mirror::open_read_only(&self.path)?,
        };
        let result = read(&mirror);
        // A connection that failed is dropped: the next read opens a fresh one (a schema change
        // or a replaced file must not stick).
        if result.is_ok() {
            let mut idle = self.lock();
            if idle.len() < KEEP_IDLE {
                idle.push(mirror);
            }
        }
        result.map(Some)
    }

    /// How many idle connections are kept now (for tests).
    pub fn idle(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Mirror>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }
}

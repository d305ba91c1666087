//! Cancel button for a running sign-in.

use std::sync::Arc;

use tokio::sync::watch;

/// Cheap to clone; every clone cancels the same sign-in.
#[derive(Clone, Debug)]
pub struct CancelHandle {
    tx: Arc<watch::Sender<bool>>,
}

impl Default for CancelHandle {
    fn default() -> Self {
        CancelHandle::new()
    }
}

impl CancelHandle {
    pub fn new() -> CancelHandle {
        CancelHandle {
            tx: Arc::new(watch::channel(false).0),
        }
    }

    /// Stop the sign-in: it returns `SignInErrorKind::Cancelled` promptly.
    pub fn cancel(&self) {
        self.tx.send_replace(true);
    }

    pub fn is_cancelled(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once `cancel()` has been called (at once if it already was).
    pub async fn cancelled(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so `wait_for` can only end by seeing `true`.
        let _ = rx.wait_for(|c| *c).await;
    }
}

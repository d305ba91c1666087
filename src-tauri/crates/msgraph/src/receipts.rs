//! Receipts: Graph's `request-id` of every change it accepted through one client
//! (`Client::receipted`), so that a journal of the app's changes can name the request Microsoft
//! support can look up. Reads are not kept.

use std::sync::{Arc, Mutex};

/// The request ids of the changes Graph accepted, in the order they were sent.
#[derive(Debug, Clone, Default)]
pub struct Receipts {
    ids: Arc<Mutex<Vec<String>>>,
}

impl Receipts {
    pub(crate) fn keep(&self, request_id: &str) {
        if !request_id.is_empty() {
            self.ids
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(request_id.to_owned());
        }
    }

    /// Every request id so far.
    pub fn request_ids(&self) -> Vec<String> {
        self.ids.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

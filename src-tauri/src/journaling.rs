//! Recording the app's changes in the active account's journal: every command that changes the
//! directory takes a [`Recorder`] (the Graph client that keeps Graph's request ids, the check that
//! follows a change) and hands it what `directory` returned — done or failed — with the journal's
//! reading of it (`journal::capture`). Recording never fails the command: Graph has the change.

use std::sync::Arc;

use journal::{Action, Draft, Target};

use crate::error::IpcError;
use crate::state::AppState;

/// A change about to be made with the active account.
pub struct Recorder {
    /// The client to make the change with.
    pub client: msgraph::Client,
    receipts: msgraph::Receipts,
    _check: watch::CheckAfter,
    journal: Option<Arc<journal::Journal>>,
    account: journal::Account,
    /// The entry this change undoes (an undo), linked in every entry recorded.
    undoes: Option<i64>,
}

impl AppState {
    /// What a command that changes the directory makes its change with (see [`Recorder`]).
    pub async fn recorder(&self) -> Result<Recorder, IpcError> {
        let (client, check) = self.graph_for_change().await?;
        let (journal, account) = self.journal().await?;
        let (client, receipts) = client.receipted();
        Ok(Recorder {
            client,
            receipts,
            _check: check,
            journal,
            account,
            undoes: None,
        })
    }

    /// The journal's entries `filter` selects, newest first (none when there is no journal).
    pub async fn journal_entries(&self, filter: journal::Filter) -> Result<Vec<journal::Entry>, IpcError> {
        let (journal, _) = self.journal().await?;
        let Some(journal) = journal else { return Ok(Vec::new()) };
        blocking(move || journal.list(&filter)).await
    }

    /// One entry of the journal.
    pub async fn journal_entry(&self, id: i64) -> Result<journal::Entry, IpcError> {
        let (journal, _) = self.journal().await?;
        let journal =
            journal.ok_or_else(|| IpcError::internal("Changes made here are not recorded in this session."))?;
        blocking(move || journal.get(id))
            .await?
            .ok_or_else(|| IpcError::internal(format!("Change #{id} is not in the journal.")))
    }
}

/// A journal read off the async runtime, its errors in the UI's terms.
async fn blocking<T: Send + 'static>(
    read: impl FnOnce() -> Result<T, journal::Error> + Send + 'static,
) -> Result<T, IpcError> {
    match tokio::task::spawn_blocking(read).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(journal::Error::Invalid(message))) => Err(IpcError::Validation { message, field: None }),
        Ok(Err(e)) => Err(IpcError::internal(format!(
            "The list of changes made here could not be read: {e}"
        ))),
        Err(e) => Err(IpcError::internal(format!(
            "Reading the list of changes made here stopped: {e}"
        ))),
    }
}

impl Recorder {
    /// The same recorder for an undo of entry `id`: what it records is linked to that entry.
    pub fn undoing(self, id: i64) -> Recorder {
        Recorder {
            undoes: Some(id),
            ..self
        }
    }

    /// Records what `result` says was done (`done` reads the outcome as entries), or the failed
    /// attempt (`tried`: the action and its target as typed) with Graph's reason and request id.
    pub async fn record<T>(
        &self,
        result: &Result<T, directory::Error>,
        done: impl FnOnce(&T) -> Vec<Draft>,
        tried: impl FnOnce() -> (Action, Target),
    ) {
        let drafts = match result {
            Ok(outcome) => with_request_ids(done(outcome), &self.receipts.request_ids()),
            // Refused before anything was sent: the input, or a read-only sign-in.
            Err(directory::Error::Invalid { .. }) => return,
            Err(e) if e.graph().is_some_and(|g| g.kind() == msgraph::ErrorKind::ReadOnly) => return,
            Err(e) => {
                let (action, target) = tried();
                vec![journal::capture::failed(action, target, e)]
            }
        };
        let undoes = self.undoes;
        self.record_drafts(
            drafts
                .into_iter()
                .map(|d| Draft {
                    undoes: d.undoes.or(undoes),
                    ..d
                })
                .collect(),
        )
        .await;
    }

    /// Records entries already made (an undo's).
    pub async fn record_drafts(&self, drafts: Vec<Draft>) {
        let Some(journal) = self.journal.clone() else { return };
        if drafts.is_empty() {
            return;
        }
        let account = self.account.clone();
        let written = tokio::task::spawn_blocking(move || {
            journal.record_many(&account, time::OffsetDateTime::now_utc(), &drafts)
        })
        .await;
        match written {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "a change made here could not be journaled"),
            Err(e) => tracing::warn!(error = %e, "journaling a change stopped"),
        }
    }
}

/// Graph's request ids given to the entries: one each when there are as many as entries (one
/// request per change), else the last one (the request that made the change) to each.
fn with_request_ids(drafts: Vec<Draft>, ids: &[String]) -> Vec<Draft> {
    let one_each = ids.len() == drafts.len();
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, d)| Draft {
            request_id: d
                .request_id
                .or_else(|| if one_each { ids.get(i) } else { ids.last() }.cloned()),
            ..d
        })
        .collect()
}

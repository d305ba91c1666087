//! The production `DeltaSource`: `msgraph::Client`'s delta walks, with Graph's errors classified
//! for the engine.

use futures::future::BoxFuture;
use msgraph::{DeltaPage, DeltaResource, DeltaStart, DeltaWalk, ErrorKind};

use crate::model::Resource;
use crate::source::{select_for, DeltaPages, DeltaSource, SourceError, SourceErrorKind};

/// How the engine should treat a Graph error. The message keeps Graph's own words (code,
/// request id) via `msgraph::Error`'s `Display`, which never contains a token.
pub fn classify(error: &msgraph::Error) -> SourceError {
    let kind = match error.kind() {
        ErrorKind::DeltaExpired => SourceErrorKind::Expired,
        ErrorKind::Throttled => SourceErrorKind::Throttled,
        ErrorKind::Network => SourceErrorKind::Network,
        ErrorKind::Transient => SourceErrorKind::Transient,
        ErrorKind::Unauthorized | ErrorKind::Forbidden => SourceErrorKind::Unauthorized,
        _ => SourceErrorKind::Other,
    };
    SourceError {
        kind,
        retry_after: error.retry_after(),
        message: error.to_string(),
    }
}

struct GraphWalk(DeltaWalk);

impl DeltaPages for GraphWalk {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<DeltaPage>, SourceError>> {
        Box::pin(async move { self.0.next_page().await.map_err(|e| classify(&e)) })
    }
}

impl DeltaSource for msgraph::Client {
    fn walk(&self, resource: Resource, start: DeltaStart) -> Box<dyn DeltaPages> {
        let graph_resource = match resource {
            Resource::Users => DeltaResource::Users,
            Resource::Groups => DeltaResource::Groups,
        };
        Box::new(GraphWalk(self.delta(graph_resource, select_for(resource), start)))
    }

    /// One advanced-query request (`$count=true`, `$top=1`, `ConsistencyLevel: eventual`): Graph's
    /// count is eventually consistent, hence "about".
    fn estimate(&self, resource: Resource) -> BoxFuture<'_, Option<u64>> {
        Box::pin(async move {
            let query = || msgraph::ListQuery::new().select(&["id"]).top(1).count(true);
            let counted = match resource {
                Resource::Users => {
                    let mut pager = self.users().list(query());
                    pager.next_page().await.map(|_| pager.count())
                }
                Resource::Groups => {
                    let mut pager = self.groups().list(query());
                    pager.next_page().await.map(|_| pager.count())
                }
            };
            match counted {
                Ok(count) => count,
                Err(e) => {
                    tracing::debug!(error = %e, "could not estimate the size of the directory");
                    None
                }
            }
        })
    }
}

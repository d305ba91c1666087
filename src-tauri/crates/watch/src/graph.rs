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
}

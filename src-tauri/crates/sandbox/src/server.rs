//! The HTTP server: builds the router (sign-in endpoints, the Graph front door, the admin API) and
//! runs it.

use crate::shared::{LogLine, Shared};
use crate::util::new_guid;
use crate::{admin, auth, front};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

async fn loopback_only(ConnectInfo(addr): ConnectInfo<SocketAddr>, req: Request, next: Next) -> Response {
    if !addr.ip().is_loopback() {
        return (
            StatusCode::FORBIDDEN,
            "The practice tenant's admin API is reachable only from this computer.",
        )
            .into_response();
    }
    next.run(req).await
}

/// The header every admin API request carries: this practice tenant's secret (`Sandbox::admin_secret`).
pub const ADMIN_SECRET_HEADER: &str = "x-sandbox-secret";

/// The admin API answers only requests that carry the secret: a web page open in a local browser can
/// reach 127.0.0.1, but cannot know the secret (and a custom header makes its request preflighted,
/// which this server never allows).
async fn admin_guard(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let given = req
        .headers()
        .get(ADMIN_SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !crate::util::constant_eq(given, s.admin_secret.as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            "The practice tenant's admin API needs this practice tenant's secret in the X-Sandbox-Secret header.",
        )
            .into_response();
    }
    next.run(req).await
}

async fn auth_log(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    // Sign-in endpoints: log the path only (queries carry state, nonce and codes).
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    s.record(
        LogLine {
            seq: 0,
            time: crate::util::iso_now(),
            method: method.clone(),
            path: path.clone(),
            status: resp.status().as_u16(),
            request_id: new_guid(),
            duration_ms: started.elapsed().as_millis() as u64,
            fault: None,
        },
        format!("{method} {}", path.replace(&s.tenant_id, "{tenant}")),
    );
    resp
}

async fn home(State(s): State<Arc<Shared>>) -> Response {
    let body = serde_json::json!({
        "name": "Entra Desk practice tenant",
        "tenantId": s.tenant_id,
        "clientId": s.client_id,
        "graph": s.graph,
        "openidConfiguration": format!("{}/{}/v2.0/.well-known/openid-configuration", s.base, s.tenant_id),
        "admin": format!("{}/_sandbox/", s.base),
    });
    axum::Json(body).into_response()
}

pub fn router(s: Arc<Shared>) -> Router {
    let sign_in = Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(auth::openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(auth::jwks))
        .route("/{tenant}/oauth2/v2.0/authorize", get(auth::authorize))
        .route("/{tenant}/oauth2/v2.0/authorize/select", get(auth::authorize_select))
        .route("/{tenant}/oauth2/v2.0/token", post(auth::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(auth::devicecode))
        .route("/{tenant}/oauth2/v2.0/logout", get(auth::logout))
        .route("/devicelogin", get(auth::devicelogin))
        .layer(middleware::from_fn_with_state(s.clone(), auth_log));
    let admin = admin::router()
        .layer(middleware::from_fn_with_state(s.clone(), admin_guard))
        .layer(middleware::from_fn(loopback_only));
    Router::new()
        .route("/", get(home))
        .route("/v1.0", any(front::graph_entry))
        .route("/v1.0/{*rest}", any(front::graph_entry))
        .merge(sign_in)
        .nest("/_sandbox", admin)
        .with_state(s)
}

/// Serves the router on `listener` until `stop` fires (or its sender is dropped).
pub fn serve(listener: TcpListener, s: Arc<Shared>, stop: oneshot::Receiver<()>) -> JoinHandle<()> {
    let app = router(s).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop.await;
            })
            .await;
    })
}

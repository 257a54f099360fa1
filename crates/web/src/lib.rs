//! The HTTP front of Gerbang: axum routers, middleware and the mapping of
//! domain and storage errors onto HTTP answers.
//!
//! Until the access plane lands, the server answers `/healthz` and, only when
//! started with `--dev-open-register`, a read-only
//! `GET /api/v1/residents/{nik}` for local development. That route has no
//! authorization at all and is therefore absent from the router unless the
//! flag is given.

mod error;
mod middleware;
mod residents;

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use gerbang_core::Regions;
use gerbang_store::Store;
use tokio::net::TcpListener;

pub use error::WebError;
pub use residents::resident_record;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The storage backend.
    pub store: Arc<dyn Store>,
    /// Region names for element values.
    pub regions: &'static Regions,
}

/// How the server is put together.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebConfig {
    /// Mount the unauthenticated development register route.
    pub dev_open_register: bool,
}

/// The complete router.
pub fn router(state: AppState, config: WebConfig) -> Router {
    let mut api = Router::new();
    if config.dev_open_register {
        api = api.route("/api/v1/residents/{nik}", get(residents::resident_show));
    }
    let routes = Router::new().route("/healthz", get(healthz)).merge(api).fallback(error::not_found);
    middleware::apply(routes).with_state(state)
}

/// Liveness: the process is up and answering.
async fn healthz() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// Serves `router` on `listener` until `shutdown` completes. Tests bind
/// `127.0.0.1:0` and pass the listener, so they never wait for start-up.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    config: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state, config);
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

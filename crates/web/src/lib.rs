//! The HTTP front of Gerbang: axum routers, middleware and the mapping of
//! domain and storage errors onto HTTP answers.
//!
//! - the compatible web service of WIRE.md (`/dukcapil/get_json/…`);
//! - the compatible face service (`/api/face-recognition/…/CALL_FR`);
//! - Gerbang's own API (`/api/v1/…`);
//! - residents' access history (`/api/v1/resident/access-history`,
//!   [`transparency`]);
//! - `/healthz` and `/metrics`.
//!
//! Every mechanism call of either front goes through [`gate`], which runs
//! the guards of `core` and writes the audit record before answering. With
//! `--dev-open-register` a read-only `GET /api/v1/residents/{nik}` without
//! any authorization is mounted for local development; it is absent
//! otherwise.

mod admin;
pub mod alerts_api;
mod audit_sink;
mod biometric_api;
pub mod biometrics;
mod caller;
mod card_reader;
mod compat;
mod error;
mod face_recognition;
pub mod gate;
mod metrics;
mod middleware;
mod openapi;
mod password_checks;
mod refund;
mod residents;
pub mod return_data;
mod routes;
pub mod sentinel;
pub mod server;
mod state;
pub mod transparency;
mod v1;

use std::future::Future;

use axum::Router;
use axum::routing::{get, patch, post, put};
use tokio::net::TcpListener;

pub use audit_sink::AuditSink;
pub use compat::lookup_label;
pub use error::{OwnFormat, WebError};
pub use metrics::Metrics;
pub use openapi::ApiDoc;
pub use residents::resident_record;
pub use routes::Routes;
pub use server::{ServerLimits, serve_with_limits};
pub use state::{AppState, CONTROL_REFRESH};
pub use v1::QUOTA_HEADER;

/// How the server is put together.
#[derive(Debug, Clone, Copy, Default)]
pub struct WebConfig {
    /// Mount the unauthenticated development register route.
    pub dev_open_register: bool,
}

/// The complete router.
pub fn router(state: AppState, config: WebConfig) -> Router {
    router_with(state, config, Routes::new())
}

/// The complete router with `pages` (the portal) mounted beside the
/// services, under the same middleware, body limit and fallback.
pub fn router_with(state: AppState, config: WebConfig, pages: Routes) -> Router {
    router_with_uploads(state, config, pages, Routes::new())
}

/// [`router_with`], plus `uploads`: page routes that take large files and
/// enforce their own limit while streaming, so they sit outside the 1 MiB
/// body limit of the other pages.
pub fn router_with_uploads(state: AppState, config: WebConfig, pages: Routes, uploads: Routes) -> Router {
    assemble(state, config, pages, uploads).0
}

/// [`router_with_uploads`] and the path template of every route it serves.
pub fn assemble(state: AppState, config: WebConfig, pages: Routes, uploads: Routes) -> (Router, Vec<&'static str>) {
    // Mechanism routes read their bodies with their own limit, so that an
    // oversized body is still answered in the service's format and audited.
    let mechanisms = Routes::new()
        .route("/dukcapil/get_json/{instansi}/{method}", post(compat::get_json))
        .route("/dukcapil/get_json/{region}/{instansi}/{method}", post(compat::get_json_with_region))
        .route("/api/v1/call-nik", post(v1::call_nik))
        .route("/api/v1/verify-by-elements", post(v1::verify_by_elements))
        .route("/api/v1/nik-kk-check", post(v1::nik_kk_check))
        .route("/api/v1/family-members", post(v1::family_members))
        .route("/dukcapil/data_balikan", post(return_data::compat_store))
        .route("/api/v1/return-data", post(return_data::v1_store))
        .route("/api/v1/card-reader/events", post(card_reader::reader_event))
        .route("/api/face-recognition/dukcapil/{credential_id}/CALL_FR", post(face_recognition::call_fr))
        .route("/api/v1/face/match", post(biometric_api::face_match))
        .route("/api/v1/face/search", post(biometric_api::face_search))
        .route("/api/v1/fingerprint/identify", post(biometric_api::fingerprint_identify))
        .route("/api/v1/photo", post(biometric_api::photo))
        .route("/api/v1/admin/residents/{nik}/face", put(biometric_api::enrol_face))
        .route("/api/v1/admin/residents/{nik}/fingerprints/{finger}", put(biometric_api::enrol_fingerprints));
    let mut rest = Routes::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/api/face-recognition/public-key", get(face_recognition::public_key))
        .route("/api/v1/admin/institutions", get(admin::institutions_list).post(admin::institution_create))
        .route("/api/v1/admin/institutions/{code}", patch(admin::institution_update))
        .route("/api/v1/admin/agreements", get(admin::agreements_list).post(admin::agreement_create))
        .route("/api/v1/admin/agreements/{id}/addenda", post(admin::agreement_extend))
        .route("/api/v1/admin/agreements/{id}/termination", post(admin::agreement_terminate))
        .route("/api/v1/admin/accounts", post(admin::account_create))
        .route("/api/v1/admin/accounts/{user_id}", patch(admin::account_update))
        .route("/api/v1/admin/networks", post(admin::network_allow).delete(admin::network_revoke))
        .route("/api/v1/admin/alerts", get(alerts_api::alerts_list))
        .route("/api/v1/return-data/of-resident", post(return_data::of_resident))
        .route("/api/v1/resident/access-history", post(transparency::access_history_show))
        .route("/api/v1/admin/sams/{id}/personalization", post(card_reader::personalize))
        .route("/api/v1/admin/sams/{id}/activation", post(card_reader::activate))
        .route("/api/v1/admin/sams/{id}/deactivation", post(card_reader::deactivate))
        .route("/api/v1/admin/sams/{id}/config-return", post(card_reader::config_return));
    if config.dev_open_register {
        rest = rest.route("/api/v1/residents/{nik}", get(residents::resident_show));
    }
    let rest = rest.merge(pages).wrap(middleware::limit_bodies);
    let (routes, paths) = mechanisms.merge(uploads).merge(rest).into_parts();
    let routes = routes.fallback(error::not_found);
    (middleware::apply(routes).with_state(state), paths)
}

/// Liveness: the process is up and answering.
async fn healthz() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// Prometheus metrics.
async fn metrics_text(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")],
        state.metrics.render(),
    )
}

/// Serves `router` on `listener` until `shutdown` completes. Tests bind
/// `127.0.0.1:0` and pass the listener, so they never wait for start-up.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    config: WebConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve(listener, router(state, config), shutdown).await
}

/// Serves an assembled router (see [`router_with`]) on `listener` until
/// `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve_with_limits(listener, app, ServerLimits::default(), shutdown).await
}

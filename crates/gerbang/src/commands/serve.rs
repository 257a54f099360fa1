//! `gerbang serve`: opens the existing register and serves HTTP until
//! Ctrl-C or SIGTERM.

use std::sync::Arc;

use gerbang_core::{Clock, Regions, SystemClock};
use gerbang_store::Store;
use gerbang_store_sqlite::OpenMode;
use gerbang_web::{AppState, WebConfig};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// Serves the configured store.
pub async fn run(config: &Config) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::MustExist).await?;
    serve_store(config, store).await
}

/// Serves an already opened store.
pub async fn serve_store(config: &Config, store: Arc<dyn Store>) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let regions = Regions::official();
    tracing::info!(
        provinces = regions.provinces().len(),
        villages = regions.villages().len(),
        millis = started.elapsed().as_millis() as u64,
        "data wilayah dimuat"
    );
    let listener = TcpListener::bind(config.listen).await.map_err(|error| {
        CliError::new("serve.bind", format!("tidak dapat mendengarkan di {}: {error}", config.listen))
    })?;
    let address = listener.local_addr().map_err(|error| CliError::new("serve.bind", error.to_string()))?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let intake = gerbang_intake::IntakeConfig {
        access_window_days: config.return_data.access_window_days,
        max_upload_bytes: config.return_data.max_upload_mib << 20,
        ..gerbang_intake::IntakeConfig::default()
    };
    let models = config.face_models_dir();
    let biometrics = gerbang_web::biometrics::BiometricEngine::load(store.as_ref(), Some(&models)).await?;
    let counts = biometrics.counts();
    tracing::info!(faces = counts.faces, fingers = counts.fingers, "data biometrik dimuat");
    let state = AppState::open(store, regions, Arc::clone(&clock), config.trusted_proxies.clone())
        .await?
        .with_intake(intake)
        .with_biometrics(biometrics)
        .with_provider_key(open::provider_key(config)?);
    tokio::spawn(crate::commands::notify::keep_queueing(state.clone(), clock));
    let stop = shutdown_signal()?;
    // Said only once everything above is ready, so that whoever waits for
    // this line (an operator, a supervisor, a test) can call at once.
    tracing::info!(store = %state.store.describe(), %address, "Gerbang siap");
    eprintln!("Gerbang mendengarkan di http://{address}  (Ctrl-C untuk berhenti)");
    if config.dev_open_register {
        tracing::warn!(
            "--dev-open-register aktif: GET /api/v1/residents/{{nik}} terbuka TANPA otorisasi; hanya untuk pengembangan lokal"
        );
    }
    let web = WebConfig { dev_open_register: config.dev_open_register };
    let app = {
        let sessions: Arc<gerbang_portal::Sessions> = Arc::default();
        let uploads = gerbang_portal::uploads(Arc::clone(&sessions));
        gerbang_web::router_with_uploads(state, web, gerbang_portal::router(sessions), uploads)
    };
    let limits = gerbang_web::ServerLimits { max_connections: config.max_connections, ..Default::default() };
    gerbang_web::serve_with_limits(listener, app, limits, stop)
        .await
        .map_err(|error| CliError::new("serve.io", format!("server berhenti karena galat: {error}")))
}

/// A future that completes on Ctrl-C or SIGTERM. The handlers are installed
/// here, before the server says it is ready: a future that installed them
/// only when first polled left a moment after the "ready" line in which a
/// SIGTERM still killed the process outright.
fn shutdown_signal() -> Result<impl Future<Output = ()> + Send + 'static, CliError> {
    let install =
        |error: std::io::Error| CliError::new("serve.signal", format!("penangan sinyal tidak dapat dipasang: {error}"));
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{SignalKind, signal};
        (signal(SignalKind::interrupt()).map_err(install)?, signal(SignalKind::terminate()).map_err(install)?)
    };
    #[cfg(unix)]
    let stopped = async move {
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
    };
    #[cfg(not(unix))]
    let stopped = {
        let _ = install;
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    };
    Ok(async move {
        stopped.await;
        tracing::info!("berhenti atas permintaan");
    })
}

//! The HTTP server loop: hyper's HTTP/1.1 connection handling under the
//! limits a public service needs and `axum::serve` does not set.
//!
//! - **Header read timeout**: a client must send a request's whole head
//!   within [`ServerLimits::header_read_timeout`], or its connection is
//!   closed (a "slowloris" that trickles header bytes cannot hold a
//!   connection open). Bodies are bounded by the request time limit and the
//!   body limits of [`crate::middleware`].
//! - **Connection limit**: at most [`ServerLimits::max_connections`] open
//!   connections. Beyond that the loop stops accepting, so further clients
//!   wait in the kernel's backlog instead of exhausting file descriptors.
//! - **Graceful shutdown**: when the shutdown future completes, no new
//!   connection is accepted and the open ones finish their request.
//!
//! Every request carries the peer address as axum's `ConnectInfo`, as
//! `into_make_service_with_connect_info` would give it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Connection-level limits of the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerLimits {
    /// Most connections open at once.
    pub max_connections: usize,
    /// Longest a client may take to send a request's head (also the
    /// longest an idle kept-alive connection waits for the next request).
    pub header_read_timeout: Duration,
}

/// Open connections allowed by default: far more than the partner systems
/// of one deployment keep alive, well under a process's usual descriptor
/// limit once raised for a server.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;

/// Time allowed for a request head by default.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits { max_connections: DEFAULT_MAX_CONNECTIONS, header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT }
    }
}

/// Pause after an accept error that is not the client's doing (e.g. out of
/// file descriptors), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// Serves `app` on `listener` under `limits` until `shutdown` completes,
/// then lets the open connections finish.
pub async fn serve_with_limits(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_read_timeout).keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    if !is_client_error(&error) {
                        tracing::warn!(%error, "koneksi tidak dapat diterima");
                        tokio::time::sleep(ACCEPT_BACKOFF).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Answers are small and written whole: no reason to wait for more.
        let _ = stream.set_nodelay(true);
        let connection = builder.serve_connection(TokioIo::new(stream), peer_service(app.clone(), peer));
        let watched = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = watched.await {
                tracing::debug!(%error, "koneksi berakhir dengan galat");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// `app` as a hyper service for one connection from `peer`.
fn peer_service(
    app: Router,
    peer: SocketAddr,
) -> impl hyper::service::Service<
    hyper::Request<Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Future<Output = Result<axum::response::Response, std::convert::Infallible>> + Send,
> + Clone {
    hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(request)
    })
}

/// Accept errors caused by one client (it hung up before we took it), after
/// which the loop simply goes on.
fn is_client_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
    )
}

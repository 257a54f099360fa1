//! Who is at the other end of the connection: the extractor that gathers
//! the source address (the connection's own, or the forwarded one when the
//! connection comes from a configured trusted proxy), the operation id and
//! the arrival time from the injected clock.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::gate::Caller;
use crate::middleware::REQUEST_ID;
use crate::state::AppState;

/// The rightmost `X-Forwarded-For` address not itself a trusted proxy: the
/// one the outermost trusted proxy saw.
fn forwarded_for(parts: &Parts, state: &AppState) -> Option<IpAddr> {
    let header = parts.headers.get_all("x-forwarded-for");
    let hops: Vec<IpAddr> = header
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .collect();
    hops.into_iter().rev().find(|hop| !state.access.is_trusted_proxy(*hop))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(address)| address.ip())
            .to_canonical();
        let source_ip =
            if state.access.is_trusted_proxy(peer) { forwarded_for(parts, state).unwrap_or(peer) } else { peer };
        let operation_id = parts.headers.get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-").to_owned();
        Ok(Caller { source_ip: source_ip.to_canonical(), operation_id, started: Instant::now(), at: state.clock.now() })
    }
}

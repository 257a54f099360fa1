//! Middleware every request passes through: an operation id (UUIDv7, in the
//! `x-request-id` header both ways and in the tracing span), a body limit, a
//! time limit, and request tracing that records the route template, never
//! the concrete URI: a path can carry a NIK, and NIKs must not reach logs.

use std::time::Duration;

use axum::extract::MatchedPath;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode};
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, MakeSpan, TraceLayer};

/// The header carrying the operation id.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Largest request body accepted, in bytes.
const BODY_LIMIT: usize = 1024 * 1024;

/// Longest a request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Makes UUIDv7 operation ids: unique and sortable by time. Their random
/// bits come from the thread's cryptographic generator (uuid's `fast-rng`),
/// not from two `getrandom` system calls per request.
#[derive(Clone, Copy, Default)]
pub(crate) struct OperationId;

impl MakeRequestId for OperationId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let mut text = uuid::Uuid::encode_buffer();
        let id = uuid::Uuid::now_v7().hyphenated().encode_lower(&mut text);
        HeaderValue::from_str(id).ok().map(RequestId::new)
    }
}

/// A span with the method, the route template and the operation id.
#[derive(Clone, Copy, Default)]
pub(crate) struct RouteSpan;

impl<B> MakeSpan<B> for RouteSpan {
    fn make_span(&mut self, request: &Request<B>) -> tracing::Span {
        let route = request.extensions().get::<MatchedPath>().map_or("(tidak dikenal)", |p| p.as_str());
        let operation = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
        tracing::info_span!("request", method = %request.method(), route, operation)
    }
}

/// Limits request bodies of `router` to [`BODY_LIMIT`].
pub(crate) fn limit_bodies<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    router.layer(RequestBodyLimitLayer::new(BODY_LIMIT))
}

/// Wraps `router` in the layers, outermost first.
pub(crate) fn apply<S: Clone + Send + Sync + 'static>(router: axum::Router<S>) -> axum::Router<S> {
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, OperationId))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(axum::middleware::from_fn(crate::error::with_operation_id))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(RouteSpan)
                    .on_request(())
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
            )
            .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An operation id as the header carries it.
    fn make(maker: &mut OperationId) -> String {
        let request = Request::new(());
        let id = maker.make_request_id(&request).expect("an operation id");
        id.header_value().to_str().expect("ASCII").to_owned()
    }

    #[test]
    fn operation_ids_are_distinct_uuidv7_in_order_of_time() {
        let mut maker = OperationId;
        let texts: Vec<String> = (0..1_000).map(|_| make(&mut maker)).collect();
        assert!(texts.iter().all(|text| text.len() == 36 && *text == text.to_lowercase()), "hyphenated, lower case");
        let ids: Vec<uuid::Uuid> = texts.iter().map(|text| text.parse().expect("a UUID")).collect();
        assert!(ids.iter().all(|id| id.get_version() == Some(uuid::Version::SortRand)));
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]), "UUIDv7 from one thread sort in the order made");
    }
}

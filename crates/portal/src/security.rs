//! What every portal answer carries: a Content-Security-Policy that allows
//! only the portal's own stylesheet and images (and `data:` images, for a
//! resident's photo shown inline) and no script, no framing
//! (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), no MIME sniffing, no
//! referrer, and `Cache-Control: no-store` — result pages carry population
//! data, and the browser must not keep them. Also the stylesheet itself.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The policy: the portal's own stylesheet and images, inline `data:`
/// images (a photo retrieval), nothing else.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

const STYLESHEET: &str = include_str!("../static/gerbang.css");

/// Adds the security headers to every portal answer.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    // The portal's own refusal pages are HTML for people; the web layer's
    // JSON error bodies are for machines and must not replace them.
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if html {
        response.extensions_mut().insert(gerbang_web::OwnFormat);
    }
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    for (name, value) in fixed {
        headers.entry(name).or_insert(HeaderValue::from_static(value));
    }
    response
}

/// `GET /portal/static/gerbang.css`.
pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET)
        .into_response()
}

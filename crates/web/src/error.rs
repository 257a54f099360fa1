//! The web error: maps domain and storage failures onto an HTTP status and a
//! stable, documented code. The body says what went wrong in Bahasa
//! Indonesia; internal details go to the log (without population data),
//! never to the caller.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gerbang_core::IdNumberError;
use gerbang_proto::v1::ErrorBody;
use gerbang_store::StoreError;

/// An error answer of the v1 API.
#[derive(Debug)]
pub struct WebError {
    status: StatusCode,
    code: String,
    message: String,
}

impl WebError {
    /// An error with its status, stable code and message.
    pub fn new(status: StatusCode, code: impl Into<String>, message: impl Into<String>) -> Self {
        WebError {
            status,
            code: code.into(),
            message: message.into(),
        }
    }

    /// The resource does not exist (or is not the caller's to see).
    pub fn not_found(code: &str, message: &str) -> Self {
        WebError::new(StatusCode::NOT_FOUND, code, message)
    }
}

impl From<IdNumberError> for WebError {
    fn from(error: IdNumberError) -> Self {
        WebError::new(StatusCode::BAD_REQUEST, error.code(), error.to_string())
    }
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        tracing::error!(code = error.code(), %error, "kegagalan penyimpanan");
        match error {
            StoreError::Unavailable(_) => WebError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "service.unavailable",
                "Layanan sementara tidak tersedia; silakan coba lagi",
            ),
            _ => WebError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "service.internal",
                "Terjadi kesalahan internal",
            ),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        // The operation id travels in the x-request-id header set by the
        // middleware; the body repeats the code and the message.
        (
            self.status,
            Json(ErrorBody {
                code: self.code,
                message: self.message,
            }),
        )
            .into_response()
    }
}

/// The answer for any path the router does not know.
pub(crate) async fn not_found() -> WebError {
    WebError::not_found("route.not_found", "Alamat tidak dikenal")
}

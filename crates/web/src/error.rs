//! The web error: maps domain and storage failures onto an HTTP status and a
//! stable, documented code. The body says what went wrong in Bahasa
//! Indonesia; internal details go to the log (without population data),
//! never to the caller.

use axum::Json;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use gerbang_core::IdNumberError;
use gerbang_core::access::Denial;
use gerbang_proto::v1::ErrorBody;
use gerbang_store::StoreError;

use crate::middleware::REQUEST_ID;

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
        WebError { status, code: code.into(), message: message.into() }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable code.
    pub fn code(&self) -> &str {
        &self.code
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

/// A guard's refusal: 401 when the caller is not known, 429 when the quota
/// is used up or the login locked, 403 otherwise.
impl From<Denial> for WebError {
    fn from(denial: Denial) -> Self {
        let status = match denial {
            Denial::CredentialsMissing | Denial::LoginFailed => StatusCode::UNAUTHORIZED,
            Denial::QuotaExhausted | Denial::LockedOut => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::FORBIDDEN,
        };
        WebError::new(status, denial.code(), denial.to_string())
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
            _ => WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "service.internal", "Terjadi kesalahan internal"),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        // The body is finished by `with_operation_id`, which knows the
        // request's operation id; the extension carries what it needs.
        let body = ErrorBody { code: self.code, message: self.message, operation_id: None };
        let mut response = (self.status, Json(body.clone())).into_response();
        response.extensions_mut().insert(body);
        response
    }
}

/// Marks an error answer whose body its front has already written in its
/// own format (the compatible service's envelope with `RESPONSE_CODE`):
/// [`with_operation_id`] passes it through untouched, so a partner client of
/// the old service never receives a v1 error body.
#[derive(Debug, Clone, Copy)]
pub struct OwnFormat;

/// The error body for an error answer that no handler produced (the body
/// limit, the time limit), by status.
fn body_for_status(status: StatusCode) -> ErrorBody {
    let (code, message) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => ("request.too_large", "Isi permintaan terlalu besar"),
        StatusCode::REQUEST_TIMEOUT => ("request.timeout", "Permintaan melewati batas waktu"),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("request.method_not_allowed", "Metode HTTP tidak diizinkan untuk alamat ini")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("request.media_type", "Jenis isi permintaan tidak didukung"),
        StatusCode::SERVICE_UNAVAILABLE => {
            ("service.unavailable", "Layanan sementara tidak tersedia; silakan coba lagi")
        }
        status if status.is_client_error() => ("request.invalid", "Permintaan tidak valid"),
        _ => ("service.internal", "Terjadi kesalahan internal"),
    };
    ErrorBody { code: code.into(), message: message.into(), operation_id: None }
}

/// Middleware: every error answer gets a JSON body with its stable code and
/// the request's operation id (STYLE.md: the id flows into every error body).
pub(crate) async fn with_operation_id(request: Request, next: Next) -> Response {
    let operation_id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || response.extensions().get::<OwnFormat>().is_some() {
        return response;
    }
    let mut body = response.extensions().get::<ErrorBody>().cloned().unwrap_or_else(|| body_for_status(status));
    body.operation_id = operation_id;
    let (parts, _) = response.into_parts();
    let mut rebuilt = (status, Json(body)).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rebuilt.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rebuilt
}

/// The answer for any path the router does not know.
pub(crate) async fn not_found() -> WebError {
    WebError::not_found("route.not_found", "Alamat tidak dikenal")
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    async fn body_of(router: &Router, path: &str) -> (StatusCode, serde_json::Value) {
        let request = Request::get(path).header(REQUEST_ID, "op-1").body(Body::empty()).unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    #[tokio::test]
    async fn an_answer_in_its_own_format_keeps_its_body_and_a_bare_503_says_unavailable() {
        let wire = serde_json::json!({ "content": [{ "RESPONSE_CODE": "99" }], "lastPage": true });
        let kept = wire.clone();
        let router = Router::new()
            .route(
                "/wire",
                get(move || async move {
                    let mut response = (StatusCode::SERVICE_UNAVAILABLE, Json(kept)).into_response();
                    response.extensions_mut().insert(OwnFormat);
                    response
                }),
            )
            .route("/bare", get(|| async { StatusCode::SERVICE_UNAVAILABLE }))
            .layer(axum::middleware::from_fn(with_operation_id));

        assert_eq!(body_of(&router, "/wire").await, (StatusCode::SERVICE_UNAVAILABLE, wire));
        let (status, bare) = body_of(&router, "/bare").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!((bare["code"].as_str(), bare["operation_id"].as_str()), (Some("service.unavailable"), Some("op-1")));
    }
}

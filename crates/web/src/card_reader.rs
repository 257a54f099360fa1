//! KTP-el card readers over the v1 API (SPEC.md §6):
//!
//! - `POST /api/v1/card-reader/events`: a reader's event (a card read with
//!   the holder's fingerprint verified on the device), forwarded by the
//!   partner's system with its service token. Believed only when core's
//!   `authorize_reader_event` passes (the common guards, then an active SAM
//!   of the caller's own institution under an agreement in force, the
//!   named reader, a recent time, the SAM's signature) and the store
//!   accepts the event's counter (the replay guard).
//! - `POST /api/v1/admin/sams/{id}/personalization|activation|deactivation|config-return`:
//!   the registry's SAM lifecycle, for a provider administrator who
//!   manages the SAM's partner. Personalization answers the configuration
//!   file, the only place the secret key ever appears.
//!
//! Every event and every change is in the audit trail before it is
//! answered (the NIK of an event as its keyed hash only).

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use gerbang_core::card_reader::{EventDenial, ReaderEvent, SamError, authorize_reader_event};
use gerbang_proto::v1::ErrorBody;
use gerbang_proto::v1::admin::Changed;
use gerbang_proto::v1::card_reader::{NewDeactivation, NewReaderEvent, ReaderEventAccepted, SamConfigFile};

use crate::WebError;
use crate::admin::{json_body, steward};
use crate::gate::{Caller, authenticate, event_record};
use crate::state::AppState;

/// Largest event body.
const BODY_LIMIT: usize = 16 * 1024;

impl From<SamError> for WebError {
    fn from(error: SamError) -> Self {
        let status = match error {
            SamError::Unknown(_) | SamError::NotManaged(_) => StatusCode::NOT_FOUND,
            SamError::Foreign(_) | SamError::Deactivated(_) | SamError::Inactive(_) | SamError::AgreementEnded => {
                StatusCode::FORBIDDEN
            }
            SamError::BadSignature => StatusCode::UNAUTHORIZED,
            SamError::Replayed(_) | SamError::Exists(_) | SamError::Transition(..) => StatusCode::CONFLICT,
            SamError::WrongReader(_) | SamError::Stale | SamError::BadNik | SamError::Field { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
        };
        WebError::new(status, error.code(), error.to_string())
    }
}

impl From<EventDenial> for WebError {
    fn from(denial: EventDenial) -> Self {
        match denial {
            EventDenial::Access(denial) => denial.into(),
            EventDenial::Sam(error) => error.into(),
        }
    }
}

fn unavailable() -> WebError {
    WebError::new(StatusCode::SERVICE_UNAVAILABLE, "service.unavailable", "Layanan sedang tidak tersedia; coba lagi")
}

/// Reads the body as an event and its signature.
async fn event_of(body: Body) -> Result<(ReaderEvent, String), WebError> {
    let bad = |message: String| WebError::new(StatusCode::BAD_REQUEST, "input.body", message);
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| bad(format!("Isi permintaan tidak terbaca atau lebih dari {} KiB", BODY_LIMIT / 1024)))?;
    let new: NewReaderEvent =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("Isi permintaan tidak sesuai skema: {e}")))?;
    let at = DateTime::parse_from_rfc3339(new.at.trim())
        .map_err(|_| WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "input.value", "at harus waktu RFC 3339"))?
        .with_timezone(&Utc);
    let event = ReaderEvent {
        sam: new.sam,
        reader: new.reader,
        counter: new.counter,
        at,
        nik: new.nik,
        fingerprint_verified: new.fingerprint_verified,
    };
    Ok((event, new.signature))
}

/// `POST /api/v1/card-reader/events`.
#[utoipa::path(post, path = "/api/v1/card-reader/events", tag = "card-reader", request_body = NewReaderEvent, security(("bearer" = [])), responses((status = 200, description = "Kejadian diterima", body = ReaderEventAccepted), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn reader_event(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let plane = state.plane();
    // The institution is known once the caller is: refusals after that
    // point are audited under it.
    let mut institution = None;
    let decided = async {
        let authentication = authenticate(&state, &plane, &crate::v1::presented(&headers), &caller).await;
        // Who is calling is settled before what was sent is read: a caller
        // without valid credentials learns nothing about the body (401).
        authentication.account()?;
        let (event, signature) = event_of(body).await?;
        let accepted = authorize_reader_event(&plane, authentication, caller.source_ip, &event, &signature, caller.at)?;
        institution = Some(accepted.institution.clone());
        if !state.store.accept_sam_counter(&event.sam, event.counter).await? {
            return Err(WebError::from(SamError::Replayed(event.counter)));
        }
        Ok::<_, WebError>((event, accepted))
    }
    .await;
    let record = match &decided {
        Ok((_, accepted)) => event_record(
            &caller,
            "v1",
            Some(accepted.institution.clone()),
            Some(accepted.user_id.clone()),
            Some(state.access.hasher.key(accepted.nik)),
            "reader_event.accepted".into(),
        ),
        Err(error) => {
            event_record(&caller, "v1", institution, None, None, format!("reader_event.refused.{}", error.code()))
        }
    };
    state.access.audit.record(record).await.map_err(|_| unavailable())?;
    let (event, _) = decided?;
    let body =
        ReaderEventAccepted { operation_id: caller.operation_id.clone(), sam: event.sam, counter: event.counter };
    Ok((StatusCode::OK, Json(body)).into_response())
}

/// Applies one SAM change for the steward behind `headers`, audited.
async fn change(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    id: &str,
    operation: &str,
    decide: impl FnOnce(
        &gerbang_core::access::ControlPlane,
        &gerbang_core::access::Steward,
    ) -> Result<gerbang_core::access::ControlWrite, SamError>,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(state, headers, caller).await?;
    let write = decide(&plane, &steward)?;
    record(state, caller, &steward, &plane, id, operation, write).await
}

/// Applies and audits one SAM change already decided for `steward`.
async fn record(
    state: &AppState,
    caller: &Caller,
    steward: &gerbang_core::access::Steward,
    plane: &gerbang_core::access::ControlPlane,
    id: &str,
    operation: &str,
    write: gerbang_core::access::ControlWrite,
) -> Result<Response, WebError> {
    let institution = plane.sam(id).map(|s| s.institution.clone()).unwrap_or_default();
    state.administer(caller, "admin", &steward.user_id, &institution, operation, vec![write]).await?;
    Ok((StatusCode::OK, Json(Changed { operation_id: caller.operation_id.clone(), id: id.to_owned() })).into_response())
}

/// `POST /api/v1/admin/sams/{id}/personalization`: gives a registered SAM
/// its key; the answer is its configuration file.
#[utoipa::path(post, path = "/api/v1/admin/sams/{id}/personalization", tag = "admin", params(("id" = String, Path, description = "Nomor seri SAM")), security(("bearer" = [])), responses((status = 200, description = "Berkas konfigurasi SAM; kunci rahasia hanya ditampilkan sekali", body = SamConfigFile), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn personalize(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|_| unavailable())?;
    let (write, config) = plane.personalize_sam(&steward, &id, secret, caller.at)?;
    state.administer(&caller, "admin", &steward.user_id, &config.institution, "sam_personalize", vec![write]).await?;
    let file = SamConfigFile {
        operation_id: caller.operation_id.clone(),
        sam: config.sam,
        reader: config.reader,
        institution: config.institution,
        secret_key: config.secret_key,
        public_key: config.public_key,
        issued_at: config.issued_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    Ok((StatusCode::OK, Json(file)).into_response())
}

/// `POST /api/v1/admin/sams/{id}/activation`.
#[utoipa::path(post, path = "/api/v1/admin/sams/{id}/activation", tag = "admin", params(("id" = String, Path, description = "Nomor seri SAM")), security(("bearer" = [])), responses((status = 200, description = "SAM diaktifkan", body = Changed), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn activate(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let at = caller.at;
    change(&state, &caller, &headers, &id, "sam_activate", |plane, steward| plane.activate_sam(steward, &id, at)).await
}

/// `POST /api/v1/admin/sams/{id}/deactivation`.
#[utoipa::path(post, path = "/api/v1/admin/sams/{id}/deactivation", tag = "admin", params(("id" = String, Path, description = "Nomor seri SAM")), request_body = NewDeactivation, security(("bearer" = [])), responses((status = 200, description = "SAM dinonaktifkan", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn deactivate(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let deactivation: NewDeactivation = json_body(body).await?;
    let write = plane.deactivate_sam(&steward, &id, &deactivation.reason, caller.at)?;
    record(&state, &caller, &steward, &plane, &id, "sam_deactivate", write).await
}

/// `POST /api/v1/admin/sams/{id}/config-return`: records that the partner
/// returned the SAM's configuration file.
#[utoipa::path(post, path = "/api/v1/admin/sams/{id}/config-return", tag = "admin", params(("id" = String, Path, description = "Nomor seri SAM")), security(("bearer" = [])), responses((status = 200, description = "Pengembalian berkas konfigurasi dicatat", body = Changed), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn config_return(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let at = caller.at;
    change(&state, &caller, &headers, &id, "sam_config_return", |plane, steward| {
        plane.record_config_return(steward, &id, at)
    })
    .await
}

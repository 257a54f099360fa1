//! The biometric mechanisms and enrolment over `/api/v1` (SPEC.md §4.5,
//! §4.6):
//!
//! - `POST /api/v1/face/match`, `/api/v1/face/search`,
//!   `/api/v1/fingerprint/identify` and `/api/v1/photo`: mechanism calls
//!   through the gate, like `call-nik` (guards, quota, audit);
//! - `PUT /api/v1/admin/residents/{nik}/face` and
//!   `/api/v1/admin/residents/{nik}/fingerprints/{finger}`: the registry
//!   enrols a resident, as a provider administrator whom core allows to
//!   enrol that resident; audited as `admin.face_enrolled` /
//!   `admin.fingerprints_enrolled` with the NIK as its keyed hash.
//!
//! Images travel as base64 in JSON, so these routes read larger bodies
//! than the other mechanisms, with their own limits.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use gerbang_biometrics::photo_input::decode_base64;
use gerbang_core::Nik;
use gerbang_core::answer::Lookup;
use gerbang_proto::v1::ErrorBody;
use gerbang_proto::v1::NikQuery;
use gerbang_proto::v1::biometric::{
    EnrolmentAnswer, FaceCandidateBody, FaceEnrolmentBody, FaceMatchAnswer, FaceMatchQuery, FaceSearchAnswer,
    FaceSearchQuery, FingerprintAnswer, FingerprintEnrolmentBody, FingerprintQuery, PhotoAnswer,
};

use crate::WebError;
use crate::admin::steward;
use crate::biometrics::{BiometricFailure, FingerProbe};
use crate::gate::biometric::{DEFAULT_FACE_THRESHOLD, SentFinger};
use crate::gate::{Ask, Caller, InputError, Payload, event_record, looked_code};
use crate::state::AppState;
use crate::v1::{call, read_limited, respond};

/// Largest body of a biometric call: a 6 MiB photo in base64.
pub const PROBE_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// Largest body of an enrolment: five fingerprint images in base64.
pub const ENROLMENT_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Candidates a face search lists when the caller does not say.
const DEFAULT_CANDIDATES: usize = 5;

/// The v1 outcome name: the stable code without its family (`match`,
/// `not_found`, `deceased`…).
fn outcome(payload: &Payload, lookup: Lookup) -> String {
    let code = looked_code(lookup, payload);
    code.split_once('.').map_or(code, |(_, name)| name).to_owned()
}

/// `POST /api/v1/face/match`: photo + NIK → similarity (1:1).
#[utoipa::path(post, path = "/api/v1/face/match", tag = "mechanisms", request_body = FaceMatchQuery, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "Skor kemiripan dengan wajah terdaftar", body = FaceMatchAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Foto atau NIK tidak dapat dipakai", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn face_match(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ask = read_limited::<FaceMatchQuery>(body, PROBE_BODY_LIMIT).await.map(|q| Ask::FaceMatch {
        nik: Some(q.nik),
        photo: q.image,
        threshold: q.threshold.map(Ok),
    });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |lookup, payload| {
        let (similarity, threshold) = match payload {
            Payload::FaceScore(verdict) => (verdict.score, verdict.threshold),
            _ => (None, DEFAULT_FACE_THRESHOLD),
        };
        let outcome = outcome(payload, lookup);
        Json(FaceMatchAnswer { operation_id: answered.operation_id.clone(), outcome, similarity, threshold })
            .into_response()
    })
}

/// `POST /api/v1/face/search`: photo → enrolled residents (1:N).
#[utoipa::path(post, path = "/api/v1/face/search", tag = "mechanisms", request_body = FaceSearchQuery, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "Penduduk terdaftar yang wajahnya mirip, terbaik dahulu", body = FaceSearchAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Foto tidak dapat dipakai", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn face_search(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ask = read_limited::<FaceSearchQuery>(body, PROBE_BODY_LIMIT).await.map(|q| Ask::FaceSearch {
        photo: q.image,
        threshold: q.threshold.map(Ok),
        limit: q.limit.unwrap_or(DEFAULT_CANDIDATES),
    });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |lookup, payload| {
        let candidates = match payload {
            Payload::FaceCandidates(found) => found
                .iter()
                .map(|c| FaceCandidateBody { nik: c.nik.to_string(), similarity: (c.score * 10.0).round() / 10.0 })
                .collect(),
            _ => Vec::new(),
        };
        let outcome = outcome(payload, lookup);
        Json(FaceSearchAnswer { operation_id: answered.operation_id.clone(), outcome, candidates }).into_response()
    })
}

/// `POST /api/v1/fingerprint/identify`: fingerprint → enrolled resident.
#[utoipa::path(post, path = "/api/v1/fingerprint/identify", tag = "mechanisms", request_body = FingerprintQuery, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "Penduduk pemilik sidik jari, atau tidak ditemukan", body = FingerprintAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Gambar atau templat tidak dapat dipakai", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn fingerprint_identify(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ask = read_limited::<FingerprintQuery>(body, PROBE_BODY_LIMIT).await.and_then(|q| {
        let probe = match (q.image, q.template) {
            (Some(image), None) => SentFinger::Image(image),
            (None, Some(template)) => SentFinger::Template(template),
            _ => return Err(InputError::Value("kirim tepat satu dari image dan template".into())),
        };
        Ok(Ask::FingerprintIdentify { probe })
    });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |lookup, payload| {
        let found = match payload {
            Payload::Identified(found) => *found,
            _ => None,
        };
        Json(FingerprintAnswer {
            outcome: outcome(payload, lookup),
            operation_id: answered.operation_id.clone(),
            nik: found.map(|f| f.nik.to_string()),
            finger: found.map(|f| f.finger),
            score: found.map(|f| f.score),
        })
        .into_response()
    })
}

/// `POST /api/v1/photo`: a resident's enrolled face photo, where granted.
#[utoipa::path(post, path = "/api/v1/photo", tag = "mechanisms", request_body = NikQuery, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "Foto wajah terdaftar", body = PhotoAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Masukan tidak valid", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn photo(State(state): State<AppState>, caller: Caller, headers: HeaderMap, body: Body) -> Response {
    let ask = read_limited::<NikQuery>(body, 4 * 1024).await.map(|q| Ask::Photo { nik: Some(q.nik) });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |lookup, payload| {
        let photo = match payload {
            Payload::Photo(photo) => photo.as_ref(),
            _ => None,
        };
        Json(PhotoAnswer {
            operation_id: answered.operation_id.clone(),
            outcome: outcome(payload, lookup),
            media_type: photo.map(|p| p.media_type.clone()),
            image: photo.map(|p| base64::engine::general_purpose::STANDARD.encode(&p.bytes)),
        })
        .into_response()
    })
}

impl From<BiometricFailure> for WebError {
    fn from(failure: BiometricFailure) -> Self {
        let status = match failure {
            BiometricFailure::Input(_) => StatusCode::UNPROCESSABLE_ENTITY,
            BiometricFailure::Store(gerbang_store::StoreError::Conflict(_)) => StatusCode::NOT_FOUND,
            BiometricFailure::FacesUnavailable(_) | BiometricFailure::Store(_) | BiometricFailure::Worker => {
                StatusCode::SERVICE_UNAVAILABLE
            }
        };
        let code = match &failure {
            BiometricFailure::Store(gerbang_store::StoreError::Conflict(_)) => "resident.not_found",
            other => other.code(),
        };
        WebError::new(status, code, failure.to_string())
    }
}

fn decoded(text: &str) -> Result<Vec<u8>, WebError> {
    decode_base64(text).map_err(|e| WebError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.to_string()))
}

async fn body_of<T: serde::de::DeserializeOwned>(body: Body) -> Result<T, WebError> {
    read_limited(body, ENROLMENT_BODY_LIMIT)
        .await
        .map_err(|e| WebError::new(StatusCode::BAD_REQUEST, e.code(), e.message()))
}

/// The steward enrolling `nik`, once core allows it, and the NIK.
async fn enroller(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    nik: &str,
) -> Result<(String, Nik), WebError> {
    let (steward, plane) = steward(state, headers, caller).await?;
    let nik = Nik::parse(nik)?;
    steward.may_enrol_biometrics(&plane, nik)?;
    Ok((steward.user_id, nik))
}

/// Records an enrolment in the audit trail before it is answered.
async fn audited(state: &AppState, caller: &Caller, by: &str, nik: Nik, operation: &str) -> Result<(), WebError> {
    let key = state.access.hasher.key(nik);
    let record = event_record(caller, "admin", None, Some(by.to_owned()), Some(key), format!("admin.{operation}"));
    state.access.audit.record(record).await?;
    Ok(())
}

fn enrolled(state: &AppState, caller: &Caller, kind: &str, stored: usize) -> Response {
    let counts = state.biometrics.counts();
    Json(EnrolmentAnswer {
        operation_id: caller.operation_id.clone(),
        kind: kind.to_owned(),
        stored,
        faces: counts.faces,
        fingers: counts.fingers,
    })
    .into_response()
}

/// `PUT /api/v1/admin/residents/{nik}/face`: enrols a resident's face.
#[utoipa::path(put, path = "/api/v1/admin/residents/{nik}/face", tag = "admin", request_body = FaceEnrolmentBody, params(("nik" = String, Path, description = "NIK penduduk")), security(("bearer" = [])), responses((status = 200, description = "Wajah terdaftar", body = EnrolmentAnswer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub(crate) async fn enrol_face(
    State(state): State<AppState>,
    caller: Caller,
    Path(nik): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let (by, nik) = enroller(&state, &caller, &headers, &nik).await?;
    let photo = decoded(&body_of::<FaceEnrolmentBody>(body).await?.image)?;
    state.biometrics.enrol_face(state.store.as_ref(), nik, photo, &by, caller.at).await?;
    audited(&state, &caller, &by, nik, "face_enrolled").await?;
    Ok(enrolled(&state, &caller, "face", 1))
}

/// `PUT /api/v1/admin/residents/{nik}/fingerprints/{finger}`: enrols one
/// finger (ISO position 1–10) with 1–5 impressions.
#[utoipa::path(put, path = "/api/v1/admin/residents/{nik}/fingerprints/{finger}", tag = "admin", request_body = FingerprintEnrolmentBody, params(("nik" = String, Path, description = "NIK penduduk"), ("finger" = u8, Path, description = "Posisi jari ISO 1–10")), security(("bearer" = [])), responses((status = 200, description = "Sidik jari terdaftar", body = EnrolmentAnswer), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub(crate) async fn enrol_fingerprints(
    State(state): State<AppState>,
    caller: Caller,
    Path((nik, finger)): Path<(String, u8)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let (by, nik) = enroller(&state, &caller, &headers, &nik).await?;
    let sent = body_of::<FingerprintEnrolmentBody>(body).await?;
    let images = sent.images.iter().map(|text| decoded(text).map(FingerProbe::Image));
    let templates = sent.templates.iter().map(|text| decoded(text).map(FingerProbe::Template));
    let impressions = images.chain(templates).collect::<Result<Vec<_>, _>>()?;
    let enrolment =
        state.biometrics.enrol_fingerprints(state.store.as_ref(), nik, finger, impressions, &by, caller.at).await?;
    audited(&state, &caller, &by, nik, "fingerprints_enrolled").await?;
    Ok(enrolled(&state, &caller, "fingerprint", enrolment.impressions.len()))
}

//! Gerbang's own API for the mechanisms (SPEC.md §4), `/api/v1/…`: a bearer
//! token (or Basic user:password), JSON bodies with the NIK in the body,
//! refusals as HTTP errors with stable codes, and the hits left today in the
//! `x-quota-remaining` header of every answer.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gerbang_core::answer::Lookup;
use gerbang_core::{Element, ElementValue};
use gerbang_proto::compat::basic_credentials;
use gerbang_proto::v1::{
    CheckAnswer, ElementResult, ErrorBody, FamilyAnswer, LookupAnswer, NewNikKkCheck, NewVerification, NikQuery,
    VerificationAnswer,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::WebError;
use crate::gate::{self, Answered, Ask, Caller, InputError, Payload, Presented, Reply};
use crate::state::AppState;

/// Largest body a mechanism call reads.
const BODY_LIMIT: usize = 64 * 1024;

/// The header with the hits left today.
pub const QUOTA_HEADER: &str = "x-quota-remaining";

/// Credentials from the `Authorization` header: `Bearer TOKEN` or `Basic`.
pub(crate) fn presented(headers: &HeaderMap) -> Presented {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Presented::Nothing;
    };
    if let Some(token) = value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")) {
        return Presented::Token(token.trim().to_owned());
    }
    basic_credentials(value).map_or(Presented::Nothing, |(user_id, password)| Presented::Password { user_id, password })
}

async fn read<T: DeserializeOwned>(body: Body) -> Result<T, InputError> {
    read_limited(body, BODY_LIMIT).await
}

/// Reads a JSON body of at most `limit` bytes.
pub(crate) async fn read_limited<T: DeserializeOwned>(body: Body, limit: usize) -> Result<T, InputError> {
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| InputError::Body(format!("Isi permintaan melebihi {} KiB", limit / 1024)))?;
    serde_json::from_slice(&bytes).map_err(|e| InputError::Body(format!("Isi permintaan tidak sesuai skema: {e}")))
}

pub(crate) async fn call(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    ask: Result<Ask, InputError>,
) -> Answered {
    gate::serve(state, caller, "v1", &presented(headers), None, ask).await
}

/// A value as the v1 API writes it (dates ISO 8601).
fn json_value(value: &ElementValue) -> Option<Value> {
    match value {
        ElementValue::Number(n) => Some(Value::from(*n)),
        ElementValue::Text(text) => Some(Value::from(text.clone())),
        ElementValue::Date(date) => Some(Value::from(date.to_string())),
        ElementValue::Missing => None,
    }
}

fn record_map(record: &[(Element, ElementValue)]) -> Map<String, Value> {
    record.iter().filter_map(|(e, v)| json_value(v).map(|v| (e.wire_name().to_owned(), v))).collect()
}

/// The HTTP refusal of a reply that is not an answer.
fn refusal(reply: &Reply) -> Option<WebError> {
    match reply {
        Reply::Denied(denial) => Some(WebError::from(denial.clone())),
        Reply::Invalid(error) => {
            let status = match error {
                InputError::Body(_) => StatusCode::BAD_REQUEST,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            Some(WebError::new(status, error.code(), error.message()))
        }
        Reply::Unavailable => Some(WebError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service.unavailable",
            "Layanan sementara tidak tersedia; silakan coba lagi",
        )),
        Reply::Looked(..) => None,
    }
}

pub(crate) fn respond(answered: &Answered, body: impl FnOnce(Lookup, &Payload) -> Response) -> Response {
    let mut response = match (&answered.reply, refusal(&answered.reply)) {
        (_, Some(error)) => error.into_response(),
        (Reply::Looked(lookup, payload), None) => body(*lookup, payload),
        (_, None) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    response.headers_mut().insert(QUOTA_HEADER, HeaderValue::from(answered.remaining));
    response
}

/// `POST /api/v1/call-nik`: the granted elements of a NIK (SPEC.md §4.3).
#[utoipa::path(post, path = "/api/v1/call-nik", tag = "mechanisms", request_body = NikQuery, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "Elemen yang diberikan untuk satu NIK", body = LookupAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Masukan tidak valid", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn call_nik(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ask = read::<NikQuery>(body).await.map(|q| Ask::CallNik { nik: Some(q.nik) });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |lookup, payload| {
        let resident = match payload {
            Payload::Record(record) => Some(record_map(record)),
            _ => None,
        };
        Json(LookupAnswer { operation_id: answered.operation_id.clone(), outcome: lookup.name().to_owned(), resident })
            .into_response()
    })
}

/// `POST /api/v1/verify-by-elements`: per-element verdicts (SPEC.md §4.1).
#[utoipa::path(post, path = "/api/v1/verify-by-elements", tag = "mechanisms", request_body = NewVerification, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "Hasil verifikasi per elemen", body = VerificationAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Masukan tidak valid", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn verify_by_elements(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let request = read::<NewVerification>(body).await;
    let threshold =
        request.as_ref().ok().and_then(|v| v.threshold).filter(|t| *t <= 100).unwrap_or(gate::DEFAULT_THRESHOLD);
    let ask = request.and_then(|v| {
        let mut submitted = vec![(Element::Nik, v.nik.clone())];
        for (key, value) in &v.elements {
            let element = Element::from_wire_name(key)
                .ok_or_else(|| InputError::Value(format!("elemen data tidak dikenal: {key}")))?;
            if element != Element::Nik {
                submitted.push((element, value.clone()));
            }
        }
        let threshold = v.threshold.map(|t| if t <= 100 { Ok(t) } else { Err(()) });
        Ok(Ask::Verify { nik: Some(v.nik), threshold, submitted, malformed: Vec::new() })
    });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |lookup, payload| {
        let elements = match payload {
            Payload::Verdicts(verdicts) => verdicts
                .iter()
                .map(|v| ElementResult {
                    element: v.element.wire_name().to_owned(),
                    matches: v.matches,
                    score: v.score,
                })
                .collect(),
            _ => Vec::new(),
        };
        Json(VerificationAnswer {
            operation_id: answered.operation_id.clone(),
            outcome: lookup.name().to_owned(),
            threshold,
            elements,
        })
        .into_response()
    })
}

/// `POST /api/v1/nik-kk-check`: "ditemukan" / "tidak ditemukan" / "tidak
/// sesuai" (SPEC.md §4.2).
#[utoipa::path(post, path = "/api/v1/nik-kk-check", tag = "mechanisms", request_body = NewNikKkCheck, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "ditemukan / tidak ditemukan / tidak sesuai", body = CheckAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Masukan tidak valid", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn nik_kk_check(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ask = read::<NewNikKkCheck>(body).await.map(|c| Ask::NikKkCheck {
        nik: Some(c.nik),
        no_kk: c.no_kk,
        head_nik: c.head_nik,
    });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |_, payload| match payload {
        Payload::Check(outcome) => Json(CheckAnswer {
            operation_id: answered.operation_id.clone(),
            result: outcome.label().to_owned(),
            outcome: outcome.code().to_owned(),
        })
        .into_response(),
        _ => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    })
}

/// `POST /api/v1/family-members`: the members of the NIK's family card,
/// limited to granted elements (SPEC.md §4.4).
#[utoipa::path(post, path = "/api/v1/family-members", tag = "mechanisms", request_body = NikQuery, security(("bearer" = []), ("basic" = [])), responses((status = 200, description = "Anggota keluarga dalam satu KK", body = FamilyAnswer, headers(("x-quota-remaining" = u32, description = "Sisa kuota hari ini"))), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses", body = ErrorBody), (status = 422, description = "Masukan tidak valid", body = ErrorBody), (status = 429, description = "Kuota harian habis", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn family_members(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ask = read::<NikQuery>(body).await.map(|q| Ask::FamilyMembers { nik: Some(q.nik) });
    let answered = call(&state, &caller, &headers, ask).await;
    respond(&answered, |lookup, payload| {
        let members = match payload {
            Payload::Family(members) => members.iter().map(|m| record_map(m)).collect(),
            _ => Vec::new(),
        };
        Json(FamilyAnswer { operation_id: answered.operation_id.clone(), outcome: lookup.name().to_owned(), members })
            .into_response()
    })
}

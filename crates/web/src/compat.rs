//! The compatible web service, `POST /dukcapil/get_json/{INSTANSI}/{METHOD}`
//! (and the older `/dukcapil/get_json/{REGION}/{INSTANSI}/{METHOD}`), spoken
//! exactly as WIRE.md describes, so existing partner clients work unchanged:
//! every body is read as JSON whatever its Content-Type, keys in any case,
//! credentials in the body or a Basic header, business errors as HTTP 200
//! with `RESPONSE_CODE`, and `quotaLimiter` in every answer.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gerbang_core::access::Denial;
use gerbang_core::answer::Lookup;
use gerbang_core::{Element, ElementValue};
use gerbang_proto::compat::{
    CompatMethod, CompatRequest, ResponseCode, Row, Threshold, basic_credentials, envelope, error_row, parse_request,
};
use serde_json::Value;

use crate::gate::{self, Answered, Ask, Caller, InputError, Payload, Presented, Reply};
use crate::state::AppState;

/// Largest body the compatible service reads (a verification body is well
/// under 2 KiB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// `POST /dukcapil/get_json/{INSTANSI}/{METHOD}` (SPEC.md §4.1, §4.3).
pub(crate) async fn get_json(
    State(state): State<AppState>,
    caller: Caller,
    Path((instansi, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(&state, &caller, &instansi, &method, &headers, body).await
}

/// `POST /dukcapil/get_json/{REGION}/{INSTANSI}/{METHOD}`: the older shape;
/// the region segment (e.g. `33-74`) is not needed and ignored.
pub(crate) async fn get_json_with_region(
    State(state): State<AppState>,
    caller: Caller,
    Path((_region, instansi, method)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    answer(&state, &caller, &instansi, &method, &headers, body).await
}

async fn answer(
    state: &AppState,
    caller: &Caller,
    instansi: &str,
    method: &str,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let request = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(bytes) => parse_request(&bytes).map_err(|e| InputError::Body(e.to_string())),
        Err(_) => Err(InputError::Body(format!("Isi permintaan melebihi {} KiB", BODY_LIMIT / 1024))),
    };
    let presented = match &request {
        Ok(request) => credentials(request, headers),
        Err(_) => basic(headers),
    };
    let ask = request.and_then(|request| {
        let method = CompatMethod::from_path(method).ok_or(InputError::Value(format!(
            "metode tidak dikenal: gunakan CALL_NIK atau CALL_VERIFY_BY_ELEMEN (diterima: {})",
            method.chars().take(40).collect::<String>()
        )))?;
        Ok(to_ask(method, &request))
    });
    let answered = gate::serve(state, caller, "compat", &presented, Some(instansi), ask).await;
    render(answered)
}

fn basic(headers: &HeaderMap) -> Presented {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(basic_credentials)
        .filter(|(user_id, password)| !user_id.is_empty() && !password.is_empty())
        .map_or(Presented::Nothing, |(user_id, password)| Presented::Password { user_id, password })
}

fn credentials(request: &CompatRequest, headers: &HeaderMap) -> Presented {
    match (&request.user_id, &request.password) {
        (Some(user_id), Some(password)) => Presented::Password { user_id: user_id.clone(), password: password.clone() },
        _ => basic(headers),
    }
}

fn to_ask(method: CompatMethod, request: &CompatRequest) -> Ask {
    let nik =
        request.field("NIK").map(str::to_owned).or_else(|| request.malformed.contains(&"NIK".into()).then(String::new));
    match method {
        CompatMethod::CallNik => Ask::CallNik { nik },
        CompatMethod::VerifyByElements => {
            let submitted = request
                .fields
                .iter()
                .filter_map(|(key, value)| Element::from_wire_name(key).map(|e| (e, value.clone())))
                .collect();
            let threshold = match request.threshold {
                Threshold::Absent => None,
                Threshold::Valid(t) => Some(Ok(t)),
                Threshold::Invalid => Some(Err(())),
            };
            let malformed =
                request.malformed.iter().filter(|k| Element::from_wire_name(k).is_some()).cloned().collect();
            Ask::Verify { nik, threshold, submitted, malformed }
        }
    }
}

/// The WIRE.md code of a refusal.
fn denial_code(denial: &Denial) -> ResponseCode {
    match denial {
        Denial::CredentialsMissing => ResponseCode::CredentialsMissing,
        Denial::LoginFailed | Denial::LockedOut | Denial::NotSteward => ResponseCode::LoginFailed,
        Denial::UserInactive => ResponseCode::UserInactive,
        Denial::InstitutionInactive | Denial::NoAgreementInForce => ResponseCode::InstitutionInactive,
        Denial::IpNotRegistered => ResponseCode::IpNotRegistered,
        Denial::IpMismatch => ResponseCode::IpMismatch,
        Denial::MechanismNotGranted(_) | Denial::ElementsNotGranted(_) => ResponseCode::InvalidParameters,
        Denial::MatchRequired => ResponseCode::NikUnprocessable,
        Denial::QuotaExhausted => ResponseCode::QuotaExhausted,
    }
}

/// What a look-up's outcome means, in the compatible service's words (the
/// portal shows the same sentence a partner system receives).
pub fn lookup_label(lookup: Lookup) -> &'static str {
    lookup_code(lookup).map_or("Data Ditemukan", ResponseCode::message)
}

fn lookup_code(lookup: Lookup) -> Option<ResponseCode> {
    match lookup {
        Lookup::Found => None,
        Lookup::NotFound => Some(ResponseCode::NotFound),
        Lookup::Deceased => Some(ResponseCode::Deceased),
        Lookup::Duplicate => Some(ResponseCode::Duplicate),
        Lookup::Inactive => Some(ResponseCode::Inactive),
    }
}

/// An element value as the compatible service writes it.
pub(crate) fn wire_value(value: &ElementValue) -> Option<Value> {
    match value {
        ElementValue::Number(n) => Some(Value::from(*n)),
        ElementValue::Text(text) => Some(Value::from(text.to_uppercase())),
        ElementValue::Date(date) => Some(Value::from(date.format("%d-%m-%Y").to_string())),
        ElementValue::Missing => None,
    }
}

fn render(answered: Answered) -> Response {
    let row = match &answered.reply {
        Reply::Denied(denial) => {
            let code = denial_code(denial);
            // Where Gerbang refuses for a reason the old table has no code
            // for, the text says which.
            let message = match denial {
                Denial::NoAgreementInForce
                | Denial::MechanismNotGranted(_)
                | Denial::ElementsNotGranted(_)
                | Denial::MatchRequired => denial.to_string(),
                _ => code.message().to_owned(),
            };
            error_row(code, &message)
        }
        Reply::Invalid(InputError::Nik(_)) => {
            error_row(ResponseCode::NikMalformed, ResponseCode::NikMalformed.message())
        }
        Reply::Invalid(_) => error_row(ResponseCode::InvalidParameters, ResponseCode::InvalidParameters.message()),
        Reply::Unavailable => {
            let row = Row(vec![
                ("RESPONSE_CODE".into(), Value::from("99")),
                ("RESPON".into(), Value::from("Layanan sementara tidak tersedia, silakan coba lagi")),
                ("RESPONSE".into(), Value::from("Layanan sementara tidak tersedia, silakan coba lagi")),
            ]);
            let mut response = Json(envelope(row, answered.remaining)).into_response();
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            response.extensions_mut().insert(crate::error::OwnFormat);
            return response;
        }
        Reply::Looked(lookup, payload) => match lookup_code(*lookup) {
            Some(code) => error_row(code, code.message()),
            None => success_row(payload),
        },
    };
    Json(envelope(row, answered.remaining)).into_response()
}

fn success_row(payload: &Payload) -> Row {
    match payload {
        Payload::Record(record) => {
            Row(record.iter().filter_map(|(e, v)| wire_value(v).map(|v| (e.wire_name().to_owned(), v))).collect())
        }
        Payload::Verdicts(verdicts) => Row(verdicts
            .iter()
            .map(|v| {
                let word = if v.matches { "Sesuai" } else { "Tidak Sesuai" };
                let text = match v.score {
                    Some(score) => format!("{word} ({score})"),
                    None => word.to_owned(),
                };
                (v.element.wire_name().to_owned(), Value::from(text))
            })
            .collect()),
        // The compatible get_json service has no method for these.
        Payload::Nothing
        | Payload::Check(_)
        | Payload::Family(_)
        | Payload::FaceScore(_)
        | Payload::FaceCandidates(_)
        | Payload::Photo(_)
        | Payload::Identified(_) => Row(Vec::new()),
    }
}

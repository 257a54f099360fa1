//! The compatible face service of WIRE.md,
//! `POST /api/face-recognition/dukcapil/{credential_id}/CALL_FR`, and the
//! provider's public key partners seal its fields with,
//! `GET /api/face-recognition/public-key`.
//!
//! `nik`, `user_id` and `password` arrive RSA-sealed (PKCS#1 v1.5, base64)
//! with the provider's public key. Before opening them the caller's network
//! must be registered for the institution the path names (core's
//! `admit_sealed_caller`), and every opening failure looks the same to the
//! client (5006), so the server is no decryption oracle. Then the call takes
//! the one gate every mechanism takes: with a NIK it is the 1:1 face match
//! (`face_match`), without one the 1:N search (`face_search`), whose answer
//! carries the extensions `nik` and `candidates`. `matchScore` and
//! `threshold` are on the service's 0–10 scale (Gerbang's similarity / 10).
//! Answers are HTTP 200 with `error.errorCode`, plus Gerbang's stable code
//! in `error.code`.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gerbang_core::access::provider_key::rand_core::OsRng;
use gerbang_core::access::{Denial, admit_sealed_caller};
use gerbang_core::answer::Lookup;
use gerbang_proto::face_recognition::{FrAnswer, FrCandidate, FrFailure, FrRequest, FrThreshold};

use crate::biometric_api::PROBE_BODY_LIMIT;
use crate::gate::{self, Answered, Ask, Caller, InputError, Payload, Presented, Reply};
use crate::state::AppState;

/// Candidates a 1:N `CALL_FR` lists.
const SEARCH_CANDIDATES: usize = 5;

/// `GET /api/face-recognition/public-key`: the provider's public key (PEM),
/// for partners to seal `nik`, `user_id` and `password` with.
pub(crate) async fn public_key(State(state): State<AppState>) -> Response {
    match &state.provider_key {
        Some(key) => {
            ([(header::CONTENT_TYPE, "application/x-pem-file")], key.public_key_pem().to_owned()).into_response()
        }
        None => crate::WebError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "face_recognition.no_provider_key",
            "kunci penyelenggara belum dipasang di server ini",
        )
        .into_response(),
    }
}

/// `POST /api/face-recognition/dukcapil/{credential_id}/CALL_FR`.
pub(crate) async fn call_fr(
    State(state): State<AppState>,
    caller: Caller,
    Path(credential_id): Path<String>,
    body: Body,
) -> Response {
    let request = match axum::body::to_bytes(body, PROBE_BODY_LIMIT).await {
        Ok(bytes) => FrRequest::parse(&bytes).map_err(|e| InputError::Body(e.to_string())),
        Err(_) => Err(InputError::Body(format!("Isi permintaan melebihi {} KiB", PROBE_BODY_LIMIT / 1024))),
    };
    let transaction = request.as_ref().ok().and_then(|r| r.transaction_id.clone()).unwrap_or_default();
    let (presented, ask) = match request.and_then(|request| open(&state, &caller, &credential_id, request)) {
        Ok((presented, ask)) => (presented, ask),
        Err(error) => (Presented::Nothing, Err(error)),
    };
    let answered = gate::serve(&state, &caller, "compat", &presented, Some(&credential_id), ask).await;
    Json(render(&transaction, &answered)).into_response()
}

/// Checks the network, opens the sealed fields, and reads the ask. A
/// refusal here is answered before the guards, with its own code.
fn open(
    state: &AppState,
    caller: &Caller,
    credential_id: &str,
    request: FrRequest,
) -> Result<(Presented, Result<Ask, InputError>), InputError> {
    admit_sealed_caller(&state.plane(), credential_id, caller.source_ip)
        .map_err(|denial| InputError::Coded(denial.code(), denial.to_string()))?;
    let key = state.provider_key.as_ref().ok_or(InputError::Coded(
        "sealed_field.undecryptable",
        "kunci penyelenggara belum dipasang; kolom tersegel tidak dapat dibuka".into(),
    ))?;
    let unseal = |field: &Option<String>| -> Result<Option<String>, InputError> {
        let Some(sealed) = field else { return Ok(None) };
        key.open_field(sealed, &mut OsRng)
            .map(|text| Some(text).filter(|t| !t.is_empty()))
            .map_err(|e| InputError::Coded(e.client_code(), "kolom tersegel tidak dapat dibuka".into()))
    };
    let (user_id, password) = (unseal(&request.user_id)?, unseal(&request.password)?);
    let nik = unseal(&request.nik)?;
    let presented = match (user_id, password) {
        (Some(user_id), Some(password)) => Presented::Password { user_id, password },
        _ => Presented::Nothing,
    };
    Ok((presented, ask_of(&request, nik)))
}

/// The ask of an opened request: 1:1 with a NIK, 1:N without.
fn ask_of(request: &FrRequest, nik: Option<String>) -> Result<Ask, InputError> {
    if let Some(key) = request.malformed.first() {
        return Err(InputError::Value(format!("nilai {key} tidak dapat dipakai")));
    }
    if request.kind.as_deref().is_some_and(|kind| !kind.eq_ignore_ascii_case("face")) {
        return Err(InputError::Value("type harus Face".into()));
    }
    let threshold = match request.threshold {
        FrThreshold::Absent => None,
        FrThreshold::Number(t) if (0.0..=10.0).contains(&t) => Some(Ok((t * 10.0) as f32)),
        _ => return Err(InputError::Coded("input.threshold", "threshold harus bilangan 0–10".into())),
    };
    let photo = request.image.clone().unwrap_or_default();
    Ok(match nik {
        Some(nik) => Ask::FaceMatch { nik: Some(nik), photo, threshold },
        None => Ask::FaceSearch { photo, threshold, limit: SEARCH_CANDIDATES },
    })
}

/// Gerbang's similarity 0–100 on the service's 0–10 scale.
fn match_score(similarity: f32) -> f64 {
    (f64::from(similarity) / 10.0 * 100.0).round() / 100.0
}

fn render(transaction: &str, answered: &Answered) -> FrAnswer {
    let code = gate::outcome_code(&answered.reply);
    let quota = answered.remaining;
    let failed = |failure| FrAnswer::failed(transaction, failure, quota, code);
    match &answered.reply {
        Reply::Denied(denial) => failed(denial_failure(denial)),
        Reply::Invalid(error) => failed(input_failure(error)),
        Reply::Unavailable => failed(FrFailure::Busy),
        Reply::Looked(lookup, _) if *lookup != Lookup::Found => failed(FrFailure::NikNotFound),
        Reply::Looked(_, Payload::FaceScore(verdict)) => match verdict.score {
            Some(score) => FrAnswer::scored(transaction, match_score(score), verdict.matched(), quota, code),
            None => failed(FrFailure::NikNotFound),
        },
        Reply::Looked(_, Payload::FaceCandidates(found)) => {
            let matches = found
                .iter()
                .map(|c| FrCandidate { nik: c.nik.to_string(), match_score: match_score(c.score) })
                .collect();
            FrAnswer::searched(transaction, matches, quota, code)
        }
        Reply::Looked(..) => failed(FrFailure::Busy),
    }
}

/// The service's code for a guard's refusal. A wrong password is answered
/// as an unknown account (5001), never 9002, so that the answer does not
/// tell which User IDs exist.
fn denial_failure(denial: &Denial) -> FrFailure {
    match denial {
        Denial::CredentialsMissing => FrFailure::InvalidParameter,
        Denial::LoginFailed
        | Denial::UserInactive
        | Denial::InstitutionInactive
        | Denial::NoAgreementInForce
        | Denial::NotSteward => FrFailure::AccountNotFound,
        Denial::IpNotRegistered | Denial::IpMismatch => FrFailure::IpNotAllowed,
        Denial::MechanismNotGranted(_) | Denial::ElementsNotGranted(_) | Denial::MatchRequired => {
            FrFailure::InvalidParameter
        }
        Denial::QuotaExhausted | Denial::LockedOut => FrFailure::RateLimited,
    }
}

fn input_failure(error: &InputError) -> FrFailure {
    match error {
        InputError::Body(_) | InputError::Nik(_) => FrFailure::InvalidFormat,
        InputError::Coded(code, _) if code.starts_with("sealed_field.") => FrFailure::DecryptionFailed,
        InputError::Coded(code, _) if code.starts_with("access.ip") => FrFailure::IpNotAllowed,
        InputError::Coded("input.threshold", _) => FrFailure::InvalidThreshold,
        InputError::Coded("input.not_base64", _) => FrFailure::InvalidFormat,
        InputError::Coded(code, _) if code.starts_with("image.") || code.starts_with("face.") => {
            FrFailure::ImageUnprocessable
        }
        InputError::Coded(..) | InputError::Missing(_) | InputError::Value(_) => FrFailure::InvalidParameter,
    }
}

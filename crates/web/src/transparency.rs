//! Transparency for residents over HTTP (issue 8): the registry issues a
//! resident a one-time code ([`issue_code`], used by the console), and the
//! resident, with NIK and code, reads which partner institutions accessed
//! their data ([`access_history`], used by
//! `POST /api/v1/resident/access-history` and the portal's `/portal/warga`).
//!
//! Core decides everything: who may issue (`Steward::may_issue_resident_code`),
//! what a presented code is worth (`transparency::redeem`) and what the
//! resident sees (`transparency::access_history`). Here the code's state is
//! settled in storage by compare-and-set, and every issue and every look-up,
//! refused or not, is audited under the resident's keyed NIK hash before it
//! is answered. A refused look-up answers one generic refusal whatever the
//! reason, so nobody learns whether a NIK exists or has a code.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gerbang_core::Nik;
use gerbang_core::access::{Denial, Steward};
use gerbang_core::audit::ResidentKey;
use gerbang_core::transparency::{
    self, AccessEntry, CodeRefusal, ISSUED_OUTCOME, OneTimeCode, REFUSAL_CODE, REFUSAL_MESSAGE, Redemption,
    SHOWN_OUTCOME, code_digest, redeem,
};
use gerbang_proto::v1::ErrorBody;
use gerbang_proto::v1::transparency::{AccessHistory, AccessHistoryQuery, ResidentAccess};
use gerbang_store::StoreError;

use crate::error::WebError;
use crate::gate::{Caller, event_record};
use crate::state::AppState;

/// How often a look-up re-reads a code another request settled first
/// before it gives up (refused); each round settles or sees a change.
const SETTLE_ROUNDS: usize = 4;

/// Why a code was not issued.
#[derive(Debug, thiserror::Error)]
pub enum IssueFailure {
    /// Core refused: the resident is outside the steward's region.
    #[error("Penduduk ini di luar wilayah penyelenggara Anda; kode akses tidak dapat diterbitkan.")]
    Denied(Denial),
    /// The NIK is not in the register.
    #[error("NIK tidak terdapat di database kependudukan")]
    NotRegistered,
    /// No randomness, or storage failed.
    #[error("Layanan sementara tidak tersedia; silakan coba lagi")]
    Unavailable,
}

impl From<StoreError> for IssueFailure {
    fn from(error: StoreError) -> Self {
        tracing::error!(code = error.code(), %error, "kode akses penduduk tidak dapat disimpan");
        IssueFailure::Unavailable
    }
}

/// Issues `nik` a new one-time code on behalf of `steward`, replacing any
/// earlier one; audited (`resident_code.issued`, interface `interface`)
/// before the code is returned. The code is in clear only in the return
/// value: show it once.
pub async fn issue_code(
    state: &AppState,
    caller: &Caller,
    steward: &Steward,
    nik: Nik,
    interface: &str,
) -> Result<OneTimeCode, IssueFailure> {
    steward.may_issue_resident_code(&state.plane(), nik).map_err(IssueFailure::Denied)?;
    if state.store.resident(nik).await?.is_none() {
        return Err(IssueFailure::NotRegistered);
    }
    let code = OneTimeCode::draw().map_err(|_| IssueFailure::Unavailable)?;
    let row = transparency::issue(&state.access.hasher, nik, &code, &steward.user_id, caller.at);
    let resident = row.resident;
    state.store.put_resident_code(row).await?;
    let by = Some(steward.user_id.clone());
    let record = event_record(caller, interface, None, by, Some(resident), ISSUED_OUTCOME.into());
    state.access.audit.record(record).await?;
    Ok(code)
}

/// The history a resident sees with `nik` and `code`, or `None` for the one
/// generic refusal. The look-up is audited (interface `interface`) with its
/// real outcome before this returns.
pub async fn access_history(
    state: &AppState,
    caller: &Caller,
    nik: &str,
    code: &str,
    interface: &str,
) -> Result<Option<Vec<AccessEntry>>, StoreError> {
    let Ok(nik) = Nik::parse(nik.trim()) else {
        audit(state, caller, interface, None, CodeRefusal::NoCode.code()).await?;
        return Ok(None);
    };
    let resident = state.access.hasher.key(nik);
    let presented = code_digest(&state.access.hasher, resident, code);
    // Only contention with other requests for the same code exhausts the
    // rounds; the presented code then opens nothing.
    let mut outcome = CodeRefusal::Wrong;
    for _ in 0..SETTLE_ROUNDS {
        let stored = state.store.resident_code(resident).await?;
        let (settled, refusal) = match redeem(stored.as_ref(), &presented, caller.at) {
            Redemption::Accepted { settled } => (Some(settled), None),
            Redemption::Refused { why, settled } => (settled, Some(why)),
        };
        let (Some(seen), Some(settled)) = (stored, settled) else {
            outcome = refusal.unwrap_or(CodeRefusal::NoCode);
            break;
        };
        if !state.store.settle_resident_code(seen, settled).await? {
            continue;
        }
        let Some(why) = refusal else { return shown(state, caller, interface, resident).await.map(Some) };
        outcome = why;
        break;
    }
    audit(state, caller, interface, Some(resident), outcome.code()).await?;
    Ok(None)
}

/// Reads the resident's history, audits that it was shown, returns it.
async fn shown(
    state: &AppState,
    caller: &Caller,
    interface: &str,
    resident: ResidentKey,
) -> Result<Vec<AccessEntry>, StoreError> {
    let records = state.store.audit_of_resident(resident).await?;
    let history = transparency::access_history(records, &state.plane());
    audit(state, caller, interface, Some(resident), SHOWN_OUTCOME).await?;
    Ok(history)
}

async fn audit(
    state: &AppState,
    caller: &Caller,
    interface: &str,
    resident: Option<ResidentKey>,
    outcome: &str,
) -> Result<u64, StoreError> {
    let record = event_record(caller, interface, None, None, resident, outcome.to_owned());
    state.access.audit.record(record).await
}

/// One entry as the v1 API shows it.
pub fn access_body(entry: &AccessEntry) -> ResidentAccess {
    ResidentAccess {
        at: entry.at.to_rfc3339(),
        institution: entry.institution.clone(),
        interface: entry.interface.clone(),
        interface_label: entry.interface_label().to_owned(),
        mechanism: entry.mechanism.map(|m| m.name().to_owned()),
        mechanism_label: entry.mechanism.map(|m| m.label().to_owned()),
        outcome: entry.outcome.clone(),
        data_released: entry.data_released(),
        elements: entry.elements.iter().map(|e| e.wire_name().to_owned()).collect(),
    }
}

/// `POST /api/v1/resident/access-history`: a resident's access history,
/// opened by their NIK and a one-time code from the registry (issue 8,
/// transparency for residents). Every refusal is the same 401.
#[utoipa::path(post, path = "/api/v1/resident/access-history", tag = "resident", request_body = AccessHistoryQuery, responses((status = 200, description = "Akses instansi mitra ke data penduduk, terbaru lebih dulu", body = AccessHistory), (status = 400, description = "Isi permintaan tidak valid", body = ErrorBody), (status = 401, description = "NIK atau kode akses tidak dapat diterima (`resident.code_refused`), apa pun sebabnya", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn access_history_show(
    State(state): State<AppState>,
    caller: Caller,
    body: axum::body::Body,
) -> Result<Response, WebError> {
    // An unreadable body is a 400 `input.body` as on every other endpoint,
    // not axum's 415/422 (which the document does not promise).
    let query: AccessHistoryQuery = crate::admin::json_body(body).await?;
    match access_history(&state, &caller, &query.nik, &query.code, "v1").await? {
        Some(history) => Ok(Json(AccessHistory {
            operation_id: caller.operation_id.clone(),
            accesses: history.iter().map(access_body).collect(),
        })
        .into_response()),
        None => Err(WebError::new(StatusCode::UNAUTHORIZED, REFUSAL_CODE, REFUSAL_MESSAGE)),
    }
}

//! The web-service intake of return data (SPEC.md §5, 004 Juknis 3d
//! "Metode Web Service"), in two shapes over one path
//! (`gerbang_intake::submit`, all-or-nothing for the compatible shape):
//!
//! - `POST /dukcapil/data_balikan`: the compatible store API of WIRE.md,
//!   `Authorization: Bearer {token}` (a v1 token), body
//!   `[{"id_lembaga":…,"nama_lembaga":…,"data":[{"NIK":"…","param":[{…}]}]}]`;
//!   answers 200 `{"message":"Success"}`, or 400
//!   `{"message":"Data sudah pernah dikirim"}` when every row was sent
//!   before, or 400/401/403 `{"message":…}` with the reason;
//! - `POST /api/v1/return-data`: the same with a JSON row-level report.
//!
//! The registry reads with `POST /api/v1/return-data/of-resident` (a
//! provider administrator's token; a regional one sees only its own
//! partners' rows; partners never read return data back).
//!
//! Who may send is decided in core (`authorize_submission`,
//! `Submitter::claims`). Every intake leaves one audit record (mechanism
//! none, outcome `return_data.*` or the guard's code) before it is
//! answered; an intake that cannot be audited is answered 503. Values of
//! return data never reach the logs.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gerbang_core::return_data::{
    IntakeMethod, IntakeMode, ReturnDenial, Submitter, authorize_reader, authorize_submission,
};
use gerbang_intake::{Actor, IntakeError, IntakeReport, Record, Source, submit};
use gerbang_proto::v1::ErrorBody;
use gerbang_proto::v1::NikQuery;
use gerbang_proto::v1::return_data::{
    NewReturnData, ResidentReturnData, ReturnDataProblem, ReturnDataRefusal, ReturnDataRejectedRow, ReturnDataReport,
    StoredReturnData,
};
use serde_json::Value;

use crate::WebError;
use crate::error::OwnFormat;
use crate::gate::{Caller, authenticate, event_record};
use crate::state::AppState;

/// Largest body of a web-service intake (about 50,000 rows).
const BODY_LIMIT: usize = 16 * 1024 * 1024;

/// Largest body of a read by NIK.
const QUERY_LIMIT: usize = 4 * 1024;

/// The compatible answer to a resubmission (WIRE.md).
pub const ALREADY_SENT: &str = "Data sudah pernah dikirim";

/// The v1 report of an intake.
pub fn report_body(operation_id: &str, report: &IntakeReport) -> ReturnDataReport {
    ReturnDataReport {
        operation_id: operation_id.to_owned(),
        institution: report.institution.clone(),
        schema: report.schema.clone(),
        method: report.method.name().to_owned(),
        mode: report.mode.name().to_owned(),
        rows: report.counts.rows,
        accepted: report.counts.accepted,
        already_sent: report.counts.already_sent,
        rejected: report.counts.rejected,
        stored: report.stored,
        all_already_sent: report.all_already_sent(),
        rejected_rows: report
            .rejected_rows
            .iter()
            .map(|r| ReturnDataRejectedRow {
                row: r.number,
                problems: r
                    .problems
                    .iter()
                    .map(|p| ReturnDataProblem {
                        column: p.column.clone(),
                        code: p.code.to_owned(),
                        message: p.message.clone(),
                    })
                    .collect(),
            })
            .collect(),
        rejected_rows_truncated: report.rejected_rows_truncated,
    }
}

/// The audit outcome of an intake.
pub fn outcome(result: &Result<IntakeReport, IntakeError>) -> String {
    match result {
        Ok(report) if report.all_already_sent() => "return_data.already_sent".into(),
        Ok(report) if report.stored => "return_data.stored".into(),
        Ok(_) => "return_data.rejected".into(),
        Err(error) => format!("return_data.refused.{}", error.code()),
    }
}

/// Why a web-service intake stopped before its rows were looked at.
enum Stop {
    Denied(ReturnDenial),
    Body(String),
    Unavailable,
}

impl Stop {
    fn status(&self) -> StatusCode {
        match self {
            Stop::Denied(ReturnDenial::Access(denial)) => WebError::from(denial.clone()).status(),
            Stop::Denied(_) => StatusCode::FORBIDDEN,
            Stop::Body(_) => StatusCode::BAD_REQUEST,
            Stop::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn code(&self) -> String {
        match self {
            Stop::Denied(denial) => denial.code().to_owned(),
            Stop::Body(_) => "input.body".into(),
            Stop::Unavailable => "service.unavailable".into(),
        }
    }

    fn message(&self) -> String {
        match self {
            Stop::Denied(denial) => denial.to_string(),
            Stop::Body(message) => message.clone(),
            Stop::Unavailable => "Layanan sementara tidak tersedia; silakan coba lagi".into(),
        }
    }
}

/// Authenticates the bearer token and runs core's guard.
async fn submitter(state: &AppState, caller: &Caller, headers: &HeaderMap) -> Result<Submitter, Stop> {
    let plane = state.plane();
    let authentication = authenticate(state, &plane, &crate::v1::presented(headers), caller).await;
    let today = gerbang_core::clock::jakarta_date(caller.at);
    authorize_submission(&plane, authentication, caller.source_ip, today).map_err(Stop::Denied)
}

async fn body_bytes(body: Body) -> Result<axum::body::Bytes, Stop> {
    axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| Stop::Body(format!("Isi permintaan melebihi {} MiB", BODY_LIMIT >> 20)))
}

/// A JSON scalar as text (NIKs arrive as strings or numbers).
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// Reads the compatible body: the rows of every element, after checking
/// that each names the caller's own institution.
fn compat_records(bytes: &[u8], state: &AppState, submitter: &Submitter) -> Result<Vec<Record>, Stop> {
    let malformed = |why: &str| Stop::Body(format!("Format JSON tidak valid: {why}"));
    let body: Value = serde_json::from_slice(bytes).map_err(|e| malformed(&e.to_string()))?;
    let batches = match body {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => return Err(malformed("isi harus berupa larik [{\"id_lembaga\":…, \"data\":[…]}]")),
    };
    let plane = state.plane();
    let mut records = Vec::new();
    for batch in &batches {
        let id = batch.get("id_lembaga").and_then(text).ok_or_else(|| malformed("id_lembaga wajib diisi"))?;
        submitter.claims(&plane, &id).map_err(Stop::Denied)?;
        let data = batch.get("data").and_then(Value::as_array).ok_or_else(|| malformed("data harus berupa larik"))?;
        for item in data {
            let nik = item.get("NIK").or_else(|| item.get("nik")).and_then(text).unwrap_or_default();
            let mut record = vec![("NIK".to_owned(), nik)];
            let params = item.get("param").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            for param in params {
                let object = param.as_object().ok_or_else(|| malformed("setiap param harus berupa objek"))?;
                for (key, value) in object {
                    let value = text(value).ok_or_else(|| malformed(&format!("nilai {key} harus teks atau angka")))?;
                    record.push((key.clone(), value));
                }
            }
            records.push(record);
        }
    }
    Ok(records)
}

async fn run(
    state: &AppState,
    caller: &Caller,
    submitter: &Submitter,
    records: Vec<Record>,
    mode: IntakeMode,
) -> Result<IntakeReport, IntakeError> {
    let actor =
        Actor { submitter, method: IntakeMethod::WebService, batch: caller.operation_id.clone(), at: caller.at };
    submit(
        state.store.as_ref(),
        &state.access.hasher,
        actor,
        Source::Records(records),
        mode,
        &state.intake,
        None,
        &|_| {},
    )
    .await
}

/// Records the intake in the trail; false when that failed.
async fn audit(state: &AppState, caller: &Caller, interface: &str, who: Option<&Submitter>, outcome: String) -> bool {
    let record = event_record(
        caller,
        interface,
        who.map(|s| s.institution.clone()),
        who.map(|s| s.user_id.clone()),
        None,
        outcome,
    );
    state.access.audit.record(record).await.is_ok()
}

fn compat_answer(status: StatusCode, message: impl Into<String>) -> Response {
    let mut response = (status, Json(serde_json::json!({ "message": message.into() }))).into_response();
    response.extensions_mut().insert(OwnFormat);
    response
}

/// `POST /dukcapil/data_balikan`: the compatible store API (WIRE.md "Data
/// balikan store API"; SPEC.md §5).
pub(crate) async fn compat_store(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let prepared = async {
        let submitter = submitter(&state, &caller, &headers).await?;
        let bytes = body_bytes(body).await?;
        let records = compat_records(&bytes, &state, &submitter)?;
        Ok::<_, Stop>((submitter, records))
    };
    let (submitter, records) = match prepared.await {
        Ok(ready) => ready,
        Err(stop) => {
            if !audit(&state, &caller, "compat", None, stop.code()).await {
                return compat_answer(StatusCode::SERVICE_UNAVAILABLE, Stop::Unavailable.message());
            }
            return compat_answer(stop.status(), stop.message());
        }
    };
    let result = run(&state, &caller, &submitter, records, IntakeMode::AllOrNothing).await;
    if !audit(&state, &caller, "compat", Some(&submitter), outcome(&result)).await {
        return compat_answer(StatusCode::SERVICE_UNAVAILABLE, Stop::Unavailable.message());
    }
    match result {
        Ok(report) if report.all_already_sent() => compat_answer(StatusCode::BAD_REQUEST, ALREADY_SENT),
        Ok(report) if report.stored => compat_answer(StatusCode::OK, "Success"),
        Ok(report) => {
            let reasons: Vec<String> = report
                .rejected_rows
                .iter()
                .map(|r| {
                    let problems: Vec<String> = r.problems.iter().map(ToString::to_string).collect();
                    format!("data ke-{}: {}", r.number, problems.join(", "))
                })
                .collect();
            compat_answer(
                StatusCode::BAD_REQUEST,
                format!("Data ditolak, tidak ada yang disimpan: {}", reasons.join("; ")),
            )
        }
        Err(IntakeError::Store(_)) => compat_answer(StatusCode::SERVICE_UNAVAILABLE, Stop::Unavailable.message()),
        Err(error) => compat_answer(StatusCode::BAD_REQUEST, error.to_string()),
    }
}

/// `POST /api/v1/return-data`: return data of the caller's own schema with
/// a row-level report (SPEC.md §5). 200 when stored (also when every row
/// had been sent before: `all_already_sent`), 422 with the report when
/// nothing was stored.
#[utoipa::path(post, path = "/api/v1/return-data", tag = "return-data", request_body = NewReturnData, security(("bearer" = [])), responses((status = 200, description = "Diterima dan disimpan; laporan per baris", body = ReturnDataReport), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Ditolak oleh penjaga akses atau tanpa skema data balikan", body = ErrorBody), (status = 422, description = "Tidak ada yang disimpan: laporan per baris, atau kiriman ditolak utuh", body = ReturnDataRefusal), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn v1_store(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let prepared = async {
        let submitter = submitter(&state, &caller, &headers).await?;
        let bytes = body_bytes(body).await?;
        let new: NewReturnData = serde_json::from_slice(&bytes)
            .map_err(|e| Stop::Body(format!("Isi permintaan tidak sesuai skema: {e}")))?;
        let mode = match new.mode.as_deref() {
            None => IntakeMode::AllOrNothing,
            Some(name) => {
                IntakeMode::from_name(name).ok_or_else(|| Stop::Body("mode harus \"all\" atau \"rows\"".into()))?
            }
        };
        let records: Vec<Record> = new.rows.into_iter().map(|row| row.into_iter().collect()).collect();
        Ok::<_, Stop>((submitter, records, mode))
    };
    let (submitter, records, mode) = match prepared.await {
        Ok(ready) => ready,
        Err(stop) => {
            if !audit(&state, &caller, "v1", None, stop.code()).await {
                return WebError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    Stop::Unavailable.code(),
                    Stop::Unavailable.message(),
                )
                .into_response();
            }
            return WebError::new(stop.status(), stop.code(), stop.message()).into_response();
        }
    };
    let result = run(&state, &caller, &submitter, records, mode).await;
    if !audit(&state, &caller, "v1", Some(&submitter), outcome(&result)).await {
        return WebError::new(StatusCode::SERVICE_UNAVAILABLE, Stop::Unavailable.code(), Stop::Unavailable.message())
            .into_response();
    }
    match result {
        Ok(report) => {
            let status = if report.stored { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
            let mut response = (status, Json(report_body(&caller.operation_id, &report))).into_response();
            // The report is the body of a 422 too, not a generic error body.
            response.extensions_mut().insert(OwnFormat);
            response
        }
        Err(IntakeError::Store(error)) => WebError::from(error).into_response(),
        Err(error) => WebError::new(StatusCode::UNPROCESSABLE_ENTITY, error.code(), error.to_string()).into_response(),
    }
}

/// `POST /api/v1/return-data/of-resident`: the return data partners sent
/// about one resident, for the registry's administrators (SPEC.md §5). The
/// NIK travels in the body; the read is audited with the resident's key.
#[utoipa::path(post, path = "/api/v1/return-data/of-resident", tag = "return-data", request_body = NikQuery, security(("bearer" = [])), responses((status = 200, description = "Data balikan tentang satu penduduk", body = ResidentReturnData), (status = 400, description = "NIK atau isi permintaan tidak valid", body = ErrorBody), (status = 401, description = "Kredensial tidak ada atau salah", body = ErrorBody), (status = 403, description = "Hanya administrator penyelenggara", body = ErrorBody), (status = 503, description = "Layanan tidak tersedia", body = ErrorBody)))]
pub(crate) async fn of_resident(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let plane = state.plane();
    let authentication = authenticate(&state, &plane, &crate::v1::presented(&headers), &caller).await;
    let steward = match authorize_reader(&plane, authentication, None) {
        Ok(steward) => steward,
        Err(denial) => {
            let status = match &denial {
                ReturnDenial::Access(denial) => WebError::from(denial.clone()).status(),
                _ => StatusCode::FORBIDDEN,
            };
            return Err(WebError::new(status, denial.code(), denial.to_string()));
        }
    };
    // Read only once the caller is known to be allowed: anyone else learns
    // nothing about the body.
    let query: NikQuery = crate::v1::read_limited(body, QUERY_LIMIT)
        .await
        .map_err(|e| WebError::new(StatusCode::BAD_REQUEST, e.code(), e.message()))?;
    let nik = gerbang_core::Nik::parse(&query.nik)?;
    let rows: Vec<StoredReturnData> = state
        .store
        .return_data_of(nik)
        .await?
        .into_iter()
        .filter(|row| steward.manages(&plane, &row.institution).is_ok())
        .map(|row| StoredReturnData {
            institution: row.institution,
            schema: row.schema,
            batch: row.batch,
            method: row.method.name().to_owned(),
            received_at: row.received_at.to_rfc3339(),
            values: row.values,
        })
        .collect();
    let record = event_record(
        &caller,
        "v1",
        None,
        Some(steward.user_id.clone()),
        Some(state.access.hasher.key(nik)),
        "return_data.read".into(),
    );
    state.access.audit.record(record).await?;
    Ok(Json(ResidentReturnData { operation_id: caller.operation_id.clone(), rows }).into_response())
}

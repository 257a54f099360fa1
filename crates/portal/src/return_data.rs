//! Return data in the portal (SPEC.md §5, 004 Juknis 3d): the two intake
//! methods a partner's people use by hand — the online form, one resident
//! at a time, and the upload of an `.xlsx`, `.xls`, `.ods` or `.csv` file —
//! beside the web service. Both go through `gerbang-intake`'s one path
//! (`submit`), so they validate, check the accessed-NIK rule and refuse a
//! duplicate exactly as the web service does; who may submit, and under
//! which schema, is `core`'s `authorize_submission`.
//!
//! An upload is streamed to a temporary file with the deployment's size
//! limit checked as it arrives, so a huge upload is refused without being
//! held in memory; its route sits outside the portal's 1 MiB body limit
//! for that reason ([`uploads`]). Every submission is recorded in the audit
//! trail before the page answers.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gerbang_core::access::Authentication;
use gerbang_core::clock::jakarta_date;
use gerbang_core::return_data::{
    IntakeMethod, IntakeMode, ReturnBatch, ReturnSchema, Rule, Submitter, authorize_submission,
};
use gerbang_intake::{Actor, IntakeError, IntakeReport, Record, Source, submit};
use gerbang_web::AppState;
use gerbang_web::return_data::outcome;

use crate::desk::Signed;
use crate::texts::Texts;
use crate::upload::read_upload;
use crate::view::{self, Chrome, render_with};

/// A column of the schema as the page shows it.
pub(crate) struct ColumnView {
    pub column: String,
    pub label: String,
    pub required: bool,
    /// `text`, `date` or `select`.
    pub kind: &'static str,
    pub options: Vec<String>,
    /// The rule in words.
    pub rule: String,
}

/// A past submission as listed.
pub(crate) struct BatchView {
    pub received_at: String,
    pub user_id: String,
    pub method: &'static str,
    pub filename: String,
    pub rows: u64,
    pub accepted: u64,
    pub already_sent: u64,
    pub rejected: u64,
}

/// The outcome of one submission as shown.
pub(crate) struct ReportView {
    pub stored: bool,
    pub rows: u64,
    pub accepted: u64,
    pub already_sent: u64,
    pub rejected: u64,
    /// Row number and the reasons, for the first rejected rows.
    pub rejected_rows: Vec<(u64, String)>,
    pub truncated: bool,
}

#[derive(Template)]
#[template(path = "return_data.html")]
struct ReturnDataPage {
    chrome: Chrome,
    institution_name: String,
    schema_title: String,
    columns: Vec<ColumnView>,
    batches: Vec<BatchView>,
    report: Option<ReportView>,
    /// A refusal of the whole submission.
    error: String,
    max_upload_mib: u64,
}

fn rule_words(t: &Texts, rule: &Rule) -> String {
    match rule {
        Rule::Text { max_length } => format!("{} {max_length} {}", t.rd_text_up_to, t.rd_characters),
        Rule::Digits { length } => format!("{length} {}", t.rd_digits),
        Rule::Date => t.rd_date.to_owned(),
        Rule::Choice { options } => options.join(" / "),
        Rule::Integer { min, max } => format!("{min}–{max}"),
    }
}

fn columns(t: &Texts, schema: &ReturnSchema) -> Vec<ColumnView> {
    let nik = ColumnView {
        column: gerbang_core::return_data::NIK_COLUMN.to_owned(),
        label: t.nik.to_owned(),
        required: true,
        kind: "text",
        options: Vec::new(),
        rule: format!("16 {}", t.rd_digits),
    };
    let fields = schema.fields.iter().map(|f| ColumnView {
        column: f.column.clone(),
        label: f.label.clone(),
        required: f.required,
        kind: match f.rule {
            Rule::Date => "date",
            Rule::Choice { .. } => "select",
            _ => "text",
        },
        options: match &f.rule {
            Rule::Choice { options } => options.clone(),
            _ => Vec::new(),
        },
        rule: rule_words(t, &f.rule),
    });
    std::iter::once(nik).chain(fields).collect()
}

fn batch_view(t: &Texts, batch: &ReturnBatch) -> BatchView {
    BatchView {
        received_at: batch
            .received_at
            .with_timezone(&gerbang_core::clock::JAKARTA)
            .format("%d-%m-%Y %H:%M")
            .to_string(),
        user_id: batch.user_id.clone(),
        method: match batch.method {
            IntakeMethod::Upload => t.rd_upload,
            IntakeMethod::Form => t.rd_form,
            IntakeMethod::WebService => t.rd_web_service,
        },
        filename: batch.filename.clone().unwrap_or_default(),
        rows: batch.counts.rows,
        accepted: batch.counts.accepted,
        already_sent: batch.counts.already_sent,
        rejected: batch.counts.rejected,
    }
}

fn report_view(report: &IntakeReport) -> ReportView {
    ReportView {
        stored: report.stored,
        rows: report.counts.rows,
        accepted: report.counts.accepted,
        already_sent: report.counts.already_sent,
        rejected: report.counts.rejected,
        rejected_rows: report
            .rejected_rows
            .iter()
            .map(|r| {
                let reasons: Vec<String> =
                    r.problems
                        .iter()
                        .map(|p| {
                            if p.column.is_empty() { p.message.clone() } else { format!("{}: {}", p.column, p.message) }
                        })
                        .collect();
                (r.number, reasons.join("; "))
            })
            .collect(),
        truncated: report.rejected_rows_truncated,
    }
}

/// The partner's submitter, as `core` decides it for the signed-in account;
/// else the page that says no.
#[allow(clippy::result_large_err)] // the error is the page answered, built at most once a request
fn submitter(signed: &Signed) -> Result<Submitter, Response> {
    let (t, plane) = (signed.visitor.t, &signed.plane);
    let account = plane.account(signed.desk.user_id()).ok_or_else(|| view::not_found(t))?;
    let today = jakarta_date(signed.visitor.caller.at);
    authorize_submission(plane, Authentication::Verified(account), signed.visitor.caller.source_ip, today)
        .map_err(|denial| view::refused(t, &denial.to_string()))
}

async fn page(
    state: &AppState,
    signed: &Signed,
    report: Option<ReportView>,
    error: String,
    status: StatusCode,
) -> Response {
    let t = signed.visitor.t;
    let submitter = match submitter(signed) {
        Ok(submitter) => submitter,
        Err(page) => return page,
    };
    let (schemas, batches) =
        match (state.store.return_schemas().await, state.store.return_batches_of(&submitter.institution).await) {
            (Ok(schemas), Ok(batches)) => (schemas, batches),
            (Err(error), _) | (_, Err(error)) => {
                tracing::error!(code = error.code(), %error, "skema atau kiriman data balikan tidak dapat dibaca");
                return view::unavailable(t);
            }
        };
    let Some(schema) = schemas.iter().find(|s| s.name == submitter.schema) else { return view::unavailable(t) };
    let institution_name = signed.plane.institution(&submitter.institution).map(|i| i.name.clone()).unwrap_or_default();
    let page = ReturnDataPage {
        chrome: Chrome::signed(signed, state, None).await,
        institution_name,
        schema_title: schema.title.clone(),
        columns: columns(t, schema),
        batches: batches.iter().take(20).map(|b| batch_view(t, b)).collect(),
        report,
        error,
        max_upload_mib: state.intake.max_upload_bytes >> 20,
    };
    render_with(status, &page)
}

/// `GET /portal/mitra/data-balikan`: the schema, the form, the upload and
/// the partner's recent submissions.
pub(crate) async fn show(State(state): State<AppState>, signed: Signed) -> Response {
    page(&state, &signed, None, String::new(), StatusCode::OK).await
}

/// Runs one submission, records it in the trail, and shows its report.
async fn submitted(
    state: &AppState,
    signed: &Signed,
    submitter: &Submitter,
    method: IntakeMethod,
    source: Source,
    mode: IntakeMode,
    workbook: Option<&std::path::Path>,
) -> Result<IntakeReport, Response> {
    let caller = &signed.visitor.caller;
    let actor = Actor { submitter, method, batch: caller.operation_id.clone(), at: caller.at };
    let result =
        submit(state.store.as_ref(), &state.access.hasher, actor, source, mode, &state.intake, workbook, &|_| {}).await;
    let institution = Some(submitter.institution.clone());
    if signed.visitor.audit(state, institution, &submitter.user_id, &outcome(&result)).await.is_err() {
        return Err(view::unavailable(signed.visitor.t));
    }
    match result {
        Ok(report) => Ok(report),
        Err(IntakeError::Store(error)) => {
            tracing::error!(code = error.code(), %error, "data balikan tidak dapat disimpan");
            Err(view::unavailable(signed.visitor.t))
        }
        Err(error) => Err(page(state, signed, None, error.to_string(), StatusCode::UNPROCESSABLE_ENTITY).await),
    }
}

async fn answered(state: &AppState, signed: &Signed, report: &IntakeReport) -> Response {
    let status = if report.stored { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    page(state, signed, Some(report_view(report)), String::new(), status).await
}

/// `POST /portal/mitra/data-balikan/formulir`: one resident's return data
/// typed into the online form (field names are the schema's columns).
pub(crate) async fn form(
    State(state): State<AppState>,
    signed: Signed,
    Form(posted): Form<Vec<(String, String)>>,
) -> Response {
    let csrf = posted.iter().find(|(k, _)| k == "csrf").map(|(_, v)| v.as_str()).unwrap_or_default();
    if !signed.posted_by_this_session(csrf) {
        return signed.forged();
    }
    let submitter = match submitter(&signed) {
        Ok(submitter) => submitter,
        Err(page) => return page,
    };
    let record: Record = posted.into_iter().filter(|(k, _)| k != "csrf").collect();
    let source = Source::Records(vec![record]);
    match submitted(&state, &signed, &submitter, IntakeMethod::Form, source, IntakeMode::AllOrNothing, None).await {
        Ok(report) => answered(&state, &signed, &report).await,
        Err(page) => page,
    }
}

/// `POST /portal/mitra/data-balikan/unggah`: a spreadsheet or CSV file,
/// all-or-nothing or row by row; with `workbook` ticked and rows rejected,
/// the answer is the `.xlsx` of the rejected rows with their reasons.
pub(crate) async fn upload(State(state): State<AppState>, signed: Signed, multipart: Multipart) -> Response {
    let t = signed.visitor.t;
    let limit = state.intake.max_upload_bytes;
    let form = match read_upload(multipart, limit).await {
        Ok(form) => form,
        Err(stop) => {
            let (status, message) = stop.answer(t, limit);
            return page(&state, &signed, None, message, status).await;
        }
    };
    if !signed.posted_by_this_session(form.field("csrf")) {
        return signed.forged();
    }
    let mode = IntakeMode::from_name(form.field("mode")).unwrap_or(IntakeMode::AllOrNothing);
    let workbook = !form.field("workbook").is_empty();
    let submitter = match submitter(&signed) {
        Ok(submitter) => submitter,
        Err(page) => return page,
    };
    let Some((file, length)) = form.file else {
        return page(&state, &signed, None, t.rd_no_file.to_owned(), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let Ok(reader) = file.reopen() else { return view::unavailable(t) };
    let book = if workbook { tempfile::Builder::new().suffix(".xlsx").tempfile().ok() } else { None };
    let source = Source::File { file: Box::new(reader), length, filename: form.filename };
    let book_path = book.as_ref().map(|b| b.path());
    let report = match submitted(&state, &signed, &submitter, IntakeMethod::Upload, source, mode, book_path).await {
        Ok(report) => report,
        Err(page) => return page,
    };
    if let (Some(book), true) = (book, report.counts.rejected > 0) {
        let Ok(bytes) = std::fs::read(book.path()) else { return view::unavailable(t) };
        let disposition = format!("attachment; filename=\"ditolak-{}.xlsx\"", report.batch);
        let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        return ([(header::CONTENT_TYPE, kind.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
            .into_response();
    }
    answered(&state, &signed, &report).await
}

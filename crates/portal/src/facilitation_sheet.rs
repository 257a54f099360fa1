//! Filing facilitation cases from a spreadsheet (SPEC.md §9): a partner's
//! administrator uploads its list of children or inmates, one person a
//! row, instead of typing each into the form. `gerbang-intake` reads the
//! file under the same guards as return data (type by content, size,
//! zip bomb, formulas, a row cap); `core` decides what the rows mean
//! (`ControlPlane::file_facilitation_sheet`); the store files every case
//! in one transaction, so a sheet is filed whole or not at all.
//!
//! A refused sheet comes back with its problems by row and column. A
//! person who already has an open case for the same document refuses the
//! sheet too, and the row is named with that case's number.

use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::facilitation::sheet::{MAX_SHEET_ROWS, RowProblem, SheetError, rows_already_open};
use gerbang_core::facilitation::{Case, FilingField, STATUS_NAMES};
use gerbang_store::{CaseQuery, StoreError};
use gerbang_web::AppState;

use crate::desk::Signed;
use crate::facilitation::{NewCase, PARTNER_PAGE, SheetView, facilitation_error, partner_page};
use crate::partner::partner_desk;
use crate::upload::read_upload;
use crate::view;

/// The largest sheet accepted: thousands of rows fit in far less.
const MAX_SHEET_BYTES: u64 = 16 << 20;

/// Rows a file may hold besides the data: a title, notes and the header.
const SLACK_ROWS: usize = 12;

/// The page, refusing the sheet with `sheet`'s words.
async fn refused(state: &AppState, signed: &Signed, sheet: SheetView) -> Response {
    partner_page(state, signed, &NewCase::default(), None, sheet).await
}

fn problems_view(problems: Vec<RowProblem>) -> Vec<(u64, &'static str, String)> {
    problems.into_iter().map(|p| (p.row, p.column.map_or("", FilingField::name), p.problem)).collect()
}

/// `POST /portal/mitra/fasilitasi/unggah`: files every row of the sheet as
/// a case, or none.
pub(crate) async fn upload(State(state): State<AppState>, signed: Signed, multipart: Multipart) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    let limit = state.intake.max_upload_bytes.min(MAX_SHEET_BYTES);
    let form = match read_upload(multipart, limit).await {
        Ok(form) => form,
        Err(stop) => {
            let (_, error) = stop.answer(t, limit);
            return refused(&state, &signed, SheetView::refusing(error)).await;
        }
    };
    if !signed.posted_by_this_session(form.field("csrf")) {
        return signed.forged();
    }
    let Some((file, length)) = form.file else {
        return refused(&state, &signed, SheetView::refusing(t.rd_no_file.to_owned())).await;
    };
    let Ok(reader) = file.reopen() else { return view::unavailable(t) };
    let rows =
        match gerbang_intake::read_rows(Box::new(reader), length, &state.intake, MAX_SHEET_ROWS + SLACK_ROWS).await {
            Ok(rows) => rows,
            Err(error) => {
                return refused(&state, &signed, SheetView::refusing(error.to_string())).await;
            }
        };
    let cases = match signed.plane.file_facilitation_sheet(desk, rows, signed.visitor.caller.at) {
        Ok(cases) => cases,
        Err(SheetError::Rows(problems)) => {
            let sheet = SheetView { problems: problems_view(problems), ..SheetView::default() };
            return refused(&state, &signed, sheet).await;
        }
        Err(SheetError::Refused(error)) => {
            let sheet = SheetView::refusing(facilitation_error(t, &error));
            return refused(&state, &signed, sheet).await;
        }
        Err(error) => {
            return refused(&state, &signed, SheetView::refusing(error.to_string())).await;
        }
    };
    let count = cases.len();
    match state.store.file_cases(cases.iter().map(|(_, case)| case.clone()).collect()).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => {
            let Some(open) = open_cases(&state, &desk.institution).await else { return view::unavailable(t) };
            let problems = rows_already_open(&cases, &open);
            let sheet = if problems.is_empty() {
                SheetView::refusing(t.case_already_open.to_owned())
            } else {
                SheetView { problems: problems_view(problems), ..SheetView::default() }
            };
            return refused(&state, &signed, sheet).await;
        }
        Err(error) => {
            tracing::error!(code = error.code(), %error, "berkas fasilitasi tidak dapat disimpan");
            return view::unavailable(t);
        }
    }
    let institution = Some(desk.institution.clone());
    if signed.visitor.audit(&state, institution, &desk.user_id, "facilitation.filed_sheet").await.is_err() {
        return view::unavailable(t);
    }
    Redirect::to(&format!("{PARTNER_PAGE}?berkas={count}")).into_response()
}

/// The partner's cases still open (for naming the rows that repeat one).
async fn open_cases(state: &AppState, institution: &str) -> Option<Vec<Case>> {
    let mut open = Vec::new();
    for status in STATUS_NAMES.iter().filter(|s| !matches!(**s, "issued" | "rejected")) {
        let institution = Some(institution.to_owned());
        let query = CaseQuery { institution, status: Some((*status).to_owned()), limit: u32::MAX };
        match state.store.cases(query).await {
            Ok(cases) => open.extend(cases),
            Err(error) => {
                tracing::error!(code = error.code(), %error, "daftar fasilitasi tidak dapat dibaca");
                return None;
            }
        }
    }
    Some(open)
}

/// `GET /portal/mitra/fasilitasi/templat.csv`: an empty sheet with the
/// header row, `;`-separated with a byte-order mark so Excel in an
/// Indonesian locale opens it in columns.
pub(crate) async fn template(signed: Signed) -> Response {
    let t = signed.visitor.t;
    if partner_desk(&signed).is_none() {
        return view::not_found(t);
    }
    let header = FilingField::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(";");
    let body = format!("\u{feff}{header}\r\n");
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"templat-fasilitasi.csv\""),
        ],
        body,
    )
        .into_response()
}

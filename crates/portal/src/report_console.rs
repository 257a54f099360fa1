//! Semester reports at the registry's console (SPEC.md §8, 004 Ps.9): the
//! reports of the partners an administrator manages, by semester and
//! status; a report with the evaluation form; the downloads; and for a
//! regional office the summary for the Bupati. `core` decides what the
//! administrator sees ([`Steward::sees_report`], `manages`) and may do
//! (`evaluate_report`, `bupati_summary`); another office's partner is not
//! found. Page loads and downloads are audited as accesses, evaluations as
//! `admin.report_evaluate`, before the page answers.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::access::{ProviderLevel, Steward};
use gerbang_core::clock::jakarta_date;
use gerbang_core::report::{NewEvaluation, ReportStatus, Semester, SemesterReport, Verdict};
use gerbang_report::Font;
use gerbang_web::AppState;
use serde::Deserialize;

use crate::console::steward;
use crate::desk::Signed;
use crate::reports::{ReportPage, ReportView, audit, document, download, report_error, status_label, with_figures};
use crate::view::{self, Chrome, render, render_with};

/// A partner's line in the list.
pub(crate) struct ConsoleRow {
    pub institution: String,
    pub name: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub submitted: String,
    pub opened: bool,
}

#[derive(Template)]
#[template(path = "reports_console.html")]
struct ConsoleReportsPage {
    chrome: Chrome,
    semester: String,
    semesters: Vec<(String, String)>,
    status: String,
    statuses: Vec<(&'static str, &'static str)>,
    rows: Vec<ConsoleRow>,
    /// A regional office may download the Bupati summary.
    regional: bool,
}

/// The list's filters.
#[derive(Deserialize, Default)]
pub(crate) struct ListFilters {
    #[serde(default)]
    semester: String,
    #[serde(default)]
    status: String,
}

/// `GET /portal/konsol/laporan?semester=2026-S1&status=diajukan`: the
/// managed partners' reports of a semester (the current one by default).
pub(crate) async fn list(
    State(state): State<AppState>,
    signed: Signed,
    Query(filters): Query<ListFilters>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let plane = &signed.plane;
    let today = jakarta_date(signed.visitor.caller.at);
    let current = Semester::containing(today);
    let semester = filters.semester.parse().unwrap_or(current);
    let wanted = ReportStatus::from_name(&filters.status);
    let Ok(stored) = state.store.semester_reports(None, Some(semester)).await else { return view::unavailable(t) };
    let rows = plane
        .institutions()
        .filter(|i| steward.manages(plane, &i.code).is_ok())
        .filter(|i| plane.agreements_of(&i.code).any(|a| a.valid_from <= semester.last_day()))
        .filter_map(|i| {
            let report = stored.iter().find(|r| r.institution == i.code);
            let status = report.map(SemesterReport::status);
            if wanted.is_some() && status != wanted {
                return None;
            }
            Some(ConsoleRow {
                institution: i.code.clone(),
                name: i.name.clone(),
                status: status.map_or("kosong", ReportStatus::name),
                status_label: status.map_or(t.report.no_report, |s| status_label(t, s)),
                submitted: report
                    .and_then(|r| r.submitted.as_ref())
                    .map_or_else(String::new, |s| s.on.format("%d-%m-%Y").to_string()),
                opened: report.is_some(),
            })
        })
        .collect();
    let mut semesters = Vec::new();
    let mut each = current;
    for _ in 0..6 {
        semesters.push((each.to_string(), each.label()));
        each = each.previous();
    }
    let statuses = ReportStatus::ALL.iter().map(|s| (s.name(), status_label(t, *s))).collect();
    let regional = plane.provider(&steward.provider).is_some_and(|p| matches!(p.level, ProviderLevel::Regional { .. }));
    if let Err(answer) = audit(&state, &signed, None, "portal.report_list").await {
        return answer;
    }
    render(&ConsoleReportsPage {
        chrome: Chrome::signed(&signed, &state, None).await,
        semester: semester.to_string(),
        semesters,
        status: filters.status,
        statuses,
        rows,
        regional,
    })
}

/// A managed partner's stored report, or the page to answer.
async fn managed_report(
    state: &AppState,
    signed: &Signed,
    steward: &Steward,
    institution: &str,
    semester: &str,
) -> Result<SemesterReport, Response> {
    let t = signed.visitor.t;
    let semester: Semester = semester.parse().map_err(|_| view::not_found(t))?;
    let stored = state.store.semester_report(institution, semester).await.map_err(|_| view::unavailable(t))?;
    let report = stored.ok_or_else(|| view::not_found(t))?;
    steward.sees_report(&signed.plane, report).map_err(|_| view::not_found(t))
}

async fn console_page(
    state: &AppState,
    signed: &Signed,
    steward: &Steward,
    (institution, semester): (&str, &str),
    error: String,
) -> Response {
    let t = signed.visitor.t;
    let report = match managed_report(state, signed, steward, institution, semester).await {
        Ok(report) => report,
        Err(answer) => return answer,
    };
    let Ok(report) = with_figures(state, &signed.plane, report).await else { return view::unavailable(t) };
    if let Err(answer) = audit(state, signed, Some(&report.institution), "portal.report_view").await {
        return answer;
    }
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ReportPage {
        chrome: Chrome::signed(signed, state, None).await,
        base: format!("/portal/konsol/laporan/{}/{}", report.institution, report.semester),
        report: ReportView::of(&report, t),
        partner_side: false,
        error,
    };
    render_with(status, &page)
}

/// `GET /portal/konsol/laporan/{institution}/{semester}`.
pub(crate) async fn view_report(
    State(state): State<AppState>,
    signed: Signed,
    Path((institution, semester)): Path<(String, String)>,
) -> Response {
    let Some(steward) = steward(&signed) else { return view::not_found(signed.visitor.t) };
    console_page(&state, &signed, steward, (&institution, &semester), String::new()).await
}

/// The evaluation form.
#[derive(Deserialize)]
pub(crate) struct EvaluationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    temuan: String,
    #[serde(default)]
    tindak_lanjut: String,
    /// `diterima` or `perlu_perbaikan`.
    #[serde(default)]
    kesimpulan: String,
    #[serde(default)]
    alasan: String,
}

/// `POST /portal/konsol/laporan/{institution}/{semester}/evaluasi` (004
/// Ps.9(2)): the provider's evaluation of a submitted report.
pub(crate) async fn evaluate(
    State(state): State<AppState>,
    signed: Signed,
    Path((institution, semester)): Path<(String, String)>,
    Form(form): Form<EvaluationForm>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let report = match managed_report(&state, &signed, steward, &institution, &semester).await {
        Ok(report) => report,
        Err(answer) => return answer,
    };
    let verdict = match form.kesimpulan.as_str() {
        "diterima" => Verdict::Accepted,
        _ => Verdict::Revise { reason: form.alasan },
    };
    let evaluation = NewEvaluation { findings: form.temuan, follow_up: form.tindak_lanjut, verdict };
    let today = jakarta_date(signed.visitor.caller.at);
    let report = match steward.evaluate_report(&signed.plane, report, evaluation, today) {
        Ok(report) => report,
        Err(error) => {
            let message = report_error(&error).1;
            return console_page(&state, &signed, steward, (&institution, &semester), message).await;
        }
    };
    let address = format!("/portal/konsol/laporan/{}/{}", report.institution, report.semester);
    if state.store.save_semester_report(report).await.is_err() {
        return view::unavailable(t);
    }
    if let Err(answer) = audit(&state, &signed, Some(&institution), "admin.report_evaluate").await {
        return answer;
    }
    Redirect::to(&address).into_response()
}

/// `GET /portal/konsol/laporan/{institution}/{semester}/unduh/{format}`.
pub(crate) async fn download_report(
    State(state): State<AppState>,
    signed: Signed,
    Path((institution, semester, format)): Path<(String, String, String)>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let report = match managed_report(&state, &signed, steward, &institution, &semester).await {
        Ok(report) => report,
        Err(answer) => return answer,
    };
    let Ok(report) = with_figures(&state, &signed.plane, report).await else { return view::unavailable(t) };
    if let Err(answer) = audit(&state, &signed, Some(&report.institution), "portal.report_export").await {
        return answer;
    }
    let name = format!("laporan-{}-{}", report.institution, report.semester);
    match document(report, format.clone()).await {
        Some(made) => download(t, &name, &format, made),
        None => view::not_found(t),
    }
}

/// `GET /portal/konsol/laporan-bupati/{semester}/{format}` (004 Ps.9(4)):
/// a regional office's summary of its partners' reports for the Bupati.
pub(crate) async fn bupati(
    State(state): State<AppState>,
    signed: Signed,
    Path((semester, format)): Path<(String, String)>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let Ok(semester) = semester.parse::<Semester>() else { return view::not_found(t) };
    let Ok(stored) = state.store.semester_reports(None, Some(semester)).await else { return view::unavailable(t) };
    let mut reports = Vec::with_capacity(stored.len());
    for report in stored {
        let Ok(report) = with_figures(&state, &signed.plane, report).await else { return view::unavailable(t) };
        reports.push(report);
    }
    let summary = match steward.bupati_summary(&signed.plane, semester, reports) {
        Ok(summary) => summary,
        Err(error) => {
            let (status, message) = report_error(&error);
            return view::refused_with(t, status, &message);
        }
    };
    if let Err(answer) = audit(&state, &signed, None, "portal.report_export").await {
        return answer;
    }
    let name = format!("ringkasan-bupati-{}-{semester}", summary.provider);
    let made = tokio::task::spawn_blocking(move || match format.as_str() {
        "pdf" => Some(("pdf", Font::system().and_then(|font| gerbang_report::bupati_pdf(&summary, &font)))),
        "xlsx" => Some(("xlsx", gerbang_report::bupati_xlsx(&summary))),
        _ => None,
    })
    .await
    .ok()
    .flatten();
    match made {
        Some((format, made)) => download(t, &name, format, made),
        None => view::not_found(t),
    }
}

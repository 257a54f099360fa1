//! Semester reports at the portal (SPEC.md §8, 001 Ps.4, 004 Ps.9), the
//! partner's side: the semesters of its agreements with where each report
//! stands, a semester's page (figures and charts computed by Gerbang, the
//! narrative form, submit) and the PDF and xlsx downloads. What a partner
//! may do is `core`'s answer on [`PartnerDesk`]; another partner's report
//! is not found. Every page load and download of a report is an access and
//! is audited (`portal.report_view`, `portal.report_export`) before the
//! page answers, and every change is audited as `admin.report_*`.
//! [`ReportView`] and the downloads are shared with the registry's side
//! (`report_console`).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gerbang_core::access::{ControlPlane, Desk, PartnerDesk};
use gerbang_core::clock::jakarta_date;
use gerbang_core::report::{Narrative, ReportError, ReportStatus, Semester, SemesterReport, Verdict};
use gerbang_report::Font;
use gerbang_store::semester_figures;
use gerbang_web::AppState;
use serde::Deserialize;

use crate::desk::Signed;
use crate::plot::{Bar, Chart, stacked};
use crate::texts::Texts;
use crate::view::{self, Chrome, render, render_with};

/// Semesters listed on the partner's page at most.
const LISTED: usize = 8;

/// A report's evaluation as shown.
pub(crate) struct EvaluationView {
    pub on: String,
    pub by: String,
    pub findings: String,
    pub follow_up: String,
    pub verdict: &'static str,
    pub reason: String,
}

/// A report as a page shows it.
pub(crate) struct ReportView {
    pub institution: String,
    pub institution_name: String,
    pub semester: String,
    pub semester_label: String,
    pub agreement_numbers: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub submitted: String,
    pub editable: bool,
    pub awaiting_evaluation: bool,
    pub obstacles: String,
    pub plans: String,
    pub rows: Vec<(&'static str, String)>,
    pub by_mechanism: Vec<(String, u64)>,
    pub by_outcome: Vec<(String, u64)>,
    pub by_operator: Vec<(String, u64)>,
    pub per_month: Chart,
    pub outcomes: Chart,
    pub evaluation: Option<EvaluationView>,
}

fn shown(day: NaiveDate) -> String {
    day.format("%d-%m-%Y").to_string()
}

fn sorted(map: &std::collections::BTreeMap<String, u64>, label: impl Fn(&str) -> String) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = map.iter().map(|(k, v)| (label(k), *v)).collect();
    rows.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    rows
}

fn mechanism_label(name: &str) -> String {
    gerbang_core::access::Mechanism::from_name(name).map_or_else(|| name.to_owned(), |m| m.label().to_owned())
}

impl ReportView {
    /// The view of a report that carries its figures.
    pub fn of(report: &SemesterReport, t: &'static Texts) -> ReportView {
        let r = &t.report;
        let status = report.status();
        let figures = report.figures.clone().unwrap_or_else(|| {
            gerbang_core::report::Utilization::compute(&gerbang_core::report::UtilizationInput {
                semester: report.semester,
                tallies: &[],
                daily_quota: 0,
                residents_accessed: 0,
                residents_with_return_data: 0,
            })
        });
        let quota = &figures.quota;
        let peak = quota.peak_day.map_or_else(|| "—".to_owned(), |d| format!("{} ({})", shown(d), quota.peak_hits));
        let rows = vec![
            (r.calls, figures.calls.to_string()),
            (r.hits, quota.hits.to_string()),
            (r.days_used, quota.days_used.to_string()),
            (r.allowance, quota.allowance.to_string()),
            (r.quota_use, format!("{}%", quota.percent())),
            (r.peak_day, peak),
            (r.exhausted, quota.exhausted.to_string()),
            (r.residents, figures.residents_accessed.to_string()),
            (r.returned, figures.residents_with_return_data.to_string()),
            (r.return_ratio, format!("{}%", figures.return_percent())),
        ];
        let mechanisms = figures.mechanisms();
        let month_bars: Vec<Bar> = figures
            .by_month
            .iter()
            .map(|m| Bar {
                label: m.month.format("%m/%y").to_string(),
                values: mechanisms.iter().map(|name| m.by_mechanism.get(name).copied().unwrap_or(0)).collect(),
            })
            .collect();
        let series: Vec<String> = mechanisms.iter().map(|m| mechanism_label(m)).collect();
        let by_outcome = sorted(&figures.by_outcome, str::to_owned);
        let outcome_names: Vec<String> = by_outcome.iter().map(|(name, _)| name.clone()).collect();
        let outcome_bars: Vec<Bar> = by_outcome
            .iter()
            .enumerate()
            .map(|(index, (name, n))| Bar {
                label: name.rsplit('.').next().unwrap_or(name).chars().take(5).collect(),
                values: (0..by_outcome.len()).map(|i| if i == index { *n } else { 0 }).collect(),
            })
            .collect();
        let evaluation = report.evaluation().map(|e| EvaluationView {
            on: shown(e.stamp.on),
            by: e.stamp.by.clone(),
            findings: e.findings.clone(),
            follow_up: e.follow_up.clone(),
            verdict: match e.verdict {
                Verdict::Accepted => r.accept,
                Verdict::Revise { .. } => r.revise,
            },
            reason: match &e.verdict {
                Verdict::Revise { reason } => reason.clone(),
                Verdict::Accepted => String::new(),
            },
        });
        ReportView {
            institution: report.institution.clone(),
            institution_name: report.institution_name.clone(),
            semester: report.semester.to_string(),
            semester_label: report.semester.label(),
            agreement_numbers: format!("{} / {}", report.agreement_numbers.0, report.agreement_numbers.1),
            status: status.name(),
            status_label: status_label(t, status),
            submitted: report.submitted.as_ref().map_or_else(String::new, |s| format!("{} ({})", shown(s.on), s.by)),
            editable: report.is_editable(),
            awaiting_evaluation: status == ReportStatus::Submitted,
            obstacles: report.narrative.obstacles.clone(),
            plans: report.narrative.plans.clone(),
            rows,
            by_mechanism: sorted(&figures.by_mechanism, mechanism_label),
            by_outcome,
            by_operator: sorted(&figures.by_operator, str::to_owned),
            per_month: stacked(&series, &month_bars),
            outcomes: stacked(&outcome_names, &outcome_bars),
            evaluation,
        }
    }
}

/// A status in the page's language.
pub(crate) fn status_label(t: &'static Texts, status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Draft => t.report.draft,
        ReportStatus::Submitted => t.report.submitted,
        ReportStatus::NeedsRevision => t.report.revise,
        ReportStatus::Accepted => t.report.accept,
    }
}

/// What a refused report operation says: `core`'s sentence (Bahasa
/// Indonesia) and the status.
pub(crate) fn report_error(error: &ReportError) -> (StatusCode, String) {
    let status = match error {
        ReportError::NotFound => StatusCode::NOT_FOUND,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    (status, error.to_string())
}

/// The report with figures to show: frozen ones once submitted, computed
/// now while the partner may still change it.
pub(crate) async fn with_figures(
    state: &AppState,
    plane: &ControlPlane,
    mut report: SemesterReport,
) -> Result<SemesterReport, gerbang_store::StoreError> {
    if report.is_editable() || report.figures.is_none() {
        report.figures =
            Some(semester_figures(state.store.as_ref(), plane, &report.institution, report.semester).await?);
    }
    Ok(report)
}

/// Records a report access or change of the signed-in user in the trail,
/// about one partner's report or (`None`) a list across partners; `Err` is
/// the page to answer when that failed.
pub(crate) async fn audit(
    state: &AppState,
    signed: &Signed,
    institution: Option<&str>,
    outcome: &str,
) -> Result<(), Response> {
    let user = signed.desk.user_id().to_owned();
    match signed.visitor.audit(state, institution.map(str::to_owned), &user, outcome).await {
        Ok(_) => Ok(()),
        Err(_) => Err(view::unavailable(signed.visitor.t)),
    }
}

/// A PDF or xlsx of `report` (which carries its figures) as a download.
pub(crate) fn download(t: &'static Texts, name: &str, format: &str, made: DocumentResult) -> Response {
    let content_type = match format {
        "pdf" => "application/pdf",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };
    match made {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, content_type.to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.{format}\"")),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(code = error.code(), %error, "dokumen laporan gagal disusun");
            view::refused_with(t, StatusCode::SERVICE_UNAVAILABLE, &error.to_string())
        }
    }
}

/// A made document or why not.
pub(crate) type DocumentResult = Result<Vec<u8>, gerbang_report::ExportError>;

/// The report as `format` (`pdf` or `xlsx`), made off the async threads.
pub(crate) async fn document(report: SemesterReport, format: String) -> Option<DocumentResult> {
    let made = tokio::task::spawn_blocking(move || match format.as_str() {
        "pdf" => Some(Font::system().and_then(|font| gerbang_report::semester_pdf(&report, &font))),
        "xlsx" => Some(gerbang_report::semester_xlsx(&report)),
        _ => None,
    });
    made.await.ok().flatten()
}

fn partner_desk(signed: &Signed) -> Option<&PartnerDesk> {
    match &signed.desk {
        Desk::Partner(desk) => Some(desk),
        Desk::Operator(_) | Desk::Registry(_) => None,
    }
}

/// A semester row of the partner's list.
pub(crate) struct SemesterRow {
    pub semester: String,
    pub label: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub due_on: String,
}

#[derive(Template)]
#[template(path = "reports_partner.html")]
struct PartnerReportsPage {
    chrome: Chrome,
    rows: Vec<SemesterRow>,
}

/// `GET /portal/mitra/laporan`: the semesters of the partner's agreements
/// up to the current one, newest first, with where each report stands.
pub(crate) async fn partner_list(State(state): State<AppState>, signed: Signed) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    let today = jakarta_date(signed.visitor.caller.at);
    let Ok(stored) = state.store.semester_reports(Some(&desk.institution), None).await else {
        return view::unavailable(t);
    };
    let first = signed.plane.agreements_of(&desk.institution).map(|a| a.valid_from).min().unwrap_or(today);
    let mut rows = Vec::new();
    let mut semester = Semester::containing(today);
    while semester.last_day() >= first && rows.len() < LISTED {
        let report = stored.iter().find(|r| r.semester == semester);
        rows.push(SemesterRow {
            semester: semester.to_string(),
            label: semester.label(),
            status: report.map_or("kosong", |r| r.status().name()),
            status_label: report.map_or(t.report.no_report, |r| status_label(t, r.status())),
            due_on: shown(semester.last_day()),
        });
        semester = semester.previous();
    }
    if let Err(answer) = audit(&state, &signed, Some(&desk.institution), "portal.report_list").await {
        return answer;
    }
    render(&PartnerReportsPage { chrome: Chrome::signed(&signed, &state, None).await, rows })
}

#[derive(Template)]
#[template(path = "report.html")]
pub(crate) struct ReportPage {
    pub chrome: Chrome,
    pub report: ReportView,
    /// The page's own address, for forms and downloads.
    pub base: String,
    /// The partner's page (narrative form) rather than the registry's
    /// (evaluation form).
    pub partner_side: bool,
    pub error: String,
}

async fn partner_report(
    state: &AppState,
    signed: &Signed,
    desk: &PartnerDesk,
    semester: &str,
) -> Result<SemesterReport, Response> {
    let t = signed.visitor.t;
    let semester: Semester = semester.parse().map_err(|_| view::not_found(t))?;
    let today = jakarta_date(signed.visitor.caller.at);
    let stored = state.store.semester_report(&desk.institution, semester).await.map_err(|_| view::unavailable(t))?;
    desk.open_report(&signed.plane, semester, stored, today).map_err(|error| {
        let (status, message) = report_error(&error);
        view::refused_with(t, status, &message)
    })
}

async fn partner_page(
    state: &AppState,
    signed: &Signed,
    desk: &PartnerDesk,
    semester: &str,
    error: String,
) -> Response {
    let t = signed.visitor.t;
    let report = match partner_report(state, signed, desk, semester).await {
        Ok(report) => report,
        Err(answer) => return answer,
    };
    let Ok(report) = with_figures(state, &signed.plane, report).await else { return view::unavailable(t) };
    if let Err(answer) = audit(state, signed, Some(&desk.institution), "portal.report_view").await {
        return answer;
    }
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ReportPage {
        chrome: Chrome::signed(signed, state, None).await,
        base: format!("/portal/mitra/laporan/{}", report.semester),
        report: ReportView::of(&report, t),
        partner_side: true,
        error,
    };
    render_with(status, &page)
}

/// `GET /portal/mitra/laporan/{semester}`: the report of a semester.
pub(crate) async fn partner_view(
    State(state): State<AppState>,
    signed: Signed,
    Path(semester): Path<String>,
) -> Response {
    let Some(desk) = partner_desk(&signed) else { return view::not_found(signed.visitor.t) };
    partner_page(&state, &signed, desk, &semester, String::new()).await
}

/// The narrative form.
#[derive(Deserialize)]
pub(crate) struct NarrativeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kendala: String,
    #[serde(default)]
    tindak_lanjut: String,
    /// `simpan` or `ajukan`.
    #[serde(default)]
    aksi: String,
}

/// `POST /portal/mitra/laporan/{semester}` (001 Ps.4, 004 Ps.9(1)): saves
/// the narrative, and with `aksi=ajukan` submits the report with its
/// figures frozen and marks the agreement's semester-report obligation met.
pub(crate) async fn partner_save(
    State(state): State<AppState>,
    signed: Signed,
    Path(semester): Path<String>,
    Form(form): Form<NarrativeForm>,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let report = match partner_report(&state, &signed, desk, &semester).await {
        Ok(report) => report,
        Err(answer) => return answer,
    };
    let today = jakarta_date(signed.visitor.caller.at);
    let narrative = Narrative { obstacles: form.kendala, plans: form.tindak_lanjut };
    let mut report = match desk.write_narrative(report, narrative) {
        Ok(report) => report,
        Err(error) => return partner_page(&state, &signed, desk, &semester, error.to_string()).await,
    };
    let submitting = form.aksi == "ajukan";
    if submitting {
        let Ok(figures) =
            semester_figures(state.store.as_ref(), &signed.plane, &desk.institution, report.semester).await
        else {
            return view::unavailable(t);
        };
        // Saved first, so a refused submission keeps what was written.
        if state.store.save_semester_report(report.clone()).await.is_err() {
            return view::unavailable(t);
        }
        report = match desk.submit_report(report, figures, today) {
            Ok(report) => report,
            Err(error) => return partner_page(&state, &signed, desk, &semester, error.to_string()).await,
        };
    }
    let address = format!("/portal/mitra/laporan/{}", report.semester);
    let obligation = if submitting { report.obligation_writes(&signed.plane, today) } else { Vec::new() };
    if state.store.save_semester_report(report).await.is_err() {
        return view::unavailable(t);
    }
    let operation = if submitting { "admin.report_submit" } else { "admin.report_save" };
    if let Err(answer) = audit(&state, &signed, Some(&desk.institution), operation).await {
        return answer;
    }
    if !obligation.is_empty()
        && let Err(answer) = signed.administer(&state, &desk.institution, "fulfil_obligation", obligation).await
    {
        return answer;
    }
    Redirect::to(&address).into_response()
}

/// `GET /portal/mitra/laporan/{semester}/unduh/{format}`: the report as
/// PDF or xlsx.
pub(crate) async fn partner_download(
    State(state): State<AppState>,
    signed: Signed,
    Path((semester, format)): Path<(String, String)>,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    let report = match partner_report(&state, &signed, desk, &semester).await {
        Ok(report) => report,
        Err(answer) => return answer,
    };
    let Ok(report) = with_figures(&state, &signed.plane, report).await else { return view::unavailable(t) };
    if let Err(answer) = audit(&state, &signed, Some(&desk.institution), "portal.report_export").await {
        return answer;
    }
    let name = format!("laporan-{}-{}", report.institution, report.semester);
    match document(report, format.clone()).await {
        Some(made) => download(t, &name, &format, made),
        None => view::not_found(t),
    }
}

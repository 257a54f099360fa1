//! The console's obligations page (SPEC.md §3, §8): what the partners an
//! administrator manages owe under their agreements — SPTJM, NDAs, ISO/IEC
//! 27001, technical implementation, card readers, semester reports — overdue
//! first, then due within thirty days, then later, then met; and the record
//! that one was met (`core`'s `fulfil_obligation`, audited as
//! `admin.obligation_fulfil`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use gerbang_core::access::{ObligationKind, ObligationStatus, Steward};
use gerbang_core::clock::jakarta_date;
use gerbang_web::AppState;
use serde::Deserialize;

use crate::console::{commit_then, steward};
use crate::desk::Signed;
use crate::texts::Texts;
use crate::view::{self, Chrome, render_with};

/// One obligation as listed.
pub(crate) struct ObligationRow {
    pub partner: String,
    pub partner_name: String,
    pub agreement: String,
    pub numbers: String,
    pub kind: &'static str,
    pub label: &'static str,
    pub due_on: String,
    pub status: ObligationStatus,
    pub status_label: &'static str,
    pub met_on: String,
}

#[derive(Template)]
#[template(path = "obligations.html")]
struct ObligationsPage {
    chrome: Chrome,
    rows: Vec<ObligationRow>,
    overdue: usize,
    due_soon: usize,
    today: String,
    error: Option<String>,
}

fn status_label(t: &Texts, status: ObligationStatus) -> &'static str {
    match status {
        ObligationStatus::Overdue => t.overdue,
        ObligationStatus::DueSoon => t.due_soon,
        ObligationStatus::Later => t.not_yet_due,
        ObligationStatus::Met => t.met,
    }
}

/// The obligations of every agreement not terminated, of the partners
/// `steward` manages, in the order they need attention.
fn rows(signed: &Signed, steward: &Steward, today: NaiveDate) -> Vec<ObligationRow> {
    rows_of(signed, today, |institution| steward.manages(&signed.plane, institution).is_ok())
}

/// The obligations of every agreement not terminated of the partners
/// `shown` admits, in the order they need attention: the console's page
/// and a partner's own page (its administrator sees what it owes).
pub(crate) fn rows_of(signed: &Signed, today: NaiveDate, shown: impl Fn(&str) -> bool) -> Vec<ObligationRow> {
    let t = signed.visitor.t;
    let plane = &signed.plane;
    let mut rows: Vec<ObligationRow> = plane
        .agreements()
        .filter(|a| a.termination.is_none() && shown(&a.institution))
        .flat_map(|a| {
            let partner_name = plane.institution(&a.institution).map(|i| i.name.clone()).unwrap_or_default();
            a.obligations.iter().map(move |o| {
                let status = o.status(today);
                ObligationRow {
                    partner: a.institution.clone(),
                    partner_name: partner_name.clone(),
                    agreement: a.id.clone(),
                    numbers: format!("{} / {}", a.provider_number, a.partner_number),
                    kind: o.kind.name(),
                    label: o.kind.label(),
                    due_on: o.due_on.to_string(),
                    status,
                    status_label: status_label(t, status),
                    met_on: o.fulfilled_on.map(|d| d.to_string()).unwrap_or_default(),
                }
            })
        })
        .collect();
    rows.sort_by(|a, b| (a.status, &a.due_on, &a.partner).cmp(&(b.status, &b.due_on, &b.partner)));
    rows
}

async fn page(state: &AppState, signed: &Signed, error: Option<String>) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(signed) else { return view::not_found(t) };
    let today = jakarta_date(signed.visitor.caller.at);
    let rows = rows(signed, steward, today);
    let count = |status| rows.iter().filter(|r| r.status == status).count();
    let (overdue, due_soon) = (count(ObligationStatus::Overdue), count(ObligationStatus::DueSoon));
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let chrome = Chrome::signed(signed, state, None).await;
    render_with(status, &ObligationsPage { chrome, rows, overdue, due_soon, today: today.to_string(), error })
}

/// `GET /portal/konsol/kewajiban`.
pub(crate) async fn list(State(state): State<AppState>, signed: Signed) -> Response {
    page(&state, &signed, None).await
}

/// The "record as met" form.
#[derive(Deserialize)]
pub(crate) struct Fulfilment {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    agreement: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    met_on: String,
}

/// `POST /portal/konsol/kewajiban`.
pub(crate) async fn fulfil(State(state): State<AppState>, signed: Signed, Form(form): Form<Fulfilment>) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let Some(institution) = signed
        .plane
        .agreement(&form.agreement)
        .map(|a| a.institution.clone())
        .filter(|i| steward.manages(&signed.plane, i).is_ok())
    else {
        return view::not_found(t);
    };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let day = |text: &str| NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let (Some(kind), Some(due_on)) = (ObligationKind::from_name(&form.kind), day(&form.due_on)) else {
        return view::not_found(t);
    };
    let Some(met_on) = day(&form.met_on) else { return page(&state, &signed, Some(t.date_format.to_owned())).await };
    let today = jakarta_date(signed.visitor.caller.at);
    match signed.plane.fulfil_obligation(&form.agreement, kind, due_on, met_on, today) {
        Ok(write) => {
            commit_then(&state, &signed, &institution, "obligation_fulfil", write, "/portal/konsol/kewajiban").await
        }
        Err(error) => page(&state, &signed, Some(view::admin_error(t, &error))).await,
    }
}

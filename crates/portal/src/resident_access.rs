//! Transparency for residents in the portal (issue 8):
//!
//! - `/portal/warga`, for residents, before any sign-in: NIK and the
//!   one-time code from the registry, then the table of partner
//!   institutions' accesses to their data. The form is protected like the
//!   sign-in form (a double-submitted token in its own cookie) and the page
//!   carries the portal's security headers, `no-store` included. Every
//!   refusal reads the same, whatever the reason.
//! - `/portal/konsol/kode-warga`, for the registry's staff: issues a
//!   resident's code and shows it once. Core decides who may issue for whom
//!   (`Steward::may_issue_resident_code`).
//!
//! Both go through `gerbang_web::transparency`, which audits the issue and
//! every look-up before the page answers.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gerbang_core::Nik;
use gerbang_core::clock::JAKARTA;
use gerbang_core::transparency::{AccessEntry, CODE_LIFETIME_HOURS, MAX_WRONG_CODES, REFUSAL_MESSAGE};
use gerbang_web::AppState;
use gerbang_web::transparency::{IssueFailure, access_history, issue_code};
use serde::Deserialize;

use crate::console::steward;
use crate::desk::{RESIDENT_COOKIE, Signed, Visitor};
use crate::session::{new_token, same_token};
use crate::view::{self, Chrome, render_with};

/// One row of the resident's table.
struct AccessRow {
    at: String,
    institution: String,
    interface: &'static str,
    mechanism: String,
    outcome: String,
    elements: String,
}

impl From<&AccessEntry> for AccessRow {
    fn from(entry: &AccessEntry) -> Self {
        let outcome = if entry.data_released() {
            "Data diberikan".to_owned()
        } else {
            format!("Tidak ada data diberikan ({})", entry.outcome)
        };
        let elements = entry.elements.iter().map(|e| e.meaning()).collect::<Vec<_>>().join(", ");
        AccessRow {
            at: entry.at.format("%d-%m-%Y %H:%M:%S WIB").to_string(),
            institution: entry.institution.clone(),
            interface: entry.interface_label(),
            mechanism: entry.mechanism.map_or("-".to_owned(), |m| m.label().to_owned()),
            outcome,
            elements: if elements.is_empty() { "-".to_owned() } else { elements },
        }
    }
}

#[derive(Template)]
#[template(path = "resident_access.html")]
struct ResidentPage {
    chrome: Chrome,
    csrf: String,
    nik: String,
    error: Option<String>,
    rows: Option<Vec<AccessRow>>,
}

/// The resident's form as posted.
#[derive(Deserialize)]
pub(crate) struct HistoryForm {
    #[serde(default)]
    nik: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// The resident's page with a fresh form token (cookie and hidden field).
fn resident_page(
    visitor: &Visitor,
    status: StatusCode,
    nik: String,
    error: Option<String>,
    rows: Option<Vec<AccessRow>>,
) -> Response {
    let Ok(csrf) = new_token() else { return view::unavailable(visitor.t) };
    let jar = visitor.jar.clone().add(visitor.cookie(RESIDENT_COOKIE, csrf.clone()));
    let page = ResidentPage { chrome: Chrome::visitor(visitor.t), csrf, nik, error, rows };
    (jar, render_with(status, &page)).into_response()
}

/// `GET /portal/warga`.
pub(crate) async fn form(visitor: Visitor) -> Response {
    resident_page(&visitor, StatusCode::OK, String::new(), None, None)
}

/// `POST /portal/warga`.
pub(crate) async fn show(State(state): State<AppState>, visitor: Visitor, Form(form): Form<HistoryForm>) -> Response {
    let planted = visitor.jar.get(RESIDENT_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    let nik = form.nik.trim().to_owned();
    if planted.is_empty() || !same_token(&planted, &form.csrf) {
        let message = visitor.t.forged_form.to_owned();
        return resident_page(&visitor, StatusCode::FORBIDDEN, nik, Some(message), None);
    }
    match access_history(&state, &visitor.caller, &nik, &form.code, "portal").await {
        Ok(Some(history)) => {
            let rows = history.iter().map(AccessRow::from).collect();
            resident_page(&visitor, StatusCode::OK, nik, None, Some(rows))
        }
        Ok(None) => resident_page(&visitor, StatusCode::UNAUTHORIZED, nik, Some(REFUSAL_MESSAGE.to_owned()), None),
        Err(_) => view::unavailable(visitor.t),
    }
}

#[derive(Template)]
#[template(path = "resident_code_console.html")]
struct CodePage {
    chrome: Chrome,
    lifetime_hours: i64,
    max_wrong: u32,
    issued: Option<IssuedCode>,
    error: Option<String>,
}

/// A code just issued, shown this once.
struct IssuedCode {
    nik: String,
    code: String,
    expires: String,
}

async fn code_page(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    issued: Option<IssuedCode>,
    error: Option<String>,
) -> Response {
    let page = CodePage {
        chrome: Chrome::signed(signed, state, None).await,
        lifetime_hours: CODE_LIFETIME_HOURS,
        max_wrong: MAX_WRONG_CODES,
        issued,
        error,
    };
    render_with(status, &page)
}

/// `GET /portal/konsol/kode-warga`.
pub(crate) async fn console_form(State(state): State<AppState>, signed: Signed) -> Response {
    if steward(&signed).is_none() {
        return view::not_found(signed.visitor.t);
    }
    code_page(&state, &signed, StatusCode::OK, None, None).await
}

/// The console's form as posted.
#[derive(Deserialize)]
pub(crate) struct IssueForm {
    #[serde(default)]
    nik: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /portal/konsol/kode-warga`: issues the code and shows it once.
pub(crate) async fn console_issue(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<IssueForm>,
) -> Response {
    let Some(steward) = steward(&signed) else { return view::not_found(signed.visitor.t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let nik = match Nik::parse(form.nik.trim()) {
        Ok(nik) => nik,
        Err(error) => {
            return code_page(&state, &signed, StatusCode::UNPROCESSABLE_ENTITY, None, Some(format!("NIK: {error}")))
                .await;
        }
    };
    let caller = &signed.visitor.caller;
    match issue_code(&state, caller, steward, nik, "portal").await {
        Ok(code) => {
            let expires = caller.at + chrono::Duration::hours(CODE_LIFETIME_HOURS);
            let issued = IssuedCode {
                nik: nik.to_string(),
                code: code.grouped(),
                expires: expires.with_timezone(&JAKARTA).format("%d-%m-%Y %H:%M WIB").to_string(),
            };
            code_page(&state, &signed, StatusCode::OK, Some(issued), None).await
        }
        Err(IssueFailure::Unavailable) => view::unavailable(signed.visitor.t),
        Err(failure) => {
            let status = match failure {
                IssueFailure::Denied(_) => StatusCode::FORBIDDEN,
                _ => StatusCode::NOT_FOUND,
            };
            code_page(&state, &signed, status, None, Some(failure.to_string())).await
        }
    }
}

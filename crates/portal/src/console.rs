//! The registry's console: the partners a provider administrator manages,
//! each partner's agreements (extend by adendum, terminate with a reason —
//! access ends at once, on every node within the control-plane refresh),
//! accounts and allow-lists. Whether the
//! administrator manages a partner is decided by `core` (`Steward::manages`);
//! anything else answers 404, the same as a page that does not exist.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gerbang_core::Element;
use gerbang_core::access::Mechanism;
use gerbang_core::access::{
    Addendum, Agreement, ControlPlane, ControlWrite, Desk, Institution, Steward, TerminationReason,
};
use gerbang_core::clock::jakarta_date;
use gerbang_core::facilitation::DocumentKind;
use gerbang_web::AppState;
use serde::Deserialize;

use crate::desk::Signed;
use crate::view::{self, Chrome, render, render_with};

/// The provider administrator at the console, if that is who is signed in.
pub(crate) fn steward(signed: &Signed) -> Option<&Steward> {
    match &signed.desk {
        Desk::Registry(steward) => Some(steward),
        Desk::Operator(_) | Desk::Partner(_) => None,
    }
}

/// Whether the administrator at the console manages the existing partner
/// `code` (`core` decides: `Steward::manages`).
pub(crate) fn manages_partner(signed: &Signed, code: &str) -> bool {
    let known = signed.plane.institution(code).is_some();
    known && steward(signed).is_some_and(|s| s.manages(&signed.plane, code).is_ok())
}

/// A partner as listed.
pub(crate) struct PartnerRow {
    pub code: String,
    pub name: String,
    pub instansi: String,
    pub active: bool,
    pub agreement: String,
}

fn agreement_status(agreement: Option<&Agreement>, today: NaiveDate, t: &crate::texts::Texts) -> String {
    match agreement {
        None => t.not_in_force.to_owned(),
        Some(a) if a.termination.as_ref().is_some_and(|end| end.effective_on <= today) => {
            format!(
                "{} ({})",
                t.terminated,
                a.termination.as_ref().map(|e| e.effective_on.to_string()).unwrap_or_default()
            )
        }
        Some(a) if a.in_force_on(today) => format!("{} {}", t.in_force_until, a.valid_through()),
        Some(_) => t.not_in_force.to_owned(),
    }
}

#[derive(Template)]
#[template(path = "partners.html")]
struct PartnersPage {
    chrome: Chrome,
    partners: Vec<PartnerRow>,
}

/// `GET /portal/konsol`.
pub(crate) async fn partners(State(state): State<AppState>, signed: Signed) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let today = jakarta_date(signed.visitor.caller.at);
    let plane = &signed.plane;
    let partners = plane
        .institutions()
        .filter(|i| steward.manages(plane, &i.code).is_ok())
        .map(|i| PartnerRow {
            code: i.code.clone(),
            name: i.name.clone(),
            instansi: i.instansi.clone().unwrap_or_default(),
            active: i.active,
            agreement: agreement_status(latest_agreement(plane, &i.code), today, t),
        })
        .collect();
    render(&PartnersPage { chrome: Chrome::signed(&signed, &state, None).await, partners })
}

fn latest_agreement<'p>(plane: &'p ControlPlane, institution: &'p str) -> Option<&'p Agreement> {
    plane.agreements_of(institution).max_by_key(|a| a.valid_from)
}

/// An agreement as shown.
pub(crate) struct AgreementView {
    pub id: String,
    pub numbers: String,
    pub signed_on: String,
    pub valid: String,
    pub status: String,
    pub open: bool,
    pub mechanisms: Vec<String>,
}

/// An account as shown.
pub(crate) struct AccountView {
    pub user_id: String,
    pub role: &'static str,
    pub active: bool,
    pub daily_quota: u32,
}

/// An allow-list rule as shown: the block, and the User ID it is narrowed
/// to (empty for the whole institution).
pub(crate) struct NetworkView {
    pub network: String,
    pub user_id: String,
}

/// A failed form on the partner page, shown at that form.
#[derive(Default)]
pub(crate) struct FormError {
    pub agreement: String,
    pub form: &'static str,
    pub message: String,
}

#[derive(Template)]
#[template(path = "partner.html")]
struct PartnerPage {
    chrome: Chrome,
    institution: Institution,
    agreements: Vec<AgreementView>,
    accounts: Vec<AccountView>,
    networks: Vec<NetworkView>,
    error: FormError,
    today: String,
    /// The new agreement form's default end: five years on.
    five_years: String,
    mechanisms: &'static [Mechanism],
    elements: &'static [Element],
    documents: &'static [DocumentKind],
}

/// The partner page, with `error` shown at the form that failed.
pub(crate) async fn partner_page(state: &AppState, signed: &Signed, code: &str, error: FormError) -> Response {
    let t = signed.visitor.t;
    let plane = &signed.plane;
    let (Some(steward), Some(institution)) = (steward(signed), plane.institution(code)) else {
        return view::not_found(t);
    };
    if steward.manages(plane, code).is_err() {
        return view::not_found(t);
    }
    let today = jakarta_date(signed.visitor.caller.at);
    let agreements = plane
        .agreements_of(code)
        .map(|a| AgreementView {
            id: a.id.clone(),
            numbers: format!("{} / {}", a.provider_number, a.partner_number),
            signed_on: a.signed_on.to_string(),
            valid: format!("{} – {}", a.valid_from, a.valid_through()),
            status: agreement_status(Some(a), today, t),
            open: a.termination.is_none() && a.valid_through() >= today,
            mechanisms: a
                .scope
                .grants
                .iter()
                .map(|g| {
                    let channels: Vec<&str> = g.channels.iter().map(|c| c.name()).collect();
                    format!("{} ({})", g.mechanism.label(), channels.join(", "))
                })
                .collect(),
        })
        .collect();
    let accounts = plane
        .accounts_of(code)
        .map(|a| AccountView {
            user_id: a.user_id.clone(),
            role: a.role.name(),
            active: a.active,
            daily_quota: a.daily_quota,
        })
        .collect();
    let networks = plane
        .networks()
        .iter()
        .filter(|rule| rule.institution == code)
        .map(|rule| NetworkView {
            network: rule.network.to_string(),
            user_id: rule.user_id.clone().unwrap_or_default(),
        })
        .collect();
    let status = if error.message.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = PartnerPage {
        chrome: Chrome::signed(signed, state, None).await,
        institution: institution.clone(),
        agreements,
        accounts,
        networks,
        error,
        today: today.to_string(),
        five_years: today.checked_add_months(chrono::Months::new(60)).unwrap_or(today).to_string(),
        mechanisms: Mechanism::ALL,
        elements: Element::ALL,
        documents: &DocumentKind::ALL,
    };
    render_with(status, &page)
}

/// `GET /portal/konsol/mitra/{code}`.
pub(crate) async fn partner(State(state): State<AppState>, signed: Signed, Path(code): Path<String>) -> Response {
    partner_page(&state, &signed, &code, FormError::default()).await
}

/// The termination form.
#[derive(Deserialize)]
pub(crate) struct Termination {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
}

/// The addendum form.
#[derive(Deserialize)]
pub(crate) struct Extension {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    signed_on: String,
    #[serde(default)]
    valid_until: String,
}

/// The partner of agreement `id`, if this administrator manages it.
fn managed_agreement(signed: &Signed, id: &str) -> Option<String> {
    let steward = steward(signed)?;
    let institution = signed.plane.agreement(id)?.institution.clone();
    steward.manages(&signed.plane, &institution).is_ok().then_some(institution)
}

/// Applies a console change, audits it, and goes back to the partner page.
pub(crate) async fn commit(
    state: &AppState,
    signed: &Signed,
    institution: &str,
    operation: &str,
    write: ControlWrite,
) -> Response {
    commit_then(state, signed, institution, operation, write, &format!("/portal/konsol/mitra/{institution}")).await
}

/// Applies a console change, audits it as `admin.{operation}` of
/// `institution`, and goes to `next`.
pub(crate) async fn commit_then(
    state: &AppState,
    signed: &Signed,
    institution: &str,
    operation: &str,
    write: ControlWrite,
    next: &str,
) -> Response {
    if steward(signed).is_none() {
        return view::not_found(signed.visitor.t);
    }
    if let Err(page) = signed.administer(state, institution, operation, vec![write]).await {
        return page;
    }
    Redirect::to(next).into_response()
}

/// `POST /portal/konsol/perjanjian/{id}/akhiri`: ends the agreement today.
pub(crate) async fn terminate(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<Termination>,
) -> Response {
    let Some(institution) = managed_agreement(&signed, &id) else { return view::not_found(signed.visitor.t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let failed = |message: String| FormError { agreement: id.clone(), form: "terminate", message };
    let reason = match form.reason.as_str() {
        "consent" => TerminationReason::Consent,
        "restructuring" => TerminationReason::Restructuring,
        "breach" => TerminationReason::Breach,
        _ => return partner_page(&state, &signed, &institution, failed("Pilih alasan pengakhiran".into())).await,
    };
    let today = jakarta_date(signed.visitor.caller.at);
    match signed.plane.terminate_agreement(&id, today, reason, &form.note) {
        Ok(write) => commit(&state, &signed, &institution, "agreement_terminate", write).await,
        Err(error) => {
            partner_page(&state, &signed, &institution, failed(view::admin_error(signed.visitor.t, &error))).await
        }
    }
}

/// `POST /portal/konsol/perjanjian/{id}/adendum`.
pub(crate) async fn extend(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<Extension>,
) -> Response {
    let Some(institution) = managed_agreement(&signed, &id) else { return view::not_found(signed.visitor.t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let failed = |message: String| FormError { agreement: id.clone(), form: "extend", message };
    let date = |text: &str, what: &str| {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| format!("{what} harus tanggal (TTTT-BB-HH)"))
    };
    let addendum = match (date(&form.signed_on, "Tanggal ditandatangani"), date(&form.valid_until, "Berlaku sampai")) {
        (Ok(signed_on), Ok(valid_until)) => Addendum { number: form.number.trim().to_owned(), signed_on, valid_until },
        (Err(message), _) | (_, Err(message)) => {
            return partner_page(&state, &signed, &institution, failed(message)).await;
        }
    };
    if addendum.number.is_empty() {
        return partner_page(&state, &signed, &institution, failed("Nomor adendum wajib diisi".into())).await;
    }
    match signed.plane.extend_agreement(&id, addendum) {
        Ok(write) => commit(&state, &signed, &institution, "agreement_extend", write).await,
        Err(error) => {
            partner_page(&state, &signed, &institution, failed(view::admin_error(signed.visitor.t, &error))).await
        }
    }
}

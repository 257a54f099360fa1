//! The console's enrolment of partners (issue "web portal" §4): a new
//! partner institution under the administrator's provider (or, for Ditjen
//! Dukcapil, any provider), and a new agreement with its scope — for each
//! mechanism the channels and the exact elements — and its obligations.
//! The rules are `core`'s (`add_institution`, `add_agreement`,
//! `Scope::validate`, `Steward::may_enrol_under`); each form re-displays
//! with its message when they refuse, and each change is audited
//! (`admin.institution_create`, `admin.agreement_create`).

use gerbang_core::facilitation::DocumentKind;
use std::collections::BTreeSet;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Months, NaiveDate};
use gerbang_core::Element;
use gerbang_core::access::{
    Channel, Grant, Institution, Mechanism, NewAgreement, Obligation, ObligationKind, Scope, semester_ends,
};
use gerbang_web::AppState;
use serde::Deserialize;

use crate::console::{FormError, commit, manages_partner, partner_page, steward};
use crate::desk::Signed;
use crate::view::{self, Chrome, render_with};

/// A provider the new partner may be enrolled under.
pub(crate) struct ProviderChoice {
    pub code: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "partner_new.html")]
struct NewPartnerPage {
    chrome: Chrome,
    providers: Vec<ProviderChoice>,
    form: NewPartner,
    error: Option<String>,
}

/// The new-partner form.
#[derive(Deserialize, Default)]
pub(crate) struct NewPartner {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub instansi: String,
    #[serde(default)]
    pub customer_id: String,
    #[serde(default)]
    pub provider: String,
}

async fn new_partner_page(state: &AppState, signed: &Signed, form: NewPartner, error: Option<String>) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(signed) else { return view::not_found(t) };
    let providers = signed
        .plane
        .providers()
        .filter(|p| steward.may_enrol_under(&p.code).is_ok())
        .map(|p| ProviderChoice { code: p.code.clone(), name: p.name.clone() })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let chrome = Chrome::signed(signed, state, None).await;
    render_with(status, &NewPartnerPage { chrome, providers, form, error })
}

/// `GET /portal/konsol/mitra-baru`.
pub(crate) async fn partner_form(State(state): State<AppState>, signed: Signed) -> Response {
    let provider = steward(&signed).map(|s| s.provider.clone()).unwrap_or_default();
    new_partner_page(&state, &signed, NewPartner { provider, ..NewPartner::default() }, None).await
}

/// `POST /portal/konsol/mitra-baru`.
pub(crate) async fn create_partner(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NewPartner>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    if steward.may_enrol_under(form.provider.trim()).is_err() {
        return new_partner_page(&state, &signed, form, Some(t.unknown_provider.to_owned())).await;
    }
    let customer_id = match form.customer_id.trim() {
        "" => None,
        text => match text.parse::<u64>() {
            Ok(id) => Some(id),
            Err(_) => return new_partner_page(&state, &signed, form, Some(t.customer_id_digits.to_owned())).await,
        },
    };
    let institution = Institution {
        code: form.code.trim().to_owned(),
        provider: form.provider.trim().to_owned(),
        name: form.name.trim().to_owned(),
        instansi: Some(form.instansi.trim().to_uppercase()).filter(|i| !i.is_empty()),
        customer_id,
        active: true,
    };
    if institution.name.is_empty() {
        return new_partner_page(&state, &signed, form, Some(t.name_required.to_owned())).await;
    }
    let code = institution.code.clone();
    match signed.plane.add_institution(institution) {
        Ok(write) => commit(&state, &signed, &code, "institution_create", write).await,
        Err(error) => new_partner_page(&state, &signed, form, Some(error.to_string())).await,
    }
}

/// What the new-agreement form posts: plain fields plus, per mechanism,
/// repeated `channel-{mechanism}` and `element-{mechanism}` values and an
/// optional `after_match-{mechanism}`.
type Posted = Vec<(String, String)>;

fn field<'a>(posted: &'a Posted, name: &str) -> &'a str {
    posted.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.trim())
}

fn values<'a>(posted: &'a Posted, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    posted.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// The scope the form describes; a mechanism with no channel ticked is not
/// granted.
fn scope_of(posted: &Posted) -> Scope {
    let grants = Mechanism::ALL
        .iter()
        .filter_map(|&mechanism| {
            let name = mechanism.name();
            let channels: BTreeSet<Channel> = values(posted, &format!("channel-{name}"))
                .filter_map(|c| [Channel::WebService, Channel::Portal].into_iter().find(|ch| ch.name() == c))
                .collect();
            if channels.is_empty() {
                return None;
            }
            let elements: BTreeSet<Element> =
                values(posted, &format!("element-{name}")).filter_map(Element::from_wire_name).collect();
            let after_match = !field(posted, &format!("after_match-{name}")).is_empty();
            Some(Grant { mechanism, channels, elements, after_match })
        })
        .collect();
    let facilitation = values(posted, "facilitation").filter_map(DocumentKind::from_name).collect();
    Scope { grants, facilitation }
}

fn obligations_of(posted: &Posted, signed_on: NaiveDate, valid_until: NaiveDate) -> Vec<Obligation> {
    let owed = |kind: ObligationKind, due_on: NaiveDate| Obligation { kind, due_on, fulfilled_on: None };
    let mut obligations = Vec::new();
    if !field(posted, "sptjm").is_empty() {
        obligations.push(owed(ObligationKind::Sptjm, signed_on));
    }
    if !field(posted, "technical_implementation").is_empty()
        && let Some(due) = signed_on.checked_add_months(Months::new(2))
    {
        obligations.push(owed(ObligationKind::TechnicalImplementation, due));
    }
    if !field(posted, "card_reader").is_empty()
        && let Some(due) = signed_on.checked_add_months(Months::new(12))
    {
        obligations.push(owed(ObligationKind::CardReader, due));
    }
    if let Ok(due) = NaiveDate::parse_from_str(field(posted, "iso27001"), "%Y-%m-%d") {
        obligations.push(owed(ObligationKind::Iso27001, due));
    }
    if !field(posted, "semester_reports").is_empty() {
        obligations.extend(
            semester_ends(signed_on, valid_until).into_iter().map(|due| owed(ObligationKind::SemesterReport, due)),
        );
    }
    obligations
}

fn new_agreement(posted: &Posted, institution: &str, t: &crate::texts::Texts) -> Result<NewAgreement, String> {
    let date =
        |name: &str| NaiveDate::parse_from_str(field(posted, name), "%Y-%m-%d").map_err(|_| t.date_format.to_owned());
    let (provider_number, partner_number) = (field(posted, "provider_number"), field(posted, "partner_number"));
    if provider_number.is_empty() || partner_number.is_empty() {
        return Err(t.numbers_required.to_owned());
    }
    let (signed_on, valid_from, valid_until) = (date("signed_on")?, date("valid_from")?, date("valid_until")?);
    Ok(NewAgreement {
        institution: institution.to_owned(),
        provider_number: provider_number.to_owned(),
        partner_number: partner_number.to_owned(),
        signed_on,
        valid_from,
        valid_until,
        scope: scope_of(posted),
        return_schema: Some(field(posted, "return_schema").to_owned()).filter(|s| !s.is_empty()),
        obligations: obligations_of(posted, signed_on, valid_until),
    })
}

/// `POST /portal/konsol/mitra/{code}/perjanjian`.
pub(crate) async fn create_agreement(
    State(state): State<AppState>,
    signed: Signed,
    Path(code): Path<String>,
    Form(posted): Form<Posted>,
) -> Response {
    let t = signed.visitor.t;
    if !manages_partner(&signed, &code) {
        return view::not_found(t);
    }
    if !signed.posted_by_this_session(field(&posted, "csrf")) {
        return signed.forged();
    }
    let failed = |message: String| FormError { agreement: String::new(), form: "agreement", message };
    let written = new_agreement(&posted, &code, t)
        .and_then(|new| signed.plane.add_agreement(new).map_err(|error| error.to_string()));
    match written {
        Ok(write) => commit(&state, &signed, &code, "agreement_create", write).await,
        Err(message) => partner_page(&state, &signed, &code, failed(message)).await,
    }
}

//! A partner administrator's pages (SPEC.md §7, 004 Juknis 2d, 2f, 2j):
//! the partner's operators and service accounts with their NDAs and quotas,
//! its requests to the provider and where they stand, its own usage of the
//! last fourteen days; the forms to request a User ID or a quota raise, and
//! to record an operator's NDA and activate or deactivate it. Everything
//! shown or changed is asked of `core`'s [`PartnerDesk`], which answers only
//! with the partner's own objects: anyone else's request or User ID answers
//! 404, the same as a page that does not exist. Every change is applied and
//! audited as `admin.*` before the page answers.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gerbang_core::access::{AdminError, Applicant, ControlWrite, Desk, Mechanism, PartnerDesk, RequestField, Role};
use gerbang_core::clock::jakarta_date;
use gerbang_store::AuditCount;
use gerbang_web::AppState;
use serde::Deserialize;

use crate::desk::Signed;
use crate::monitor::{Fortnight, by_total};
use crate::obligations::{ObligationRow, rows_of};
use crate::plot::Chart;
use crate::requests::RequestView;
use crate::texts::Texts;
use crate::view::{self, Chrome, admin_error, render, render_with};

/// The partner administrator's home page.
const HOME: &str = "/portal/mitra";

pub(crate) fn partner_desk(signed: &Signed) -> Option<&PartnerDesk> {
    match &signed.desk {
        Desk::Partner(desk) => Some(desk),
        Desk::Operator(_) | Desk::Registry(_) => None,
    }
}

/// An operator or service account as listed.
pub(crate) struct AccountRow {
    pub user_id: String,
    pub role: &'static str,
    /// Operators have an NDA and are activated here; service accounts not.
    pub operator: bool,
    pub active: bool,
    /// The day the NDA was signed, as shown.
    pub nda: Option<String>,
    pub daily_quota: u32,
}

/// A refused change of one operator, shown at its row.
#[derive(Default)]
pub(crate) struct RowError {
    pub user_id: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "partner_home.html")]
struct PartnerHomePage {
    chrome: Chrome,
    institution_name: String,
    agreement: String,
    accounts: Vec<AccountRow>,
    requests: Vec<RequestView>,
    first_day: String,
    last_day: String,
    total: u64,
    by_mechanism: Chart,
    by_outcome: Chart,
    error: RowError,
    today: String,
    obligations: Vec<ObligationRow>,
}

fn role_label(t: &Texts, role: Role) -> &'static str {
    match role {
        Role::Operator => t.role_operator,
        Role::Service => t.role_service,
        Role::ProviderAdmin | Role::PartnerAdmin => role.name(),
    }
}

async fn home_page(state: &AppState, signed: &Signed, error: RowError) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(signed) else { return view::not_found(t) };
    let plane = &signed.plane;
    let today = jakarta_date(signed.visitor.caller.at);
    let accounts = plane
        .accounts_of(&desk.institution)
        .filter(|a| desk.account(plane, &a.user_id).is_some())
        .map(|a| AccountRow {
            user_id: a.user_id.clone(),
            role: role_label(t, a.role),
            operator: desk.operator(plane, &a.user_id).is_some(),
            active: a.active,
            nda: a.nda_on.map(|day| day.format("%d-%m-%Y").to_string()),
            daily_quota: a.daily_quota,
        })
        .collect();
    let mut requests: Vec<_> = plane.requests_of(&desk.institution).collect();
    requests.sort_by_key(|r| (!r.is_open(), std::cmp::Reverse(r.filed_on), std::cmp::Reverse(r.id.clone())));
    let requests = requests.into_iter().map(|r| RequestView::of(r, plane, t, today)).collect();

    let fortnight = Fortnight::ending(today);
    let Ok(counts) = fortnight.counts(state, std::slice::from_ref(&desk.institution)).await else {
        return view::unavailable(t);
    };
    let counted: Vec<&AuditCount> = counts.iter().flat_map(|(_, c)| c).collect();
    let by_mechanism_tags: Vec<(&str, &AuditCount)> = counted
        .iter()
        .map(|c| (Mechanism::from_name(&c.mechanism).map_or(c.mechanism.as_str(), |m| m.label()), *c))
        .collect();
    let by_outcome_tags: Vec<(&str, &AuditCount)> = counted.iter().map(|c| (c.outcome.as_str(), *c)).collect();
    let (first_day, last_day) = fortnight.span();
    let agreement = plane
        .agreement(&desk.agreement)
        .map(|a| format!("{} / {}", a.provider_number, a.partner_number))
        .unwrap_or_default();
    let status = if error.message.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = PartnerHomePage {
        chrome: Chrome::signed(signed, state, None).await,
        institution_name: desk.institution_name.clone(),
        agreement,
        accounts,
        requests,
        first_day,
        last_day,
        total: counted.iter().map(|c| c.count).sum(),
        by_mechanism: fortnight.per_day(&by_total(&by_mechanism_tags), &by_mechanism_tags),
        by_outcome: fortnight.per_day(&by_total(&by_outcome_tags), &by_outcome_tags),
        error,
        today: today.to_string(),
        obligations: rows_of(signed, today, |institution| institution == desk.institution),
    };
    render_with(status, &page)
}

/// `GET /portal/mitra` (SPEC.md §7): the partner's accounts, requests and
/// usage.
pub(crate) async fn home(State(state): State<AppState>, signed: Signed) -> Response {
    home_page(&state, &signed, RowError::default()).await
}

/// One field of a request form.
pub(crate) struct FormField {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub value: String,
    /// `text`, `number`, `textarea` or `select`.
    pub kind: &'static str,
    /// A select's options: value and words.
    pub options: Vec<(String, String)>,
    /// What is wrong with it, shown at the field.
    pub error: String,
}

impl FormField {
    pub(crate) fn text(name: &'static str, label: &'static str, hint: &'static str, value: &str) -> FormField {
        FormField {
            name,
            label,
            hint,
            value: value.to_owned(),
            kind: "text",
            options: Vec::new(),
            error: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "partner_form.html")]
struct RequestFormPage {
    chrome: Chrome,
    title: &'static str,
    intro: &'static str,
    action: &'static str,
    fields: Vec<FormField>,
    /// A refusal that belongs to no single field.
    general: String,
}

/// Why a request form was refused: the field it belongs to (none for the
/// whole form) and what is wrong.
type Refusal = (Option<&'static str>, String);

fn refusal(t: &'static Texts, error: &AdminError) -> Refusal {
    let field = match error {
        AdminError::Field { field, .. } => Some(field.name()),
        _ => None,
    };
    (field, admin_error(t, error))
}

/// Shows a request form, with the `refusal` at its field (or above the
/// form when it belongs to none).
async fn form_page(
    state: &AppState,
    signed: &Signed,
    (title, intro, action): (&'static str, &'static str, &'static str),
    mut fields: Vec<FormField>,
    refusal: Option<Refusal>,
) -> Response {
    let status = if refusal.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut general = String::new();
    if let Some((name, message)) = refusal {
        match fields.iter_mut().find(|f| name == Some(f.name)) {
            Some(field) => field.error = message,
            None => general = message,
        }
    }
    let page =
        RequestFormPage { chrome: Chrome::signed(signed, state, None).await, title, intro, action, fields, general };
    render_with(status, &page)
}

/// The User-ID request form (004 Juknis 2f: the operator's eight fields).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NewUserIdRequest {
    csrf: String,
    nik: String,
    full_name: String,
    nip: String,
    employment_status: String,
    position: String,
    office_region: String,
    office: String,
    local_user_id: String,
}

fn user_id_form(t: &'static Texts) -> (&'static str, &'static str, &'static str) {
    (t.request_user_id, t.request_user_id_intro, "/portal/mitra/permintaan/user-id")
}

fn user_id_fields(t: &Texts, form: &NewUserIdRequest) -> Vec<FormField> {
    vec![
        FormField::text(RequestField::Nik.name(), t.nik, "", &form.nik),
        FormField::text(RequestField::FullName.name(), t.full_name, "", &form.full_name),
        FormField::text(RequestField::Nip.name(), t.nip, t.nip_hint, &form.nip),
        FormField::text(
            RequestField::EmploymentStatus.name(),
            t.employment_status,
            t.employment_hint,
            &form.employment_status,
        ),
        FormField::text(RequestField::Position.name(), t.position, "", &form.position),
        FormField::text(RequestField::OfficeRegion.name(), t.office_region, t.office_region_hint, &form.office_region),
        FormField::text(RequestField::Office.name(), t.office, "", &form.office),
        FormField::text(RequestField::LocalUserId.name(), t.local_user_id, "", &form.local_user_id),
    ]
}

/// `GET /portal/mitra/permintaan/user-id`.
pub(crate) async fn user_id_request_form(State(state): State<AppState>, signed: Signed) -> Response {
    let t = signed.visitor.t;
    if partner_desk(&signed).is_none() {
        return view::not_found(t);
    }
    let fields = user_id_fields(t, &NewUserIdRequest::default());
    form_page(&state, &signed, user_id_form(t), fields, None).await
}

/// Applies a filed request and goes to its page.
async fn filed(
    state: &AppState,
    signed: &Signed,
    desk: &PartnerDesk,
    operation: &str,
    write: ControlWrite,
) -> Response {
    let ControlWrite::Request(request) = &write else { return view::unavailable(signed.visitor.t) };
    let page = format!("/portal/mitra/permintaan/{}", request.id);
    match signed.administer(state, &desk.institution, operation, vec![write]).await {
        Ok(()) => Redirect::to(&page).into_response(),
        Err(refused) => refused,
    }
}

/// `POST /portal/mitra/permintaan/user-id` (004 Juknis 2f): files the
/// request; the provider has two weeks to issue the User ID.
pub(crate) async fn user_id_request(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NewUserIdRequest>,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let applicant = Applicant {
        nik: form.nik.clone(),
        full_name: form.full_name.clone(),
        nip: form.nip.clone(),
        employment_status: form.employment_status.clone(),
        position: form.position.clone(),
        office_region: form.office_region.clone(),
        office: form.office.clone(),
        local_user_id: form.local_user_id.clone(),
    };
    let today = jakarta_date(signed.visitor.caller.at);
    match signed.plane.request_user_id(&desk.institution, &desk.user_id, applicant, today) {
        Ok(write) => filed(&state, &signed, desk, "request_user_id", write).await,
        Err(error) => {
            let fields = user_id_fields(t, &form);
            form_page(&state, &signed, user_id_form(t), fields, Some(refusal(t, &error))).await
        }
    }
}

/// The quota-raise request form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NewQuotaRequest {
    csrf: String,
    user_id: String,
    daily_quota: String,
    justification: String,
}

fn quota_form(t: &'static Texts) -> (&'static str, &'static str, &'static str) {
    (t.request_quota, t.request_quota_intro, "/portal/mitra/permintaan/kuota")
}

fn quota_fields(signed: &Signed, desk: &PartnerDesk, form: &NewQuotaRequest) -> Vec<FormField> {
    let t = signed.visitor.t;
    let plane = &signed.plane;
    let mut options = vec![(String::new(), format!("— {} —", t.choose))];
    options.extend(plane.accounts_of(&desk.institution).filter(|a| desk.account(plane, &a.user_id).is_some()).map(
        |a| {
            let words = format!("{} ({}, {} {})", a.user_id, role_label(t, a.role), t.current_quota, a.daily_quota);
            (a.user_id.clone(), words)
        },
    ));
    vec![
        FormField {
            name: RequestField::UserId.name(),
            label: t.user_id,
            hint: "",
            value: form.user_id.clone(),
            kind: "select",
            options,
            error: String::new(),
        },
        FormField {
            kind: "number",
            ..FormField::text(RequestField::DailyQuota.name(), t.new_daily_quota, "", &form.daily_quota)
        },
        FormField {
            kind: "textarea",
            ..FormField::text(
                RequestField::Justification.name(),
                t.justification,
                t.justification_hint,
                &form.justification,
            )
        },
    ]
}

/// `GET /portal/mitra/permintaan/kuota`.
pub(crate) async fn quota_request_form(State(state): State<AppState>, signed: Signed) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    let fields = quota_fields(&signed, desk, &NewQuotaRequest::default());
    form_page(&state, &signed, quota_form(t), fields, None).await
}

/// `POST /portal/mitra/permintaan/kuota` (004 Juknis 2d, 2j): asks for a
/// higher daily quota of one of the partner's User IDs.
pub(crate) async fn quota_request(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NewQuotaRequest>,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let fields = quota_fields(&signed, desk, &form);
    let Ok(daily_quota) = form.daily_quota.trim().replace('.', "").parse::<u32>() else {
        let refused = (Some(RequestField::DailyQuota.name()), t.whole_number.to_owned());
        return form_page(&state, &signed, quota_form(t), fields, Some(refused)).await;
    };
    let today = jakarta_date(signed.visitor.caller.at);
    let user_id = form.user_id.trim();
    match signed.plane.request_quota(&desk.institution, &desk.user_id, user_id, daily_quota, &form.justification, today)
    {
        Ok(write) => filed(&state, &signed, desk, "request_quota", write).await,
        Err(error) => form_page(&state, &signed, quota_form(t), fields, Some(refusal(t, &error))).await,
    }
}

#[derive(Template)]
#[template(path = "partner_request.html")]
struct PartnerRequestPage {
    chrome: Chrome,
    request: RequestView,
}

/// `GET /portal/mitra/permintaan/{id}`: one of the partner's own requests.
pub(crate) async fn request(State(state): State<AppState>, signed: Signed, Path(id): Path<String>) -> Response {
    let t = signed.visitor.t;
    let Some(request) = partner_desk(&signed).and_then(|desk| desk.request(&signed.plane, &id)) else {
        return view::not_found(t);
    };
    let today = jakarta_date(signed.visitor.caller.at);
    let request = RequestView::of(request, &signed.plane, t, today);
    render(&PartnerRequestPage { chrome: Chrome::signed(&signed, &state, None).await, request })
}

/// The NDA form.
#[derive(Deserialize)]
pub(crate) struct NdaForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    signed_on: String,
}

/// The activation form.
#[derive(Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    csrf: String,
    /// `true` to activate, anything else to deactivate.
    #[serde(default)]
    active: String,
}

/// Applies an operator's change and goes back to the home page, or shows
/// the refusal at the operator's row.
async fn operator_change(
    state: &AppState,
    signed: &Signed,
    desk: &PartnerDesk,
    user_id: &str,
    operation: &str,
    change: Result<ControlWrite, String>,
) -> Response {
    match change {
        Ok(write) => match signed.administer(state, &desk.institution, operation, vec![write]).await {
            Ok(()) => Redirect::to(HOME).into_response(),
            Err(page) => page,
        },
        Err(message) => home_page(state, signed, RowError { user_id: user_id.to_owned(), message }).await,
    }
}

/// `POST /portal/mitra/operator/{user_id}/nda` (SPEC.md §7): records the
/// day the operator signed its non-disclosure agreement.
pub(crate) async fn record_nda(
    State(state): State<AppState>,
    signed: Signed,
    Path(user_id): Path<String>,
    Form(form): Form<NdaForm>,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed).filter(|desk| desk.operator(&signed.plane, &user_id).is_some()) else {
        return view::not_found(t);
    };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let today = jakarta_date(signed.visitor.caller.at);
    let change = NaiveDate::parse_from_str(form.signed_on.trim(), "%Y-%m-%d")
        .map_err(|_| t.date_format.to_owned())
        .and_then(|day| signed.plane.record_nda(&user_id, day, today).map_err(|e| admin_error(t, &e)));
    operator_change(&state, &signed, desk, &user_id, "operator_nda", change).await
}

/// `POST /portal/mitra/operator/{user_id}/status`: activates (only with an
/// NDA recorded) or deactivates an operator.
pub(crate) async fn set_status(
    State(state): State<AppState>,
    signed: Signed,
    Path(user_id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed).filter(|desk| desk.operator(&signed.plane, &user_id).is_some()) else {
        return view::not_found(t);
    };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let active = form.active == "true";
    let operation = if active { "operator_activate" } else { "operator_deactivate" };
    let change = signed.plane.set_account_active(&user_id, active).map_err(|e| admin_error(t, &e));
    operator_change(&state, &signed, desk, &user_id, operation, change).await
}

//! Document facilitation in the portal (SPEC.md §9): a partner's
//! administrator files a person's case (a child's akta kelahiran or KIA for
//! KemenPPPA; KTP-el, IKD or KIA for Pemasyarakatan's detainees, inmates
//! and children in custody) and follows where each stands; the registry's
//! console works the queue — verify, in process, issued with the document's
//! number, or rejected with a reason the partner reads.
//!
//! What may be filed and every step are decided in `core`
//! (`ControlPlane::file_facilitation`, `facilitation::advance`): a partner
//! sees only its own cases and a regional office only its partners'. Every
//! list shown and every change is recorded in the audit trail before the
//! page answers, since cases hold personal data.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gerbang_core::access::{ControlPlane, PartnerDesk, Steward};
use gerbang_core::facilitation::sheet::MAX_SHEET_ROWS;
use gerbang_core::facilitation::{
    Action, Case, DocumentKind, FacilitationError, Filing, FilingField, STATUS_NAMES, Status, Subject, SubjectGroup,
    advance,
};
use gerbang_store::{CaseQuery, StoreError};
use gerbang_web::AppState;
use serde::Deserialize;

use crate::console::steward;
use crate::desk::Signed;
use crate::partner::{FormField, partner_desk};
use crate::requests::masked;
use crate::texts::Texts;
use crate::view::{self, Chrome, render_with};

/// The partner's page.
pub(crate) const PARTNER_PAGE: &str = "/portal/mitra/fasilitasi";
/// The registry's queue.
const QUEUE: &str = "/portal/konsol/fasilitasi";
/// Cases shown on one page.
const SHOWN: u32 = 500;

/// A case as shown.
pub(crate) struct CaseView {
    pub number: u64,
    pub handle: String,
    pub institution_name: String,
    pub document: &'static str,
    pub group: &'static str,
    /// The NIK: whole for the registry, masked for the partner; `-` when
    /// the person has none.
    pub nik: String,
    pub name: String,
    pub sex: String,
    /// Birth place and date.
    pub born: String,
    pub mother: String,
    pub father: String,
    pub address: String,
    pub region: String,
    /// Custody number and facility, for people in custody.
    pub custody: Option<String>,
    /// The stable status name.
    pub status: &'static str,
    pub status_label: &'static str,
    pub filed_on: String,
    /// The last step: when and by whom.
    pub last_step: String,
    /// The issued document's number or the rejection's reason, labelled.
    pub outcome: Option<(&'static str, String)>,
    /// The registry's next steps, as (action, words).
    pub actions: Vec<(&'static str, &'static str)>,
    /// Steps so far, posted back so that a case moved meanwhile is noticed.
    pub steps: usize,
}

fn status_label(t: &Texts, name: &str) -> &'static str {
    match name {
        "received" => t.case_received,
        "verified" => t.case_verified,
        "in_process" => t.case_in_process,
        "issued" => t.case_issued,
        _ => t.case_rejected,
    }
}

fn wib(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&gerbang_core::clock::JAKARTA).format("%d-%m-%Y %H:%M").to_string()
}

impl CaseView {
    fn of(case: &Case, plane: &ControlPlane, t: &Texts, registry: bool) -> CaseView {
        let subject = &case.filing.subject;
        let status = case.status();
        let outcome = match status {
            Status::Issued { document_number } => Some((t.document_number, document_number.clone())),
            Status::Rejected { reason } => Some((t.rejection_reason, reason.clone())),
            _ => None,
        };
        let actions = match status {
            _ if !registry => vec![],
            Status::Received => vec![("verify", t.case_verify), ("reject", t.reject)],
            Status::Verified => vec![("process", t.case_process), ("issue", t.case_issue), ("reject", t.reject)],
            Status::InProcess => vec![("issue", t.case_issue), ("reject", t.reject)],
            Status::Issued { .. } | Status::Rejected { .. } => vec![],
        };
        let nik = match (&subject.nik, registry) {
            (nik, _) if nik.is_empty() => "-".to_owned(),
            (nik, true) => nik.clone(),
            (nik, false) => masked(nik),
        };
        let born = subject.birth_date.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default();
        CaseView {
            number: case.number,
            handle: case.handle(),
            institution_name: plane
                .institution(&case.filing.institution)
                .map_or_else(|| case.filing.institution.clone(), |i| i.name.clone()),
            document: case.filing.document.label(),
            group: case.filing.group.label(),
            nik,
            name: subject.full_name.clone(),
            sex: subject.sex.clone(),
            born: format!("{}, {born}", subject.birth_place),
            mother: subject.mother_name.clone(),
            father: if subject.father_name.is_empty() { "-".to_owned() } else { subject.father_name.clone() },
            address: subject.address.clone(),
            region: subject.region_code.clone(),
            custody: case
                .filing
                .group
                .in_custody()
                .then(|| format!("{} · {}", subject.custody_number, subject.facility)),
            status: status.name(),
            status_label: status_label(t, status.name()),
            filed_on: case.filed_at().map(wib).unwrap_or_default(),
            last_step: case.steps.last().map(|s| format!("{} · {}", wib(s.at), s.by)).unwrap_or_default(),
            outcome,
            actions,
            steps: case.steps.len(),
        }
    }
}

#[derive(Template)]
#[template(path = "facilitation_partner.html")]
struct PartnerPage {
    chrome: Chrome,
    institution_name: String,
    /// Whether the agreement grants any document at all.
    granted: bool,
    fields: Vec<FormField>,
    general: String,
    cases: Vec<CaseView>,
    sheet: SheetView,
    max_sheet_rows: usize,
}

/// The filing form, as posted (field names are [`FilingField::name`]).
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NewCase {
    csrf: String,
    dokumen: String,
    kelompok: String,
    nik: String,
    nama_lengkap: String,
    jenis_kelamin: String,
    tempat_lahir: String,
    tanggal_lahir: String,
    nama_ibu: String,
    nama_ayah: String,
    alamat: String,
    kode_wilayah: String,
    nomor_registrasi: String,
    lapas_rutan: String,
}

/// Reads a date as an HTML date field sends it (`yyyy-mm-dd`) or as people
/// type it (`dd-mm-yyyy`, `dd/mm/yyyy`).
pub(crate) fn parse_day(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"].iter().find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

fn select(name: &'static str, label: &'static str, value: &str, options: Vec<(String, String)>) -> FormField {
    FormField { kind: "select", options, ..FormField::text(name, label, "", value) }
}

fn fields(t: &Texts, granted: &[DocumentKind], form: &NewCase) -> Vec<FormField> {
    let documents = granted.iter().map(|d| (d.name().to_owned(), d.label().to_owned())).collect();
    let groups = SubjectGroup::ALL.iter().map(|g| (g.name().to_owned(), g.label().to_owned())).collect();
    let sexes = vec![("L".to_owned(), t.sex_male.to_owned()), ("P".to_owned(), t.sex_female.to_owned())];
    let text = |field: FilingField, label: &'static str, hint: &'static str, value: &str| {
        FormField::text(field.name(), label, hint, value)
    };
    vec![
        select(FilingField::Document.name(), t.case_document, &form.dokumen, documents),
        select(FilingField::Group.name(), t.case_group, &form.kelompok, groups),
        text(FilingField::Nik, t.nik, t.case_nik_hint, &form.nik),
        text(FilingField::FullName, t.full_name, "", &form.nama_lengkap),
        select(FilingField::Sex.name(), t.case_sex, &form.jenis_kelamin, sexes),
        text(FilingField::BirthPlace, t.case_birth_place, "", &form.tempat_lahir),
        FormField { kind: "date", ..text(FilingField::BirthDate, t.case_birth_date, "", &form.tanggal_lahir) },
        text(FilingField::MotherName, t.case_mother, "", &form.nama_ibu),
        text(FilingField::FatherName, t.case_father, t.optional, &form.nama_ayah),
        text(FilingField::Address, t.case_address, "", &form.alamat),
        text(FilingField::RegionCode, t.case_region, t.office_region_hint, &form.kode_wilayah),
        text(FilingField::CustodyNumber, t.case_custody_number, t.case_custody_hint, &form.nomor_registrasi),
        text(FilingField::Facility, t.case_facility, t.case_custody_hint, &form.lapas_rutan),
    ]
}

pub(crate) fn granted(plane: &ControlPlane, desk: &PartnerDesk) -> Vec<DocumentKind> {
    plane.agreement(&desk.agreement).map(|a| a.scope.facilitation.clone()).unwrap_or_default()
}

/// A refusal: the field it belongs to (none for the whole form) and what is
/// wrong.
type Refusal = (Option<&'static str>, String);

pub(crate) async fn partner_page(
    state: &AppState,
    signed: &Signed,
    form: &NewCase,
    refusal: Option<Refusal>,
    sheet: SheetView,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(signed) else { return view::not_found(t) };
    let query = CaseQuery { institution: Some(desk.institution.clone()), status: None, limit: SHOWN };
    let cases = match listed(state, signed, &desk.institution, query).await {
        Ok(cases) => cases,
        Err(page) => return page,
    };
    let granted = granted(&signed.plane, desk);
    let mut fields = fields(t, &granted, form);
    let mut general = String::new();
    let refused = refusal.is_some() || !sheet.error.is_empty() || !sheet.problems.is_empty();
    let status = if refused { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    if let Some((name, message)) = refusal {
        match fields.iter_mut().find(|f| name == Some(f.name)) {
            Some(field) => field.error = message,
            None => general = message,
        }
    }
    let page = PartnerPage {
        chrome: Chrome::signed(signed, state, None).await,
        institution_name: desk.institution_name.clone(),
        granted: !granted.is_empty(),
        fields,
        general,
        cases: cases.iter().map(|c| CaseView::of(c, &signed.plane, t, false)).collect(),
        sheet,
        max_sheet_rows: MAX_SHEET_ROWS,
    };
    render_with(status, &page)
}

/// Lists cases after recording the look in the audit trail.
pub(crate) async fn listed(
    state: &AppState,
    signed: &Signed,
    institution: &str,
    query: CaseQuery,
) -> Result<Vec<Case>, Response> {
    let t = signed.visitor.t;
    let institution = (!institution.is_empty()).then(|| institution.to_owned());
    if signed.visitor.audit(state, institution, signed.desk.user_id(), "facilitation.listed").await.is_err() {
        return Err(view::unavailable(t));
    }
    state.store.cases(query).await.map_err(|error| {
        tracing::error!(code = error.code(), %error, "daftar fasilitasi tidak dapat dibaca");
        view::unavailable(t)
    })
}

/// What the page says about the last sheet uploaded.
#[derive(Default)]
pub(crate) struct SheetView {
    /// How many cases it filed, said after the redirect.
    pub notice: String,
    /// Why it was refused as a whole.
    pub error: String,
    /// Its refused rows: row, column and problem.
    pub problems: Vec<(u64, &'static str, String)>,
}

impl SheetView {
    /// The sheet refused as a whole, for `error`.
    pub fn refusing(error: String) -> SheetView {
        SheetView { error, ..SheetView::default() }
    }
}

/// After a sheet is filed, the page is reloaded with how many it filed.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct Filed {
    berkas: u32,
}

/// `GET /portal/mitra/fasilitasi` (SPEC.md §9): the partner's cases and the
/// form to file one or a sheet of many.
pub(crate) async fn partner(State(state): State<AppState>, signed: Signed, Query(filed): Query<Filed>) -> Response {
    let t = signed.visitor.t;
    let notice = if filed.berkas > 0 { format!("{} {}", filed.berkas, t.case_sheet_filed) } else { String::new() };
    partner_page(&state, &signed, &NewCase::default(), None, SheetView { notice, ..SheetView::default() }).await
}

fn filing_of(form: &NewCase) -> Result<Filing, Refusal> {
    let document = DocumentKind::from_name(&form.dokumen).ok_or((Some(FilingField::Document.name()), String::new()))?;
    let group = SubjectGroup::from_name(&form.kelompok).ok_or((Some(FilingField::Group.name()), String::new()))?;
    let birth_date = match form.tanggal_lahir.trim() {
        "" => None,
        text => Some(parse_day(text).ok_or((Some(FilingField::BirthDate.name()), String::new()))?),
    };
    Ok(Filing {
        institution: String::new(),
        document,
        group,
        subject: Subject {
            nik: form.nik.clone(),
            full_name: form.nama_lengkap.clone(),
            sex: form.jenis_kelamin.clone(),
            birth_place: form.tempat_lahir.clone(),
            birth_date,
            mother_name: form.nama_ibu.clone(),
            father_name: form.nama_ayah.clone(),
            address: form.alamat.clone(),
            region_code: form.kode_wilayah.clone(),
            custody_number: form.nomor_registrasi.clone(),
            facility: form.lapas_rutan.clone(),
        },
    })
}

/// Words for a refused filing or step, in the page's language where the
/// portal knows them; `core`'s own words otherwise.
pub(crate) fn facilitation_error(t: &Texts, error: &FacilitationError) -> String {
    match error {
        FacilitationError::NoAgreementInForce => t.case_no_agreement.to_owned(),
        FacilitationError::NotGranted(_) => t.case_not_granted.to_owned(),
        FacilitationError::Field { problem, .. } => (*problem).to_owned(),
        other => other.to_string(),
    }
}

/// `POST /portal/mitra/fasilitasi`: files one case.
pub(crate) async fn file(State(state): State<AppState>, signed: Signed, Form(form): Form<NewCase>) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let filing = match filing_of(&form) {
        Ok(filing) => filing,
        Err((field, _)) => {
            return partner_page(&state, &signed, &form, Some((field, t.case_choose.to_owned())), SheetView::default())
                .await;
        }
    };
    let case = match signed.plane.file_facilitation(desk, filing, signed.visitor.caller.at) {
        Ok(case) => case,
        Err(error) => {
            let field = match &error {
                FacilitationError::Field { field, .. } => Some(field.name()),
                _ => None,
            };
            let refusal = Some((field, facilitation_error(t, &error)));
            return partner_page(&state, &signed, &form, refusal, SheetView::default()).await;
        }
    };
    match state.store.file_cases(vec![case]).await {
        Ok(_) => {}
        Err(StoreError::Conflict(_)) => {
            let refusal = Some((None, t.case_already_open.to_owned()));
            return partner_page(&state, &signed, &form, refusal, SheetView::default()).await;
        }
        Err(error) => {
            tracing::error!(code = error.code(), %error, "permohonan fasilitasi tidak dapat disimpan");
            return view::unavailable(t);
        }
    }
    let institution = Some(desk.institution.clone());
    if signed.visitor.audit(&state, institution, &desk.user_id, "facilitation.filed").await.is_err() {
        return view::unavailable(t);
    }
    Redirect::to(PARTNER_PAGE).into_response()
}

#[derive(Template)]
#[template(path = "facilitation_queue.html")]
struct QueuePage {
    chrome: Chrome,
    partners: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    partner: String,
    status: String,
    cases: Vec<CaseView>,
    /// A refused step: the case's number and why.
    error: (u64, String),
}

/// The queue's filters.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct QueueFilter {
    mitra: String,
    status: String,
}

async fn queue_page(state: &AppState, signed: &Signed, filter: QueueFilter, error: (u64, String)) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(signed) else { return view::not_found(t) };
    let plane = &signed.plane;
    let partners: Vec<(String, String)> = plane
        .institutions()
        .filter(|i| steward.manages(plane, &i.code).is_ok())
        .map(|i| (i.code.clone(), i.name.clone()))
        .collect();
    let partner = partners.iter().find(|(code, _)| *code == filter.mitra.trim()).map(|(code, _)| code.clone());
    let status = STATUS_NAMES.iter().find(|s| **s == filter.status.trim()).map(|s| (*s).to_owned());
    // A regional office lists its own partners' cases only: without a
    // partner chosen, the rows of the others are left out below.
    let query = CaseQuery { institution: partner.clone(), status: status.clone(), limit: SHOWN };
    let cases = match listed(state, signed, partner.as_deref().unwrap_or_default(), query).await {
        Ok(cases) => cases,
        Err(page) => return page,
    };
    let cases = cases
        .iter()
        .filter(|c| steward.manages(plane, &c.filing.institution).is_ok())
        .map(|c| CaseView::of(c, plane, t, true))
        .collect();
    let code = if error.1.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = QueuePage {
        chrome: Chrome::signed(signed, state, None).await,
        partners,
        statuses: STATUS_NAMES.iter().map(|s| (*s, status_label(t, s))).collect(),
        partner: partner.unwrap_or_default(),
        status: status.unwrap_or_default(),
        cases,
        error,
    };
    render_with(code, &page)
}

/// `GET /portal/konsol/fasilitasi` (SPEC.md §9): the queue, by partner and
/// status.
pub(crate) async fn queue(
    State(state): State<AppState>,
    signed: Signed,
    Query(filter): Query<QueueFilter>,
) -> Response {
    queue_page(&state, &signed, filter, (0, String::new())).await
}

/// A step posted from the queue.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct StepForm {
    csrf: String,
    action: String,
    document_number: String,
    reason: String,
    /// How many steps the case had when the page was shown.
    steps: usize,
}

fn action_of(form: &StepForm) -> Option<Action> {
    match form.action.as_str() {
        "verify" => Some(Action::Verify),
        "process" => Some(Action::Process),
        "issue" => Some(Action::Issue { document_number: form.document_number.clone() }),
        "reject" => Some(Action::Reject { reason: form.reason.clone() }),
        _ => None,
    }
}

/// The case `number` if this administrator manages its partner.
async fn managed_case(state: &AppState, signed: &Signed, steward: &Steward, number: u64) -> Result<Case, Response> {
    let t = signed.visitor.t;
    match state.store.case(number).await {
        Ok(Some(case)) if steward.manages(&signed.plane, &case.filing.institution).is_ok() => Ok(case),
        Ok(_) => Err(view::not_found(t)),
        Err(error) => {
            tracing::error!(code = error.code(), %error, "permohonan fasilitasi tidak dapat dibaca");
            Err(view::unavailable(t))
        }
    }
}

/// `POST /portal/konsol/fasilitasi/{number}`: moves a case one step.
pub(crate) async fn step(
    State(state): State<AppState>,
    signed: Signed,
    Path(number): Path<u64>,
    Form(form): Form<StepForm>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let case = match managed_case(&state, &signed, steward, number).await {
        Ok(case) => case,
        Err(page) => return page,
    };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let refused = |message: String| (number, message);
    let Some(action) = action_of(&form) else {
        return queue_page(&state, &signed, QueueFilter::default(), refused(t.case_choose.to_owned())).await;
    };
    let name = form.action.clone();
    let institution = case.filing.institution.clone();
    let moved = match advance(&signed.plane, steward, case, action, signed.visitor.caller.at) {
        Ok(moved) => moved,
        Err(error) => {
            let message = facilitation_error(t, &error);
            return queue_page(&state, &signed, QueueFilter::default(), refused(message)).await;
        }
    };
    match state.store.record_case_step(moved, form.steps).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => {
            let message = t.case_moved_meanwhile.to_owned();
            return queue_page(&state, &signed, QueueFilter::default(), refused(message)).await;
        }
        Err(error) => {
            tracing::error!(code = error.code(), %error, "langkah fasilitasi tidak dapat disimpan");
            return view::unavailable(t);
        }
    }
    let outcome = format!("facilitation.{name}");
    if signed.visitor.audit(&state, Some(institution), &steward.user_id, &outcome).await.is_err() {
        return view::unavailable(t);
    }
    Redirect::to(QUEUE).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_the_date_field_sends_them_and_as_people_type_them() {
        let day = NaiveDate::from_ymd_opt(2019, 3, 4);
        assert_eq!(parse_day("2019-03-04"), day);
        assert_eq!(parse_day(" 04-03-2019 "), day);
        assert_eq!(parse_day("04/03/2019"), day);
        assert_eq!(parse_day("4 Maret 2019"), None);
    }

    #[test]
    fn an_unknown_document_or_group_is_refused_at_its_field() {
        let form = NewCase { dokumen: "paspor".into(), kelompok: "anak".into(), ..NewCase::default() };
        assert_eq!(filing_of(&form).map_err(|(f, _)| f), Err(Some("dokumen")));
        let form = NewCase { dokumen: "kia".into(), kelompok: "x".into(), ..NewCase::default() };
        assert_eq!(filing_of(&form).map_err(|(f, _)| f), Err(Some("kelompok")));
        let form = NewCase {
            dokumen: "kia".into(),
            kelompok: "anak".into(),
            tanggal_lahir: "kemarin".into(),
            ..NewCase::default()
        };
        assert_eq!(filing_of(&form).map_err(|(f, _)| f), Err(Some("tanggal_lahir")));
    }
}

//! The registry's audit search (issue "web portal" §5): the trail filtered
//! by partner, User ID, date range and outcome, and "who accessed this
//! resident?" by NIK. The NIK search is a POST, so a NIK never sits in a
//! URL, a proxy's log or the browser's history. Both export to CSV. Every
//! search is itself audited before anything is read, and a regional
//! administrator sees only its own partners' records (`Steward::manages`).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{Days, NaiveDate};
use gerbang_core::access::Steward;
use gerbang_core::audit::{ResidentKey, SealedRecord};
use gerbang_core::clock::{jakarta_date, jakarta_midnight};
use gerbang_core::{Nik, Regions};
use gerbang_store::AuditSearch;
use gerbang_web::AppState;
use gerbang_web::gate::event_record;
use serde::Deserialize;

use crate::console::steward;
use crate::desk::Signed;
use crate::view::{self, Chrome, render_with};

/// Records a search page shows, newest first.
const SHOWN_ROWS: u32 = 200;

/// Records a CSV export holds at most.
const EXPORT_ROWS: u32 = 100_000;

/// Days a search covers when no dates are given.
const DEFAULT_DAYS: u64 = 7;

/// Outcome codes offered as suggestions in the outcome field.
const COMMON_OUTCOMES: [&str; 10] = [
    "resident.found",
    "resident.not_found",
    "verification.answered",
    "access.quota_exhausted",
    "access.ip_not_registered",
    "access.login_failed",
    "access.no_agreement_in_force",
    "access.elements_not_granted",
    "portal.sign_in",
    "admin.agreement_terminate",
];

/// A trail record as shown and exported.
pub(crate) struct TrailRow {
    pub at: String,
    pub institution: String,
    pub user_id: String,
    pub interface: String,
    pub mechanism: String,
    pub outcome: String,
    pub source_ip: String,
    pub operation_id: String,
}

impl From<SealedRecord> for TrailRow {
    fn from(sealed: SealedRecord) -> Self {
        let r = sealed.record;
        TrailRow {
            at: view::wib(r.at, "%d-%m-%Y %H:%M:%S"),
            institution: r.institution.unwrap_or_default(),
            user_id: r.user_id.unwrap_or_default(),
            interface: r.interface,
            mechanism: r.mechanism.map(|m| m.label().to_owned()).unwrap_or_default(),
            outcome: r.outcome,
            source_ip: r.source_ip.to_string(),
            operation_id: r.operation_id,
        }
    }
}

/// The filters of a trail search, as typed.
#[derive(Deserialize, Default, Clone)]
pub(crate) struct Filters {
    /// Set by the search button: without it the page only shows the form.
    #[serde(default)]
    cari: Option<String>,
    #[serde(default)]
    mitra: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    dari: String,
    #[serde(default)]
    sampai: String,
    #[serde(default)]
    hasil: String,
}

impl Filters {
    /// The query string that repeats this search (for the CSV link).
    fn query(&self) -> String {
        let pairs = [("mitra", &self.mitra), ("user", &self.user), ("dari", &self.dari), ("sampai", &self.sampai)];
        let mut query = form_urlencoded::Serializer::new(String::from("cari=1"));
        for (name, value) in pairs.into_iter().chain([("hasil", &self.hasil)]) {
            query.append_pair(name, value.trim());
        }
        query.finish()
    }
}

/// Messages at the fields of a form.
#[derive(Default)]
pub(crate) struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    /// The message at `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(name, _)| *name == field).map(|(_, message)| message.as_str())
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A partner in the filter's list.
pub(crate) struct PartnerChoice {
    pub code: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    filters: Filters,
    partners: Vec<PartnerChoice>,
    /// Whether "every partner" may be chosen (national administrators).
    all_partners: bool,
    outcomes: [&'static str; 10],
    errors: FieldErrors,
    /// The NIK search's field and message.
    nik: String,
    nik_error: Option<String>,
    /// What was searched, and what was found (newest first, at most
    /// [`SHOWN_ROWS`]).
    heading: Option<String>,
    rows: Vec<TrailRow>,
    /// How many records matched, when known beyond the rows shown.
    total: usize,
    /// Whether the search stopped at [`SHOWN_ROWS`] (older ones may exist).
    limited: bool,
    export_query: String,
}

impl AuditPage {
    fn empty(chrome: Chrome, signed: &Signed, steward: &Steward, filters: Filters) -> AuditPage {
        let plane = &signed.plane;
        let partners = plane
            .institutions()
            .filter(|i| steward.manages(plane, &i.code).is_ok())
            .map(|i| PartnerChoice { code: i.code.clone(), name: i.name.clone() })
            .collect();
        AuditPage {
            chrome,
            filters,
            partners,
            all_partners: steward.national,
            outcomes: COMMON_OUTCOMES,
            errors: FieldErrors::default(),
            nik: String::new(),
            nik_error: None,
            heading: None,
            rows: Vec::new(),
            total: 0,
            limited: false,
            export_query: String::new(),
        }
    }
}

/// A search ready to run.
struct Checked {
    search: AuditSearch,
    heading: String,
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// Checks the filters against what the administrator may see; fills in the
/// default dates (the last seven days).
fn check(filters: &mut Filters, signed: &Signed, steward: &Steward, limit: u32) -> Result<Checked, FieldErrors> {
    let t = signed.visitor.t;
    let mut errors = FieldErrors::default();
    let today = jakarta_date(signed.visitor.caller.at);
    if filters.sampai.trim().is_empty() {
        filters.sampai = today.to_string();
    }
    let until = parse_day(&filters.sampai);
    if filters.dari.trim().is_empty() {
        let start = until.unwrap_or(today).checked_sub_days(Days::new(DEFAULT_DAYS - 1));
        filters.dari = start.unwrap_or(today).to_string();
    }
    let from = parse_day(&filters.dari);
    match (from, until) {
        (None, _) => errors.add("dari", t.date_format),
        (_, None) => errors.add("sampai", t.date_format),
        (Some(from), Some(until)) if from > until => errors.add("sampai", t.dates_out_of_order),
        _ => {}
    }
    let institution = Some(filters.mitra.trim().to_owned()).filter(|code| !code.is_empty());
    match &institution {
        None if !steward.national => errors.add("mitra", t.choose_partner),
        Some(code) if steward.manages(&signed.plane, code).is_err() || signed.plane.institution(code).is_none() => {
            errors.add("mitra", t.unknown_partner)
        }
        _ => {}
    }
    let (Some(from), Some(until), true) = (from, until, errors.is_empty()) else { return Err(errors) };
    let user_id = Some(filters.user.trim().to_owned()).filter(|u| !u.is_empty());
    let outcome = Some(filters.hasil.trim().to_owned()).filter(|o| !o.is_empty());
    let heading = format!(
        "{} · {from} – {until}{}{}",
        institution.as_deref().unwrap_or(t.all_partners),
        user_id.as_deref().map(|u| format!(" · {u}")).unwrap_or_default(),
        outcome.as_deref().map(|o| format!(" · {o}")).unwrap_or_default(),
    );
    let day_after = until.checked_add_days(Days::new(1)).unwrap_or(until);
    let search = AuditSearch {
        institution,
        user_id,
        outcome,
        from: jakarta_midnight(from),
        until: jakarta_midnight(day_after),
        limit,
    };
    Ok(Checked { search, heading })
}

/// Audits a search as `outcome` (with the resident's key for a NIK search)
/// before anything is read.
async fn audit_the_search(
    state: &AppState,
    signed: &Signed,
    steward: &Steward,
    institution: Option<String>,
    resident: Option<ResidentKey>,
    outcome: &str,
) -> Result<(), Response> {
    let caller = &signed.visitor.caller;
    let record =
        event_record(caller, "portal", institution, Some(steward.user_id.clone()), resident, outcome.to_owned());
    state.access.audit.record(record).await.map(|_| ()).map_err(|_| view::unavailable(signed.visitor.t))
}

/// `GET /portal/konsol/audit`: the search form, and with `cari` the
/// filtered trail, newest first.
pub(crate) async fn search(State(state): State<AppState>, signed: Signed, Query(filters): Query<Filters>) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let chrome = Chrome::signed(&signed, &state, None).await;
    let searching = filters.cari.is_some();
    let mut filters = filters;
    let checked = check(&mut filters, &signed, steward, SHOWN_ROWS);
    let mut page = AuditPage::empty(chrome, &signed, steward, filters.clone());
    if !searching {
        return render_with(StatusCode::OK, &page);
    }
    let checked = match checked {
        Ok(checked) => checked,
        Err(errors) => {
            page.errors = errors;
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let institution = checked.search.institution.clone();
    if let Err(answer) = audit_the_search(&state, &signed, steward, institution, None, "portal.audit_search").await {
        return answer;
    }
    let Ok(records) = state.store.audit_search(checked.search).await else { return view::unavailable(t) };
    page.rows = records.into_iter().map(TrailRow::from).collect();
    page.total = page.rows.len();
    page.limited = page.total >= SHOWN_ROWS as usize;
    page.heading = Some(checked.heading);
    page.export_query = filters.query();
    render_with(StatusCode::OK, &page)
}

/// `GET /portal/konsol/audit.csv?…`: the same filtered search as CSV.
pub(crate) async fn search_csv(
    State(state): State<AppState>,
    signed: Signed,
    Query(filters): Query<Filters>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let mut filters = filters;
    let Ok(checked) = check(&mut filters, &signed, steward, EXPORT_ROWS) else {
        return view::refused_with(t, StatusCode::UNPROCESSABLE_ENTITY, t.bad_filters);
    };
    let institution = checked.search.institution.clone();
    if let Err(answer) = audit_the_search(&state, &signed, steward, institution, None, "portal.audit_export").await {
        return answer;
    }
    let Ok(records) = state.store.audit_search(checked.search).await else { return view::unavailable(t) };
    csv_answer(t, records.into_iter().map(TrailRow::from).collect())
}

/// The NIK search form.
#[derive(Deserialize)]
pub(crate) struct NikSearch {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    nik: String,
    /// `csv` for the export button.
    #[serde(default)]
    format: String,
}

/// `POST /portal/konsol/audit/nik`: who accessed one resident, newest first;
/// with `format=csv`, every record as CSV.
pub(crate) async fn by_resident(
    State(state): State<AppState>,
    signed: Signed,
    Form(form): Form<NikSearch>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let export = form.format == "csv";
    let nik_text = form.nik.trim().to_owned();
    let nik = match Nik::parse_with(&nik_text, Regions::official()) {
        Ok(nik) => nik,
        Err(error) => {
            let chrome = Chrome::signed(&signed, &state, None).await;
            let mut page = AuditPage::empty(chrome, &signed, steward, Filters::default());
            page.nik = nik_text;
            page.nik_error = Some(error.to_string());
            return render_with(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let key = state.access.hasher.key(nik);
    let outcome = if export { "portal.audit_export" } else { "portal.audit_search" };
    if let Err(answer) = audit_the_search(&state, &signed, steward, None, Some(key), outcome).await {
        return answer;
    }
    let Ok(records) = state.store.audit_of_resident(key).await else { return view::unavailable(t) };
    let rows: Vec<TrailRow> = records
        .into_iter()
        .rev()
        .filter(|sealed| sealed.record.mechanism.is_some())
        // A regional administrator sees its own partners' accesses only.
        .filter(|sealed| {
            sealed.record.institution.as_deref().is_some_and(|i| steward.manages(&signed.plane, i).is_ok())
        })
        .map(TrailRow::from)
        .collect();
    if export {
        return csv_answer(t, rows);
    }
    let chrome = Chrome::signed(&signed, &state, None).await;
    let mut page = AuditPage::empty(chrome, &signed, steward, Filters::default());
    page.heading = Some(format!("{} {}", t.nik, nik_text));
    page.nik = nik_text;
    page.total = rows.len();
    page.rows = rows.into_iter().take(SHOWN_ROWS as usize).collect();
    render_with(StatusCode::OK, &page)
}

/// Rows as a CSV download.
fn csv_answer(t: &'static crate::texts::Texts, rows: Vec<TrailRow>) -> Response {
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = ["waktu", "instansi", "user_id", "antarmuka", "layanan", "hasil", "ip_asal", "id_operasi"];
    let mut written = out.write_record(header);
    for row in &rows {
        written = written.and_then(|()| {
            out.write_record([
                &row.at,
                &row.institution,
                &row.user_id,
                &row.interface,
                &row.mechanism,
                &row.outcome,
                &row.source_ip,
                &row.operation_id,
            ])
        });
    }
    match (written, out.into_inner()) {
        (Ok(()), Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"jejak-audit.csv\""),
            ],
            bytes,
        )
            .into_response(),
        _ => view::unavailable(t),
    }
}

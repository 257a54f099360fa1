//! Operators' pages: the home page with the agreement's services and the
//! quota left, and call NIK, verification by elements and family members.
//! Each call goes through the web service's own gate (`gate::serve` with
//! the session as credentials), so the guards, the quota, the look-up and
//! the durable audit record are exactly the web service's; a page shows
//! only what the gate answered. Result pages carry a watermark (operator,
//! time, operation id) and the data source line the agreements require.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::access::{Channel, Denial, Desk, Mechanism, OperatorDesk};
use gerbang_core::answer::ElementVerdict;
use gerbang_core::{Element, ElementValue};
use gerbang_web::AppState;
use gerbang_web::gate::{self, Answered, Ask, Payload, Presented, Reply};

use crate::desk::Signed;
use crate::view::{self, Chrome, render, render_with};

/// Who saw the page, when, in which operation: drawn across result pages.
pub(crate) struct Stamp {
    pub operator: String,
    pub time: String,
    pub operation: String,
}

impl Stamp {
    fn of(signed: &Signed) -> Stamp {
        let at = signed.visitor.caller.at;
        Stamp {
            operator: signed.desk.user_id().to_owned(),
            time: view::wib(at, "%d-%m-%Y %H:%M:%S"),
            operation: signed.visitor.caller.operation_id.clone(),
        }
    }

    /// The watermark's words, repeated across the page.
    pub fn marks(&self) -> Vec<String> {
        vec![format!("{} · {} · {}", self.operator, self.time, self.operation); 24]
    }
}

/// One element as shown.
pub(crate) struct Shown {
    pub name: &'static str,
    pub meaning: &'static str,
    pub value: String,
}

fn shown(record: &[(Element, ElementValue)]) -> Vec<Shown> {
    record
        .iter()
        .map(|(element, value)| Shown {
            name: element.wire_name(),
            meaning: element.meaning(),
            value: match value {
                ElementValue::Number(n) => n.to_string(),
                ElementValue::Text(text) => text.clone(),
                ElementValue::Date(date) => date.format("%d-%m-%Y").to_string(),
                ElementValue::Missing => "-".to_owned(),
            },
        })
        .collect()
}

/// What a mechanism page shows under its form.
pub(crate) enum Outcome {
    /// Only the form.
    Blank,
    /// The form again, with a message at the field.
    Invalid(String),
    /// The answer.
    Answered {
        label: String,
        stamp: Stamp,
        records: Vec<Vec<Shown>>,
        verdicts: Vec<ElementVerdict>,
        /// The resident's photo as a `data:` URI (photo retrieval only).
        photo: Option<String>,
    },
}

/// A field of the verification form.
pub(crate) struct Field {
    pub name: &'static str,
    pub meaning: &'static str,
    pub value: String,
}

#[derive(Template)]
#[template(path = "mechanism.html")]
struct MechanismPage {
    chrome: Chrome,
    title: &'static str,
    action: &'static str,
    nik: String,
    fields: Vec<Field>,
    threshold: Option<u8>,
    outcome: Outcome,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    agreement: String,
    services: Vec<(&'static str, &'static str)>,
}

/// The page of each mechanism the portal offers.
fn page_of(mechanism: Mechanism, t: &crate::texts::Texts) -> Option<(&'static str, &'static str)> {
    match mechanism {
        Mechanism::CallNik => Some((t.call_nik, "/portal/call-nik")),
        Mechanism::VerifyByElements => Some((t.verify, "/portal/verifikasi")),
        Mechanism::FamilyMembers => Some((t.family, "/portal/anggota-keluarga")),
        Mechanism::Photo => Some((t.photo, "/portal/foto")),
        _ => None,
    }
}

fn operator(signed: &Signed) -> Option<&OperatorDesk> {
    match &signed.desk {
        Desk::Operator(desk) => Some(desk),
        Desk::Registry(_) | Desk::Partner(_) => None,
    }
}

/// `GET /portal`.
pub(crate) async fn home(State(state): State<AppState>, signed: Signed) -> Response {
    let Some(desk) = operator(&signed) else {
        let landing = if matches!(signed.desk, Desk::Partner(_)) { "/portal/mitra" } else { "/portal/konsol" };
        return Redirect::to(landing).into_response();
    };
    let services = desk.mechanisms.iter().filter_map(|m| page_of(*m, signed.visitor.t)).collect();
    let agreement = signed
        .plane
        .agreement(&desk.agreement)
        .map(|a| format!("{} / {}", a.provider_number, a.partner_number))
        .unwrap_or_default();
    render(&HomePage { chrome: Chrome::signed(&signed, &state, None).await, agreement, services })
}

/// The verification form's fields: the elements the portal grant allows,
/// without the NIK (its own field).
fn verification_fields(signed: &Signed, desk: &OperatorDesk, posted: &HashMap<String, String>) -> Vec<Field> {
    let grant = signed
        .plane
        .agreement(&desk.agreement)
        .and_then(|a| a.scope.grant(Mechanism::VerifyByElements, Channel::Portal).cloned());
    grant
        .map(|g| g.elements)
        .unwrap_or_default()
        .into_iter()
        .filter(|e| *e != Element::Nik)
        .map(|e| Field {
            name: e.wire_name(),
            meaning: e.meaning(),
            value: posted.get(e.wire_name()).cloned().unwrap_or_default(),
        })
        .collect()
}

async fn show(
    state: &AppState,
    signed: &Signed,
    mechanism: Mechanism,
    posted: &HashMap<String, String>,
    outcome: Outcome,
    status: StatusCode,
    quota_left: Option<u32>,
) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = operator(signed) else { return view::not_found(t) };
    if !desk.may_use(mechanism) {
        return view::refused(t, &Denial::MechanismNotGranted(mechanism).to_string());
    }
    let Some((title, action)) = page_of(mechanism, t) else { return view::not_found(t) };
    let (fields, threshold) = if mechanism == Mechanism::VerifyByElements {
        let threshold = posted.get("threshold").and_then(|v| v.parse().ok()).unwrap_or(gate::DEFAULT_THRESHOLD);
        (verification_fields(signed, desk, posted), Some(threshold))
    } else {
        (Vec::new(), None)
    };
    let page = MechanismPage {
        chrome: Chrome::signed(signed, state, quota_left).await,
        title,
        action,
        nik: posted.get("nik").cloned().unwrap_or_default(),
        fields,
        threshold,
        outcome,
    };
    render_with(status, &page)
}

/// `GET /portal/call-nik`.
pub(crate) async fn call_nik_form(State(state): State<AppState>, signed: Signed) -> Response {
    show(&state, &signed, Mechanism::CallNik, &HashMap::new(), Outcome::Blank, StatusCode::OK, None).await
}

/// `GET /portal/verifikasi`.
pub(crate) async fn verify_form(State(state): State<AppState>, signed: Signed) -> Response {
    show(&state, &signed, Mechanism::VerifyByElements, &HashMap::new(), Outcome::Blank, StatusCode::OK, None).await
}

/// `GET /portal/anggota-keluarga`.
pub(crate) async fn family_form(State(state): State<AppState>, signed: Signed) -> Response {
    show(&state, &signed, Mechanism::FamilyMembers, &HashMap::new(), Outcome::Blank, StatusCode::OK, None).await
}

/// `GET /portal/foto`.
pub(crate) async fn photo_form(State(state): State<AppState>, signed: Signed) -> Response {
    show(&state, &signed, Mechanism::Photo, &HashMap::new(), Outcome::Blank, StatusCode::OK, None).await
}

/// `POST /portal/foto`: the resident's enrolled face photo, where the
/// agreement grants it in the portal (LPSK).
pub(crate) async fn photo(
    State(state): State<AppState>,
    signed: Signed,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    let ask = Ask::Photo { nik: posted.get("nik").map(|n| n.trim().to_owned()) };
    answer(&state, &signed, posted, ask).await
}

/// A photo as a `data:` URI for an `<img>` (the page's policy allows
/// `data:` images, nothing else from outside).
fn data_uri(photo: &gerbang_web::gate::biometric::StoredPhoto) -> String {
    use base64::Engine as _;
    format!("data:{};base64,{}", photo.media_type, base64::engine::general_purpose::STANDARD.encode(&photo.bytes))
}

/// `POST /portal/call-nik`.
pub(crate) async fn call_nik(
    State(state): State<AppState>,
    signed: Signed,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    let ask = Ask::CallNik { nik: posted.get("nik").map(|n| n.trim().to_owned()) };
    answer(&state, &signed, posted, ask).await
}

/// `POST /portal/verifikasi`.
pub(crate) async fn verify(
    State(state): State<AppState>,
    signed: Signed,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    let nik = posted.get("nik").map(|n| n.trim().to_owned());
    let mut submitted = vec![(Element::Nik, nik.clone().unwrap_or_default())];
    for (key, value) in &posted {
        if let Some(element) = Element::from_wire_name(key).filter(|e| *e != Element::Nik)
            && !value.trim().is_empty()
        {
            submitted.push((element, value.trim().to_owned()));
        }
    }
    let threshold = posted
        .get("threshold")
        .map(|t| t.trim().parse::<u8>().map_err(|_| ()).and_then(|t| if t <= 100 { Ok(t) } else { Err(()) }));
    let ask = Ask::Verify { nik, threshold, submitted, malformed: Vec::new() };
    answer(&state, &signed, posted, ask).await
}

/// `POST /portal/anggota-keluarga`.
pub(crate) async fn family(
    State(state): State<AppState>,
    signed: Signed,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    let ask = Ask::FamilyMembers { nik: posted.get("nik").map(|n| n.trim().to_owned()) };
    answer(&state, &signed, posted, ask).await
}

/// Runs `ask` through the gate and shows what it answered.
async fn answer(state: &AppState, signed: &Signed, posted: HashMap<String, String>, ask: Ask) -> Response {
    let mechanism = ask.mechanism();
    if !posted.get("csrf").is_some_and(|csrf| signed.posted_by_this_session(csrf)) {
        return signed.forged();
    }
    let presented = Presented::Session(signed.desk.user_id().to_owned());
    let Answered { reply, remaining, .. } =
        gate::serve(state, &signed.visitor.caller, "portal", &presented, None, Ok(ask)).await;
    let t = signed.visitor.t;
    let (outcome, status) = match reply {
        Reply::Denied(Denial::QuotaExhausted) => {
            (Outcome::Invalid(Denial::QuotaExhausted.to_string()), StatusCode::TOO_MANY_REQUESTS)
        }
        Reply::Denied(denial) => return view::refused(t, &denial.to_string()),
        Reply::Invalid(error) => (Outcome::Invalid(error.message()), StatusCode::UNPROCESSABLE_ENTITY),
        Reply::Unavailable => return view::unavailable(t),
        Reply::Looked(lookup, payload) => {
            let label = gerbang_web::lookup_label(lookup).to_owned();
            let (label, records, verdicts, photo) = match payload {
                Payload::Record(record) => (label, vec![shown(&record)], Vec::new(), None),
                Payload::Family(members) => (label, members.iter().map(|m| shown(m)).collect(), Vec::new(), None),
                Payload::Verdicts(verdicts) => (label, Vec::new(), verdicts, None),
                Payload::Check(outcome) => (outcome.label().to_owned(), Vec::new(), Vec::new(), None),
                Payload::Photo(Some(photo)) => (label, Vec::new(), Vec::new(), Some(data_uri(&photo))),
                Payload::Photo(None) => (t.photo_not_enrolled.to_owned(), Vec::new(), Vec::new(), None),
                // The operator pages ask none of the matching mechanisms.
                Payload::Nothing | Payload::FaceScore(_) | Payload::FaceCandidates(_) | Payload::Identified(_) => {
                    (label, Vec::new(), Vec::new(), None)
                }
            };
            (Outcome::Answered { label, stamp: Stamp::of(signed), records, verdicts, photo }, StatusCode::OK)
        }
    };
    show(state, signed, mechanism, &posted, outcome, status, Some(remaining)).await
}

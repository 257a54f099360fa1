//! The registry's biometric enrolment at the console (SPEC.md §2, §4.5,
//! §4.6), `/portal/konsol/biometrik`: how much of the register is enrolled,
//! and two forms — a resident's face photo (exactly one face), and one
//! finger's impressions (1–5 images at 500 dpi or ISO/IEC 19794-2
//! templates), each replacing what was enrolled before. Core decides who may
//! enrol whom (`Steward::may_enrol_biometrics`); the server's engine reads,
//! checks and stores the images and updates its 1:N index at once; each
//! enrolment is audited with the NIK as its keyed hash before the page
//! answers. A refused image loses nothing and says why.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use gerbang_core::Nik;
use gerbang_core::biometric::MAX_IMPRESSIONS_PER_FINGER;
use gerbang_web::AppState;
use gerbang_web::biometrics::FingerProbe;
use gerbang_web::gate::event_record;

use crate::console::steward;
use crate::desk::Signed;
use crate::upload::{Upload, read_upload};
use crate::view::{self, Chrome, render_with};

/// Largest upload: five fingerprint images or one phone photo.
const MAX_UPLOAD_BYTES: u64 = 20 << 20;

#[derive(Template)]
#[template(path = "biometrics_console.html")]
struct EnrolmentPage {
    chrome: Chrome,
    faces: u64,
    fingers: u64,
    impressions: u64,
    faces_available: bool,
    fingers_choice: Vec<(u8, &'static str)>,
    max_impressions: usize,
    done: String,
    error: String,
}

/// The ISO finger positions with their names.
const FINGERS: [(u8, &str); 10] = [
    (1, "Ibu jari kanan"),
    (2, "Telunjuk kanan"),
    (3, "Jari tengah kanan"),
    (4, "Jari manis kanan"),
    (5, "Kelingking kanan"),
    (6, "Ibu jari kiri"),
    (7, "Telunjuk kiri"),
    (8, "Jari tengah kiri"),
    (9, "Jari manis kiri"),
    (10, "Kelingking kiri"),
];

async fn page(state: &AppState, signed: &Signed, done: String, error: String) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(signed) else { return view::not_found(t) };
    if signed.visitor.audit(state, None, &steward.user_id, "biometrics.listed").await.is_err() {
        return view::unavailable(t);
    }
    let counts = state.store.biometric_counts().await.unwrap_or(state.biometrics.counts());
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    render_with(
        status,
        &EnrolmentPage {
            chrome: Chrome::signed(signed, state, None).await,
            faces: counts.faces,
            fingers: counts.fingers,
            impressions: counts.impressions,
            faces_available: state.biometrics.faces_available(),
            fingers_choice: FINGERS.to_vec(),
            max_impressions: MAX_IMPRESSIONS_PER_FINGER,
            done,
            error,
        },
    )
}

/// `GET /portal/konsol/biometrik`.
pub(crate) async fn show(State(state): State<AppState>, signed: Signed) -> Response {
    page(&state, &signed, String::new(), String::new()).await
}

/// What an enrolment form carried, once checked: the NIK and the files.
struct Sent {
    nik: Nik,
    files: Vec<Vec<u8>>,
}

/// Reads and checks an enrolment form; `Err` is the page to answer.
async fn read_form(state: &AppState, signed: &Signed, multipart: Multipart) -> Result<(Upload, Sent), Response> {
    let t = signed.visitor.t;
    let Some(steward) = steward(signed) else { return Err(view::not_found(t)) };
    let form = match read_upload(multipart, MAX_UPLOAD_BYTES).await {
        Ok(form) => form,
        Err(stop) => return Err(page(state, signed, String::new(), stop.answer(t, MAX_UPLOAD_BYTES).1).await),
    };
    if !signed.posted_by_this_session(form.field("csrf")) {
        return Err(signed.forged());
    }
    let nik = match Nik::parse(form.field("nik").trim()) {
        Ok(nik) => nik,
        Err(error) => return Err(page(state, signed, String::new(), format!("NIK: {error}")).await),
    };
    if steward.may_enrol_biometrics(&signed.plane, nik).is_err() {
        let why = "Penduduk ini di luar wilayah penyelenggara Anda; pendaftaran biometrik ditolak.".to_owned();
        return Err(page(state, signed, String::new(), why).await);
    }
    let mut files = Vec::new();
    for (file, _) in form.file.iter().chain(form.more_files.iter()) {
        match std::fs::read(file.path()) {
            Ok(bytes) => files.push(bytes),
            Err(_) => return Err(view::unavailable(t)),
        }
    }
    if files.is_empty() {
        return Err(page(state, signed, String::new(), t.rd_no_file.to_owned()).await);
    }
    Ok((form, Sent { nik, files }))
}

/// Audits an enrolment, then shows the page saying `done`.
async fn enrolled(state: &AppState, signed: &Signed, nik: Nik, outcome: &str, done: String) -> Response {
    let key = state.access.hasher.key(nik);
    let user = signed.desk.user_id().to_owned();
    let record = event_record(&signed.visitor.caller, "portal", None, Some(user), Some(key), outcome.to_owned());
    if state.access.audit.record(record).await.is_err() {
        return view::unavailable(signed.visitor.t);
    }
    page(state, signed, done, String::new()).await
}

/// `POST /portal/konsol/biometrik/wajah` (multipart: `nik`, `file`).
pub(crate) async fn enrol_face(State(state): State<AppState>, signed: Signed, multipart: Multipart) -> Response {
    let (_, sent) = match read_form(&state, &signed, multipart).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let Some(photo) = sent.files.into_iter().next() else { return view::unavailable(signed.visitor.t) };
    let by = signed.desk.user_id().to_owned();
    let at = signed.visitor.caller.at;
    match state.biometrics.enrol_face(state.store.as_ref(), sent.nik, photo, &by, at).await {
        Ok(_) => {
            let done = format!("Foto wajah NIK {} terdaftar.", sent.nik);
            enrolled(&state, &signed, sent.nik, "admin.face_enrolled", done).await
        }
        Err(failure) => page(&state, &signed, String::new(), format!("Foto ditolak: {failure}")).await,
    }
}

/// `POST /portal/konsol/biometrik/sidik-jari` (multipart: `nik`, `finger`,
/// `kind` image/template, one or more `file`).
pub(crate) async fn enrol_fingerprints(
    State(state): State<AppState>,
    signed: Signed,
    multipart: Multipart,
) -> Response {
    let (form, sent) = match read_form(&state, &signed, multipart).await {
        Ok(read) => read,
        Err(answer) => return answer,
    };
    let Ok(finger) = form.field("finger").trim().parse::<u8>() else {
        return page(&state, &signed, String::new(), "Pilih posisi jari 1–10.".into()).await;
    };
    let as_template = form.field("kind") == "template";
    let probes = sent
        .files
        .into_iter()
        .map(|bytes| if as_template { FingerProbe::Template(bytes) } else { FingerProbe::Image(bytes) })
        .collect();
    let by = signed.desk.user_id().to_owned();
    let at = signed.visitor.caller.at;
    match state.biometrics.enrol_fingerprints(state.store.as_ref(), sent.nik, finger, probes, &by, at).await {
        Ok(enrolment) => {
            let done =
                format!("Jari {finger} NIK {} terdaftar dengan {} rekaman.", sent.nik, enrolment.impressions.len());
            enrolled(&state, &signed, sent.nik, "admin.fingerprints_enrolled", done).await
        }
        Err(failure) => page(&state, &signed, String::new(), format!("Sidik jari ditolak: {failure}")).await,
    }
}

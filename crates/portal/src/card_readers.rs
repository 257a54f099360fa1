//! The partner's KTP-el card readers in the portal (SPEC.md §6): its
//! administrator registers each reader with its SAM card and sees where
//! each stands (registered, personalized, active, deactivated) and whether
//! the configuration file's return was recorded. Personalizing, activating
//! and deactivating are the registry's (`/api/v1/admin/sams/…`); what a
//! partner may register is decided in core (`register_sam`).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::card_reader::{NewSam, Sam, SamError};
use gerbang_web::AppState;
use serde::Deserialize;

use crate::desk::Signed;
use crate::partner::partner_desk;
use crate::view::{self, Chrome, render_with};

const PAGE: &str = "/portal/mitra/pembaca-kartu";

/// A SAM as listed.
struct SamRow {
    id: String,
    reader_serial: String,
    reader_model: String,
    status: &'static str,
    status_label: &'static str,
    registered_on: String,
    config_returned: bool,
}

#[derive(Template)]
#[template(path = "card_readers.html")]
struct CardReadersPage {
    chrome: Chrome,
    institution_name: String,
    sams: Vec<SamRow>,
    form: NewSamForm,
    error: String,
}

/// The registration form, as posted.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct NewSamForm {
    csrf: String,
    sam: String,
    reader_serial: String,
    reader_model: String,
}

fn row(sam: &Sam, signed: &Signed) -> SamRow {
    let status = sam.status(&signed.plane, signed.visitor.caller.at);
    SamRow {
        id: sam.id.clone(),
        reader_serial: sam.reader_serial.clone(),
        reader_model: sam.reader_model.clone(),
        status: status.name(),
        status_label: status.label(),
        registered_on: gerbang_core::clock::jakarta_date(sam.registered.at).format("%d-%m-%Y").to_string(),
        config_returned: sam.config_returned.is_some(),
    }
}

async fn page(state: &AppState, signed: &Signed, form: NewSamForm, error: String) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(signed) else { return view::not_found(t) };
    let institution = Some(desk.institution.clone());
    if signed.visitor.audit(state, institution, &desk.user_id, "card_readers.listed").await.is_err() {
        return view::unavailable(t);
    }
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CardReadersPage {
        chrome: Chrome::signed(signed, state, None).await,
        institution_name: desk.institution_name.clone(),
        sams: signed.plane.sams_of(&desk.institution).map(|s| row(s, signed)).collect(),
        form,
        error,
    };
    render_with(status, &page)
}

/// `GET /portal/mitra/pembaca-kartu`.
pub(crate) async fn show(State(state): State<AppState>, signed: Signed) -> Response {
    page(&state, &signed, NewSamForm::default(), String::new()).await
}

/// `POST /portal/mitra/pembaca-kartu`: registers a reader and its SAM.
pub(crate) async fn register(State(state): State<AppState>, signed: Signed, Form(form): Form<NewSamForm>) -> Response {
    let t = signed.visitor.t;
    let Some(desk) = partner_desk(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let new = NewSam {
        id: form.sam.clone(),
        reader_serial: form.reader_serial.clone(),
        reader_model: form.reader_model.clone(),
    };
    let write = match signed.plane.register_sam(desk, new, signed.visitor.caller.at) {
        Ok(write) => write,
        Err(error) => {
            let message = match &error {
                SamError::Field { field, problem } => format!("{}: {problem}", field_label(t, field)),
                other => other.to_string(),
            };
            return page(&state, &signed, form, message).await;
        }
    };
    match signed.administer(&state, &desk.institution, "sam_register", vec![write]).await {
        Ok(()) => Redirect::to(PAGE).into_response(),
        Err(refused) => refused,
    }
}

fn field_label(t: &crate::texts::Texts, field: &str) -> &'static str {
    match field {
        "sam" => t.sam_serial,
        "reader_serial" => t.reader_serial,
        _ => t.reader_model,
    }
}

//! The registry's KTP-el readers at the console (SPEC.md §6): every SAM of
//! the partners this administrator manages, with the next step for each —
//! personalize (the answer is the configuration file, downloaded once: the
//! only copy of the SAM's secret key), activate, deactivate with a reason,
//! record the configuration file's return. Core decides every step
//! (`personalize_sam`, `activate_sam`, `deactivate_sam`,
//! `record_config_return`); each is audited before the page answers.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::card_reader::{SamConfig, SamStatus};
use gerbang_web::AppState;
use serde::Deserialize;

use crate::console::steward;
use crate::desk::Signed;
use crate::view::{self, Chrome, render_with};

const PAGE: &str = "/portal/konsol/pembaca-kartu";

/// A SAM as the console lists it.
struct SamRow {
    id: String,
    institution: String,
    reader: String,
    status: &'static str,
    status_label: &'static str,
    config_returned: bool,
    can_personalize: bool,
    can_activate: bool,
    can_deactivate: bool,
    can_record_return: bool,
}

#[derive(Template)]
#[template(path = "card_readers_console.html")]
struct ConsolePage {
    chrome: Chrome,
    sams: Vec<SamRow>,
    error: String,
}

async fn page(state: &AppState, signed: &Signed, error: String) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(signed) else { return view::not_found(t) };
    if signed.visitor.audit(state, None, &steward.user_id, "card_readers.listed").await.is_err() {
        return view::unavailable(t);
    }
    let now = signed.visitor.caller.at;
    let sams = signed
        .plane
        .sams()
        .filter(|sam| steward.manages(&signed.plane, &sam.institution).is_ok())
        .map(|sam| {
            let status = sam.status(&signed.plane, now);
            SamRow {
                id: sam.id.clone(),
                institution: sam.institution.clone(),
                reader: format!("{} · {}", sam.reader_serial, sam.reader_model),
                status: status.name(),
                status_label: status.label(),
                config_returned: sam.config_returned.is_some(),
                can_personalize: matches!(status, SamStatus::Registered | SamStatus::Personalized),
                can_activate: status == SamStatus::Personalized,
                can_deactivate: sam.deactivated.is_none(),
                can_record_return: status == SamStatus::Deactivated
                    && sam.personalized.is_some()
                    && sam.config_returned.is_none(),
            }
        })
        .collect();
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::CONFLICT };
    render_with(status, &ConsolePage { chrome: Chrome::signed(signed, state, None).await, sams, error })
}

/// `GET /portal/konsol/pembaca-kartu`.
pub(crate) async fn list(State(state): State<AppState>, signed: Signed) -> Response {
    page(&state, &signed, String::new()).await
}

/// A step asked at the console.
#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct StepForm {
    csrf: String,
    /// `personalize`, `activate`, `deactivate` or `config_return`.
    action: String,
    reason: String,
}

/// The configuration file as downloaded.
fn config_file(config: &SamConfig) -> Response {
    let body = serde_json::to_string_pretty(config).unwrap_or_default();
    let disposition = format!("attachment; filename=\"sam-{}.json\"", config.sam);
    ([(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response()
}

/// `POST /portal/konsol/pembaca-kartu/{id}`: one step of a SAM.
pub(crate) async fn step(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let now = signed.visitor.caller.at;
    let plane = &signed.plane;
    let mut config = None;
    let decided = match form.action.as_str() {
        "personalize" => {
            let mut secret = [0u8; 32];
            if getrandom::fill(&mut secret).is_err() {
                return view::unavailable(t);
            }
            plane.personalize_sam(steward, &id, secret, now).map(|(write, file)| {
                config = Some(file);
                write
            })
        }
        "activate" => plane.activate_sam(steward, &id, now),
        "deactivate" => plane.deactivate_sam(steward, &id, &form.reason, now),
        "config_return" => plane.record_config_return(steward, &id, now),
        _ => return view::not_found(t),
    };
    let write = match decided {
        Ok(write) => write,
        Err(error) if error.code() == "sam.not_found" => return view::not_found(t),
        Err(error) => return page(&state, &signed, error.to_string()).await,
    };
    let institution = plane.sam(&id).map(|s| s.institution.clone()).unwrap_or_default();
    let operation = format!("sam_{}", form.action);
    if let Err(refused) = signed.administer(&state, &institution, &operation, vec![write]).await {
        return refused;
    }
    match config {
        Some(config) => config_file(&config),
        None => Redirect::to(PAGE).into_response(),
    }
}

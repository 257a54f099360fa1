//! The console's alerts page, `/portal/konsol/peringatan` (issue 8,
//! hardening): what the sentinel raised about the partners the
//! administrator manages — canary residents touched, NIK enumeration, bulk
//! access outside working hours — open ones first, each with its evidence
//! (operation ids to look up in the audit search) and a form to mark it
//! acknowledged (audited as `admin.alert_acknowledge`). Which alerts are
//! shown and acknowledged is `core`'s decision (`alert::visible_to`);
//! anything else answers 404.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::alert::{Alert, visible_to};
use gerbang_web::AppState;
use gerbang_web::alerts_api::visible_alerts;
use gerbang_web::gate::event_record;
use serde::Deserialize;

use crate::console::steward;
use crate::desk::Signed;
use crate::view::{self, Chrome, render, wib};

/// One alert as listed.
pub(crate) struct AlertRow {
    pub id: u64,
    pub kind: &'static str,
    pub label: &'static str,
    pub partner: String,
    pub user_id: String,
    pub period: String,
    pub count: u64,
    pub detail: String,
    pub operations: String,
    pub acknowledged: String,
}

fn row(alert: &Alert, by: &str) -> AlertRow {
    const WHEN: &str = "%Y-%m-%d %H:%M";
    AlertRow {
        id: alert.id,
        kind: alert.kind.code(),
        label: alert.kind.label(),
        partner: alert.institution.clone(),
        user_id: alert.user_id.clone(),
        period: format!("{} – {}", wib(alert.first_at, WHEN), wib(alert.last_at, WHEN)),
        count: alert.count,
        detail: alert.detail.clone(),
        operations: alert.operations.join(" "),
        acknowledged: alert
            .acknowledged
            .as_ref()
            .map(|a| format!("{by} {} · {}", a.by, wib(a.at, WHEN)))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct AlertsPage {
    chrome: Chrome,
    open: Vec<AlertRow>,
    acknowledged: Vec<AlertRow>,
}

/// `GET /portal/konsol/peringatan`.
pub(crate) async fn list(State(state): State<AppState>, signed: Signed) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let alerts = match visible_alerts(&state, steward, &signed.plane).await {
        Ok(alerts) => alerts,
        Err(error) => {
            tracing::error!(code = error.code(), %error, "peringatan tidak dapat dibaca");
            return view::unavailable(t);
        }
    };
    let (open, acknowledged): (Vec<&Alert>, Vec<&Alert>) = alerts.iter().partition(|alert| alert.is_open());
    let by = t.alert.acknowledged_by;
    render(&AlertsPage {
        chrome: Chrome::signed(&signed, &state, None).await,
        open: open.into_iter().map(|alert| row(alert, by)).collect(),
        acknowledged: acknowledged.into_iter().map(|alert| row(alert, by)).collect(),
    })
}

/// The acknowledge form.
#[derive(Deserialize)]
pub(crate) struct Acknowledge {
    #[serde(default)]
    csrf: String,
}

/// `POST /portal/konsol/peringatan/{id}`: marks the alert acknowledged.
pub(crate) async fn acknowledge(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<u64>,
    Form(form): Form<Acknowledge>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let alert = match state.store.alert(id).await {
        Ok(alert) => alert.filter(|alert| visible_to(steward, &signed.plane, &alert.institution)),
        Err(error) => {
            tracing::error!(code = error.code(), %error, "peringatan tidak dapat dibaca");
            return view::unavailable(t);
        }
    };
    let Some(alert) = alert else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let caller = &signed.visitor.caller;
    let acknowledged = state.store.acknowledge_alert(alert.id, &steward.user_id, caller.at).await;
    let record = event_record(
        caller,
        "portal",
        Some(alert.institution.clone()),
        Some(steward.user_id.clone()),
        None,
        "admin.alert_acknowledge".to_owned(),
    );
    let recorded = match acknowledged {
        Ok(_) => state.access.audit.record(record).await.map(|_| ()),
        Err(error) => Err(error),
    };
    if let Err(error) = recorded {
        tracing::error!(code = error.code(), %error, "tindak lanjut peringatan gagal disimpan");
        return view::unavailable(t);
    }
    Redirect::to("/portal/konsol/peringatan").into_response()
}

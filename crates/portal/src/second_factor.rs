//! The security page (`/portal/keamanan`), for every signed-in desk: turns
//! the second factor ([`crate::totp`]) on and off for one's own User ID
//! (issue 4 §1).
//!
//! Turning it on shows a fresh key that stays in the session, not in the
//! control plane, until a code from the authenticator app proves it was
//! copied; only then is it stored. Turning it off needs a current code too,
//! so a session left open is not enough to drop the factor, and a wrong code
//! there counts toward the sign-in lockout. Each change is written to the
//! control plane and recorded as `admin.totp_enable` / `admin.totp_disable`
//! before the answer.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::access::{AdminError, ControlWrite};
use gerbang_web::AppState;
use serde::Deserialize;

use crate::desk::{SESSION_COOKIE, Signed};
use crate::totp::{self, Key, QrPicture};
use crate::view::{self, Chrome, render_with};

/// Where the page lives.
const PAGE: &str = "/portal/keamanan";

/// A key being enrolled, as shown.
pub(crate) struct EnrolmentView {
    /// The key in groups of four.
    pub key: String,
    pub uri: String,
    /// `None` if the URI did not fit a QR code; the key is still shown.
    pub qr: Option<QrPicture>,
}

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    chrome: Chrome,
    enabled: bool,
    enrolment: Option<EnrolmentView>,
    /// The message at the code field.
    error: Option<&'static str>,
}

/// The security page's form as posted: `action` is `start`, `cancel`,
/// `confirm` or `disable`.
#[derive(Deserialize)]
pub(crate) struct Change {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    code: String,
}

/// Whether the signed-in account has the second factor on.
fn enabled(signed: &Signed) -> bool {
    signed.plane.account(signed.desk.user_id()).is_some_and(|a| a.totp_secret.is_some())
}

async fn security_page(state: &AppState, signed: &Signed, status: StatusCode, error: Option<&'static str>) -> Response {
    let enabled = enabled(signed);
    let user_id = signed.desk.user_id();
    let enrolment = signed.session.enrolling.as_ref().filter(|_| !enabled).map(|key| {
        let uri = totp::otpauth_uri(user_id, &key.0);
        EnrolmentView { key: totp::grouped(&key.0), qr: totp::qr_picture(&uri), uri }
    });
    let page = SecurityPage { chrome: Chrome::signed(signed, state, None).await, enabled, enrolment, error };
    render_with(status, &page)
}

/// `GET /portal/keamanan`.
pub(crate) async fn page(State(state): State<AppState>, signed: Signed) -> Response {
    security_page(&state, &signed, StatusCode::OK, None).await
}

/// `POST /portal/keamanan`.
pub(crate) async fn change(State(state): State<AppState>, signed: Signed, Form(form): Form<Change>) -> Response {
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let sessions = &signed.visitor.sessions;
    let on = enabled(&signed);
    match form.action.as_str() {
        "start" if !on => {
            let Ok(key) = totp::new_key() else { return view::unavailable(signed.visitor.t) };
            sessions.start_enrolment(&signed.token, key);
        }
        "cancel" => sessions.end_enrolment(&signed.token),
        "confirm" if !on => return confirm(&state, &signed, &form.code).await,
        "disable" if on => return disable(&state, &signed, &form.code).await,
        // A stale form (already on, already off) or an unknown action: the
        // page as it now is says where things stand.
        _ => {}
    }
    Redirect::to(PAGE).into_response()
}

/// Stores the key being enrolled once `code` shows the app has it.
async fn confirm(state: &AppState, signed: &Signed, code: &str) -> Response {
    let t = signed.visitor.t;
    let invalid = |message| security_page(state, signed, StatusCode::UNPROCESSABLE_ENTITY, Some(message));
    let Some(enrolment) = signed.session.enrolling.as_ref() else { return invalid(t.two_step_not_started).await };
    let Some(code) = totp::typed_code(code) else { return invalid(t.code_malformed).await };
    let Some(key) = Key::from_base32(&enrolment.0) else { return view::unavailable(t) };
    if !spend(signed, &key, &code) {
        return invalid(t.code_wrong).await;
    }
    let write = signed.plane.set_totp_secret(signed.desk.user_id(), Some(enrolment.0.clone()));
    if let Err(page) = commit(state, signed, "totp_enable", write).await {
        return page;
    }
    signed.visitor.sessions.end_enrolment(&signed.token);
    Redirect::to(PAGE).into_response()
}

/// Removes the stored key once `code` is a current one.
async fn disable(state: &AppState, signed: &Signed, code: &str) -> Response {
    let t = signed.visitor.t;
    let invalid = |message| security_page(state, signed, StatusCode::UNPROCESSABLE_ENTITY, Some(message));
    let Some(code) = totp::typed_code(code) else { return invalid(t.code_malformed).await };
    let user_id = signed.desk.user_id();
    let stored = signed.plane.account(user_id).and_then(|a| a.totp_secret.as_deref());
    let Some(key) = stored.and_then(Key::from_base32) else {
        tracing::error!(user_id, "kunci TOTP akun tidak dapat dibaca");
        return view::unavailable(t);
    };
    if !spend(signed, &key, &code) {
        if let Some(answer) = wrong_code(state, signed).await {
            return answer;
        }
        return invalid(t.code_wrong).await;
    }
    signed.visitor.sessions.succeeded(user_id);
    if let Err(page) = commit(state, signed, "totp_disable", signed.plane.set_totp_secret(user_id, None)).await {
        return page;
    }
    Redirect::to(PAGE).into_response()
}

/// Whether `code` is `key`'s current code, not used before; if so it is
/// spent.
fn spend(signed: &Signed, key: &Key, code: &str) -> bool {
    let user_id = signed.desk.user_id();
    let sessions = &signed.visitor.sessions;
    key.accepted_step(code, signed.visitor.caller.at, sessions.last_step(user_id))
        .is_some_and(|step| sessions.spend_step(user_id, step))
}

/// Counts and audits a wrong code when turning the factor off. `Some` is
/// the answer when that ends the session (a lockout) or the audit failed;
/// `None`: say so at the field.
async fn wrong_code(state: &AppState, signed: &Signed) -> Option<Response> {
    let user_id = signed.desk.user_id();
    let visitor = &signed.visitor;
    let lockout = visitor.sessions.failed(user_id, visitor.caller.at);
    if lockout.is_some() {
        visitor.sessions.close_all_of(user_id);
    }
    let institution = signed.plane.account(user_id).map(|a| a.holder.clone());
    if visitor.audit(state, institution, user_id, "access.totp_failed").await.is_err() {
        return Some(view::unavailable(visitor.t));
    }
    let message = crate::signin::locked_message(lockout?);
    let jar = visitor.jar.clone().remove(visitor.cookie(SESSION_COOKIE, String::new()));
    Some((jar, view::refused_with(visitor.t, StatusCode::TOO_MANY_REQUESTS, &message)).into_response())
}

/// Writes the change through the portal's one apply-then-audit path
/// (`admin.{operation}` of the signed-in user, filed under the account's
/// holder). `Err` is the page to answer.
async fn commit(
    state: &AppState,
    signed: &Signed,
    operation: &str,
    write: Result<ControlWrite, AdminError>,
) -> Result<(), Response> {
    let t = signed.visitor.t;
    let write = write.map_err(|error| {
        tracing::error!(code = error.code(), %error, operation, "perubahan verifikasi dua langkah ditolak");
        view::unavailable(t)
    })?;
    let holder = signed.plane.account(signed.desk.user_id()).map(|a| a.holder.clone()).unwrap_or_default();
    signed.administer(state, &holder, operation, vec![write]).await?;
    Ok(())
}

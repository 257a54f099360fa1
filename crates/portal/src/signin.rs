//! Signing in and out, and choosing the language. A sign-in checks the
//! form's double-submitted token, the User ID's lockout, the password
//! (argon2id, through the same verified-password cache and turns as the web
//! service), then the portal's guards; only then is a new session opened.
//! An account with a second factor ([`crate::totp`]) gets no session for
//! its password: it gets a pending sign-in and the code form
//! (`/portal/masuk/kode`), where a wrong code counts toward the same
//! lockout as a wrong password. Every attempt, failed or not, is audited
//! before the answer.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::access::{Authentication, Desk, admit_to_portal};
use gerbang_core::clock::jakarta_date;
use gerbang_web::AppState;
use gerbang_web::gate::{Presented, authenticate};
use serde::Deserialize;

use crate::desk::{CODE_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE, SIGN_IN_COOKIE, Signed, Visitor};
use crate::session::{Gate, new_token, same_token};
use crate::totp::{self, Key};
use crate::view::{self, Chrome, render_with};

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    chrome: Chrome,
    csrf: String,
    user_id: String,
    error: Option<String>,
}

/// The sign-in form as posted.
#[derive(Deserialize)]
pub(crate) struct SignIn {
    #[serde(default)]
    user_id: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePage {
    chrome: Chrome,
    csrf: String,
    error: Option<String>,
}

/// The code form as posted.
#[derive(Deserialize)]
pub(crate) struct Code {
    #[serde(default)]
    code: String,
    #[serde(default)]
    csrf: String,
}

/// A form with only its CSRF token.
#[derive(Deserialize)]
pub(crate) struct Token {
    #[serde(default)]
    csrf: String,
}

/// Shows the sign-in form with a fresh form token (in a cookie and a
/// hidden field); a sign-in still waiting for its code is dropped.
fn sign_in_page(visitor: Visitor, status: StatusCode, user_id: String, error: Option<String>) -> Response {
    let Ok(csrf) = new_token() else { return view::unavailable(visitor.t) };
    let mut jar = visitor.jar.clone();
    if let Some(pending) = jar.get(CODE_COOKIE) {
        visitor.sessions.release(pending.value());
        jar = jar.remove(visitor.cookie(CODE_COOKIE, String::new()));
    }
    let jar = jar.add(visitor.cookie(SIGN_IN_COOKIE, csrf.clone()));
    let page = SignInPage { chrome: Chrome::visitor(visitor.t), csrf, user_id, error };
    (jar, render_with(status, &page)).into_response()
}

/// `GET /portal/masuk`.
pub(crate) async fn form(visitor: Visitor) -> Response {
    let signed_in =
        visitor.jar.get(SESSION_COOKIE).is_some_and(|c| visitor.sessions.find(c.value(), visitor.caller.at).is_some());
    if signed_in {
        return Redirect::to("/portal").into_response();
    }
    sign_in_page(visitor, StatusCode::OK, String::new(), None)
}

/// `POST /portal/masuk`.
pub(crate) async fn submit(State(state): State<AppState>, visitor: Visitor, Form(form): Form<SignIn>) -> Response {
    let planted = visitor.jar.get(SIGN_IN_COOKIE).map(|c| c.value().to_owned()).unwrap_or_default();
    if planted.is_empty() || !same_token(&planted, &form.csrf) {
        let message = visitor.t.forged_form.to_owned();
        return sign_in_page(visitor, StatusCode::FORBIDDEN, form.user_id, Some(message));
    }
    let user_id = form.user_id.trim().to_owned();
    let now = visitor.caller.at;
    if let Gate::Locked(until) = visitor.sessions.gate(&user_id, now) {
        if visitor.audit(&state, None, &user_id, "portal.locked").await.is_err() {
            return view::unavailable(visitor.t);
        }
        return sign_in_page(visitor, StatusCode::TOO_MANY_REQUESTS, user_id, Some(locked_message(until)));
    }
    let plane = state.plane();
    let presented = Presented::Password { user_id: user_id.clone(), password: form.password };
    let authentication = authenticate(&state, &plane, &presented, &visitor.caller).await;
    let admitted = admit_to_portal(&plane, authentication, visitor.caller.source_ip, jakarta_date(now));
    let institution = plane.account(&user_id).map(|a| a.holder.clone());
    let desk = match admitted {
        Ok(desk) => desk,
        Err(denial) => {
            let wrong_password = matches!(
                denial,
                gerbang_core::access::Denial::LoginFailed | gerbang_core::access::Denial::CredentialsMissing
            );
            let lockout = if wrong_password { visitor.sessions.failed(&user_id, now) } else { None };
            if lockout.is_some() {
                visitor.sessions.close_all_of(&user_id);
            }
            if visitor.audit(&state, institution, &user_id, denial.code()).await.is_err() {
                return view::unavailable(visitor.t);
            }
            let (status, message) = match lockout {
                Some(until) => (StatusCode::TOO_MANY_REQUESTS, locked_message(until)),
                None if wrong_password => (StatusCode::UNAUTHORIZED, "User ID atau kata sandi salah".to_owned()),
                None if denial == gerbang_core::access::Denial::LockedOut => {
                    (StatusCode::TOO_MANY_REQUESTS, denial.to_string())
                }
                None => (StatusCode::FORBIDDEN, denial.to_string()),
            };
            return sign_in_page(visitor, status, user_id, Some(message));
        }
    };
    if plane.account(&user_id).is_some_and(|a| a.totp_secret.is_some()) {
        // The failures are not forgotten for a password alone: each correct
        // password would otherwise buy a guesser of codes five more tries.
        let Ok((token, _)) = visitor.sessions.hold(&user_id, now) else { return view::unavailable(visitor.t) };
        if visitor.audit(&state, institution, &user_id, "portal.code_asked").await.is_err() {
            visitor.sessions.release(&token);
            return view::unavailable(visitor.t);
        }
        let jar = visitor
            .jar
            .clone()
            .remove(visitor.cookie(SIGN_IN_COOKIE, String::new()))
            .add(visitor.cookie(CODE_COOKIE, token));
        return (jar, Redirect::to("/portal/masuk/kode")).into_response();
    }
    visitor.sessions.succeeded(&user_id);
    open_session(&state, visitor, &user_id, institution, &desk).await
}

/// The lockout as said on the sign-in form.
pub(crate) fn locked_message(until: chrono::DateTime<chrono::Utc>) -> String {
    format!("User ID dikunci sampai {} karena kata sandi atau kode salah berulang kali", view::wib(until, "%H:%M"))
}

/// Opens a session for a complete sign-in, audits it, and lands the desk
/// on its first page.
async fn open_session(
    state: &AppState,
    visitor: Visitor,
    user_id: &str,
    institution: Option<String>,
    desk: &Desk,
) -> Response {
    let Ok((token, _)) = visitor.sessions.open(user_id, visitor.caller.at) else {
        return view::unavailable(visitor.t);
    };
    if visitor.audit(state, institution, user_id, "portal.sign_in").await.is_err() {
        visitor.sessions.close(&token);
        return view::unavailable(visitor.t);
    }
    let landing = match desk {
        Desk::Operator(_) => "/portal",
        Desk::Registry(_) => "/portal/konsol",
        Desk::Partner(_) => "/portal/mitra",
    };
    let jar = visitor
        .jar
        .clone()
        .remove(visitor.cookie(SIGN_IN_COOKIE, String::new()))
        .remove(visitor.cookie(CODE_COOKIE, String::new()))
        .add(visitor.cookie(SESSION_COOKIE, token));
    (jar, Redirect::to(landing)).into_response()
}

/// The pending sign-in of the code cookie, with the cookie's token.
fn waiting(visitor: &Visitor) -> Option<(String, crate::session::Pending)> {
    let token = visitor.jar.get(CODE_COOKIE)?.value().to_owned();
    let pending = visitor.sessions.pending(&token, visitor.caller.at)?;
    Some((token, pending))
}

/// Shows the code form; `csrf` is the pending sign-in's own token.
fn code_page(visitor: Visitor, status: StatusCode, csrf: String, error: Option<String>) -> Response {
    render_with(status, &CodePage { chrome: Chrome::visitor(visitor.t), csrf, error })
}

/// `GET /portal/masuk/kode`: the second step of a sign-in.
pub(crate) async fn code_form(visitor: Visitor) -> Response {
    match waiting(&visitor) {
        Some((_, pending)) => code_page(visitor, StatusCode::OK, pending.csrf, None),
        None => {
            let jar = visitor.jar.clone().remove(visitor.cookie(CODE_COOKIE, String::new()));
            (jar, Redirect::to("/portal/masuk")).into_response()
        }
    }
}

/// `POST /portal/masuk/kode`: a code from the account's authenticator app
/// (issue 4 §1). The guards run again, since minutes may have passed since
/// the password.
pub(crate) async fn code_submit(State(state): State<AppState>, visitor: Visitor, Form(form): Form<Code>) -> Response {
    let t = visitor.t;
    let now = visitor.caller.at;
    let Some((token, pending)) = waiting(&visitor) else {
        return sign_in_page(visitor, StatusCode::UNAUTHORIZED, String::new(), Some(t.code_expired.to_owned()));
    };
    if !same_token(&pending.csrf, &form.csrf) {
        return code_page(visitor, StatusCode::FORBIDDEN, pending.csrf, Some(t.forged_form.to_owned()));
    }
    let user_id = pending.user_id;
    let plane = state.plane();
    let account = plane.account(&user_id);
    let institution = account.map(|a| a.holder.clone());
    if let Gate::Locked(until) = visitor.sessions.gate(&user_id, now) {
        if visitor.audit(&state, institution, &user_id, "portal.locked").await.is_err() {
            return view::unavailable(t);
        }
        return sign_in_page(visitor, StatusCode::TOO_MANY_REQUESTS, user_id, Some(locked_message(until)));
    }
    let authentication = account.map_or(Authentication::Failed, Authentication::Verified);
    let desk = match admit_to_portal(&plane, authentication, visitor.caller.source_ip, jakarta_date(now)) {
        Ok(desk) => desk,
        Err(denial) => {
            if visitor.audit(&state, institution, &user_id, denial.code()).await.is_err() {
                return view::unavailable(t);
            }
            return sign_in_page(visitor, StatusCode::FORBIDDEN, user_id, Some(denial.to_string()));
        }
    };
    // Turned off from another session meanwhile: the password is asked again.
    let Some(secret) = account.and_then(|a| a.totp_secret.as_deref()) else {
        return sign_in_page(visitor, StatusCode::UNAUTHORIZED, user_id, Some(t.code_expired.to_owned()));
    };
    let Some(key) = Key::from_base32(secret) else {
        tracing::error!(user_id, "kunci TOTP akun tidak dapat dibaca");
        return view::unavailable(t);
    };
    let Some(code) = totp::typed_code(&form.code) else {
        return code_page(visitor, StatusCode::UNPROCESSABLE_ENTITY, pending.csrf, Some(t.code_malformed.to_owned()));
    };
    let sessions = &visitor.sessions;
    let accepted = key
        .accepted_step(&code, now, sessions.last_step(&user_id))
        .is_some_and(|step| sessions.spend_step(&user_id, step));
    if !accepted {
        let lockout = sessions.failed(&user_id, now);
        if lockout.is_some() {
            sessions.close_all_of(&user_id);
        }
        if visitor.audit(&state, institution, &user_id, "access.totp_failed").await.is_err() {
            return view::unavailable(t);
        }
        return match lockout {
            Some(until) => sign_in_page(visitor, StatusCode::TOO_MANY_REQUESTS, user_id, Some(locked_message(until))),
            None => code_page(visitor, StatusCode::UNAUTHORIZED, pending.csrf, Some(t.code_wrong.to_owned())),
        };
    }
    sessions.release(&token);
    sessions.succeeded(&user_id);
    open_session(&state, visitor, &user_id, institution, &desk).await
}

/// `POST /portal/keluar`.
pub(crate) async fn sign_out(State(state): State<AppState>, signed: Signed, Form(form): Form<Token>) -> Response {
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    if let Some(token) = signed.visitor.jar.get(SESSION_COOKIE) {
        signed.visitor.sessions.close(token.value());
    }
    let institution = signed.plane.account(signed.desk.user_id()).map(|a| a.holder.clone());
    if signed.visitor.audit(&state, institution, signed.desk.user_id(), "portal.sign_out").await.is_err() {
        return view::unavailable(signed.visitor.t);
    }
    let jar = signed.visitor.jar.clone().remove(signed.visitor.cookie(SESSION_COOKIE, String::new()));
    (jar, Redirect::to("/portal/masuk")).into_response()
}

/// `GET /portal/bahasa/{id|en}`: remembers the language for a year.
pub(crate) async fn language(visitor: Visitor, Path(code): Path<String>) -> Response {
    let code = if code == "en" { "en" } else { "id" };
    let mut cookie = visitor.cookie(LANGUAGE_COOKIE, code.to_owned());
    cookie.set_max_age(time::Duration::days(365));
    let jar = visitor.jar.clone().add(cookie);
    (jar, Redirect::to("/portal")).into_response()
}

//! Signing in and out, and choosing the language. A sign-in checks the
//! form's double-submitted token, the User ID's lockout, the password
//! (argon2id, through the same verified-password cache and turns as the web
//! service), then the portal's guards; only then is a new session opened.
//! Every attempt, failed or not, is audited before the answer.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use gerbang_core::access::{Desk, admit_to_portal};
use gerbang_core::clock::jakarta_date;
use gerbang_web::AppState;
use gerbang_web::gate::{Presented, authenticate};
use serde::Deserialize;

use crate::desk::{LANGUAGE_COOKIE, SESSION_COOKIE, SIGN_IN_COOKIE, Signed, Visitor};
use crate::session::{Gate, new_token, same_token};
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

/// A form with only its CSRF token.
#[derive(Deserialize)]
pub(crate) struct Token {
    #[serde(default)]
    csrf: String,
}

/// Shows the sign-in form with a fresh form token (in a cookie and a
/// hidden field).
fn sign_in_page(visitor: Visitor, status: StatusCode, user_id: String, error: Option<String>) -> Response {
    let Ok(csrf) = new_token() else { return view::unavailable(visitor.t) };
    let jar = visitor.jar.clone().add(visitor.cookie(SIGN_IN_COOKIE, csrf.clone()));
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
    let locked_message = |until: chrono::DateTime<chrono::Utc>| {
        format!("User ID dikunci sampai {} karena kata sandi salah berulang kali", view::wib(until, "%H:%M"))
    };
    if let Gate::Locked(until) = visitor.sessions.gate(&user_id, now) {
        if visitor.audit(&state, None, &user_id, "portal.locked").await.is_err() {
            return view::unavailable(visitor.t);
        }
        return sign_in_page(visitor, StatusCode::TOO_MANY_REQUESTS, user_id, Some(locked_message(until)));
    }
    let plane = state.plane();
    let presented = Presented::Password { user_id: user_id.clone(), password: form.password };
    let authentication = authenticate(&state, &plane, &presented).await;
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
                None => (StatusCode::FORBIDDEN, denial.to_string()),
            };
            return sign_in_page(visitor, status, user_id, Some(message));
        }
    };
    visitor.sessions.succeeded(&user_id);
    let Ok((token, _)) = visitor.sessions.open(&user_id, now) else { return view::unavailable(visitor.t) };
    if visitor.audit(&state, institution, &user_id, "portal.sign_in").await.is_err() {
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
        .add(visitor.cookie(SESSION_COOKIE, token));
    (jar, Redirect::to(landing)).into_response()
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

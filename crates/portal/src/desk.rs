//! Who is at the portal: the extractors every page starts with. [`Signed`]
//! finds the session of the cookie and runs `core`'s portal guards on every
//! page load, so a terminated agreement, a suspended partner, a disabled
//! User ID or a foreign address is refused at the next page, and the
//! refusal is audited. [`Visitor`] is a page before sign-in.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use gerbang_core::access::{Authentication, ControlPlane, ControlWrite, Desk, admit_to_portal};
use gerbang_core::clock::jakarta_date;
use gerbang_web::AppState;
use gerbang_web::gate::{Caller, event_record};

use crate::session::{Session, Sessions, same_token};
use crate::texts::{Texts, texts};
use crate::view;

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "gerbang_sesi";
/// The language cookie.
pub(crate) const LANGUAGE_COOKIE: &str = "gerbang_bahasa";
/// The sign-in form's own CSRF cookie (double submit: there is no session
/// yet).
pub(crate) const SIGN_IN_COOKIE: &str = "gerbang_pra";
/// The residents' history form's own CSRF cookie (double submit: a
/// resident has no session).
pub(crate) const RESIDENT_COOKIE: &str = "gerbang_warga";
/// A correct password waiting for its account's code (the second step).
pub(crate) const CODE_COOKIE: &str = "gerbang_kode";

/// A request before sign-in: who and from where, the language, the cookies.
pub(crate) struct Visitor {
    pub caller: Caller,
    pub jar: CookieJar,
    pub t: &'static Texts,
    pub sessions: Arc<Sessions>,
    /// Cookies get `Secure` when the page came over TLS through a trusted
    /// proxy (`X-Forwarded-Proto: https`).
    pub secure: bool,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Ok(caller) = Caller::from_request_parts(parts, state).await;
        let jar = CookieJar::from_headers(&parts.headers);
        let t = texts(jar.get(LANGUAGE_COOKIE).map(Cookie::value));
        let sessions = match Extension::<Arc<Sessions>>::from_request_parts(parts, state).await {
            Ok(Extension(sessions)) => sessions,
            Err(rejection) => return Err(rejection.into_response()),
        };
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip());
        let proxied = peer.is_some_and(|p| state.access.is_trusted_proxy(p));
        let https = parts.headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
        Ok(Visitor { caller, jar, t, sessions, secure: proxied && https })
    }
}

impl Visitor {
    /// Records a portal event of `user_id` (a sign-in, a refusal) in the
    /// audit trail; the answer waits for it.
    pub async fn audit(
        &self,
        state: &AppState,
        institution: Option<String>,
        user_id: &str,
        outcome: &str,
    ) -> Result<u64, gerbang_store::StoreError> {
        let user = (!user_id.is_empty()).then(|| user_id.to_owned());
        let record = event_record(&self.caller, "portal", institution, user, None, outcome.to_owned());
        state.access.audit.record(record).await
    }

    /// A cookie for the portal's paths with the portal's attributes.
    pub fn cookie(&self, name: &'static str, value: String) -> Cookie<'static> {
        Cookie::build((name, value))
            .path("/portal")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .build()
    }
}

/// A signed-in user admitted by the portal's guards on this page load.
pub(crate) struct Signed {
    pub visitor: Visitor,
    /// The session cookie's token.
    pub token: String,
    pub session: Session,
    pub desk: Desk,
    pub plane: Arc<ControlPlane>,
}

impl FromRequestParts<AppState> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let now = visitor.caller.at;
        let Some(token) = visitor.jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
            return Err(Redirect::to("/portal/masuk").into_response());
        };
        let Some(session) = visitor.sessions.find(&token, now) else {
            let jar = visitor.jar.clone().remove(visitor.cookie(SESSION_COOKIE, String::new()));
            return Err((jar, Redirect::to("/portal/masuk")).into_response());
        };
        let plane = state.plane();
        let authentication = plane.account(&session.user_id).map_or(Authentication::Failed, Authentication::Verified);
        match admit_to_portal(&plane, authentication, visitor.caller.source_ip, jakarta_date(now)) {
            Ok(desk) => Ok(Signed { visitor, token, session, desk, plane }),
            Err(denial) => {
                visitor.sessions.close(&token);
                let institution = plane.account(&session.user_id).map(|a| a.holder.clone());
                if visitor.audit(state, institution, &session.user_id, denial.code()).await.is_err() {
                    return Err(view::unavailable(visitor.t));
                }
                let jar = visitor.jar.clone().remove(visitor.cookie(SESSION_COOKIE, String::new()));
                Err((jar, view::refused(visitor.t, &denial.to_string())).into_response())
            }
        }
    }
}

impl Signed {
    /// Whether a posted form carries this session's CSRF token.
    pub fn posted_by_this_session(&self, csrf: &str) -> bool {
        same_token(csrf, &self.session.csrf)
    }

    /// The refusal of a forged or stale form.
    pub fn forged(&self) -> Response {
        view::refused_with(self.visitor.t, axum::http::StatusCode::FORBIDDEN, self.visitor.t.forged_form)
    }

    /// Applies the `writes` of this administrator's change to `institution`
    /// (a provider administrator at the console, a partner's administrator
    /// at its own pages, both already authorized by `core`) and records
    /// `admin.{operation}` in the audit trail before the page answers.
    /// `Err` is the page to answer when storage failed.
    pub async fn administer(
        &self,
        state: &AppState,
        institution: &str,
        operation: &str,
        writes: Vec<ControlWrite>,
    ) -> Result<(), Response> {
        let caller = &self.visitor.caller;
        let administrator = self.desk.user_id();
        match state.administer(caller, "portal", administrator, institution, operation, writes).await {
            Ok(()) => Ok(()),
            Err(error) => {
                tracing::error!(code = error.code(), %error, "perubahan dari portal gagal disimpan");
                Err(view::unavailable(self.visitor.t))
            }
        }
    }
}

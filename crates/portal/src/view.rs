//! Rendering: the frame every page shares ([`Chrome`]: who is signed in,
//! the quota left today, the sign-out form, the language link) and the
//! pages that say no (refused, not found, unavailable).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gerbang_core::access::{AdminError, Desk};
use gerbang_core::clock::jakarta_date;
use gerbang_web::AppState;

use crate::desk::Signed;
use crate::texts::Texts;

/// The frame of a page.
pub(crate) struct Chrome {
    pub t: &'static Texts,
    pub user_id: Option<String>,
    pub institution: Option<String>,
    pub quota_left: Option<u32>,
    pub csrf: String,
    /// The registry console's navigation.
    pub console: bool,
    /// A partner administrator's navigation.
    pub partner: bool,
    /// Open alerts the provider administrator sees (console only).
    pub open_alerts: Option<usize>,
}

impl Chrome {
    /// The frame of a page before sign-in.
    pub fn visitor(t: &'static Texts) -> Chrome {
        Chrome {
            t,
            user_id: None,
            institution: None,
            quota_left: None,
            csrf: String::new(),
            console: false,
            partner: false,
            open_alerts: None,
        }
    }

    /// The frame of a signed-in page, with the quota left today for an
    /// operator (`quota_left`, when the caller already knows it).
    pub async fn signed(signed: &Signed, state: &AppState, quota_left: Option<u32>) -> Chrome {
        let open_alerts = match &signed.desk {
            Desk::Registry(steward) => {
                let alerts = gerbang_web::alerts_api::visible_alerts(state, steward, &signed.plane).await;
                alerts.ok().map(|alerts| alerts.iter().filter(|alert| alert.is_open()).count())
            }
            Desk::Operator(_) | Desk::Partner(_) => None,
        };
        let (institution, quota_left, console) = match &signed.desk {
            Desk::Operator(desk) => {
                let left = match quota_left {
                    Some(left) => Some(left),
                    None => {
                        let day = jakarta_date(signed.visitor.caller.at);
                        let used = state.store.quota_used(&desk.user_id, day).await.ok();
                        used.map(|used| desk.daily_quota.saturating_sub(used))
                    }
                };
                (Some(desk.institution_name.clone()), left, false)
            }
            Desk::Registry(steward) => (signed.plane.provider(&steward.provider).map(|p| p.name.clone()), None, true),
            Desk::Partner(desk) => (Some(desk.institution_name.clone()), None, false),
        };
        Chrome {
            t: signed.visitor.t,
            user_id: Some(signed.desk.user_id().to_owned()),
            institution,
            quota_left,
            csrf: signed.session.csrf.clone(),
            console,
            partner: matches!(signed.desk, Desk::Partner(_)),
            open_alerts,
        }
    }
}

/// A moment as Jakarta wall-clock time, `format`ted, with "WIB".
pub(crate) fn wib(at: chrono::DateTime<chrono::Utc>, format: &str) -> String {
    format!("{} WIB", at.with_timezone(&gerbang_core::clock::JAKARTA).format(format))
}

/// What a refused administrative change says on the page, in the page's
/// language where the portal has the words; a field's problem is `core`'s
/// own sentence.
pub(crate) fn admin_error(t: &'static Texts, error: &AdminError) -> String {
    let said = match error {
        AdminError::NdaMissing(_) => t.nda_missing,
        AdminError::NdaInFuture => t.nda_in_future,
        AdminError::NationalApprovalRequired => t.national_approval_required,
        AdminError::NoAgreementInForce(_) => t.no_agreement,
        AdminError::AlreadyDecided(_) => t.already_decided,
        AdminError::NoUserId => t.user_id_required,
        AdminError::InvalidHandle(_) => t.user_id_invalid,
        AdminError::Exists { kind: "User ID", .. } => t.user_id_taken,
        AdminError::NoReason => t.reason_required,
        AdminError::Field { problem, .. } => *problem,
        _ => return error.to_string(),
    };
    said.to_owned()
}

/// Renders a page with status 200.
pub(crate) fn render(page: &impl Template) -> Response {
    render_with(StatusCode::OK, page)
}

/// Renders a page with `status`.
pub(crate) fn render_with(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "halaman portal gagal disusun");
            (StatusCode::INTERNAL_SERVER_ERROR, "Halaman gagal disusun").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "refused.html")]
struct Refused<'a> {
    chrome: Chrome,
    title: &'a str,
    message: &'a str,
}

/// A guard's refusal, 403.
pub(crate) fn refused(t: &'static Texts, message: &str) -> Response {
    refused_with(t, StatusCode::FORBIDDEN, message)
}

/// A refusal page with `status`.
pub(crate) fn refused_with(t: &'static Texts, status: StatusCode, message: &str) -> Response {
    render_with(status, &Refused { chrome: Chrome::visitor(t), title: t.refused, message })
}

/// Not found, or not the caller's to see: the same answer either way.
pub(crate) fn not_found(t: &'static Texts) -> Response {
    render_with(StatusCode::NOT_FOUND, &Refused { chrome: Chrome::visitor(t), title: t.not_found_page, message: "" })
}

/// Storage failed; nothing was shown.
pub(crate) fn unavailable(t: &'static Texts) -> Response {
    refused_with(t, StatusCode::SERVICE_UNAVAILABLE, "Layanan sementara tidak tersedia; silakan coba lagi")
}

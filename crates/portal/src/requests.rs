//! Partners' requests as the portal shows them (SPEC.md §7, 004 Juknis 2d,
//! 2f, 2j): [`RequestView`], shared by the partner's own pages and the
//! registry's queue, and the queue itself — the requests of the partners a
//! provider administrator manages, open ones first with their two-week
//! target, approved (a User ID issued with a generated password shown once)
//! or rejected with a reason. Whether the administrator manages the partner
//! and whether only Ditjen Dukcapil may approve are decided by `core`
//! (`Steward::manages`, `ControlPlane::approve_request`); a request of
//! anyone else's partner answers 404.

use std::cmp::Reverse;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use gerbang_core::access::secret::{generate_password, hash_password};
use gerbang_core::access::{AdminError, Ask, ControlPlane, Decision, Request, RequestStatus, Steward};
use gerbang_core::clock::jakarta_date;
use gerbang_web::AppState;
use serde::Deserialize;

use crate::console::steward;
use crate::desk::Signed;
use crate::texts::Texts;
use crate::view::{self, Chrome, admin_error, render, render_with};

/// The queue's page.
const QUEUE: &str = "/portal/konsol/permintaan";

/// A NIK with all but its last four digits hidden.
pub(crate) fn masked(nik: &str) -> String {
    let hidden = nik.chars().count().saturating_sub(4);
    nik.chars().enumerate().map(|(i, c)| if i < hidden { '*' } else { c }).collect()
}

fn shown_day(day: NaiveDate) -> String {
    day.format("%d-%m-%Y").to_string()
}

/// The words of a request's status.
pub(crate) fn status_label(t: &Texts, status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Pending => t.status_pending,
        RequestStatus::Overdue => t.status_overdue,
        RequestStatus::Approved => t.status_approved,
        RequestStatus::Rejected => t.status_rejected,
    }
}

/// A request as shown.
pub(crate) struct RequestView {
    pub id: String,
    pub institution_name: String,
    pub kind: &'static str,
    /// Whether a User ID is asked for (its approval names the User ID).
    pub asks_user_id: bool,
    /// One line: the operator's name and position, or the quota asked.
    pub subject: String,
    /// Every field asked, labelled; the operator's NIK masked.
    pub details: Vec<(&'static str, String)>,
    pub filed_on: String,
    pub filed_by: String,
    pub target_on: String,
    /// The stable status name (`pending`, `overdue`, …).
    pub status: &'static str,
    pub status_label: &'static str,
    /// Days until the target, while open and not overdue.
    pub days_left: Option<i64>,
    /// Days past the target, while open.
    pub overdue_days: Option<i64>,
    /// The verdict: its day and its author.
    pub decided: Option<(String, String)>,
    /// The issued User ID, or the reason of a rejection, with its label.
    pub decision: Option<(&'static str, String)>,
    pub open: bool,
    /// Whether only Ditjen Dukcapil may approve it (`core`'s word).
    pub needs_national: bool,
}

impl RequestView {
    /// How `request` reads on `today`.
    pub fn of(request: &Request, plane: &ControlPlane, t: &Texts, today: NaiveDate) -> RequestView {
        let status = request.status(today);
        let (kind, subject, details) = match &request.ask {
            Ask::UserId { applicant } => (
                t.kind_user_id,
                format!("{} · {}", applicant.full_name, applicant.position),
                vec![
                    (t.nik, masked(&applicant.nik)),
                    (t.full_name, applicant.full_name.clone()),
                    (t.nip, if applicant.nip.is_empty() { "-".to_owned() } else { applicant.nip.clone() }),
                    (t.employment_status, applicant.employment_status.clone()),
                    (t.position, applicant.position.clone()),
                    (t.office_region, applicant.office_region.clone()),
                    (t.office, applicant.office.clone()),
                    (t.local_user_id, applicant.local_user_id.clone()),
                ],
            ),
            Ask::Quota { user_id, daily_quota, justification } => {
                let current = plane.account(user_id).map(|a| a.daily_quota.to_string()).unwrap_or_default();
                (
                    t.kind_quota,
                    format!("{user_id}: {current} → {daily_quota}"),
                    vec![
                        (t.user_id, user_id.clone()),
                        (t.daily_quota, current),
                        (t.new_daily_quota, daily_quota.to_string()),
                        (t.justification, justification.clone()),
                    ],
                )
            }
        };
        let left = match request.target_on() {
            Some(target) if request.is_open() => Some((target - today).num_days()),
            _ => None,
        };
        let decision = request.verdict.as_ref().and_then(|v| match &v.decision {
            Decision::Approved { user_id: Some(user_id) } => Some((t.issued_user_id, user_id.clone())),
            Decision::Approved { user_id: None } => None,
            Decision::Rejected { reason } => Some((t.rejection_reason, reason.clone())),
        });
        RequestView {
            id: request.id.clone(),
            institution_name: plane
                .institution(&request.institution)
                .map_or_else(|| request.institution.clone(), |i| i.name.clone()),
            kind,
            asks_user_id: matches!(request.ask, Ask::UserId { .. }),
            subject,
            details,
            filed_on: shown_day(request.filed_on),
            filed_by: request.filed_by.clone(),
            target_on: request.target_on().map_or_else(|| t.no_target.to_owned(), shown_day),
            status: status.name(),
            status_label: status_label(t, status),
            days_left: left.filter(|days| *days >= 0),
            overdue_days: left.filter(|days| *days < 0).map(|days| -days),
            decided: request.verdict.as_ref().map(|v| (shown_day(v.on), v.by.clone())),
            decision,
            open: request.is_open(),
            needs_national: request.needs_national_approval(plane),
        }
    }
}

/// A refused approval or rejection, shown at its request.
#[derive(Default)]
pub(crate) struct QueueError {
    pub request: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "requests.html")]
struct RequestQueuePage {
    chrome: Chrome,
    open: Vec<RequestView>,
    decided: Vec<RequestView>,
    error: QueueError,
}

/// The request `id` if this administrator manages its partner.
fn managed_request<'p>(signed: &'p Signed, steward: &Steward, id: &str) -> Option<&'p Request> {
    signed.plane.request(id).filter(|r| steward.manages(&signed.plane, &r.institution).is_ok())
}

async fn queue_page(state: &AppState, signed: &Signed, error: QueueError) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(signed) else { return view::not_found(t) };
    let plane = &signed.plane;
    let today = jakarta_date(signed.visitor.caller.at);
    let mut open = Vec::new();
    let mut decided = Vec::new();
    for request in plane.requests().filter(|r| steward.manages(plane, &r.institution).is_ok()) {
        let mut shown = RequestView::of(request, plane, t, today);
        // Ditjen Dukcapil's own administrators are the national approval.
        shown.needs_national &= !steward.national;
        match &request.verdict {
            // The oldest first; on one day, those with a target first.
            None => open.push(((request.filed_on, request.target_on().is_none()), shown)),
            Some(verdict) => decided.push((verdict.on, shown)),
        }
    }
    open.sort_by(|(a, x), (b, y)| a.cmp(b).then_with(|| x.id.cmp(&y.id)));
    decided.sort_by_key(|(on, _)| Reverse(*on));
    let status = if error.message.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = RequestQueuePage {
        chrome: Chrome::signed(signed, state, None).await,
        open: open.into_iter().map(|(_, shown)| shown).collect(),
        decided: decided.into_iter().map(|(_, shown)| shown).collect(),
        error,
    };
    render_with(status, &page)
}

/// `GET /portal/konsol/permintaan` (SPEC.md §7): the queue.
pub(crate) async fn queue(State(state): State<AppState>, signed: Signed) -> Response {
    queue_page(&state, &signed, QueueError::default()).await
}

/// The approval form.
#[derive(Deserialize)]
pub(crate) struct Approval {
    #[serde(default)]
    csrf: String,
    /// The User ID to issue (User-ID requests).
    #[serde(default)]
    user_id: String,
}

/// The rejection form.
#[derive(Deserialize)]
pub(crate) struct Rejection {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "request_issued.html")]
struct IssuedPage {
    chrome: Chrome,
    request: String,
    institution_name: String,
    user_id: String,
    password: String,
}

/// `POST /portal/konsol/permintaan/{id}/setujui` (004 Juknis 2f, 2j): a
/// User ID is issued with a generated password shown once on the answer; a
/// quota raise takes effect at once.
pub(crate) async fn approve(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<Approval>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let Some(request) = managed_request(&signed, steward, &id) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let plane = &signed.plane;
    let today = jakarta_date(signed.visitor.caller.at);
    let refused = |error: AdminError| QueueError { request: id.clone(), message: admin_error(t, &error) };
    let Ask::UserId { .. } = request.ask else {
        return match plane.approve_request(steward, &id, None, today) {
            Ok(writes) => match signed.administer(&state, &request.institution, "request_approve", writes).await {
                Ok(()) => Redirect::to(QUEUE).into_response(),
                Err(page) => page,
            },
            Err(error) => queue_page(&state, &signed, refused(error)).await,
        };
    };
    let user_id = form.user_id.trim().to_owned();
    // Everything but the password is checked before the costly hash.
    let unhashed = (!user_id.is_empty()).then(|| (user_id.clone(), String::new()));
    if let Err(error) = plane.approve_request(steward, &id, unhashed, today) {
        return queue_page(&state, &signed, refused(error)).await;
    }
    let Ok(password) = generate_password() else { return view::unavailable(t) };
    let to_hash = password.clone();
    let Ok(Ok(password_hash)) = tokio::task::spawn_blocking(move || hash_password(&to_hash)).await else {
        return view::unavailable(t);
    };
    let writes = match plane.approve_request(steward, &id, Some((user_id.clone(), password_hash)), today) {
        Ok(writes) => writes,
        Err(error) => return queue_page(&state, &signed, refused(error)).await,
    };
    if let Err(page) = signed.administer(&state, &request.institution, "request_approve", writes).await {
        return page;
    }
    let institution_name = plane.institution(&request.institution).map(|i| i.name.clone()).unwrap_or_default();
    render(&IssuedPage {
        chrome: Chrome::signed(&signed, &state, None).await,
        request: id.clone(),
        institution_name,
        user_id,
        password,
    })
}

/// `POST /portal/konsol/permintaan/{id}/tolak`: refuses with the reason the
/// partner will read.
pub(crate) async fn reject(
    State(state): State<AppState>,
    signed: Signed,
    Path(id): Path<String>,
    Form(form): Form<Rejection>,
) -> Response {
    let t = signed.visitor.t;
    let Some(steward) = steward(&signed) else { return view::not_found(t) };
    let Some(request) = managed_request(&signed, steward, &id) else { return view::not_found(t) };
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let today = jakarta_date(signed.visitor.caller.at);
    match signed.plane.reject_request(steward, &id, &form.reason, today) {
        Ok(write) => match signed.administer(&state, &request.institution, "request_reject", vec![write]).await {
            Ok(()) => Redirect::to(QUEUE).into_response(),
            Err(page) => page,
        },
        Err(error) => {
            let refused = QueueError { request: id.clone(), message: admin_error(t, &error) };
            queue_page(&state, &signed, refused).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nik_shows_only_its_last_four_digits() {
        assert_eq!(masked("3313015505900001"), "************0001");
        assert_eq!(masked("123"), "123");
    }
}

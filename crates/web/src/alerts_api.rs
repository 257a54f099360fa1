//! The alerts of the sentinel for provider administrators:
//! `GET /api/v1/admin/alerts`, and the listing the console's page shares.
//! Which alerts an administrator sees is `core`'s decision
//! (`alert::visible_to`: those about the partners it manages).

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use gerbang_core::access::{ControlPlane, Steward};
use gerbang_core::alert::{Alert, visible_to};
use gerbang_proto::v1::ErrorBody;
use gerbang_proto::v1::admin::AlertView;
use gerbang_store::StoreError;

use crate::WebError;
use crate::gate::Caller;
use crate::state::AppState;

/// Alerts read at most per listing (open ones first).
pub const ALERTS_LISTED: u32 = 500;

/// The alerts `steward` sees: open first, then newest first.
pub async fn visible_alerts(
    state: &AppState,
    steward: &Steward,
    plane: &ControlPlane,
) -> Result<Vec<Alert>, StoreError> {
    let alerts = state.store.alerts(ALERTS_LISTED).await?;
    Ok(alerts.into_iter().filter(|alert| visible_to(steward, plane, &alert.institution)).collect())
}

/// An alert as the API shows it.
pub fn alert_view(alert: &Alert) -> AlertView {
    AlertView {
        id: alert.id,
        kind: alert.kind.code().to_owned(),
        label: alert.kind.label().to_owned(),
        institution: alert.institution.clone(),
        user_id: alert.user_id.clone(),
        first_at: alert.first_at.to_rfc3339(),
        last_at: alert.last_at.to_rfc3339(),
        count: alert.count,
        detail: alert.detail.clone(),
        operations: alert.operations.clone(),
        open: alert.is_open(),
        acknowledged_by: alert.acknowledged.as_ref().map(|a| a.by.clone()),
        acknowledged_at: alert.acknowledged.as_ref().map(|a| a.at.to_rfc3339()),
    }
}

/// `GET /api/v1/admin/alerts`: the alerts about the partners this
/// administrator manages, open ones first.
#[utoipa::path(get, path = "/api/v1/admin/alerts", tag = "admin", security(("bearer" = [])), responses((status = 200, description = "Daftar peringatan keamanan", body = Vec<AlertView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub(crate) async fn alerts_list(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Json<Vec<AlertView>>, WebError> {
    let (steward, plane) = crate::admin::steward(&state, &headers, &caller).await?;
    let alerts = visible_alerts(&state, &steward, &plane).await?;
    Ok(Json(alerts.iter().map(alert_view).collect()))
}

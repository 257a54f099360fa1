//! The console's editing of a partner's closed-network allow-list (SPEC.md
//! §4): add a block for the whole institution or one User ID, remove one.
//! The rules are `core`'s (`allow_network`, `revoke_network`); a change
//! reaches every node with the control-plane refresh and is audited as
//! `admin.network_allow` / `admin.network_revoke` before the answer.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use gerbang_core::access::control::parse_network;
use gerbang_web::AppState;
use serde::Deserialize;

use crate::console::{FormError, commit, manages_partner, partner_page};
use crate::desk::Signed;
use crate::view;

/// The allow-list form.
#[derive(Deserialize)]
pub(crate) struct NetworkForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    network: String,
    /// Empty for the whole institution.
    #[serde(default)]
    user_id: String,
    /// `allow` or `revoke`.
    #[serde(default)]
    action: String,
}

/// `POST /portal/konsol/mitra/{code}/jaringan`.
pub(crate) async fn change(
    State(state): State<AppState>,
    signed: Signed,
    Path(code): Path<String>,
    Form(form): Form<NetworkForm>,
) -> Response {
    let t = signed.visitor.t;
    if !manages_partner(&signed, &code) {
        return view::not_found(t);
    }
    if !signed.posted_by_this_session(&form.csrf) {
        return signed.forged();
    }
    let failed = |message: String| FormError { agreement: String::new(), form: "network", message };
    let Some(network) = parse_network(&form.network) else {
        return partner_page(&state, &signed, &code, failed(t.bad_network.to_owned())).await;
    };
    let user_id = Some(form.user_id.trim()).filter(|u| !u.is_empty());
    let (written, operation) = match form.action.as_str() {
        "revoke" => (signed.plane.revoke_network(&code, user_id, network), "network_revoke"),
        _ => (signed.plane.allow_network(&code, user_id, network), "network_allow"),
    };
    match written {
        Ok(write) => commit(&state, &signed, &code, operation, write).await,
        Err(error) => partner_page(&state, &signed, &code, failed(view::admin_error(t, &error))).await,
    }
}

//! The administration API for provider administrators, `/api/v1/admin/…`:
//! the same operations as the admin CLI (partners, agreements with their
//! scopes, addenda and termination, accounts, quotas, allow-lists). Who may
//! do what is decided by `core` (`authorize_steward`, `Steward::manages`,
//! the admin operations); each change is applied in one transaction, takes
//! effect at once, and leaves an audit record.

use std::str::FromStr;

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gerbang_core::access::secret::{generate_password, generate_token, hash_password, token_hash};
use gerbang_core::access::{
    Addendum, AdminError, Agreement, ControlPlane, ControlWrite, Denial, Institution, Obligation, ObligationKind, Role,
    Scope, Steward, TerminationReason, authorize_steward,
};
use gerbang_proto::v1::ErrorBody;
use gerbang_proto::v1::admin::{
    Changed, IssuedAccount, NetworkChange, NewAccount, NewAddendum, NewAgreement, NewInstitution, NewTermination,
    UpdateAccount, UpdateInstitution,
};
use serde::de::DeserializeOwned;

use crate::WebError;
use crate::gate::{Caller, authenticate};
use crate::state::AppState;

impl From<AdminError> for WebError {
    fn from(error: AdminError) -> Self {
        let status = match error {
            AdminError::NotFound { .. } => StatusCode::NOT_FOUND,
            AdminError::Exists { .. } | AdminError::WireNameTaken(_) | AdminError::AlreadyTerminated(_) => {
                StatusCode::CONFLICT
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        WebError::new(status, error.code(), error.to_string())
    }
}

fn invalid(message: String) -> WebError {
    WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "input.value", message)
}

fn date(text: &str, field: &str) -> Result<NaiveDate, WebError> {
    NaiveDate::from_str(text.trim()).map_err(|_| invalid(format!("{field} harus tanggal yyyy-mm-dd")))
}

/// Largest body of an administration request.
const BODY_LIMIT: usize = 1024 * 1024;

/// The request's JSON body, read once the steward is known (anyone else is
/// answered 401 or 403 before the body is looked at); unreadable is 400.
pub(crate) async fn json_body<T: DeserializeOwned>(body: Body) -> Result<T, WebError> {
    crate::v1::read_limited(body, BODY_LIMIT)
        .await
        .map_err(|e| WebError::new(StatusCode::BAD_REQUEST, e.code(), e.message()))
}

/// The steward behind the request, with the snapshot it was decided on.
pub(crate) async fn steward(
    state: &AppState,
    headers: &HeaderMap,
    caller: &Caller,
) -> Result<(Steward, std::sync::Arc<ControlPlane>), WebError> {
    let plane = state.plane();
    let presented = crate::v1::presented(headers);
    let authentication = authenticate(state, &plane, &presented, caller).await;
    let steward = authorize_steward(&plane, authentication)?;
    Ok((steward, plane))
}

/// Applies `writes`, audits the change, and answers with its handle.
async fn commit(
    state: &AppState,
    caller: &Caller,
    steward: &Steward,
    institution: &str,
    operation: &str,
    id: String,
    writes: Vec<ControlWrite>,
) -> Result<Response, WebError> {
    state.administer(caller, "admin", &steward.user_id, institution, operation, writes).await?;
    Ok((StatusCode::OK, Json(Changed { operation_id: caller.operation_id.clone(), id })).into_response())
}

/// `GET /api/v1/admin/institutions`: the partners this steward manages.
#[utoipa::path(get, path = "/api/v1/admin/institutions", tag = "admin", security(("bearer" = [])), responses((status = 200, description = "Daftar instansi", body = Vec<Object>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn institutions_list(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Json<Vec<Institution>>, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    Ok(Json(plane.institutions().filter(|i| steward.manages(&plane, &i.code).is_ok()).cloned().collect()))
}

/// `POST /api/v1/admin/institutions` (SPEC.md §1).
#[utoipa::path(post, path = "/api/v1/admin/institutions", tag = "admin", request_body = NewInstitution, security(("bearer" = [])), responses((status = 200, description = "Instansi terdaftar", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn institution_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let new: NewInstitution = json_body(body).await?;
    if !steward.national && new.provider != steward.provider {
        return Err(Denial::NotSteward.into());
    }
    let code = new.code.clone();
    let institution = Institution {
        code: new.code,
        provider: new.provider,
        name: new.name,
        instansi: new.instansi,
        customer_id: new.customer_id,
        active: true,
    };
    let write = plane.add_institution(institution)?;
    commit(&state, &caller, &steward, &code, "institution_create", code.clone(), vec![write]).await
}

/// `PATCH /api/v1/admin/institutions/{code}`: suspend or reinstate.
#[utoipa::path(patch, path = "/api/v1/admin/institutions/{code}", tag = "admin", params(("code" = String, Path, description = "Kode instansi")), request_body = UpdateInstitution, security(("bearer" = [])), responses((status = 200, description = "Status instansi diubah", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn institution_update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(code): Path<String>,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let update: UpdateInstitution = json_body(body).await?;
    steward.manages(&plane, &code)?;
    let write = plane.set_institution_active(&code, update.active)?;
    commit(&state, &caller, &steward, &code, "institution_update", code.clone(), vec![write]).await
}

/// `GET /api/v1/admin/agreements`.
#[utoipa::path(get, path = "/api/v1/admin/agreements", tag = "admin", security(("bearer" = [])), responses((status = 200, description = "Daftar perjanjian", body = Vec<Object>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn agreements_list(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Json<Vec<Agreement>>, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    Ok(Json(plane.agreements().filter(|a| steward.manages(&plane, &a.institution).is_ok()).cloned().collect()))
}

fn obligation_kind(name: &str) -> Result<ObligationKind, WebError> {
    serde_json::from_value(serde_json::Value::from(name))
        .map_err(|_| invalid(format!("jenis kewajiban tidak dikenal: {name}")))
}

/// `POST /api/v1/admin/agreements` (SPEC.md §3).
#[utoipa::path(post, path = "/api/v1/admin/agreements", tag = "admin", request_body = NewAgreement, security(("bearer" = [])), responses((status = 200, description = "Perjanjian dicatat", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn agreement_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let new: NewAgreement = json_body(body).await?;
    steward.manages(&plane, &new.institution)?;
    let scope: Scope =
        serde_json::from_value(new.scope).map_err(|e| invalid(format!("ruang lingkup tidak valid: {e}")))?;
    let obligations = new
        .obligations
        .iter()
        .map(|o| {
            Ok(Obligation { kind: obligation_kind(&o.kind)?, due_on: date(&o.due_on, "due_on")?, fulfilled_on: None })
        })
        .collect::<Result<Vec<_>, WebError>>()?;
    let institution = new.institution.clone();
    let write = plane.add_agreement(gerbang_core::access::NewAgreement {
        institution: new.institution,
        provider_number: new.provider_number,
        partner_number: new.partner_number,
        signed_on: date(&new.signed_on, "signed_on")?,
        valid_from: date(&new.valid_from, "valid_from")?,
        valid_until: date(&new.valid_until, "valid_until")?,
        scope,
        return_schema: new.return_schema,
        obligations,
    })?;
    let ControlWrite::Agreement(agreement) = &write else { return Err(invalid("perjanjian tidak terbentuk".into())) };
    let id = agreement.id.clone();
    commit(&state, &caller, &steward, &institution, "agreement_create", id, vec![write]).await
}

fn agreement_institution(plane: &ControlPlane, id: &str) -> Result<String, WebError> {
    plane
        .agreement(id)
        .map(|a| a.institution.clone())
        .ok_or_else(|| WebError::not_found("admin.not_found", &format!("perjanjian '{id}' tidak ditemukan")))
}

/// `POST /api/v1/admin/agreements/{id}/addenda`: extend by an adendum.
#[utoipa::path(post, path = "/api/v1/admin/agreements/{id}/addenda", tag = "admin", params(("id" = String, Path, description = "Id perjanjian")), request_body = NewAddendum, security(("bearer" = [])), responses((status = 200, description = "Perjanjian diperpanjang", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn agreement_extend(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let new: NewAddendum = json_body(body).await?;
    let institution = agreement_institution(&plane, &id)?;
    steward.manages(&plane, &institution)?;
    let addendum = Addendum {
        number: new.number,
        signed_on: date(&new.signed_on, "signed_on")?,
        valid_until: date(&new.valid_until, "valid_until")?,
    };
    let write = plane.extend_agreement(&id, addendum)?;
    commit(&state, &caller, &steward, &institution, "agreement_extend", id, vec![write]).await
}

/// `POST /api/v1/admin/agreements/{id}/termination`: ends access for every
/// account of the partner from `effective_on` (001 Ps.9(3), 003 Ps.10(4)).
#[utoipa::path(post, path = "/api/v1/admin/agreements/{id}/termination", tag = "admin", params(("id" = String, Path, description = "Id perjanjian")), request_body = NewTermination, security(("bearer" = [])), responses((status = 200, description = "Perjanjian diakhiri", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn agreement_terminate(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let end: NewTermination = json_body(body).await?;
    let institution = agreement_institution(&plane, &id)?;
    steward.manages(&plane, &institution)?;
    let reason: TerminationReason = serde_json::from_value(serde_json::Value::from(end.reason.as_str()))
        .map_err(|_| invalid("alasan harus consent, restructuring atau breach".into()))?;
    let write = plane.terminate_agreement(&id, date(&end.effective_on, "effective_on")?, reason, &end.note)?;
    commit(&state, &caller, &steward, &institution, "agreement_terminate", id, vec![write]).await
}

/// `POST /api/v1/admin/accounts`: issues a User ID with a generated
/// password and token, shown only in this answer (SPEC.md §7).
#[utoipa::path(post, path = "/api/v1/admin/accounts", tag = "admin", request_body = NewAccount, security(("bearer" = [])), responses((status = 200, description = "User ID diterbitkan; kata sandi dan token hanya ditampilkan sekali", body = IssuedAccount), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn account_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let new: NewAccount = json_body(body).await?;
    steward.manages(&plane, &new.institution)?;
    let role = match Role::from_name(&new.role) {
        Some(role) if role.is_partner_side() => role,
        _ => return Err(invalid("peran harus service, operator atau partner_admin".into())),
    };
    let nda_on = match new.nda_on.as_deref().map(str::parse::<chrono::NaiveDate>) {
        None => None,
        Some(Ok(day)) => Some(day),
        Some(Err(_)) => return Err(invalid("nda_on harus tanggal YYYY-MM-DD".into())),
    };
    let secret = |e: gerbang_core::access::secret::SecretError| {
        WebError::new(StatusCode::INTERNAL_SERVER_ERROR, e.code(), e.to_string())
    };
    let password = generate_password().map_err(secret)?;
    let token = generate_token().map_err(secret)?;
    let to_hash = password.clone();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&to_hash))
        .await
        .map_err(|_| WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "secret.hashing", "gagal membuat hash"))?
        .map_err(secret)?;
    let write = plane.add_account(gerbang_core::access::NewAccount {
        user_id: new.user_id.clone(),
        holder: new.institution.clone(),
        role,
        password_hash,
        token_hash: Some(token_hash(&token)),
        nda_on,
    })?;
    commit(&state, &caller, &steward, &new.institution, "account_create", new.user_id.clone(), vec![write]).await?;
    Ok(Json(IssuedAccount { user_id: new.user_id, password, token }).into_response())
}

/// `PATCH /api/v1/admin/accounts/{user_id}`: enable/disable, daily quota.
/// A national steward's quota change is itself the national approval.
#[utoipa::path(patch, path = "/api/v1/admin/accounts/{user_id}", tag = "admin", params(("user_id" = String, Path, description = "User ID")), request_body = UpdateAccount, security(("bearer" = [])), responses((status = 200, description = "User ID diubah", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn account_update(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(user_id): Path<String>,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let update: UpdateAccount = json_body(body).await?;
    let institution = plane
        .account(&user_id)
        .map(|a| a.holder.clone())
        .ok_or_else(|| WebError::not_found("admin.not_found", &format!("User ID '{user_id}' tidak ditemukan")))?;
    steward.manages(&plane, &institution)?;
    let mut writes = Vec::new();
    let mut current = (*plane).clone();
    if let Some(active) = update.active {
        let write = current.set_account_active(&user_id, active)?;
        current = current.applying(std::slice::from_ref(&write));
        writes.push(write);
    }
    if let Some(quota) = update.daily_quota {
        let approval =
            update.national_approval.or_else(|| steward.national.then(|| format!("nasional:{}", steward.user_id)));
        writes.push(current.set_quota(&user_id, quota, approval)?);
    }
    commit(&state, &caller, &steward, &institution, "account_update", user_id, writes).await
}

fn network(change: &NetworkChange) -> Result<ipnet::IpNet, WebError> {
    gerbang_core::access::control::parse_network(&change.network)
        .ok_or_else(|| invalid(format!("jaringan tidak valid: {}", change.network.trim())))
}

/// `POST /api/v1/admin/networks`: allow a network (closed-network access).
#[utoipa::path(post, path = "/api/v1/admin/networks", tag = "admin", request_body = NetworkChange, security(("bearer" = [])), responses((status = 200, description = "Jaringan diizinkan", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn network_allow(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let change: NetworkChange = json_body(body).await?;
    steward.manages(&plane, &change.institution)?;
    let write = plane.allow_network(&change.institution, change.user_id.as_deref(), network(&change)?)?;
    commit(&state, &caller, &steward, &change.institution, "network_allow", change.network.clone(), vec![write]).await
}

/// `DELETE /api/v1/admin/networks`: revoke a network.
#[utoipa::path(delete, path = "/api/v1/admin/networks", tag = "admin", request_body = NetworkChange, security(("bearer" = [])), responses((status = 200, description = "Jaringan dicabut", body = Changed), (status = 400, description = "Isi permintaan tidak terbaca", body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn network_revoke(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let (steward, plane) = steward(&state, &headers, &caller).await?;
    let change: NetworkChange = json_body(body).await?;
    steward.manages(&plane, &change.institution)?;
    let write = plane.revoke_network(&change.institution, change.user_id.as_deref(), network(&change)?)?;
    commit(&state, &caller, &steward, &change.institution, "network_revoke", change.network.clone(), vec![write]).await
}

//! Bodies of the administration API for provider administrators,
//! `/api/v1/admin/…` (SPEC.md §1, §3, §7): partners, agreements, accounts
//! and allow-lists. Dates are `yyyy-mm-dd`; a scope is the same document as
//! a scope file of `gerbang agreement create --scope`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/v1/admin/institutions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewInstitution {
    /// Short handle (`a-z 0-9 - _ .`).
    pub code: String,
    /// The provider it has its agreements with.
    pub provider: String,
    /// Official name.
    pub name: String,
    /// The `{INSTANSI}` path segment of the compatible service.
    #[serde(default)]
    pub instansi: Option<String>,
    /// Numeric customer id.
    #[serde(default)]
    pub customer_id: Option<u64>,
}

/// `PATCH /api/v1/admin/institutions/{code}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateInstitution {
    /// Suspend (`false`) or reinstate (`true`).
    pub active: bool,
}

/// An obligation with its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewObligation {
    /// `sptjm`, `nda`, `iso27001`, `technical_implementation`,
    /// `card_reader` or `semester_report`.
    pub kind: String,
    /// Due date.
    pub due_on: String,
}

/// `POST /api/v1/admin/agreements`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAgreement {
    /// The partner.
    pub institution: String,
    /// The provider's document number.
    pub provider_number: String,
    /// The partner's document number.
    pub partner_number: String,
    /// Signing date.
    pub signed_on: String,
    /// First day of access.
    pub valid_from: String,
    /// Last day of access.
    pub valid_until: String,
    /// `{"grant":[{"mechanism":…,"channels":[…],"elements":[…],"after_match":false}]}`.
    #[schema(value_type = Object)]
    pub scope: serde_json::Value,
    /// Return-data schema name.
    #[serde(default)]
    pub return_schema: Option<String>,
    /// Obligations.
    #[serde(default)]
    pub obligations: Vec<NewObligation>,
}

/// `POST /api/v1/admin/agreements/{id}/addenda`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAddendum {
    /// Document number.
    pub number: String,
    /// Signing date.
    pub signed_on: String,
    /// New last day of validity.
    pub valid_until: String,
}

/// `POST /api/v1/admin/agreements/{id}/termination`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTermination {
    /// First day without access.
    pub effective_on: String,
    /// `consent`, `restructuring` or `breach`.
    pub reason: String,
    /// The registry's explanation.
    pub note: String,
}

/// `POST /api/v1/admin/accounts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// Login name.
    pub user_id: String,
    /// The partner institution.
    pub institution: String,
    /// `service`, `operator` or `partner_admin`.
    pub role: String,
    /// For an operator, the day its NDA was signed (`YYYY-MM-DD`); without
    /// one the operator is created inactive.
    #[serde(default)]
    pub nda_on: Option<String>,
}

/// The secrets of a new account, shown once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IssuedAccount {
    /// Login name.
    pub user_id: String,
    /// The generated password.
    pub password: String,
    /// The v1 bearer token.
    pub token: String,
}

/// `PATCH /api/v1/admin/accounts/{user_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAccount {
    /// Disable (`false`) or enable (`true`).
    #[serde(default)]
    pub active: Option<bool>,
    /// New daily quota.
    #[serde(default)]
    pub daily_quota: Option<u32>,
    /// Reference of the national approval of a quota raise.
    #[serde(default)]
    pub national_approval: Option<String>,
}

/// `POST` / `DELETE /api/v1/admin/networks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkChange {
    /// The institution.
    pub institution: String,
    /// Narrow to one account.
    #[serde(default)]
    pub user_id: Option<String>,
    /// CIDR block or single address.
    pub network: String,
}

/// What an administrative change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Changed {
    /// The operation id.
    pub operation_id: String,
    /// The handle of what changed (institution code, agreement id, User ID).
    pub id: String,
}

/// An alert of the registry's console (`GET /api/v1/admin/alerts`): a
/// canary resident touched, an enumeration, bulk access outside working
/// hours. Carries no NIK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AlertView {
    /// The alert's number.
    pub id: u64,
    /// Stable code: `canary`, `enumeration.sequential`,
    /// `enumeration.not_found` or `off_hours_bulk`.
    pub kind: String,
    /// What the kind means, in Bahasa Indonesia.
    pub label: String,
    /// The partner institution's code.
    pub institution: String,
    /// The User ID.
    pub user_id: String,
    /// The first sighting (RFC 3339).
    pub first_at: String,
    /// The last sighting (RFC 3339).
    pub last_at: String,
    /// Accesses seen.
    pub count: u64,
    /// What was seen, in Bahasa Indonesia.
    pub detail: String,
    /// Operation ids of the audit records that are the evidence.
    pub operations: Vec<String>,
    /// Whether it is still open.
    pub open: bool,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When it was acknowledged (RFC 3339).
    pub acknowledged_at: Option<String>,
}

//! Bodies of Gerbang's own versioned API, `/api/v1`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod admin;
pub mod biometric;
pub mod card_reader;
pub mod return_data;
pub mod transparency;

/// Every error answer of `/api/v1`: a stable machine code and a message for
/// people in Bahasa Indonesia, and the operation id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code, e.g. `nik.invalid_date`.
    pub code: String,
    /// What went wrong, in Bahasa Indonesia.
    pub message: String,
    /// The request's operation id (also in the `x-request-id` header), to
    /// quote when reporting a problem.
    pub operation_id: Option<String>,
}

/// A resident's elements by wire name, as the development register view
/// shows them (numbers as JSON numbers, dates as `yyyy-mm-dd`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ResidentRecord {
    /// Element wire name → value; unrecorded elements are absent.
    #[schema(value_type = Object)]
    pub elements: serde_json::Map<String, serde_json::Value>,
    /// The resident has died.
    pub deceased: bool,
    /// The record is active.
    pub active: bool,
    /// The record is flagged as a duplicate.
    pub duplicate: bool,
}

/// `POST /api/v1/call-nik` and `POST /api/v1/family-members`: the NIK
/// travels in the body, never in the URL, so it cannot reach access logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NikQuery {
    /// The NIK, 16 digits.
    pub nik: String,
}

/// `POST /api/v1/verify-by-elements`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVerification {
    /// The NIK, 16 digits.
    pub nik: String,
    /// Similarity threshold 0–100 for free-text elements (default 80).
    #[serde(default)]
    pub threshold: Option<u8>,
    /// Element wire name → the value to verify (dates `dd-mm-yyyy` or
    /// `yyyy-mm-dd`).
    pub elements: std::collections::BTreeMap<String, String>,
}

/// `POST /api/v1/nik-kk-check`: a NIK with its family card number or the
/// NIK of its head of family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNikKkCheck {
    /// The NIK, 16 digits.
    pub nik: String,
    /// The family card number.
    #[serde(default)]
    pub no_kk: Option<String>,
    /// Or the NIK of the head of family.
    #[serde(default)]
    pub head_nik: Option<String>,
}

/// The answer of a look-up: `outcome` is `found`, `not_found`, `deceased`,
/// `duplicate` or `inactive`; `resident` only when found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LookupAnswer {
    /// The operation id.
    pub operation_id: String,
    /// What the look-up found.
    pub outcome: String,
    /// Granted elements by wire name (numbers as numbers, dates
    /// `yyyy-mm-dd`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub resident: Option<serde_json::Map<String, serde_json::Value>>,
}

/// One element of a verification answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ElementResult {
    /// Wire name.
    pub element: String,
    /// Whether it matches.
    pub matches: bool,
    /// Similarity score 0–100 for free-text elements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
}

/// The answer of a verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct VerificationAnswer {
    /// The operation id.
    pub operation_id: String,
    /// What the look-up found.
    pub outcome: String,
    /// The threshold applied.
    pub threshold: u8,
    /// One result per submitted element, only when found.
    pub elements: Vec<ElementResult>,
}

/// The answer of the NIK + KK check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CheckAnswer {
    /// The operation id.
    pub operation_id: String,
    /// `ditemukan`, `tidak ditemukan` or `tidak sesuai`.
    pub result: String,
    /// Stable code: `check.found`, `check.not_found`, `check.mismatch`.
    pub outcome: String,
}

/// The members of a family card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FamilyAnswer {
    /// The operation id.
    pub operation_id: String,
    /// What the look-up of the NIK found.
    pub outcome: String,
    /// Each member's granted elements, head of family first.
    #[schema(value_type = Vec<Object>)]
    pub members: Vec<serde_json::Map<String, serde_json::Value>>,
}

//! Bodies of residents' access history (transparency for residents):
//! `POST /api/v1/resident/access-history`, where a resident with their NIK
//! and a one-time code from the registry sees which partner institutions
//! accessed their data.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/v1/resident/access-history`. Both fields travel in the body,
/// never in the URL, so they cannot reach access logs.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessHistoryQuery {
    /// The resident's NIK, 16 digits.
    pub nik: String,
    /// The one-time code the registry issued (ten characters; dashes and
    /// spaces are ignored, small letters are read as capitals).
    pub code: String,
}

impl std::fmt::Debug for AccessHistoryQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessHistoryQuery(***)")
    }
}

/// One access to the resident's data by a partner institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResidentAccess {
    /// When, RFC 3339 in Asia/Jakarta (`+07:00`).
    pub at: String,
    /// The institution's official name.
    pub institution: String,
    /// The front it came through: `compat`, `v1` or `portal`.
    pub interface: String,
    /// The front in words.
    pub interface_label: String,
    /// The mechanism (`call_nik`, `verify_by_elements`, …), when the
    /// request got that far.
    pub mechanism: Option<String>,
    /// The mechanism in words.
    pub mechanism_label: Option<String>,
    /// The outcome's stable code (`resident.found`, `access.quota_exhausted`, …).
    pub outcome: String,
    /// Whether any of the resident's data left in the answer.
    pub data_released: bool,
    /// The elements whose values or verdicts left, by wire name.
    pub elements: Vec<String>,
}

/// The resident's access history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccessHistory {
    /// The request's operation id.
    pub operation_id: String,
    /// Every access by a partner institution, newest first.
    pub accesses: Vec<ResidentAccess>,
}

//! Bodies of the return-data intake of the v1 API (SPEC.md §5):
//! `POST /api/v1/return-data` and its row-level report.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/v1/return-data`: rows of the caller's own schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReturnData {
    /// `all` (default: any rejected row and nothing is stored) or `rows`
    /// (the valid rows are stored, the others reported).
    #[serde(default)]
    pub mode: Option<String>,
    /// One object per resident: `NIK` and the schema's columns → values.
    pub rows: Vec<BTreeMap<String, String>>,
}

/// One problem of a rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReturnDataProblem {
    /// The column (`NIK`, `NIP`, …); empty for the row as a whole.
    pub column: String,
    /// Stable code, e.g. `return.not_accessed`.
    pub code: String,
    /// What is wrong, in Bahasa Indonesia.
    pub message: String,
}

/// A rejected row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReturnDataRejectedRow {
    /// Its row number (position in `rows`, from 1; the file's row number
    /// for uploads).
    pub row: u64,
    /// Every reason.
    pub problems: Vec<ReturnDataProblem>,
}

/// The row-level report of an intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReturnDataReport {
    /// The request's operation id (also the batch id).
    pub operation_id: String,
    /// The partner institution.
    pub institution: String,
    /// The schema the rows follow.
    pub schema: String,
    /// `upload`, `form` or `web_service`.
    pub method: String,
    /// `all` or `rows`.
    pub mode: String,
    /// Rows read.
    pub rows: u64,
    /// Rows stored by this submission (all-or-nothing with a rejected row:
    /// rows that would have been stored).
    pub accepted: u64,
    /// Rows identical to rows stored before ("sudah pernah dikirim"), not
    /// stored again.
    pub already_sent: u64,
    /// Rows rejected.
    pub rejected: u64,
    /// Whether the submission was stored (false: nothing of it was).
    pub stored: bool,
    /// Whether every row had been sent before.
    pub all_already_sent: bool,
    /// The first rejected rows with their reasons.
    pub rejected_rows: Vec<ReturnDataRejectedRow>,
    /// Whether more rows were rejected than listed.
    pub rejected_rows_truncated: bool,
}

/// One stored return-data row, as the registry reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StoredReturnData {
    /// The partner that sent it.
    pub institution: String,
    /// Its schema.
    pub schema: String,
    /// The batch (intake) it came in.
    pub batch: String,
    /// `upload`, `form` or `web_service`.
    pub method: String,
    /// When its batch arrived (RFC 3339).
    pub received_at: String,
    /// Column → value, in schema order.
    pub values: Vec<(String, String)>,
}

/// `POST /api/v1/return-data/of-resident`: what partners sent about one
/// resident, for the registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ResidentReturnData {
    /// The request's operation id.
    pub operation_id: String,
    /// The rows, oldest first.
    pub rows: Vec<StoredReturnData>,
}

/// The body of a 422 from `POST /api/v1/return-data`: the row-level report
/// when rows were refused and nothing was stored, or an error body when the
/// submission as a whole was (no rows, too many rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ReturnDataRefusal {
    /// Rows were refused: which, and why.
    Report(ReturnDataReport),
    /// The submission was refused whole.
    Error(crate::v1::ErrorBody),
}

//! Bodies of Gerbang's own versioned API, `/api/v1`.

use serde::{Deserialize, Serialize};

/// Every error answer of `/api/v1`: a stable machine code and a message for
/// people in Bahasa Indonesia, and the operation id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentRecord {
    /// Element wire name → value; unrecorded elements are absent.
    pub elements: serde_json::Map<String, serde_json::Value>,
    /// The resident has died.
    pub deceased: bool,
    /// The record is active.
    pub active: bool,
    /// The record is flagged as a duplicate.
    pub duplicate: bool,
}

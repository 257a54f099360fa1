//! Bodies of the KTP-el card-reader part of the v1 API (SPEC.md §6): a
//! reader's signed event forwarded by the partner's system, and the
//! registry's SAM lifecycle (`/api/v1/admin/sams/{id}/…`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/v1/card-reader/events`: one card read, as the SAM signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReaderEvent {
    /// The SAM's serial number.
    pub sam: String,
    /// The reader's serial number.
    pub reader: String,
    /// The SAM's event counter, rising by at least one per event.
    pub counter: u64,
    /// When the card was read, RFC 3339 (`2026-11-24T03:00:00Z`).
    pub at: String,
    /// The NIK read from the card.
    pub nik: String,
    /// Whether the holder's fingerprint matched the chip's on the device.
    pub fingerprint_verified: bool,
    /// The SAM's Ed25519 signature of the event (base64), over the lines
    /// `gerbang-reader-event-v1`, sam, reader, counter, at (RFC 3339,
    /// seconds, `Z`), nik, `true`/`false`, joined by `\n`.
    pub signature: String,
}

/// The answer to an accepted event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReaderEventAccepted {
    /// The operation id (also in the audit trail).
    pub operation_id: String,
    /// The SAM.
    pub sam: String,
    /// The counter accepted.
    pub counter: u64,
}

/// `POST /api/v1/admin/sams/{id}/deactivation`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDeactivation {
    /// Why, for the record (at least five characters).
    pub reason: String,
}

/// `POST /api/v1/admin/sams/{id}/personalization`: the SAM's configuration
/// file. Holds the secret key: shown only in this answer, never stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SamConfigFile {
    /// The operation id.
    pub operation_id: String,
    /// The SAM's serial number.
    pub sam: String,
    /// The reader it is personalized for.
    pub reader: String,
    /// The partner.
    pub institution: String,
    /// The Ed25519 secret key (base64, 32 bytes).
    pub secret_key: String,
    /// The public half (base64).
    pub public_key: String,
    /// When it was issued (RFC 3339).
    pub issued_at: String,
}

//! What the store keeps for the registry's casework beside the register and
//! the trail: the document-facilitation queue (SPEC.md §9) and the outbox
//! of notifications that a mailer drains (obligation reminders, SPEC.md §3).

use chrono::{DateTime, Utc};
use gerbang_core::reminder::Notification;

/// Which facilitation cases to list, newest first. Every filter that is
/// `Some` must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    /// The partner.
    pub institution: Option<String>,
    /// The status's stable name (`received`, `verified`, `in_process`,
    /// `issued`, `rejected`).
    pub status: Option<String>,
    /// At most this many.
    pub limit: u32,
}

/// A notification in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedNotification {
    /// The outbox's number.
    pub id: u64,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// What to send.
    pub notification: Notification,
    /// Delivery attempts so far.
    pub attempts: u32,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was delivered.
    pub sent_at: Option<DateTime<Utc>>,
}

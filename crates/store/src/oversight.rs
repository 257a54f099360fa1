//! What the registry asks of the audit trail beyond "who accessed this
//! resident": a filtered search (partner, User ID, outcome, time range) and
//! per-partner counts for the monitoring dashboard, grouped by Jakarta day
//! and hour so that night-time use stands out.

use chrono::{DateTime, NaiveDate, Utc};

/// A search of the trail. Every filter that is `Some` must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSearch {
    /// The partner institution.
    pub institution: Option<String>,
    /// The User ID.
    pub user_id: Option<String>,
    /// The stable outcome code (e.g. `resident.found`).
    pub outcome: Option<String>,
    /// From this moment, inclusive.
    pub from: DateTime<Utc>,
    /// Until this moment, exclusive.
    pub until: DateTime<Utc>,
    /// At most this many records, newest first.
    pub limit: u32,
}

/// How many mechanism calls of one partner had one outcome, by one User ID,
/// through one mechanism, in one hour of one Jakarta day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AuditCount {
    /// The Jakarta calendar day.
    pub day: NaiveDate,
    /// The Jakarta hour, 0–23.
    pub hour: u8,
    /// The User ID.
    pub user_id: String,
    /// The mechanism's stable name.
    pub mechanism: String,
    /// The stable outcome code.
    pub outcome: String,
    /// How many calls.
    pub count: u64,
}

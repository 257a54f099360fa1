//! The registry's questions to the trail in SQL: a filtered search, newest
//! first, and per-partner counts by Jakarta day and hour (Jakarta is UTC+7
//! all year, so the day and hour are the stored microseconds shifted by
//! seven hours). Partner counts use the index on (institution, at_us).

use chrono::{DateTime, NaiveDate, Utc};
use gerbang_core::audit::SealedRecord;
use gerbang_store::{AuditCount, AuditSearch, StoreError};
use rusqlite::{Connection, params};

use crate::audit::{COLUMNS, query};
use crate::error::from_sqlite;

/// Seconds from UTC to Jakarta time.
const JAKARTA_OFFSET: i64 = 7 * 3600;

/// The records matching `search`, newest first.
pub(crate) fn search(connection: &Connection, search: &AuditSearch) -> Result<Vec<SealedRecord>, StoreError> {
    query(
        connection,
        &format!(
            "select {COLUMNS} from audit.audit_trail
              where at_us >= ?1 and at_us < ?2
                and (?3 is null or institution = ?3)
                and (?4 is null or user_id = ?4)
                and (?5 is null or outcome = ?5)
              order by seq desc limit ?6"
        ),
        params![
            search.from.timestamp_micros(),
            search.until.timestamp_micros(),
            search.institution,
            search.user_id,
            search.outcome,
            search.limit
        ],
    )
}

/// Mechanism calls of one partner, counted per Jakarta day and hour, User
/// ID, mechanism and outcome.
pub(crate) fn counts(
    connection: &Connection,
    institution: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<AuditCount>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "select date(at_us / 1000000 + ?4, 'unixepoch') as day,
                    cast(strftime('%H', at_us / 1000000 + ?4, 'unixepoch') as integer) as hour,
                    coalesce(user_id, ''), mechanism, outcome, count(*)
               from audit.audit_trail
              where institution = ?1 and at_us >= ?2 and at_us < ?3 and mechanism is not null
              group by day, hour, user_id, mechanism, outcome
              order by day, hour",
        )
        .map_err(from_sqlite)?;
    let mut rows = statement
        .query(params![institution, from.timestamp_micros(), until.timestamp_micros(), JAKARTA_OFFSET])
        .map_err(from_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let day: String = row.get(0).map_err(from_sqlite)?;
        let hour: i64 = row.get(1).map_err(from_sqlite)?;
        let count: i64 = row.get(5).map_err(from_sqlite)?;
        out.push(AuditCount {
            day: day.parse::<NaiveDate>().map_err(|_| StoreError::Corrupt("tanggal jejak audit".into()))?,
            hour: u8::try_from(hour).map_err(|_| StoreError::Corrupt("jam jejak audit".into()))?,
            user_id: row.get(2).map_err(from_sqlite)?,
            mechanism: row.get(3).map_err(from_sqlite)?,
            outcome: row.get(4).map_err(from_sqlite)?,
            count: u64::try_from(count).unwrap_or(0),
        });
    }
    Ok(out)
}

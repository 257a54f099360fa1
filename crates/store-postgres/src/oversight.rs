//! The registry's questions to the trail in SQL: a filtered search, newest
//! first, and per-partner counts by Jakarta day and hour. Partner counts
//! use the index on (institution, at) in every monthly partition the range
//! touches.

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::Client;
use gerbang_core::audit::SealedRecord;
use gerbang_store::{AuditCount, AuditSearch, StoreError};

use crate::audit::{COLUMNS, column, query};
use crate::error::{corrupt, from_postgres};

/// The records matching `search`, newest first.
pub(crate) async fn search(client: &Client, search: &AuditSearch) -> Result<Vec<SealedRecord>, StoreError> {
    let sql = format!(
        "select {COLUMNS} from audit_trail
          where at >= $1 and at < $2
            and ($3::text is null or institution = $3)
            and ($4::text is null or user_id = $4)
            and ($5::text is null or outcome = $5)
          order by seq desc limit $6"
    );
    query(
        client,
        &sql,
        &[&search.from, &search.until, &search.institution, &search.user_id, &search.outcome, &i64::from(search.limit)],
    )
    .await
}

/// Mechanism calls of one partner, counted per Jakarta day and hour, User
/// ID, mechanism and outcome.
pub(crate) async fn counts(
    client: &Client,
    institution: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<AuditCount>, StoreError> {
    let statement = client
        .prepare_cached(
            "select (at at time zone 'Asia/Jakarta')::date as day,
                    extract(hour from at at time zone 'Asia/Jakarta')::int as hour,
                    coalesce(user_id, ''), mechanism, outcome, count(*)
               from audit_trail
              where institution = $1 and at >= $2 and at < $3 and mechanism is not null
              group by 1, 2, user_id, mechanism, outcome
              order by 1, 2",
        )
        .await
        .map_err(from_postgres)?;
    let rows = client.query(&statement, &[&institution, &from, &until]).await.map_err(from_postgres)?;
    rows.iter()
        .map(|row| {
            let hour: i32 = column(row, 1)?;
            let count: i64 = column(row, 5)?;
            Ok(AuditCount {
                day: column::<NaiveDate>(row, 0)?,
                hour: u8::try_from(hour).map_err(|_| corrupt("jam jejak audit"))?,
                user_id: column(row, 2)?,
                mechanism: column(row, 3)?,
                outcome: column(row, 4)?,
                count: u64::try_from(count).unwrap_or(0),
            })
        })
        .collect()
}

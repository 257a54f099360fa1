//! Daily quotas, exact across every node sharing the database.
//!
//! Two tables, two jobs, no double counting:
//!
//! - `quota_counters` holds the hits *charged* per account and Jakarta day.
//!   [`charge`] is one atomic upsert whose update only happens while the
//!   count is below the limit; PostgreSQL locks the row for the increment,
//!   so concurrent charges from any number of processes queue on it and
//!   exactly `limit` succeed. [`refund`] takes one back, never below zero.
//!   This replaces SQLite's in-process counters, which only one node can own.
//! - `quota_usage` holds the *charged audit records* per account and Jakarta
//!   day, kept by `append_audit` in the same transaction as the records
//!   (so a refused batch adds nothing). It is what the trail proves was
//!   served.
//!
//! [`used`] reports the larger of the two. In normal operation every
//! charged record was first charged through the counter, so the counter is
//! the larger (it also covers requests still being answered); usage is
//! larger only for records charged without a counter, such as records
//! copied from another deployment, and those must not be forgotten. For the
//! same reason the first charge of a day starts the counter from that day's
//! usage, as SQLite seeds its in-memory counter from the stored usage.
//!
//! Concurrent charges of one account on one node are grouped into one
//! statement (see [`crate::charges`]).
//!
//! Charges and refunds commit **without waiting for the disk**
//! (`synchronous_commit = off`, on connections kept for them alone). Every
//! request of an account increments the same counter row, and PostgreSQL
//! holds that row's lock until the commit returns: waiting for the write-ahead
//! log flush there let only one charge per flush through, about 1,300 a
//! second for all nodes together. Nothing answered depends on that wait: a
//! request is answered only after its audit record commits durably, and that
//! flush covers the whole log before it, the charge included. A charge lost
//! in a database crash therefore belongs to a request that was never
//! answered.
//!
//! Counter rows of past days are not needed once the day is over; they are
//! one small row per account per day and are left for the operator to prune.

use chrono::NaiveDate;
use deadpool_postgres::Client;
use gerbang_store::StoreError;

use crate::error::{corrupt, from_postgres};

/// Charges one hit unless `$3` are already charged; returns the new count.
/// A first charge of the day starts from the recorded usage; the `where` on
/// the `select` and on the update keep the count at or below the limit.
const CHARGE: &str = "insert into quota_counters as counter (user_id, day, used)
     select $1, $2, seeded.used + 1
       from (select coalesce((select used from quota_usage where user_id = $1 and day = $2), 0) as used) seeded
      where seeded.used < $3
     on conflict (user_id, day) do update set used = counter.used + 1 where counter.used < $3
     returning used";

/// Charges `$3` hits at once if they all fit under the limit `$4`; the new
/// count, or no row (they do not all fit, or the day has no row yet).
const CHARGE_MANY: &str = "update quota_counters set used = used + $3
     where user_id = $1 and day = $2 and used + $3 <= $4 returning used";

const REFUND: &str = "update quota_counters set used = used - 1 where user_id = $1 and day = $2 and used > 0";

const USED: &str = "select greatest(
         coalesce((select used from quota_counters where user_id = $1 and day = $2), 0),
         coalesce((select used from quota_usage where user_id = $1 and day = $2), 0))";

/// Hits counted for an account on a day.
pub(crate) async fn used(client: &Client, user_id: &str, day: NaiveDate) -> Result<u32, StoreError> {
    let statement = client.prepare_cached(USED).await.map_err(from_postgres)?;
    let row = client.query_one(&statement, &[&user_id, &day]).await.map_err(from_postgres)?;
    let used: i64 = row.try_get(0).map_err(|_| corrupt("kuota terpakai"))?;
    Ok(u32::try_from(used.max(0)).unwrap_or(u32::MAX))
}

/// Charges one hit if fewer than `limit` are charged; the hits left after it.
pub(crate) async fn charge(
    client: &Client,
    user_id: &str,
    day: NaiveDate,
    limit: u32,
) -> Result<Option<u32>, StoreError> {
    let statement = client.prepare_cached(CHARGE).await.map_err(from_postgres)?;
    let row = client.query_opt(&statement, &[&user_id, &day, &i64::from(limit)]).await.map_err(from_postgres)?;
    let Some(row) = row else { return Ok(None) };
    let used: i64 = row.try_get(0).map_err(|_| corrupt("kuota terpakai"))?;
    Ok(Some(u32::try_from(i64::from(limit) - used).map_err(|_| corrupt("kuota terpakai"))?))
}

/// Charges a batch of waiting requests of one account and day: all at once
/// when they fit, else one by one in arrival order until one is refused
/// (then the rest are refused too). The smallest limit among them applies
/// to all, so a quota lowered meanwhile is never exceeded. The hits left
/// after each charge, or `None` for a refused one.
pub(crate) async fn charge_many(
    client: &Client,
    user_id: &str,
    day: NaiveDate,
    limits: &[u32],
) -> Result<Vec<Option<u32>>, StoreError> {
    let Some(limit) = limits.iter().copied().min() else { return Ok(Vec::new()) };
    let count = limits.len() as i64;
    let statement = client.prepare_cached(CHARGE_MANY).await.map_err(from_postgres)?;
    let row =
        client.query_opt(&statement, &[&user_id, &day, &count, &i64::from(limit)]).await.map_err(from_postgres)?;
    if let Some(row) = row {
        let used: i64 = row.try_get(0).map_err(|_| corrupt("kuota terpakai"))?;
        let first = used - count;
        return (1..=count)
            .map(|n| Ok(Some(u32::try_from(i64::from(limit) - (first + n)).map_err(|_| corrupt("kuota terpakai"))?)))
            .collect();
    }
    let mut answers = Vec::with_capacity(limits.len());
    for _ in limits {
        let answer = match answers.last() {
            Some(None) => None,
            _ => charge(client, user_id, day, limit).await?,
        };
        answers.push(answer);
    }
    Ok(answers)
}

/// Gives back one charged hit.
pub(crate) async fn refund(client: &Client, user_id: &str, day: NaiveDate) -> Result<(), StoreError> {
    let statement = client.prepare_cached(REFUND).await.map_err(from_postgres)?;
    client.execute(&statement, &[&user_id, &day]).await.map_err(from_postgres)?;
    Ok(())
}

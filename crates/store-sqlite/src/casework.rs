//! The facilitation queue and the notification outbox in SQL. A case is
//! stored as its JSON document with its status and subject key beside it;
//! the partial unique index on open cases' subject keys refuses a second
//! open case for the same person.

use chrono::{DateTime, Utc};
use gerbang_core::facilitation::Case;
use gerbang_core::reminder::{Audience, Notification};
use gerbang_store::{CaseQuery, QueuedNotification, StoreError};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::from_sqlite;

fn to_json(case: &Case) -> Result<String, StoreError> {
    serde_json::to_string(case).map_err(|e| StoreError::Backend(format!("permohonan fasilitasi: {e}")))
}

fn from_json(number: i64, body: &str) -> Result<Case, StoreError> {
    let mut case: Case =
        serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("permohonan fasilitasi {number}: {e}")))?;
    case.number = u64::try_from(number).map_err(|_| StoreError::Corrupt("nomor permohonan fasilitasi".into()))?;
    Ok(case)
}

fn open_conflict(error: StoreError) -> StoreError {
    match error {
        StoreError::Conflict(_) => StoreError::Conflict(
            "permohonan untuk orang dan dokumen yang sama masih diproses; tunggu hingga selesai".into(),
        ),
        other => other,
    }
}

/// Stores new cases, numbering them.
pub(crate) fn file(tx: &Transaction<'_>, cases: &[Case]) -> Result<Vec<u64>, StoreError> {
    let mut numbers = Vec::with_capacity(cases.len());
    let mut insert = tx
        .prepare_cached(
            "insert into facilitation_cases (institution, status, subject_key, body) values (?1, ?2, ?3, ?4)",
        )
        .map_err(from_sqlite)?;
    for case in cases {
        insert
            .execute(params![case.filing.institution, case.status().name(), case.filing.subject_key(), to_json(case)?])
            .map_err(from_sqlite)
            .map_err(open_conflict)?;
        numbers.push(u64::try_from(tx.last_insert_rowid()).unwrap_or(0));
    }
    Ok(numbers)
}

/// One case.
pub(crate) fn case(connection: &Connection, number: u64) -> Result<Option<Case>, StoreError> {
    let number = i64::try_from(number).unwrap_or(i64::MAX);
    let body: Option<String> = connection
        .query_row("select body from facilitation_cases where number = ?1", [number], |row| row.get(0))
        .optional()
        .map_err(from_sqlite)?;
    body.map(|body| from_json(number, &body)).transpose()
}

/// Stores a case's new step if nobody moved it since it was read.
pub(crate) fn record_step(tx: &Transaction<'_>, case: &Case, seen_steps: usize) -> Result<(), StoreError> {
    let stored = self::case(tx, case.number)?
        .ok_or_else(|| StoreError::Conflict(format!("permohonan {} tidak ada", case.handle())))?;
    if stored.steps.len() != seen_steps {
        return Err(StoreError::Conflict(format!(
            "permohonan {} baru saja diubah pengguna lain; muat ulang",
            case.handle()
        )));
    }
    tx.execute(
        "update facilitation_cases set status = ?2, body = ?3 where number = ?1",
        params![i64::try_from(case.number).unwrap_or(i64::MAX), case.status().name(), to_json(case)?],
    )
    .map_err(from_sqlite)?;
    Ok(())
}

/// The cases matching `query`, newest first.
pub(crate) fn cases(connection: &Connection, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "select number, body from facilitation_cases
              where (?1 is null or institution = ?1) and (?2 is null or status = ?2)
              order by number desc limit ?3",
        )
        .map_err(from_sqlite)?;
    let mut rows = statement.query(params![query.institution, query.status, query.limit]).map_err(from_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let number: i64 = row.get(0).map_err(from_sqlite)?;
        let body: String = row.get(1).map_err(from_sqlite)?;
        out.push(from_json(number, &body)?);
    }
    Ok(out)
}

/// Queues notifications whose key is new.
pub(crate) fn queue(
    tx: &Transaction<'_>,
    notifications: &[Notification],
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut insert = tx
        .prepare_cached(
            "insert into notifications (key, queued_us, institution, audience, subject, body)
             values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (key) do nothing",
        )
        .map_err(from_sqlite)?;
    let mut queued = 0;
    for n in notifications {
        queued += insert
            .execute(params![n.key, at.timestamp_micros(), n.institution, n.audience.name(), n.subject, n.body])
            .map_err(from_sqlite)? as u64;
    }
    Ok(queued)
}

fn instant(micros: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| StoreError::Corrupt("waktu notifikasi".into()))
}

/// Notifications not yet delivered, oldest first.
pub(crate) fn undelivered(connection: &Connection, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
    notifications(connection, "sent_us is null and id > ?1", 0, limit)
}

/// Every notification with an id above `after`, in id order.
pub(crate) fn after(connection: &Connection, after: u64, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
    notifications(connection, "id > ?1", after, limit)
}

fn notifications(
    connection: &Connection,
    filter: &str,
    after: u64,
    limit: u32,
) -> Result<Vec<QueuedNotification>, StoreError> {
    let mut statement = connection
        .prepare_cached(&format!(
            "select id, queued_us, key, institution, audience, subject, body, attempts, last_error, sent_us
               from notifications where {filter} order by id limit ?2"
        ))
        .map_err(from_sqlite)?;
    let mut rows = statement.query(params![i64::try_from(after).unwrap_or(i64::MAX), limit]).map_err(from_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let audience: String = row.get(4).map_err(from_sqlite)?;
        out.push(QueuedNotification {
            id: u64::try_from(row.get::<_, i64>(0).map_err(from_sqlite)?).unwrap_or(0),
            queued_at: instant(row.get(1).map_err(from_sqlite)?)?,
            notification: Notification {
                key: row.get(2).map_err(from_sqlite)?,
                institution: row.get(3).map_err(from_sqlite)?,
                audience: Audience::from_name(&audience)
                    .ok_or_else(|| StoreError::Corrupt(format!("penerima notifikasi {audience}")))?,
                subject: row.get(5).map_err(from_sqlite)?,
                body: row.get(6).map_err(from_sqlite)?,
            },
            attempts: row.get(7).map_err(from_sqlite)?,
            last_error: row.get(8).map_err(from_sqlite)?,
            sent_at: row.get::<_, Option<i64>>(9).map_err(from_sqlite)?.map(instant).transpose()?,
        });
    }
    Ok(out)
}

/// Records a delivery attempt.
pub(crate) fn record_delivery(
    tx: &Transaction<'_>,
    id: u64,
    at: DateTime<Utc>,
    failure: Option<&str>,
) -> Result<(), StoreError> {
    let id = i64::try_from(id).unwrap_or(i64::MAX);
    match failure {
        None => tx.execute(
            "update notifications set attempts = attempts + 1, sent_us = ?2, last_error = null where id = ?1",
            params![id, at.timestamp_micros()],
        ),
        Some(reason) => tx.execute(
            "update notifications set attempts = attempts + 1, last_error = ?2 where id = ?1",
            params![id, reason],
        ),
    }
    .map_err(from_sqlite)?;
    Ok(())
}

/// Copies cases and notifications keeping their numbers and state.
pub(crate) fn restore(
    tx: &Transaction<'_>,
    cases: &[Case],
    notifications: &[QueuedNotification],
) -> Result<(), StoreError> {
    let mut case = tx
        .prepare_cached(
            "insert into facilitation_cases (number, institution, status, subject_key, body)
             values (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(from_sqlite)?;
    for c in cases {
        let number = i64::try_from(c.number).unwrap_or(i64::MAX);
        case.execute(params![number, c.filing.institution, c.status().name(), c.filing.subject_key(), to_json(c)?])
            .map_err(from_sqlite)?;
    }
    let mut note = tx
        .prepare_cached(
            "insert into notifications
                 (id, key, queued_us, institution, audience, subject, body, attempts, last_error, sent_us)
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .map_err(from_sqlite)?;
    for q in notifications {
        let n = &q.notification;
        note.execute(params![
            i64::try_from(q.id).unwrap_or(i64::MAX),
            n.key,
            q.queued_at.timestamp_micros(),
            n.institution,
            n.audience.name(),
            n.subject,
            n.body,
            q.attempts,
            q.last_error,
            q.sent_at.map(|at| at.timestamp_micros())
        ])
        .map_err(from_sqlite)?;
    }
    Ok(())
}

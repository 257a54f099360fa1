//! The facilitation queue and the notification outbox in SQL. A case is
//! stored as its JSON document with its status and subject key beside it;
//! the partial unique index on open cases' subject keys refuses a second
//! open case for the same person.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient, Transaction};
use gerbang_core::facilitation::Case;
use gerbang_core::reminder::{Audience, Notification};
use gerbang_store::{CaseQuery, QueuedNotification, StoreError};

use crate::audit::column;
use crate::error::{corrupt, from_postgres};

fn to_json(case: &Case) -> Result<String, StoreError> {
    serde_json::to_string(case).map_err(|e| StoreError::Backend(format!("permohonan fasilitasi: {e}")))
}

fn from_json(number: i64, body: &str) -> Result<Case, StoreError> {
    let mut case: Case =
        serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("permohonan fasilitasi {number}: {e}")))?;
    case.number = u64::try_from(number).map_err(|_| corrupt("nomor permohonan fasilitasi"))?;
    Ok(case)
}

fn number(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Stores new cases, numbering them.
pub(crate) async fn file(tx: &Transaction<'_>, cases: &[Case]) -> Result<Vec<u64>, StoreError> {
    let insert = tx
        .prepare_cached(
            "insert into facilitation_cases (institution, status, subject_key, body)
             values ($1, $2, $3, $4) returning number",
        )
        .await
        .map_err(from_postgres)?;
    let mut numbers = Vec::with_capacity(cases.len());
    for case in cases {
        let row = tx
            .query_one(
                &insert,
                &[&case.filing.institution, &case.status().name(), &case.filing.subject_key(), &to_json(case)?],
            )
            .await
            .map_err(|error| match from_postgres(error) {
                StoreError::Conflict(_) => StoreError::Conflict(
                    "permohonan untuk orang dan dokumen yang sama masih diproses; tunggu hingga selesai".into(),
                ),
                other => other,
            })?;
        let n: i64 = column(&row, 0)?;
        numbers.push(u64::try_from(n).map_err(|_| corrupt("nomor permohonan fasilitasi"))?);
    }
    Ok(numbers)
}

async fn load(client: &impl GenericClient, n: u64, lock: bool) -> Result<Option<Case>, StoreError> {
    let sql = if lock {
        "select body from facilitation_cases where number = $1 for update"
    } else {
        "select body from facilitation_cases where number = $1"
    };
    let row = client.query_opt(sql, &[&number(n)]).await.map_err(from_postgres)?;
    row.map(|row| from_json(number(n), &column::<String>(&row, 0)?)).transpose()
}

/// One case.
pub(crate) async fn case(client: &Client, n: u64) -> Result<Option<Case>, StoreError> {
    load(client, n, false).await
}

/// Stores a case's new step if nobody moved it since it was read.
pub(crate) async fn record_step(tx: &Transaction<'_>, case: &Case, seen_steps: usize) -> Result<(), StoreError> {
    let stored = load(tx, case.number, true)
        .await?
        .ok_or_else(|| StoreError::Conflict(format!("permohonan {} tidak ada", case.handle())))?;
    if stored.steps.len() != seen_steps {
        return Err(StoreError::Conflict(format!(
            "permohonan {} baru saja diubah pengguna lain; muat ulang",
            case.handle()
        )));
    }
    tx.execute(
        "update facilitation_cases set status = $2, body = $3 where number = $1",
        &[&number(case.number), &case.status().name(), &to_json(case)?],
    )
    .await
    .map_err(from_postgres)?;
    Ok(())
}

/// The cases matching `query`, newest first.
pub(crate) async fn cases(client: &Client, query: &CaseQuery) -> Result<Vec<Case>, StoreError> {
    let rows = client
        .query(
            "select number, body from facilitation_cases
              where ($1::text is null or institution = $1) and ($2::text is null or status = $2)
              order by number desc limit $3",
            &[&query.institution, &query.status, &i64::from(query.limit)],
        )
        .await
        .map_err(from_postgres)?;
    rows.iter().map(|row| from_json(column(row, 0)?, &column::<String>(row, 1)?)).collect()
}

/// Queues notifications whose key is new.
pub(crate) async fn queue(
    tx: &Transaction<'_>,
    notifications: &[Notification],
    at: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let insert = tx
        .prepare_cached(
            "insert into notifications (key, queued_at, institution, audience, subject, body)
             values ($1, $2, $3, $4, $5, $6) on conflict (key) do nothing",
        )
        .await
        .map_err(from_postgres)?;
    let mut queued = 0;
    for n in notifications {
        queued += tx
            .execute(&insert, &[&n.key, &at, &n.institution, &n.audience.name(), &n.subject, &n.body])
            .await
            .map_err(from_postgres)?;
    }
    Ok(queued)
}

/// Notifications not yet delivered, oldest first.
pub(crate) async fn undelivered(client: &Client, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
    notifications(client, "sent_at is null and id > $1", 0, limit).await
}

/// Every notification with an id above `after`, in id order.
pub(crate) async fn after(client: &Client, after: u64, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
    notifications(client, "id > $1", after, limit).await
}

async fn notifications(
    client: &Client,
    filter: &str,
    after: u64,
    limit: u32,
) -> Result<Vec<QueuedNotification>, StoreError> {
    let sql = format!(
        "select id, queued_at, key, institution, audience, subject, body, attempts, last_error, sent_at
           from notifications where {filter} order by id limit $2"
    );
    let rows = client.query(&sql, &[&number(after), &i64::from(limit)]).await.map_err(from_postgres)?;
    rows.iter()
        .map(|row| {
            let audience: String = column(row, 4)?;
            let attempts: i32 = column(row, 7)?;
            Ok(QueuedNotification {
                id: u64::try_from(column::<i64>(row, 0)?).map_err(|_| corrupt("nomor notifikasi"))?,
                queued_at: column(row, 1)?,
                notification: Notification {
                    key: column(row, 2)?,
                    institution: column(row, 3)?,
                    audience: Audience::from_name(&audience).ok_or_else(|| corrupt("penerima notifikasi"))?,
                    subject: column(row, 5)?,
                    body: column(row, 6)?,
                },
                attempts: u32::try_from(attempts).unwrap_or(0),
                last_error: column(row, 8)?,
                sent_at: column(row, 9)?,
            })
        })
        .collect()
}

/// Records a delivery attempt.
pub(crate) async fn record_delivery(
    tx: &Transaction<'_>,
    id: u64,
    at: DateTime<Utc>,
    failure: Option<&str>,
) -> Result<(), StoreError> {
    let id = number(id);
    match failure {
        None => {
            tx.execute(
                "update notifications set attempts = attempts + 1, sent_at = $2, last_error = null where id = $1",
                &[&id, &at],
            )
            .await
        }
        Some(reason) => {
            tx.execute(
                "update notifications set attempts = attempts + 1, last_error = $2 where id = $1",
                &[&id, &reason],
            )
            .await
        }
    }
    .map_err(from_postgres)?;
    Ok(())
}

/// Copies cases and notifications keeping their numbers and state; the
/// identity columns then continue after the largest.
pub(crate) async fn restore(
    tx: &Transaction<'_>,
    cases: &[Case],
    notifications: &[QueuedNotification],
) -> Result<(), StoreError> {
    for c in cases {
        tx.execute(
            "insert into facilitation_cases (number, institution, status, subject_key, body)
             overriding system value values ($1, $2, $3, $4, $5)",
            &[&number(c.number), &c.filing.institution, &c.status().name(), &c.filing.subject_key(), &to_json(c)?],
        )
        .await
        .map_err(from_postgres)?;
    }
    for q in notifications {
        let n = &q.notification;
        let attempts = i32::try_from(q.attempts).unwrap_or(i32::MAX);
        tx.execute(
            "insert into notifications
                 (id, key, queued_at, institution, audience, subject, body, attempts, last_error, sent_at)
             overriding system value values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            &[
                &number(q.id),
                &n.key,
                &q.queued_at,
                &n.institution,
                &n.audience.name(),
                &n.subject,
                &n.body,
                &attempts,
                &q.last_error,
                &q.sent_at,
            ],
        )
        .await
        .map_err(from_postgres)?;
    }
    tx.batch_execute(
        "select setval(pg_get_serial_sequence('facilitation_cases', 'number'),
                       coalesce((select max(number) from facilitation_cases), 0) + 1, false);
         select setval(pg_get_serial_sequence('notifications', 'id'),
                       coalesce((select max(id) from notifications), 0) + 1, false);",
    )
    .await
    .map_err(from_postgres)?;
    Ok(())
}

//! Canary residents and the console's alerts (migration 0010). Which open
//! alert a sighting merges into is `core`'s decision (`Alert::absorbs`);
//! this file only finds the candidate (the newest open alert of the same
//! kind, partner and User ID) and writes the result. Raising takes a
//! transaction-scoped advisory lock first, so two nodes seeing the same scan
//! at once never open two alerts.

use chrono::{DateTime, Utc};
use deadpool_postgres::{Client, GenericClient, Transaction};
use gerbang_core::Nik;
use gerbang_core::alert::{Acknowledgement, Alert, AlertKind, Canary, Sighting};
use gerbang_store::StoreError;
use tokio_postgres::Row;

use crate::audit::column;
use crate::error::{corrupt, from_postgres};

/// The advisory lock key of raising alerts ("gerbang" and 2 in ASCII bytes).
const RAISE_LOCK: i64 = 0x6765_7262_616e_6702;

fn id_of(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Marks a canary and bumps the control version.
pub(crate) async fn add_canary(tx: &Transaction<'_>, canary: &Canary) -> Result<(), StoreError> {
    tx.execute(
        "insert into canaries (nik, label, added_at, added_by) values ($1, $2, $3, $4)
         on conflict (nik) do update set label = excluded.label",
        &[&i64::try_from(canary.nik.value()).unwrap_or(i64::MAX), &canary.label, &canary.added_at, &canary.added_by],
    )
    .await
    .map_err(from_postgres)?;
    tx.execute("update control_version set version = version + 1 where id = 1", &[]).await.map_err(from_postgres)?;
    Ok(())
}

/// Every canary, in NIK order.
pub(crate) async fn canaries(client: &Client) -> Result<Vec<Canary>, StoreError> {
    let rows = client
        .query("select nik, label, added_at, added_by from canaries order by nik", &[])
        .await
        .map_err(from_postgres)?;
    rows.iter()
        .map(|row| {
            let nik: i64 = column(row, 0)?;
            let nik = u64::try_from(nik).ok().and_then(Nik::from_stored).ok_or_else(|| corrupt("NIK umpan"))?;
            Ok(Canary { nik, label: column(row, 1)?, added_at: column(row, 2)?, added_by: column(row, 3)? })
        })
        .collect()
}

const COLUMNS: &str = "id, kind, institution, user_id, first_at, last_at, count, detail, operations, \
                       acknowledged_by, acknowledged_at";

fn alert_of(row: &Row) -> Result<Alert, StoreError> {
    let id: i64 = column(row, 0)?;
    let kind: String = column(row, 1)?;
    let count: i64 = column(row, 6)?;
    let operations: String = column(row, 8)?;
    let acknowledged = match (column::<Option<String>>(row, 9)?, column::<Option<DateTime<Utc>>>(row, 10)?) {
        (Some(by), Some(at)) => Some(Acknowledgement { by, at }),
        _ => None,
    };
    Ok(Alert {
        id: u64::try_from(id).map_err(|_| corrupt("nomor peringatan"))?,
        kind: AlertKind::from_code(&kind).ok_or_else(|| corrupt("jenis peringatan"))?,
        institution: column(row, 2)?,
        user_id: column(row, 3)?,
        first_at: column(row, 4)?,
        last_at: column(row, 5)?,
        count: u64::try_from(count).map_err(|_| corrupt("jumlah peringatan"))?,
        detail: column(row, 7)?,
        operations: serde_json::from_str(&operations).map_err(|_| corrupt("bukti peringatan"))?,
        acknowledged,
    })
}

fn operations_json(alert: &Alert) -> Result<String, StoreError> {
    serde_json::to_string(&alert.operations).map_err(|e| StoreError::Backend(format!("bukti peringatan: {e}")))
}

/// Merges `sighting` into its open alert or opens one; the alert's id.
pub(crate) async fn raise(tx: &Transaction<'_>, sighting: &Sighting) -> Result<u64, StoreError> {
    tx.execute("select pg_advisory_xact_lock($1)", &[&RAISE_LOCK]).await.map_err(from_postgres)?;
    let open = tx
        .query_opt(
            &format!(
                "select {COLUMNS} from alerts where kind = $1 and institution = $2 and user_id = $3
                 and acknowledged_at is null order by id desc limit 1"
            ),
            &[&sighting.kind.code(), &sighting.institution, &sighting.user_id],
        )
        .await
        .map_err(from_postgres)?
        .map(|row| alert_of(&row))
        .transpose()?;
    let count = |alert: &Alert| i64::try_from(alert.count).unwrap_or(i64::MAX);
    match open.filter(|alert| alert.absorbs(sighting)) {
        Some(mut alert) => {
            alert.absorb(sighting);
            tx.execute(
                "update alerts set first_at = $2, last_at = $3, count = $4, detail = $5, operations = $6
                 where id = $1",
                &[
                    &id_of(alert.id),
                    &alert.first_at,
                    &alert.last_at,
                    &count(&alert),
                    &alert.detail,
                    &operations_json(&alert)?,
                ],
            )
            .await
            .map_err(from_postgres)?;
            Ok(alert.id)
        }
        None => {
            let alert = Alert::opened_by(sighting);
            let row = tx
                .query_one(
                    "insert into alerts (kind, institution, user_id, first_at, last_at, count, detail, operations)
                     values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
                    &[
                        &alert.kind.code(),
                        &alert.institution,
                        &alert.user_id,
                        &alert.first_at,
                        &alert.last_at,
                        &count(&alert),
                        &alert.detail,
                        &operations_json(&alert)?,
                    ],
                )
                .await
                .map_err(from_postgres)?;
            let id: i64 = column(&row, 0)?;
            u64::try_from(id).map_err(|_| corrupt("nomor peringatan"))
        }
    }
}

/// Copies `alerts` with their ids; the identity column then continues
/// after the largest.
pub(crate) async fn restore(tx: &Transaction<'_>, alerts: &[Alert]) -> Result<(), StoreError> {
    for alert in alerts {
        let id = i64::try_from(alert.id).map_err(|_| corrupt("nomor peringatan"))?;
        let acknowledged = alert.acknowledged.as_ref();
        tx.execute(
            "insert into alerts (id, kind, institution, user_id, first_at, last_at, count, detail, operations,
                                 acknowledged_by, acknowledged_at)
             overriding system value values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &id,
                &alert.kind.code(),
                &alert.institution,
                &alert.user_id,
                &alert.first_at,
                &alert.last_at,
                &i64::try_from(alert.count).unwrap_or(i64::MAX),
                &alert.detail,
                &operations_json(alert)?,
                &acknowledged.map(|a| a.by.as_str()),
                &acknowledged.map(|a| a.at),
            ],
        )
        .await
        .map_err(from_postgres)?;
    }
    tx.batch_execute(
        "select setval(pg_get_serial_sequence('alerts', 'id'), coalesce((select max(id) from alerts), 0) + 1, false)",
    )
    .await
    .map_err(from_postgres)?;
    Ok(())
}

/// Up to `limit` alerts, open first, newest last sighting first.
pub(crate) async fn alerts(client: &Client, limit: u32) -> Result<Vec<Alert>, StoreError> {
    let rows = client
        .query(
            &format!(
                "select {COLUMNS} from alerts order by acknowledged_at is not null, last_at desc, id desc limit $1"
            ),
            &[&i64::from(limit)],
        )
        .await
        .map_err(from_postgres)?;
    rows.iter().map(alert_of).collect()
}

/// One alert.
pub(crate) async fn alert(client: &Client, id: u64) -> Result<Option<Alert>, StoreError> {
    let row = client
        .query_opt(&format!("select {COLUMNS} from alerts where id = $1"), &[&id_of(id)])
        .await
        .map_err(from_postgres)?;
    row.map(|row| alert_of(&row)).transpose()
}

/// Acknowledges an open alert; false when none is open with that id.
pub(crate) async fn acknowledge(client: &Client, id: u64, by: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let changed = client
        .execute(
            "update alerts set acknowledged_by = $2, acknowledged_at = $3 where id = $1 and acknowledged_at is null",
            &[&id_of(id), &by, &at],
        )
        .await
        .map_err(from_postgres)?;
    Ok(changed == 1)
}

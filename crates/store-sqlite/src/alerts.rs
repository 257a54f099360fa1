//! Canary residents and the console's alerts in the register file
//! (migration 0010). Which open alert a sighting merges into is `core`'s
//! decision (`Alert::absorbs`); this file only finds the candidate (the
//! newest open alert of the same kind, partner and User ID) and writes the
//! result, inside the writer's immediate transaction so two sightings never
//! open two alerts.

use chrono::{DateTime, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::alert::{Acknowledgement, Alert, AlertKind, Canary, Sighting};
use gerbang_store::StoreError;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::error::from_sqlite;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("peringatan tersimpan rusak: {what}"))
}

fn instant(us: i64) -> Result<DateTime<Utc>, StoreError> {
    Utc.timestamp_micros(us).single().ok_or_else(|| corrupt("waktu"))
}

fn id_of(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

/// Marks a canary and bumps the control version.
pub(crate) fn add_canary(tx: &Transaction<'_>, canary: &Canary) -> Result<(), StoreError> {
    tx.execute(
        "insert into canaries (nik, label, added_at_us, added_by) values (?1, ?2, ?3, ?4)
         on conflict (nik) do update set label = excluded.label",
        params![
            i64::try_from(canary.nik.value()).unwrap_or(i64::MAX),
            canary.label,
            canary.added_at.timestamp_micros(),
            canary.added_by
        ],
    )
    .map_err(from_sqlite)?;
    tx.execute("update control_version set version = version + 1 where id = 1", []).map_err(from_sqlite)?;
    Ok(())
}

/// Every canary, in NIK order.
pub(crate) fn canaries(connection: &Connection) -> Result<Vec<Canary>, StoreError> {
    let mut statement = connection
        .prepare_cached("select nik, label, added_at_us, added_by from canaries order by nik")
        .map_err(from_sqlite)?;
    let rows = statement
        .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get(1)?, row.get::<_, i64>(2)?, row.get(3)?)))
        .map_err(from_sqlite)?;
    rows.map(|row| {
        let (nik, label, added_us, added_by) = row.map_err(from_sqlite)?;
        let nik = u64::try_from(nik).ok().and_then(Nik::from_stored).ok_or_else(|| corrupt("NIK umpan"))?;
        Ok(Canary { nik, label, added_at: instant(added_us)?, added_by })
    })
    .collect()
}

const COLUMNS: &str = "id, kind, institution, user_id, first_us, last_us, count, detail, operations, \
                       acknowledged_by, acknowledged_us";

fn alert_of(row: &Row<'_>) -> rusqlite::Result<Result<Alert, StoreError>> {
    let (id, kind, institution, user_id): (i64, String, String, String) =
        (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
    let (first_us, last_us, count, detail, operations): (i64, i64, i64, String, String) =
        (row.get(4)?, row.get(5)?, row.get(6)?, row.get(7)?, row.get(8)?);
    let acknowledged: (Option<String>, Option<i64>) = (row.get(9)?, row.get(10)?);
    Ok((|| {
        let acknowledged = match acknowledged {
            (Some(by), Some(at)) => Some(Acknowledgement { by, at: instant(at)? }),
            _ => None,
        };
        Ok(Alert {
            id: u64::try_from(id).map_err(|_| corrupt("nomor"))?,
            kind: AlertKind::from_code(&kind).ok_or_else(|| corrupt("jenis"))?,
            institution,
            user_id,
            first_at: instant(first_us)?,
            last_at: instant(last_us)?,
            count: u64::try_from(count).map_err(|_| corrupt("jumlah"))?,
            detail,
            operations: serde_json::from_str(&operations).map_err(|_| corrupt("bukti"))?,
            acknowledged,
        })
    })())
}

fn operations_json(alert: &Alert) -> Result<String, StoreError> {
    serde_json::to_string(&alert.operations).map_err(|e| StoreError::Backend(format!("bukti peringatan: {e}")))
}

/// Merges `sighting` into its open alert or opens one; the alert's id.
pub(crate) fn raise(tx: &Transaction<'_>, sighting: &Sighting) -> Result<u64, StoreError> {
    // Cached statements: a busy account past a detector's threshold raises
    // a sighting every few dozen calls.
    let open = tx
        .prepare_cached(&format!(
            "select {COLUMNS} from alerts where kind = ?1 and institution = ?2 and user_id = ?3
             and acknowledged_us is null order by id desc limit 1"
        ))
        .map_err(from_sqlite)?
        .query_row(params![sighting.kind.code(), sighting.institution, sighting.user_id], alert_of)
        .optional()
        .map_err(from_sqlite)?
        .transpose()?;
    match open.filter(|alert| alert.absorbs(sighting)) {
        Some(mut alert) => {
            alert.absorb(sighting);
            tx.prepare_cached(
                "update alerts set first_us = ?2, last_us = ?3, count = ?4, detail = ?5, operations = ?6
                 where id = ?1",
            )
            .map_err(from_sqlite)?
            .execute(params![
                id_of(alert.id),
                alert.first_at.timestamp_micros(),
                alert.last_at.timestamp_micros(),
                i64::try_from(alert.count).unwrap_or(i64::MAX),
                alert.detail,
                operations_json(&alert)?
            ])
            .map_err(from_sqlite)?;
            Ok(alert.id)
        }
        None => {
            let alert = Alert::opened_by(sighting);
            tx.execute(
                "insert into alerts (kind, institution, user_id, first_us, last_us, count, detail, operations)
                 values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    alert.kind.code(),
                    alert.institution,
                    alert.user_id,
                    alert.first_at.timestamp_micros(),
                    alert.last_at.timestamp_micros(),
                    i64::try_from(alert.count).unwrap_or(i64::MAX),
                    alert.detail,
                    operations_json(&alert)?
                ],
            )
            .map_err(from_sqlite)?;
            u64::try_from(tx.last_insert_rowid()).map_err(|_| corrupt("nomor"))
        }
    }
}

/// Copies `alerts` with their ids; SQLite's rowids continue after the
/// largest by themselves.
pub(crate) fn restore(tx: &Transaction<'_>, alerts: &[Alert]) -> Result<(), StoreError> {
    let mut statement = tx
        .prepare_cached(&format!(
            "insert into alerts ({COLUMNS}) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ))
        .map_err(from_sqlite)?;
    for alert in alerts {
        let acknowledged = alert.acknowledged.as_ref();
        statement
            .execute(params![
                id_of(alert.id),
                alert.kind.code(),
                alert.institution,
                alert.user_id,
                alert.first_at.timestamp_micros(),
                alert.last_at.timestamp_micros(),
                i64::try_from(alert.count).unwrap_or(i64::MAX),
                alert.detail,
                operations_json(alert)?,
                acknowledged.map(|a| a.by.as_str()),
                acknowledged.map(|a| a.at.timestamp_micros()),
            ])
            .map_err(from_sqlite)?;
    }
    Ok(())
}

/// Up to `limit` alerts, open first, newest last sighting first.
pub(crate) fn alerts(connection: &Connection, limit: u32) -> Result<Vec<Alert>, StoreError> {
    let mut statement = connection
        .prepare_cached(&format!(
            "select {COLUMNS} from alerts order by acknowledged_us is not null, last_us desc, id desc limit ?1"
        ))
        .map_err(from_sqlite)?;
    let rows = statement.query_map(params![limit], alert_of).map_err(from_sqlite)?;
    rows.map(|row| row.map_err(from_sqlite)?).collect()
}

/// One alert.
pub(crate) fn alert(connection: &Connection, id: u64) -> Result<Option<Alert>, StoreError> {
    connection
        .query_row(&format!("select {COLUMNS} from alerts where id = ?1"), params![id_of(id)], alert_of)
        .optional()
        .map_err(from_sqlite)?
        .transpose()
}

/// Acknowledges an open alert; false when none is open with that id.
pub(crate) fn acknowledge(tx: &Transaction<'_>, id: u64, by: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
    let changed = tx
        .execute(
            "update alerts set acknowledged_by = ?2, acknowledged_us = ?3 where id = ?1 and acknowledged_us is null",
            params![id_of(id), by, at.timestamp_micros()],
        )
        .map_err(from_sqlite)?;
    Ok(changed == 1)
}

//! Return data in the register file (migration 0005): schemas, batches and
//! rows. The accessed-NIK probe reads the attached audit file's
//! (resident, institution) index.

use chrono::{DateTime, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::audit::ResidentKey;
use gerbang_core::return_data::{
    BatchCounts, BatchState, IntakeMethod, IntakeMode, ReturnBatch, ReturnSchema, StoredReturnRow, ValidRow,
};
use gerbang_store::StoreError;
use rusqlite::{Connection, Row, Transaction, params};

use crate::error::from_sqlite;
use crate::resident_index::{about_resident, prefix};

/// How old a pending batch must be to count as abandoned (a crashed intake).
const ABANDONED_AFTER_US: i64 = 24 * 3600 * 1_000_000;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("data balikan tersimpan rusak: {what}"))
}

pub(crate) fn define_schema(tx: &Transaction<'_>, schema: &ReturnSchema) -> Result<(), StoreError> {
    let body = serde_json::to_string(schema).map_err(|e| StoreError::Backend(e.to_string()))?;
    tx.execute(
        "insert into return_schemas (name, body) values (?1, ?2) on conflict (name) do update set body = excluded.body",
        params![schema.name, body],
    )
    .map_err(from_sqlite)?;
    Ok(())
}

pub(crate) fn schemas(connection: &Connection) -> Result<Vec<ReturnSchema>, StoreError> {
    let mut statement = connection.prepare("select body from return_schemas order by name").map_err(from_sqlite)?;
    let bodies = statement.query_map([], |row| row.get::<_, String>(0)).map_err(from_sqlite)?;
    bodies
        .map(|body| {
            let body = body.map_err(from_sqlite)?;
            serde_json::from_str(&body).map_err(|_| corrupt("skema"))
        })
        .collect()
}

/// Whether a partner reached a resident since a time. `+institution` and
/// `+at_us`: without them SQLite prefers the (institution, at_us) index and
/// scans every record of the partner for each key; this way each key is a
/// probe of the by-resident index.
pub(crate) const ACCESSED: &str = concat!(
    "select exists (",
    about_resident!("1", " and +institution = ?3 and +at_us >= ?4 and mechanism is not null"),
    ")"
);

pub(crate) fn accessed(
    connection: &Connection,
    institution: &str,
    since: DateTime<Utc>,
    residents: &[ResidentKey],
) -> Result<Vec<ResidentKey>, StoreError> {
    let mut statement = connection.prepare_cached(ACCESSED).map_err(from_sqlite)?;
    let mut found = Vec::new();
    for resident in residents {
        let hit: bool = statement
            .query_row(params![prefix(resident), &resident.0[..], institution, since.timestamp_micros()], |row| {
                row.get(0)
            })
            .map_err(from_sqlite)?;
        if hit {
            found.push(*resident);
        }
    }
    Ok(found)
}

pub(crate) fn open_batch(tx: &Transaction<'_>, batch: &ReturnBatch) -> Result<(), StoreError> {
    let at = batch.received_at.timestamp_micros();
    let stale = "select id from return_batches where state = 'pending' and received_at_us < ?1";
    tx.execute(
        &format!("delete from return_rows_pending where batch_id in ({stale})"),
        params![at - ABANDONED_AFTER_US],
    )
    .map_err(from_sqlite)?;
    tx.execute(
        "delete from return_batches where state = 'pending' and received_at_us < ?1",
        params![at - ABANDONED_AFTER_US],
    )
    .map_err(from_sqlite)?;
    tx.execute(
        "insert into return_batches (id, institution, schema_name, user_id, method, mode, filename, received_at_us, state) \
         values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'pending')",
        params![
            batch.id,
            batch.institution,
            batch.schema,
            batch.user_id,
            batch.method.name(),
            batch.mode.name(),
            batch.filename,
            at
        ],
    )
    .map_err(from_sqlite)?;
    Ok(())
}

fn pending(tx: &Transaction<'_>, batch: &str) -> Result<(String, String), StoreError> {
    tx.query_row(
        "select institution, schema_name from return_batches where id = ?1 and state = 'pending'",
        params![batch],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .map_err(|error| match error {
        rusqlite::Error::QueryReturnedNoRows => StoreError::Conflict(format!("kiriman {batch} tidak sedang terbuka")),
        other => from_sqlite(other),
    })
}

/// Stages `rows` in the batch; a row is new unless the batch already has it
/// or a committed batch stored it.
pub(crate) fn add_rows(tx: &Transaction<'_>, batch: &str, rows: &[ValidRow]) -> Result<Vec<bool>, StoreError> {
    let (institution, schema) = pending(tx, batch)?;
    let mut committed = tx
        .prepare_cached(
            "select exists (select 1 from return_rows \
              where institution = ?1 and schema_name = ?2 and nik = ?3 and digest = ?4)",
        )
        .map_err(from_sqlite)?;
    let mut insert = tx
        .prepare_cached(
            "insert into return_rows_pending (batch_id, institution, schema_name, nik, digest, row_number, body) \
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7) on conflict do nothing",
        )
        .map_err(from_sqlite)?;
    let mut stored = Vec::with_capacity(rows.len());
    for row in rows {
        let (nik, digest) = (row.nik.value() as i64, row.digest());
        let sent: bool =
            committed.query_row(params![institution, schema, nik, &digest[..]], |r| r.get(0)).map_err(from_sqlite)?;
        if sent {
            stored.push(false);
            continue;
        }
        let body = serde_json::to_string(&row.values).map_err(|e| StoreError::Backend(e.to_string()))?;
        let changed = insert
            .execute(params![batch, institution, schema, nik, &digest[..], row.number as i64, body])
            .map_err(from_sqlite)?;
        stored.push(changed == 1);
    }
    Ok(stored)
}

/// Moves the batch's staged rows into the register of return data and
/// marks it committed. A row another batch committed in the meantime is
/// counted as already sent.
pub(crate) fn commit_batch(tx: &Transaction<'_>, batch: &str, counts: BatchCounts) -> Result<(), StoreError> {
    pending(tx, batch)?;
    let staged: i64 = tx
        .query_row("select count(*) from return_rows_pending where batch_id = ?1", params![batch], |r| r.get(0))
        .map_err(from_sqlite)?;
    let moved = tx
        .execute(
            "insert into return_rows (batch_id, institution, schema_name, nik, digest, row_number, body) \
             select batch_id, institution, schema_name, nik, digest, row_number, body \
               from return_rows_pending where batch_id = ?1 order by row_number \
             on conflict do nothing",
            params![batch],
        )
        .map_err(from_sqlite)?;
    tx.execute("delete from return_rows_pending where batch_id = ?1", params![batch]).map_err(from_sqlite)?;
    let raced = (staged as u64).saturating_sub(moved as u64);
    let accepted = counts.accepted.saturating_sub(raced);
    let already_sent = counts.already_sent + raced;
    tx.execute(
        "update return_batches set state = 'committed', rows_read = ?2, accepted = ?3, already_sent = ?4, \
         rejected = ?5 where id = ?1",
        params![batch, counts.rows as i64, accepted as i64, already_sent as i64, counts.rejected as i64],
    )
    .map_err(from_sqlite)?;
    Ok(())
}

pub(crate) fn abort_batch(tx: &Transaction<'_>, batch: &str) -> Result<(), StoreError> {
    tx.execute(
        "delete from return_rows_pending where batch_id = (select id from return_batches where id = ?1 and state = 'pending')",
        params![batch],
    )
    .map_err(from_sqlite)?;
    tx.execute("delete from return_batches where id = ?1 and state = 'pending'", params![batch])
        .map_err(from_sqlite)?;
    Ok(())
}

fn instant(us: i64) -> Result<DateTime<Utc>, StoreError> {
    Utc.timestamp_micros(us).single().ok_or_else(|| corrupt("waktu"))
}

fn method(name: &str) -> Result<IntakeMethod, StoreError> {
    IntakeMethod::from_name(name).ok_or_else(|| corrupt("metode"))
}

pub(crate) fn of_resident(connection: &Connection, nik: Nik) -> Result<Vec<StoredReturnRow>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "select r.institution, r.schema_name, r.batch_id, b.method, b.received_at_us, r.body \
             from return_rows r join return_batches b on b.id = r.batch_id \
             where r.nik = ?1 and b.state = 'committed' order by b.received_at_us, r.row_number",
        )
        .map_err(from_sqlite)?;
    let mut rows = statement.query(params![nik.value() as i64]).map_err(from_sqlite)?;
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let text = |i: usize| row.get::<_, String>(i).map_err(from_sqlite);
        found.push(StoredReturnRow {
            nik,
            institution: text(0)?,
            schema: text(1)?,
            batch: text(2)?,
            method: method(&text(3)?)?,
            received_at: instant(row.get(4).map_err(from_sqlite)?)?,
            values: serde_json::from_str(&text(5)?).map_err(|_| corrupt("nilai"))?,
        });
    }
    Ok(found)
}

fn batch_of(row: &Row<'_>) -> Result<ReturnBatch, StoreError> {
    let text = |i: usize| row.get::<_, String>(i).map_err(from_sqlite);
    let count = |i: usize| row.get::<_, i64>(i).map(|n| n as u64).map_err(from_sqlite);
    Ok(ReturnBatch {
        id: text(0)?,
        institution: text(1)?,
        schema: text(2)?,
        user_id: text(3)?,
        method: method(&text(4)?)?,
        mode: IntakeMode::from_name(&text(5)?).ok_or_else(|| corrupt("mode"))?,
        filename: row.get(6).map_err(from_sqlite)?,
        received_at: instant(row.get(7).map_err(from_sqlite)?)?,
        counts: BatchCounts { rows: count(8)?, accepted: count(9)?, already_sent: count(10)?, rejected: count(11)? },
        state: BatchState::Committed,
    })
}

pub(crate) fn batches_of(connection: &Connection, institution: &str) -> Result<Vec<ReturnBatch>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "select id, institution, schema_name, user_id, method, mode, filename, received_at_us, rows_read, \
             accepted, already_sent, rejected from return_batches where institution = ?1 and state = 'committed' \
             order by received_at_us desc, id desc",
        )
        .map_err(from_sqlite)?;
    let mut rows = statement.query(params![institution]).map_err(from_sqlite)?;
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        found.push(batch_of(row)?);
    }
    Ok(found)
}

pub(crate) fn residents_with_data(
    connection: &Connection,
    institution: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<u64, StoreError> {
    connection
        .query_row(
            "select count(distinct r.nik) from return_rows r join return_batches b on b.id = r.batch_id \
             where r.institution = ?1 and b.state = 'committed' and b.received_at_us >= ?2 and b.received_at_us < ?3",
            params![institution, from.timestamp_micros(), until.timestamp_micros()],
            |row| row.get::<_, i64>(0),
        )
        .map(|n| n as u64)
        .map_err(from_sqlite)
}

pub(crate) fn rows_page(
    connection: &Connection,
    batch: &str,
    after: u64,
    limit: u32,
) -> Result<Vec<ValidRow>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "select nik, row_number, body from return_rows where batch_id = ?1 and row_number > ?2 \
             order by row_number limit ?3",
        )
        .map_err(from_sqlite)?;
    let mut rows = statement.query(params![batch, after as i64, limit]).map_err(from_sqlite)?;
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let nik: i64 = row.get(0).map_err(from_sqlite)?;
        let number: i64 = row.get(1).map_err(from_sqlite)?;
        let body: String = row.get(2).map_err(from_sqlite)?;
        found.push(ValidRow {
            number: number as u64,
            nik: u64::try_from(nik).ok().and_then(Nik::from_stored).ok_or_else(|| corrupt("NIK"))?,
            values: serde_json::from_str(&body).map_err(|_| corrupt("nilai"))?,
        });
    }
    Ok(found)
}

//! Return data (migration 0005): schemas, batches and rows. Rows travel to
//! the server as arrays (`unnest`), one statement per call, so a million
//! rows are a hundred round trips, not a million.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use deadpool_postgres::{Client, Transaction};
use gerbang_core::Nik;
use gerbang_core::audit::ResidentKey;
use gerbang_core::return_data::{
    BatchCounts, BatchState, IntakeMethod, IntakeMode, ReturnBatch, ReturnSchema, StoredReturnRow, ValidRow,
};
use gerbang_store::StoreError;
use tokio_postgres::Row;

use crate::audit::column;
use crate::error::{corrupt, from_postgres};

pub(crate) async fn define_schema(client: &Client, schema: &ReturnSchema) -> Result<(), StoreError> {
    let body = serde_json::to_string(schema).map_err(|e| StoreError::Backend(e.to_string()))?;
    client
        .execute(
            "insert into return_schemas (name, body) values ($1, $2) \
             on conflict (name) do update set body = excluded.body",
            &[&schema.name, &body],
        )
        .await
        .map_err(from_postgres)?;
    Ok(())
}

pub(crate) async fn schemas(client: &Client) -> Result<Vec<ReturnSchema>, StoreError> {
    let rows = client.query("select body from return_schemas order by name", &[]).await.map_err(from_postgres)?;
    rows.iter()
        .map(|row| serde_json::from_str(&column::<String>(row, 0)?).map_err(|_| corrupt("skema data balikan")))
        .collect()
}

pub(crate) async fn accessed(
    client: &Client,
    institution: &str,
    since: DateTime<Utc>,
    residents: &[ResidentKey],
) -> Result<Vec<ResidentKey>, StoreError> {
    if residents.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<&[u8]> = residents.iter().map(|k| &k.0[..]).collect();
    let rows = client
        .query(
            "select distinct resident from audit_trail where resident = any($1) and institution = $2 \
             and at >= $3 and mechanism is not null",
            &[&keys, &institution, &since],
        )
        .await
        .map_err(from_postgres)?;
    let hits: HashSet<Vec<u8>> = rows.iter().map(|row| column::<Vec<u8>>(row, 0)).collect::<Result<_, _>>()?;
    Ok(residents.iter().filter(|k| hits.contains(&k.0[..])).copied().collect())
}

pub(crate) async fn open_batch(tx: &Transaction<'_>, batch: &ReturnBatch) -> Result<(), StoreError> {
    let stale = batch.received_at - Duration::days(1);
    tx.execute(
        "delete from return_rows_pending where batch_id in \
         (select id from return_batches where state = 'pending' and received_at < $1)",
        &[&stale],
    )
    .await
    .map_err(from_postgres)?;
    tx.execute("delete from return_batches where state = 'pending' and received_at < $1", &[&stale])
        .await
        .map_err(from_postgres)?;
    tx.execute(
        "insert into return_batches (id, institution, schema_name, user_id, method, mode, filename, received_at, state) \
         values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending')",
        &[
            &batch.id,
            &batch.institution,
            &batch.schema,
            &batch.user_id,
            &batch.method.name(),
            &batch.mode.name(),
            &batch.filename,
            &batch.received_at,
        ],
    )
    .await
    .map_err(from_postgres)?;
    Ok(())
}

async fn pending(tx: &Transaction<'_>, batch: &str) -> Result<(String, String), StoreError> {
    let row = tx
        .query_opt(
            "select institution, schema_name from return_batches where id = $1 and state = 'pending' for update",
            &[&batch],
        )
        .await
        .map_err(from_postgres)?
        .ok_or_else(|| StoreError::Conflict(format!("kiriman {batch} tidak sedang terbuka")))?;
    Ok((column(&row, 0)?, column(&row, 1)?))
}

/// Stages `rows` in the batch; a row is new unless the batch already has it
/// or a committed batch stored it.
pub(crate) async fn add_rows(tx: &Transaction<'_>, batch: &str, rows: &[ValidRow]) -> Result<Vec<bool>, StoreError> {
    let (institution, schema) = pending(tx, batch).await?;
    let niks: Vec<i64> = rows.iter().map(|r| r.nik.value() as i64).collect();
    let digests: Vec<Vec<u8>> = rows.iter().map(|r| r.digest().to_vec()).collect();
    let numbers: Vec<i64> = rows.iter().map(|r| r.number as i64).collect();
    let bodies: Vec<String> = rows
        .iter()
        .map(|r| serde_json::to_string(&r.values).map_err(|e| StoreError::Backend(e.to_string())))
        .collect::<Result<_, _>>()?;
    let inserted = tx
        .query(
            "insert into return_rows_pending (batch_id, institution, schema_name, nik, digest, row_number, body) \
             select $1, $2, $3, t.nik, t.digest, t.row_number, t.body \
             from unnest($4::bigint[], $5::bytea[], $6::bigint[], $7::text[]) as t (nik, digest, row_number, body) \
             where not exists (select 1 from return_rows r \
                where r.institution = $2 and r.schema_name = $3 and r.nik = t.nik and r.digest = t.digest) \
             on conflict do nothing returning nik, digest",
            &[&batch, &institution, &schema, &niks, &digests, &numbers, &bodies],
        )
        .await
        .map_err(from_postgres)?;
    let mut new: HashSet<(i64, Vec<u8>)> =
        inserted.iter().map(|row| Ok((column(row, 0)?, column(row, 1)?))).collect::<Result<_, StoreError>>()?;
    // A row given twice in one call is stored once: the first copy is the new one.
    Ok(niks.into_iter().zip(digests).map(|key| new.remove(&key)).collect())
}

/// Moves the batch's staged rows into the register of return data and
/// marks it committed. A row another batch committed in the meantime is
/// counted as already sent.
pub(crate) async fn commit_batch(tx: &Transaction<'_>, batch: &str, counts: BatchCounts) -> Result<(), StoreError> {
    pending(tx, batch).await?;
    let staged: i64 = column(
        &tx.query_one("select count(*) from return_rows_pending where batch_id = $1", &[&batch])
            .await
            .map_err(from_postgres)?,
        0,
    )?;
    let moved = tx
        .execute(
            "insert into return_rows (batch_id, institution, schema_name, nik, digest, row_number, body) \
             select batch_id, institution, schema_name, nik, digest, row_number, body \
               from return_rows_pending where batch_id = $1 order by row_number \
             on conflict do nothing",
            &[&batch],
        )
        .await
        .map_err(from_postgres)?;
    tx.execute("delete from return_rows_pending where batch_id = $1", &[&batch]).await.map_err(from_postgres)?;
    let raced = (staged as u64).saturating_sub(moved);
    let accepted = counts.accepted.saturating_sub(raced);
    let already_sent = counts.already_sent + raced;
    tx.execute(
        "update return_batches set state = 'committed', rows_read = $2, accepted = $3, already_sent = $4, \
         rejected = $5 where id = $1",
        &[&batch, &(counts.rows as i64), &(accepted as i64), &(already_sent as i64), &(counts.rejected as i64)],
    )
    .await
    .map_err(from_postgres)?;
    Ok(())
}

pub(crate) async fn abort_batch(tx: &Transaction<'_>, batch: &str) -> Result<(), StoreError> {
    tx.execute(
        "delete from return_rows_pending where batch_id = \
         (select id from return_batches where id = $1 and state = 'pending')",
        &[&batch],
    )
    .await
    .map_err(from_postgres)?;
    tx.execute("delete from return_batches where id = $1 and state = 'pending'", &[&batch])
        .await
        .map_err(from_postgres)?;
    Ok(())
}

fn method(name: &str) -> Result<IntakeMethod, StoreError> {
    IntakeMethod::from_name(name).ok_or_else(|| corrupt("metode data balikan"))
}

pub(crate) async fn of_resident(client: &Client, nik: Nik) -> Result<Vec<StoredReturnRow>, StoreError> {
    let rows = client
        .query(
            "select r.institution, r.schema_name, r.batch_id, b.method, b.received_at, r.body \
             from return_rows r join return_batches b on b.id = r.batch_id \
             where r.nik = $1 and b.state = 'committed' order by b.received_at, r.row_number",
            &[&(nik.value() as i64)],
        )
        .await
        .map_err(from_postgres)?;
    rows.iter()
        .map(|row| {
            Ok(StoredReturnRow {
                nik,
                institution: column(row, 0)?,
                schema: column(row, 1)?,
                batch: column(row, 2)?,
                method: method(&column::<String>(row, 3)?)?,
                received_at: column(row, 4)?,
                values: serde_json::from_str(&column::<String>(row, 5)?).map_err(|_| corrupt("nilai data balikan"))?,
            })
        })
        .collect()
}

fn batch_of(row: &Row) -> Result<ReturnBatch, StoreError> {
    let count = |i: usize| column::<i64>(row, i).map(|n| n as u64);
    Ok(ReturnBatch {
        id: column(row, 0)?,
        institution: column(row, 1)?,
        schema: column(row, 2)?,
        user_id: column(row, 3)?,
        method: method(&column::<String>(row, 4)?)?,
        mode: IntakeMode::from_name(&column::<String>(row, 5)?).ok_or_else(|| corrupt("mode data balikan"))?,
        filename: column(row, 6)?,
        received_at: column(row, 7)?,
        counts: BatchCounts { rows: count(8)?, accepted: count(9)?, already_sent: count(10)?, rejected: count(11)? },
        state: BatchState::Committed,
    })
}

pub(crate) async fn batches_of(client: &Client, institution: &str) -> Result<Vec<ReturnBatch>, StoreError> {
    let rows = client
        .query(
            "select id, institution, schema_name, user_id, method, mode, filename, received_at, rows_read, \
             accepted, already_sent, rejected from return_batches where institution = $1 and state = 'committed' \
             order by received_at desc, id desc",
            &[&institution],
        )
        .await
        .map_err(from_postgres)?;
    rows.iter().map(batch_of).collect()
}

pub(crate) async fn residents_with_data(
    client: &Client,
    institution: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let row = client
        .query_one(
            "select count(distinct r.nik) from return_rows r join return_batches b on b.id = r.batch_id \
             where r.institution = $1 and b.state = 'committed' and b.received_at >= $2 and b.received_at < $3",
            &[&institution, &from, &until],
        )
        .await
        .map_err(from_postgres)?;
    column::<i64>(&row, 0).map(|n| n as u64)
}

pub(crate) async fn rows_page(
    client: &Client,
    batch: &str,
    after: u64,
    limit: u32,
) -> Result<Vec<ValidRow>, StoreError> {
    let rows = client
        .query(
            "select nik, row_number, body from return_rows where batch_id = $1 and row_number > $2 \
             order by row_number limit $3",
            &[&batch, &(after as i64), &i64::from(limit)],
        )
        .await
        .map_err(from_postgres)?;
    rows.iter()
        .map(|row| {
            let nik: i64 = column(row, 0)?;
            Ok(ValidRow {
                number: column::<i64>(row, 1)? as u64,
                nik: u64::try_from(nik).ok().and_then(Nik::from_stored).ok_or_else(|| corrupt("NIK data balikan"))?,
                values: serde_json::from_str(&column::<String>(row, 2)?).map_err(|_| corrupt("nilai data balikan"))?,
            })
        })
        .collect()
}

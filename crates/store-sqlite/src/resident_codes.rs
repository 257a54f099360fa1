//! Residents' one-time codes in the register file (migration 0011): one row
//! per resident by keyed NIK hash, replaced when a new code is issued, and
//! settled by compare-and-set so a code opens at most once and every wrong
//! attempt counts, whatever the requests racing with it.

use chrono::{DateTime, TimeZone, Utc};
use gerbang_core::audit::{Digest32, ResidentKey};
use gerbang_core::transparency::ResidentCode;
use gerbang_store::StoreError;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::error::from_sqlite;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("kode akses penduduk tersimpan rusak: {what}"))
}

fn instant(us: i64) -> Result<DateTime<Utc>, StoreError> {
    Utc.timestamp_micros(us).single().ok_or_else(|| corrupt("waktu"))
}

fn digest(bytes: Vec<u8>) -> Result<Digest32, StoreError> {
    Digest32::try_from(bytes).map_err(|_| corrupt("panjang hash"))
}

/// Stores `code` in place of the resident's earlier one.
pub(crate) fn put(tx: &Transaction<'_>, code: &ResidentCode) -> Result<(), StoreError> {
    tx.execute(
        "insert into resident_codes (resident, digest, issued_at_us, issued_by, wrong_attempts, used_at_us) \
         values (?1, ?2, ?3, ?4, ?5, ?6) \
         on conflict (resident) do update set digest = excluded.digest, issued_at_us = excluded.issued_at_us, \
         issued_by = excluded.issued_by, wrong_attempts = excluded.wrong_attempts, used_at_us = excluded.used_at_us",
        params![
            &code.resident.0[..],
            &code.digest[..],
            code.issued_at.timestamp_micros(),
            code.issued_by,
            i64::from(code.wrong_attempts),
            code.used_at.map(|at| at.timestamp_micros()),
        ],
    )
    .map_err(from_sqlite)?;
    Ok(())
}

fn code_of(row: &Row<'_>) -> Result<ResidentCode, StoreError> {
    let attempts: i64 = row.get(4).map_err(from_sqlite)?;
    let used: Option<i64> = row.get(5).map_err(from_sqlite)?;
    Ok(ResidentCode {
        resident: ResidentKey(digest(row.get(0).map_err(from_sqlite)?)?),
        digest: digest(row.get(1).map_err(from_sqlite)?)?,
        issued_at: instant(row.get(2).map_err(from_sqlite)?)?,
        issued_by: row.get(3).map_err(from_sqlite)?,
        wrong_attempts: u32::try_from(attempts).map_err(|_| corrupt("jumlah percobaan"))?,
        used_at: used.map(instant).transpose()?,
    })
}

/// The resident's current code.
pub(crate) fn get(connection: &Connection, resident: ResidentKey) -> Result<Option<ResidentCode>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "select resident, digest, issued_at_us, issued_by, wrong_attempts, used_at_us \
             from resident_codes where resident = ?1",
        )
        .map_err(from_sqlite)?;
    let row = statement.query_row(params![&resident.0[..]], |row| Ok(code_of(row))).optional().map_err(from_sqlite)?;
    row.transpose()
}

/// Stores `settled` if the stored code is still `seen`; whether it was.
pub(crate) fn settle(tx: &Transaction<'_>, seen: &ResidentCode, settled: &ResidentCode) -> Result<bool, StoreError> {
    let changed = tx
        .execute(
            "update resident_codes set wrong_attempts = ?4, used_at_us = ?5 \
             where resident = ?1 and digest = ?2 and wrong_attempts = ?3 and used_at_us is null",
            params![
                &seen.resident.0[..],
                &seen.digest[..],
                i64::from(seen.wrong_attempts),
                i64::from(settled.wrong_attempts),
                settled.used_at.map(|at| at.timestamp_micros()),
            ],
        )
        .map_err(from_sqlite)?;
    Ok(changed == 1)
}

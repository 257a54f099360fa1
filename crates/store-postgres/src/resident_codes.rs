//! Residents' one-time codes (migration 0011): one row per resident by
//! keyed NIK hash, replaced when a new code is issued, and settled by
//! compare-and-set in one statement so a code opens at most once and every
//! wrong attempt counts, whichever node the racing requests reach.

use deadpool_postgres::Client;
use gerbang_core::audit::{Digest32, ResidentKey};
use gerbang_core::transparency::ResidentCode;
use gerbang_store::StoreError;
use tokio_postgres::Row;

use crate::audit::column;
use crate::error::{corrupt, from_postgres};

fn digest(bytes: Vec<u8>) -> Result<Digest32, StoreError> {
    Digest32::try_from(bytes).map_err(|_| corrupt("hash kode akses penduduk"))
}

/// Stores `code` in place of the resident's earlier one.
pub(crate) async fn put(client: &Client, code: &ResidentCode) -> Result<(), StoreError> {
    client
        .execute(
            "insert into resident_codes (resident, digest, issued_at, issued_by, wrong_attempts, used_at) \
             values ($1, $2, $3, $4, $5, $6) \
             on conflict (resident) do update set digest = excluded.digest, issued_at = excluded.issued_at, \
             issued_by = excluded.issued_by, wrong_attempts = excluded.wrong_attempts, used_at = excluded.used_at",
            &[
                &code.resident.0.as_slice(),
                &code.digest.as_slice(),
                &code.issued_at,
                &code.issued_by,
                &i32::try_from(code.wrong_attempts).unwrap_or(i32::MAX),
                &code.used_at,
            ],
        )
        .await
        .map_err(from_postgres)?;
    Ok(())
}

fn code_of(row: &Row) -> Result<ResidentCode, StoreError> {
    let attempts: i32 = column(row, 4)?;
    Ok(ResidentCode {
        resident: ResidentKey(digest(column(row, 0)?)?),
        digest: digest(column(row, 1)?)?,
        issued_at: column(row, 2)?,
        issued_by: column(row, 3)?,
        wrong_attempts: u32::try_from(attempts).map_err(|_| corrupt("percobaan kode akses penduduk"))?,
        used_at: column(row, 5)?,
    })
}

/// The resident's current code.
pub(crate) async fn get(client: &Client, resident: ResidentKey) -> Result<Option<ResidentCode>, StoreError> {
    client
        .query_opt(
            "select resident, digest, issued_at, issued_by, wrong_attempts, used_at \
             from resident_codes where resident = $1",
            &[&resident.0.as_slice()],
        )
        .await
        .map_err(from_postgres)?
        .as_ref()
        .map(code_of)
        .transpose()
}

/// Stores `settled` if the stored code is still `seen`; whether it was.
pub(crate) async fn settle(client: &Client, seen: &ResidentCode, settled: &ResidentCode) -> Result<bool, StoreError> {
    let changed = client
        .execute(
            "update resident_codes set wrong_attempts = $4, used_at = $5 \
             where resident = $1 and digest = $2 and wrong_attempts = $3 and used_at is null",
            &[
                &seen.resident.0.as_slice(),
                &seen.digest.as_slice(),
                &i32::try_from(seen.wrong_attempts).unwrap_or(i32::MAX),
                &i32::try_from(settled.wrong_attempts).unwrap_or(i32::MAX),
                &settled.used_at,
            ],
        )
        .await
        .map_err(from_postgres)?;
    Ok(changed == 1)
}

//! Mapping of PostgreSQL and pool failures onto the storage error of
//! `gerbang-store`.
//!
//! Only the server's primary message and SQLSTATE are kept: PostgreSQL's
//! DETAIL line repeats the offending key (`Key (nik)=(3313…) already
//! exists`), which is population data and must not reach a log or a caller.

use deadpool_postgres::PoolError;
use gerbang_store::StoreError;
use tokio_postgres::error::SqlState;

/// Sorts a driver error into the storage error a caller can act on.
pub(crate) fn from_postgres(error: tokio_postgres::Error) -> StoreError {
    let Some(db) = error.as_db_error() else {
        if error.is_closed() {
            return StoreError::Unavailable("koneksi ke PostgreSQL terputus".into());
        }
        // Connection, I/O and protocol failures; their text names no values.
        // The cause ("Connection refused", a timeout) is in the source.
        let cause = std::error::Error::source(&error).map(|source| format!(": {source}")).unwrap_or_default();
        return StoreError::Unavailable(format!("PostgreSQL tidak dapat dihubungi: {error}{cause}"));
    };
    let code = db.code();
    let text = format!("{} (SQLSTATE {})", db.message(), code.code());
    match code.code().get(..2) {
        // Integrity constraint violations: unique, foreign key, check, not null.
        Some("23") => StoreError::Conflict(text),
        // Connection exceptions, wrong credentials, unknown database,
        // insufficient resources, server shutting down or starting.
        Some("08" | "28" | "3D" | "53" | "57") => StoreError::Unavailable(text),
        _ if *code == SqlState::DATA_CORRUPTED || *code == SqlState::INDEX_CORRUPTED => StoreError::Corrupt(text),
        _ => StoreError::Backend(text),
    }
}

/// Sorts a failure to get a pooled connection.
pub(crate) fn from_pool(error: PoolError) -> StoreError {
    match error {
        PoolError::Backend(error) => from_postgres(error),
        PoolError::Timeout(_) => {
            StoreError::Unavailable("semua koneksi PostgreSQL sedang dipakai atau server tidak menjawab".into())
        }
        other => StoreError::Unavailable(format!("kumpulan koneksi PostgreSQL: {other}")),
    }
}

/// A stored value that does not decode.
pub(crate) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("nilai {what} tersimpan tidak valid"))
}

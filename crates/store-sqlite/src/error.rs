//! Mapping of SQLite failures onto the storage error of `gerbang-store`.

use gerbang_store::StoreError;
use rusqlite::ErrorCode;

/// Sorts a rusqlite error into the storage error a caller can act on.
pub(crate) fn from_sqlite(error: rusqlite::Error) -> StoreError {
    let text = error.to_string();
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt(text),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Unavailable(format!(
            "basis data sedang dikunci proses lain (mis. gerbang serve atau seed yang masih berjalan); \
             coba lagi setelah proses itu selesai ({text})"
        )),
        Some(
            ErrorCode::CannotOpen
            | ErrorCode::PermissionDenied
            | ErrorCode::ReadOnly
            | ErrorCode::DiskFull
            | ErrorCode::SystemIoFailure
            | ErrorCode::OutOfMemory,
        ) => StoreError::Unavailable(text),
        Some(ErrorCode::ConstraintViolation) => StoreError::Conflict(text),
        _ => StoreError::Backend(text),
    }
}

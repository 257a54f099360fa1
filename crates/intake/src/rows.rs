//! A whole small sheet as rows, for callers that give the rows their own
//! meaning (the facilitation sheet, SPEC.md §9): the same guards as
//! [`submit`](crate::submit) — size before reading, type by content, the
//! zip-bomb check, formulas refused — and a cap on the rows kept, so memory
//! stays bounded whatever the file holds.

use gerbang_core::return_data::RawRow;

use crate::read::{self};
use crate::sniff::sniff;
use crate::{IntakeConfig, IntakeError, ReadSeek};

/// Reads the first sheet of `file` (`length` bytes), at most `max_rows`
/// rows of it; a file with more is refused rather than cut.
pub async fn read_rows(
    file: Box<dyn ReadSeek>,
    length: u64,
    config: &IntakeConfig,
    max_rows: usize,
) -> Result<Vec<RawRow>, IntakeError> {
    if length > config.max_upload_bytes {
        return Err(IntakeError::TooLarge { limit_mib: config.max_upload_bytes >> 20 });
    }
    let limits = config.clone();
    let (file, format) = tokio::task::spawn_blocking(move || {
        let mut file = file;
        sniff(&mut file, &limits).map(|format| (file, format))
    })
    .await
    .map_err(|e| IntakeError::Io(e.to_string()))??;
    let mut chunks = read::spawn(format, file);
    let mut rows = Vec::new();
    while let Some(chunk) = chunks.recv().await {
        rows.extend(chunk?);
        if rows.len() > max_rows {
            return Err(IntakeError::TooManyRows { limit: max_rows });
        }
    }
    if rows.is_empty() {
        return Err(IntakeError::NoRows);
    }
    Ok(rows)
}

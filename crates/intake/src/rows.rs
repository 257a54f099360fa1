//! A whole small sheet as rows, for callers that give the rows their own
//! meaning (the facilitation sheet, SPEC.md §9): the same guards as
//! [`submit`](crate::submit) — size before reading, type by content, the
//! zip-bomb check, formulas refused — and a cap on the rows kept, so memory
//! stays bounded whatever the file holds.

use gerbang_core::return_data::RawRow;

use crate::read;
use crate::{IntakeConfig, IntakeError, ReadSeek};

/// Reads the first sheet of `file` (`length` bytes), at most `max_rows`
/// rows of it; a file with more is refused rather than cut.
pub async fn read_rows(
    file: Box<dyn ReadSeek>,
    length: u64,
    config: &IntakeConfig,
    max_rows: usize,
) -> Result<Vec<RawRow>, IntakeError> {
    let (mut chunks, _) = read::start(file, length, config).await?;
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

//! The NIKs already met in the file being read, and the row each was first
//! met on, so a NIK repeated in one file is refused at its second row.
//!
//! A million-row file would make an in-memory map grow with the file
//! (about 24 bytes a row); this set lives in a private temporary SQLite
//! database instead, with a page cache of [`CACHE_KIB`] (32 MiB), so memory stays
//! flat and the rest spills to a file that SQLite deletes when the set is
//! dropped. Each chunk is looked up and added in one transaction on a
//! blocking thread.

use rusqlite::{Connection, params};

use crate::IntakeError;

/// The set's page cache, in KiB: a million NIKs fit, larger files spill.
const CACHE_KIB: i64 = 32 * 1024;

/// NIK → first row number.
pub(crate) struct SeenNiks {
    connection: Connection,
}

fn failed(error: rusqlite::Error) -> IntakeError {
    IntakeError::Io(format!("berkas sementara pemeriksa NIK ganda: {error}"))
}

impl SeenNiks {
    /// An empty set in a new temporary database.
    pub(crate) fn new() -> Result<SeenNiks, IntakeError> {
        // An empty path is SQLite's private temporary database on disk.
        let connection = Connection::open("").map_err(failed)?;
        connection
            .execute_batch(&format!(
                "pragma journal_mode = off; pragma synchronous = off; pragma cache_size = -{CACHE_KIB};
                 create table seen (nik integer primary key, first_row integer not null) without rowid;"
            ))
            .map_err(failed)?;
        Ok(SeenNiks { connection })
    }

    /// For each `(nik, row)` in order: the row the NIK was first met on, if
    /// before this one; the NIK is remembered otherwise.
    pub(crate) fn first_rows(&mut self, rows: &[(u64, u64)]) -> Result<Vec<Option<u64>>, IntakeError> {
        let transaction = self.connection.transaction().map_err(failed)?;
        let mut firsts = Vec::with_capacity(rows.len());
        {
            // One statement a row: a new NIK is added and returns its own
            // row; a known one is left as it is and returns its first row.
            let mut meet = transaction
                .prepare_cached(
                    "insert into seen (nik, first_row) values (?1, ?2)
                     on conflict (nik) do update set first_row = first_row returning first_row",
                )
                .map_err(failed)?;
            for (nik, row) in rows {
                let nik = i64::try_from(*nik).unwrap_or(i64::MAX);
                let row = i64::try_from(*row).unwrap_or(i64::MAX);
                let first: i64 = meet.query_row(params![nik, row], |r| r.get(0)).map_err(failed)?;
                firsts.push((first != row).then(|| u64::try_from(first).ok()).flatten());
            }
        }
        transaction.commit().map_err(failed)?;
        Ok(firsts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nik_is_first_met_once_across_chunks() {
        let mut seen = SeenNiks::new().unwrap();
        assert_eq!(seen.first_rows(&[(7, 2), (8, 3), (7, 4)]).unwrap(), [None, None, Some(2)]);
        assert_eq!(seen.first_rows(&[(8, 9), (9, 10)]).unwrap(), [Some(3), None]);
    }
}

//! The workbook of rejected rows handed back to the partner: the file's
//! header row plus a column `ALASAN PENOLAKAN`, then each rejected row as it
//! was read with its reasons. Written in rust_xlsxwriter's constant-memory
//! mode (each row goes to a temporary file as soon as it is complete), so a
//! file whose million rows are all rejected costs no more memory than one.

use std::path::{Path, PathBuf};

use gerbang_core::return_data::{Cell, Problem, RawRow};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::IntakeError;

/// The added column's header.
pub const REASON_COLUMN: &str = "ALASAN PENOLAKAN";

/// The rejected rows' workbook being written.
pub(crate) struct RejectedBook {
    workbook: Workbook,
    path: PathBuf,
    next_row: u32,
    reason_column: u16,
}

fn failed(error: XlsxError) -> IntakeError {
    IntakeError::Report(error.to_string())
}

impl RejectedBook {
    /// Starts the workbook with the file's `header` (its cells as text).
    pub(crate) fn create(path: &Path, header: &[String]) -> Result<Self, IntakeError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory().map_err(failed)?;
        sheet.set_name("Ditolak").map_err(failed)?;
        let mut column = 0u16;
        for title in header.iter().chain(std::iter::once(&REASON_COLUMN.to_owned())) {
            sheet.write_string(0, column, title).map_err(failed)?;
            column += 1;
        }
        Ok(RejectedBook { workbook, path: path.to_owned(), next_row: 1, reason_column: column.saturating_sub(1) })
    }

    fn sheet(&mut self) -> Result<&mut Worksheet, IntakeError> {
        self.workbook.worksheet_from_index(0).map_err(failed)
    }

    /// Adds a rejected row: its cells as read (NIKs and numbers as text, so
    /// nothing is rounded again) and its reasons.
    pub(crate) fn add(&mut self, row: &RawRow, problems: &[Problem]) -> Result<(), IntakeError> {
        let (line, reason_column) = (self.next_row, self.reason_column);
        let reasons: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let sheet = self.sheet()?;
        for (column, cell) in row.cells.iter().enumerate().take(usize::from(reason_column)) {
            if !matches!(cell, Cell::Empty) {
                sheet.write_string(line, column as u16, cell.display()).map_err(failed)?;
            }
        }
        sheet.write_string(line, reason_column, reasons.join("; ")).map_err(failed)?;
        self.next_row += 1;
        Ok(())
    }

    /// Writes the file.
    pub(crate) fn finish(mut self) -> Result<(), IntakeError> {
        self.workbook.save(&self.path).map_err(failed)
    }
}

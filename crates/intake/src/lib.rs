//! Return-data intake (SPEC.md §5, 004 Juknis 3d): files (`.xlsx`, `.xls`,
//! `.ods`, `.csv`, recognised by content), the online form and the web
//! service's JSON all go through [`submit`], which validates every row with
//! `gerbang_core::return_data` and stores the accepted ones.
//!
//! **Never half-applied.** Rows are stored into a *pending* batch
//! (`Store::open_return_batch`), chunk by chunk as the file is read, and
//! become visible only when the batch is committed at the end. An
//! all-or-nothing file with any rejected row, a file that turns out
//! unreadable half-way, or a failed write aborts the batch, which deletes
//! its rows; a crashed process leaves a pending batch that no read sees
//! and that the next intake removes a day later. So a million-row file is
//! never held in memory and never half visible.
//!
//! A row identical to one in another intake that is still pending is
//! reported "already sent" (the unique key covers pending rows too); if that
//! other intake then aborts, the row must be sent again. Two partners never
//! share rows, so this needs the same partner sending the same row twice at
//! once.
//!
//! **Memory.** The file is read on a blocking thread in chunks of 8,192
//! rows through a channel of four chunks; each chunk is validated, probed
//! against the audit trail (one batch of resident keys) and written
//! before the next. The NIKs met so far, which find a NIK repeated in the
//! file, are kept in a temporary SQLite file with a small page cache
//! (`seen`), not in memory; the list of rejected rows kept for the report
//! is capped at [`IntakeConfig::report_limit`] (the rejected-rows workbook
//! has them all). What still grows with the file is, for xlsx, calamine's
//! shared-string table (one entry per distinct text cell).
//!
//! **Bad input.** The size is checked against
//! [`IntakeConfig::max_upload_bytes`] before a byte is read (an upload
//! handler streams the body to a temporary file and passes its length, so
//! a 2 GB upload never sits in memory); the type comes
//! from the content (a renamed program or PDF is refused); a zip whose
//! declared uncompressed size or ratio is out of bounds is refused before
//! decompressing; a formula anywhere refuses the file (the cell is named);
//! a missing header row or required column refuses the file. Each has a
//! stable code and a message in Bahasa Indonesia ([`IntakeError`]).

mod read;
mod rejected;
mod rows;
mod run;
mod seen;
mod sniff;

use std::io::{Read, Seek};

use gerbang_core::return_data::Problem;
use gerbang_store::StoreError;

pub use rejected::REASON_COLUMN;
pub use rows::read_rows;
pub use run::{Actor, IntakeReport, Record, RejectedRow, Source, submit};
pub use sniff::{Format, sniff};

/// A file to read: anything readable and seekable that can move to the
/// reading thread.
pub trait ReadSeek: Read + Seek + Send + 'static {}
impl<T: Read + Seek + Send + 'static> ReadSeek for T {}

/// The limits and rules of a deployment's intake.
#[derive(Debug, Clone)]
pub struct IntakeConfig {
    /// Largest upload accepted, in bytes (checked before reading).
    pub max_upload_bytes: u64,
    /// Largest total uncompressed size a workbook's zip may declare.
    pub max_unpacked_bytes: u64,
    /// Largest uncompressed/compressed ratio of a big zip entry.
    pub max_ratio: u64,
    /// How far back an access by the partner counts, in days.
    pub access_window_days: u32,
    /// How many rejected rows the report lists (the workbook has all).
    pub report_limit: usize,
}

impl Default for IntakeConfig {
    fn default() -> Self {
        IntakeConfig {
            max_upload_bytes: 512 << 20,
            max_unpacked_bytes: 4 << 30,
            max_ratio: 200,
            access_window_days: gerbang_core::return_data::DEFAULT_ACCESS_WINDOW_DAYS,
            report_limit: 1_000,
        }
    }
}

/// Why a submission was refused as a whole. Nothing of it is stored.
#[derive(Debug, thiserror::Error)]
pub enum IntakeError {
    /// The upload is larger than the deployment allows.
    #[error("berkas terlalu besar: batas unggahan {limit_mib} MiB")]
    TooLarge {
        /// The limit, in MiB.
        limit_mib: u64,
    },
    /// The file has no content.
    #[error("berkas kosong")]
    Empty,
    /// The content is not a spreadsheet or CSV.
    #[error(
        "berkas bukan lembar kerja Excel/LibreOffice atau CSV (terdeteksi: {0}); unggah berkas .xlsx, .xls, .ods atau .csv"
    )]
    NotASpreadsheet(String),
    /// The archive would decompress to far more than it weighs.
    #[error("berkas ditolak: isi arsipnya jauh lebih besar daripada ukurannya (kemungkinan zip bomb)")]
    ZipBomb,
    /// A cell holds a formula.
    #[error(
        "berkas berisi rumus (formula), misalnya di sel {cell}; salin lalu Tempel Spesial → Nilai saja, simpan, dan unggah ulang (Gerbang tidak menghitung rumus)"
    )]
    Formula {
        /// The first such cell, A1-style.
        cell: String,
    },
    /// The workbook has no sheet.
    #[error("berkas tidak memiliki lembar kerja")]
    NoSheet,
    /// The file is damaged or cannot be parsed.
    #[error("berkas tidak dapat dibaca: {0}")]
    Unreadable(String),
    /// No row names the NIK column and the schema's columns.
    #[error("baris judul tidak ditemukan: baris judul harus memuat kolom {columns}")]
    HeaderNotFound {
        /// The expected columns.
        columns: String,
    },
    /// The header row lacks required columns.
    #[error("baris judul tidak lengkap: {}", list(.0))]
    Columns(Vec<Problem>),
    /// The file has no data row.
    #[error("berkas tidak berisi baris data")]
    NoRows,
    /// The file has more rows than this kind of submission takes.
    #[error("berkas berisi lebih dari {limit} baris; bagi menjadi beberapa berkas")]
    TooManyRows {
        /// The limit.
        limit: usize,
    },
    /// The schema the agreement names is not defined.
    #[error("skema data balikan \"{0}\" belum didefinisikan; hubungi Dukcapil")]
    UnknownSchema(String),
    /// Reading the file failed.
    #[error("berkas tidak dapat dibaca: {0}")]
    Io(String),
    /// The rejected-rows workbook could not be written.
    #[error("laporan baris ditolak tidak dapat ditulis: {0}")]
    Report(String),
    /// Storage failed; nothing was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn list(problems: &[Problem]) -> String {
    problems.iter().map(|p| p.message.clone()).collect::<Vec<_>>().join("; ")
}

impl IntakeError {
    pub(crate) fn io(error: std::io::Error) -> Self {
        IntakeError::Io(error.to_string())
    }

    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            IntakeError::TooLarge { .. } => "intake.too_large",
            IntakeError::Empty => "intake.empty",
            IntakeError::NotASpreadsheet(_) => "intake.not_a_spreadsheet",
            IntakeError::ZipBomb => "intake.zip_bomb",
            IntakeError::Formula { .. } => "intake.formula",
            IntakeError::NoSheet => "intake.no_sheet",
            IntakeError::Unreadable(_) => "intake.unreadable",
            IntakeError::HeaderNotFound { .. } => "intake.header_not_found",
            IntakeError::Columns(_) => "intake.columns_missing",
            IntakeError::NoRows => "intake.no_rows",
            IntakeError::TooManyRows { .. } => "intake.too_many_rows",
            IntakeError::UnknownSchema(_) => "intake.unknown_schema",
            IntakeError::Io(_) => "intake.io",
            IntakeError::Report(_) => "intake.report",
            IntakeError::Store(error) => error.code(),
        }
    }
}

#[cfg(test)]
mod tests;

//! The one validation path of a return-data row: [`ReturnSchema::bind`]
//! reads a header row once, [`Binding::check`] applies every cell rule to a
//! row, [`settle`] adds the rules that need the rest of the file and the
//! audit trail (a NIK repeated in the file; a NIK the partner never
//! accessed). Whether an identical row was already stored is the store's
//! answer at write time ([`RowOutcome::AlreadySent`]).

use std::fmt;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::NIK_COLUMN;
use super::cell::{Cell, MAX_EXACT_NUMBER, excel_serial_date, parse_date_text};
use super::schema::{ReturnSchema, Rule};
use crate::id_number::Nik;

/// What is wrong with one cell or one row, for the row-level report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The column concerned (`NIK`, `NIP`, …); empty for the row as a whole.
    pub column: String,
    /// A stable machine-readable code, e.g. `return.digits`.
    pub code: &'static str,
    /// What is wrong, in Bahasa Indonesia. Never repeats the cell's value.
    pub message: String,
}

impl Problem {
    fn new(column: &str, code: &'static str, message: impl Into<String>) -> Self {
        Problem { column: column.to_owned(), code, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() { f.write_str(&self.message) } else { write!(f, "{}: {}", self.column, self.message) }
    }
}

/// A row as read from a file, the form or the web service, its cells in
/// the order of the header row it was bound with.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRow {
    /// Its row number in the file (1-based, as a spreadsheet shows it), or
    /// its position in a web-service body.
    pub number: u64,
    /// The cells, in header order; missing trailing cells count as empty.
    pub cells: Vec<Cell>,
}

/// A row that passed every rule.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidRow {
    /// Its row number.
    pub number: u64,
    /// The resident.
    pub nik: Nik,
    /// Column → value in canonical form (dates `yyyy-mm-dd`, choices as the
    /// schema lists them), in schema order; blank optional fields omitted.
    pub values: Vec<(String, String)>,
}

impl fmt::Debug for ValidRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns: Vec<&str> = self.values.iter().map(|(c, _)| c.as_str()).collect();
        f.debug_struct("ValidRow")
            .field("number", &self.number)
            .field("nik", &self.nik)
            .field("columns", &columns)
            .finish()
    }
}

impl ValidRow {
    /// SHA-256 of the canonical values: with the institution, the schema and
    /// the NIK it is the key that makes a resubmitted row "sudah pernah
    /// dikirim" instead of a second copy.
    pub fn digest(&self) -> [u8; 32] {
        let mut hash = Sha256::new();
        for (column, value) in &self.values {
            hash.update((column.len() as u64).to_be_bytes());
            hash.update(column.as_bytes());
            hash.update((value.len() as u64).to_be_bytes());
            hash.update(value.as_bytes());
        }
        hash.finalize().into()
    }
}

/// A schema bound to a header row: where each column is.
#[derive(Debug, Clone)]
pub struct Binding {
    schema: ReturnSchema,
    nik: usize,
    /// Per schema field, its position in the header row (absent optional
    /// columns are `None`).
    positions: Vec<Option<usize>>,
}

fn header_matches(cell: &str, column: &str) -> bool {
    cell.trim().eq_ignore_ascii_case(column.trim())
}

impl ReturnSchema {
    /// Binds this schema to a header row. Fails (with one problem per
    /// missing column) when NIK or a required column is absent; columns
    /// the schema does not know are ignored.
    pub fn bind(&self, header: &[String]) -> Result<Binding, Vec<Problem>> {
        let find = |column: &str| header.iter().position(|h| header_matches(h, column));
        let mut missing = Vec::new();
        let nik = find(NIK_COLUMN);
        if nik.is_none() {
            missing.push(Problem::new(NIK_COLUMN, "return.column_missing", "kolom NIK tidak ditemukan di baris judul"));
        }
        let positions: Vec<Option<usize>> = self.fields.iter().map(|f| find(&f.column)).collect();
        for (field, position) in self.fields.iter().zip(&positions) {
            if field.required && position.is_none() {
                missing.push(Problem::new(
                    &field.column,
                    "return.column_missing",
                    format!("kolom wajib {} ({}) tidak ditemukan di baris judul", field.column, field.label),
                ));
            }
        }
        match nik {
            Some(nik) if missing.is_empty() => Ok(Binding { schema: self.clone(), nik, positions }),
            _ => Err(missing),
        }
    }

    /// Whether `row` looks like this schema's header row: it names the NIK
    /// column and at least one of the schema's columns.
    pub fn is_header(&self, row: &[String]) -> bool {
        row.iter().any(|h| header_matches(h, NIK_COLUMN))
            && self.fields.iter().any(|f| row.iter().any(|h| header_matches(h, &f.column)))
    }
}

/// Reads the NIK cell. A number above 2^53 has lost digits; a number is
/// read as its integer digits otherwise.
fn nik_of(cell: &Cell) -> Result<Nik, Problem> {
    let text = match cell {
        Cell::Empty => return Err(Problem::new(NIK_COLUMN, "return.required", "NIK wajib diisi")),
        Cell::Text(text) if text.trim().is_empty() => {
            return Err(Problem::new(NIK_COLUMN, "return.required", "NIK wajib diisi"));
        }
        cell if cell.is_rounded_nik() => {
            return Err(Problem::new(
                NIK_COLUMN,
                "return.nik_lost_digits",
                "NIK tersimpan sebagai angka sehingga digit terakhirnya hilang; simpan kolom NIK sebagai teks lalu kirim ulang",
            ));
        }
        Cell::Date(_) => {
            return Err(Problem::new(
                NIK_COLUMN,
                "return.nik_invalid",
                "NIK berformat tanggal; simpan kolom NIK sebagai teks",
            ));
        }
        other => other.display(),
    };
    let text = text.trim().trim_start_matches('\'');
    Nik::parse(text).map_err(|error| Problem::new(NIK_COLUMN, "return.nik_invalid", error.to_string()))
}

/// Applies one field's rule; `Ok(None)` for a blank optional cell.
fn value_of(field: &super::Field, cell: &Cell) -> Result<Option<String>, Problem> {
    let column = field.column.as_str();
    if cell.is_blank() {
        return if field.required {
            Err(Problem::new(column, "return.required", format!("{} wajib diisi", field.label)))
        } else {
            Ok(None)
        };
    }
    let text = cell.display();
    let value = match &field.rule {
        Rule::Text { max_length } => {
            let length = text.chars().count();
            if length > *max_length {
                return Err(Problem::new(
                    column,
                    "return.too_long",
                    format!("{} paling panjang {max_length} karakter, yang diberikan {length}", field.label),
                ));
            }
            text
        }
        Rule::Digits { length } => {
            if matches!(cell, Cell::Number(n) if *n > MAX_EXACT_NUMBER) {
                return Err(Problem::new(
                    column,
                    "return.number_lost_digits",
                    format!(
                        "{} tersimpan sebagai angka sehingga digitnya hilang; simpan kolom {column} sebagai teks",
                        field.label
                    ),
                ));
            }
            let text = text.trim_start_matches('\'').to_owned();
            if text.len() != *length || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Problem::new(
                    column,
                    "return.digits",
                    format!("{} harus tepat {length} digit angka", field.label),
                ));
            }
            text
        }
        Rule::Date => {
            let day = match cell {
                Cell::Date(day) => Some(*day),
                Cell::Number(serial) => excel_serial_date(*serial),
                _ => parse_date_text(&text),
            };
            match day {
                Some(day) => day.format("%Y-%m-%d").to_string(),
                None => {
                    return Err(Problem::new(
                        column,
                        "return.date",
                        format!(
                            "{} bukan tanggal yang sah (gunakan dd-mm-yyyy, dd/mm/yyyy atau yyyy-mm-dd)",
                            field.label
                        ),
                    ));
                }
            }
        }
        Rule::Choice { options } => match options.iter().find(|o| o.trim().eq_ignore_ascii_case(&text)) {
            Some(option) => option.clone(),
            None => {
                return Err(Problem::new(
                    column,
                    "return.choice",
                    format!("{} harus salah satu dari: {}", field.label, options.join(", ")),
                ));
            }
        },
        Rule::Integer { min, max } => match text.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => n.to_string(),
            _ => {
                return Err(Problem::new(
                    column,
                    "return.integer",
                    format!("{} harus bilangan bulat dari {min} sampai {max}", field.label),
                ));
            }
        },
    };
    Ok(Some(value))
}

impl Binding {
    /// The bound schema.
    pub fn schema(&self) -> &ReturnSchema {
        &self.schema
    }

    /// Applies every cell rule to `row`: the row, or every problem found.
    pub fn check(&self, row: &RawRow) -> Result<ValidRow, Vec<Problem>> {
        let empty = Cell::Empty;
        let cell = |position: Option<usize>| position.and_then(|p| row.cells.get(p)).unwrap_or(&empty);
        let mut problems = Vec::new();
        let nik = nik_of(cell(Some(self.nik))).map_err(|p| problems.push(p)).ok();
        let mut values = Vec::with_capacity(self.schema.fields.len());
        for (field, position) in self.schema.fields.iter().zip(&self.positions) {
            match value_of(field, cell(*position)) {
                Ok(Some(value)) => values.push((field.column.clone(), value)),
                Ok(None) => {}
                Err(problem) => problems.push(problem),
            }
        }
        match nik {
            Some(nik) if problems.is_empty() => Ok(ValidRow { number: row.number, nik, values }),
            _ => Err(problems),
        }
    }

    /// Whether a row is blank throughout (skipped, not reported).
    pub fn is_blank(row: &RawRow) -> bool {
        row.cells.iter().all(Cell::is_blank)
    }
}

/// The rules that need more than the row: `first_row_of_nik` is the
/// number of an earlier row of the same file with this NIK, if any;
/// `accessed` whether the partner accessed the NIK within the window.
pub fn settle(row: ValidRow, first_row_of_nik: Option<u64>, accessed: bool) -> Result<ValidRow, Vec<Problem>> {
    let mut problems = Vec::new();
    if let Some(first) = first_row_of_nik {
        problems.push(Problem::new(
            NIK_COLUMN,
            "return.duplicate_nik",
            format!("NIK ini sudah ada di baris {first} berkas yang sama"),
        ));
    }
    if !accessed {
        problems.push(Problem::new(
            NIK_COLUMN,
            "return.not_accessed",
            "NIK ini tidak pernah diakses lembaga Anda dalam jangka waktu yang ditentukan; data balikan hanya diterima untuk NIK yang telah diakses",
        ));
    }
    if problems.is_empty() { Ok(row) } else { Err(problems) }
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// Stored (or, all-or-nothing, would have been: see the report's
    /// `stored`).
    Accepted,
    /// An identical row of this partner and schema was stored before
    /// ("sudah pernah dikirim"); not stored again.
    AlreadySent,
    /// Refused, with every reason.
    Rejected(Vec<Problem>),
}

/// How a file's rows are stored, chosen by the uploader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntakeMode {
    /// Any rejected row and nothing of the file is stored.
    AllOrNothing,
    /// Valid rows are stored, the others reported.
    RowByRow,
}

impl IntakeMode {
    /// The stable name (`all` / `rows`).
    pub fn name(self) -> &'static str {
        match self {
            IntakeMode::AllOrNothing => "all",
            IntakeMode::RowByRow => "rows",
        }
    }

    /// Reads a stable name.
    pub fn from_name(name: &str) -> Option<Self> {
        [IntakeMode::AllOrNothing, IntakeMode::RowByRow].into_iter().find(|m| m.name() == name)
    }
}

/// How the rows came in (004 Juknis 3d: three methods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntakeMethod {
    /// An Excel / CSV file (portal upload, or the registry's CLI import of
    /// a file sent on a storage medium, Juknis 3f).
    Upload,
    /// The portal's online form.
    Form,
    /// The JSON web service with a token.
    WebService,
}

impl IntakeMethod {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            IntakeMethod::Upload => "upload",
            IntakeMethod::Form => "form",
            IntakeMethod::WebService => "web_service",
        }
    }

    /// Reads a stable name.
    pub fn from_name(name: &str) -> Option<Self> {
        [IntakeMethod::Upload, IntakeMethod::Form, IntakeMethod::WebService].into_iter().find(|m| m.name() == name)
    }
}

/// The row counts of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchCounts {
    /// Non-blank data rows read.
    pub rows: u64,
    /// Rows stored by this batch.
    pub accepted: u64,
    /// Rows identical to ones stored before.
    pub already_sent: u64,
    /// Rows refused.
    pub rejected: u64,
}

/// Whether a batch's rows are visible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchState {
    /// Being written; its rows are invisible to every read.
    Pending,
    /// Done; its rows are part of the register.
    Committed,
}

/// One intake: who sent what, when, how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnBatch {
    /// Unique id (the request's operation id, or a fresh one).
    pub id: String,
    /// The partner institution.
    pub institution: String,
    /// The schema the rows follow.
    pub schema: String,
    /// Who sent it (a User ID, or `cli:<operator>` for the registry's import).
    pub user_id: String,
    /// How.
    pub method: IntakeMethod,
    /// All-or-nothing or row by row.
    pub mode: IntakeMode,
    /// The uploaded file's name, as given (never trusted for its type).
    pub filename: Option<String>,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Its counts (zero while pending).
    pub counts: BatchCounts,
    /// Pending or committed.
    pub state: BatchState,
}

/// A stored return-data row with where it came from, for the registry.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredReturnRow {
    /// The resident.
    pub nik: Nik,
    /// The partner that sent it.
    pub institution: String,
    /// Its schema.
    pub schema: String,
    /// The batch it came in.
    pub batch: String,
    /// How it came.
    pub method: IntakeMethod,
    /// When its batch arrived.
    pub received_at: DateTime<Utc>,
    /// Column → value, in schema order.
    pub values: Vec<(String, String)>,
}

impl fmt::Debug for StoredReturnRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredReturnRow")
            .field("nik", &self.nik)
            .field("institution", &self.institution)
            .field("schema", &self.schema)
            .field("batch", &self.batch)
            .finish_non_exhaustive()
    }
}

//! Filing many facilitation cases at once from a spreadsheet (SPEC.md §9):
//! KemenPPPA's lists of children and Pemasyarakatan's lists of inmates
//! arrive as tables, one person a row, with the filing form's field names
//! ([`FilingField::name`]) as the header row.
//!
//! A sheet is all or nothing. Every row goes through the same check as
//! the form ([`ControlPlane::file_facilitation`]), the same person asked
//! twice for the same document in one sheet is refused at the second row,
//! and any refused row refuses the sheet with every problem listed by row
//! and column, so the partner corrects the file and sends it again without
//! wondering which rows went in. Reading the file (format, size, zip bomb,
//! formulas) is `gerbang-intake`'s; what the rows mean is decided here.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::{Case, DocumentKind, FacilitationError, Filing, FilingField, Subject, SubjectGroup};
use crate::access::{ControlPlane, PartnerDesk};
use crate::return_data::{Cell, RawRow, excel_serial_date, parse_date_text};

/// The most people one sheet may file; a larger list is split.
pub const MAX_SHEET_ROWS: usize = 2_000;

/// How many rows above the header may hold a title or notes.
const HEADER_SEARCH_ROWS: usize = 10;

/// The columns a header row must have; the others may be left out when
/// the sheet's documents do not need them.
const REQUIRED_COLUMNS: [FilingField; 3] = [FilingField::Document, FilingField::Group, FilingField::FullName];

/// One refused row: where, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The row number as the spreadsheet shows it.
    pub row: u64,
    /// The column, when the problem is one cell's.
    pub column: Option<FilingField>,
    /// What is wrong, in Bahasa Indonesia.
    pub problem: String,
}

/// Why a sheet files nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// No header row names the form's columns.
    #[error("baris judul tidak ditemukan: baris judul harus memuat kolom {}", column_list(&REQUIRED_COLUMNS))]
    HeaderNotFound,
    /// The header names a column the form does not have.
    #[error("kolom tidak dikenal: {0}; gunakan nama kolom formulir: {all}", all = column_list(&FilingField::ALL))]
    UnknownColumn(String),
    /// The header names one column twice.
    #[error("kolom {0} muncul dua kali di baris judul")]
    RepeatedColumn(&'static str),
    /// The sheet has a header and nothing under it.
    #[error("berkas tidak berisi baris data")]
    NoRows,
    /// More rows than one sheet may file.
    #[error("berkas berisi lebih dari {limit} baris data; bagi menjadi beberapa berkas")]
    TooManyRows {
        /// The limit.
        limit: usize,
    },
    /// The filing itself is refused (no agreement in force, document not
    /// granted): no row could be filed.
    #[error(transparent)]
    Refused(FacilitationError),
    /// Some rows are wrong; nothing was filed.
    #[error("{} baris ditolak; tidak ada permohonan yang diajukan", .0.len())]
    Rows(Vec<RowProblem>),
}

impl SheetError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SheetError::HeaderNotFound => "facilitation.header_not_found",
            SheetError::UnknownColumn(_) => "facilitation.unknown_column",
            SheetError::RepeatedColumn(_) => "facilitation.repeated_column",
            SheetError::NoRows => "facilitation.no_rows",
            SheetError::TooManyRows { .. } => "facilitation.too_many_rows",
            SheetError::Refused(error) => error.code(),
            SheetError::Rows(_) => "facilitation.rows_refused",
        }
    }
}

fn column_list(fields: &[FilingField]) -> String {
    fields.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
}

/// A header cell as a field: the form's name in any case, with spaces or
/// hyphens for underscores (`Nama Lengkap` is `nama_lengkap`).
fn column_of(header: &str) -> Option<FilingField> {
    let name = header.trim().to_lowercase().replace([' ', '-'], "_");
    FilingField::ALL.into_iter().find(|f| f.name() == name)
}

/// Where each field sits in the rows.
struct Columns(HashMap<FilingField, usize>);

impl Columns {
    /// Reads `row` as the header row, or says it is not one (`Ok(None)`):
    /// a header has every required column.
    fn of(row: &RawRow) -> Result<Option<Columns>, SheetError> {
        let texts: Vec<String> = row.cells.iter().map(Cell::display).collect();
        let named = texts.iter().filter_map(|t| column_of(t)).collect::<Vec<_>>();
        if !REQUIRED_COLUMNS.iter().all(|c| named.contains(c)) {
            return Ok(None);
        }
        let mut columns = HashMap::new();
        for (index, text) in texts.iter().enumerate() {
            if text.is_empty() {
                continue;
            }
            let field = column_of(text).ok_or_else(|| SheetError::UnknownColumn(text.clone()))?;
            if columns.insert(field, index).is_some() {
                return Err(SheetError::RepeatedColumn(field.name()));
            }
        }
        Ok(Some(Columns(columns)))
    }

    fn cell<'r>(&self, row: &'r RawRow, field: FilingField) -> &'r Cell {
        self.0.get(&field).and_then(|index| row.cells.get(*index)).unwrap_or(&Cell::Empty)
    }

    fn text(&self, row: &RawRow, field: FilingField) -> String {
        self.cell(row, field).display()
    }

    /// The filing a row asks for, before the form's checks.
    fn filing(&self, row: &RawRow) -> Result<Filing, RowProblem> {
        let problem = |field: FilingField, problem: &str| RowProblem {
            row: row.number,
            column: Some(field),
            problem: problem.to_owned(),
        };
        let document_text = self.text(row, FilingField::Document);
        let document = DocumentKind::ALL
            .into_iter()
            .find(|d| d.label().eq_ignore_ascii_case(&document_text))
            .or_else(|| DocumentKind::from_name(&document_text))
            .ok_or_else(|| problem(FilingField::Document, "isi akta_kelahiran, kia, ktp_el atau ikd"))?;
        let group_text = self.text(row, FilingField::Group);
        let group = SubjectGroup::from_name(&group_text)
            .ok_or_else(|| problem(FilingField::Group, "isi anak, tahanan, narapidana atau anak_binaan"))?;
        let nik = match self.cell(row, FilingField::Nik) {
            cell if cell.is_rounded_nik() => {
                return Err(problem(
                    FilingField::Nik,
                    "NIK tersimpan sebagai angka sehingga digit terakhirnya hilang; simpan kolom NIK sebagai teks",
                ));
            }
            cell => cell.display().trim_start_matches('\'').to_owned(),
        };
        let birth_date = match self.cell(row, FilingField::BirthDate) {
            Cell::Empty => None,
            Cell::Date(day) => Some(*day),
            Cell::Number(serial) => {
                Some(excel_serial_date(*serial).ok_or_else(|| problem(FilingField::BirthDate, "bukan tanggal"))?)
            }
            Cell::Text(text) if text.trim().is_empty() => None,
            Cell::Text(text) => Some(parse_date_text(text).ok_or_else(|| {
                problem(FilingField::BirthDate, "bukan tanggal; tulis seperti 17-08-2015 atau 2015-08-17")
            })?),
        };
        Ok(Filing {
            institution: String::new(),
            document,
            group,
            subject: Subject {
                nik,
                full_name: self.text(row, FilingField::FullName),
                sex: self.text(row, FilingField::Sex),
                birth_place: self.text(row, FilingField::BirthPlace),
                birth_date,
                mother_name: self.text(row, FilingField::MotherName),
                father_name: self.text(row, FilingField::FatherName),
                address: self.text(row, FilingField::Address),
                region_code: self.text(row, FilingField::RegionCode),
                custody_number: self.text(row, FilingField::CustodyNumber),
                facility: self.text(row, FilingField::Facility),
            },
        })
    }
}

impl ControlPlane {
    /// Checks a whole sheet filed by a partner's administrator at `now`:
    /// the header row, then every row as [`ControlPlane::file_facilitation`]
    /// checks the form, then that no person is asked twice for the same
    /// document. Returns the cases to store with their row numbers, in row
    /// order, or why none may be.
    pub fn file_facilitation_sheet(
        &self,
        desk: &PartnerDesk,
        rows: Vec<RawRow>,
        now: DateTime<Utc>,
    ) -> Result<Vec<(u64, Case)>, SheetError> {
        let mut rows = rows.into_iter().filter(|row| !row.cells.iter().all(Cell::is_blank));
        let mut columns = None;
        for row in rows.by_ref().take(HEADER_SEARCH_ROWS) {
            if let Some(found) = Columns::of(&row)? {
                columns = Some(found);
                break;
            }
        }
        let columns = columns.ok_or(SheetError::HeaderNotFound)?;
        let rows: Vec<RawRow> = rows.collect();
        if rows.is_empty() {
            return Err(SheetError::NoRows);
        }
        if rows.len() > MAX_SHEET_ROWS {
            return Err(SheetError::TooManyRows { limit: MAX_SHEET_ROWS });
        }
        let mut cases = Vec::with_capacity(rows.len());
        let mut problems = Vec::new();
        let mut first_row_of: HashMap<String, u64> = HashMap::new();
        for row in &rows {
            let case = columns.filing(row).and_then(|filing| {
                self.file_facilitation(desk, filing, now).map_err(|error| match error {
                    FacilitationError::Field { field, problem } => {
                        RowProblem { row: row.number, column: Some(field), problem: problem.to_owned() }
                    }
                    other => RowProblem { row: row.number, column: None, problem: other.to_string() },
                })
            });
            match case {
                Ok(case) => match first_row_of.get(&case.filing.subject_key()) {
                    Some(first) => problems.push(RowProblem {
                        row: row.number,
                        column: None,
                        problem: format!("orang dan dokumen yang sama sudah diajukan di baris {first}"),
                    }),
                    None => {
                        first_row_of.insert(case.filing.subject_key(), row.number);
                        cases.push((row.number, case));
                    }
                },
                Err(problem) => problems.push(problem),
            }
        }
        if problems.is_empty() {
            return Ok(cases);
        }
        // A refusal that is no row's fault (no agreement in force) is said
        // once, not on every row.
        if self.agreement_in_force(&desk.institution, crate::clock::jakarta_date(now)).is_none() {
            return Err(SheetError::Refused(FacilitationError::NoAgreementInForce));
        }
        Err(SheetError::Rows(problems))
    }
}

/// The rows of cases already open that a sheet's cases would repeat: the
/// store refuses a second open case for the same person and document, and
/// this names the rows so the partner can take them out.
pub fn rows_already_open(cases: &[(u64, Case)], open: &[Case]) -> Vec<RowProblem> {
    let open: HashMap<String, String> =
        open.iter().filter(|c| !c.status().is_final()).map(|c| (c.filing.subject_key(), c.handle())).collect();
    cases
        .iter()
        .filter_map(|(row, case)| {
            open.get(&case.filing.subject_key()).map(|handle| RowProblem {
                row: *row,
                column: None,
                problem: format!("permohonan untuk orang dan dokumen ini masih berjalan ({handle})"),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

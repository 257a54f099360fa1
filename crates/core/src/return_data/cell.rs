//! One cell of a return-data row as the file held it, before any rule:
//! spreadsheets keep numbers, dates and text apart, CSV and JSON only text.
//! Also the date forms partners' files use.

use std::fmt;

use chrono::NaiveDate;

/// The largest integer a spreadsheet number (an IEEE double) holds exactly:
/// 2^53. A 16-digit NIK above it that was stored as a number has lost its
/// last digits (Excel also keeps only 15 significant digits on entry).
pub const MAX_EXACT_NUMBER: f64 = 9_007_199_254_740_992.0;

/// A cell's content.
#[derive(Clone, PartialEq)]
pub enum Cell {
    /// Nothing (or only spaces).
    Empty,
    /// Text as typed.
    Text(String),
    /// A number (spreadsheets store every number as a double).
    Number(f64),
    /// A cell the spreadsheet formatted as a date.
    Date(NaiveDate),
}

impl fmt::Debug for Cell {
    /// Cells hold population data: only their kind is shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cell::Empty => "Empty",
            Cell::Text(_) => "Text(***)",
            Cell::Number(_) => "Number(***)",
            Cell::Date(_) => "Date(***)",
        })
    }
}

impl Cell {
    /// Whether the cell holds nothing but spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            Cell::Number(_) | Cell::Date(_) => false,
        }
    }

    /// Whether the cell is a NIK typed into a number cell that lost its
    /// last digit: Excel and LibreOffice keep 15 significant digits, so a
    /// 16-digit NIK stored as a number ends in 0 whatever was typed (…0011
    /// becomes …0010, another resident), and any number above 2^53 is
    /// inexact. Such a cell is refused rather than read as another person.
    pub fn is_rounded_nik(&self) -> bool {
        matches!(self, Cell::Number(n) if *n > MAX_EXACT_NUMBER || (*n >= 1e15 && (*n as u64).is_multiple_of(10)))
    }

    /// The cell as text, the way a person reads it: whole numbers without
    /// a decimal point, dates as `yyyy-mm-dd`.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.trim().to_owned(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e17 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
        }
    }
}

/// The day of a spreadsheet date serial (1900 date system: serial 1 is
/// 1900-01-01, with Lotus's phantom 1900-02-29 at 60).
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = if days < 60 { days + 1 } else { days };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// A date written as text: `dd-mm-yyyy`, `dd/mm/yyyy`, `yyyy-mm-dd` (a
/// time after a space is ignored, as spreadsheets write `yyyy-mm-dd 00:00:00`).
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let day_part = text.split([' ', 'T']).next().unwrap_or(text);
    ["%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%Y/%m/%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(day_part, format).ok())
        .filter(|day| chrono::Datelike::year(day) >= 1800)
}

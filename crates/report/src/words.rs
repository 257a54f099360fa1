//! The documents' words and number formats, in Bahasa Indonesia.

use chrono::{Datelike, NaiveDate};
use gerbang_core::access::Mechanism;
use gerbang_core::report::{ReportStatus, SemesterReport, Verdict};

/// A mechanism's label from its stable name.
pub(crate) fn mechanism(name: &str) -> String {
    Mechanism::from_name(name).map_or_else(|| name.to_owned(), |m| m.label().to_owned())
}

/// A count with '.' between thousands: 12.345.
pub(crate) fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push('.');
        }
        out.push(digit);
    }
    out
}

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// A month's name.
pub(crate) fn month(day: NaiveDate) -> &'static str {
    MONTHS.get(day.month0() as usize).copied().unwrap_or("")
}

/// A day as 30 Juni 2026.
pub(crate) fn date(day: NaiveDate) -> String {
    format!("{} {} {}", day.day(), month(day), day.year())
}

/// The status with the evaluation's verdict spelled out.
pub(crate) fn status(report: &SemesterReport) -> String {
    match (report.status(), report.evaluation().map(|e| &e.verdict)) {
        (ReportStatus::NeedsRevision, Some(Verdict::Revise { reason })) => format!("Perlu perbaikan: {reason}"),
        (status, _) => status.label().to_owned(),
    }
}

/// Splits `text` into lines of at most `width` characters at spaces,
/// keeping the writer's line breaks.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

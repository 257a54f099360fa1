//! The spreadsheets: the same figures as the PDF, one sheet per view, with
//! native Excel charts (stacked columns of calls per month by mechanism, bars
//! of outcomes) that the reader can restyle.

use gerbang_core::report::{BupatiSummary, SemesterReport, Utilization};
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use crate::ExportError;
use crate::words;

fn failed(error: XlsxError) -> ExportError {
    ExportError::Xlsx(error.to_string())
}

fn to_f64(n: u64) -> f64 {
    // Counts far below 2^53 are exact.
    n as f64
}

fn pairs(sheet: &mut Worksheet, first_row: u32, rows: &[(String, String)], bold: &Format) -> Result<u32, XlsxError> {
    let mut row = first_row;
    for (label, value) in rows {
        sheet.write_string_with_format(row, 0, label, bold)?;
        sheet.write_string(row, 1, value)?;
        row += 1;
    }
    Ok(row)
}

fn summary_sheet(book: &mut Workbook, report: &SemesterReport, figures: &Utilization) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("Ringkasan")?;
    sheet.set_column_width(0, 42)?;
    sheet.set_column_width(1, 36)?;
    sheet.write_string_with_format(0, 0, "LAPORAN PEMANFAATAN DATA KEPENDUDUKAN", &bold)?;
    sheet.write_string(1, 0, report.semester.label())?;
    let (provider_number, partner_number) = &report.agreement_numbers;
    let quota = &figures.quota;
    let rows = vec![
        ("Lembaga pengguna".to_owned(), format!("{} ({})", report.institution_name, report.institution)),
        ("Nomor PKS penyelenggara".into(), provider_number.clone()),
        ("Nomor PKS lembaga".into(), partner_number.clone()),
        ("Status".into(), words::status(report)),
    ];
    let row = pairs(sheet, 3, &rows, &bold)?;
    let numbers = [
        ("Jumlah panggilan", figures.calls),
        ("Hit terjawab", quota.hits),
        ("Hari pemakaian", quota.days_used),
        ("Jatah kuota pada hari pemakaian", quota.allowance),
        ("Pemakaian kuota (%)", quota.percent()),
        ("Hit pada hari tersibuk", quota.peak_hits),
        ("Ditolak karena kuota habis", quota.exhausted),
        ("Penduduk yang diakses", figures.residents_accessed),
        ("Penduduk dengan data balikan", figures.residents_with_return_data),
        ("Rasio data balikan (%)", figures.return_percent()),
    ];
    let mut row = row + 1;
    for (label, value) in numbers {
        sheet.write_string_with_format(row, 0, label, &bold)?;
        sheet.write_number(row, 1, to_f64(value))?;
        row += 1;
    }
    if let Some(day) = quota.peak_day {
        sheet.write_string_with_format(row, 0, "Hari tersibuk", &bold)?;
        sheet.write_string(row, 1, words::date(day))?;
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "Kendala", &bold)?;
    sheet.write_string(row, 1, &report.narrative.obstacles)?;
    sheet.write_string_with_format(row + 1, 0, "Rencana tindak lanjut", &bold)?;
    sheet.write_string(row + 1, 1, &report.narrative.plans)?;
    if let Some(evaluation) = report.evaluation() {
        sheet.write_string_with_format(row + 2, 0, "Temuan evaluasi", &bold)?;
        sheet.write_string(row + 2, 1, &evaluation.findings)?;
        sheet.write_string_with_format(row + 3, 0, "Tindak lanjut yang diminta", &bold)?;
        sheet.write_string(row + 3, 1, &evaluation.follow_up)?;
    }
    Ok(())
}

fn monthly_sheet(book: &mut Workbook, figures: &Utilization) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let mechanisms = figures.mechanisms();
    let sheet = book.add_worksheet().set_name("Per bulan")?;
    sheet.set_column_width(0, 14)?;
    sheet.write_string_with_format(0, 0, "Bulan", &bold)?;
    for (column, name) in (1u16..).zip(&mechanisms) {
        sheet.write_string_with_format(0, column, words::mechanism(name), &bold)?;
        sheet.set_column_width(column, 24)?;
    }
    for (row, month) in (1u32..).zip(&figures.by_month) {
        sheet.write_string(row, 0, words::month(month.month))?;
        for (column, name) in (1u16..).zip(&mechanisms) {
            sheet.write_number(row, column, to_f64(month.by_mechanism.get(name).copied().unwrap_or(0)))?;
        }
    }
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.title().set_name("Panggilan per bulan menurut mekanisme");
    for column in (1u16..).take(mechanisms.len()) {
        chart.add_series().set_name(("Per bulan", 0, column)).set_categories(("Per bulan", 1, 0, 6, 0)).set_values((
            "Per bulan",
            1,
            column,
            6,
            column,
        ));
    }
    sheet.insert_chart(8, 0, &chart)?;
    Ok(())
}

fn counts_sheet(
    book: &mut Workbook,
    name: &str,
    heading: &str,
    rows: Vec<(String, u64)>,
    chart_title: Option<&str>,
) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name(name)?;
    sheet.set_column_width(0, 36)?;
    sheet.write_string_with_format(0, 0, heading, &bold)?;
    sheet.write_string_with_format(0, 1, "Panggilan", &bold)?;
    let count = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    for (row, (label, value)) in (1u32..).zip(&rows) {
        sheet.write_string(row, 0, label)?;
        sheet.write_number(row, 1, to_f64(*value))?;
    }
    if let Some(title) = chart_title.filter(|_| count > 0) {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name(title);
        chart.add_series().set_categories((name, 1, 0, count, 0)).set_values((name, 1, 1, count, 1));
        chart.legend().set_hidden();
        sheet.insert_chart(1, 3, &chart)?;
    }
    Ok(())
}

fn sorted(map: &std::collections::BTreeMap<String, u64>, label: impl Fn(&str) -> String) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = map.iter().map(|(k, v)| (label(k), *v)).collect();
    rows.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    rows
}

/// A partner's semester report as `.xlsx`: summary with narrative and
/// evaluation, calls per month by mechanism (stacked column chart),
/// outcomes (bar chart), operators.
pub fn semester_xlsx(report: &SemesterReport) -> Result<Vec<u8>, ExportError> {
    let figures = report.figures.as_ref().ok_or(ExportError::NoFigures)?;
    let mut book = Workbook::new();
    summary_sheet(&mut book, report, figures).map_err(failed)?;
    monthly_sheet(&mut book, figures).map_err(failed)?;
    let outcomes = sorted(&figures.by_outcome, str::to_owned);
    counts_sheet(&mut book, "Hasil", "Hasil", outcomes, Some("Hasil panggilan")).map_err(failed)?;
    let mechanisms = sorted(&figures.by_mechanism, words::mechanism);
    counts_sheet(&mut book, "Mekanisme", "Mekanisme", mechanisms, None).map_err(failed)?;
    let operators = sorted(&figures.by_operator, str::to_owned);
    counts_sheet(&mut book, "Operator", "User ID", operators, None).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}

/// A regional provider's summary for the Bupati as `.xlsx`: one row per
/// partner and a chart of their calls.
pub fn bupati_xlsx(summary: &BupatiSummary) -> Result<Vec<u8>, ExportError> {
    let build = || -> Result<Vec<u8>, XlsxError> {
        let bold = Format::new().set_bold();
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("Ringkasan")?;
        sheet.write_string_with_format(0, 0, "RINGKASAN HASIL EVALUASI PEMANFAATAN DATA KEPENDUDUKAN", &bold)?;
        sheet.write_string(1, 0, format!("{} · {}", summary.provider_name, summary.semester.label()))?;
        let headings =
            ["Lembaga", "Kode", "Panggilan", "Hit", "Penduduk diakses", "Data balikan (%)", "Status", "Temuan"];
        for (column, heading) in (0u16..).zip(headings) {
            sheet.write_string_with_format(3, column, heading, &bold)?;
            sheet.set_column_width(column, if column == 0 || column == 7 { 36 } else { 16 })?;
        }
        for (row, report) in (4u32..).zip(&summary.reports) {
            let figures = report.figures.as_ref();
            sheet.write_string(row, 0, &report.institution_name)?;
            sheet.write_string(row, 1, &report.institution)?;
            sheet.write_number(row, 2, to_f64(figures.map_or(0, |f| f.calls)))?;
            sheet.write_number(row, 3, to_f64(figures.map_or(0, |f| f.quota.hits)))?;
            sheet.write_number(row, 4, to_f64(figures.map_or(0, |f| f.residents_accessed)))?;
            sheet.write_number(row, 5, to_f64(figures.map_or(0, Utilization::return_percent)))?;
            sheet.write_string(row, 6, words::status(report))?;
            sheet.write_string(row, 7, report.evaluation().map_or("", |e| e.findings.as_str()))?;
        }
        let last = 3 + u32::try_from(summary.reports.len()).unwrap_or(0);
        if !summary.missing.is_empty() {
            sheet.write_string_with_format(last + 2, 0, "Belum melapor", &bold)?;
            sheet.write_string(last + 2, 1, summary.missing.join(", "))?;
        }
        if !summary.reports.is_empty() {
            let mut chart = Chart::new(ChartType::Bar);
            chart.title().set_name("Panggilan per lembaga");
            chart.add_series().set_categories(("Ringkasan", 4, 1, last, 1)).set_values(("Ringkasan", 4, 2, last, 2));
            chart.legend().set_hidden();
            sheet.insert_chart(last + 4, 0, &chart)?;
        }
        book.save_to_buffer()
    };
    build().map_err(failed)
}

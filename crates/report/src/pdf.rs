//! The PDF documents: A4 portrait, DejaVu Sans embedded, charts drawn as
//! filled rectangles (vector, no images). A [`Canvas`] keeps a cursor that
//! moves down the page and starts a new page when the next block does not
//! fit.

use std::collections::BTreeMap;

use gerbang_core::report::{BupatiSummary, SemesterReport, Utilization};
use printpdf::{
    Color, IndirectFontRef, Line, Mm, PdfDocument, PdfDocumentReference, PdfLayerReference, Point, Rect, Rgb,
};

use crate::words::{self, count};
use crate::{ExportError, Font};

const PAGE_WIDTH: f32 = 210.0;
const PAGE_HEIGHT: f32 = 297.0;
const MARGIN: f32 = 18.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Characters per line of 10-point body text across the text width.
const LINE_CHARS: usize = 92;

/// The series colours (RGB, 0–1), the same order as the portal's.
const PALETTE: [(f32, f32, f32); 8] = [
    (0.12, 0.38, 0.62),
    (0.85, 0.45, 0.11),
    (0.20, 0.60, 0.33),
    (0.75, 0.20, 0.25),
    (0.50, 0.36, 0.66),
    (0.55, 0.40, 0.30),
    (0.85, 0.40, 0.65),
    (0.45, 0.45, 0.45),
];

fn failed(error: impl std::fmt::Display) -> ExportError {
    ExportError::Pdf(error.to_string())
}

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

/// A document being drawn, with its cursor.
struct Canvas {
    doc: PdfDocumentReference,
    layer: PdfLayerReference,
    font: IndirectFontRef,
    /// The cursor, in millimetres from the bottom of the page.
    y: f32,
}

impl Canvas {
    fn new(title: &str, font: &Font) -> Result<Canvas, ExportError> {
        let (doc, page, layer) = PdfDocument::new(title, Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "isi");
        let font = doc.add_external_font(font.bytes()).map_err(failed)?;
        let layer = doc.get_page(page).get_layer(layer);
        Ok(Canvas { doc, layer, font, y: PAGE_HEIGHT - MARGIN })
    }

    /// Starts a new page when fewer than `height` millimetres are left.
    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            let (page, layer) = self.doc.add_page(Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT), "isi");
            self.layer = self.doc.get_page(page).get_layer(layer);
            self.y = PAGE_HEIGHT - MARGIN;
        }
    }

    fn text_at(&self, x: f32, y: f32, size: f32, text: &str) {
        self.layer.set_fill_color(rgb((0.0, 0.0, 0.0)));
        self.layer.use_text(text, size, Mm(x), Mm(y), &self.font);
    }

    /// One line of text at the cursor; the cursor moves below it.
    fn line(&mut self, size: f32, text: &str) {
        let height = size * 0.48;
        self.room(height);
        self.y -= height;
        self.text_at(MARGIN, self.y, size, text);
    }

    fn gap(&mut self, height: f32) {
        self.y -= height;
    }

    fn heading(&mut self, text: &str) {
        self.room(20.0);
        self.gap(3.0);
        self.line(12.0, text);
        self.rule();
        self.gap(1.5);
    }

    fn rule(&mut self) {
        self.gap(1.2);
        self.layer.set_outline_color(rgb((0.6, 0.6, 0.6)));
        self.layer.set_outline_thickness(0.5);
        self.layer.add_line(Line {
            points: vec![
                (Point::new(Mm(MARGIN), Mm(self.y)), false),
                (Point::new(Mm(PAGE_WIDTH - MARGIN), Mm(self.y)), false),
            ],
            is_closed: false,
        });
    }

    /// A row of cells at column offsets (mm from the margin).
    fn row(&mut self, size: f32, cells: &[(f32, &str)]) {
        let height = size * 0.5;
        self.room(height);
        self.y -= height;
        for (x, text) in cells {
            self.text_at(MARGIN + x, self.y, size, text);
        }
    }

    fn paragraph(&mut self, text: &str) {
        let text = if text.trim().is_empty() { "—" } else { text };
        for line in words::wrap(text, LINE_CHARS) {
            self.line(10.0, &line);
        }
    }

    fn rect(&self, x: f32, y: f32, width: f32, height: f32, colour: (f32, f32, f32)) {
        self.layer.set_fill_color(rgb(colour));
        self.layer.add_rect(
            Rect::new(Mm(x), Mm(y), Mm(x + width), Mm(y + height)).with_mode(printpdf::path::PaintMode::Fill),
        );
    }

    /// A labelled table of counts, the largest first.
    fn counts(&mut self, title: &str, figures: &BTreeMap<String, u64>, label: impl Fn(&str) -> String) {
        let mut rows: Vec<(&String, &u64)> = figures.iter().collect();
        rows.sort_by_key(|(_, n)| std::cmp::Reverse(**n));
        self.room(8.0 + 5.0 * rows.len().min(6) as f32);
        self.line(10.5, title);
        if rows.is_empty() {
            self.row(9.5, &[(4.0, "—")]);
        }
        for (name, n) in rows {
            self.row(9.5, &[(4.0, &label(name)), (120.0, &count(*n))]);
        }
        self.gap(2.0);
    }

    /// Stacked vertical bars: one per label, one segment per series.
    fn stacked_bars(&mut self, title: &str, labels: &[String], series: &[String], values: &[Vec<u64>]) {
        let height = 50.0;
        self.room(height + 30.0);
        self.line(10.5, title);
        let base = self.y - height - 4.0;
        let top = values.iter().map(|v| v.iter().sum::<u64>()).max().unwrap_or(0).max(1);
        let left = MARGIN + 14.0;
        let slot = (TEXT_WIDTH - 14.0) / labels.len().max(1) as f32;
        self.text_at(MARGIN, base + height - 2.5, 8.0, &count(top));
        self.text_at(MARGIN, base, 8.0, "0");
        for (index, (label, bar)) in labels.iter().zip(values).enumerate() {
            let x = left + index as f32 * slot + slot * 0.2;
            let mut stacked = 0u64;
            for (series_index, value) in bar.iter().enumerate().filter(|(_, v)| **v > 0) {
                let bottom = base + height * stacked as f32 / top as f32;
                stacked += value;
                let top_y = base + height * stacked as f32 / top as f32;
                self.rect(x, bottom, slot * 0.6, (top_y - bottom).max(0.3), PALETTE[series_index % PALETTE.len()]);
            }
            self.text_at(x, base - 4.5, 8.0, label);
            if stacked > 0 {
                self.text_at(x, base + height * stacked as f32 / top as f32 + 1.0, 7.5, &count(stacked));
            }
        }
        self.layer.set_outline_color(rgb((0.3, 0.3, 0.3)));
        self.layer.set_outline_thickness(0.6);
        self.layer.add_line(Line {
            points: vec![
                (Point::new(Mm(left), Mm(base)), false),
                (Point::new(Mm(PAGE_WIDTH - MARGIN), Mm(base)), false),
            ],
            is_closed: false,
        });
        self.y = base - 8.0;
        self.legend(series);
    }

    fn legend(&mut self, series: &[String]) {
        for (index, name) in series.iter().enumerate() {
            self.room(5.0);
            self.y -= 4.5;
            self.rect(MARGIN + 4.0, self.y, 3.0, 3.0, PALETTE[index % PALETTE.len()]);
            self.text_at(MARGIN + 9.0, self.y, 8.5, name);
        }
        self.gap(3.0);
    }

    /// Horizontal bars, one per row.
    fn horizontal_bars(&mut self, title: &str, rows: &[(String, u64)]) {
        self.room(10.0 + 6.0 * rows.len().min(8) as f32);
        self.line(10.5, title);
        let top = rows.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
        for (index, (label, n)) in rows.iter().enumerate() {
            self.room(6.0);
            self.y -= 6.0;
            self.text_at(MARGIN + 2.0, self.y + 0.5, 8.5, label);
            let width = 90.0 * *n as f32 / top as f32;
            self.rect(MARGIN + 62.0, self.y, width.max(0.3), 4.0, PALETTE[index % PALETTE.len()]);
            self.text_at(MARGIN + 64.0 + width, self.y + 0.5, 8.5, &count(*n));
        }
        self.gap(4.0);
    }

    fn finish(self) -> Result<Vec<u8>, ExportError> {
        self.doc.save_to_bytes().map_err(failed)
    }
}

fn figures_of(report: &SemesterReport) -> Result<&Utilization, ExportError> {
    report.figures.as_ref().ok_or(ExportError::NoFigures)
}

/// The figures table of one report.
fn figures_table(canvas: &mut Canvas, figures: &Utilization) {
    let quota = &figures.quota;
    let peak =
        quota.peak_day.map_or_else(|| "—".to_owned(), |d| format!("{} ({})", words::date(d), count(quota.peak_hits)));
    let rows = [
        ("Jumlah panggilan (seluruh mekanisme)", count(figures.calls)),
        ("Hit terjawab", count(quota.hits)),
        ("Hari pemakaian", count(quota.days_used)),
        ("Jatah kuota pada hari pemakaian", count(quota.allowance)),
        ("Pemakaian kuota", format!("{}%", quota.percent())),
        ("Hari tersibuk", peak),
        ("Ditolak karena kuota habis", count(quota.exhausted)),
        ("Penduduk yang diakses (NIK berbeda)", count(figures.residents_accessed)),
        ("Penduduk dengan data balikan", count(figures.residents_with_return_data)),
        ("Rasio data balikan", format!("{}%", figures.return_percent())),
    ];
    for (label, value) in rows {
        canvas.row(10.0, &[(4.0, label), (120.0, &value)]);
    }
    canvas.gap(2.0);
}

fn charts(canvas: &mut Canvas, figures: &Utilization) {
    let mechanisms = figures.mechanisms();
    let labels: Vec<String> = figures.by_month.iter().map(|m| words::month(m.month).to_owned()).collect();
    let values: Vec<Vec<u64>> = figures
        .by_month
        .iter()
        .map(|m| mechanisms.iter().map(|name| m.by_mechanism.get(name).copied().unwrap_or(0)).collect())
        .collect();
    let series: Vec<String> = mechanisms.iter().map(|m| words::mechanism(m)).collect();
    canvas.stacked_bars("Panggilan per bulan menurut mekanisme", &labels, &series, &values);
    let mut outcomes: Vec<(String, u64)> = figures.by_outcome.iter().map(|(k, v)| (k.clone(), *v)).collect();
    outcomes.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    canvas.horizontal_bars("Hasil panggilan", &outcomes);
}

fn narrative_and_evaluation(canvas: &mut Canvas, report: &SemesterReport) {
    canvas.heading("Narasi mitra");
    canvas.line(10.5, "Kendala");
    canvas.paragraph(&report.narrative.obstacles);
    canvas.gap(2.0);
    canvas.line(10.5, "Rencana tindak lanjut");
    canvas.paragraph(&report.narrative.plans);
    canvas.heading("Evaluasi penyelenggara");
    match report.evaluation() {
        None => canvas.paragraph("Belum dievaluasi."),
        Some(evaluation) => {
            canvas.line(10.0, &format!("Status: {}", words::status(report)));
            canvas.line(10.0, &format!("Dievaluasi {} oleh {}", words::date(evaluation.stamp.on), evaluation.stamp.by));
            canvas.gap(1.5);
            canvas.line(10.5, "Temuan");
            canvas.paragraph(&evaluation.findings);
            canvas.gap(1.5);
            canvas.line(10.5, "Tindak lanjut yang diminta");
            canvas.paragraph(&evaluation.follow_up);
        }
    }
}

/// A partner's semester report as PDF: title block (partner, agreement
/// numbers, semester, status), the figures, the charts, the narrative and
/// the evaluation. The report must carry its figures (frozen, or computed
/// now for a draft).
pub fn semester_pdf(report: &SemesterReport, font: &Font) -> Result<Vec<u8>, ExportError> {
    let figures = figures_of(report)?;
    let mut canvas = Canvas::new(&format!("Laporan pemanfaatan {} {}", report.institution, report.semester), font)?;
    canvas.line(15.0, "LAPORAN PEMANFAATAN DATA KEPENDUDUKAN");
    canvas.line(11.0, &report.semester.label());
    canvas.rule();
    canvas.gap(2.0);
    let (provider_number, partner_number) = &report.agreement_numbers;
    let submitted = report
        .submitted
        .as_ref()
        .map_or_else(|| "belum diajukan".to_owned(), |s| format!("{} oleh {}", words::date(s.on), s.by));
    for (label, value) in [
        ("Lembaga pengguna", format!("{} ({})", report.institution_name, report.institution)),
        ("Nomor PKS penyelenggara", provider_number.clone()),
        ("Nomor PKS lembaga", partner_number.clone()),
        ("Status", words::status(report)),
        ("Diajukan", submitted),
    ] {
        canvas.row(10.0, &[(0.0, label), (55.0, &value)]);
    }
    canvas.heading("Angka pemanfaatan");
    figures_table(&mut canvas, figures);
    canvas.counts("Menurut mekanisme", &figures.by_mechanism, words::mechanism);
    canvas.counts("Menurut hasil", &figures.by_outcome, str::to_owned);
    canvas.counts("Menurut operator (User ID)", &figures.by_operator, str::to_owned);
    canvas.heading("Grafik");
    charts(&mut canvas, figures);
    narrative_and_evaluation(&mut canvas, report);
    canvas.finish()
}

/// A regional provider's summary for the Bupati (004 Ps.9(4)) as PDF: the
/// partners' figures side by side, a chart of their calls, then each
/// report's narrative and evaluation.
pub fn bupati_pdf(summary: &BupatiSummary, font: &Font) -> Result<Vec<u8>, ExportError> {
    let mut canvas = Canvas::new(&format!("Ringkasan untuk Bupati {}", summary.semester), font)?;
    canvas.line(15.0, "RINGKASAN HASIL EVALUASI PEMANFAATAN");
    canvas.line(15.0, "DATA KEPENDUDUKAN");
    canvas.line(11.0, &summary.semester.label());
    canvas.rule();
    canvas.gap(2.0);
    canvas.row(10.0, &[(0.0, "Kepada"), (40.0, "Yth. Bupati")]);
    canvas.row(10.0, &[(0.0, "Dari"), (40.0, &summary.provider_name)]);
    canvas.row(10.0, &[(0.0, "Kode wilayah"), (40.0, &summary.region_code.to_string())]);
    canvas.row(10.0, &[(0.0, "Lembaga melapor"), (40.0, &count(summary.reports.len() as u64))]);
    if !summary.missing.is_empty() {
        canvas.row(10.0, &[(0.0, "Belum melapor"), (40.0, &summary.missing.join(", "))]);
    }
    canvas.heading("Ringkasan per lembaga");
    canvas.row(
        9.0,
        &[(0.0, "Lembaga"), (70.0, "Panggilan"), (95.0, "Penduduk"), (120.0, "Data balikan"), (145.0, "Status")],
    );
    let mut calls = Vec::new();
    for report in &summary.reports {
        let figures = report.figures.as_ref();
        let name: String = report.institution_name.chars().take(38).collect();
        canvas.row(
            9.0,
            &[
                (0.0, &name),
                (70.0, &figures.map_or_else(|| "—".into(), |f| count(f.calls))),
                (95.0, &figures.map_or_else(|| "—".into(), |f| count(f.residents_accessed))),
                (120.0, &figures.map_or_else(|| "—".into(), |f| format!("{}%", f.return_percent()))),
                (145.0, report.status().label()),
            ],
        );
        calls.push((report.institution.clone(), figures.map_or(0, |f| f.calls)));
    }
    canvas.gap(3.0);
    canvas.horizontal_bars("Panggilan per lembaga", &calls);
    for report in &summary.reports {
        canvas.heading(&format!("{} ({})", report.institution_name, report.institution));
        let (provider_number, partner_number) = &report.agreement_numbers;
        canvas.line(9.5, &format!("PKS {provider_number} / {partner_number}"));
        narrative_and_evaluation(&mut canvas, report);
    }
    canvas.finish()
}

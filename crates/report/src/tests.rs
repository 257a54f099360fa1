#![allow(clippy::unwrap_used, clippy::panic)]
use chrono::NaiveDate;
use gerbang_core::report::{
    BupatiSummary, Narrative, Semester, SemesterReport, Stamp, Tally, Utilization, UtilizationInput,
};

use super::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

pub(crate) fn sample() -> SemesterReport {
    let semester: Semester = "2026-S1".parse().unwrap();
    let tally = |m, mechanism: &str, outcome: &str, count| Tally {
        day: day(m, 10),
        user_id: "bpbd-op".into(),
        mechanism: mechanism.into(),
        outcome: outcome.into(),
        count,
    };
    let tallies = vec![
        tally(1, "call_nik", "resident.found", 1200),
        tally(3, "call_nik", "resident.not_found", 30),
        tally(3, "verify_by_elements", "verify.match", 8),
        tally(6, "call_nik", "access.quota_exhausted", 2),
    ];
    let figures = Utilization::compute(&UtilizationInput {
        semester,
        tallies: &tallies,
        daily_quota: 1000,
        residents_accessed: 900,
        residents_with_return_data: 450,
    });
    SemesterReport {
        institution: "bpbd".into(),
        institution_name: "BPBD Kabupaten Karanganyar".into(),
        semester,
        agreement: "bpbd-1".into(),
        agreement_numbers: ("470/1234/2025".into(), "360/88/2025".into()),
        opened: Stamp { on: day(6, 20), by: "bpbd-adm".into() },
        narrative: Narrative {
            obstacles: "Jaringan internet di kecamatan sering terputus saat banjir. ".repeat(6),
            plans: "Menambah operator dan pelatihan.".into(),
        },
        figures: Some(figures),
        submitted: None,
        submissions: 0,
        evaluations: Vec::new(),
    }
}

#[test]
fn a_report_becomes_a_pdf_and_a_workbook() {
    let Ok(font) = Font::system() else {
        // The font is a test prerequisite (scripts/test.sh); say so loudly.
        panic!("DejaVu Sans missing: install fonts-dejavu-core");
    };
    let report = sample();
    let pdf = semester_pdf(&report, &font).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(9).any(|w| w == b"/FontFile"), "the font is embedded");
    let xlsx = semester_xlsx(&report).unwrap();
    assert!(xlsx.starts_with(b"PK"), "an xlsx is a zip");
    let summary = BupatiSummary {
        provider: "disdukcapil-3313".into(),
        provider_name: "Disdukcapil Kabupaten Karanganyar".into(),
        region_code: 3313,
        semester: report.semester,
        reports: vec![report.clone()],
        missing: vec!["dinsos".into()],
    };
    assert!(bupati_pdf(&summary, &font).unwrap().starts_with(b"%PDF-"));
    assert!(bupati_xlsx(&summary).unwrap().starts_with(b"PK"));
    let draft = SemesterReport { figures: None, ..report };
    assert_eq!(semester_pdf(&draft, &font).unwrap_err().code(), "report.no_figures");
}

#[test]
fn counts_and_lines_read_the_indonesian_way() {
    assert_eq!(words::count(1_234_567), "1.234.567");
    assert_eq!(words::count(999), "999");
    assert_eq!(words::date(day(6, 30)), "30 Juni 2026");
    assert_eq!(words::wrap("satu dua tiga empat", 9), ["satu dua", "tiga", "empat"]);
}

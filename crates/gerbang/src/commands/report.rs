//! `gerbang report semester`: a partner's semester report as PDF and xlsx
//! for scripts (SPEC.md §8). The stored report is used when the partner
//! opened one (its figures frozen once submitted); otherwise the figures
//! are computed now, the same way the portal does.

use gerbang_core::access::PartnerDesk;
use gerbang_core::report::{ReportError, Semester};
use gerbang_report::{ExportError, Font};
use gerbang_store::semester_figures;
use gerbang_store_sqlite::OpenMode;

use crate::cli::{ReportCommand, ReportSemesterArgs};
use crate::commands::admin::{print_json, today};
use crate::config::Config;
use crate::error::CliError;
use crate::open;

fn export_error(error: ExportError) -> CliError {
    CliError::new(error.code(), error.to_string())
}

fn report_error(error: ReportError) -> CliError {
    CliError::new(error.code(), error.to_string())
}

/// Runs `gerbang report …`.
pub async fn run(config: &Config, command: ReportCommand) -> Result<(), CliError> {
    match command {
        ReportCommand::Semester(args) => semester(config, &args).await,
    }
}

async fn semester(config: &Config, args: &ReportSemesterArgs) -> Result<(), CliError> {
    let semester: Semester = args
        .semester
        .parse()
        .map_err(|e: gerbang_core::report::SemesterError| CliError::new(e.code(), e.to_string()))?;
    let store = open::store(config, OpenMode::MustExist).await?;
    let plane = store.control_plane().await?;
    let institution = plane.institution(&args.partner).ok_or_else(|| {
        CliError::new("report.unknown_partner", format!("instansi '{}' tidak ditemukan", args.partner))
    })?;
    // The registry's own tool: it reads the partner's report as the
    // partner's desk would, without acting for anyone.
    let desk = PartnerDesk {
        user_id: "gerbang-cli".into(),
        institution: institution.code.clone(),
        institution_name: institution.name.clone(),
        agreement: String::new(),
    };
    let stored = store.semester_report(&institution.code, semester).await?;
    let mut report = desk.open_report(&plane, semester, stored, today()).map_err(report_error)?;
    if report.is_editable() || report.figures.is_none() {
        report.figures = Some(semester_figures(store.as_ref(), &plane, &institution.code, semester).await?);
    }
    if let Some(path) = &args.pdf {
        let font = Font::system().map_err(export_error)?;
        let bytes = gerbang_report::semester_pdf(&report, &font).map_err(export_error)?;
        write(path, &bytes)?;
    }
    if let Some(path) = &args.xlsx {
        write(path, &gerbang_report::semester_xlsx(&report).map_err(export_error)?)?;
    }
    if args.json {
        print_json(&report.figures)?;
    } else if let Some(figures) = &report.figures {
        println!(
            "{} {}: {} panggilan, {} hit, {} penduduk diakses, status {}",
            report.institution,
            report.semester,
            figures.calls,
            figures.quota.hits,
            figures.residents_accessed,
            report.status().label()
        );
    }
    Ok(())
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes).map_err(|error| {
        CliError::new("report.write_failed", format!("{} tidak dapat ditulis: {error}", path.display()))
    })
}

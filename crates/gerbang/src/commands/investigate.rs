//! `gerbang investigate leak FILE`: who could have held a leaked file of
//! NIKs (issue "Hardening", leak attribution). Every 16-digit NIK in the
//! file (a CSV or any text, in any column) is looked up in the audit trail
//! by its keyed hash, and the partners and their User IDs whose answered
//! accesses cover the leaked residents are ranked by how many they cover,
//! then by how many only they accessed, with the period and the operation
//! ids to quote as evidence (core's `leak::rank`).

use std::collections::HashSet;
use std::io::BufRead;
use std::path::Path;

use gerbang_core::Nik;
use gerbang_core::audit::NikHasher;
use gerbang_core::clock::JAKARTA;
use gerbang_core::leak::{Suspect, rank};
use gerbang_store_sqlite::OpenMode;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::commands::admin::{or_dash, print_json, print_table};
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// A suspect as printed.
#[derive(Serialize)]
struct SuspectView<'a> {
    institution: &'a str,
    user_id: Option<&'a str>,
    covered: usize,
    coverage_percent: f64,
    exclusive: usize,
    accesses: usize,
    first: String,
    last: String,
    evidence: &'a [String],
}

/// The JSON answer.
#[derive(Serialize)]
struct Report<'a> {
    leaked: usize,
    lines_without_nik: usize,
    suspects: Vec<SuspectView<'a>>,
}

/// The distinct well-formed NIKs of a file, in order of appearance, and
/// how many non-empty lines held none.
fn leaked_niks(path: &Path) -> Result<(Vec<Nik>, usize), CliError> {
    let file = std::fs::File::open(path).map_err(|error| {
        CliError::new("investigate.read", format!("berkas {} tidak dapat dibuka: {error}", path.display()))
    })?;
    let (mut niks, mut seen, mut without) = (Vec::new(), HashSet::new(), 0);
    for line in std::io::BufReader::new(file).split(b'\n') {
        let line = line.map_err(|error| CliError::new("investigate.read", error.to_string()))?;
        let text = String::from_utf8_lossy(&line);
        let mut found = false;
        for token in text.split(|c: char| !c.is_ascii_digit()).filter(|t| t.len() == 16) {
            if let Ok(nik) = Nik::parse(token) {
                found = true;
                if seen.insert(nik) {
                    niks.push(nik);
                }
            }
        }
        if !found && !text.trim().is_empty() {
            without += 1;
        }
    }
    Ok((niks, without))
}

/// Runs `gerbang investigate leak FILE`.
pub async fn leak(config: &Config, file: &Path, json: bool) -> Result<(), CliError> {
    let (niks, without) = leaked_niks(file)?;
    if niks.is_empty() {
        return Err(CliError::new("investigate.no_nik", "berkas tidak memuat satu pun NIK yang sah"));
    }
    let store = open::store(config, OpenMode::MustExist).await?;
    let hasher = NikHasher::new(store.installation_key().await?);
    let progress = ProgressBar::new(niks.len() as u64).with_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} NIK diperiksa")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut accesses = Vec::new();
    for (index, nik) in niks.iter().enumerate() {
        for sealed in store.audit_of_resident(hasher.key(*nik)).await? {
            accesses.push((index, sealed.record));
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    let ranked = rank(accesses.iter().map(|(index, record)| (*index, record)));
    print(&ranked, niks.len(), without, json)
}

fn print(ranked: &[Suspect], leaked: usize, without: usize, json: bool) -> Result<(), CliError> {
    let time = |at: chrono::DateTime<chrono::Utc>| at.with_timezone(&JAKARTA).format("%Y-%m-%d %H:%M").to_string();
    let views: Vec<SuspectView<'_>> = ranked
        .iter()
        .map(|s| SuspectView {
            institution: &s.institution,
            user_id: s.user_id.as_deref(),
            covered: s.covered,
            coverage_percent: (s.coverage_percent(leaked) * 10.0).round() / 10.0,
            exclusive: s.exclusive,
            accesses: s.accesses,
            first: time(s.first),
            last: time(s.last),
            evidence: &s.evidence,
        })
        .collect();
    if json {
        return print_json(&Report { leaked, lines_without_nik: without, suspects: views });
    }
    println!("Berkas bocor: {leaked} NIK sah ({without} baris tanpa NIK sah).");
    let rows: Vec<Vec<String>> = views
        .iter()
        .map(|v| {
            vec![
                v.institution.to_owned(),
                or_dash(v.user_id),
                format!("{} ({:.1} %)", v.covered, v.coverage_percent),
                v.exclusive.to_string(),
                v.accesses.to_string(),
                format!("{} – {}", v.first, v.last),
                v.evidence.join(" "),
            ]
        })
        .collect();
    print_table(&["INSTANSI", "USER_ID", "NIK_TERCAKUP", "HANYA_OLEHNYA", "AKSES", "PERIODE_WIB", "BUKTI"], &rows);
    if rows.is_empty() {
        println!("Tidak ada akses yang mengeluarkan data untuk NIK dalam berkas ini.");
    }
    Ok(())
}

//! How fast the return-data intake validates and stores a large file into
//! SQLite (SPEC.md §5, issue "Data balikan": 1,000,000 rows in under 30 s,
//! memory flat). Set-up, outside the timing: a register database with the
//! BPBD partner, its schema, and one audited CALL_NIK per NIK (so every row
//! passes the accessed-NIK rule through the trail's index), and the two
//! input files (`.xlsx` written by rust_xlsxwriter in constant-memory mode,
//! and a `;`-separated `.csv`). Then each file goes through
//! `gerbang_intake::submit`, all-or-nothing.
//!
//! Run: `cargo bench -p gerbang-intake --bench intake` (`ROWS=N` to change
//! the size, `ONLY=xlsx` or `ONLY=csv` for one file, e.g. under
//! `/usr/bin/time -v`). Prints rows per second and the process's peak
//! resident memory (VmHWM; reset before each intake where the kernel
//! allows it, otherwise the peak so far).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::access::Mechanism;
use gerbang_core::audit::{AuditRecord, NikHasher};
use gerbang_core::return_data::{IntakeMethod, IntakeMode, ReturnSchema, Submitter};
use gerbang_core::vocab::JenisKelamin;
use gerbang_intake::{Actor, IntakeConfig, Source, submit};
use gerbang_store::Store;
use gerbang_store_sqlite::{OpenMode, SqliteStore};

fn nik(i: u64) -> Nik {
    let day = NaiveDate::from_ymd_opt(1960, 1, 1).unwrap() + Duration::days((i / 9_000) as i64);
    let sex = if i.is_multiple_of(2) { JenisKelamin::LakiLaki } else { JenisKelamin::Perempuan };
    Nik::from_parts(331301, day, sex, (i % 9_000 + 1) as u16).unwrap()
}

/// Peak resident memory since the last reset, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn reset_peak() {
    // Linux: writing 5 resets the peak RSS (VmHWM) of the process.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn write_csv(path: &Path, rows: u64) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(file, "NIK;ID_PENERIMA_BANTUAN;JENIS_BANTUAN;DAERAH_RAWAN_BENCANA").unwrap();
    for i in 0..rows {
        writeln!(file, "{:016};CSV-{i};SEMBAKO;LERENG LAWU", nik(i).value()).unwrap();
    }
}

fn write_xlsx(path: &Path, rows: u64) {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    for (column, title) in ["NIK", "ID_PENERIMA_BANTUAN", "JENIS_BANTUAN", "DAERAH_RAWAN_BENCANA"].iter().enumerate() {
        sheet.write_string(0, column as u16, *title).unwrap();
    }
    for i in 0..rows {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, format!("{:016}", nik(i).value())).unwrap();
        sheet.write_string(row, 1, format!("XLSX-{i}")).unwrap();
        sheet.write_string(row, 2, "SEMBAKO").unwrap();
        sheet.write_string(row, 3, "LERENG LAWU").unwrap();
    }
    workbook.save(path).unwrap();
}

fn main() {
    let rows: u64 = std::env::var("ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap();
    let at = Utc.with_ymd_and_hms(2024, 3, 1, 3, 0, 0).unwrap();
    let started = Instant::now();
    let hasher = runtime.block_on(async {
        gerbang_store::story::seeded_control_plane(&store).await;
        let schema: ReturnSchema = toml::from_str(include_str!("../../gerbang/demo/schemas/bpbd.toml")).unwrap();
        store.define_return_schema(schema).await.unwrap();
        let hasher = NikHasher::new(store.installation_key().await.unwrap());
        let mut batch = Vec::with_capacity(10_000);
        for i in 0..rows {
            batch.push(AuditRecord {
                operation_id: format!("seed-{i}"),
                at: at - Duration::days(30),
                interface: "portal".into(),
                institution: Some("bpbd".into()),
                user_id: Some("bpbd-op".into()),
                source_ip: "10.33.13.7".parse().unwrap(),
                mechanism: Some(Mechanism::CallNik),
                resident: Some(hasher.key(nik(i))),
                elements: Vec::new(),
                outcome: "resident.found".into(),
                latency_us: 100,
                charged: true,
            });
            if batch.len() == 10_000 {
                store.record_audit(std::mem::take(&mut batch)).await.unwrap();
            }
        }
        if !batch.is_empty() {
            store.record_audit(batch).await.unwrap();
        }
        hasher
    });
    let csv = folder.path().join("data-balikan.csv");
    let xlsx = folder.path().join("data-balikan.xlsx");
    write_csv(&csv, rows);
    write_xlsx(&xlsx, rows);
    println!(
        "set-up: {rows} accesses in the trail, files written ({:.1} s; csv {:.1} MB, xlsx {:.1} MB)",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&csv).unwrap().len() as f64 / 1e6,
        std::fs::metadata(&xlsx).unwrap().len() as f64 / 1e6,
    );
    let submitter = Submitter {
        user_id: "bpbd-op".into(),
        institution: "bpbd".into(),
        agreement: "bpbd-1".into(),
        schema: "bpbd".into(),
    };
    let only = std::env::var("ONLY").unwrap_or_default();
    for (name, path) in [("xlsx", &xlsx), ("csv", &csv)] {
        if !only.is_empty() && only != name {
            continue;
        }
        reset_peak();
        let before = peak_mib();
        let started = Instant::now();
        let report = runtime.block_on(async {
            let file = std::fs::File::open(path).unwrap();
            let length = file.metadata().unwrap().len();
            let actor =
                Actor { submitter: &submitter, method: IntakeMethod::Upload, batch: format!("bench-{name}"), at };
            let source = Source::File { file: Box::new(file), length, filename: Some(format!("data-balikan.{name}")) };
            submit(&store, &hasher, actor, source, IntakeMode::AllOrNothing, &IntakeConfig::default(), None, &|_| {})
                .await
                .unwrap()
        });
        let elapsed = started.elapsed().as_secs_f64();
        assert!(report.stored && report.counts.accepted == rows, "{report:?}");
        println!(
            "{name}: {rows} rows validated and stored in {elapsed:.1} s = {:.0} rows/s; peak RSS {:.0} MiB (process at {:.0} MiB before)",
            rows as f64 / elapsed,
            peak_mib(),
            before
        );
    }
}

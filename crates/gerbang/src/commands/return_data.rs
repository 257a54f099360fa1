//! `gerbang return-data import|show`: the registry's side of return data
//! (SPEC.md §5). `import` takes a file a partner delivered (004 Juknis 3f:
//! on a storage medium) and runs it through the same intake as the portal
//! and the web service, on the partner's behalf, with a progress bar and
//! an optional workbook of the rejected rows; it is audited like every
//! intake. `show` lists what partners sent about one resident.

use std::path::Path;

use chrono::{DateTime, Utc};
use gerbang_core::audit::{AuditRecord, NikHasher};
use gerbang_core::return_data::{IntakeMethod, IntakeMode, ReturnDenial, submission_on_behalf};
use gerbang_core::{Clock, Nik, SystemClock};
use gerbang_intake::{Actor, IntakeConfig, IntakeError, Source, submit};
use gerbang_store_sqlite::OpenMode;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::ReturnDataImportArgs;
use crate::commands::admin::{print_json, print_table};
use crate::config::Config;
use crate::error::CliError;
use crate::open;

impl From<IntakeError> for CliError {
    fn from(error: IntakeError) -> Self {
        CliError::new(error.code(), error.to_string())
    }
}

impl From<ReturnDenial> for CliError {
    fn from(error: ReturnDenial) -> Self {
        CliError::new(error.code(), error.to_string())
    }
}

/// Who runs the command, for the record.
fn operator() -> String {
    std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "cli".into())
}

fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    let style = ProgressStyle::with_template("{spinner} {human_pos} baris diperiksa ({per_sec}) {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// `gerbang return-data import`.
pub async fn import(config: &Config, args: ReturnDataImportArgs) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::MustExist).await?;
    let plane = store.control_plane().await?;
    let now: DateTime<Utc> = SystemClock.now();
    let submitter = submission_on_behalf(&plane, &args.partner, &operator(), SystemClock.today())?;
    let mode = IntakeMode::from_name(&args.mode).unwrap_or(IntakeMode::AllOrNothing);
    let file = std::fs::File::open(&args.file)
        .map_err(|e| CliError::new("intake.io", format!("tidak dapat membuka {}: {e}", args.file.display())))?;
    let length = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    let filename = args.file.file_name().map(|n| n.to_string_lossy().into_owned());
    let hasher = NikHasher::new(store.installation_key().await?);
    let batch = format!("cli-{}-{}", now.timestamp_micros(), std::process::id());
    let actor = Actor { submitter: &submitter, method: IntakeMethod::Upload, batch: batch.clone(), at: now };
    let intake = IntakeConfig { access_window_days: config.return_data.access_window_days, ..IntakeConfig::default() };
    let intake = IntakeConfig { max_upload_bytes: config.return_data.max_upload_mib << 20, ..intake };
    let bar = spinner();
    let progress = {
        let bar = bar.clone();
        move |rows: u64| bar.set_position(rows)
    };
    let source = Source::File { file: Box::new(file), length, filename };
    let result =
        submit(store.as_ref(), &hasher, actor, source, mode, &intake, args.report.as_deref().map(Path::new), &progress)
            .await;
    bar.finish_and_clear();
    let record = AuditRecord {
        operation_id: batch.clone(),
        at: now,
        interface: "cli".into(),
        institution: Some(submitter.institution.clone()),
        user_id: Some(submitter.user_id.chars().take(64).collect()),
        source_ip: std::net::IpAddr::from([127, 0, 0, 1]),
        mechanism: None,
        resident: None,
        elements: Vec::new(),
        outcome: gerbang_web::return_data::outcome(&result),
        latency_us: (SystemClock.now() - now).num_microseconds().unwrap_or(0).max(0) as u64,
        charged: false,
    };
    store.record_audit(vec![record]).await?;
    let report = result?;
    if args.json {
        print_json(&gerbang_web::return_data::report_body(&batch, &report))?;
    } else {
        let c = report.counts;
        println!(
            "{}: {} baris dibaca, {} diterima, {} sudah pernah dikirim, {} ditolak.",
            report.institution, c.rows, c.accepted, c.already_sent, c.rejected
        );
        for rejected in &report.rejected_rows {
            let problems: Vec<String> = rejected.problems.iter().map(ToString::to_string).collect();
            println!("  baris {}: {}", rejected.number, problems.join("; "));
        }
        if report.rejected_rows_truncated {
            println!("  … (daftar lengkap di berkas laporan --report)");
        }
        if let Some(path) = &args.report {
            println!("Baris yang ditolak: {}", path.display());
        }
    }
    if !report.stored {
        return Err(CliError::new(
            "return_data.rejected",
            "ada baris yang ditolak; mode all: tidak ada data yang disimpan (perbaiki lalu kirim ulang, atau gunakan --mode rows)",
        ));
    }
    if report.all_already_sent() {
        println!("Data sudah pernah dikirim: tidak ada data baru.");
    } else {
        println!("Disimpan sebagai kiriman {batch}.");
    }
    Ok(())
}

/// `gerbang return-data show NIK`.
pub async fn show(config: &Config, nik: &str, json: bool) -> Result<(), CliError> {
    let nik = Nik::parse(nik)?;
    let store = open::store(config, OpenMode::MustExist).await?;
    let rows = store.return_data_of(nik).await?;
    if json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|row| {
                serde_json::json!({
                    "institution": row.institution,
                    "schema": row.schema,
                    "batch": row.batch,
                    "method": row.method.name(),
                    "received_at": row.received_at.to_rfc3339(),
                    "values": row.values.iter().map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone()))).collect::<serde_json::Map<_, _>>(),
                })
            })
            .collect();
        return print_json(&items);
    }
    if rows.is_empty() {
        println!("Belum ada data balikan untuk NIK ini.");
        return Ok(());
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .flat_map(|row| {
            let received =
                row.received_at.with_timezone(&gerbang_core::clock::JAKARTA).format("%Y-%m-%d %H:%M").to_string();
            row.values.iter().map(move |(column, value)| {
                vec![
                    row.institution.clone(),
                    received.clone(),
                    row.method.name().to_owned(),
                    column.clone(),
                    value.clone(),
                ]
            })
        })
        .collect();
    print_table(&["LEMBAGA", "DITERIMA", "METODE", "KOLOM", "NILAI"], &table);
    Ok(())
}

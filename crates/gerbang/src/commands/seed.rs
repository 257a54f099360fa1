//! `gerbang seed --residents N [--seed S]`: fills the register with a
//! deterministic synthetic population.
//!
//! Two threads share the work: one generates households district by
//! district, the other writes them in large transactions (50,000 residents
//! each). A progress bar on standard error shows residents written; at the
//! end a summary and a few sample NIKs and NO_KKs go to standard output.

use std::sync::Arc;
use std::time::{Duration, Instant};

use gerbang_core::vocab::HubunganKeluarga;
use gerbang_core::{Nik, NoKk, Regions};
use gerbang_store::{Household, Store};
use gerbang_store_sqlite::OpenMode;
use gerbang_synth::{Plan, default_as_of, district_households, district_quotas};
use indicatif::{HumanCount, ProgressBar, ProgressState, ProgressStyle};

use crate::cli::SeedArgs;
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// Residents per write transaction.
const BATCH_RESIDENTS: usize = 50_000;

/// How many sample households to report.
const SAMPLES: usize = 5;

/// A sample household: its card and two members.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The card.
    pub no_kk: NoKk,
    /// The head and, where there is one, another member.
    pub niks: Vec<Nik>,
}

/// What a seed run did.
#[derive(Debug, Clone)]
pub struct SeedReport {
    /// Residents written.
    pub residents: u64,
    /// Family cards written.
    pub families: u64,
    /// Wall time.
    pub elapsed: Duration,
    /// Households to try.
    pub samples: Vec<Sample>,
}

/// Runs `gerbang seed`.
pub async fn run(config: &Config, args: &SeedArgs) -> Result<SeedReport, CliError> {
    let plan = Plan::new(args.residents, args.seed, args.as_of.unwrap_or_else(default_as_of))?;
    let store = open::store(config, OpenMode::CreateIfMissing).await?;
    let existing = store.register_health().await?;
    if existing.residents > 0 {
        if !args.replace {
            return Err(CliError::new(
                "seed.not_empty",
                format!(
                    "register sudah berisi {} penduduk; tambahkan --replace untuk menggantinya",
                    HumanCount(existing.residents)
                ),
            ));
        }
        eprintln!("Menghapus {} penduduk yang ada…", HumanCount(existing.residents));
        store.clear_register().await?;
    }
    let report = generate_into(&store, plan).await?;
    print_report(config, &report);
    Ok(report)
}

/// Generates `plan` into `store` with a progress bar.
pub async fn generate_into(store: &Arc<dyn Store>, plan: Plan) -> Result<SeedReport, CliError> {
    let started = Instant::now();
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} penduduk ({rate}, sisa {eta}) {msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key("rate", |state: &ProgressState, out: &mut dyn std::fmt::Write| {
        let _ = write!(out, "{}/detik", HumanCount(state.per_sec() as u64));
    });
    let progress = ProgressBar::new(plan.residents).with_style(style);
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Household>>(2);
    let generator = std::thread::spawn(move || {
        let regions = Regions::official();
        let quotas = district_quotas(&plan, regions);
        let every = (quotas.len() / SAMPLES).max(1);
        let mut samples = Vec::new();
        let mut batch = Vec::new();
        let mut batch_residents = 0;
        for (index, quota) in quotas.into_iter().enumerate() {
            let households = district_households(&plan, quota, regions);
            if index % every == 0 && samples.len() < SAMPLES {
                samples.extend(households.first().map(sample_of));
            }
            for household in households {
                batch_residents += household.members.len();
                batch.push(household);
            }
            if batch_residents >= BATCH_RESIDENTS {
                batch_residents = 0;
                if sender.blocking_send(std::mem::take(&mut batch)).is_err() {
                    return samples;
                }
            }
        }
        if !batch.is_empty() {
            let _ = sender.blocking_send(batch);
        }
        samples
    });
    let mut residents = 0u64;
    let mut families = 0u64;
    store.begin_bulk_load().await?;
    let loaded = async {
        while let Some(batch) = receiver.recv().await {
            let size: u64 = batch.iter().map(|h| h.members.len() as u64).sum();
            families += batch.len() as u64;
            store.insert_households(batch).await?;
            residents += size;
            progress.inc(size);
        }
        Ok::<(), CliError>(())
    }
    .await;
    progress.set_message("membangun indeks");
    let finished = store.finish_bulk_load().await;
    progress.finish_and_clear();
    loaded?;
    finished?;
    let samples =
        generator.join().map_err(|_| CliError::new("seed.generator", "pembangkit populasi berhenti tak terduga"))?;
    Ok(SeedReport { residents, families, elapsed: started.elapsed(), samples })
}

fn sample_of(household: &Household) -> Sample {
    let head = household.members.iter().find(|m| m.relationship == HubunganKeluarga::KepalaKeluarga);
    let other = household.members.iter().find(|m| m.relationship != HubunganKeluarga::KepalaKeluarga);
    Sample { no_kk: household.family.no_kk, niks: head.into_iter().chain(other).map(|m| m.nik).collect() }
}

/// Prints the summary and the samples.
pub fn print_report(config: &Config, report: &SeedReport) {
    let seconds = report.elapsed.as_secs_f64().max(1e-9);
    println!(
        "Selesai: {} penduduk dalam {} keluarga, {:.1} detik ({} penduduk/detik).",
        HumanCount(report.residents),
        HumanCount(report.families),
        seconds,
        HumanCount((report.residents as f64 / seconds) as u64)
    );
    if let Ok(open::Location::Sqlite(path)) = open::location(config) {
        let bytes: u64 = ["", "-wal"]
            .iter()
            .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
            .map(|m| m.len())
            .sum();
        println!(
            "Basis data: {} ({:.1} MB, {} byte per penduduk).",
            path.display(),
            bytes as f64 / 1e6,
            bytes / report.residents.max(1)
        );
    }
    println!("Contoh untuk dicoba (gerbang resident show NIK):");
    for sample in &report.samples {
        let niks: Vec<String> = sample.niks.iter().map(ToString::to_string).collect();
        println!("  NO_KK {}  NIK {}", sample.no_kk, niks.join(" "));
    }
}

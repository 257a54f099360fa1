//! `gerbang demo`: the one command of the README. Seeds a synthetic register
//! when the data folder has none, creates the five partners of the seeds
//! with their agreements, accounts and loopback allow-lists, writes their
//! credentials to `DIR/demo-credentials.json`, gives the first residents
//! synthetic fingerprints, plants a few synthetic canary residents (any
//! partner's access to one raises an alert), then serves. A second run on the same folder
//! reuses what exists.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use gerbang_core::{Clock, SystemClock};
use gerbang_store::Store;
use gerbang_store_sqlite::OpenMode;
use gerbang_synth::{Plan, default_as_of};

use crate::cli::DemoArgs;
use crate::commands::canary::ensure_demo_canaries;
use crate::commands::demo_partners::{DemoPartners, ensure_demo_partners};
use crate::commands::enrol;
use crate::commands::seed::{self, SeedReport};
use crate::commands::serve;
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// Seeds `residents` synthetic residents if the register is empty, and
/// ensures the demo partners exist as of `today`, their credentials in `dir`.
pub async fn prepare(
    store: &Arc<dyn Store>,
    residents: u64,
    today: NaiveDate,
    dir: &Path,
) -> Result<DemoPartners, CliError> {
    seed_if_empty(store, residents).await?;
    ensure_demo_partners(store.as_ref(), today, dir).await
}

/// Seeds `residents` synthetic residents when the register is empty.
async fn seed_if_empty(store: &Arc<dyn Store>, residents: u64) -> Result<Option<SeedReport>, CliError> {
    if store.register_health().await?.residents > 0 {
        return Ok(None);
    }
    eprintln!("Membangkitkan populasi sintetis ({residents} penduduk)…");
    let plan = Plan::new(residents, 1, default_as_of())?;
    seed::generate_into(store, plan).await.map(Some)
}

/// Runs `gerbang demo`.
pub async fn run(config: &Config, args: &DemoArgs) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::CreateIfMissing).await?;
    if let Some(report) = seed_if_empty(&store, args.residents).await? {
        seed::print_report(config, &report);
    }
    let partners = ensure_demo_partners(store.as_ref(), SystemClock.today(), &config.data_dir).await?;
    if args.fingerprints > 0 && store.biometric_counts().await?.fingers == 0 {
        eprintln!("Mendaftarkan sidik jari sintetis untuk {} penduduk…", args.fingerprints);
        let enrolled =
            enrol::enrol_synthetic(&store, args.fingerprints, enrol::SYNTHETIC_IMPRESSIONS, SystemClock.now()).await?;
        println!(
            "Sidik jari sintetis: {enrolled} penduduk (jari telunjuk kanan, {} rekaman).",
            enrol::SYNTHETIC_IMPRESSIONS
        );
    }
    let canaries = ensure_demo_canaries(&store, SystemClock.now()).await?;
    if canaries.planted > 0 {
        println!(
            "Penduduk umpan (canary): {} ditanam; setiap akses mitra ke mereka menimbulkan peringatan.",
            canaries.planted
        );
    } else {
        println!("Penduduk umpan (canary): {} dari jalankan sebelumnya dipakai ulang.", canaries.reused);
    }
    let health = store.register_health().await?;
    println!("Register: {} penduduk dalam {} keluarga.", health.residents, health.families);
    let sample = store.residents_after(None, 3).await?;
    let niks: Vec<String> = sample.iter().map(|r| r.nik.to_string()).collect();
    println!("Contoh NIK: {}", niks.join(" "));
    println!("Kredensial mitra demo: {}", partners.credentials_path.display());
    println!("Kredensial administrator: {}", partners.admin_credentials_path.display());
    if let Some(lpsk) = partners.partners.iter().find(|p| p.institution == "lpsk" && p.role == "service") {
        println!(
            "Coba: curl -s http://{}/dukcapil/get_json/{}/CALL_NIK -d '{{\"USER_ID\":\"{}\",\"PASSWORD\":\"…\",\"IP_USER\":\"127.0.0.1\",\"NIK\":\"{}\"}}'",
            config.listen,
            lpsk.instansi,
            lpsk.user_id,
            niks.first().map_or("", String::as_str)
        );
    }
    serve::serve_store(config, store).await
}

//! `gerbang demo`: the one command of the README. Seeds a synthetic register
//! when the data folder has none, then serves it. A second run on the same
//! folder reuses what exists.

use gerbang_store_sqlite::OpenMode;
use gerbang_synth::{Plan, default_as_of};

use crate::cli::DemoArgs;
use crate::commands::{seed, serve};
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// Runs `gerbang demo`.
pub async fn run(config: &Config, args: &DemoArgs) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::CreateIfMissing)?;
    let health = store.register_health().await?;
    if health.residents == 0 {
        eprintln!("Membangkitkan populasi sintetis ({} penduduk)…", args.residents);
        let plan = Plan::new(args.residents, 1, default_as_of())?;
        let report = seed::generate_into(&store, plan).await?;
        seed::print_report(config, &report);
    } else {
        println!("Memakai register yang ada: {} penduduk dalam {} keluarga.", health.residents, health.families);
        let sample = store.residents_after(None, 3).await?;
        let niks: Vec<String> = sample.iter().map(|r| r.nik.to_string()).collect();
        println!("Contoh NIK: {}", niks.join(" "));
    }
    if config.dev_open_register {
        println!("Coba: curl http://{}/api/v1/residents/NIK", config.listen);
    }
    serve::serve_store(config, store).await
}

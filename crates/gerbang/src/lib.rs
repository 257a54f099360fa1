//! The Gerbang binary as a library: command-line parsing, configuration,
//! and the commands (`seed`, `serve`, `demo`, `resident show`, and the
//! administration of providers, institutions, agreements, User IDs,
//! networks and the audit trail). `main.rs` only calls [`main`].

mod cli;
mod commands;
mod config;
mod error;
mod open;

use std::process::ExitCode;

use clap::Parser;

pub use cli::Cli;
pub use commands::canary::{DemoCanaries, ensure_demo_canaries};
pub use commands::demo_partners::{DemoAdminCredential, DemoCredential, DemoPartners, ensure_demo_partners};
pub use commands::enrol::{SYNTHETIC_FINGER, SYNTHETIC_IMPRESSIONS, enrol_synthetic};
pub use config::Config;
pub use error::CliError;

/// Seeds a synthetic register (when empty) and the five demo partners into
/// `store`, as `gerbang demo` does; credentials go to `dir`. Used by the
/// integration tests to build a gateway in-process.
pub async fn prepare_demo(
    store: &std::sync::Arc<dyn gerbang_store::Store>,
    residents: u64,
    today: chrono::NaiveDate,
    dir: &std::path::Path,
) -> Result<DemoPartners, CliError> {
    commands::demo::prepare(store, residents, today, dir).await
}

/// Parses the command line, runs the command, prints any error in Bahasa
/// Indonesia with its stable code, and returns the exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = config::load(&cli).and_then(|config| {
        commands::init_logging(&cli, &config);
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .map_err(|error| CliError::new("runtime.start", format!("runtime tidak dapat dimulai: {error}")))?
            .block_on(commands::run(cli.command, config))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("galat [{}]: {}", error.code, error.message);
            ExitCode::FAILURE
        }
    }
}

//! The commands, one module each, and the logging set-up they share.

// A command's output to standard output is its job.
#![allow(clippy::print_stdout)]

mod admin;
mod agreement;
mod audit;
pub mod canary;
pub mod demo;
pub mod demo_partners;
pub mod enrol;
mod eval;
mod institution;
mod investigate;
mod ip;
mod migrate;
mod notify;
mod provider;
mod report;
mod resident;
mod return_data;
pub mod schema;
mod seed;
mod serve;
mod user;

use tracing_subscriber::EnvFilter;

use crate::cli::{
    CanaryCommand, Cli, Command, EvalCommand, InvestigateCommand, ResidentCommand, ReturnDataCommand, SchemaCommand,
};
use crate::config::{Config, LogFormat};
use crate::error::CliError;

/// Runs one command.
pub async fn run(command: Command, config: Config) -> Result<(), CliError> {
    match command {
        Command::Seed(args) => seed::run(&config, &args).await.map(|_| ()),
        Command::Serve(_) => serve::run(&config).await,
        Command::Demo(args) => demo::run(&config, &args).await,
        Command::Resident(ResidentCommand::Show { nik, json }) => resident::show(&config, &nik, json).await,
        Command::Resident(ResidentCommand::Code { nik }) => resident::code(&config, &nik).await,
        Command::Provider(command) => provider::run(&config, command).await,
        Command::Institution(command) => institution::run(&config, command).await,
        Command::Agreement(command) => agreement::run(&config, command).await,
        Command::User(command) => user::run(&config, command).await,
        Command::Ip(command) => ip::run(&config, command).await,
        Command::Audit(command) => audit::run(&config, command).await,
        Command::Migrate(args) => migrate::run(&config, &args.to).await,
        Command::Notify(command) => notify::run(&config, command).await,
        Command::Report(command) => report::run(&config, command).await,
        Command::Schema(SchemaCommand::Define { file }) => schema::define(&config, &file).await,
        Command::Schema(SchemaCommand::List { json }) => schema::list(&config, json).await,
        Command::ReturnData(ReturnDataCommand::Import(args)) => return_data::import(&config, args).await,
        Command::ReturnData(ReturnDataCommand::Show { nik, json }) => return_data::show(&config, &nik, json).await,
        Command::Eval(EvalCommand::Face { data, threshold, models }) => eval::face(&data, threshold, models),
        Command::Eval(EvalCommand::Fingerprint { data, enrol, threshold, dpi }) => {
            eval::fingerprint(&data, &enrol, threshold, dpi)
        }
        Command::Enrol(command) => enrol::run(&config, command).await,
        Command::Investigate(InvestigateCommand::Leak { file, json }) => investigate::leak(&config, &file, json).await,
        Command::Canary(CanaryCommand::Add { nik, label }) => canary::add(&config, &nik, label).await,
        Command::Canary(CanaryCommand::List { json }) => canary::list(&config, json).await,
        Command::Alerts { open, json } => canary::alerts(&config, open, json).await,
    }
}

/// Logs go to standard error. Commands other than `serve`/`demo` log only
/// warnings unless `GERBANG_LOG` says otherwise, so their output stays clean.
pub fn init_logging(cli: &Cli, config: &Config) {
    let serving = matches!(cli.command, Command::Serve(_) | Command::Demo(_));
    let default = if serving { config.log.as_str() } else { "warn" };
    // hnsw_rs reports every index it builds at INFO: not an operator's concern.
    let filter =
        EnvFilter::try_from_env("GERBANG_LOG").unwrap_or_else(|_| EnvFilter::new(format!("{default},hnsw_rs=warn")));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    // A second initialisation (only possible in tests) keeps the first.
    let _ = match config.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

//! The command line. `--data-dir`, `--database-url` and `--config` are
//! global, so every subcommand takes them; `--listen` belongs to `serve` and
//! `demo`. The administration commands' arguments live in [`admin`].

mod admin;

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

pub use admin::{
    AgreementCommand, AgreementCreateArgs, AuditCommand, InstitutionCommand, InstitutionCreateArgs, IpCommand,
    NetworkArgs, ProviderCommand, UserCommand, UserCreateArgs,
};

/// Gerbang: agreement-scoped access to Indonesia's population register.
#[derive(Debug, Parser)]
#[command(name = "gerbang", version, propagate_version = true)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Settings shared by every command. Each overrides the configuration file
/// and the matching `GERBANG_*` environment variable.
#[derive(Debug, Args, Default)]
pub struct GlobalArgs {
    /// Folder holding the embedded database [default: ./gerbang-data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://PATH (default: DIR/gerbang.sqlite3)
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Configuration file (TOML) read before environment and flags
    #[arg(long, global = true, value_name = "FILE", env = "GERBANG_CONFIG")]
    pub config: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the register with a deterministic synthetic population
    Seed(SeedArgs),
    /// Serve the HTTP API
    Serve(ServeArgs),
    /// Seed a demo register if it is empty, then serve it
    Demo(DemoArgs),
    /// Look at residents in the register; issue their access-history codes
    #[command(subcommand)]
    Resident(ResidentCommand),
    /// Registry offices that grant access (Ditjen Dukcapil, a Disdukcapil)
    #[command(subcommand)]
    Provider(ProviderCommand),
    /// Partner institutions
    #[command(subcommand)]
    Institution(InstitutionCommand),
    /// Cooperation agreements (PKS), their addenda and termination
    #[command(subcommand)]
    Agreement(AgreementCommand),
    /// User IDs: accounts of partner systems, operators and administrators
    #[command(subcommand)]
    User(UserCommand),
    /// Networks partners may call from
    #[command(subcommand)]
    Ip(IpCommand),
    /// The audit trail: verify its chain, see who accessed a resident
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Copy the whole deployment into an empty database (e.g. SQLite → PostgreSQL)
    Migrate(MigrateArgs),
    /// Obligation reminders: queue them in the outbox, deliver them by SMTP
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// Partners' semester utilization reports (SPEC.md §8)
    #[command(subcommand)]
    Report(ReportCommand),
    /// Return-data schemas (data balikan): define from a TOML/JSON file, list
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Return data (data balikan): import a partner's file, show a resident's
    #[command(subcommand, name = "return-data")]
    ReturnData(ReturnDataCommand),
    /// Accuracy of the face and fingerprint matchers on a labelled folder
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Enrol residents' faces and fingerprints (registry side)
    #[command(subcommand)]
    Enrol(EnrolCommand),
    /// Investigations over the audit trail
    #[command(subcommand)]
    Investigate(InvestigateCommand),
    /// Canary residents: records no legitimate service touches; any access by a partner raises an alert
    #[command(subcommand)]
    Canary(CanaryCommand),
    /// Security alerts: canary residents touched, NIK enumeration, bulk access outside working hours
    Alerts {
        /// Only the open ones
        #[arg(long)]
        open: bool,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang canary …`.
#[derive(Debug, Subcommand)]
pub enum CanaryCommand {
    /// Mark a resident of the register as a canary
    Add {
        /// The resident's NIK
        nik: String,
        /// A name for the registry's people (never shown to partners) [default: umpan-N]
        #[arg(long)]
        label: Option<String>,
    },
    /// List the canary residents
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang investigate …`.
#[derive(Debug, Subcommand)]
pub enum InvestigateCommand {
    /// Rank partners and User IDs by how much of a leaked file of NIKs their accesses cover
    Leak {
        /// The leaked file (CSV or any text; every 16-digit NIK in it counts)
        file: PathBuf,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang enrol …`.
#[derive(Debug, Subcommand)]
pub enum EnrolCommand {
    /// A resident's face photo (JPEG, PNG or WebP with exactly one face), replacing any earlier one
    Face {
        /// The resident's NIK (16 digits)
        #[arg(long)]
        nik: String,
        /// The photo
        #[arg(long, value_name = "FILE")]
        photo: PathBuf,
    },
    /// One finger of a resident: 1–5 impressions, replacing that finger's earlier ones
    Fingerprint {
        /// The resident's NIK (16 digits)
        #[arg(long)]
        nik: String,
        /// ISO finger position: 1 right thumb, 2 right index … 6 left thumb … 10 left little
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=10))]
        finger: u8,
        /// An impression: PNG, TIFF, JPEG or WSQ at 500 dpi (repeat the flag)
        #[arg(long = "image", value_name = "FILE")]
        images: Vec<PathBuf>,
        /// An impression as an ISO/IEC 19794-2 template (repeat the flag)
        #[arg(long = "template", value_name = "FILE")]
        templates: Vec<PathBuf>,
    },
    /// Synthetic fingerprints (right index finger) for the first N residents without any
    SyntheticFingerprints {
        /// How many residents
        #[arg(long, value_name = "N", default_value_t = 100)]
        residents: u32,
        /// Impressions enrolled per finger
        #[arg(long, default_value_t = 3)]
        impressions: u32,
    },
}

/// `gerbang eval …`.
#[derive(Debug, Subcommand)]
pub enum EvalCommand {
    /// Face pairs: DIR/master.csv lists file_x,file_y,Decision (Yes/No)
    Face {
        /// The folder
        #[arg(long, value_name = "DIR")]
        data: std::path::PathBuf,
        /// Largest embedding distance still "same person"
        #[arg(long, default_value_t = gerbang_biometrics::DEFAULT_THRESHOLD)]
        threshold: f32,
        /// The dlib models' folder [default: $GERBANG_FACE_MODELS or target/models/face]
        #[arg(long, value_name = "DIR")]
        models: Option<std::path::PathBuf>,
    },
    /// Fingerprints: FVC-named images FINGER_IMPRESSION.ext in DIR
    Fingerprint {
        /// The folder
        #[arg(long, value_name = "DIR")]
        data: std::path::PathBuf,
        /// Impressions enrolled; the others are probes
        #[arg(long, value_delimiter = ',', default_value = "1,2,3")]
        enrol: Vec<u32>,
        /// Smallest bozorth3 score that is a match
        #[arg(long, default_value_t = gerbang_biometrics::fingerprint::DEFAULT_THRESHOLD)]
        threshold: u32,
        /// The images' resolution (resampled to 500 dpi; FVC2002 DB2 is 569)
        #[arg(long, default_value_t = 500.0)]
        dpi: f64,
    },
}

/// `gerbang notify …`.
#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Queue today's reminders (obligations due within 30 days or overdue,
    /// operators without an NDA); each is queued once per state
    Queue {
        /// The day to remind for, YYYY-MM-DD [default: today in Jakarta]
        #[arg(long, value_name = "DATE")]
        on: Option<chrono::NaiveDate>,
    },
    /// Deliver queued notifications to the SMTP relay of the configuration's [mail] section
    Send {
        /// At most this many
        #[arg(long, default_value_t = 1000)]
        limit: u32,
    },
    /// Show the notifications not yet delivered
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang report …`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// One partner's report of one semester as PDF and/or xlsx: the stored
    /// report (figures frozen when submitted) or, if none was opened yet,
    /// the figures computed now
    Semester(ReportSemesterArgs),
}

/// `gerbang report semester`.
#[derive(Debug, Args)]
pub struct ReportSemesterArgs {
    /// The partner institution's code
    #[arg(long, value_name = "CODE")]
    pub partner: String,
    /// The semester, e.g. 2026-S1 (January–June) or 2026-S2
    #[arg(long, value_name = "SEMESTER")]
    pub semester: String,
    /// Write the PDF here
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Write the xlsx here
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// Print the figures as JSON
    #[arg(long)]
    pub json: bool,
}

/// `gerbang schema …`.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Store (or replace) a return-data schema read from a TOML or JSON file
    Define {
        /// The schema file (.toml or .json)
        file: PathBuf,
    },
    /// List the stored return-data schemas
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang return-data …`.
#[derive(Debug, Subcommand)]
pub enum ReturnDataCommand {
    /// Import a partner's return-data file (.xlsx, .xls, .ods or .csv, recognised by content)
    Import(ReturnDataImportArgs),
    /// Show the return data partners sent about one resident
    Show {
        /// The resident's NIK (16 digits)
        nik: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang return-data import`.
#[derive(Debug, Args)]
pub struct ReturnDataImportArgs {
    /// The partner institution's code, e.g. bpbd
    #[arg(long, value_name = "CODE")]
    pub partner: String,
    /// The file the partner delivered
    #[arg(long, value_name = "PATH")]
    pub file: PathBuf,
    /// all: any rejected row and nothing is stored; rows: store the valid rows
    #[arg(long, value_name = "MODE", default_value = "all", value_parser = ["all", "rows"])]
    pub mode: String,
    /// Write the rejected rows, with the reason, to this .xlsx
    #[arg(long, value_name = "OUT.xlsx")]
    pub report: Option<PathBuf>,
    /// Print the report as JSON
    #[arg(long)]
    pub json: bool,
}

/// `gerbang migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The empty target database: postgres://USER:PASSWORD@HOST:PORT/DB or sqlite://PATH
    #[arg(long, value_name = "URL")]
    pub to: String,
}

/// `gerbang seed`.
#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many residents to generate (1 to 300,000,000)
    #[arg(long, value_name = "N")]
    pub residents: u64,
    /// Random seed: the same seed gives the same register
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// Reference date of the register, YYYY-MM-DD [default: 2026-06-30]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Replace a register that already holds residents
    #[arg(long)]
    pub replace: bool,
}

/// `gerbang serve`.
#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8000]
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// Mount GET /api/v1/residents/{nik} WITHOUT authorization (local development only)
    #[arg(long)]
    pub dev_open_register: bool,
}

/// `gerbang demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Residents to generate when the register is empty
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub residents: u64,
    /// Residents given synthetic fingerprints when none has any
    #[arg(long, value_name = "N", default_value_t = 40)]
    pub fingerprints: u32,
    /// How to serve
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// `gerbang resident …`.
#[derive(Debug, Subcommand)]
pub enum ResidentCommand {
    /// Show every element of one resident
    Show {
        /// The resident's NIK (16 digits)
        nik: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Issue a resident the one-time code that opens their access history
    /// (/portal/warga, POST /api/v1/resident/access-history); printed once
    Code {
        /// The resident's NIK (16 digits)
        nik: String,
    },
}

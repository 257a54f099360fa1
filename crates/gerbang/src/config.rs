//! One typed, versioned configuration, read in layers: built-in defaults,
//! then the TOML file given by `--config`, then `GERBANG_*` environment
//! variables, then command-line flags. Unknown fields are rejected, the
//! database URL's password is redacted in `Debug`, and loading writes
//! nothing.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::cli::{Cli, Command};
use crate::error::CliError;

/// The configuration format this build reads.
pub const CONFIG_VERSION: u32 = 1;

/// Gerbang's configuration.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Format version of the file; must be [`CONFIG_VERSION`].
    pub version: u32,
    /// Folder of the embedded database.
    pub data_dir: PathBuf,
    /// Database URL; `None` means the SQLite file in `data_dir`.
    pub database_url: Option<String>,
    /// Address `serve` listens on.
    pub listen: SocketAddr,
    /// Mount the unauthenticated development register route.
    pub dev_open_register: bool,
    /// Reverse proxies (CIDR) whose `X-Forwarded-For` is believed for the
    /// IP allow-list; empty means the connection's own address always counts.
    #[serde(default)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Log filter, e.g. `info` or `gerbang_web=debug`.
    pub log: String,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// Delivery of the notification outbox (`gerbang notify send`).
    #[serde(default)]
    pub mail: MailConfig,
    /// Return-data intake (SPEC.md §5).
    #[serde(default)]
    pub return_data: ReturnDataConfig,
    /// Folder of dlib's face models (`scripts/face-models.sh` fetches
    /// them); `None` means `target/models/face`. Without them the face
    /// mechanisms answer "unavailable" and everything else works.
    #[serde(default)]
    pub face_models: Option<PathBuf>,
    /// Most HTTP connections open at once; more clients wait to be
    /// accepted.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
}

fn default_max_connections() -> usize {
    gerbang_web::server::DEFAULT_MAX_CONNECTIONS
}

impl Config {
    /// The folder the face models are read from.
    pub fn face_models_dir(&self) -> PathBuf {
        self.face_models.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_FACE_MODELS))
    }
}

/// Where `scripts/face-models.sh` puts the face models.
pub const DEFAULT_FACE_MODELS: &str = "target/models/face";

/// Where `gerbang notify send` delivers the outbox. Without `smtp` the
/// notifications stay queued (a mailer of the deployment's own may drain
/// the `notifications` table instead).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    /// The SMTP relay, `smtp://HOST[:PORT]` (plain SMTP on the closed
    /// network; port 25 by default); `None` turns delivery off.
    #[serde(default)]
    pub smtp: Option<String>,
    /// The sender address.
    #[serde(default = "default_sender")]
    pub from: String,
    /// Addresses by institution or provider code: a partner's reminders go
    /// to its institution's address, the registry's copy to its provider's.
    #[serde(default)]
    pub recipients: std::collections::BTreeMap<String, String>,
}

fn default_sender() -> String {
    "gerbang@localhost".to_owned()
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig { smtp: None, from: default_sender(), recipients: Default::default() }
    }
}

/// `[return_data]`: the intake of partners' return data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReturnDataConfig {
    /// A row is accepted only for a NIK the same partner accessed within
    /// this many days before the submission.
    pub access_window_days: u32,
    /// Largest file accepted, in MiB; larger ones are refused before reading.
    pub max_upload_mib: u64,
}

impl Default for ReturnDataConfig {
    fn default() -> Self {
        ReturnDataConfig {
            access_window_days: gerbang_core::return_data::DEFAULT_ACCESS_WINDOW_DAYS,
            max_upload_mib: 512,
        }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: CONFIG_VERSION,
            data_dir: PathBuf::from("gerbang-data"),
            database_url: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 8000)),
            dev_open_register: false,
            trusted_proxies: Vec::new(),
            log: "info".into(),
            log_format: LogFormat::Text,
            mail: MailConfig::default(),
            return_data: ReturnDataConfig::default(),
            face_models: None,
            max_connections: default_max_connections(),
        }
    }
}

/// Hides the password of `scheme://user:password@host/…`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("version", &self.version)
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_deref().map(redact_url))
            .field("listen", &self.listen)
            .field("dev_open_register", &self.dev_open_register)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log", &self.log)
            .field("log_format", &self.log_format)
            .field("mail.smtp", &self.mail.smtp.as_deref().map(redact_url))
            .field("return_data", &self.return_data)
            .field("face_models", &self.face_models)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// What the command line sets, and only that.
#[derive(Serialize, Default)]
struct FlagOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<SocketAddr>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dev_open_register: Option<bool>,
}

/// Environment variables read, as `GERBANG_<NAME>`.
const ENV_KEYS: [&str; 8] =
    ["data_dir", "database_url", "listen", "dev_open_register", "log", "log_format", "face_models", "max_connections"];

/// Reads the layers in order and checks the result.
pub fn load(cli: &Cli) -> Result<Config, CliError> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    if let Some(path) = &cli.global.config {
        if !path.is_file() {
            return Err(CliError::new("config.missing", format!("berkas konfigurasi {} tidak ada", path.display())));
        }
        figment = figment.merge(Toml::file_exact(path));
    }
    let serve = match &cli.command {
        Command::Serve(serve) => Some(serve),
        Command::Demo(demo) => Some(&demo.serve),
        _ => None,
    };
    let flags = FlagOverrides {
        data_dir: cli.global.data_dir.clone(),
        database_url: cli.global.database_url.clone(),
        listen: serve.and_then(|s| s.listen),
        dev_open_register: serve.filter(|s| s.dev_open_register).map(|_| true),
    };
    let config: Config = figment
        .merge(Env::prefixed("GERBANG_").only(&ENV_KEYS))
        .merge(Serialized::globals(flags))
        .extract()
        .map_err(|error| CliError::new("config.invalid", format!("konfigurasi tidak valid: {error}")))?;
    if config.version != CONFIG_VERSION {
        return Err(CliError::new(
            "config.version",
            format!("versi konfigurasi {} tidak dikenal; versi ini membaca versi {CONFIG_VERSION}", config.version),
        ));
    }
    Ok(config)
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment's own (large) error
mod tests {
    use super::*;
    use clap::Parser;

    fn cli(args: &[&str]) -> Cli {
        Cli::parse_from(std::iter::once("gerbang").chain(args.iter().copied()))
    }

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("g.toml", "version = 1\nlisten = \"127.0.0.1:9000\"\ndata_dir = \"from-file\"\n")?;
            let config =
                load(&cli(&["--config", "g.toml", "serve", "--listen", "127.0.0.1:9100"])).map_err(|e| e.message)?;
            assert_eq!(config.listen.port(), 9100);
            assert_eq!(config.data_dir, PathBuf::from("from-file"));
            jail.set_env("GERBANG_DATA_DIR", "from-env");
            let config = load(&cli(&["--config", "g.toml", "serve"])).map_err(|e| e.message)?;
            assert_eq!((config.listen.port(), config.data_dir), (9000, PathBuf::from("from-env")));
            let config =
                load(&cli(&["--config", "g.toml", "--data-dir", "from-flag", "serve"])).map_err(|e| e.message)?;
            assert_eq!(config.data_dir, PathBuf::from("from-flag"));
            Ok(())
        });
    }

    #[test]
    fn unknown_fields_and_versions_are_refused() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("typo.toml", "version = 1\nlistn = \"127.0.0.1:9000\"\n")?;
            let error = load(&cli(&["--config", "typo.toml", "serve"])).unwrap_err();
            assert_eq!(error.code, "config.invalid");
            assert!(error.message.contains("listn"), "{}", error.message);
            jail.create_file("future.toml", "version = 2\n")?;
            assert_eq!(load(&cli(&["--config", "future.toml", "serve"])).unwrap_err().code, "config.version");
            Ok(())
        });
    }

    #[test]
    fn unrelated_gerbang_variables_are_ignored() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("GERBANG_SOMETHING_ELSE", "x");
            assert!(load(&cli(&["serve"])).is_ok());
            Ok(())
        });
    }

    #[test]
    fn debug_redacts_the_database_password() {
        let config =
            Config { database_url: Some("postgres://gerbang:s3cret@db:5432/gerbang".into()), ..Config::default() };
        let shown = format!("{config:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://gerbang:***@db:5432/gerbang"));
    }
}

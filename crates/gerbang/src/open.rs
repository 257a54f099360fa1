//! Choosing and opening the storage backend from the configuration: the
//! database URL's scheme picks the backend (`sqlite://PATH`,
//! `postgres://…`); without a URL, the SQLite file in the data folder.

use std::path::PathBuf;
use std::sync::Arc;

use gerbang_store::Store;
use gerbang_store_postgres::PostgresStore;
use gerbang_store_sqlite::{OpenMode, SqliteStore};

use crate::config::{Config, redact_url};
use crate::error::CliError;

/// Name of the SQLite file inside the data folder.
pub const SQLITE_FILE: &str = "gerbang.sqlite3";

/// Where the configured database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database (the URL may carry a password: never print it).
    Postgres(String),
}

/// Reads the database location from the configuration.
pub fn location(config: &Config) -> Result<Location, CliError> {
    let Some(url) = config.database_url.as_deref() else {
        return Ok(Location::Sqlite(config.data_dir.join(SQLITE_FILE)));
    };
    if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
        if path.is_empty() {
            return Err(CliError::new(
                "store.url",
                "URL sqlite:// harus menyebut path berkas, mis. sqlite://data/gerbang.sqlite3",
            ));
        }
        return Ok(Location::Sqlite(PathBuf::from(path)));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Location::Postgres(url.to_owned()));
    }
    Err(CliError::new(
        "store.url",
        format!("skema URL basis data tidak dikenal: {}; gunakan sqlite://PATH atau postgres://…", redact_url(url)),
    ))
}

/// Opens the configured store. `mode` matters for SQLite only: a PostgreSQL
/// database must already exist on its server (migrations create the
/// tables).
pub async fn store(config: &Config, mode: OpenMode) -> Result<Arc<dyn Store>, CliError> {
    match location(config)? {
        Location::Sqlite(path) => Ok(Arc::new(SqliteStore::open(&path, mode)?)),
        Location::Postgres(url) => Ok(Arc::new(PostgresStore::connect(&url).await?)),
    }
}

/// Name of the provider's RSA key inside the data folder.
pub const PROVIDER_KEY_FILE: &str = "provider-key.pem";

/// The provider's RSA key for the compatible face service's sealed fields
/// (`DIR/provider-key.pem`, PKCS#8 PEM): read when it exists, otherwise
/// made once and written readable by its owner only. Servers starting
/// together on one folder agree on one key: each writes its own to a
/// temporary file and links it into place only if no key is there yet.
pub fn provider_key(config: &Config) -> Result<gerbang_core::access::ProviderKey, CliError> {
    use gerbang_core::access::ProviderKey;
    use gerbang_core::access::provider_key::rand_core::OsRng;

    let path = config.data_dir.join(PROVIDER_KEY_FILE);
    let failed = |error: std::io::Error| {
        CliError::new("provider_key.io", format!("kunci penyelenggara {}: {error}", path.display()))
    };
    let read = || -> Result<ProviderKey, CliError> {
        let pem = std::fs::read_to_string(&path).map_err(failed)?;
        ProviderKey::from_pkcs8_pem(&pem).map_err(|e| CliError::new(e.code(), format!("{}: {e}", path.display())))
    };
    if path.exists() {
        return read();
    }
    let key = ProviderKey::generate(&mut OsRng).map_err(|e| CliError::new(e.code(), e.to_string()))?;
    let pem = key.to_pkcs8_pem().map_err(|e| CliError::new(e.code(), e.to_string()))?;
    std::fs::create_dir_all(&config.data_dir).map_err(failed)?;
    let mut draft = tempfile::Builder::new()
        .prefix(".provider-key-")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))
        .tempfile_in(&config.data_dir)
        .map_err(failed)?;
    std::io::Write::write_all(&mut draft, pem.as_bytes()).map_err(failed)?;
    draft.as_file().sync_all().map_err(failed)?;
    match std::fs::hard_link(draft.path(), &path) {
        Ok(()) => {
            tracing::info!(path = %path.display(), fingerprint = key.fingerprint(), "kunci penyelenggara dibuat");
            Ok(key)
        }
        // Another process placed its key first: use that one.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => read(),
        Err(error) => Err(failed(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes_choose_the_backend() {
        let with = |url: Option<&str>| location(&Config { database_url: url.map(str::to_owned), ..Config::default() });
        assert_eq!(with(None).unwrap(), Location::Sqlite(PathBuf::from("gerbang-data/gerbang.sqlite3")));
        assert_eq!(with(Some("sqlite:///tmp/x.db")).unwrap(), Location::Sqlite(PathBuf::from("/tmp/x.db")));
        assert_eq!(with(Some("sqlite://rel/x.db")).unwrap(), Location::Sqlite(PathBuf::from("rel/x.db")));
        assert_eq!(
            with(Some("postgres://u:secret@h/db")).unwrap(),
            Location::Postgres("postgres://u:secret@h/db".into())
        );
        let unknown = with(Some("mysql://u:secret@h/db")).unwrap_err();
        assert_eq!(unknown.code, "store.url");
        assert!(!unknown.message.contains("secret"));
    }

    #[test]
    fn servers_starting_together_on_one_folder_agree_on_one_provider_key() {
        let folder = tempfile::tempdir().unwrap();
        let config = Config { data_dir: folder.path().join("data"), ..Config::default() };
        let keys: Vec<String> = std::thread::scope(|scope| {
            let racers: Vec<_> =
                (0..3).map(|_| scope.spawn(|| provider_key(&config).unwrap().fingerprint().to_owned())).collect();
            racers.into_iter().map(|racer| racer.join().unwrap()).collect()
        });
        assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
        let again = provider_key(&config).unwrap();
        assert_eq!(again.fingerprint(), keys[0], "a restart reads the key it made");
        let path = config.data_dir.join(PROVIDER_KEY_FILE);
        let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions());
        assert_eq!(mode & 0o777, 0o600, "the key is its owner's alone");
        let leftovers = std::fs::read_dir(&config.data_dir).unwrap().count();
        assert_eq!(leftovers, 1, "no draft is left behind");
    }
}

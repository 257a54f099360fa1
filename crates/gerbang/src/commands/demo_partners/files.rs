//! The demo credentials files: read back to reuse secrets, written
//! atomically and readable only by their owner.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Secrets;
use crate::error::CliError;

/// The secrets in a credentials file, by User ID; nothing when the file is
/// missing or unreadable (its accounts then get new secrets).
pub fn read_known(path: &Path) -> HashMap<String, Secrets> {
    #[derive(Deserialize)]
    struct Entry {
        user_id: String,
        #[serde(flatten)]
        secrets: Secrets,
    }
    let Ok(text) = std::fs::read_to_string(path) else { return HashMap::new() };
    match serde_json::from_str::<Vec<Entry>>(&text) {
        Ok(entries) => entries.into_iter().map(|e| (e.user_id, e.secrets)).collect(),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "berkas kredensial demo tidak terbaca; kredensial dibuat ulang");
            HashMap::new()
        }
    }
}

/// Writes `value` as JSON to `path` through a fresh temporary file (mode
/// 0600 on unix) renamed into place, so a reader never sees half a file and
/// no other user can read the secrets.
pub fn write_private<T: Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), CliError> {
    let failed = |error: std::io::Error| {
        CliError::new("demo.credentials", format!("berkas kredensial {} tidak dapat ditulis: {error}", path.display()))
    };
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|error| CliError::new("demo.credentials", format!("gagal menyusun JSON: {error}")))?;
    text.push('\n');
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(failed)?;
    }
    let temporary = path.with_extension("json.tmp");
    let _ = std::fs::remove_file(&temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(failed)?;
    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(failed)?;
    drop(file);
    std::fs::rename(&temporary, path).map_err(failed)
}

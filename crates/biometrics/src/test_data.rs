//! Where the tests find the shared biometric images
//! (`shared/data/biometrics`, beside the repository), and what they do
//! when it is absent.

use std::path::PathBuf;

/// The shared biometric data folder, or `None` (with a note on stderr) if
/// it is absent. Under `CI=true` the data is always present, so absence
/// there fails the test instead of skipping it.
///
/// `GERBANG_BIOMETRICS_DATA` overrides the location.
#[allow(clippy::panic)] // A test helper: failing loudly in CI is its job.
pub(crate) fn biometrics_data() -> Option<PathBuf> {
    let dir = std::env::var_os("GERBANG_BIOMETRICS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/biometrics"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("shared biometric data absent at {} (CI=true, where it must be present)", dir.display());
    }
    eprintln!("SKIPPED: shared biometric data absent at {}; set GERBANG_BIOMETRICS_DATA", dir.display());
    None
}

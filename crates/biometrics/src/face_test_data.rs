//! Where the tests find the shared biometric photos and the face models.
//! Outside CI a test whose data is absent says so and passes; under `CI=true`
//! (CI runs scripts/test.sh, which fetches the models) it fails loudly.

#![allow(clippy::panic)]

use std::path::{Path, PathBuf};

/// The workspace root (this crate is `crates/biometrics`).
fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `path` if it exists; else `None` with a note, or a failure under CI.
fn present(path: PathBuf, what: &str, how: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let message = format!("{what} not found at {} ({how})", path.display());
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{message}");
    }
    eprintln!("skipped: {message}");
    None
}

/// `shared/data/biometrics` beside the workspace, or `GERBANG_BIOMETRICS_DATA`.
pub(crate) fn biometrics_data() -> Option<PathBuf> {
    let path = std::env::var_os("GERBANG_BIOMETRICS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/data/biometrics"));
    present(path, "shared biometric test data", "set GERBANG_BIOMETRICS_DATA")
}

/// A file under `shared/data/biometrics`, read whole.
pub(crate) fn read_data(relative: &str) -> Option<Vec<u8>> {
    let path = biometrics_data()?.join(relative);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(error) => panic!("{}: {error}", path.display()),
    }
}

#[cfg(feature = "face")]
/// The face models: `GERBANG_FACE_MODELS`, else `target/models/face` in the
/// workspace, as scripts/face-models.sh puts them.
pub(crate) fn models_dir() -> Option<PathBuf> {
    let path = std::env::var_os("GERBANG_FACE_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target/models/face"));
    present(path.join(crate::face_encoder::EMBEDDING_MODEL_FILE), "face models", "run scripts/face-models.sh")?;
    Some(path)
}

#[cfg(feature = "face")]
/// One encoder for all tests of the crate (loading the models takes about
/// half a second), or `None` when the models are absent.
pub(crate) fn encoder() -> Option<&'static crate::FaceEncoder> {
    static ENCODER: std::sync::OnceLock<Option<crate::FaceEncoder>> = std::sync::OnceLock::new();
    ENCODER
        .get_or_init(|| {
            models_dir().map(|dir| crate::FaceEncoder::open(dir).unwrap_or_else(|e| panic!("face models: {e}")))
        })
        .as_ref()
}

//! Shared helpers: running the binary and seeding a small register once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// Runs `gerbang ARGS` with the data folder `dir`.
pub fn gerbang(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("GERBANG_CONFIG")
        .env_remove("GERBANG_DATABASE_URL")
        .output()
        .expect("the gerbang binary runs")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A register of 5,000 residents seeded once for the whole binary, and the
/// seed command's output.
pub struct Seeded {
    /// The data folder.
    pub dir: PathBuf,
    /// What `seed` printed.
    pub output: String,
    _keep: tempfile::TempDir,
}

/// The shared seeded register.
pub fn seeded() -> &'static Seeded {
    static SEEDED: OnceLock<Seeded> = OnceLock::new();
    SEEDED.get_or_init(|| {
        let keep = tempfile::tempdir().expect("temporary folder");
        let dir = keep.path().join("data");
        let output = gerbang(&dir, &["seed", "--residents", "5000", "--seed", "7"]);
        assert!(output.status.success(), "seed failed: {}", stderr(&output));
        Seeded { dir, output: stdout(&output), _keep: keep }
    })
}

/// The sample NIKs and NO_KKs that `seed` printed.
pub fn samples(output: &str) -> (Vec<String>, Vec<String>) {
    let mut niks = Vec::new();
    let mut cards = Vec::new();
    for line in output.lines().filter(|l| l.trim_start().starts_with("NO_KK ")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        cards.push(words[1].to_owned());
        niks.extend(words[3..].iter().map(|w| (*w).to_owned()));
    }
    (niks, cards)
}

/// Converts each `(name, csv)` (`;`-separated, UTF-8) to `format` with
/// LibreOffice in one call, every column as text; test fixtures are made by
/// a real spreadsheet program, never by Gerbang's own writer.
pub fn soffice(dir: &Path, files: &[(String, String)], format: &str) -> Vec<PathBuf> {
    let Ok(version) = Command::new("soffice").arg("--version").output() else {
        panic!("soffice (LibreOffice) tidak terpasang: pasang libreoffice-calc-nogui (scripts/test.sh memasangnya)");
    };
    assert!(version.status.success(), "soffice --version gagal");
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.join(format!("{name}.csv"));
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let columns: Vec<String> = (1..=12).map(|c| format!("{c}/2")).collect();
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display()))
        .arg("--headless")
        .arg(format!("--infilter=CSV:59,34,76,1,{}", columns.join("/")))
        .args(["--convert-to", format, "--outdir"])
        .arg(dir)
        .args(&paths)
        .output()
        .unwrap();
    assert!(output.status.success(), "soffice gagal: {}", String::from_utf8_lossy(&output.stderr));
    files.iter().map(|(name, _)| dir.join(format!("{name}.{format}"))).collect()
}

/// The workspace's root folder.
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The shared biometric data folder (`../shared/data/biometrics`), or
/// `None` (said on stderr) outside CI when it is absent; in CI its absence
/// fails the test.
pub fn biometrics_data() -> Option<PathBuf> {
    let dir = std::env::var_os("GERBANG_BIOMETRICS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("../shared/data/biometrics"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "biometric test data absent at {}", dir.display());
    eprintln!("SKIPPED: biometric test data absent at {}", dir.display());
    None
}

/// The face models' folder (`scripts/face-models.sh` fills it; the test
/// script runs it).
pub fn face_models() -> PathBuf {
    std::env::var_os("GERBANG_FACE_MODELS").map(PathBuf::from).unwrap_or_else(|| workspace().join("target/models/face"))
}

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

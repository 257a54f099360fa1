//! `gerbang eval face|fingerprint --data DIR`: accuracy of the biometric
//! matchers on a labelled folder (issue "Biometrics"). Faces: a folder with
//! `master.csv` of pairs `file_x,file_y,Decision` (Yes/No); fingerprints: a
//! folder of FVC-named images `FINGER_IMPRESSION.ext`, impressions `--enrol`
//! enrolled and the rest probed. The report goes to standard output, its
//! last line machine-readable: `face pairs=N accuracy=P% far=P% frr=P%` or
//! `fingerprint probes=N rank1=P% fmr=P% fnmr=P%`. Progress goes to
//! standard error.

use std::io::Write;
use std::path::{Path, PathBuf};

use gerbang_biometrics::fingerprint::{EvalProgress, ExtractOptions, evaluate_fingerprints};
use gerbang_biometrics::{FaceEncoder, evaluate_face_pairs};
use indicatif::{ProgressBar, ProgressStyle};

use crate::error::CliError;

fn bar(what: &str) -> ProgressBar {
    let style =
        ProgressStyle::with_template(&format!("{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} {what}"))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(0).with_style(style)
}

fn print(report: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{report}").map_err(|e| CliError::new("output", e.to_string()))
}

/// The folder of the face models: `--models`, else `GERBANG_FACE_MODELS`,
/// else `target/models/face` where `scripts/face-models.sh` puts them.
fn models_dir(models: Option<PathBuf>) -> PathBuf {
    models
        .or_else(|| std::env::var_os("GERBANG_FACE_MODELS").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(crate::config::DEFAULT_FACE_MODELS))
}

/// `gerbang eval face`.
pub fn face(data: &Path, threshold: f32, models: Option<PathBuf>) -> Result<(), CliError> {
    let encoder = FaceEncoder::open(models_dir(models)).map_err(|e| CliError::new(e.code(), e.to_string()))?;
    let progress = bar("foto");
    let evaluation = evaluate_face_pairs(&encoder, data, threshold, |done, total| {
        progress.set_length(total as u64);
        progress.set_position(done as u64);
    })
    .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    progress.finish_and_clear();
    print(&evaluation.to_string())
}

/// `gerbang eval fingerprint`.
pub fn fingerprint(data: &Path, enrol: &[u32], threshold: u32, dpi: f64) -> Result<(), CliError> {
    let options = ExtractOptions { dpi, ..ExtractOptions::default() };
    let progress = bar("sidik jari");
    let evaluation = evaluate_fingerprints(data, enrol, threshold, &options, &mut |step| match step {
        EvalProgress::Extracted { done, total } | EvalProgress::Searched { done, total } => {
            progress.set_length(total as u64);
            progress.set_position(done as u64);
        }
    })
    .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    progress.finish_and_clear();
    let mut report = format!(
        "fingers {}  probes {}\ngenuine  {:?}\nimpostor {:?}\n",
        evaluation.fingers,
        evaluation.probes,
        evaluation.genuine_summary(),
        evaluation.impostor_summary()
    );
    if !evaluation.probe_failures.is_empty() || !evaluation.enrol_failures.is_empty() {
        report.push_str(&format!(
            "failed images: enrolment {:?}, probes {:?}\n",
            evaluation.enrol_failures, evaluation.probe_failures
        ));
    }
    report.push_str(&evaluation.summary_line());
    print(&report)
}

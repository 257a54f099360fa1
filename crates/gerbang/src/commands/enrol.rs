//! `gerbang enrol face|fingerprint|synthetic-fingerprints`: the registry's
//! biometric enrolment from the command line (SPEC.md §2, §4.5, §4.6).
//!
//! - `face --nik N --photo FILE`: the photo must hold exactly one face;
//!   its embedding is computed with the face models and stored with it.
//! - `fingerprint --nik N --finger P --image FILE…|--template FILE…`: one
//!   finger's impressions (1–5), each checked by the quality gate, stored as
//!   ISO/IEC 19794-2 templates, replacing that finger's earlier ones.
//! - `synthetic-fingerprints --residents N`: synthetic fingers for the
//!   first N residents of the register without fingerprints, so the
//!   synthetic population can be identified by fingerprint (the demo does
//!   this once). Finger `P` of resident `NIK` is
//!   `SyntheticFinger::new(resident_seed(NIK, P))`, impressions `0..K`
//!   enrolled: impression `K` is a probe nobody enrolled.
//!
//! A running server sees new CLI enrolments within its refresh interval
//! (it follows the stored counts); a CLI *replacement* of an enrolled face
//! or finger leaves the counts unchanged and is seen at its next start —
//! enrol through the v1 API or the console to have it at once.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use gerbang_biometrics::fingerprint::{ExtractOptions, extract_gray};
use gerbang_biometrics::synthetic_fingerprint::{SyntheticFinger, resident_seed};
use gerbang_core::biometric::FingerprintEnrolment;
use gerbang_core::{Clock, Nik, SystemClock};
use gerbang_store::Store;
use gerbang_store_sqlite::OpenMode;
use gerbang_web::biometrics::{BiometricEngine, BiometricFailure, FingerProbe, fingerprint_enrolment};
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::EnrolCommand;
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// The finger the synthetic population has enrolled: the right index
/// finger, the one KTP-el readers and inmate registration take first.
pub const SYNTHETIC_FINGER: u8 = 2;

/// Impressions enrolled per synthetic finger.
pub const SYNTHETIC_IMPRESSIONS: u32 = 3;

impl From<BiometricFailure> for CliError {
    fn from(failure: BiometricFailure) -> Self {
        CliError::new(failure.code(), failure.to_string())
    }
}

/// Who the CLI records as the enroller.
fn enroller() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    format!("cli:{}", user.chars().take(32).collect::<String>())
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|error| CliError::new("enrol.read", format!("berkas {} tidak dapat dibaca: {error}", path.display())))
}

/// Runs `gerbang enrol …`.
pub async fn run(config: &Config, command: EnrolCommand) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::MustExist).await?;
    let now = SystemClock.now();
    match command {
        EnrolCommand::Face { nik, photo } => {
            let nik = Nik::parse(&nik)?;
            let engine = BiometricEngine::empty(Some(&config.face_models_dir()));
            engine.enrol_face(store.as_ref(), nik, read(&photo)?, &enroller(), now).await?;
            println!("Wajah terdaftar untuk NIK {}.", nik);
        }
        EnrolCommand::Fingerprint { nik, finger, images, templates } => {
            let nik = Nik::parse(&nik)?;
            let probes =
                files(&images, FingerProbe::Image)?.into_iter().chain(files(&templates, FingerProbe::Template)?);
            let enrolment = fingerprint_enrolment(nik, finger, probes.collect(), &enroller(), now).await?;
            store.enrol_fingerprints(&enrolment).await?;
            println!("Jari {finger} NIK {} terdaftar dengan {} rekaman.", nik, enrolment.impressions.len());
        }
        EnrolCommand::SyntheticFingerprints { residents, impressions } => {
            let enrolled = enrol_synthetic(&store, residents, impressions, now).await?;
            println!("Sidik jari sintetis terdaftar untuk {enrolled} penduduk (jari {SYNTHETIC_FINGER}).");
        }
    }
    Ok(())
}

fn files(paths: &[PathBuf], kind: fn(Vec<u8>) -> FingerProbe) -> Result<Vec<FingerProbe>, CliError> {
    paths.iter().map(|path| read(path).map(kind)).collect()
}

/// Enrols synthetic fingerprints for up to `residents` residents without
/// any, in NIK order, with a progress bar; how many were enrolled.
pub async fn enrol_synthetic(
    store: &Arc<dyn Store>,
    residents: u32,
    impressions: u32,
    at: DateTime<Utc>,
) -> Result<u32, CliError> {
    let impressions = impressions.clamp(1, gerbang_core::biometric::MAX_IMPRESSIONS_PER_FINGER as u32);
    let already: std::collections::HashSet<Nik> =
        store.fingerprint_enrolments().await?.into_iter().map(|e| e.nik).collect();
    let progress = ProgressBar::new(u64::from(residents)).with_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} sidik jari sintetis")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let workers = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    let mut enrolled = 0u32;
    let mut after = None;
    while enrolled < residents {
        let page = store.residents_after(after, (workers * 4) as u32).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.nik);
        let wanted = (residents - enrolled) as usize;
        let niks: Vec<Nik> = page.iter().map(|r| r.nik).filter(|nik| !already.contains(nik)).take(wanted).collect();
        let made = tokio::task::spawn_blocking(move || synthesize(&niks, impressions, workers, at))
            .await
            .map_err(|_| CliError::new("enrol.worker", "pembangkit sidik jari sintetis terhenti"))?;
        for enrolment in made {
            store.enrol_fingerprints(&enrolment).await?;
            enrolled += 1;
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    Ok(enrolled)
}

/// The synthetic enrolments of `niks`, made on `workers` threads; a finger
/// whose impressions the quality gate refuses is left out.
fn synthesize(niks: &[Nik], impressions: u32, workers: usize, at: DateTime<Utc>) -> Vec<FingerprintEnrolment> {
    let chunk = niks.len().div_ceil(workers.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = niks
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter().filter_map(|nik| synthetic_finger(*nik, impressions, at)).collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|handle| handle.join().unwrap_or_default()).collect()
    })
}

fn synthetic_finger(nik: Nik, impressions: u32, at: DateTime<Utc>) -> Option<FingerprintEnrolment> {
    let finger = SyntheticFinger::new(resident_seed(&nik.to_string(), SYNTHETIC_FINGER));
    let templates = (0..impressions)
        .map(|index| extract_gray(&finger.impression(index), &ExtractOptions::default()).map(|t| t.to_iso()))
        .collect::<Result<Vec<_>, _>>()
        .ok()?;
    Some(FingerprintEnrolment {
        nik,
        finger: SYNTHETIC_FINGER,
        impressions: templates,
        enrolled_at: at,
        enrolled_by: "sintetis".into(),
    })
}

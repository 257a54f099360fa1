//! Accuracy on a folder of FVC-named images (`NNN_K.ext`: finger NNN,
//! impression K): some impressions of every finger are enrolled, the
//! others probe the gallery.
//!
//! - **rank-1**: share of probes whose own finger scores strictly higher
//!   than every other finger (closed-set identification, no threshold).
//! - **FMR**: impostor comparisons (a probe against a finger that is not
//!   its own, the finger's score being the best over its impressions)
//!   scoring at or above the threshold, over all impostor comparisons.
//! - **FNMR**: genuine comparisons (a probe against its own finger)
//!   scoring below the threshold, over all genuine comparisons.
//!
//! A probe whose image fails extraction (for instance the quality gate)
//! still counts: as a rank-1 miss and a false non-match, and in
//! [`FingerprintEvaluation::probe_failures`]. An enrolment image that
//! fails is left out, and the finger is enrolled with the others.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{ExtractOptions, FingerPosition, FingerprintGallery, PreparedTemplate, extract_with};
use crate::error::{BiometricsError, Result};

/// Extensions read, in lower case.
const EXTENSIONS: [&str; 6] = ["tif", "tiff", "png", "jpg", "jpeg", "wsq"];

/// Where an evaluation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalProgress {
    /// Templates extracted so far, of all images.
    Extracted {
        /// Images done.
        done: usize,
        /// All images.
        total: usize,
    },
    /// Probes searched so far, of all probes.
    Searched {
        /// Probes done.
        done: usize,
        /// All probes.
        total: usize,
    },
}

/// Minimum, median and maximum of a set of scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScoreSummary {
    /// How many scores.
    pub count: usize,
    /// Lowest.
    pub min: u32,
    /// Median (the lower middle for an even count).
    pub median: u32,
    /// Highest.
    pub max: u32,
}

impl ScoreSummary {
    fn of(scores: &[u32]) -> Self {
        let mut sorted = scores.to_vec();
        sorted.sort_unstable();
        ScoreSummary {
            count: sorted.len(),
            min: sorted.first().copied().unwrap_or(0),
            median: sorted.get(sorted.len().saturating_sub(1) / 2).copied().unwrap_or(0),
            max: sorted.last().copied().unwrap_or(0),
        }
    }
}

/// The outcome of [`evaluate_fingerprints`].
#[derive(Debug, Clone, PartialEq)]
pub struct FingerprintEvaluation {
    /// Fingers enrolled (with at least one impression).
    pub fingers: usize,
    /// Probe images.
    pub probes: usize,
    /// Probe images whose extraction failed, with the error code.
    pub probe_failures: Vec<(String, &'static str)>,
    /// Enrolment images whose extraction failed, with the error code.
    pub enrol_failures: Vec<(String, &'static str)>,
    /// Probes identified at rank 1.
    pub rank1_hits: usize,
    /// The threshold FMR and FNMR are measured at.
    pub threshold: u32,
    /// Genuine scores (probe against its own finger), one per probe that
    /// extracted; failed probes are counted as 0 in FNMR but not here.
    pub genuine: Vec<u32>,
    /// Impostor scores (probe against each other finger).
    pub impostor: Vec<u32>,
}

impl FingerprintEvaluation {
    /// Rank-1 identification rate, in per cent.
    pub fn rank1_percent(&self) -> f64 {
        percent(self.rank1_hits, self.probes)
    }

    /// False match rate at `threshold`, in per cent.
    pub fn fmr_percent_at(&self, threshold: u32) -> f64 {
        let false_matches = self.impostor.iter().filter(|&&s| s >= threshold).count();
        percent(false_matches, self.impostor.len())
    }

    /// False non-match rate at `threshold`, in per cent (failed probes
    /// count as non-matches).
    pub fn fnmr_percent_at(&self, threshold: u32) -> f64 {
        let misses = self.genuine.iter().filter(|&&s| s < threshold).count();
        percent(misses + self.probe_failures.len(), self.probes)
    }

    /// Summary of the genuine scores.
    pub fn genuine_summary(&self) -> ScoreSummary {
        ScoreSummary::of(&self.genuine)
    }

    /// Summary of the impostor scores.
    pub fn impostor_summary(&self) -> ScoreSummary {
        ScoreSummary::of(&self.impostor)
    }

    /// The machine-readable last line of `gerbang eval fingerprint`:
    /// `fingerprint probes=N rank1=P% fmr=P% fnmr=P%`.
    pub fn summary_line(&self) -> String {
        format!(
            "fingerprint probes={} rank1={:.2}% fmr={:.3}% fnmr={:.2}%",
            self.probes,
            self.rank1_percent(),
            self.fmr_percent_at(self.threshold),
            self.fnmr_percent_at(self.threshold)
        )
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

/// Finger and impression from an FVC name such as `101_3.tif`.
fn fvc_name(path: &Path) -> Option<(u32, u32)> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    if !EXTENSIONS.contains(&extension.as_str()) {
        return None;
    }
    let (finger, impression) = path.file_stem()?.to_str()?.split_once('_')?;
    Some((finger.parse().ok()?, impression.parse().ok()?))
}

/// Evaluates on the FVC-named images in `dir`, enrolling impressions
/// `enrol` of each finger and probing with the rest, at `threshold`.
/// `options.dpi` is the images' resolution (569 for FVC2002 DB2).
/// Extraction runs on every core; matching on one (see [`Matcher`](super::Matcher)).
pub fn evaluate_fingerprints(
    dir: &Path,
    enrol: &[u32],
    threshold: u32,
    options: &ExtractOptions,
    progress: &mut dyn FnMut(EvalProgress),
) -> Result<FingerprintEvaluation> {
    let entries =
        std::fs::read_dir(dir).map_err(|error| BiometricsError::EvalData(format!("{}: {error}", dir.display())))?;
    let mut images: Vec<(PathBuf, u32, u32)> = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| BiometricsError::EvalData(format!("{}: {error}", dir.display())))?.path();
        if let Some((finger, impression)) = fvc_name(&path) {
            images.push((path, finger, impression));
        }
    }
    images.sort();
    if images.is_empty() {
        return Err(BiometricsError::EvalData(format!(
            "{}: tidak ada gambar bernama NNN_K.tif/.png/.jpg/.wsq",
            dir.display()
        )));
    }
    let templates = extract_all(&images, options, progress)?;

    let mut gallery = FingerprintGallery::new(threshold);
    let mut enrol_failures = Vec::new();
    let mut probes = Vec::new();
    for ((path, finger, impression), template) in images.iter().zip(templates) {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if enrol.contains(impression) {
            match template {
                Ok(template) => {
                    gallery.enrol_prepared(&finger.to_string(), FingerPosition::Unknown, template);
                }
                Err(code) => enrol_failures.push((name, code)),
            }
        } else {
            probes.push((name, *finger, template));
        }
    }
    let finger_ids: BTreeMap<usize, u32> =
        (0..gallery.len()).filter_map(|i| Some((i, gallery.finger(i)?.0.parse().ok()?))).collect();

    let mut evaluation = FingerprintEvaluation {
        fingers: gallery.len(),
        probes: probes.len(),
        probe_failures: Vec::new(),
        enrol_failures,
        rank1_hits: 0,
        threshold,
        genuine: Vec::new(),
        impostor: Vec::new(),
    };
    let total = probes.len();
    for (done, (name, finger, template)) in probes.into_iter().enumerate() {
        match template {
            Err(code) => evaluation.probe_failures.push((name, code)),
            Ok(probe) => {
                let scores = gallery.finger_scores(&probe);
                let mut own = None;
                let mut best_other = 0;
                for (index, score) in scores.into_iter().enumerate() {
                    if finger_ids.get(&index) == Some(&finger) {
                        own = Some(score);
                    } else {
                        best_other = best_other.max(score);
                        evaluation.impostor.push(score);
                    }
                }
                // A finger with no enrolled impression has no genuine
                // comparison; its probes still count as misses.
                let own_score = own.unwrap_or(0);
                evaluation.genuine.push(own_score);
                if own.is_some() && own_score > best_other {
                    evaluation.rank1_hits += 1;
                }
            }
        }
        progress(EvalProgress::Searched { done: done + 1, total });
    }
    Ok(evaluation)
}

type Extracted = std::result::Result<PreparedTemplate, &'static str>;

/// Extracts every image, on as many threads as there are cores.
fn extract_all(
    images: &[(PathBuf, u32, u32)],
    options: &ExtractOptions,
    progress: &mut dyn FnMut(EvalProgress),
) -> Result<Vec<Extracted>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total = images.len();
    let (sender, receiver) = std::sync::mpsc::channel();
    let mut results: Vec<Option<Extracted>> = vec![None; total];
    std::thread::scope(|scope| -> Result<()> {
        for worker in 0..threads {
            let sender = sender.clone();
            scope.spawn(move || {
                for (index, (path, _, _)) in images.iter().enumerate().skip(worker).step_by(threads) {
                    let outcome = std::fs::read(path).map_err(|_| "eval.unreadable").and_then(|bytes| {
                        extract_with(&bytes, options)
                            .and_then(|template| template.prepare())
                            .map_err(|error| error.code())
                    });
                    if sender.send((index, outcome)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        for (done, (index, outcome)) in receiver.iter().enumerate() {
            if let Some(slot) = results.get_mut(index) {
                *slot = Some(outcome);
            }
            progress(EvalProgress::Extracted { done: done + 1, total });
        }
        Ok(())
    })?;
    Ok(results.into_iter().map(|r| r.unwrap_or(Err("eval.unreadable"))).collect())
}

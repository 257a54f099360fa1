//! Accuracy of the face matcher on a labelled folder: the folder holds
//! photos and a `master.csv` of pairs (`file_x,file_y,Decision`, Decision
//! `Yes` for the same person and `No` for two people, paths relative to the
//! folder). Each photo is encoded once; each pair is decided by distance ≤
//! threshold.
//!
//! Rates, in percent of pairs:
//! - accuracy: pairs decided right; a pair with a photo that fails (no face,
//!   several faces, unreadable) is wrong whatever its label;
//! - far (false match): different-person pairs decided "same";
//! - frr (false non-match): same-person pairs decided "different", or whose
//!   photo failed (a resident who cannot be matched is rejected).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::{BiometricsError as Error, FaceEmbedding, FaceEncoder};

/// One labelled pair that could not be compared.
#[derive(Clone, Debug, PartialEq)]
pub struct PairFailure {
    /// First photo, as written in `master.csv`.
    pub file_x: String,
    /// Second photo.
    pub file_y: String,
    /// The label: `true` for the same person.
    pub same_person: bool,
    /// The first photo's error: its code and message.
    pub error: String,
}

/// What [`evaluate_face_pairs`] measured.
#[derive(Clone, Debug)]
pub struct FaceEvaluation {
    /// Distance at or under which a pair is decided "same person".
    pub threshold: f32,
    /// Labelled pairs in the file.
    pub pairs: usize,
    /// Distances of the compared same-person pairs.
    pub genuine: Vec<f32>,
    /// Distances of the compared different-person pairs.
    pub impostor: Vec<f32>,
    /// Same-person pairs that were compared plus those that failed.
    pub genuine_pairs: usize,
    /// Different-person pairs that were compared plus those that failed.
    pub impostor_pairs: usize,
    /// Pairs whose photos could not be encoded.
    pub failures: Vec<PairFailure>,
}

impl FaceEvaluation {
    /// Different-person pairs at or under the threshold.
    pub fn false_matches(&self) -> usize {
        self.impostor.iter().filter(|d| **d <= self.threshold).count()
    }

    /// Same-person pairs over the threshold or with a failed photo.
    pub fn false_non_matches(&self) -> usize {
        let failed = self.failures.iter().filter(|f| f.same_person).count();
        self.genuine.iter().filter(|d| **d > self.threshold).count() + failed
    }

    /// Pairs decided right.
    pub fn correct(&self) -> usize {
        self.pairs
            - self.false_matches()
            - self.false_non_matches()
            - self.failures.iter().filter(|f| !f.same_person).count()
    }

    /// Percentage of pairs decided right.
    pub fn accuracy(&self) -> f64 {
        percent(self.correct(), self.pairs)
    }

    /// False match rate, percent of different-person pairs.
    pub fn false_match_rate(&self) -> f64 {
        percent(self.false_matches(), self.impostor_pairs)
    }

    /// False non-match rate, percent of same-person pairs.
    pub fn false_non_match_rate(&self) -> f64 {
        percent(self.false_non_matches(), self.genuine_pairs)
    }

    /// The machine-readable summary, percentages with two decimals:
    /// `face pairs=300 accuracy=99.67% far=0.38% frr=0.00%`.
    pub fn summary_line(&self) -> String {
        format!(
            "face pairs={} accuracy={:.2}% far={:.2}% frr={:.2}%",
            self.pairs,
            self.accuracy(),
            self.false_match_rate(),
            self.false_non_match_rate()
        )
    }
}

/// The report for people: distributions, a histogram, the failed pairs, and
/// last the [`FaceEvaluation::summary_line`].
impl fmt::Display for FaceEvaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "threshold (distance) {:.2}", self.threshold)?;
        for (name, distances) in [("genuine", &self.genuine), ("impostor", &self.impostor)] {
            writeln!(f, "{name:<8} {}", Summary::of(distances))?;
        }
        writeln!(f, "distance   genuine  impostor")?;
        for bin in histogram(&self.genuine, &self.impostor) {
            writeln!(f, "{bin}")?;
        }
        for failure in &self.failures {
            writeln!(
                f,
                "failed   {},{} ({}): {}",
                failure.file_x,
                failure.file_y,
                if failure.same_person { "Yes" } else { "No" },
                failure.error
            )?;
        }
        writeln!(
            f,
            "correct {}/{}  false matches {}/{}  false non-matches {}/{}",
            self.correct(),
            self.pairs,
            self.false_matches(),
            self.impostor_pairs,
            self.false_non_matches(),
            self.genuine_pairs
        )?;
        write!(f, "{}", self.summary_line())
    }
}

/// Reads `dir/master.csv`, encodes each photo it names once, and decides
/// each pair at `threshold`. `progress(done, total)` is called after each
/// photo.
pub fn evaluate_face_pairs(
    encoder: &FaceEncoder,
    dir: &Path,
    threshold: f32,
    mut progress: impl FnMut(usize, usize),
) -> Result<FaceEvaluation, Error> {
    let pairs = read_pairs(dir)?;
    let mut photos: BTreeMap<&str, Result<FaceEmbedding, String>> = BTreeMap::new();
    for (x, y, _) in &pairs {
        photos.insert(x, Err(String::new()));
        photos.insert(y, Err(String::new()));
    }
    let total = photos.len();
    for (done, (file, result)) in photos.iter_mut().enumerate() {
        let path = dir.join(file);
        *result = match std::fs::read(&path) {
            Ok(bytes) => encoder.encode(&bytes).map_err(|error| format!("{}: {error}", error.code())),
            Err(error) => Err(format!("{}: {error}", path.display())),
        };
        progress(done + 1, total);
    }
    let mut evaluation = FaceEvaluation {
        threshold,
        pairs: pairs.len(),
        genuine: Vec::new(),
        impostor: Vec::new(),
        genuine_pairs: 0,
        impostor_pairs: 0,
        failures: Vec::new(),
    };
    for (x, y, same_person) in &pairs {
        if *same_person {
            evaluation.genuine_pairs += 1;
        } else {
            evaluation.impostor_pairs += 1;
        }
        match (&photos[x.as_str()], &photos[y.as_str()]) {
            (Ok(a), Ok(b)) if *same_person => evaluation.genuine.push(a.distance(b)),
            (Ok(a), Ok(b)) => evaluation.impostor.push(a.distance(b)),
            (Err(error), _) | (_, Err(error)) => evaluation.failures.push(PairFailure {
                file_x: x.clone(),
                file_y: y.clone(),
                same_person: *same_person,
                error: error.clone(),
            }),
        }
    }
    Ok(evaluation)
}

/// The labelled pairs: (file_x, file_y, same person).
fn read_pairs(dir: &Path) -> Result<Vec<(String, String, bool)>, Error> {
    let path = dir.join("master.csv");
    let bad = |detail: String| Error::EvaluationData { path: path.clone(), detail };
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).from_path(&path).map_err(|error| bad(error.to_string()))?;
    let mut pairs = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|error| bad(error.to_string()))?;
        let line = row + 2;
        let (Some(x), Some(y), Some(decision)) = (record.get(0), record.get(1), record.get(2)) else {
            return Err(bad(format!("baris {line}: perlu file_x,file_y,Decision")));
        };
        let same_person = match decision {
            "Yes" => true,
            "No" => false,
            other => {
                return Err(bad(format!("baris {line}: Decision harus Yes atau No, bukan {other:?}")));
            }
        };
        pairs.push((x.to_owned(), y.to_owned(), same_person));
    }
    if pairs.is_empty() {
        return Err(bad("tidak ada pasangan".into()));
    }
    Ok(pairs)
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

/// Minimum, median and maximum of a set of distances.
struct Summary {
    count: usize,
    min_median_max: Option<(f32, f32, f32)>,
}

impl Summary {
    fn of(distances: &[f32]) -> Summary {
        let mut sorted = distances.to_vec();
        sorted.sort_unstable_by(f32::total_cmp);
        let min_median_max = match (sorted.first(), sorted.last()) {
            (Some(min), Some(max)) => Some((*min, sorted[sorted.len() / 2], *max)),
            _ => None,
        };
        Summary { count: sorted.len(), min_median_max }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.min_median_max {
            Some((min, median, max)) => write!(f, "n={:<4} min {min:.3}  median {median:.3}  max {max:.3}", self.count),
            None => write!(f, "n=0"),
        }
    }
}

/// Rows of a text histogram of distances in bins of 0.1 from 0 to 1.2 (the
/// last bin takes everything beyond), one `#` per pair up to 40.
fn histogram(genuine: &[f32], impostor: &[f32]) -> Vec<String> {
    const BINS: usize = 12;
    let bin = |d: &f32| ((d / 0.1).max(0.0) as usize).min(BINS - 1);
    let mut counts = [[0usize; 2]; BINS];
    for d in genuine {
        counts[bin(d)][0] += 1;
    }
    for d in impostor {
        counts[bin(d)][1] += 1;
    }
    let bar = |n: usize| "#".repeat(n.min(40)) + if n > 40 { "…" } else { "" };
    counts
        .iter()
        .enumerate()
        .map(|(i, [g, m])| {
            let upper = if i + 1 == BINS { "  ∞".to_owned() } else { format!("{:.1}", (i + 1) as f32 / 10.0) };
            format!("{:.1}–{upper}  {g:>7}  {m:>8}  {}|{}", i as f32 / 10.0, bar(*g), bar(*m))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    // Tests rely on known-good fixtures and may unwrap/expect/panic.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::DEFAULT_THRESHOLD;
    use crate::face_test_data::{biometrics_data, encoder};

    fn evaluation(genuine: Vec<f32>, impostor: Vec<f32>, failures: Vec<PairFailure>) -> FaceEvaluation {
        let failed = |same: bool| failures.iter().filter(|f| f.same_person == same).count();
        FaceEvaluation {
            threshold: 0.6,
            pairs: genuine.len() + impostor.len() + failures.len(),
            genuine_pairs: genuine.len() + failed(true),
            impostor_pairs: impostor.len() + failed(false),
            genuine,
            impostor,
            failures,
        }
    }

    fn failure(same_person: bool) -> PairFailure {
        PairFailure {
            file_x: "a.jpg".into(),
            file_y: "b.jpg".into(),
            same_person,
            error: "face.no_face: tidak ada wajah".into(),
        }
    }

    #[test]
    fn rates_count_failed_photos_as_errors() {
        let result =
            evaluation(vec![0.3, 0.5, 0.61], vec![0.9, 0.6, 1.0, 0.8, 0.7], vec![failure(true), failure(false)]);
        assert_eq!(result.pairs, 10);
        assert_eq!(result.false_matches(), 1);
        assert_eq!(result.false_non_matches(), 2);
        assert_eq!(result.correct(), 6);
        assert_eq!(result.summary_line(), "face pairs=10 accuracy=60.00% far=16.67% frr=50.00%");
        let report = result.to_string();
        assert!(report.contains("failed   a.jpg,b.jpg (Yes): face.no_face"), "{report}");
        assert!(report.ends_with("\nface pairs=10 accuracy=60.00% far=16.67% frr=50.00%"));
    }

    #[test]
    fn a_folder_without_pairs_or_with_bad_labels_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_pairs(dir.path()).unwrap_err();
        assert_eq!(error.code(), "eval.bad_data");
        std::fs::write(dir.path().join("master.csv"), "file_x,file_y,Decision\na,b,Maybe\n").unwrap();
        let error = read_pairs(dir.path()).unwrap_err();
        assert!(error.to_string().contains("baris 2"), "{error}");
    }

    #[test]
    fn pairs_with_a_group_photo_are_listed_as_failures() {
        let (Some(encoder), Some(data)) = (encoder(), biometrics_data()) else {
            return;
        };
        let faces = data.join("faces/deepface");
        let dir = tempfile::tempdir().unwrap();
        let photo = |name: &str| faces.join(name).display().to_string();
        std::fs::write(
            dir.path().join("master.csv"),
            format!(
                "file_x,file_y,Decision\r\n{},{},Yes\r\n{},{},No\r\n{},{},No",
                photo("img20.jpg"),
                photo("img21.jpg"),
                photo("img20.jpg"),
                photo("img16.jpg"),
                photo("couple.jpg"),
                photo("img16.jpg"),
            ),
        )
        .unwrap();
        let mut calls = Vec::new();
        let result =
            evaluate_face_pairs(encoder, dir.path(), DEFAULT_THRESHOLD, |done, total| calls.push((done, total)))
                .unwrap();
        assert_eq!(calls.last(), Some(&(4, 4)));
        assert_eq!((result.genuine.len(), result.impostor.len()), (1, 1));
        assert_eq!(result.failures.len(), 1);
        assert!(result.failures[0].error.starts_with("face.many_faces"));
        assert_eq!(result.summary_line(), "face pairs=3 accuracy=66.67% far=0.00% frr=0.00%");
    }

    /// The target: ≥ 99 % of the 300 deepface pairs right.
    #[test]
    fn the_deepface_pairs_are_at_least_99_percent_right() {
        let (Some(encoder), Some(data)) = (encoder(), biometrics_data()) else {
            return;
        };
        let result = evaluate_face_pairs(encoder, &data.join("faces/deepface"), DEFAULT_THRESHOLD, |_, _| {}).unwrap();
        assert_eq!(result.pairs, 300);
        assert!(result.accuracy() >= 99.0, "{result}");
    }
}

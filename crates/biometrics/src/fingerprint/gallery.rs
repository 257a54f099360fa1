//! 1:N identification: enrolled fingers, each with several impressions,
//! keyed by NIK and finger position.
//!
//! A probe is compared with every impression of every finger; a finger's
//! score is the best over its impressions (several impressions cover more
//! of the finger than one and forgive one poor capture). The search is
//! exhaustive and linear: for each probe, (enrolled impressions) bozorth3
//! comparisons under one hold of the bozorth3 lock (see
//! [`Matcher`]); BENCHMARKS.md gives the time for 10,000 fingers.

use std::collections::HashMap;

use super::{FingerprintTemplate, Matcher, PreparedTemplate};
use crate::error::Result;

/// A finger, by its ISO/IEC 19794-2 finger position code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FingerPosition {
    /// 0: not known.
    Unknown,
    /// 1: right thumb.
    RightThumb,
    /// 2: right index finger.
    RightIndex,
    /// 3: right middle finger.
    RightMiddle,
    /// 4: right ring finger.
    RightRing,
    /// 5: right little finger.
    RightLittle,
    /// 6: left thumb.
    LeftThumb,
    /// 7: left index finger.
    LeftIndex,
    /// 8: left middle finger.
    LeftMiddle,
    /// 9: left ring finger.
    LeftRing,
    /// 10: left little finger.
    LeftLittle,
}

impl FingerPosition {
    const ALL: [FingerPosition; 11] = [
        FingerPosition::Unknown,
        FingerPosition::RightThumb,
        FingerPosition::RightIndex,
        FingerPosition::RightMiddle,
        FingerPosition::RightRing,
        FingerPosition::RightLittle,
        FingerPosition::LeftThumb,
        FingerPosition::LeftIndex,
        FingerPosition::LeftMiddle,
        FingerPosition::LeftRing,
        FingerPosition::LeftLittle,
    ];

    /// The ISO code 0–10.
    pub fn iso_code(self) -> u8 {
        self as u8
    }

    /// The position with ISO code `code`, if it is 0–10.
    pub fn from_iso_code(code: u8) -> Option<Self> {
        Self::ALL.get(usize::from(code)).copied()
    }
}

/// Who a probe was identified as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identification {
    /// The resident's NIK, as enrolled.
    pub nik: String,
    /// Which of the resident's fingers.
    pub finger: FingerPosition,
    /// bozorth3 score of the best impression (≥ the gallery's threshold).
    pub score: u32,
}

#[derive(Debug)]
struct EnrolledFinger {
    nik: String,
    finger: FingerPosition,
    impressions: Vec<PreparedTemplate>,
}

/// Enrolled fingers for 1:N identification.
#[derive(Debug)]
pub struct FingerprintGallery {
    threshold: u32,
    fingers: Vec<EnrolledFinger>,
    by_key: HashMap<(String, FingerPosition), usize>,
}

impl FingerprintGallery {
    /// An empty gallery that identifies at `threshold` or above
    /// (normally [`DEFAULT_THRESHOLD`](super::DEFAULT_THRESHOLD)).
    pub fn new(threshold: u32) -> Self {
        FingerprintGallery { threshold, fingers: Vec::new(), by_key: HashMap::new() }
    }

    /// The identification threshold.
    pub fn threshold(&self) -> u32 {
        self.threshold
    }

    /// Adds one impression of `finger` of the resident `nik`.
    pub fn enrol(&mut self, nik: &str, finger: FingerPosition, template: &FingerprintTemplate) -> Result<()> {
        let prepared = template.prepare()?;
        self.enrol_prepared(nik, finger, prepared);
        Ok(())
    }

    /// [`enrol`](Self::enrol) of an already prepared template.
    pub fn enrol_prepared(&mut self, nik: &str, finger: FingerPosition, template: PreparedTemplate) {
        let index = *self.by_key.entry((nik.to_owned(), finger)).or_insert_with(|| {
            self.fingers.push(EnrolledFinger { nik: nik.to_owned(), finger, impressions: Vec::new() });
            self.fingers.len() - 1
        });
        if let Some(enrolled) = self.fingers.get_mut(index) {
            enrolled.impressions.push(template);
        }
    }

    /// Enrols `finger` of `nik` with exactly `impressions`, dropping those
    /// enrolled for it before (a re-enrolment).
    pub fn replace(&mut self, nik: &str, finger: FingerPosition, impressions: Vec<PreparedTemplate>) {
        match self.by_key.get(&(nik.to_owned(), finger)).and_then(|&index| self.fingers.get_mut(index)) {
            Some(enrolled) => enrolled.impressions = impressions,
            None => {
                self.by_key.insert((nik.to_owned(), finger), self.fingers.len());
                self.fingers.push(EnrolledFinger { nik: nik.to_owned(), finger, impressions });
            }
        }
    }

    /// Number of enrolled fingers.
    pub fn len(&self) -> usize {
        self.fingers.len()
    }

    /// Whether nothing is enrolled.
    pub fn is_empty(&self) -> bool {
        self.fingers.is_empty()
    }

    /// Number of enrolled impressions over all fingers.
    pub fn impressions(&self) -> usize {
        self.fingers.iter().map(|f| f.impressions.len()).sum()
    }

    /// The enrolled finger scoring highest against `probe`, if its score
    /// reaches the threshold; `None` means "not found". Ties go to the
    /// finger enrolled first.
    pub fn identify(&self, probe: &FingerprintTemplate) -> Result<Option<Identification>> {
        let probe = probe.prepare()?;
        Ok(self.identify_prepared(&probe))
    }

    /// [`identify`](Self::identify) of a prepared probe.
    pub fn identify_prepared(&self, probe: &PreparedTemplate) -> Option<Identification> {
        let scores = self.finger_scores(probe);
        let (best, score) =
            scores.into_iter().enumerate().fold(None, |best: Option<(usize, u32)>, (i, s)| match best {
                Some((_, b)) if b >= s => best,
                _ => Some((i, s)),
            })?;
        let finger = self.fingers.get(best)?;
        (score >= self.threshold).then(|| Identification { nik: finger.nik.clone(), finger: finger.finger, score })
    }

    /// Every enrolled finger's score against `probe` (best impression), in
    /// enrolment order; see [`finger`](Self::finger) for which finger each is.
    pub fn finger_scores(&self, probe: &PreparedTemplate) -> Vec<u32> {
        let matcher = Matcher::lock();
        self.fingers
            .iter()
            .map(|finger| {
                finger.impressions.iter().map(|impression| matcher.score(probe, impression)).max().unwrap_or(0)
            })
            .collect()
    }

    /// The NIK and position of the `index`-th enrolled finger.
    pub fn finger(&self, index: usize) -> Option<(&str, FingerPosition)> {
        self.fingers.get(index).map(|finger| (finger.nik.as_str(), finger.finger))
    }
}

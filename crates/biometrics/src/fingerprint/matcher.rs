//! bozorth3 matching, one comparison at a time.
//!
//! **Why a global lock.** NIST's bozorth3 keeps its working tables
//! (`colp`, `scols`, `fcols`, `yl`, … in `bz_gbls.c`) in process-wide C
//! globals and rewrites them on every comparison; nbis-rs's
//! `Minutiae::compare` calls it with no synchronisation. Two comparisons at
//! once on two threads corrupt each other's tables: four threads comparing
//! FVC2002 templates through nbis-rs directly gave a different score from
//! the sequential one in 306 of 2,000 comparisons. So every comparison in Gerbang
//! goes through [`Matcher`], which holds one process-wide mutex; nothing
//! else in the workspace may call `nbis::Minutiae::compare`. Comparisons
//! therefore use one core; a 1:N search takes the lock once for the whole
//! scan ([`Matcher::lock`]) rather than once per comparison.
//!
//! mindtct (extraction) keeps no mutable globals and runs unlocked.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::{FingerprintTemplate, MATCH_MINUTIAE};
use crate::error::{BiometricsError, Result};

static BOZORTH3: Mutex<()> = Mutex::new(());

/// A template converted once to the form bozorth3 reads, so a gallery
/// does not convert its templates again for every probe: its
/// [`MATCH_MINUTIAE`] most reliable minutiae.
#[derive(Debug, Clone)]
pub struct PreparedTemplate {
    minutiae: nbis::Minutiae,
    count: usize,
}

impl PreparedTemplate {
    pub(super) fn new(template: &FingerprintTemplate) -> Result<Self> {
        // The record is one this crate wrote: one view, at most
        // MATCH_MINUTIAE minutiae, so nbis-rs's reader (see `iso`) is safe
        // on it.
        let best = FingerprintTemplate::from_minutiae(
            template.width(),
            template.height(),
            template.minutiae().iter().take(MATCH_MINUTIAE).copied().collect(),
        );
        let minutiae = nbis::load_iso_19794_2_2005(&best.to_iso())
            .map_err(|error| BiometricsError::bad_template(error.to_string()))?;
        Ok(PreparedTemplate { minutiae, count: best.minutiae().len() })
    }

    /// How many minutiae are compared (at most [`MATCH_MINUTIAE`]).
    pub fn minutiae_count(&self) -> usize {
        self.count
    }
}

/// Exclusive use of bozorth3 while it is held.
///
/// Scores are bozorth3's: 0 for unrelated prints, rising with the number
/// of mutually compatible minutia pairs; compare with
/// [`DEFAULT_THRESHOLD`](super::DEFAULT_THRESHOLD).
pub struct Matcher {
    _bozorth3: MutexGuard<'static, ()>,
}

impl Matcher {
    /// Waits for bozorth3 and holds it until the `Matcher` is dropped.
    pub fn lock() -> Matcher {
        // The lock guards no Rust data and bozorth3 rebuilds its tables on
        // each call, so a thread that panicked while holding it left
        // nothing to repair: take the lock back.
        let guard = BOZORTH3.lock().unwrap_or_else(PoisonError::into_inner);
        Matcher { _bozorth3: guard }
    }

    /// bozorth3's score of `probe` against `candidate`.
    pub fn score(&self, probe: &PreparedTemplate, candidate: &PreparedTemplate) -> u32 {
        u32::try_from(probe.minutiae.compare(&candidate.minutiae)).unwrap_or(0)
    }

    /// One comparison: locks, scores, unlocks.
    pub fn score_once(probe: &PreparedTemplate, candidate: &PreparedTemplate) -> u32 {
        Matcher::lock().score(probe, candidate)
    }
}

//! A deterministic synthetic population for Gerbang (issue "Foundation"):
//! households with a head, a spouse, children and sometimes parents or
//! grandchildren, sharing one NO_KK and address; NIKs consistent with each
//! person's district, birth date and sex; names that follow the naming
//! culture of the region; religion, education and occupation plausible for
//! age and region; a small share deceased, inactive and duplicate-flagged.
//!
//! Determinism: the plan (resident count, seed, reference date) fixes how
//! many residents each district gets, and each district draws from its own
//! random stream seeded by `(seed, district)`. The same plan therefore gives
//! the same register whatever order districts are generated in.

mod attributes;
mod household;
pub mod names;
mod naming;

use chrono::NaiveDate;
use gerbang_core::Regions;
use gerbang_store::Household;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use household::DistrictGenerator;

/// The most residents one run may generate: the national register is about
/// 280 million; a little headroom, no more.
pub const MAX_RESIDENTS: u64 = 300_000_000;

/// Why a plan cannot be generated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Zero residents asked for.
    #[error("jumlah penduduk harus lebih dari 0")]
    Empty,
    /// More than [`MAX_RESIDENTS`].
    #[error("jumlah penduduk {0} melebihi batas {MAX_RESIDENTS} (seluruh Indonesia sekitar 280 juta)")]
    TooMany(u64),
    /// A reference date outside the era of NIKs and family cards.
    #[error("tanggal acuan {0} harus antara 2000-01-01 dan 2099-12-31")]
    AsOfOutOfRange(NaiveDate),
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Exactly this many residents.
    pub residents: u64,
    /// The random seed.
    pub seed: u64,
    /// The day the register describes: nobody is born or dies after it.
    pub as_of: NaiveDate,
}

/// The default reference date. Fixed, so that a seed alone reproduces a
/// register on any day it is run.
pub fn default_as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()
}

impl Plan {
    /// A checked plan.
    pub fn new(residents: u64, seed: u64, as_of: NaiveDate) -> Result<Self, PlanError> {
        let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
        let last = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or_default();
        match residents {
            0 => Err(PlanError::Empty),
            n if n > MAX_RESIDENTS => Err(PlanError::TooMany(n)),
            _ if !(first..=last).contains(&as_of) => Err(PlanError::AsOfOutOfRange(as_of)),
            _ => Ok(Plan { residents, seed, as_of }),
        }
    }
}

/// How many residents one district receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DistrictQuota {
    /// Six-digit district code.
    pub district: u64,
    /// Residents to generate there.
    pub residents: u64,
}

/// A random stream for one purpose of one plan, independent of all others.
pub(crate) fn stream(seed: u64, purpose: u64) -> ChaCha8Rng {
    // SplitMix64 finalizer: neighbouring (seed, purpose) pairs get unrelated keys.
    let mut z = seed ^ purpose.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ChaCha8Rng::seed_from_u64(z ^ (z >> 31))
}

/// Splits the plan's residents over all districts: by province population,
/// evenly over the districts of a province with ±50 % seeded jitter, rounded
/// by largest remainder so the total is exact. Districts with no residents
/// are left out.
pub fn district_quotas(plan: &Plan, regions: &Regions) -> Vec<DistrictQuota> {
    let mut jitter = stream(plan.seed, u64::MAX);
    let weights: Vec<(u64, f64)> = regions
        .districts()
        .iter()
        .map(|district| {
            let province = district.code / 10_000;
            let province_districts =
                regions.regencies_of(province).iter().map(|r| regions.districts_of(r.code).len()).sum::<usize>().max(1);
            let population = names::PROVINCE_POPULATION
                .iter()
                .find(|(code, _)| u64::from(*code) == province)
                .map_or(100, |(_, thousands)| *thousands);
            let weight = f64::from(population) / province_districts as f64 * jitter.random_range(0.5..1.5);
            (district.code, weight)
        })
        .collect();
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    let mut quotas: Vec<(u64, u64, f64)> = weights
        .iter()
        .map(|(code, weight)| {
            let exact = plan.residents as f64 * weight / total;
            (*code, exact.floor() as u64, exact.fract())
        })
        .collect();
    let assigned: u64 = quotas.iter().map(|q| q.1).sum();
    let mut by_remainder: Vec<usize> = (0..quotas.len()).collect();
    by_remainder.sort_by(|a, b| quotas[*b].2.total_cmp(&quotas[*a].2).then(a.cmp(b)));
    for index in by_remainder.into_iter().cycle().take(plan.residents.saturating_sub(assigned) as usize) {
        quotas[index].1 += 1;
    }
    quotas
        .into_iter()
        .filter(|q| q.1 > 0)
        .map(|(district, residents, _)| DistrictQuota { district, residents })
        .collect()
}

/// Generates the households of one district for a plan.
pub fn district_households(plan: &Plan, quota: DistrictQuota, regions: &Regions) -> Vec<Household> {
    DistrictGenerator::new(plan, quota.district, regions).generate(quota.residents)
}

#[cfg(test)]
mod tests;

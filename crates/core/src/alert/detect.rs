//! The detectors: pure decisions over what one User ID did recently, with
//! time injected through each [`Observation`]. A [`Watch`] holds one User
//! ID's recent answered calls (at most [`REMEMBERED`], none older than the
//! longest window) and, at each new call, says which detectors fire.
//!
//! - **Sequential scanning** ([`AlertKind::SequentialScan`]): at least
//!   [`SEQUENTIAL_THRESHOLD`] distinct NIKs asked within
//!   [`SEQUENTIAL_WINDOW`] that form one chain where each is at most
//!   [`SEQUENTIAL_MAX_GAP`] above the one before (as numbers). Real
//!   residents born the same day in the same district have neighbouring
//!   NIKs, so walking the serial numbers finds them; a legitimate service
//!   asks about the people in front of it, whose NIKs are far apart.
//! - **Random scanning** ([`AlertKind::NotFoundScan`]): at least
//!   [`NOT_FOUND_THRESHOLD`] "tidak ditemukan" answers within
//!   [`NOT_FOUND_WINDOW`]: guessed NIKs mostly do not exist, while a
//!   service checking people's documents rarely mistypes that often.
//! - **Off-hours bulk** ([`AlertKind::OffHoursBulk`]): at least
//!   [`OFF_HOURS_THRESHOLD`] data-bearing answers (elements returned) within
//!   [`OFF_HOURS_WINDOW`], all outside working hours in Asia/Jakarta
//!   ([`WORKDAY_START_HOUR`]–[`WORKDAY_END_HOUR`] WIB, every day).
//!
//! Once a detector fires, the calls it counted are spent: it fires again
//! only on as many new ones, so a long scan yields one sighting per
//! threshold's worth of calls, which storage merges into one open alert.

use std::collections::{BTreeSet, VecDeque};

use chrono::{DateTime, Duration, Timelike, Utc};

use crate::alert::AlertKind;
use crate::clock::JAKARTA;

/// How far back sequential scanning is looked for.
pub const SEQUENTIAL_WINDOW: Duration = Duration::minutes(10);
/// The largest step between neighbouring NIKs of one chain.
pub const SEQUENTIAL_MAX_GAP: u64 = 10;
/// Distinct NIKs in one chain that make a scan.
pub const SEQUENTIAL_THRESHOLD: usize = 20;

/// How far back "tidak ditemukan" answers are counted.
pub const NOT_FOUND_WINDOW: Duration = Duration::minutes(10);
/// "Tidak ditemukan" answers that make a random scan.
pub const NOT_FOUND_THRESHOLD: usize = 30;

/// How far back off-hours data-bearing answers are counted.
pub const OFF_HOURS_WINDOW: Duration = Duration::hours(1);
/// Off-hours data-bearing answers that make bulk access.
pub const OFF_HOURS_THRESHOLD: usize = 50;
/// Working hours begin at this Jakarta hour (inclusive).
pub const WORKDAY_START_HOUR: u32 = 7;
/// Working hours end at this Jakarta hour (exclusive).
pub const WORKDAY_END_HOUR: u32 = 19;

/// Calls remembered per User ID at most, whatever their age: bounds the
/// memory a busy account takes (well above every threshold).
pub const REMEMBERED: usize = 1024;

/// One answered call of a User ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observation {
    /// When it arrived.
    pub at: DateTime<Utc>,
    /// The NIK asked about, as a number (`None` for searches).
    pub nik: Option<u64>,
    /// Whether the answer was "tidak ditemukan".
    pub not_found: bool,
    /// Whether the answer carried elements (data left the registry).
    pub data_bearing: bool,
}

/// A detector that fired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which.
    pub kind: AlertKind,
    /// The calls it counted.
    pub count: u64,
    /// What was seen, in Bahasa Indonesia (no NIK).
    pub detail: String,
}

/// Whether `at` falls outside working hours in Asia/Jakarta.
pub fn is_off_hours(at: DateTime<Utc>) -> bool {
    let hour = at.with_timezone(&JAKARTA).hour();
    !(WORKDAY_START_HOUR..WORKDAY_END_HOUR).contains(&hour)
}

/// The length of the longest chain of distinct `niks` in which each is at
/// most [`SEQUENTIAL_MAX_GAP`] above the one before.
pub fn longest_chain(niks: impl IntoIterator<Item = u64>) -> usize {
    let distinct: BTreeSet<u64> = niks.into_iter().collect();
    let (mut longest, mut current, mut previous) = (0, 0, None::<u64>);
    for nik in distinct {
        current = match previous {
            Some(before) if nik - before <= SEQUENTIAL_MAX_GAP => current + 1,
            _ => 1,
        };
        longest = longest.max(current);
        previous = Some(nik);
    }
    longest
}

/// One remembered call with its place in the User ID's sequence.
#[derive(Debug, Clone, Copy)]
struct Seen {
    number: u64,
    observation: Observation,
}

/// One User ID's recent calls and what the detectors already counted.
#[derive(Debug, Default)]
pub struct Watch {
    seen: VecDeque<Seen>,
    next: u64,
    /// Per detector (in [`DETECTORS`] order): calls numbered at or below
    /// this were counted by a finding already.
    spent: [u64; 3],
}

/// The detectors in their `Watch::spent` order.
const DETECTORS: [AlertKind; 3] = [AlertKind::SequentialScan, AlertKind::NotFoundScan, AlertKind::OffHoursBulk];

impl Watch {
    /// Adds `observation` and answers the detectors that fire with it.
    pub fn observe(&mut self, observation: Observation) -> Vec<Finding> {
        self.next += 1;
        self.seen.push_back(Seen { number: self.next, observation });
        let oldest = observation.at - SEQUENTIAL_WINDOW.max(NOT_FOUND_WINDOW).max(OFF_HOURS_WINDOW);
        while self.seen.front().is_some_and(|s| s.observation.at < oldest) || self.seen.len() > REMEMBERED {
            self.seen.pop_front();
        }
        let mut findings = Vec::new();
        for (index, kind) in DETECTORS.into_iter().enumerate() {
            let spent = self.spent[index];
            let fresh = self.seen.iter().filter(|s| s.number > spent).map(|s| &s.observation);
            if let Some(finding) = detect(kind, observation.at, fresh) {
                self.spent[index] = self.next;
                findings.push(finding);
            }
        }
        findings
    }
}

/// Whether detector `kind` fires at `now` over `calls` (not yet counted).
pub fn detect<'a>(
    kind: AlertKind,
    now: DateTime<Utc>,
    calls: impl Iterator<Item = &'a Observation>,
) -> Option<Finding> {
    let within = |window: Duration| move |o: &&Observation| now - o.at < window;
    match kind {
        AlertKind::SequentialScan => {
            let chain = longest_chain(calls.filter(within(SEQUENTIAL_WINDOW)).filter_map(|o| o.nik));
            (chain >= SEQUENTIAL_THRESHOLD).then(|| Finding {
                kind,
                count: chain as u64,
                detail: format!(
                    "{chain} NIK berurutan (selisih paling banyak {SEQUENTIAL_MAX_GAP}) diminta dalam {} menit",
                    SEQUENTIAL_WINDOW.num_minutes()
                ),
            })
        }
        AlertKind::NotFoundScan => {
            let missed = calls.filter(within(NOT_FOUND_WINDOW)).filter(|o| o.not_found).count();
            (missed >= NOT_FOUND_THRESHOLD).then(|| Finding {
                kind,
                count: missed as u64,
                detail: format!("{missed} jawaban \"tidak ditemukan\" dalam {} menit", NOT_FOUND_WINDOW.num_minutes()),
            })
        }
        AlertKind::OffHoursBulk => {
            if !is_off_hours(now) {
                return None;
            }
            let bulk = calls.filter(within(OFF_HOURS_WINDOW)).filter(|o| o.data_bearing && is_off_hours(o.at)).count();
            (bulk >= OFF_HOURS_THRESHOLD).then(|| Finding {
                kind,
                count: bulk as u64,
                detail: format!(
                    "{bulk} akses berisi data di luar jam kerja ({WORKDAY_START_HOUR:02}.00–{WORKDAY_END_HOUR:02}.00 WIB) dalam {} menit",
                    OFF_HOURS_WINDOW.num_minutes()
                ),
            })
        }
        AlertKind::Canary => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// 10:00 WIB on a working day.
    fn office() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0).unwrap()
    }

    /// 23:00 WIB.
    fn night() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 16, 0, 0).unwrap()
    }

    const FIRST: u64 = 3313_0101_9000_0001;

    fn call(at: DateTime<Utc>, nik: u64, not_found: bool) -> Observation {
        Observation { at, nik: Some(nik), not_found, data_bearing: !not_found }
    }

    fn kinds(findings: &[Finding]) -> Vec<AlertKind> {
        findings.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn sequential_niks_fire_at_the_threshold_and_not_one_below() {
        let mut watch = Watch::default();
        for step in 0..SEQUENTIAL_THRESHOLD as u64 - 1 {
            let at = office() + Duration::seconds(step as i64);
            assert!(watch.observe(call(at, FIRST + step, false)).is_empty(), "call {step}");
        }
        let last = watch.observe(call(office() + Duration::seconds(30), FIRST + 40, false));
        assert!(last.is_empty(), "a NIK far from the chain does not extend it");
        let fired = watch.observe(call(office() + Duration::seconds(31), FIRST + 18 + SEQUENTIAL_MAX_GAP, false));
        assert_eq!(kinds(&fired), [AlertKind::SequentialScan]);
        assert_eq!(fired[0].count, SEQUENTIAL_THRESHOLD as u64);
        assert!(!fired[0].detail.contains("3313"), "no NIK in the detail");
        let again = watch.observe(call(office() + Duration::seconds(32), FIRST + 20 + SEQUENTIAL_MAX_GAP, false));
        assert!(again.is_empty(), "the counted calls are spent");
    }

    #[test]
    fn a_chain_spread_over_more_than_the_window_does_not_fire() {
        let mut watch = Watch::default();
        let spacing = SEQUENTIAL_WINDOW / (SEQUENTIAL_THRESHOLD as i32 - 1) + Duration::seconds(1);
        for step in 0..SEQUENTIAL_THRESHOLD as u64 * 2 {
            let at = office() + spacing * step as i32;
            assert!(watch.observe(call(at, FIRST + step, false)).is_empty());
        }
    }

    #[test]
    fn gaps_and_duplicates_in_a_chain() {
        assert_eq!(longest_chain([5, 5, 6, 6 + SEQUENTIAL_MAX_GAP, 7 + 2 * SEQUENTIAL_MAX_GAP]), 3);
        assert_eq!(longest_chain([]), 0);
        assert_eq!(longest_chain([1, 100, 200]), 1);
    }

    #[test]
    fn not_found_answers_fire_at_the_threshold_and_not_one_below() {
        let mut watch = Watch::default();
        // Far-apart guesses: random scanning, not sequential.
        let guess = |n: u64| FIRST + n * 1_000_000;
        for n in 0..NOT_FOUND_THRESHOLD as u64 - 1 {
            assert!(watch.observe(call(office(), guess(n), true)).is_empty());
            assert!(watch.observe(call(office(), guess(n) + 500, false)).is_empty(), "found answers do not count");
        }
        let fired = watch.observe(call(office(), guess(99), true));
        assert_eq!(kinds(&fired), [AlertKind::NotFoundScan]);
        assert_eq!(fired[0].count, NOT_FOUND_THRESHOLD as u64);
    }

    #[test]
    fn not_found_answers_older_than_the_window_do_not_count() {
        let mut watch = Watch::default();
        for n in 0..NOT_FOUND_THRESHOLD as u64 - 1 {
            watch.observe(call(office(), FIRST + n * 1_000_000, true));
        }
        let later = office() + NOT_FOUND_WINDOW;
        assert!(watch.observe(call(later, FIRST + 99_000_000, true)).is_empty());
    }

    #[test]
    fn working_hours_are_seven_to_nineteen_in_jakarta() {
        let at = |hour: u32, minute: u32| {
            let utc = (hour + 24 - 7) % 24;
            Utc.with_ymd_and_hms(2026, 11, 23, utc, minute, 0).unwrap()
        };
        assert!(is_off_hours(at(6, 59)));
        assert!(!is_off_hours(at(7, 0)));
        assert!(!is_off_hours(at(18, 59)));
        assert!(is_off_hours(at(19, 0)));
        assert!(is_off_hours(at(0, 0)));
    }

    #[test]
    fn off_hours_bulk_fires_at_the_threshold_and_not_one_below() {
        let mut watch = Watch::default();
        let far = |n: u64| FIRST + n * 1_000_000;
        for n in 0..OFF_HOURS_THRESHOLD as u64 - 1 {
            assert!(watch.observe(call(night(), far(n), false)).is_empty());
        }
        let fired = watch.observe(call(night(), far(999), false));
        assert_eq!(kinds(&fired), [AlertKind::OffHoursBulk]);
        assert_eq!(fired[0].count, OFF_HOURS_THRESHOLD as u64);
    }

    #[test]
    fn the_same_bulk_in_working_hours_fires_nothing() {
        let mut watch = Watch::default();
        for n in 0..OFF_HOURS_THRESHOLD as u64 * 2 {
            assert!(watch.observe(call(office(), FIRST + n * 1_000_000, false)).is_empty());
        }
    }

    #[test]
    fn answers_without_data_are_not_bulk() {
        let mut watch = Watch::default();
        for n in 0..OFF_HOURS_THRESHOLD as u64 {
            let empty = Observation { at: night(), nik: None, not_found: false, data_bearing: false };
            assert!(watch.observe(empty).is_empty(), "call {n}");
        }
    }

    #[test]
    fn memory_is_bounded() {
        let mut watch = Watch::default();
        for n in 0..REMEMBERED as u64 * 2 {
            watch.observe(Observation { at: office(), nik: None, not_found: false, data_bearing: false });
            assert!(watch.seen.len() <= REMEMBERED, "after {n}");
        }
    }
}

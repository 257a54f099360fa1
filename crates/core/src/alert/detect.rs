//! The detectors: pure decisions over what one User ID did recently, with
//! time injected through each [`Observation`]. A [`Watch`] holds, per
//! detector, the User ID's recent calls that detector would count (at most
//! [`REMEMBERED`] each, none older than its window) and, at each new call,
//! says which detectors fire. Each call costs a constant amount of work
//! whatever the User ID's rate: the windows are trimmed from their old end,
//! counts are the windows' lengths, and a scanning chain is measured only
//! around the NIK just asked (the only chain a new call can lengthen). A
//! first version recounted every remembered call with three detectors at
//! every call, which at a partner's full rate cost more than the rest of
//! the request.
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

use std::collections::{BTreeMap, VecDeque};

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

/// One User ID's recent calls, as each detector counts them. Once a
/// detector fires, its window is emptied: the calls it counted are spent.
#[derive(Debug, Default)]
pub struct Watch {
    /// Calls naming a NIK within [`SEQUENTIAL_WINDOW`], oldest first.
    asked: VecDeque<(DateTime<Utc>, u64)>,
    /// The distinct NIKs of `asked`, with how often each occurs there.
    asked_niks: BTreeMap<u64, u32>,
    /// "Tidak ditemukan" answers within [`NOT_FOUND_WINDOW`].
    not_found: VecDeque<DateTime<Utc>>,
    /// Data-bearing answers outside working hours within [`OFF_HOURS_WINDOW`].
    off_hours: VecDeque<DateTime<Utc>>,
}

/// Drops the entries of `window` that are older than `span` at `now`, and
/// the oldest beyond [`REMEMBERED`]; returns what was dropped.
fn trim<T>(window: &mut VecDeque<T>, at: impl Fn(&T) -> DateTime<Utc>, now: DateTime<Utc>, span: Duration) -> Vec<T> {
    let mut dropped = Vec::new();
    while window.front().is_some_and(|entry| now - at(entry) >= span) || window.len() > REMEMBERED {
        dropped.extend(window.pop_front());
    }
    dropped
}

impl Watch {
    /// Adds `observation` and answers the detectors that fire with it.
    pub fn observe(&mut self, observation: Observation) -> Vec<Finding> {
        let now = observation.at;
        let mut findings = Vec::new();
        if let Some(finding) = self.sequential(now, observation.nik) {
            findings.push(finding);
        }
        if observation.not_found {
            self.not_found.push_back(now);
        }
        trim(&mut self.not_found, |at| *at, now, NOT_FOUND_WINDOW);
        if self.not_found.len() >= NOT_FOUND_THRESHOLD {
            findings.push(not_found_finding(self.not_found.len()));
            self.not_found.clear();
        }
        if observation.data_bearing && is_off_hours(now) {
            self.off_hours.push_back(now);
        }
        trim(&mut self.off_hours, |at| *at, now, OFF_HOURS_WINDOW);
        // The window grows only by an off-hours call, so it reaches the
        // threshold only at one.
        if self.off_hours.len() >= OFF_HOURS_THRESHOLD {
            findings.push(off_hours_finding(self.off_hours.len()));
            self.off_hours.clear();
        }
        findings
    }

    /// Adds the NIK asked (if any) to the sequential window and measures the
    /// chain through it. Adding one NIK changes only the chain it joins, and
    /// every other chain is shorter than the threshold (it would have fired
    /// when it reached it), so that chain is the only one to measure.
    fn sequential(&mut self, now: DateTime<Utc>, nik: Option<u64>) -> Option<Finding> {
        if let Some(nik) = nik {
            self.asked.push_back((now, nik));
            *self.asked_niks.entry(nik).or_default() += 1;
        }
        for (_, gone) in trim(&mut self.asked, |(at, _)| *at, now, SEQUENTIAL_WINDOW) {
            if let Some(count) = self.asked_niks.get_mut(&gone) {
                *count -= 1;
                if *count == 0 {
                    self.asked_niks.remove(&gone);
                }
            }
        }
        let nik = nik.filter(|nik| self.asked_niks.contains_key(nik))?;
        let chain = chain_through(&self.asked_niks, nik);
        (chain >= SEQUENTIAL_THRESHOLD).then(|| {
            self.asked.clear();
            self.asked_niks.clear();
            sequential_finding(chain)
        })
    }

    /// The calls the windows hold, together (for the memory bound).
    pub fn remembered(&self) -> usize {
        self.asked.len() + self.not_found.len() + self.off_hours.len()
    }
}

/// The length of the chain of `niks` (distinct, ascending) that holds
/// `nik`: neighbours at most [`SEQUENTIAL_MAX_GAP`] apart on either side.
fn chain_through(niks: &BTreeMap<u64, u32>, nik: u64) -> usize {
    let mut length = 1;
    let mut edge = nik;
    for (&below, _) in niks.range(..nik).rev() {
        if edge - below > SEQUENTIAL_MAX_GAP {
            break;
        }
        (length, edge) = (length + 1, below);
    }
    edge = nik;
    for (&above, _) in niks.range(nik + 1..) {
        if above - edge > SEQUENTIAL_MAX_GAP {
            break;
        }
        (length, edge) = (length + 1, above);
    }
    length
}

fn sequential_finding(chain: usize) -> Finding {
    Finding {
        kind: AlertKind::SequentialScan,
        count: chain as u64,
        detail: format!(
            "{chain} NIK berurutan (selisih paling banyak {SEQUENTIAL_MAX_GAP}) diminta dalam {} menit",
            SEQUENTIAL_WINDOW.num_minutes()
        ),
    }
}

fn not_found_finding(missed: usize) -> Finding {
    Finding {
        kind: AlertKind::NotFoundScan,
        count: missed as u64,
        detail: format!("{missed} jawaban \"tidak ditemukan\" dalam {} menit", NOT_FOUND_WINDOW.num_minutes()),
    }
}

fn off_hours_finding(bulk: usize) -> Finding {
    Finding {
        kind: AlertKind::OffHoursBulk,
        count: bulk as u64,
        detail: format!(
            "{bulk} akses berisi data di luar jam kerja ({WORKDAY_START_HOUR:02}.00–{WORKDAY_END_HOUR:02}.00 WIB) dalam {} menit",
            OFF_HOURS_WINDOW.num_minutes()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// The first version of the detectors, kept as the model the watch must
    /// agree with: every remembered call recounted at every call.
    pub(super) mod reference {
        use super::*;
        use std::collections::BTreeSet;

        /// The length of the longest chain of distinct `niks` in which each is at
        /// most [`SEQUENTIAL_MAX_GAP`] above the one before.
        pub(crate) fn longest_chain(niks: impl IntoIterator<Item = u64>) -> usize {
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

        #[derive(Debug, Clone, Copy)]
        struct Seen {
            number: u64,
            observation: Observation,
        }

        #[derive(Debug, Default)]
        pub(crate) struct Watch {
            seen: VecDeque<Seen>,
            next: u64,
            spent: [u64; 3],
        }

        const DETECTORS: [AlertKind; 3] = [AlertKind::SequentialScan, AlertKind::NotFoundScan, AlertKind::OffHoursBulk];

        impl Watch {
            pub(crate) fn observe(&mut self, observation: Observation) -> Vec<Finding> {
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
        fn detect<'a>(
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
                        detail: format!(
                            "{missed} jawaban \"tidak ditemukan\" dalam {} menit",
                            NOT_FOUND_WINDOW.num_minutes()
                        ),
                    })
                }
                AlertKind::OffHoursBulk => {
                    if !is_off_hours(now) {
                        return None;
                    }
                    let bulk =
                        calls.filter(within(OFF_HOURS_WINDOW)).filter(|o| o.data_bearing && is_off_hours(o.at)).count();
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
    }

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
        assert_eq!(reference::longest_chain([5, 5, 6, 6 + SEQUENTIAL_MAX_GAP, 7 + 2 * SEQUENTIAL_MAX_GAP]), 3);
        assert_eq!(reference::longest_chain([]), 0);
        assert_eq!(reference::longest_chain([1, 100, 200]), 1);
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
            assert!(watch.remembered() <= 3 * REMEMBERED, "after {n}");
        }
    }
}

/// The watch against the first version's model: the same findings, call by
/// call, for random sequences of calls (neighbouring and repeated NIKs, not
/// found and data-bearing answers, across working hours and night).
#[cfg(test)]
mod properties {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::tests::reference;
    use super::*;

    fn calls() -> impl Strategy<Value = Vec<(u32, Option<u64>, bool, bool)>> {
        // Seconds since the previous call (dense enough for every detector
        // to fire within its window, with gaps that empty a window now and
        // then), a NIK offset from a small range (so chains form and
        // break), not found, data-bearing.
        let gap = prop_oneof![8 => 0u32..20, 1 => 0u32..1200];
        prop::collection::vec((gap, prop::option::weighted(0.9, 0u64..150), any::<bool>(), any::<bool>()), 0..900)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn the_watch_finds_what_recounting_every_call_finds(calls in calls(), start_hour in 0u32..24) {
            let mut at = Utc.with_ymd_and_hms(2026, 11, 23, start_hour, 30, 0).unwrap();
            let (mut watch, mut model) = (Watch::default(), reference::Watch::default());
            for (n, (gap, nik, not_found, data_bearing)) in calls.into_iter().enumerate() {
                at += Duration::seconds(i64::from(gap));
                let nik = nik.map(|offset| 3313_0101_9000_0001 + offset);
                let observation = Observation { at, nik, not_found, data_bearing };
                prop_assert_eq!(watch.observe(observation), model.observe(observation), "call {}", n);
            }
        }
    }
}

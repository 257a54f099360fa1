//! The figures of a semester report, computed from the audit trail's counts
//! of the partner's mechanism calls: calls by mechanism, outcome, operator
//! and month; quota use; distinct residents accessed; and how many of them
//! the partner sent return data for (SPEC.md §5, §8).
//!
//! A guard's refusal (`access.*`: quota exhausted, mechanism not granted…)
//! is a call but not a hit: nothing was charged and no resident was
//! reached.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clock::month_start;
use crate::report::Semester;

/// Mechanism calls of one User ID on one Jakarta day with one outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// The Jakarta calendar day.
    pub day: NaiveDate,
    /// The User ID.
    pub user_id: String,
    /// The mechanism's stable name.
    pub mechanism: String,
    /// The stable outcome code.
    pub outcome: String,
    /// How many calls.
    pub count: u64,
}

impl Tally {
    /// Whether the calls were answered (a hit) rather than refused by a
    /// guard.
    pub fn is_hit(&self) -> bool {
        !self.outcome.starts_with("access.")
    }
}

/// What the computation needs.
#[derive(Debug, Clone)]
pub struct UtilizationInput<'a> {
    /// The semester.
    pub semester: Semester,
    /// The partner's mechanism calls in the semester.
    pub tallies: &'a [Tally],
    /// The sum of the daily quotas of the partner's operator and service
    /// accounts.
    pub daily_quota: u64,
    /// Distinct residents the partner's answered calls reached.
    pub residents_accessed: u64,
    /// Distinct residents the partner sent return data for in the semester.
    pub residents_with_return_data: u64,
}

/// Calls in one month, by mechanism.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    /// The first day of the month.
    pub month: NaiveDate,
    /// Calls per mechanism (stable name).
    pub by_mechanism: BTreeMap<String, u64>,
    /// All calls of the month.
    pub total: u64,
}

/// Hits against the quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaUse {
    /// Answered calls (hits).
    pub hits: u64,
    /// Days with at least one hit.
    pub days_used: u64,
    /// The accounts' daily quotas summed over the days used.
    pub allowance: u64,
    /// The day with the most hits, if any.
    pub peak_day: Option<NaiveDate>,
    /// Hits on that day.
    pub peak_hits: u64,
    /// Calls refused because the quota was used up.
    pub exhausted: u64,
}

impl QuotaUse {
    /// Hits as a share of the allowance, in whole percent.
    pub fn percent(&self) -> u64 {
        self.hits.saturating_mul(100).checked_div(self.allowance).unwrap_or(0)
    }
}

/// The figures of a semester report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Utilization {
    /// The semester.
    pub semester: Semester,
    /// Every mechanism call, answered or refused.
    pub calls: u64,
    /// Calls per mechanism (stable name).
    pub by_mechanism: BTreeMap<String, u64>,
    /// Calls per outcome code.
    pub by_outcome: BTreeMap<String, u64>,
    /// Calls per User ID.
    pub by_operator: BTreeMap<String, u64>,
    /// The six months, in order.
    pub by_month: Vec<MonthFigures>,
    /// Quota use.
    pub quota: QuotaUse,
    /// Distinct residents reached.
    pub residents_accessed: u64,
    /// Distinct residents with return data received.
    pub residents_with_return_data: u64,
}

impl Utilization {
    /// Computes the figures from the partner's tallies in the semester;
    /// tallies outside it are ignored.
    pub fn compute(input: &UtilizationInput<'_>) -> Utilization {
        let semester = input.semester;
        let inside: Vec<&Tally> =
            input.tallies.iter().filter(|t| semester.first_day() <= t.day && t.day <= semester.last_day()).collect();
        let mut by_mechanism = BTreeMap::new();
        let mut by_outcome = BTreeMap::new();
        let mut by_operator = BTreeMap::new();
        let mut by_day: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        let mut by_month: Vec<MonthFigures> = semester
            .months()
            .into_iter()
            .map(|month| MonthFigures { month, by_mechanism: BTreeMap::new(), total: 0 })
            .collect();
        let mut exhausted = 0;
        for tally in &inside {
            *by_mechanism.entry(tally.mechanism.clone()).or_default() += tally.count;
            *by_outcome.entry(tally.outcome.clone()).or_default() += tally.count;
            *by_operator.entry(tally.user_id.clone()).or_default() += tally.count;
            if let Some(month) = by_month.iter_mut().find(|m| m.month == month_start(tally.day)) {
                *month.by_mechanism.entry(tally.mechanism.clone()).or_default() += tally.count;
                month.total += tally.count;
            }
            if tally.is_hit() {
                *by_day.entry(tally.day).or_default() += tally.count;
            }
            if tally.outcome == "access.quota_exhausted" {
                exhausted += tally.count;
            }
        }
        // The earliest of equally busy days is the peak.
        let peak = by_day.iter().fold(None, |best: Option<(NaiveDate, u64)>, (day, hits)| match best {
            Some((_, most)) if most >= *hits => best,
            _ => Some((*day, *hits)),
        });
        let days_used = u64::try_from(by_day.len()).unwrap_or(u64::MAX);
        Utilization {
            semester,
            calls: inside.iter().map(|t| t.count).sum(),
            by_mechanism,
            by_outcome,
            by_operator,
            by_month,
            quota: QuotaUse {
                hits: by_day.values().sum(),
                days_used,
                allowance: days_used.saturating_mul(input.daily_quota),
                peak_day: peak.map(|(day, _)| day),
                peak_hits: peak.map_or(0, |(_, hits)| hits),
                exhausted,
            },
            residents_accessed: input.residents_accessed,
            residents_with_return_data: input.residents_with_return_data,
        }
    }

    /// Residents with return data as a share of residents accessed, in
    /// whole percent (0 when no resident was accessed).
    pub fn return_percent(&self) -> u64 {
        self.residents_with_return_data.saturating_mul(100).checked_div(self.residents_accessed).unwrap_or(0)
    }

    /// The mechanisms that were called, the most called first.
    pub fn mechanisms(&self) -> Vec<String> {
        let mut names: Vec<(&String, &u64)> = self.by_mechanism.iter().collect();
        names.sort_by_key(|(_, count)| std::cmp::Reverse(**count));
        names.into_iter().map(|(name, _)| name.clone()).collect()
    }
}

//! The registry's monitoring dashboard: the last fourteen Jakarta days of
//! the partners an administrator manages — calls per day and partner,
//! outcomes per partner, days the quota ran out, the busiest operators, and
//! unusual activity (calls at night, many "not found" answers that suggest
//! NIK scanning). Counts come from the trail (`Store::audit_counts`);
//! [`Fortnight`] also draws a partner administrator's own usage.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use gerbang_core::access::Desk;
use gerbang_core::clock::{jakarta_date, jakarta_midnight};
use gerbang_store::{AuditCount, StoreError};
use gerbang_web::AppState;

use crate::desk::Signed;
use crate::plot::{Bar, Chart, stacked};
use crate::view::{self, Chrome, render};

/// Days on the dashboard.
const DAYS: i64 = 14;
/// Night: from this hour (WIB)…
const NIGHT_FROM: u8 = 22;
/// …until this hour.
const NIGHT_UNTIL: u8 = 6;
/// Calls before the share of "not found" answers means anything.
const SCAN_MIN_CALLS: u64 = 20;
/// Share of "not found" answers (percent) that suggests scanning.
const SCAN_NOT_FOUND_PERCENT: u64 = 50;

/// The busiest operators and service accounts.
pub(crate) struct Busiest {
    pub user_id: String,
    pub partner: String,
    pub calls: u64,
}

/// Something an administrator should look at.
pub(crate) struct Finding {
    pub partner: String,
    pub user_id: String,
    pub what: String,
}

/// Days a partner's accounts ran out of quota.
pub(crate) struct Exhaustion {
    pub partner: String,
    pub refusals: u64,
    pub days: usize,
}

#[derive(Template)]
#[template(path = "monitoring.html")]
struct MonitoringPage {
    chrome: Chrome,
    first_day: String,
    last_day: String,
    by_day: Chart,
    by_outcome: Chart,
    busiest: Vec<Busiest>,
    findings: Vec<Finding>,
    exhaustion: Vec<Exhaustion>,
    total: u64,
}

/// The fourteen Jakarta days a dashboard shows, ending today, and the
/// moments that bound them for the trail's counts.
pub(crate) struct Fortnight {
    /// The days, oldest first.
    pub days: Vec<NaiveDate>,
    /// Midnight (WIB) at the start of the first day.
    pub from: DateTime<Utc>,
    /// Midnight (WIB) after the last day.
    pub until: DateTime<Utc>,
}

impl Fortnight {
    /// The fortnight ending on `today`.
    pub fn ending(today: NaiveDate) -> Fortnight {
        let first = today - Duration::days(DAYS - 1);
        Fortnight {
            days: (0..DAYS).map(|n| first + Duration::days(n)).collect(),
            from: jakarta_midnight(first),
            until: jakarta_midnight(today + Duration::days(1)),
        }
    }

    /// The first and last days as shown.
    pub fn span(&self) -> (String, String) {
        let shown = |day: Option<&NaiveDate>| day.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default();
        (shown(self.days.first()), shown(self.days.last()))
    }

    /// Each partner's counts over the fortnight.
    pub async fn counts(
        &self,
        state: &AppState,
        partners: &[String],
    ) -> Result<Vec<(String, Vec<AuditCount>)>, StoreError> {
        let mut counts = Vec::with_capacity(partners.len());
        for partner in partners {
            counts.push((partner.clone(), state.store.audit_counts(partner, self.from, self.until).await?));
        }
        Ok(counts)
    }

    /// Calls per day, stacked by `series`: `tagged` pairs each count with
    /// the name of its series.
    pub fn per_day(&self, series: &[String], tagged: &[(&str, &AuditCount)]) -> Chart {
        let bars = self
            .days
            .iter()
            .map(|day| Bar {
                label: day.format("%d/%m").to_string(),
                values: series
                    .iter()
                    .map(|name| {
                        tagged
                            .iter()
                            .filter(|(tag, c)| *tag == name.as_str() && c.day == *day)
                            .map(|(_, c)| c.count)
                            .sum()
                    })
                    .collect(),
            })
            .collect::<Vec<_>>();
        stacked(series, &bars)
    }
}

/// The series' names of `tagged` counts, the largest total first.
pub(crate) fn by_total(tagged: &[(&str, &AuditCount)]) -> Vec<String> {
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    for (tag, count) in tagged {
        *totals.entry(*tag).or_default() += count.count;
    }
    let mut totals: Vec<(&str, u64)> = totals.into_iter().collect();
    totals.sort_by_key(|(_, total)| std::cmp::Reverse(*total));
    totals.into_iter().map(|(name, _)| name.to_owned()).collect()
}

/// `GET /portal/konsol/pantauan`.
pub(crate) async fn monitoring(State(state): State<AppState>, signed: Signed) -> Response {
    let t = signed.visitor.t;
    let Desk::Registry(steward) = &signed.desk else { return view::not_found(t) };
    let fortnight = Fortnight::ending(jakarta_date(signed.visitor.caller.at));
    let plane = &signed.plane;
    let partners: Vec<String> =
        plane.institutions().filter(|i| steward.manages(plane, &i.code).is_ok()).map(|i| i.code.clone()).collect();
    let Ok(counts) = fortnight.counts(&state, &partners).await else { return view::unavailable(t) };
    let by_partner: Vec<(&str, &AuditCount)> =
        counts.iter().flat_map(|(partner, c)| c.iter().map(move |c| (partner.as_str(), c))).collect();
    let by_day = fortnight.per_day(&partners, &by_partner);

    let by_outcome_tags: Vec<(&str, &AuditCount)> = by_partner.iter().map(|(_, c)| (c.outcome.as_str(), *c)).collect();
    let outcome_names = by_total(&by_outcome_tags);
    let by_outcome_bars = counts
        .iter()
        .map(|(partner, c)| Bar {
            label: partner.chars().take(5).collect(),
            values: outcome_names
                .iter()
                .map(|name| c.iter().filter(|c| &c.outcome == name).map(|c| c.count).sum())
                .collect(),
        })
        .collect::<Vec<_>>();
    let by_outcome = stacked(&outcome_names, &by_outcome_bars);

    let mut per_user: BTreeMap<(String, String), (u64, u64, u64)> = BTreeMap::new();
    for (partner, found) in &counts {
        for count in found {
            let entry = per_user.entry((partner.clone(), count.user_id.clone())).or_default();
            entry.0 += count.count;
            if count.outcome == "resident.not_found" {
                entry.1 += count.count;
            }
            if count.hour >= NIGHT_FROM || count.hour < NIGHT_UNTIL {
                entry.2 += count.count;
            }
        }
    }
    let mut busiest: Vec<Busiest> = per_user
        .iter()
        .map(|((partner, user_id), (calls, ..))| Busiest {
            user_id: user_id.clone(),
            partner: partner.clone(),
            calls: *calls,
        })
        .collect();
    busiest.sort_by_key(|b| std::cmp::Reverse(b.calls));
    busiest.truncate(10);
    let mut findings = Vec::new();
    for ((partner, user_id), (calls, not_found, night)) in &per_user {
        if *night > 0 {
            findings.push(Finding {
                partner: partner.clone(),
                user_id: user_id.clone(),
                what: format!("{night} panggilan di luar jam kerja ({NIGHT_FROM:02}.00–{NIGHT_UNTIL:02}.00 WIB)"),
            });
        }
        if *calls >= SCAN_MIN_CALLS && not_found * 100 >= calls * SCAN_NOT_FOUND_PERCENT {
            findings.push(Finding {
                partner: partner.clone(),
                user_id: user_id.clone(),
                what: format!("{not_found} dari {calls} NIK tidak ditemukan: indikasi pemindaian NIK"),
            });
        }
    }
    let exhaustion = counts
        .iter()
        .filter_map(|(partner, c)| {
            let refused: Vec<&AuditCount> = c.iter().filter(|c| c.outcome == "access.quota_exhausted").collect();
            let mut days: Vec<NaiveDate> = refused.iter().map(|c| c.day).collect();
            days.dedup();
            (!refused.is_empty()).then(|| Exhaustion {
                partner: partner.clone(),
                refusals: refused.iter().map(|c| c.count).sum(),
                days: days.len(),
            })
        })
        .collect();
    let total = counts.iter().flat_map(|(_, c)| c).map(|c| c.count).sum();
    let (first_day, last_day) = fortnight.span();
    let page = MonitoringPage {
        chrome: Chrome::signed(&signed, &state, None).await,
        first_day,
        last_day,
        by_day,
        by_outcome,
        busiest,
        findings,
        exhaustion,
        total,
    };
    render(&page)
}

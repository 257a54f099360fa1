//! The registry's monitoring dashboard: the last fourteen Jakarta days of
//! the partners an administrator manages — calls per day and partner,
//! outcomes per partner, days the quota ran out, the busiest operators, and
//! unusual activity (calls at night, many "not found" answers that suggest
//! NIK scanning). Counts come from the trail (`Store::audit_counts`).

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Duration, NaiveDate, TimeZone};
use gerbang_core::access::Desk;
use gerbang_core::clock::{JAKARTA, jakarta_date};
use gerbang_store::AuditCount;
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

/// `GET /portal/konsol/pantauan`.
pub(crate) async fn monitoring(State(state): State<AppState>, signed: Signed) -> Response {
    let t = signed.visitor.t;
    let Desk::Registry(steward) = &signed.desk else { return view::not_found(t) };
    let today = jakarta_date(signed.visitor.caller.at);
    let first = today - Duration::days(DAYS - 1);
    let midnight = |day: NaiveDate| JAKARTA.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).single();
    let (Some(from), Some(until)) = (midnight(first), midnight(today + Duration::days(1))) else {
        return view::unavailable(t);
    };
    let plane = &signed.plane;
    let partners: Vec<String> =
        plane.institutions().filter(|i| steward.manages(plane, &i.code).is_ok()).map(|i| i.code.clone()).collect();
    let mut counts: Vec<(String, Vec<AuditCount>)> = Vec::new();
    for partner in &partners {
        match state.store.audit_counts(partner, from.to_utc(), until.to_utc()).await {
            Ok(found) => counts.push((partner.clone(), found)),
            Err(_) => return view::unavailable(t),
        }
    }
    let days: Vec<NaiveDate> = (0..DAYS).map(|n| first + Duration::days(n)).collect();
    let by_day_bars = days
        .iter()
        .map(|day| Bar {
            label: day.format("%d/%m").to_string(),
            values: counts.iter().map(|(_, c)| c.iter().filter(|c| c.day == *day).map(|c| c.count).sum()).collect(),
        })
        .collect::<Vec<_>>();
    let by_day = stacked(&partners, &by_day_bars);

    let mut outcome_totals: BTreeMap<String, u64> = BTreeMap::new();
    for count in counts.iter().flat_map(|(_, c)| c) {
        *outcome_totals.entry(count.outcome.clone()).or_default() += count.count;
    }
    let mut outcomes: Vec<(String, u64)> = outcome_totals.into_iter().collect();
    outcomes.sort_by_key(|(_, total)| std::cmp::Reverse(*total));
    let outcome_names: Vec<String> = outcomes.iter().map(|(name, _)| name.clone()).collect();
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
    let page = MonitoringPage {
        chrome: Chrome::signed(&signed, &state, None).await,
        first_day: first.format("%d-%m-%Y").to_string(),
        last_day: today.format("%d-%m-%Y").to_string(),
        by_day,
        by_outcome,
        busiest,
        findings,
        exhaustion,
        total,
    };
    render(&page)
}

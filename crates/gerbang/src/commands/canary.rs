//! Canary residents and alerts on the command line (issue 8, hardening):
//! `gerbang canary add NIK [--label TEXT]` marks a resident of the register
//! as a canary (running servers pick it up within their control-plane
//! refresh), `gerbang canary list` shows the marks, `gerbang alerts` the
//! alerts the servers raised. `gerbang demo` plants a few synthetic canary
//! residents of its own ([`ensure_demo_canaries`]).

use std::sync::Arc;

use chrono::{DateTime, Utc};
use gerbang_core::alert::Canary;
use gerbang_core::{Clock, Nik, Regions, SystemClock};
use gerbang_store::{Household, Store};
use gerbang_store_sqlite::OpenMode;
use gerbang_synth::{Plan, default_as_of, district_households, district_quotas};

use crate::commands::admin::{or_dash, print_json, print_table};
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// Who marked the demo's canaries.
const DEMO_MARKER: &str = "demo";

/// Residents in the demo's canary households (about; whole households).
const DEMO_CANARY_RESIDENTS: u64 = 6;

/// The seed of the demo's canary households, apart from any register's.
const DEMO_CANARY_SEED: u64 = 0xCA4A_0001;

/// Runs `gerbang canary add`.
pub async fn add(config: &Config, nik: &str, label: Option<String>) -> Result<(), CliError> {
    let nik = Nik::parse(nik)?;
    let store = open::store(config, OpenMode::MustExist).await?;
    if store.resident(nik).await?.is_none() {
        return Err(CliError::new(
            "canary.not_in_register",
            "NIK tidak terdapat di register; penduduk umpan harus tampak seperti penduduk sungguhan",
        ));
    }
    let label = match label {
        Some(label) => label,
        None => format!("umpan-{}", store.canaries().await?.len() + 1),
    };
    store.add_canary(Canary { nik, label: label.clone(), added_at: SystemClock.now(), added_by: "cli".into() }).await?;
    println!("Penduduk umpan \"{label}\" ditandai; setiap akses oleh mitra akan menimbulkan peringatan.");
    Ok(())
}

/// Runs `gerbang canary list`.
pub async fn list(config: &Config, json: bool) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::MustExist).await?;
    let canaries = store.canaries().await?;
    if json {
        let rows: Vec<serde_json::Value> = canaries
            .iter()
            .map(|c| {
                serde_json::json!({
                    "nik": c.nik.to_string(), "label": c.label,
                    "added_at": c.added_at.to_rfc3339(), "added_by": c.added_by,
                })
            })
            .collect();
        return print_json(&rows);
    }
    let rows: Vec<Vec<String>> = canaries
        .iter()
        .map(|c| vec![c.nik.to_string(), c.label.clone(), c.added_at.to_rfc3339(), c.added_by.clone()])
        .collect();
    print_table(&["NIK", "LABEL", "DITANDAI", "OLEH"], &rows);
    Ok(())
}

/// Runs `gerbang alerts`: every alert, open ones first (or only those).
pub async fn alerts(config: &Config, open_only: bool, json: bool) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::MustExist).await?;
    let alerts: Vec<_> = store
        .alerts(gerbang_web::alerts_api::ALERTS_LISTED)
        .await?
        .into_iter()
        .filter(|alert| !open_only || alert.is_open())
        .collect();
    if json {
        let views: Vec<_> = alerts.iter().map(gerbang_web::alerts_api::alert_view).collect();
        return print_json(&views);
    }
    let rows: Vec<Vec<String>> = alerts
        .iter()
        .map(|a| {
            vec![
                a.id.to_string(),
                a.kind.code().to_owned(),
                a.institution.clone(),
                a.user_id.clone(),
                a.first_at.to_rfc3339(),
                a.last_at.to_rfc3339(),
                a.count.to_string(),
                or_dash(a.acknowledged.as_ref().map(|ack| ack.by.clone())),
                a.detail.clone(),
            ]
        })
        .collect();
    print_table(
        &["NO", "JENIS", "MITRA", "USER ID", "PERTAMA", "TERAKHIR", "JUMLAH", "DITINDAKLANJUTI", "RINCIAN"],
        &rows,
    );
    Ok(())
}

/// What [`ensure_demo_canaries`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoCanaries {
    /// Canary residents planted by this run.
    pub planted: usize,
    /// Canary residents of an earlier run, kept.
    pub reused: usize,
}

/// Plants a few synthetic canary residents (whole households from their
/// own seed, skipping any whose NIK or NO_KK the register already holds;
/// the living, active members become canaries) unless an earlier demo run
/// did.
pub async fn ensure_demo_canaries(store: &Arc<dyn Store>, now: DateTime<Utc>) -> Result<DemoCanaries, CliError> {
    let existing = store.canaries().await?.iter().filter(|c| c.added_by == DEMO_MARKER).count();
    if existing > 0 {
        return Ok(DemoCanaries { planted: 0, reused: existing });
    }
    let regions = Regions::official();
    let plan = Plan::new(DEMO_CANARY_RESIDENTS, DEMO_CANARY_SEED, default_as_of())?;
    let mut households: Vec<Household> = Vec::new();
    for quota in district_quotas(&plan, regions) {
        for household in district_households(&plan, quota, regions) {
            if store.household(household.family.no_kk).await?.is_some() {
                continue;
            }
            let mut free = true;
            for member in &household.members {
                free &= store.resident(member.nik).await?.is_none();
            }
            if free {
                households.push(household);
            }
        }
    }
    let canaries: Vec<Canary> = households
        .iter()
        .flat_map(|h| &h.members)
        .filter(|member| member.life.active && !member.life.is_deceased() && !member.life.duplicate)
        .enumerate()
        .map(|(index, member)| Canary {
            nik: member.nik,
            label: format!("demo-umpan-{}", index + 1),
            added_at: now,
            added_by: DEMO_MARKER.into(),
        })
        .collect();
    store.insert_households(households).await?;
    for canary in &canaries {
        store.add_canary(canary.clone()).await?;
    }
    Ok(DemoCanaries { planted: canaries.len(), reused: 0 })
}

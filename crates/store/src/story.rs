//! The storage story: one behaviour suite, generic over [`Store`], that every
//! backend runs against itself, so SQLite and PostgreSQL are held to the same
//! promises (STYLE.md "SQL and storage"). Each step is a public async
//! function a backend's test calls with a fresh, empty store.

// Test support: a failed step must fail the calling test, so panicking is the point.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use gerbang_core::resident::{Address, Family, LifeStatus, Resident};
use gerbang_core::vocab::{
    Agama, GolonganDarah, HubunganKeluarga, JenisKelamin, Pekerjaan, Pendidikan, StatusEktp, StatusKawin,
};
use gerbang_core::{Nik, NoKk};

use crate::{Household, Store};

mod access;
mod alerts;
mod biometrics;
mod card_readers;
mod casework;
mod reports;
mod resident_codes;
mod return_data;
pub use access::*;
pub use alerts::*;
pub use biometrics::*;
pub use card_readers::*;
pub use casework::*;
pub use reports::*;
pub use resident_codes::*;
pub use return_data::*;

/// Hands every story step to a backend's test macros: `$each!` gets the
/// steps that take `&dyn Store`, `$shared!` those that take an
/// `Arc<dyn Store>` (concurrent use). Each backend calls this once, so a new
/// step runs against every backend without being listed twice.
#[macro_export]
macro_rules! story_steps {
    ($each:ident, $shared:ident) => {
        $each!(
            residents_round_trip,
            household_lists_head_first,
            a_failed_batch_writes_nothing,
            health_finds_families_without_one_head,
            pages_walk_every_resident_once,
            bulk_load_keeps_batches_atomic,
            control_plane_round_trips,
            partner_requests_round_trip,
            audit_chain_round_trips,
            a_failed_audit_batch_writes_nothing,
            installation_key_is_adopted_only_before_any_record,
            retention_removes_whole_months_from_the_start,
            a_copied_trail_keeps_its_anchor,
            oversight_searches_and_counts_the_trail,
            facilitation_cases_round_trip,
            notifications_are_queued_once_and_drained,
            casework_is_restored_with_its_numbers,
            semester_reports_round_trip,
            return_schemas_round_trip,
            accessed_residents_are_the_partners_own_within_the_window,
            return_batches_commit_abort_and_never_duplicate,
            a_crashed_batch_does_not_block_its_rows_and_racing_commits_store_once,
            sams_round_trip_and_counters_only_rise,
            biometric_enrolments_round_trip_and_replace,
            canaries_round_trip_and_move_the_control_version,
            alerts_merge_within_the_window_and_are_acknowledged,
            alerts_are_restored_with_their_ids,
            sightings_are_stored_with_their_audit_batch,
            resident_codes_replace_and_settle_once,
        );
        $shared!(quota_is_exact_under_concurrency, recorded_audit_continues_one_chain);
    };
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn person(
    no_kk: NoKk,
    name: &str,
    sex: JenisKelamin,
    born: NaiveDate,
    serial: u16,
    role: HubunganKeluarga,
) -> Option<Resident> {
    Some(Resident {
        nik: Nik::from_parts(331301, born, sex, serial).ok()?,
        no_kk,
        full_name: name.to_owned(),
        sex,
        birth_place: "KARANGANYAR".into(),
        birth_date: born,
        birth_certificate: Some(format!("3313-LT-{serial:04}")),
        blood_type: GolonganDarah::O,
        religion: Agama::Islam,
        marital_status: if role == HubunganKeluarga::Anak { StatusKawin::BelumKawin } else { StatusKawin::Kawin },
        married_on: (role != HubunganKeluarga::Anak).then(|| date(2008, 7, 1)),
        marriage_certificate: None,
        divorced_on: None,
        divorce_certificate: None,
        education: Pendidikan::Slta,
        occupation: Pekerjaan::Wiraswasta,
        relationship: role,
        father_nik: None,
        father_name: "SUKIMAN".into(),
        mother_nik: None,
        mother_name: "PARTINAH".into(),
        ektp_status: StatusEktp::SudahCetak,
        life: LifeStatus::ALIVE,
    })
}

/// A household of three in Jatipuro, Karanganyar: head, wife, daughter. The
/// daughter's parents point at the head and the wife.
pub fn sample_household(kk_serial: u16) -> Option<Household> {
    let no_kk = NoKk::from_parts(331301, date(2015, 10, 10), kk_serial).ok()?;
    let base = kk_serial * 3;
    let head = person(
        no_kk,
        "BUDI SANTOSO",
        JenisKelamin::LakiLaki,
        date(1980, 5, 12),
        base,
        HubunganKeluarga::KepalaKeluarga,
    )?;
    let wife =
        person(no_kk, "SRI WAHYUNI", JenisKelamin::Perempuan, date(1983, 2, 3), base + 1, HubunganKeluarga::Istri)?;
    let mut daughter =
        person(no_kk, "AYU LESTARI", JenisKelamin::Perempuan, date(2010, 9, 30), base + 2, HubunganKeluarga::Anak)?;
    daughter.father_nik = Some(head.nik);
    daughter.father_name = head.full_name.clone();
    daughter.mother_nik = Some(wife.nik);
    daughter.mother_name = wife.full_name.clone();
    daughter.life.duplicate = true;
    let family = Family {
        no_kk,
        address: Address {
            street: "DUSUN KRAJAN".into(),
            hamlet: Some("KRAJAN".into()),
            rt: 2,
            rw: 5,
            village_code: 3313012001,
            postal_code: Some(57794),
        },
    };
    Some(Household { family, members: vec![daughter, wife, head] })
}

fn households(serials: impl IntoIterator<Item = u16>) -> Vec<Household> {
    serials.into_iter().filter_map(sample_household).collect()
}

/// A resident written in a household reads back identical, with the card.
pub async fn residents_round_trip(store: &dyn Store) {
    let written = households([1, 2]);
    assert_eq!(written.len(), 2);
    store.insert_households(written.clone()).await.unwrap_or_else(|e| panic!("insert: {e}"));
    for household in &written {
        for member in &household.members {
            let found = store.resident(member.nik).await.unwrap_or_else(|e| panic!("read: {e}"));
            assert_eq!(found, Some((member.clone(), household.family.clone())));
        }
    }
    let absent = Nik::from_parts(331301, date(1999, 1, 1), JenisKelamin::LakiLaki, 9999).ok();
    if let Some(absent) = absent {
        assert_eq!(store.resident(absent).await.ok(), Some(None));
    }
}

/// A household reads back with the head first, then by relationship.
pub async fn household_lists_head_first(store: &dyn Store) {
    let written = households([3]);
    store.insert_households(written.clone()).await.unwrap_or_else(|e| panic!("insert: {e}"));
    let household = written.first().map(|h| h.family.no_kk);
    let found = match household {
        Some(no_kk) => store.household(no_kk).await.unwrap_or_else(|e| panic!("read: {e}")),
        None => None,
    };
    let found = found.unwrap_or_else(|| panic!("household missing"));
    let roles: Vec<_> = found.members.iter().map(|m| m.relationship).collect();
    assert_eq!(roles, [HubunganKeluarga::KepalaKeluarga, HubunganKeluarga::Istri, HubunganKeluarga::Anak]);
    let unknown = NoKk::from_parts(331301, date(2001, 1, 1), 7777).ok();
    if let Some(unknown) = unknown {
        assert_eq!(store.household(unknown).await.ok(), Some(None));
    }
}

/// A batch with one conflicting NIK is refused whole: nothing of it stays.
pub async fn a_failed_batch_writes_nothing(store: &dyn Store) {
    store.insert_households(households([4])).await.unwrap_or_else(|e| panic!("insert: {e}"));
    let before = store.register_health().await.unwrap_or_else(|e| panic!("health: {e}"));
    let mut batch = households([5, 6]);
    if let (Some(last), Some(first)) = (batch.last().cloned(), sample_household(4)) {
        // Household 6 reuses a NIK of household 4, already stored.
        let mut clash = last;
        if let (Some(member), Some(existing)) = (clash.members.first_mut(), first.members.first()) {
            member.nik = existing.nik;
        }
        batch.pop();
        batch.push(clash);
    }
    let error = store.insert_households(batch).await.err();
    assert_eq!(error.map(|e| e.code()), Some("store.conflict"));
    let after = store.register_health().await.unwrap_or_else(|e| panic!("health: {e}"));
    assert_eq!(before, after);
}

/// Health counts residents and families and finds cards without one head.
pub async fn health_finds_families_without_one_head(store: &dyn Store) {
    let mut written = households([7, 8]);
    if let Some(member) = written.get_mut(1).and_then(|h| h.members.get_mut(1)) {
        member.relationship = HubunganKeluarga::KepalaKeluarga;
    }
    store.insert_households(written).await.unwrap_or_else(|e| panic!("insert: {e}"));
    let health = store.register_health().await.unwrap_or_else(|e| panic!("health: {e}"));
    assert_eq!(
        (health.residents, health.families, health.families_without_one_head, health.empty_families),
        (6, 2, 1, 0)
    );
    store.clear_register().await.unwrap_or_else(|e| panic!("clear: {e}"));
    let cleared = store.register_health().await.unwrap_or_else(|e| panic!("health: {e}"));
    assert_eq!((cleared.residents, cleared.families), (0, 0));
}

/// Keyset pages walk the whole register once, in NIK order.
pub async fn pages_walk_every_resident_once(store: &dyn Store) {
    store.insert_households(households(10..20)).await.unwrap_or_else(|e| panic!("insert: {e}"));
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store.residents_after(after, 7).await.unwrap_or_else(|e| panic!("page: {e}"));
        let Some(last) = page.last() else { break };
        after = Some(last.nik);
        seen.extend(page.iter().map(|r| r.nik));
    }
    assert_eq!(seen.len(), 30);
    assert!(seen.windows(2).all(|pair| pair[0] < pair[1]));
}

/// A bulk load keeps batches atomic and leaves look-ups by KK working.
pub async fn bulk_load_keeps_batches_atomic(store: &dyn Store) {
    store.begin_bulk_load().await.unwrap_or_else(|e| panic!("begin: {e}"));
    store.insert_households(households(30..40)).await.unwrap_or_else(|e| panic!("insert: {e}"));
    let mut clash = households([40, 30]);
    clash.truncate(2);
    assert!(store.insert_households(clash).await.is_err(), "a batch repeating a stored card fails");
    store.finish_bulk_load().await.unwrap_or_else(|e| panic!("finish: {e}"));
    let health = store.register_health().await.unwrap_or_else(|e| panic!("health: {e}"));
    assert_eq!((health.residents, health.families), (30, 10), "nothing of the failed batch stays");
    let card = sample_household(35).map(|h| h.family.no_kk);
    if let Some(card) = card {
        let found = store.household(card).await.unwrap_or_else(|e| panic!("read: {e}"));
        assert_eq!(found.map(|h| h.members.len()), Some(3));
    }
}

use std::collections::{HashMap, HashSet};

use gerbang_core::resident::age_on;
use gerbang_core::vocab::{Agama, HubunganKeluarga, Pekerjaan, Pendidikan};
use gerbang_core::{Nik, Regions, Resident};

use super::*;

fn plan(residents: u64, seed: u64) -> Plan {
    Plan::new(residents, seed, default_as_of()).unwrap()
}

fn population(plan: &Plan) -> Vec<(DistrictQuota, Vec<Household>)> {
    let regions = Regions::official();
    district_quotas(plan, regions).into_iter().map(|q| (q, district_households(plan, q, regions))).collect()
}

#[test]
fn plans_refuse_zero_and_absurd_sizes() {
    assert_eq!(Plan::new(0, 1, default_as_of()), Err(PlanError::Empty));
    assert_eq!(Plan::new(MAX_RESIDENTS + 1, 1, default_as_of()), Err(PlanError::TooMany(MAX_RESIDENTS + 1)));
    let old = chrono::NaiveDate::from_ymd_opt(1890, 1, 1).unwrap();
    assert_eq!(Plan::new(10, 1, old), Err(PlanError::AsOfOutOfRange(old)));
}

#[test]
fn generates_exactly_the_number_asked_for() {
    for n in [1, 2, 3, 7, 1_000, 12_345] {
        let total: usize = population(&plan(n, 7)).iter().flat_map(|(_, h)| h).map(|h| h.members.len()).sum();
        assert_eq!(total as u64, n);
    }
}

#[test]
fn the_same_seed_gives_the_same_register_and_another_seed_another() {
    let first = population(&plan(3_000, 42));
    assert_eq!(first, population(&plan(3_000, 42)));
    assert_ne!(first, population(&plan(3_000, 43)));
}

#[test]
fn every_family_card_is_consistent() {
    let plan = plan(20_000, 1);
    let mut niks = HashSet::new();
    let mut cards = HashSet::new();
    for (quota, households) in population(&plan) {
        for household in households {
            let card = household.family.no_kk;
            assert!(cards.insert(card), "NO_KK unique");
            assert_eq!(u64::from(card.district_code()), quota.district);
            assert_eq!(household.family.address.village_code / 10_000, quota.district, "village in the district");
            let heads = household.members.iter().filter(|m| m.relationship == HubunganKeluarga::KepalaKeluarga).count();
            assert_eq!(heads, 1, "exactly one KEPALA KELUARGA");
            let by_nik: HashMap<Nik, &Resident> = household.members.iter().map(|m| (m.nik, m)).collect();
            for member in &household.members {
                assert_eq!(member.no_kk, card);
                assert!(niks.insert(member.nik), "NIK unique");
                assert_eq!(Nik::parse(&member.nik.to_string()), Ok(member.nik), "NIK parses");
                assert!(member.nik.encodes(member.birth_date, member.sex), "NIK encodes birth date and sex");
                assert_eq!(u64::from(member.nik.district_code()), quota.district);
                assert!(member.birth_date <= plan.as_of);
                assert!(!member.full_name.is_empty() && member.full_name == member.full_name.to_uppercase());
                assert!(!member.father_name.is_empty() && !member.mother_name.is_empty());
                if let Some(father) = member.father_nik {
                    let father = by_nik.get(&father).expect("a father NIK points into the household");
                    assert_eq!(father.full_name, member.father_name);
                    assert!(father.birth_date < member.birth_date);
                }
                if let Some(mother) = member.mother_nik {
                    let mother = by_nik.get(&mother).expect("a mother NIK points into the household");
                    assert_eq!(mother.full_name, member.mother_name);
                    assert!(age_on(mother.birth_date, member.birth_date) >= 16, "mothers are adults");
                }
                if let Some(died) = member.life.died_on {
                    assert!(died >= member.birth_date && died <= plan.as_of);
                }
            }
        }
    }
    assert_eq!(niks.len(), 20_000);
}

#[test]
fn attributes_are_plausible_for_age() {
    let plan = plan(20_000, 3);
    for resident in population(&plan).iter().flat_map(|(_, h)| h).flat_map(|h| &h.members) {
        let age = age_on(resident.birth_date, plan.as_of);
        if age < 5 {
            assert_eq!(resident.occupation, Pekerjaan::BelumTidakBekerja);
            assert_eq!(resident.education, Pendidikan::TidakBelumSekolah);
        }
        if age < 18 {
            assert!(!matches!(
                resident.occupation,
                Pekerjaan::PegawaiNegeriSipil | Pekerjaan::Pensiunan | Pekerjaan::Dosen
            ));
            assert!(resident.education <= Pendidikan::Slta);
            assert_eq!(resident.marital_status, gerbang_core::vocab::StatusKawin::BelumKawin);
        }
        if resident.education >= Pendidikan::Strata1 {
            assert!(age >= 21);
        }
    }
}

#[test]
fn shares_of_deceased_inactive_and_duplicate_are_small_but_present() {
    let residents: Vec<Resident> =
        population(&plan(50_000, 5)).into_iter().flat_map(|(_, h)| h).flat_map(|h| h.members).collect();
    let share = |count: usize| count as f64 / residents.len() as f64;
    let deceased = share(residents.iter().filter(|r| r.life.is_deceased()).count());
    let inactive = share(residents.iter().filter(|r| !r.life.active).count());
    let duplicate = share(residents.iter().filter(|r| r.life.duplicate).count());
    assert!((0.003..0.05).contains(&deceased), "deceased {deceased}");
    assert!((0.001..0.015).contains(&inactive), "inactive {inactive}");
    assert!((0.0003..0.006).contains(&duplicate), "duplicate {duplicate}");
}

#[test]
fn names_and_religion_follow_the_region() {
    let regions = Regions::official();
    let plan = plan(200_000, 11);
    let in_province = |province: u64| -> Vec<Resident> {
        district_quotas(&plan, regions)
            .into_iter()
            .filter(|q| q.district / 10_000 == province)
            .flat_map(|q| district_households(&plan, q, regions))
            .flat_map(|h| h.members)
            .collect()
    };
    let share = |people: &[Resident], test: &dyn Fn(&Resident) -> bool| {
        people.iter().filter(|r| test(r)).count() as f64 / people.len().max(1) as f64
    };
    let bali = in_province(51);
    assert!(share(&bali, &|r| r.full_name.starts_with("I ") || r.full_name.starts_with("NI ")) > 0.6);
    assert!(share(&bali, &|r| r.religion == Agama::Hindu) > 0.6);
    let north_sumatra = in_province(12);
    assert!(share(&north_sumatra, &|r| r.full_name.contains(" BR ")) > 0.05, "Batak daughters carry BR");
    assert!(share(&north_sumatra, &|r| r.religion == Agama::Kristen) > 0.2);
    let central_java = in_province(33);
    assert!(share(&central_java, &|r| r.religion == Agama::Islam) > 0.85);
    assert!(share(&central_java, &|r| r.full_name.contains(" BR ")) < 0.02);
}

#[test]
fn quotas_follow_population_and_sum_exactly() {
    let regions = Regions::official();
    let plan = plan(1_000_000, 9);
    let quotas = district_quotas(&plan, regions);
    assert_eq!(quotas.iter().map(|q| q.residents).sum::<u64>(), 1_000_000);
    let in_province = |p: u64| quotas.iter().filter(|q| q.district / 10_000 == p).map(|q| q.residents).sum::<u64>();
    assert!(in_province(32) > 10 * in_province(65), "Jawa Barat is far larger than Kalimantan Utara");
}

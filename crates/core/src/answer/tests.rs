use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::*;
use crate::access::{Channel, Mechanism};
use crate::resident::tests::sample;

fn grant(elements: &[Element]) -> Grant {
    Grant {
        mechanism: Mechanism::CallNik,
        channels: BTreeSet::from([Channel::WebService]),
        elements: elements.iter().copied().collect(),
        after_match: false,
    }
}

#[test]
fn a_record_holds_exactly_the_granted_elements() {
    let (resident, family) = sample();
    let granted = [Element::Nik, Element::NamaLengkap, Element::Alamat, Element::NoAktaLahir, Element::Foto];
    let record = granted_record(&grant(&granted), &resident, &family, Regions::official());
    let elements: Vec<Element> = record.iter().map(|(e, _)| *e).collect();
    // NO_AKTA_LHR is granted but not recorded; FOTO is never part of a record.
    assert_eq!(elements, [Element::Nik, Element::NamaLengkap, Element::Alamat]);
    assert_eq!(record[1].1, ElementValue::Text("BUDI SANTOSO".into()));
}

#[test]
fn life_status_decides_the_lookup_outcome() {
    let (mut resident, _) = sample();
    assert_eq!(Lookup::of(Some(&resident)), Lookup::Found);
    assert_eq!(Lookup::of(None), Lookup::NotFound);
    resident.life.active = false;
    assert_eq!(Lookup::of(Some(&resident)), Lookup::Inactive);
    resident.life.duplicate = true;
    assert_eq!(Lookup::of(Some(&resident)), Lookup::Duplicate);
    resident.life.died_on = NaiveDate::from_ymd_opt(2020, 1, 1);
    assert_eq!(Lookup::of(Some(&resident)), Lookup::Deceased, "death comes first");
    assert_eq!(Lookup::Deceased.name(), "deceased");
}

#[test]
fn verification_gives_verdicts_and_scores_against_the_threshold() {
    let (resident, family) = sample();
    let submitted = vec![
        (Element::Nik, "3313011205850001".to_owned()),
        (Element::NamaLengkap, "Budi Santoso, S.H.".to_owned()),
        (Element::TempatLahir, "SURAKARTA".to_owned()),
        (Element::TanggalLahir, "12-05-1985".to_owned()),
        (Element::JenisKelamin, "Perempuan".to_owned()),
    ];
    let verdicts = verify(&submitted, 80, &resident, &family, Regions::official()).unwrap();
    let summary: Vec<(Element, bool, Option<u8>)> = verdicts.iter().map(|v| (v.element, v.matches, v.score)).collect();
    assert_eq!(summary[0], (Element::Nik, true, None));
    assert_eq!(summary[1], (Element::NamaLengkap, true, Some(100)));
    assert_eq!((summary[2].0, summary[2].1), (Element::TempatLahir, false));
    assert!(summary[2].2.unwrap() < 80);
    assert_eq!(summary[3], (Element::TanggalLahir, true, None));
    assert_eq!(summary[4], (Element::JenisKelamin, false, None));
}

#[test]
fn unusable_submitted_values_are_refused_before_any_lookup() {
    assert!(check_submitted(&[(Element::TanggalLahir, "31-02-1985".into())]).is_err());
    assert!(check_submitted(&[(Element::NoRt, "tiga".into())]).is_err());
    assert!(
        check_submitted(&[(Element::NamaLengkap, "siapa saja".into()), (Element::TanggalLahir, "1985-05-12".into())])
            .is_ok()
    );
}

#[test]
fn the_family_check_says_found_not_found_or_mismatch() {
    let (head, family) = sample();
    let members = vec![head.clone()];
    assert_eq!(check_family(Some(&head), &members, CheckAgainst::NoKk(family.no_kk)), CheckOutcome::Found);
    let other_card = NoKk::parse("3313011010150004").unwrap();
    assert_eq!(check_family(Some(&head), &members, CheckAgainst::NoKk(other_card)), CheckOutcome::Mismatch);
    assert_eq!(check_family(None, &[], CheckAgainst::NoKk(family.no_kk)), CheckOutcome::NotFound);
    assert_eq!(check_family(Some(&head), &members, CheckAgainst::HeadOfFamily(head.nik)), CheckOutcome::Found);
    let stranger = Nik::parse("3313014107900002").unwrap();
    assert_eq!(check_family(Some(&head), &members, CheckAgainst::HeadOfFamily(stranger)), CheckOutcome::Mismatch);
    assert_eq!(CheckOutcome::Mismatch.label(), "tidak sesuai");
}

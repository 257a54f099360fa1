//! Property tests of what answers may hold: for random scopes, requests and
//! register values, no answer carries an element outside the grant the
//! guards chose, and a verification answers only match / no-match (with a
//! score), never a stored value.

use std::collections::BTreeSet;

use proptest::prelude::*;
use proptest::sample::{select, subsequence};

use super::*;
use crate::access::guard::{AccessRequest, Authentication, Denial, authorize};
use crate::access::tests::{day, ip, plane_with};
use crate::access::{Channel, Mechanism, Scope};
use crate::element::Comparison;
use crate::resident::tests::sample;

/// A grant of `mechanism` with random channels and elements, or none; the
/// NIK + KK check only ever grants NIK and NO_KK (the scope rules).
fn grant_of(mechanism: Mechanism) -> impl Strategy<Value = Option<Grant>> {
    let pool: Vec<Element> =
        if mechanism == Mechanism::NikKkCheck { vec![Element::Nik, Element::NoKk] } else { Element::ALL.to_vec() };
    let most = pool.len();
    proptest::option::of((1u8..=3, subsequence(pool, 1..=most))).prop_map(move |grant| {
        grant.map(|(channels, elements)| Grant {
            mechanism,
            channels: [
                (channels & 1 != 0).then_some(Channel::WebService),
                (channels & 2 != 0).then_some(Channel::Portal),
            ]
            .into_iter()
            .flatten()
            .collect(),
            elements: elements.into_iter().collect(),
            after_match: false,
        })
    })
}

fn scopes() -> impl Strategy<Value = Scope> {
    Mechanism::ALL
        .iter()
        .map(|mechanism| grant_of(*mechanism))
        .collect::<Vec<_>>()
        .prop_map(|grants| Scope { grants: grants.into_iter().flatten().collect(), facilitation: Vec::new() })
        .prop_filter("a scope grants something", |scope| !scope.grants.is_empty())
}

/// A value a partner might submit for an element: a date in either wire
/// form, a number, or free text.
fn submitted_value() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..=31, 1u32..=12, 1950i32..2010).prop_map(|(d, m, y)| format!("{d:02}-{m:02}-{y}")),
        (1u32..=28, 1u32..=12, 1950i32..2010).prop_map(|(d, m, y)| format!("{y}-{m:02}-{d:02}")),
        (0u64..10_000_000_000_000_000).prop_map(|n| n.to_string()),
        "[N-Z ]{0,20}",
    ]
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn no_answer_holds_an_element_outside_the_scope(
        scope in scopes(),
        mechanism in select(Mechanism::ALL),
        user in select(&["mitra-ws", "mitra-op"][..]),
        requested in subsequence(Element::ALL, 0..=8),
        values in proptest::collection::vec(submitted_value(), 8),
        threshold in 0u8..=100,
    ) {
        let plane = plane_with(scope.clone());
        let account = plane.account(user).ok_or_else(|| TestCaseError::fail("no account"))?;
        let channel = if user == "mitra-ws" { Channel::WebService } else { Channel::Portal };
        let request = AccessRequest { mechanism, elements: &requested, source_ip: ip("10.0.0.7"), instansi: None };
        // What the scope grants this mechanism on this channel, read from
        // the scope itself rather than from what the guards returned.
        let granted: BTreeSet<Element> =
            scope.grants.iter().filter(|g| g.mechanism == mechanism && g.channels.contains(&channel))
                .flat_map(|g| g.elements.iter().copied()).collect();
        match authorize(&plane, Authentication::Verified(account), &request, day(2023, 6, 1)) {
            Ok(access) => {
                prop_assert_eq!(&access.grant.elements, &granted);
                prop_assert!(requested.iter().all(|e| granted.contains(e)));
                let (resident, family) = sample();
                let regions = Regions::official();
                let record = granted_record(&access.grant, &resident, &family, regions);
                prop_assert!(record.iter().all(|(e, _)| granted.contains(e)), "record {:?} outside {:?}", record, granted);
                let submitted: Vec<(Element, String)> = requested.iter().copied().zip(values).collect();
                if let Ok(verdicts) = verify(&submitted, threshold, &resident, &family, regions) {
                    let elements: Vec<Element> = verdicts.iter().map(|v| v.element).collect();
                    let asked: Vec<Element> = submitted.iter().map(|(e, _)| *e).collect();
                    prop_assert_eq!(elements, asked);
                }
            }
            Err(Denial::ElementsNotGranted(outside)) => {
                let expected: Vec<Element> = requested.iter().filter(|e| !granted.contains(e)).copied().collect();
                prop_assert!(!expected.is_empty());
                prop_assert_eq!(outside, expected);
            }
            Err(Denial::MechanismNotGranted(refused)) => {
                prop_assert_eq!(refused, mechanism);
                prop_assert!(scope.grant(mechanism, channel).is_none());
            }
            Err(other) => prop_assert!(false, "unexpected denial {other:?}"),
        }
    }

    #[test]
    fn a_verification_answers_only_match_or_no_match(
        name in "[A-M]{8,16}",
        birth_place in "[A-M]{8,16}",
        mother in "[A-M]{8,16}",
        street in "[A-M]{8,16}",
        submitted in proptest::collection::vec(
            (select(Element::ALL).prop_filter("verifiable", |e| e.comparison() != Comparison::None), submitted_value()),
            1..8,
        ),
        threshold in 0u8..=100,
    ) {
        let (mut resident, mut family) = sample();
        resident.full_name = name.clone();
        resident.birth_place = birth_place.clone();
        resident.mother_name = mother.clone();
        family.address.street = street.clone();
        let Ok(verdicts) = verify(&submitted, threshold, &resident, &family, Regions::official()) else {
            return Ok(());
        };
        prop_assert_eq!(verdicts.len(), submitted.len());
        for (verdict, (element, _)) in verdicts.iter().zip(&submitted) {
            prop_assert_eq!(verdict.element, *element);
            match element.comparison() {
                Comparison::Similarity => {
                    let score = verdict.score.ok_or_else(|| TestCaseError::fail("a free-text verdict has a score"))?;
                    prop_assert!(score <= 100);
                    prop_assert_eq!(verdict.matches, score >= threshold);
                }
                _ => prop_assert_eq!(verdict.score, None),
            }
        }
        // The stored texts (letters A–M) appear nowhere in the answer; the
        // submitted ones use N–Z, so none can be echoed by accident.
        let answer = format!("{verdicts:?}");
        for stored in [&name, &birth_place, &mother, &street] {
            prop_assert!(!answer.contains(stored.as_str()), "{} leaked in {}", stored, answer);
        }
    }
}

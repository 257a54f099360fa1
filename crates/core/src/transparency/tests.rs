use std::net::IpAddr;

use chrono::TimeZone;

use super::*;
use crate::audit::{AuditRecord, seal_all};
use crate::{Clock, FixedClock};

fn hasher() -> NikHasher {
    NikHasher::new([7; 32])
}

fn nik() -> Nik {
    Nik::parse("3313015501900001").unwrap()
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap()
}

fn issued(code: &OneTimeCode) -> ResidentCode {
    issue(&hasher(), nik(), code, "admin-pusat", start())
}

fn presented(text: &str) -> Digest32 {
    code_digest(&hasher(), hasher().key(nik()), text)
}

#[test]
fn codes_use_the_unambiguous_alphabet_and_keep_no_clear_text() {
    let code = OneTimeCode::from_random([0, 31, 32, 255, 8, 14, 24, 25, 1, 2]);
    assert_eq!(code.as_str(), "A9A9JQ23BC");
    assert_eq!(code.grouped(), "A9A9J-Q23BC");
    assert_eq!(format!("{code:?}"), "OneTimeCode(***)");
    let stored = issued(&code);
    assert_eq!(stored.resident, hasher().key(nik()));
    assert_ne!(&stored.digest[..], code.as_str().as_bytes());
    assert!(!format!("{stored:?}").contains("digest"));
    // The resident may type the code in small letters, with the dash or spaces.
    for typed in ["A9A9JQ23BC", "a9a9j-q23bc", " A9A9J Q23BC "] {
        assert_eq!(presented(typed), stored.digest, "{typed:?}");
    }
    // The digest is keyed: another installation's secret gives another.
    let elsewhere = NikHasher::new([8; 32]);
    assert_ne!(code_digest(&elsewhere, elsewhere.key(nik()), code.as_str()), stored.digest);
    assert_eq!(OneTimeCode::draw().unwrap().as_str().len(), CODE_LENGTH);
}

#[test]
fn a_code_opens_once_and_is_then_used() {
    let code = OneTimeCode::from_random([3; CODE_LENGTH]);
    let stored = issued(&code);
    let clock = FixedClock::new(start() + Duration::minutes(5));
    let Redemption::Accepted { settled } = redeem(Some(&stored), &presented(code.as_str()), clock.now()) else {
        panic!("the right code opens the history")
    };
    assert_eq!(settled.used_at, Some(clock.now()));
    assert_eq!(
        redeem(Some(&settled), &presented(code.as_str()), clock.now()),
        Redemption::Refused { why: CodeRefusal::Used, settled: None }
    );
}

#[test]
fn a_code_expires_after_its_lifetime() {
    let code = OneTimeCode::from_random([4; CODE_LENGTH]);
    let stored = issued(&code);
    let clock = FixedClock::new(start() + Duration::hours(CODE_LIFETIME_HOURS) - Duration::seconds(1));
    assert!(matches!(redeem(Some(&stored), &presented(code.as_str()), clock.now()), Redemption::Accepted { .. }));
    clock.set(start() + Duration::hours(CODE_LIFETIME_HOURS));
    assert_eq!(
        redeem(Some(&stored), &presented(code.as_str()), clock.now()),
        Redemption::Refused { why: CodeRefusal::Expired, settled: None }
    );
}

#[test]
fn wrong_codes_are_counted_and_the_last_allowed_one_voids_the_code() {
    let code = OneTimeCode::from_random([5; CODE_LENGTH]);
    let mut stored = issued(&code);
    let now = start() + Duration::minutes(1);
    for attempt in 1..=MAX_WRONG_CODES {
        let Redemption::Refused { why, settled: Some(settled) } = redeem(Some(&stored), &presented("ZZZZZZZZZZ"), now)
        else {
            panic!("a wrong code is refused and counted")
        };
        assert_eq!(settled.wrong_attempts, attempt);
        let expected = if attempt == MAX_WRONG_CODES { CodeRefusal::WrongAndVoided } else { CodeRefusal::Wrong };
        assert_eq!(why, expected);
        stored = settled;
    }
    // Void: even the right code opens nothing now, and nothing more is counted.
    assert_eq!(
        redeem(Some(&stored), &presented(code.as_str()), now),
        Redemption::Refused { why: CodeRefusal::Void, settled: None }
    );
    // A new code replaces the void one with fresh attempts; the old code is wrong for it.
    let fresh = OneTimeCode::from_random([6; CODE_LENGTH]);
    let reissued = issued(&fresh);
    assert_eq!(reissued.wrong_attempts, 0);
    assert!(matches!(
        redeem(Some(&reissued), &presented(code.as_str()), now),
        Redemption::Refused { why: CodeRefusal::Wrong, .. }
    ));
    assert_eq!(
        redeem(None, &presented(code.as_str()), now),
        Redemption::Refused { why: CodeRefusal::NoCode, settled: None }
    );
}

#[test]
fn every_refusal_has_its_own_audit_code() {
    let all = [
        CodeRefusal::NoCode,
        CodeRefusal::Used,
        CodeRefusal::Void,
        CodeRefusal::Expired,
        CodeRefusal::Wrong,
        CodeRefusal::WrongAndVoided,
    ];
    let codes: std::collections::HashSet<&str> = all.iter().map(|r| r.code()).collect();
    assert_eq!(codes.len(), all.len());
    assert!(codes.iter().all(|c| c.starts_with("resident_code.")));
}

fn record(minute: u32, institution: Option<&str>, interface: &str, mechanism: Option<Mechanism>) -> AuditRecord {
    AuditRecord {
        operation_id: format!("op-{minute}"),
        at: Utc.with_ymd_and_hms(2026, 11, 24, 1, minute, 0).unwrap(),
        interface: interface.into(),
        institution: institution.map(str::to_owned),
        user_id: Some("mitra-ws".into()),
        source_ip: "10.0.0.5".parse::<IpAddr>().unwrap(),
        mechanism,
        resident: Some(hasher().key(nik())),
        elements: if mechanism.is_some() { vec![Element::Nik, Element::NamaLengkap] } else { Vec::new() },
        outcome: "resident.found".into(),
        latency_us: 10,
        charged: true,
    }
}

#[test]
fn the_history_shows_partner_accesses_newest_first_and_nothing_else() {
    let plane = crate::access::tests::plane();
    let records = seal_all(
        None,
        vec![
            record(1, Some("mitra"), "compat", Some(Mechanism::CallNik)),
            record(2, None, "admin", None),
            record(3, Some("mitra"), "portal", Some(Mechanism::VerifyByElements)),
            record(4, None, "resident", None),
            record(5, Some("unknown-partner"), "v1", Some(Mechanism::CallNik)),
        ],
    );
    let history = access_history(records, &plane);
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].institution, "Mitra");
    assert_eq!(history[0].mechanism, Some(Mechanism::VerifyByElements));
    assert_eq!(history[0].interface_label(), "Portal operator");
    assert_eq!(history[0].at.to_rfc3339(), "2026-11-24T08:03:00+07:00");
    assert_eq!(history[1].mechanism, Some(Mechanism::CallNik));
    assert_eq!(history[1].interface_label(), "Layanan web (format Dukcapil)");
    assert!(history[1].data_released());
    assert_eq!(history[1].elements, vec![Element::Nik, Element::NamaLengkap]);
}

use std::net::Ipv4Addr;

use chrono::TimeZone;

use super::*;

fn record(n: u64) -> AuditRecord {
    AuditRecord {
        operation_id: format!("op-{n}"),
        at: Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0).unwrap() + chrono::Duration::microseconds(n as i64),
        interface: "compat".into(),
        institution: Some("bkn".into()),
        user_id: Some("bkn-ws".into()),
        source_ip: IpAddr::V4(Ipv4Addr::LOCALHOST),
        mechanism: Some(Mechanism::CallNik),
        resident: Some(NikHasher::new([7; 32]).key(Nik::parse("3313015512990001").unwrap())),
        elements: vec![Element::Nik, Element::NamaLengkap],
        outcome: "resident.found".into(),
        latency_us: 120,
        charged: true,
    }
}

fn chain(n: u64) -> Vec<SealedRecord> {
    let mut out: Vec<SealedRecord> = Vec::new();
    for i in 1..=n {
        let prev = out.last().map(|s| ChainLink { seq: s.seq, hash: s.hash });
        out.push(seal(prev.as_ref(), record(i)));
    }
    out
}

fn verify(records: &[SealedRecord]) -> Result<u64, ChainBreak> {
    let mut verifier = ChainVerifier::new();
    for r in records {
        verifier.check(r)?;
    }
    Ok(verifier.checked())
}

#[test]
fn an_untouched_chain_verifies() {
    assert_eq!(verify(&chain(5)), Ok(5));
}

#[test]
fn an_altered_field_is_caught_at_its_record() {
    let mut records = chain(5);
    records[2].record.outcome = "resident.not_found".into();
    assert_eq!(verify(&records), Err(ChainBreak::Altered { seq: 3 }));
    let mut records = chain(5);
    records[3].record.elements.push(Element::Agama);
    assert_eq!(verify(&records), Err(ChainBreak::Altered { seq: 4 }));
}

#[test]
fn a_deleted_record_is_a_gap() {
    let mut records = chain(5);
    records.remove(1);
    assert_eq!(verify(&records), Err(ChainBreak::Gap { expected: 2, found: 3 }));
}

#[test]
fn a_deleted_record_renumbered_and_rehashed_breaks_the_link() {
    let mut records = chain(5);
    records.remove(1);
    // The forger renumbers record 3 as 2 and recomputes its own hash, but
    // cannot fix what the next record points at without rewriting the rest.
    records[1].seq = 2;
    records[1].hash = record_hash(2, &records[1].prev_hash, &records[1].record);
    assert_eq!(verify(&records), Err(ChainBreak::Relinked { seq: 2 }));
}

#[test]
fn swapped_records_are_caught() {
    let mut records = chain(5);
    records.swap(1, 2);
    assert_eq!(verify(&records), Err(ChainBreak::Gap { expected: 2, found: 3 }));
}

#[test]
fn resident_keys_depend_on_the_secret_and_the_nik() {
    let nik = Nik::parse("3313015512990001").unwrap();
    let other = Nik::parse("3313015512990002").unwrap();
    let a = NikHasher::new([1; 32]);
    let b = NikHasher::new([2; 32]);
    assert_eq!(a.key(nik), a.key(nik));
    assert_ne!(a.key(nik), b.key(nik));
    assert_ne!(a.key(nik), a.key(other));
    assert!(!format!("{:?}", a.key(nik)).contains("3313"));
}

#[test]
fn a_chain_after_an_anchor_verifies_only_from_that_anchor() {
    let records = chain(5);
    let anchor = ChainLink { seq: records[1].seq, hash: records[1].hash };
    let mut verifier = ChainVerifier::after(Some(anchor));
    for r in &records[2..] {
        verifier.check(r).unwrap();
    }
    assert_eq!(verifier.checked(), 3);
    // Removing one more record than the anchor says is a gap.
    let mut verifier = ChainVerifier::after(Some(anchor));
    assert_eq!(verifier.check(&records[3]), Err(ChainBreak::Gap { expected: 3, found: 4 }));
    // An anchor with a forged hash does not link.
    let forged = ChainLink { seq: 2, hash: [1; 32] };
    assert_eq!(ChainVerifier::after(Some(forged)).check(&records[2]), Err(ChainBreak::Relinked { seq: 3 }));
}

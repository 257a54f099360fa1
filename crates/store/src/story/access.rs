//! Storage-story steps of the access plane: the control plane, daily quota
//! counting and the audit chain.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use gerbang_core::access::{
    Account, Addendum, Agreement, Applicant, ControlPlane, ControlWrite, Institution, Mechanism, NewAccount,
    NewAgreement, Obligation, ObligationKind, Provider, ProviderLevel, Request, Role, Scope, TerminationReason,
};
use gerbang_core::audit::{AuditRecord, ChainLink, ChainVerifier, NikHasher, SealedRecord, seal_all};
use gerbang_core::{Element, Nik};

use crate::{AuditSearch, Store};

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn scope() -> Scope {
    serde_json::from_str(
        r#"{"grant":[
            {"mechanism":"nik_kk_check","channels":["web_service"],"elements":["NIK","NO_KK"]},
            {"mechanism":"call_nik","channels":["web_service","portal"],"elements":["NIK","NAMA_LGKP","ALAMAT"],"after_match":true}
        ]}"#,
    )
    .unwrap()
}

pub(super) async fn apply(store: &dyn Store, plane: &ControlPlane, writes: Vec<ControlWrite>) -> ControlPlane {
    store.apply_control(writes.clone()).await.unwrap();
    let expected = plane.applying(&writes);
    let loaded = store.control_plane().await.unwrap();
    // Compared whole (accounts' and requests' Debug hides their secrets).
    assert!(sorted(&loaded) == sorted(&expected), "{:?}\n!=\n{:?}", sorted(&loaded), sorted(&expected));
    loaded
}

/// A comparable rendering of a control plane.
type PlaneView = (Vec<Provider>, Vec<Institution>, Vec<Agreement>, Vec<Account>, Vec<String>, Vec<Request>);

fn sorted(plane: &ControlPlane) -> PlaneView {
    let mut networks: Vec<String> = plane.networks().iter().map(|r| format!("{r:?}")).collect();
    networks.sort();
    (
        plane.providers().cloned().collect(),
        plane.institutions().cloned().collect(),
        plane.agreements().cloned().collect(),
        plane.accounts().cloned().collect(),
        networks,
        plane.requests().cloned().collect(),
    )
}

/// A control plane of one partner, built through the admin operations.
pub async fn seeded_control_plane(store: &dyn Store) -> ControlPlane {
    let plane = store.control_plane().await.unwrap();
    let provider = Provider {
        code: "disdukcapil-3313".into(),
        name: "Disdukcapil Kab. Karanganyar".into(),
        level: ProviderLevel::Regional { region_code: 3313 },
    };
    let plane = apply(store, &plane, vec![plane.add_provider(provider).unwrap()]).await;
    let institution = Institution {
        code: "bpbd".into(),
        provider: "disdukcapil-3313".into(),
        name: "BPBD Kab. Karanganyar".into(),
        instansi: Some("BPBD_KRA".into()),
        customer_id: Some(3313001),
        active: true,
    };
    let plane = apply(store, &plane, vec![plane.add_institution(institution).unwrap()]).await;
    let new = NewAgreement {
        institution: "bpbd".into(),
        provider_number: "473.3/2743.12/XI/2022".into(),
        partner_number: "473.3/448.24/XI/2022".into(),
        signed_on: day(2022, 11, 10),
        valid_from: day(2022, 11, 10),
        valid_until: day(2024, 11, 9),
        scope: scope(),
        return_schema: Some("bpbd".into()),
        obligations: vec![Obligation { kind: ObligationKind::Sptjm, due_on: day(2022, 11, 10), fulfilled_on: None }],
    };
    let plane = apply(store, &plane, vec![plane.add_agreement(new).unwrap()]).await;
    let account = NewAccount {
        user_id: "bpbd-op".into(),
        holder: "bpbd".into(),
        role: Role::Operator,
        password_hash: "$argon2id$test".into(),
        token_hash: Some("ab".repeat(32)),
        nda_on: Some(day(2022, 11, 20)),
    };
    let plane = apply(store, &plane, vec![plane.add_account(account).unwrap()]).await;
    let writes = vec![
        plane.allow_network("bpbd", None, "10.33.13.0/24".parse().unwrap()).unwrap(),
        plane.allow_network("bpbd", Some("bpbd-op"), "10.33.13.7/32".parse().unwrap()).unwrap(),
    ];
    apply(store, &plane, writes).await
}

/// Every control-plane entity round-trips, each change bumps the version,
/// and later changes (addendum, termination, quota, revocation) stick.
pub async fn control_plane_round_trips(store: &dyn Store) {
    let before = store.control_version().await.unwrap();
    let plane = seeded_control_plane(store).await;
    assert!(store.control_version().await.unwrap() >= before + 5);
    assert_eq!(plane.institution_by_wire_name("bpbd_kra").map(|i| i.code.as_str()), Some("bpbd"));
    assert_eq!(plane.institution_by_wire_name("3313001").map(|i| i.code.as_str()), Some("bpbd"));
    assert_eq!(plane.account_by_token_hash(&"ab".repeat(32)).map(|a| a.user_id.as_str()), Some("bpbd-op"));

    let addendum = Addendum { number: "ADD/1".into(), signed_on: day(2024, 11, 1), valid_until: day(2027, 11, 9) };
    let plane = apply(store, &plane, vec![plane.extend_agreement("bpbd-1", addendum).unwrap()]).await;
    let plane =
        apply(store, &plane, vec![plane.set_quota("bpbd-op", 1500, Some("B/1/DUKCAPIL".into())).unwrap()]).await;
    let plane = apply(
        store,
        &plane,
        vec![plane.terminate_agreement("bpbd-1", day(2026, 1, 1), TerminationReason::Breach, "pelanggaran").unwrap()],
    )
    .await;
    let rule = plane.revoke_network("bpbd", Some("bpbd-op"), "10.33.13.7/32".parse().unwrap()).unwrap();
    let plane = apply(store, &plane, vec![rule]).await;
    assert_eq!(plane.networks().len(), 1);
    assert!(plane.agreement("bpbd-1").unwrap().in_force_on(day(2025, 12, 31)));
    assert!(!plane.agreement("bpbd-1").unwrap().in_force_on(day(2026, 1, 1)));
    assert_eq!(plane.account("bpbd-op").unwrap().daily_quota, 1500);
}

/// The partner side: a partner administrator, a User-ID request and a quota
/// request with their verdicts, an operator's NDA and TOTP secret.
pub async fn partner_requests_round_trip(store: &dyn Store) {
    let plane = seeded_control_plane(store).await;
    let today = day(2024, 1, 8);
    let admin = NewAccount {
        user_id: "bpbd-adm".into(),
        holder: "bpbd".into(),
        role: Role::PartnerAdmin,
        password_hash: "$argon2id$adm".into(),
        token_hash: None,
        nda_on: None,
    };
    let steward = NewAccount {
        user_id: "kra-admin".into(),
        holder: "disdukcapil-3313".into(),
        role: Role::ProviderAdmin,
        ..admin.clone()
    };
    let plane =
        apply(store, &plane, vec![plane.add_account(admin).unwrap(), plane.add_account(steward).unwrap()]).await;
    let applicant = Applicant {
        nik: "3313015505900001".into(),
        full_name: "Siti Rahayu".into(),
        nip: String::new(),
        employment_status: "Non-ASN".into(),
        position: "Operator".into(),
        office_region: "3313".into(),
        office: "BPBD Kab. Karanganyar".into(),
        local_user_id: "siti".into(),
    };
    let filed = plane.request_user_id("bpbd", "bpbd-adm", applicant, today).unwrap();
    let plane = apply(store, &plane, vec![filed]).await;
    let why = "Tanggap darurat banjir: verifikasi penerima bantuan";
    let plane =
        apply(store, &plane, vec![plane.request_quota("bpbd", "bpbd-adm", "bpbd-op", 900 + 1000, why, today).unwrap()])
            .await;
    let authentication = gerbang_core::access::Authentication::Verified(plane.account("kra-admin").unwrap());
    let steward = gerbang_core::access::authorize_steward(&plane, authentication).unwrap();
    let issued = Some(("bpbd-siti".to_owned(), "$argon2id$siti".to_owned()));
    let plane = apply(store, &plane, plane.approve_request(&steward, "bpbd-u1", issued, today).unwrap()).await;
    let plane =
        apply(store, &plane, vec![plane.reject_request(&steward, "bpbd-q1", "Ajukan ke Ditjen", today).unwrap()]).await;
    let plane = apply(store, &plane, vec![plane.record_nda("bpbd-siti", today, today).unwrap()]).await;
    let plane =
        apply(store, &plane, vec![plane.set_totp_secret("bpbd-siti", Some("JBSWY3DPEHPK3PXP".into())).unwrap()]).await;
    assert_eq!(plane.requests_of("bpbd").count(), 2);
    let siti = plane.account("bpbd-siti").unwrap();
    assert_eq!(
        (siti.role, siti.nda_on, siti.totp_secret.as_deref()),
        (Role::Operator, Some(today), Some("JBSWY3DPEHPK3PXP"))
    );
    assert_eq!(plane.account("bpbd-adm").unwrap().role, Role::PartnerAdmin);
}

/// Many concurrent charges against one quota: exactly `limit` succeed.
pub async fn quota_is_exact_under_concurrency(store: Arc<dyn Store>) {
    let today = day(2026, 11, 23);
    let mut tasks = Vec::new();
    for _ in 0..60 {
        let store = Arc::clone(&store);
        tasks.push(tokio::spawn(async move { store.charge_quota("ops", today, 25).await.unwrap() }));
    }
    let mut granted = Vec::new();
    for task in tasks {
        granted.extend(task.await.unwrap());
    }
    assert_eq!(granted.len(), 25);
    granted.sort_unstable();
    assert_eq!(granted, (0..25).collect::<Vec<u32>>(), "every remaining count is given out once");
    assert_eq!(store.charge_quota("ops", today, 25).await.unwrap(), None);
    store.refund_quota("ops", today).await.unwrap();
    assert_eq!(store.charge_quota("ops", today, 25).await.unwrap(), Some(0));
    assert_eq!(store.charge_quota("ops", day(2026, 11, 24), 25).await.unwrap(), Some(24), "a new day starts afresh");
    assert_eq!(store.charge_quota("other", today, 25).await.unwrap(), Some(24), "quotas are per account");
}

fn record(n: u32, charged: bool) -> AuditRecord {
    let hasher = NikHasher::new([9; 32]);
    let nik = Nik::parse("3313015512990001").unwrap();
    AuditRecord {
        operation_id: format!("op-{n}"),
        // 2026-11-22 20:00 UTC is 2026-11-23 03:00 in Jakarta.
        at: Utc.with_ymd_and_hms(2026, 11, 22, 20, 0, 0).unwrap() + chrono::Duration::milliseconds(i64::from(n)),
        interface: "compat".into(),
        institution: Some("bpbd".into()),
        user_id: Some("bpbd-op".into()),
        source_ip: IpAddr::V4(Ipv4Addr::new(10, 33, 13, 7)),
        mechanism: Some(if n == 1 { Mechanism::NikKkCheck } else { Mechanism::CallNik }),
        resident: (n != 3).then(|| hasher.key(nik)),
        elements: vec![Element::Nik, Element::NamaLengkap],
        outcome: if n == 1 { "check.found".into() } else { "resident.found".into() },
        latency_us: 150 + u64::from(n),
        charged,
    }
}

/// An audit record of a CALL_NIK by BPBD's operator, numbered `n` (for
/// backend-specific tests).
pub fn sample_audit_record(n: usize) -> AuditRecord {
    record(u32::try_from(n).unwrap_or(u32::MAX), true)
}

fn chain_of(tail: Option<ChainLink>, records: Vec<AuditRecord>) -> Vec<SealedRecord> {
    seal_all(tail, records)
}

/// Sealed records come back exactly, the chain verifies, usage follows
/// charged records, and look-ups by resident work.
pub async fn audit_chain_round_trips(store: &dyn Store) {
    assert_eq!(store.audit_tail().await.unwrap(), None);
    let first = chain_of(None, vec![record(1, true), record(2, true)]);
    store.append_audit(first.clone()).await.unwrap();
    let tail = store.audit_tail().await.unwrap();
    assert_eq!(tail, Some(ChainLink { seq: 2, hash: first[1].hash }));
    let second = chain_of(tail, vec![record(3, false), record(4, true)]);
    store.append_audit(second.clone()).await.unwrap();

    let page = store.audit_page(0, 100).await.unwrap();
    assert_eq!(page, [first, second].concat());
    let mut verifier = ChainVerifier::new();
    for sealed in &page {
        verifier.check(sealed).unwrap();
    }
    assert_eq!(store.audit_page(2, 1).await.unwrap().len(), 1);
    assert_eq!(store.quota_used("bpbd-op", day(2026, 11, 23)).await.unwrap(), 3);

    let key = NikHasher::new([9; 32]).key(Nik::parse("3313015512990001").unwrap());
    assert_eq!(store.audit_of_resident(key).await.unwrap().iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 4]);
    assert!(store.partner_had_outcome("bpbd", key, Mechanism::NikKkCheck, "check.found").await.unwrap());
    assert!(!store.partner_had_outcome("bkn", key, Mechanism::NikKkCheck, "check.found").await.unwrap());
    assert!(!store.partner_had_outcome("bpbd", key, Mechanism::CallNik, "check.found").await.unwrap());
    let key_bytes = store.installation_key().await.unwrap();
    assert_ne!(key_bytes, [0; 32], "the installation has a random secret");
}

/// A batch that breaks the sequence writes nothing.
pub async fn a_failed_audit_batch_writes_nothing(store: &dyn Store) {
    let mut batch = chain_of(None, vec![record(1, true), record(2, true)]);
    batch.push(batch[0].clone());
    assert!(store.append_audit(batch).await.is_err());
    assert_eq!(store.audit_tail().await.unwrap(), None);
    assert_eq!(store.quota_used("bpbd-op", day(2026, 11, 23)).await.unwrap(), 0);
}

/// Records sealed by the store continue the stored chain, whoever wrote
/// its tail, and concurrent writers (several nodes) still build one
/// unbroken chain with no gaps.
pub async fn recorded_audit_continues_one_chain(store: Arc<dyn Store>) {
    // A trail copied in sealed, then records sealed by the store after it.
    store.append_audit(chain_of(None, vec![record(1, true)])).await.unwrap();
    assert_eq!(store.record_audit(vec![record(2, true), record(3, false)]).await.unwrap(), [2, 3]);
    let mut writers = Vec::new();
    for writer in 0..4_u32 {
        let store = Arc::clone(&store);
        writers.push(tokio::spawn(async move {
            let mut seqs = Vec::new();
            for batch in 0..5_u32 {
                let records = (0..3).map(|n| record(10 + writer * 100 + batch * 10 + n, true)).collect();
                seqs.extend(store.record_audit(records).await.unwrap());
            }
            seqs
        }));
    }
    let mut seqs = Vec::new();
    for writer in writers {
        seqs.extend(writer.await.unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (4..=63).collect::<Vec<u64>>(), "every record got its own place, none lost");
    let page = store.audit_page(0, 1000).await.unwrap();
    assert_eq!(page.len(), 63);
    let mut verifier = ChainVerifier::new();
    for sealed in &page {
        verifier.check(sealed).unwrap();
    }
    assert_eq!(store.quota_used("bpbd-op", day(2026, 11, 23)).await.unwrap(), 62, "charged records count");
}

/// A moved deployment's secret can be adopted while the trail is empty,
/// never afterwards.
pub async fn installation_key_is_adopted_only_before_any_record(store: &dyn Store) {
    store.adopt_installation_key([7; 32]).await.unwrap();
    assert_eq!(store.installation_key().await.unwrap(), [7; 32]);
    store.record_audit(vec![record(1, false)]).await.unwrap();
    let refused = store.adopt_installation_key([8; 32]).await.unwrap_err();
    assert_eq!(refused.code(), "store.conflict");
    assert_eq!(store.installation_key().await.unwrap(), [7; 32]);
}

/// A record numbered `n` at a Jakarta wall-clock time.
fn record_at(n: u32, y: i32, m: u32, d: u32, hms: (u32, u32, u32)) -> AuditRecord {
    let at = gerbang_core::clock::JAKARTA.with_ymd_and_hms(y, m, d, hms.0, hms.1, hms.2).unwrap();
    AuditRecord { at: at.with_timezone(&Utc), ..record(n, true) }
}

/// Every stored record, checked from the anchor.
async fn verify_from_anchor(store: &dyn Store) -> Vec<u64> {
    let page = store.audit_page(0, 1000).await.unwrap();
    let mut verifier = ChainVerifier::after(store.audit_anchor().await.unwrap());
    for sealed in &page {
        verifier.check(sealed).unwrap();
    }
    page.iter().map(|sealed| sealed.seq).collect()
}

/// Retention removes whole months from the start of the chain, never a
/// record in the middle: a record sealed after one of the next month (a
/// request that began at 23:59:59 on the last day) stays with the later
/// month. What remains verifies from the anchor, the chain goes on from the
/// anchor once every record is gone, and usage is kept.
pub async fn retention_removes_whole_months_from_the_start(store: &dyn Store) {
    assert_eq!(store.audit_anchor().await.unwrap(), None);
    let sealed = store
        .record_audit(vec![
            record_at(1, 2026, 9, 10, (9, 0, 0)),
            record_at(2, 2026, 10, 5, (9, 0, 0)),
            record_at(3, 2026, 10, 31, (23, 59, 58)),
            record_at(4, 2026, 11, 1, (0, 0, 1)),
            record_at(5, 2026, 10, 31, (23, 59, 59)),
            record_at(6, 2026, 11, 20, (9, 0, 0)),
        ])
        .await
        .unwrap();
    assert_eq!(sealed, [1, 2, 3, 4, 5, 6]);
    let links: Vec<ChainLink> =
        store.audit_page(0, 10).await.unwrap().iter().map(|s| ChainLink { seq: s.seq, hash: s.hash }).collect();

    let nothing = store.remove_audit_before(day(2026, 9, 1)).await.unwrap();
    assert_eq!((nothing.records, nothing.anchor), (0, None));
    let september = store.remove_audit_before(day(2026, 10, 1)).await.unwrap();
    assert_eq!((september.records, september.anchor), (1, Some(links[0])));
    assert_eq!(verify_from_anchor(store).await, [2, 3, 4, 5, 6]);
    // A day inside a month means that month: October goes, but not record 5.
    let october = store.remove_audit_before(day(2026, 11, 15)).await.unwrap();
    assert_eq!((october.records, october.anchor), (2, Some(links[2])));
    assert_eq!(verify_from_anchor(store).await, [4, 5, 6]);
    assert_eq!(store.quota_used("bpbd-op", day(2026, 10, 5)).await.unwrap(), 1, "usage outlives its records");

    let all = store.remove_audit_before(day(2027, 1, 1)).await.unwrap();
    assert_eq!((all.records, all.anchor), (3, Some(links[5])));
    assert_eq!(store.audit_tail().await.unwrap(), Some(links[5]), "the chain goes on from the anchor");
    assert_eq!(store.record_audit(vec![record(7, false)]).await.unwrap(), [7]);
    assert_eq!(verify_from_anchor(store).await, [7]);
    assert_eq!(store.adopt_installation_key([3; 32]).await.unwrap_err().code(), "store.conflict");
}

/// A copied trail that began after removed records starts after the same
/// anchor; an anchor is adopted only while the trail is empty.
pub async fn a_copied_trail_keeps_its_anchor(store: &dyn Store) {
    let earlier = chain_of(None, vec![record(1, false), record(2, false)]);
    let anchor = ChainLink { seq: 2, hash: earlier[1].hash };
    store.adopt_audit_anchor(anchor).await.unwrap();
    assert_eq!(store.audit_tail().await.unwrap(), Some(anchor));
    store.append_audit(chain_of(Some(anchor), vec![record(3, true)])).await.unwrap();
    assert_eq!(store.record_audit(vec![record(4, true)]).await.unwrap(), [4]);
    assert_eq!(verify_from_anchor(store).await, [3, 4]);
    let refused = store.adopt_audit_anchor(ChainLink { seq: 9, hash: [0; 32] }).await.unwrap_err();
    assert_eq!(refused.code(), "store.conflict");
}

/// The registry's search filters by partner, User ID, outcome and time,
/// newest first; partner counts group by Jakarta day and hour.
pub async fn oversight_searches_and_counts_the_trail(store: &dyn Store) {
    let bkn = |n: u32, hms| AuditRecord {
        institution: Some("bkn".into()),
        user_id: Some("bkn-ws".into()),
        outcome: "resident.not_found".into(),
        ..record_at(n, 2026, 11, 23, hms)
    };
    let records = vec![
        record_at(1, 2026, 11, 22, (23, 59, 59)),
        record_at(2, 2026, 11, 23, (0, 0, 1)),
        bkn(3, (2, 15, 0)),
        record_at(4, 2026, 11, 23, (2, 40, 0)),
        bkn(5, (14, 0, 0)),
        AuditRecord { mechanism: None, outcome: "portal.sign_in".into(), ..record_at(6, 2026, 11, 23, (14, 1, 0)) },
    ];
    store.append_audit(chain_of(None, records)).await.unwrap();
    let jakarta =
        |d: u32, h: u32| gerbang_core::clock::JAKARTA.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap().to_utc();
    let search = AuditSearch {
        institution: None,
        user_id: None,
        outcome: None,
        from: jakarta(23, 0),
        until: jakarta(24, 0),
        limit: 100,
    };
    let seqs = |found: Vec<SealedRecord>| found.iter().map(|s| s.seq).collect::<Vec<_>>();
    assert_eq!(seqs(store.audit_search(search.clone()).await.unwrap()), [6, 5, 4, 3, 2], "the day, newest first");
    let of_bkn = AuditSearch { institution: Some("bkn".into()), ..search.clone() };
    assert_eq!(seqs(store.audit_search(of_bkn).await.unwrap()), [5, 3]);
    let by_user = AuditSearch { user_id: Some("bpbd-op".into()), limit: 2, ..search.clone() };
    assert_eq!(seqs(store.audit_search(by_user).await.unwrap()), [6, 4], "the limit keeps the newest");
    let by_outcome = AuditSearch { outcome: Some("resident.not_found".into()), ..search.clone() };
    assert_eq!(seqs(store.audit_search(by_outcome).await.unwrap()), [5, 3]);
    let early = AuditSearch { until: jakarta(23, 2), ..search.clone() };
    assert_eq!(seqs(store.audit_search(early).await.unwrap()), [2], "until is exclusive");
    let injected = AuditSearch { institution: Some("bkn' or '1'='1".into()), ..search };
    assert!(store.audit_search(injected).await.unwrap().is_empty(), "filters are bound, never spliced");

    let counts = store.audit_counts("bpbd", jakarta(22, 0), jakarta(24, 0)).await.unwrap();
    let seen: Vec<(NaiveDate, u8, &str, u64)> =
        counts.iter().map(|c| (c.day, c.hour, c.outcome.as_str(), c.count)).collect();
    assert_eq!(
        seen,
        [
            (day(2026, 11, 22), 23, "check.found", 1),
            (day(2026, 11, 23), 0, "resident.found", 1),
            (day(2026, 11, 23), 2, "resident.found", 1),
        ],
        "Jakarta days and hours; events without a mechanism are not calls"
    );
    assert!(counts.iter().all(|c| c.user_id == "bpbd-op"));
    assert_eq!(
        counts.iter().map(|c| c.mechanism.as_str()).collect::<Vec<_>>(),
        ["nik_kk_check", "call_nik", "call_nik"]
    );
    let bkn_counts = store.audit_counts("bkn", jakarta(23, 0), jakarta(24, 0)).await.unwrap();
    assert_eq!(bkn_counts.iter().map(|c| (c.hour, c.count)).collect::<Vec<_>>(), [(2, 1), (14, 1)]);
}

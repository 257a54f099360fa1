//! Storage-story steps of return data (SPEC.md §5): schemas, the
//! accessed-NIK probe, pending batches that become visible only when
//! committed, resubmissions that never duplicate, and the semester count.

use std::net::{IpAddr, Ipv4Addr};

use chrono::{DateTime, Duration, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::access::Mechanism;
use gerbang_core::audit::{AuditRecord, NikHasher};
use gerbang_core::return_data::{
    BatchCounts, BatchState, Field, IntakeMethod, IntakeMode, ReturnBatch, ReturnSchema, Rule, ValidRow,
};

use super::access::seeded_control_plane;
use crate::Store;

fn schema(max_length: usize) -> ReturnSchema {
    ReturnSchema {
        name: "bpbd".into(),
        title: "Data balikan BPBD".into(),
        fields: vec![Field {
            column: "ID_PENERIMA".into(),
            label: "Nomor ID penerima bantuan".into(),
            required: true,
            rule: Rule::Text { max_length },
        }],
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 3, 0, 0).unwrap()
}

fn nik(serial: u16) -> Nik {
    Nik::parse(&format!("331301120580{serial:04}")).unwrap()
}

fn row(number: u64, serial: u16, value: &str) -> ValidRow {
    ValidRow { number, nik: nik(serial), values: vec![("ID_PENERIMA".into(), value.into())] }
}

fn batch(id: &str, at: DateTime<Utc>) -> ReturnBatch {
    ReturnBatch {
        id: id.into(),
        institution: "bpbd".into(),
        schema: "bpbd".into(),
        user_id: "bpbd-op".into(),
        method: IntakeMethod::Upload,
        mode: IntakeMode::AllOrNothing,
        filename: Some("bantuan.xlsx".into()),
        received_at: at,
        counts: BatchCounts::default(),
        state: BatchState::Pending,
    }
}

fn access(n: u32, institution: &str, serial: u16, at: DateTime<Utc>, mechanism: Option<Mechanism>) -> AuditRecord {
    AuditRecord {
        operation_id: format!("rd-{n}"),
        at,
        interface: "compat".into(),
        institution: Some(institution.into()),
        user_id: Some(format!("{institution}-op")),
        source_ip: IpAddr::V4(Ipv4Addr::new(10, 33, 13, 7)),
        mechanism,
        resident: Some(NikHasher::new([7; 32]).key(nik(serial))),
        elements: vec![],
        outcome: "resident.found".into(),
        latency_us: 100,
        charged: true,
    }
}

/// Schemas are stored and replaced by name.
pub async fn return_schemas_round_trip(store: &dyn Store) {
    assert!(store.return_schemas().await.unwrap().is_empty());
    store.define_return_schema(schema(20)).await.unwrap();
    store.define_return_schema(schema(40)).await.unwrap();
    let mut other = schema(10);
    other.name = "bkn".into();
    store.define_return_schema(other.clone()).await.unwrap();
    assert_eq!(store.return_schemas().await.unwrap(), vec![other, schema(40)]);
}

/// Only the same partner's mechanism calls within the window count.
pub async fn accessed_residents_are_the_partners_own_within_the_window(store: &dyn Store) {
    seeded_control_plane(store).await;
    let hasher = NikHasher::new([7; 32]);
    store
        .record_audit(vec![
            access(1, "bpbd", 1, now() - Duration::days(10), Some(Mechanism::CallNik)),
            access(2, "bkn", 2, now() - Duration::days(10), Some(Mechanism::CallNik)),
            access(3, "bpbd", 3, now() - Duration::days(400), Some(Mechanism::CallNik)),
            access(4, "bpbd", 4, now() - Duration::days(1), None),
            access(5, "bpbd", 5, now() - Duration::days(1), Some(Mechanism::VerifyByElements)),
        ])
        .await
        .unwrap();
    let keys: Vec<_> = (1..=6).map(|s| hasher.key(nik(s))).collect();
    let found = store.accessed_residents("bpbd", now() - Duration::days(365), keys.clone()).await.unwrap();
    assert_eq!(found, vec![keys[0], keys[4]]);
    let since_long_ago = store.accessed_residents("bpbd", now() - Duration::days(500), keys.clone()).await.unwrap();
    assert_eq!(since_long_ago, vec![keys[0], keys[2], keys[4]]);
    assert!(store.accessed_residents("bpbd", now(), vec![]).await.unwrap().is_empty());
}

/// A batch's rows are invisible until committed, an aborted batch leaves
/// nothing, an identical row is never stored twice, and the semester count
/// counts residents, not rows.
pub async fn return_batches_commit_abort_and_never_duplicate(store: &dyn Store) {
    seeded_control_plane(store).await;
    store.define_return_schema(schema(20)).await.unwrap();

    store.open_return_batch(batch("b1", now())).await.unwrap();
    let stored = store.add_return_rows("b1", vec![row(2, 1, "BANSOS-1"), row(3, 2, "BANSOS-2")]).await.unwrap();
    assert_eq!(stored, [true, true]);
    let stored = store.add_return_rows("b1", vec![row(4, 3, "BANSOS-3")]).await.unwrap();
    assert_eq!(stored, [true]);
    assert!(store.return_data_of(nik(1)).await.unwrap().is_empty(), "pending rows are invisible");
    assert!(store.return_batches_of("bpbd").await.unwrap().is_empty());
    let counts = BatchCounts { rows: 3, accepted: 3, already_sent: 0, rejected: 0 };
    store.commit_return_batch("b1", counts).await.unwrap();

    let of_one = store.return_data_of(nik(1)).await.unwrap();
    assert_eq!(of_one.len(), 1);
    assert_eq!((of_one[0].institution.as_str(), of_one[0].batch.as_str()), ("bpbd", "b1"));
    assert_eq!(of_one[0].values, [("ID_PENERIMA".to_string(), "BANSOS-1".to_string())]);
    assert_eq!((of_one[0].method, of_one[0].received_at), (IntakeMethod::Upload, now()));
    let batches = store.return_batches_of("bpbd").await.unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(
        (batches[0].counts, batches[0].state, batches[0].filename.as_deref()),
        (counts, BatchState::Committed, Some("bantuan.xlsx"))
    );
    assert!(store.commit_return_batch("b1", counts).await.is_err(), "a committed batch is closed");
    let first = store.return_rows_page("b1", 0, 2).await.unwrap();
    assert_eq!(first, vec![row(2, 1, "BANSOS-1"), row(3, 2, "BANSOS-2")]);
    assert_eq!(store.return_rows_page("b1", 3, 2).await.unwrap(), vec![row(4, 3, "BANSOS-3")]);
    assert!(store.return_rows_page("b1", 4, 2).await.unwrap().is_empty());

    // The same file again: nothing new; a changed value is new data.
    let later = now() + Duration::hours(1);
    store.open_return_batch(batch("b2", later)).await.unwrap();
    let stored = store.add_return_rows("b2", vec![row(2, 1, "BANSOS-1"), row(3, 2, "BANSOS-2B")]).await.unwrap();
    assert_eq!(stored, [false, true]);
    store.commit_return_batch("b2", BatchCounts { rows: 2, accepted: 1, already_sent: 1, rejected: 0 }).await.unwrap();
    assert_eq!(store.return_data_of(nik(1)).await.unwrap().len(), 1);
    assert_eq!(store.return_data_of(nik(2)).await.unwrap().len(), 2);

    // An aborted batch leaves nothing, and its rows can come again.
    store.open_return_batch(batch("b3", later)).await.unwrap();
    assert_eq!(store.add_return_rows("b3", vec![row(2, 4, "BANSOS-4")]).await.unwrap(), [true]);
    store.abort_return_batch("b3").await.unwrap();
    assert!(store.return_data_of(nik(4)).await.unwrap().is_empty());
    assert_eq!(store.return_batches_of("bpbd").await.unwrap().len(), 2);

    // A batch left pending by a crash is cleaned up by the next one a day later.
    store.open_return_batch(batch("b4", later)).await.unwrap();
    assert_eq!(store.add_return_rows("b4", vec![row(2, 5, "BANSOS-5")]).await.unwrap(), [true]);
    store.open_return_batch(batch("b5", later + Duration::days(2))).await.unwrap();
    assert_eq!(store.add_return_rows("b5", vec![row(2, 5, "BANSOS-5")]).await.unwrap(), [true]);
    assert!(store.add_return_rows("b4", vec![row(3, 6, "X")]).await.is_err(), "the abandoned batch is gone");
    store.commit_return_batch("b5", BatchCounts { rows: 1, accepted: 1, already_sent: 0, rejected: 0 }).await.unwrap();

    let count = |from: DateTime<Utc>, until: DateTime<Utc>| store.residents_with_return_data("bpbd", from, until);
    assert_eq!(count(now(), later + Duration::days(3)).await.unwrap(), 4, "NIKs 1, 2, 3 and 5, NIK 2 once");
    assert_eq!(count(now(), later).await.unwrap(), 3, "until is exclusive");
    assert_eq!(count(later, later + Duration::days(1)).await.unwrap(), 1);
    assert_eq!(store.residents_with_return_data("bkn", now(), later + Duration::days(3)).await.unwrap(), 0);
}

/// The rows of a batch left pending by a crashed intake do not stand in the
/// way of the same rows sent again at once; and of two batches staging the
/// same row, the one that commits second counts it as already sent.
pub async fn a_crashed_batch_does_not_block_its_rows_and_racing_commits_store_once(store: &dyn Store) {
    seeded_control_plane(store).await;
    store.define_return_schema(schema(20)).await.unwrap();
    store.open_return_batch(batch("crashed", now())).await.unwrap();
    assert_eq!(store.add_return_rows("crashed", vec![row(2, 1, "BANSOS-1")]).await.unwrap(), [true]);

    // The intake died here; the file is sent again a minute later.
    store.open_return_batch(batch("again", now() + Duration::minutes(1))).await.unwrap();
    assert_eq!(
        store.add_return_rows("again", vec![row(2, 1, "BANSOS-1")]).await.unwrap(),
        [true],
        "not 'already sent'"
    );
    store
        .commit_return_batch("again", BatchCounts { rows: 1, accepted: 1, already_sent: 0, rejected: 0 })
        .await
        .unwrap();
    assert_eq!(store.return_data_of(nik(1)).await.unwrap().len(), 1);

    // Two intakes stage the same new row; the second to commit stores nothing twice.
    store.open_return_batch(batch("first", now() + Duration::minutes(2))).await.unwrap();
    store.open_return_batch(batch("second", now() + Duration::minutes(2))).await.unwrap();
    assert_eq!(store.add_return_rows("first", vec![row(2, 2, "BANSOS-2")]).await.unwrap(), [true]);
    assert_eq!(store.add_return_rows("second", vec![row(2, 2, "BANSOS-2")]).await.unwrap(), [true]);
    let one = BatchCounts { rows: 1, accepted: 1, already_sent: 0, rejected: 0 };
    store.commit_return_batch("first", one).await.unwrap();
    store.commit_return_batch("second", one).await.unwrap();
    assert_eq!(store.return_data_of(nik(2)).await.unwrap().len(), 1);
    let batches = store.return_batches_of("bpbd").await.unwrap();
    let second = batches.iter().find(|b| b.id == "second").unwrap();
    assert_eq!((second.counts.accepted, second.counts.already_sent), (0, 1));
}

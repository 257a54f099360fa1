//! The monthly partitions of the audit trail: an existing trail moves into
//! them whole, each record filed under the right month, and retention drops
//! partitions rather than deleting rows.

use chrono::{TimeZone, Utc};
use gerbang_core::audit::{AuditRecord, ChainVerifier, seal_all};
use gerbang_core::clock::JAKARTA;

use super::*;
use crate::migrate;

fn at(n: usize, day: (i32, u32, u32), hms: (u32, u32, u32)) -> AuditRecord {
    let when = JAKARTA.with_ymd_and_hms(day.0, day.1, day.2, hms.0, hms.1, hms.2).unwrap();
    AuditRecord { at: when.with_timezone(&Utc), ..story::sample_audit_record(n) }
}

fn first_of(y: i32, m: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, 1).unwrap()
}

async fn partition_exists(client: &Client, name: &str) -> bool {
    client.query_one("select to_regclass($1) is not null", &[&name]).await.unwrap().get(0)
}

#[tokio::test]
async fn an_existing_trail_moves_into_month_partitions() {
    let database = TestDatabase::create().await;
    let mut client = database.client().await;
    migrate::run_through(&mut client, 2).await.unwrap();
    // The third record began a second before the second one but was sealed
    // after it: it is filed under November with the record before it.
    let sealed = seal_all(
        None,
        vec![at(1, (2026, 10, 31), (23, 59, 59)), at(2, (2026, 11, 1), (0, 0, 1)), at(3, (2026, 10, 31), (23, 59, 58))],
    );
    for record in &sealed {
        let r = &record.record;
        client
            .execute(
                "insert into audit_trail (seq, operation_id, at, interface, institution, user_id, source_ip, \
                 mechanism, resident, elements, outcome, latency_us, charged, prev_hash, hash) \
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $13, $10, $14, $15, $11, $12)",
                &[
                    &(record.seq as i64),
                    &r.operation_id,
                    &r.at,
                    &r.interface,
                    &r.institution,
                    &r.user_id,
                    &r.source_ip.to_string(),
                    &r.mechanism.map(|m| m.name()),
                    &r.resident.map(|k| k.0.to_vec()),
                    &r.outcome,
                    &record.prev_hash.as_slice(),
                    &record.hash.as_slice(),
                    &r.elements.iter().map(|e| e.wire_name()).collect::<Vec<_>>().join(","),
                    &(r.latency_us as i64),
                    &r.charged,
                ],
            )
            .await
            .unwrap();
    }
    drop(client);

    let store = PostgresStore::connect_with(database.config()).await.unwrap();
    let client = store.client().await.unwrap();
    let filed: Vec<(i64, NaiveDate)> = client
        .query("select seq, month from audit_trail order by seq", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get(0), row.get(1)))
        .collect();
    assert_eq!(filed, [(1, first_of(2026, 10)), (2, first_of(2026, 11)), (3, first_of(2026, 11))]);
    assert!(partition_exists(&client, "audit_trail_2026_10").await);
    assert!(!partition_exists(&client, "audit_trail_unpartitioned").await, "the old table is gone");
    let mut verifier = ChainVerifier::new();
    for record in store.audit_page(0, 10).await.unwrap() {
        verifier.check(&record).unwrap();
    }
    assert_eq!(verifier.checked(), 3);

    let removed = store.remove_audit_before(first_of(2026, 11)).await.unwrap();
    assert_eq!(removed.records, 1);
    assert!(!partition_exists(&client, "audit_trail_2026_10").await, "retention dropped the partition");
    assert!(partition_exists(&client, "audit_trail_2026_11").await);
    let months: i64 = client.query_one("select count(*) from audit_partition_months()", &[]).await.unwrap().get(0);
    assert!(months >= 3, "this month and the next two are prepared when a node starts");
    drop(client);
    database.drop_now().await;
}

//! The trail's by-resident index in its own file: look-ups find every
//! record whether or not the indexer has reached it, probe instead of
//! scanning the trail, and an index that does not match its trail is
//! rebuilt from it.

use std::path::{Path, PathBuf};

use chrono::{TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::audit::{AuditRecord, NikHasher};

use super::*;
use crate::resident_index::{index_path, prefix};

/// A register in a temporary folder.
struct Files {
    _folder: tempfile::TempDir,
    register: PathBuf,
}

impl Files {
    fn new() -> Self {
        let folder = tempfile::tempdir().unwrap();
        let register = folder.path().join("gerbang.sqlite3");
        Files { _folder: folder, register }
    }

    fn open(&self) -> SqliteStore {
        SqliteStore::open(&self.register, OpenMode::CreateIfMissing).unwrap()
    }

    /// A connection to the index file alone, for inspecting and tampering.
    fn index(&self) -> Connection {
        Connection::open(index_path(&self.register)).unwrap()
    }

    /// A reader's view (register, trail and index attached), with no
    /// indexer running: the store must have been dropped.
    fn reader(&self) -> Connection {
        let connection = Connection::open(&self.register).unwrap();
        attach_audit(&connection, &audit_path(&self.register), 1024).unwrap();
        crate::resident_index::attach(&connection, &index_path(&self.register)).unwrap();
        connection
    }
}

fn key(n: usize) -> ResidentKey {
    let nik = Nik::parse(&format!("3313015512{:06}", 990_001 + n)).unwrap();
    NikHasher::new([9; 32]).key(nik)
}

/// Record `n`, about resident `n % 5`, by BPBD's operator.
fn about(n: usize) -> AuditRecord {
    AuditRecord { resident: Some(key(n % 5)), ..story::sample_audit_record(n) }
}

fn seqs(records: &[SealedRecord]) -> Vec<u64> {
    records.iter().map(|record| record.seq).collect()
}

/// (entries, through_seq) of the index file.
fn reach(index: &Connection) -> (i64, i64) {
    index
        .query_row("select (select count(*) from entries), (select through_seq from progress)", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap()
}

/// Records 1..=20 in two batches, then the store closed (its indexer
/// stopped); the index file then covers them all, because opening builds
/// it up to the tail.
async fn twenty_records(files: &Files) {
    let store = files.open();
    store.record_audit((1..=10).map(about).collect()).await.unwrap();
    store.record_audit((11..=20).map(about).collect()).await.unwrap();
    drop(store);
    drop(files.open());
}

fn expected_for(resident: usize) -> Vec<u64> {
    (1..=20u64).filter(|n| *n as usize % 5 == resident).collect()
}

#[tokio::test]
async fn records_past_the_index_are_found_all_the_same() {
    let files = Files::new();
    twenty_records(&files).await;
    assert_eq!(reach(&files.index()), (20, 20));

    let reader = files.reader();
    let lookup = |resident: usize| seqs(&audit::of_resident(&reader, key(resident)).unwrap());
    for resident in 0..5 {
        assert_eq!(lookup(resident), expected_for(resident), "indexed");
    }
    // As if the indexer had only reached record 12: entries after it gone.
    let index = files.index();
    index.execute_batch("delete from entries where seq > 12; update progress set through_seq = 12").unwrap();
    for resident in 0..5 {
        assert_eq!(lookup(resident), expected_for(resident), "partly indexed");
    }
    index.execute_batch("delete from entries; update progress set through_seq = 0").unwrap();
    for resident in 0..5 {
        assert_eq!(lookup(resident), expected_for(resident), "nothing indexed");
    }
    index.execute_batch("delete from progress").unwrap();
    for resident in 0..5 {
        assert_eq!(lookup(resident), expected_for(resident), "no record of how far it reached");
    }
    assert!(audit::had_outcome(&reader, "bpbd", key(3), Mechanism::CallNik, "resident.found").unwrap());
    assert!(!audit::had_outcome(&reader, "bkn", key(3), Mechanism::CallNik, "resident.found").unwrap());
    let since = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let found = return_data::accessed(&reader, "bpbd", since, &[key(1), key(7)]).unwrap();
    assert_eq!(found, [key(1)], "resident 7 was never asked");
}

#[tokio::test]
async fn a_shared_prefix_never_yields_another_residents_records() {
    let files = Files::new();
    twenty_records(&files).await;
    // Every entry now claims resident 0's prefix.
    files.index().execute("update entries set resident = ?1", [prefix(&key(0))]).unwrap();
    let reader = files.reader();
    assert_eq!(seqs(&audit::of_resident(&reader, key(0)).unwrap()), expected_for(0));
    assert!(audit::of_resident(&reader, key(1)).unwrap().is_empty(), "its entries now carry another prefix");
}

#[tokio::test]
async fn the_indexer_reaches_new_records_while_the_store_is_open() {
    let files = Files::new();
    let store = files.open();
    store.record_audit((1..=10).map(about).collect()).await.unwrap();
    let index = files.index();
    let asked = std::time::Instant::now();
    while reach(&index) != (10, 10) {
        assert!(asked.elapsed() < std::time::Duration::from_secs(10), "indexed: {:?}", reach(&index));
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(seqs(&store.audit_of_resident(key(2)).await.unwrap()), [2, 7]);
}

/// Plans that read every record of the trail (or of a partner) would grow
/// with it; each look-up must probe by sequence number.
#[test]
fn look_ups_probe_by_sequence_number_and_never_scan_the_trail() {
    let files = Files::new();
    drop(files.open());
    let reader = files.reader();
    for sql in [audit::OF_RESIDENT, audit::HAD_OUTCOME, return_data::ACCESSED] {
        let mut statement = reader.prepare(&format!("explain query plan {sql}")).unwrap();
        let unbound = vec![rusqlite::types::Null; statement.parameter_count()];
        let plan: Vec<String> = statement
            .query_map(rusqlite::params_from_iter(unbound), |row| row.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join("\n");
        assert!(plan.contains("SEARCH audit.audit_trail USING INTEGER PRIMARY KEY (rowid=?)"), "{sql}\n{plan}");
        assert!(plan.contains("SEARCH audit.audit_trail USING INTEGER PRIMARY KEY (rowid>?)"), "{sql}\n{plan}");
        assert!(plan.contains("SEARCH resident_index.entries USING PRIMARY KEY (resident=?)"), "{sql}\n{plan}");
        assert!(!plan.contains("SCAN audit.audit_trail") && !plan.contains("audit_by_institution"), "{sql}\n{plan}");
    }
}

/// Opening rebuilds the index in place and reaches the tail.
fn assert_rebuilt(files: &Files) {
    drop(files.open());
    assert_eq!(reach(&files.index()), (20, 20));
    let reader = files.reader();
    for resident in 0..5 {
        assert_eq!(seqs(&audit::of_resident(&reader, key(resident)).unwrap()), expected_for(resident));
    }
}

fn tamper(index: &Path, sql: &str) {
    Connection::open(index).unwrap().execute_batch(sql).unwrap();
}

#[tokio::test]
async fn an_index_that_does_not_match_its_trail_is_rebuilt() {
    let files = Files::new();
    twenty_records(&files).await;
    let index = index_path(&files.register);

    // Of another trail.
    tamper(&index, "update progress set trail = x'00'; delete from entries where seq % 2 = 0");
    assert_rebuilt(&files);
    // From after a trail restored from an older backup: it reached records
    // the trail does not have.
    tamper(&index, "update progress set through_seq = 25; delete from entries where seq < 5");
    assert_rebuilt(&files);
    // Its last record differs from the trail's.
    tamper(&index, "update progress set through_hash = x'01'; delete from entries where seq = 20");
    assert_rebuilt(&files);
    // Written before the machine was last started: unsynced writes may have
    // been lost.
    tamper(&index, "update progress set boot = 'an earlier boot'; delete from entries where seq = 7");
    assert_rebuilt(&files);
    // Damaged.
    std::fs::write(&index, b"not an index at all\n".repeat(400)).unwrap();
    assert_rebuilt(&files);
    // Missing.
    std::fs::remove_file(&index).unwrap();
    assert_rebuilt(&files);
}

#[tokio::test]
async fn retention_takes_the_removed_records_out_of_the_index() {
    let files = Files::new();
    let store = files.open();
    let june = Utc.with_ymd_and_hms(2025, 6, 10, 3, 0, 0).unwrap();
    let old: Vec<AuditRecord> = (1..=6).map(|n| AuditRecord { at: june, ..about(n) }).collect();
    store.record_audit(old).await.unwrap();
    store.record_audit((7..=10).map(about).collect()).await.unwrap();
    let removal = store.remove_audit_before(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()).await.unwrap();
    assert_eq!(removal.records, 6);
    drop(store);
    drop(files.open());
    let index = files.index();
    assert_eq!(reach(&index), (4, 10));
    let first: i64 = index.query_row("select min(seq) from entries", [], |row| row.get(0)).unwrap();
    assert_eq!(first, 7);
    assert_eq!(seqs(&audit::of_resident(&files.reader(), key(2)).unwrap()), [7]);
}

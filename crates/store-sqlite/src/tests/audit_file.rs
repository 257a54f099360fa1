//! The audit file beside the register: a trail written before it existed
//! moves into it, and a missing or foreign audit file is refused.

use std::path::Path;

use super::*;
use crate::migrate::{MIGRATIONS, checksum};

/// Closes every connection of `store` (readers and writer), so that the
/// files on disk are complete without their write-ahead logs.
fn close(store: SqliteStore) {
    drop(store);
}

/// A register file as the releases before the audit file left it: only
/// migrations 1 and 2, the trail and usage of `source`'s audit file copied
/// into its own tables.
fn old_layout_copy_of(source_audit: &Path, target: &Path) {
    let connection = Connection::open(target).unwrap();
    connection.execute_batch("create table schema_migrations (version integer primary key, name text not null, sha256 text not null, applied_at text not null)").unwrap();
    for migration in &MIGRATIONS[..2] {
        connection.execute_batch(migration.sql).unwrap();
        connection
            .execute(
                "insert into schema_migrations values (?1, ?2, ?3, 'earlier')",
                rusqlite::params![migration.version, migration.name, checksum(migration.sql)],
            )
            .unwrap();
    }
    connection.execute("attach database ?1 as source", [source_audit.to_str().unwrap()]).unwrap();
    connection
        .execute_batch(
            "insert into main.audit_trail select * from source.audit_trail;
             insert into main.quota_usage select * from source.quota_usage;",
        )
        .unwrap();
}

#[tokio::test]
async fn a_trail_from_before_the_audit_file_moves_into_it_whole() {
    let folder = tempfile::tempdir().unwrap();
    let written = folder.path().join("written.sqlite3");
    let store = SqliteStore::open(&written, OpenMode::CreateIfMissing).unwrap();
    story::audit_chain_round_trips(&store).await;
    let records = store.audit_page(0, 100).await.unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let used = store.quota_used("bpbd-op", day).await.unwrap();
    close(store);

    let old = folder.path().join("gerbang.sqlite3");
    old_layout_copy_of(&audit_path(&written), &old);
    assert!(!audit_path(&old).exists());
    for _ in 0..2 {
        let store = SqliteStore::open(&old, OpenMode::MustExist).unwrap();
        assert_eq!(store.audit_page(0, 100).await.unwrap(), records, "every record, unchanged and in order");
        assert_eq!(store.quota_used("bpbd-op", day).await.unwrap(), used);
        assert_eq!(store.audit_tail().await.unwrap().map(|link| link.seq), records.last().map(|r| r.seq));
        close(store);
    }
    let connection = Connection::open(&old).unwrap();
    let left: i64 = connection
        .query_row("select count(*) from sqlite_master where name in ('audit_trail', 'quota_usage')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "the register file no longer holds the trail");
}

#[tokio::test]
async fn a_missing_audit_file_is_refused_and_not_recreated() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("gerbang.sqlite3");
    let store = SqliteStore::open(&path, OpenMode::CreateIfMissing).unwrap();
    story::audit_chain_round_trips(&store).await;
    close(store);
    std::fs::remove_file(audit_path(&path)).unwrap();

    let error = SqliteStore::open(&path, OpenMode::MustExist).err().unwrap();
    assert_eq!(error.code(), "store.unavailable");
    assert!(error.to_string().contains("gerbang.audit.sqlite3"), "{error}");
    assert!(!audit_path(&path).exists(), "no empty trail is started in its place");
}

#[tokio::test]
async fn another_installations_audit_file_is_refused() {
    let folder = tempfile::tempdir().unwrap();
    let (ours, theirs) = (folder.path().join("ours.sqlite3"), folder.path().join("theirs.sqlite3"));
    close(SqliteStore::open(&ours, OpenMode::CreateIfMissing).unwrap());
    close(SqliteStore::open(&theirs, OpenMode::CreateIfMissing).unwrap());
    std::fs::copy(audit_path(&theirs), audit_path(&ours)).unwrap();

    let error = SqliteStore::open(&ours, OpenMode::MustExist).err().unwrap();
    assert_eq!(error.code(), "store.corrupt");
    assert!(error.to_string().contains("bukan pasangan"), "{error}");
}

#[tokio::test]
async fn bulk_loads_leave_the_audit_file_durable() {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap();
    store.begin_bulk_load().await.unwrap();
    let modes = store
        .with_writer(|c| {
            let mode = |schema: &str| -> Result<String, StoreError> {
                c.query_row(&format!("pragma {schema}.journal_mode"), [], |r| r.get(0)).map_err(from_sqlite)
            };
            let sync = |schema: &str| -> Result<i64, StoreError> {
                c.query_row(&format!("pragma {schema}.synchronous"), [], |r| r.get(0)).map_err(from_sqlite)
            };
            Ok((mode("main")?, mode("audit")?, sync("audit")?))
        })
        .await
        .unwrap();
    // synchronous = 2 is FULL.
    assert_eq!(modes, ("delete".to_owned(), "wal".to_owned(), 2));
    store.finish_bulk_load().await.unwrap();
}

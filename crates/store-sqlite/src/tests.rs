use super::*;
use gerbang_store::story;

fn fresh() -> (tempfile::TempDir, SqliteStore) {
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap();
    (folder, store)
}

macro_rules! story_tests {
    ($($step:ident),+ $(,)?) => {$(
        #[tokio::test]
        async fn $step() {
            let (_folder, store) = fresh();
            story::$step(&store).await;
        }
    )+};
}

macro_rules! shared_story_tests {
    ($($step:ident),+ $(,)?) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $step() {
            let (_folder, store) = fresh();
            story::$step(std::sync::Arc::new(store)).await;
        }
    )+};
}

gerbang_store::story_steps!(story_tests, shared_story_tests);

#[test]
fn readers_map_the_register_and_the_writer_does_not() {
    let (_folder, store) = fresh();
    let mapped = |connection: &rusqlite::Connection| -> i64 {
        connection.query_row("pragma main.mmap_size", [], |row| row.get(0)).unwrap()
    };
    let reader = reader(&store.inner).unwrap();
    assert!(mapped(&reader) > 0, "look-ups read the register through a memory map");
    let writer = store.inner.writer.lock().unwrap();
    assert_eq!(mapped(&writer), 0, "the writer reads and writes through the file");
}

#[test]
fn a_missing_file_is_refused_when_it_must_exist() {
    let folder = tempfile::tempdir().unwrap();
    let error = SqliteStore::open(&folder.path().join("nope.sqlite3"), OpenMode::MustExist).err().unwrap();
    assert_eq!(error.code(), "store.unavailable");
    assert!(error.to_string().contains("gerbang seed"));
    assert!(!folder.path().join("nope.sqlite3").exists(), "nothing is created");
}

#[test]
fn a_file_that_is_not_a_database_is_reported_as_corrupt() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("gerbang.sqlite3");
    std::fs::write(&path, b"this is not a database, it is a shopping list\n".repeat(200)).unwrap();
    let error = SqliteStore::open(&path, OpenMode::MustExist).err().unwrap();
    assert_eq!(error.code(), "store.corrupt");
    assert!(error.to_string().contains("bukan basis data SQLite"), "{error}");
}

#[test]
fn an_unwritable_folder_is_reported_as_unavailable() {
    let folder = tempfile::tempdir().unwrap();
    let blocker = folder.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let error = SqliteStore::open(&blocker.join("sub/gerbang.sqlite3"), OpenMode::CreateIfMissing).err().unwrap();
    assert_eq!(error.code(), "store.unavailable");
}

#[tokio::test]
async fn reopening_keeps_the_data_and_the_schema() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("gerbang.sqlite3");
    let household = story::sample_household(1).unwrap();
    {
        let store = SqliteStore::open(&path, OpenMode::CreateIfMissing).unwrap();
        store.insert_households(vec![household.clone()]).await.unwrap();
    }
    let store = SqliteStore::open(&path, OpenMode::MustExist).unwrap();
    let nik = household.members[0].nik;
    assert!(store.resident(nik).await.unwrap().is_some());
}

#[tokio::test]
async fn an_interrupted_bulk_load_heals_on_the_next_open() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("gerbang.sqlite3");
    {
        let store = SqliteStore::open(&path, OpenMode::CreateIfMissing).unwrap();
        store.begin_bulk_load().await.unwrap();
        store.insert_households(vec![story::sample_household(1).unwrap()]).await.unwrap();
        // Dropped without finish_bulk_load, as if the process had been killed.
    }
    let store = SqliteStore::open(&path, OpenMode::MustExist).unwrap();
    let (index, mode) = store
        .read(|c| {
            let index: i64 = c
                .query_row("select count(*) from sqlite_master where name = 'residents_by_no_kk'", [], |r| r.get(0))
                .map_err(from_sqlite)?;
            let mode: String = c.query_row("pragma journal_mode", [], |r| r.get(0)).map_err(from_sqlite)?;
            Ok((index, mode))
        })
        .await
        .unwrap();
    assert_eq!((index, mode.as_str()), (1, "wal"));
}

mod audit_file;
mod quota_properties;
mod resident_index;

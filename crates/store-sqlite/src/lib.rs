//! The embedded SQLite backend of the Gerbang storage trait (SPEC.md; the
//! default for `gerbang serve`). A deployment is two files side by side:
//! the register file (`gerbang.sqlite3`: register with its biometric
//! enrolments, control plane, the installation secret) and the audit file
//! (`gerbang.audit.sqlite3`: the audit trail and quota usage), attached to
//! every connection as `audit`. Appends to the trail therefore never
//! invalidate the register pages that readers keep cached. The register
//! file remembers its audit file's identity: a missing or foreign audit
//! file is refused, never replaced by an empty one. Back up both files
//! together. A third file, the trail's by-resident index
//! (`gerbang.audit-index.sqlite3`), is derived from the trail and rebuilt
//! from it when missing or stale; it needs no backup.
//!
//! One writer connection behind a lock serializes writes, as SQLite requires;
//! a small pool of reader connections serves look-ups concurrently in WAL
//! mode. Work runs on tokio's blocking threads, except point look-ups by key
//! (a resident by NIK, a household by NO_KK): those take microseconds, about
//! what the hand-off to another thread would cost, so they run where they
//! are called.
//!
//! Outside bulk loads the writer commits with `synchronous = full`, so an
//! audit record is on disk before its answer leaves; the server batches
//! records (group commit) so that costs one sync per batch, not per request.
//!
//! A SQLite deployment is one node: daily quota counters are kept exact in
//! this process's memory (seeded from the stored usage, which the audit
//! batches keep up to date). Several nodes need the PostgreSQL backend.

mod alerts;
mod audit;
mod biometrics;
mod casework;
mod control;
mod error;
mod migrate;
mod oversight;
mod register;
mod reports;
mod resident_codes;
mod resident_index;
mod return_data;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use gerbang_core::access::{ControlPlane, ControlWrite, Mechanism};
use gerbang_core::alert::{Alert, Canary, Sighting};
use gerbang_core::audit::{AuditRecord, ChainLink, ResidentKey, SealedRecord, seal_all};
use gerbang_core::biometric::{BiometricCounts, FaceEnrolment, FingerprintEnrolment};
use gerbang_core::facilitation::Case;
use gerbang_core::reminder::Notification;
use gerbang_core::report::{Semester, SemesterReport};
use gerbang_core::return_data::{BatchCounts, ReturnBatch, ReturnSchema, StoredReturnRow, ValidRow};
use gerbang_core::transparency::ResidentCode;
use gerbang_core::{Family, Nik, NoKk, Resident};
use gerbang_store::{
    AuditCount, AuditRemoval, AuditSearch, BlockingAudit, CaseQuery, Household, QueuedNotification, RegisterHealth,
    Store, StoreError,
};
use rusqlite::Connection;

use crate::error::from_sqlite;
use crate::resident_index::Indexer;

/// Hits charged per (User ID, Jakarta day).
type QuotaCounters = HashMap<(String, NaiveDate), u32>;

/// The writer's settings outside bulk loads: every commit reaches the disk.
const DURABLE: &str =
    "pragma main.journal_mode = wal; pragma main.synchronous = full; pragma audit.synchronous = full;";

/// The audit file beside a register file: `gerbang.sqlite3` →
/// `gerbang.audit.sqlite3`.
pub fn audit_path(register: &Path) -> PathBuf {
    register.with_extension("audit.sqlite3")
}

/// The writer's page cache for the register, in KiB, outside bulk loads.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

/// The writer's page cache during a bulk load of the register, in KiB.
const BULK_CACHE_KIB: i64 = 256 * 1024;

/// How many idle reader connections are kept open.
const IDLE_READERS: usize = 8;

/// How much of the register file each reader maps into memory, in bytes
/// (SQLite caps it at its build's limit, 2 GiB less 64 KiB here). A look-up
/// then reads the register's pages straight from the operating system's
/// page cache instead of copying each through a `pread` into the
/// connection's own cache: with residents asked in random order, as real
/// traffic asks them, that took a fifth of the server's CPU per call off
/// (BENCHMARKS.md, "Varied residents"). The trade: a disk error on a
/// mapped page stops the process (SIGBUS) instead of failing the one
/// look-up. The register file never shrinks while the server runs (no
/// `VACUUM`), which mapping requires. The writer does not map: its audit
/// file grows with every batch, and remapping it cost more than it saved.
const READER_MAP_BYTES: i64 = 1 << 31;

/// Whether opening may create a new, empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the file (and its folder) if it does not exist.
    CreateIfMissing,
    /// Refuse to start on a missing file: a server must not silently come up
    /// on an empty register because of a mistyped path.
    MustExist,
}

/// The SQLite store. Cloning shares the same connections.
#[derive(Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    audit_path: PathBuf,
    index_path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Hits charged per (User ID, Jakarta day) by this process.
    quota: Mutex<QuotaCounters>,
    /// Adds appended records to the by-resident index.
    indexer: Indexer,
}

fn configure(connection: &Connection, cache_kib: i64) -> Result<(), StoreError> {
    connection
        .execute_batch(&format!(
            "pragma page_size = 8192;
             pragma journal_mode = wal;
             pragma synchronous = normal;
             pragma foreign_keys = on;
             pragma busy_timeout = 5000;
             pragma temp_store = memory;
             pragma cache_size = -{cache_kib};"
        ))
        .map_err(from_sqlite)
}

fn open_connection(path: &Path, cache_kib: i64) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)
        .map_err(|error| StoreError::Unavailable(format!("tidak dapat membuka {}: {error}", path.display())))?;
    // Look-ups and the audit append run cached statements; the default
    // cache of 16 is smaller than the writer's working set.
    connection.set_prepared_statement_cache_capacity(64);
    configure(&connection, cache_kib).map_err(|error| match error {
        StoreError::Corrupt(_) => StoreError::Corrupt(format!("{} bukan basis data SQLite yang utuh", path.display())),
        other => other,
    })?;
    Ok(connection)
}

/// Attaches the audit file as `audit` (creating it when new, with 4 KiB
/// pages) with `cache_kib` of page cache.
fn attach_audit(connection: &Connection, audit_path: &Path, cache_kib: i64) -> Result<(), StoreError> {
    let path = audit_path.to_str().ok_or_else(|| {
        StoreError::Unavailable(format!("path berkas jejak audit {} bukan UTF-8", audit_path.display()))
    })?;
    connection.execute("attach database ?1 as audit", [path]).map_err(from_sqlite)?;
    connection
        .execute_batch(&format!(
            "pragma audit.page_size = 4096;
             pragma audit.journal_mode = wal;
             pragma audit.synchronous = normal;
             pragma audit.cache_size = -{cache_kib};"
        ))
        .map_err(|error| match from_sqlite(error) {
            StoreError::Corrupt(_) => {
                StoreError::Corrupt(format!("{} bukan berkas jejak audit SQLite yang utuh", audit_path.display()))
            }
            other => other,
        })
}

/// A new read-only connection.
fn reader(inner: &Inner) -> Result<Connection, StoreError> {
    let connection = open_connection(&inner.path, 16 * 1024)?;
    attach_audit(&connection, &inner.audit_path, 4 * 1024)?;
    resident_index::attach(&connection, &inner.index_path)?;
    connection
        .execute_batch(&format!("pragma query_only = on; pragma main.mmap_size = {READER_MAP_BYTES};"))
        .map_err(from_sqlite)?;
    Ok(connection)
}

/// Whether the register file already has its trail in an audit file.
fn has_audit_file(connection: &Connection) -> Result<bool, StoreError> {
    connection
        .query_row(
            "select exists (select 1 from main.sqlite_master where type = 'table' and name = 'audit_file')",
            [],
            |row| row.get(0),
        )
        .map_err(from_sqlite)
}

impl SqliteStore {
    /// Opens (or creates) the database at `path` and applies pending
    /// migrations.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Self, StoreError> {
        match mode {
            OpenMode::MustExist if !path.exists() => {
                return Err(StoreError::Unavailable(format!(
                    "berkas basis data {} tidak ada; jalankan `gerbang seed` atau `gerbang demo` lebih dulu",
                    path.display()
                )));
            }
            OpenMode::CreateIfMissing => {
                if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(folder).map_err(|error| {
                        StoreError::Unavailable(format!("tidak dapat membuat folder {}: {error}", folder.display()))
                    })?;
                }
            }
            OpenMode::MustExist => {}
        }
        // The writer's page cache is raised for bulk loads only, which
        // touch many pages; day to day it stays small, so a long write
        // (a million-row return-data file) does not grow the process.
        let mut writer = open_connection(path, WRITER_CACHE_KIB)?;
        let audit_path = audit_path(path);
        if !audit_path.exists() && has_audit_file(&writer)? {
            return Err(StoreError::Unavailable(format!(
                "berkas jejak audit {} tidak ada, padahal {} menyimpan jejaknya di sana; pulihkan berkas itu dari cadangan",
                audit_path.display(),
                path.display()
            )));
        }
        attach_audit(&writer, &audit_path, 16 * 1024)?;
        migrate::run(&mut writer)?;
        if !audit::is_paired(&writer)? {
            return Err(StoreError::Corrupt(format!(
                "berkas jejak audit {} bukan pasangan {}; pulihkan berkas yang benar dari cadangan",
                audit_path.display(),
                path.display()
            )));
        }
        // A bulk load interrupted before it finished leaves the index
        // dropped; put it back.
        writer.execute_batch(register::NO_KK_INDEX).map_err(from_sqlite)?;
        writer.execute_batch(DURABLE).map_err(from_sqlite)?;
        let index_path = resident_index::index_path(path);
        let indexer = Indexer::start(resident_index::open(&index_path, &audit_path)?)?;
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                audit_path,
                index_path,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                quota: Mutex::new(HashMap::new()),
                indexer,
            }),
        })
    }

    /// Runs read-only work on a pooled connection, off the async threads.
    async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let pooled = inner.readers.lock().ok().and_then(|mut idle| idle.pop());
            let connection = match pooled {
                Some(connection) => connection,
                None => reader(&inner)?,
            };
            let result = work(&connection);
            if let Ok(mut idle) = inner.readers.lock()
                && idle.len() < IDLE_READERS
            {
                idle.push(connection);
            }
            result
        })
        .await
        .map_err(|error| StoreError::Backend(format!("tugas baca terhenti: {error}")))?
    }

    /// Runs a short indexed look-up on a pooled connection on the calling
    /// thread. Handing a look-up of a few microseconds to the blocking pool
    /// costs about as much again (a thread wake-up each way). Only point
    /// look-ups by key use this; scans use [`SqliteStore::read`].
    fn look_up<T>(&self, work: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let pooled = self.inner.readers.lock().ok().and_then(|mut idle| idle.pop());
        let connection = match pooled {
            Some(connection) => connection,
            None => reader(&self.inner)?,
        };
        let result = work(&connection);
        if let Ok(mut idle) = self.inner.readers.lock()
            && idle.len() < IDLE_READERS
        {
            idle.push(connection);
        }
        result
    }

    /// Runs work on the writer connection, off the async threads.
    async fn with_writer<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.with_writer_now(work))
            .await
            .map_err(|error| StoreError::Backend(format!("tugas tulis terhenti: {error}")))?
    }

    /// Runs work on the writer connection on the calling thread.
    fn with_writer_now<T>(&self, work: impl FnOnce(&mut Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut connection = self.inner.writer.lock().map_err(|_| {
            StoreError::Backend("koneksi penulis tidak dapat dipakai setelah kegagalan sebelumnya".into())
        })?;
        work(&mut connection)
    }

    /// Runs work in one write transaction, off the async threads.
    async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        self.with_writer(|connection| in_transaction(connection, work)).await
    }
}

/// Runs `work` in one immediate transaction on `connection` and commits.
/// Immediate: the write lock is taken before anything is read, so what a
/// transaction reads (the chain's tail) cannot be changed by another
/// process (a CLI command) before it commits.
fn in_transaction<T>(
    connection: &mut Connection,
    work: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let transaction =
        connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(from_sqlite)?;
    let value = work(&transaction)?;
    transaction.commit().map_err(from_sqlite)?;
    Ok(value)
}

/// Stores `sightings` and appends `records`, sealed after the stored tail,
/// in `tx`; the records' sequence numbers.
fn audit_batch(
    tx: &rusqlite::Transaction<'_>,
    records: Vec<AuditRecord>,
    sightings: &[Sighting],
) -> Result<Vec<u64>, StoreError> {
    for sighting in sightings {
        alerts::raise(tx, sighting)?;
    }
    let sealed = seal_all(audit::tail(tx)?, records);
    audit::append(tx, &sealed)?;
    Ok(sealed.iter().map(|record| record.seq).collect())
}

/// The audit writer's thread writes each batch itself: it may block, and
/// the writer connection is a lock away.
impl BlockingAudit for SqliteStore {
    fn record_batch(&self, records: Vec<AuditRecord>, sightings: Vec<Sighting>) -> Result<Vec<u64>, StoreError> {
        let sequence =
            self.with_writer_now(|connection| in_transaction(connection, |tx| audit_batch(tx, records, &sightings)))?;
        self.inner.indexer.wake();
        Ok(sequence)
    }
}

#[async_trait]
impl Store for SqliteStore {
    fn describe(&self) -> String {
        format!("sqlite {} (jejak audit {})", self.inner.path.display(), self.inner.audit_path.display())
    }

    async fn resident(&self, nik: Nik) -> Result<Option<(Resident, Family)>, StoreError> {
        self.look_up(|connection| register::resident(connection, nik))
    }

    async fn household(&self, no_kk: NoKk) -> Result<Option<Household>, StoreError> {
        self.look_up(|connection| register::household(connection, no_kk))
    }

    async fn residents_after(&self, after: Option<Nik>, limit: u32) -> Result<Vec<Resident>, StoreError> {
        self.read(move |connection| register::residents_after(connection, after, limit)).await
    }

    /// In bulk mode the writer uses a rollback journal instead of the WAL
    /// (new pages are then written once, not twice), does not wait for the
    /// disk, and the NO_KK index is built once at the end instead of row by
    /// row: together about 1.7× faster. A killed process still leaves every
    /// committed batch intact; `open` restores WAL mode and the index.
    async fn begin_bulk_load(&self) -> Result<(), StoreError> {
        // Leaving WAL mode needs the writer to be the only connection.
        if let Ok(mut idle) = self.inner.readers.lock() {
            idle.clear();
        }
        self.with_writer(|connection| {
            connection
                .execute_batch(&format!(
                    "pragma main.journal_mode = delete; pragma main.synchronous = off; \
                     pragma main.cache_size = -{BULK_CACHE_KIB}; drop index if exists main.residents_by_no_kk;",
                ))
                .map_err(from_sqlite)
        })
        .await
    }

    async fn finish_bulk_load(&self) -> Result<(), StoreError> {
        self.with_writer(|connection| {
            connection.execute_batch(register::NO_KK_INDEX).map_err(from_sqlite)?;
            connection.execute_batch(DURABLE).map_err(from_sqlite)?;
            // Back to the everyday cache: SQLite frees the pages above it.
            connection.execute_batch(&format!("pragma main.cache_size = -{WRITER_CACHE_KIB};")).map_err(from_sqlite)
        })
        .await
    }

    async fn insert_households(&self, households: Vec<Household>) -> Result<(), StoreError> {
        let households = Arc::new(households);
        let written = Arc::clone(&households);
        self.write(move |transaction| register::insert_households(transaction, &written)).await?;
        // Freeing a large batch takes tens of milliseconds; do it on another
        // blocking thread so the single writer moves on to the next batch.
        if households.len() > 1_000 {
            tokio::task::spawn_blocking(move || drop(households));
        }
        Ok(())
    }

    async fn clear_register(&self) -> Result<(), StoreError> {
        self.write(|transaction| {
            biometrics::clear(transaction)?;
            transaction.execute_batch("delete from residents; delete from families;").map_err(from_sqlite)
        })
        .await
    }

    async fn register_health(&self) -> Result<RegisterHealth, StoreError> {
        self.read(register::health).await
    }

    async fn installation_key(&self) -> Result<[u8; 32], StoreError> {
        self.read(audit::installation_key).await
    }

    async fn adopt_installation_key(&self, key: [u8; 32]) -> Result<(), StoreError> {
        self.write(move |tx| audit::adopt_installation_key(tx, key)).await
    }

    async fn control_plane(&self) -> Result<ControlPlane, StoreError> {
        self.read(control::load).await
    }

    async fn control_version(&self) -> Result<u64, StoreError> {
        self.read(control::version).await
    }

    async fn apply_control(&self, writes: Vec<ControlWrite>) -> Result<(), StoreError> {
        self.write(move |tx| control::apply(tx, &writes)).await
    }

    async fn accept_sam_counter(&self, sam: &str, counter: u64) -> Result<bool, StoreError> {
        let sam = sam.to_owned();
        self.write(move |tx| control::accept_sam_counter(tx, &sam, counter)).await
    }

    async fn sam_counters(&self) -> Result<Vec<(String, u64)>, StoreError> {
        self.read(control::sam_counters).await
    }

    async fn add_canary(&self, canary: Canary) -> Result<(), StoreError> {
        self.write(move |tx| alerts::add_canary(tx, &canary)).await
    }

    async fn canaries(&self) -> Result<Vec<Canary>, StoreError> {
        self.read(alerts::canaries).await
    }

    async fn raise_alert(&self, sighting: Sighting) -> Result<u64, StoreError> {
        self.write(move |tx| alerts::raise(tx, &sighting)).await
    }

    async fn alerts(&self, limit: u32) -> Result<Vec<Alert>, StoreError> {
        self.read(move |connection| alerts::alerts(connection, limit)).await
    }

    async fn alert(&self, id: u64) -> Result<Option<Alert>, StoreError> {
        self.read(move |connection| alerts::alert(connection, id)).await
    }

    async fn acknowledge_alert(&self, id: u64, by: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        let by = by.to_owned();
        self.write(move |tx| alerts::acknowledge(tx, id, &by, at)).await
    }

    async fn restore_alerts(&self, alerts: Vec<Alert>) -> Result<(), StoreError> {
        self.write(move |tx| alerts::restore(tx, &alerts)).await
    }

    async fn enrol_face(&self, enrolment: &FaceEnrolment) -> Result<(), StoreError> {
        let enrolment = enrolment.clone();
        self.write(move |tx| biometrics::enrol_face(tx, &enrolment)).await
    }

    /// Through the blocking pool, not as a point look-up: the row carries a
    /// photo of up to 2 MB.
    async fn face(&self, nik: Nik) -> Result<Option<FaceEnrolment>, StoreError> {
        self.read(move |connection| biometrics::face(connection, nik)).await
    }

    async fn face_embeddings(&self) -> Result<Vec<(Nik, Vec<u8>)>, StoreError> {
        self.read(biometrics::face_embeddings).await
    }

    async fn faces_after(&self, after: Option<Nik>, limit: u32) -> Result<Vec<FaceEnrolment>, StoreError> {
        self.read(move |connection| biometrics::faces_after(connection, after, limit)).await
    }

    async fn enrol_fingerprints(&self, enrolment: &FingerprintEnrolment) -> Result<(), StoreError> {
        let enrolment = enrolment.clone();
        self.write(move |tx| biometrics::enrol_fingerprints(tx, &enrolment)).await
    }

    async fn fingerprint_enrolments(&self) -> Result<Vec<FingerprintEnrolment>, StoreError> {
        self.read(biometrics::fingerprint_enrolments).await
    }

    async fn biometric_counts(&self) -> Result<BiometricCounts, StoreError> {
        self.read(biometrics::counts).await
    }

    async fn quota_used(&self, user_id: &str, day: NaiveDate) -> Result<u32, StoreError> {
        if let Some(used) = self.counted(user_id, day) {
            return Ok(used);
        }
        let user_id = user_id.to_owned();
        self.read(move |connection| audit::quota_used(connection, &user_id, day)).await
    }

    async fn charge_quota(&self, user_id: &str, day: NaiveDate, limit: u32) -> Result<Option<u32>, StoreError> {
        if self.counted(user_id, day).is_none() {
            let stored = self.quota_used(user_id, day).await?;
            let mut counters = self.counters()?;
            // Yesterday's counters are no longer needed.
            counters.retain(|(_, counted_day), _| *counted_day >= day);
            counters.entry((user_id.to_owned(), day)).or_insert(stored);
        }
        let mut counters = self.counters()?;
        let used = counters.entry((user_id.to_owned(), day)).or_insert(0);
        if *used >= limit {
            return Ok(None);
        }
        *used += 1;
        Ok(Some(limit - *used))
    }

    async fn refund_quota(&self, user_id: &str, day: NaiveDate) -> Result<(), StoreError> {
        if let Some(used) = self.counters()?.get_mut(&(user_id.to_owned(), day)) {
            *used = used.saturating_sub(1);
        }
        Ok(())
    }

    async fn audit_tail(&self) -> Result<Option<ChainLink>, StoreError> {
        self.read(audit::tail).await
    }

    async fn audit_anchor(&self) -> Result<Option<ChainLink>, StoreError> {
        self.read(audit::anchor).await
    }

    async fn remove_audit_before(&self, before: NaiveDate) -> Result<AuditRemoval, StoreError> {
        self.write(move |tx| audit::remove_before(tx, before)).await
    }

    async fn adopt_audit_anchor(&self, anchor: ChainLink) -> Result<(), StoreError> {
        self.write(move |tx| audit::adopt_anchor(tx, anchor)).await
    }

    async fn append_audit(&self, records: Vec<SealedRecord>) -> Result<(), StoreError> {
        self.write(move |tx| audit::append(tx, &records)).await?;
        self.inner.indexer.wake();
        Ok(())
    }

    /// The single writer connection is the write lock: the tail read here
    /// cannot move before the commit.
    async fn record_audit(&self, records: Vec<AuditRecord>) -> Result<Vec<u64>, StoreError> {
        self.record_audit_raising(records, Vec::new()).await
    }

    /// One transaction over both files: one commit, one wait for the disk,
    /// and the register's readers keep their page cache unless an alert
    /// was written.
    async fn record_audit_raising(
        &self,
        records: Vec<AuditRecord>,
        sightings: Vec<Sighting>,
    ) -> Result<Vec<u64>, StoreError> {
        let sequence = self.write(move |tx| audit_batch(tx, records, &sightings)).await?;
        self.inner.indexer.wake();
        Ok(sequence)
    }

    fn blocking_audit(&self) -> Option<Arc<dyn BlockingAudit>> {
        Some(Arc::new(self.clone()))
    }

    async fn audit_page(&self, after: u64, limit: u32) -> Result<Vec<SealedRecord>, StoreError> {
        self.read(move |connection| audit::page(connection, after, limit)).await
    }

    async fn audit_of_resident(&self, resident: ResidentKey) -> Result<Vec<SealedRecord>, StoreError> {
        self.read(move |connection| audit::of_resident(connection, resident)).await
    }

    async fn put_resident_code(&self, code: ResidentCode) -> Result<(), StoreError> {
        self.write(move |tx| resident_codes::put(tx, &code)).await
    }

    async fn resident_code(&self, resident: ResidentKey) -> Result<Option<ResidentCode>, StoreError> {
        self.read(move |connection| resident_codes::get(connection, resident)).await
    }

    async fn settle_resident_code(&self, seen: ResidentCode, settled: ResidentCode) -> Result<bool, StoreError> {
        self.write(move |tx| resident_codes::settle(tx, &seen, &settled)).await
    }

    async fn partner_had_outcome(
        &self,
        institution: &str,
        resident: ResidentKey,
        mechanism: Mechanism,
        outcome: &str,
    ) -> Result<bool, StoreError> {
        let (institution, outcome) = (institution.to_owned(), outcome.to_owned());
        self.read(move |connection| audit::had_outcome(connection, &institution, resident, mechanism, &outcome)).await
    }

    async fn audit_search(&self, search: AuditSearch) -> Result<Vec<SealedRecord>, StoreError> {
        self.read(move |connection| oversight::search(connection, &search)).await
    }

    async fn audit_counts(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<AuditCount>, StoreError> {
        let institution = institution.to_owned();
        self.read(move |connection| oversight::counts(connection, &institution, from, until)).await
    }

    async fn file_cases(&self, cases: Vec<Case>) -> Result<Vec<u64>, StoreError> {
        self.write(move |tx| casework::file(tx, &cases)).await
    }

    async fn case(&self, number: u64) -> Result<Option<Case>, StoreError> {
        self.read(move |connection| casework::case(connection, number)).await
    }

    async fn record_case_step(&self, case: Case, seen_steps: usize) -> Result<(), StoreError> {
        self.write(move |tx| casework::record_step(tx, &case, seen_steps)).await
    }

    async fn cases(&self, query: CaseQuery) -> Result<Vec<Case>, StoreError> {
        self.read(move |connection| casework::cases(connection, &query)).await
    }

    async fn queue_notifications(
        &self,
        notifications: Vec<Notification>,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.write(move |tx| casework::queue(tx, &notifications, at)).await
    }

    async fn undelivered_notifications(&self, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
        self.read(move |connection| casework::undelivered(connection, limit)).await
    }

    async fn record_delivery(&self, id: u64, at: DateTime<Utc>, failure: Option<String>) -> Result<(), StoreError> {
        self.write(move |tx| casework::record_delivery(tx, id, at, failure.as_deref())).await
    }

    async fn notifications_after(&self, after: u64, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
        self.read(move |connection| casework::after(connection, after, limit)).await
    }

    async fn restore_casework(
        &self,
        cases: Vec<Case>,
        notifications: Vec<QueuedNotification>,
    ) -> Result<(), StoreError> {
        self.write(move |tx| casework::restore(tx, &cases, &notifications)).await
    }

    async fn residents_accessed(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        let institution = institution.to_owned();
        self.read(move |connection| reports::residents_accessed(connection, &institution, from, until)).await
    }

    async fn save_semester_report(&self, report: SemesterReport) -> Result<(), StoreError> {
        self.write(move |transaction| reports::save(transaction, &report)).await
    }

    async fn semester_report(
        &self,
        institution: &str,
        semester: Semester,
    ) -> Result<Option<SemesterReport>, StoreError> {
        let institution = institution.to_owned();
        self.read(move |connection| reports::one(connection, &institution, semester)).await
    }

    async fn semester_reports(
        &self,
        institution: Option<&str>,
        semester: Option<Semester>,
    ) -> Result<Vec<SemesterReport>, StoreError> {
        let institution = institution.map(str::to_owned);
        self.read(move |connection| reports::list(connection, institution.as_deref(), semester)).await
    }
    async fn define_return_schema(&self, schema: ReturnSchema) -> Result<(), StoreError> {
        self.write(move |tx| return_data::define_schema(tx, &schema)).await
    }

    async fn return_schemas(&self) -> Result<Vec<ReturnSchema>, StoreError> {
        self.read(return_data::schemas).await
    }

    async fn accessed_residents(
        &self,
        institution: &str,
        since: chrono::DateTime<chrono::Utc>,
        residents: Vec<ResidentKey>,
    ) -> Result<Vec<ResidentKey>, StoreError> {
        let institution = institution.to_owned();
        self.read(move |connection| return_data::accessed(connection, &institution, since, &residents)).await
    }

    async fn open_return_batch(&self, batch: ReturnBatch) -> Result<(), StoreError> {
        self.write(move |tx| return_data::open_batch(tx, &batch)).await
    }

    async fn add_return_rows(&self, batch: &str, rows: Vec<ValidRow>) -> Result<Vec<bool>, StoreError> {
        let batch = batch.to_owned();
        self.write(move |tx| return_data::add_rows(tx, &batch, &rows)).await
    }

    async fn commit_return_batch(&self, batch: &str, counts: BatchCounts) -> Result<(), StoreError> {
        let batch = batch.to_owned();
        self.write(move |tx| return_data::commit_batch(tx, &batch, counts)).await
    }

    async fn abort_return_batch(&self, batch: &str) -> Result<(), StoreError> {
        let batch = batch.to_owned();
        self.write(move |tx| return_data::abort_batch(tx, &batch)).await
    }

    async fn return_rows_page(&self, batch: &str, after: u64, limit: u32) -> Result<Vec<ValidRow>, StoreError> {
        let batch = batch.to_owned();
        self.read(move |connection| return_data::rows_page(connection, &batch, after, limit)).await
    }

    async fn return_data_of(&self, nik: Nik) -> Result<Vec<StoredReturnRow>, StoreError> {
        self.read(move |connection| return_data::of_resident(connection, nik)).await
    }

    async fn return_batches_of(&self, institution: &str) -> Result<Vec<ReturnBatch>, StoreError> {
        let institution = institution.to_owned();
        self.read(move |connection| return_data::batches_of(connection, &institution)).await
    }

    async fn residents_with_return_data(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        let institution = institution.to_owned();
        self.read(move |connection| return_data::residents_with_data(connection, &institution, from, until)).await
    }
}

impl SqliteStore {
    fn counters(&self) -> Result<std::sync::MutexGuard<'_, QuotaCounters>, StoreError> {
        self.inner.quota.lock().map_err(|_| StoreError::Backend("penghitung kuota tidak dapat dipakai".into()))
    }

    fn counted(&self, user_id: &str, day: NaiveDate) -> Option<u32> {
        self.counters().ok().and_then(|counters| counters.get(&(user_id.to_owned(), day)).copied())
    }
}

#[cfg(test)]
mod tests;

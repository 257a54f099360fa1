//! The trail's by-resident index ("who accessed this NIK"), kept in a file
//! of its own beside the audit file (`gerbang.audit-index.sqlite3`, attached
//! to the readers as `resident_index`) and filled by a thread of its own
//! once the records are durable.
//!
//! Why apart: the index is keyed by the resident's keyed hash, so
//! consecutive records land in random leaves. Inside the audit file every
//! record added its own random 4 KiB page to the commit the answers wait
//! for, to that commit's sync and to the checkpoint after it; on an aged
//! trail with residents asked in random order that held the throughput
//! down and the 99th percentile up (BENCHMARKS.md, "The by-resident index
//! leaves the commit"). Now a batch commits the trail alone, and the
//! indexer thread adds what was appended since its last pass in one
//! transaction of its own, however many batches that covers, without
//! syncing. Nobody waits for it.
//!
//! The index is derived data, so it can be rebuilt whenever it cannot be
//! trusted. It records which trail it covers, how far it reached (the
//! sequence number and hash of the last record it covered) and the boot of
//! the machine that wrote it. When the trail is another one or differs at
//! that record (a trail restored from an older backup), or the machine has
//! restarted since (unsynced writes may not all have reached the disk), or
//! the file is damaged or missing, it is rebuilt from the trail when the
//! store opens (about 280,000 records a second). Look-ups read the index up
//! to where it reached and the trail itself after that (normally the last
//! batch or two), so a record is found by resident as soon as its answer
//! has left.
//!
//! Entries hold the first 8 bytes of the resident key, not all 32, so more
//! fit in a page; a look-up compares the whole key in the trail's row, so a
//! shared prefix never yields another resident's records.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

use gerbang_core::audit::ResidentKey;
use gerbang_store::StoreError;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::from_sqlite;

/// The index file beside a register file: `gerbang.sqlite3` →
/// `gerbang.audit-index.sqlite3`.
pub(crate) fn index_path(register: &Path) -> PathBuf {
    register.with_extension("audit-index.sqlite3")
}

/// The index's tables. Created when missing; the file holds nothing that
/// cannot be rebuilt from the trail, so it has no migrations: a change of
/// shape renames the file.
const TABLES: &str = "
    create table if not exists main.entries (
        resident integer not null,
        seq integer not null,
        primary key (resident, seq)
    ) without rowid;
    create table if not exists main.progress (
        id integer primary key check (id = 1),
        trail blob not null,
        boot text not null,
        through_seq integer not null,
        through_hash blob,
        pruned_through integer not null
    );";

/// Records read from the trail per transaction of the indexer.
const PASS_RECORDS: u32 = 50_000;

/// How often a long build of the index reports its progress, in records
/// (a multiple of [`PASS_RECORDS`]). About 280,000 records are indexed per
/// second (BENCHMARKS.md).
const PROGRESS_RECORDS: usize = 1_000_000;

/// How often the indexer looks for records without being woken: records
/// appended by another process (a command-line tool) are indexed within
/// this time.
const IDLE_PASS: Duration = Duration::from_secs(1);

/// The least time between two passes of the indexer. Each commit costs a
/// fixed amount (SQLite walks the page cache's hash table at every commit),
/// so passes gather a few batches; look-ups read the records not indexed
/// yet from the trail itself, and this keeps those few.
const PASS_PAUSE: Duration = Duration::from_millis(20);

/// The indexer's page cache, in KiB: its inserts land in random leaves,
/// and every leaf kept in memory is a read saved.
const INDEXER_CACHE_KIB: i64 = 64 * 1024;

/// The part of a resident key the index holds.
pub(crate) fn prefix(resident: &ResidentKey) -> i64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&resident.0[..8]);
    i64::from_be_bytes(first)
}

/// A query of the trail's rows about one resident (`?1`: the key's prefix,
/// `?2`: the whole key) that meet `condition` (SQL starting with ` and`),
/// selecting `columns`: the rows the index names, then every row past the
/// index's reach (normally a batch or two), each compared on the whole key.
/// Two searches by sequence number joined, since SQLite would scan the
/// whole trail for the two as one `or`. A macro, so that the queries are
/// built at compile time.
macro_rules! about_resident {
    ($columns:expr, $condition:expr) => {
        concat!(
            "select ",
            $columns,
            " from audit.audit_trail where seq in (select seq from resident_index.entries where resident = ?1) \
             and resident = ?2",
            $condition,
            " union all select ",
            $columns,
            " from audit.audit_trail where seq > coalesce((select through_seq from resident_index.progress), 0) \
             and resident = ?2",
            $condition
        )
    };
}
pub(crate) use about_resident;

/// The path as SQLite wants it.
fn utf8(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| StoreError::Unavailable(format!("path {} bukan UTF-8", path.display())))
}

/// Attaches the index file to a reader connection.
pub(crate) fn attach(connection: &Connection, index: &Path) -> Result<(), StoreError> {
    connection.execute("attach database ?1 as resident_index", [utf8(index)?]).map_err(from_sqlite)?;
    Ok(())
}

/// Where the index reached, as stored.
struct Progress {
    trail: Vec<u8>,
    boot: String,
    through_seq: i64,
    through_hash: Option<Vec<u8>>,
}

/// The identity of the machine's current boot (Linux), or an empty string
/// where the system does not tell it.
fn current_boot() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id").map(|id| id.trim().to_owned()).unwrap_or_default()
}

/// A connection to the index file with the indexer's settings. Commits are
/// not synced (`synchronous = off`): syncing the index's scattered pages
/// made the device slower for the audit file's own syncs, which answers
/// wait for, and put the throughput back where it was with the index in
/// the audit file (BENCHMARKS.md). A process that dies loses nothing (the
/// operating system holds what was written); a machine that stops may
/// leave the file damaged, which is why [`open`] rebuilds an index written
/// before the current boot.
fn connect(index: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(index)
        .map_err(|error| StoreError::Unavailable(format!("tidak dapat membuka {}: {error}", index.display())))?;
    connection
        .execute_batch(&format!(
            "pragma busy_timeout = 5000;
             pragma page_size = 4096;
             pragma journal_mode = wal;
             pragma synchronous = off;
             pragma cache_size = -{INDEXER_CACHE_KIB};"
        ))
        .and_then(|()| connection.execute_batch(TABLES))
        .map_err(|error| match from_sqlite(error) {
            StoreError::Corrupt(_) => StoreError::Corrupt(format!(
                "{} bukan indeks jejak audit SQLite yang utuh; hapus berkas itu, Gerbang membangunnya ulang",
                index.display()
            )),
            other => other,
        })?;
    Ok(connection)
}

/// Removes the index file and its log, whatever state they are in.
fn remove(index: &Path) -> Result<(), StoreError> {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = index.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(StoreError::Unavailable(format!(
                    "indeks jejak audit {} tidak dapat dibangun ulang: {error}",
                    index.display()
                )));
            }
        }
    }
    Ok(())
}

/// Opens the index file of the trail in `audit` (the audit file), creates
/// or rebuilds it as needed and brings it up to the trail's tail, so the
/// readers find little past its reach; the connection the indexer goes on
/// with. An index last written before the machine's current boot is
/// replaced, since its unsynced writes may not all have reached the disk.
pub(crate) fn open(index: &Path, audit: &Path) -> Result<Connection, StoreError> {
    let boot = current_boot();
    // Only a file that cannot be trusted is removed: one from an earlier
    // boot, or one SQLite cannot read as an index. A file busy with
    // another process is an error, never a reason to remove it.
    let stale = match connect(index).and_then(|connection| progress(&connection)) {
        Ok(progress) => progress.is_some_and(|progress| progress.boot != boot),
        Err(StoreError::Corrupt(_) | StoreError::Backend(_)) => true,
        Err(error) => return Err(error),
    };
    if stale {
        tracing::info!(
            "indeks jejak audit per penduduk tidak dapat dipercaya (mesin dinyalakan ulang atau berkas rusak); dibangun ulang"
        );
        remove(index)?;
    }
    let mut connection = connect(index)?;
    connection.execute("attach database ?1 as audit", [utf8(audit)?]).map_err(from_sqlite)?;
    if !matches_trail(&connection)? {
        rebuild(&mut connection, &boot)?;
    }
    catch_up(&mut connection)?;
    Ok(connection)
}

/// Passes until the index reaches the trail's tail, reporting a long
/// build's progress.
fn catch_up(connection: &mut Connection) -> Result<(), StoreError> {
    let mut indexed = 0;
    loop {
        let added = pass(connection)?;
        indexed += added;
        if added < PASS_RECORDS as usize {
            return Ok(());
        }
        if indexed % PROGRESS_RECORDS == 0 {
            tracing::info!(records = indexed, "indeks jejak audit per penduduk sedang dibangun");
        }
    }
}

fn progress(connection: &Connection) -> Result<Option<Progress>, StoreError> {
    connection
        .query_row("select trail, boot, through_seq, through_hash from main.progress where id = 1", [], |row| {
            Ok(Progress { trail: row.get(0)?, boot: row.get(1)?, through_seq: row.get(2)?, through_hash: row.get(3)? })
        })
        .optional()
        .map_err(from_sqlite)
}

fn trail_identity(connection: &Connection) -> Result<Vec<u8>, StoreError> {
    connection.query_row("select token from audit.identity where id = 1", [], |row| row.get(0)).map_err(from_sqlite)
}

/// Whether the index covers this trail: the same trail, and the record it
/// last covered still there with the same hash (or that record is the
/// retention anchor, when everything up to it was removed).
fn matches_trail(connection: &Connection) -> Result<bool, StoreError> {
    let Some(progress) = progress(connection)? else { return Ok(false) };
    if progress.trail != trail_identity(connection)? {
        return Ok(false);
    }
    let Some(expected) = progress.through_hash else { return Ok(progress.through_seq == 0) };
    let found: Option<Vec<u8>> = connection
        .query_row(
            "select hash from audit.audit_trail where seq = ?1
             union all select last_hash from audit.audit_retention where last_seq = ?1",
            [progress.through_seq],
            |row| row.get(0),
        )
        .optional()
        .map_err(from_sqlite)?;
    Ok(found == Some(expected))
}

/// Empties the index and points it at the start of this trail, stamped
/// with this boot.
fn rebuild(connection: &mut Connection, boot: &str) -> Result<(), StoreError> {
    tracing::info!("indeks jejak audit per penduduk dibangun ulang dari jejaknya");
    let trail = trail_identity(connection)?;
    let tx = connection.transaction().map_err(from_sqlite)?;
    tx.execute_batch("delete from main.entries; delete from main.progress;").map_err(from_sqlite)?;
    tx.execute(
        "insert into main.progress (id, trail, boot, through_seq, through_hash, pruned_through)
         values (1, ?1, ?2, 0, null, 0)",
        params![trail, boot],
    )
    .map_err(from_sqlite)?;
    tx.commit().map_err(from_sqlite)
}

/// Indexes up to [`PASS_RECORDS`] records past the index's reach, and
/// drops the entries of records retention removed, in one transaction of
/// the index file; how many records it read. The transaction is deferred
/// (rusqlite's default): it reads the audit file without ever taking its
/// write lock, which the audit writer holds for every batch.
fn pass(connection: &mut Connection) -> Result<usize, StoreError> {
    let tx = connection.transaction().map_err(from_sqlite)?;
    let read = pass_in_transaction(&tx)?;
    tx.commit().map_err(from_sqlite)?;
    Ok(read)
}

fn pass_in_transaction(connection: &Connection) -> Result<usize, StoreError> {
    let (through, pruned): (i64, i64) = connection
        .query_row("select through_seq, pruned_through from main.progress where id = 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .map_err(from_sqlite)?;
    let removed: i64 = connection
        .query_row("select coalesce(max(last_seq), 0) from audit.audit_retention", [], |row| row.get(0))
        .map_err(from_sqlite)?;
    if removed > pruned {
        connection.execute("delete from main.entries where seq <= ?1", [removed]).map_err(from_sqlite)?;
        connection.execute("update main.progress set pruned_through = ?1", [removed]).map_err(from_sqlite)?;
    }
    let mut read = connection
        .prepare_cached("select seq, resident, hash from audit.audit_trail where seq > ?1 order by seq limit ?2")
        .map_err(from_sqlite)?;
    let mut rows = read.query(params![through, PASS_RECORDS]).map_err(from_sqlite)?;
    let mut entries = Vec::new();
    let mut last: Option<(i64, Vec<u8>)> = None;
    let mut count = 0;
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let seq: i64 = row.get(0).map_err(from_sqlite)?;
        let resident: Option<Vec<u8>> = row.get(1).map_err(from_sqlite)?;
        if let Some(key) = resident.and_then(|bytes| <[u8; 32]>::try_from(bytes).ok()) {
            entries.push((prefix(&ResidentKey(key)), seq));
        }
        last = Some((seq, row.get(2).map_err(from_sqlite)?));
        count += 1;
    }
    let Some((through_seq, through_hash)) = last else { return Ok(0) };
    // In key order, each leaf is reached once and while its neighbours are
    // still cached.
    entries.sort_unstable();
    let mut insert = connection
        .prepare_cached("insert or ignore into main.entries (resident, seq) values (?1, ?2)")
        .map_err(from_sqlite)?;
    for (resident, seq) in entries {
        insert.execute(params![resident, seq]).map_err(from_sqlite)?;
    }
    connection
        .execute(
            "update main.progress set through_seq = ?1, through_hash = ?2 where id = 1",
            params![through_seq, through_hash],
        )
        .map_err(from_sqlite)?;
    Ok(count)
}

/// The indexer thread and the means to wake and stop it. Dropping it stops
/// the thread after its current pass.
pub(crate) struct Indexer {
    wake: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Indexer {
    /// Starts the thread on the connection [`open`] returned.
    pub(crate) fn start(connection: Connection) -> Result<Self, StoreError> {
        let (wake, woken) = sync_channel(1);
        let thread =
            std::thread::Builder::new().name("gerbang-index".into()).spawn(move || run(connection, &woken)).map_err(
                |error| StoreError::Backend(format!("utas pengindeks jejak audit tidak dapat dimulai: {error}")),
            )?;
        Ok(Indexer { wake: Some(wake), thread: Some(thread) })
    }

    /// Tells the thread that records were appended. Never blocks: a wake-up
    /// already pending covers these records too.
    pub(crate) fn wake(&self) {
        if let Some(wake) = &self.wake {
            let _ = wake.try_send(());
        }
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        self.wake = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: a pass whenever woken (or every [`IDLE_PASS`]) until the
/// store is dropped. A failed pass (the file busy with another process's
/// indexer) is retried at the next one; look-ups stay correct meanwhile.
fn run(mut connection: Connection, woken: &Receiver<()>) {
    let mut failing = false;
    loop {
        match woken.recv_timeout(IDLE_PASS) {
            Ok(()) | Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        match catch_up(&mut connection) {
            Ok(()) if failing => {
                tracing::info!("indeks jejak audit per penduduk kembali mengikuti jejak");
                failing = false;
            }
            Ok(()) => {}
            // Said once per spell of failures: while it lasts, look-ups by
            // resident read ever more of the trail itself.
            Err(error) if !failing => {
                tracing::warn!(%error, "indeks jejak audit per penduduk tertunda; dicoba lagi");
                failing = true;
            }
            Err(error) => tracing::debug!(%error, "indeks jejak audit per penduduk masih tertunda"),
        }
        std::thread::sleep(PASS_PAUSE);
    }
}

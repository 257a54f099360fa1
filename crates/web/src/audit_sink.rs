//! Group commit of the audit trail. Handlers hand their record to the sink
//! and wait; one writer takes every record waiting at that moment and
//! has the store seal them onto the hash chain in arrival order and write
//! them in one durable transaction; only then may the handlers answer. A
//! request is therefore never answered without its record, and one disk
//! sync serves a whole batch. The sentinel's sightings of a call ride with
//! its record and are stored in the same transaction (on SQLite), so an
//! alert is durable before the call it concerns is answered without a
//! commit of its own. The store seals inside its transaction, after
//! whatever tail is stored, so several processes on one database build one
//! chain.
//!
//! The writer is a thread of its own when the store can write blocking (the
//! embedded SQLite file): a batch is then written where it was gathered,
//! not handed to the thread pool and back, which on a virtual machine costs
//! two thread wake-ups per batch, as much as the batch's own work when
//! calls arrive a few at a time. Otherwise (PostgreSQL) it is a task.

use std::sync::Arc;

use gerbang_core::alert::Sighting;
use gerbang_core::audit::AuditRecord;
use gerbang_store::{BlockingAudit, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Most records written in one transaction.
const MAX_BATCH: usize = 1024;

/// A record waiting to be written, the sightings to store with it, and the
/// handler waiting on them.
type Pending = (AuditRecord, Vec<Sighting>, oneshot::Sender<Result<u64, StoreError>>);

/// The handle handlers use.
#[derive(Clone)]
pub struct AuditSink {
    queue: mpsc::Sender<Pending>,
}

impl AuditSink {
    /// Starts the writer: a thread when `store` writes blocking, else a
    /// task on the current runtime.
    pub fn start(store: Arc<dyn Store>) -> Result<AuditSink, StoreError> {
        let (queue, receiver) = mpsc::channel(16 * MAX_BATCH);
        match store.blocking_audit() {
            Some(writer) => {
                std::thread::Builder::new()
                    .name("gerbang-audit".into())
                    .spawn(move || write_batches_blocking(writer.as_ref(), receiver))
                    .map_err(|error| {
                        StoreError::Unavailable(format!("penulis jejak audit tidak dapat dimulai: {error}"))
                    })?;
            }
            None => {
                tokio::spawn(write_batches(store, receiver));
            }
        }
        Ok(AuditSink { queue })
    }

    /// Writes `record` durably; returns its sequence number.
    pub async fn record(&self, record: AuditRecord) -> Result<u64, StoreError> {
        self.record_raising(record, Vec::new()).await
    }

    /// Stores `sightings` and writes `record`, durably, in the same batch;
    /// returns the record's sequence number. An error means neither may be
    /// relied on and the call must not be answered.
    pub async fn record_raising(&self, record: AuditRecord, sightings: Vec<Sighting>) -> Result<u64, StoreError> {
        let (done, written) = oneshot::channel();
        self.queue
            .send((record, sightings, done))
            .await
            .map_err(|_| StoreError::Unavailable("penulis jejak audit berhenti".into()))?;
        written.await.map_err(|_| StoreError::Unavailable("penulis jejak audit berhenti".into()))?
    }
}

/// The writer as a task: each batch goes through the async store.
async fn write_batches(store: Arc<dyn Store>, mut receiver: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (records, sightings, waiting) = split(&mut batch);
        settle(store.record_audit_raising(records, sightings).await, waiting);
    }
}

/// The writer as a thread: the same loop, blocking the thread while it
/// waits; it ends when every sink is gone.
fn write_batches_blocking(writer: &dyn BlockingAudit, mut receiver: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while receiver.blocking_recv_many(&mut batch, MAX_BATCH) > 0 {
        let (records, sightings, waiting) = split(&mut batch);
        settle(writer.record_batch(records, sightings), waiting);
    }
}

/// A batch's records, all their sightings, and who waits on each record.
type Split = (Vec<AuditRecord>, Vec<Sighting>, Vec<oneshot::Sender<Result<u64, StoreError>>>);

/// Takes the batch apart, leaving it empty for the next one.
fn split(batch: &mut Vec<Pending>) -> Split {
    let mut records = Vec::with_capacity(batch.len());
    let mut sightings = Vec::new();
    let mut waiting = Vec::with_capacity(batch.len());
    for (record, seen, done) in batch.drain(..) {
        records.push(record);
        sightings.extend(seen);
        waiting.push(done);
    }
    (records, sightings, waiting)
}

/// Tells each waiting handler its record's sequence number, or that the
/// batch could not be written.
fn settle(outcome: Result<Vec<u64>, StoreError>, waiting: Vec<oneshot::Sender<Result<u64, StoreError>>>) {
    match outcome {
        Ok(seqs) if seqs.len() == waiting.len() => {
            for (seq, done) in seqs.into_iter().zip(waiting) {
                let _ = done.send(Ok(seq));
            }
        }
        outcome => {
            let error = match outcome {
                Err(error) => error,
                Ok(_) => StoreError::Backend("jumlah nomor urut jejak audit tidak cocok".into()),
            };
            tracing::error!(code = error.code(), %error, "jejak audit gagal ditulis; permintaan ditolak");
            for done in waiting {
                let _ = done.send(Err(StoreError::Unavailable("jejak audit tidak dapat ditulis".into())));
            }
        }
    }
}

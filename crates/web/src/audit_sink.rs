//! Group commit of the audit trail. Handlers hand their record to the sink
//! and wait; one writer task takes every record waiting at that moment,
//! seals them onto the hash chain in arrival order, stores them in one
//! durable transaction and only then lets the handlers answer. A request is
//! therefore never answered without its record, and one disk sync serves a
//! whole batch.

use std::sync::Arc;

use gerbang_core::audit::{AuditRecord, ChainLink, seal};
use gerbang_store::{Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Most records written in one transaction.
const MAX_BATCH: usize = 1024;

/// Records waiting to be written, with the handlers waiting on them.
type Pending = (AuditRecord, oneshot::Sender<Result<u64, StoreError>>);

/// The handle handlers use.
#[derive(Clone)]
pub struct AuditSink {
    queue: mpsc::Sender<Pending>,
}

impl AuditSink {
    /// Starts the writer task, continuing the chain after `tail`.
    pub fn start(store: Arc<dyn Store>, tail: Option<ChainLink>) -> AuditSink {
        let (queue, receiver) = mpsc::channel(16 * MAX_BATCH);
        tokio::spawn(write_batches(store, tail, receiver));
        AuditSink { queue }
    }

    /// Writes `record` durably; returns its sequence number.
    pub async fn record(&self, record: AuditRecord) -> Result<u64, StoreError> {
        let (done, written) = oneshot::channel();
        self.queue
            .send((record, done))
            .await
            .map_err(|_| StoreError::Unavailable("penulis jejak audit berhenti".into()))?;
        written.await.map_err(|_| StoreError::Unavailable("penulis jejak audit berhenti".into()))?
    }
}

async fn write_batches(store: Arc<dyn Store>, mut tail: Option<ChainLink>, mut receiver: mpsc::Receiver<Pending>) {
    let mut batch: Vec<Pending> = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let mut link = tail;
        let mut sealed = Vec::with_capacity(batch.len());
        let mut waiting = Vec::with_capacity(batch.len());
        for (record, done) in batch.drain(..) {
            let record = seal(link.as_ref(), record);
            link = Some(ChainLink { seq: record.seq, hash: record.hash });
            waiting.push((record.seq, done));
            sealed.push(record);
        }
        match store.append_audit(sealed).await {
            Ok(()) => {
                tail = link;
                for (seq, done) in waiting {
                    let _ = done.send(Ok(seq));
                }
            }
            Err(error) => {
                tracing::error!(code = error.code(), %error, "jejak audit gagal ditulis; permintaan ditolak");
                // The chain continues from what is really stored.
                if let Ok(stored) = store.audit_tail().await {
                    tail = stored;
                }
                for (_, done) in waiting {
                    let _ = done.send(Err(StoreError::Unavailable("jejak audit tidak dapat ditulis".into())));
                }
            }
        }
    }
}

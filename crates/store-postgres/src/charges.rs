//! Group charging: the charges of one account and day that arrive while an
//! earlier one is in the database go in together, as one increment of the
//! counter row, the way the audit writer groups records into one commit.
//!
//! Every request of an account updates the same row, and PostgreSQL lets
//! only one transaction at a time change it: one statement per request
//! capped a busy account at a few thousand hits a second for all nodes
//! together, with most of the database's time spent queueing on that row.
//! Here the first charge of a quiet moment starts a flush task for its
//! key; the task takes everything waiting, charges it with one statement
//! (`quota::charge_many`), answers each caller, and goes round again until
//! nothing waits. The task is spawned, so a caller that gives up (its
//! client went away) never strands the others.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::NaiveDate;
use gerbang_store::StoreError;
use tokio::sync::oneshot;

/// An account and a Jakarta day.
pub(crate) type Key = (String, NaiveDate);

/// One caller waiting for its charge: its limit and where the answer goes.
pub(crate) struct Waiter {
    pub limit: u32,
    pub reply: oneshot::Sender<Result<Option<u32>, StoreError>>,
}

/// Charges waiting per key, and the keys with a flush task running.
#[derive(Default)]
pub(crate) struct ChargeQueue {
    state: Mutex<Queued>,
}

#[derive(Default)]
struct Queued {
    waiting: HashMap<Key, Vec<Waiter>>,
    flushing: HashSet<Key>,
}

impl ChargeQueue {
    /// Queues a charge; true when the caller must start the flush task for
    /// `key` (none is running).
    pub(crate) fn push(&self, key: &Key, waiter: Waiter) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.waiting.entry(key.clone()).or_default().push(waiter);
        state.flushing.insert(key.clone())
    }

    /// Everything waiting for `key`, in arrival order; `None` (and the
    /// flush task for `key` ends) when nothing waits.
    pub(crate) fn take(&self, key: &Key) -> Option<Vec<Waiter>> {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match state.waiting.remove(key) {
            Some(batch) if !batch.is_empty() => Some(batch),
            _ => {
                state.flushing.remove(key);
                None
            }
        }
    }
}

/// The same failure again, for each caller of a failed batch.
pub(crate) fn repeat(error: &StoreError) -> StoreError {
    match error {
        StoreError::Unavailable(text) => StoreError::Unavailable(text.clone()),
        StoreError::Corrupt(text) => StoreError::Corrupt(text.clone()),
        StoreError::Schema(text) => StoreError::Schema(text.clone()),
        StoreError::Conflict(text) => StoreError::Conflict(text.clone()),
        StoreError::Backend(text) => StoreError::Backend(text.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiter() -> (Waiter, oneshot::Receiver<Result<Option<u32>, StoreError>>) {
        let (reply, answer) = oneshot::channel();
        (Waiter { limit: 10, reply }, answer)
    }

    #[test]
    fn the_first_caller_starts_the_flush_and_later_ones_join_it() {
        let queue = ChargeQueue::default();
        let key: Key = ("bkn-ws".into(), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert!(queue.push(&key, waiter().0), "nothing was running");
        assert!(!queue.push(&key, waiter().0), "the running flush takes it");
        assert_eq!(queue.take(&key).unwrap().len(), 2);
        assert!(!queue.push(&key, waiter().0), "still flushing until a take finds nothing");
        assert_eq!(queue.take(&key).unwrap().len(), 1);
        assert!(queue.take(&key).is_none());
        assert!(queue.push(&key, waiter().0), "the flush ended; the next caller starts one");
        let other: Key = ("lpsk-ws".into(), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert!(queue.push(&other, waiter().0), "keys flush independently");
    }
}

//! Giving back a quota hit charged for a call that was not answered.
//!
//! Such a call usually failed because storage went away between the charge
//! and the answer, so the refund may fail for the same reason. It is then
//! retried in the background until storage is back, so a partner does not
//! lose hits to an outage it was told about with "service unavailable".
//! A refund still pending when the process stops, or after the retries run
//! out, is lost: the partner is then short of a hit that day, never given
//! one extra.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use gerbang_store::{Store, StoreError};

/// Pause between attempts while storage stays away.
const RETRY: Duration = Duration::from_secs(1);

/// Attempts after the first before giving up: about an hour of retries.
const ATTEMPTS: u32 = 3600;

/// Gives back one hit of `user_id` on `day`: at once when storage answers,
/// otherwise from a background task that keeps trying.
pub(crate) async fn give_back(store: &Arc<dyn Store>, user_id: &str, day: NaiveDate) {
    let refund = {
        let (store, user_id) = (Arc::clone(store), user_id.to_owned());
        move || {
            let (store, user_id) = (Arc::clone(&store), user_id.clone());
            async move { store.refund_quota(&user_id, day).await }
        }
    };
    if let Err(error) = refund().await {
        tracing::warn!(code = error.code(), %error, user_id, "kuota belum dapat dikembalikan; dicoba lagi");
        tokio::spawn(retry(refund, RETRY, ATTEMPTS));
    }
}

/// Calls `refund` every `pause` until it succeeds, at most `attempts`
/// times; whether it succeeded.
async fn retry<F, Fut>(mut refund: F, pause: Duration, attempts: u32) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), StoreError>>,
{
    let mut last = None;
    for _ in 0..attempts {
        tokio::time::sleep(pause).await;
        match refund().await {
            Ok(()) => {
                tracing::info!("kuota yang tertunda dikembalikan");
                return true;
            }
            Err(error) => last = Some(error),
        }
    }
    if let Some(error) = last {
        tracing::error!(code = error.code(), %error, "kuota tidak dapat dikembalikan; percobaan dihentikan");
    }
    false
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    /// A refund that fails `failures` times, then succeeds; and its call count.
    fn flaky(failures: u32) -> (impl FnMut() -> std::future::Ready<Result<(), StoreError>>, Arc<AtomicU32>) {
        let calls = Arc::new(AtomicU32::new(0));
        let counted = Arc::clone(&calls);
        let refund = move || {
            let call = counted.fetch_add(1, Ordering::SeqCst);
            std::future::ready(if call < failures {
                Err(StoreError::Unavailable("PostgreSQL tidak dapat dihubungi".into()))
            } else {
                Ok(())
            })
        };
        (refund, calls)
    }

    #[tokio::test]
    async fn a_refund_is_retried_until_storage_is_back() {
        let (refund, calls) = flaky(3);
        assert!(retry(refund, Duration::from_millis(1), 10).await);
        assert_eq!(calls.load(Ordering::SeqCst), 4, "three failures, then the refund that went through");
    }

    #[tokio::test]
    async fn retries_stop_after_the_last_attempt() {
        let (refund, calls) = flaky(u32::MAX);
        assert!(!retry(refund, Duration::from_millis(1), 5).await);
        assert_eq!(calls.load(Ordering::SeqCst), 5);
    }
}

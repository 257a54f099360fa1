//! Turns for argon2id password checks. A check costs tens of milliseconds
//! of CPU and 19 MiB of memory, so the server never runs many at once:
//!
//! - one check per User ID at a time: when a partner system opens 64
//!   connections with the same credentials, the first request verifies and
//!   the other 63 find the result in the credential cache instead of each
//!   running argon2id themselves;
//! - at most [`CONCURRENT_CHECKS`] checks in the whole process, so a burst
//!   of wrong passwords for many User IDs cannot exhaust memory or starve
//!   the requests that are already authenticated.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use tokio::sync::{Mutex as TurnLock, OwnedMutexGuard, Semaphore, SemaphorePermit};

/// Most argon2id checks running at the same time.
pub const CONCURRENT_CHECKS: usize = 4;

/// The turn-taking for password checks.
pub struct PasswordChecks {
    per_user: Mutex<HashMap<String, Weak<TurnLock<()>>>>,
    running: Semaphore,
}

/// Held while a request may check a User ID's password.
pub struct Turn<'a> {
    _user: OwnedMutexGuard<()>,
    _slot: Option<SemaphorePermit<'a>>,
}

impl Default for PasswordChecks {
    fn default() -> Self {
        PasswordChecks { per_user: Mutex::new(HashMap::new()), running: Semaphore::new(CONCURRENT_CHECKS) }
    }
}

impl PasswordChecks {
    /// Waits until this request may check `user_id`'s password. The caller
    /// should look in the credential cache again once it has the turn: the
    /// request before it may have verified the same password.
    pub async fn turn(&self, user_id: &str) -> Turn<'_> {
        let lock = self.user_lock(user_id);
        let user = lock.lock_owned().await;
        Turn { _user: user, _slot: self.running.acquire().await.ok() }
    }

    fn user_lock(&self, user_id: &str) -> Arc<TurnLock<()>> {
        let Ok(mut locks) = self.per_user.lock() else {
            // A poisoned map only loses the per-user ordering, not safety.
            return Arc::new(TurnLock::new(()));
        };
        if let Some(lock) = locks.get(user_id).and_then(Weak::upgrade) {
            return lock;
        }
        // Forget the User IDs nobody is waiting for any more.
        locks.retain(|_, lock| lock.strong_count() > 0);
        let lock = Arc::new(TurnLock::new(()));
        locks.insert(user_id.to_owned(), Arc::downgrade(&lock));
        lock
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_check_per_user_at_a_time_and_a_bounded_total() {
        let checks = Arc::new(PasswordChecks::default());
        let (inside, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut tasks = Vec::new();
        for n in 0..24 {
            let (checks, inside, most) = (Arc::clone(&checks), Arc::clone(&inside), Arc::clone(&most));
            tasks.push(tokio::spawn(async move {
                let _turn = checks.turn(if n % 2 == 0 { "same-user" } else { "other-user" }).await;
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(2)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2, "one turn per User ID, two User IDs");
        assert!(checks.per_user.lock().unwrap().values().all(|lock| lock.strong_count() == 0));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_users_share_the_process_wide_limit() {
        let checks = Arc::new(PasswordChecks::default());
        let (inside, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let mut tasks = Vec::new();
        for n in 0..16 {
            let (checks, inside, most) = (Arc::clone(&checks), Arc::clone(&inside), Arc::clone(&most));
            tasks.push(tokio::spawn(async move {
                let _turn = checks.turn(&format!("user-{n}")).await;
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(5)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        let most = most.load(Ordering::SeqCst);
        assert!(most <= CONCURRENT_CHECKS && most > 1, "{most} checks ran at once");
    }
}

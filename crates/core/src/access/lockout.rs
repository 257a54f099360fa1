//! Lockouts after repeated failed sign-ins, for the portal's people and the
//! web service's machines alike.
//!
//! A [`Lockouts`] counts consecutive failures per key and, at the policy's
//! limit, locks the key for a while; a success forgets the key. What a key
//! is belongs to the caller:
//!
//! - the portal locks a User ID ([`PORTAL`]): a person retries by hand;
//! - the web service locks a User ID *from one source address*
//!   ([`SERVICE`], [`service_key`]) and, separately, a source address
//!   trying many User IDs ([`SOURCE`], [`source_key`]). A User ID alone is
//!   not locked there: anyone could then lock a partner's system out by
//!   sending wrong passwords under its User ID from elsewhere, since the
//!   allow-list is checked after the login (WIRE.md's order of codes).
//!
//! While locked, the password is not even checked, so a right guess during
//! a lockout teaches nothing. Counters live in this process; the table is
//! bounded ([`MAX_KEYS`]) so that failures under ever new keys cannot fill
//! memory.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// When to lock and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Consecutive failures that lock the key.
    pub failures: u32,
    /// How long the key stays locked.
    pub lock_for: Duration,
}

/// The portal's policy for a User ID: five wrong passwords or codes in a
/// row lock it for fifteen minutes.
pub const PORTAL: LockoutPolicy = LockoutPolicy { failures: 5, lock_for: Duration::minutes(15) };

/// The web service's policy for one User ID from one address: a partner
/// system with a wrong password configured fails every call, so the limit
/// is higher and the lock shorter than a person's.
pub const SERVICE: LockoutPolicy = LockoutPolicy { failures: 10, lock_for: Duration::minutes(5) };

/// The web service's policy for one source address across User IDs
/// (credential stuffing).
pub const SOURCE: LockoutPolicy = LockoutPolicy { failures: 50, lock_for: Duration::minutes(15) };

/// Most keys tracked at once.
pub const MAX_KEYS: usize = 100_000;

/// The web service's key for `user_id` calling from `source`.
pub fn service_key(user_id: &str, source: IpAddr) -> String {
    let user: String = user_id.chars().take(64).collect();
    format!("{user}\u{0}{source}")
}

/// The web service's key for everything from `source`.
pub fn source_key(source: IpAddr) -> String {
    format!("\u{0}{source}")
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    locked_until: Option<DateTime<Utc>>,
}

/// Failure counters under one policy.
#[derive(Debug)]
pub struct Lockouts {
    policy: LockoutPolicy,
    failures: Mutex<HashMap<String, Failures>>,
}

impl Lockouts {
    /// No failures yet, counted under `policy`.
    pub fn new(policy: LockoutPolicy) -> Lockouts {
        Lockouts { policy, failures: Mutex::new(HashMap::new()) }
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The end of `key`'s lock, if it is locked at `now`.
    pub fn locked_until(&self, key: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.table().get(key).and_then(|f| f.locked_until).filter(|until| *until > now)
    }

    /// Counts a failure of `key`; returns the lock it started, if any.
    pub fn failed(&self, key: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let mut table = self.table();
        if table.len() >= MAX_KEYS && !table.contains_key(key) {
            // Keep the locks; forget counts that have not reached one.
            table.retain(|_, f| f.locked_until.is_some_and(|until| until > now));
            if table.len() >= MAX_KEYS {
                table.clear();
            }
        }
        let entry = table.entry(key.to_owned()).or_insert(Failures { count: 0, locked_until: None });
        if entry.locked_until.is_some_and(|until| until <= now) {
            *entry = Failures { count: 0, locked_until: None };
        }
        entry.count += 1;
        if entry.count >= self.policy.failures {
            let until = now + self.policy.lock_for;
            entry.locked_until = Some(until);
            return Some(until);
        }
        None
    }

    /// Forgets `key`'s failures after a success.
    pub fn succeeded(&self, key: &str) {
        self.table().remove(key);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    #[test]
    fn the_limit_th_failure_locks_for_the_policy_s_time_and_then_counting_starts_again() {
        let lockouts = Lockouts::new(SERVICE);
        for _ in 1..SERVICE.failures {
            assert_eq!(lockouts.failed("ws", at(0)), None);
        }
        assert_eq!(lockouts.locked_until("ws", at(0)), None, "one below the limit is not locked");
        let until = lockouts.failed("ws", at(0)).unwrap();
        assert_eq!(until, at(5));
        assert_eq!(lockouts.locked_until("ws", at(4)), Some(until));
        assert_eq!(lockouts.locked_until("ws", at(5)), None, "the lock ends on time");
        assert_eq!(lockouts.failed("ws", at(6)), None, "after a lock the count starts from one");
        assert_eq!(lockouts.locked_until("other", at(0)), None, "keys are apart");
    }

    #[test]
    fn a_success_forgets_the_failures() {
        let lockouts = Lockouts::new(PORTAL);
        for _ in 1..PORTAL.failures {
            lockouts.failed("op", at(0));
        }
        lockouts.succeeded("op");
        assert_eq!(lockouts.failed("op", at(1)), None);
    }

    #[test]
    fn a_user_id_locked_from_one_address_is_open_from_another() {
        let lockouts = Lockouts::new(SERVICE);
        let (stranger, partner) = ("203.0.113.9".parse().unwrap(), "10.1.2.3".parse().unwrap());
        for _ in 0..SERVICE.failures {
            lockouts.failed(&service_key("bkn-ws", stranger), at(0));
        }
        assert!(lockouts.locked_until(&service_key("bkn-ws", stranger), at(1)).is_some());
        assert_eq!(lockouts.locked_until(&service_key("bkn-ws", partner), at(1)), None);
        assert_ne!(source_key(stranger), service_key("", stranger).replace('\u{0}', "x"));
    }

    #[test]
    fn failures_under_ever_new_keys_stay_bounded_and_keep_the_locks() {
        let lockouts = Lockouts::new(LockoutPolicy { failures: 1, lock_for: Duration::minutes(1) });
        lockouts.failed("locked", at(0));
        let counting = Lockouts::new(SERVICE);
        for n in 0..(MAX_KEYS + 10) {
            counting.failed(&n.to_string(), at(0));
        }
        assert!(counting.table().len() <= MAX_KEYS);
        assert!(lockouts.locked_until("locked", at(0)).is_some());
    }
}

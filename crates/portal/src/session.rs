//! Portal sessions and sign-in lockout, held in the serving process.
//!
//! A session is a random 256-bit token in an HttpOnly, SameSite=Strict
//! cookie; the process keeps only its SHA-256, so a memory dump yields no
//! usable cookie. Every sign-in opens a new session (a token planted before
//! sign-in is never promoted: no session fixation). A session ends after
//! [`IDLE`] without a page load, after [`LONGEST`] in all, or at sign-out.
//! Each session has its own CSRF token that every form posts back.
//!
//! An account with a second factor gets no session for its password: it
//! gets a [`Pending`] sign-in, in its own cookie, that waits [`CODE_WAIT`]
//! for the code. The last code step accepted for each User ID is kept so
//! that a code cannot be used twice ([`Sessions::spend_step`]); a key shown
//! for enrolment stays in its session until a code confirms it.
//!
//! After [`FAILURES_BEFORE_LOCKOUT`] wrong passwords or codes in a row a
//! User ID is locked for [`LOCKOUT`]; a correct password during the lockout
//! does not help. Sessions and counters live in this node: behind a load
//! balancer the portal needs sticky sessions.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use gerbang_core::access::lockout::{self, Lockouts};
use gerbang_core::access::secret::{SecretError, random_bytes, token_hash};

/// A session ends after this long without a page load.
pub const IDLE: Duration = Duration::minutes(30);

/// A session ends this long after sign-in, however busy.
pub const LONGEST: Duration = Duration::hours(12);

/// How long a correct password waits for its account's code.
pub const CODE_WAIT: Duration = Duration::minutes(5);

/// Wrong passwords or codes in a row that lock a User ID.
pub const FAILURES_BEFORE_LOCKOUT: u32 = lockout::PORTAL.failures;

/// How long a locked User ID stays locked.
pub const LOCKOUT: Duration = lockout::PORTAL.lock_for;

/// A signed-in user's session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The User ID.
    pub user_id: String,
    /// The token forms must post back.
    pub csrf: String,
    /// A key shown for enrolment in the second factor, not yet confirmed.
    pub enrolling: Option<Enrolment>,
    started: DateTime<Utc>,
    seen: DateTime<Utc>,
}

/// A base32 key shown for enrolment; `Debug` does not show it.
#[derive(Clone)]
pub struct Enrolment(pub String);

impl std::fmt::Debug for Enrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Enrolment(…)")
    }
}

/// A correct password of an account with a second factor, waiting for the
/// code.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The User ID.
    pub user_id: String,
    /// The token the code form must post back.
    pub csrf: String,
    started: DateTime<Utc>,
}

/// Whether a sign-in may be tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// The password may be checked.
    Open,
    /// Locked until this moment.
    Locked(DateTime<Utc>),
}

/// The process's sessions and failure counters.
pub struct Sessions {
    open: Mutex<HashMap<String, Session>>,
    /// Sign-ins waiting for their code, by SHA-256 of their cookie token.
    pending: Mutex<HashMap<String, Pending>>,
    /// The last code step accepted, by User ID.
    steps: Mutex<HashMap<String, u64>>,
    /// Wrong passwords and codes, by User ID.
    failures: Lockouts,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            open: Mutex::default(),
            pending: Mutex::default(),
            steps: Mutex::default(),
            failures: Lockouts::new(lockout::PORTAL),
        }
    }
}

/// A fresh random token, URL-safe.
pub fn new_token() -> Result<String, SecretError> {
    let bytes = random_bytes::<32>()?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Sessions {
    /// Opens a session for `user_id`; returns the cookie token.
    pub fn open(&self, user_id: &str, now: DateTime<Utc>) -> Result<(String, Session), SecretError> {
        let token = new_token()?;
        let session =
            Session { user_id: user_id.to_owned(), csrf: new_token()?, enrolling: None, started: now, seen: now };
        let mut open = locked(&self.open);
        open.retain(|_, s| alive(s, now));
        open.insert(token_hash(&token), session.clone());
        Ok((token, session))
    }

    /// The live session of `token`, marked as seen now.
    pub fn find(&self, token: &str, now: DateTime<Utc>) -> Option<Session> {
        let mut open = locked(&self.open);
        let key = token_hash(token);
        let session = open.get_mut(&key)?;
        if !alive(session, now) {
            open.remove(&key);
            return None;
        }
        session.seen = now;
        Some(session.clone())
    }

    /// Ends the session of `token`.
    pub fn close(&self, token: &str) {
        locked(&self.open).remove(&token_hash(token));
    }

    /// Ends every session and pending sign-in of `user_id` (after a
    /// lockout, say).
    pub fn close_all_of(&self, user_id: &str) {
        locked(&self.open).retain(|_, s| s.user_id != user_id);
        locked(&self.pending).retain(|_, p| p.user_id != user_id);
    }

    /// Keeps `key` in the session of `token` until a code confirms it.
    pub fn start_enrolment(&self, token: &str, key: String) {
        if let Some(session) = locked(&self.open).get_mut(&token_hash(token)) {
            session.enrolling = Some(Enrolment(key));
        }
    }

    /// Forgets the enrolment key of the session of `token`.
    pub fn end_enrolment(&self, token: &str) {
        if let Some(session) = locked(&self.open).get_mut(&token_hash(token)) {
            session.enrolling = None;
        }
    }

    /// Holds a correct password of `user_id` for [`CODE_WAIT`]; returns
    /// the cookie token.
    pub fn hold(&self, user_id: &str, now: DateTime<Utc>) -> Result<(String, Pending), SecretError> {
        let token = new_token()?;
        let pending = Pending { user_id: user_id.to_owned(), csrf: new_token()?, started: now };
        let mut held = locked(&self.pending);
        held.retain(|_, p| now - p.started < CODE_WAIT);
        held.insert(token_hash(&token), pending.clone());
        Ok((token, pending))
    }

    /// The sign-in of `token` still waiting for its code.
    pub fn pending(&self, token: &str, now: DateTime<Utc>) -> Option<Pending> {
        let mut held = locked(&self.pending);
        let key = token_hash(token);
        let pending = held.get(&key)?;
        if now - pending.started >= CODE_WAIT {
            held.remove(&key);
            return None;
        }
        Some(pending.clone())
    }

    /// Ends the pending sign-in of `token`.
    pub fn release(&self, token: &str) {
        locked(&self.pending).remove(&token_hash(token));
    }

    /// The last code step accepted for `user_id`.
    pub fn last_step(&self, user_id: &str) -> Option<u64> {
        locked(&self.steps).get(user_id).copied()
    }

    /// Spends code step `step` of `user_id`: `false` if that step or a later
    /// one was already accepted (two posts of one code racing, say).
    pub fn spend_step(&self, user_id: &str, step: u64) -> bool {
        let mut steps = locked(&self.steps);
        if steps.get(user_id).is_some_and(|last| *last >= step) {
            return false;
        }
        steps.insert(user_id.to_owned(), step);
        true
    }

    /// Whether `user_id` may try a password now.
    pub fn gate(&self, user_id: &str, now: DateTime<Utc>) -> Gate {
        self.failures.locked_until(&user_key(user_id), now).map_or(Gate::Open, Gate::Locked)
    }

    /// Counts a wrong password or code; returns the lockout it started, if
    /// any.
    pub fn failed(&self, user_id: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.failures.failed(&user_key(user_id), now)
    }

    /// Forgets the failures of `user_id` after a complete sign-in.
    pub fn succeeded(&self, user_id: &str) {
        self.failures.succeeded(&user_key(user_id));
    }
}

/// The lockout key of a User ID as typed (bounded in length).
fn user_key(user_id: &str) -> String {
    user_id.chars().take(64).collect()
}

fn alive(session: &Session, now: DateTime<Utc>) -> bool {
    now - session.seen < IDLE && now - session.started < LONGEST
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
    fn a_session_lives_while_used_and_ends_when_idle_or_too_old_or_closed() {
        let sessions = Sessions::default();
        let (token, session) = sessions.open("kra-op", at(0)).unwrap();
        assert_eq!(session.user_id, "kra-op");
        assert_ne!(token, session.csrf, "the cookie and the form token differ");
        assert!(sessions.find(&token, at(29)).is_some());
        assert!(sessions.find(&token, at(58)).is_some(), "each page load restarts the idle clock");
        assert!(sessions.find(&token, at(89)).is_none(), "idle for 31 minutes");

        let (token, _) = sessions.open("kra-op", at(0)).unwrap();
        for minute in (20..=700).step_by(20) {
            assert!(sessions.find(&token, at(minute)).is_some());
        }
        assert!(sessions.find(&token, at(720)).is_none(), "twelve hours after sign-in");

        let (token, _) = sessions.open("kra-op", at(0)).unwrap();
        sessions.close(&token);
        assert!(sessions.find(&token, at(1)).is_none());
        assert!(sessions.find("not-a-token", at(1)).is_none());
    }

    #[test]
    fn five_wrong_passwords_lock_a_user_id_for_fifteen_minutes() {
        let sessions = Sessions::default();
        for attempt in 1..FAILURES_BEFORE_LOCKOUT {
            assert_eq!(sessions.failed("kra-op", at(0)), None, "attempt {attempt}");
            assert_eq!(sessions.gate("kra-op", at(0)), Gate::Open);
        }
        assert_eq!(sessions.failed("kra-op", at(1)), Some(at(16)));
        assert_eq!(sessions.gate("kra-op", at(15)), Gate::Locked(at(16)));
        assert_eq!(sessions.gate("other-op", at(15)), Gate::Open, "only that User ID");
        assert_eq!(sessions.gate("kra-op", at(16)), Gate::Open);
        assert_eq!(sessions.failed("kra-op", at(17)), None, "the count starts again after a lockout");
        sessions.succeeded("kra-op");
        assert_eq!(sessions.gate("kra-op", at(17)), Gate::Open);
    }

    #[test]
    fn a_pending_sign_in_waits_five_minutes_and_ends_with_a_lockout() {
        let sessions = Sessions::default();
        let (token, pending) = sessions.hold("kra-op", at(0)).unwrap();
        assert_eq!(pending.user_id, "kra-op");
        assert_ne!(token, pending.csrf);
        assert!(sessions.find(&token, at(1)).is_none(), "a pending sign-in is not a session");
        assert!(sessions.pending(&token, at(4)).is_some());
        assert!(sessions.pending(&token, at(5)).is_none(), "five minutes");
        assert!(sessions.pending(&token, at(1)).is_none(), "gone once expired");

        let (token, _) = sessions.hold("kra-op", at(0)).unwrap();
        sessions.close_all_of("kra-op");
        assert!(sessions.pending(&token, at(1)).is_none());
        let (token, _) = sessions.hold("kra-op", at(0)).unwrap();
        sessions.release(&token);
        assert!(sessions.pending(&token, at(1)).is_none());
    }

    #[test]
    fn a_code_step_is_spent_once_per_user_id() {
        let sessions = Sessions::default();
        assert_eq!(sessions.last_step("kra-op"), None);
        assert!(sessions.spend_step("kra-op", 100));
        assert!(!sessions.spend_step("kra-op", 100), "the same code again");
        assert!(!sessions.spend_step("kra-op", 99), "an older code");
        assert!(sessions.spend_step("other-op", 100), "another User ID has its own");
        assert!(sessions.spend_step("kra-op", 101));
        assert_eq!(sessions.last_step("kra-op"), Some(101));
    }

    #[test]
    fn an_enrolment_key_stays_in_its_session_and_is_not_shown_by_debug() {
        let sessions = Sessions::default();
        let (token, _) = sessions.open("kra-op", at(0)).unwrap();
        sessions.start_enrolment(&token, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into());
        let session = sessions.find(&token, at(1)).unwrap();
        assert_eq!(session.enrolling.as_ref().map(|e| e.0.as_str()), Some("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"));
        assert!(!format!("{session:?}").contains("GEZD"));
        sessions.end_enrolment(&token);
        assert!(sessions.find(&token, at(2)).unwrap().enrolling.is_none());
    }

    #[test]
    fn tokens_compare_whole() {
        let token = new_token().unwrap();
        assert_eq!(token.len(), 64);
        assert!(same_token(&token, &token.clone()));
        assert!(!same_token(&token, &token[..63]));
        assert!(!same_token(&token, &new_token().unwrap()));
    }
}

//! Injected time. Quota days, agreement validity and semester boundaries all
//! depend on "now", so nothing in Gerbang reads the system clock except
//! [`SystemClock`]; tests use [`FixedClock`]. A day is a calendar day in
//! Asia/Jakarta (WIB, UTC+7, no daylight saving).

use std::sync::Mutex;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// Western Indonesian Time (WIB), UTC+7.
#[allow(clippy::panic)] // evaluated at compile time: an invalid offset fails the build
pub const JAKARTA: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+7 is a valid offset"),
};

/// The calendar day in Asia/Jakarta of an instant.
pub fn jakarta_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&JAKARTA).date_naive()
}

/// The instant a Jakarta calendar day begins.
pub fn jakarta_midnight(day: NaiveDate) -> DateTime<Utc> {
    (day.and_time(chrono::NaiveTime::MIN) - chrono::Duration::seconds(i64::from(JAKARTA.local_minus_utc()))).and_utc()
}

/// The first day of the month holding `day`.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in Asia/Jakarta.
    fn today(&self) -> NaiveDate {
        jakarta_date(self.now())
    }
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place the system clock is read
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that says what it is told; for tests.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    /// A clock stopped at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(now))
    }

    /// Moves the clock to `now`.
    pub fn set(&self, now: DateTime<Utc>) {
        if let Ok(mut guard) = self.0.lock() {
            *guard = now;
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.lock().map(|guard| *guard).unwrap_or_else(|poisoned| *poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_day_turns_at_midnight_in_jakarta_not_utc() {
        let clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 11, 23, 16, 59, 59).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        clock.set(Utc.with_ymd_and_hms(2026, 11, 23, 17, 0, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        let midnight = jakarta_midnight(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        assert_eq!(midnight, Utc.with_ymd_and_hms(2026, 11, 23, 17, 0, 0).unwrap());
    }
}

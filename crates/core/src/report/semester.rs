//! A half-year of Jakarta calendar days: semester 1 is January–June,
//! semester 2 July–December. Written `2026-S1` in URLs, files and the CLI.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::clock::jakarta_midnight;

/// Which half of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Half {
    /// January to June; reported in June.
    First,
    /// July to December; reported in December.
    Second,
}

/// A semester: a year and a half.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Semester {
    /// The calendar year.
    pub year: i32,
    /// Which half.
    pub half: Half,
}

/// A semester that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("semester '{0}' tidak valid: tulis seperti 2026-S1 atau 2026-S2")]
pub struct SemesterError(pub String);

impl SemesterError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        "report.invalid_semester"
    }
}

impl Semester {
    /// The semester holding the Jakarta day `day`.
    pub fn containing(day: NaiveDate) -> Semester {
        let half = if day.month() <= 6 { Half::First } else { Half::Second };
        Semester { year: day.year(), half }
    }

    /// Its first day (1 January or 1 July).
    pub fn first_day(self) -> NaiveDate {
        let month = match self.half {
            Half::First => 1,
            Half::Second => 7,
        };
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day (30 June or 31 December), the due date of its report.
    pub fn last_day(self) -> NaiveDate {
        self.first_day()
            .checked_add_months(Months::new(6))
            .and_then(|next| next.checked_sub_days(Days::new(1)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Midnight (WIB) at the start of its first day, inclusive.
    pub fn from(self) -> DateTime<Utc> {
        jakarta_midnight(self.first_day())
    }

    /// Midnight (WIB) after its last day, exclusive.
    pub fn until(self) -> DateTime<Utc> {
        jakarta_midnight(self.last_day().checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX))
    }

    /// The first days of its six months, in order.
    pub fn months(self) -> Vec<NaiveDate> {
        (0..6).filter_map(|n| self.first_day().checked_add_months(Months::new(n))).collect()
    }

    /// Whether it has begun by `today`.
    pub fn has_begun(self, today: NaiveDate) -> bool {
        self.first_day() <= today
    }

    /// Whether it is over by `today`.
    pub fn is_over(self, today: NaiveDate) -> bool {
        self.last_day() < today
    }

    /// The semester before.
    pub fn previous(self) -> Semester {
        match self.half {
            Half::First => Semester { year: self.year - 1, half: Half::Second },
            Half::Second => Semester { year: self.year, half: Half::First },
        }
    }

    /// Its Bahasa Indonesia name, e.g. "Semester I 2026 (Januari–Juni)".
    pub fn label(self) -> String {
        match self.half {
            Half::First => format!("Semester I {} (Januari–Juni)", self.year),
            Half::Second => format!("Semester II {} (Juli–Desember)", self.year),
        }
    }
}

impl fmt::Display for Semester {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = match self.half {
            Half::First => 1,
            Half::Second => 2,
        };
        write!(f, "{}-S{n}", self.year)
    }
}

impl FromStr for Semester {
    type Err = SemesterError;

    fn from_str(text: &str) -> Result<Semester, SemesterError> {
        let invalid = || SemesterError(text.chars().take(20).collect());
        let (year, half) = text.trim().split_once(['-', '/']).ok_or_else(invalid)?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=9999).contains(y)).ok_or_else(invalid)?;
        let half = match half.to_ascii_uppercase().as_str() {
            "S1" | "1" => Half::First,
            "S2" | "2" => Half::Second,
            _ => return Err(invalid()),
        };
        Ok(Semester { year, half })
    }
}

impl Serialize for Semester {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Semester {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Semester, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

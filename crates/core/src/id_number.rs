//! The two identity numbers of the register: the NIK (Nomor Induk
//! Kependudukan) and the NO_KK (family card number), SPEC.md §2.
//!
//! Both are 16 digits. A NIK is `DDDDDD` (district of registration) +
//! `DDMMYY` (birth date, 40 added to the day for women) + a 4-digit serial;
//! a NO_KK is `DDDDDD` (issuing region) + `DDMMYY` (issue date) + serial.
//! Parsing checks every rule and says which one failed. A NIK is personal
//! data: its `Debug` form hides everything after the district code, so a
//! value that slips into a log line does not identify anyone.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::region::Regions;
use crate::vocab::JenisKelamin;

/// Which identity number a parse error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// Nomor Induk Kependudukan.
    Nik,
    /// Nomor Kartu Keluarga.
    NoKk,
}

impl IdKind {
    fn label(self) -> &'static str {
        match self {
            IdKind::Nik => "NIK",
            IdKind::NoKk => "Nomor KK",
        }
    }

    fn code_prefix(self) -> &'static str {
        match self {
            IdKind::Nik => "nik",
            IdKind::NoKk => "no_kk",
        }
    }
}

/// Why a string is not a valid NIK or NO_KK: one variant per rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    /// Not exactly 16 characters.
    #[error("{} harus 16 digit, yang diberikan {found} karakter", kind.label())]
    WrongLength {
        /// Which number.
        kind: IdKind,
        /// How many characters were given.
        found: usize,
    },
    /// A character that is not an ASCII digit.
    #[error("{} hanya boleh berisi angka; karakter ke-{position} bukan angka", kind.label())]
    NotDigits {
        /// Which number.
        kind: IdKind,
        /// 1-based position of the first offending character.
        position: usize,
    },
    /// Digits 1–6 are not a district in the Kemendagri table.
    #[error("digit 1–6 {} ({code:06}) bukan kode kecamatan yang terdaftar", kind.label())]
    UnknownDistrict {
        /// Which number.
        kind: IdKind,
        /// The six digits.
        code: u32,
    },
    /// Digits 7–12 are not a real date.
    #[error("digit 7–12 {} ({digits}) bukan tanggal yang valid{}", kind.label(), if *kind == IdKind::Nik { " (DDMMYY, tanggal +40 untuk perempuan)" } else { " (DDMMYY)" })]
    InvalidDate {
        /// Which number.
        kind: IdKind,
        /// The six digits as given.
        digits: String,
    },
    /// Digits 13–16 are all zero.
    #[error("nomor urut {} (digit 13–16) tidak boleh 0000", kind.label())]
    ZeroSerial {
        /// Which number.
        kind: IdKind,
    },
}

impl IdNumberError {
    /// A stable machine-readable code, e.g. `nik.invalid_date`.
    pub fn code(&self) -> String {
        let (kind, rule) = match self {
            IdNumberError::WrongLength { kind, .. } => (kind, "length"),
            IdNumberError::NotDigits { kind, .. } => (kind, "not_digits"),
            IdNumberError::UnknownDistrict { kind, .. } => (kind, "unknown_district"),
            IdNumberError::InvalidDate { kind, .. } => (kind, "invalid_date"),
            IdNumberError::ZeroSerial { kind } => (kind, "zero_serial"),
        };
        format!("{}.{rule}", kind.code_prefix())
    }
}

/// The 16 digits of an identity number, checked for length and digits only.
fn sixteen_digits(kind: IdKind, text: &str) -> Result<[u8; 16], IdNumberError> {
    let text = text.trim();
    if let Some(position) = text.chars().position(|c| !c.is_ascii_digit()) {
        return Err(IdNumberError::NotDigits { kind, position: position + 1 });
    }
    if text.len() != 16 {
        return Err(IdNumberError::WrongLength { kind, found: text.len() });
    }
    let mut digits = [0u8; 16];
    for (slot, byte) in digits.iter_mut().zip(text.bytes()) {
        *slot = byte - b'0';
    }
    Ok(digits)
}

/// The 16 digits of a stored number (leading zeros where it is shorter);
/// `None` when it has more than 16.
fn stored_digits(mut value: u64) -> Option<[u8; 16]> {
    let mut digits = [0u8; 16];
    for slot in digits.iter_mut().rev() {
        // The remainder of a division by 10 is a single digit.
        *slot = (value % 10) as u8;
        value /= 10;
    }
    (value == 0).then_some(digits)
}

/// The 16 digits of an identity number from its parts: district, date
/// (`day_offset` added to the day: 40 for a woman's NIK), serial.
fn compose(district: u32, date: NaiveDate, day_offset: u32, serial: u16) -> String {
    use chrono::Datelike;
    let date = u64::from(date.day() + day_offset) * 10_000
        + u64::from(date.month()) * 100
        + date.year().rem_euclid(100) as u64;
    format!("{:016}", u64::from(district) * 10_000_000_000 + date * 10_000 + u64::from(serial))
}

fn number_of(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |acc, d| acc * 10 + u64::from(*d))
}

/// Whether day/month/two-digit year form a real date in 19YY or 20YY.
fn is_real_date(day: u32, month: u32, year2: i32) -> bool {
    NaiveDate::from_ymd_opt(1900 + year2, month, day).is_some()
        || NaiveDate::from_ymd_opt(2000 + year2, month, day).is_some()
}

fn check_date_and_serial(kind: IdKind, digits: &[u8; 16], day_offset: u32) -> Result<(), IdNumberError> {
    let pair = |i: usize| u32::from(digits[i]) * 10 + u32::from(digits[i + 1]);
    let day = pair(6);
    let day = if day > day_offset { day - day_offset } else { day };
    if !is_real_date(day, pair(8), pair(10) as i32) {
        let digits = digits[6..12].iter().map(|d| char::from(b'0' + d)).collect();
        return Err(IdNumberError::InvalidDate { kind, digits });
    }
    if digits[12..].iter().all(|d| *d == 0) {
        return Err(IdNumberError::ZeroSerial { kind });
    }
    Ok(())
}

/// A valid NIK. Stored as its numeric value (a NIK never starts with 0,
/// province codes being 11–96).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nik(u64);

impl Nik {
    /// Parses and validates a NIK against the official district table.
    pub fn parse(text: &str) -> Result<Self, IdNumberError> {
        Self::parse_with(text, Regions::official())
    }

    /// Parses and validates a NIK against the given district table.
    pub fn parse_with(text: &str, regions: &Regions) -> Result<Self, IdNumberError> {
        Self::checked_with(sixteen_digits(IdKind::Nik, text)?, regions)
    }

    /// The NIK of these digits, checked against the official district table.
    fn checked(digits: [u8; 16]) -> Result<Self, IdNumberError> {
        Self::checked_with(digits, Regions::official())
    }

    /// The NIK of these digits, checked against the given district table.
    fn checked_with(digits: [u8; 16], regions: &Regions) -> Result<Self, IdNumberError> {
        let kind = IdKind::Nik;
        let district = number_of(&digits[..6]) as u32;
        if regions.district(u64::from(district)).is_none() {
            return Err(IdNumberError::UnknownDistrict { kind, code: district });
        }
        check_date_and_serial(kind, &digits, 40)?;
        Ok(Nik(number_of(&digits)))
    }

    /// Builds a NIK from its parts: the six-digit district code, the birth
    /// date, the sex and a serial in 1..=9999.
    pub fn from_parts(
        district: u32,
        birth_date: NaiveDate,
        sex: JenisKelamin,
        serial: u16,
    ) -> Result<Self, IdNumberError> {
        let offset = if sex == JenisKelamin::Perempuan { 40 } else { 0 };
        Self::parse(&compose(district, birth_date, offset, serial))
    }

    /// The sex encoded in the day digits.
    pub fn sex(self) -> JenisKelamin {
        if self.day_digits() > 40 { JenisKelamin::Perempuan } else { JenisKelamin::LakiLaki }
    }

    fn day_digits(self) -> u32 {
        ((self.0 / 100_000_000) % 100) as u32
    }

    /// Whether the NIK encodes this birth date and sex (only the two-digit
    /// year is encoded).
    pub fn encodes(self, birth_date: NaiveDate, sex: JenisKelamin) -> bool {
        use chrono::Datelike;
        let offset = if sex == JenisKelamin::Perempuan { 40 } else { 0 };
        let month = ((self.0 / 1_000_000) % 100) as u32;
        let year2 = ((self.0 / 10_000) % 100) as i32;
        self.day_digits() == birth_date.day() + offset
            && month == birth_date.month()
            && year2 == birth_date.year().rem_euclid(100)
    }

    /// Digits 13–16.
    pub fn serial(self) -> u16 {
        (self.0 % 10_000) as u16
    }
}

/// A valid family card number (Nomor Kartu Keluarga).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NoKk(u64);

impl NoKk {
    /// Parses and validates a NO_KK: 16 digits, a real issue date in digits
    /// 7–12, a serial other than 0000.
    pub fn parse(text: &str) -> Result<Self, IdNumberError> {
        Self::checked(sixteen_digits(IdKind::NoKk, text)?)
    }

    /// The NO_KK of these digits, checked.
    fn checked(digits: [u8; 16]) -> Result<Self, IdNumberError> {
        check_date_and_serial(IdKind::NoKk, &digits, 0)?;
        Ok(NoKk(number_of(&digits)))
    }

    /// Builds a NO_KK from its issuing district, issue date and serial.
    pub fn from_parts(district: u32, issued: NaiveDate, serial: u16) -> Result<Self, IdNumberError> {
        Self::parse(&compose(district, issued, 0, serial))
    }
}

macro_rules! id_number_traits {
    ($ty:ident, $name:literal) => {
        impl $ty {
            /// Rebuilds the number from a stored value; `None` when it is
            /// not valid.
            pub fn from_stored(value: u64) -> Option<Self> {
                Self::checked(stored_digits(value)?).ok()
            }

            /// The numeric value, for storage.
            pub fn value(self) -> u64 {
                self.0
            }

            /// Digits 1–6: the district of registration (NIK) or the issuing
            /// region (NO_KK).
            pub fn district_code(self) -> u32 {
                (self.0 / 10_000_000_000) as u32
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:016}", self.0)
            }
        }

        /// Shows only the district code: the rest identifies a person.
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($name, "({:06}**********)"), self.district_code())
            }
        }

        impl FromStr for $ty {
            type Err = IdNumberError;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Self::parse(text)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

id_number_traits!(Nik, "Nik");
id_number_traits!(NoKk, "NoKk");

#[cfg(test)]
mod tests;

//! Transparency for residents (issue 8, "Hardening"): a resident sees which
//! partner institutions accessed their data, when, through which mechanism
//! and with what outcome, as Estonia's data tracker and Aadhaar's
//! authentication history let citizens do.
//!
//! A resident proves who they are with their NIK and a one-time code the
//! registry issues in person ([`issue`], by a steward whom
//! `Steward::may_issue_resident_code` allows). The code is shown once and
//! never stored: the register keeps only its keyed digest ([`code_digest`],
//! an HMAC under the installation's secret, cheap enough for the request
//! path and useless to anyone holding the database alone), beside the
//! resident's keyed NIK hash, the key the audit trail files them under.
//! [`redeem`] decides what a presented code is worth: it works once, for
//! [`CODE_LIFETIME_HOURS`], and [`MAX_WRONG_CODES`] wrong codes void it, so
//! guessing is bounded. Whatever the reason, the resident is told one
//! generic refusal ([`REFUSAL_CODE`]), which never says whether a NIK
//! exists; the reason itself goes to the audit trail.
//!
//! [`access_history`] turns the resident's audit records into what they
//! see: partner institutions' accesses only, newest first, without User
//! IDs or addresses.

use std::fmt;

use chrono::{DateTime, Duration, FixedOffset, Utc};

use crate::access::secret::{SecretError, random_bytes};
use crate::access::{ControlPlane, Mechanism};
use crate::audit::{Digest32, NikHasher, ResidentKey, SealedRecord};
use crate::clock::JAKARTA;
use crate::element::Element;
use crate::id_number::Nik;

/// How long an issued code can be used.
pub const CODE_LIFETIME_HOURS: i64 = 24;

/// Wrong codes after which a resident's code is void.
pub const MAX_WRONG_CODES: u32 = 5;

/// Characters in a code: ten from a 32-letter alphabet, 50 bits.
pub const CODE_LENGTH: usize = 10;

/// The alphabet of codes: capitals and digits without I, O, 0 and 1, which
/// people confuse when reading a code off paper. 32 letters, so a random
/// byte modulo 32 picks each without bias.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// The stable code of the one refusal a resident sees.
pub const REFUSAL_CODE: &str = "resident.code_refused";

/// The one refusal's message.
pub const REFUSAL_MESSAGE: &str = "NIK atau kode akses tidak dapat diterima (salah, sudah dipakai, atau kedaluwarsa). \
     Mintalah kode baru di kantor Dinas Kependudukan dan Pencatatan Sipil.";

/// The audit outcome of an issued code.
pub const ISSUED_OUTCOME: &str = "resident_code.issued";

/// The audit outcome of a history shown to its resident.
pub const SHOWN_OUTCOME: &str = "resident.history_shown";

/// The context string of code digests; a new scheme gets a new string.
const DIGEST_CONTEXT: &[u8] = b"gerbang-resident-code-v1";

/// A code in clear, as shown once to the resident. Never logged.
#[derive(Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

impl fmt::Debug for OneTimeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OneTimeCode(***)")
    }
}

impl OneTimeCode {
    /// The code spelled by `random` bytes.
    pub fn from_random(random: [u8; CODE_LENGTH]) -> Self {
        OneTimeCode(random.iter().map(|b| char::from(ALPHABET[usize::from(b % 32)])).collect())
    }

    /// A fresh code from the operating system's randomness.
    pub fn draw() -> Result<Self, SecretError> {
        random_bytes::<CODE_LENGTH>().map(OneTimeCode::from_random)
    }

    /// The code as ten characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code in two groups of five (`ABCDE-FGHJK`), as printed for the
    /// resident; [`code_digest`] ignores the dash.
    pub fn grouped(&self) -> String {
        let (first, second) = self.0.split_at(CODE_LENGTH / 2);
        format!("{first}-{second}")
    }
}

/// A presented code as compared: separators (spaces, dashes) dropped and
/// letters in capitals, so `abcde fghjk` is `ABCDEFGHJK`.
fn normalized(presented: &str) -> String {
    presented.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect()
}

/// The keyed digest of `code` for `resident`: what the register keeps.
/// Binding the resident in means a digest copied to another row is worth
/// nothing there.
pub fn code_digest(hasher: &NikHasher, resident: ResidentKey, code: &str) -> Digest32 {
    hasher.keyed_digest(DIGEST_CONTEXT, &[&resident.0, normalized(code).as_bytes()])
}

/// A resident's code as the register keeps it.
#[derive(Clone, PartialEq, Eq)]
pub struct ResidentCode {
    /// The resident, by keyed NIK hash (as the audit trail knows them).
    pub resident: ResidentKey,
    /// The code's keyed digest ([`code_digest`]).
    pub digest: Digest32,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// Who issued it (a User ID, or `cli:…`).
    pub issued_by: String,
    /// Wrong codes presented for this resident since it was issued.
    pub wrong_attempts: u32,
    /// When it was used; a used code opens nothing more.
    pub used_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for ResidentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResidentCode")
            .field("resident", &self.resident)
            .field("issued_at", &self.issued_at)
            .field("issued_by", &self.issued_by)
            .field("wrong_attempts", &self.wrong_attempts)
            .field("used_at", &self.used_at)
            .finish_non_exhaustive()
    }
}

impl ResidentCode {
    /// The first instant it no longer opens anything.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.issued_at + Duration::hours(CODE_LIFETIME_HOURS)
    }
}

/// Issues `code` to the resident `nik` (the caller has asked
/// `Steward::may_issue_resident_code`): the row to store, replacing any
/// earlier code of theirs with fresh attempts.
pub fn issue(hasher: &NikHasher, nik: Nik, code: &OneTimeCode, issued_by: &str, now: DateTime<Utc>) -> ResidentCode {
    let resident = hasher.key(nik);
    ResidentCode {
        resident,
        digest: code_digest(hasher, resident, code.as_str()),
        issued_at: now,
        issued_by: issued_by.chars().take(64).collect(),
        wrong_attempts: 0,
        used_at: None,
    }
}

/// Why a presented code opened nothing. Residents are told only
/// [`REFUSAL_CODE`]; the reason is for the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefusal {
    /// No code was issued for this NIK (or the NIK is malformed).
    NoCode,
    /// The code was used already.
    Used,
    /// Too many wrong codes voided it earlier.
    Void,
    /// Its lifetime is over.
    Expired,
    /// The code is wrong; it stays usable.
    Wrong,
    /// The code is wrong and that was the last allowed attempt.
    WrongAndVoided,
}

impl CodeRefusal {
    /// The stable code recorded in the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            CodeRefusal::NoCode => "resident_code.none",
            CodeRefusal::Used => "resident_code.used",
            CodeRefusal::Void => "resident_code.void",
            CodeRefusal::Expired => "resident_code.expired",
            CodeRefusal::Wrong => "resident_code.wrong",
            CodeRefusal::WrongAndVoided => "resident_code.voided",
        }
    }
}

/// What a presented code is worth, and the state to store after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redemption {
    /// The code opens the history once; `settled` marks it used.
    Accepted {
        /// The code as it must be stored before the history is shown.
        settled: ResidentCode,
    },
    /// The code opens nothing.
    Refused {
        /// Why (for the audit trail).
        why: CodeRefusal,
        /// The code's new state to store (a wrong attempt counted), if any.
        settled: Option<ResidentCode>,
    },
}

/// Judges the digest of a presented code against the stored code at `now`.
/// A wrong code is counted only while the code could still open
/// something; a used, void or expired code opens nothing whatever is
/// presented, and is left as it is.
pub fn redeem(stored: Option<&ResidentCode>, presented: &Digest32, now: DateTime<Utc>) -> Redemption {
    let refused = |why| Redemption::Refused { why, settled: None };
    let Some(stored) = stored else { return refused(CodeRefusal::NoCode) };
    if stored.used_at.is_some() {
        return refused(CodeRefusal::Used);
    }
    if stored.wrong_attempts >= MAX_WRONG_CODES {
        return refused(CodeRefusal::Void);
    }
    if now >= stored.expires_at() {
        return refused(CodeRefusal::Expired);
    }
    if !same_digest(&stored.digest, presented) {
        let settled = ResidentCode { wrong_attempts: stored.wrong_attempts + 1, ..stored.clone() };
        let why =
            if settled.wrong_attempts >= MAX_WRONG_CODES { CodeRefusal::WrongAndVoided } else { CodeRefusal::Wrong };
        return Redemption::Refused { why, settled: Some(settled) };
    }
    Redemption::Accepted { settled: ResidentCode { used_at: Some(now), ..stored.clone() } }
}

/// Compares two digests in time independent of where they differ.
fn same_digest(a: &Digest32, b: &Digest32) -> bool {
    a.iter().zip(b).fold(0u8, |differ, (x, y)| differ | (x ^ y)) == 0
}

/// One access to a resident's data by a partner institution, as the
/// resident sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    /// When, in Asia/Jakarta.
    pub at: DateTime<FixedOffset>,
    /// The institution's official name.
    pub institution: String,
    /// The front it came through: `compat`, `v1` or `portal`.
    pub interface: String,
    /// The mechanism, when the request got that far.
    pub mechanism: Option<Mechanism>,
    /// The outcome's stable code.
    pub outcome: String,
    /// The elements whose values or verdicts left in the answer.
    pub elements: Vec<Element>,
}

impl AccessEntry {
    /// The front in words for people.
    pub fn interface_label(&self) -> &'static str {
        match self.interface.as_str() {
            "compat" => "Layanan web (format Dukcapil)",
            "v1" => "API Gerbang v1",
            "portal" => "Portal operator",
            _ => "Lainnya",
        }
    }

    /// Whether any of the resident's data left in the answer.
    pub fn data_released(&self) -> bool {
        !self.elements.is_empty()
    }
}

/// The accesses to a resident's data by partner institutions among
/// `records` (the trail's records under the resident's key), newest first.
/// Records of the registry's own staff, of the resident's own look-ups and
/// of callers that named no known institution are not accesses by a
/// partner and are left out.
pub fn access_history(records: Vec<SealedRecord>, plane: &ControlPlane) -> Vec<AccessEntry> {
    let mut shown: Vec<(u64, AccessEntry)> = records
        .into_iter()
        .filter_map(|sealed| {
            let record = sealed.record;
            let institution = plane.institution(record.institution.as_deref()?)?;
            let entry = AccessEntry {
                at: record.at.with_timezone(&JAKARTA),
                institution: institution.name.clone(),
                interface: record.interface,
                mechanism: record.mechanism,
                outcome: record.outcome,
                elements: record.elements,
            };
            Some((sealed.seq, entry))
        })
        .collect();
    shown.sort_by(|(a_seq, a), (b_seq, b)| (b.at, b_seq).cmp(&(a.at, a_seq)));
    shown.into_iter().map(|(_, entry)| entry).collect()
}

#[cfg(test)]
mod tests;

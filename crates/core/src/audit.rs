//! The audit trail's records and their hash chain (SPEC.md §8, §10). Every
//! answered request leaves one record: who, from where, through which
//! mechanism, about which resident, which elements left, with what outcome.
//!
//! The resident is held as a [`ResidentKey`], an HMAC-SHA256 of the NIK under
//! the installation's secret key: the trail can answer "who accessed this
//! NIK?" (compute the key, look it up) without holding plain NIKs.
//!
//! Records are chained: each carries the hash of its predecessor and its own
//! hash over its sequence number, that predecessor hash and every field, so
//! [`ChainVerifier`] detects a record altered, deleted or moved, and says
//! where.

use std::fmt;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::access::Mechanism;
use crate::element::Element;
use crate::id_number::Nik;

/// A 32-byte digest.
pub type Digest32 = [u8; 32];

/// The keyed hash of a NIK.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResidentKey(pub Digest32);

impl fmt::Debug for ResidentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentKey({})", hex(&self.0[..4]))
    }
}

/// Computes [`ResidentKey`]s under the installation's secret.
#[derive(Clone)]
pub struct NikHasher {
    key: Digest32,
}

impl fmt::Debug for NikHasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NikHasher(***)")
    }
}

impl NikHasher {
    /// A hasher under `key`.
    pub fn new(key: Digest32) -> Self {
        NikHasher { key }
    }

    /// The key of `nik`.
    pub fn key(&self, nik: Nik) -> ResidentKey {
        // HMAC accepts keys of any length; 32 bytes cannot fail.
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(mac) => mac,
            Err(_) => return ResidentKey([0; 32]),
        };
        mac.update(format!("{:016}", nik.value()).as_bytes());
        ResidentKey(mac.finalize().into_bytes().into())
    }

    /// Another keyed digest under the same secret, for values tied to this
    /// installation that must not be guessable from the database alone (a
    /// resident's one-time code): HMAC-SHA256 over `context`, then each of
    /// `parts` length-prefixed, so no two inputs run together.
    pub fn keyed_digest(&self, context: &[u8], parts: &[&[u8]]) -> Digest32 {
        let mut mac = match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(mac) => mac,
            Err(_) => return [0; 32],
        };
        mac.update(context);
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One request as the trail remembers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    /// The request's operation id.
    pub operation_id: String,
    /// When the request arrived.
    pub at: DateTime<Utc>,
    /// Which front answered: `compat`, `v1` or `portal`.
    pub interface: String,
    /// The institution, once known.
    pub institution: Option<String>,
    /// The User ID as presented (also for failed log-ins, so brute force is
    /// visible), at most 64 characters.
    pub user_id: Option<String>,
    /// The connection's source address.
    pub source_ip: IpAddr,
    /// The mechanism asked for, once known.
    pub mechanism: Option<Mechanism>,
    /// The resident concerned, when the request named a well-formed NIK.
    pub resident: Option<ResidentKey>,
    /// The elements whose values or verdicts left in the answer.
    pub elements: Vec<Element>,
    /// The outcome's stable code (e.g. `resident.found`, `access.login_failed`).
    pub outcome: String,
    /// Time from arrival to the decision, in microseconds.
    pub latency_us: u64,
    /// Whether the request used one hit of the daily quota.
    pub charged: bool,
}

/// The end of the chain: the last record's sequence number and hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainLink {
    /// Sequence number, from 1.
    pub seq: u64,
    /// Its hash.
    pub hash: Digest32,
}

/// A record placed in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRecord {
    /// Position in the chain, from 1, without gaps.
    pub seq: u64,
    /// The hash of the record before (zeros for the first).
    pub prev_hash: Digest32,
    /// This record's hash.
    pub hash: Digest32,
    /// The record.
    pub record: AuditRecord,
}

fn put(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_be_bytes());
    hasher.update(bytes);
}

fn put_opt(hasher: &mut Sha256, value: Option<&[u8]>) {
    match value {
        Some(bytes) => {
            hasher.update([1]);
            put(hasher, bytes);
        }
        None => hasher.update([0]),
    }
}

/// The hash of a record at `seq` after `prev_hash`: SHA-256 over a
/// length-prefixed encoding of every field.
pub fn record_hash(seq: u64, prev_hash: &Digest32, record: &AuditRecord) -> Digest32 {
    let mut h = Sha256::new();
    h.update(b"gerbang-audit-v1");
    h.update(seq.to_be_bytes());
    h.update(prev_hash);
    put(&mut h, record.operation_id.as_bytes());
    h.update(record.at.timestamp_micros().to_be_bytes());
    put(&mut h, record.interface.as_bytes());
    put_opt(&mut h, record.institution.as_deref().map(str::as_bytes));
    put_opt(&mut h, record.user_id.as_deref().map(str::as_bytes));
    put(&mut h, record.source_ip.to_string().as_bytes());
    put_opt(&mut h, record.mechanism.map(|m| m.name().as_bytes()));
    put_opt(&mut h, record.resident.as_ref().map(|k| &k.0[..]));
    let elements: Vec<&str> = record.elements.iter().map(|e| e.wire_name()).collect();
    put(&mut h, elements.join(",").as_bytes());
    put(&mut h, record.outcome.as_bytes());
    h.update(record.latency_us.to_be_bytes());
    h.update([u8::from(record.charged)]);
    h.finalize().into()
}

/// Places `record` after `prev` (or first).
pub fn seal(prev: Option<&ChainLink>, record: AuditRecord) -> SealedRecord {
    let (seq, prev_hash) = prev.map_or((1, [0; 32]), |link| (link.seq + 1, link.hash));
    let hash = record_hash(seq, &prev_hash, &record);
    SealedRecord { seq, prev_hash, hash, record }
}

/// Places `records`, in order, after `tail` (or first).
pub fn seal_all(tail: Option<ChainLink>, records: Vec<AuditRecord>) -> Vec<SealedRecord> {
    let mut link = tail;
    records
        .into_iter()
        .map(|record| {
            let sealed = seal(link.as_ref(), record);
            link = Some(ChainLink { seq: sealed.seq, hash: sealed.hash });
            sealed
        })
        .collect()
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// Records are missing or out of order: `found` came where `expected`
    /// should have.
    #[error("rantai audit terputus: urutan {expected} diharapkan, ditemukan {found} (catatan hilang atau dipindah)")]
    Gap {
        /// The sequence number that should have come.
        expected: u64,
        /// The one that came.
        found: u64,
    },
    /// The record's fields no longer give its hash.
    #[error("catatan audit {seq} telah diubah (hash tidak cocok)")]
    Altered {
        /// The record.
        seq: u64,
    },
    /// The record does not point at its predecessor.
    #[error("catatan audit {seq} tidak tersambung ke catatan sebelumnya")]
    Relinked {
        /// The record.
        seq: u64,
    },
}

/// Walks the chain in sequence order.
#[derive(Debug, Clone, Default)]
pub struct ChainVerifier {
    last: Option<ChainLink>,
    checked: u64,
}

impl ChainVerifier {
    /// A verifier for a chain starting at 1.
    pub fn new() -> Self {
        ChainVerifier::default()
    }

    /// A verifier for a chain whose first stored record follows `anchor`
    /// (the last link removed by retention), or starts at 1 without one.
    pub fn after(anchor: Option<ChainLink>) -> Self {
        ChainVerifier { last: anchor, checked: 0 }
    }

    /// Checks the next record.
    pub fn check(&mut self, sealed: &SealedRecord) -> Result<(), ChainBreak> {
        let (expected, prev_hash) = self.last.map_or((1, [0; 32]), |l| (l.seq + 1, l.hash));
        if sealed.seq != expected {
            return Err(ChainBreak::Gap { expected, found: sealed.seq });
        }
        if record_hash(sealed.seq, &sealed.prev_hash, &sealed.record) != sealed.hash {
            return Err(ChainBreak::Altered { seq: sealed.seq });
        }
        if sealed.prev_hash != prev_hash {
            return Err(ChainBreak::Relinked { seq: sealed.seq });
        }
        self.last = Some(ChainLink { seq: sealed.seq, hash: sealed.hash });
        self.checked += 1;
        Ok(())
    }

    /// Records checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// The last good link (the anchor while nothing has been checked).
    pub fn last(&self) -> Option<ChainLink> {
        self.last
    }
}

#[cfg(test)]
mod tests;

//! KTP-el card readers and their SAM cards (SPEC.md §6; 000 Ps.2(1)i–j,
//! 004 Juknis 4): the partner registers each reader with its SAM; the
//! registry personalizes the SAM (issues its key and configuration file)
//! and activates it; activation lasts while the partner's agreement is in
//! force; at the end the SAM is deactivated and its configuration file is
//! returned, which the registry records.
//!
//! A reader's event (a card read, with the holder's fingerprint verified
//! 1:1 on the device) is believed only when signed by an active SAM of the
//! caller's own institution under an agreement in force, recently, and
//! never twice. The SAM's key is Ed25519: the registry hands the secret
//! half to the partner in the configuration file and Gerbang keeps only
//! the public half, so a stolen database signs nothing. Each SAM counts
//! its events; the store accepts a counter only above the last one
//! accepted (the replay guard), and this module refuses an event whose
//! time is outside [`EVENT_WINDOW_SECONDS`] of the server's clock.
//!
//! Every decision is here; the store keeps the SAM records (as
//! control-plane writes) and the counters.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use std::net::IpAddr;

use crate::access::guard::admit_partner;
use crate::access::{Authentication, ControlPlane, ControlWrite, Denial, PartnerDesk, Role, Steward};
use crate::clock::jakarta_date;
use crate::id_number::Nik;

/// How far an event's own time may be from the server's, in seconds.
pub const EVENT_WINDOW_SECONDS: i64 = 300;

/// Who did something to a SAM, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// When.
    pub at: DateTime<Utc>,
    /// The User ID.
    pub by: String,
}

/// A SAM card and the reader it sits in, as registered by the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sam {
    /// The SAM's serial number (its handle).
    pub id: String,
    /// The partner.
    pub institution: String,
    /// The reader's serial number.
    pub reader_serial: String,
    /// The reader's make and model.
    pub reader_model: String,
    /// Registered by the partner.
    pub registered: Stamp,
    /// Personalized by the registry: the key's public half (base64).
    pub public_key: Option<String>,
    /// When and by whom it was personalized.
    pub personalized: Option<Stamp>,
    /// Activated by the registry.
    pub activated: Option<Stamp>,
    /// Deactivated, and why.
    pub deactivated: Option<(Stamp, String)>,
    /// The configuration file's return, as recorded by the registry.
    pub config_returned: Option<Stamp>,
}

/// Where a SAM stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamStatus {
    /// Registered by the partner, waiting for the registry.
    Registered,
    /// Given its key, not yet active.
    Personalized,
    /// Active: its events are believed.
    Active,
    /// Deactivated by the registry, or its agreement is no longer in force.
    Deactivated,
}

impl SamStatus {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            SamStatus::Registered => "registered",
            SamStatus::Personalized => "personalized",
            SamStatus::Active => "active",
            SamStatus::Deactivated => "deactivated",
        }
    }

    /// The name in Bahasa Indonesia.
    pub fn label(self) -> &'static str {
        match self {
            SamStatus::Registered => "Terdaftar",
            SamStatus::Personalized => "Dipersonalisasi",
            SamStatus::Active => "Aktif",
            SamStatus::Deactivated => "Nonaktif",
        }
    }
}

/// Why a SAM operation or a reader event is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SamError {
    /// No SAM has that serial number.
    #[error("SAM {0} tidak dikenal")]
    Unknown(String),
    /// The SAM belongs to another institution.
    #[error("SAM {0} bukan milik instansi ini")]
    Foreign(String),
    /// The SAM was deactivated.
    #[error("SAM {0} sudah dinonaktifkan")]
    Deactivated(String),
    /// The SAM is registered or personalized but not active.
    #[error("SAM {0} belum diaktifkan Dukcapil")]
    Inactive(String),
    /// The partner's agreement is not in force: its SAMs stop with it.
    #[error("perjanjian kerja sama instansi tidak berlaku; SAM-nya tidak dapat dipakai")]
    AgreementEnded,
    /// The event names another reader than the SAM's.
    #[error("pembaca kartu {0} tidak terdaftar untuk SAM ini")]
    WrongReader(String),
    /// The event's time is too far from now.
    #[error("waktu kejadian di luar batas {EVENT_WINDOW_SECONDS} detik dari waktu server")]
    Stale,
    /// The event was already received (its counter is not above the last).
    #[error("kejadian ini sudah pernah diterima (penghitung {0} tidak lebih besar dari yang terakhir)")]
    Replayed(u64),
    /// The signature is missing, malformed or does not verify.
    #[error("tanda tangan SAM tidak sah")]
    BadSignature,
    /// The NIK read from the card is not a NIK.
    #[error("NIK dari kartu tidak valid")]
    BadNik,
    /// A field of a registration is wrong.
    #[error("{field}: {problem}")]
    Field {
        /// The field's name.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// A SAM with that serial number is already registered.
    #[error("SAM {0} sudah terdaftar")]
    Exists(String),
    /// The operation does not follow from where the SAM stands.
    #[error("SAM berstatus {status}, tidak dapat {1}", status = .0.label().to_lowercase())]
    Transition(SamStatus, &'static str),
    /// The administrator does not manage the SAM's partner.
    #[error("SAM {0} tidak ditemukan")]
    NotManaged(String),
}

impl SamError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SamError::Unknown(_) => "sam.unknown",
            SamError::Foreign(_) => "sam.foreign",
            SamError::Deactivated(_) => "sam.deactivated",
            SamError::Inactive(_) => "sam.inactive",
            SamError::AgreementEnded => "sam.agreement_ended",
            SamError::WrongReader(_) => "sam.wrong_reader",
            SamError::Stale => "sam.stale",
            SamError::Replayed(_) => "sam.replayed",
            SamError::BadSignature => "sam.bad_signature",
            SamError::BadNik => "sam.bad_nik",
            SamError::Field { .. } => "sam.field",
            SamError::Exists(_) => "sam.exists",
            SamError::Transition(..) => "sam.transition",
            SamError::NotManaged(_) => "sam.not_found",
        }
    }
}

/// What a partner registers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSam {
    /// The SAM's serial number.
    pub id: String,
    /// The reader's serial number.
    pub reader_serial: String,
    /// The reader's make and model.
    pub reader_model: String,
}

/// A serial number: 4–64 characters of `A-Z a-z 0-9 - _ .`.
fn serial(value: &str, field: &'static str) -> Result<String, SamError> {
    let value = value.trim();
    let fits = (4..=64).contains(&value.len())
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if fits {
        Ok(value.to_owned())
    } else {
        Err(SamError::Field { field, problem: "4–64 huruf, angka, '-', '_' atau '.'" })
    }
}

impl Sam {
    /// Where it stands on the day of `now`: deactivated when the registry
    /// deactivated it or when its partner has no agreement in force.
    pub fn status(&self, plane: &ControlPlane, now: DateTime<Utc>) -> SamStatus {
        if self.deactivated.is_some() || plane.agreement_in_force(&self.institution, jakarta_date(now)).is_none() {
            SamStatus::Deactivated
        } else if self.activated.is_some() {
            SamStatus::Active
        } else if self.personalized.is_some() {
            SamStatus::Personalized
        } else {
            SamStatus::Registered
        }
    }
}

/// The configuration file the registry hands over with a personalized
/// SAM: what the reader needs to sign its events. Contains the secret key:
/// shown once, never stored by Gerbang.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamConfig {
    /// The SAM's serial number.
    pub sam: String,
    /// The reader it is personalized for.
    pub reader: String,
    /// The partner.
    pub institution: String,
    /// The Ed25519 secret key (base64, 32 bytes).
    pub secret_key: String,
    /// The public half (base64), as Gerbang keeps it.
    pub public_key: String,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}

impl ControlPlane {
    /// Registers a reader and its SAM for the desk's own institution, which
    /// must have an agreement in force.
    pub fn register_sam(&self, desk: &PartnerDesk, new: NewSam, now: DateTime<Utc>) -> Result<ControlWrite, SamError> {
        if self.agreement_in_force(&desk.institution, jakarta_date(now)).is_none() {
            return Err(SamError::AgreementEnded);
        }
        let id = serial(&new.id, "sam")?;
        let reader_serial = serial(&new.reader_serial, "reader_serial")?;
        let reader_model = new.reader_model.split_whitespace().collect::<Vec<_>>().join(" ");
        if reader_model.is_empty() || reader_model.chars().count() > 100 {
            return Err(SamError::Field { field: "reader_model", problem: "wajib diisi (paling banyak 100 karakter)" });
        }
        if self.sam(&id).is_some() {
            return Err(SamError::Exists(id));
        }
        Ok(ControlWrite::Sam(Sam {
            id,
            institution: desk.institution.clone(),
            reader_serial,
            reader_model,
            registered: Stamp { at: now, by: desk.user_id.clone() },
            public_key: None,
            personalized: None,
            activated: None,
            deactivated: None,
            config_returned: None,
        }))
    }

    /// The SAM `id` if `steward` manages its partner.
    fn managed_sam(&self, steward: &Steward, id: &str) -> Result<Sam, SamError> {
        let sam = self.sam(id).ok_or_else(|| SamError::NotManaged(id.to_owned()))?;
        steward.manages(self, &sam.institution).map_err(|_| SamError::NotManaged(id.to_owned()))?;
        Ok(sam.clone())
    }

    /// Personalizes a registered SAM with the key made from `secret` (32
    /// random bytes the caller draws): the SAM keeps the public half, the
    /// configuration file carries the secret one. A personalized SAM not yet
    /// active may be personalized again (a lost file); an active one not.
    pub fn personalize_sam(
        &self,
        steward: &Steward,
        id: &str,
        secret: [u8; 32],
        now: DateTime<Utc>,
    ) -> Result<(ControlWrite, SamConfig), SamError> {
        let mut sam = self.managed_sam(steward, id)?;
        let status = sam.status(self, now);
        if !matches!(status, SamStatus::Registered | SamStatus::Personalized) {
            return Err(SamError::Transition(status, "dipersonalisasi"));
        }
        let key = SigningKey::from_bytes(&secret);
        let public_key = BASE64.encode(key.verifying_key().as_bytes());
        sam.public_key = Some(public_key.clone());
        sam.personalized = Some(Stamp { at: now, by: steward.user_id.clone() });
        let config = SamConfig {
            sam: sam.id.clone(),
            reader: sam.reader_serial.clone(),
            institution: sam.institution.clone(),
            secret_key: BASE64.encode(key.to_bytes()),
            public_key,
            issued_at: now,
        };
        Ok((ControlWrite::Sam(sam), config))
    }

    /// Activates a personalized SAM of a partner with an agreement in force.
    pub fn activate_sam(&self, steward: &Steward, id: &str, now: DateTime<Utc>) -> Result<ControlWrite, SamError> {
        let mut sam = self.managed_sam(steward, id)?;
        match sam.status(self, now) {
            SamStatus::Personalized => {}
            SamStatus::Deactivated if sam.deactivated.is_none() => return Err(SamError::AgreementEnded),
            status => return Err(SamError::Transition(status, "diaktifkan")),
        }
        sam.activated = Some(Stamp { at: now, by: steward.user_id.clone() });
        Ok(ControlWrite::Sam(sam))
    }

    /// Deactivates a SAM for good (a new SAM is registered to replace it).
    pub fn deactivate_sam(
        &self,
        steward: &Steward,
        id: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<ControlWrite, SamError> {
        let mut sam = self.managed_sam(steward, id)?;
        if sam.deactivated.is_some() {
            return Err(SamError::Transition(SamStatus::Deactivated, "dinonaktifkan lagi"));
        }
        let reason = reason.trim();
        if reason.chars().count() < 5 {
            return Err(SamError::Field { field: "reason", problem: "tuliskan alasan penonaktifan" });
        }
        sam.deactivated = Some((Stamp { at: now, by: steward.user_id.clone() }, reason.to_owned()));
        Ok(ControlWrite::Sam(sam))
    }

    /// Records that the partner returned a SAM's configuration file: only
    /// once the SAM no longer works (deactivated, or its agreement ended).
    pub fn record_config_return(
        &self,
        steward: &Steward,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<ControlWrite, SamError> {
        let mut sam = self.managed_sam(steward, id)?;
        let status = sam.status(self, now);
        if status != SamStatus::Deactivated || sam.config_returned.is_some() || sam.personalized.is_none() {
            return Err(SamError::Transition(status, "dicatat pengembalian berkas konfigurasinya"));
        }
        sam.config_returned = Some(Stamp { at: now, by: steward.user_id.clone() });
        Ok(ControlWrite::Sam(sam))
    }

    /// Checks a reader event sent by `institution` at `now`: the SAM is
    /// known, the institution's own, active under an agreement in force,
    /// in the named reader, the event is recent and signed by the SAM's
    /// key. The caller then asks the store to accept the event's counter
    /// (the replay guard) and audits the outcome.
    pub fn check_reader_event(
        &self,
        institution: &str,
        event: &ReaderEvent,
        signature: &str,
        now: DateTime<Utc>,
    ) -> Result<Nik, SamError> {
        let sam = self.sam(&event.sam).ok_or_else(|| SamError::Unknown(event.sam.clone()))?;
        if sam.institution != institution {
            return Err(SamError::Foreign(event.sam.clone()));
        }
        match sam.status(self, now) {
            SamStatus::Active => {}
            SamStatus::Deactivated if sam.deactivated.is_none() => return Err(SamError::AgreementEnded),
            SamStatus::Deactivated => return Err(SamError::Deactivated(event.sam.clone())),
            SamStatus::Registered | SamStatus::Personalized => return Err(SamError::Inactive(event.sam.clone())),
        }
        if event.reader != sam.reader_serial {
            return Err(SamError::WrongReader(event.reader.clone()));
        }
        if (now - event.at).num_seconds().abs() > EVENT_WINDOW_SECONDS {
            return Err(SamError::Stale);
        }
        let public = sam.public_key.as_deref().ok_or(SamError::BadSignature)?;
        let key = BASE64
            .decode(public)
            .ok()
            .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
            .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok())
            .ok_or(SamError::BadSignature)?;
        let signature = BASE64
            .decode(signature.trim())
            .ok()
            .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
            .map(|bytes| Signature::from_bytes(&bytes))
            .ok_or(SamError::BadSignature)?;
        key.verify(&event.signed_bytes(), &signature).map_err(|_| SamError::BadSignature)?;
        Nik::parse(&event.nik).map_err(|_| SamError::BadNik)
    }
}

/// Why a reader event is refused: a guard of the caller's account, or the
/// SAM and the event itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventDenial {
    /// The caller's account, institution, agreement or network.
    #[error("{0}")]
    Access(#[from] Denial),
    /// The SAM or the event.
    #[error("{0}")]
    Sam(#[from] SamError),
}

impl EventDenial {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            EventDenial::Access(denial) => denial.code(),
            EventDenial::Sam(error) => error.code(),
        }
    }
}

/// An event that passed every check, for whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedEvent {
    /// The service account that forwarded it.
    pub user_id: String,
    /// Its institution.
    pub institution: String,
    /// The NIK read from the card.
    pub nik: Nik,
}

/// Decides a reader event forwarded by a partner's system at `now` from
/// `source_ip`: a service account passing the common guards (active, its
/// institution active with an agreement in force, the network allowed),
/// then [`ControlPlane::check_reader_event`] for its own institution. The
/// caller then asks the store to accept the counter.
pub fn authorize_reader_event(
    plane: &ControlPlane,
    authentication: Authentication<'_>,
    source_ip: IpAddr,
    event: &ReaderEvent,
    signature: &str,
    now: DateTime<Utc>,
) -> Result<AcceptedEvent, EventDenial> {
    let account = authentication.account()?;
    if account.role != Role::Service {
        return Err(Denial::LoginFailed.into());
    }
    let institution = plane.institution(&account.holder).ok_or(Denial::LoginFailed)?;
    admit_partner(plane, account, institution, source_ip, jakarta_date(now))?;
    let nik = plane.check_reader_event(&institution.code, event, signature, now)?;
    Ok(AcceptedEvent { user_id: account.user_id.clone(), institution: institution.code.clone(), nik })
}

/// A reader's report of one card read (KTP-el chip read, the holder's
/// fingerprint verified 1:1 against the chip on the device).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderEvent {
    /// The SAM's serial number.
    pub sam: String,
    /// The reader's serial number.
    pub reader: String,
    /// The SAM's event counter, rising by at least one per event.
    pub counter: u64,
    /// When the card was read, by the device's clock.
    pub at: DateTime<Utc>,
    /// The NIK read from the card.
    pub nik: String,
    /// Whether the holder's fingerprint matched the chip's on the device.
    pub fingerprint_verified: bool,
}

impl ReaderEvent {
    /// The bytes the SAM signs: a fixed label and every field, one a line,
    /// the time in RFC 3339 with seconds and `Z`.
    pub fn signed_bytes(&self) -> Vec<u8> {
        format!(
            "gerbang-reader-event-v1\n{}\n{}\n{}\n{}\n{}\n{}",
            self.sam,
            self.reader,
            self.counter,
            self.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            self.nik,
            self.fingerprint_verified
        )
        .into_bytes()
    }

    /// Signs the event with a configuration file's key (what a reader does;
    /// used by tests and the simulator).
    pub fn sign(&self, config: &SamConfig) -> Option<String> {
        use ed25519_dalek::Signer;
        let secret = BASE64.decode(&config.secret_key).ok().and_then(|b| <[u8; 32]>::try_from(b).ok())?;
        Some(BASE64.encode(SigningKey::from_bytes(&secret).sign(&self.signed_bytes()).to_bytes()))
    }
}

#[cfg(test)]
mod tests;

//! The access mechanisms an agreement can grant (SPEC.md §4) and the
//! channels they travel through: the web service for partner systems and the
//! web portal for operators.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One way of reaching population data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// Verify submitted elements: per element "sesuai" / "tidak sesuai"
    /// (SPEC.md §4.1, `CALL_VERIFY_BY_ELEMEN`).
    VerifyByElements,
    /// Check NIK + NO_KK or NIK + NIK of the head of family (SPEC.md §4.2).
    NikKkCheck,
    /// Retrieve the granted elements by NIK (SPEC.md §4.3, `CALL_NIK`).
    CallNik,
    /// The members of a family card, limited to granted elements (SPEC.md §4.4).
    FamilyMembers,
    /// Photo + NIK → similarity score (SPEC.md §4.5, 1:1).
    FaceMatch,
    /// Photo → candidate NIKs with scores (SPEC.md §4.5, 1:N).
    FaceSearch,
    /// The resident's face photo (SPEC.md §4.5, granted to LPSK).
    Photo,
    /// Fingerprint → NIK with score (SPEC.md §4.6).
    FingerprintIdentify,
    /// Events of KTP-el card readers (SPEC.md §4.7).
    CardReader,
}

impl Mechanism {
    /// Every mechanism.
    pub const ALL: &'static [Mechanism] = &[
        Mechanism::VerifyByElements,
        Mechanism::NikKkCheck,
        Mechanism::CallNik,
        Mechanism::FamilyMembers,
        Mechanism::FaceMatch,
        Mechanism::FaceSearch,
        Mechanism::Photo,
        Mechanism::FingerprintIdentify,
        Mechanism::CardReader,
    ];

    /// The stable name used in scope files, the v1 API, the audit trail and
    /// metrics.
    pub fn name(self) -> &'static str {
        match self {
            Mechanism::VerifyByElements => "verify_by_elements",
            Mechanism::NikKkCheck => "nik_kk_check",
            Mechanism::CallNik => "call_nik",
            Mechanism::FamilyMembers => "family_members",
            Mechanism::FaceMatch => "face_match",
            Mechanism::FaceSearch => "face_search",
            Mechanism::Photo => "photo",
            Mechanism::FingerprintIdentify => "fingerprint_identify",
            Mechanism::CardReader => "card_reader",
        }
    }

    /// The mechanism with this stable name.
    pub fn from_name(name: &str) -> Option<Mechanism> {
        Mechanism::ALL.iter().copied().find(|m| m.name() == name)
    }

    /// What it is, in Bahasa Indonesia.
    pub fn label(self) -> &'static str {
        match self {
            Mechanism::VerifyByElements => "Verifikasi elemen data",
            Mechanism::NikKkCheck => "Pemeriksaan NIK dan NO_KK",
            Mechanism::CallNik => "Akses data berdasarkan NIK",
            Mechanism::FamilyMembers => "Anggota keluarga dalam satu KK",
            Mechanism::FaceMatch => "Pencocokan foto wajah 1:1",
            Mechanism::FaceSearch => "Pencarian NIK melalui foto wajah",
            Mechanism::Photo => "Foto wajah",
            Mechanism::FingerprintIdentify => "Pencarian NIK melalui sidik jari",
            Mechanism::CardReader => "Pembaca KTP-el",
        }
    }
}

impl fmt::Display for Mechanism {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a caller reaches Gerbang. Agreements grant a mechanism per channel:
/// several seeds grant call NIK only "melalui web portal" (SPEC.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A partner system: the compatible service or the v1 API with a
    /// service account.
    WebService,
    /// An operator: the web portal (and the v1 API with an operator's
    /// token, which is what the portal's pages use).
    Portal,
}

impl Channel {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Channel::WebService => "web_service",
            Channel::Portal => "portal",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

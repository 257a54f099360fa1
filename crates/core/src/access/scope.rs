//! The scope of an agreement: for each mechanism and channel, the exact set
//! of elements it grants (SPEC.md §3). A scope is written by the registry as
//! a TOML or JSON file (`gerbang agreement create --scope FILE`) and checked
//! here before it is stored.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::access::mechanism::{Channel, Mechanism};
use crate::element::Element;

/// One granted mechanism.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// What may be done.
    pub mechanism: Mechanism,
    /// Through which channels.
    pub channels: BTreeSet<Channel>,
    /// The elements it may verify or return. For the NIK + KK check these
    /// are the elements it may check (NIK, NO_KK).
    #[serde(default)]
    pub elements: BTreeSet<Element>,
    /// Retrieval is allowed only for a NIK this partner has already checked
    /// with a "ditemukan" answer (BKN, 000 Ps.2(1)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub after_match: bool,
}

/// Everything an agreement grants.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// The grants, one per mechanism.
    #[serde(rename = "grant", default)]
    pub grants: Vec<Grant>,
    /// The documents the partner may ask the registry to issue for the
    /// people it serves (SPEC.md §9): `akta_kelahiran`, `kia`, `ktp_el`,
    /// `ikd`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facilitation: Vec<crate::facilitation::DocumentKind>,
}

/// Why a scope cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScopeError {
    /// The scope grants nothing.
    #[error("ruang lingkup tidak memberikan hak akses apa pun")]
    Empty,
    /// A mechanism is listed twice.
    #[error("mekanisme {0} tercantum lebih dari sekali")]
    DuplicateMechanism(Mechanism),
    /// A grant names no channel.
    #[error("mekanisme {0} tidak menyebut saluran (web_service / portal)")]
    NoChannel(Mechanism),
    /// A mechanism that shows or checks data names no element.
    #[error("mekanisme {0} tidak menyebut elemen data")]
    NoElements(Mechanism),
    /// The NIK + KK check can check only NIK and NO_KK.
    #[error("pemeriksaan NIK dan NO_KK hanya dapat memuat elemen NIK dan NO_KK")]
    CheckElements,
    /// `after_match` needs a NIK + KK check grant to refer to.
    #[error("mekanisme {0} bergantung pada pemeriksaan NIK dan NO_KK yang tidak diberikan")]
    AfterMatchWithoutCheck(Mechanism),
}

impl ScopeError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ScopeError::Empty => "scope.empty",
            ScopeError::DuplicateMechanism(_) => "scope.duplicate_mechanism",
            ScopeError::NoChannel(_) => "scope.no_channel",
            ScopeError::NoElements(_) => "scope.no_elements",
            ScopeError::CheckElements => "scope.check_elements",
            ScopeError::AfterMatchWithoutCheck(_) => "scope.after_match_without_check",
        }
    }
}

/// Mechanisms that verify or return elements and so must name them.
fn needs_elements(mechanism: Mechanism) -> bool {
    matches!(
        mechanism,
        Mechanism::VerifyByElements | Mechanism::NikKkCheck | Mechanism::CallNik | Mechanism::FamilyMembers
    )
}

impl Scope {
    /// The grant of `mechanism` through `channel`, if any.
    pub fn grant(&self, mechanism: Mechanism, channel: Channel) -> Option<&Grant> {
        self.grants.iter().find(|g| g.mechanism == mechanism && g.channels.contains(&channel))
    }

    /// The mechanisms granted through `channel`.
    pub fn mechanisms(&self, channel: Channel) -> Vec<Mechanism> {
        self.grants.iter().filter(|g| g.channels.contains(&channel)).map(|g| g.mechanism).collect()
    }

    /// Checks the scope is coherent.
    pub fn validate(&self) -> Result<(), ScopeError> {
        if self.grants.is_empty() {
            return Err(ScopeError::Empty);
        }
        let mut seen = BTreeSet::new();
        for grant in &self.grants {
            if !seen.insert(grant.mechanism) {
                return Err(ScopeError::DuplicateMechanism(grant.mechanism));
            }
            if grant.channels.is_empty() {
                return Err(ScopeError::NoChannel(grant.mechanism));
            }
            if needs_elements(grant.mechanism) && grant.elements.is_empty() {
                return Err(ScopeError::NoElements(grant.mechanism));
            }
            if grant.mechanism == Mechanism::NikKkCheck
                && grant.elements.iter().any(|e| !matches!(e, Element::Nik | Element::NoKk))
            {
                return Err(ScopeError::CheckElements);
            }
        }
        if let Some(grant) = self.grants.iter().find(|g| g.after_match)
            && !seen.contains(&Mechanism::NikKkCheck)
        {
            return Err(ScopeError::AfterMatchWithoutCheck(grant.mechanism));
        }
        Ok(())
    }
}

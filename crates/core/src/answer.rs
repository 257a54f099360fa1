//! What a mechanism answers, decided from the grant and the register alone
//! (SPEC.md §4): the life-status refusals, exactly the granted elements of a
//! record, the per-element verdicts of a verification, and the NIK + KK
//! check. The web layers only format what is returned here, so an element
//! outside the grant cannot reach any answer.

use crate::access::Grant;
use crate::element::Element;
use crate::id_number::{Nik, NoKk};
use crate::matching::{MatchError, Verdict, compare};
use crate::region::Regions;
use crate::resident::{ElementValue, Family, Resident, element_value};
use crate::vocab::HubunganKeluarga;

/// The outcome of looking a resident up, with its stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// Found, alive, active, not flagged.
    Found,
    /// No such NIK in the register (WIRE 13).
    NotFound,
    /// Found, deceased (WIRE 11).
    Deceased,
    /// Found, flagged duplicate (WIRE 12).
    Duplicate,
    /// Found, inactive (WIRE 14).
    Inactive,
}

impl Lookup {
    /// The outcome of a look-up of `resident`.
    pub fn of(resident: Option<&Resident>) -> Lookup {
        match resident {
            None => Lookup::NotFound,
            Some(r) if r.life.is_deceased() => Lookup::Deceased,
            Some(r) if r.life.duplicate => Lookup::Duplicate,
            Some(r) if !r.life.active => Lookup::Inactive,
            Some(_) => Lookup::Found,
        }
    }

    /// A stable code, used in the audit trail and the v1 API.
    pub fn code(self) -> &'static str {
        match self {
            Lookup::Found => "resident.found",
            Lookup::NotFound => "resident.not_found",
            Lookup::Deceased => "resident.deceased",
            Lookup::Duplicate => "resident.duplicate",
            Lookup::Inactive => "resident.inactive",
        }
    }

    /// The v1 name.
    pub fn name(self) -> &'static str {
        self.code().trim_start_matches("resident.")
    }
}

/// Exactly the granted elements of a resident, in catalogue order; elements
/// not recorded for this resident are left out.
pub fn granted_record(
    grant: &Grant,
    resident: &Resident,
    family: &Family,
    regions: &Regions,
) -> Vec<(Element, ElementValue)> {
    Element::ALL
        .iter()
        .filter(|element| grant.elements.contains(element) && **element != Element::Foto)
        .map(|element| (*element, element_value(*element, resident, family, regions)))
        .filter(|(_, value)| *value != ElementValue::Missing)
        .collect()
}

/// One element's verdict in a verification answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementVerdict {
    /// The element.
    pub element: Element,
    /// Whether it matches: exact equality, or score ≥ threshold.
    pub matches: bool,
    /// The similarity score, for free-text elements.
    pub score: Option<u8>,
}

/// Checks that every submitted value can be compared (dates parse, numbers
/// are numbers) before anything is looked up or charged.
pub fn check_submitted(submitted: &[(Element, String)]) -> Result<(), MatchError> {
    // Free text is always comparable; only typed values can be malformed.
    for (element, value) in submitted.iter().filter(|(e, _)| e.comparison() != crate::element::Comparison::Similarity) {
        compare(*element, value, &ElementValue::Missing)?;
    }
    Ok(())
}

/// Compares each submitted element with the register. Only verdicts leave;
/// the stored values never do.
pub fn verify(
    submitted: &[(Element, String)],
    threshold: u8,
    resident: &Resident,
    family: &Family,
    regions: &Regions,
) -> Result<Vec<ElementVerdict>, MatchError> {
    submitted
        .iter()
        .map(|(element, value)| {
            let stored = element_value(*element, resident, family, regions);
            Ok(match compare(*element, value, &stored)? {
                Verdict::Exact(matches) => ElementVerdict { element: *element, matches, score: None },
                Verdict::Score(score) => {
                    ElementVerdict { element: *element, matches: score >= threshold, score: Some(score) }
                }
            })
        })
        .collect()
}

/// What the NIK + KK check is given besides the NIK (000 Ps.2(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckAgainst {
    /// The family card number.
    NoKk(NoKk),
    /// The NIK of the head of the family.
    HeadOfFamily(Nik),
}

/// The answer of the NIK + KK check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckOutcome {
    /// "ditemukan": the NIK exists and belongs to that card / head.
    Found,
    /// "tidak ditemukan": no such NIK.
    NotFound,
    /// "tidak sesuai": the NIK exists but on another card / under another head.
    Mismatch,
}

impl CheckOutcome {
    /// A stable code.
    pub fn code(self) -> &'static str {
        match self {
            CheckOutcome::Found => "check.found",
            CheckOutcome::NotFound => "check.not_found",
            CheckOutcome::Mismatch => "check.mismatch",
        }
    }

    /// The answer's words, as the agreement has them.
    pub fn label(self) -> &'static str {
        match self {
            CheckOutcome::Found => "ditemukan",
            CheckOutcome::NotFound => "tidak ditemukan",
            CheckOutcome::Mismatch => "tidak sesuai",
        }
    }
}

/// Checks a NIK against a card number or a head of family. `members` are
/// the members of the resident's card.
pub fn check_family(resident: Option<&Resident>, members: &[Resident], against: CheckAgainst) -> CheckOutcome {
    let Some(resident) = resident else { return CheckOutcome::NotFound };
    let matches = match against {
        CheckAgainst::NoKk(no_kk) => resident.no_kk == no_kk,
        CheckAgainst::HeadOfFamily(head) => {
            members.iter().any(|m| m.nik == head && m.relationship == HubunganKeluarga::KepalaKeluarga)
        }
    };
    if matches { CheckOutcome::Found } else { CheckOutcome::Mismatch }
}

#[cfg(test)]
mod properties;
#[cfg(test)]
mod tests;

//! Leak attribution (SPEC.md §8, §10: the partner bears the liability for a
//! leak, so the registry must be able to trace one): given the residents of
//! a leaked file and the audit records of their accesses, which partners and
//! which of their User IDs could have held the file, ranked by how much of
//! it their accesses cover, over which period, with the evidence.
//!
//! Only accesses that let data leave count: a record whose answer carried
//! elements (`AuditRecord::elements` not empty). A verification answers
//! verdicts, never values, but its elements are listed as well: a partner
//! that confirmed every field of a leaked row knew them, so it counts too.
//! Refusals, input errors and "not found" carry no elements and do not.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use crate::audit::AuditRecord;

/// One institution, or one User ID of it, that accessed leaked residents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspect {
    /// The institution.
    pub institution: String,
    /// The User ID; `None` for the institution as a whole.
    pub user_id: Option<String>,
    /// Leaked residents this suspect accessed.
    pub covered: usize,
    /// Leaked residents only this suspect's institution accessed.
    pub exclusive: usize,
    /// Accesses to leaked residents.
    pub accesses: usize,
    /// The first such access.
    pub first: DateTime<Utc>,
    /// The last such access.
    pub last: DateTime<Utc>,
    /// Operation ids of the earliest accesses, to quote as evidence.
    pub evidence: Vec<String>,
}

impl Suspect {
    /// The share of the leaked residents covered, 0–100.
    pub fn coverage_percent(&self, leaked: usize) -> f64 {
        if leaked == 0 { 0.0 } else { 100.0 * self.covered as f64 / leaked as f64 }
    }
}

/// Operation ids kept per suspect as evidence.
pub const EVIDENCE_PER_SUSPECT: usize = 5;

#[derive(Default)]
struct Tally {
    residents: BTreeSet<usize>,
    accesses: usize,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    evidence: Vec<(DateTime<Utc>, String)>,
}

impl Tally {
    fn add(&mut self, resident: usize, record: &AuditRecord) {
        self.residents.insert(resident);
        self.accesses += 1;
        self.first = Some(self.first.map_or(record.at, |first| first.min(record.at)));
        self.last = Some(self.last.map_or(record.at, |last| last.max(record.at)));
        self.evidence.push((record.at, record.operation_id.clone()));
        self.evidence.sort();
        self.evidence.truncate(EVIDENCE_PER_SUSPECT);
    }
}

/// Ranks who accessed the leaked residents. `accesses` pairs each audit
/// record with the index (0‥`leaked`) of the leaked resident it is about.
/// Institutions come first, each followed by its User IDs; both ordered by
/// residents covered, then by residents only they accessed, then by name.
pub fn rank<'a>(accesses: impl IntoIterator<Item = (usize, &'a AuditRecord)>) -> Vec<Suspect> {
    let mut by_institution: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_user: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut holders: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    for (resident, record) in accesses {
        let Some(institution) = record.institution.as_ref().filter(|_| !record.elements.is_empty()) else {
            continue;
        };
        by_institution.entry(institution.clone()).or_default().add(resident, record);
        let user = record.user_id.clone().unwrap_or_default();
        by_user.entry((institution.clone(), user)).or_default().add(resident, record);
        holders.entry(resident).or_default().insert(institution.clone());
    }
    let exclusive = |institution: &str, residents: &BTreeSet<usize>| {
        residents.iter().filter(|r| holders.get(r).is_some_and(|h| h.len() == 1 && h.contains(institution))).count()
    };
    let suspect = |institution: &str, user_id: Option<String>, tally: &Tally| Suspect {
        institution: institution.to_owned(),
        user_id,
        covered: tally.residents.len(),
        exclusive: exclusive(institution, &tally.residents),
        accesses: tally.accesses,
        first: tally.first.unwrap_or_default(),
        last: tally.last.unwrap_or_default(),
        evidence: tally.evidence.iter().map(|(_, id)| id.clone()).collect(),
    };
    let order = |a: &Suspect, b: &Suspect| {
        (b.covered, b.exclusive).cmp(&(a.covered, a.exclusive)).then_with(|| a.institution.cmp(&b.institution))
    };
    let mut institutions: Vec<Suspect> =
        by_institution.iter().map(|(institution, tally)| suspect(institution, None, tally)).collect();
    institutions.sort_by(order);
    let mut ranked = Vec::new();
    for institution in institutions {
        let mut users: Vec<Suspect> = by_user
            .iter()
            .filter(|((owner, _), _)| *owner == institution.institution)
            .map(|((owner, user), tally)| suspect(owner, Some(user.clone()), tally))
            .collect();
        users.sort_by(|a, b| order(a, b).then_with(|| a.user_id.cmp(&b.user_id)));
        ranked.push(institution);
        ranked.extend(users);
    }
    ranked
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;
    use crate::Element;

    fn access(op: &str, institution: &str, user: &str, hour: u32, elements: &[Element]) -> AuditRecord {
        AuditRecord {
            operation_id: op.into(),
            at: Utc.with_ymd_and_hms(2026, 11, 20, hour, 0, 0).unwrap(),
            interface: "compat".into(),
            institution: Some(institution.into()),
            user_id: Some(user.into()),
            source_ip: "127.0.0.1".parse().unwrap(),
            mechanism: None,
            resident: None,
            elements: elements.to_vec(),
            outcome: "resident.found".into(),
            latency_us: 1,
            charged: true,
        }
    }

    #[test]
    fn the_partner_covering_the_leak_comes_first_with_its_operator_and_evidence() {
        let data = [Element::Nik, Element::NamaLengkap];
        let records = [
            (0, access("a1", "lpsk", "lpsk-op", 9, &data)),
            (1, access("a2", "lpsk", "lpsk-op", 8, &data)),
            (2, access("a3", "lpsk", "lpsk-ws", 10, &data)),
            (2, access("b1", "bkn", "bkn-ws", 11, &data)),
            // A refusal or a "not found" lets nothing leave.
            (3, access("b2", "bkn", "bkn-ws", 12, &[])),
        ];
        let ranked = rank(records.iter().map(|(i, r)| (*i, r)));
        let names: Vec<(&str, Option<&str>, usize, usize)> =
            ranked.iter().map(|s| (s.institution.as_str(), s.user_id.as_deref(), s.covered, s.exclusive)).collect();
        assert_eq!(
            names,
            [
                ("lpsk", None, 3, 2),
                ("lpsk", Some("lpsk-op"), 2, 2),
                ("lpsk", Some("lpsk-ws"), 1, 0),
                ("bkn", None, 1, 0),
                ("bkn", Some("bkn-ws"), 1, 0),
            ]
        );
        let lpsk = &ranked[0];
        assert_eq!(lpsk.evidence, ["a2", "a1", "a3"], "earliest first");
        assert_eq!(
            (lpsk.first.format("%H").to_string(), lpsk.last.format("%H").to_string()),
            ("08".into(), "10".into())
        );
        assert!((lpsk.coverage_percent(4) - 75.0).abs() < 1e-9);
        assert_eq!(lpsk.accesses, 3);
    }

    #[test]
    fn nothing_accessed_ranks_nobody() {
        assert!(rank(std::iter::empty()).is_empty());
    }
}

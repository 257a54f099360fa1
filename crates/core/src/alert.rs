//! Alerts for the registry's console (issue "Hardening"): canary residents
//! and the detectors of [`detect`]. A canary is a resident of the register
//! that no legitimate service ever has a reason to touch; any access to one
//! by a partner is an alert. The detectors watch each User ID's calls for
//! enumeration (sequential NIK scanning, runs of "tidak ditemukan") and for
//! bulk access outside working hours.
//!
//! What happened arrives as a [`Sighting`]; storage keeps one open
//! [`Alert`] per kind, partner and User ID, which absorbs further sightings
//! while its last one is less than [`ALERT_MERGE_WINDOW`] old
//! ([`Alert::absorbs`]), so a scan of thousands of NIKs is one alert with a
//! count, not thousands. An acknowledged alert absorbs nothing: what happens
//! after it opens a new one.
//!
//! Alerts never carry a NIK: their detail is a sentence in Bahasa
//! Indonesia about counts and windows, their evidence the operation ids of
//! the audit records, where the keyed hashes of the residents are.

pub mod detect;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::Nik;
use crate::access::{ControlPlane, Steward};

/// How long an open alert absorbs new sightings of its kind, partner and
/// User ID after its last one.
pub const ALERT_MERGE_WINDOW: Duration = Duration::hours(1);

/// Operation ids kept per alert as evidence (the earliest ones).
pub const OPERATIONS_PER_ALERT: usize = 10;

/// What an alert is about; its stable code is part of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AlertKind {
    /// A partner accessed a canary resident.
    #[serde(rename = "canary")]
    Canary,
    /// A User ID asked for many NIKs close together in sequence.
    #[serde(rename = "enumeration.sequential")]
    SequentialScan,
    /// A User ID got many "tidak ditemukan" answers.
    #[serde(rename = "enumeration.not_found")]
    NotFoundScan,
    /// A User ID retrieved data many times outside working hours.
    #[serde(rename = "off_hours_bulk")]
    OffHoursBulk,
}

impl AlertKind {
    /// Every kind.
    pub const ALL: [AlertKind; 4] =
        [AlertKind::Canary, AlertKind::SequentialScan, AlertKind::NotFoundScan, AlertKind::OffHoursBulk];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            AlertKind::Canary => "canary",
            AlertKind::SequentialScan => "enumeration.sequential",
            AlertKind::NotFoundScan => "enumeration.not_found",
            AlertKind::OffHoursBulk => "off_hours_bulk",
        }
    }

    /// The kind with `code`.
    pub fn from_code(code: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|kind| kind.code() == code)
    }

    /// What it means, in Bahasa Indonesia.
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Canary => "Akses ke penduduk umpan (canary)",
            AlertKind::SequentialScan => "Enumerasi: NIK berurutan",
            AlertKind::NotFoundScan => "Enumerasi: banyak NIK tidak ditemukan",
            AlertKind::OffHoursBulk => "Akses massal di luar jam kerja",
        }
    }
}

/// A resident marked as a canary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canary {
    /// The resident.
    pub nik: Nik,
    /// A name for people (never shown to partners), e.g. `umpan-1`.
    pub label: String,
    /// When it was marked.
    pub added_at: DateTime<Utc>,
    /// Who marked it (an administrator, or `demo`).
    pub added_by: String,
}

/// One suspicious event, or a batch of them found together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    /// What it is.
    pub kind: AlertKind,
    /// The partner.
    pub institution: String,
    /// The User ID.
    pub user_id: String,
    /// When (the call that revealed it).
    pub at: DateTime<Utc>,
    /// How many accesses it stands for.
    pub count: u64,
    /// What was seen, in Bahasa Indonesia, without any NIK.
    pub detail: String,
    /// The operation id of the call that revealed it.
    pub operation_id: String,
}

/// Who acknowledged an alert, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// The administrator's User ID.
    pub by: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stored alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    /// Its number.
    pub id: u64,
    /// What it is about.
    pub kind: AlertKind,
    /// The partner.
    pub institution: String,
    /// The User ID.
    pub user_id: String,
    /// The first sighting.
    pub first_at: DateTime<Utc>,
    /// The last sighting.
    pub last_at: DateTime<Utc>,
    /// Accesses seen, summed over its sightings.
    pub count: u64,
    /// The last sighting's detail.
    pub detail: String,
    /// Operation ids of the earliest sightings (at most
    /// [`OPERATIONS_PER_ALERT`]).
    pub operations: Vec<String>,
    /// `None` while open.
    pub acknowledged: Option<Acknowledgement>,
}

impl Alert {
    /// A new open alert from its first sighting (`id` 0 until stored).
    pub fn opened_by(sighting: &Sighting) -> Alert {
        Alert {
            id: 0,
            kind: sighting.kind,
            institution: sighting.institution.clone(),
            user_id: sighting.user_id.clone(),
            first_at: sighting.at,
            last_at: sighting.at,
            count: sighting.count,
            detail: sighting.detail.clone(),
            operations: vec![sighting.operation_id.clone()],
            acknowledged: None,
        }
    }

    /// Whether the alert is still open.
    pub fn is_open(&self) -> bool {
        self.acknowledged.is_none()
    }

    /// Whether `sighting` belongs to this alert rather than a new one:
    /// the alert is open, of the same kind, partner and User ID, and its
    /// last sighting is less than [`ALERT_MERGE_WINDOW`] before it.
    pub fn absorbs(&self, sighting: &Sighting) -> bool {
        self.is_open()
            && self.kind == sighting.kind
            && self.institution == sighting.institution
            && self.user_id == sighting.user_id
            && sighting.at - self.last_at < ALERT_MERGE_WINDOW
    }

    /// Adds `sighting` to this alert.
    pub fn absorb(&mut self, sighting: &Sighting) {
        self.count = self.count.saturating_add(sighting.count);
        self.first_at = self.first_at.min(sighting.at);
        self.last_at = self.last_at.max(sighting.at);
        self.detail = sighting.detail.clone();
        if self.operations.len() < OPERATIONS_PER_ALERT && !self.operations.contains(&sighting.operation_id) {
            self.operations.push(sighting.operation_id.clone());
        }
    }

    /// The earliest time a stored open alert can still absorb a sighting
    /// made at `at`: storage looks no further back.
    pub fn merge_since(at: DateTime<Utc>) -> DateTime<Utc> {
        at - ALERT_MERGE_WINDOW
    }
}

/// Whether `steward` sees alerts about `institution`: those about the
/// partners it manages (the national provider every partner's, a regional
/// one its own), as the rest of the console.
pub fn visible_to(steward: &Steward, plane: &ControlPlane, institution: &str) -> bool {
    steward.manages(plane, institution).is_ok()
}

/// The canary sighting of one call that touched the canary `label`.
pub fn canary_sighting(
    institution: &str,
    user_id: &str,
    at: DateTime<Utc>,
    operation_id: &str,
    mechanism: &str,
    label: &str,
) -> Sighting {
    Sighting {
        kind: AlertKind::Canary,
        institution: institution.to_owned(),
        user_id: user_id.to_owned(),
        at,
        count: 1,
        detail: format!("penduduk umpan \"{label}\" diakses melalui {mechanism}"),
        operation_id: operation_id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sighting(kind: AlertKind, minute: u32) -> Sighting {
        Sighting {
            kind,
            institution: "bkn".into(),
            user_id: "bkn-svc".into(),
            at: Utc.with_ymd_and_hms(2026, 11, 23, 5, minute, 0).unwrap(),
            count: 3,
            detail: "rincian".into(),
            operation_id: format!("op-{minute}"),
        }
    }

    #[test]
    fn an_open_alert_absorbs_the_same_kind_and_user_within_the_window_only() {
        let mut alert = Alert::opened_by(&sighting(AlertKind::SequentialScan, 0));
        let later = sighting(AlertKind::SequentialScan, 59);
        assert!(alert.absorbs(&later));
        alert.absorb(&later);
        assert_eq!((alert.count, alert.operations.len()), (6, 2));
        assert!(!alert.absorbs(&sighting(AlertKind::NotFoundScan, 59)), "another kind opens its own");
        let mut other_user = sighting(AlertKind::SequentialScan, 59);
        other_user.user_id = "bkn-2".into();
        assert!(!alert.absorbs(&other_user));
        let mut after_window = sighting(AlertKind::SequentialScan, 0);
        after_window.at = alert.last_at + ALERT_MERGE_WINDOW;
        assert!(!alert.absorbs(&after_window), "an hour after the last sighting is a new alert");
        alert.acknowledged = Some(Acknowledgement { by: "admin".into(), at: later.at });
        assert!(!alert.absorbs(&later), "an acknowledged alert absorbs nothing");
    }

    #[test]
    fn evidence_keeps_the_earliest_operations_only() {
        let mut alert = Alert::opened_by(&sighting(AlertKind::Canary, 0));
        for minute in 1..30 {
            alert.absorb(&sighting(AlertKind::Canary, minute));
        }
        assert_eq!(alert.operations.len(), OPERATIONS_PER_ALERT);
        assert_eq!(alert.operations[0], "op-0");
        assert_eq!(alert.count, 90);
    }

    #[test]
    fn codes_are_stable_and_round_trip() {
        let codes: Vec<&str> = AlertKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes, ["canary", "enumeration.sequential", "enumeration.not_found", "off_hours_bulk"]);
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::from_code(kind.code()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.code());
        }
    }
}

//! The partner's obligations under an agreement (SPEC.md §3, §8): where
//! each stands on a day (met, overdue, due soon, later) and the registry's
//! record that one was met.

use chrono::{Datelike, Days, NaiveDate};

use crate::access::admin::{AdminError, ControlWrite};
use crate::access::control::{ControlPlane, Obligation, ObligationKind};

/// How many days ahead an obligation counts as due soon.
pub const DUE_SOON_DAYS: u64 = 30;

impl ObligationKind {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            ObligationKind::Sptjm => "sptjm",
            ObligationKind::Nda => "nda",
            ObligationKind::Iso27001 => "iso27001",
            ObligationKind::TechnicalImplementation => "technical_implementation",
            ObligationKind::CardReader => "card_reader",
            ObligationKind::SemesterReport => "semester_report",
        }
    }

    /// Reads a stable name.
    pub fn from_name(name: &str) -> Option<ObligationKind> {
        use ObligationKind::*;
        [Sptjm, Nda, Iso27001, TechnicalImplementation, CardReader, SemesterReport]
            .into_iter()
            .find(|k| k.name() == name)
    }

    /// What is owed, in the agreements' words.
    pub fn label(self) -> &'static str {
        match self {
            ObligationKind::Sptjm => "SPTJM bermeterai dari pimpinan",
            ObligationKind::Nda => "NDA para operator",
            ObligationKind::Iso27001 => "Sertifikat ISO/IEC 27001",
            ObligationKind::TechnicalImplementation => "Implementasi teknis selesai",
            ObligationKind::CardReader => "Pengadaan card reader KTP-el",
            ObligationKind::SemesterReport => "Laporan pemanfaatan semester",
        }
    }
}

/// The semester ends (30 June, 31 December) after `signed_on` up to
/// `valid_until`: the due dates of the semester utilization reports.
pub fn semester_ends(signed_on: NaiveDate, valid_until: NaiveDate) -> Vec<NaiveDate> {
    (signed_on.year()..=valid_until.year())
        .flat_map(|year| [NaiveDate::from_ymd_opt(year, 6, 30), NaiveDate::from_ymd_opt(year, 12, 31)])
        .flatten()
        .filter(|end| signed_on < *end && *end <= valid_until)
        .collect()
}

/// Where an obligation stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObligationStatus {
    /// Past its due date and not met.
    Overdue,
    /// Due within [`DUE_SOON_DAYS`].
    DueSoon,
    /// Due later.
    Later,
    /// Met.
    Met,
}

impl ObligationStatus {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            ObligationStatus::Overdue => "overdue",
            ObligationStatus::DueSoon => "due_soon",
            ObligationStatus::Later => "later",
            ObligationStatus::Met => "met",
        }
    }
}

impl Obligation {
    /// Where it stands on `today`.
    pub fn status(&self, today: NaiveDate) -> ObligationStatus {
        let soon = today.checked_add_days(Days::new(DUE_SOON_DAYS)).unwrap_or(NaiveDate::MAX);
        match self.fulfilled_on {
            Some(_) => ObligationStatus::Met,
            None if self.due_on < today => ObligationStatus::Overdue,
            None if self.due_on <= soon => ObligationStatus::DueSoon,
            None => ObligationStatus::Later,
        }
    }
}

impl ControlPlane {
    /// Records that the obligation `kind` due on `due_on` of agreement `id`
    /// was met on `met_on` (not after `today`).
    pub fn fulfil_obligation(
        &self,
        id: &str,
        kind: ObligationKind,
        due_on: NaiveDate,
        met_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<ControlWrite, AdminError> {
        let mut agreement = self
            .agreement(id)
            .cloned()
            .ok_or_else(|| AdminError::NotFound { kind: "perjanjian", handle: id.to_owned() })?;
        if met_on > today {
            return Err(AdminError::Dates("tanggal terpenuhi setelah hari ini"));
        }
        let obligation =
            agreement.obligations.iter_mut().find(|o| o.kind == kind && o.due_on == due_on).ok_or_else(|| {
                AdminError::NotFound { kind: "kewajiban", handle: format!("{} {due_on}", kind.name()) }
            })?;
        if obligation.fulfilled_on.is_some() {
            return Err(AdminError::Exists { kind: "pemenuhan kewajiban", handle: kind.name().to_owned() });
        }
        obligation.fulfilled_on = Some(met_on);
        Ok(ControlWrite::Agreement(agreement))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn an_obligation_is_overdue_after_its_day_and_due_soon_within_thirty_days() {
        let owed = Obligation { kind: ObligationKind::Iso27001, due_on: day(2024, 6, 30), fulfilled_on: None };
        assert_eq!(owed.status(day(2024, 7, 1)), ObligationStatus::Overdue);
        assert_eq!(owed.status(day(2024, 6, 30)), ObligationStatus::DueSoon);
        assert_eq!(owed.status(day(2024, 5, 31)), ObligationStatus::DueSoon);
        assert_eq!(owed.status(day(2024, 5, 30)), ObligationStatus::Later);
        let met = Obligation { fulfilled_on: Some(day(2024, 8, 1)), ..owed };
        assert_eq!(met.status(day(2025, 1, 1)), ObligationStatus::Met);
        let ends = semester_ends(day(2022, 11, 10), day(2024, 6, 30));
        assert_eq!(ends, [day(2022, 12, 31), day(2023, 6, 30), day(2023, 12, 31), day(2024, 6, 30)]);
        for kind in [ObligationKind::Sptjm, ObligationKind::SemesterReport] {
            assert_eq!(ObligationKind::from_name(kind.name()), Some(kind));
        }
    }
}

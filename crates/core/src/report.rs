//! Semester utilization reports (SPEC.md §3, §8; 001 Ps.4, 004 Ps.9): the
//! semester a report covers ([`Semester`], Jakarta calendar days), the
//! figures Gerbang computes from the audit trail ([`Utilization`]), and the
//! report's life — the partner opens it, writes its narrative and submits
//! it (the figures freeze then), the provider evaluates it and may send it
//! back for revision, and a regional provider gathers its partners' reports
//! of a semester for the Bupati ([`BupatiSummary`]).
//!
//! Who may do what is decided here, on [`PartnerDesk`](crate::access::PartnerDesk)
//! and [`Steward`](crate::access::Steward): a partner only its own reports,
//! a provider only the reports of partners it manages.

mod lifecycle;
mod semester;
mod utilization;

pub use lifecycle::{
    BupatiSummary, Evaluation, Narrative, NewEvaluation, ReportError, ReportStatus, SemesterReport, Stamp, Verdict,
};
pub use semester::{Half, Semester, SemesterError};
pub use utilization::{MonthFigures, QuotaUse, Tally, Utilization, UtilizationInput};

#[cfg(test)]
mod tests;

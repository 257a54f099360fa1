//! A semester report's life and who may move it (SPEC.md §8, 004 Ps.9):
//! the partner administrator opens the report of a semester that has begun,
//! writes its narrative and submits it; submitting freezes the figures. The
//! provider that manages the partner evaluates a submitted report: accepted
//! ("diterima"), or returned for revision ("perlu perbaikan") with a reason,
//! which lets the partner edit and submit again. A regional provider
//! gathers its own partners' reports of a semester for the Bupati.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::access::{ControlPlane, ControlWrite, ObligationKind, PartnerDesk, ProviderLevel, Steward};
use crate::report::{Semester, Utilization};

/// The longest narrative or evaluation field, in characters.
const LONGEST_TEXT: usize = 4000;

/// Why a report operation is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// No such report, or not the caller's to see.
    #[error("laporan tidak ditemukan")]
    NotFound,
    /// The semester has not begun.
    #[error("semester {0} belum dimulai")]
    NotBegun(Semester),
    /// The partner had no agreement in force during the semester.
    #[error("tidak ada perjanjian yang berlaku pada semester {0}")]
    NoAgreement(Semester),
    /// Submitted and waiting, or accepted: the partner cannot change it.
    #[error("laporan sudah diajukan dan tidak dapat diubah")]
    Locked,
    /// A narrative field is empty or too long.
    #[error("{field}: {problem}")]
    Text {
        /// The form field.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// Only a submitted report waiting for its evaluation can be evaluated.
    #[error("laporan belum diajukan atau sudah dievaluasi")]
    NotAwaitingEvaluation,
    /// Returning a report for revision needs the reason.
    #[error("alasan perbaikan wajib diisi")]
    NoReason,
    /// Only a regional provider reports to a Bupati.
    #[error("ringkasan untuk Bupati hanya dibuat oleh Disdukcapil daerah")]
    NotRegional,
}

impl ReportError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ReportError::NotFound => "report.not_found",
            ReportError::NotBegun(_) => "report.not_begun",
            ReportError::NoAgreement(_) => "report.no_agreement",
            ReportError::Locked => "report.locked",
            ReportError::Text { .. } => "report.invalid_text",
            ReportError::NotAwaitingEvaluation => "report.not_awaiting_evaluation",
            ReportError::NoReason => "report.no_reason",
            ReportError::NotRegional => "report.not_regional",
        }
    }
}

/// Who did something and on which Jakarta day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// The Jakarta day.
    pub on: NaiveDate,
    /// The User ID.
    pub by: String,
}

/// The partner's own words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    /// Obstacles met in the semester (kendala).
    pub obstacles: String,
    /// Follow-up the partner plans (rencana tindak lanjut).
    pub plans: String,
}

/// The provider's conclusion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// Accepted ("diterima").
    Accepted,
    /// Returned for revision ("perlu perbaikan").
    Revise {
        /// What the partner must put right.
        reason: String,
    },
}

/// An evaluation as the provider writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvaluation {
    /// What the provider found.
    pub findings: String,
    /// Follow-up the partner is required to take; may be empty.
    pub follow_up: String,
    /// The conclusion.
    pub verdict: Verdict,
}

/// The provider's evaluation of one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Who evaluated, when.
    pub stamp: Stamp,
    /// Which submission (1 for the first) it evaluates.
    pub of_submission: u32,
    /// What the provider found.
    pub findings: String,
    /// Follow-up required of the partner.
    pub follow_up: String,
    /// The conclusion.
    pub verdict: Verdict,
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportStatus {
    /// Opened, not yet submitted.
    Draft,
    /// Submitted, waiting for the provider.
    Submitted,
    /// Returned for revision.
    NeedsRevision,
    /// Accepted.
    Accepted,
}

impl ReportStatus {
    /// Every status, in the order of the report's life.
    pub const ALL: [ReportStatus; 4] =
        [ReportStatus::Draft, ReportStatus::Submitted, ReportStatus::NeedsRevision, ReportStatus::Accepted];

    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draf",
            ReportStatus::Submitted => "diajukan",
            ReportStatus::NeedsRevision => "perlu_perbaikan",
            ReportStatus::Accepted => "diterima",
        }
    }

    /// Reads a stable name.
    pub fn from_name(name: &str) -> Option<ReportStatus> {
        ReportStatus::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Its Bahasa Indonesia label.
    pub fn label(self) -> &'static str {
        match self {
            ReportStatus::Draft => "Draf",
            ReportStatus::Submitted => "Diajukan",
            ReportStatus::NeedsRevision => "Perlu perbaikan",
            ReportStatus::Accepted => "Diterima",
        }
    }
}

/// A partner's report of one semester.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SemesterReport {
    /// The partner institution's code.
    pub institution: String,
    /// The partner's official name when the report was opened.
    pub institution_name: String,
    /// The semester.
    pub semester: Semester,
    /// The agreement the semester's access ran under.
    pub agreement: String,
    /// The provider's and the partner's document numbers of that agreement.
    pub agreement_numbers: (String, String),
    /// Who opened it, when.
    pub opened: Stamp,
    /// The partner's narrative.
    pub narrative: Narrative,
    /// The figures: recomputed while a draft, frozen at each submission.
    pub figures: Option<Utilization>,
    /// The latest submission.
    pub submitted: Option<Stamp>,
    /// How many times it was submitted.
    pub submissions: u32,
    /// The provider's evaluations, oldest first.
    pub evaluations: Vec<Evaluation>,
}

fn checked(text: &str, field: &'static str, required: bool) -> Result<String, ReportError> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(ReportError::Text { field, problem: "wajib diisi" });
    }
    if text.chars().count() > LONGEST_TEXT {
        return Err(ReportError::Text { field, problem: "terlalu panjang (paling banyak 4000 karakter)" });
    }
    Ok(text.to_owned())
}

impl SemesterReport {
    /// Where it stands.
    pub fn status(&self) -> ReportStatus {
        match (self.submissions, self.evaluations.last()) {
            (0, _) => ReportStatus::Draft,
            (n, Some(evaluation)) if evaluation.of_submission == n => match evaluation.verdict {
                Verdict::Accepted => ReportStatus::Accepted,
                Verdict::Revise { .. } => ReportStatus::NeedsRevision,
            },
            _ => ReportStatus::Submitted,
        }
    }

    /// Whether the partner may still change it.
    pub fn is_editable(&self) -> bool {
        matches!(self.status(), ReportStatus::Draft | ReportStatus::NeedsRevision)
    }

    /// The latest evaluation, if any.
    pub fn evaluation(&self) -> Option<&Evaluation> {
        self.evaluations.last()
    }

    /// The writes that record the agreement's semester-report obligation
    /// for this semester as met on `today`, when the agreement has one
    /// that is still open (SPEC.md §3); nothing otherwise.
    pub fn obligation_writes(&self, plane: &ControlPlane, today: NaiveDate) -> Vec<ControlWrite> {
        let due_on = self.semester.last_day();
        let open = plane.agreement(&self.agreement).is_some_and(|a| {
            a.obligations
                .iter()
                .any(|o| o.kind == ObligationKind::SemesterReport && o.due_on == due_on && o.fulfilled_on.is_none())
        });
        if !open {
            return Vec::new();
        }
        plane
            .fulfil_obligation(&self.agreement, ObligationKind::SemesterReport, due_on, today, today)
            .map(|write| vec![write])
            .unwrap_or_default()
    }
}

impl PartnerDesk {
    /// The partner's report of `semester`: the stored one, or a new draft
    /// when the semester has begun by `today` and an agreement of the
    /// partner was in force during it.
    pub fn open_report(
        &self,
        plane: &ControlPlane,
        semester: Semester,
        stored: Option<SemesterReport>,
        today: NaiveDate,
    ) -> Result<SemesterReport, ReportError> {
        if let Some(report) = stored {
            return self.own_report(report);
        }
        if !semester.has_begun(today) {
            return Err(ReportError::NotBegun(semester));
        }
        let agreement = plane
            .agreements_of(&self.institution)
            .filter(|a| a.valid_from <= semester.last_day() && semester.first_day() <= a.valid_through())
            .max_by_key(|a| a.valid_through())
            .ok_or(ReportError::NoAgreement(semester))?;
        Ok(SemesterReport {
            institution: self.institution.clone(),
            institution_name: self.institution_name.clone(),
            semester,
            agreement: agreement.id.clone(),
            agreement_numbers: (agreement.provider_number.clone(), agreement.partner_number.clone()),
            opened: Stamp { on: today, by: self.user_id.clone() },
            narrative: Narrative::default(),
            figures: None,
            submitted: None,
            submissions: 0,
            evaluations: Vec::new(),
        })
    }

    /// The report if it is this partner's; anyone else's is not found.
    pub fn own_report(&self, report: SemesterReport) -> Result<SemesterReport, ReportError> {
        if report.institution == self.institution { Ok(report) } else { Err(ReportError::NotFound) }
    }

    /// Writes the narrative of a draft or of a report returned for
    /// revision.
    pub fn write_narrative(&self, report: SemesterReport, narrative: Narrative) -> Result<SemesterReport, ReportError> {
        let mut report = self.own_report(report)?;
        if !report.is_editable() {
            return Err(ReportError::Locked);
        }
        report.narrative = Narrative {
            obstacles: checked(&narrative.obstacles, "kendala", false)?,
            plans: checked(&narrative.plans, "tindak_lanjut", false)?,
        };
        Ok(report)
    }

    /// Submits the report with the `figures` computed now, which freeze;
    /// the narrative must be complete.
    pub fn submit_report(
        &self,
        report: SemesterReport,
        figures: Utilization,
        today: NaiveDate,
    ) -> Result<SemesterReport, ReportError> {
        let mut report = self.own_report(report)?;
        if !report.is_editable() {
            return Err(ReportError::Locked);
        }
        checked(&report.narrative.obstacles, "kendala", true)?;
        checked(&report.narrative.plans, "tindak_lanjut", true)?;
        report.figures = Some(figures);
        report.submitted = Some(Stamp { on: today, by: self.user_id.clone() });
        report.submissions += 1;
        Ok(report)
    }
}

impl Steward {
    /// The report if the steward manages its partner; anyone else's is not
    /// found.
    pub fn sees_report(&self, plane: &ControlPlane, report: SemesterReport) -> Result<SemesterReport, ReportError> {
        self.manages(plane, &report.institution).map_err(|_| ReportError::NotFound)?;
        Ok(report)
    }

    /// Evaluates a submitted report of a partner the steward manages.
    pub fn evaluate_report(
        &self,
        plane: &ControlPlane,
        report: SemesterReport,
        evaluation: NewEvaluation,
        today: NaiveDate,
    ) -> Result<SemesterReport, ReportError> {
        let mut report = self.sees_report(plane, report)?;
        if report.status() != ReportStatus::Submitted {
            return Err(ReportError::NotAwaitingEvaluation);
        }
        let verdict = match evaluation.verdict {
            Verdict::Accepted => Verdict::Accepted,
            Verdict::Revise { reason } => {
                let reason = checked(&reason, "alasan", false)?;
                if reason.is_empty() {
                    return Err(ReportError::NoReason);
                }
                Verdict::Revise { reason }
            }
        };
        report.evaluations.push(Evaluation {
            stamp: Stamp { on: today, by: self.user_id.clone() },
            of_submission: report.submissions,
            findings: checked(&evaluation.findings, "temuan", true)?,
            follow_up: checked(&evaluation.follow_up, "tindak_lanjut", false)?,
            verdict,
        });
        Ok(report)
    }

    /// The summary for the Bupati (004 Ps.9(4)): a regional provider's own
    /// partners' reports of `semester`, in partner order. Partners without
    /// a report are listed by code in `missing`.
    pub fn bupati_summary(
        &self,
        plane: &ControlPlane,
        semester: Semester,
        reports: Vec<SemesterReport>,
    ) -> Result<BupatiSummary, ReportError> {
        let provider = plane.provider(&self.provider).ok_or(ReportError::NotRegional)?;
        let ProviderLevel::Regional { region_code } = provider.level else {
            return Err(ReportError::NotRegional);
        };
        let own = |code: &str| plane.institution(code).is_some_and(|i| i.provider == provider.code);
        let mut reports: Vec<SemesterReport> =
            reports.into_iter().filter(|r| r.semester == semester && own(&r.institution)).collect();
        reports.sort_by(|a, b| a.institution.cmp(&b.institution));
        let missing = plane
            .institutions()
            .filter(|i| i.provider == provider.code && !reports.iter().any(|r| r.institution == i.code))
            .filter(|i| plane.agreements_of(&i.code).any(|a| a.valid_from <= semester.last_day()))
            .map(|i| i.code.clone())
            .collect();
        Ok(BupatiSummary {
            provider: provider.code.clone(),
            provider_name: provider.name.clone(),
            region_code,
            semester,
            reports,
            missing,
        })
    }
}

/// A regional provider's summary of a semester for the Bupati.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BupatiSummary {
    /// The provider's code.
    pub provider: String,
    /// The provider's official name.
    pub provider_name: String,
    /// Its Kemendagri region code.
    pub region_code: u32,
    /// The semester.
    pub semester: Semester,
    /// Its partners' reports, by partner code.
    pub reports: Vec<SemesterReport>,
    /// Its partners with an agreement by the semester's end but no report.
    pub missing: Vec<String>,
}

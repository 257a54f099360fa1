//! Reminders of the partners' obligations (SPEC.md §3: SPTJM, NDA per
//! operator, ISO/IEC 27001, technical implementation, card reader, semester
//! reports), as notifications for an outbox that a mailer drains.
//!
//! Each reminder has a key that names the obligation, its due date and how
//! it stands (due soon, overdue), so running the reminders every day queues
//! each one once: once when it falls due within [`DUE_SOON_DAYS`] days and
//! once more when it is overdue. Both sides hear of it: the partner, which
//! owes it, and the provider, which monitors it (000 Ps.3(1)a).
//!
//! [`DUE_SOON_DAYS`]: crate::access::DUE_SOON_DAYS

use chrono::NaiveDate;

use crate::access::{ControlPlane, ObligationStatus, Role};

/// Who a notification is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The partner institution's administrators.
    Partner,
    /// The provider's administrators.
    Registry,
}

impl Audience {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Partner => "partner",
            Audience::Registry => "registry",
        }
    }

    /// Reads a stable name.
    pub fn from_name(name: &str) -> Option<Audience> {
        [Audience::Partner, Audience::Registry].into_iter().find(|a| a.name() == name)
    }
}

/// A message to queue. It never holds population data: only institutions,
/// agreements, User IDs and dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// What makes it unique: the same key is queued once.
    pub key: String,
    /// The partner it concerns.
    pub institution: String,
    /// Who it is for: the partner itself, or its provider.
    pub audience: Audience,
    /// The subject line.
    pub subject: String,
    /// The text.
    pub body: String,
}

fn both(key: &str, institution: &str, subject: &str, body: &str) -> [Notification; 2] {
    [Audience::Partner, Audience::Registry].map(|audience| Notification {
        key: format!("{key}:{}", audience.name()),
        institution: institution.to_owned(),
        audience,
        subject: subject.to_owned(),
        body: body.to_owned(),
    })
}

/// The reminders due on `today`: for each agreement in force, each
/// obligation due within [`DUE_SOON_DAYS`] days or overdue; for each
/// partner with an agreement in force, each operator with no NDA recorded
/// (who cannot be activated until it is).
pub fn obligation_reminders(plane: &ControlPlane, today: NaiveDate) -> Vec<Notification> {
    let mut out = Vec::new();
    for institution in plane.institutions().filter(|i| i.active) {
        let Some(agreement) = plane.agreement_in_force(&institution.code, today) else { continue };
        for obligation in &agreement.obligations {
            let (state, phrase) = match obligation.status(today) {
                ObligationStatus::Overdue => ("overdue", "telah lewat tenggat"),
                ObligationStatus::DueSoon => ("due_soon", "segera jatuh tempo"),
                ObligationStatus::Later | ObligationStatus::Met => continue,
            };
            let key = format!("obligation:{}:{}:{}:{state}", agreement.id, obligation.kind.name(), obligation.due_on);
            let subject = format!("[Gerbang] {} {}: {}", institution.name, phrase, obligation.kind.label());
            let body = format!(
                "Kewajiban \"{}\" dalam perjanjian kerja sama {} ({} / {}) antara {} dan penyelenggara \
                 jatuh tempo pada {} dan belum tercatat terpenuhi.\n\nStatus pada {}: {}.\n\n\
                 Mohon dipenuhi, lalu dicatat oleh penyelenggara di konsol Gerbang (menu Kewajiban).",
                obligation.kind.label(),
                agreement.id,
                agreement.provider_number,
                agreement.partner_number,
                institution.name,
                obligation.due_on.format("%d-%m-%Y"),
                today.format("%d-%m-%Y"),
                phrase,
            );
            out.extend(both(&key, &institution.code, &subject, &body));
        }
        for operator in plane.accounts_of(&institution.code).filter(|a| a.role == Role::Operator && a.nda_on.is_none())
        {
            let key = format!("nda:{}:{}", institution.code, operator.user_id);
            let subject = format!("[Gerbang] {}: NDA operator {} belum tercatat", institution.name, operator.user_id);
            let body = format!(
                "Operator dengan User ID {} pada {} belum tercatat menandatangani perjanjian kerahasiaan (NDA). \
                 Akun ini tidak dapat diaktifkan sebelum NDA-nya dicatat (Juknis 6e).\n\n\
                 Administrator instansi dapat mencatat tanggal NDA di portal Gerbang (halaman Mitra).",
                operator.user_id, institution.name,
            );
            out.extend(both(&key, &institution.code, &subject, &body));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::{day, plane};
    use crate::access::{ControlWrite, NewAccount, Obligation, ObligationKind};

    fn with_obligations(obligations: Vec<Obligation>) -> ControlPlane {
        let plane = plane();
        let mut agreement = plane.agreement("mitra-1").unwrap().clone();
        agreement.obligations = obligations;
        plane.applying(&[ControlWrite::Agreement(agreement)])
    }

    #[test]
    fn due_soon_and_overdue_obligations_remind_both_sides_once_per_state() {
        let iso = Obligation { kind: ObligationKind::Iso27001, due_on: day(2024, 1, 31), fulfilled_on: None };
        let met =
            Obligation { kind: ObligationKind::Sptjm, due_on: day(2023, 1, 1), fulfilled_on: Some(day(2023, 1, 1)) };
        let later = Obligation { kind: ObligationKind::CardReader, due_on: day(2024, 6, 1), fulfilled_on: None };
        let plane = with_obligations(vec![iso, met, later]);

        let soon = obligation_reminders(&plane, day(2024, 1, 10));
        assert_eq!(soon.len(), 2, "{soon:?}");
        assert_eq!(soon[0].key, "obligation:mitra-1:iso27001:2024-01-31:due_soon:partner");
        assert_eq!(soon[1].audience, Audience::Registry);
        assert!(soon[0].subject.contains("segera jatuh tempo"), "{}", soon[0].subject);
        assert!(soon[0].body.contains("31-01-2024"));

        let late = obligation_reminders(&plane, day(2024, 2, 1));
        assert_eq!(late.len(), 2);
        assert!(late[0].key.ends_with("overdue:partner"));
        assert!(obligation_reminders(&plane, day(2024, 7, 1)).is_empty(), "no agreement in force, no reminder");
    }

    #[test]
    fn an_operator_without_an_nda_is_reminded_by_user_id() {
        let plane = with_obligations(vec![]);
        let new = NewAccount {
            user_id: "mitra-op2".into(),
            holder: "mitra".into(),
            role: Role::Operator,
            password_hash: "$x".into(),
            token_hash: None,
            nda_on: None,
        };
        let plane = plane.applying(&[plane.add_account(new).unwrap()]);
        let notes = obligation_reminders(&plane, day(2024, 1, 10));
        let keys: Vec<&str> = notes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["nda:mitra:mitra-op2:partner", "nda:mitra:mitra-op2:registry"]);
        assert!(notes[0].body.contains("mitra-op2"));
    }
}

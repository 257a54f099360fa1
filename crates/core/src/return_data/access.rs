//! Who may send and read return data. Sending: a partner's service
//! account (web service), operator or administrator (portal), after the
//! same guards as every access (User ID and institution active, agreement
//! in force, source address allowed), under an agreement that names a
//! return schema, and only for its own institution. The registry's CLI
//! imports a file a partner delivered on a storage medium (004 Juknis 3f)
//! on the partner's behalf. Reading: provider administrators of the
//! partner's provider (or the national one); never another partner.

use std::net::IpAddr;

use chrono::NaiveDate;

use crate::access::guard::admit_partner;
use crate::access::{Authentication, ControlPlane, Denial, Role, Steward, authorize_steward};

/// A partner allowed to send return data now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitter {
    /// Who sends (User ID, or `cli:<name>` for the registry's import).
    pub user_id: String,
    /// The partner institution.
    pub institution: String,
    /// The agreement in force.
    pub agreement: String,
    /// The schema its agreement names.
    pub schema: String,
}

/// Why return data may not be sent or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReturnDenial {
    /// One of the common guards refused.
    #[error("{0}")]
    Access(#[from] Denial),
    /// The agreement in force names no return schema.
    #[error("Perjanjian Kerja Sama yang berlaku tidak menetapkan skema data balikan")]
    NoReturnSchema,
    /// The body names another institution than the caller's.
    #[error("Data balikan hanya boleh dikirim untuk lembaga Anda sendiri")]
    OtherInstitution,
    /// No institution has this code.
    #[error("Lembaga tidak dikenal")]
    UnknownInstitution,
}

impl ReturnDenial {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ReturnDenial::Access(denial) => denial.code(),
            ReturnDenial::NoReturnSchema => "return.no_schema",
            ReturnDenial::OtherInstitution => "return.other_institution",
            ReturnDenial::UnknownInstitution => "return.unknown_institution",
        }
    }
}

/// The guard of the web service and the portal's upload and form.
pub fn authorize_submission(
    plane: &ControlPlane,
    authentication: Authentication<'_>,
    source_ip: IpAddr,
    today: NaiveDate,
) -> Result<Submitter, ReturnDenial> {
    let account = authentication.account()?;
    if !matches!(account.role, Role::Service | Role::Operator | Role::PartnerAdmin) {
        return Err(Denial::LoginFailed.into());
    }
    let institution = plane.institution(&account.holder).ok_or(Denial::LoginFailed)?;
    let agreement = admit_partner(plane, account, institution, source_ip, today)?;
    let schema = agreement.return_schema.clone().ok_or(ReturnDenial::NoReturnSchema)?;
    Ok(Submitter {
        user_id: account.user_id.clone(),
        institution: institution.code.clone(),
        agreement: agreement.id.clone(),
        schema,
    })
}

/// The registry's import of a partner's file (CLI, run on the server by
/// whoever runs it): the partner must be active, with an agreement in
/// force naming a schema. `actor` says who imported.
pub fn submission_on_behalf(
    plane: &ControlPlane,
    institution: &str,
    actor: &str,
    today: NaiveDate,
) -> Result<Submitter, ReturnDenial> {
    let institution = plane.institution(institution).ok_or(ReturnDenial::UnknownInstitution)?;
    if !institution.active {
        return Err(Denial::InstitutionInactive.into());
    }
    let agreement = plane.agreement_in_force(&institution.code, today).ok_or(Denial::NoAgreementInForce)?;
    let schema = agreement.return_schema.clone().ok_or(ReturnDenial::NoReturnSchema)?;
    Ok(Submitter {
        user_id: format!("cli:{actor}"),
        institution: institution.code.clone(),
        agreement: agreement.id.clone(),
        schema,
    })
}

impl Submitter {
    /// Checks that the institution a body names (`id_lembaga` of the
    /// compatible store API: the code, the `{INSTANSI}` name or the numeric
    /// customer id) is the submitter's own.
    pub fn claims(&self, plane: &ControlPlane, named: &str) -> Result<(), ReturnDenial> {
        let own = plane.institution(named.trim()).or_else(|| plane.institution_by_wire_name(named));
        match own {
            Some(institution) if institution.code == self.institution => Ok(()),
            _ => Err(ReturnDenial::OtherInstitution),
        }
    }
}

/// The guard of reading return data: a provider administrator who manages
/// `institution` (when one is named). Partners never read it back.
pub fn authorize_reader(
    plane: &ControlPlane,
    authentication: Authentication<'_>,
    institution: Option<&str>,
) -> Result<Steward, ReturnDenial> {
    let steward = authorize_steward(plane, authentication)?;
    if let Some(institution) = institution {
        steward.manages(plane, institution)?;
    }
    Ok(steward)
}

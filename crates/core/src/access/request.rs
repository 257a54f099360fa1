//! What a partner asks its provider for, and the provider's answer (SPEC.md
//! §7, 004 Juknis 2d, 2f, 2j): a new operator User ID, described by the eight
//! fields of the Juknis and issued within two weeks, and a raise of a User
//! ID's daily quota with a justification, which for a partner of a regional
//! provider only Ditjen Dukcapil may approve above the default.
//!
//! Requests live in the control plane and are written with [`ControlWrite`],
//! so they are stored, versioned and copied with everything else.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::access::admin::{AdminError, ControlWrite, NewAccount};
use crate::access::control::{ControlPlane, DEFAULT_DAILY_QUOTA, Role};
use crate::access::guard::Steward;
use crate::id_number::Nik;

/// Days the provider has to issue a requested User ID (004 Juknis 2f).
pub const USER_ID_TARGET_DAYS: u64 = 14;

/// The largest daily quota anyone may ask for.
pub const LARGEST_DAILY_QUOTA: u32 = 1_000_000;

/// The operator a User ID is requested for: the eight fields of 004 Juknis
/// 2f.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    /// The operator's NIK.
    pub nik: String,
    /// Full name.
    pub full_name: String,
    /// NIP (civil-servant number); empty for a non-civil-servant.
    pub nip: String,
    /// Employment status (PNS, PPPK, non-ASN…).
    pub employment_status: String,
    /// Position (jabatan).
    pub position: String,
    /// Kemendagri code of the office's region.
    pub office_region: String,
    /// Name and address of the office.
    pub office: String,
    /// The operator's user ID in the partner's own application.
    pub local_user_id: String,
}

impl std::fmt::Debug for Applicant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Applicant").field("local_user_id", &self.local_user_id).finish_non_exhaustive()
    }
}

/// Which field of a request is wrong, for messages at the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestField {
    /// [`Applicant::nik`].
    Nik,
    /// [`Applicant::full_name`].
    FullName,
    /// [`Applicant::nip`].
    Nip,
    /// [`Applicant::employment_status`].
    EmploymentStatus,
    /// [`Applicant::position`].
    Position,
    /// [`Applicant::office_region`].
    OfficeRegion,
    /// [`Applicant::office`].
    Office,
    /// [`Applicant::local_user_id`].
    LocalUserId,
    /// The User ID a quota raise is for.
    UserId,
    /// The quota asked for.
    DailyQuota,
    /// Why.
    Justification,
}

impl RequestField {
    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            RequestField::Nik => "nik",
            RequestField::FullName => "full_name",
            RequestField::Nip => "nip",
            RequestField::EmploymentStatus => "employment_status",
            RequestField::Position => "position",
            RequestField::OfficeRegion => "office_region",
            RequestField::Office => "office",
            RequestField::LocalUserId => "local_user_id",
            RequestField::UserId => "user_id",
            RequestField::DailyQuota => "daily_quota",
            RequestField::Justification => "justification",
        }
    }
}

/// What is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Ask {
    /// A new operator User ID.
    UserId {
        /// Who it is for.
        applicant: Applicant,
    },
    /// A raise of an existing User ID's daily quota.
    Quota {
        /// The User ID.
        user_id: String,
        /// The quota asked for.
        daily_quota: u32,
        /// Why the partner needs it.
        justification: String,
    },
}

/// The provider's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "decision")]
pub enum Decision {
    /// Granted; for a User ID, the one issued.
    Approved {
        /// The User ID issued (User-ID requests).
        user_id: Option<String>,
    },
    /// Refused, with the reason the partner reads.
    Rejected {
        /// Why.
        reason: String,
    },
}

/// A decision with who took it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// The Jakarta day of the decision.
    pub on: NaiveDate,
    /// The provider administrator's User ID.
    pub by: String,
    /// What was decided.
    pub decision: Decision,
}

/// A partner's request to its provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    /// Stable handle: `{institution}-u{n}` for User IDs, `-q{n}` for quotas.
    pub id: String,
    /// The partner.
    pub institution: String,
    /// The Jakarta day it was filed.
    pub filed_on: NaiveDate,
    /// The partner administrator who filed it.
    pub filed_by: String,
    /// What is asked.
    pub ask: Ask,
    /// The answer, once there is one.
    pub verdict: Option<Verdict>,
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    /// Waiting for the provider.
    Pending,
    /// Waiting past its target date.
    Overdue,
    /// Granted.
    Approved,
    /// Refused.
    Rejected,
}

impl RequestStatus {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Overdue => "overdue",
            RequestStatus::Approved => "approved",
            RequestStatus::Rejected => "rejected",
        }
    }
}

impl Request {
    /// The day the provider should have answered by: two weeks for a User
    /// ID; a quota raise has no target.
    pub fn target_on(&self) -> Option<NaiveDate> {
        match self.ask {
            Ask::UserId { .. } => self.filed_on.checked_add_days(Days::new(USER_ID_TARGET_DAYS)),
            Ask::Quota { .. } => None,
        }
    }

    /// Where it stands on `today`.
    pub fn status(&self, today: NaiveDate) -> RequestStatus {
        match &self.verdict {
            Some(Verdict { decision: Decision::Approved { .. }, .. }) => RequestStatus::Approved,
            Some(Verdict { decision: Decision::Rejected { .. }, .. }) => RequestStatus::Rejected,
            None if self.target_on().is_some_and(|target| today > target) => RequestStatus::Overdue,
            None => RequestStatus::Pending,
        }
    }

    /// Whether the provider has not answered yet.
    pub fn is_open(&self) -> bool {
        self.verdict.is_none()
    }

    /// Whether only Ditjen Dukcapil may approve it: a quota above the
    /// default for a partner of a regional provider.
    pub fn needs_national_approval(&self, plane: &ControlPlane) -> bool {
        let Ask::Quota { daily_quota, .. } = self.ask else { return false };
        daily_quota > DEFAULT_DAILY_QUOTA && plane.is_regional_partner(&self.institution)
    }
}

fn invalid(field: RequestField, problem: &'static str) -> AdminError {
    AdminError::Field { field, problem }
}

fn required(text: &str, field: RequestField) -> Result<String, AdminError> {
    let text = text.trim();
    match text.chars().count() {
        0 => Err(invalid(field, "wajib diisi")),
        201.. => Err(invalid(field, "terlalu panjang (paling banyak 200 karakter)")),
        _ => Ok(text.to_owned()),
    }
}

impl Applicant {
    /// Checks and tidies the fields: a valid NIK, a NIP of 18 digits for a
    /// civil servant (PNS, PPPK), a region code of 2, 4, 6 or 10 digits, and
    /// every other field filled.
    pub fn validated(self) -> Result<Applicant, AdminError> {
        let nik = Nik::parse(self.nik.trim()).map_err(|_| invalid(RequestField::Nik, "bukan NIK yang valid"))?;
        let employment_status = required(&self.employment_status, RequestField::EmploymentStatus)?.to_uppercase();
        let nip = self.nip.trim().to_owned();
        let civil_servant = matches!(employment_status.as_str(), "PNS" | "PPPK" | "ASN");
        let nip_ok = nip.len() == 18 && nip.bytes().all(|b| b.is_ascii_digit());
        if (civil_servant || !nip.is_empty()) && !nip_ok {
            return Err(invalid(RequestField::Nip, "NIP terdiri dari 18 angka"));
        }
        let office_region = self.office_region.trim().replace('.', "");
        if !matches!(office_region.len(), 2 | 4 | 6 | 10) || !office_region.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                RequestField::OfficeRegion,
                "kode wilayah Kemendagri terdiri dari 2, 4, 6 atau 10 angka",
            ));
        }
        Ok(Applicant {
            nik: nik.to_string(),
            full_name: required(&self.full_name, RequestField::FullName)?.to_uppercase(),
            nip,
            employment_status,
            position: required(&self.position, RequestField::Position)?,
            office_region,
            office: required(&self.office, RequestField::Office)?,
            local_user_id: required(&self.local_user_id, RequestField::LocalUserId)?,
        })
    }
}

impl ControlPlane {
    /// Whether `institution` has its agreements with a regional provider.
    pub fn is_regional_partner(&self, institution: &str) -> bool {
        self.institution(institution)
            .and_then(|i| self.provider(&i.provider))
            .is_some_and(|p| matches!(p.level, crate::access::ProviderLevel::Regional { .. }))
    }

    fn next_request_id(&self, institution: &str, letter: char) -> String {
        let prefix = format!("{institution}-{letter}");
        let n = self.requests_of(institution).filter(|r| r.id.starts_with(&prefix)).count() + 1;
        format!("{prefix}{n}")
    }

    fn filing(&self, institution: &str, today: NaiveDate) -> Result<(), AdminError> {
        if self.agreement_in_force(institution, today).is_none() {
            return Err(AdminError::NoAgreementInForce(institution.to_owned()));
        }
        Ok(())
    }

    /// Files a request for a new operator User ID. The partner needs an
    /// agreement in force.
    pub fn request_user_id(
        &self,
        institution: &str,
        filed_by: &str,
        applicant: Applicant,
        today: NaiveDate,
    ) -> Result<ControlWrite, AdminError> {
        let applicant = applicant.validated()?;
        self.filing(institution, today)?;
        Ok(ControlWrite::Request(Request {
            id: self.next_request_id(institution, 'u'),
            institution: institution.to_owned(),
            filed_on: today,
            filed_by: filed_by.to_owned(),
            ask: Ask::UserId { applicant },
            verdict: None,
        }))
    }

    /// Files a request to raise the daily quota of one of the partner's
    /// User IDs.
    pub fn request_quota(
        &self,
        institution: &str,
        filed_by: &str,
        user_id: &str,
        daily_quota: u32,
        justification: &str,
        today: NaiveDate,
    ) -> Result<ControlWrite, AdminError> {
        let account = self
            .account(user_id)
            .filter(|a| a.holder == institution && matches!(a.role, Role::Operator | Role::Service))
            .ok_or(invalid(RequestField::UserId, "bukan User ID operator atau layanan instansi ini"))?;
        if daily_quota <= account.daily_quota {
            return Err(invalid(RequestField::DailyQuota, "harus lebih besar dari kuota sekarang"));
        }
        if daily_quota > LARGEST_DAILY_QUOTA {
            return Err(invalid(RequestField::DailyQuota, "paling banyak 1.000.000 per hari"));
        }
        let justification = required(justification, RequestField::Justification)?;
        if justification.chars().count() < 20 {
            return Err(invalid(RequestField::Justification, "jelaskan kebutuhannya (paling sedikit 20 karakter)"));
        }
        self.filing(institution, today)?;
        Ok(ControlWrite::Request(Request {
            id: self.next_request_id(institution, 'q'),
            institution: institution.to_owned(),
            filed_on: today,
            filed_by: filed_by.to_owned(),
            ask: Ask::Quota { user_id: user_id.to_owned(), daily_quota, justification },
            verdict: None,
        }))
    }

    fn open_request(&self, steward: &Steward, id: &str) -> Result<Request, AdminError> {
        let request = self
            .request(id)
            .filter(|r| steward.manages(self, &r.institution).is_ok())
            .ok_or_else(|| AdminError::NotFound { kind: "permintaan", handle: id.to_owned() })?;
        if !request.is_open() {
            return Err(AdminError::AlreadyDecided(id.to_owned()));
        }
        Ok(request.clone())
    }

    /// Approves a request. A User ID is issued with `user_id` and the hashed
    /// password, inactive until the partner records the operator's NDA; a
    /// quota raise takes effect at once, with the request as the national
    /// approval's reference when one is needed (and only a national
    /// administrator may give it).
    pub fn approve_request(
        &self,
        steward: &Steward,
        id: &str,
        issued: Option<(String, String)>,
        today: NaiveDate,
    ) -> Result<Vec<ControlWrite>, AdminError> {
        let mut request = self.open_request(steward, id)?;
        let mut writes = Vec::new();
        let issued_user_id = match &request.ask {
            Ask::UserId { .. } => {
                let (user_id, password_hash) = issued.ok_or(AdminError::NoUserId)?;
                writes.push(self.add_account(NewAccount {
                    user_id: user_id.clone(),
                    holder: request.institution.clone(),
                    role: Role::Operator,
                    password_hash,
                    token_hash: None,
                    nda_on: None,
                })?);
                Some(user_id)
            }
            Ask::Quota { user_id, daily_quota, .. } => {
                let national = request.needs_national_approval(self);
                if national && !steward.national {
                    return Err(AdminError::NationalApprovalRequired);
                }
                let approval = national.then(|| format!("{} ({})", request.id, steward.user_id));
                writes.push(self.set_quota(user_id, *daily_quota, approval)?);
                None
            }
        };
        request.verdict = Some(Verdict {
            on: today,
            by: steward.user_id.clone(),
            decision: Decision::Approved { user_id: issued_user_id },
        });
        writes.push(ControlWrite::Request(request));
        Ok(writes)
    }

    /// Rejects a request with the reason the partner will read.
    pub fn reject_request(
        &self,
        steward: &Steward,
        id: &str,
        reason: &str,
        today: NaiveDate,
    ) -> Result<ControlWrite, AdminError> {
        let mut request = self.open_request(steward, id)?;
        if reason.trim().is_empty() {
            return Err(AdminError::NoReason);
        }
        request.verdict = Some(Verdict {
            on: today,
            by: steward.user_id.clone(),
            decision: Decision::Rejected { reason: reason.trim().to_owned() },
        });
        Ok(ControlWrite::Request(request))
    }
}

//! Document facilitation (SPEC.md §9): KemenPPPA hands the registry children
//! who have no birth certificate (akta kelahiran) or child ID card (KIA)
//! (003 Ps.3(3–4)); Ditjen Pemasyarakatan hands it detainees, inmates and
//! children in custody who need their KTP-el recorded, a digital ID (IKD)
//! or a KIA (001 Ps.2(1)h). The registry works each case through
//! received → verified → in process → issued, or rejects it with a reason;
//! both sides see where it stands.
//!
//! Which documents a partner may ask for is part of its agreement's scope
//! ([`Scope::facilitation`](crate::access::Scope)). Filing and every step
//! are decided here; the store only keeps the result, numbered.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::access::{ControlPlane, PartnerDesk, Steward};
use crate::clock::jakarta_date;
use crate::id_number::Nik;

pub mod sheet;

/// A document the registry issues through facilitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Akta kelahiran (birth certificate).
    AktaKelahiran,
    /// Kartu Identitas Anak (child ID card), for residents under 17.
    Kia,
    /// KTP-el recording and issuance, from 17.
    KtpEl,
    /// Identitas Kependudukan Digital (digital ID), from 17.
    Ikd,
}

impl DocumentKind {
    /// Every kind, in the order forms list them.
    pub const ALL: [DocumentKind; 4] =
        [DocumentKind::AktaKelahiran, DocumentKind::Kia, DocumentKind::KtpEl, DocumentKind::Ikd];

    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::AktaKelahiran => "akta_kelahiran",
            DocumentKind::Kia => "kia",
            DocumentKind::KtpEl => "ktp_el",
            DocumentKind::Ikd => "ikd",
        }
    }

    /// Reads a stable name (also the labels' short forms, in any case).
    pub fn from_name(name: &str) -> Option<DocumentKind> {
        let name = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        DocumentKind::ALL
            .into_iter()
            .find(|k| k.name() == name || (name == "akta" && *k == DocumentKind::AktaKelahiran))
    }

    /// The document's name in Bahasa Indonesia.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::AktaKelahiran => "Akta kelahiran",
            DocumentKind::Kia => "KIA",
            DocumentKind::KtpEl => "Perekaman dan penerbitan KTP-el",
            DocumentKind::Ikd => "IKD (identitas kependudukan digital)",
        }
    }

    /// Whether the subject must be an adult (17 or over) or a child.
    fn age_rule(self) -> Option<bool> {
        match self {
            DocumentKind::AktaKelahiran => None,
            DocumentKind::Kia => Some(false),
            DocumentKind::KtpEl | DocumentKind::Ikd => Some(true),
        }
    }

    /// Whether the subject must already have a NIK: every document but the
    /// birth certificate is issued from the register.
    fn needs_nik(self) -> bool {
        self != DocumentKind::AktaKelahiran
    }
}

/// Who the subject is to the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectGroup {
    /// A child reported to KemenPPPA.
    Anak,
    /// A detainee (tahanan).
    Tahanan,
    /// An inmate (narapidana).
    Narapidana,
    /// A child in custody (anak binaan).
    AnakBinaan,
}

impl SubjectGroup {
    /// Every group.
    pub const ALL: [SubjectGroup; 4] =
        [SubjectGroup::Anak, SubjectGroup::Tahanan, SubjectGroup::Narapidana, SubjectGroup::AnakBinaan];

    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            SubjectGroup::Anak => "anak",
            SubjectGroup::Tahanan => "tahanan",
            SubjectGroup::Narapidana => "narapidana",
            SubjectGroup::AnakBinaan => "anak_binaan",
        }
    }

    /// Reads a stable name, in any case.
    pub fn from_name(name: &str) -> Option<SubjectGroup> {
        let name = name.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        SubjectGroup::ALL.into_iter().find(|g| g.name() == name)
    }

    /// The group's name in Bahasa Indonesia.
    pub fn label(self) -> &'static str {
        match self {
            SubjectGroup::Anak => "Anak",
            SubjectGroup::Tahanan => "Tahanan",
            SubjectGroup::Narapidana => "Narapidana",
            SubjectGroup::AnakBinaan => "Anak binaan",
        }
    }

    /// Whether the subject is held by corrections, and so has a custody
    /// number and a facility.
    pub fn in_custody(self) -> bool {
        self != SubjectGroup::Anak
    }
}

/// The person a document is asked for, as the partner describes them.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Subject {
    /// The NIK, when the person has one (empty otherwise).
    pub nik: String,
    /// Full name.
    pub full_name: String,
    /// `L` or `P`.
    pub sex: String,
    /// Birth place.
    pub birth_place: String,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Mother's full name.
    pub mother_name: String,
    /// Father's full name (may be unknown).
    pub father_name: String,
    /// Address where the person lives or is held.
    pub address: String,
    /// Kemendagri code of the region that should serve the case (2, 4, 6 or
    /// 10 digits).
    pub region_code: String,
    /// Registration number of the detainee, inmate or child in custody.
    pub custody_number: String,
    /// The prison, detention centre or LPKA holding them.
    pub facility: String,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subject").finish_non_exhaustive()
    }
}

/// Which field of a filing is wrong, by its form and column name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingField {
    /// The document asked for.
    Document,
    /// The subject's group.
    Group,
    /// [`Subject::nik`].
    Nik,
    /// [`Subject::full_name`].
    FullName,
    /// [`Subject::sex`].
    Sex,
    /// [`Subject::birth_place`].
    BirthPlace,
    /// [`Subject::birth_date`].
    BirthDate,
    /// [`Subject::mother_name`].
    MotherName,
    /// [`Subject::father_name`].
    FatherName,
    /// [`Subject::address`].
    Address,
    /// [`Subject::region_code`].
    RegionCode,
    /// [`Subject::custody_number`].
    CustodyNumber,
    /// [`Subject::facility`].
    Facility,
}

impl FilingField {
    /// Every field, in the order of the form and of an upload's columns.
    pub const ALL: [FilingField; 13] = [
        FilingField::Document,
        FilingField::Group,
        FilingField::Nik,
        FilingField::FullName,
        FilingField::Sex,
        FilingField::BirthPlace,
        FilingField::BirthDate,
        FilingField::MotherName,
        FilingField::FatherName,
        FilingField::Address,
        FilingField::RegionCode,
        FilingField::CustodyNumber,
        FilingField::Facility,
    ];

    /// The form field's and the upload column's name.
    pub fn name(self) -> &'static str {
        match self {
            FilingField::Document => "dokumen",
            FilingField::Group => "kelompok",
            FilingField::Nik => "nik",
            FilingField::FullName => "nama_lengkap",
            FilingField::Sex => "jenis_kelamin",
            FilingField::BirthPlace => "tempat_lahir",
            FilingField::BirthDate => "tanggal_lahir",
            FilingField::MotherName => "nama_ibu",
            FilingField::FatherName => "nama_ayah",
            FilingField::Address => "alamat",
            FilingField::RegionCode => "kode_wilayah",
            FilingField::CustodyNumber => "nomor_registrasi",
            FilingField::Facility => "lapas_rutan",
        }
    }
}

/// Where a case stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Filed by the partner, not yet looked at.
    Received,
    /// The registry checked the data and will process it.
    Verified,
    /// Being recorded or printed.
    InProcess,
    /// Issued, with the document's number.
    Issued {
        /// The number of the document issued (akta, KIA, or the NIK for a
        /// KTP-el or IKD).
        document_number: String,
    },
    /// Refused, with the reason the partner reads.
    Rejected {
        /// Why.
        reason: String,
    },
}

/// The stable names of the statuses, in the order a case goes through them.
pub const STATUS_NAMES: [&str; 5] = ["received", "verified", "in_process", "issued", "rejected"];

impl Status {
    /// The stable name.
    pub fn name(&self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Verified => "verified",
            Status::InProcess => "in_process",
            Status::Issued { .. } => "issued",
            Status::Rejected { .. } => "rejected",
        }
    }

    /// The status in Bahasa Indonesia.
    pub fn label(&self) -> &'static str {
        label_of(self.name())
    }

    /// Whether the case is finished.
    pub fn is_final(&self) -> bool {
        matches!(self, Status::Issued { .. } | Status::Rejected { .. })
    }

    fn rank(&self) -> u8 {
        match self {
            Status::Received => 0,
            Status::Verified => 1,
            Status::InProcess => 2,
            Status::Issued { .. } | Status::Rejected { .. } => 3,
        }
    }
}

/// The Bahasa Indonesia label of a status's stable name.
pub fn label_of(name: &str) -> &'static str {
    match name {
        "received" => "Diterima",
        "verified" => "Diverifikasi",
        "in_process" => "Dalam proses",
        "issued" => "Terbit",
        "rejected" => "Ditolak",
        _ => "Tidak dikenal",
    }
}

/// One step of a case: the status it reached, when, by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The status reached.
    #[serde(flatten)]
    pub status: Status,
    /// When.
    pub at: DateTime<Utc>,
    /// The User ID who moved it.
    pub by: String,
}

/// A partner's request for one person's document, as filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filing {
    /// The partner.
    pub institution: String,
    /// The document asked for.
    pub document: DocumentKind,
    /// Who the person is to the partner.
    pub group: SubjectGroup,
    /// The person.
    pub subject: Subject,
}

impl Filing {
    /// What makes two open cases the same: partner, document, and the
    /// person's NIK, or their name and birth date when they have none.
    pub fn subject_key(&self) -> String {
        let who = if self.subject.nik.is_empty() {
            let born = self.subject.birth_date.map(|d| d.to_string()).unwrap_or_default();
            format!("{}|{born}", self.subject.full_name)
        } else {
            self.subject.nik.clone()
        };
        format!("{}|{}|{who}", self.institution, self.document.name())
    }
}

/// A case in the registry's queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    /// The registry's number, given when stored.
    pub number: u64,
    /// What was filed.
    pub filing: Filing,
    /// Its steps, the first one `Received`.
    pub steps: Vec<Step>,
}

impl Case {
    /// The current status.
    pub fn status(&self) -> &Status {
        self.steps.last().map_or(&Status::Received, |s| &s.status)
    }

    /// When it was filed.
    pub fn filed_at(&self) -> Option<DateTime<Utc>> {
        self.steps.first().map(|s| s.at)
    }

    /// The handle people quote: `FAS-000123`.
    pub fn handle(&self) -> String {
        format!("FAS-{:06}", self.number)
    }
}

/// Reads a handle (`FAS-000123`, or the bare number).
pub fn parse_handle(handle: &str) -> Option<u64> {
    let handle = handle.trim();
    let digits = handle.strip_prefix("FAS-").or_else(|| handle.strip_prefix("fas-")).unwrap_or(handle);
    digits.parse().ok().filter(|n| *n > 0)
}

/// Why a filing or a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FacilitationError {
    /// A field is missing or wrong.
    #[error("{}: {problem}", field.name())]
    Field {
        /// Which field.
        field: FilingField,
        /// What is wrong, in Bahasa Indonesia.
        problem: &'static str,
    },
    /// The partner has no agreement in force.
    #[error("instansi tidak memiliki perjanjian kerja sama yang berlaku")]
    NoAgreementInForce,
    /// The agreement does not include facilitation of this document.
    #[error("perjanjian kerja sama tidak mencakup fasilitasi {}", .0.label())]
    NotGranted(DocumentKind),
    /// The case is not there, or not the caller's to see.
    #[error("permohonan fasilitasi {0} tidak ditemukan")]
    NotFound(String),
    /// The step does not follow from where the case stands.
    #[error("permohonan berstatus {}, tidak dapat diubah menjadi {}", label_of(from), label_of(to))]
    Transition {
        /// The current status's name.
        from: &'static str,
        /// The asked status's name.
        to: &'static str,
    },
    /// A rejection needs a reason, an issuance the document's number.
    #[error("{0}")]
    Incomplete(&'static str),
}

impl FacilitationError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            FacilitationError::Field { .. } => "facilitation.field",
            FacilitationError::NoAgreementInForce => "facilitation.no_agreement",
            FacilitationError::NotGranted(_) => "facilitation.not_granted",
            FacilitationError::NotFound(_) => "facilitation.not_found",
            FacilitationError::Transition { .. } => "facilitation.transition",
            FacilitationError::Incomplete(_) => "facilitation.incomplete",
        }
    }
}

fn field(field: FilingField, problem: &'static str) -> FacilitationError {
    FacilitationError::Field { field, problem }
}

fn text(value: &str, which: FilingField, required: bool) -> Result<String, FacilitationError> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    match value.chars().count() {
        0 if required => Err(field(which, "wajib diisi")),
        201.. => Err(field(which, "terlalu panjang (paling banyak 200 karakter)")),
        _ => Ok(value),
    }
}

/// Age in whole years on `day`.
fn age_on(born: NaiveDate, day: NaiveDate) -> i32 {
    let years = day.year() - born.year();
    if (day.month(), day.day()) < (born.month(), born.day()) { years - 1 } else { years }
}

impl Filing {
    /// Checks and tidies a filing made on `today`: names upper-cased and
    /// trimmed, a valid NIK where the document needs one, a birth date in
    /// the past that fits the document (KIA under 17, KTP-el and IKD from
    /// 17), a custody number and facility for people in custody.
    pub fn validated(self, today: NaiveDate) -> Result<Filing, FacilitationError> {
        let Filing { institution, document, group, subject } = self;
        let nik = subject.nik.trim().to_owned();
        if !nik.is_empty() || document.needs_nik() {
            if nik.is_empty() {
                return Err(field(FilingField::Nik, "wajib diisi untuk dokumen ini"));
            }
            Nik::parse(&nik).map_err(|_| field(FilingField::Nik, "bukan NIK yang valid (16 angka)"))?;
        }
        let sex = match subject.sex.trim().to_ascii_uppercase().as_str() {
            "L" | "LAKI-LAKI" | "LAKI LAKI" => "L",
            "P" | "PEREMPUAN" => "P",
            _ => return Err(field(FilingField::Sex, "isi L (laki-laki) atau P (perempuan)")),
        };
        let birth_date = subject.birth_date.ok_or(field(FilingField::BirthDate, "wajib diisi"))?;
        if birth_date > today {
            return Err(field(FilingField::BirthDate, "tidak boleh setelah hari ini"));
        }
        match document.age_rule() {
            Some(true) if age_on(birth_date, today) < 17 => {
                return Err(field(
                    FilingField::BirthDate,
                    "KTP-el dan IKD hanya untuk penduduk berusia 17 tahun ke atas",
                ));
            }
            Some(false) if age_on(birth_date, today) >= 17 => {
                return Err(field(FilingField::BirthDate, "KIA hanya untuk anak di bawah 17 tahun"));
            }
            _ => {}
        }
        let region_code = subject.region_code.trim().replace('.', "");
        if !matches!(region_code.len(), 2 | 4 | 6 | 10) || !region_code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(field(FilingField::RegionCode, "kode wilayah Kemendagri terdiri dari 2, 4, 6 atau 10 angka"));
        }
        let custody = group.in_custody();
        let subject = Subject {
            nik,
            full_name: text(&subject.full_name, FilingField::FullName, true)?.to_uppercase(),
            sex: sex.to_owned(),
            birth_place: text(&subject.birth_place, FilingField::BirthPlace, true)?.to_uppercase(),
            birth_date: Some(birth_date),
            mother_name: text(&subject.mother_name, FilingField::MotherName, true)?.to_uppercase(),
            father_name: text(&subject.father_name, FilingField::FatherName, false)?.to_uppercase(),
            address: text(&subject.address, FilingField::Address, true)?,
            region_code,
            custody_number: text(&subject.custody_number, FilingField::CustodyNumber, custody)?,
            facility: text(&subject.facility, FilingField::Facility, custody)?,
        };
        Ok(Filing { institution, document, group, subject })
    }
}

impl ControlPlane {
    /// Checks a filing by a partner's administrator, always for its own
    /// institution: the agreement in force on the Jakarta day of `now`
    /// grants the document, and the data is complete. Returns the case to
    /// store (numbered by the store), received now.
    pub fn file_facilitation(
        &self,
        desk: &PartnerDesk,
        mut filing: Filing,
        now: DateTime<Utc>,
    ) -> Result<Case, FacilitationError> {
        let today = jakarta_date(now);
        filing.institution = desk.institution.clone();
        let agreement =
            self.agreement_in_force(&filing.institution, today).ok_or(FacilitationError::NoAgreementInForce)?;
        if !agreement.scope.facilitation.contains(&filing.document) {
            return Err(FacilitationError::NotGranted(filing.document));
        }
        let filing = filing.validated(today)?;
        let received = Step { status: Status::Received, at: now, by: desk.user_id.clone() };
        Ok(Case { number: 0, filing, steps: vec![received] })
    }
}

impl PartnerDesk {
    /// Whether the partner may see `case`: only its own.
    pub fn sees(&self, case: &Case) -> bool {
        case.filing.institution == self.institution
    }
}

/// What the registry does with a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The data checks out.
    Verify,
    /// Recording or printing has started.
    Process,
    /// The document is issued.
    Issue {
        /// Its number.
        document_number: String,
    },
    /// Refused.
    Reject {
        /// Why.
        reason: String,
    },
}

/// Moves `case` one step, for `steward` (who must manage the partner; a
/// case of a partner it does not manage is not found). A case moves forward
/// only (received → verified → in process → issued), may be rejected until
/// it is issued, and stays as it is once issued or rejected.
pub fn advance(
    plane: &ControlPlane,
    steward: &Steward,
    mut case: Case,
    action: Action,
    now: DateTime<Utc>,
) -> Result<Case, FacilitationError> {
    if steward.manages(plane, &case.filing.institution).is_err() {
        return Err(FacilitationError::NotFound(case.handle()));
    }
    let next = match action {
        Action::Verify => Status::Verified,
        Action::Process => Status::InProcess,
        Action::Issue { document_number } => {
            let document_number = document_number.trim().to_owned();
            if document_number.is_empty() || document_number.chars().count() > 64 {
                return Err(FacilitationError::Incomplete("isi nomor dokumen yang terbit (paling banyak 64 karakter)"));
            }
            Status::Issued { document_number }
        }
        Action::Reject { reason } => {
            let reason = reason.trim().to_owned();
            if reason.chars().count() < 5 {
                return Err(FacilitationError::Incomplete("tuliskan alasan penolakan"));
            }
            Status::Rejected { reason }
        }
    };
    let current = case.status();
    let forward = match next {
        Status::Rejected { .. } => true,
        Status::Issued { .. } => matches!(current, Status::Verified | Status::InProcess),
        _ => next.rank() == current.rank() + 1,
    };
    if current.is_final() || !forward {
        return Err(FacilitationError::Transition { from: current.name(), to: next.name() });
    }
    case.steps.push(Step { status: next, at: now, by: steward.user_id.clone() });
    Ok(case)
}

#[cfg(test)]
pub(crate) mod tests;

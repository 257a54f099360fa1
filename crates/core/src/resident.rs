//! The resident record of the register and its family card (SPEC.md §2), and
//! the one function that turns them into element values. Every answer that
//! shows population data (the CLI, and later the web services and portal)
//! starts from [`element_values`], so an element is spelled the same way
//! everywhere.

use chrono::NaiveDate;
use serde::Serialize;

use crate::element::Element;
use crate::id_number::{Nik, NoKk};
use crate::region::Regions;
use crate::vocab::{
    Agama, GolonganDarah, HubunganKeluarga, JenisKelamin, Pekerjaan, Pendidikan, StatusEktp, StatusKawin,
};

/// Whether a resident is alive, still active in the register, and whether
/// the record is flagged as a duplicate. The web services answer each of
/// these with its own code (WIRE.md 11, 12, 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LifeStatus {
    /// Date of death, if the resident has died.
    pub died_on: Option<NaiveDate>,
    /// False when the record has been deactivated (e.g. moved abroad).
    pub active: bool,
    /// True when the record is flagged as a duplicate of another.
    pub duplicate: bool,
}

impl LifeStatus {
    /// An alive, active, unflagged resident.
    pub const ALIVE: LifeStatus = LifeStatus { died_on: None, active: true, duplicate: false };

    /// Whether the resident has died.
    pub fn is_deceased(&self) -> bool {
        self.died_on.is_some()
    }
}

/// A family card (Kartu Keluarga): the address its members share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Family {
    /// Family card number.
    pub no_kk: NoKk,
    /// The shared address.
    pub address: Address,
}

/// A registered address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Address {
    /// Street line (ALAMAT), upper case.
    pub street: String,
    /// Hamlet (DUSUN), where there is one.
    pub hamlet: Option<String>,
    /// Rukun tetangga (NO_RT).
    pub rt: u16,
    /// Rukun warga (NO_RW).
    pub rw: u16,
    /// 10-digit village code; the district, regency and province follow.
    pub village_code: u64,
    /// Postal code, where known.
    pub postal_code: Option<u32>,
}

/// One resident as the register holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resident {
    /// NIK; digits 7–12 agree with `birth_date` and `sex`.
    pub nik: Nik,
    /// The family card the resident is listed on.
    pub no_kk: NoKk,
    /// NAMA_LGKP, upper case.
    pub full_name: String,
    /// JENIS_KLMIN.
    pub sex: JenisKelamin,
    /// TMPT_LHR, upper case.
    pub birth_place: String,
    /// TGL_LHR.
    pub birth_date: NaiveDate,
    /// NO_AKTA_LHR.
    pub birth_certificate: Option<String>,
    /// GOL_DARAH.
    pub blood_type: GolonganDarah,
    /// AGAMA.
    pub religion: Agama,
    /// STATUS_KAWIN.
    pub marital_status: StatusKawin,
    /// TGL_KWN.
    pub married_on: Option<NaiveDate>,
    /// NO_AKTA_KWN.
    pub marriage_certificate: Option<String>,
    /// TGL_CRAI.
    pub divorced_on: Option<NaiveDate>,
    /// NO_AKTA_CRAI.
    pub divorce_certificate: Option<String>,
    /// PDDK_AKH.
    pub education: Pendidikan,
    /// JENIS_PKRJN.
    pub occupation: Pekerjaan,
    /// STAT_HBKEL.
    pub relationship: HubunganKeluarga,
    /// NIK_AYAH, when the father is in the register.
    pub father_nik: Option<Nik>,
    /// NAMA_LGKP_AYAH.
    pub father_name: String,
    /// NIK_IBU, when the mother is in the register.
    pub mother_nik: Option<Nik>,
    /// NAMA_LGKP_IBU.
    pub mother_name: String,
    /// EKTP_STATUS.
    pub ektp_status: StatusEktp,
    /// Alive / deceased, active / inactive, duplicate flag.
    pub life: LifeStatus,
}

/// The value of one element for one resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ElementValue {
    /// A number (NIK, NO_KK, RT/RW, codes).
    Number(u64),
    /// Upper-case text.
    Text(String),
    /// A date.
    Date(NaiveDate),
    /// Not recorded for this resident.
    Missing,
}

impl ElementValue {
    fn text(value: impl Into<String>) -> Self {
        ElementValue::Text(value.into())
    }

    fn optional_text(value: Option<&String>) -> Self {
        value.map_or(ElementValue::Missing, |v| ElementValue::Text(v.clone()))
    }

    fn optional_date(value: Option<NaiveDate>) -> Self {
        value.map_or(ElementValue::Missing, ElementValue::Date)
    }
}

/// The value of `element` for `resident`, listed on `family`. Region names
/// come from `regions`; an unknown village code gives `Missing` names. The
/// photo is not part of the record and is always `Missing` here.
pub fn element_value(element: Element, resident: &Resident, family: &Family, regions: &Regions) -> ElementValue {
    let address = &family.address;
    // Only the four region names need the chain; other elements skip the look-up.
    let region_name = |pick: fn(&crate::region::RegionChain<'_>) -> &'static str| {
        regions.chain(address.village_code).map_or(ElementValue::Missing, |c| ElementValue::text(pick(&c)))
    };
    match element {
        Element::Nik => ElementValue::Number(resident.nik.value()),
        Element::NamaLengkap => ElementValue::text(&resident.full_name),
        Element::JenisKelamin => ElementValue::text(resident.sex.label()),
        Element::TempatLahir => ElementValue::text(&resident.birth_place),
        Element::TanggalLahir => ElementValue::Date(resident.birth_date),
        Element::NoAktaLahir => ElementValue::optional_text(resident.birth_certificate.as_ref()),
        Element::GolonganDarah => ElementValue::text(resident.blood_type.label()),
        Element::Agama => ElementValue::text(resident.religion.label()),
        Element::StatusKawin => ElementValue::text(resident.marital_status.label()),
        Element::TanggalKawin => ElementValue::optional_date(resident.married_on),
        Element::NoAktaKawin => ElementValue::optional_text(resident.marriage_certificate.as_ref()),
        Element::TanggalCerai => ElementValue::optional_date(resident.divorced_on),
        Element::NoAktaCerai => ElementValue::optional_text(resident.divorce_certificate.as_ref()),
        Element::PendidikanAkhir => ElementValue::text(resident.education.label()),
        Element::JenisPekerjaan => ElementValue::text(resident.occupation.label()),
        Element::StatusHubunganKeluarga => ElementValue::text(resident.relationship.label()),
        Element::NoKk => ElementValue::Number(resident.no_kk.value()),
        Element::Alamat => ElementValue::text(&address.street),
        Element::Dusun => ElementValue::optional_text(address.hamlet.as_ref()),
        Element::NoRt => ElementValue::Number(u64::from(address.rt)),
        Element::NoRw => ElementValue::Number(u64::from(address.rw)),
        Element::NoKelurahan => ElementValue::Number(address.village_code % 10_000),
        Element::NoKecamatan => ElementValue::Number((address.village_code / 10_000) % 100),
        Element::NoKabupaten => ElementValue::Number((address.village_code / 1_000_000) % 100),
        Element::NoProvinsi => ElementValue::Number(address.village_code / 100_000_000),
        Element::NamaKelurahan => region_name(|c| c.village.name),
        Element::NamaKecamatan => region_name(|c| c.district.name),
        Element::NamaKabupaten => region_name(|c| c.regency.name),
        Element::NamaProvinsi => region_name(|c| c.province.name),
        Element::NikAyah => resident.father_nik.map_or(ElementValue::Missing, |n| ElementValue::Number(n.value())),
        Element::NamaAyah => ElementValue::text(&resident.father_name),
        Element::NikIbu => resident.mother_nik.map_or(ElementValue::Missing, |n| ElementValue::Number(n.value())),
        Element::NamaIbu => ElementValue::text(&resident.mother_name),
        Element::StatusEktp => ElementValue::text(resident.ektp_status.label()),
        Element::KodePos => address.postal_code.map_or(ElementValue::Missing, |c| ElementValue::Number(u64::from(c))),
        Element::Foto => ElementValue::Missing,
    }
}

/// Every recorded element of a resident, in catalogue order (unrecorded
/// ones left out).
pub fn recorded_elements(resident: &Resident, family: &Family, regions: &Regions) -> Vec<(Element, ElementValue)> {
    Element::ALL
        .iter()
        .map(|element| (*element, element_value(*element, resident, family, regions)))
        .filter(|(_, value)| *value != ElementValue::Missing)
        .collect()
}

/// Age in whole years on `day`.
pub fn age_on(birth_date: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth_date).unwrap_or(0)
}

#[cfg(test)]
pub(crate) mod tests;

use super::*;
use crate::vocab::*;

pub(crate) fn sample() -> (Resident, Family) {
    let village = Regions::official().villages_of(331301)[0].code;
    let family = Family {
        no_kk: NoKk::parse("3313011010150003").unwrap(),
        address: Address {
            street: "JL. MERDEKA NO. 12".into(),
            hamlet: None,
            rt: 3,
            rw: 7,
            village_code: village,
            postal_code: Some(57792),
        },
    };
    let resident = Resident {
        nik: Nik::parse("3313011205850001").unwrap(),
        no_kk: family.no_kk,
        full_name: "BUDI SANTOSO".into(),
        sex: JenisKelamin::LakiLaki,
        birth_place: "KARANGANYAR".into(),
        birth_date: NaiveDate::from_ymd_opt(1985, 5, 12).unwrap(),
        birth_certificate: None,
        blood_type: GolonganDarah::O,
        religion: Agama::Islam,
        marital_status: StatusKawin::Kawin,
        married_on: NaiveDate::from_ymd_opt(2010, 6, 1),
        marriage_certificate: None,
        divorced_on: None,
        divorce_certificate: None,
        education: Pendidikan::Slta,
        occupation: Pekerjaan::PetaniPekebun,
        relationship: HubunganKeluarga::KepalaKeluarga,
        father_nik: None,
        father_name: "SUKIMAN".into(),
        mother_nik: None,
        mother_name: "SUMIYATI".into(),
        ektp_status: StatusEktp::SudahCetak,
        life: LifeStatus::ALIVE,
    };
    (resident, family)
}

#[test]
fn region_elements_come_from_the_village_code() {
    let (resident, family) = sample();
    let regions = Regions::official();
    let value = |e| element_value(e, &resident, &family, regions);
    assert_eq!(value(Element::NoProvinsi), ElementValue::Number(33));
    assert_eq!(value(Element::NoKabupaten), ElementValue::Number(13));
    assert_eq!(value(Element::NoKecamatan), ElementValue::Number(1));
    assert_eq!(value(Element::NamaKabupaten), ElementValue::Text("KABUPATEN KARANGANYAR".into()));
    assert_eq!(value(Element::NamaKecamatan), ElementValue::Text("JATIPURO".into()));
    assert_eq!(value(Element::NamaProvinsi), ElementValue::Text("JAWA TENGAH".into()));
}

#[test]
fn every_element_has_a_value_or_is_missing() {
    let (resident, family) = sample();
    let regions = Regions::official();
    assert_eq!(element_value(Element::Nik, &resident, &family, regions), ElementValue::Number(3313011205850001));
    assert_eq!(
        element_value(Element::JenisKelamin, &resident, &family, regions),
        ElementValue::Text("LAKI-LAKI".into())
    );
    assert_eq!(element_value(Element::NikAyah, &resident, &family, regions), ElementValue::Missing);
    assert_eq!(element_value(Element::Foto, &resident, &family, regions), ElementValue::Missing);
    for element in Element::ALL {
        let _ = element_value(*element, &resident, &family, regions);
    }
}

#[test]
fn age_counts_whole_years() {
    let born = NaiveDate::from_ymd_opt(1985, 5, 12).unwrap();
    assert_eq!(age_on(born, NaiveDate::from_ymd_opt(2026, 5, 11).unwrap()), 40);
    assert_eq!(age_on(born, NaiveDate::from_ymd_opt(2026, 5, 12).unwrap()), 41);
}

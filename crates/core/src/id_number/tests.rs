use super::*;
use crate::vocab::JenisKelamin;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn parses_a_mans_and_a_womans_nik() {
    let man = Nik::parse("3313011205850001").unwrap();
    assert_eq!(man.district_code(), 331301);
    assert_eq!(man.sex(), JenisKelamin::LakiLaki);
    assert!(man.encodes(date(1985, 5, 12), JenisKelamin::LakiLaki));
    assert_eq!(man.serial(), 1);
    let woman = Nik::parse(" 3313015205850002 ").unwrap();
    assert_eq!(woman.sex(), JenisKelamin::Perempuan);
    assert!(woman.encodes(date(1985, 5, 12), JenisKelamin::Perempuan));
    assert!(!woman.encodes(date(1985, 5, 12), JenisKelamin::LakiLaki));
    assert_eq!(woman.to_string(), "3313015205850002");
}

#[test]
fn each_rule_has_its_own_error() {
    let code = |text: &str| Nik::parse(text).unwrap_err().code();
    assert_eq!(code("331301120585001"), "nik.length");
    assert_eq!(code("33130112058500011"), "nik.length");
    assert_eq!(code(""), "nik.length");
    assert_eq!(code("33130112058500O1"), "nik.not_digits");
    assert_eq!(code("3313-11205850001"), "nik.not_digits");
    assert_eq!(code("9999011205850001"), "nik.unknown_district");
    assert_eq!(code("3313013102850001"), "nik.invalid_date");
    assert_eq!(code("3313017205850001"), "nik.invalid_date");
    assert_eq!(code("3313013605850001"), "nik.invalid_date");
    assert_eq!(code("3313010013850001"), "nik.invalid_date");
    assert_eq!(code("3313011205850000"), "nik.zero_serial");
}

#[test]
fn leap_days_are_real_in_either_century() {
    assert!(Nik::parse("3313012902000001").is_ok());
    assert!(Nik::parse("3313016902960001").is_ok());
    assert_eq!(Nik::parse("3313012902010001").unwrap_err().code(), "nik.invalid_date");
}

#[test]
fn messages_say_which_rule_failed_in_bahasa_indonesia() {
    assert_eq!(
        Nik::parse("33130112058500O1").unwrap_err().to_string(),
        "NIK hanya boleh berisi angka; karakter ke-15 bukan angka"
    );
    assert_eq!(Nik::parse("123").unwrap_err().to_string(), "NIK harus 16 digit, yang diberikan 3 karakter");
    assert!(Nik::parse("3313013102850001").unwrap_err().to_string().contains("310285"));
}

#[test]
fn debug_hides_everything_but_the_district() {
    let nik = Nik::parse("3313011205850001").unwrap();
    assert_eq!(format!("{nik:?}"), "Nik(331301**********)");
    assert!(!format!("{:?}", Some(nik)).contains("1205850001"));
}

#[test]
fn built_from_parts_round_trips() {
    let nik = Nik::from_parts(331301, date(2003, 1, 9), JenisKelamin::Perempuan, 42).unwrap();
    assert_eq!(nik.to_string(), "3313014901030042");
    assert_eq!(Nik::from_stored(nik.value()), Some(nik));
    assert!(Nik::from_parts(999999, date(2003, 1, 9), JenisKelamin::Perempuan, 1).is_err());
    assert!(Nik::from_parts(331301, date(2003, 1, 9), JenisKelamin::LakiLaki, 0).is_err());
}

#[test]
fn stored_values_are_checked_like_text() {
    assert_eq!(Nik::from_stored(3313011205850001), Some(Nik::parse("3313011205850001").unwrap()));
    assert_eq!(NoKk::from_stored(3313011010150003), Some(NoKk::parse("3313011010150003").unwrap()));
    // Seventeen digits, an unknown district, an impossible date, serial 0000.
    assert_eq!(Nik::from_stored(33130112058500010), None);
    assert_eq!(Nik::from_stored(9999991205850001), None);
    assert_eq!(Nik::from_stored(3313013205850001), None);
    assert_eq!(Nik::from_stored(3313011205850000), None);
    assert_eq!(NoKk::from_stored(3313013210150003), None);
    assert_eq!(Nik::from_stored(0), None);
}

#[test]
fn family_card_numbers_have_a_real_issue_date_and_serial() {
    let kk = NoKk::parse("3313011010150003").unwrap();
    assert_eq!(kk.district_code(), 331301);
    assert_eq!(NoKk::parse("3313015010150003").unwrap_err().code(), "no_kk.invalid_date");
    assert_eq!(NoKk::parse("3313011010150000").unwrap_err().code(), "no_kk.zero_serial");
    assert_eq!(NoKk::parse("33130110101500").unwrap_err().code(), "no_kk.length");
    let built = NoKk::from_parts(331301, date(2015, 10, 10), 3).unwrap();
    assert_eq!(built, kk);
    assert_eq!(format!("{kk:?}"), "NoKk(331301**********)");
}

#[test]
fn serde_uses_the_sixteen_digit_string() {
    let nik = Nik::parse("3313011205850001").unwrap();
    assert_eq!(serde_json::to_string(&nik).unwrap(), "\"3313011205850001\"");
    let back: Nik = serde_json::from_str("\"3313011205850001\"").unwrap();
    assert_eq!(back, nik);
    assert!(serde_json::from_str::<Nik>("\"3313013102850001\"").is_err());
}

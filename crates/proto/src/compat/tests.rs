#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};

use super::*;

fn parse(body: &str) -> CompatRequest {
    parse_request(body.as_bytes()).expect("body reads")
}

fn parse_value(value: Value) -> CompatRequest {
    parse_request(value.to_string().as_bytes()).expect("body reads")
}

fn threshold_of(value: Value) -> Threshold {
    parse_value(json!({ "TRESHOLD": value })).threshold
}

#[test]
fn every_method_alias_in_any_case() {
    for (name, method) in [
        ("CALL_NIK", CompatMethod::CallNik),
        ("call_nik", CompatMethod::CallNik),
        ("Call_Nik", CompatMethod::CallNik),
        ("GET_NIK", CompatMethod::CallNik),
        ("get_nik", CompatMethod::CallNik),
        ("BYNIK", CompatMethod::CallNik),
        ("byNik", CompatMethod::CallNik),
        (" CALL_NIK\n", CompatMethod::CallNik),
        ("CALL_VERIFY_BY_ELEMEN", CompatMethod::VerifyByElements),
        ("call_verify_by_elemen", CompatMethod::VerifyByElements),
        ("NIK_VERIFBY_ELEMEN", CompatMethod::VerifyByElements),
        ("nik_verifby_elemen", CompatMethod::VerifyByElements),
        ("KONEKSITAS_VERIFBY_ELEMEN", CompatMethod::VerifyByElements),
        ("koneksitas_verifby_elemen", CompatMethod::VerifyByElements),
        ("\tKoneksitas_VerifBy_Elemen ", CompatMethod::VerifyByElements),
    ] {
        assert_eq!(CompatMethod::from_path(name), Some(method), "{name:?}");
    }
    for name in ["", " ", "CALL_FR", "CALL_NIKX", "CALL NIK", "VERIFY_BY_ELEMEN", "CALL_VERIFY_BY_ELEMENT"] {
        assert_eq!(CompatMethod::from_path(name), None, "{name:?}");
    }
    assert_eq!(CompatMethod::CallNik.canonical_name(), "CALL_NIK");
    assert_eq!(CompatMethod::VerifyByElements.canonical_name(), "CALL_VERIFY_BY_ELEMEN");
}

#[test]
fn user_id_under_every_key_variant() {
    for key in ["USER_ID", "user_id", "User_Id"] {
        let request = parse_value(json!({ key: " mitra01 " }));
        assert_eq!(request.user_id.as_deref(), Some("mitra01"), "{key}");
        assert!(request.fields.is_empty(), "{key}");
    }
}

#[test]
fn password_under_every_key_variant_kept_exactly() {
    for key in ["PASSWORD", "password", "PassWord"] {
        let request = parse_value(json!({ key: " rahasia 1 " }));
        assert_eq!(request.password.as_deref(), Some(" rahasia 1 "), "{key}");
        assert!(request.fields.is_empty(), "{key}");
    }
}

#[test]
fn claimed_ip_under_every_key_variant() {
    for key in ["IP_USER", "ip_user", "ip_address", "ip_users", "IP_ADDRESS", "Ip_Users"] {
        let request = parse_value(json!({ key: " 10.1.2.3 " }));
        assert_eq!(request.claimed_ip.as_deref(), Some("10.1.2.3"), "{key}");
        assert!(request.fields.is_empty(), "{key}");
    }
}

#[test]
fn blank_or_null_credentials_are_missing() {
    let request = parse(r#"{"USER_ID":" ","PASSWORD":"","IP_USER":null}"#);
    assert_eq!(request.user_id, None);
    assert_eq!(request.password, None);
    assert_eq!(request.claimed_ip, None);
    assert!(request.fields.is_empty());
    assert!(request.malformed.is_empty());
}

#[test]
fn numeric_user_id_is_text_and_unusable_credential_is_malformed() {
    let request = parse(r#"{"user_id":12345,"password":true}"#);
    assert_eq!(request.user_id.as_deref(), Some("12345"));
    assert_eq!(request.password, None);
    assert_eq!(request.malformed, ["PASSWORD"]);
}

#[test]
fn threshold_valid_forms() {
    assert_eq!(threshold_of(json!("80")), Threshold::Valid(80));
    assert_eq!(threshold_of(json!(" 80 ")), Threshold::Valid(80));
    assert_eq!(threshold_of(json!(80)), Threshold::Valid(80));
    assert_eq!(threshold_of(json!(80.0)), Threshold::Valid(80));
    assert_eq!(threshold_of(json!(0)), Threshold::Valid(0));
    assert_eq!(threshold_of(json!("100")), Threshold::Valid(100));
}

#[test]
fn threshold_absent_forms() {
    assert_eq!(parse("{}").threshold, Threshold::Absent);
    assert_eq!(threshold_of(json!("")), Threshold::Absent);
    assert_eq!(threshold_of(json!(" ")), Threshold::Absent);
    assert_eq!(threshold_of(Value::Null), Threshold::Absent);
}

#[test]
fn threshold_invalid_forms() {
    for value in [json!("abc"), json!(101), json!("101"), json!(-5), json!(-1), json!(80.5), json!(true), json!([])] {
        assert_eq!(threshold_of(value.clone()), Threshold::Invalid, "{value}");
    }
}

#[test]
fn threshold_alternative_spelling_and_not_a_field() {
    let request = parse(r#"{"threshold":"75"}"#);
    assert_eq!(request.threshold, Threshold::Valid(75));
    assert!(request.fields.is_empty());
    assert!(request.malformed.is_empty());
}

#[test]
fn nik_as_sixteen_digit_number_keeps_every_digit() {
    let request = parse(r#"{"NIK":3313015512990001}"#);
    assert_eq!(request.field("NIK"), Some("3313015512990001"));
    let request = parse(r#"{"nik":9999999999999999}"#);
    assert_eq!(request.field("NIK"), Some("9999999999999999"));
}

#[test]
fn nik_as_string_is_trimmed() {
    let request = parse(r#"{"nik":" 3313015512990001 "}"#);
    assert_eq!(request.field("NIK"), Some("3313015512990001"));
}

#[test]
fn integral_float_is_digits_and_fractional_float_is_malformed() {
    let request = parse(r#"{"NO_RT":5.0,"NO_RW":-3,"NO_KEL":2.5,"NO_KAB":1e300}"#);
    assert_eq!(request.fields, [("NO_RT".to_owned(), "5".to_owned()), ("NO_RW".to_owned(), "-3".to_owned())]);
    assert_eq!(request.malformed, ["NO_KEL", "NO_KAB"]);
}

#[test]
fn blanks_and_null_are_dropped() {
    let request = parse(r#"{"NAMA_LGKP":" ","ALAMAT":"","TMPT_LHR":null,"JENIS_KLMIN":"Laki-laki"}"#);
    assert_eq!(request.fields, [("JENIS_KLMIN".to_owned(), "Laki-laki".to_owned())]);
    assert!(request.malformed.is_empty());
}

#[test]
fn booleans_arrays_and_objects_are_malformed() {
    let request = parse(r#"{"NO_KK":true,"ALAMAT":["JL MAWAR"],"NO_RT":{"n":1},"NIK":"3313015512990001"}"#);
    assert_eq!(request.malformed, ["NO_KK", "ALAMAT", "NO_RT"]);
    assert_eq!(request.fields, [("NIK".to_owned(), "3313015512990001".to_owned())]);
}

#[test]
fn unknown_keys_are_kept_upper_cased_in_first_seen_order() {
    let request = parse(r#"{"zeta":"1","NIK":"3313015512990001","alpha":"2","user_id":"u"}"#);
    let keys: Vec<&str> = request.fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["ZETA", "NIK", "ALPHA"]);
    assert_eq!(request.field("ZETA"), Some("1"));
}

#[test]
fn repeated_key_in_other_case_last_wins_at_first_position() {
    let request = parse(r#"{"nama_lgkp":"A","NIK":"1","NAMA_LGKP":"B"}"#);
    assert_eq!(request.fields, [("NAMA_LGKP".to_owned(), "B".to_owned()), ("NIK".to_owned(), "1".to_owned())]);
    let request = parse(r#"{"alamat":true,"ALAMAT":"JL MAWAR"}"#);
    assert!(request.malformed.is_empty());
    assert_eq!(request.field("ALAMAT"), Some("JL MAWAR"));
}

#[test]
fn repeated_key_among_many_keys_last_wins_at_first_position() {
    // More keys than the list search takes: the same rule through the map.
    let filler: String = (0..40).map(|i| format!(r#""extra_{i}":"{i}","#)).collect();
    let request = parse(&format!(r#"{{"nama_lgkp":"A",{filler}"NIK":"1"," NAMA_LGKP ":"B"}}"#));
    assert_eq!(request.fields.len(), 42);
    assert_eq!(request.fields[0], ("NAMA_LGKP".to_owned(), "B".to_owned()));
    assert_eq!(request.fields[1], ("EXTRA_0".to_owned(), "0".to_owned()));
    assert_eq!(request.fields[41], ("NIK".to_owned(), "1".to_owned()));
}

#[test]
fn byte_order_mark_and_whitespace_are_accepted() {
    let body = b"\xEF\xBB\xBF \r\n {\"NIK\":\"3313015512990001\"} \n";
    assert_eq!(parse_request(body).unwrap().field("NIK"), Some("3313015512990001"));
}

#[test]
fn one_element_array_holding_the_object_is_unwrapped() {
    let request = parse(r#" [ {"USER_ID":"u","NIK":"3313015512990001"} ] "#);
    assert_eq!(request.user_id.as_deref(), Some("u"));
    assert_eq!(request.field("NIK"), Some("3313015512990001"));
}

#[test]
fn not_json() {
    for body in ["", " ", "{", "NIK=3313015512990001", "{\"a\":1} x", "{\"a\":1}{}"] {
        assert_eq!(parse_request(body.as_bytes()), Err(BodyError::NotJson), "{body:?}");
    }
    assert_eq!(parse_request(b"{\"a\":\"\xff\"}"), Err(BodyError::NotJson));
    assert_eq!(BodyError::NotJson.code(), "body.not_json");
    assert!(!BodyError::NotJson.to_string().is_empty());
}

#[test]
fn not_an_object() {
    for body in ["[]", "\"x\"", "42", "null", "true", "[{}, {}]", "[[{}]]", "[1]"] {
        assert_eq!(parse_request(body.as_bytes()), Err(BodyError::NotAnObject), "{body:?}");
    }
    assert_eq!(BodyError::NotAnObject.code(), "body.not_an_object");
    assert_ne!(BodyError::NotAnObject.to_string(), BodyError::NotJson.to_string());
}

#[test]
fn debug_shows_neither_password_nor_population_data() {
    let request =
        parse(r#"{"USER_ID":"mitra01","PASSWORD":"s3cr3t-Pa55","NIK":3313015512990001,"NAMA_LGKP":"SITI AMINAH"}"#);
    let shown = format!("{request:?}");
    assert!(!shown.contains("s3cr3t-Pa55"), "{shown}");
    assert!(!shown.contains("3313015512990001"), "{shown}");
    assert!(!shown.contains("SITI AMINAH"), "{shown}");
    assert!(shown.contains(r#"password: Some("***")"#), "{shown}");
    assert!(shown.contains("NAMA_LGKP"), "{shown}");
    let shown = format!("{:?}", envelope(Row(vec![("NIK".to_owned(), json!(3313015512990001_u64))]), 1));
    assert!(!shown.contains("3313015512990001"), "{shown}");
}

#[test]
fn basic_credentials_good() {
    // "mitra01:pa:ss" — the password may itself hold a colon.
    assert_eq!(basic_credentials("Basic bWl0cmEwMTpwYTpzcw=="), Some(("mitra01".to_owned(), "pa:ss".to_owned())));
    assert_eq!(basic_credentials("  basic   bWl0cmEwMTpwYTpzcw  "), Some(("mitra01".to_owned(), "pa:ss".to_owned())));
    assert_eq!(basic_credentials("BASIC dTo="), Some(("u".to_owned(), String::new())));
}

#[test]
fn basic_credentials_bad() {
    for header in [
        "",
        "Basic",
        "Basic ",
        "Bearer bWl0cmEwMTpwYTpzcw==",
        "Digest bWl0cmEwMTpwYTpzcw==",
        "bWl0cmEwMTpwYTpzcw==",
        "Basic !!!not-base64!!!",
        "Basic bWl0cmEwMQ==",
        "Basic /w==",
    ] {
        assert_eq!(basic_credentials(header), None, "{header:?}");
    }
}

#[test]
fn envelope_serializes_exactly() {
    let row = error_row(ResponseCode::NotFound, ResponseCode::NotFound.message());
    let wire = serde_json::to_string(&envelope(row, 999)).unwrap();
    assert_eq!(
        wire,
        "{\"content\":[{\"RESPONSE_CODE\":\"13\",\
         \"RESPON\":\"Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan\",\
         \"RESPONSE\":\"Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan\"}],\
         \"lastPage\":true,\"numberOfElements\":1,\"sort\":null,\"totalElements\":1,\
         \"firstPage\":true,\"number\":0,\"size\":1,\"quotaLimiter\":999}"
    );
    let back: Envelope = serde_json::from_str(&wire).unwrap();
    assert_eq!(back, envelope(error_row(ResponseCode::NotFound, ResponseCode::NotFound.message()), 999));
    assert_eq!(back.row().and_then(|row| row.get("RESPONSE_CODE")), Some(&json!("13")));
}

#[test]
fn error_row_takes_a_specific_message() {
    let row = error_row(ResponseCode::InvalidParameters, "TGL_LHR tidak valid");
    assert_eq!(
        serde_json::to_string(&row).unwrap(),
        r#"{"RESPONSE_CODE":"07","RESPON":"TGL_LHR tidak valid","RESPONSE":"TGL_LHR tidak valid"}"#
    );
}

#[test]
fn row_round_trips_keeping_key_order() {
    let wire = r#"{"NIK":3313015512990001,"NAMA_LGKP":"SITI AMINAH","ALAMAT":"JL MAWAR","AGAMA":"ISLAM","NO_RT":5}"#;
    let row: Row = serde_json::from_str(wire).unwrap();
    let keys: Vec<&str> = row.0.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["NIK", "NAMA_LGKP", "ALAMAT", "AGAMA", "NO_RT"]);
    assert_eq!(row.get("NIK"), Some(&json!(3313015512990001_u64)));
    assert_eq!(row.get("nik"), None);
    assert_eq!(serde_json::to_string(&row).unwrap(), wire);
    assert!(serde_json::from_str::<Row>("[1]").is_err());
}

#[test]
fn response_codes_match_the_wire_table() {
    let table = [
        (ResponseCode::LoginFailed, "03", "Login Gagal"),
        (ResponseCode::IpMismatch, "04", "IP Address Tidak Sesuai"),
        (ResponseCode::QuotaExhausted, "05", "Kuota Akses Hari Ini Telah Habis"),
        (ResponseCode::OutsideHours, "06", "Waktu Akses Tidak Sesuai"),
        (ResponseCode::InvalidParameters, "07", "Parameter Tidak Lengkap / Tidak Valid"),
        (ResponseCode::NikUnprocessable, "08", "NIK Tidak Dapat Diproses"),
        (ResponseCode::CredentialsMissing, "09", "User, password dan IP tidak boleh kosong"),
        (ResponseCode::IpNotRegistered, "10", "IP Client Tidak terdaftar"),
        (ResponseCode::Deceased, "11", "Data Ditemukan, Meninggal Dunia"),
        (ResponseCode::Duplicate, "12", "Data Ditemukan, Data Ganda"),
        (ResponseCode::NotFound, "13", "Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan"),
        (ResponseCode::Inactive, "14", "Data Ditemukan, Status Non Aktif silahkan hubungi Dinas Dukcapil"),
        (ResponseCode::NikMalformed, "15", "Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil"),
        (ResponseCode::InstitutionInactive, "16", "Instansi Tidak Aktif"),
        (ResponseCode::UserInactive, "17", "User ID Tidak Aktif"),
    ];
    for (code, number, message) in table {
        assert_eq!(code.code(), number, "{code:?}");
        assert_eq!(code.message(), message, "{code:?}");
        let row = error_row(code, code.message());
        assert_eq!(row.get("RESPONSE_CODE"), Some(&json!(number)));
        assert_eq!(row.get("RESPON"), Some(&json!(message)));
        assert_eq!(row.get("RESPONSE"), Some(&json!(message)));
    }
}

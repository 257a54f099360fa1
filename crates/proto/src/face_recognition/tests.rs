#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};

use super::*;

fn parse_value(value: Value) -> FrRequest {
    FrRequest::parse(value.to_string().as_bytes()).expect("body reads")
}

fn threshold_of(value: Value) -> FrThreshold {
    parse_value(json!({ "threshold": value })).threshold
}

/// A body as the original's clients send it (sealed fields shortened).
fn original_body() -> Value {
    json!({
        "transactionId": "TRX-20240501-0001",
        "transactionSource": "APLIKASI-BANK",
        "customer_id": "1234",
        "nik": "c2VhbGVkLW5paw==",
        "user_id": "c2VhbGVkLXVzZXI=",
        "password": "c2VhbGVkLXBhc3N3b3Jk",
        "ip": "10.1.2.3",
        "threshold": "5",
        "image": "/9j/4AAQSkZJRg==",
        "template": "",
        "type": "Face",
        "position": "F"
    })
}

#[test]
fn the_original_body_reads_field_by_field() {
    let request = parse_value(original_body());
    assert_eq!(request.transaction_id.as_deref(), Some("TRX-20240501-0001"));
    assert_eq!(request.transaction_source.as_deref(), Some("APLIKASI-BANK"));
    assert_eq!(request.customer_id.as_deref(), Some("1234"));
    assert_eq!(request.nik.as_deref(), Some("c2VhbGVkLW5paw=="));
    assert_eq!(request.user_id.as_deref(), Some("c2VhbGVkLXVzZXI="));
    assert_eq!(request.password.as_deref(), Some("c2VhbGVkLXBhc3N3b3Jk"));
    assert_eq!(request.ip.as_deref(), Some("10.1.2.3"));
    assert_eq!(request.threshold, FrThreshold::Number(5.0));
    assert_eq!(request.image.as_deref(), Some("/9j/4AAQSkZJRg=="));
    assert_eq!(request.template, None, "blank is not supplied");
    assert_eq!(request.kind.as_deref(), Some("Face"));
    assert_eq!(request.position.as_deref(), Some("F"));
    assert!(request.malformed.is_empty());
}

type Read = fn(&FrRequest) -> Option<&str>;

#[test]
fn every_key_spelling_reads_the_same() {
    let cases: [(&[&str], Read); 11] = [
        (&["transactionId", "transaction_id", "TRANSACTION_ID", "TransactionID"], |r| r.transaction_id.as_deref()),
        (&["transactionSource", "transaction_source"], |r| r.transaction_source.as_deref()),
        (&["customer_id", "customerId", "CUSTOMER_ID", "customerid"], |r| r.customer_id.as_deref()),
        (&["user_id", "userId", "USER_ID", "UserID"], |r| r.user_id.as_deref()),
        (&["nik", "NIK", "Nik", " nik "], |r| r.nik.as_deref()),
        (&["ip", "IP", "Ip"], |r| r.ip.as_deref()),
        (&["image", "IMAGE"], |r| r.image.as_deref()),
        (&["template", "Template"], |r| r.template.as_deref()),
        (&["type", "TYPE", "Type"], |r| r.kind.as_deref()),
        (&["position", "POSITION"], |r| r.position.as_deref()),
        (&["password", "PASSWORD", "Password"], |r| r.password.as_deref().map(str::trim)),
    ];
    for (keys, read) in cases {
        for key in keys {
            let request = parse_value(json!({ *key: " nilai " }));
            assert_eq!(read(&request), Some("nilai"), "{key}");
        }
    }
    assert_eq!(parse_value(json!({ "password": " rahasia " })).password.as_deref(), Some(" rahasia "), "kept as sent");
}

#[test]
fn the_later_spelling_of_a_key_wins_and_unknown_keys_are_ignored() {
    let request =
        FrRequest::parse(br#"{"transaction_id":"satu","foo":[1,2],"transactionId":"dua","extra":true}"#).unwrap();
    assert_eq!(request.transaction_id.as_deref(), Some("dua"));
    assert!(request.malformed.is_empty(), "unknown keys are not malformed");
    let request = FrRequest::parse(br#"{"user_id":true,"userId":"mitra"}"#).unwrap();
    assert_eq!(request.user_id.as_deref(), Some("mitra"));
    assert!(request.malformed.is_empty(), "the later, usable spelling wins");
}

#[test]
fn numbers_read_as_digits_and_unusable_types_are_malformed() {
    let body = br#"{"customer_id":1234,"nik":3374011501900001,"user_id":true,"ip":[1],"transactionId":1.5}"#;
    let request = FrRequest::parse(body).unwrap();
    assert_eq!(request.customer_id.as_deref(), Some("1234"));
    assert_eq!(request.nik.as_deref(), Some("3374011501900001"));
    assert_eq!((request.user_id, request.ip, request.transaction_id), (None, None, None));
    assert_eq!(request.malformed, ["user_id", "ip", "transactionId"]);
}

#[test]
fn a_blank_or_missing_nik_asks_for_a_search() {
    assert_eq!(parse_value(json!({ "nik": "" })).nik, None);
    assert_eq!(parse_value(json!({ "nik": null })).nik, None);
    assert_eq!(parse_value(json!({})).nik, None);
}

#[test]
fn threshold_as_string_number_or_decimal_comma() {
    assert_eq!(threshold_of(json!("5")), FrThreshold::Number(5.0));
    assert_eq!(threshold_of(json!(" 7.5 ")), FrThreshold::Number(7.5));
    assert_eq!(threshold_of(json!("7,5")), FrThreshold::Number(7.5));
    assert_eq!(threshold_of(json!(7)), FrThreshold::Number(7.0));
    assert_eq!(threshold_of(json!(7.25)), FrThreshold::Number(7.25));
    assert_eq!(threshold_of(json!(-1)), FrThreshold::Number(-1.0), "the range is the matcher's to judge");
    assert_eq!(parse_value(json!({ "TRESHOLD": "6" })).threshold, FrThreshold::Number(6.0));
}

#[test]
fn threshold_absent_or_garbage() {
    assert_eq!(parse_value(json!({})).threshold, FrThreshold::Absent);
    for value in [json!(""), json!("  "), Value::Null] {
        assert_eq!(threshold_of(value.clone()), FrThreshold::Absent, "{value}");
    }
    for value in [json!("lima"), json!("7,5,1"), json!("1.5,2"), json!("NaN"), json!("inf"), json!(true), json!([5])] {
        assert_eq!(threshold_of(value.clone()), FrThreshold::Invalid, "{value}");
    }
}

#[test]
fn a_data_uri_prefix_is_stripped_from_the_image() {
    for image in [
        "data:image/jpeg;base64,/9j/4AAQ",
        "DATA:image/jpeg;BASE64, /9j/4AAQ",
        " data:image/png;base64,/9j/4AAQ ",
        "/9j/4AAQ",
    ] {
        assert_eq!(parse_value(json!({ "image": image })).image.as_deref(), Some("/9j/4AAQ"), "{image:?}");
    }
    let not_base64 = "data:text/plain,halo";
    assert_eq!(parse_value(json!({ "image": not_base64 })).image.as_deref(), Some(not_base64));
}

#[test]
fn invalid_json_and_non_objects_are_parse_errors() {
    for body in [&b""[..], b"{", b"bukan json", b"{\"nik\":}", b"\xff\xfe", b"{} {}"] {
        assert_eq!(FrRequest::parse(body), Err(BodyError::NotJson), "{:?}", String::from_utf8_lossy(body));
    }
    for body in [&b"[]"[..], b"[1]", b"\"nik\"", b"42", b"null", b"[{},{}]"] {
        assert_eq!(FrRequest::parse(body), Err(BodyError::NotAnObject), "{:?}", String::from_utf8_lossy(body));
    }
    let wrapped = FrRequest::parse(b"\xEF\xBB\xBF [{\"nik\":\"x\"}] ").unwrap();
    assert_eq!(wrapped.nik.as_deref(), Some("x"));
}

#[test]
fn debug_shows_no_sealed_field_nor_the_photo() {
    let debug = format!("{:?}", parse_value(original_body()));
    for secret in ["c2VhbGVk", "/9j/"] {
        assert!(!debug.contains(secret), "{debug}");
    }
    assert!(debug.contains("TRX-20240501-0001"));
}

#[test]
fn every_code_has_its_number_and_message() {
    let table: Vec<(u32, &str)> = FR_CODES.iter().map(|code| (code.number(), code.message())).collect();
    assert_eq!(
        table,
        [
            (6018, "EKYC Sesuai"),
            (6019, "EKYC Tidak Sesuai"),
            (6020, "NIK Tidak Ditemukan"),
            (6015, "Foto tidak dapat diproses"),
            (6006, "Format data tidak valid"),
            (5001, "Akun tidak ditemukan"),
            (5002, "Batas akses terlampaui"),
            (5003, "IP tidak diizinkan"),
            (5004, "Parameter tidak valid"),
            (5005, "Threshold tidak valid"),
            (5006, "Dekripsi gagal"),
            (9002, "Password salah"),
            (5000, "Layanan sedang sibuk"),
            (6012, "Layanan sedang sibuk"),
            (6014, "Layanan sedang sibuk"),
        ]
    );
    for code in FR_CODES {
        assert_eq!(FrCode::from_number(code.number()), Some(code));
    }
    assert_eq!(FrCode::from_number(6000), None);
}

#[test]
fn a_verification_serializes_exactly() {
    let answer = FrAnswer::scored("TRX-1", 9.1, true, 99, "face.match");
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({
            "transactionId": "TRX-1",
            "matchScore": 9.1,
            "quotaLimiter": 99,
            "error": { "errorCode": 6018, "errorMessage": "EKYC Sesuai", "code": "face.match" }
        })
    );
    let no_match = FrAnswer::scored("TRX-2", 3.4, false, 98, "face.no_match");
    assert_eq!(
        serde_json::to_value(&no_match).unwrap(),
        json!({
            "transactionId": "TRX-2",
            "matchScore": 3.4,
            "quotaLimiter": 98,
            "error": { "errorCode": 6019, "errorMessage": "EKYC Tidak Sesuai", "code": "face.no_match" }
        })
    );
}

#[test]
fn keys_come_in_the_wire_order() {
    let text = serde_json::to_string(&FrAnswer::scored("T", 8.0, true, 1, "face.match")).unwrap();
    assert_eq!(
        text,
        r#"{"transactionId":"T","matchScore":8.0,"quotaLimiter":1,"error":{"errorCode":6018,"errorMessage":"EKYC Sesuai","code":"face.match"}}"#
    );
}

#[test]
fn a_failure_serializes_with_a_null_score() {
    let answer = FrAnswer::failed("", FrFailure::IpNotAllowed, 0, "access.denied.ip");
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({
            "transactionId": "",
            "matchScore": null,
            "quotaLimiter": 0,
            "error": { "errorCode": 5003, "errorMessage": "IP tidak diizinkan", "code": "access.denied.ip" }
        })
    );
    assert_eq!(answer.code(), Some(FrCode::Failure(FrFailure::IpNotAllowed)));
    assert_eq!(answer.match_score(), None);
}

#[test]
fn a_search_lists_matches_best_first_and_names_the_best() {
    let matches = vec![
        FrCandidate { nik: "3374011501900002".into(), match_score: 7.2 },
        FrCandidate { nik: "3374011501900001".into(), match_score: 9.1 },
    ];
    let answer = FrAnswer::searched("TRX-3", matches, 50, "face.match");
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({
            "transactionId": "TRX-3",
            "matchScore": 9.1,
            "quotaLimiter": 50,
            "error": { "errorCode": 6018, "errorMessage": "EKYC Sesuai", "code": "face.match" },
            "nik": "3374011501900001",
            "candidates": [
                { "nik": "3374011501900001", "matchScore": 9.1 },
                { "nik": "3374011501900002", "matchScore": 7.2 }
            ]
        })
    );
    assert_eq!(answer.nik(), Some("3374011501900001"));
    let debug = format!("{answer:?}");
    assert!(!debug.contains("3374"), "{debug}");
}

#[test]
fn a_search_that_finds_no_one_says_no_match_with_an_empty_list() {
    let answer = FrAnswer::searched("TRX-4", Vec::new(), 49, "face.no_match");
    assert_eq!(
        serde_json::to_value(&answer).unwrap(),
        json!({
            "transactionId": "TRX-4",
            "matchScore": null,
            "quotaLimiter": 49,
            "error": { "errorCode": 6019, "errorMessage": "EKYC Tidak Sesuai", "code": "face.no_match" },
            "candidates": []
        })
    );
}

#[test]
fn an_answer_reads_back() {
    let answer = FrAnswer::searched("T", vec![FrCandidate { nik: "1".into(), match_score: 8.5 }], 3, "face.match");
    let read: FrAnswer = serde_json::from_str(&serde_json::to_string(&answer).unwrap()).unwrap();
    assert_eq!(read, answer);
    let original: FrAnswer = serde_json::from_value(json!({
        "transactionId": "X", "matchScore": 9.5, "quotaLimiter": 10,
        "error": { "errorCode": 6018, "errorMessage": "EKYC Sesuai", "code": "face.match" }
    }))
    .unwrap();
    assert_eq!(original, FrAnswer::scored("X", 9.5, true, 10, "face.match"));
}

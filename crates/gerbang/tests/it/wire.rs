//! A partner client written against the existing service works unchanged:
//! every request variant of WIRE.md, the answer envelope, and the codes for
//! residents who are not found, deceased, inactive or flagged duplicate.

use serde_json::{Value, json};

use crate::gateway::{Gateway, code, nik_text, row};

async fn post(gateway: &Gateway, path: &str, content_type: &str, auth: Option<(&str, &str)>, body: String) -> Value {
    let mut request =
        reqwest::Client::new().post(format!("{}{path}", gateway.base)).header("content-type", content_type);
    if let Some((user, password)) = auth {
        request = request.basic_auth(user, Some(password));
    }
    let response = request.body(body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn every_request_shape_of_wire_md_is_understood() {
    let gateway = Gateway::start(800).await;
    let login = gateway.login("kemenpppa", "service");
    let (alive, ..) = gateway.residents().await;
    let resident = &alive[5];
    let nik = nik_text(resident.nik);
    let iso = resident.birth_date.format("%Y-%m-%d").to_string();
    let dmy = resident.birth_date.format("%d-%m-%Y").to_string();
    let sex = if resident.sex.label() == "LAKI-LAKI" { "Laki-laki" } else { "Perempuan" };

    // Lower-case keys, a number NIK, TRESHOLD as a number, ISO date, mixed
    // case values, a blank sent as a single space, the broken Content-Type.
    let body = json!({
        "user_id": login.user_id, "password": login.password, "ip_address": "10.1.1.1",
        "nik": resident.nik.value(), "nama_lgkp": resident.full_name.to_lowercase(), "TGL_LHR": iso,
        "JENIS_KLMIN": sex, "TMPT_LHR": " ", "TRESHOLD": 90, "UNKNOWN_KEY": "diabaikan"
    });
    let answer = post(
        &gateway,
        "/dukcapil/get_json/KEMENPPPA/nik_verifby_elemen",
        "application/json,Accept: application/json",
        None,
        body.to_string(),
    )
    .await;
    let row_ = row(&answer);
    assert_eq!(code(&answer), None, "{answer}");
    assert_eq!(row_["NAMA_LGKP"], "Sesuai (100)");
    assert_eq!(row_["TGL_LHR"], "Sesuai");
    assert_eq!(row_["JENIS_KLMIN"], "Sesuai");
    assert!(!row_.contains_key("TMPT_LHR"), "a blank means not supplied");
    assert!(!row_.contains_key("RESPONSE_CODE"), "a success row has no RESPONSE_CODE");
    for key in ["lastPage", "numberOfElements", "sort", "totalElements", "firstPage", "number", "size", "quotaLimiter"]
    {
        assert!(answer.get(key).is_some(), "envelope key {key}");
    }
    assert_eq!(answer["numberOfElements"], 1);

    // Credentials in a Basic header, the older path with a region segment,
    // the customer id as INSTANSI, TRESHOLD as a string, dd-mm-yyyy.
    let plane = gateway.plane().await;
    let customer_id = plane.institution("kemenpppa").unwrap().customer_id.unwrap();
    let body = json!({ "NIK": nik, "TGL_LHR": dmy, "NAMA_LGKP": "NAMA YANG LAIN SAMA SEKALI", "TRESHOLD": "80" });
    let path = format!("/dukcapil/get_json/33-74/{customer_id}/KONEKSITAS_VERIFBY_ELEMEN");
    let answer = post(&gateway, &path, "text/plain", Some((&login.user_id, &login.password)), body.to_string()).await;
    assert_eq!(code(&answer), None, "{answer}");
    assert_eq!(row(&answer)["TGL_LHR"], "Sesuai");
    let name = row(&answer)["NAMA_LGKP"].as_str().unwrap();
    assert!(name.starts_with("Tidak Sesuai ("), "{name}");
    assert!(!answer.to_string().contains(&resident.full_name), "the stored name never leaves");
}

#[tokio::test]
async fn residents_who_are_gone_get_their_own_codes() {
    let gateway = Gateway::start(3000).await;
    let login = gateway.login("lpsk", "service");
    let (_, deceased, inactive, duplicate) = gateway.residents().await;
    for (resident, expected) in [(deceased, "11"), (duplicate, "12"), (inactive, "14")] {
        let resident = resident.expect("the synthetic register has every life status");
        let answer = gateway.compat(&login, "GET_NIK", json!({ "NIK": nik_text(resident.nik) })).await;
        assert_eq!(code(&answer), Some(expected), "{answer}");
        assert_eq!(row(&answer).len(), 3, "an error row carries no data: {answer}");
    }
    let unknown = "3313015512990999";
    let answer = gateway.compat(&login, "BYNIK", json!({ "NIK": unknown })).await;
    assert_eq!(code(&answer), Some("13"));
    assert_eq!(row(&answer)["RESPON"], "Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan");
}

#[tokio::test]
async fn the_audit_trail_records_who_saw_what_and_verifies() {
    let gateway = Gateway::start(800).await;
    let login = gateway.login("lpsk", "service");
    let (alive, ..) = gateway.residents().await;
    let answer = gateway.compat(&login, "CALL_NIK", json!({ "NIK": nik_text(alive[7].nik) })).await;
    assert_eq!(code(&answer), None);
    let key = gateway.state.access.hasher.key(alive[7].nik);
    let records = gateway.store.audit_of_resident(key).await.unwrap();
    assert_eq!(records.len(), 1);
    let record = &records[0].record;
    assert_eq!(record.institution.as_deref(), Some("lpsk"));
    assert_eq!(record.user_id.as_deref(), Some(login.user_id.as_str()));
    assert_eq!(record.outcome, "resident.found");
    assert_eq!(record.source_ip.to_string(), "127.0.0.1");
    let shown: Vec<String> = row(&answer).keys().cloned().collect();
    let recorded: Vec<String> = record.elements.iter().map(|e| e.wire_name().to_owned()).collect();
    let (mut shown, mut recorded) = (shown, recorded);
    shown.sort();
    recorded.sort();
    assert_eq!(recorded, shown, "the record lists exactly the elements that left");

    let output = crate::support::gerbang(&gateway.dir, &["audit", "verify"]);
    assert!(output.status.success(), "{}", crate::support::stderr(&output));
    assert!(crate::support::stdout(&output).contains("rantai utuh"));
}

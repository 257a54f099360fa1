//! Each guard's own error, in the order of SPEC.md §4, on the compatible
//! service and on `/api/v1`; quota exhaustion at exactly the 1,001st hit
//! under concurrent requests; and access cut the moment an agreement ends.

use std::sync::Arc;

use chrono::Days;
use gerbang_core::access::TerminationReason;
use serde_json::json;

use crate::gateway::{Gateway, code, nik_text, noon, row, today};

#[tokio::test]
async fn every_guard_answers_with_its_own_code() {
    let gateway = Gateway::start(800).await;
    let login = gateway.login("kemenpppa", "service");
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let verify = |extra: serde_json::Value| {
        let mut body = json!({ "NIK": nik, "NAMA_LGKP": "x" });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let raw = |body: serde_json::Value| gateway.compat_raw(&login.instansi, "CALL_VERIFY_BY_ELEMEN", body.to_string());

    let answer = raw(verify(json!({}))).await;
    assert_eq!(code(&answer), Some("09"));
    assert_eq!(row(&answer)["RESPON"], "User, password dan IP tidak boleh kosong");
    assert_eq!(row(&answer)["RESPONSE"], row(&answer)["RESPON"]);
    let answer =
        raw(verify(json!({ "USER_ID": login.user_id, "PASSWORD": "salah-sekali!", "IP_USER": "127.0.0.1" }))).await;
    assert_eq!((code(&answer), answer["quotaLimiter"].as_u64()), (Some("03"), Some(0)));
    let answer = gateway
        .compat_raw(
            "BKN",
            "CALL_VERIFY_BY_ELEMEN",
            verify(json!({ "USER_ID": login.user_id, "PASSWORD": login.password })).to_string(),
        )
        .await;
    assert_eq!(code(&answer), Some("03"), "another institution's path is a failed log-in");

    let plane = gateway.plane().await;
    gateway.apply(vec![plane.set_account_active(&login.user_id, false).unwrap()]).await;
    assert_eq!(code(&gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", verify(json!({}))).await), Some("17"));
    gateway
        .apply(vec![
            plane.set_institution_active("kemenpppa", false).unwrap(),
            plane.set_account_active(&login.user_id, true).unwrap(),
        ])
        .await;
    assert_eq!(code(&gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", verify(json!({}))).await), Some("16"));
    let plane = gateway.plane().await;
    gateway
        .apply(vec![
            plane.set_account_active(&login.user_id, true).unwrap(),
            plane.set_institution_active("kemenpppa", true).unwrap(),
        ])
        .await;

    let plane = gateway.plane().await;
    let revoke: Vec<_> = plane
        .networks()
        .iter()
        .filter(|r| r.institution == "kemenpppa")
        .map(|r| plane.revoke_network("kemenpppa", None, r.network).unwrap())
        .collect();
    gateway.apply(revoke).await;
    assert_eq!(code(&gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", verify(json!({}))).await), Some("10"));
    let plane = gateway.plane().await;
    gateway
        .apply(vec![
            plane.allow_network("kemenpppa", None, "127.0.0.0/8".parse().unwrap()).unwrap(),
            plane.allow_network("kemenpppa", Some(&login.user_id), "127.0.0.99/32".parse().unwrap()).unwrap(),
        ])
        .await;
    assert_eq!(code(&gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", verify(json!({}))).await), Some("04"));
    let plane = gateway.plane().await;
    let rule = plane.revoke_network("kemenpppa", Some(&login.user_id), "127.0.0.99/32".parse().unwrap()).unwrap();
    gateway.apply(vec![rule]).await;

    let answer = gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", verify(json!({ "AGAMA": "ISLAM" }))).await;
    assert_eq!(code(&answer), Some("07"), "AGAMA is outside the scope");
    assert!(row(&answer)["RESPON"].as_str().unwrap().contains("AGAMA"));
    let (status, _, answer) = gateway.v1(&login, "call-nik", json!({ "nik": nik })).await;
    assert_eq!((status, answer["code"].as_str()), (403, Some("access.mechanism_not_granted")));
    assert!(answer["operation_id"].as_str().is_some());

    let answer = gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", verify(json!({}))).await;
    assert_eq!(code(&answer), None, "all guards pass again: {answer}");
    assert_eq!(answer["quotaLimiter"], 999);
}

#[tokio::test]
async fn bad_input_gets_its_error_consumes_no_quota_and_is_audited() {
    let gateway = Gateway::start(800).await;
    let login = gateway.login("kemenpppa", "service");
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let with_login = |mut body: serde_json::Value| {
        body["USER_ID"] = json!(login.user_id);
        body["PASSWORD"] = json!(login.password);
        body.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        ("{ not json".into(), "07"),
        ("[1, 2]".into(), "07"),
        (with_login(json!({ "NIK": "331301551299000" })), "15"),
        (with_login(json!({ "NIK": "33130155129900011" })), "15"),
        (with_login(json!({ "NIK": "3313013213990001" })), "15"),
        (with_login(json!({ "NIK": nik, "TGL_LHR": "31-02-1990" })), "07"),
        (with_login(json!({ "NIK": nik, "TRESHOLD": 101 })), "07"),
        (with_login(json!({ "NIK": nik, "TRESHOLD": "tinggi" })), "07"),
        (with_login(json!({ "NIK": nik, "NAMA_LGKP": ["A"] })), "07"),
        (with_login(json!({ "NAMA_LGKP": "A" })), "07"),
        (with_login(json!({ "NIK": nik, "NAMA_LGKP": "x".repeat(70_000) })), "07"),
    ];
    let before = gateway.audit_count().await;
    for (body, expected) in &cases {
        let answer = gateway.compat_raw(&login.instansi, "CALL_VERIFY_BY_ELEMEN", body.clone()).await;
        assert_eq!(code(&answer), Some(*expected), "{}: {answer}", &body[..body.len().min(80)]);
    }
    assert_eq!(gateway.audit_count().await, before + cases.len() as u64, "every request is audited");
    let answer = gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", json!({ "NIK": nik })).await;
    assert_eq!(answer["quotaLimiter"], 999, "no bad request consumed quota: {answer}");

    let (status, _, answer) = gateway.v1(&login, "verify-by-elements", json!({ "nik": "123", "elements": {} })).await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("input.nik_malformed")));
    let (status, _, answer) = gateway.v1(&login, "verify-by-elements", json!({ "nik": nik, "unexpected": 1 })).await;
    assert_eq!((status, answer["code"].as_str()), (400, Some("input.body")));
    let response = reqwest::Client::new()
        .get(format!("{}/dukcapil/get_json/KEMENPPPA/CALL_NIK", gateway.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn the_quota_runs_out_at_exactly_the_1001st_hit_under_concurrency() {
    let gateway = Arc::new(Gateway::start(800).await);
    let login = gateway.login("kemenpppa", "service");
    let (alive, ..) = gateway.residents().await;
    let body = json!({ "NIK": nik_text(alive[1].nik), "JENIS_KLMIN": "LAKI-LAKI" });
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (gateway, login, body) = (Arc::clone(&gateway), login.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let mut codes = Vec::new();
            for _ in 0..65 {
                let answer = gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", body.clone()).await;
                codes.push(code(&answer).map(str::to_owned));
            }
            codes
        }));
    }
    let mut answered = 0;
    let mut exhausted = 0;
    for task in tasks {
        for code in task.await.unwrap() {
            match code.as_deref() {
                None => answered += 1,
                Some("05") => exhausted += 1,
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    assert_eq!((answered, exhausted), (1000, 40), "1,040 requests: 1,000 answered, the rest refused");
    let (status, quota, answer) =
        gateway.v1(&login, "verify-by-elements", json!({ "nik": nik_text(alive[1].nik), "elements": {} })).await;
    assert_eq!((status, quota, answer["code"].as_str()), (429, Some(0), Some("access.quota_exhausted")));
    gateway.clock.set(noon(today().checked_add_days(Days::new(1)).unwrap()));
    let answer = gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", body).await;
    assert_eq!((code(&answer), answer["quotaLimiter"].as_u64()), (None, Some(999)), "a new Jakarta day starts afresh");
}

#[tokio::test]
async fn access_ends_the_moment_the_agreement_does() {
    let gateway = Gateway::start(800).await;
    let login = gateway.login("lpsk", "service");
    let (alive, ..) = gateway.residents().await;
    let call = json!({ "NIK": nik_text(alive[2].nik) });
    assert_eq!(code(&gateway.compat(&login, "CALL_NIK", call.clone()).await), None);
    let plane = gateway.plane().await;
    let agreement = plane.agreements_of("lpsk").next().unwrap().clone();
    gateway.clock.set(noon(agreement.valid_through()));
    assert_eq!(code(&gateway.compat(&login, "CALL_NIK", call.clone()).await), None, "the last day is still in force");
    gateway.clock.set(noon(agreement.valid_through().checked_add_days(Days::new(1)).unwrap()));
    let answer = gateway.compat(&login, "CALL_NIK", call.clone()).await;
    assert_eq!(code(&answer), Some("16"));
    assert!(row(&answer)["RESPON"].as_str().unwrap().contains("Perjanjian"));
    let (status, _, answer) = gateway.v1(&login, "call-nik", json!({ "nik": nik_text(alive[2].nik) })).await;
    assert_eq!((status, answer["code"].as_str()), (403, Some("access.no_agreement_in_force")));

    gateway.clock.set(noon(today()));
    let operator = gateway.login("lpsk", "operator");
    let write = plane.terminate_agreement(&agreement.id, today(), TerminationReason::Breach, "kebocoran data").unwrap();
    gateway.apply(vec![write]).await;
    assert_eq!(
        code(&gateway.compat(&login, "CALL_NIK", call).await),
        Some("16"),
        "termination cuts every account at once"
    );
    let (status, ..) = gateway.v1(&operator, "call-nik", json!({ "nik": nik_text(alive[2].nik) })).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_forwarded_for_header_from_an_untrusted_peer_does_not_open_the_allow_list() {
    let gateway = Gateway::start(300).await;
    let login = gateway.login("lpsk", "service");
    let plane = gateway.plane().await;
    let mut writes: Vec<_> = plane
        .networks()
        .iter()
        .filter(|r| r.institution == "lpsk")
        .map(|r| plane.revoke_network("lpsk", None, r.network).unwrap())
        .collect();
    writes.push(plane.allow_network("lpsk", None, "10.9.9.9/32".parse().unwrap()).unwrap());
    gateway.apply(writes).await;
    let (alive, ..) = gateway.residents().await;
    let body = json!({ "USER_ID": login.user_id, "PASSWORD": login.password, "IP_USER": "10.9.9.9", "NIK": nik_text(alive[0].nik) });
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/dukcapil/get_json/LPSK/CALL_NIK", gateway.base))
        .header("x-forwarded-for", "10.9.9.9")
        .header("x-real-ip", "10.9.9.9")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(code(&answer), Some("10"), "neither the body's IP nor a forwarded header counts: {answer}");
}

#[tokio::test]
async fn behind_a_configured_proxy_the_forwarded_address_is_the_one_checked() {
    let gateway = Gateway::start_with(300, vec!["127.0.0.1/32".parse().unwrap()]).await;
    let login = gateway.login("lpsk", "service");
    let (alive, ..) = gateway.residents().await;
    let body =
        json!({ "USER_ID": login.user_id, "PASSWORD": login.password, "NIK": nik_text(alive[0].nik) }).to_string();
    let send = |forwarded: &'static str| {
        reqwest::Client::new()
            .post(format!("{}/dukcapil/get_json/LPSK/CALL_NIK", gateway.base))
            .header("x-forwarded-for", forwarded)
            .body(body.clone())
            .send()
    };
    let outside: serde_json::Value = send("10.1.2.3").await.unwrap().json().await.unwrap();
    assert_eq!(code(&outside), Some("10"), "the client behind the proxy is not allow-listed: {outside}");
    let spoofed: serde_json::Value = send("127.0.0.1, 10.1.2.3").await.unwrap().json().await.unwrap();
    assert_eq!(code(&spoofed), Some("10"), "only the hop the proxy appended counts: {spoofed}");
    let inside: serde_json::Value = send("::1").await.unwrap().json().await.unwrap();
    assert_eq!(code(&inside), None, "{inside}");
}

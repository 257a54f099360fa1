//! Transparency for residents over real HTTP (issue 8): a partner calls a
//! resident's NIK, the registry issues the resident a one-time code (the
//! console or `gerbang resident code`), and the resident sees exactly that
//! access, by `POST /api/v1/resident/access-history` and on `/portal/warga`,
//! once; wrong codes all get the same refusal and void the code at the
//! limit; every step is in the audit trail.

use gerbang_core::Nik;
use gerbang_core::transparency::MAX_WRONG_CODES;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::gateway::{Gateway, nik_text};
use crate::portal::{Visitor, admin_password};
use crate::support::{gerbang, stderr, stdout};

/// Two residents of the register: one of Karanganyar (region 3313), one
/// from elsewhere when the register has one.
async fn two_residents(gateway: &Gateway) -> (Nik, Nik) {
    let (alive, ..) = gateway.residents().await;
    let first = alive[0].nik;
    let second = alive.iter().map(|r| r.nik).find(|n| *n != first).unwrap();
    (first, second)
}

/// LPSK's service account calls `CALL_NIK` for `nik` through the
/// compatible service; the call is answered with data.
async fn lpsk_calls(gateway: &Gateway, nik: Nik) {
    let lpsk = gateway.login("lpsk", "service");
    let answer = gateway.compat(&lpsk, "CALL_NIK", json!({ "NIK": nik_text(nik) })).await;
    assert_eq!(crate::gateway::code(&answer), None, "{answer}");
}

/// The registry's console, signed in as `admin`.
async fn console(gateway: &Gateway, admin: &str) -> Visitor {
    let mut registry = Visitor::new(gateway);
    let signed = registry.sign_in(admin, &admin_password(gateway, admin)).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    registry
}

/// Issues `nik` a code at the console page; the status and the code shown.
async fn issue_at_console(registry: &mut Visitor, nik: Nik) -> (StatusCode, Option<String>) {
    let form = registry.get("/portal/konsol/kode-warga").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let page = registry.submit("/portal/konsol/kode-warga", &[("nik", &nik_text(nik))]).await;
    let code = page.body.split("id=\"issued-code\">").nth(1).and_then(|rest| rest.split('<').next()).map(str::to_owned);
    (page.status, code)
}

/// The resident's API: status and body.
async fn history(gateway: &Gateway, nik: &str, code: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/resident/access-history", gateway.base))
        .json(&json!({ "nik": nik, "code": code }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// The outcomes recorded after sequence number `after`.
async fn outcomes_after(gateway: &Gateway, after: u64) -> Vec<String> {
    gateway.store.audit_page(after, 100).await.unwrap().into_iter().map(|s| s.record.outcome).collect()
}

#[tokio::test]
async fn a_resident_sees_exactly_the_partner_accesses_to_their_own_data_once() {
    let gateway = Gateway::start(200).await;
    let (first, second) = two_residents(&gateway).await;
    lpsk_calls(&gateway, first).await;
    let kemenpppa = gateway.login("kemenpppa", "service");
    let asked = json!({ "nik": nik_text(second), "threshold": 80, "elements": { "NAMA_LGKP": "budi santoso" } });
    let (status, _, answer) = gateway.v1(&kemenpppa, "verify-by-elements", asked).await;
    assert_eq!(status, 200, "{answer}");

    let mut registry = console(&gateway, "admin-dukcapil").await;
    let before = gateway.audit_count().await;
    let (status, code) = issue_at_console(&mut registry, first).await;
    assert_eq!(status, StatusCode::OK);
    let code = code.expect("the console shows the code once");
    assert_eq!(code.len(), 11, "two groups of five: {code}");

    let (status, body) = history(&gateway, &nik_text(first), &code).await;
    assert_eq!(status, 200, "{body}");
    let accesses = body["accesses"].as_array().unwrap();
    assert_eq!(accesses.len(), 1, "only LPSK's call, not the other resident's check: {body}");
    let access = &accesses[0];
    assert_eq!(access["institution"], "Lembaga Perlindungan Saksi dan Korban");
    assert_eq!((access["mechanism"].as_str(), access["interface"].as_str()), (Some("call_nik"), Some("compat")));
    assert_eq!(access["data_released"], true);
    assert!(access["elements"].as_array().unwrap().contains(&json!("NAMA_LGKP")));
    assert!(access["at"].as_str().unwrap().ends_with("+07:00"), "{access}");
    assert!(access.get("user_id").is_none() && !body.to_string().contains("lpsk-ws"), "no User IDs: {body}");

    let openapi: Value =
        reqwest::get(format!("{}/api/v1/openapi.json", gateway.base)).await.unwrap().json().await.unwrap();
    assert!(openapi["paths"]["/api/v1/resident/access-history"]["post"].is_object());
    assert!(openapi["components"]["schemas"]["AccessHistory"].is_object(), "the answer's shape is documented");

    let (status, again) = history(&gateway, &nik_text(first), &code).await;
    assert_eq!((status, again["code"].as_str()), (401, Some("resident.code_refused")), "a code opens once");
    assert_eq!(
        outcomes_after(&gateway, before).await,
        ["resident_code.issued", "resident.history_shown", "resident_code.used"]
    );

    // The command line issues too, printing the code once; the second
    // resident sees KemenPPPA's check and not LPSK's call of the first.
    let issued = gerbang(&gateway.dir, &["resident", "code", &nik_text(second)]);
    assert!(issued.status.success(), "{}", stderr(&issued));
    let cli_code = stdout(&issued).trim().to_owned();
    let (status, body) = history(&gateway, &nik_text(second), &cli_code.to_lowercase()).await;
    assert_eq!(status, 200, "{body}");
    let institutions: Vec<&str> =
        body["accesses"].as_array().unwrap().iter().map(|a| a["institution"].as_str().unwrap()).collect();
    assert_eq!(institutions, ["Kementerian Pemberdayaan Perempuan dan Perlindungan Anak"]);
}

#[tokio::test]
async fn wrong_codes_get_one_refusal_and_void_the_code_at_the_limit() {
    let gateway = Gateway::start(200).await;
    let (first, _) = two_residents(&gateway).await;
    let mut registry = console(&gateway, "admin-dukcapil").await;
    let (_, code) = issue_at_console(&mut registry, first).await;
    let code = code.unwrap();
    let nik = nik_text(first);

    // Unknown, malformed and code-less NIKs read exactly like a wrong code.
    let (_, unknown) = history(&gateway, "3313010101990999", &code).await;
    let (_, malformed) = history(&gateway, "12345", &code).await;
    let before = gateway.audit_count().await;
    let mut refusals = vec![unknown, malformed];
    for _ in 0..MAX_WRONG_CODES {
        let (status, body) = history(&gateway, &nik, "ZZZZZ-ZZZZZ").await;
        assert_eq!(status, 401);
        refusals.push(body);
    }
    let (status, body) = history(&gateway, &nik, &code).await;
    assert_eq!(status, 401, "the right code opens nothing once the code is void");
    refusals.push(body);
    for refusal in &refusals {
        assert_eq!(refusal["code"], "resident.code_refused", "{refusal}");
        assert_eq!(refusal["message"], refusals[0]["message"]);
    }
    let mut expected = vec!["resident_code.wrong"; MAX_WRONG_CODES as usize - 1];
    expected.extend(["resident_code.voided", "resident_code.void"]);
    assert_eq!(outcomes_after(&gateway, before).await, expected);

    // A new code replaces the void one.
    let (_, fresh) = issue_at_console(&mut registry, first).await;
    assert_eq!(history(&gateway, &nik, &fresh.unwrap()).await.0, 200);

    // A regional office issues codes for its own region's residents only.
    let (alive, ..) = gateway.residents().await;
    let mut karanganyar = console(&gateway, "admin-karanganyar").await;
    if let Some(outside) = alive.iter().map(|r| r.nik).find(|n| !nik_text(*n).starts_with("3313")) {
        let (status, code) = issue_at_console(&mut karanganyar, outside).await;
        assert_eq!((status, code), (StatusCode::FORBIDDEN, None));
    }
    if let Some(inside) = alive.iter().map(|r| r.nik).find(|n| nik_text(*n).starts_with("3313")) {
        let (status, code) = issue_at_console(&mut karanganyar, inside).await;
        assert_eq!(status, StatusCode::OK);
        assert!(code.is_some());
    }
}

#[tokio::test]
async fn the_resident_page_shows_the_table_over_http() {
    let gateway = Gateway::start(200).await;
    let (first, _) = two_residents(&gateway).await;
    lpsk_calls(&gateway, first).await;
    let mut registry = console(&gateway, "admin-dukcapil").await;
    let code = issue_at_console(&mut registry, first).await.1.unwrap();

    let mut resident = Visitor::new(&gateway);
    let form = resident.get("/portal/warga").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.headers["content-security-policy"].to_str().unwrap().contains("default-src 'none'"));
    assert_eq!(form.headers["cache-control"], "no-store");
    assert!(resident.has_cookie("gerbang_warga"), "the form's own token cookie");
    assert!(form.body.contains("id=\"resident-form\"") && form.body.contains("Kode akses"));

    let forged = resident.post("/portal/warga", &[("csrf", "palsu"), ("nik", &nik_text(first)), ("code", &code)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let shown = resident.submit("/portal/warga", &[("nik", &nik_text(first)), ("code", &code)]).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.body.contains("id=\"accesses\""), "{}", shown.body);
    assert!(shown.body.contains("<td class=\"institution\">Lembaga Perlindungan Saksi dan Korban</td>"));
    assert!(shown.body.contains("<td class=\"mechanism\">Akses data berdasarkan NIK</td>"));
    assert!(shown.body.contains("Data diberikan") && shown.body.contains("WIB"));

    let again = resident.submit("/portal/warga", &[("nik", &nik_text(first)), ("code", &code)]).await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    assert!(again.body.contains("id=\"resident-error\"") && !again.body.contains("id=\"accesses\""));
}

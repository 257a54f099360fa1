//! The registry's console beyond agreements: editing a partner's IP
//! allow-list (the guards follow at once) and the obligations page, each
//! change audited and kept to the partners the administrator manages.

use reqwest::StatusCode;

use crate::gateway::Gateway;
use crate::portal::{Visitor, admin_password};

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

async fn karanganyar_console(gateway: &Gateway) -> Visitor {
    let mut registry = Visitor::new(gateway);
    let signed = registry.sign_in("admin-karanganyar", &admin_password(gateway, "admin-karanganyar")).await;
    assert_eq!(signed.location(), "/portal/konsol");
    registry
}

#[tokio::test]
async fn the_console_edits_the_allow_list_and_the_operator_feels_it_at_the_next_page() {
    let gateway = Gateway::start(50).await;
    let operator = gateway.login("bpbd-karanganyar", "operator");
    let mut desk = Visitor::new(&gateway);
    desk.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!(desk.get("/portal").await.status, 200);

    let mut registry = karanganyar_console(&gateway).await;
    let page = registry.get("/portal/konsol/mitra/bpbd-karanganyar").await;
    assert!(page.body.contains("data-network=\"127.0.0.1/32\""), "{}", page.body);
    let path = "/portal/konsol/mitra/bpbd-karanganyar/jaringan";
    let bad = registry.submit(path, &[("action", "allow"), ("network", "10.300.0.0/16"), ("user_id", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"network-error\"") && bad.body.contains("Bukan alamat IP"));
    let foreign =
        registry.submit("/portal/konsol/mitra/bkn/jaringan", &[("action", "allow"), ("network", "10.0.0.0/8")]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "another provider's partner is not there");
    let forged = registry.post(path, &[("csrf", "palsu"), ("action", "revoke"), ("network", "127.0.0.1/32")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let before = gateway.audit_count().await;
    let added = registry.submit(path, &[("action", "allow"), ("network", "10.33.13.0/24"), ("user_id", "")]).await;
    assert_eq!((added.status, added.location()), (StatusCode::SEE_OTHER, "/portal/konsol/mitra/bpbd-karanganyar"));
    let again = registry.submit(path, &[("action", "allow"), ("network", "10.33.13.7/24"), ("user_id", "")]).await;
    assert!(again.body.contains("sudah terdaftar"), "the same block (host bits dropped) is refused");
    for loopback in ["127.0.0.1/32", "::1/128"] {
        let removed = registry.submit(path, &[("action", "revoke"), ("network", loopback), ("user_id", "")]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER);
    }
    let trail = gateway.store.audit_page(before, 10).await.unwrap();
    let outcomes: Vec<&str> = trail.iter().map(|s| s.record.outcome.as_str()).collect();
    assert_eq!(outcomes, ["admin.network_allow", "admin.network_revoke", "admin.network_revoke"]);
    let plane = gateway.plane().await;
    let networks: Vec<String> = plane.institution_networks("bpbd-karanganyar").map(|n| n.to_string()).collect();
    assert_eq!(networks, ["10.33.13.0/24"]);

    let refused = desk.get("/portal").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "the operator's address is no longer allowed");
    assert!(refused.body.contains("IP Client Tidak terdaftar"), "{}", refused.body);
}

#[tokio::test]
async fn the_obligations_page_lists_what_is_owed_overdue_first_and_records_what_was_met() {
    let gateway = Gateway::start(50).await;
    let mut registry = karanganyar_console(&gateway).await;
    let page = registry.get("/portal/konsol/kewajiban").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-kind=\"card_reader\""), "{}", page.body);
    assert!(!page.body.contains("data-agreement=\"bkn-1\""), "a regional administrator sees its partners only");
    let overdue = page.body.find("obligation-overdue").unwrap();
    assert!(page.body.rfind("obligation-overdue").unwrap() < page.body.find("obligation-met").unwrap());
    assert!(overdue < page.body.find("obligation-met").unwrap(), "overdue first, met last");

    let plane = gateway.plane().await;
    let agreement = plane.agreements_of("bpbd-karanganyar").next().unwrap().clone();
    let owed = agreement.obligations.iter().find(|o| o.fulfilled_on.is_none()).unwrap().clone();
    let kind = serde_json::to_value(owed.kind).unwrap().as_str().unwrap().to_owned();
    let due = owed.due_on.to_string();
    let today = crate::gateway::today();
    let tomorrow = (today + chrono::Duration::days(1)).to_string();
    let form = |met_on: String| {
        [("agreement", agreement.id.clone()), ("kind", kind.clone()), ("due_on", due.clone()), ("met_on", met_on)]
    };
    let early = form(tomorrow);
    let refused = registry.submit("/portal/konsol/kewajiban", &borrowed(&early)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"obligation-error\""));

    let before = gateway.audit_count().await;
    let met = form(today.to_string());
    let recorded = registry.submit("/portal/konsol/kewajiban", &borrowed(&met)).await;
    assert_eq!((recorded.status, recorded.location()), (StatusCode::SEE_OTHER, "/portal/konsol/kewajiban"));
    let trail = gateway.store.audit_page(before, 10).await.unwrap();
    assert_eq!(trail[0].record.outcome, "admin.obligation_fulfil");
    let stored = gateway.plane().await;
    let now_met = stored
        .agreement(&agreement.id)
        .unwrap()
        .obligations
        .iter()
        .find(|o| o.kind == owed.kind && o.due_on == owed.due_on)
        .unwrap()
        .clone();
    assert_eq!(now_met.fulfilled_on, Some(today));

    let bkn = plane.agreements_of("bkn").next().unwrap().id.clone();
    let foreign = [("agreement", bkn.as_str()), ("kind", "sptjm"), ("due_on", "2020-01-01"), ("met_on", "2020-01-01")];
    assert_eq!(registry.submit("/portal/konsol/kewajiban", &foreign).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_console_enrols_a_partner_and_files_its_agreement_with_the_scope_ticked_on_the_form() {
    let gateway = Gateway::start(50).await;
    let mut regional = karanganyar_console(&gateway).await;
    let form = regional.get("/portal/konsol/mitra-baru").await;
    assert!(form.body.contains("value=\"disdukcapil-3313\"") && !form.body.contains("value=\"dukcapil\""));
    let under_national = [("code", "bpjs"), ("name", "BPJS Kesehatan"), ("instansi", "BPJS"), ("provider", "dukcapil")];
    let refused = regional.submit("/portal/konsol/mitra-baru", &under_national).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "a regional office enrols under itself only");
    assert!(refused.body.contains("id=\"partner-error\"") && refused.body.contains("value=\"BPJS Kesehatan\""));

    let mut national = Visitor::new(&gateway);
    national.sign_in("admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    national.get("/portal/konsol/mitra-baru").await;
    let taken = [("code", "bpjs"), ("name", "BPJS Kesehatan"), ("instansi", "bkn"), ("provider", "dukcapil")];
    let clash = national.submit("/portal/konsol/mitra-baru", &taken).await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY, "the INSTANSI name is another partner's");
    let created = national.submit("/portal/konsol/mitra-baru", &under_national).await;
    assert_eq!((created.status, created.location()), (StatusCode::SEE_OTHER, "/portal/konsol/mitra/bpjs"));
    let page = national.get("/portal/konsol/mitra/bpjs").await;
    assert!(page.body.contains("data-mechanism=\"verify_by_elements\""));

    let path = "/portal/konsol/mitra/bpjs/perjanjian";
    let base = [
        ("provider_number", "X.1/DUKCAPIL/2026"),
        ("partner_number", "Y.2/BPJS/2026"),
        ("signed_on", "2026-11-01"),
        ("valid_from", "2026-11-01"),
        ("valid_until", "2031-10-31"),
        ("sptjm", "1"),
        ("semester_reports", "1"),
        ("channel-verify_by_elements", "web_service"),
    ];
    let no_elements = national.submit(path, &base).await;
    assert_eq!(no_elements.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_elements.body.contains("id=\"agreement-error\"") && no_elements.body.contains("tidak menyebut elemen"));
    let mut granted = base.to_vec();
    granted.extend([("element-verify_by_elements", "NIK"), ("element-verify_by_elements", "NAMA_LGKP")]);
    let filed = national.submit(path, &granted).await;
    assert_eq!((filed.status, filed.location()), (StatusCode::SEE_OTHER, "/portal/konsol/mitra/bpjs"));

    let plane = gateway.plane().await;
    let agreement = plane.agreements_of("bpjs").next().unwrap();
    assert_eq!(agreement.scope.grants.len(), 1);
    let grant = &agreement.scope.grants[0];
    let elements: Vec<&str> = grant.elements.iter().map(|e| e.wire_name()).collect();
    assert_eq!((grant.mechanism.name(), elements), ("verify_by_elements", vec!["NIK", "NAMA_LGKP"]));
    assert_eq!(agreement.obligations.len(), 1 + 10, "the SPTJM and ten semester reports");
    let trail = gateway.store.audit_page(gateway.audit_count().await - 2, 10).await.unwrap();
    let outcomes: Vec<&str> = trail.iter().map(|s| s.record.outcome.as_str()).collect();
    assert_eq!(outcomes, ["admin.institution_create", "admin.agreement_create"]);
}

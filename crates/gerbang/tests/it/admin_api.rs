//! The administration API of `/api/v1/admin`, the OpenAPI document and the
//! metrics, over HTTP against the real server.

use serde_json::{Value, json};

use crate::gateway::{Gateway, code, nik_text};

#[tokio::test]
async fn a_provider_administrator_runs_a_partner_from_agreement_to_termination() {
    let gateway = Gateway::start(500).await;
    let admin = gateway.admin_token("admin-dukcapil");
    let post = reqwest::Method::POST;
    let (status, answer) = gateway
        .admin(
            post.clone(),
            "institutions",
            &admin,
            json!({ "code": "bpjs", "provider": "dukcapil", "name": "BPJS Kesehatan", "instansi": "BPJS" }),
        )
        .await;
    assert_eq!((status, answer["id"].as_str()), (200, Some("bpjs")), "{answer}");
    let scope = json!({ "grant": [{ "mechanism": "verify_by_elements", "channels": ["web_service"], "elements": ["NIK", "NAMA_LGKP"] }] });
    let agreement = json!({
        "institution": "bpjs", "provider_number": "1/DUKCAPIL/2026", "partner_number": "2/BPJS/2026",
        "signed_on": "2026-01-05", "valid_from": "2026-01-05", "valid_until": "2027-01-04", "scope": scope,
        "obligations": [{ "kind": "sptjm", "due_on": "2026-01-05" }]
    });
    let (status, answer) = gateway.admin(post.clone(), "agreements", &admin, agreement).await;
    assert_eq!((status, answer["id"].as_str()), (200, Some("bpjs-1")), "{answer}");
    let (status, issued) = gateway
        .admin(
            post.clone(),
            "accounts",
            &admin,
            json!({ "user_id": "bpjs-ws", "institution": "bpjs", "role": "service" }),
        )
        .await;
    assert_eq!(status, 200, "{issued}");
    let (status, _) =
        gateway.admin(post.clone(), "networks", &admin, json!({ "institution": "bpjs", "network": "127.0.0.1" })).await;
    assert_eq!(status, 200);

    let (alive, ..) = gateway.residents().await;
    let body = json!({ "USER_ID": "bpjs-ws", "PASSWORD": issued["password"], "NIK": nik_text(alive[0].nik), "NAMA_LGKP": "X" });
    let answer = gateway.compat_raw("BPJS", "CALL_VERIFY_BY_ELEMEN", body.to_string()).await;
    assert_eq!(code(&answer), None, "the new partner works at once: {answer}");

    let (status, _) =
        gateway.admin(reqwest::Method::PATCH, "accounts/bpjs-ws", &admin, json!({ "daily_quota": 5000 })).await;
    assert_eq!(status, 200);
    assert_eq!(gateway.plane().await.account("bpjs-ws").unwrap().daily_quota, 5000);
    let end = json!({ "effective_on": "2026-11-23", "reason": "breach", "note": "data diteruskan ke pihak ketiga" });
    let (status, _) = gateway.admin(post.clone(), "agreements/bpjs-1/termination", &admin, end).await;
    assert_eq!(status, 200);
    let answer = gateway.compat_raw("BPJS", "CALL_VERIFY_BY_ELEMEN", body.to_string()).await;
    assert_eq!(code(&answer), Some("16"), "termination cuts access at once: {answer}");

    let (status, answer) = gateway
        .admin(
            post.clone(),
            "agreements/bpjs-1/addenda",
            &admin,
            json!({ "number": "ADD/1", "signed_on": "2026-11-24", "valid_until": "2028-01-01" }),
        )
        .await;
    assert_eq!((status, answer["code"].as_str()), (409, Some("admin.already_terminated")));
    let (status, answer) = gateway
        .admin(
            post.clone(),
            "institutions",
            &admin,
            json!({ "code": "bpjs", "provider": "dukcapil", "name": "lagi", "instansi": "BPJS2" }),
        )
        .await;
    assert_eq!((status, answer["code"].as_str()), (409, Some("admin.exists")));
}

#[tokio::test]
async fn only_stewards_administer_and_regional_ones_only_their_own_partners() {
    let gateway = Gateway::start(300).await;
    let partner = gateway.login("bkn", "service");
    let (status, answer) = gateway.admin(reqwest::Method::GET, "institutions", &partner.token, Value::Null).await;
    assert_eq!((status, answer["code"].as_str()), (403, Some("access.not_steward")));
    let (status, _) = gateway.admin(reqwest::Method::GET, "institutions", "gb_wrong", Value::Null).await;
    assert_eq!(status, 401);
    let regional = gateway.admin_token("admin-karanganyar");
    let (status, answer) = gateway.admin(reqwest::Method::GET, "institutions", &regional, Value::Null).await;
    assert_eq!(status, 200);
    let codes: Vec<&str> = answer.as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["bpbd-karanganyar"], "a regional provider sees only its own partners");
    let (status, _) =
        gateway.admin(reqwest::Method::PATCH, "institutions/bkn", &regional, json!({ "active": false })).await;
    assert_eq!(status, 403);
    let (status, answer) = gateway
        .admin(reqwest::Method::PATCH, "accounts/bpbd-karanganyar-ws", &regional, json!({ "daily_quota": 2000 }))
        .await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("admin.national_approval_required")));
}

/// Posts `body` as text/plain to `path`, with `token` if any.
async fn post_text(gateway: &Gateway, path: &str, token: Option<&str>, body: &str) -> (u16, Option<String>) {
    let mut request = reqwest::Client::new().post(format!("{}/api/v1/{path}", gateway.base)).body(body.to_owned());
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let answer: Value = response.json().await.unwrap();
    (status, answer["code"].as_str().map(str::to_owned))
}

// Schemathesis found answers the OpenAPI document did not declare (415 for a
// body that is not labelled JSON, 400 for one that is not JSON), given
// before the caller was known.
#[tokio::test]
async fn a_registry_body_is_read_only_for_a_steward_and_an_unreadable_one_is_400() {
    let gateway = Gateway::start(50).await;
    let admin = gateway.admin_token("admin-dukcapil");
    let partner = gateway.login("bkn", "service");
    for path in ["admin/institutions", "admin/networks", "admin/agreements/bkn-1/addenda", "return-data/of-resident"] {
        assert_eq!(
            post_text(&gateway, path, None, "{").await,
            (401, Some("access.credentials_missing".into())),
            "{path}"
        );
        let refused = post_text(&gateway, path, Some(&partner.token), "{").await;
        assert_eq!(refused, (403, Some("access.not_steward".into())), "{path}");
        assert_eq!(post_text(&gateway, path, Some(&admin), "{").await, (400, Some("input.body".into())), "{path}");
        assert_eq!(post_text(&gateway, path, Some(&admin), "{}").await, (400, Some("input.body".into())), "{path}");
    }
}

#[tokio::test]
async fn the_openapi_document_and_the_metrics_are_served() {
    let gateway = Gateway::start(300).await;
    let document: Value =
        reqwest::get(format!("{}/api/v1/openapi.json", gateway.base)).await.unwrap().json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/call-nik",
        "/api/v1/verify-by-elements",
        "/api/v1/nik-kk-check",
        "/api/v1/family-members",
        "/api/v1/admin/agreements",
    ] {
        assert!(document["paths"].get(path).is_some(), "{path} documented");
    }
    assert!(document["components"]["schemas"].get("VerificationAnswer").is_some());
    // Every operation that reads a body says it may answer 400 (unreadable)
    // and 401 (no credentials), as scripts/schemathesis.sh holds it to.
    for (path, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let responses = &operation["responses"];
            assert!(responses.get("401").is_some(), "{method} {path}: 401");
            if operation.get("requestBody").is_some() {
                assert!(responses.get("400").is_some(), "{method} {path}: 400");
            }
        }
    }
    let refusal = &document["paths"]["/api/v1/return-data"]["post"]["responses"]["422"];
    assert_eq!(refusal["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ReturnDataRefusal");

    let login = gateway.login("lpsk", "service");
    gateway.compat(&login, "CALL_NIK", json!({ "NIK": "3313015512990999" })).await;
    let metrics = reqwest::get(format!("{}/metrics", gateway.base)).await.unwrap().text().await.unwrap();
    assert!(
        metrics.contains(r#"gerbang_calls_total{mechanism="call_nik",outcome="resident.not_found"} 1"#),
        "{metrics}"
    );
    assert!(metrics.contains("gerbang_call_latency_seconds_bucket"));
    assert!(metrics.contains("gerbang_quota_rejections_total 0"));
}

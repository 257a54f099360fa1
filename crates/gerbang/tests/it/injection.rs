//! SQL injection in every text field: every JSON body the OpenAPI document
//! describes is sent with each string field (and path parameter) set to
//! classic injection payloads, as are the compatible service's fields and
//! the console's audit search. Nothing may fail with a 5xx, leak a stored
//! secret or a database error, or change the register.

use serde_json::{Map, Value, json};

use crate::gateway::{Gateway, nik_text};
use crate::portal::{Visitor, admin_password};

const PAYLOADS: [&str; 5] = [
    "' OR '1'='1",
    "'; DROP TABLE residents; --",
    "\" OR 1=1 --",
    "1); SELECT pg_sleep(5); --",
    "%' UNION SELECT password_hash, token_hash FROM accounts --",
];

/// What an answer must never carry.
const TELLTALES: [&str; 6] = ["$argon2", "sqlite_master", "syntax error", "SQLSTATE", "no such table", "near \""];

fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.rsplit('/').next().unwrap();
            resolve(document, &document["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// A value of `schema` with every string set to `payload`.
fn poisoned(document: &Value, schema: &Value, payload: &str, depth: u32) -> Value {
    let schema = resolve(document, schema);
    if let Some(first) = schema["oneOf"].as_array().or(schema["anyOf"].as_array()).and_then(|s| s.first()) {
        return poisoned(document, first, payload, depth);
    }
    let kind = schema["type"].as_str().or_else(|| schema["type"][0].as_str()).unwrap_or("object");
    match kind {
        "string" => json!(payload),
        "integer" | "number" => json!(1),
        "boolean" => json!(false),
        "array" if depth < 4 => json!([poisoned(document, &schema["items"], payload, depth + 1)]),
        "object" if depth < 4 => {
            let mut object = Map::new();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                object.insert(name.clone(), poisoned(document, property, payload, depth + 1));
            }
            Value::Object(object)
        }
        _ => Value::Null,
    }
}

fn assert_clean(what: &str, status: u16, body: &str) {
    assert!(status < 500, "{what}: {status} {body}");
    for telltale in TELLTALES {
        assert!(!body.contains(telltale), "{what} answered {telltale:?}: {body}");
    }
}

#[tokio::test]
async fn injection_payloads_in_every_text_field_change_nothing_and_leak_nothing() {
    let gateway = Gateway::start(60).await;
    let (before, ..) = gateway.residents().await;
    let client = reqwest::Client::new();
    let document: Value =
        client.get(format!("{}/api/v1/openapi.json", gateway.base)).send().await.unwrap().json().await.unwrap();
    let admin = gateway.admin_token("admin-dukcapil");
    let partner = gateway.login("lpsk", "service");
    let mut sent = 0;
    for (template, operations) in document["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let Some(schema) = operation["requestBody"]["content"]["application/json"].get("schema") else { continue };
            let token = if template.starts_with("/api/v1/admin") { &admin } else { &partner.token };
            for payload in PAYLOADS {
                let encoded: String = form_urlencoded::byte_serialize(payload.as_bytes()).collect();
                let mut path = template.clone();
                while let (Some(open), Some(close)) = (path.find('{'), path.find('}')) {
                    path.replace_range(open..=close, &encoded);
                }
                let body = poisoned(&document, schema, payload, 0);
                let response = client
                    .request(method.to_uppercase().parse().unwrap(), format!("{}{path}", gateway.base))
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                assert_clean(&format!("{method} {template} with {payload}"), status, &response.text().await.unwrap());
                sent += 1;
            }
        }
    }
    assert!(sent >= 60, "{sent} poisoned bodies");

    // The compatible service: every field of a verification.
    let login = gateway.login("kemenpppa", "service");
    for payload in PAYLOADS {
        let mut body = json!({ "NIK": nik_text(before[0].nik) });
        for field in ["NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "ALAMAT", "NAMA_LGKP_IBU", "TRESHOLD", "NIK"] {
            body[field] = json!(payload);
            let answer = gateway.compat(&login, "CALL_VERIFY_BY_ELEMEN", body.clone()).await;
            assert_clean(&format!("CALL_VERIFY_BY_ELEMEN {field}={payload}"), 200, &answer.to_string());
        }
        let mut wrong = login.clone();
        wrong.user_id = payload.to_owned();
        let answer = gateway.compat(&wrong, "CALL_NIK", json!({ "NIK": nik_text(before[0].nik) })).await;
        assert_eq!(answer["content"][0]["RESPONSE_CODE"], "03", "a User ID of {payload}: {answer}");
    }

    // The console's audit search, every filter.
    let mut console = Visitor::new(&gateway);
    console.sign_in("admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    for payload in PAYLOADS {
        for filter in ["mitra", "user", "dari", "sampai", "hasil"] {
            let query: String =
                form_urlencoded::Serializer::new(String::from("cari=1")).append_pair(filter, payload).finish();
            let page = console.get(&format!("/portal/konsol/audit?{query}")).await;
            assert_clean(&format!("audit search {filter}={payload}"), page.status.as_u16(), &page.body);
        }
    }

    let (after, ..) = gateway.residents().await;
    assert_eq!(after.len(), before.len(), "the register is whole");
    assert!(gateway.store.control_plane().await.is_ok());
    assert!(gateway.store.audit_page(0, 10).await.unwrap().len() == 10, "the trail is readable");
}

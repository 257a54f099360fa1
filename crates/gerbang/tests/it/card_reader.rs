//! KTP-el card readers over real HTTP (SPEC.md §6): Pemasyarakatan's
//! reader and SAM are registered, Ditjen Dukcapil personalizes the SAM
//! (the configuration file carries the only copy of its secret key) and
//! activates it; the partner's system forwards a signed card read, which
//! is accepted once and refused when replayed, tampered with, too old or
//! from another partner's system; a deactivated SAM and, after the
//! agreement is ended, every SAM of the partner are refused with their own
//! codes; the configuration file's return is recorded; all of it is in
//! the audit trail.

use chrono::{DateTime, Duration, Utc};
use gerbang_core::Clock;
use gerbang_core::access::{PartnerDesk, TerminationReason};
use gerbang_core::card_reader::{NewSam, ReaderEvent, SamConfig};
use reqwest::Method;
use serde_json::{Value, json};

use crate::gateway::{Gateway, Login, nik_text, today};
use crate::portal::Visitor;

/// Signs `event` with the configuration file and forwards it as `login`.
async fn forward(gateway: &Gateway, login: &Login, event: &ReaderEvent, config: &SamConfig) -> (u16, Value) {
    let body = json!({
        "sam": event.sam, "reader": event.reader, "counter": event.counter,
        "at": event.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "nik": event.nik, "fingerprint_verified": event.fingerprint_verified,
        "signature": event.sign(config).unwrap(),
    });
    let (status, _, answer) = gateway.v1(login, "card-reader/events", body).await;
    (status, answer)
}

fn read(counter: u64, at: DateTime<Utc>, nik: &str) -> ReaderEvent {
    ReaderEvent {
        sam: "SAM-PAS-0001".into(),
        reader: "RDR-PAS-0001".into(),
        counter,
        at,
        nik: nik.into(),
        fingerprint_verified: true,
    }
}

#[tokio::test]
async fn a_sam_is_personalized_activated_believed_once_and_stops_with_its_agreement() {
    let gateway = Gateway::start(50).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[3].nik);
    let plane = gateway.plane().await;
    let partner = gateway.login("pemasyarakatan", "partner_admin");
    let agreement = plane.agreement_in_force("pemasyarakatan", today()).unwrap().id.clone();
    let desk = PartnerDesk {
        user_id: partner.user_id.clone(),
        institution: "pemasyarakatan".into(),
        institution_name: "Ditjen Pemasyarakatan".into(),
        agreement,
    };
    let now = gateway.clock.now();
    // The partner's administrator registers the reader and its SAM in the portal.
    let mut portal = Visitor::new(&gateway);
    assert_eq!(portal.sign_in(&partner.user_id, &partner.password).await.status, reqwest::StatusCode::SEE_OTHER);
    let empty = portal.get("/portal/mitra/pembaca-kartu").await;
    assert!(empty.body.contains("id=\"no-sams\""), "{}", empty.body);
    let sam =
        |id: &'static str| [("sam", id), ("reader_serial", "RDR-PAS-0001"), ("reader_model", "Pembaca  KTP-el X1")];
    let refused = portal.submit("/portal/mitra/pembaca-kartu", &sam("S 1")).await;
    assert_eq!(refused.status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"sam-error\""), "{}", refused.body);
    let registered = portal.submit("/portal/mitra/pembaca-kartu", &sam("SAM-PAS-0001")).await;
    assert_eq!(registered.status, reqwest::StatusCode::SEE_OTHER, "{}", registered.body);
    let listed = portal.get("/portal/mitra/pembaca-kartu").await;
    assert!(listed.body.contains("data-sam=\"SAM-PAS-0001\" class=\"sam-registered\""), "{}", listed.body);

    let token = gateway.admin_token("admin-dukcapil");
    let service = gateway.login("pemasyarakatan", "service");
    let early = forward(&gateway, &service, &read(1, now, &nik), &dummy_config()).await;
    assert_eq!((early.0, early.1["code"].as_str()), (403, Some("sam.inactive")), "{}", early.1);

    let (status, file) = gateway.admin(Method::POST, "sams/SAM-PAS-0001/personalization", &token, json!({})).await;
    assert_eq!(status, 200, "{file}");
    let config = SamConfig {
        sam: file["sam"].as_str().unwrap().into(),
        reader: file["reader"].as_str().unwrap().into(),
        institution: file["institution"].as_str().unwrap().into(),
        secret_key: file["secret_key"].as_str().unwrap().into(),
        public_key: file["public_key"].as_str().unwrap().into(),
        issued_at: now,
    };
    let stored = serde_json::to_string(gateway.plane().await.sam("SAM-PAS-0001").unwrap()).unwrap();
    assert!(!stored.contains(&config.secret_key), "the secret key is not stored");
    let (status, answer) = gateway.admin(Method::POST, "sams/SAM-PAS-0001/activation", &token, json!({})).await;
    assert_eq!(status, 200, "{answer}");

    let listed = portal.get("/portal/mitra/pembaca-kartu").await;
    assert!(listed.body.contains("class=\"sam-active\""), "the partner sees its SAM active");
    let accepted = forward(&gateway, &service, &read(1, now - Duration::seconds(20), &nik), &config).await;
    assert_eq!((accepted.0, accepted.1["counter"].as_u64()), (200, Some(1)), "{}", accepted.1);
    let replayed = forward(&gateway, &service, &read(1, now - Duration::seconds(20), &nik), &config).await;
    assert_eq!((replayed.0, replayed.1["code"].as_str()), (409, Some("sam.replayed")));
    let stale = forward(&gateway, &service, &read(2, now - Duration::minutes(30), &nik), &config).await;
    assert_eq!(stale.1["code"].as_str(), Some("sam.stale"));
    let mut forged = dummy_config();
    forged.sam = config.sam.clone();
    let tampered = forward(&gateway, &service, &read(3, now, &nik), &forged).await;
    assert_eq!((tampered.0, tampered.1["code"].as_str()), (401, Some("sam.bad_signature")));
    let foreign = forward(&gateway, &gateway.login("lpsk", "service"), &read(4, now, &nik), &config).await;
    assert_eq!(foreign.1["code"].as_str(), Some("sam.foreign"), "{}", foreign.1);
    let mut unknown = read(5, now, &nik);
    unknown.sam = "SAM-LAIN-9999".into();
    assert_eq!(forward(&gateway, &service, &unknown, &config).await.1["code"].as_str(), Some("sam.unknown"));
    let (status, _, body) =
        gateway.v1(&service, "card-reader/events", json!({ "sam": "SAM-PAS-0001", "signature": "bukan base64" })).await;
    assert_eq!((status, body["code"].as_str()), (400, Some("input.body")));
    // Without credentials nothing about the body is answered: 401 comes first
    // (schemathesis found a 422 here).
    let anonymous = reqwest::Client::new()
        .post(format!("{}/api/v1/card-reader/events", gateway.base))
        .json(&json!({ "sam": "SAM-PAS-0001", "reader": "RDR-PAS-0001", "counter": 9, "at": "", "nik": nik,
                       "fingerprint_verified": true, "signature": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status().as_u16(), 401);
    assert_eq!(anonymous.json::<Value>().await.unwrap()["code"].as_str(), Some("access.credentials_missing"));

    let (status, _) = gateway
        .admin(Method::POST, "sams/SAM-PAS-0001/deactivation", &token, json!({ "reason": "pembaca hilang" }))
        .await;
    assert_eq!(status, 200);
    let off = forward(&gateway, &service, &read(6, now, &nik), &config).await;
    assert_eq!((off.0, off.1["code"].as_str()), (403, Some("sam.deactivated")));
    let (status, _) = gateway.admin(Method::POST, "sams/SAM-PAS-0001/config-return", &token, json!({})).await;
    assert_eq!(status, 200);
    assert!(gateway.plane().await.sam("SAM-PAS-0001").unwrap().config_returned.is_some());

    // A second SAM, active, stops the moment the agreement is ended.
    let plane = gateway.plane().await;
    let second =
        NewSam { id: "SAM-PAS-0002".into(), reader_serial: "RDR-PAS-0002".into(), reader_model: "Pembaca".into() };
    gateway.apply(vec![plane.register_sam(&desk, second, now).unwrap()]).await;
    // ... this time worked at the registry's console.
    let national = "admin-dukcapil";
    let mut console = Visitor::new(&gateway);
    let password = crate::portal::admin_password(&gateway, national);
    assert_eq!(console.sign_in(national, &password).await.status, reqwest::StatusCode::SEE_OTHER);
    let listed = console.get("/portal/konsol/pembaca-kartu").await;
    assert!(listed.body.contains("id=\"personalize-SAM-PAS-0002\""), "{}", listed.body);
    let token_field = console.csrf.clone();
    let file = console
        .post("/portal/konsol/pembaca-kartu/SAM-PAS-0002", &[("csrf", token_field.as_str()), ("action", "personalize")])
        .await;
    assert_eq!(file.status, reqwest::StatusCode::OK, "{}", file.body);
    assert!(file.headers["content-disposition"].to_str().unwrap().contains("sam-SAM-PAS-0002.json"));
    let second_config: SamConfig = serde_json::from_str(&file.body).unwrap();
    let activated = console
        .post("/portal/konsol/pembaca-kartu/SAM-PAS-0002", &[("csrf", token_field.as_str()), ("action", "activate")])
        .await;
    assert_eq!(activated.status, reqwest::StatusCode::SEE_OTHER, "{}", activated.body);
    let listed = console.get("/portal/konsol/pembaca-kartu").await;
    assert!(listed.body.contains("data-sam=\"SAM-PAS-0002\" class=\"sam-active\""), "{}", listed.body);
    let mut event = read(1, now, &nik);
    event.sam = "SAM-PAS-0002".into();
    event.reader = "RDR-PAS-0002".into();
    assert_eq!(forward(&gateway, &service, &event, &second_config).await.0, 200);
    let plane = gateway.plane().await;
    let agreement = plane.agreement_in_force("pemasyarakatan", today()).unwrap().id.clone();
    gateway
        .apply(vec![
            plane.terminate_agreement(&agreement, today(), TerminationReason::Breach, "kebocoran data").unwrap(),
        ])
        .await;
    event.counter = 2;
    let ended = forward(&gateway, &service, &event, &second_config).await;
    assert_eq!(ended.0, 403, "{}", ended.1);
    assert!(
        ended.1["code"].as_str().unwrap().starts_with("access."),
        "the service account itself stops first: {}",
        ended.1
    );

    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    let outcomes: Vec<&str> = trail.iter().map(|s| s.record.outcome.as_str()).collect();
    for expected in [
        "reader_event.accepted",
        "reader_event.refused.sam.replayed",
        "reader_event.refused.sam.stale",
        "reader_event.refused.sam.bad_signature",
        "reader_event.refused.sam.foreign",
        "reader_event.refused.sam.deactivated",
        "admin.sam_personalize",
        "admin.sam_activate",
        "admin.sam_deactivate",
        "admin.sam_config_return",
        "admin.sam_register",
        "admin.sam_personalize",
    ] {
        assert!(outcomes.contains(&expected), "{expected} is audited");
    }
    let accepted = trail.iter().find(|s| s.record.outcome == "reader_event.accepted").unwrap();
    assert!(accepted.record.resident.is_some(), "the card's NIK is audited as its keyed hash");
}

/// A configuration file with a key nobody issued.
fn dummy_config() -> SamConfig {
    use base64::Engine;
    SamConfig {
        sam: "SAM-PAS-0001".into(),
        reader: "RDR-PAS-0001".into(),
        institution: "pemasyarakatan".into(),
        secret_key: base64::engine::general_purpose::STANDARD.encode([5u8; 32]),
        public_key: String::new(),
        issued_at: DateTime::UNIX_EPOCH,
    }
}

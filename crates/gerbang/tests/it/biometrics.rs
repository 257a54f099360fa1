//! Biometrics over real HTTP (SPEC.md §4.5, §4.6), with the real dlib face
//! models and NBIS on real and synthetic images:
//!
//! - Pemasyarakatan's service account identifies a synthetic resident by
//!   an impression of their finger that was never enrolled; a stranger's
//!   finger is "not found"; a partner without the grant is refused.
//! - Ditjen Dukcapil enrols a real face photo for a synthetic resident
//!   through the v1 admin API; Pemasyarakatan finds that resident from
//!   another photo of the same person (1:N) and confirms it (1:1); LPSK
//!   retrieves the photo, which Pemasyarakatan may not.
//! - Hostile input (base64 that is not, a PDF, a truncated JPEG, a
//!   30,000 × 30,000 PNG, a photo of two people, a template of 300
//!   minutiae) gets its own error, costs no quota, and is audited.

use base64::Engine as _;
use gerbang_biometrics::image_input::encode_png;
use gerbang_biometrics::synthetic_fingerprint::{SyntheticFinger, resident_seed};
use reqwest::Method;
use serde_json::{Value, json};

use gerbang_core::Clock;
use gerbang_core::access::provider_key::rand_core::OsRng;
use gerbang_core::access::seal_field;

use crate::gateway::{Gateway, Login, nik_text, today};
use crate::portal::{Visitor, admin_password};
use crate::support::{biometrics_data, stderr, stdout};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Impression `index` of the synthetic right index finger of `nik`, as PNG.
fn synthetic_impression(nik: &str, index: u32) -> Vec<u8> {
    let finger = SyntheticFinger::new(resident_seed(nik, gerbang::SYNTHETIC_FINGER));
    encode_png(&finger.impression(index)).unwrap()
}

/// A refused call: its status and code, and that it cost nothing.
async fn refused(gateway: &Gateway, login: &Login, path: &str, body: Value, status: u16, code: &str) {
    let used = || gateway.store.quota_used(&login.user_id, today());
    let before = used().await.unwrap();
    let (got, _, answer) = gateway.v1(login, path, body).await;
    assert_eq!((got, answer["code"].as_str()), (status, Some(code)), "{answer}");
    assert_eq!(used().await.unwrap(), before, "a refused {path} costs no quota");
}

#[tokio::test]
async fn pemasyarakatan_identifies_an_enrolled_synthetic_fingerprint_and_nobody_else() {
    let gateway = Gateway::start_with_biometrics(40).await;
    let enrolled = gerbang::enrol_synthetic(&gateway.store, 4, 3, gateway.clock.now()).await.unwrap();
    assert_eq!(enrolled, 4);
    gateway.state.biometrics.reload(gateway.store.as_ref()).await.unwrap();
    assert_eq!(gateway.state.biometrics.counts().fingers, 4);
    let fingers = gateway.store.fingerprint_enrolments().await.unwrap();
    let target = nik_text(fingers[2].nik);
    let pas = gateway.login("pemasyarakatan", "service");

    // Impression 3 was never enrolled (0, 1, 2 were).
    let probe = b64(&synthetic_impression(&target, 3));
    let (status, quota, answer) = gateway.v1(&pas, "fingerprint/identify", json!({"image": probe})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["outcome"], "found");
    assert_eq!(answer["nik"], target);
    assert_eq!(answer["finger"], 2);
    assert!(answer["score"].as_u64().unwrap() >= 34, "{answer}");
    assert!(quota.is_some());

    // The same finger as an ISO template.
    let template = gerbang_biometrics::fingerprint::extract(&synthetic_impression(&target, 4)).unwrap().to_iso();
    let (_, _, answer) = gateway.v1(&pas, "fingerprint/identify", json!({"template": b64(&template)})).await;
    assert_eq!((answer["outcome"].as_str(), answer["nik"].as_str()), (Some("found"), Some(target.as_str())));

    // Someone nobody enrolled.
    let stranger = b64(&synthetic_impression("3313019999990001", 0));
    let (status, _, answer) = gateway.v1(&pas, "fingerprint/identify", json!({"image": stranger})).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("not_found")), "{answer}");
    assert_eq!(answer["nik"], Value::Null);

    // Hostile input: its own code, no quota spent.
    refused(&gateway, &pas, "fingerprint/identify", json!({"image": "bukan base64 !!"}), 422, "input.not_base64").await;
    let pdf = b64(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF");
    refused(&gateway, &pas, "fingerprint/identify", json!({"image": pdf}), 422, "image.not_an_image").await;
    let bomb = b64(&gerbang_biometrics::hostile::png_declaring(30_000, 30_000, 0));
    refused(&gateway, &pas, "fingerprint/identify", json!({"image": bomb}), 422, "image.too_large").await;
    refused(
        &gateway,
        &pas,
        "fingerprint/identify",
        json!({"template": b64(&template_of_300_minutiae())}),
        422,
        "fingerprint.bad_template",
    )
    .await;
    refused(&gateway, &pas, "fingerprint/identify", json!({}), 422, "input.value").await;

    // KemenPPPA's agreement grants no fingerprint identification.
    let kemenpppa = gateway.login("kemenpppa", "service");
    let (status, _, answer) = gateway.v1(&kemenpppa, "fingerprint/identify", json!({"image": probe})).await;
    assert_eq!(status, 403, "{answer}");

    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    let identified: Vec<_> = trail.iter().filter(|s| s.record.outcome == "fingerprint.found").collect();
    assert_eq!(identified.len(), 2);
    assert!(identified.iter().all(|s| s.record.resident.is_some()), "the identified NIK is audited as its keyed hash");
    for code in [
        "fingerprint.not_found",
        "input.not_base64",
        "image.not_an_image",
        "image.too_large",
        "fingerprint.bad_template",
    ] {
        assert!(trail.iter().any(|s| s.record.outcome == code), "{code} is audited");
    }
    assert!(!trail.iter().any(|s| s.record.outcome.contains(&target)), "no plain NIK in the trail");
}

/// An ISO/IEC 19794-2 record that declares and carries 300 minutiae (the
/// count byte can say at most 255; this one says 44 and carries 300).
fn template_of_300_minutiae() -> Vec<u8> {
    let records = 300;
    let total = 24 + 4 + records * 6 + 2;
    let mut out = b"FMR\0 20\0".to_vec();
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&[0, 0, 0x01, 0x2c, 0x01, 0x90, 0, 197, 0, 197, 1, 0]);
    out.extend_from_slice(&[1, 0, 60, 44]);
    for i in 0..records {
        out.extend_from_slice(&((i * 7 % 290) as u16 | 0x4000).to_be_bytes());
        out.extend_from_slice(&((i * 13 % 390) as u16).to_be_bytes());
        out.extend_from_slice(&[(i * 37 % 256) as u8, (i % 100) as u8]);
    }
    out.extend_from_slice(&[0, 0]);
    out
}

#[tokio::test]
async fn a_face_enrolled_by_the_registry_is_found_confirmed_and_shown_only_where_granted() {
    let Some(data) = biometrics_data() else { return };
    let faces = data.join("faces/deepface");
    let photo = |name: &str| std::fs::read(faces.join(name)).unwrap();
    let gateway = Gateway::start_with_biometrics(40).await;
    let (alive, deceased, ..) = gateway.residents().await;
    let (person, other) = (nik_text(alive[5].nik), nik_text(alive[6].nik));
    let token = gateway.admin_token("admin-dukcapil");

    // Ditjen Dukcapil enrols img20 for one resident and img16 for another.
    let enrolled = photo("img20.jpg");
    let (status, answer) =
        gateway.admin(Method::PUT, &format!("residents/{person}/face"), &token, json!({"image": b64(&enrolled)})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["faces"], 1);
    let (status, _) = gateway
        .admin(Method::PUT, &format!("residents/{other}/face"), &token, json!({"image": b64(&photo("img16.jpg"))}))
        .await;
    assert_eq!(status, 200);
    // A photo of two people, and a NIK not in the register, are refused.
    let (status, answer) = gateway
        .admin(Method::PUT, &format!("residents/{other}/face"), &token, json!({"image": b64(&photo("couple.jpg"))}))
        .await;
    assert_eq!((status, answer["code"].as_str()), (422, Some("face.many_faces")), "{answer}");
    let (status, answer) =
        gateway.admin(Method::PUT, "residents/3313015501999999/face", &token, json!({"image": b64(&enrolled)})).await;
    assert_eq!((status, answer["code"].as_str()), (404, Some("resident.not_found")), "{answer}");
    // A partner's token may not enrol.
    let pas = gateway.login("pemasyarakatan", "service");
    let (status, _) = gateway
        .admin(Method::PUT, &format!("residents/{person}/face"), &pas.token, json!({"image": b64(&enrolled)}))
        .await;
    assert_eq!(status, 403);

    // 1:N from another photo of the same person.
    let probe = b64(&photo("img21.jpg"));
    let (status, _, answer) = gateway.v1(&pas, "face/search", json!({"image": probe})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["outcome"], "found");
    assert_eq!(answer["candidates"][0]["nik"], person.as_str(), "{answer}");
    assert!(answer["candidates"].as_array().unwrap().iter().all(|c| c["nik"] != other.as_str()), "{answer}");
    // 1:1 confirms it, and not for the other resident.
    let (_, _, answer) = gateway.v1(&pas, "face/match", json!({"nik": person, "image": probe})).await;
    assert_eq!(answer["outcome"], "match", "{answer}");
    assert!(answer["similarity"].as_f64().unwrap() >= 50.0);
    let (_, _, answer) = gateway.v1(&pas, "face/match", json!({"nik": other, "image": probe})).await;
    assert_eq!(answer["outcome"], "no_match", "{answer}");
    if let Some(deceased) = deceased {
        let (_, _, answer) =
            gateway.v1(&pas, "face/match", json!({"nik": nik_text(deceased.nik), "image": probe})).await;
        assert_eq!(answer["outcome"], "deceased", "{answer}");
    }

    // The photo itself: LPSK's agreement grants it, Pemasyarakatan's does not.
    let lpsk = gateway.login("lpsk", "service");
    let (status, _, answer) = gateway.v1(&lpsk, "photo", json!({"nik": person})).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("found")), "{answer}");
    assert_eq!(answer["media_type"], "image/jpeg");
    assert_eq!(answer["image"].as_str().unwrap(), b64(&enrolled));
    let (status, _, answer) = gateway.v1(&lpsk, "photo", json!({"nik": nik_text(alive[7].nik)})).await;
    assert_eq!((status, answer["outcome"].as_str()), (200, Some("not_enrolled")), "{answer}");
    let (status, _, _) = gateway.v1(&pas, "photo", json!({"nik": person})).await;
    assert_eq!(status, 403);
    // LPSK's operator sees it in the portal too (granted there as well).
    let operator = gateway.login("lpsk", "operator");
    let mut portal = Visitor::new(&gateway);
    portal.sign_in(&operator.user_id, &operator.password).await;
    let home = portal.get("/portal").await;
    assert!(home.body.contains("/portal/foto"), "{}", home.body);
    portal.get("/portal/foto").await;
    let shown = portal.submit("/portal/foto", &[("nik", &person)]).await;
    let inline = format!("src=\"data:image/jpeg;base64,{}\"", b64(&enrolled));
    assert!(
        shown.body.contains("id=\"photo\"") && shown.body.contains(&inline),
        "{}",
        &shown.body[..shown.body.len().min(2000)]
    );

    // Hostile photos.
    let truncated = &enrolled[..enrolled.len() / 2];
    refused(&gateway, &pas, "face/search", json!({"image": b64(truncated)}), 422, "image.corrupt").await;
    let bomb = b64(&gerbang_biometrics::hostile::png_declaring(30_000, 30_000, 2));
    refused(&gateway, &pas, "face/search", json!({"image": bomb}), 422, "image.too_large").await;
    refused(&gateway, &pas, "face/search", json!({"image": "%%%"}), 422, "input.not_base64").await;
    refused(&gateway, &pas, "face/search", json!({"image": b64(&photo("couple.jpg"))}), 422, "face.many_faces").await;
    refused(
        &gateway,
        &pas,
        "face/match",
        json!({"nik": person, "image": probe, "threshold": 120.0}),
        422,
        "input.value",
    )
    .await;

    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    let outcomes: Vec<&str> = trail.iter().map(|s| s.record.outcome.as_str()).collect();
    for code in [
        "admin.face_enrolled",
        "face.found",
        "face.match",
        "face.no_match",
        "photo.found",
        "photo.not_enrolled",
        "image.corrupt",
        "face.many_faces",
    ] {
        assert!(outcomes.contains(&code), "{code} is audited");
    }
    let found = trail.iter().find(|s| s.record.outcome == "face.found").unwrap();
    assert_eq!(found.record.resident, Some(gateway.state.access.hasher.key(alive[5].nik)), "the found NIK is audited");
}

/// A `CALL_FR` body as a partner's existing client sends it: `nik`,
/// `user_id` and `password` sealed with the provider's public key.
fn call_fr_body(public_key: &str, login: &Login, nik: &str, image: &str, threshold: Value) -> Value {
    let seal = |text: &str| seal_field(public_key, text, &mut OsRng).unwrap();
    json!({
        "transactionId": "TRX-0001", "transactionSource": "SDP-LAPAS", "customer_id": login.instansi,
        "nik": if nik.is_empty() { String::new() } else { seal(nik) },
        "user_id": seal(&login.user_id), "password": seal(&login.password), "ip": "127.0.0.1",
        "threshold": threshold, "image": image, "template": "", "type": "Face", "position": "F",
    })
}

async fn call_fr(gateway: &Gateway, login: &Login, body: &Value) -> Value {
    let url = format!("{}/api/face-recognition/dukcapil/{}/CALL_FR", gateway.base, login.instansi);
    let response = reqwest::Client::new().post(url).json(body).send().await.unwrap();
    assert_eq!(response.status(), 200, "business answers are HTTP 200");
    response.json().await.unwrap()
}

fn error_code(answer: &Value) -> (u64, &str) {
    (answer["error"]["errorCode"].as_u64().unwrap(), answer["error"]["code"].as_str().unwrap())
}

#[tokio::test]
async fn call_fr_confirms_and_finds_a_face_with_sealed_credentials() {
    let Some(data) = biometrics_data() else { return };
    let faces = data.join("faces/deepface");
    let photo = |name: &str| b64(&std::fs::read(faces.join(name)).unwrap());
    let gateway = Gateway::start_with_biometrics(40).await;
    let (alive, ..) = gateway.residents().await;
    let (person, other) = (nik_text(alive[2].nik), nik_text(alive[9].nik));
    let token = gateway.admin_token("admin-dukcapil");
    assert_eq!(
        gateway
            .admin(Method::PUT, &format!("residents/{person}/face"), &token, json!({"image": photo("img20.jpg")}))
            .await
            .0,
        200
    );
    assert_eq!(
        gateway
            .admin(Method::PUT, &format!("residents/{other}/face"), &token, json!({"image": photo("img16.jpg")}))
            .await
            .0,
        200
    );
    let public_key =
        reqwest::get(format!("{}/api/face-recognition/public-key", gateway.base)).await.unwrap().text().await.unwrap();
    assert!(public_key.starts_with("-----BEGIN PUBLIC KEY-----"), "{public_key}");
    let pas = gateway.login("pemasyarakatan", "service");
    let probe = photo("img21.jpg");

    // 1:1 with the NIK sealed, threshold as a string on the 0–10 scale.
    let answer = call_fr(&gateway, &pas, &call_fr_body(&public_key, &pas, &person, &probe, json!("5"))).await;
    assert_eq!(error_code(&answer), (6018, "face.match"), "{answer}");
    assert_eq!(answer["error"]["errorMessage"], "EKYC Sesuai");
    assert_eq!(answer["transactionId"], "TRX-0001");
    assert!(answer["matchScore"].as_f64().unwrap() >= 5.0, "{answer}");
    assert!(answer["quotaLimiter"].as_u64().unwrap() < 1000);
    let answer = call_fr(&gateway, &pas, &call_fr_body(&public_key, &pas, &other, &probe, json!(5))).await;
    assert_eq!(error_code(&answer), (6019, "face.no_match"), "{answer}");

    // 1:N: no NIK; the answer names the enrolled resident.
    let answer = call_fr(&gateway, &pas, &call_fr_body(&public_key, &pas, "", &probe, json!(5))).await;
    assert_eq!(error_code(&answer), (6018, "face.found"), "{answer}");
    assert_eq!(answer["nik"], person.as_str());
    assert_eq!(answer["candidates"][0]["nik"], person.as_str());

    // Failures, each with its code; none costs quota.
    let before = gateway.store.quota_used(&pas.user_id, today()).await.unwrap();
    let mut body = call_fr_body(&public_key, &pas, &person, &probe, json!(5));
    body["password"] = json!(b64(b"not sealed at all"));
    assert_eq!(error_code(&call_fr(&gateway, &pas, &body).await), (5006, "sealed_field.undecryptable"));
    let wrong = Login { password: "salah-sekali".into(), ..pas.clone() };
    let body = call_fr_body(&public_key, &wrong, &person, &probe, json!(5));
    assert_eq!(error_code(&call_fr(&gateway, &pas, &body).await), (5001, "access.login_failed"));
    let body = call_fr_body(&public_key, &pas, &person, &probe, json!("12"));
    assert_eq!(error_code(&call_fr(&gateway, &pas, &body).await), (5005, "input.threshold"));
    let pdf = b64(b"%PDF-1.4\n%%EOF");
    let body = call_fr_body(&public_key, &pas, &person, &pdf, json!(5));
    assert_eq!(error_code(&call_fr(&gateway, &pas, &body).await), (6015, "image.not_an_image"));
    let body = call_fr_body(&public_key, &pas, "3313015501999999", &probe, json!(5));
    assert_eq!(error_code(&call_fr(&gateway, &pas, &body).await).0, 6020);
    let response = reqwest::Client::new()
        .post(format!("{}/api/face-recognition/dukcapil/{}/CALL_FR", gateway.base, pas.instansi))
        .body("{not json")
        .send()
        .await
        .unwrap();
    let answer: Value = response.json().await.unwrap();
    assert_eq!(error_code(&answer).0, 6006, "{answer}");
    assert_eq!(
        gateway.store.quota_used(&pas.user_id, today()).await.unwrap(),
        before + 1,
        "only the 6020 look-up was charged"
    );

    // KemenPPPA's agreement grants no face mechanism.
    let kemenpppa = gateway.login("kemenpppa", "service");
    let answer = call_fr(&gateway, &kemenpppa, &call_fr_body(&public_key, &kemenpppa, "", &probe, json!(5))).await;
    assert_eq!(error_code(&answer), (5004, "access.mechanism_not_granted"), "{answer}");
}

#[tokio::test]
async fn the_console_enrols_a_face_and_a_finger_that_the_web_service_then_finds() {
    let Some(data) = biometrics_data() else { return };
    let faces = data.join("faces/deepface");
    let gateway = Gateway::start_with_biometrics(40).await;
    let (alive, ..) = gateway.residents().await;
    let person = nik_text(alive[4].nik);
    let mut console = Visitor::new(&gateway);
    console.sign_in("admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    let page = console.get("/portal/konsol/biometrik").await;
    assert!(page.body.contains("id=\"faces-count\">0<"), "{}", page.body);

    // A PDF is refused with the reason, and nothing is enrolled.
    let (status, _, body) =
        console.post_file("/portal/konsol/biometrik/wajah", &[("nik", &person)], "ktp.pdf", b"%PDF-1.4\n%%EOF").await;
    let body = String::from_utf8(body).unwrap();
    assert_eq!(status, 422);
    assert!(body.contains("id=\"enrol-error\"") && body.contains("bukan gambar"), "{body}");
    assert_eq!(gateway.store.biometric_counts().await.unwrap().faces, 0);

    let photo = std::fs::read(faces.join("img22.jpg")).unwrap();
    let (status, _, body) =
        console.post_file("/portal/konsol/biometrik/wajah", &[("nik", &person)], "img22.jpg", &photo).await;
    let body = String::from_utf8(body).unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("id=\"enrol-done\"") && body.contains("id=\"faces-count\">1<"), "{body}");

    let impression = synthetic_impression(&person, 0);
    let fields = [("nik", person.as_str()), ("finger", "2"), ("kind", "image")];
    let (status, _, body) =
        console.post_file("/portal/konsol/biometrik/sidik-jari", &fields, "telunjuk.png", &impression).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));

    // The web service finds both at once: the engine was updated in place.
    let pas = gateway.login("pemasyarakatan", "service");
    let probe = b64(&std::fs::read(faces.join("img23.jpg")).unwrap());
    let (_, _, answer) = gateway.v1(&pas, "face/search", json!({"image": probe})).await;
    assert_eq!(answer["candidates"][0]["nik"], person.as_str(), "{answer}");
    let probe = b64(&synthetic_impression(&person, 3));
    let (_, _, answer) = gateway.v1(&pas, "fingerprint/identify", json!({"image": probe})).await;
    assert_eq!((answer["outcome"].as_str(), answer["nik"].as_str()), (Some("found"), Some(person.as_str())));

    // A regional office enrols only its own region's residents.
    let mut regional = Visitor::new(&gateway);
    regional.sign_in("admin-karanganyar", &admin_password(&gateway, "admin-karanganyar")).await;
    regional.get("/portal/konsol/biometrik").await;
    let (status, _, body) =
        regional.post_file("/portal/konsol/biometrik/wajah", &[("nik", "3374015501990001")], "img22.jpg", &photo).await;
    assert_eq!(status, 422);
    assert!(String::from_utf8(body).unwrap().contains("di luar wilayah"));

    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    let enrolments: Vec<_> = trail
        .iter()
        .filter(|s| {
            s.record.interface == "portal"
                && s.record.outcome.starts_with("admin.")
                && s.record.outcome.ends_with("_enrolled")
        })
        .collect();
    assert_eq!(enrolments.len(), 2, "face and finger enrolments are audited");
    assert!(enrolments.iter().all(|s| s.record.resident == Some(gateway.state.access.hasher.key(alive[4].nik))));
}

#[test]
fn gerbang_enrol_stores_faces_and_fingers_and_refuses_what_is_not_one() {
    let Some(data) = biometrics_data() else { return };
    let work = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_gerbang"))
            .args(args)
            .arg("--data-dir")
            .arg(work.path())
            .env("GERBANG_FACE_MODELS", crate::support::face_models())
            .env_remove("GERBANG_CONFIG")
            .env_remove("GERBANG_DATABASE_URL")
            .output()
            .unwrap()
    };
    assert!(run(&["seed", "--residents", "30", "--seed", "3"]).status.success());
    let health = rusqlite::Connection::open(work.path().join("gerbang.sqlite3")).unwrap();
    let nik: i64 = health.query_row("select nik from residents order by nik limit 1", [], |r| r.get(0)).unwrap();
    let nik = nik.to_string();

    let photo = data.join("faces/deepface/img20.jpg");
    let face = run(&["enrol", "face", "--nik", &nik, "--photo", photo.to_str().unwrap()]);
    assert!(face.status.success(), "{}", stderr(&face));
    assert!(stdout(&face).contains("Wajah terdaftar"));

    // One impression as WSQ (FVC2002 DB1_B 101_1 as NIST NBIS compressed
    // it, gerbang-wsq's fixture), the other as the FVC TIFF.
    let fvc = data.join("fingerprints/fvc2002/DB1_B");
    let wsq = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsq/fixtures/db1_101_1_r075.wsq");
    let (a, b) = (wsq, fvc.join("101_2.tif"));
    let finger = run(&[
        "enrol",
        "fingerprint",
        "--nik",
        &nik,
        "--finger",
        "7",
        "--image",
        a.to_str().unwrap(),
        "--image",
        b.to_str().unwrap(),
    ]);
    assert!(finger.status.success(), "{}", stderr(&finger));
    assert!(stdout(&finger).contains("2 rekaman"), "{}", stdout(&finger));

    let not_a_print = data.join("faces/deepface/img21.jpg");
    let refused = run(&["enrol", "fingerprint", "--nik", &nik, "--image", not_a_print.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("[fingerprint.low_quality]"), "{}", stderr(&refused));
    let two_faces = data.join("faces/deepface/couple.jpg");
    let refused = run(&["enrol", "face", "--nik", &nik, "--photo", two_faces.to_str().unwrap()]);
    assert!(stderr(&refused).contains("[face.many_faces]"), "{}", stderr(&refused));

    let synthetic = run(&["enrol", "synthetic-fingerprints", "--residents", "2"]);
    assert!(synthetic.status.success(), "{}", stderr(&synthetic));
    assert!(stdout(&synthetic).contains("untuk 2 penduduk"), "{}", stdout(&synthetic));
    let counts: (i64, i64) = health
        .query_row("select (select count(*) from faces), (select count(*) from fingerprint_impressions)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(counts, (1, 2 + 2 * 3), "one face; 2 FVC impressions and two synthetic fingers of 3");
}

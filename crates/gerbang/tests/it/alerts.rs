//! Canary residents and the detectors, end to end: a partner touching a
//! canary gets the answer any resident gets while an alert is stored and
//! shown to the national administrator (API, console page, navigation
//! count, CLI) and not to a regional one; sequential scanning, runs of
//! "tidak ditemukan" and bulk access at night each raise one alert of their
//! kind at their threshold and not one call before.

use chrono::{Days, NaiveDate};
use gerbang_core::alert::detect::{NOT_FOUND_THRESHOLD, OFF_HOURS_THRESHOLD, SEQUENTIAL_THRESHOLD};
use gerbang_core::vocab::JenisKelamin;
use gerbang_core::{Clock, Nik};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::gateway::{Gateway, Login, nik_text, noon, today};
use crate::portal::{Visitor, admin_password};
use crate::support::{gerbang, stderr, stdout};

/// The alerts the administrator `user_id` sees through the API.
async fn alerts(gateway: &Gateway, user_id: &str) -> Vec<Value> {
    let (status, body) = gateway.admin(Method::GET, "alerts", &gateway.admin_token(user_id), Value::Null).await;
    assert_eq!(status, 200, "{body}");
    body.as_array().unwrap().clone()
}

fn kinds(alerts: &[Value]) -> Vec<&str> {
    alerts.iter().map(|a| a["kind"].as_str().unwrap()).collect()
}

async fn call_nik(gateway: &Gateway, login: &Login, nik: Nik) -> Value {
    let (status, _, answer) = gateway.v1(login, "call-nik", json!({ "nik": nik_text(nik) })).await;
    assert_eq!(status, 200, "{answer}");
    answer
}

/// The keys of a JSON object, sorted.
fn keys(value: &Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_canary_answers_like_anyone_and_raises_an_alert_only_its_steward_sees() {
    let gateway = Gateway::start(60).await;
    let planted = gerbang::ensure_demo_canaries(&gateway.store, gateway.clock.now()).await.unwrap();
    assert!(planted.planted >= 1, "{planted:?}");
    let again = gerbang::ensure_demo_canaries(&gateway.store, gateway.clock.now()).await.unwrap();
    assert_eq!((again.planted, again.reused), (0, planted.planted), "a second demo run reuses them");
    gateway.apply(Vec::new()).await;
    let canaries = gateway.store.canaries().await.unwrap();
    let canary = canaries[0].nik;
    let (resident, _) = gateway.store.resident(canary).await.unwrap().expect("the canary is in the register");
    assert!(resident.life.active && !resident.life.is_deceased() && !resident.life.duplicate);
    let (alive, ..) = gateway.residents().await;
    let ordinary = alive.iter().find(|r| canaries.iter().all(|c| c.nik != r.nik)).unwrap().nik;

    let lpsk = gateway.login("lpsk", "service");
    let before = gateway.audit_count().await;
    let touched = call_nik(&gateway, &lpsk, canary).await;
    let normal = call_nik(&gateway, &lpsk, ordinary).await;
    assert_eq!(keys(&touched), keys(&normal), "the same shape as any resident's answer");
    assert_eq!(touched["outcome"], normal["outcome"]);
    let compat = gateway.compat(&lpsk, "CALL_NIK", json!({ "NIK": nik_text(canary) })).await;
    let compat_normal = gateway.compat(&lpsk, "CALL_NIK", json!({ "NIK": nik_text(ordinary) })).await;
    assert_eq!(keys(&compat["content"][0]), keys(&compat_normal["content"][0]));
    assert_eq!(crate::gateway::code(&compat), None);
    assert_eq!(gateway.audit_count().await, before + 4, "every call is audited as usual");

    let national = alerts(&gateway, "admin-dukcapil").await;
    assert_eq!(kinds(&national), ["canary"], "{national:?}");
    let alert = &national[0];
    assert_eq!((alert["institution"].as_str(), alert["user_id"].as_str()), (Some("lpsk"), Some(lpsk.user_id.as_str())));
    assert_eq!(alert["count"], 2, "both touches of one User ID within the hour: one alert");
    assert_eq!(alert["operations"].as_array().unwrap().len(), 2);
    assert_eq!(alert["open"], true);
    assert!(!alert.to_string().contains(&nik_text(canary)), "no NIK in an alert: {alert}");
    assert!(alerts(&gateway, "admin-karanganyar").await.is_empty(), "a regional office sees its own partners only");

    let listed = gerbang(&gateway.dir, &["alerts", "--json"]);
    assert!(listed.status.success(), "{}", stderr(&listed));
    let cli: Vec<Value> = serde_json::from_str(&stdout(&listed)).unwrap();
    assert_eq!(kinds(&cli), ["canary"]);
    let marked = gerbang(&gateway.dir, &["canary", "add", &nik_text(ordinary), "--label", "umpan-uji"]);
    assert!(marked.status.success(), "{}", stderr(&marked));
    let list = gerbang(&gateway.dir, &["canary", "list", "--json"]);
    let listed: Vec<Value> = serde_json::from_str(&stdout(&list)).unwrap();
    assert_eq!(listed.len(), canaries.len() + 1);
    assert!(listed.iter().any(|c| c["label"] == "umpan-uji"));

    let mut registry = Visitor::new(&gateway);
    registry.sign_in("admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    let dashboard = registry.get("/portal/konsol").await;
    assert!(dashboard.body.contains("id=\"open-alerts\" title=\"terbuka\">1<"), "{}", dashboard.body);
    let page = registry.get("/portal/konsol/peringatan").await;
    assert_eq!(page.status, 200);
    let id = alert["id"].as_u64().unwrap();
    assert!(
        page.body.contains(&format!("class=\"alert-open\" data-alert=\"{id}\" data-kind=\"canary\"")),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&nik_text(canary)));

    let mut regional = Visitor::new(&gateway);
    regional.sign_in("admin-karanganyar", &admin_password(&gateway, "admin-karanganyar")).await;
    assert!(!regional.get("/portal/konsol/peringatan").await.body.contains("data-alert="));
    let path = format!("/portal/konsol/peringatan/{id}");
    assert_eq!(regional.submit(&path, &[]).await.status, StatusCode::NOT_FOUND, "not its partner's alert");
    let forged = registry.post(&path, &[("csrf", "palsu")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let before = gateway.audit_count().await;
    let acknowledged = registry.submit(&path, &[]).await;
    assert_eq!((acknowledged.status, acknowledged.location()), (StatusCode::SEE_OTHER, "/portal/konsol/peringatan"));
    let trail = gateway.store.audit_page(before, 10).await.unwrap();
    assert_eq!(trail[0].record.outcome, "admin.alert_acknowledge");
    assert_eq!(trail[0].record.institution.as_deref(), Some("lpsk"));
    let page = registry.get("/portal/konsol/peringatan").await;
    assert!(page.body.contains(&format!("class=\"alert-acknowledged\" data-alert=\"{id}\"")), "{}", page.body);
    assert!(!page.body.contains("id=\"open-alerts\""), "no open alert left to count");
    let after = alerts(&gateway, "admin-dukcapil").await;
    assert_eq!(
        (after[0]["open"].as_bool(), after[0]["acknowledged_by"].as_str()),
        (Some(false), Some("admin-dukcapil"))
    );

    call_nik(&gateway, &lpsk, canary).await;
    let reopened = alerts(&gateway, "admin-dukcapil").await;
    assert_eq!(reopened.len(), 2, "a touch after acknowledgement opens a new alert");
    assert_eq!(reopened[0]["open"], true);
}

/// NIKs that follow `first` in number and are valid, `count` of them.
fn following(first: Nik, count: usize) -> Vec<Nik> {
    (1..).filter_map(|step| Nik::from_stored(first.value() + step)).take(count).collect()
}

#[tokio::test]
async fn scanning_sequential_niks_raises_one_enumeration_alert_at_the_threshold() {
    let gateway = Gateway::start(40).await;
    let (alive, ..) = gateway.residents().await;
    let lpsk = gateway.login("lpsk", "service");
    let scan = following(alive[0].nik, SEQUENTIAL_THRESHOLD + 5);
    for nik in &scan[..SEQUENTIAL_THRESHOLD - 1] {
        call_nik(&gateway, &lpsk, *nik).await;
    }
    assert!(alerts(&gateway, "admin-dukcapil").await.is_empty(), "one below the threshold");
    for nik in &scan[SEQUENTIAL_THRESHOLD - 1..] {
        call_nik(&gateway, &lpsk, *nik).await;
    }
    let raised = alerts(&gateway, "admin-dukcapil").await;
    assert_eq!(kinds(&raised), ["enumeration.sequential"], "one alert for the whole scan: {raised:?}");
    assert_eq!(raised[0]["user_id"], lpsk.user_id.as_str());
    assert_eq!(raised[0]["count"], SEQUENTIAL_THRESHOLD as u64);
}

/// Valid NIKs of `district` far apart in number, none in the register.
async fn absent_niks(gateway: &Gateway, count: usize) -> Vec<Nik> {
    let mut niks = Vec::new();
    let mut born = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    while niks.len() < count {
        let nik = Nik::from_parts(331301, born, JenisKelamin::LakiLaki, 9_987).unwrap();
        if gateway.store.resident(nik).await.unwrap().is_none() {
            niks.push(nik);
        }
        born = born.checked_add_days(Days::new(37)).unwrap();
    }
    niks
}

#[tokio::test]
async fn many_not_found_answers_raise_a_random_scan_alert_at_the_threshold() {
    let gateway = Gateway::start(40).await;
    let lpsk = gateway.login("lpsk", "service");
    let guesses = absent_niks(&gateway, NOT_FOUND_THRESHOLD).await;
    for nik in &guesses[..NOT_FOUND_THRESHOLD - 1] {
        let answer = call_nik(&gateway, &lpsk, *nik).await;
        assert_eq!(answer["outcome"], "not_found", "{answer}");
    }
    assert!(alerts(&gateway, "admin-dukcapil").await.is_empty(), "one below the threshold");
    call_nik(&gateway, &lpsk, guesses[NOT_FOUND_THRESHOLD - 1]).await;
    let raised = alerts(&gateway, "admin-dukcapil").await;
    assert_eq!(kinds(&raised), ["enumeration.not_found"], "{raised:?}");
    assert_eq!(raised[0]["count"], NOT_FOUND_THRESHOLD as u64);
}

#[tokio::test]
async fn bulk_retrieval_at_night_raises_an_off_hours_alert_at_the_threshold() {
    let gateway = Gateway::start(120).await;
    let (alive, ..) = gateway.residents().await;
    assert!(alive.len() >= OFF_HOURS_THRESHOLD);
    // 23:00 in Jakarta.
    gateway.clock.set(noon(today()) + chrono::Duration::hours(11));
    let lpsk = gateway.login("lpsk", "service");
    for resident in &alive[..OFF_HOURS_THRESHOLD - 1] {
        call_nik(&gateway, &lpsk, resident.nik).await;
    }
    assert!(alerts(&gateway, "admin-dukcapil").await.is_empty(), "one below the threshold");
    call_nik(&gateway, &lpsk, alive[OFF_HOURS_THRESHOLD - 1].nik).await;
    let raised = alerts(&gateway, "admin-dukcapil").await;
    assert_eq!(kinds(&raised), ["off_hours_bulk"], "{raised:?}");
    assert_eq!(raised[0]["count"], OFF_HOURS_THRESHOLD as u64);
}

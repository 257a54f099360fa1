//! Password guessing against the web service: a User ID is locked from the
//! guessing address after `lockout::SERVICE.failures` wrong passwords
//! (even the right password is then refused unchecked), while the partner's
//! own system, calling from its registered address, goes on working; the
//! lock ends on time; an address trying many User IDs is locked as a whole.

use chrono::Duration;
use gerbang_core::access::lockout;
use serde_json::{Value, json};

use crate::gateway::{Gateway, Login, code, nik_text, noon, today};

/// A `CALL_NIK` as `login` with `password`, from `address` (the test's
/// proxy forwards it).
async fn call_from(gateway: &Gateway, login: &Login, password: &str, address: &str, nik: &str) -> Value {
    let body = json!({ "USER_ID": login.user_id, "PASSWORD": password, "IP_USER": address, "NIK": nik });
    reqwest::Client::new()
        .post(format!("{}/dukcapil/get_json/{}/CALL_NIK", gateway.base, login.instansi))
        .header("x-forwarded-for", address)
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn outcomes(gateway: &Gateway, user_id: &str) -> Vec<String> {
    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    trail.into_iter().filter(|s| s.record.user_id.as_deref() == Some(user_id)).map(|s| s.record.outcome).collect()
}

#[tokio::test]
async fn guessing_locks_the_user_id_from_the_guessing_address_only_and_the_lock_ends() {
    let gateway = Gateway::start_with(40, vec!["127.0.0.1/32".parse().unwrap()]).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let login = gateway.login("lpsk", "service");
    let guesser = "203.0.113.9";

    for n in 0..lockout::SERVICE.failures {
        let answer = call_from(&gateway, &login, &format!("tebakan-{n}"), guesser, &nik).await;
        assert_eq!(code(&answer), Some("03"), "guess {n}: {answer}");
    }
    let right = call_from(&gateway, &login, &login.password, guesser, &nik).await;
    assert_eq!(code(&right), Some("03"), "the right password during the lock is refused unchecked: {right}");
    let trail = outcomes(&gateway, &login.user_id).await;
    assert_eq!(trail.iter().filter(|o| *o == "access.login_failed").count(), lockout::SERVICE.failures as usize);
    assert_eq!(trail.last().map(String::as_str), Some("access.locked_out"), "the refusal is audited as a lock");

    // The partner's own system, from its registered address, is not locked out.
    let partner = call_from(&gateway, &login, &login.password, "127.0.0.1", &nik).await;
    assert_eq!(partner["content"][0]["NIK"].as_u64(), Some(nik.parse().unwrap()), "{partner}");

    // The lock ends: the login passes (and the allow-list refuses the stranger).
    gateway.clock.set(noon(today()) + lockout::SERVICE.lock_for + Duration::seconds(1));
    let later = call_from(&gateway, &login, &login.password, guesser, &nik).await;
    assert_eq!(code(&later), Some("10"), "past the login, refused by the allow-list: {later}");

    // The v1 API with Basic credentials shares the counters and says 429.
    for n in 0..lockout::SERVICE.failures {
        call_from(&gateway, &login, &format!("lagi-{n}"), guesser, &nik).await;
    }
    let v1 = reqwest::Client::new()
        .post(format!("{}/api/v1/call-nik", gateway.base))
        .header("x-forwarded-for", guesser)
        .basic_auth(&login.user_id, Some(&login.password))
        .json(&json!({ "nik": nik }))
        .send()
        .await
        .unwrap();
    assert_eq!(v1.status(), 429);
    let body: Value = v1.json().await.unwrap();
    assert_eq!(body["code"], "access.locked_out");
}

#[tokio::test]
async fn an_address_trying_many_user_ids_is_locked_as_a_whole() {
    let gateway = Gateway::start_with(40, vec!["127.0.0.1/32".parse().unwrap()]).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let login = gateway.login("lpsk", "service");
    let stuffer = "198.51.100.7";
    for n in 0..lockout::SOURCE.failures {
        let mut someone = login.clone();
        someone.user_id = format!("pengguna-{n}");
        call_from(&gateway, &someone, "sandi", stuffer, &nik).await;
    }
    // LPSK's own User ID has never failed, yet from this address it is locked.
    let answer = call_from(&gateway, &login, &login.password, stuffer, &nik).await;
    assert_eq!(code(&answer), Some("03"), "{answer}");
    assert_eq!(outcomes(&gateway, &login.user_id).await.last().map(String::as_str), Some("access.locked_out"));
    let elsewhere = call_from(&gateway, &login, &login.password, "127.0.0.1", &nik).await;
    assert!(code(&elsewhere).is_none(), "{elsewhere}");
}

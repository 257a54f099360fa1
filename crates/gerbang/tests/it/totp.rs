//! The portal's optional second factor over real HTTP: an operator turns
//! it on from the security page, then signs in with a password and a code
//! from the authenticator app (computed here with `totp-rs` from the key
//! the page showed, at the gateway's injected time); wrong, replayed and
//! forged codes are refused and count toward the lockout; turning it off
//! needs a code too; every step is in the audit trail.

use chrono::{DateTime, Duration, Utc};
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;

use crate::gateway::{Gateway, noon, today};
use crate::portal::Visitor;

/// The code an authenticator app shows at `at` for base32 `key`.
fn code_at(key: &str, at: DateTime<Utc>) -> String {
    let bytes = totp_rs::Secret::Encoded(key.to_owned()).to_bytes().unwrap();
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 0, 30, bytes).unwrap();
    totp.generate(u64::try_from(at.timestamp()).unwrap())
}

/// A six-digit code that is not `right`.
fn wrong(right: &str) -> &'static str {
    if right == "123456" { "654321" } else { "123456" }
}

/// The text of the element with `id` (up to the next tag).
fn text_of<'p>(body: &'p str, id: &str) -> &'p str {
    let marker = format!("id=\"{id}\">");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no #{id} in {body}")) + marker.len();
    body[at..].split('<').next().unwrap()
}

/// The outcomes of `user_id`'s audit records, oldest first.
async fn outcomes(gateway: &Gateway, user_id: &str) -> Vec<String> {
    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    trail.into_iter().filter(|s| s.record.user_id.as_deref() == Some(user_id)).map(|s| s.record.outcome).collect()
}

#[tokio::test]
async fn an_operator_turns_on_the_second_factor_and_then_signs_in_with_a_code_once() {
    let gateway = Gateway::start(50).await;
    let operator = gateway.login("bpbd-karanganyar", "operator");
    let start = noon(today());
    let mut desk = Visitor::new(&gateway);
    assert_eq!(desk.sign_in(&operator.user_id, &operator.password).await.location(), "/portal");
    let home = desk.get("/portal").await;
    assert!(home.body.contains("href=\"/portal/keamanan\""), "the security page is in the menu");

    // Turning it on: a key is shown, and kept out of the control plane until
    // a code proves the app has it.
    let page = desk.get("/portal/keamanan").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("data-on=\"false\"") && page.body.contains("id=\"two-step-start\""));
    let started = desk.submit("/portal/keamanan", &[("action", "start")]).await;
    assert_eq!((started.status, started.location()), (StatusCode::SEE_OTHER, "/portal/keamanan"));
    let page = desk.get("/portal/keamanan").await;
    let grouped = text_of(&page.body, "two-step-key").to_owned();
    assert!(grouped.split(' ').all(|group| group.len() == 4), "in groups of four: {grouped}");
    let key = grouped.replace(' ', "");
    assert_eq!(key.len(), 32, "160 bits in base32");
    let uri = text_of(&page.body, "two-step-uri").replace("&#38;", "&");
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/Gerbang:{}?secret={key}&issuer=Gerbang&algorithm=SHA1&digits=6&period=30",
            operator.user_id
        )
    );
    assert!(page.body.contains("<svg class=\"qr\" id=\"two-step-qr\""), "the QR code is drawn inline");
    assert!(page.body.contains("<path d=\"M4 4h1v1h-1z"));
    let account = |plane: gerbang_core::access::ControlPlane| plane.account(&operator.user_id).unwrap().clone();
    assert_eq!(account(gateway.plane().await).totp_secret, None, "not stored before the code");

    let right = code_at(&key, start);
    let refused = desk.submit("/portal/keamanan", &[("action", "confirm"), ("code", wrong(&right))]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"code-error\"") && refused.body.contains("Kode salah"), "{}", refused.body);
    assert!(refused.body.contains(&grouped), "the same key is still shown");
    let short = desk.submit("/portal/keamanan", &[("action", "confirm"), ("code", "12345")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("Kode terdiri dari 6 angka"));
    let forged = desk.post("/portal/keamanan", &[("csrf", "0"), ("action", "confirm"), ("code", &right)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let on = desk.submit("/portal/keamanan", &[("action", "confirm"), ("code", &right)]).await;
    assert_eq!((on.status, on.location()), (StatusCode::SEE_OTHER, "/portal/keamanan"));
    assert_eq!(account(gateway.plane().await).totp_secret.as_deref(), Some(key.as_str()));
    let page = desk.get("/portal/keamanan").await;
    assert!(page.body.contains("data-on=\"true\"") && !page.body.contains(&grouped), "the key is not shown again");
    desk.submit("/portal/keamanan", &[("action", "start")]).await;
    assert!(!desk.get("/portal/keamanan").await.body.contains("two-step-key"), "no second key while on");
    desk.submit("/portal/keluar", &[]).await;

    // The password alone: a code is asked, no session is opened.
    let now = start + Duration::seconds(60);
    gateway.clock.set(now);
    let mut visitor = Visitor::new(&gateway);
    let password = visitor.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!((password.status, password.location()), (StatusCode::SEE_OTHER, "/portal/masuk/kode"));
    let cookie = password
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|c| c.starts_with("gerbang_kode="))
        .expect("a cookie for the second step");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/portal"),
        "{cookie}"
    );
    assert!(!visitor.has_cookie("gerbang_sesi"));
    assert_eq!(visitor.get("/portal").await.location(), "/portal/masuk", "not signed in yet");
    let form = visitor.get("/portal/masuk/kode").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("autocomplete=\"one-time-code\""));

    let right = code_at(&key, now);
    let forged = visitor.post("/portal/masuk/kode", &[("csrf", "0"), ("code", &right)]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "the code form has its own token");
    let refused = visitor.submit("/portal/masuk/kode", &[("code", wrong(&right))]).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert!(refused.body.contains("id=\"code-error\""));
    assert!(!visitor.has_cookie("gerbang_sesi"));
    let stale = visitor.submit("/portal/masuk/kode", &[("code", &code_at(&key, now - Duration::seconds(90)))]).await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED, "three steps old");
    let signed = visitor.submit("/portal/masuk/kode", &[("code", &right)]).await;
    assert_eq!((signed.status, signed.location()), (StatusCode::SEE_OTHER, "/portal"));
    assert!(visitor.has_cookie("gerbang_sesi") && !visitor.has_cookie("gerbang_kode"));
    assert_eq!(visitor.get("/portal").await.status, 200);
    visitor.submit("/portal/keluar", &[]).await;

    // The same code again, within its 30 seconds: refused. A code from the
    // next step (a phone a little ahead) is accepted.
    let mut replay = Visitor::new(&gateway);
    replay.sign_in(&operator.user_id, &operator.password).await;
    replay.get("/portal/masuk/kode").await;
    let replayed = replay.submit("/portal/masuk/kode", &[("code", &right)]).await;
    assert_eq!(replayed.status, StatusCode::UNAUTHORIZED, "a code is good once");
    assert!(!replay.has_cookie("gerbang_sesi"));
    let ahead = replay.submit("/portal/masuk/kode", &[("code", &code_at(&key, now + Duration::seconds(30)))]).await;
    assert_eq!(ahead.location(), "/portal", "one step of drift");

    // Turning it off needs a current code, not yet used.
    let later = now + Duration::seconds(60);
    gateway.clock.set(later);
    replay.get("/portal/keamanan").await;
    let refused = replay.submit("/portal/keamanan", &[("action", "disable"), ("code", &right)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"code-error\""));
    assert!(account(gateway.plane().await).totp_secret.is_some());
    let off = replay.submit("/portal/keamanan", &[("action", "disable"), ("code", &code_at(&key, later))]).await;
    assert_eq!(off.location(), "/portal/keamanan");
    assert_eq!(account(gateway.plane().await).totp_secret, None);
    assert!(replay.get("/portal/keamanan").await.body.contains("data-on=\"false\""));
    replay.submit("/portal/keluar", &[]).await;
    let mut plain = Visitor::new(&gateway);
    assert_eq!(plain.sign_in(&operator.user_id, &operator.password).await.location(), "/portal", "a password again");

    let trail = outcomes(&gateway, &operator.user_id).await;
    let count = |outcome: &str| trail.iter().filter(|o| *o == outcome).count();
    assert_eq!(count("admin.totp_enable"), 1, "{trail:?}");
    assert_eq!(count("admin.totp_disable"), 1, "{trail:?}");
    assert_eq!(count("portal.code_asked"), 2, "{trail:?}");
    assert_eq!(count("access.totp_failed"), 4, "two at sign-in, the replay, one at turning off: {trail:?}");
    assert_eq!(count("portal.sign_in"), 4, "{trail:?}");
}

#[tokio::test]
async fn wrong_codes_lock_the_user_id_like_wrong_passwords_and_a_password_does_not_reset_the_count() {
    let gateway = Gateway::start(50).await;
    let operator = gateway.login("lpsk", "operator");
    let key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let plane = gateway.plane().await;
    gateway.apply(vec![plane.set_totp_secret(&operator.user_id, Some(key.to_owned())).unwrap()]).await;
    let now = noon(today());
    let right = code_at(key, now);

    let mut visitor = Visitor::new(&gateway);
    visitor.sign_in(&operator.user_id, &operator.password).await;
    visitor.get("/portal/masuk/kode").await;
    for attempt in 1..=3 {
        let page = visitor.submit("/portal/masuk/kode", &[("code", wrong(&right))]).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // The right password again does not buy more guesses.
    let again = visitor.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!(again.location(), "/portal/masuk/kode");
    visitor.get("/portal/masuk/kode").await;
    assert_eq!(visitor.submit("/portal/masuk/kode", &[("code", wrong(&right))]).await.status, 401);
    let locked = visitor.submit("/portal/masuk/kode", &[("code", wrong(&right))]).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("dikunci sampai"), "{}", locked.body);
    assert!(!visitor.has_cookie("gerbang_kode"), "the pending sign-in ended");
    let still = visitor.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS, "locked for the password too");

    // Fifteen minutes later the right code opens a session.
    let later = now + Duration::minutes(15);
    gateway.clock.set(later);
    assert_eq!(visitor.sign_in(&operator.user_id, &operator.password).await.location(), "/portal/masuk/kode");
    visitor.get("/portal/masuk/kode").await;
    let signed = visitor.submit("/portal/masuk/kode", &[("code", &code_at(key, later))]).await;
    assert_eq!(signed.location(), "/portal");

    // A pending sign-in waits five minutes.
    let mut slow = Visitor::new(&gateway);
    slow.sign_in(&operator.user_id, &operator.password).await;
    slow.get("/portal/masuk/kode").await;
    let late = later + Duration::minutes(5);
    gateway.clock.set(late);
    let expired = slow.submit("/portal/masuk/kode", &[("code", &code_at(key, late))]).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(expired.body.contains("Waktu untuk memasukkan kode habis"), "{}", expired.body);
    assert_eq!(slow.get("/portal/masuk/kode").await.location(), "/portal/masuk");

    let trail = outcomes(&gateway, &operator.user_id).await;
    assert_eq!(trail.iter().filter(|o| *o == "access.totp_failed").count(), 5, "{trail:?}");
    assert!(trail.iter().any(|o| o == "portal.locked"), "{trail:?}");
}

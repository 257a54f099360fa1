//! The portal over real HTTP: sign-in, the operator's call NIK with exactly
//! the granted elements, the quota, CSRF and lockout refusals, security
//! headers, termination from the console, and partners kept apart. (The
//! same journeys in a real browser are in `browser.rs`.)

use std::collections::HashMap;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde_json::Value;

use crate::gateway::{Gateway, nik_text};

/// A client that keeps the portal's cookies, follows no redirects, and
/// remembers the last form token it saw.
pub struct Visitor {
    base: String,
    client: reqwest::Client,
    cookies: HashMap<String, String>,
    pub csrf: String,
}

/// One answer: status, headers, body.
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

/// The value of `name="csrf"` in a page.
fn form_token(body: &str) -> Option<String> {
    let at = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(body[at..].split('"').next()?.to_owned())
}

impl Visitor {
    pub fn new(gateway: &Gateway) -> Visitor {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Visitor { base: gateway.base.clone(), client, cookies: HashMap::new(), csrf: String::new() }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn take(&mut self, response: reqwest::Response) -> Page {
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await.unwrap();
        if let Some(token) = form_token(&body) {
            self.csrf = token;
        }
        Page { status, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.take(response).await
    }

    /// A download: status and the body's bytes.
    pub async fn get_bytes(&mut self, path: &str) -> (StatusCode, Vec<u8>) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        (response.status(), response.bytes().await.unwrap().to_vec())
    }

    /// A multipart form post with `fields` (this session's CSRF token
    /// first) and one file; the answer's status, headers and bytes.
    pub async fn post_file(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        content: &[u8],
    ) -> (StatusCode, HeaderMap, Vec<u8>) {
        let boundary = "gerbang-test-boundary-7d9f";
        let mut body = Vec::new();
        let csrf = self.csrf.clone();
        for (name, value) in [("csrf", csrf.as_str())].iter().chain(fields) {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
            );
        }
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(content);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.bytes().await.unwrap().to_vec())
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.take(response).await
    }

    /// Posts `form` with the last form token seen.
    pub async fn submit(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let csrf = self.csrf.clone();
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        self.post(path, &fields).await
    }

    /// Signs in; the answer to the form post.
    pub async fn sign_in(&mut self, user_id: &str, password: &str) -> Page {
        let form = self.get("/portal/masuk").await;
        assert_eq!(form.status, 200);
        self.submit("/portal/masuk", &[("user_id", user_id), ("password", password)]).await
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.contains_key(name)
    }

    pub fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }
}

/// The password of a demo provider administrator.
pub fn admin_password(gateway: &Gateway, user_id: &str) -> String {
    let admins: Vec<Value> =
        serde_json::from_slice(&std::fs::read(gateway.dir.join("demo-admin-credentials.json")).unwrap()).unwrap();
    admins.iter().find(|a| a["user_id"] == user_id).unwrap()["password"].as_str().unwrap().to_owned()
}

/// The `data-element` names of a result page, in order.
fn shown_elements(body: &str) -> Vec<String> {
    body.split("data-element=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn an_operator_signs_in_and_sees_exactly_the_granted_elements_with_watermark_and_source() {
    let gateway = Gateway::start(300).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let operator = gateway.login("bpbd-karanganyar", "operator");
    let mut visitor = Visitor::new(&gateway);

    let signed = visitor.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!((signed.status, signed.location()), (StatusCode::SEE_OTHER, "/portal"));
    let cookie =
        signed.headers.get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap()).find(|c| c.starts_with("gerbang_sesi="));
    let cookie = cookie.expect("a session cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/portal"),
        "{cookie}"
    );

    let home = visitor.get("/portal").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("id=\"quota-left\""), "the quota is always visible");
    assert!(home.body.contains("<strong>1000</strong>"));
    assert!(home.body.contains("/portal/call-nik") && !home.body.contains("/portal/verifikasi"), "only granted pages");

    let before = gateway.audit_count().await;
    visitor.get("/portal/call-nik").await;
    let result = visitor.submit("/portal/call-nik", &[("nik", &nik)]).await;
    assert_eq!(result.status, 200, "{}", result.body);
    let mut shown = shown_elements(&result.body);
    shown.sort();
    let mut granted =
        ["NO_KK", "NIK", "NAMA_LGKP", "JENIS_KLMIN", "TMPT_LHR", "TGL_LHR", "JENIS_PKRJN", "STATUS_KAWIN", "ALAMAT"];
    granted.sort();
    assert_eq!(shown, granted, "exactly the nine elements of the BPBD agreement");
    assert!(result.body.contains(&alive[0].full_name), "the resident's name is shown");
    assert!(result.body.contains("Sumber: Ditjen Dukcapil Kemendagri"));
    assert!(result.body.contains("class=\"watermark\"") && result.body.contains(&operator.user_id));
    let operation = result.headers["x-request-id"].to_str().unwrap();
    assert!(result.body.contains(operation), "the watermark carries the operation id");
    assert!(result.body.contains("<strong>999</strong>"), "the quota left after the call");
    assert_eq!(result.headers["cache-control"], "no-store");
    assert_eq!(gateway.audit_count().await, before + 1, "the call is audited once");
    let trail = gateway.store.audit_page(before, 10).await.unwrap();
    assert_eq!(trail[0].record.interface, "portal");
    assert_eq!(trail[0].record.outcome, "resident.found");
    assert!(trail[0].record.charged);

    let wrong = visitor.submit("/portal/call-nik", &[("nik", "123")]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("id=\"field-error\"") && wrong.body.contains("value=\"123\""), "re-displayed");
    assert!(wrong.body.contains("<strong>999</strong>"), "a bad NIK costs no quota");

    let out = visitor.submit("/portal/keluar", &[]).await;
    assert_eq!(out.location(), "/portal/masuk");
    assert_eq!(visitor.get("/portal").await.location(), "/portal/masuk", "signed out");
}

#[tokio::test]
async fn every_page_carries_the_security_headers_and_forged_forms_are_refused() {
    let gateway = Gateway::start(50).await;
    let (alive, ..) = gateway.residents().await;
    let operator = gateway.login("kemenpppa", "operator");
    let mut visitor = Visitor::new(&gateway);
    let form = visitor.get("/portal/masuk").await;
    let policy = form.headers["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("frame-ancestors 'none'") && policy.contains("default-src 'none'"), "{policy}");
    assert_eq!(form.headers["x-frame-options"], "DENY");
    assert_eq!(form.headers["x-content-type-options"], "nosniff");
    assert_eq!(form.headers["referrer-policy"], "no-referrer");

    // A sign-in posted without the form's own cookie (from another site).
    let mut stranger = Visitor::new(&gateway);
    let forged = stranger
        .post("/portal/masuk", &[("csrf", "x"), ("user_id", &operator.user_id), ("password", &operator.password)])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(!stranger.has_cookie("gerbang_sesi"));

    // A planted session cookie is never promoted by a sign-in.
    visitor.set_cookie("gerbang_sesi", "planted");
    let signed = visitor.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    assert!(visitor.has_cookie("gerbang_sesi"));
    let mut planted = Visitor::new(&gateway);
    planted.set_cookie("gerbang_sesi", "planted");
    assert_eq!(planted.get("/portal").await.location(), "/portal/masuk");

    // A call posted with a wrong token: refused, not charged, not answered.
    visitor.get("/portal/call-nik").await;
    let before = gateway.audit_count().await;
    let nik = nik_text(alive[0].nik);
    let replayed = visitor.post("/portal/call-nik", &[("csrf", "0000"), ("nik", &nik)]).await;
    assert_eq!(replayed.status, StatusCode::FORBIDDEN);
    assert!(!replayed.body.contains(&alive[0].full_name));
    assert_eq!(gateway.audit_count().await, before, "nothing was called");
    let missing = visitor.post("/portal/call-nik", &[("nik", &nik)]).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);

    // A page that does not exist and a service account at the portal.
    let service = gateway.login("kemenpppa", "service");
    let mut system = Visitor::new(&gateway);
    let refused = system.sign_in(&service.user_id, &service.password).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "service accounts have no portal");
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_user_id_and_a_used_up_quota_is_said_on_the_page() {
    let gateway = Gateway::start(50).await;
    let (alive, ..) = gateway.residents().await;
    let operator = gateway.login("lpsk", "operator");
    let mut visitor = Visitor::new(&gateway);
    for attempt in 1..5 {
        let page = visitor.sign_in(&operator.user_id, "salah").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert!(page.body.contains("User ID atau kata sandi salah"), "{}", page.body);
    }
    let locked = visitor.sign_in(&operator.user_id, "salah").await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.body.contains("dikunci sampai"), "{}", locked.body);
    let still = visitor.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS, "the right password does not open a locked User ID");
    let trail = gateway.store.audit_page(0, 1000).await.unwrap();
    let outcomes: Vec<&str> = trail
        .iter()
        .filter(|s| s.record.user_id.as_deref() == Some(operator.user_id.as_str()))
        .map(|s| s.record.outcome.as_str())
        .collect();
    assert_eq!(outcomes.iter().filter(|o| **o == "access.login_failed").count(), 5, "{outcomes:?}");
    assert_eq!(outcomes.last(), Some(&"portal.locked"));

    // Another operator, with a quota of two.
    let other = gateway.login("pemasyarakatan", "operator");
    let plane = gateway.plane().await;
    gateway.apply(vec![plane.set_quota(&other.user_id, 2, None).unwrap()]).await;
    let mut desk = Visitor::new(&gateway);
    assert_eq!(desk.sign_in(&other.user_id, &other.password).await.status, StatusCode::SEE_OTHER);
    desk.get("/portal/call-nik").await;
    let nik = nik_text(alive[1].nik);
    for left in ["1", "0"] {
        let page = desk.submit("/portal/call-nik", &[("nik", &nik)]).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(&format!("<strong>{left}</strong>")));
    }
    let third = desk.submit("/portal/call-nik", &[("nik", &nik)]).await;
    assert_eq!(third.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(third.body.contains("Kuota Akses Hari Ini Telah Habis"));
    assert!(!third.body.contains(&alive[1].full_name));
}

#[tokio::test]
async fn a_termination_in_the_console_cuts_the_operator_off_and_partners_stay_apart() {
    let gateway = Gateway::start(50).await;
    let operator = gateway.login("bpbd-karanganyar", "operator");
    let mut desk = Visitor::new(&gateway);
    assert_eq!(desk.sign_in(&operator.user_id, &operator.password).await.status, StatusCode::SEE_OTHER);
    assert_eq!(desk.get("/portal").await.status, 200);
    assert_eq!(desk.get("/portal/konsol").await.status, StatusCode::NOT_FOUND, "operators have no console");
    assert_eq!(desk.get("/portal/konsol/mitra/bpbd-karanganyar").await.status, StatusCode::NOT_FOUND);

    // The regional administrator manages BPBD Karanganyar, not BKN.
    let mut registry = Visitor::new(&gateway);
    let signed = registry.sign_in("admin-karanganyar", &admin_password(&gateway, "admin-karanganyar")).await;
    assert_eq!(signed.location(), "/portal/konsol");
    let list = registry.get("/portal/konsol").await;
    assert!(list.body.contains("data-partner=\"bpbd-karanganyar\"") && !list.body.contains("data-partner=\"bkn\""));
    assert_eq!(registry.get("/portal/konsol/mitra/bkn").await.status, StatusCode::NOT_FOUND);
    let bkn = gateway.plane().await.agreements_of("bkn").next().unwrap().id.clone();
    let foreign = registry
        .submit(&format!("/portal/konsol/perjanjian/{bkn}/akhiri"), &[("reason", "breach"), ("note", "x")])
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "another provider's agreement is not there");
    assert!(gateway.plane().await.agreement(&bkn).unwrap().termination.is_none());

    let page = registry.get("/portal/konsol/mitra/bpbd-karanganyar").await;
    assert_eq!(page.status, 200);
    let id = gateway.plane().await.agreements_of("bpbd-karanganyar").next().unwrap().id.clone();
    let no_reason =
        registry.submit(&format!("/portal/konsol/perjanjian/{id}/akhiri"), &[("reason", ""), ("note", "")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("id=\"terminate-error\""), "the form says what is wrong");
    let ended = registry
        .submit(&format!("/portal/konsol/perjanjian/{id}/akhiri"), &[("reason", "breach"), ("note", "kebocoran data")])
        .await;
    assert_eq!((ended.status, ended.location()), (StatusCode::SEE_OTHER, "/portal/konsol/mitra/bpbd-karanganyar"));

    let refused = desk.get("/portal/call-nik").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("Perjanjian Kerja Sama tidak berlaku"), "{}", refused.body);
    assert_eq!(desk.get("/portal").await.location(), "/portal/masuk", "the session ended with the refusal");
    let again = desk.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);

    // The registry can see who accessed a resident; the search is audited.
    let before = gateway.audit_count().await;
    let (alive, ..) = gateway.residents().await;
    let search = registry.submit("/portal/konsol/audit/nik", &[("nik", &nik_text(alive[0].nik))]).await;
    assert_eq!(search.status, 200);
    assert!(search.body.contains("id=\"no-records\""));
    assert_eq!(gateway.audit_count().await, before + 1);
    let forged =
        registry.post("/portal/konsol/audit/nik", &[("csrf", "palsu"), ("nik", &nik_text(alive[0].nik))]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "the NIK search is a form of this session");
}

#[tokio::test]
async fn the_audit_search_filters_by_partner_user_dates_and_outcome_within_the_administrators_partners() {
    let gateway = Gateway::start(50).await;
    let (alive, ..) = gateway.residents().await;
    let service = gateway.login("bpbd-karanganyar", "operator");
    let mut desk = Visitor::new(&gateway);
    desk.sign_in(&service.user_id, &service.password).await;
    desk.get("/portal/call-nik").await;
    for resident in &alive[..3] {
        let answer = desk.submit("/portal/call-nik", &[("nik", &nik_text(resident.nik))]).await;
        assert_eq!(answer.status, 200);
    }

    let mut registry = Visitor::new(&gateway);
    registry.sign_in("admin-karanganyar", &admin_password(&gateway, "admin-karanganyar")).await;
    let form = registry.get("/portal/konsol/audit").await;
    assert_eq!(registry.get("/portal/konsol/audit?nik=3313").await.body, form.body, "a NIK in the URL is ignored");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"bpbd-karanganyar\"") && !form.body.contains("value=\"bkn\""));
    assert!(!form.body.contains("id=\"trail\""), "nothing is searched before the button");

    let regional_all = registry.get("/portal/konsol/audit?cari=1&mitra=").await;
    assert_eq!(regional_all.status, StatusCode::UNPROCESSABLE_ENTITY, "a regional administrator picks its partner");
    let foreign = registry.get("/portal/konsol/audit?cari=1&mitra=bkn").await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(foreign.body.contains("Lembaga tidak dikenal"));
    let backwards =
        registry.get("/portal/konsol/audit?cari=1&mitra=bpbd-karanganyar&dari=2030-01-02&sampai=2030-01-01").await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(backwards.body.contains("Tanggal akhir sebelum tanggal awal"));

    let before = gateway.audit_count().await;
    let user = &service.user_id;
    let found = registry
        .get(&format!("/portal/konsol/audit?cari=1&mitra=bpbd-karanganyar&user={user}&hasil=resident.found"))
        .await;
    assert_eq!(found.status, 200);
    assert_eq!(found.body.matches("<code>resident.found</code>").count(), 3, "{}", found.body);
    assert_eq!(gateway.audit_count().await, before + 1, "the search is audited");
    let trail = gateway.store.audit_page(before, 10).await.unwrap();
    assert_eq!(trail[0].record.outcome, "portal.audit_search");

    let export = registry
        .get(&format!("/portal/konsol/audit.csv?cari=1&mitra=bpbd-karanganyar&user={user}&hasil=resident.found"))
        .await;
    assert_eq!(export.status, 200);
    assert_eq!(export.headers["content-type"], "text/csv; charset=utf-8");
    let lines: Vec<&str> = export.body.trim().lines().collect();
    assert_eq!(lines.len(), 4, "a header and three records: {}", export.body);
    assert!(lines[0].starts_with("waktu,instansi,user_id") && lines[1].contains(",resident.found,"));
    assert!(!export.body.contains(&nik_text(alive[0].nik)), "the trail holds no NIK in clear");
    let other_user = registry.get("/portal/konsol/audit?cari=1&mitra=bpbd-karanganyar&user=siapa").await;
    assert!(other_user.body.contains("id=\"no-records\""));
}

#[tokio::test]
async fn the_dashboard_plots_the_calls_and_flags_night_use_and_nik_scanning() {
    let gateway = Gateway::start(50).await;
    let (alive, ..) = gateway.residents().await;
    let service = gateway.login("lpsk", "service");
    // 23:30 in Jakarta: night.
    let night = crate::gateway::noon(crate::gateway::today()) + chrono::Duration::minutes(11 * 60 + 30);
    gateway.clock.set(night);
    let known = nik_text(alive[0].nik);
    for n in 0..25 {
        let absent = format!("{}{:04}", &known[..12], 9000 + n);
        let (status, ..) = gateway.v1(&service, "call-nik", serde_json::json!({ "nik": absent })).await;
        assert_eq!(status, 200);
    }
    gateway.clock.set(crate::gateway::noon(crate::gateway::today()));
    let mut registry = Visitor::new(&gateway);
    registry.sign_in("admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    let page = registry.get("/portal/konsol/pantauan").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("id=\"total-calls\">25<"), "every call of the fortnight is counted");
    assert!(page.body.contains("<svg") && page.body.contains("class=\"series-"), "the charts are drawn");
    assert!(page.body.contains("25 dari 25 NIK tidak ditemukan: indikasi pemindaian NIK"), "{}", page.body);
    assert!(page.body.contains("25 panggilan di luar jam kerja"));
    assert!(page.body.contains("lpsk-ws"));

    let operator = gateway.login("lpsk", "operator");
    let mut desk = Visitor::new(&gateway);
    desk.sign_in(&operator.user_id, &operator.password).await;
    assert_eq!(desk.get("/portal/konsol/pantauan").await.status, StatusCode::NOT_FOUND, "operators have no dashboard");
}

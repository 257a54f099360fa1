//! Security tests generated from the router: every route the server serves
//! (`Gateway::routes`, kept by the router itself) is visited by a stranger,
//! by another partner, by a regional office outside its region and by a
//! forged form. A route added later is visited too; one that fits none of
//! the doors below fails the test until someone says who may use it.

use std::collections::BTreeSet;

use gerbang_core::report::Semester;
use reqwest::header::{CONTENT_TYPE, HeaderMap, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::gateway::{Gateway, Login, nik_text, today};
use crate::partner_portal::{applicant, borrowed};
use crate::portal::{Visitor, admin_password};

/// Who a route is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Door {
    /// Anyone: health, metrics, the API's description, the sign-in form.
    Public,
    /// The compatible web service: credentials in the body, wire errors.
    CompatService,
    /// The compatible face service: sealed credentials, wire error codes.
    FaceService,
    /// The compatible return-data store: a partner's bearer token.
    ReturnService,
    /// A KTP-el reader's SAM-signed event.
    CardReader,
    /// `/api/v1` for a partner's service account.
    PartnerApi,
    /// `/api/v1/admin` for a provider's administrator.
    RegistryApi,
    /// The registry's console.
    RegistryConsole,
    /// A partner administrator's pages.
    PartnerPortal,
    /// An operator's pages.
    OperatorPortal,
    /// Any signed-in person (security settings, sign-out, second factor).
    AnySession,
    /// A resident with a registry-issued one-time code: the form is for
    /// anyone, the history only for the code's holder.
    Resident,
}

fn door(path: &str) -> Door {
    match path {
        "/healthz"
        | "/metrics"
        | "/api/v1/openapi.json"
        | "/api/face-recognition/public-key"
        | "/portal/masuk"
        | "/portal/bahasa/{code}"
        | "/portal/static/gerbang.css" => Door::Public,
        "/dukcapil/data_balikan" => Door::ReturnService,
        "/api/v1/card-reader/events" => Door::CardReader,
        "/portal"
        | "/portal/"
        | "/portal/call-nik"
        | "/portal/verifikasi"
        | "/portal/anggota-keluarga"
        | "/portal/foto" => Door::OperatorPortal,
        "/portal/keamanan" | "/portal/keluar" | "/portal/masuk/kode" => Door::AnySession,
        "/portal/warga" | "/api/v1/resident/access-history" => Door::Resident,
        p if p.starts_with("/dukcapil/get_json/") => Door::CompatService,
        p if p.starts_with("/api/face-recognition/") => Door::FaceService,
        p if p.starts_with("/api/v1/admin/") => Door::RegistryApi,
        p if p.starts_with("/api/v1/") => Door::PartnerApi,
        p if p.starts_with("/portal/konsol") => Door::RegistryConsole,
        p if p.starts_with("/portal/mitra") => Door::PartnerPortal,
        other => panic!("route {other} fits no door of the security tests: say who may use it in security.rs"),
    }
}

/// Path parameters that name another party's object (a semester, a format
/// or a language names nobody's).
const OBJECT_PARAMETERS: [&str; 5] = ["{code}", "{institution}", "{id}", "{user_id}", "{number}"];

/// The objects a visit names in its path: another partner's, or another
/// region's.
struct Objects {
    institution: String,
    instansi: String,
    agreement: String,
    request: String,
    operator: String,
    service_account: String,
    nik: String,
}

impl Objects {
    /// `template` with every `{parameter}` replaced by these objects.
    fn fill(&self, template: &str) -> String {
        let semester = Semester::containing(today()).to_string();
        let mut path = String::new();
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').unwrap();
            let name = &rest[open + 1..close];
            let value = match name {
                "code" if template.starts_with("/portal/bahasa") => "en",
                "code" | "institution" => &self.institution,
                "instansi" => &self.instansi,
                "id" if template.contains("/perjanjian/") || template.contains("/agreements/") => &self.agreement,
                "id" if template.contains("/permintaan/") => &self.request,
                "id" => "sam-tidak-ada",
                "user_id" if template.starts_with("/portal/mitra") => &self.operator,
                "user_id" => &self.service_account,
                "nik" => &self.nik,
                "finger" => "2",
                "semester" => &semester,
                "format" => "pdf",
                "number" => "1",
                "method" => "CALL_NIK",
                "region" => "33",
                "credential_id" => "1",
                other => panic!("no value for path parameter {{{other}}} of {template}: add one in security.rs"),
            };
            path.push_str(value);
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        path
    }
}

/// One answer.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// Whether the visit was turned away. Wire routes answer refusals with
    /// HTTP 200 and an error code in the body, as the original service did.
    fn refused(&self, door: Door) -> bool {
        if self.status.is_client_error() {
            return true;
        }
        if self.status == StatusCode::SEE_OTHER {
            let to = self.headers.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
            return to.starts_with("/portal/masuk");
        }
        match door {
            Door::CompatService => self.json()["content"][0].get("RESPONSE_CODE").is_some(),
            Door::FaceService => !matches!(self.json()["error"]["errorCode"].as_u64(), Some(6018 | 6019)),
            _ => false,
        }
    }
}

/// How a visitor presents itself.
enum Credentials<'a> {
    Nobody,
    Token(&'a str),
    Service(&'a Login),
    Session(&'a mut Visitor),
}

/// The methods `path` answers, from the `Allow` header of a 405.
async fn methods(gateway: &Gateway, path: &str) -> Vec<Method> {
    let probe = Method::from_bytes(b"BREW").unwrap();
    let response = reqwest::Client::new().request(probe, format!("{}{path}", gateway.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
    let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    allow.split(',').map(str::trim).filter(|m| !m.is_empty() && *m != "HEAD").map(|m| m.parse().unwrap()).collect()
}

/// Every route as (template, door, methods).
async fn route_map(gateway: &Gateway) -> Vec<(&'static str, Door, Vec<Method>)> {
    let mut routes = Vec::new();
    for template in gateway.routes.iter().copied().collect::<BTreeSet<_>>() {
        let door = door(template);
        let concrete = Objects::placeholder().fill(template);
        routes.push((template, door, methods(gateway, &concrete).await));
    }
    assert!(routes.len() > 60, "the router lists its routes ({} seen)", routes.len());
    routes
}

impl Objects {
    /// `institution`'s objects as the demo made them, with `request` as
    /// its request id and `nik` as the resident named.
    async fn of(gateway: &Gateway, institution: &str, request: String, nik: &str) -> Objects {
        let plane = gateway.plane().await;
        let service = gateway.login(institution, "service");
        Objects {
            institution: institution.into(),
            instansi: service.instansi,
            agreement: plane.agreements_of(institution).next().unwrap().id.clone(),
            request,
            operator: gateway.login(institution, "operator").user_id,
            service_account: service.user_id,
            nik: nik.to_owned(),
        }
    }

    /// Objects that exist nowhere, for discovering methods.
    fn placeholder() -> Objects {
        let none = || "tidak-ada".to_owned();
        Objects {
            institution: none(),
            instansi: none(),
            agreement: none(),
            request: none(),
            operator: none(),
            service_account: none(),
            nik: "3313015512990999".into(),
        }
    }
}

/// Visits `path` with `method` as `credentials`. Pages get a form (with
/// the session's token when `with_token`), the API and wire routes JSON.
async fn visit(
    gateway: &Gateway,
    method: &Method,
    path: &str,
    credentials: Credentials<'_>,
    with_token: bool,
    nik: &str,
) -> Answer {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.request(method.clone(), format!("{}{path}", gateway.base));
    let page = path.starts_with("/portal");
    if let Credentials::Session(visitor) = &credentials {
        request = request.header("cookie", visitor.cookie_header());
    }
    if *method != Method::GET {
        request = if page {
            let token = match &credentials {
                Credentials::Session(visitor) if with_token => visitor.csrf.clone(),
                _ => String::new(),
            };
            let mut form = vec![("nik", nik.to_owned()), ("reason", "uji".to_owned()), ("active", "false".to_owned())];
            if !token.is_empty() {
                form.push(("csrf", token));
            }
            request.form(&form)
        } else {
            let mut body = json!({ "NIK": nik, "nik": nik, "reason": "uji", "active": false, "daily_quota": 9999 });
            if let Credentials::Service(login) = &credentials {
                body["USER_ID"] = json!(login.user_id);
                body["PASSWORD"] = json!(login.password);
            }
            request.header(CONTENT_TYPE, "application/json").body(body.to_string())
        };
    }
    match &credentials {
        Credentials::Token(token) => request = request.bearer_auth(token),
        Credentials::Service(login) => request = request.bearer_auth(&login.token),
        _ => {}
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    Answer { status, headers, body: response.text().await.unwrap() }
}

/// Signs `user_id` in and checks it landed on `landing`.
async fn session(gateway: &Gateway, user_id: &str, password: &str, landing: &str) -> Visitor {
    let mut visitor = Visitor::new(gateway);
    let signed = visitor.sign_in(user_id, password).await;
    assert_eq!(signed.location(), landing, "{user_id} signs in");
    // A page with a form, so the session's form token is known.
    visitor.get("/portal/keamanan").await;
    visitor
}

fn refusal_of(template: &str, method: &Method, who: &str, answer: &Answer, door: Door) {
    assert!(!answer.status.is_server_error(), "{method} {template} as {who}: {} {}", answer.status, answer.body);
    assert!(
        answer.refused(door),
        "{method} {template} served {who}: {} {}",
        answer.status,
        &answer.body[..answer.body.len().min(400)]
    );
}

#[tokio::test]
async fn no_route_serves_a_stranger() {
    let gateway = Gateway::start(40).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let mut objects = Objects::placeholder();
    objects.nik = nik.clone();
    let mut visited = 0;
    for (template, door, methods) in route_map(&gateway).await {
        for method in methods {
            let answer = visit(&gateway, &method, &objects.fill(template), Credentials::Nobody, false, &nik).await;
            if door == Door::Public || (door == Door::Resident && method == Method::GET) {
                // 503 is honest where a deployment has no provider key yet.
                assert_ne!(answer.status, StatusCode::INTERNAL_SERVER_ERROR, "{method} {template}");
                continue;
            }
            refusal_of(template, &method, "a stranger", &answer, door);
            // The resident's form shows back the NIK its visitor typed.
            if door != Door::Resident {
                assert!(!answer.body.contains(&nik), "{method} {template} echoed the NIK to a stranger");
            }
            visited += 1;
        }
    }
    assert!(visited > 60, "{visited} guarded visits");
}

#[tokio::test]
async fn a_partner_reaches_no_other_partners_objects_and_no_registry_route() {
    let gateway = Gateway::start(40).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    // LPSK, the victim, has an operator, a service account and a filed request.
    let lpsk_admin = gateway.login("lpsk", "partner_admin");
    let mut lpsk = session(&gateway, &lpsk_admin.user_id, &lpsk_admin.password, "/portal/mitra").await;
    lpsk.get("/portal/mitra/permintaan/user-id").await;
    let filed = lpsk.submit("/portal/mitra/permintaan/user-id", &borrowed(&applicant(&nik))).await;
    let request = filed.location().rsplit('/').next().unwrap().to_owned();
    let victim = Objects::of(&gateway, "lpsk", request, &nik).await;
    let before = gateway.store.control_version().await.unwrap();

    // BKN, the attacker, with every credential a partner holds.
    let service = gateway.login("bkn", "service");
    let bkn_admin = gateway.login("bkn", "partner_admin");
    let bkn_operator = gateway.login("bkn", "operator");
    let mut admin = session(&gateway, &bkn_admin.user_id, &bkn_admin.password, "/portal/mitra").await;
    let mut operator = session(&gateway, &bkn_operator.user_id, &bkn_operator.password, "/portal").await;
    let mut visited = 0;
    for (template, door, methods) in route_map(&gateway).await {
        let path = victim.fill(template);
        let names_objects = OBJECT_PARAMETERS.iter().any(|p| template.contains(p));
        for method in methods {
            let answers = match door {
                Door::RegistryApi => vec![(
                    "BKN's service account",
                    visit(&gateway, &method, &path, Credentials::Service(&service), true, &nik).await,
                )],
                Door::RegistryConsole => vec![
                    (
                        "BKN's administrator",
                        visit(&gateway, &method, &path, Credentials::Session(&mut admin), true, &nik).await,
                    ),
                    (
                        "BKN's operator",
                        visit(&gateway, &method, &path, Credentials::Session(&mut operator), true, &nik).await,
                    ),
                ],
                Door::PartnerPortal if names_objects => vec![
                    (
                        "BKN's administrator",
                        visit(&gateway, &method, &path, Credentials::Session(&mut admin), true, &nik).await,
                    ),
                    (
                        "BKN's operator",
                        visit(&gateway, &method, &path, Credentials::Session(&mut operator), true, &nik).await,
                    ),
                ],
                Door::CompatService => vec![(
                    "BKN's service account",
                    visit(&gateway, &method, &path, Credentials::Service(&service), true, &nik).await,
                )],
                _ => continue,
            };
            for (who, answer) in answers {
                refusal_of(template, &method, who, &answer, door);
                visited += 1;
            }
        }
    }
    assert!(visited > 40, "{visited} visits to another partner's objects");
    assert_eq!(gateway.store.control_version().await.unwrap(), before, "nothing of LPSK's, or anyone's, changed");
    assert!(gateway.plane().await.account(&victim.operator).unwrap().active);
}

#[tokio::test]
async fn a_regional_office_reaches_no_partner_outside_its_region() {
    let gateway = Gateway::start(40).await;
    let (alive, ..) = gateway.residents().await;
    // A resident outside Kabupaten Karanganyar (33.13).
    let outsider = alive.iter().find(|r| !nik_text(r.nik).starts_with("3313")).expect("a resident outside 33.13");
    let nik = nik_text(outsider.nik);
    let national = Objects::of(&gateway, "bkn", "bkn-u1".into(), &nik).await;
    let before = gateway.store.control_version().await.unwrap();
    let token = gateway.admin_token("admin-karanganyar");
    let password = admin_password(&gateway, "admin-karanganyar");
    let mut console = session(&gateway, "admin-karanganyar", &password, "/portal/konsol").await;
    let mut visited = 0;
    for (template, door, methods) in route_map(&gateway).await {
        let names_partner = OBJECT_PARAMETERS.iter().any(|p| template.contains(p)) || template.contains("{nik}");
        if !names_partner || template.contains("/sams/") || template.contains("pembaca-kartu") {
            continue;
        }
        let path = national.fill(template);
        for method in methods {
            let answer = match door {
                Door::RegistryApi => visit(&gateway, &method, &path, Credentials::Token(&token), true, &nik).await,
                Door::RegistryConsole => {
                    visit(&gateway, &method, &path, Credentials::Session(&mut console), true, &nik).await
                }
                _ => continue,
            };
            refusal_of(template, &method, "Disdukcapil Karanganyar", &answer, door);
            visited += 1;
        }
    }
    assert!(visited >= 10, "{visited} visits outside the region");
    assert_eq!(gateway.store.control_version().await.unwrap(), before, "nothing outside the region changed");
}

#[tokio::test]
async fn every_portal_form_refuses_a_post_without_its_token() {
    let gateway = Gateway::start(40).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let own = Objects::of(&gateway, "bkn", "bkn-u1".into(), &nik).await;
    let registry = admin_password(&gateway, "admin-dukcapil");
    let partner = gateway.login("bkn", "partner_admin");
    let operator = gateway.login("bkn", "operator");
    let (mut forms, mut for_the_token) = (0, 0);
    for (template, door, methods) in route_map(&gateway).await {
        if !methods.contains(&Method::POST) || !template.starts_with("/portal") {
            continue;
        }
        // Signed in as whoever may use the form, so only the token is missing.
        let mut visitor = match door {
            Door::RegistryConsole => session(&gateway, "admin-dukcapil", &registry, "/portal/konsol").await,
            Door::PartnerPortal => session(&gateway, &partner.user_id, &partner.password, "/portal/mitra").await,
            Door::Public if template == "/portal/masuk" => Visitor::new(&gateway),
            Door::Resident => Visitor::new(&gateway),
            Door::OperatorPortal | Door::AnySession => {
                session(&gateway, &operator.user_id, &operator.password, "/portal").await
            }
            other => panic!("a page form at {template} behind {other:?}"),
        };
        let before = gateway.store.control_version().await.unwrap();
        let path = own.fill(template);
        let forged = visit(&gateway, &Method::POST, &path, Credentials::Session(&mut visitor), false, &nik).await;
        // Refused, and mostly for the token itself; a form about an object
        // that does not exist may say so first.
        assert!(
            forged.status.is_client_error(),
            "POST {template} without its token: {} {}",
            forged.status,
            &forged.body[..forged.body.len().min(300)]
        );
        if forged.status == StatusCode::FORBIDDEN {
            for_the_token += 1;
        }
        assert_eq!(
            gateway.store.control_version().await.unwrap(),
            before,
            "POST {template} without its token changed something"
        );
        forms += 1;
    }
    assert!(forms >= 25 && for_the_token >= 20, "{forms} forms, {for_the_token} refused for the token");
}

#[tokio::test]
async fn every_route_taking_a_body_refuses_a_huge_one_from_a_stranger_and_stays_up() {
    let gateway = Gateway::start(40).await;
    let objects = Objects::placeholder();
    let huge = vec![b'{'; 20 * 1024 * 1024];
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut refused = 0;
    for (template, door, methods) in route_map(&gateway).await {
        for method in methods.into_iter().filter(|m| *m != Method::GET) {
            let url = format!("{}{}", gateway.base, objects.fill(template));
            let sent = client
                .request(method.clone(), url)
                .header(CONTENT_TYPE, "application/json")
                .body(huge.clone())
                .send()
                .await;
            // Refusing early may close the connection while the body is
            // still being sent: that is a refusal too.
            let Ok(response) = sent else {
                refused += 1;
                continue;
            };
            let status = response.status();
            let answer =
                Answer { status, headers: response.headers().clone(), body: response.text().await.unwrap_or_default() };
            assert!(!status.is_server_error(), "{method} {template} with 20 MiB: {status}");
            if door != Door::Public {
                refusal_of(template, &method, "a stranger with 20 MiB", &answer, door);
            } else {
                assert!(status.is_client_error(), "{method} {template} took 20 MiB: {status}");
            }
            refused += 1;
        }
    }
    assert!(refused >= 40, "{refused} huge bodies refused");
    let health = client.get(format!("{}/healthz", gateway.base)).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK, "the server is still up");
}

//! The log of a full run, read for what must never be in it: a demo server
//! at `debug` level serves the web service (answers, refusals, bad input),
//! the v1 API, the portal's sign-in and the administration API, and then
//! its whole standard error is searched for every NIK sent or answered, the
//! residents' names, every password (the demo's and one just issued),
//! every token, and the sign-in form's secrets.

use serde_json::{Value, json};

use crate::process::{spawn_listening_with, terminate};

/// What the run sent or received that must not reach the log.
#[derive(Default)]
struct Secrets(Vec<(String, String)>);

impl Secrets {
    fn add(&mut self, what: &str, value: impl Into<String>) {
        let value = value.into();
        if value.len() >= 6 {
            self.0.push((what.to_owned(), value));
        }
    }
}

fn credentials(dir: &std::path::Path, file: &str) -> Vec<Value> {
    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_run_logs_no_nik_name_password_or_token() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("demo");
    let dir_arg = dir.to_str().unwrap().to_owned();
    let running = tokio::task::spawn_blocking(move || {
        let args = ["demo", "--data-dir", &dir_arg, "--residents", "200", "--listen", "127.0.0.1:0"];
        spawn_listening_with(&args, &[("GERBANG_LOG", "debug")])
    })
    .await
    .unwrap();
    let base = format!("http://{}", running.address);
    let partners = credentials(&dir, "demo-credentials.json");
    let admins = credentials(&dir, "demo-admin-credentials.json");
    let mut secrets = Secrets::default();
    for account in partners.iter().chain(&admins) {
        secrets.add("a password", account["password"].as_str().unwrap());
        secrets.add("a token", account["token"].as_str().unwrap_or_default());
    }
    let find = |institution: &str, role: &str| {
        partners.iter().find(|c| c["institution"] == institution && c["role"] == role).unwrap().clone()
    };
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let compat = |login: &Value, method: &str, password: &str, extra: Value| {
        let mut body = json!({ "USER_ID": login["user_id"], "PASSWORD": password, "IP_USER": "127.0.0.1" });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let url = format!("{base}/dukcapil/get_json/{}/{method}", login["instansi"].as_str().unwrap());
        let client = client.clone();
        async move { client.post(url).body(body.to_string()).send().await.unwrap().json::<Value>().await.unwrap() }
    };

    // The web service: found residents, with their names answered.
    let lpsk = find("lpsk", "service");
    let store = gerbang_store_sqlite::SqliteStore::open(
        &dir.join("gerbang.sqlite3"),
        gerbang_store_sqlite::OpenMode::MustExist,
    )
    .unwrap();
    let residents = gerbang_store::Store::residents_after(&store, None, 6).await.unwrap();
    for resident in &residents {
        let nik = resident.nik.to_string();
        secrets.add("a NIK", nik.clone());
        let answer = compat(&lpsk, "CALL_NIK", lpsk["password"].as_str().unwrap(), json!({ "NIK": nik })).await;
        let name = answer["content"][0]["NAMA_LGKP"].as_str().unwrap_or_else(|| panic!("{answer}")).to_owned();
        secrets.add("a name", name);
    }
    // Refusals and bad input, each with a NIK or a password in it.
    let nik = residents[0].nik.to_string();
    compat(&lpsk, "CALL_NIK", "sandi-salah-9931", json!({ "NIK": nik })).await;
    secrets.add("a wrong password", "sandi-salah-9931");
    compat(&lpsk, "CALL_NIK", lpsk["password"].as_str().unwrap(), json!({ "NIK": "3313015512990999" })).await;
    secrets.add("an unknown NIK", "3313015512990999");
    compat(&lpsk, "CALL_NIK", lpsk["password"].as_str().unwrap(), json!({ "NIK": "99130155129909" })).await;
    secrets.add("a malformed NIK", "99130155129909");
    let verifier = find("kemenpppa", "service");
    let verify = json!({ "NIK": nik, "NAMA_LGKP": "NAMA RAHASIA SEKALI" });
    compat(&verifier, "CALL_VERIFY_BY_ELEMEN", verifier["password"].as_str().unwrap(), verify).await;
    secrets.add("a submitted name", "NAMA RAHASIA SEKALI");

    // The v1 API, with a token and with a wrong one.
    let v1 = |token: String, body: Value| {
        let client = client.clone();
        let url = format!("{base}/api/v1/call-nik");
        async move { client.post(url).bearer_auth(token).json(&body).send().await.unwrap().status() }
    };
    assert_eq!(
        v1(lpsk["token"].as_str().unwrap().to_owned(), json!({ "nik": residents[1].nik.to_string() })).await,
        200
    );
    v1("gb_token_palsu_123456".into(), json!({ "nik": nik })).await;
    secrets.add("a forged token", "gb_token_palsu_123456");

    // The portal's sign-in: a wrong password, then the right one.
    let operator = find("lpsk", "operator");
    for password in ["sandi-portal-salah", operator["password"].as_str().unwrap()] {
        let form = client.get(format!("{base}/portal/masuk")).send().await.unwrap();
        let cookie = form.headers().get("set-cookie").unwrap().to_str().unwrap().split(';').next().unwrap().to_owned();
        let page = form.text().await.unwrap();
        let at = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
        let csrf = page[at..].split('"').next().unwrap().to_owned();
        secrets.add("a form token", csrf.clone());
        let signed = client
            .post(format!("{base}/portal/masuk"))
            .header("cookie", cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("user_id", operator["user_id"].as_str().unwrap()),
                ("password", password),
            ])
            .send()
            .await
            .unwrap();
        for value in signed.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            secrets.add("a session cookie", pair.split_once('=').unwrap().1);
        }
    }
    secrets.add("a wrong portal password", "sandi-portal-salah");

    // The administration API issues a password.
    let admin = admins.iter().find(|a| a["user_id"] == "admin-dukcapil").unwrap();
    let issued: Value = client
        .post(format!("{base}/api/v1/admin/accounts"))
        .bearer_auth(admin["token"].as_str().unwrap())
        .json(&json!({ "user_id": "lpsk-ws2", "institution": "lpsk", "role": "service" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    secrets.add("an issued password", issued["password"].as_str().unwrap_or_else(|| panic!("{issued}")));
    secrets.add("an issued token", issued["token"].as_str().unwrap_or_default());

    let mut running = running;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    terminate(&mut running.child);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let log = running.log();
    assert!(log.lines().count() > 30, "a debug log was written: {log}");
    assert!(log.contains("/dukcapil/get_json/{instansi}/{method}"), "requests are logged, by route template");
    for (what, value) in &secrets.0 {
        let line = log.lines().find(|line| line.contains(value.as_str()));
        assert!(line.is_none(), "{what} reached the log: {}", line.unwrap_or_default());
    }
    assert!(secrets.0.len() > 40, "{} secrets looked for", secrets.0.len());
}

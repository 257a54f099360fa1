//! A gateway for the access-plane tests: its own register of synthetic
//! residents, the five demo partners of the seeds, an injected clock, and
//! the real server on `127.0.0.1:0`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use gerbang_core::access::provider_key::rand_core::OsRng;
use gerbang_core::access::{ControlPlane, ControlWrite, ProviderKey};
use gerbang_core::{FixedClock, Nik, Regions, Resident};
use gerbang_store::Store;
use gerbang_store_sqlite::{OpenMode, SqliteStore};
use gerbang_web::biometrics::BiometricEngine;
use gerbang_web::{AppState, ServerLimits, WebConfig};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The day the tests pretend it is (Jakarta).
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Noon in Jakarta on `day`.
pub fn noon(day: NaiveDate) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(5, 0, 0).unwrap())
}

/// One demo account.
#[derive(Debug, Clone)]
pub struct Login {
    pub institution: String,
    pub instansi: String,
    pub user_id: String,
    pub password: String,
    pub token: String,
    pub role: String,
}

/// A running gateway.
pub struct Gateway {
    pub base: String,
    pub clock: Arc<FixedClock>,
    pub store: Arc<dyn Store>,
    pub state: AppState,
    pub logins: Vec<Login>,
    /// The path template of every route served.
    pub routes: Vec<&'static str>,
    pub dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    _keep: tempfile::TempDir,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Gateway {
    /// A fresh gateway with `residents` synthetic residents.
    pub async fn start(residents: u64) -> Gateway {
        Gateway::start_with(residents, Vec::new()).await
    }

    /// A fresh gateway that believes `X-Forwarded-For` from `proxies`.
    pub async fn start_with(residents: u64, proxies: Vec<ipnet::IpNet>) -> Gateway {
        Gateway::start_inner(residents, proxies, false, ServerLimits::default()).await
    }

    /// A fresh gateway serving under connection `limits`.
    pub async fn start_with_limits(residents: u64, limits: ServerLimits) -> Gateway {
        Gateway::start_inner(residents, Vec::new(), false, limits).await
    }

    /// A fresh gateway whose biometric engine has the face models, with a
    /// provider key for `CALL_FR`.
    pub async fn start_with_biometrics(residents: u64) -> Gateway {
        Gateway::start_inner(residents, Vec::new(), true, ServerLimits::default()).await
    }

    async fn start_inner(
        residents: u64,
        proxies: Vec<ipnet::IpNet>,
        biometrics: bool,
        limits: ServerLimits,
    ) -> Gateway {
        let keep = tempfile::tempdir().unwrap();
        let dir = keep.path().to_owned();
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(&dir.join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap());
        gerbang::prepare_demo(&store, residents, today(), &dir).await.unwrap();
        let credentials: Vec<Value> =
            serde_json::from_slice(&std::fs::read(dir.join("demo-credentials.json")).unwrap()).unwrap();
        let logins = credentials
            .iter()
            .map(|c| Login {
                institution: c["institution"].as_str().unwrap().into(),
                instansi: c["instansi"].as_str().unwrap().into(),
                user_id: c["user_id"].as_str().unwrap().into(),
                password: c["password"].as_str().unwrap().into(),
                token: c["token"].as_str().unwrap().into(),
                role: c["role"].as_str().unwrap().into(),
            })
            .collect();
        let clock = Arc::new(FixedClock::new(noon(today())));
        let mut state = AppState::open(Arc::clone(&store), Regions::official(), clock.clone(), proxies).await.unwrap();
        if biometrics {
            let models = crate::support::face_models();
            let engine = BiometricEngine::load(store.as_ref(), Some(&models)).await.unwrap();
            assert!(engine.faces_available(), "face models absent at {}: run scripts/face-models.sh", models.display());
            let key = ProviderKey::generate(&mut OsRng).unwrap();
            state = state.with_biometrics(engine).with_provider_key(key);
        }
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address: SocketAddr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let sessions: Arc<gerbang_portal::Sessions> = Arc::default();
        let uploads = gerbang_portal::uploads(Arc::clone(&sessions));
        let (app, routes) =
            gerbang_web::assemble(state.clone(), WebConfig::default(), gerbang_portal::router(sessions), uploads);
        tokio::spawn(gerbang_web::serve_with_limits(listener, app, limits, async {
            let _ = stopped.await;
        }));
        Gateway {
            base: format!("http://{address}"),
            clock,
            store,
            state,
            logins,
            routes,
            dir,
            stop: Some(stop),
            _keep: keep,
        }
    }

    /// The demo account of `institution` with `role` (`service` / `operator`).
    pub fn login(&self, institution: &str, role: &str) -> Login {
        self.logins.iter().find(|l| l.institution == institution && l.role == role).cloned().unwrap()
    }

    /// The v1 token of the demo provider administrator `user_id`.
    pub fn admin_token(&self, user_id: &str) -> String {
        let admins: Vec<Value> =
            serde_json::from_slice(&std::fs::read(self.dir.join("demo-admin-credentials.json")).unwrap()).unwrap();
        admins.iter().find(|a| a["user_id"] == user_id).unwrap()["token"].as_str().unwrap().to_owned()
    }

    /// A call to the administration API `/api/v1/admin/{path}` with a
    /// provider administrator's token: the status and the JSON answer.
    pub async fn admin(&self, method: reqwest::Method, path: &str, token: &str, body: Value) -> (u16, Value) {
        let response = reqwest::Client::new()
            .request(method, format!("{}/api/v1/admin/{path}", self.base))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
    }

    /// The control plane as stored.
    pub async fn plane(&self) -> ControlPlane {
        self.store.control_plane().await.unwrap()
    }

    /// Applies control-plane writes through the server's state.
    pub async fn apply(&self, writes: Vec<ControlWrite>) {
        self.state.apply_control(writes).await.unwrap();
    }

    /// Residents of the register: (alive, deceased, inactive, duplicate).
    pub async fn residents(&self) -> (Vec<Resident>, Option<Resident>, Option<Resident>, Option<Resident>) {
        let all = self.store.residents_after(None, 100_000).await.unwrap();
        let alive =
            all.iter().filter(|r| !r.life.is_deceased() && r.life.active && !r.life.duplicate).cloned().collect();
        let deceased = all.iter().find(|r| r.life.is_deceased()).cloned();
        let inactive = all.iter().find(|r| !r.life.is_deceased() && !r.life.active && !r.life.duplicate).cloned();
        let duplicate = all.iter().find(|r| !r.life.is_deceased() && r.life.duplicate).cloned();
        (alive, deceased, inactive, duplicate)
    }

    /// Records in the audit trail.
    pub async fn audit_count(&self) -> u64 {
        self.store.audit_tail().await.unwrap().map_or(0, |t| t.seq)
    }

    /// A compatible-service call with credentials in the body.
    pub async fn compat(&self, login: &Login, method: &str, mut body: Value) -> Value {
        body["USER_ID"] = json!(login.user_id);
        body["PASSWORD"] = json!(login.password);
        body["IP_USER"] = json!("127.0.0.1");
        self.compat_raw(&login.instansi, method, body.to_string()).await
    }

    /// A compatible-service call with a raw body.
    pub async fn compat_raw(&self, instansi: &str, method: &str, body: String) -> Value {
        let response = reqwest::Client::new()
            .post(format!("{}/dukcapil/get_json/{instansi}/{method}", self.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "business answers are HTTP 200");
        response.json().await.unwrap()
    }

    /// A v1 call with the login's token: (status, quota header, body).
    pub async fn v1(&self, login: &Login, path: &str, body: Value) -> (u16, Option<u32>, Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v1/{path}", self.base))
            .bearer_auth(&login.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let quota = response
            .headers()
            .get(gerbang_web::QUOTA_HEADER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok());
        (status, quota, response.json().await.unwrap())
    }
}

/// `content[0]` of a compatible answer.
pub fn row(answer: &Value) -> &serde_json::Map<String, Value> {
    answer["content"][0].as_object().unwrap()
}

/// The `RESPONSE_CODE` of a compatible answer, if it is an error.
pub fn code(answer: &Value) -> Option<&str> {
    answer["content"][0]["RESPONSE_CODE"].as_str()
}

/// The NIK as the wire's 16-digit text.
pub fn nik_text(nik: Nik) -> String {
    format!("{:016}", nik.value())
}

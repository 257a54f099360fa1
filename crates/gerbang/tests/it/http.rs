//! The real server on `127.0.0.1:0`, spoken to over HTTP.

use std::net::SocketAddr;
use std::sync::Arc;

use gerbang_core::Regions;
use gerbang_store_sqlite::{OpenMode, SqliteStore};
use gerbang_web::{AppState, WebConfig};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::support::{samples, seeded};

/// A running server and the means to stop it.
struct Server {
    address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn start(dev_open_register: bool) -> Server {
    let store = SqliteStore::open(&seeded().dir.join("gerbang.sqlite3"), OpenMode::MustExist).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let clock: Arc<dyn gerbang_core::Clock> = Arc::new(gerbang_core::SystemClock);
    let state = AppState::open(Arc::new(store), Regions::official(), clock, Vec::new()).await.unwrap();
    tokio::spawn(gerbang_web::run(listener, state, WebConfig { dev_open_register }, async {
        let _ = stopped.await;
    }));
    Server { address, stop: Some(stop) }
}

#[tokio::test]
async fn healthz_answers_with_an_operation_id() {
    let server = start(false).await;
    let response = reqwest::get(format!("http://{}/healthz", server.address)).await.unwrap();
    assert_eq!(response.status(), 200);
    let id = response.headers().get("x-request-id").expect("operation id").to_str().unwrap().to_owned();
    assert_eq!(uuid_version(&id), Some('7'));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

fn uuid_version(id: &str) -> Option<char> {
    id.chars().nth(14)
}

#[tokio::test]
async fn the_register_is_closed_unless_the_dev_flag_is_given() {
    let (niks, _) = samples(&seeded().output);
    let server = start(false).await;
    let response = reqwest::get(format!("http://{}/api/v1/residents/{}", server.address, niks[0])).await.unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "route.not_found");
    assert!(!body.to_string().contains(&niks[0]));
}

#[tokio::test]
async fn the_dev_register_shows_a_resident() {
    let (niks, cards) = samples(&seeded().output);
    let server = start(true).await;
    let response = reqwest::get(format!("http://{}/api/v1/residents/{}", server.address, niks[0])).await.unwrap();
    assert_eq!(response.status(), 200);
    let record: serde_json::Value = response.json().await.unwrap();
    assert_eq!(record["elements"]["NIK"].as_u64().map(|n| n.to_string()), Some(niks[0].clone()));
    assert_eq!(record["elements"]["NO_KK"].as_u64().map(|n| n.to_string()), Some(cards[0].clone()));
    assert!(record["elements"]["NAMA_LGKP"].as_str().is_some_and(|n| n == n.to_uppercase()));
    assert!(record["active"].is_boolean());
}

#[tokio::test]
async fn the_dev_register_refuses_bad_niks_with_their_rule() {
    let server = start(true).await;
    for (nik, status, code) in [
        ("3313013102850001", 400, "nik.invalid_date"),
        ("33130112058500", 400, "nik.length"),
        ("abc", 400, "nik.not_digits"),
        ("3313011205850001", 404, "resident.not_found"),
    ] {
        let response = reqwest::get(format!("http://{}/api/v1/residents/{nik}", server.address)).await.unwrap();
        assert_eq!(response.status(), status, "{nik}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], code, "{nik}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

#[tokio::test]
async fn every_error_body_carries_its_code_and_operation_id() {
    let server = start(false).await;
    let client = reqwest::Client::new();
    let url = format!("http://{}/healthz", server.address);
    let too_large = client.post(&url).body(vec![b'x'; 2 * 1024 * 1024]).send().await.unwrap();
    assert_eq!(too_large.status(), 413);
    let header = too_large.headers().get("x-request-id").unwrap().to_str().unwrap().to_owned();
    let body: serde_json::Value = too_large.json().await.unwrap();
    assert_eq!(body["code"], "request.too_large");
    assert_eq!(body["operation_id"], header.as_str());
    let wrong_method = client.delete(&url).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    let body: serde_json::Value = wrong_method.json().await.unwrap();
    assert_eq!(body["code"], "request.method_not_allowed");
    assert!(body["operation_id"].is_string());
    let unknown = client.get(format!("http://{}/nope", server.address)).send().await.unwrap();
    let body: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!((body["code"].as_str(), body["operation_id"].is_string()), (Some("route.not_found"), true));
}

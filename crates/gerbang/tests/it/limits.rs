//! Connection-level limits over real sockets: a client that trickles its
//! request head is cut off, and the connection limit holds further clients
//! back until a connection closes, instead of serving without bound.

use std::time::Duration;

use gerbang_web::ServerLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::gateway::Gateway;

/// Long enough that a loaded machine is never the reason a wait ends.
const PATIENCE: Duration = Duration::from_secs(60);

fn address(gateway: &Gateway) -> String {
    gateway.base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection; what it sent.
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return received,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
        }
    }
}

/// A plain `GET /healthz` on a fresh connection: the status line.
async fn health_status_line(address: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: gerbang\r\nConnection: close\r\n\r\n").await.unwrap();
    let answer = read_until_closed(&mut stream).await;
    String::from_utf8_lossy(&answer).lines().next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_client_trickling_its_request_head_is_cut_off() {
    let limits = ServerLimits { header_read_timeout: Duration::from_millis(500), ..ServerLimits::default() };
    let gateway = Gateway::start_with_limits(30, limits).await;
    let mut slow = TcpStream::connect(address(&gateway)).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: gerbang\r\n").await.unwrap();
    // One more header line every 200 ms: each alone is quick, the head never ends.
    let trickle = async {
        for n in 0.. {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if slow.write_all(format!("X-Slow-{n}: 1\r\n").as_bytes()).await.is_err() {
                break;
            }
        }
    };
    let cut = tokio::time::timeout(PATIENCE, trickle).await;
    assert!(cut.is_ok(), "the server let a trickling request head hold its connection for {PATIENCE:?}");
    assert!(health_status_line(&address(&gateway)).await.contains("200"), "others are still served");
}

#[tokio::test]
async fn the_connection_limit_holds_new_clients_until_a_connection_closes() {
    let limits = ServerLimits { max_connections: 2, header_read_timeout: PATIENCE };
    let gateway = Gateway::start_with_limits(30, limits).await;
    let address = address(&gateway);
    let first = TcpStream::connect(&address).await.unwrap();
    let second = TcpStream::connect(&address).await.unwrap();
    // Both idle connections are accepted before the third client comes.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let third = tokio::spawn({
        let address = address.clone();
        async move { health_status_line(&address).await }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!third.is_finished(), "a third connection was served beyond the limit of two");

    drop(first);
    let answered = tokio::time::timeout(PATIENCE, third).await.expect("served once a connection closed").unwrap();
    assert!(answered.contains("200"), "{answered}");
    drop(second);
}

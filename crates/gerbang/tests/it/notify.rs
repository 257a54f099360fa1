//! Obligation reminders through the outbox (SPEC.md §3): `gerbang notify
//! queue` queues each due-soon or overdue obligation and each operator
//! without an NDA once, for the partner and for its provider; `notify send`
//! delivers them to a real SMTP conversation (a small relay in this test
//! that records what it is given), keeps the ones without an address queued
//! with the reason, and refuses to run without an SMTP relay configured.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use gerbang_store::Store;
use gerbang_store_sqlite::{OpenMode, SqliteStore};

use crate::gateway::today;
use crate::support::{gerbang, stderr, stdout};

/// A relay that accepts every message and keeps its DATA.
fn smtp_relay() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&received);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            stream.write_all(b"220 relay.test ESMTP\r\n").unwrap();
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                let command = line.trim_end().to_ascii_uppercase();
                let answer: &[u8] = if command.starts_with("DATA") {
                    stream.write_all(b"354 end with .\r\n").unwrap();
                    let mut data = String::new();
                    loop {
                        let mut part = String::new();
                        if reader.read_line(&mut part).unwrap_or(0) == 0 || part == ".\r\n" {
                            break;
                        }
                        data.push_str(&part);
                    }
                    kept.lock().unwrap().push(data);
                    b"250 queued\r\n"
                } else if command.starts_with("QUIT") {
                    stream.write_all(b"221 bye\r\n").unwrap();
                    break;
                } else {
                    b"250 ok\r\n"
                };
                stream.write_all(answer).unwrap();
                line.clear();
            }
        }
    });
    (port, received)
}

#[tokio::test]
async fn reminders_are_queued_once_and_delivered_to_the_configured_addresses() {
    let keep = tempfile::tempdir().unwrap();
    let dir = keep.path().to_owned();
    {
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(&dir.join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap());
        gerbang::prepare_demo(&store, 20, today(), &dir).await.unwrap();
    }
    let created =
        gerbang(&dir, &["user", "create", "kemenpppa-op2", "--institution", "kemenpppa", "--role", "operator"]);
    assert!(created.status.success(), "{}", stderr(&created));

    let queued = gerbang(&dir, &["notify", "queue"]);
    assert!(queued.status.success(), "{}", stderr(&queued));
    let first: u64 = stdout(&queued).split_whitespace().next().unwrap().parse().unwrap();
    assert!(first >= 2, "{}", stdout(&queued));
    let again = gerbang(&dir, &["notify", "queue"]);
    assert!(stdout(&again).starts_with("0 pengingat baru"), "{}", stdout(&again));

    let listed = gerbang(&dir, &["notify", "list", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(rows.len() as u64, first);
    assert!(rows.iter().any(|r| r["subject"].as_str().unwrap().contains("NDA operator kemenpppa-op2")));
    let for_kemenpppa = rows.iter().filter(|r| r["institution"] == "kemenpppa").count();
    let for_others = rows.len() - for_kemenpppa;

    let unconfigured = gerbang(&dir, &["notify", "send"]);
    assert!(!unconfigured.status.success());
    assert!(stderr(&unconfigured).contains("[mail.not_configured]"), "{}", stderr(&unconfigured));

    let (port, received) = smtp_relay();
    let config = dir.join("gerbang.toml");
    std::fs::write(
        &config,
        format!(
            "version = 1\n[mail]\nsmtp = \"smtp://127.0.0.1:{port}\"\nfrom = \"gerbang@dukcapil.go.id\"\n\
             [mail.recipients]\nkemenpppa = \"pks@kemenpppa.go.id\"\ndukcapil = \"pks@dukcapil.go.id\"\n"
        ),
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let sent = gerbang(&dir, &["--config", config, "notify", "send"]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    // KemenPPPA's own and every registry copy whose partner is Ditjen
    // Dukcapil's go out; the partner copies of others have no address, and
    // nor do the registry copies of Karanganyar's regional partner.
    let delivered = received.lock().unwrap().clone();
    assert!(delivered.len() > for_kemenpppa && delivered.len() < rows.len(), "{} of {}", delivered.len(), rows.len());
    assert!(stdout(&sent).starts_with(&format!("{} notifikasi terkirim", delivered.len())), "{}", stdout(&sent));
    let nda = delivered.iter().find(|m| m.contains("To: pks@kemenpppa.go.id") && m.contains("kemenpppa-op2")).unwrap();
    assert!(nda.contains("From: gerbang@dukcapil.go.id"), "{nda}");

    let left: Vec<serde_json::Value> =
        serde_json::from_slice(&gerbang(&dir, &["notify", "list", "--json"]).stdout).unwrap();
    assert_eq!(left.len(), rows.len() - delivered.len());
    assert!(left.len() >= for_others / 2, "partners without an address stay queued");
    assert!(
        left.iter().all(|r| r["attempts"] == 1 && r["last_error"].as_str().unwrap().contains("belum dikonfigurasi"))
    );
}

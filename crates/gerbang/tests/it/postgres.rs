//! The command line on PostgreSQL: `--database-url postgres://…` seeds,
//! shows and verifies against a real server (the cluster named by
//! `GERBANG_TEST_POSTGRES_URL`, which `scripts/test.sh` starts), and a wrong
//! password is refused without being echoed.

use tokio_postgres::NoTls;

use crate::process::{spawn_listening, terminate};
use crate::support::{gerbang, samples, stderr, stdout};

const CLUSTER: &str = "GERBANG_TEST_POSTGRES_URL";

fn cluster_url() -> String {
    std::env::var(CLUSTER).unwrap_or_else(|_| {
        panic!("{CLUSTER} is not set: run scripts/test.sh, which starts a throwaway PostgreSQL cluster")
    })
}

/// `postgres://user@host:port/db` with the database name replaced.
fn with_database(url: &str, database: &str) -> String {
    let (server, _) = url.rsplit_once('/').expect("a postgres:// URL with a database");
    format!("{server}/{database}")
}

/// Runs one statement on the cluster's maintenance database.
fn admin(sql: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let (client, connection) =
            tokio_postgres::connect(&cluster_url(), NoTls).await.expect("the test cluster answers");
        tokio::spawn(connection);
        client.batch_execute(sql).await.expect("the cluster accepts the statement");
    });
}

/// An empty database on the test cluster, dropped when the test ends
/// (whether it passed or not).
pub(crate) struct Database {
    name: String,
    pub(crate) url: String,
}

impl Database {
    pub(crate) fn create(prefix: &str) -> Database {
        let name = format!("{prefix}_{}", std::process::id());
        // One statement per call: CREATE DATABASE cannot run in a transaction.
        admin(&format!("drop database if exists {name} with (force)"));
        admin(&format!("create database {name}"));
        let url = with_database(&cluster_url(), &name);
        Database { name, url }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        admin(&format!("drop database if exists {} with (force)", self.name));
    }
}

/// The demo account `user_id` from `DIR/demo-credentials.json`.
pub(crate) fn demo_login(dir: &std::path::Path, user_id: &str) -> serde_json::Value {
    let logins: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("demo-credentials.json")).unwrap()).unwrap();
    logins.as_array().unwrap().iter().find(|l| l["user_id"] == user_id).unwrap().clone()
}

#[test]
fn the_command_line_runs_on_postgresql() {
    let database = Database::create("gerbang_it");
    let url = database.url.clone();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();

    let seeded = gerbang(dir, &["seed", "--residents", "300", "--seed", "3", "--database-url", &url]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    let (niks, _) = samples(&stdout(&seeded));
    let shown = gerbang(dir, &["resident", "show", &niks[0], "--json", "--database-url", &url]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert!(stdout(&shown).contains(&niks[0]));
    let verified = gerbang(dir, &["audit", "verify", "--database-url", &url]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(!dir.join("gerbang.sqlite3").exists(), "nothing was written to the SQLite default");

    let (server, _) = url.rsplit_once('@').unwrap();
    let (scheme, _) = server.split_once("//").unwrap();
    let wrong = url.replacen(&format!("{scheme}//postgres@"), &format!("{scheme}//nobody:s3cr3t-pw@"), 1);
    let refused = gerbang(dir, &["resident", "show", &niks[0], "--database-url", &wrong]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("galat [store.unavailable]"), "{}", stderr(&refused));
    assert!(!stderr(&refused).contains("s3cr3t-pw"), "{}", stderr(&refused));
}

/// One CALL_NIK by LPSK's service account; the answer's first row.
fn call_nik(address: &str, login: &serde_json::Value, nik: &str) -> serde_json::Value {
    let body = serde_json::json!({
        "USER_ID": login["user_id"], "PASSWORD": login["password"], "IP_USER": "127.0.0.1", "NIK": nik,
    });
    let answer: serde_json::Value = reqwest::blocking::Client::new()
        .post(format!("http://{address}/dukcapil/get_json/LPSK/CALL_NIK"))
        .json(&body)
        .send()
        .and_then(|response| response.json())
        .expect("a JSON answer");
    answer["content"][0].clone()
}

/// Two `gerbang` servers on one PostgreSQL database: a daily quota is exact
/// across both under concurrent requests, the audit trail is one verified
/// chain, and an agreement terminated with the CLI is refused by both
/// (each node reloads the control plane every 0.5 s; the deadline below
/// only guards against a hang, it is not a speed target).
#[test]
fn two_servers_on_one_database_share_quota_trail_and_termination() {
    let database = Database::create("gerbang_nodes");
    let url = database.url.clone();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let seeded = gerbang(dir, &["seed", "--residents", "300", "--seed", "5", "--database-url", &url]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    let (niks, _) = samples(&stdout(&seeded));

    let dir_arg = dir.to_str().unwrap();
    let mut first =
        spawn_listening(&["demo", "--data-dir", dir_arg, "--database-url", &url, "--listen", "127.0.0.1:0"]);
    let mut second =
        spawn_listening(&["serve", "--data-dir", dir_arg, "--database-url", &url, "--listen", "127.0.0.1:0"]);
    let login = demo_login(dir, "lpsk-ws");
    let cli = |args: &[&str]| {
        let output = gerbang(dir, &[args, &["--database-url", &url]].concat());
        assert!(output.status.success(), "{}", stderr(&output));
    };
    cli(&["user", "set-quota", "lpsk-ws", "10"]);
    std::thread::sleep(std::time::Duration::from_millis(1200));

    let addresses = [first.address.clone(), second.address.clone()];
    let answers: Vec<serde_json::Value> = std::thread::scope(|scope| {
        let calls: Vec<_> = (0..24)
            .map(|n| {
                let (address, login, nik) = (&addresses[n % 2], &login, &niks[0]);
                scope.spawn(move || call_nik(address, login, nik))
            })
            .collect();
        calls.into_iter().map(|call| call.join().unwrap()).collect()
    });
    let served = answers.iter().filter(|row| row.get("RESPONSE_CODE").is_none()).count();
    let exhausted = answers.iter().filter(|row| row["RESPONSE_CODE"] == "05").count();
    assert_eq!((served, exhausted), (10, 14), "exactly the quota across both servers: {answers:?}");
    let verified = gerbang(dir, &["audit", "verify", "--database-url", &url]);
    assert!(stdout(&verified).contains("24 catatan, rantai utuh"), "{}", stdout(&verified));

    cli(&["user", "set-quota", "lpsk-ws", "1000"]);
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!(call_nik(&addresses[1], &login, &niks[0]).get("RESPONSE_CODE").is_none());
    // Today in Jakarta, as the servers see it.
    let today = gerbang_core::Clock::today(&gerbang_core::clock::SystemClock).to_string();
    let agreement = login["agreement"].as_str().unwrap();
    cli(&["agreement", "terminate", agreement, "--effective-on", &today, "--reason", "consent", "--note", "uji"]);
    let terminated = std::time::Instant::now();
    for address in &addresses {
        while call_nik(address, &login, &niks[0]).get("RESPONSE_CODE").is_none() {
            assert!(terminated.elapsed().as_secs() < 30, "{address} still answers after termination");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    eprintln!("both servers refused {} ms after the termination was stored", terminated.elapsed().as_millis());

    assert!(terminate(&mut first.child).success());
    assert!(terminate(&mut second.child).success());
}

/// `gerbang migrate` moves a SQLite deployment that has served requests into
/// an empty PostgreSQL database whole: the same register counts, partners,
/// audit chain and "who accessed this NIK" answers, canaries and the alert a
/// canary's call raised; a second run refuses the now non-empty target.
#[test]
fn a_sqlite_deployment_moves_into_postgresql_whole() {
    let database = Database::create("gerbang_move");
    let url = database.url.clone();
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let seeded = gerbang(dir, &["seed", "--residents", "400", "--seed", "9"]);
    assert!(seeded.status.success(), "{}", stderr(&seeded));
    let (niks, _) = samples(&stdout(&seeded));
    let mut served = spawn_listening(&["demo", "--data-dir", dir.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    let login = demo_login(dir, "lpsk-ws");
    for nik in niks.iter().take(3) {
        assert!(call_nik(&served.address, &login, nik).get("RESPONSE_CODE").is_none());
    }
    // The demo planted canaries; calling one raises an alert that must move.
    let canaries: serde_json::Value =
        serde_json::from_str(&stdout(&gerbang(dir, &["canary", "list", "--json"]))).unwrap();
    let canary = canaries[0]["nik"].as_str().expect("the demo plants canaries").to_owned();
    call_nik(&served.address, &login, &canary);
    assert!(terminate(&mut served.child).success());
    let queued = gerbang(dir, &["notify", "queue"]);
    assert!(queued.status.success(), "{}", stderr(&queued));
    // Return data LPSK sent about a NIK it called moves too.
    let file = dir.join("lpsk.csv");
    std::fs::write(&file, format!("NIK;NOMOR_REGISTER;NOMOR_SK_PARIPURNA\n{};REG-1;SK-1\n", niks[0])).unwrap();
    let imported = gerbang(dir, &["return-data", "import", "--partner", "lpsk", "--file", file.to_str().unwrap()]);
    assert!(imported.status.success(), "{}", stderr(&imported));

    let moved = gerbang(dir, &["migrate", "--to", &url]);
    assert!(moved.status.success(), "{}", stderr(&moved));
    assert!(stdout(&moved).contains("1 baris data balikan"), "{}", stdout(&moved));
    assert!(stdout(&moved).contains("rantai audit tujuan utuh (5 catatan)"), "{}", stdout(&moved));
    assert!(stdout(&moved).contains("1 peringatan keamanan"), "{}", stdout(&moved));
    let both = |args: &[&str]| {
        let here = gerbang(dir, args);
        let there = gerbang(dir, &[args, &["--database-url", &url]].concat());
        assert!(here.status.success() && there.status.success(), "{} {}", stderr(&here), stderr(&there));
        (stdout(&here), stdout(&there))
    };
    let semester =
        gerbang_core::report::Semester::containing(gerbang_core::Clock::today(&gerbang_core::SystemClock)).to_string();
    for args in [
        &["audit", "verify"][..],
        &["audit", "who", &niks[0], "--json"],
        &["report", "semester", "--partner", "lpsk", "--semester", &semester, "--json"],
        &["institution", "list"],
        &["user", "list"],
        &["resident", "show", &niks[1], "--json"],
        &["notify", "list", "--json"],
        &["return-data", "show", &niks[0], "--json"],
        &["schema", "list"],
        &["canary", "list", "--json"],
        &["alerts", "--json"],
    ] {
        let (here, there) = both(args);
        assert_eq!(here, there, "gerbang {args:?} differs after the move");
    }
    let again = gerbang(dir, &["migrate", "--to", &url]);
    assert!(stderr(&again).contains("galat [migrate.target_not_empty]"), "{}", stderr(&again));
}

//! The command line on PostgreSQL: `--database-url postgres://…` seeds,
//! shows and verifies against a real server (the cluster named by
//! `GERBANG_TEST_POSTGRES_URL`, which `scripts/test.sh` starts), and a wrong
//! password is refused without being echoed.

use tokio_postgres::NoTls;

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

async fn admin(sql: &str) {
    let (client, connection) = tokio_postgres::connect(&cluster_url(), NoTls).await.expect("the test cluster answers");
    tokio::spawn(connection);
    client.batch_execute(sql).await.expect("the cluster accepts the statement");
}

#[tokio::test]
async fn the_command_line_runs_on_postgresql() {
    let name = format!("gerbang_it_{}", std::process::id());
    // One statement per call: CREATE DATABASE cannot run in a transaction.
    admin(&format!("drop database if exists {name} with (force)")).await;
    admin(&format!("create database {name}")).await;
    let url = with_database(&cluster_url(), &name);
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

    admin(&format!("drop database if exists {name} with (force)")).await;
}

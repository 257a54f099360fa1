//! The stored audit trail and quota counters, read straight from the
//! database, so a fault test can hold every answer a client received
//! against the record that must exist for it. Only the parent table
//! `audit_trail` is named, whatever partitions may hang under it.

use std::collections::HashMap;
use std::path::Path;

use tokio_postgres::NoTls;

/// One stored audit record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Audited {
    pub(crate) seq: i64,
    pub(crate) outcome: String,
    pub(crate) charged: bool,
}

/// Where a node keeps its trail: PostgreSQL at a URL, or the SQLite
/// default in the data folder.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Backend<'a> {
    Sqlite,
    Postgres(&'a str),
}

impl<'a> Backend<'a> {
    /// The command-line arguments that select this backend.
    pub(crate) fn args(self) -> Vec<&'a str> {
        match self {
            Backend::Sqlite => Vec::new(),
            Backend::Postgres(url) => vec!["--database-url", url],
        }
    }

    /// Every stored record, by operation id.
    pub(crate) fn trail(self, dir: &Path) -> HashMap<String, Audited> {
        match self {
            Backend::Sqlite => {
                let audit = rusqlite::Connection::open(dir.join("gerbang.audit.sqlite3")).unwrap();
                let mut statement =
                    audit.prepare("select operation_id, seq, outcome, charged from audit_trail").unwrap();
                statement
                    .query_map([], |row| {
                        Ok((row.get(0)?, Audited { seq: row.get(1)?, outcome: row.get(2)?, charged: row.get(3)? }))
                    })
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            }
            Backend::Postgres(url) => query(url, "select operation_id, seq, outcome, charged from audit_trail", &[])
                .iter()
                .map(|row| (row.get(0), Audited { seq: row.get(1), outcome: row.get(2), charged: row.get(3) }))
                .collect(),
        }
    }

    /// Waits until the sessions of a node that was killed have ended: a
    /// statement the database had already received when the node died (a
    /// COMMIT of audit records) still runs to its end, and the trail is
    /// read only after it.
    pub(crate) fn settle(self) {
        let Backend::Postgres(url) = self else { return };
        let others =
            "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()";
        let asked = std::time::Instant::now();
        while query(url, others, &[])[0].get::<_, i64>(0) > 0 {
            assert!(asked.elapsed().as_secs() < 10, "the killed node's sessions did not end");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

/// Hits charged to `user_id` by the quota counters, all days together
/// (PostgreSQL only: SQLite counts in the serving process's memory).
pub(crate) fn charged_hits(url: &str, user_id: &str) -> i64 {
    query(url, "select coalesce(sum(used), 0)::bigint from quota_counters where user_id = $1", &[&user_id])[0].get(0)
}

/// Runs one query on the database at `url`.
fn query(url: &str, sql: &str, params: &[&(dyn tokio_postgres::types::ToSql + Sync)]) -> Vec<tokio_postgres::Row> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let (client, connection) = tokio_postgres::connect(url, NoTls).await.expect("the database answers");
        tokio::spawn(connection);
        client.query(sql, params).await.expect("the query runs")
    })
}

//! Numbered schema migrations for the PostgreSQL backend. Pending migrations
//! are applied once, in order, in one transaction that first takes a
//! transaction-scoped advisory lock, so several nodes starting together
//! queue behind each other instead of racing; the second finds the work
//! done. Each migration's SHA-256 is recorded; a database whose recorded
//! checksum differs from this build's file is refused, because a landed
//! migration must never be edited, and so is a database migrated by a newer
//! build.

use deadpool_postgres::Client;
use gerbang_store::StoreError;
use sha2::{Digest, Sha256};

use crate::error::from_postgres;

/// One migration: its number, its name and its SQL.
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration of this backend, in order. Append only.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_register", sql: include_str!("../migrations/0001_register.sql") },
    Migration { version: 2, name: "0002_access", sql: include_str!("../migrations/0002_access.sql") },
    Migration {
        version: 3,
        name: "0003_audit_partitions",
        sql: include_str!("../migrations/0003_audit_partitions.sql"),
    },
    Migration {
        version: 4,
        name: "0004_partner_requests",
        sql: include_str!("../migrations/0004_partner_requests.sql"),
    },
    Migration { version: 5, name: "0005_casework", sql: include_str!("../migrations/0005_casework.sql") },
    Migration {
        version: 6,
        name: "0006_semester_reports",
        sql: include_str!("../migrations/0006_semester_reports.sql"),
    },
    Migration { version: 7, name: "0007_return_data", sql: include_str!("../migrations/0007_return_data.sql") },
    Migration { version: 8, name: "0008_card_readers", sql: include_str!("../migrations/0008_card_readers.sql") },
    Migration { version: 9, name: "0009_biometrics", sql: include_str!("../migrations/0009_biometrics.sql") },
    Migration { version: 10, name: "0010_alerts", sql: include_str!("../migrations/0010_alerts.sql") },
    Migration { version: 11, name: "0011_resident_codes", sql: include_str!("../migrations/0011_resident_codes.sql") },
    Migration {
        version: 12,
        name: "0012_pending_return_rows",
        sql: include_str!("../migrations/0012_pending_return_rows.sql"),
    },
];

/// The advisory lock key every Gerbang node takes while migrating
/// ("gerbang" and 1 in ASCII bytes).
const MIGRATION_LOCK: i64 = 0x6765_7262_616e_6701;

pub(crate) fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Applies every pending migration; refuses edited or unknown ones.
pub(crate) async fn run(client: &mut Client) -> Result<(), StoreError> {
    run_through(client, i64::MAX).await
}

/// Applies the pending migrations up to version `last` (tests stop early
/// to check how a later migration treats existing data).
pub(crate) async fn run_through(client: &mut Client, last: i64) -> Result<(), StoreError> {
    let transaction = client.transaction().await.map_err(from_postgres)?;
    transaction.execute("select pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await.map_err(from_postgres)?;
    transaction
        .batch_execute(
            "create table if not exists schema_migrations (
                 version    bigint      primary key,
                 name       text        not null,
                 sha256     text        not null,
                 applied_at timestamptz not null default now()
             )",
        )
        .await
        .map_err(from_postgres)?;
    let newest: Option<i64> = transaction
        .query_one("select max(version) from schema_migrations", &[])
        .await
        .and_then(|row| row.try_get(0))
        .map_err(from_postgres)?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if let Some(newest) = newest.filter(|n| *n > known) {
        return Err(StoreError::Schema(format!(
            "basis data memakai migrasi {newest}, sedangkan program ini hanya mengenal sampai {known}; gunakan versi Gerbang yang lebih baru"
        )));
    }
    for migration in MIGRATIONS.iter().filter(|migration| migration.version <= last) {
        let recorded: Option<String> = transaction
            .query_opt("select sha256 from schema_migrations where version = $1", &[&migration.version])
            .await
            .map_err(from_postgres)?
            .map(|row| row.try_get(0))
            .transpose()
            .map_err(from_postgres)?;
        let expected = checksum(migration.sql);
        match recorded {
            Some(found) if found == expected => continue,
            Some(_) => {
                return Err(StoreError::Schema(format!(
                    "migrasi {} sudah diterapkan dengan isi yang berbeda (migrasi tidak boleh diubah setelah dirilis)",
                    migration.name
                )));
            }
            None => {
                transaction.batch_execute(migration.sql).await.map_err(from_postgres)?;
                transaction
                    .execute(
                        "insert into schema_migrations (version, name, sha256) values ($1, $2, $3)",
                        &[&migration.version, &migration.name, &expected],
                    )
                    .await
                    .map_err(from_postgres)?;
                tracing::info!(migration = migration.name, "migrasi skema diterapkan");
            }
        }
    }
    transaction.commit().await.map_err(from_postgres)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::TestDatabase;

    /// Landed migrations are frozen: their checksums are pinned here. Adding a
    /// migration means adding a line; changing one of these means the file
    /// was edited, which existing databases would refuse.
    #[test]
    fn landed_migrations_are_never_edited() {
        let pinned = [
            (1, "0001_register", "98a7eb895ff91fad121a5c4b7d2c19f4504cacc5b84a4fad297b1014ee7464bc"),
            (2, "0002_access", "c66d52e79efd763c8f61df6e655a1a32da8f9f18da6d1b06a98412d3f59089e1"),
            (3, "0003_audit_partitions", "c31a68f0fb206f4dd688b930da54267657965999e791a8284ad3da50252bae6c"),
            (4, "0004_partner_requests", "d7aef553faaeb956a82f0d4ff1558177ec9f3bda05ebe722d3ee790a473f2363"),
            (5, "0005_casework", "c88cf1cb0d2c20864b4f1f62f47536b65b546aaad44ba73ea983d4324bcc1565"),
            (6, "0006_semester_reports", "3fea7d6c5e06045323c0be123a14f32a9a475fd45e16d14becb5ae418c5d20bc"),
            (7, "0007_return_data", "526cd1285fda339a110623dca4287a9577a43a38b58331f1e1bd8514d4fe61a5"),
            (8, "0008_card_readers", "4c98ac01cc58cd30594bd3f7ac7cd18c8253b1acf3dfb10ab9051730f25345ae"),
            (9, "0009_biometrics", "3b2dc443475006bb2e279caf43f6da9a5c7f343a29fee99febcb788bc89031d0"),
            (10, "0010_alerts", "722968a63d073dea3ae3bdf41df84432e655a7a063a172b93d7c7dc3ccdbe7f8"),
            (11, "0011_resident_codes", "1d78bb36d111dffb0413029a0b42459de34e7e8d364b381568f8e01c8a0adbb3"),
            (12, "0012_pending_return_rows", "6e14c3dfc00a299e2e4e036378e49ebfbf58c80705f7b6683066fa056ef6946d"),
        ];
        assert_eq!(MIGRATIONS.len(), pinned.len(), "pin the checksum of every new migration here");
        for (migration, (version, name, sha256)) in MIGRATIONS.iter().zip(pinned) {
            assert_eq!((migration.version, migration.name, checksum(migration.sql).as_str()), (version, name, sha256));
        }
    }

    /// Versions rise and each name opens with its number. They need not be
    /// consecutive: work on separate branches takes its numbers ahead of
    /// merging, and the runner applies whatever is not recorded yet.
    #[test]
    fn versions_rise_and_name_their_number() {
        assert_eq!(MIGRATIONS.first().map(|m| m.version), Some(1));
        assert!(MIGRATIONS.windows(2).all(|pair| pair[0].version < pair[1].version));
        for migration in MIGRATIONS {
            assert!(migration.name.starts_with(&format!("{:04}_", migration.version)));
        }
    }

    #[tokio::test]
    async fn an_edited_migration_is_refused() {
        let database = TestDatabase::create().await;
        let mut client = database.client().await;
        run(&mut client).await.unwrap();
        run(&mut client).await.unwrap();
        client.execute("update schema_migrations set sha256 = 'x' where version = 1", &[]).await.unwrap();
        let error = run(&mut client).await.unwrap_err();
        assert_eq!(error.code(), "store.schema");
        drop(client);
        database.drop_now().await;
    }

    #[tokio::test]
    async fn a_newer_database_is_refused() {
        let database = TestDatabase::create().await;
        let mut client = database.client().await;
        run(&mut client).await.unwrap();
        client
            .execute("insert into schema_migrations (version, name, sha256) values (99, '0099_future', 'x')", &[])
            .await
            .unwrap();
        assert!(run(&mut client).await.unwrap_err().to_string().contains("99"));
        drop(client);
        database.drop_now().await;
    }

    #[tokio::test]
    async fn nodes_starting_together_migrate_once() {
        let database = TestDatabase::create().await;
        let mut first = database.client().await;
        let mut second = database.client().await;
        let (a, b) = tokio::join!(run(&mut first), run(&mut second));
        a.unwrap();
        b.unwrap();
        let applied: i64 = first.query_one("select count(*) from schema_migrations", &[]).await.unwrap().get(0);
        assert_eq!(applied, MIGRATIONS.len() as i64);
        drop((first, second));
        database.drop_now().await;
    }
}

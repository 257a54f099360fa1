//! Numbered schema migrations for the SQLite backend. Each migration is
//! applied once, in order, in its own transaction, and its SHA-256 is
//! recorded; a database whose recorded checksum differs from this build's
//! file is refused, because a landed migration must never be edited.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::from_sqlite;
use gerbang_store::StoreError;

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
];

pub(crate) fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Applies every pending migration; refuses edited or unknown ones.
pub(crate) fn run(connection: &mut Connection) -> Result<(), StoreError> {
    connection
        .execute_batch(
            "create table if not exists schema_migrations (
                 version    integer primary key,
                 name       text not null,
                 sha256     text not null,
                 applied_at text not null
             )",
        )
        .map_err(from_sqlite)?;
    let newest: Option<i64> = connection
        .query_row("select max(version) from schema_migrations", [], |row| row.get(0))
        .map_err(from_sqlite)?;
    let known = MIGRATIONS.last().map_or(0, |m| m.version);
    if let Some(newest) = newest.filter(|n| *n > known) {
        return Err(StoreError::Schema(format!(
            "basis data memakai migrasi {newest}, sedangkan program ini hanya mengenal sampai {known}; gunakan versi Gerbang yang lebih baru"
        )));
    }
    for migration in MIGRATIONS {
        let recorded: Option<String> = connection
            .query_row("select sha256 from schema_migrations where version = ?1", params![migration.version], |row| {
                row.get(0)
            })
            .optional()
            .map_err(from_sqlite)?;
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
                let transaction = connection.transaction().map_err(from_sqlite)?;
                transaction.execute_batch(migration.sql).map_err(from_sqlite)?;
                transaction
                    .execute(
                        "insert into schema_migrations (version, name, sha256, applied_at) values (?1, ?2, ?3, datetime('now'))",
                        params![migration.version, migration.name, expected],
                    )
                    .map_err(from_sqlite)?;
                transaction.commit().map_err(from_sqlite)?;
                tracing::info!(migration = migration.name, "migrasi skema diterapkan");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Landed migrations are frozen: their checksums are pinned here. Adding a
    /// migration means adding a line; changing one of these means the file
    /// was edited, which existing databases would refuse.
    #[test]
    fn landed_migrations_are_never_edited() {
        let pinned = [
            (1, "0001_register", "cc7de10db6c9a5872be509bf95b60cb7405b14d7da17fbbe78c2537312ced405"),
            (2, "0002_access", "d9c3ffb1f70f217203ee344aaeae0bace01b3a021c3818c42b3ce041c1b56c80"),
        ];
        assert_eq!(MIGRATIONS.len(), pinned.len(), "pin the checksum of every new migration here");
        for (migration, (version, name, sha256)) in MIGRATIONS.iter().zip(pinned) {
            assert_eq!((migration.version, migration.name, checksum(migration.sql).as_str()), (version, name, sha256));
        }
    }

    #[test]
    fn versions_are_consecutive_from_one() {
        for (index, migration) in MIGRATIONS.iter().enumerate() {
            assert_eq!(migration.version, index as i64 + 1);
            assert!(migration.name.starts_with(&format!("{:04}_", migration.version)));
        }
    }

    #[test]
    fn an_edited_migration_is_refused() {
        let mut connection = Connection::open_in_memory().unwrap();
        run(&mut connection).unwrap();
        run(&mut connection).unwrap();
        connection.execute("update schema_migrations set sha256 = 'x' where version = 1", []).unwrap();
        let error = run(&mut connection).unwrap_err();
        assert_eq!(error.code(), "store.schema");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut connection = Connection::open_in_memory().unwrap();
        run(&mut connection).unwrap();
        connection.execute("insert into schema_migrations values (99, '0099_future', 'x', 'now')", []).unwrap();
        assert!(run(&mut connection).unwrap_err().to_string().contains("99"));
    }
}

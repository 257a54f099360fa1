//! Numbered schema migrations for the SQLite backend's two files: the
//! register file (`main`: register, control plane) and the audit file
//! (attached as `audit`: the trail and quota usage). Each file records its
//! own migrations. Each migration is applied once, in order, in its own
//! transaction, and its SHA-256 is recorded; a database whose recorded
//! checksum differs from this build's file is refused, because a landed
//! migration must never be edited.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::error::from_sqlite;
use gerbang_store::StoreError;

/// A step in Rust that prepares a migration, in its own transaction.
pub(crate) type Preparation = fn(&rusqlite::Transaction<'_>) -> Result<(), StoreError>;

/// One migration: its number, its name, its SQL, and an optional step run
/// in its own transaction before the SQL (for moves between the two files,
/// which SQLite cannot commit atomically together in WAL mode: the step
/// must be safe to repeat if the migration itself then fails).
pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    pub prepare: Option<Preparation>,
}

/// Every migration of the register file, in order. Append only.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_register",
        sql: include_str!("../migrations/0001_register.sql"),
        prepare: None,
    },
    Migration { version: 2, name: "0002_access", sql: include_str!("../migrations/0002_access.sql"), prepare: None },
    Migration {
        version: 3,
        name: "0003_audit_file",
        sql: include_str!("../migrations/0003_audit_file.sql"),
        prepare: Some(crate::audit::move_into_audit_file),
    },
    Migration {
        version: 4,
        name: "0004_partner_requests",
        sql: include_str!("../migrations/0004_partner_requests.sql"),
        prepare: None,
    },
    Migration {
        version: 5,
        name: "0005_casework",
        sql: include_str!("../migrations/0005_casework.sql"),
        prepare: None,
    },
    Migration {
        version: 6,
        name: "0006_semester_reports",
        sql: include_str!("../migrations/0006_semester_reports.sql"),
        prepare: None,
    },
    Migration {
        version: 7,
        name: "0007_return_data",
        sql: include_str!("../migrations/0007_return_data.sql"),
        prepare: None,
    },
    Migration {
        version: 8,
        name: "0008_card_readers",
        sql: include_str!("../migrations/0008_card_readers.sql"),
        prepare: None,
    },
    Migration {
        version: 9,
        name: "0009_biometrics",
        sql: include_str!("../migrations/0009_biometrics.sql"),
        prepare: None,
    },
    Migration { version: 10, name: "0010_alerts", sql: include_str!("../migrations/0010_alerts.sql"), prepare: None },
    Migration {
        version: 11,
        name: "0011_resident_codes",
        sql: include_str!("../migrations/0011_resident_codes.sql"),
        prepare: None,
    },
    Migration {
        version: 12,
        name: "0012_pending_return_rows",
        sql: include_str!("../migrations/0012_pending_return_rows.sql"),
        prepare: None,
    },
];

/// Every migration of the audit file, in order. Append only.
pub(crate) const AUDIT_MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "0001_audit_trail",
        sql: include_str!("../migrations/audit/0001_audit_trail.sql"),
        prepare: None,
    },
    Migration {
        version: 2,
        name: "0002_audit_retention",
        sql: include_str!("../migrations/audit/0002_audit_retention.sql"),
        prepare: None,
    },
    Migration {
        version: 3,
        name: "0003_resident_index_file",
        sql: include_str!("../migrations/audit/0003_resident_index_file.sql"),
        prepare: None,
    },
];

pub(crate) fn checksum(sql: &str) -> String {
    Sha256::digest(sql.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Applies every pending migration of both files, the audit file's first
/// (the register file's move into it needs its tables); refuses edited or
/// unknown ones. The audit file must be attached as `audit`.
pub(crate) fn run(connection: &mut Connection) -> Result<(), StoreError> {
    run_for(connection, "audit", AUDIT_MIGRATIONS)?;
    run_for(connection, "main", MIGRATIONS)
}

/// Applies the pending `migrations` of one attached file.
pub(crate) fn run_for(connection: &mut Connection, schema: &str, migrations: &[Migration]) -> Result<(), StoreError> {
    connection
        .execute_batch(&format!(
            "create table if not exists {schema}.schema_migrations (
                 version    integer primary key,
                 name       text not null,
                 sha256     text not null,
                 applied_at text not null
             )"
        ))
        .map_err(from_sqlite)?;
    let newest: Option<i64> = connection
        .query_row(&format!("select max(version) from {schema}.schema_migrations"), [], |row| row.get(0))
        .map_err(from_sqlite)?;
    let known = migrations.last().map_or(0, |m| m.version);
    if let Some(newest) = newest.filter(|n| *n > known) {
        return Err(StoreError::Schema(format!(
            "basis data memakai migrasi {newest}, sedangkan program ini hanya mengenal sampai {known}; gunakan versi Gerbang yang lebih baru"
        )));
    }
    for migration in migrations {
        let recorded: Option<String> = connection
            .query_row(
                &format!("select sha256 from {schema}.schema_migrations where version = ?1"),
                params![migration.version],
                |row| row.get(0),
            )
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
                if let Some(prepare) = migration.prepare {
                    let transaction = connection.transaction().map_err(from_sqlite)?;
                    prepare(&transaction)?;
                    transaction.commit().map_err(from_sqlite)?;
                }
                let transaction = connection.transaction().map_err(from_sqlite)?;
                transaction.execute_batch(migration.sql).map_err(from_sqlite)?;
                transaction
                    .execute(
                        &format!(
                            "insert into {schema}.schema_migrations (version, name, sha256, applied_at) \
                             values (?1, ?2, ?3, datetime('now'))"
                        ),
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
            (3, "0003_audit_file", "bae3db7cad1c80e8dca0d3e88b695b142cde1aefb0def5b059690e9b1d5966d9"),
            (4, "0004_partner_requests", "8751da68a2e717e84f0bc55014e80aeaba5c9c3359da01e5a5c880eb0b551c42"),
            (5, "0005_casework", "d0348f12f84c6e0464e19b73c418f31072dfbd0deb7ef1a7156095c33721373d"),
            (6, "0006_semester_reports", "e9e03338949e02eb52ecf4da1c1a230174d670b27e890dbb329ee1f420481829"),
            (7, "0007_return_data", "4ad0e88fd2987fc16845e2d68ed4af05e5414230c364eaa2195c7543e07cb113"),
            (8, "0008_card_readers", "09afef5aa2b0fe0dd977b5e7e7da03ca9e731e6d89f723779cd36eaa71a807aa"),
            (9, "0009_biometrics", "0b558ca46d37a077adbdae5eed6fd350feccb927ccca04b37a59280e68727d50"),
            (10, "0010_alerts", "69729b1e24f61dd910d78d3f21c35c62859a15378ce27e412f8c72b0100a1c64"),
            (11, "0011_resident_codes", "32248cd52aa440e91e5bb71bc49cccda5d6d7eb99b7510b34f518620066c2e6b"),
            (12, "0012_pending_return_rows", "6371a1ff8238a94b85e86cdd15370ef88c288e273d7bcaebe3d6c3531f06f059"),
        ];
        let pinned_audit = [
            (1, "0001_audit_trail", "5f7a89e684c05de3ba851c2416412da9d3d1a91d77aeaefd6823c8da369662d1"),
            (2, "0002_audit_retention", "9987dba98fc98c5340d895fe5ae8bc615e331b6c7c2887429a760078d6936110"),
            (3, "0003_resident_index_file", "b02b6b050ad9a2af9470841dc703fc1ad06ea39f5489cf19621952de694fed7b"),
        ];
        for (migrations, pinned) in [(MIGRATIONS, &pinned[..]), (AUDIT_MIGRATIONS, &pinned_audit[..])] {
            assert_eq!(migrations.len(), pinned.len(), "pin the checksum of every new migration here");
            for (migration, (version, name, sha256)) in migrations.iter().zip(pinned) {
                assert_eq!(
                    (migration.version, migration.name, checksum(migration.sql).as_str()),
                    (*version, *name, *sha256)
                );
            }
        }
    }

    /// Versions rise and each name opens with its number. They need not be
    /// consecutive: work on separate branches takes its numbers ahead of
    /// merging, and the runner applies whatever is not recorded yet.
    #[test]
    fn versions_rise_and_name_their_number() {
        for migrations in [MIGRATIONS, AUDIT_MIGRATIONS] {
            assert_eq!(migrations.first().map(|m| m.version), Some(1));
            assert!(migrations.windows(2).all(|pair| pair[0].version < pair[1].version));
            for migration in migrations {
                assert!(migration.name.starts_with(&format!("{:04}_", migration.version)));
            }
        }
    }

    /// An in-memory register with an in-memory audit file attached.
    fn in_memory() -> Connection {
        let connection = Connection::open_in_memory().unwrap();
        connection.execute_batch("attach database ':memory:' as audit").unwrap();
        connection
    }

    #[test]
    fn an_edited_migration_is_refused() {
        let mut connection = in_memory();
        run(&mut connection).unwrap();
        run(&mut connection).unwrap();
        connection.execute("update main.schema_migrations set sha256 = 'x' where version = 1", []).unwrap();
        let error = run(&mut connection).unwrap_err();
        assert_eq!(error.code(), "store.schema");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut connection = in_memory();
        run(&mut connection).unwrap();
        connection.execute("insert into main.schema_migrations values (99, '0099_future', 'x', 'now')", []).unwrap();
        assert!(run(&mut connection).unwrap_err().to_string().contains("99"));
        let mut connection = in_memory();
        run(&mut connection).unwrap();
        connection.execute("insert into audit.schema_migrations values (98, '0098_future', 'x', 'now')", []).unwrap();
        assert!(run(&mut connection).unwrap_err().to_string().contains("98"));
    }
}

//! Partners' semester reports, one JSON document per partner and semester
//! (written and read only through gerbang-core's `SemesterReport`), and the
//! report's count of distinct residents in the trail.

use chrono::{DateTime, Utc};
use gerbang_core::report::{Semester, SemesterReport};
use gerbang_store::StoreError;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::error::from_sqlite;

fn decode(body: &str) -> Result<SemesterReport, StoreError> {
    serde_json::from_str(body).map_err(|_| StoreError::Corrupt("laporan semester".into()))
}

/// Inserts or replaces a report.
pub(crate) fn save(transaction: &Transaction<'_>, report: &SemesterReport) -> Result<(), StoreError> {
    let body = serde_json::to_string(report).map_err(|e| StoreError::Backend(format!("gagal menyusun JSON: {e}")))?;
    transaction
        .execute(
            "insert into semester_reports (institution, semester, body) values (?1, ?2, ?3)
             on conflict (institution, semester) do update set body = excluded.body",
            params![report.institution, report.semester.to_string(), body],
        )
        .map_err(from_sqlite)?;
    Ok(())
}

/// One partner's report of one semester.
pub(crate) fn one(
    connection: &Connection,
    institution: &str,
    semester: Semester,
) -> Result<Option<SemesterReport>, StoreError> {
    let body: Option<String> = connection
        .query_row(
            "select body from semester_reports where institution = ?1 and semester = ?2",
            params![institution, semester.to_string()],
            |row| row.get(0),
        )
        .optional()
        .map_err(from_sqlite)?;
    body.as_deref().map(decode).transpose()
}

/// The reports matching the filters that are set, newest semester first.
pub(crate) fn list(
    connection: &Connection,
    institution: Option<&str>,
    semester: Option<Semester>,
) -> Result<Vec<SemesterReport>, StoreError> {
    let mut statement = connection
        .prepare_cached(
            "select body from semester_reports
              where (?1 is null or institution = ?1) and (?2 is null or semester = ?2)
              order by semester desc, institution",
        )
        .map_err(from_sqlite)?;
    let mut rows = statement.query(params![institution, semester.map(|s| s.to_string())]).map_err(from_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        out.push(decode(&row.get::<_, String>(0).map_err(from_sqlite)?)?);
    }
    Ok(out)
}

/// Distinct residents reached by a partner's answered calls in a range.
pub(crate) fn residents_accessed(
    connection: &Connection,
    institution: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let count: i64 = connection
        .query_row(
            "select count(distinct resident) from audit.audit_trail
              where institution = ?1 and at_us >= ?2 and at_us < ?3
                and mechanism is not null and resident is not null and outcome not like 'access.%'",
            params![institution, from.timestamp_micros(), until.timestamp_micros()],
            |row| row.get(0),
        )
        .map_err(from_sqlite)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

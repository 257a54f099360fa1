//! Partners' semester reports, one JSON document per partner and semester
//! (written and read only through gerbang-core's `SemesterReport`), and the
//! report's count of distinct residents in the trail.

use chrono::{DateTime, Utc};
use deadpool_postgres::Client;
use gerbang_core::report::{Semester, SemesterReport};
use gerbang_store::StoreError;

use crate::audit::column;
use crate::error::{corrupt, from_postgres};

fn decode(body: &str) -> Result<SemesterReport, StoreError> {
    serde_json::from_str(body).map_err(|_| corrupt("laporan semester"))
}

/// Inserts or replaces a report.
pub(crate) async fn save(client: &Client, report: &SemesterReport) -> Result<(), StoreError> {
    let body = serde_json::to_string(report).map_err(|e| StoreError::Backend(format!("gagal menyusun JSON: {e}")))?;
    let statement = client
        .prepare_cached(
            "insert into semester_reports (institution, semester, body) values ($1, $2, $3)
             on conflict (institution, semester) do update set body = excluded.body",
        )
        .await
        .map_err(from_postgres)?;
    client
        .execute(&statement, &[&report.institution, &report.semester.to_string(), &body])
        .await
        .map_err(from_postgres)?;
    Ok(())
}

/// One partner's report of one semester.
pub(crate) async fn one(
    client: &Client,
    institution: &str,
    semester: Semester,
) -> Result<Option<SemesterReport>, StoreError> {
    let statement = client
        .prepare_cached("select body from semester_reports where institution = $1 and semester = $2")
        .await
        .map_err(from_postgres)?;
    let row = client.query_opt(&statement, &[&institution, &semester.to_string()]).await.map_err(from_postgres)?;
    row.map(|row| decode(&column::<String>(&row, 0)?)).transpose()
}

/// The reports matching the filters that are set, newest semester first.
pub(crate) async fn list(
    client: &Client,
    institution: Option<&str>,
    semester: Option<Semester>,
) -> Result<Vec<SemesterReport>, StoreError> {
    let statement = client
        .prepare_cached(
            "select body from semester_reports
              where ($1::text is null or institution = $1) and ($2::text is null or semester = $2)
              order by semester desc, institution",
        )
        .await
        .map_err(from_postgres)?;
    let semester = semester.map(|s| s.to_string());
    let rows = client.query(&statement, &[&institution, &semester]).await.map_err(from_postgres)?;
    rows.iter().map(|row| decode(&column::<String>(row, 0)?)).collect()
}

/// Distinct residents reached by a partner's answered calls in a range.
pub(crate) async fn residents_accessed(
    client: &Client,
    institution: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let statement = client
        .prepare_cached(
            "select count(distinct resident) from audit_trail
              where institution = $1 and at >= $2 and at < $3
                and mechanism is not null and resident is not null and outcome not like 'access.%'",
        )
        .await
        .map_err(from_postgres)?;
    let row = client.query_one(&statement, &[&institution, &from, &until]).await.map_err(from_postgres)?;
    Ok(u64::try_from(column::<i64>(&row, 0)?).unwrap_or(0))
}

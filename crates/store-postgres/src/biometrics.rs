//! Residents' biometric enrolments (migration 0009): one face per resident
//! and, per finger, its impressions. Both reference the resident, so an
//! enrolment for a NIK outside the register is refused; the write itself
//! selects the resident (and the foreign key locks that row until commit),
//! so the refusal needs no second look-up and carries a message for people
//! instead of PostgreSQL's.

use deadpool_postgres::{Client, Transaction};
use gerbang_core::Nik;
use gerbang_core::biometric::{BiometricCounts, FaceEnrolment, FingerprintEnrolment};
use gerbang_store::StoreError;
use tokio_postgres::Row;

use crate::audit::column;
use crate::error::{corrupt, from_postgres};

fn not_registered() -> StoreError {
    StoreError::Conflict("NIK tidak terdapat di register kependudukan".into())
}

fn nik_of(value: i64) -> Result<Nik, StoreError> {
    u64::try_from(value).ok().and_then(Nik::from_stored).ok_or_else(|| corrupt("NIK biometrik"))
}

fn count(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| corrupt("jumlah biometrik"))
}

/// Stores a face in place of the one enrolled before, if the NIK is in the
/// register.
pub(crate) async fn enrol_face(client: &Client, face: &FaceEnrolment) -> Result<(), StoreError> {
    let written = client
        .execute(
            "insert into faces (nik, embedding, photo, media_type, enrolled_at, enrolled_by) \
             select nik, $2::bytea, $3::bytea, $4::text, $5::timestamptz, $6::text from residents where nik = $1 \
             on conflict (nik) do update set embedding = excluded.embedding, photo = excluded.photo, \
             media_type = excluded.media_type, enrolled_at = excluded.enrolled_at, \
             enrolled_by = excluded.enrolled_by",
            &[
                &(face.nik.value() as i64),
                &face.embedding,
                &face.photo,
                &face.media_type,
                &face.enrolled_at,
                &face.enrolled_by,
            ],
        )
        .await
        .map_err(from_postgres)?;
    if written == 0 {
        return Err(not_registered());
    }
    Ok(())
}

const FACE_COLUMNS: &str = "nik, embedding, photo, media_type, enrolled_at, enrolled_by";

fn face_of(row: &Row) -> Result<FaceEnrolment, StoreError> {
    Ok(FaceEnrolment {
        nik: nik_of(column(row, 0)?)?,
        embedding: column(row, 1)?,
        photo: column(row, 2)?,
        media_type: column(row, 3)?,
        enrolled_at: column(row, 4)?,
        enrolled_by: column(row, 5)?,
    })
}

/// One resident's face.
pub(crate) async fn face(client: &Client, nik: Nik) -> Result<Option<FaceEnrolment>, StoreError> {
    let statement = client
        .prepare_cached(&format!("select {FACE_COLUMNS} from faces where nik = $1"))
        .await
        .map_err(from_postgres)?;
    let row = client.query_opt(&statement, &[&(nik.value() as i64)]).await.map_err(from_postgres)?;
    row.as_ref().map(face_of).transpose()
}

/// A keyset page of whole faces.
pub(crate) async fn faces_after(
    client: &Client,
    after: Option<Nik>,
    limit: u32,
) -> Result<Vec<FaceEnrolment>, StoreError> {
    let after = after.map_or(0, |nik| nik.value() as i64);
    let rows = client
        .query(
            &format!("select {FACE_COLUMNS} from faces where nik > $1 order by nik limit $2"),
            &[&after, &i64::from(limit)],
        )
        .await
        .map_err(from_postgres)?;
    rows.iter().map(face_of).collect()
}

/// Every face's embedding, in NIK order.
pub(crate) async fn face_embeddings(client: &Client) -> Result<Vec<(Nik, Vec<u8>)>, StoreError> {
    let rows = client.query("select nik, embedding from faces order by nik", &[]).await.map_err(from_postgres)?;
    rows.iter().map(|row| Ok((nik_of(column(row, 0)?)?, column(row, 1)?))).collect()
}

/// Replaces every impression of one finger, if the NIK is in the register.
/// The impressions travel as one array and are numbered from 1 in order.
pub(crate) async fn enrol_fingerprints(tx: &Transaction<'_>, finger: &FingerprintEnrolment) -> Result<(), StoreError> {
    if finger.impressions.is_empty() {
        return Err(StoreError::Conflict("tidak ada sidik jari untuk didaftarkan".into()));
    }
    let nik = finger.nik.value() as i64;
    let position = i16::from(finger.finger);
    tx.execute("delete from fingerprint_impressions where nik = $1 and finger = $2", &[&nik, &position])
        .await
        .map_err(from_postgres)?;
    let written = tx
        .execute(
            "insert into fingerprint_impressions (nik, finger, impression, template, enrolled_at, enrolled_by) \
             select r.nik, $2::smallint, t.impression::smallint, t.template, $4::timestamptz, $5::text \
             from residents r cross join unnest($3::bytea[]) with ordinality as t (template, impression) \
             where r.nik = $1",
            &[&nik, &position, &finger.impressions, &finger.enrolled_at, &finger.enrolled_by],
        )
        .await
        .map_err(from_postgres)?;
    if written == 0 {
        // Nothing was deleted either: the NIK has no resident, so it cannot
        // have had impressions. The caller's transaction rolls back.
        return Err(not_registered());
    }
    Ok(())
}

/// Every finger with its impressions, in (NIK, finger) order.
pub(crate) async fn fingerprint_enrolments(client: &Client) -> Result<Vec<FingerprintEnrolment>, StoreError> {
    let rows = client
        .query(
            "select nik, finger, template, enrolled_at, enrolled_by from fingerprint_impressions \
             order by nik, finger, impression",
            &[],
        )
        .await
        .map_err(from_postgres)?;
    let mut fingers: Vec<FingerprintEnrolment> = Vec::new();
    for row in &rows {
        let nik = nik_of(column(row, 0)?)?;
        let position = u8::try_from(column::<i16>(row, 1)?).map_err(|_| corrupt("posisi jari"))?;
        let template: Vec<u8> = column(row, 2)?;
        match fingers.last_mut() {
            Some(last) if last.nik == nik && last.finger == position => last.impressions.push(template),
            _ => fingers.push(FingerprintEnrolment {
                nik,
                finger: position,
                impressions: vec![template],
                enrolled_at: column(row, 3)?,
                enrolled_by: column(row, 4)?,
            }),
        }
    }
    Ok(fingers)
}

/// Enrolled faces, fingers and impressions.
pub(crate) async fn counts(client: &Client) -> Result<BiometricCounts, StoreError> {
    let row = client
        .query_one(
            "select (select count(*) from faces), \
             (select count(*) from (select distinct nik, finger from fingerprint_impressions) as fingers), \
             (select count(*) from fingerprint_impressions)",
            &[],
        )
        .await
        .map_err(from_postgres)?;
    Ok(BiometricCounts {
        faces: count(column(&row, 0)?)?,
        fingers: count(column(&row, 1)?)?,
        impressions: count(column(&row, 2)?)?,
    })
}

/// Removes every enrolment (before the register they reference).
pub(crate) const CLEAR: &str = "delete from fingerprint_impressions; delete from faces;";

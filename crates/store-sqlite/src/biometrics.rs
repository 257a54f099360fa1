//! Residents' biometric enrolments in the register file (migration 0009):
//! one face per resident and, per finger, its impressions. Both reference
//! the resident, so an enrolment for a NIK outside the register is refused;
//! the write itself selects the resident, so the refusal needs no second
//! look-up and carries a message for people instead of SQLite's.

use chrono::{DateTime, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::biometric::{BiometricCounts, FaceEnrolment, FingerprintEnrolment};
use gerbang_store::StoreError;
use rusqlite::{Connection, Row, Transaction, params};

use crate::error::from_sqlite;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("data biometrik tersimpan rusak: {what}"))
}

fn not_registered() -> StoreError {
    StoreError::Conflict("NIK tidak terdapat di register kependudukan".into())
}

fn nik_of(value: i64) -> Result<Nik, StoreError> {
    u64::try_from(value).ok().and_then(Nik::from_stored).ok_or_else(|| corrupt("NIK"))
}

fn instant(us: i64) -> Result<DateTime<Utc>, StoreError> {
    Utc.timestamp_micros(us).single().ok_or_else(|| corrupt("waktu"))
}

fn count(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| corrupt("jumlah"))
}

/// Stores a face in place of the one enrolled before, if the NIK is in the
/// register.
pub(crate) fn enrol_face(tx: &Transaction<'_>, face: &FaceEnrolment) -> Result<(), StoreError> {
    let written = tx
        .execute(
            "insert into faces (nik, embedding, photo, media_type, enrolled_at_us, enrolled_by) \
             select nik, ?2, ?3, ?4, ?5, ?6 from residents where nik = ?1 \
             on conflict (nik) do update set embedding = excluded.embedding, photo = excluded.photo, \
             media_type = excluded.media_type, enrolled_at_us = excluded.enrolled_at_us, \
             enrolled_by = excluded.enrolled_by",
            params![
                face.nik.value() as i64,
                face.embedding,
                face.photo,
                face.media_type,
                face.enrolled_at.timestamp_micros(),
                face.enrolled_by
            ],
        )
        .map_err(from_sqlite)?;
    if written == 0 {
        return Err(not_registered());
    }
    Ok(())
}

const FACE_COLUMNS: &str = "nik, embedding, photo, media_type, enrolled_at_us, enrolled_by";

fn face_of(row: &Row<'_>) -> Result<FaceEnrolment, StoreError> {
    Ok(FaceEnrolment {
        nik: nik_of(row.get(0).map_err(from_sqlite)?)?,
        embedding: row.get(1).map_err(from_sqlite)?,
        photo: row.get(2).map_err(from_sqlite)?,
        media_type: row.get(3).map_err(from_sqlite)?,
        enrolled_at: instant(row.get(4).map_err(from_sqlite)?)?,
        enrolled_by: row.get(5).map_err(from_sqlite)?,
    })
}

/// One resident's face.
pub(crate) fn face(connection: &Connection, nik: Nik) -> Result<Option<FaceEnrolment>, StoreError> {
    let mut statement =
        connection.prepare_cached(&format!("select {FACE_COLUMNS} from faces where nik = ?1")).map_err(from_sqlite)?;
    let mut rows = statement.query(params![nik.value() as i64]).map_err(from_sqlite)?;
    rows.next().map_err(from_sqlite)?.map(face_of).transpose()
}

/// A keyset page of whole faces.
pub(crate) fn faces_after(
    connection: &Connection,
    after: Option<Nik>,
    limit: u32,
) -> Result<Vec<FaceEnrolment>, StoreError> {
    let mut statement = connection
        .prepare_cached(&format!("select {FACE_COLUMNS} from faces where nik > ?1 order by nik limit ?2"))
        .map_err(from_sqlite)?;
    let after = after.map_or(0, |nik| nik.value() as i64);
    let mut rows = statement.query(params![after, limit]).map_err(from_sqlite)?;
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        found.push(face_of(row)?);
    }
    Ok(found)
}

/// Every face's embedding, in NIK order.
pub(crate) fn face_embeddings(connection: &Connection) -> Result<Vec<(Nik, Vec<u8>)>, StoreError> {
    let mut statement = connection.prepare("select nik, embedding from faces order by nik").map_err(from_sqlite)?;
    let mut rows = statement.query([]).map_err(from_sqlite)?;
    let mut found = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        found.push((nik_of(row.get(0).map_err(from_sqlite)?)?, row.get(1).map_err(from_sqlite)?));
    }
    Ok(found)
}

/// Replaces every impression of one finger, if the NIK is in the register.
pub(crate) fn enrol_fingerprints(tx: &Transaction<'_>, finger: &FingerprintEnrolment) -> Result<(), StoreError> {
    if finger.impressions.is_empty() {
        return Err(StoreError::Conflict("tidak ada sidik jari untuk didaftarkan".into()));
    }
    let nik = finger.nik.value() as i64;
    let position = i64::from(finger.finger);
    tx.execute("delete from fingerprint_impressions where nik = ?1 and finger = ?2", params![nik, position])
        .map_err(from_sqlite)?;
    let mut insert = tx
        .prepare_cached(
            "insert into fingerprint_impressions (nik, finger, impression, template, enrolled_at_us, enrolled_by) \
             select nik, ?2, ?3, ?4, ?5, ?6 from residents where nik = ?1",
        )
        .map_err(from_sqlite)?;
    let at = finger.enrolled_at.timestamp_micros();
    for (number, template) in (1_i64..).zip(&finger.impressions) {
        let written =
            insert.execute(params![nik, position, number, template, at, finger.enrolled_by]).map_err(from_sqlite)?;
        if written == 0 {
            // Nothing was deleted either: the NIK has no resident, so it
            // cannot have had impressions. The caller's transaction rolls back.
            return Err(not_registered());
        }
    }
    Ok(())
}

/// Every finger with its impressions, in (NIK, finger) order.
pub(crate) fn fingerprint_enrolments(connection: &Connection) -> Result<Vec<FingerprintEnrolment>, StoreError> {
    let mut statement = connection
        .prepare(
            "select nik, finger, template, enrolled_at_us, enrolled_by from fingerprint_impressions \
             order by nik, finger, impression",
        )
        .map_err(from_sqlite)?;
    let mut rows = statement.query([]).map_err(from_sqlite)?;
    let mut fingers: Vec<FingerprintEnrolment> = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        let nik = nik_of(row.get(0).map_err(from_sqlite)?)?;
        let position: i64 = row.get(1).map_err(from_sqlite)?;
        let position = u8::try_from(position).map_err(|_| corrupt("posisi jari"))?;
        let template: Vec<u8> = row.get(2).map_err(from_sqlite)?;
        match fingers.last_mut() {
            Some(last) if last.nik == nik && last.finger == position => last.impressions.push(template),
            _ => fingers.push(FingerprintEnrolment {
                nik,
                finger: position,
                impressions: vec![template],
                enrolled_at: instant(row.get(3).map_err(from_sqlite)?)?,
                enrolled_by: row.get(4).map_err(from_sqlite)?,
            }),
        }
    }
    Ok(fingers)
}

/// Enrolled faces, fingers and impressions.
pub(crate) fn counts(connection: &Connection) -> Result<BiometricCounts, StoreError> {
    let (faces, fingers, impressions) = connection
        .query_row(
            "select (select count(*) from faces), \
             (select count(*) from (select distinct nik, finger from fingerprint_impressions)), \
             (select count(*) from fingerprint_impressions)",
            [],
            |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?)),
        )
        .map_err(from_sqlite)?;
    Ok(BiometricCounts { faces: count(faces)?, fingers: count(fingers)?, impressions: count(impressions)? })
}

/// Removes every enrolment (before the register they reference).
pub(crate) fn clear(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch("delete from fingerprint_impressions; delete from faces;").map_err(from_sqlite)
}

//! Storage-story steps of biometric enrolments (SPEC.md §4.5, §4.6): faces
//! and fingers round-trip, a new enrolment replaces the old one whole, an
//! enrolment for a NIK outside the register writes nothing, and the
//! gallery reads come back in (NIK, finger) order.

use chrono::{DateTime, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::biometric::{BiometricCounts, FACE_EMBEDDING_BYTES, FaceEnrolment, FingerprintEnrolment};
use gerbang_core::vocab::JenisKelamin;

use super::{date, households};
use crate::Store;

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, day, 3, 0, 0).unwrap()
}

fn face(nik: Nik, fill: u8, media_type: &str, day: u32) -> FaceEnrolment {
    FaceEnrolment {
        nik,
        embedding: vec![fill; FACE_EMBEDDING_BYTES],
        photo: [&[0xff, 0xd8, 0xff][..], &[fill; 64][..]].concat(),
        media_type: media_type.into(),
        enrolled_at: at(day),
        enrolled_by: format!("admin-{day}"),
    }
}

/// Templates told apart by finger, impression and a mark of the enrolment.
fn finger(nik: Nik, position: u8, impressions: u8, mark: u8, day: u32) -> FingerprintEnrolment {
    FingerprintEnrolment {
        nik,
        finger: position,
        impressions: (1..=impressions).map(|n| vec![0x46, 0x4d, 0x52, position, n, mark]).collect(),
        enrolled_at: at(day),
        enrolled_by: format!("admin-{day}"),
    }
}

async fn counts(store: &dyn Store) -> BiometricCounts {
    store.biometric_counts().await.unwrap()
}

/// Faces and fingers are enrolled, read back equal and replaced whole;
/// a NIK outside the register and an empty finger are refused with
/// `Conflict` and write nothing; reads come in (NIK, finger) order; clearing
/// the register clears them too.
pub async fn biometric_enrolments_round_trip_and_replace(store: &dyn Store) {
    let written = households([50, 51]);
    store.insert_households(written.clone()).await.unwrap();
    let mut niks: Vec<Nik> = written.iter().flat_map(|h| h.members.iter().map(|m| m.nik)).collect();
    niks.sort_unstable();
    let (first, second, third) = (niks[0], niks[1], niks[2]);
    let absent = Nik::from_parts(331301, date(1999, 1, 1), JenisKelamin::LakiLaki, 9999).unwrap();
    assert_eq!(counts(store).await, BiometricCounts::default());
    assert_eq!(store.face(second).await.unwrap(), None);

    // Faces: enrolled later for the smaller NIK, still listed first.
    let original = face(second, 1, "image/jpeg", 1);
    store.enrol_face(&original).await.unwrap();
    assert_eq!(store.face(second).await.unwrap(), Some(original));
    let replacement = face(second, 2, "image/png", 2);
    store.enrol_face(&replacement).await.unwrap();
    assert_eq!(store.face(second).await.unwrap(), Some(replacement.clone()), "re-enrolling replaces the face");
    let other = face(first, 3, "image/webp", 3);
    store.enrol_face(&other).await.unwrap();
    let embeddings = store.face_embeddings().await.unwrap();
    assert_eq!(embeddings, vec![(first, other.embedding.clone()), (second, replacement.embedding.clone())]);
    assert_eq!(store.faces_after(None, 1).await.unwrap(), vec![other.clone()]);
    assert_eq!(store.faces_after(Some(first), 5).await.unwrap(), vec![replacement.clone()]);
    assert_eq!(store.faces_after(Some(second), 5).await.unwrap(), Vec::new());

    let before = counts(store).await;
    let error = store.enrol_face(&face(absent, 4, "image/jpeg", 4)).await.unwrap_err();
    assert_eq!(error.code(), "store.conflict", "a NIK outside the register: {error}");
    assert_eq!(store.face(absent).await.unwrap(), None);
    let short = FaceEnrolment { embedding: vec![5; 16], ..face(third, 5, "image/jpeg", 5) };
    assert_eq!(store.enrol_face(&short).await.unwrap_err().code(), "store.conflict", "an embedding is 512 bytes");
    assert_eq!(counts(store).await, before);

    // Fingers: enrolled out of order, read in (NIK, finger) order.
    store.enrol_fingerprints(&finger(third, 6, 3, 1, 6)).await.unwrap();
    store.enrol_fingerprints(&finger(first, 2, 2, 1, 7)).await.unwrap();
    assert_eq!(counts(store).await, BiometricCounts { faces: 2, fingers: 2, impressions: 5 });
    let replaced = finger(third, 6, 1, 2, 8);
    store.enrol_fingerprints(&replaced).await.unwrap();
    assert_eq!(counts(store).await, BiometricCounts { faces: 2, fingers: 2, impressions: 3 });
    store.enrol_fingerprints(&finger(first, 1, 1, 1, 9)).await.unwrap();
    assert_eq!(
        store.fingerprint_enrolments().await.unwrap(),
        vec![finger(first, 1, 1, 1, 9), finger(first, 2, 2, 1, 7), replaced],
        "the re-enrolled finger keeps only its new impression"
    );

    let before = counts(store).await;
    assert_eq!(before, BiometricCounts { faces: 2, fingers: 3, impressions: 4 });
    let error = store.enrol_fingerprints(&finger(absent, 1, 2, 1, 10)).await.unwrap_err();
    assert_eq!(error.code(), "store.conflict", "a NIK outside the register: {error}");
    let empty = FingerprintEnrolment { impressions: Vec::new(), ..finger(first, 2, 1, 3, 11) };
    assert_eq!(store.enrol_fingerprints(&empty).await.unwrap_err().code(), "store.conflict");
    let error = store.enrol_fingerprints(&finger(first, 11, 1, 1, 12)).await.unwrap_err();
    assert_eq!(error.code(), "store.conflict", "finger positions are 1 to 10");
    assert_eq!(counts(store).await, before, "refused enrolments write nothing");
    assert_eq!(store.fingerprint_enrolments().await.unwrap()[1], finger(first, 2, 2, 1, 7), "nor delete");

    store.clear_register().await.unwrap();
    assert_eq!(counts(store).await, BiometricCounts::default());
}

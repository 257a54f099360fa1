//! Residents' biometric enrolments as the register keeps them (SPEC.md §2,
//! §4.5, §4.6): one face photo per resident with its 128-value embedding,
//! and per finger several impressions as ISO/IEC 19794-2 templates.
//!
//! Core holds the bytes only; computing embeddings and templates and
//! comparing them is `gerbang-biometrics`' work, so that nothing here links
//! dlib or NIST code.

use chrono::{DateTime, Utc};

use crate::id_number::Nik;

/// Bytes of a stored face embedding: 128 little-endian `f32`.
pub const FACE_EMBEDDING_BYTES: usize = 128 * 4;

/// Largest face photo the register keeps (the compatible service sends
/// photos of about 200 KB).
pub const MAX_STORED_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// Most impressions kept per finger.
pub const MAX_IMPRESSIONS_PER_FINGER: usize = 5;

/// A resident's enrolled face: the photo as received and its embedding.
#[derive(Clone, PartialEq, Eq)]
pub struct FaceEnrolment {
    /// Whose face.
    pub nik: Nik,
    /// [`FACE_EMBEDDING_BYTES`] bytes: the embedding as little-endian `f32`.
    pub embedding: Vec<u8>,
    /// The photo, encoded as received (JPEG, PNG or WebP).
    pub photo: Vec<u8>,
    /// The photo's media type, e.g. `image/jpeg`.
    pub media_type: String,
    /// When it was enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// The registry administrator who enrolled it.
    pub enrolled_by: String,
}

impl std::fmt::Debug for FaceEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceEnrolment")
            .field("photo_bytes", &self.photo.len())
            .field("media_type", &self.media_type)
            .field("enrolled_at", &self.enrolled_at)
            .finish_non_exhaustive()
    }
}

/// One finger of a resident with its impressions.
#[derive(Clone, PartialEq, Eq)]
pub struct FingerprintEnrolment {
    /// Whose finger.
    pub nik: Nik,
    /// The finger position of ISO/IEC 19794-2: 1 right thumb … 5 right
    /// little, 6 left thumb … 10 left little.
    pub finger: u8,
    /// One ISO/IEC 19794-2 template per impression, at most
    /// [`MAX_IMPRESSIONS_PER_FINGER`].
    pub impressions: Vec<Vec<u8>>,
    /// When it was enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// The registry administrator who enrolled it.
    pub enrolled_by: String,
}

impl std::fmt::Debug for FingerprintEnrolment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FingerprintEnrolment")
            .field("finger", &self.finger)
            .field("impressions", &self.impressions.len())
            .field("enrolled_at", &self.enrolled_at)
            .finish_non_exhaustive()
    }
}

/// How much of the register is enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BiometricCounts {
    /// Residents with a face.
    pub faces: u64,
    /// Enrolled fingers (resident × position).
    pub fingers: u64,
    /// Impressions over all fingers.
    pub impressions: u64,
}

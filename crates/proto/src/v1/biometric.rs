//! Bodies of the biometric mechanisms of `/api/v1` (SPEC.md §4.5, §4.6) and
//! of the registry's enrolment endpoints. Images travel as base64 in JSON
//! (standard alphabet; a `data:image/...;base64,` prefix is allowed).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `POST /api/v1/face/match`: is this the resident's face?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaceMatchQuery {
    /// The NIK, 16 digits.
    pub nik: String,
    /// The photo (JPEG, PNG or WebP), base64.
    pub image: String,
    /// Similarity 0–100 from which the faces are one person (default 50).
    #[serde(default)]
    pub threshold: Option<f32>,
}

/// The answer of `POST /api/v1/face/match`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaceMatchAnswer {
    /// The operation id.
    pub operation_id: String,
    /// `match`, `no_match`, `not_enrolled`, or the resident's status
    /// (`not_found`, `deceased`, `inactive`, `duplicate`).
    pub outcome: String,
    /// Similarity 0–100, when the resident has an enrolled face.
    pub similarity: Option<f32>,
    /// The threshold the decision used.
    pub threshold: f32,
}

/// `POST /api/v1/face/search`: whose face is this?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaceSearchQuery {
    /// The photo (JPEG, PNG or WebP), base64.
    pub image: String,
    /// Lowest similarity 0–100 listed (default 50).
    #[serde(default)]
    pub threshold: Option<f32>,
    /// Most candidates wanted, 1–10 (default 5).
    #[serde(default)]
    pub limit: Option<usize>,
}

/// One resident resembling the probe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaceCandidateBody {
    /// The resident's NIK.
    pub nik: String,
    /// Similarity 0–100.
    pub similarity: f32,
}

/// The answer of `POST /api/v1/face/search`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FaceSearchAnswer {
    /// The operation id.
    pub operation_id: String,
    /// `found` or `not_found`.
    pub outcome: String,
    /// Best first; empty when nobody reaches the threshold.
    pub candidates: Vec<FaceCandidateBody>,
}

/// `POST /api/v1/fingerprint/identify`: whose finger is this? Exactly one
/// of `image` and `template`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FingerprintQuery {
    /// A PNG, TIFF, JPEG or WSQ image at 500 dpi, base64.
    #[serde(default)]
    pub image: Option<String>,
    /// An ISO/IEC 19794-2 template, base64.
    #[serde(default)]
    pub template: Option<String>,
}

/// The answer of `POST /api/v1/fingerprint/identify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FingerprintAnswer {
    /// `found`, `not_found`, or the identified resident's status
    /// (`deceased`, `inactive`, `duplicate`).
    pub outcome: String,
    /// The operation id.
    pub operation_id: String,
    /// The resident's NIK, when found.
    pub nik: Option<String>,
    /// The finger's ISO position (1 right thumb … 10 left little).
    pub finger: Option<u8>,
    /// bozorth3's score, when found (identified from 34).
    pub score: Option<u32>,
}

/// The answer of `POST /api/v1/photo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PhotoAnswer {
    /// The operation id.
    pub operation_id: String,
    /// `found`, `not_enrolled`, or the resident's status.
    pub outcome: String,
    /// The photo's media type, when there is one.
    pub media_type: Option<String>,
    /// The photo, base64, when there is one.
    pub image: Option<String>,
}

/// `PUT /api/v1/admin/residents/{nik}/face`: enrol a resident's face.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FaceEnrolmentBody {
    /// The photo (JPEG, PNG or WebP) with exactly one face, base64.
    pub image: String,
}

/// `PUT /api/v1/admin/residents/{nik}/fingerprints/{finger}`: enrol one
/// finger's impressions, replacing those enrolled before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FingerprintEnrolmentBody {
    /// 1–5 impressions: PNG, TIFF, JPEG or WSQ images at 500 dpi, base64.
    #[serde(default)]
    pub images: Vec<String>,
    /// Or ISO/IEC 19794-2 templates, base64.
    #[serde(default)]
    pub templates: Vec<String>,
}

/// What an enrolment stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EnrolmentAnswer {
    /// The operation id.
    pub operation_id: String,
    /// `face` or `fingerprint`.
    pub kind: String,
    /// Impressions stored (1 for a face).
    pub stored: usize,
    /// Faces enrolled in the whole register now.
    pub faces: u64,
    /// Fingers enrolled in the whole register now.
    pub fingers: u64,
}

//! The gate's part for the biometric mechanisms (SPEC.md §4.5, §4.6): the
//! photo or fingerprint is read after the guards and before the quota is
//! charged — an unusable image is an input error, audited and free — and
//! then compared with the enrolled residents. A resident found by a search
//! is answered only when alive, active and not flagged, like every other
//! mechanism; the audit record names them by their keyed NIK.

use gerbang_biometrics::photo_input::decode_base64;
use gerbang_biometrics::{FaceEmbedding, fingerprint::PreparedTemplate};
use gerbang_core::answer::Lookup;
use gerbang_core::{Element, Nik};

use super::{Ask, Checked, InputError, Payload, Reply, Trail, unavailable};
use crate::biometrics::{BiometricFailure, FingerProbe, MAX_FACE_CANDIDATES};
use crate::state::AppState;

pub use crate::biometrics::FaceCandidate;

/// Similarity 0–100 from which two faces are taken to be one person when
/// the caller sends no threshold (distance 0.6, dlib's own threshold).
pub const DEFAULT_FACE_THRESHOLD: f32 = 50.0;

/// A fingerprint as sent: base64 text of an image or of a template.
#[derive(Debug, Clone)]
pub enum SentFinger {
    /// A PNG, TIFF, JPEG or WSQ image at 500 dpi.
    Image(String),
    /// An ISO/IEC 19794-2 template.
    Template(String),
}

/// A face compared with a resident's enrolled face.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceVerdict {
    /// Similarity 0–100; `None` when no face is enrolled for the resident.
    pub score: Option<f32>,
    /// The decision threshold used.
    pub threshold: f32,
}

impl FaceVerdict {
    /// Whether the faces are taken to be one person.
    pub fn matched(&self) -> bool {
        self.score.is_some_and(|score| score >= self.threshold)
    }
}

/// A resident's enrolled photo.
#[derive(Debug, Clone)]
pub struct StoredPhoto {
    /// The image as enrolled.
    pub bytes: Vec<u8>,
    /// Its media type.
    pub media_type: String,
}

/// Who a fingerprint was identified as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Identified {
    /// The resident.
    pub nik: Nik,
    /// The ISO finger position.
    pub finger: u8,
    /// bozorth3's score (≥ the gallery's threshold).
    pub score: u32,
}

/// A photo or fingerprint read and ready to compare.
pub(super) enum Probe {
    /// A face: compared with one resident's, or searched.
    Face { embedding: Box<FaceEmbedding>, threshold: f32, limit: usize },
    /// A fingerprint.
    Finger(PreparedTemplate),
}

fn threshold_of(sent: &Option<Result<f32, ()>>) -> Result<f32, InputError> {
    match sent {
        None => Ok(DEFAULT_FACE_THRESHOLD),
        Some(Ok(t)) if (0.0..=100.0).contains(t) => Ok(*t),
        Some(_) => Err(InputError::Value("threshold harus bilangan 0–100".into())),
    }
}

fn bytes_of(text: &str, what: &'static str) -> Result<Vec<u8>, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::Missing(what));
    }
    decode_base64(text).map_err(|e| InputError::Coded(e.code(), e.to_string()))
}

fn failure(error: BiometricFailure) -> Reply {
    match error {
        BiometricFailure::Input(error) => Reply::Invalid(InputError::Coded(error.code(), error.to_string())),
        BiometricFailure::FacesUnavailable(why) => {
            tracing::warn!(why = %why, "permintaan wajah tidak dapat dilayani");
            Reply::Unavailable
        }
        BiometricFailure::Store(error) => unavailable(error),
        BiometricFailure::Worker => Reply::Unavailable,
    }
}

/// Reads the photo or fingerprint of a biometric ask into `checked`.
pub(super) async fn read_probe(state: &AppState, ask: &Ask, mut checked: Checked) -> Result<Checked, Reply> {
    let engine = &state.biometrics;
    checked.probe = match ask {
        Ask::FaceMatch { photo, threshold, .. } | Ask::FaceSearch { photo, threshold, .. } => {
            let threshold = threshold_of(threshold).map_err(Reply::Invalid)?;
            let limit = match ask {
                Ask::FaceSearch { limit, .. } => (*limit).clamp(1, MAX_FACE_CANDIDATES),
                _ => 1,
            };
            let photo = bytes_of(photo, "foto").map_err(Reply::Invalid)?;
            let embedding = engine.embed(photo).await.map_err(failure)?;
            Some(Probe::Face { embedding: Box::new(embedding), threshold, limit })
        }
        Ask::FingerprintIdentify { probe } => {
            let probe = match probe {
                SentFinger::Image(text) => FingerProbe::Image(bytes_of(text, "gambar sidik jari")?),
                SentFinger::Template(text) => FingerProbe::Template(bytes_of(text, "templat sidik jari")?),
            };
            Some(Probe::Finger(engine.prepare_finger(probe).await.map_err(failure)?))
        }
        _ => None,
    };
    Ok(checked)
}

/// Whether `nik` is in the register and may be answered about.
async fn lookup_of(state: &AppState, nik: Nik) -> Result<Lookup, Reply> {
    let found = state.store.resident(nik).await.map_err(unavailable)?;
    Ok(Lookup::of(found.as_ref().map(|(resident, _)| resident)))
}

/// Compares a read probe with the enrolled residents.
pub(super) async fn look_up(state: &AppState, probe: Probe, nik: Option<Nik>, trail: &mut Trail) -> Reply {
    match compare(state, probe, nik, trail).await {
        Ok(reply) | Err(reply) => reply,
    }
}

async fn compare(state: &AppState, probe: Probe, nik: Option<Nik>, trail: &mut Trail) -> Result<Reply, Reply> {
    let engine = &state.biometrics;
    match (probe, nik) {
        (Probe::Face { embedding, threshold, .. }, Some(nik)) => {
            let lookup = lookup_of(state, nik).await?;
            if lookup != Lookup::Found {
                return Ok(Reply::Looked(lookup, Payload::Nothing));
            }
            let score = engine.face_score(nik, &embedding);
            Ok(Reply::Looked(Lookup::Found, Payload::FaceScore(FaceVerdict { score, threshold })))
        }
        (Probe::Face { embedding, threshold, limit }, None) => {
            let mut answered = Vec::new();
            for candidate in engine.search_faces(&embedding, limit, threshold) {
                if lookup_of(state, candidate.nik).await? == Lookup::Found {
                    answered.push(candidate);
                }
            }
            if let Some(best) = answered.first() {
                trail.resident = Some(state.access.hasher.key(best.nik));
                trail.elements = vec![Element::Nik];
            }
            Ok(Reply::Looked(Lookup::Found, Payload::FaceCandidates(answered)))
        }
        (Probe::Finger(template), _) => {
            let found = engine.identify(template).await.map_err(failure)?;
            let Some(found) = found.and_then(|f| Some((Nik::parse(&f.nik).ok()?, f))) else {
                return Ok(Reply::Looked(Lookup::Found, Payload::Identified(None)));
            };
            let (nik, identification) = found;
            trail.resident = Some(state.access.hasher.key(nik));
            let lookup = lookup_of(state, nik).await?;
            if lookup != Lookup::Found {
                return Ok(Reply::Looked(lookup, Payload::Nothing));
            }
            trail.elements = vec![Element::Nik];
            let identified = Identified { nik, finger: identification.finger.iso_code(), score: identification.score };
            Ok(Reply::Looked(Lookup::Found, Payload::Identified(Some(identified))))
        }
    }
}

/// The enrolled photo of a found resident.
pub(super) async fn stored_photo(state: &AppState, nik: Nik, trail: &mut Trail) -> Result<Payload, Reply> {
    let face = state.store.face(nik).await.map_err(unavailable)?;
    if face.is_some() {
        trail.elements = vec![Element::Foto];
    }
    Ok(Payload::Photo(face.map(|face| StoredPhoto { bytes: face.photo, media_type: face.media_type })))
}

/// The stable outcome code of a biometric answer about a found resident.
pub(super) fn outcome_code(payload: &Payload) -> Option<&'static str> {
    Some(match payload {
        Payload::FaceScore(verdict) if verdict.score.is_none() => "face.not_enrolled",
        Payload::FaceScore(verdict) if verdict.matched() => "face.match",
        Payload::FaceScore(_) => "face.no_match",
        Payload::FaceCandidates(found) if found.is_empty() => "face.not_found",
        Payload::FaceCandidates(_) => "face.found",
        Payload::Photo(None) => "photo.not_enrolled",
        Payload::Photo(Some(_)) => "photo.found",
        Payload::Identified(None) => "fingerprint.not_found",
        Payload::Identified(Some(_)) => "fingerprint.found",
        _ => return None,
    })
}

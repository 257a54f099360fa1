//! The server's biometric engine (SPEC.md §4.5, §4.6): the face encoder
//! (absent when the models are not installed), the 1:N face index and the
//! fingerprint gallery, loaded from storage at start-up and kept current as
//! residents are enrolled — by this server at once, by the CLI or another
//! node within [`BIOMETRIC_REFRESH`] when the stored counts move (a
//! replacement made elsewhere, which keeps them, at the next start).
//!
//! Everything CPU-bound (decoding, detection, embedding, extraction,
//! bozorth3) runs on blocking threads, never on the async ones.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use gerbang_biometrics::fingerprint::{
    self, FingerPosition, FingerprintGallery, FingerprintTemplate, Identification, PreparedTemplate,
};
use gerbang_biometrics::{BiometricsError, FaceEmbedding, FaceEncoder, FaceIndex};
use gerbang_core::Nik;
use gerbang_core::biometric::{
    BiometricCounts, FaceEnrolment, FingerprintEnrolment, MAX_IMPRESSIONS_PER_FINGER, MAX_STORED_PHOTO_BYTES,
};
use gerbang_store::{Store, StoreError};

/// How often a server looks for enrolments made elsewhere.
pub const BIOMETRIC_REFRESH: Duration = Duration::from_secs(5);

/// Most candidates a 1:N face search returns.
pub const MAX_FACE_CANDIDATES: usize = 10;

/// Why a probe or an enrolment could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BiometricFailure {
    /// The image or template is unusable; the caller's fault.
    #[error(transparent)]
    Input(#[from] BiometricsError),
    /// The face models are not installed on this server.
    #[error("pencocokan wajah tidak tersedia di server ini: {0}")]
    FacesUnavailable(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A worker thread died.
    #[error("proses biometrik terhenti")]
    Worker,
}

impl BiometricFailure {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            BiometricFailure::Input(error) => error.code(),
            BiometricFailure::FacesUnavailable(_) => "face.unavailable",
            BiometricFailure::Store(error) => error.code(),
            BiometricFailure::Worker => "service.unavailable",
        }
    }
}

/// A fingerprint as submitted: an image, or an ISO/IEC 19794-2 template.
#[derive(Debug, Clone)]
pub enum FingerProbe {
    /// PNG, TIFF, JPEG or WSQ at 500 dpi.
    Image(Vec<u8>),
    /// An ISO/IEC 19794-2 record.
    Template(Vec<u8>),
}

/// One resident found near a face probe.
#[derive(Debug, Clone, PartialEq)]
pub struct FaceCandidate {
    /// The resident.
    pub nik: Nik,
    /// Similarity 0–100 (50 is the default decision threshold).
    pub score: f32,
}

/// The enrolled faces: the approximate index, and each resident's current
/// embedding (a re-enrolment leaves the old face in the graph; answers are
/// re-scored against the current one).
struct Faces {
    index: FaceIndex,
    current: HashMap<String, FaceEmbedding>,
}

impl Faces {
    fn new(expected: usize) -> Faces {
        Faces { index: FaceIndex::new(expected.max(1_000)), current: HashMap::new() }
    }

    fn insert(&mut self, nik: &str, embedding: FaceEmbedding) {
        self.index.insert(nik, embedding);
        self.current.insert(nik.to_owned(), embedding);
    }
}

/// The engine a server shares between handlers.
pub struct BiometricEngine {
    encoder: Result<Arc<FaceEncoder>, String>,
    faces: RwLock<Faces>,
    fingers: Arc<RwLock<FingerprintGallery>>,
    counts: RwLock<BiometricCounts>,
}

impl std::fmt::Debug for BiometricEngine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BiometricEngine").field("faces_available", &self.encoder.is_ok()).finish_non_exhaustive()
    }
}

impl BiometricEngine {
    /// An engine without enrolments; faces only if `models` opens.
    pub fn empty(models: Option<&Path>) -> BiometricEngine {
        let encoder = match models {
            None => Err("folder model wajah tidak diatur (GERBANG_FACE_MODELS)".to_owned()),
            Some(dir) => FaceEncoder::open(dir).map(Arc::new).map_err(|e| e.to_string()),
        };
        if let (Some(_), Err(why)) = (models, &encoder) {
            tracing::warn!(why = %why, "pencocokan wajah tidak tersedia");
        }
        BiometricEngine {
            encoder,
            faces: RwLock::new(Faces::new(0)),
            fingers: Arc::new(RwLock::new(FingerprintGallery::new(fingerprint::DEFAULT_THRESHOLD))),
            counts: RwLock::new(BiometricCounts::default()),
        }
    }

    /// An engine loaded with every enrolment in `store`.
    pub async fn load(store: &dyn Store, models: Option<&Path>) -> Result<BiometricEngine, StoreError> {
        let engine = BiometricEngine::empty(models);
        engine.reload(store).await?;
        Ok(engine)
    }

    /// Whether face mechanisms can be served.
    pub fn faces_available(&self) -> bool {
        self.encoder.is_ok()
    }

    /// Enrolled faces, fingers and impressions, as last loaded.
    pub fn counts(&self) -> BiometricCounts {
        *self.counts.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Rebuilds the index and the gallery from `store`.
    pub async fn reload(&self, store: &dyn Store) -> Result<(), StoreError> {
        let counts = store.biometric_counts().await?;
        let embeddings = store.face_embeddings().await?;
        let mut faces = Faces::new(embeddings.len());
        for (nik, bytes) in embeddings {
            match FaceEmbedding::from_le_bytes(&bytes) {
                Some(embedding) => faces.insert(&nik.to_string(), embedding),
                None => tracing::warn!("satu embedding wajah tersimpan rusak dan dilewati"),
            }
        }
        let enrolments = store.fingerprint_enrolments().await?;
        let gallery = tokio::task::spawn_blocking(move || gallery_of(&enrolments))
            .await
            .map_err(|_| StoreError::Backend("proses biometrik terhenti".into()))?;
        *self.faces.write().unwrap_or_else(PoisonError::into_inner) = faces;
        *self.fingers.write().unwrap_or_else(PoisonError::into_inner) = gallery;
        *self.counts.write().unwrap_or_else(PoisonError::into_inner) = counts;
        Ok(())
    }

    fn encoder(&self) -> Result<Arc<FaceEncoder>, BiometricFailure> {
        self.encoder.as_ref().map(Arc::clone).map_err(|why| BiometricFailure::FacesUnavailable(why.clone()))
    }

    /// The embedding of the one face in `photo`.
    pub async fn embed(&self, photo: Vec<u8>) -> Result<FaceEmbedding, BiometricFailure> {
        let encoder = self.encoder()?;
        let embedded = tokio::task::spawn_blocking(move || encoder.encode(&photo));
        Ok(embedded.await.map_err(|_| BiometricFailure::Worker)??)
    }

    /// Similarity 0–100 of `probe` with the enrolled face of `nik`; `None`
    /// when no face is enrolled for it.
    pub fn face_score(&self, nik: Nik, probe: &FaceEmbedding) -> Option<f32> {
        let faces = self.faces.read().unwrap_or_else(PoisonError::into_inner);
        faces.current.get(&nik.to_string()).map(|enrolled| enrolled.similarity(probe))
    }

    /// The `limit` enrolled residents nearest `probe` with a similarity of
    /// at least `threshold`, best first.
    pub fn search_faces(&self, probe: &FaceEmbedding, limit: usize, threshold: f32) -> Vec<FaceCandidate> {
        let faces = self.faces.read().unwrap_or_else(PoisonError::into_inner);
        let mut found: Vec<FaceCandidate> = faces
            .index
            .search(probe, limit.saturating_mul(2))
            .into_iter()
            .filter_map(|candidate| {
                let score = faces.current.get(&candidate.key)?.similarity(probe);
                let nik = Nik::parse(&candidate.key).ok()?;
                (score >= threshold).then_some(FaceCandidate { nik, score })
            })
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score));
        found.truncate(limit);
        found
    }

    /// A submitted fingerprint ready for bozorth3.
    pub async fn prepare_finger(&self, probe: FingerProbe) -> Result<PreparedTemplate, BiometricFailure> {
        let prepared = tokio::task::spawn_blocking(move || template_of(&probe)?.prepare());
        Ok(prepared.await.map_err(|_| BiometricFailure::Worker)??)
    }

    /// The enrolled finger that `probe` is, at the gallery's threshold.
    pub async fn identify(&self, probe: PreparedTemplate) -> Result<Option<Identification>, BiometricFailure> {
        let fingers = Arc::clone(&self.fingers);
        tokio::task::spawn_blocking(move || {
            fingers.read().unwrap_or_else(PoisonError::into_inner).identify_prepared(&probe)
        })
        .await
        .map_err(|_| BiometricFailure::Worker)
    }

    /// Enrols the face in `photo` for `nik`: embeds it, stores photo and
    /// embedding, and adds it to the index.
    pub async fn enrol_face(
        &self,
        store: &dyn Store,
        nik: Nik,
        photo: Vec<u8>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<FaceEnrolment, BiometricFailure> {
        let enrolment = self.face_enrolment(nik, photo, by, at).await?;
        store.enrol_face(&enrolment).await?;
        if let Some(embedding) = FaceEmbedding::from_le_bytes(&enrolment.embedding) {
            self.faces.write().unwrap_or_else(PoisonError::into_inner).insert(&nik.to_string(), embedding);
        }
        self.recount(store).await;
        Ok(enrolment)
    }

    /// What [`enrol_face`](Self::enrol_face) stores, without storing it.
    pub async fn face_enrolment(
        &self,
        nik: Nik,
        photo: Vec<u8>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<FaceEnrolment, BiometricFailure> {
        if photo.len() > MAX_STORED_PHOTO_BYTES {
            return Err(BiometricsError::FileTooLarge { bytes: photo.len(), max: MAX_STORED_PHOTO_BYTES }.into());
        }
        let media_type = media_type(&photo);
        let embedding = self.embed(photo.clone()).await?;
        Ok(FaceEnrolment {
            nik,
            embedding: embedding.to_le_bytes().to_vec(),
            photo,
            media_type: media_type.to_owned(),
            enrolled_at: at,
            enrolled_by: by.to_owned(),
        })
    }

    /// Enrols `impressions` of `finger` (ISO position 1–10) for `nik`,
    /// replacing those enrolled before.
    pub async fn enrol_fingerprints(
        &self,
        store: &dyn Store,
        nik: Nik,
        finger: u8,
        impressions: Vec<FingerProbe>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<FingerprintEnrolment, BiometricFailure> {
        let enrolment = fingerprint_enrolment(nik, finger, impressions, by, at).await?;
        store.enrol_fingerprints(&enrolment).await?;
        let prepared = enrolment
            .impressions
            .iter()
            .map(|iso| FingerprintTemplate::from_iso(iso)?.prepare())
            .collect::<Result<Vec<_>, _>>()?;
        let position = FingerPosition::from_iso_code(finger).unwrap_or(FingerPosition::Unknown);
        self.fingers.write().unwrap_or_else(PoisonError::into_inner).replace(&nik.to_string(), position, prepared);
        self.recount(store).await;
        Ok(enrolment)
    }

    async fn recount(&self, store: &dyn Store) {
        if let Ok(counts) = store.biometric_counts().await {
            *self.counts.write().unwrap_or_else(PoisonError::into_inner) = counts;
        }
    }

    /// Reloads whenever the stored counts differ from those last loaded,
    /// until the engine is dropped.
    pub async fn follow(engine: std::sync::Weak<BiometricEngine>, store: Arc<dyn Store>) {
        let mut ticker = tokio::time::interval(BIOMETRIC_REFRESH);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let Some(engine) = engine.upgrade() else { return };
            match store.biometric_counts().await {
                Ok(counts) if counts != engine.counts() => {
                    if let Err(error) = engine.reload(store.as_ref()).await {
                        tracing::warn!(code = error.code(), %error, "gagal memuat ulang data biometrik");
                    }
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(code = error.code(), %error, "gagal membaca jumlah data biometrik"),
            }
        }
    }
}

/// The enrolment of `impressions` of one finger: each extracted (or read as
/// a template) and checked, or the first one's error.
pub async fn fingerprint_enrolment(
    nik: Nik,
    finger: u8,
    impressions: Vec<FingerProbe>,
    by: &str,
    at: DateTime<Utc>,
) -> Result<FingerprintEnrolment, BiometricFailure> {
    let position = FingerPosition::from_iso_code(finger).filter(|p| *p != FingerPosition::Unknown);
    if position.is_none() {
        return Err(BiometricsError::bad_input(format!("posisi jari harus 1–10, bukan {finger}")).into());
    }
    if impressions.is_empty() || impressions.len() > MAX_IMPRESSIONS_PER_FINGER {
        return Err(BiometricsError::bad_input(format!(
            "kirim 1–{MAX_IMPRESSIONS_PER_FINGER} rekaman per jari, bukan {}",
            impressions.len()
        ))
        .into());
    }
    let templates = tokio::task::spawn_blocking(move || {
        impressions
            .iter()
            .map(|probe| {
                let template = template_of(probe)?;
                template.prepare()?;
                Ok(template.to_iso())
            })
            .collect::<Result<Vec<_>, BiometricsError>>()
    })
    .await
    .map_err(|_| BiometricFailure::Worker)??;
    Ok(FingerprintEnrolment { nik, finger, impressions: templates, enrolled_at: at, enrolled_by: by.to_owned() })
}

fn template_of(probe: &FingerProbe) -> Result<FingerprintTemplate, BiometricsError> {
    match probe {
        FingerProbe::Image(bytes) => fingerprint::extract(bytes),
        FingerProbe::Template(bytes) => FingerprintTemplate::from_iso(bytes),
    }
}

fn gallery_of(enrolments: &[FingerprintEnrolment]) -> FingerprintGallery {
    let mut gallery = FingerprintGallery::new(fingerprint::DEFAULT_THRESHOLD);
    for enrolment in enrolments {
        let prepared: Vec<PreparedTemplate> = enrolment
            .impressions
            .iter()
            .filter_map(|iso| FingerprintTemplate::from_iso(iso).and_then(|t| t.prepare()).ok())
            .collect();
        if prepared.len() < enrolment.impressions.len() {
            tracing::warn!("templat sidik jari tersimpan yang rusak dilewati");
        }
        let position = FingerPosition::from_iso_code(enrolment.finger).unwrap_or(FingerPosition::Unknown);
        gallery.replace(&enrolment.nik.to_string(), position, prepared);
    }
    gallery
}

/// The media type of a photo, by its content.
pub fn media_type(photo: &[u8]) -> &'static str {
    match photo {
        [0xFF, 0xD8, ..] => "image/jpeg",
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        [b'I', b'I', 42, 0, ..] | [b'M', b'M', 0, 42, ..] => "image/tiff",
        [b'B', b'M', ..] => "image/bmp",
        _ => "application/octet-stream",
    }
}

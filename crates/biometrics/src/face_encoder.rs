//! Faces: one photo in, one 128-number embedding out, with dlib's models —
//! the HOG face detector, the 5-point landmark predictor (which aligns the
//! face to a 150 × 150 chip) and the ResNet embedding network
//! (`dlib_face_recognition_resnet_model_v1`). Two photos of one person give
//! embeddings within Euclidean distance 0.6 of each other, dlib's figure
//! (99.38 % on LFW), which is [`DEFAULT_THRESHOLD`](crate::DEFAULT_THRESHOLD).
//!
//! A photo without exactly one face is an error: Gerbang must never compare
//! a registry record against a face chosen at random from a group photo.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};

use dlib_face_recognition::{
    FaceDetector, FaceDetectorTrait as _, FaceEncoderNetwork, FaceEncoderTrait as _, ImageMatrix, LandmarkPredictor,
    LandmarkPredictorTrait as _,
};
use image::DynamicImage;

use crate::BiometricsError as Error;
use crate::face::FaceEmbedding;
use crate::photo_input::decode_image;

/// Longer side, in pixels, a photo is shrunk to before detection. The HOG
/// scan's cost grows with the pixel count (a 4,000 × 3,000 phone photo has
/// 15 times the pixels of 1,024 × 768), and it finds faces of about 80 px and
/// more, so a face must fill at least ~8 % of the shrunk photo's longer side:
/// any ID-style photo does. Photos are never enlarged.
pub const MAX_WORKING_SIDE: u32 = 1024;

/// File name of the ResNet embedding model inside the models folder.
pub const EMBEDDING_MODEL_FILE: &str = "dlib_face_recognition_resnet_model_v1.dat";

/// File name of the 5-point landmark model inside the models folder.
pub const LANDMARK_MODEL_FILE: &str = "shape_predictor_5_face_landmarks.dat";

/// One set of dlib models. dlib's detector and network keep scratch state
/// while they run, so the crate marks them `!Sync`: a set serves one photo at
/// a time.
struct FaceModels {
    detector: FaceDetector,
    landmarks: LandmarkPredictor,
    network: FaceEncoderNetwork,
}

/// Turns photos into [`FaceEmbedding`]s; shareable across threads (e.g. in an
/// `Arc` in a server's state).
///
/// dlib's models may not be used by two threads at once, so the encoder keeps
/// a small pool of model sets, one per worker (by default one per CPU core,
/// about 30 MB each): a call takes a set, runs, and gives it back; when all
/// are busy, the call waits. Encoding is CPU-bound (~0.1–0.3 s): async
/// servers call it from `spawn_blocking`.
pub struct FaceEncoder {
    idle: Mutex<Vec<FaceModels>>,
    returned: Condvar,
    workers: usize,
}

impl std::fmt::Debug for FaceEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FaceEncoder").field("workers", &self.workers).finish_non_exhaustive()
    }
}

impl FaceEncoder {
    /// Loads the models from `dir` (fetched there by `scripts/face-models.sh`)
    /// with one model set per CPU core.
    pub fn open(dir: impl AsRef<Path>) -> Result<FaceEncoder, Error> {
        let workers = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        Self::open_with_workers(dir, workers)
    }

    /// Loads the models from `dir` with `workers` model sets, the most photos
    /// encoded at once.
    pub fn open_with_workers(dir: impl AsRef<Path>, workers: NonZeroUsize) -> Result<FaceEncoder, Error> {
        let dir = dir.as_ref();
        let landmarks_path = model_path(dir, LANDMARK_MODEL_FILE)?;
        let network_path = model_path(dir, EMBEDDING_MODEL_FILE)?;
        let landmarks = LandmarkPredictor::open(&landmarks_path)
            .map_err(|detail| Error::ModelMissing { path: landmarks_path, detail })?;
        let network = FaceEncoderNetwork::open(&network_path)
            .map_err(|detail| Error::ModelMissing { path: network_path, detail })?;
        let idle = (0..workers.get())
            .map(|_| FaceModels {
                detector: FaceDetector::new(),
                landmarks: landmarks.clone(),
                network: network.clone(),
            })
            .collect();
        Ok(FaceEncoder { idle: Mutex::new(idle), returned: Condvar::new(), workers: workers.get() })
    }

    /// The embedding of the one face in an image file (JPEG, PNG, WebP, TIFF
    /// or BMP, recognised by content). Errors: the image ones of
    /// [`decode_image`](crate::photo_input::decode_image),
    /// [`Error::NoFace`], [`Error::ManyFaces`].
    pub fn encode(&self, bytes: &[u8]) -> Result<FaceEmbedding, Error> {
        let image = decode_image(bytes)?;
        self.encode_image(&image)
    }

    /// The embedding of the one face in a decoded image.
    pub fn encode_image(&self, image: &DynamicImage) -> Result<FaceEmbedding, Error> {
        let matrix = working_matrix(image)?;
        let checkout = self.checkout();
        match &checkout.models {
            Some(models) => embed(models, &matrix),
            // `checkout` always fills `models`; only `drop` empties it.
            None => Err(Error::NoFace),
        }
    }

    fn checkout(&self) -> Checkout<'_> {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(models) = idle.pop() {
                return Checkout { encoder: self, models: Some(models) };
            }
            idle = self.returned.wait(idle).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// A model set taken from the pool; going out of scope (even by unwinding)
/// gives it back.
struct Checkout<'a> {
    encoder: &'a FaceEncoder,
    /// Always `Some` until dropped.
    models: Option<FaceModels>,
}

impl Drop for Checkout<'_> {
    fn drop(&mut self) {
        if let Some(models) = self.models.take() {
            let mut idle = self.encoder.idle.lock().unwrap_or_else(PoisonError::into_inner);
            idle.push(models);
            self.encoder.returned.notify_one();
        }
    }
}

fn model_path(dir: &Path, file: &str) -> Result<PathBuf, Error> {
    let path = dir.join(file);
    if path.is_file() { Ok(path) } else { Err(Error::ModelMissing { path, detail: "berkas tidak ada".into() }) }
}

/// The photo as dlib's RGB matrix, shrunk to [`MAX_WORKING_SIDE`].
fn working_matrix(image: &DynamicImage) -> Result<ImageMatrix, Error> {
    let rgb = if image.width().max(image.height()) > MAX_WORKING_SIDE {
        image.thumbnail(MAX_WORKING_SIDE, MAX_WORKING_SIDE).into_rgb8()
    } else {
        image.to_rgb8()
    };
    let (width, height) = rgb.dimensions();
    // dlib-face-recognition takes its own `image` version's buffer; the
    // pixels move across without a copy.
    let buffer = image_dlib::RgbImage::from_raw(width, height, rgb.into_raw())
        .ok_or_else(|| Error::CorruptPhoto { detail: format!("{width}×{height} tidak cocok dengan data piksel") })?;
    Ok(ImageMatrix::from_image(&buffer))
}

fn embed(models: &FaceModels, matrix: &ImageMatrix) -> Result<FaceEmbedding, Error> {
    let faces = models.detector.face_locations(matrix);
    let face = match &faces[..] {
        [] => return Err(Error::NoFace),
        [face] => face,
        many => return Err(Error::ManyFaces { count: many.len() }),
    };
    let landmarks = models.landmarks.face_landmarks(matrix, face);
    let encodings = models.network.get_face_encodings(matrix, std::slice::from_ref(&landmarks), 0);
    let values = encodings.first().map(|encoding| encoding.as_ref());
    let mut embedding = [0.0f32; FaceEmbedding::LEN];
    match values {
        Some(values) if values.len() == FaceEmbedding::LEN => {
            for (out, value) in embedding.iter_mut().zip(values) {
                // dlib computes in f32 and widens to f64; narrowing is exact.
                *out = *value as f32;
            }
            Ok(FaceEmbedding::new(embedding))
        }
        // The network returns one 128-vector per face given; anything else
        // means the face could not be aligned.
        _ => Err(Error::NoFace),
    }
}

#[cfg(test)]
mod tests {
    // Tests rely on known-good fixtures and may unwrap/expect/panic.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use std::sync::Arc;

    use super::*;
    use crate::face::DEFAULT_THRESHOLD;
    use crate::face_test_data::{encoder, models_dir, read_data};

    fn encode(file: &str) -> Option<Result<FaceEmbedding, Error>> {
        let encoder = encoder()?;
        let bytes = read_data(file)?;
        Some(encoder.encode(&bytes))
    }

    fn face(name: &str) -> Option<FaceEmbedding> {
        encode(&format!("faces/deepface/{name}")).map(|result| result.unwrap())
    }

    #[test]
    fn two_photos_of_one_person_are_within_the_threshold() {
        for (x, y) in [("img20.jpg", "img21.jpg"), ("img16.jpg", "img17.jpg")] {
            let (Some(a), Some(b)) = (face(x), face(y)) else {
                return;
            };
            let distance = a.distance(&b);
            assert!(distance <= DEFAULT_THRESHOLD, "{x} {y}: {distance}");
            assert!(a.similarity(&b) >= 50.0);
        }
    }

    #[test]
    fn photos_of_two_people_are_beyond_the_threshold() {
        for (x, y) in [("img20.jpg", "img16.jpg"), ("img21.jpg", "img17.jpg")] {
            let (Some(a), Some(b)) = (face(x), face(y)) else {
                return;
            };
            let distance = a.distance(&b);
            assert!(distance > DEFAULT_THRESHOLD, "{x} {y}: {distance}");
            assert!(a.similarity(&b) < 50.0);
        }
    }

    #[test]
    fn a_webp_photo_named_jpg_is_encoded() {
        let Some(result) = encode("faces/deepface/img47.jpg") else {
            return;
        };
        assert!(result.is_ok(), "{result:?}");
    }

    #[test]
    fn a_fingerprint_has_no_face() {
        let Some(dir) = crate::face_test_data::biometrics_data() else {
            return;
        };
        let Some(file) = std::fs::read_dir(dir.join("fingerprints/nbis-rs/p1"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .find(|path| path.extension().is_some_and(|ext| ext == "png"))
        else {
            panic!("no fingerprint PNG in nbis-rs/p1");
        };
        let Some(encoder) = encoder() else {
            return;
        };
        let error = encoder.encode(&std::fs::read(file).unwrap()).unwrap_err();
        assert_eq!(error.code(), "face.no_face");
        assert_eq!(error.to_string(), "tidak ada wajah yang terdeteksi pada foto");
    }

    #[test]
    fn a_group_photo_is_refused() {
        let Some(result) = encode("faces/deepface/couple.jpg") else {
            return;
        };
        let error = result.unwrap_err();
        assert_eq!(error.code(), "face.many_faces");
        assert!(matches!(error, Error::ManyFaces { count } if count >= 2));
    }

    #[test]
    fn image_errors_come_through_encode() {
        let Some(encoder) = encoder() else {
            return;
        };
        let error = encoder.encode(b"%PDF-1.7\n").unwrap_err();
        assert_eq!(error.code(), "image.not_an_image");
    }

    #[test]
    fn missing_models_say_how_to_fetch_them() {
        let error = FaceEncoder::open("/nonexistent/models").unwrap_err();
        assert_eq!(error.code(), "face.model_missing");
        assert!(error.to_string().contains("scripts/face-models.sh"), "{error}");
    }

    #[test]
    fn threads_share_one_encoder_and_get_the_same_answers() {
        let (Some(dir), Some(bytes)) = (models_dir(), read_data("faces/deepface/img1.jpg")) else {
            return;
        };
        let encoder = Arc::new(FaceEncoder::open_with_workers(dir, NonZeroUsize::MIN).unwrap());
        let alone = encoder.encode(&bytes).unwrap();
        let bytes = Arc::new(bytes);
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let (encoder, bytes) = (Arc::clone(&encoder), Arc::clone(&bytes));
                std::thread::spawn(move || encoder.encode(&bytes).unwrap())
            })
            .collect();
        for thread in threads {
            assert_eq!(thread.join().unwrap(), alone);
        }
    }
}

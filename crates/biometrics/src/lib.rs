//! Gerbang's biometrics (SPEC.md §4, §6):
//!
//! - faces: [`FaceEncoder`] turns a photo (JPEG, PNG, WebP, TIFF or BMP,
//!   recognised by content, [`photo_input`]) into a 128-d [`FaceEmbedding`]
//!   with dlib's ResNet, or a clear error when the photo is not a readable
//!   image or holds no face or several; [`FaceEmbedding::distance`] and
//!   [`FaceEmbedding::similarity`] compare two faces (1:1) against
//!   [`DEFAULT_THRESHOLD`]; [`FaceIndex`] finds the nearest enrolled faces
//!   (1:N); [`evaluate_face_pairs`] measures accuracy on a labelled folder;
//!   [`face_synth`] makes seeded synthetic embeddings. The models are not
//!   shipped: `scripts/face-models.sh` fetches them.
//! - fingerprints: extraction, matching, 1:N identification and accuracy
//!   evaluation ([`fingerprint`], NIST mindtct + bozorth3), a synthetic
//!   fingerprint generator for the synthetic population and tests
//!   ([`synthetic_fingerprint`]), over content-checked grayscale decoding
//!   ([`image_input`]).
//!
//! The `face` feature (on by default) brings dlib in for [`FaceEncoder`]
//! and [`evaluate_face_pairs`]; without it the crate is the decoders, the
//! fingerprint side and the embedding arithmetic (the fuzz targets build it
//! so, sparing dlib's C++ build).
//!
//! One error type, [`BiometricsError`], with stable codes. CPU-heavy:
//! callers on async threads use `spawn_blocking`.

pub mod error;
pub mod face;
#[cfg(feature = "face")]
pub mod face_encoder;
#[cfg(feature = "face")]
pub mod face_eval;
pub mod face_index;
pub mod face_synth;
pub mod fingerprint;
pub mod hostile;
pub mod image_input;
pub mod photo_input;
pub mod synthetic_fingerprint;

pub use error::{BiometricsError, Result};
pub use face::{DEFAULT_THRESHOLD, FaceEmbedding};
#[cfg(feature = "face")]
pub use face_encoder::FaceEncoder;
#[cfg(feature = "face")]
pub use face_eval::{FaceEvaluation, evaluate_face_pairs};
pub use face_index::{Candidate, FaceIndex};

#[cfg(test)]
mod face_test_data;
#[cfg(test)]
mod test_data;

//! Gerbang's biometrics: faces for now.
//!
//! - [`FaceEncoder`] turns a photo (bytes of a JPEG, PNG, WebP, TIFF or BMP,
//!   recognised by content) into a [`FaceEmbedding`], or a clear [`Error`]
//!   when the photo is not a readable image or holds no face or several.
//! - [`FaceEmbedding::distance`] and [`FaceEmbedding::similarity`] compare two
//!   faces (1:1); [`DEFAULT_THRESHOLD`] decides "same person".
//! - [`FaceIndex`] finds the enrolled faces nearest a photo's (1:N).
//! - [`evaluate_face_pairs`] measures accuracy on a labelled folder.
//! - [`face_synth`] makes seeded synthetic embeddings for tests and demos.
//!
//! The models are not shipped: `scripts/face-models.sh` fetches them.

mod error;
pub mod face;
pub mod face_eval;
pub mod face_index;
pub mod face_synth;
#[cfg(test)]
mod face_test_data;
pub mod image_input;

pub use error::Error;
pub use face::{DEFAULT_THRESHOLD, FaceEmbedding, FaceEncoder};
pub use face_eval::{FaceEvaluation, evaluate_face_pairs};
pub use face_index::{Candidate, FaceIndex};

//! Gerbang's biometrics: fingerprint extraction, matching, 1:N
//! identification and accuracy evaluation ([`fingerprint`]), a synthetic
//! fingerprint generator for the synthetic population and for tests
//! ([`synthetic_fingerprint`]), and content-checked image decoding
//! ([`image_input`]).
//!
//! CPU-heavy: callers on async threads use `spawn_blocking`.

pub mod error;
pub mod fingerprint;
pub mod image_input;
pub mod synthetic_fingerprint;

pub use error::{BiometricsError, Result};

#[cfg(test)]
mod test_data;

//! Gerbang's biometrics: fingerprint extraction, matching, 1:N
//! identification and accuracy evaluation ([`fingerprint`]), and
//! content-checked image decoding ([`image_input`]).
//!
//! CPU-heavy: callers on async threads use `spawn_blocking`.

pub mod error;
pub mod fingerprint;
pub mod image_input;

pub use error::{BiometricsError, Result};

#[cfg(test)]
mod test_data;

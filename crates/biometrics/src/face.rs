//! Face embeddings: the 128 numbers dlib's ResNet model gives a face
//! (`face_encoder` computes them from a photo), compared by
//! Euclidean distance. Two photos of one person give embeddings within
//! distance 0.6 of each other, dlib's figure (99.38 % on LFW), which is
//! [`DEFAULT_THRESHOLD`].
//!
//! Pure arithmetic, no dlib: storage, the 1:N index and the synthetic
//! faces use it without the `face` feature.

/// Distance at or under which two embeddings are taken as the same person:
/// dlib's own threshold for this model. On the 300 labelled pairs of the
/// deepface test set it gets 299 right.
pub const DEFAULT_THRESHOLD: f32 = 0.6;

/// A face's 128-number embedding from dlib's ResNet model.
#[derive(Clone, Copy, PartialEq)]
pub struct FaceEmbedding([f32; FaceEmbedding::LEN]);

impl FaceEmbedding {
    /// Number of values in an embedding.
    pub const LEN: usize = 128;

    /// Wraps 128 values, e.g. read back from storage.
    pub fn new(values: [f32; Self::LEN]) -> Self {
        Self(values)
    }

    /// The 128 values.
    pub fn as_array(&self) -> &[f32; Self::LEN] {
        &self.0
    }

    /// Euclidean distance to another embedding: 0 for the same picture,
    /// under [`DEFAULT_THRESHOLD`] for the same person, about 0.9 for two
    /// strangers.
    pub fn distance(&self, other: &FaceEmbedding) -> f32 {
        squared_distance(&self.0, &other.0).sqrt()
    }

    /// Similarity score 0–100 for people: see [`similarity_from_distance`].
    pub fn similarity(&self, other: &FaceEmbedding) -> f32 {
        similarity_from_distance(self.distance(other))
    }

    /// The values as 512 bytes, little-endian `f32`s, for storage.
    pub fn to_le_bytes(&self) -> [u8; Self::LEN * 4] {
        let mut bytes = [0; Self::LEN * 4];
        for (chunk, value) in bytes.chunks_exact_mut(4).zip(self.0) {
            chunk.copy_from_slice(&value.to_le_bytes());
        }
        bytes
    }

    /// Reads back [`FaceEmbedding::to_le_bytes`]; `None` unless exactly 512
    /// bytes.
    pub fn from_le_bytes(bytes: &[u8]) -> Option<FaceEmbedding> {
        if bytes.len() != Self::LEN * 4 {
            return None;
        }
        let mut values = [0.0; Self::LEN];
        for (value, chunk) in values.iter_mut().zip(bytes.chunks_exact(4)) {
            *value = f32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(FaceEmbedding(values))
    }
}

impl std::fmt::Debug for FaceEmbedding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FaceEmbedding({:.3}, {:.3}, …)", self.0[0], self.0[1])
    }
}

/// The similarity score 0–100 shown to people for a distance: linear,
/// 100 at distance 0, 50 at [`DEFAULT_THRESHOLD`] (0.6) and 0 at twice the
/// threshold (1.2) and beyond. So "score ≥ 50" is the default match decision;
/// same-person pairs typically score 50–80, strangers 10–45.
pub fn similarity_from_distance(distance: f32) -> f32 {
    (100.0 * (1.0 - distance / (2.0 * DEFAULT_THRESHOLD))).clamp(0.0, 100.0)
}

/// Squared Euclidean distance, summed in eight lanes so the compiler can
/// vectorise it (a plain `.sum()` must add in order).
pub(crate) fn squared_distance(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks.remainder().iter().zip(b_chunks.remainder()).map(|(x, y)| (x - y) * (x - y)).sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for lane in 0..8 {
            let d = x[lane] - y[lane];
            lanes[lane] += d * d;
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_linear_from_100_to_0() {
        assert_eq!(similarity_from_distance(0.0), 100.0);
        assert_eq!(similarity_from_distance(DEFAULT_THRESHOLD), 50.0);
        assert_eq!(similarity_from_distance(1.2), 0.0);
        assert_eq!(similarity_from_distance(3.0), 0.0);
    }

    #[test]
    fn embeddings_round_trip_through_bytes_and_measure_euclidean_distance() {
        let mut values = [0.0; FaceEmbedding::LEN];
        values[0] = 0.3;
        values[127] = -0.4;
        let a = FaceEmbedding::new(values);
        let b = FaceEmbedding::new([0.0; FaceEmbedding::LEN]);
        assert!((a.distance(&b) - 0.5).abs() < 1e-6);
        assert_eq!(FaceEmbedding::from_le_bytes(&a.to_le_bytes()), Some(a));
        assert_eq!(FaceEmbedding::from_le_bytes(&[0; 511]), None);
    }
}

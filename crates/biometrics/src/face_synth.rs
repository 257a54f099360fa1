//! Synthetic face embeddings, for tests, benchmarks and demo data where no
//! photos exist: seeded, so every run makes the same faces.
//!
//! Shaped like dlib's real ones, not uniform noise: deep face embeddings lie
//! near a low-dimensional surface (Gong, Boddeti & Jain, "On the Intrinsic
//! Dimensionality of Image Representations", CVPR 2019, estimate about 12
//! for FaceNet's 128-d), so a person here is a point of a 16-dimensional
//! latent space mapped into the 128 dimensions, plus a smaller individual
//! part in all 128. Scales are set so two people are ~0.9 apart and two
//! photos of one person ~0.35, dlib's figures on the deepface set. (Uniform
//! noise in 128 dimensions puts everyone at nearly the same distance from
//! everyone, the worst case for any nearest-neighbour graph; BENCHMARKS.md
//! gives that figure too.)

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::FaceEmbedding;

/// Dimensions of the latent space people vary in.
const LATENT: usize = 16;
/// Standard deviation of the latent-to-embedding map's entries: latent
/// differences make 80 % of two strangers' squared distance (0.81).
const MAP_SD: f32 = 0.012_58;
/// Standard deviation of a person's individual part (the other 20 %).
const INDIVIDUAL_SD: f32 = 0.025_16;
/// Standard deviation of one photo's noise: two photos ~0.35 apart.
const PHOTO_SD: f32 = 0.021_87;

/// A seeded source of synthetic people and photos.
#[derive(Clone, Debug)]
pub struct SyntheticFaces {
    rng: ChaCha8Rng,
    map: Vec<[f32; LATENT]>,
}

impl SyntheticFaces {
    /// A source whose faces depend only on `seed`.
    pub fn new(seed: u64) -> SyntheticFaces {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let map = (0..FaceEmbedding::LEN).map(|_| std::array::from_fn(|_| MAP_SD * normal(&mut rng))).collect();
        SyntheticFaces { rng, map }
    }

    /// A new person's face (as if the noiseless average of their photos).
    pub fn person(&mut self) -> FaceEmbedding {
        let latent: [f32; LATENT] = std::array::from_fn(|_| normal(&mut self.rng));
        let mut values = [0.0f32; FaceEmbedding::LEN];
        for (value, row) in values.iter_mut().zip(&self.map) {
            let shared: f32 = row.iter().zip(&latent).map(|(a, z)| a * z).sum();
            *value = shared + INDIVIDUAL_SD * normal(&mut self.rng);
        }
        FaceEmbedding::new(values)
    }

    /// One photo of `person`: ~0.25 from the person, ~0.35 from another
    /// photo of them.
    pub fn photo(&mut self, person: &FaceEmbedding) -> FaceEmbedding {
        let mut values = *person.as_array();
        for value in &mut values {
            *value += PHOTO_SD * normal(&mut self.rng);
        }
        FaceEmbedding::new(values)
    }

    /// A uniform random index below `n` (for picking people to probe).
    pub fn pick(&mut self, n: usize) -> usize {
        self.rng.random_range(0..n.max(1))
    }
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f32 {
    let u: f32 = rng.random_range(f32::EPSILON..1.0);
    let v: f32 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn median(mut values: Vec<f32>) -> f32 {
        values.sort_unstable_by(f32::total_cmp);
        values[values.len() / 2]
    }

    #[test]
    fn strangers_and_photos_of_one_person_are_as_far_apart_as_dlibs() {
        let mut faces = SyntheticFaces::new(1);
        let people: Vec<_> = (0..200).map(|_| faces.person()).collect();
        let strangers = median(people.windows(2).map(|w| w[0].distance(&w[1])).collect());
        let same = median(people.iter().map(|p| faces.photo(p).distance(&faces.photo(p))).collect());
        assert!((0.8..1.0).contains(&strangers), "strangers {strangers}");
        assert!((0.3..0.4).contains(&same), "same person {same}");
        assert_eq!(SyntheticFaces::new(1).person(), people[0]);
    }
}

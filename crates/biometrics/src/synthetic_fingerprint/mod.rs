//! Synthetic fingerprints in the manner of SFinGe (Cappelli, Maio and
//! Maltoni): a seeded *master* finger — class, singular points, orientation
//! field, ridge frequency map, ridge pattern grown by Gabor filtering — and
//! any number of *impressions* of it, each a differently placed, distorted
//! and noisy 300 × 400 capture at 500 dpi.
//!
//! The synthetic population gets fingerprints from it, and tests need no
//! external data: impressions of one synthetic finger match each other
//! through mindtct + bozorth3 at [`DEFAULT_THRESHOLD`](crate::fingerprint::DEFAULT_THRESHOLD),
//! impressions of different fingers do not (see the tests, and
//! BENCHMARKS.md for the time per image).
//!
//! Everything is a pure function of the seed (a small SplitMix64 generator
//! of our own, so images do not change when a dependency does).
//!
//! - **Orientation**: the Sherlock–Monro zero-pole model,
//!   `θ(z) = ½ (Σ arg(z − core) − Σ arg(z − delta))`, with cores and deltas
//!   placed per class (loops: one of each; whorl: two of each; tented
//!   arch: a core right above a delta); a plain arch has no singular
//!   point and uses a smooth bump field instead.
//! - **Frequency**: ridge period 8.5–10 pixels, varying smoothly by ±0.7.
//! - **Ridges**: from a few dozen random seed dots, repeated space-variant
//!   Gabor filtering along the local orientation and period, clipped after
//!   each pass, grows a ridge pattern over the fingertip; where growing
//!   fronts meet out of phase, minutiae appear, so the seed decides them.

mod gabor;
mod impression;
#[cfg(test)]
mod tests;

use std::f32::consts::PI;

use image::GrayImage;

/// Width of an impression, in pixels at 500 dpi.
pub const IMPRESSION_WIDTH: u32 = 300;
/// Height of an impression, in pixels at 500 dpi.
pub const IMPRESSION_HEIGHT: u32 = 400;
/// The master pattern is larger than an impression, so impressions can be
/// shifted and rotated over it.
const MASTER_WIDTH: usize = 340;
const MASTER_HEIGHT: usize = 440;

/// The Henry class of a fingerprint, decided by its singular points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FingerprintClass {
    /// Ridges cross the finger with a rise in the middle; no singular point.
    Arch,
    /// An arch with a core right above a delta.
    TentedArch,
    /// Ridges enter and leave on the left; delta on the right.
    LeftLoop,
    /// Ridges enter and leave on the right; delta on the left.
    RightLoop,
    /// Circular ridges around two cores; two deltas.
    Whorl,
}

impl FingerprintClass {
    /// A class drawn with roughly natural frequencies (loops about 64 %,
    /// whorls 28 %, arches 8 %).
    fn draw(rng: &mut Rng) -> Self {
        match rng.below(100) {
            0..=32 => FingerprintClass::LeftLoop,
            33..=63 => FingerprintClass::RightLoop,
            64..=91 => FingerprintClass::Whorl,
            92..=95 => FingerprintClass::Arch,
            _ => FingerprintClass::TentedArch,
        }
    }
}

/// SplitMix64: tiny, fast, and fixed forever (unlike a dependency's
/// generator), so a seed always gives the same finger.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// Uniform in [low, high).
    pub(crate) fn range(&mut self, low: f32, high: f32) -> f32 {
        low + (high - low) * self.unit()
    }

    /// Uniform in 0..n.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Roughly normal with mean 0 and deviation 1 (sum of four uniforms).
    pub(crate) fn normal(&mut self) -> f32 {
        (self.unit() + self.unit() + self.unit() + self.unit() - 2.0) * 1.732
    }
}

/// The seed of the synthetic `finger` (ISO position) of the resident
/// `nik`: FNV-1a over both, so that the synthetic population's enrolments
/// and a test's probes are the same finger without storing any seed.
pub fn resident_seed(nik: &str, finger: u8) -> u64 {
    nik.bytes()
        .chain([b'/', finger])
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// A synthetic finger: the master ridge pattern from which impressions
/// are taken.
#[derive(Debug, Clone)]
pub struct SyntheticFinger {
    seed: u64,
    class: FingerprintClass,
    /// Ridge pattern in [-1, 1] (ridge > 0), row-major, MASTER_WIDTH wide.
    ridges: Vec<f32>,
    /// Whether a master pixel is on the fingertip.
    mask: Vec<bool>,
}

impl SyntheticFinger {
    /// The finger of `seed`, of a class drawn from the seed.
    pub fn new(seed: u64) -> Self {
        let class = FingerprintClass::draw(&mut Rng::new(seed ^ 0x636c_6173_7321));
        Self::with_class(seed, class)
    }

    /// The finger of `seed`, of the given class.
    pub fn with_class(seed: u64, class: FingerprintClass) -> Self {
        let mut rng = Rng::new(seed);
        let mask = fingertip_mask(&mut rng);
        let orientation = orientation_field(class, &mut rng);
        let period = period_map(&mut rng);
        let ridges = gabor::grow(&orientation, &period, &mask, &mut rng);
        SyntheticFinger { seed, class, ridges, mask }
    }

    /// The seed the finger was made from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The finger's class.
    pub fn class(&self) -> FingerprintClass {
        self.class
    }

    /// Impression number `index` of this finger: the same ridges, placed
    /// with a rotation of up to ±12° and a shift of up to ±18 pixels,
    /// elastically distorted by up to about 3 pixels, with varying pressure
    /// (ridge width), contrast and noise. 300 × 400 pixels at 500 dpi.
    pub fn impression(&self, index: u32) -> GrayImage {
        let mut rng =
            Rng::new(self.seed.rotate_left(17).wrapping_add(u64::from(index).wrapping_mul(0x2545_f491_4f6c_dd1d)));
        impression::render(self, &mut rng)
    }
}

/// The fingertip: an ellipse whose lower half continues straight down
/// (the finger goes on past the capture).
fn fingertip_mask(rng: &mut Rng) -> Vec<bool> {
    let cx = MASTER_WIDTH as f32 / 2.0 + rng.range(-6.0, 6.0);
    let cy = MASTER_HEIGHT as f32 * 0.45;
    let half_width = rng.range(135.0, 155.0);
    let half_height = rng.range(175.0, 195.0);
    let mut mask = vec![false; MASTER_WIDTH * MASTER_HEIGHT];
    for (i, inside) in mask.iter_mut().enumerate() {
        let x = (i % MASTER_WIDTH) as f32 - cx;
        let y = (i / MASTER_WIDTH) as f32 - cy;
        let dy = if y > 0.0 { 0.0 } else { y / half_height };
        *inside = (x / half_width).powi(2) + dy * dy <= 1.0;
    }
    mask
}

/// Ridge direction (radians, image axes: x right, y down) at every master
/// pixel.
fn orientation_field(class: FingerprintClass, rng: &mut Rng) -> Vec<f32> {
    let cx = MASTER_WIDTH as f32 / 2.0 + rng.range(-15.0, 15.0);
    let cy = MASTER_HEIGHT as f32 * 0.42 + rng.range(-20.0, 20.0);
    let mut cores: Vec<(f32, f32)> = Vec::new();
    let mut deltas: Vec<(f32, f32)> = Vec::new();
    match class {
        FingerprintClass::Arch => {}
        FingerprintClass::TentedArch => {
            cores.push((cx, cy));
            deltas.push((cx + rng.range(-8.0, 8.0), cy + rng.range(55.0, 80.0)));
        }
        FingerprintClass::LeftLoop | FingerprintClass::RightLoop => {
            let side = if class == FingerprintClass::LeftLoop { 1.0 } else { -1.0 };
            cores.push((cx, cy));
            deltas.push((cx + side * rng.range(70.0, 110.0), cy + rng.range(80.0, 120.0)));
        }
        FingerprintClass::Whorl => {
            let gap = rng.range(12.0, 30.0);
            let tilt = rng.range(-8.0, 8.0);
            cores.push((cx - tilt, cy - gap / 2.0));
            cores.push((cx + tilt, cy + gap / 2.0));
            deltas.push((cx - rng.range(80.0, 110.0), cy + rng.range(90.0, 120.0)));
            deltas.push((cx + rng.range(80.0, 110.0), cy + rng.range(90.0, 120.0)));
        }
    }
    let bump = rng.range(0.6, 1.0);
    let mut field = vec![0.0f32; MASTER_WIDTH * MASTER_HEIGHT];
    for (i, theta) in field.iter_mut().enumerate() {
        let x = (i % MASTER_WIDTH) as f32;
        let y = (i / MASTER_WIDTH) as f32;
        *theta = if class == FingerprintClass::Arch {
            // Ridges y = y0 − h·exp(−(x−cx)²/2s²), flatter towards the
            // bottom of the finger.
            let s = 70.0;
            let h = bump * (1.0 - y / MASTER_HEIGHT as f32).max(0.1) * 90.0;
            let u = (x - cx) / s;
            (h * u / s * (-u * u / 2.0).exp()).atan()
        } else {
            let mut angle = 0.0;
            for &(px, py) in &cores {
                angle += (y - py).atan2(x - px);
            }
            for &(px, py) in &deltas {
                angle -= (y - py).atan2(x - px);
            }
            angle / 2.0
        };
    }
    field
}

/// Ridge period (pixels) at every master pixel: a base period with a
/// smooth, seeded variation.
fn period_map(rng: &mut Rng) -> Vec<f32> {
    let base = rng.range(8.5, 10.0);
    let (fx, fy) = (rng.range(0.006, 0.015), rng.range(0.006, 0.015));
    let (px, py) = (rng.range(0.0, 2.0 * PI), rng.range(0.0, 2.0 * PI));
    let mut map = vec![0.0f32; MASTER_WIDTH * MASTER_HEIGHT];
    for (i, period) in map.iter_mut().enumerate() {
        let x = (i % MASTER_WIDTH) as f32;
        let y = (i / MASTER_WIDTH) as f32;
        *period = base + 0.35 * (x * fx + px).sin() + 0.35 * (y * fy + py).sin();
    }
    map
}

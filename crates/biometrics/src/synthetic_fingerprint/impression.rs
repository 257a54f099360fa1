//! One impression of a synthetic finger: the master ridges placed on a
//! 300 × 400 capture (rotation, shift, smooth elastic distortion), inked
//! with a random pressure and contrast, plus sensor noise.

use std::f32::consts::PI;

use image::{GrayImage, Luma};

use super::{IMPRESSION_HEIGHT, IMPRESSION_WIDTH, MASTER_HEIGHT, MASTER_WIDTH, Rng, SyntheticFinger};

/// A smooth displacement: a sum of two long sine waves per axis.
struct Distortion {
    waves: [(f32, f32, f32, f32, f32); 4],
}

impl Distortion {
    fn new(rng: &mut Rng) -> Self {
        let mut wave = || {
            let direction = rng.range(0.0, 2.0 * PI);
            let wavelength = rng.range(180.0, 320.0);
            (
                rng.range(0.8, 1.8),
                direction.cos() * 2.0 * PI / wavelength,
                direction.sin() * 2.0 * PI / wavelength,
                rng.range(0.0, 2.0 * PI),
                0.0,
            )
        };
        Distortion { waves: [wave(), wave(), wave(), wave()] }
    }

    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        let d = |w: &(f32, f32, f32, f32, f32)| w.0 * (x * w.1 + y * w.2 + w.3).sin();
        (d(&self.waves[0]) + d(&self.waves[1]), d(&self.waves[2]) + d(&self.waves[3]))
    }
}

/// Bilinear sample of the master ridges; `None` off the fingertip.
fn sample(finger: &SyntheticFinger, x: f32, y: f32) -> Option<f32> {
    if !(x >= 0.0 && y >= 0.0) {
        return None;
    }
    let (x0, y0) = (x.floor() as usize, y.floor() as usize);
    if x0 + 1 >= MASTER_WIDTH || y0 + 1 >= MASTER_HEIGHT {
        return None;
    }
    let (fx, fy) = (x - x0 as f32, y - y0 as f32);
    let at = |xx: usize, yy: usize| -> Option<f32> {
        let i = yy * MASTER_WIDTH + xx;
        finger.mask.get(i).copied()?.then(|| finger.ridges.get(i).copied())?
    };
    let top = at(x0, y0)? * (1.0 - fx) + at(x0 + 1, y0)? * fx;
    let bottom = at(x0, y0 + 1)? * (1.0 - fx) + at(x0 + 1, y0 + 1)? * fx;
    Some(top * (1.0 - fy) + bottom * fy)
}

pub(super) fn render(finger: &SyntheticFinger, rng: &mut Rng) -> GrayImage {
    let (sin, cos) = rng.range(-12.0f32, 12.0).to_radians().sin_cos();
    let shift_x = rng.range(-18.0, 18.0);
    let shift_y = rng.range(-18.0, 18.0);
    let distortion = Distortion::new(rng);
    // Heavier pressure widens the ridges: the ink threshold moves.
    let pressure = rng.range(-0.25, 0.25);
    let contrast = rng.range(170.0, 220.0);
    let background = rng.range(225.0, 245.0);
    let noise = rng.range(5.0, 12.0);
    let (half_w, half_h) = (IMPRESSION_WIDTH as f32 / 2.0, IMPRESSION_HEIGHT as f32 / 2.0);
    let (centre_x, centre_y) = (MASTER_WIDTH as f32 / 2.0, MASTER_HEIGHT as f32 * 0.47);
    let mut image = GrayImage::new(IMPRESSION_WIDTH, IMPRESSION_HEIGHT);
    for (u, v, pixel) in image.enumerate_pixels_mut() {
        let (x, y) = (u as f32 - half_w, v as f32 - half_h);
        let (dx, dy) = distortion.at(u as f32, v as f32);
        let source_x = cos * x - sin * y + centre_x + shift_x + dx;
        let source_y = sin * x + cos * y + centre_y + shift_y + dy;
        let ink =
            sample(finger, source_x, source_y).map_or(0.0, |ridge| 1.0 / (1.0 + (-(ridge - pressure) * 5.0).exp()));
        let grey = background - contrast * ink + noise * rng.normal();
        *pixel = Luma([grey.clamp(0.0, 255.0) as u8]);
    }
    image
}

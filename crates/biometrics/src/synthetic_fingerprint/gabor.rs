//! Ridge growth by space-variant Gabor filtering (SFinGe's step 4).
//!
//! Each pass replaces every fingertip pixel by the response of a Gabor
//! filter tuned to the local ridge direction and period, then rescales and
//! clips to [-1, 1]. Starting from a few random dots, ridges spread from
//! each dot along the orientation field; after enough passes they cover
//! the fingertip, and minutiae sit where fronts grown from different dots
//! meet out of phase.
//!
//! Cost: (fingertip pixels) × 15² taps × [`PASSES`]; the filters come from
//! a bank of 32 directions × 5 periods computed once.

use std::f32::consts::PI;
use std::sync::OnceLock;

use super::{MASTER_HEIGHT, MASTER_WIDTH, Rng};

const RADIUS: usize = 7;
const SIDE: usize = 2 * RADIUS + 1;
const DIRECTIONS: usize = 32;
const PERIODS: [f32; 5] = [8.0, 8.75, 9.5, 10.25, 11.0];
/// Passes of the filter; by then every seed's ridges have met their
/// neighbours' and the pattern no longer changes much.
const PASSES: usize = 14;

type Kernel = [f32; SIDE * SIDE];

fn kernel(ridge_direction: f32, period: f32) -> Kernel {
    // The cosine runs across the ridges, along the normal.
    let (sin, cos) = (ridge_direction + PI / 2.0).sin_cos();
    let sigma = 0.42 * period;
    let mut weights = [0.0f32; SIDE * SIDE];
    let mut kernel = [0.0f32; SIDE * SIDE];
    for (i, (k, w)) in kernel.iter_mut().zip(weights.iter_mut()).enumerate() {
        let u = (i % SIDE) as f32 - RADIUS as f32;
        let v = (i / SIDE) as f32 - RADIUS as f32;
        *w = (-(u * u + v * v) / (2.0 * sigma * sigma)).exp();
        *k = *w * (2.0 * PI * (u * cos + v * sin) / period).cos();
    }
    // No response to flat areas: remove the kernel's mean under its
    // Gaussian envelope.
    let mean = kernel.iter().sum::<f32>() / weights.iter().sum::<f32>();
    for (k, w) in kernel.iter_mut().zip(weights) {
        *k -= mean * w;
    }
    kernel
}

fn bank() -> &'static [Kernel] {
    static BANK: OnceLock<Vec<Kernel>> = OnceLock::new();
    BANK.get_or_init(|| {
        let mut bank = Vec::with_capacity(DIRECTIONS * PERIODS.len());
        for d in 0..DIRECTIONS {
            for &period in &PERIODS {
                bank.push(kernel(d as f32 * PI / DIRECTIONS as f32, period));
            }
        }
        bank
    })
}

fn filter_index(direction: f32, period: f32) -> usize {
    let d = (direction.rem_euclid(PI) / (PI / DIRECTIONS as f32)).round() as usize % DIRECTIONS;
    let p = PERIODS
        .iter()
        .enumerate()
        .min_by(|a, b| (a.1 - period).abs().total_cmp(&(b.1 - period).abs()))
        .map_or(0, |(i, _)| i);
    d * PERIODS.len() + p
}

/// Grows the ridge pattern; returns values in [-1, 1], 0 off the fingertip.
pub(super) fn grow(orientation: &[f32], period: &[f32], mask: &[bool], rng: &mut Rng) -> Vec<f32> {
    let bank = bank();
    let filters: Vec<usize> = orientation.iter().zip(period).map(|(&o, &p)| filter_index(o, p)).collect();
    // Pixels that are filtered: on the fingertip and a filter's reach from
    // the border.
    let mut work = Vec::new();
    for y in RADIUS..MASTER_HEIGHT - RADIUS {
        for x in RADIUS..MASTER_WIDTH - RADIUS {
            let i = y * MASTER_WIDTH + x;
            if mask.get(i) == Some(&true) {
                work.push(i);
            }
        }
    }
    let mut current = vec![0.0f32; MASTER_WIDTH * MASTER_HEIGHT];
    // Faint noise everywhere, so that an area no seed's ridges reach in
    // time still grows ridges (of its own, with minutiae where they meet
    // the others) instead of staying blank.
    for &i in &work {
        current[i] = rng.range(-0.01, 0.01);
    }
    let seeds = 20 + rng.below(20);
    for _ in 0..seeds {
        if work.is_empty() {
            break;
        }
        let at = work[rng.below(work.len() as u64) as usize];
        current[at] = if rng.unit() < 0.5 { 1.0 } else { -1.0 };
    }
    let mut next = vec![0.0f32; current.len()];
    for _ in 0..PASSES {
        let mut peak = 0.0f32;
        for &i in &work {
            let kernel = &bank[filters[i]];
            let top_left = i - RADIUS * MASTER_WIDTH - RADIUS;
            let mut acc = 0.0f32;
            for row in 0..SIDE {
                let image = &current[top_left + row * MASTER_WIDTH..][..SIDE];
                let taps = &kernel[row * SIDE..][..SIDE];
                acc += image.iter().zip(taps).map(|(a, b)| a * b).sum::<f32>();
            }
            next[i] = acc;
            peak = peak.max(acc.abs());
        }
        // Rescale so the strongest response saturates well past ±1: the
        // clip then squares the ridges up and weak areas keep growing.
        let gain = if peak > 0.0 { 4.0 / peak } else { 0.0 };
        for &i in &work {
            current[i] = (next[i] * gain).clamp(-1.0, 1.0);
        }
    }
    current
}

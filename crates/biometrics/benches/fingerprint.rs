//! Fingerprint speed: extraction per image, generator per image, bozorth3
//! comparisons per second, and 1:N identification latency over 10,000
//! enrolled fingers. Plain `Instant` loops; run with
//! `cargo bench -p gerbang-biometrics --bench fingerprint`.
//!
//! The 10,000-finger gallery: generating and extracting 10,000 synthetic
//! images would take most of an hour, so `BASE_FINGERS` synthetic fingers
//! are generated and extracted for real, and each enrolled finger is one
//! of those templates under a random rigid motion (rotation ±180°, shift
//! ±40 px) with every minutia jittered (±3 px, ±2 angle units), 15 % of
//! them dropped and 10 % random ones added. Comparisons then cost what
//! real ones do (same minutiae counts and structure) while no two enrolled
//! templates are the same finger.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use gerbang_biometrics::fingerprint::{
    DEFAULT_THRESHOLD, ExtractOptions, FingerPosition, FingerprintGallery, FingerprintTemplate, Matcher, Minutia,
    extract, extract_gray,
};
use gerbang_biometrics::synthetic_fingerprint::SyntheticFinger;

const BASE_FINGERS: u64 = 100;
const GALLERY_FINGERS: usize = 10_000;

/// xorshift64*, for the perturbations.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn range(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

fn perturb(template: &FingerprintTemplate, rng: &mut Rng) -> FingerprintTemplate {
    let (w, h) = (f64::from(template.width()), f64::from(template.height()));
    let turn = rng.range(-180.0, 180.0);
    let (sin, cos) = turn.to_radians().sin_cos();
    let (dx, dy) = (rng.range(-40.0, 40.0), rng.range(-40.0, 40.0));
    let place = |x: f64, y: f64| {
        let (cx, cy) = (x - w / 2.0, y - h / 2.0);
        (cos * cx - sin * cy + w / 2.0 + dx, sin * cx + cos * cy + h / 2.0 + dy)
    };
    let inside = |x: f64, y: f64| x >= 0.0 && y >= 0.0 && x < w && y < h;
    let mut minutiae = Vec::new();
    for m in template.minutiae() {
        if rng.range(0.0, 1.0) < 0.15 {
            continue;
        }
        let (x, y) = place(f64::from(m.x), f64::from(m.y));
        let (x, y) = (x + rng.range(-3.0, 3.0), y + rng.range(-3.0, 3.0));
        if inside(x, y) {
            let turn_units = (-turn / 360.0 * 256.0 + rng.range(-2.0, 2.0)).round() as i64;
            minutiae.push(Minutia {
                x: x as u16,
                y: y as u16,
                angle: (i64::from(m.angle) + turn_units).rem_euclid(256) as u8,
                ..*m
            });
        }
    }
    let extra = template.minutiae().len() / 10;
    for _ in 0..extra {
        minutiae.push(Minutia {
            x: rng.range(0.0, w - 1.0) as u16,
            y: rng.range(0.0, h - 1.0) as u16,
            angle: rng.range(0.0, 255.0) as u8,
            quality: rng.range(10.0, 60.0) as u8,
            ..template.minutiae()[0]
        });
    }
    FingerprintTemplate::from_minutiae(template.width(), template.height(), minutiae)
}

fn per(d: Duration, n: usize) -> f64 {
    d.as_secs_f64() * 1_000.0 / n as f64
}

fn main() {
    // Generator and extraction on synthetic images.
    let start = Instant::now();
    let fingers: Vec<SyntheticFinger> = (0..BASE_FINGERS).map(SyntheticFinger::new).collect();
    let masters = start.elapsed();
    let start = Instant::now();
    let images: Vec<_> = fingers.iter().map(|f| [f.impression(0), f.impression(1)]).collect();
    let impressions = start.elapsed();
    println!(
        "generator: master finger {:.1} ms, impression {:.1} ms ({} fingers, 2 impressions each)",
        per(masters, fingers.len()),
        per(impressions, 2 * fingers.len()),
        fingers.len()
    );
    let start = Instant::now();
    let mut templates = Vec::new();
    let mut refused = 0;
    for pair in &images {
        let pair: Vec<_> = pair.iter().filter_map(|i| extract_gray(i, &ExtractOptions::default()).ok()).collect();
        refused += 2 - pair.len();
        if let [a, b] = &pair[..] {
            templates.push((a.clone(), b.clone()));
        }
    }
    let extraction = start.elapsed();
    println!(
        "extraction (synthetic 300x400): {:.1} ms per image ({} refused of {})",
        per(extraction, 2 * images.len()),
        refused,
        2 * images.len()
    );
    if let Some(dir) = std::env::var_os("GERBANG_BIOMETRICS_DATA")
        .map(std::path::PathBuf::from)
        .or_else(|| Some(std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/biometrics")))
        .map(|d| d.join("fingerprints/fvc2002/DB1_B"))
        .filter(|d| d.is_dir())
    {
        let files: Vec<_> = (101..=110).map(|f| std::fs::read(dir.join(format!("{f}_1.tif"))).unwrap()).collect();
        let start = Instant::now();
        let fvc: Vec<_> = files.iter().filter_map(|bytes| extract(bytes).ok()).collect();
        println!("extraction (FVC2002 DB1_B 388x374 TIFF): {:.1} ms per image", per(start.elapsed(), files.len()));
        let fvc: Vec<_> = fvc.iter().map(|t| t.prepare().unwrap()).collect();
        let matcher = Matcher::lock();
        let start = Instant::now();
        let mut n = 0;
        for _ in 0..5 {
            for (i, a) in fvc.iter().enumerate() {
                for (j, b) in fvc.iter().enumerate() {
                    // A template against itself pairs every minutia and
                    // costs several times a real comparison: left out.
                    if i != j {
                        std::hint::black_box(matcher.score(a, b));
                        n += 1;
                    }
                }
            }
        }
        let elapsed = start.elapsed();
        println!(
            "bozorth3 on FVC2002 DB1_B templates: {:.0} comparisons/s ({n} comparisons, {:.1} µs each)",
            n as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1e6 / n as f64
        );
    }

    // One-to-one comparisons.
    let prepared: Vec<_> = templates.iter().map(|(a, b)| (a.prepare().unwrap(), b.prepare().unwrap())).collect();
    let matcher = Matcher::lock();
    let mut comparisons = 0;
    let mut genuine_min = u32::MAX;
    let mut impostor_max = 0;
    let start = Instant::now();
    for (i, (a, b)) in prepared.iter().enumerate() {
        genuine_min = genuine_min.min(matcher.score(a, b));
        for (j, (c, _)) in prepared.iter().enumerate().take(20) {
            if i != j {
                impostor_max = impostor_max.max(matcher.score(a, c));
                comparisons += 1;
            }
        }
        comparisons += 1;
    }
    let elapsed = start.elapsed();
    drop(matcher);
    println!(
        "bozorth3 on synthetic templates: {:.0} comparisons/s ({comparisons} comparisons, {:.1} µs each); synthetic genuine min {genuine_min}, impostor max {impostor_max}",
        comparisons as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1e6 / comparisons as f64
    );

    // 1:N over 10,000 fingers.
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut gallery = FingerprintGallery::new(DEFAULT_THRESHOLD);
    let start = Instant::now();
    for n in 0..GALLERY_FINGERS {
        let base = &templates[n % templates.len()].0;
        let enrolled = if n < templates.len() { base.clone() } else { perturb(base, &mut rng) };
        gallery
            .enrol(&format!("{:016}", 3_171_000_000_000_000u64 + n as u64), FingerPosition::RightIndex, &enrolled)
            .unwrap();
    }
    println!("gallery: {} fingers enrolled in {:.1} s", gallery.len(), start.elapsed().as_secs_f64());
    let probes = 5.min(templates.len());
    let mut found = 0;
    let start = Instant::now();
    for (_, probe) in templates.iter().take(probes) {
        found += usize::from(gallery.identify(probe).unwrap().is_some());
    }
    let latency = start.elapsed();
    println!(
        "1:N identification over {} fingers: {:.0} ms per probe ({probes} probes, {found} identified)",
        gallery.len(),
        per(latency, probes)
    );
}

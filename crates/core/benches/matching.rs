//! How long one verification comparison takes: the name similarity of the
//! verification service (normalization, titles, old spellings, OSA) and an
//! exact vocabulary comparison. Run: `cargo bench -p gerbang-core --bench
//! matching`. Prints the median of repeated rounds.

#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use gerbang_core::matching::{compare, similarity};
use gerbang_core::{Element, ElementValue};

fn per_call(rounds: u32, mut work: impl FnMut(u32)) -> Duration {
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let started = Instant::now();
            for i in 0..rounds {
                work(i);
            }
            started.elapsed() / rounds
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let pairs = [
        ("BUDI SANTOSO", "BUDI SANTOSO, S.H."),
        ("Dr. H. Ahmad Fauzi, M.Si.", "AHMAD FAUZI"),
        ("SITI NURHALIZA", "SITI NURHALIZAH"),
        ("I GUSTI NGURAH RAI", "I GUSTI NGURAH AGUNG"),
        ("SOEKARNO", "SUKARNO"),
        ("MUHAMMAD RIZKI PRATAMA", "M. RIZKI"),
    ];
    let name = per_call(20_000, |i| {
        let (a, b) = pairs[i as usize % pairs.len()];
        black_box(similarity(black_box(a), black_box(b)));
    });
    println!("matching: name similarity {name:.2?} per pair (median of 15 rounds over 6 pairs)");
    let stored = ElementValue::Text("TAMAT SD/SEDERAJAT".into());
    let exact = per_call(100_000, |_| {
        black_box(compare(Element::PendidikanAkhir, black_box("Tamat SD / Sederajat"), &stored).ok());
    });
    println!("matching: vocabulary comparison {exact:.2?} per element");
}

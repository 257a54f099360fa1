//! How long loading the embedded Kemendagri region table takes, and how
//! fast a NIK is validated against it. Run: `cargo bench -p gerbang-core
//! --bench regions`. Prints the median of repeated runs.

#![allow(clippy::print_stdout, clippy::unwrap_used, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use gerbang_core::{Nik, Regions};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let text = include_str!("../data/regions.txt");
    let loads: Vec<Duration> = (0..25)
        .map(|_| {
            let started = Instant::now();
            black_box(Regions::parse(black_box(text)).unwrap());
            started.elapsed()
        })
        .collect();
    println!("regions: load {:.2?} (median of 25; 38 provinces … 83,762 villages)", median(loads));

    let regions = Regions::official();
    let niks = ["3313011205850001", "3313015205850002", "1101012707120001", "9471011212120001"];
    let rounds = 200_000;
    let started = Instant::now();
    for i in 0..rounds {
        black_box(Nik::parse_with(black_box(niks[i % niks.len()]), regions).ok());
    }
    let per = started.elapsed() / rounds as u32;
    println!("nik: parse and validate {per:.2?} per NIK");
}

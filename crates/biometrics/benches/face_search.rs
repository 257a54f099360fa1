//! 1:N face search over synthetic enrolled faces: insert time, search
//! latency (mean and p99) of the HNSW graph, and its recall@1 against exact
//! search. `N` (default 1,000,000) faces enrolled, `QUERIES` (default 1,000)
//! probes, `BREADTHS` the search breadths to try (default the crate's, 128
//! and 256); the faces from `face_synth`, or with `DATA=uniform` uniform
//! noise (the worst case).
//!
//! cargo bench -p gerbang-biometrics --bench face_search

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use gerbang_biometrics::face_index::DEFAULT_SEARCH_BREADTH;
use gerbang_biometrics::face_synth::SyntheticFaces;
use gerbang_biometrics::{FaceEmbedding, FaceIndex};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|value| value.replace('_', "").parse().ok()).unwrap_or(default)
}

/// The worst case for a nearest-neighbour graph: 128 values uniform in
/// ±0.09 (two people ~0.83 apart, all at nearly the same distance), and a
/// photo ±0.05 per value (~0.33 from the person).
fn uniform_face(rng: &mut ChaCha8Rng, around: Option<&FaceEmbedding>, spread: f32) -> FaceEmbedding {
    let mut values = around.map_or([0.0; FaceEmbedding::LEN], |face| *face.as_array());
    for value in &mut values {
        *value += rng.random_range(-spread..spread);
    }
    FaceEmbedding::new(values)
}

fn main() {
    let n = env_usize("N", 1_000_000);
    let queries = env_usize("QUERIES", 1_000).min(n);
    let breadths: Vec<usize> = std::env::var("BREADTHS")
        .ok()
        .map(|list| list.split(',').filter_map(|b| b.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![DEFAULT_SEARCH_BREADTH, 128, 256]);
    let uniform = std::env::var("DATA").is_ok_and(|data| data == "uniform");
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut faces = SyntheticFaces::new(2026);
    let people: Vec<FaceEmbedding> =
        (0..n).map(|_| if uniform { uniform_face(&mut rng, None, 0.09) } else { faces.person() }).collect();

    let index = FaceIndex::new(n);
    let started = Instant::now();
    index.insert_many(people.iter().enumerate().map(|(i, face)| (format!("{i:016}"), *face)));
    let insert = started.elapsed();

    let probes: Vec<(usize, FaceEmbedding)> = (0..queries)
        .map(|_| {
            let person = faces.pick(n);
            let probe = if uniform {
                uniform_face(&mut rng, Some(&people[person]), 0.05)
            } else {
                faces.photo(&people[person])
            };
            (person, probe)
        })
        .collect();
    let started = Instant::now();
    let exact: Vec<Option<String>> =
        probes.iter().map(|(_, probe)| index.search_exact(probe, 1).first().map(|c| c.key.clone())).collect();
    let exact_mean = started.elapsed().as_secs_f64() * 1000.0 / queries as f64;
    println!(
        "face_search data={} n={n} insert={:.1}s ({:.0}/s) exact_mean={exact_mean:.1}ms",
        if uniform { "uniform" } else { "latent16" },
        insert.as_secs_f64(),
        n as f64 / insert.as_secs_f64(),
    );

    let mut index = index;
    for breadth in breadths {
        index = index.with_search_breadth(breadth);
        let mut latencies = Vec::with_capacity(queries);
        let (mut agree, mut right) = (0, 0);
        for ((person, probe), exact) in probes.iter().zip(&exact) {
            let started = Instant::now();
            let found = index.search(probe, 10);
            latencies.push(started.elapsed());
            let top = found.first().map(|c| &c.key);
            if top == exact.as_ref() {
                agree += 1;
            }
            if top.is_some_and(|key| *key == format!("{person:016}")) {
                right += 1;
            }
        }
        latencies.sort_unstable();
        let mean = latencies.iter().sum::<Duration>() / queries as u32;
        let p99 = latencies[(queries * 99 / 100).min(queries - 1)];
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "face_search n={n} queries={queries} breadth={breadth} search_mean={:.2}ms \
             search_p99={:.2}ms recall@1={:.2}% true_person@1={:.2}%",
            ms(mean),
            ms(p99),
            100.0 * agree as f64 / queries as f64,
            100.0 * right as f64 / queries as f64,
        );
    }
}

//! Face embedding time per photo over the deepface photos (decode, shrink,
//! detect, landmarks, embedding; one thread, one model set), then the
//! accuracy evaluation of its 300 labelled pairs at the default threshold.
//!
//! cargo bench -p gerbang-biometrics --bench face_embedding
//!
//! Photos from `shared/data/biometrics/faces/deepface` beside the workspace
//! (or `FACES`), models from `target/models/face` (or `GERBANG_FACE_MODELS`).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gerbang_biometrics::{DEFAULT_THRESHOLD, FaceEncoder, evaluate_face_pairs};

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let faces = std::env::var_os("FACES")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("../shared/data/biometrics/faces/deepface"));
    let models = std::env::var_os("GERBANG_FACE_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target/models/face"));

    let started = Instant::now();
    let encoder = FaceEncoder::open_with_workers(&models, NonZeroUsize::MIN).unwrap();
    println!("models loaded in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);

    let mut photos: Vec<PathBuf> = std::fs::read_dir(&faces)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jpg"))
        .collect();
    photos.sort();
    let mut times = Vec::new();
    for path in &photos {
        let bytes = std::fs::read(path).unwrap();
        let started = Instant::now();
        let result = encoder.encode(&bytes);
        let elapsed = started.elapsed();
        if let Err(error) = result {
            println!("{}: {}", path.display(), error.code());
        }
        times.push(elapsed);
    }
    times.sort_unstable();
    let mean = times.iter().sum::<Duration>() / times.len() as u32;
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "face_embedding photos={} mean={:.0}ms median={:.0}ms max={:.0}ms",
        times.len(),
        ms(mean),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
    );

    let evaluation = evaluate_face_pairs(&encoder, &faces, DEFAULT_THRESHOLD, |_, _| {}).unwrap();
    println!("{evaluation}");
}

//! Decode time of a 500 ppi fingerprint (FVC2002 DB1, 388 × 374, 0.75
//! bpp): `cargo bench -p gerbang-wsq --bench decode`.

#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::Instant;

use gerbang_wsq::{Limits, decode};

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/db1_101_1_r075.wsq");
    let Ok(wsq) = std::fs::read(&path) else {
        println!("wsq decode: {} unreadable", path.display());
        return;
    };
    let runs = 200;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let image = decode(black_box(&wsq), &Limits::CARD);
        times.push(start.elapsed());
        black_box(image.is_ok());
    }
    times.sort();
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "wsq decode 388x374 ({} bytes): median {:.2} ms, p95 {:.2} ms, min {:.2} ms over {runs} runs",
        wsq.len(),
        ms(times[runs / 2]),
        ms(times[runs * 95 / 100]),
        ms(times[0])
    );
}

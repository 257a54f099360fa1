//! The fingerprint evaluation until `gerbang eval fingerprint` is wired:
//!
//! ```sh
//! cargo run --release -p gerbang-biometrics --example eval_fingerprint -- \
//!     DIR [--enrol 1,2,3] [--dpi 500] [--threshold 34]
//! ```
//!
//! Prints the score distributions and a threshold sweep, and last the
//! machine-readable line `fingerprint probes=N rank1=P% fmr=P% fnmr=P%`.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::PathBuf;
use std::process::ExitCode;

use gerbang_biometrics::fingerprint::{DEFAULT_THRESHOLD, EvalProgress, ExtractOptions, evaluate_fingerprints};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut enrol = vec![1, 2, 3];
    let mut options = ExtractOptions::default();
    let mut threshold = DEFAULT_THRESHOLD;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--enrol" | "--dpi" | "--threshold" => args.next().unwrap_or_default(),
            _ => {
                dir = Some(PathBuf::from(arg));
                continue;
            }
        };
        let parsed = match arg.as_str() {
            "--enrol" => value.split(',').map(str::parse).collect::<Result<Vec<u32>, _>>().map(|v| enrol = v).is_ok(),
            "--dpi" => value.parse().map(|v| options.dpi = v).is_ok(),
            _ => value.parse().map(|v| threshold = v).is_ok(),
        };
        if !parsed {
            eprintln!("{arg}: bad value {value:?}");
            return ExitCode::FAILURE;
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: eval_fingerprint DIR [--enrol 1,2,3] [--dpi 500] [--threshold 34]");
        return ExitCode::FAILURE;
    };
    let started = std::time::Instant::now();
    let result = evaluate_fingerprints(&dir, &enrol, threshold, &options, &mut |p| {
        if let EvalProgress::Searched { done, total } = p
            && done == total
        {
            eprintln!("{total} probes searched");
        }
    });
    let evaluation = match result {
        Ok(evaluation) => evaluation,
        Err(error) => {
            eprintln!("{}: {error}", error.code());
            return ExitCode::FAILURE;
        }
    };
    println!("fingers {} probes {}", evaluation.fingers, evaluation.probes);
    println!("probe failures {:?}", evaluation.probe_failures);
    println!("enrolment failures {:?}", evaluation.enrol_failures);
    println!("genuine  {:?}", evaluation.genuine_summary());
    println!("impostor {:?}", evaluation.impostor_summary());
    for t in [20, 26, 30, 34, 40, 50] {
        println!("threshold {t}: fmr {:.3}% fnmr {:.2}%", evaluation.fmr_percent_at(t), evaluation.fnmr_percent_at(t));
    }
    println!("time {:.1} s", started.elapsed().as_secs_f64());
    println!("{}", evaluation.summary_line());
    ExitCode::SUCCESS
}

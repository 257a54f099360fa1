//! `gerbang eval face|fingerprint` on the shared biometric data
//! (`../shared/data/biometrics`): the report's last line is the
//! machine-readable summary, and the accuracy targets hold (faces
//! ≥ 99 % of the 300 deepface pairs; fingerprints rank-1 ≥ 98 % with
//! impressions 1–3 enrolled and a false match rate ≤ 0.1 %). Needs the
//! face models `scripts/face-models.sh` fetches (scripts/test.sh runs it).

use crate::support::{biometrics_data as data, face_models, gerbang, stderr, stdout};

/// `key=P%` of a summary line, as a number.
fn percent(line: &str, key: &str) -> f64 {
    let value = line.split_whitespace().find_map(|w| w.strip_prefix(&format!("{key}="))).unwrap();
    value.trim_end_matches('%').parse().unwrap()
}

#[test]
fn face_pairs_are_judged_and_the_last_line_sums_them_up() {
    let Some(data) = data() else { return };
    let models = face_models();
    let folder = data.join("faces/deepface");
    let work = tempfile::tempdir().unwrap();
    let output = gerbang(
        work.path(),
        &["eval", "face", "--data", folder.to_str().unwrap(), "--models", models.to_str().unwrap()],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    let last = report.lines().last().unwrap();
    assert!(last.starts_with("face pairs=300 "), "{report}");
    assert!(percent(last, "accuracy") >= 99.0, "{report}");
    assert!(report.contains("genuine") && report.contains("impostor"), "the distributions are shown");
}

#[test]
fn fingerprints_are_identified_with_impressions_one_to_three_enrolled() {
    let Some(data) = data() else { return };
    let work = tempfile::tempdir().unwrap();
    let db1 = data.join("fingerprints/fvc2002/DB1_B");
    let output = gerbang(work.path(), &["eval", "fingerprint", "--data", db1.to_str().unwrap(), "--enrol", "1,2,3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report = stdout(&output);
    let last = report.lines().last().unwrap();
    assert!(last.starts_with("fingerprint probes=50 "), "{report}");
    assert!(percent(last, "rank1") >= 98.0 && percent(last, "fmr") <= 0.1, "{report}");

    let missing = gerbang(work.path(), &["eval", "fingerprint", "--data", "/tidak/ada"]);
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("eval.bad_data"), "{}", stderr(&missing));
}

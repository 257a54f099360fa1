use std::path::{Path, PathBuf};

use super::*;
use crate::test_data::biometrics_data;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn fvc(db: &str) -> Option<PathBuf> {
    Some(biometrics_data()?.join("fingerprints/fvc2002").join(db))
}

/// A WSQ fixture of gerbang-wsq (crates/wsq/fixtures): real FVC2002
/// impressions compressed by NIST NBIS.
fn wsq_fixture(name: &str) -> Vec<u8> {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsq/fixtures").join(name))
}

fn template(dir: &Path, name: &str) -> FingerprintTemplate {
    extract(&read(&dir.join(name))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn score(a: &FingerprintTemplate, b: &FingerprintTemplate) -> u32 {
    Matcher::score_once(&a.prepare().unwrap(), &b.prepare().unwrap())
}

/// A well-formed record with `records` minutiae and `declared` in the
/// count byte.
fn crafted_iso(declared: u8, records: usize) -> Vec<u8> {
    let total = 24 + 4 + records * 6 + 2;
    let mut out = Vec::new();
    out.extend_from_slice(b"FMR\0 20\0");
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&[0, 0, 0x01, 0x2c, 0x01, 0x90, 0, 197, 0, 197, 1, 0]);
    out.extend_from_slice(&[1, 0, 60, declared]);
    for i in 0..records {
        let x = (i * 7 % 290) as u16 | 0x4000;
        let y = (i * 13 % 390) as u16;
        out.extend_from_slice(&x.to_be_bytes());
        out.extend_from_slice(&y.to_be_bytes());
        out.push((i * 37 % 256) as u8);
        out.push((i % 100) as u8);
    }
    out.extend_from_slice(&[0, 0]);
    out
}

#[test]
fn fvc_db1_same_finger_matches_and_other_fingers_do_not() {
    let Some(dir) = fvc("DB1_B") else { return };
    let a = template(&dir, "101_1.tif");
    let b = template(&dir, "101_2.tif");
    let other = template(&dir, "102_1.tif");
    let genuine = score(&a, &b);
    let impostor = score(&a, &other);
    assert!(genuine >= DEFAULT_THRESHOLD, "genuine score {genuine}");
    assert!(impostor < DEFAULT_THRESHOLD, "impostor score {impostor}");
}

/// DB1_B 101_1 compressed to WSQ at 15:1 (0.75 bpp, the FBI's usual
/// rate) enrols, and matches the same finger's other impressions (TIFFs)
/// at genuine scores and another finger's not. (Enrolled from the TIFF
/// itself, 101_1 scores 38 and 61 against 101_2 and 101_6; from the WSQ,
/// 36 and 65.)
#[test]
fn a_wsq_fingerprint_matches_the_same_fingers_tiff() {
    let enrolled = extract(&wsq_fixture("db1_101_1_r075.wsq")).unwrap();
    let Some(dir) = fvc("DB1_B") else { return };
    let original = template(&dir, "101_1.tif");
    for other in ["101_2.tif", "101_6.tif"] {
        let genuine = score(&enrolled, &template(&dir, other));
        assert!(genuine >= DEFAULT_THRESHOLD, "genuine score {genuine} against {other}");
    }
    let impostor = score(&enrolled, &template(&dir, "102_1.tif"));
    assert!(impostor < DEFAULT_THRESHOLD, "impostor score {impostor}");
    // The compressed impression still matches its own original well.
    let itself = score(&enrolled, &original);
    assert!(itself >= 2 * DEFAULT_THRESHOLD, "WSQ against its original: {itself}");
}

#[test]
fn an_evaluation_folder_may_hold_wsq_images() {
    let Some(fvc_dir) = fvc("DB1_B") else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("101_1.wsq"), wsq_fixture("db1_101_1_r075.wsq")).unwrap();
    for name in ["101_2.tif", "101_3.tif", "102_1.tif", "102_2.tif", "102_3.tif", "103_1.tif", "103_2.tif"] {
        std::fs::copy(fvc_dir.join(name), dir.path().join(name)).unwrap();
    }
    let evaluation =
        evaluate_fingerprints(dir.path(), &[1], DEFAULT_THRESHOLD, &ExtractOptions::default(), &mut |_| {}).unwrap();
    assert_eq!((evaluation.fingers, evaluation.probes), (3, 5));
    assert!(evaluation.enrol_failures.is_empty(), "{:?}", evaluation.enrol_failures);
    assert_eq!(evaluation.rank1_hits, 5, "{}", evaluation.summary_line());
}

#[test]
fn nbis_rs_sample_impressions_match_their_own_finger_only() {
    let Some(data) = biometrics_data() else { return };
    let dir = data.join("fingerprints/nbis-rs");
    let p1 = template(&dir, "p1/p1_1.png");
    let p1b = template(&dir, "p1/p1_2.png");
    let p2 = template(&dir, "p2/p2_1.png");
    assert!(score(&p1, &p1b) >= DEFAULT_THRESHOLD);
    assert!(score(&p1, &p2) < DEFAULT_THRESHOLD);
}

#[test]
fn gallery_identifies_an_enrolled_finger_and_not_a_stranger() {
    let Some(dir) = fvc("DB1_B") else { return };
    let mut gallery = FingerprintGallery::new(DEFAULT_THRESHOLD);
    for finger in 101..=105 {
        for impression in 1..=3 {
            let t = template(&dir, &format!("{finger}_{impression}.tif"));
            gallery.enrol(&format!("31710100000{finger}"), FingerPosition::RightIndex, &t).unwrap();
        }
    }
    assert_eq!((gallery.len(), gallery.impressions()), (5, 15));
    let found = gallery.identify(&template(&dir, "103_7.tif")).unwrap();
    let found = found.expect("103_7 should be identified");
    assert_eq!(found.nik, "31710100000103");
    assert_eq!(found.finger, FingerPosition::RightIndex);
    assert!(found.score >= DEFAULT_THRESHOLD);
    assert_eq!(gallery.identify(&template(&dir, "108_6.tif")).unwrap(), None);

    // Re-enrolling 103 with another finger's impressions replaces them: 103_7
    // is no longer found, and the gallery still counts five fingers.
    let stranger = template(&dir, "108_1.tif").prepare().unwrap();
    gallery.replace("31710100000103", FingerPosition::RightIndex, vec![stranger]);
    assert_eq!((gallery.len(), gallery.impressions()), (5, 13));
    assert_eq!(gallery.identify(&template(&dir, "103_7.tif")).unwrap(), None);
    assert_eq!(gallery.identify(&template(&dir, "108_6.tif")).unwrap().map(|f| f.nik), Some("31710100000103".into()));
}

#[test]
fn fvc_iso_templates_load_and_keep_their_minutiae() {
    for db in ["DB1_B", "DB2_B"] {
        let Some(dir) = fvc(db) else { return };
        let mut loaded = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "iso") {
                let bytes = read(&path);
                let t = FingerprintTemplate::from_iso(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert_eq!(usize::from(bytes[27]), t.minutiae().len());
                assert_eq!((t.width(), t.height()), (300, 400));
                t.prepare().unwrap();
                loaded += 1;
            }
        }
        assert_eq!(loaded, 80, "{db}");
    }
}

#[test]
fn fvc_iso_templates_of_one_finger_match() {
    let Some(dir) = fvc("DB1_B") else { return };
    let load = |name: &str| FingerprintTemplate::from_iso(&read(&dir.join(name))).unwrap();
    let genuine = score(&load("104_1.iso"), &load("104_2.iso"));
    let impostor = score(&load("104_1.iso"), &load("105_1.iso"));
    assert!(genuine > impostor, "genuine {genuine}, impostor {impostor}");
}

#[test]
fn templates_round_trip_through_iso_and_base64() {
    let Some(dir) = fvc("DB1_B") else { return };
    let t = template(&dir, "101_1.tif");
    assert!(t.minutiae().len() <= MAX_MINUTIAE);
    assert_eq!(FingerprintTemplate::from_iso(&t.to_iso()).unwrap(), t);
    assert_eq!(FingerprintTemplate::from_iso_base64(&t.to_iso_base64()).unwrap(), t);
    // The same template scores the same whether extracted or read back.
    let back = FingerprintTemplate::from_iso(&t.to_iso()).unwrap();
    let other = template(&dir, "101_4.tif");
    assert_eq!(score(&t, &other), score(&back, &other));
}

#[test]
fn non_fingerprint_images_fail_the_quality_gate() {
    let Some(data) = biometrics_data() else { return };
    let dir = data.join("fingerprints/nbis-rs/negative");
    for name in ["face.jpeg", "landscape.jpg", "varun_square.png"] {
        let error = extract(&read(&dir.join(name))).expect_err(name);
        assert_eq!(error.code(), "fingerprint.low_quality", "{name}: {error}");
    }
}

#[test]
fn an_iso_record_with_300_minutiae_is_refused_without_panic() {
    // 300 minutiae cannot be counted in the one-byte field: 300 mod 256.
    let error = FingerprintTemplate::from_iso(&crafted_iso(44, 300)).unwrap_err();
    assert_eq!(error.code(), "fingerprint.bad_template");
    // Consistent records beyond the declared-minutiae limit are refused…
    let error = FingerprintTemplate::from_iso(&crafted_iso(255, 255)).unwrap_err();
    assert_eq!(error.code(), "fingerprint.bad_template");
    assert!(error.to_string().contains("255 minusi"), "{error}");
    // …and between 128 and 200 kept to the 127 most reliable, which nbis
    // (whose reader takes the count as a signed byte) then reads safely.
    let t = FingerprintTemplate::from_iso(&crafted_iso(150, 150)).unwrap();
    assert_eq!(t.minutiae().len(), MAX_MINUTIAE);
    assert!(t.minutiae().windows(2).all(|w| w[0].quality >= w[1].quality));
    assert_eq!(t.to_iso()[27], 127);
    let prepared = t.prepare().unwrap();
    assert!(Matcher::score_once(&prepared, &prepared) > 0);
}

#[test]
fn truncated_and_garbage_templates_are_refused_without_panic() {
    let valid = crafted_iso(40, 40);
    FingerprintTemplate::from_iso(&valid).unwrap();
    for len in 0..valid.len() {
        let error = FingerprintTemplate::from_iso(&valid[..len]).unwrap_err();
        assert_eq!(error.code(), "fingerprint.bad_template");
    }
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    for _ in 0..2_000 {
        let mut bytes = valid.clone();
        for _ in 0..4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed % bytes.len() as u64) as usize;
            bytes[at] = (seed >> 32) as u8;
        }
        if let Ok(t) = FingerprintTemplate::from_iso(&bytes) {
            let p = t.prepare().unwrap();
            Matcher::score_once(&p, &p);
        }
    }
    let error = FingerprintTemplate::from_iso(b"FMR\0 20\0 this is not a template").unwrap_err();
    assert_eq!(error.code(), "fingerprint.bad_template");
}

#[test]
fn text_that_is_not_base64_is_refused() {
    let error = FingerprintTemplate::from_iso_base64("bukan base64! ***").unwrap_err();
    assert_eq!(error.code(), "input.not_base64");
    let error = FingerprintTemplate::from_iso_base64(&"QUFB".repeat(100_000)).unwrap_err();
    assert_eq!(error.code(), "fingerprint.bad_template");
}

#[test]
fn an_empty_template_scores_zero() {
    let empty = FingerprintTemplate::from_minutiae(300, 400, Vec::new()).prepare().unwrap();
    assert_eq!(Matcher::score_once(&empty, &empty), 0);
}

#[test]
fn a_pdf_garbage_and_a_truncated_image_are_refused() {
    let error = extract(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n").unwrap_err();
    assert_eq!(error.code(), "image.not_an_image");
    assert!(error.to_string().contains("PDF"), "{error}");
    let error = extract(&[0x13, 0x37, 0x00, 0xff, 0x42]).unwrap_err();
    assert_eq!(error.code(), "image.not_an_image");
    let error = extract(b"").unwrap_err();
    assert_eq!(error.code(), "image.not_an_image");
    let error = extract(b"\xff\xa0\xff\xa8\x00\x10WSQ data").unwrap_err();
    assert_eq!(error.code(), "image.corrupt");
    let Some(dir) = fvc("DB1_B") else { return };
    let tiff = read(&dir.join("101_1.tif"));
    let error = extract(&tiff[..tiff.len() / 3]).unwrap_err();
    assert_eq!(error.code(), "image.corrupt");
}

#[test]
fn a_tiny_or_blank_image_is_low_quality() {
    let blank = image::GrayImage::from_pixel(300, 400, image::Luma([255]));
    let error = extract(&crate::image_input::encode_png(&blank).unwrap()).unwrap_err();
    assert_eq!(error.code(), "fingerprint.low_quality");
    let tiny = image::GrayImage::from_pixel(20, 20, image::Luma([0]));
    let error = extract(&crate::image_input::encode_png(&tiny).unwrap()).unwrap_err();
    assert_eq!(error.code(), "fingerprint.low_quality");
}

#[test]
fn evaluation_on_fvc2002_db1_meets_the_targets() {
    let Some(dir) = fvc("DB1_B") else { return };
    let mut extracted = 0;
    let evaluation =
        evaluate_fingerprints(&dir, &[1, 2, 3], DEFAULT_THRESHOLD, &ExtractOptions::default(), &mut |progress| {
            if let EvalProgress::Extracted { done, .. } = progress {
                extracted = done;
            }
        })
        .unwrap();
    assert_eq!(extracted, 80);
    assert_eq!((evaluation.fingers, evaluation.probes), (10, 50));
    assert_eq!(evaluation.impostor.len(), 450);
    assert!(evaluation.rank1_percent() >= 98.0, "{}", evaluation.summary_line());
    assert!(evaluation.fmr_percent_at(DEFAULT_THRESHOLD) <= 0.1);
    let line = evaluation.summary_line();
    let fields: Vec<&str> = line.split(' ').collect();
    assert_eq!(fields[0], "fingerprint");
    assert_eq!(fields[1], "probes=50");
    for (field, key) in fields[2..].iter().zip(["rank1=", "fmr=", "fnmr="]) {
        let value = field.strip_prefix(key).and_then(|v| v.strip_suffix('%'));
        assert!(value.is_some_and(|v| v.parse::<f64>().is_ok()), "{line}");
    }
}

#[test]
fn evaluation_runs_on_synthetic_fingers_without_external_data() {
    let dir = tempfile::tempdir().unwrap();
    for finger in 0..4u64 {
        let synthetic = crate::synthetic_fingerprint::SyntheticFinger::new(500 + finger);
        for impression in 1..=4u32 {
            let png = crate::image_input::encode_png(&synthetic.impression(impression)).unwrap();
            let name = format!("{}_{impression}.png", 101 + finger);
            std::fs::write(dir.path().join(name), png).unwrap();
        }
    }
    std::fs::write(dir.path().join("notes.txt"), "not an FVC name").unwrap();
    std::fs::write(dir.path().join("105_1.png"), b"%PDF-1.4 not an image").unwrap();
    let evaluation =
        evaluate_fingerprints(dir.path(), &[1, 2], DEFAULT_THRESHOLD, &ExtractOptions::default(), &mut |_| {}).unwrap();
    assert_eq!(evaluation.fingers, 4);
    assert_eq!(evaluation.enrol_failures, vec![("105_1.png".to_owned(), "image.not_an_image")]);
    assert_eq!(evaluation.probes, 8);
    assert_eq!(evaluation.summary_line(), "fingerprint probes=8 rank1=100.00% fmr=0.000% fnmr=0.00%");
}

#[test]
fn evaluation_of_a_folder_without_images_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = evaluate_fingerprints(dir.path(), &[1], 34, &ExtractOptions::default(), &mut |_| {}).unwrap_err();
    assert_eq!(error.code(), "eval.bad_data");
}

#[test]
fn comparisons_from_many_threads_score_as_they_do_alone() {
    // bozorth3's tables are C globals; without the Matcher's lock, threads
    // comparing at once would overwrite each other's and scores would vary.
    let fingers: Vec<PreparedTemplate> = (0..4u64)
        .flat_map(|seed| {
            let finger = crate::synthetic_fingerprint::SyntheticFinger::new(900 + seed);
            [finger.impression(0), finger.impression(1)]
        })
        .map(|image| extract_gray(&image, &ExtractOptions::default()).unwrap().prepare().unwrap())
        .collect();
    let alone: Vec<u32> = fingers.iter().flat_map(|a| fingers.iter().map(|b| Matcher::score_once(a, b))).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..3)
                        .map(|_| {
                            fingers
                                .iter()
                                .flat_map(|a| fingers.iter().map(|b| Matcher::score_once(a, b)))
                                .collect::<Vec<u32>>()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for scores in handle.join().unwrap() {
                assert_eq!(scores, alone);
            }
        }
    });
}

#[test]
fn a_large_noise_image_is_refused_as_low_quality() {
    let mut state = 0x853c_49e6_748f_ea9b_u64;
    let noise = image::GrayImage::from_fn(1024, 1024, |_, _| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        image::Luma([(state >> 56) as u8])
    });
    let error = extract(&crate::image_input::encode_png(&noise).unwrap()).unwrap_err();
    assert_eq!(error.code(), "fingerprint.low_quality", "{error}");
}

use super::*;
use crate::fingerprint::{DEFAULT_THRESHOLD, ExtractOptions, Matcher, PreparedTemplate, extract_gray};

fn prepared(image: &GrayImage) -> PreparedTemplate {
    extract_gray(image, &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("synthetic impression refused: {e}"))
        .prepare()
        .unwrap()
}

#[test]
fn the_same_seed_gives_the_same_finger_and_impressions() {
    let a = SyntheticFinger::new(7);
    let b = SyntheticFinger::new(7);
    assert_eq!(a.class(), b.class());
    assert_eq!(a.impression(2), b.impression(2));
    assert_ne!(a.impression(1), a.impression(2));
    let image = a.impression(0);
    assert_eq!(image.dimensions(), (IMPRESSION_WIDTH, IMPRESSION_HEIGHT));
}

#[test]
fn impressions_match_their_own_finger_and_not_others() {
    let classes = [
        FingerprintClass::LeftLoop,
        FingerprintClass::RightLoop,
        FingerprintClass::Whorl,
        FingerprintClass::Arch,
        FingerprintClass::TentedArch,
    ];
    let fingers: Vec<Vec<PreparedTemplate>> = classes
        .iter()
        .enumerate()
        .map(|(i, &class)| {
            let finger = SyntheticFinger::with_class(1_000 + i as u64, class);
            (0..3).map(|k| prepared(&finger.impression(k))).collect()
        })
        .collect();
    let matcher = Matcher::lock();
    for (i, a) in fingers.iter().enumerate() {
        for (j, b) in fingers.iter().enumerate() {
            for (k, pa) in a.iter().enumerate() {
                for (l, pb) in b.iter().enumerate() {
                    if (i, k) == (j, l) {
                        continue;
                    }
                    let score = matcher.score(pa, pb);
                    if i == j {
                        assert!(score >= DEFAULT_THRESHOLD, "finger {i}: {k} vs {l} scored {score}");
                    } else {
                        assert!(score < DEFAULT_THRESHOLD, "fingers {i}/{k} vs {j}/{l} scored {score}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_residents_finger_seed_depends_on_the_nik_and_the_finger() {
    let seed = resident_seed("3313015501900001", 2);
    assert_eq!(seed, resident_seed("3313015501900001", 2));
    assert_ne!(seed, resident_seed("3313015501900001", 3));
    assert_ne!(seed, resident_seed("3313015501900002", 2));
}

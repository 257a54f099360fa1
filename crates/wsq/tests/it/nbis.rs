//! gerbang-wsq against NIST NBIS: each fixture (a real FVC2002 fingerprint
//! that NBIS compressed, see scripts/wsq-fixtures.sh) decodes to exactly
//! the pixels NBIS's own decoder gave.

use gerbang_wsq::{Limits, decode};

use crate::fixture;

fn compare(name: &str) -> (u32, u32, Option<u32>) {
    let wsq = fixture(&format!("{name}.wsq"));
    let expected = image::load_from_memory(&fixture(&format!("{name}.nbis.png"))).unwrap().into_luma8();
    let decoded = decode(&wsq, &Limits::CARD).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!((decoded.width, decoded.height), expected.dimensions(), "{name}");
    let differing: Vec<(usize, u8, u8)> = decoded
        .pixels
        .iter()
        .zip(expected.as_raw())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i, *a, *b))
        .collect();
    assert!(
        differing.is_empty(),
        "{name}: {} pixels differ from NBIS, first {:?}",
        differing.len(),
        &differing[..differing.len().min(10)]
    );
    (decoded.width, decoded.height, decoded.ppi)
}

#[test]
fn fvc_db1_at_075_bpp_equals_nbis() {
    assert_eq!(compare("db1_101_1_r075"), (388, 374, Some(500)));
}

#[test]
fn fvc_db1_at_225_bpp_equals_nbis() {
    assert_eq!(compare("db1_101_1_r225"), (388, 374, Some(500)));
}

#[test]
fn fvc_db2_equals_nbis() {
    assert_eq!(compare("db2_102_1_r075"), (296, 560, Some(569)));
}

#[test]
fn odd_dimensions_and_comments_equal_nbis() {
    assert_eq!(compare("db2_103_1_odd"), (257, 301, Some(1000)));
}

#[test]
fn a_nistcom_without_resolution_gives_none() {
    assert_eq!(compare("db2_104_1_noppi"), (256, 256, None));
}

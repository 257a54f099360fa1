//! Hostile input: truncated files, flipped and random bytes, huge declared
//! dimensions. Each gives an image within the limits or an error, never a
//! panic, an endless loop or an allocation past the limits.

use gerbang_wsq::{Limits, WsqError, decode};

use crate::fixture;
use proptest::prelude::*;

/// A fingerprint's limits, as Gerbang's biometrics use them.
const LIMITS: Limits = Limits::new(2_048, 2_048);

/// Where the frame header's height and width are, found by walking the
/// marker segments before it.
fn frame_size_offset(wsq: &[u8]) -> usize {
    let mut at = 2;
    loop {
        let marker = u16::from_be_bytes([wsq[at], wsq[at + 1]]);
        let length = usize::from(u16::from_be_bytes([wsq[at + 2], wsq[at + 3]]));
        if marker == 0xffa2 {
            return at + 6;
        }
        at += 2 + length;
    }
}

fn with_size(wsq: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = wsq.to_vec();
    let at = frame_size_offset(wsq);
    out[at..at + 2].copy_from_slice(&height.to_be_bytes());
    out[at + 2..at + 4].copy_from_slice(&width.to_be_bytes());
    out
}

/// Decodes, and checks that a success is a whole image within the limits.
fn survives(bytes: &[u8]) -> Result<(), WsqError> {
    let image = decode(bytes, &LIMITS)?;
    assert!(image.width <= LIMITS.max_width && image.height <= LIMITS.max_height);
    assert_eq!(image.pixels.len(), (image.width * image.height) as usize);
    Ok(())
}

#[test]
fn huge_declared_dimensions_are_refused_before_decoding() {
    let wsq = fixture("db1_101_1_r075.wsq");
    for (width, height) in [(65_535, 65_535), (2_049, 100), (100, 2_049)] {
        assert_eq!(
            decode(&with_size(&wsq, width, height), &LIMITS),
            Err(WsqError::TooLarge { width: u32::from(width), height: u32::from(height) })
        );
    }
    // The memory bound alone refuses too.
    let small = Limits { max_alloc: 1 << 20, ..LIMITS };
    assert!(matches!(decode(&wsq, &small), Err(WsqError::TooLarge { width: 388, height: 374 })));
}

#[test]
fn dimensions_that_do_not_match_the_data_are_corrupt() {
    let wsq = fixture("db1_101_1_r075.wsq");
    // Within the limits, but the coefficients fill another size (the
    // biggest allocates its buffers, then is refused).
    for (width, height) in [(2_048, 2_048), (389, 374), (388, 373), (49, 49)] {
        let error = decode(&with_size(&wsq, width, height), &LIMITS).unwrap_err();
        assert!(matches!(error, WsqError::Corrupt(_)), "{width}×{height}: {error:?}");
    }
    for (width, height) in [(0, 374), (388, 0), (48, 374), (388, 48)] {
        let error = decode(&with_size(&wsq, width, height), &LIMITS).unwrap_err();
        assert!(matches!(error, WsqError::Unsupported(_)), "{width}×{height}: {error:?}");
    }
}

#[test]
fn every_truncation_is_an_error() {
    let wsq = fixture("db1_101_1_r075.wsq");
    // Every cut in the headers, then every 17th byte through the data.
    let cuts = (0..700).chain((700..wsq.len()).step_by(17)).chain([wsq.len() - 2, wsq.len() - 1]);
    for cut in cuts {
        assert!(survives(&wsq[..cut]).is_err(), "cut at {cut} of {}", wsq.len());
    }
}

/// Every byte of the headers (the tables end at 760) and every 41st of the
/// coded data, each flipped, zeroed and set to 0xFF (a false marker).
#[test]
fn systematically_damaged_bytes_never_panic() {
    let wsq = fixture("db2_104_1_noppi.wsq");
    let (mut decoded, mut refused) = (0, 0);
    for at in (0..760).chain((760..wsq.len()).step_by(41)) {
        for value in [wsq[at] ^ 0xff, 0x00, 0xff] {
            let mut damaged = wsq.clone();
            damaged[at] = value;
            match survives(&damaged) {
                Ok(()) => decoded += 1,
                Err(_) => refused += 1,
            }
        }
    }
    // Damage in the coded data mostly still decodes (to a damaged
    // picture); damage to the markers and tables is mostly refused.
    assert!(decoded > 100 && refused > 100, "{decoded} decoded, {refused} refused");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_damage_never_panics(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut wsq = fixture("db2_104_1_noppi.wsq");
        for (at, value) in edits {
            let at = at.index(wsq.len());
            wsq[at] = value;
        }
        if truncate {
            wsq.truncate(cut.index(wsq.len()));
        }
        let _ = survives(&wsq);
    }

    #[test]
    fn random_bytes_after_the_start_marker_never_panic(tail in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut bytes = b"\xff\xa0".to_vec();
        bytes.extend_from_slice(&tail);
        prop_assert!(survives(&bytes).is_err());
    }
}

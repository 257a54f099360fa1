//! The crate's one integration test binary: decoding against NIST NBIS's
//! own output (`nbis`), and hostile input (`hostile`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod hostile;
mod nbis;

use std::path::Path;

/// A committed fixture's bytes (crates/wsq/fixtures, made by
/// scripts/wsq-fixtures.sh).
fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)).unwrap()
}

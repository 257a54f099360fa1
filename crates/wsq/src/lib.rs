//! A decoder for WSQ, the FBI's Wavelet Scalar Quantization compression of
//! 500 ppi grey fingerprint images (FBI IAFIS-IC-0110 v3; NIST NBIS's
//! `wsq` library is the reference implementation): the markers (SOI, the
//! DTT/DQT/DHT tables, COM, SOF, SOB blocks, EOI), the Huffman-coded
//! quantized coefficients with their zero-run codes, dequantization, the
//! 64-subband two-dimensional wavelet synthesis with the symmetric
//! extension of the transmitted filters, and the final shift and scale to
//! 8 bits. The scan resolution is read from a NISTCOM comment when there
//! is one. Decoding only.
//!
//! The output equals NBIS's `wsq_decode_mem` pixel for pixel: the
//! arithmetic follows NBIS's C in the same single-precision operations in
//! the same order (see `synthesis` and `join`), and the tests compare
//! against images NBIS decoded.
//!
//! Made for untrusted input (a server receives these files): safe Rust
//! only, no panics, work bounded by the input and the image size, and the
//! declared dimensions checked against the caller's [`Limits`] before
//! any pixel buffer is allocated. Anything else is a [`WsqError`].

mod blocks;
mod bytes;
mod error;
mod huffman;
mod join;
mod synthesis;
mod tables;
mod tree;

pub use error::{Result, WsqError};

use bytes::{Expect, Reader, SOF, SOI};
use tables::{Frame, Tables};

/// Bytes of working memory the decoder needs per pixel: the quantized
/// coefficients (2), the image and the transform's scratch copy as `f32`
/// (4 + 4) and the output (1).
pub const BYTES_PER_PIXEL: u64 = 11;

/// The smallest width and height decoded. The decomposition halves the
/// image five times, and below 49 pixels the smallest subbands are too
/// short for the standard 9/7-tap filters' symmetric extension: NBIS
/// itself then reads samples from outside the line it filters. (Every
/// size from 49 up that was tried decodes as NBIS does.)
pub const MIN_SIDE: u16 = 49;

/// Bounds on an image accepted for decoding, checked on the frame header
/// before any pixel buffer is allocated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest width, in pixels.
    pub max_width: u32,
    /// Largest height, in pixels.
    pub max_height: u32,
    /// Most working memory the decoder may allocate, in bytes
    /// ([`BYTES_PER_PIXEL`] per pixel).
    pub max_alloc: u64,
}

impl Limits {
    /// A whole 8 × 8 inch ten-print card at 500 ppi (4,096 × 4,096 pixels,
    /// 176 MiB of working memory); WSQ itself allows 65,535 × 65,535.
    pub const CARD: Limits = Limits::new(4_096, 4_096);

    /// Limits of `max_width` × `max_height` pixels, with the working
    /// memory an image of that size needs.
    pub const fn new(max_width: u32, max_height: u32) -> Limits {
        Limits { max_width, max_height, max_alloc: max_width as u64 * max_height as u64 * BYTES_PER_PIXEL }
    }
}

/// A decoded WSQ image: 8-bit grey, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WsqImage {
    /// Width, in pixels.
    pub width: u32,
    /// Height, in pixels.
    pub height: u32,
    /// Scan resolution in pixels per inch, from the NISTCOM comment if it
    /// gives one.
    pub ppi: Option<u32>,
    /// `width × height` grey levels, row by row from the top.
    pub pixels: Vec<u8>,
}

/// Whether `bytes` start as a WSQ file does (SOI, then another marker).
pub fn is_wsq(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xff\xa0\xff")
}

/// Decodes a WSQ file to 8-bit grey within `limits`.
///
/// Refuses with [`WsqError::TooLarge`] before allocating when the frame
/// header declares more than `limits` allow, and with the other variants
/// when the data is not WSQ, is truncated or corrupt, or is a WSQ this
/// decoder does not reconstruct.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<WsqImage> {
    let mut reader = Reader::new(bytes);
    if reader.u16().ok() != Some(SOI) {
        return Err(WsqError::NotWsq);
    }
    let mut tables = Tables::default();
    let mut marker = reader.marker(Expect::TablesOrFrame)?;
    while marker != SOF {
        tables.read(marker, &mut reader)?;
        marker = reader.marker(Expect::TablesOrFrame)?;
    }
    let frame = Frame::read(&mut reader)?;
    let (width, height) = (u32::from(frame.width), u32::from(frame.height));
    let pixels = u64::from(width) * u64::from(height);
    if width > limits.max_width || height > limits.max_height || pixels * BYTES_PER_PIXEL > limits.max_alloc {
        return Err(WsqError::TooLarge { width, height });
    }
    if frame.width < MIN_SIDE || frame.height < MIN_SIDE {
        return Err(WsqError::Unsupported("image smaller than 49 × 49 pixels"));
    }
    let (width, pixels) = (usize::from(frame.width), usize::from(frame.width) * usize::from(frame.height));
    let w_tree = tree::wavelet_tree(width, usize::from(frame.height));
    let q_tree = tree::subband_tree(&w_tree);

    let coefficients = blocks::decode(&mut reader, &mut tables, pixels)?;
    let quantizer = tables.quantizer.as_ref().ok_or(WsqError::Corrupt("no quantization table"))?;
    let filters = tables.filters.as_ref().ok_or(WsqError::Corrupt("no transform table"))?;
    if coefficients.len() != synthesis::coefficient_count(quantizer, &q_tree) {
        return Err(WsqError::Corrupt("coefficient count does not match the subbands"));
    }
    let mut image = synthesis::dequantize(&coefficients, quantizer, &q_tree, width, pixels)?;
    drop(coefficients);
    synthesis::reconstruct(&mut image, width, &w_tree, filters)?;
    Ok(WsqImage {
        width: u32::from(frame.width),
        height: u32::from(frame.height),
        ppi: tables.ppi,
        pixels: synthesis::to_pixels(&image, &frame),
    })
}

#[cfg(test)]
mod tests;

//! Image decoding for the biometric readers: the format is decided by the
//! content, never by a file name or a declared type, and an image is
//! refused on its declared size before any pixel buffer is allocated (a
//! small PNG declaring 100,000 × 100,000 pixels is a decompression bomb).
//!
//! PNG, TIFF, JPEG and WSQ (the FBI's Wavelet Scalar Quantization, the
//! usual compression of 500 ppi fingerprints) are decoded; WSQ by
//! `gerbang-wsq`, Gerbang's own decoder in safe Rust (the NBIS binding
//! Gerbang uses, nbis-rs 0.1.0, bundles mindtct and bozorth3 but not the
//! WSQ codec), under the same limits. Other things are named in the
//! refusal so a person knows what they sent (a PDF, a WebP).

use std::io::Cursor;

use image::{GrayImage, ImageError, ImageFormat, ImageReader, Limits};

use crate::error::{BiometricsError, Result};

/// Bounds on an image accepted for decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// Largest encoded size, in bytes; checked before anything is parsed.
    pub max_bytes: usize,
    /// Largest width, in pixels; checked on the header, before decoding.
    pub max_width: u32,
    /// Largest height, in pixels; checked on the header, before decoding.
    pub max_height: u32,
    /// Most memory the decoder may allocate, in bytes.
    pub max_alloc: u64,
}

impl ImageLimits {
    /// Limits for a fingerprint at 500 dpi: a four-finger flat slap is
    /// about 1,600 × 1,500 pixels, so 2,048 × 2,048 leaves room for any
    /// single- or multi-finger capture while a grey image stays at 4 MiB.
    pub const FINGERPRINT: ImageLimits =
        ImageLimits { max_bytes: 16 << 20, max_width: 2_048, max_height: 2_048, max_alloc: 64 << 20 };

    fn too_large(&self) -> BiometricsError {
        BiometricsError::ImageTooLarge {
            max_width: self.max_width,
            max_height: self.max_height,
            max_bytes: self.max_bytes,
        }
    }
}

/// What a byte string looks like, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// PNG (decoded).
    Png,
    /// TIFF, classic or BigTIFF (decoded).
    Tiff,
    /// JPEG (decoded).
    Jpeg,
    /// WSQ, the FBI's fingerprint compression (decoded by `gerbang-wsq`).
    Wsq,
    /// An image in a format Gerbang recognises but does not decode.
    OtherImage(&'static str),
    /// Not an image; the name of what it is, or "tidak dikenal".
    NotImage(&'static str),
}

/// Recognises the format of `bytes` from their signature.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Png
    } else if starts(b"II*\0") || starts(b"MM\0*") || starts(b"II+\0") || starts(b"MM\0+") {
        Sniffed::Tiff
    } else if starts(b"\xff\xd8\xff") {
        Sniffed::Jpeg
    } else if gerbang_wsq::is_wsq(bytes) {
        Sniffed::Wsq
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Sniffed::OtherImage("WebP")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Sniffed::OtherImage("GIF")
    } else if starts(b"BM") {
        Sniffed::OtherImage("BMP")
    } else if starts(b"\0\0\0\x0cjP  ") || starts(b"\xff\x4f\xff\x51") {
        Sniffed::OtherImage("JPEG 2000")
    } else if bytes.get(4..8) == Some(b"ftyp") {
        Sniffed::OtherImage("HEIF/AVIF")
    } else if starts(b"%PDF") {
        Sniffed::NotImage("PDF")
    } else if starts(b"PK\x03\x04") {
        Sniffed::NotImage("arsip zip")
    } else if bytes.is_empty() {
        Sniffed::NotImage("berkas kosong")
    } else {
        Sniffed::NotImage("tidak dikenal")
    }
}

/// Decodes a PNG, TIFF, JPEG or WSQ to 8-bit grey within `limits`.
///
/// Refuses, with [`BiometricsError::code`]: `image.too_large` (bytes,
/// declared dimensions or decoder memory over the limits),
/// `image.not_an_image`, `image.unsupported_format`, `image.corrupt` (a
/// damaged or truncated file, and a WSQ that `gerbang-wsq` does not
/// reconstruct: smaller than 49 pixels a side, or with non-standard
/// filters over 32 taps).
pub fn decode_gray(bytes: &[u8], limits: &ImageLimits) -> Result<GrayImage> {
    if bytes.len() > limits.max_bytes {
        return Err(limits.too_large());
    }
    let format = match sniff(bytes) {
        Sniffed::Png => ImageFormat::Png,
        Sniffed::Tiff => ImageFormat::Tiff,
        Sniffed::Jpeg => ImageFormat::Jpeg,
        Sniffed::Wsq => return decode_wsq(bytes, limits),
        Sniffed::OtherImage(format) => {
            return Err(BiometricsError::UnsupportedImageFormat { format });
        }
        Sniffed::NotImage(detected) => return Err(BiometricsError::NotAnImage { detected }),
    };
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(limits.max_width);
    decoder_limits.max_image_height = Some(limits.max_height);
    decoder_limits.max_alloc = Some(limits.max_alloc);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decoder_limits);
    let image = reader.decode().map_err(|error| match error {
        ImageError::Limits(_) => limits.too_large(),
        _ => BiometricsError::CorruptImage,
    })?;
    Ok(image.into_luma8())
}

/// Decodes a WSQ fingerprint within `limits`: the declared dimensions and
/// the decoder's working memory are checked on the frame header, before
/// any pixel buffer is allocated.
fn decode_wsq(bytes: &[u8], limits: &ImageLimits) -> Result<GrayImage> {
    let wsq_limits =
        gerbang_wsq::Limits { max_width: limits.max_width, max_height: limits.max_height, max_alloc: limits.max_alloc };
    let image = gerbang_wsq::decode(bytes, &wsq_limits).map_err(|error| match error {
        gerbang_wsq::WsqError::TooLarge { .. } => limits.too_large(),
        _ => BiometricsError::CorruptImage,
    })?;
    GrayImage::from_raw(image.width, image.height, image.pixels).ok_or(BiometricsError::CorruptImage)
}

/// Encodes a grey image as an uncompressed TIFF, the cheapest lossless way
/// to hand pixels to a library that takes encoded bytes.
pub(crate) fn encode_tiff(image: &GrayImage) -> Result<Vec<u8>> {
    let mut bytes = Cursor::new(Vec::with_capacity(image.as_raw().len() + 1024));
    image.write_to(&mut bytes, ImageFormat::Tiff).map_err(|_| BiometricsError::CorruptImage)?;
    Ok(bytes.into_inner())
}

/// Encodes a grey image as PNG (used for synthetic fingerprints and tests).
pub fn encode_png(image: &GrayImage) -> Result<Vec<u8>> {
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, ImageFormat::Png).map_err(|_| BiometricsError::CorruptImage)?;
    Ok(bytes.into_inner())
}

#[cfg(test)]
#[path = "image_input_tests.rs"]
mod tests;

//! Reading submitted images: by their content, never by file name or
//! declared type (a WebP named `.jpg` is read as WebP, a PDF is refused), and
//! under fixed limits, so a decompression bomb — a small file declaring a huge
//! picture — is refused from its header, before its pixels are allocated.

use std::io::Cursor;

use base64::Engine as _;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use crate::BiometricsError as Error;

/// Largest file accepted, in bytes (20 MiB: a phone photo is 2–8 MiB).
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;

/// Largest width or height accepted, in pixels, as declared by the header.
pub const MAX_SIDE: u32 = 12_000;

/// Largest decoded picture accepted, in bytes (256 MiB: a 12,000 × 7,000 RGB
/// photo; the 30,000 × 30,000 PNG bomb would need 2.7 GB).
pub const MAX_DECODED_BYTES: u64 = 256 * 1024 * 1024;

/// The formats read; anything else is [`Error::NotAPhoto`].
const ACCEPTED: [ImageFormat; 5] =
    [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP, ImageFormat::Tiff, ImageFormat::Bmp];

/// Decodes an image file's bytes, guessing the format from the content and
/// applying its EXIF orientation (phone photos are often stored sideways).
pub fn decode_image(bytes: &[u8]) -> Result<DynamicImage, Error> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(Error::FileTooLarge { bytes: bytes.len(), max: MAX_INPUT_BYTES });
    }
    let format = image::guess_format(bytes).map_err(|_| Error::NotAPhoto)?;
    if !ACCEPTED.contains(&format) {
        return Err(Error::NotAPhoto);
    }
    if format == ImageFormat::Jpeg && !jpeg_is_complete(bytes) {
        return Err(Error::CorruptPhoto { detail: "JPEG terpotong: penanda akhir gambar (EOI) tidak ada".into() });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    // `into_decoder` checks the declared width and height; the decoded size
    // is checked here, as `ImageReader::decode` would.
    let mut decoder = reader.into_decoder().map_err(from_image_error)?;
    if decoder.total_bytes() > MAX_DECODED_BYTES {
        return Err(Error::PhotoTooLarge {
            detail: format!("{} byte setelah didekode, paling banyak {MAX_DECODED_BYTES}", decoder.total_bytes()),
        });
    }
    // A damaged EXIF block only loses the orientation, not the photo.
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(from_image_error)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Decodes base64 text (standard alphabet, padding optional, line breaks
/// and a `data:image/...;base64,` prefix allowed) into the file's bytes.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Error> {
    let body = match text.split_once(";base64,") {
        Some((prefix, body)) if prefix.starts_with("data:") => body,
        _ => text,
    };
    // Four base64 characters carry three bytes: refuse before decoding.
    let max_text = MAX_INPUT_BYTES / 3 * 4 + 4;
    let compact: Vec<u8> = body.bytes().filter(|byte| !byte.is_ascii_whitespace()).collect();
    if compact.len() > max_text {
        return Err(Error::FileTooLarge { bytes: compact.len() / 4 * 3, max: MAX_INPUT_BYTES });
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    match engine.decode(&compact) {
        Ok(bytes) if !bytes.is_empty() => Ok(bytes),
        _ => Err(Error::NotBase64),
    }
}

/// Whether a JPEG's last scan is followed by its end-of-image marker. The
/// JPEG decoder fills a cut-off picture with grey rather than failing, so a
/// truncated upload would otherwise pass as a (half-grey) photo. Only the
/// part after the last start-of-scan is searched: an EXIF thumbnail has
/// markers of its own, but before the main picture's scans.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    const START_OF_SCAN: [u8; 2] = [0xFF, 0xDA];
    const END_OF_IMAGE: [u8; 2] = [0xFF, 0xD9];
    let last_scan = bytes.windows(2).rposition(|pair| pair == START_OF_SCAN);
    last_scan.is_some_and(|start| bytes[start..].windows(2).any(|pair| pair == END_OF_IMAGE))
}

fn from_image_error(error: ImageError) -> Error {
    match error {
        ImageError::Limits(limit) => Error::PhotoTooLarge { detail: limit.to_string() },
        ImageError::Unsupported(_) => Error::NotAPhoto,
        other => Error::CorruptPhoto { detail: other.to_string() },
    }
}

#[cfg(test)]
mod tests {
    // Tests rely on known-good fixtures and may unwrap/expect/panic.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::face_test_data::read_data;

    fn png_header(width: u32, height: u32, color_type: u8) -> Vec<u8> {
        crate::hostile::png_declaring(width, height, color_type)
    }

    #[test]
    fn a_crafted_png_header_is_read_so_the_bomb_test_tests_the_limit() {
        let image = decode_image(&png_header(1, 1, 2));
        assert!(matches!(image, Err(Error::CorruptPhoto { .. })), "{image:?}");
    }

    #[test]
    fn a_30000_pixel_square_png_is_refused_from_its_header() {
        let bomb = png_header(30_000, 30_000, 2);
        assert!(bomb.len() < 100);
        let error = decode_image(&bomb).unwrap_err();
        assert_eq!(error.code(), "image.too_large", "{error}");
    }

    #[test]
    fn a_picture_within_the_sides_but_too_many_bytes_is_refused() {
        // 11,000 × 11,000 RGBA would be 484 MB.
        let error = decode_image(&png_header(11_000, 11_000, 6)).unwrap_err();
        assert!(matches!(error, Error::PhotoTooLarge { .. }), "{error}");
    }

    #[test]
    fn a_pdf_is_not_an_image() {
        let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
        let error = decode_image(pdf).unwrap_err();
        assert_eq!(error.code(), "image.not_an_image");
        assert_eq!(error.to_string(), "berkas bukan gambar JPEG, PNG, WebP, TIFF atau BMP");
    }

    #[test]
    fn formats_outside_the_list_and_empty_input_are_not_images() {
        for bytes in [&b"GIF89a\x01\x00\x01\x00"[..], b"", b"hello"] {
            assert_eq!(decode_image(bytes).unwrap_err().code(), "image.not_an_image");
        }
    }

    #[test]
    fn more_bytes_than_any_photo_are_refused_before_decoding() {
        let big = vec![0xFF; MAX_INPUT_BYTES + 1];
        let error = decode_image(&big).unwrap_err();
        assert!(matches!(error, Error::FileTooLarge { .. }));
        assert_eq!(error.code(), "image.too_large");
    }

    #[test]
    fn a_webp_named_jpg_is_read_as_webp() {
        let Some(bytes) = read_data("faces/deepface/img47.jpg") else {
            return;
        };
        assert_eq!(image::guess_format(&bytes).unwrap(), ImageFormat::WebP);
        let image = decode_image(&bytes).unwrap();
        assert_eq!((image.width(), image.height()), (1350, 1800));
    }

    #[test]
    fn a_truncated_jpeg_is_a_clear_error() {
        let Some(bytes) = read_data("faces/deepface/img1.jpg") else {
            return;
        };
        assert!(decode_image(&bytes).is_ok());
        for cut in [bytes.len() - 2, bytes.len() / 2, 600, 3] {
            let error = decode_image(&bytes[..cut]).unwrap_err();
            assert_eq!(error.code(), "image.corrupt", "cut at {cut}: {error}");
        }
    }

    #[test]
    fn base64_is_decoded_with_or_without_a_data_url_prefix() {
        let png = png_header(1, 1, 2);
        let text = base64::engine::general_purpose::STANDARD.encode(&png);
        assert_eq!(decode_base64(&text).unwrap(), png);
        let wrapped = format!("data:image/png;base64,{}\n{}", &text[..8], &text[8..]);
        assert_eq!(decode_base64(&wrapped).unwrap(), png);
    }

    #[test]
    fn text_that_is_not_base64_is_refused() {
        for text in ["bukan base64!", "", "====", "QUJD*"] {
            let error = decode_base64(text).unwrap_err();
            assert_eq!(error.code(), "input.not_base64", "{text:?}");
        }
    }
}

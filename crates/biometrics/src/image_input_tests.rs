use super::*;

/// A 100-byte PNG declaring 100,000 × 100,000 grey pixels (10 GB).
fn bomb_png() -> Vec<u8> {
    crate::hostile::png_declaring(100_000, 100_000, 0)
}

#[test]
fn a_huge_declared_image_is_refused_before_decoding() {
    let error = decode_gray(&bomb_png(), &ImageLimits::FINGERPRINT).unwrap_err();
    assert_eq!(error.code(), "image.too_large");
}

#[test]
fn an_image_over_the_byte_limit_is_refused_unread() {
    let limits = ImageLimits { max_bytes: 10, ..ImageLimits::FINGERPRINT };
    let error = decode_gray(&bomb_png(), &limits).unwrap_err();
    assert_eq!(error.code(), "image.too_large");
}

#[test]
fn formats_are_recognised_by_content() {
    assert_eq!(sniff(b"%PDF-1.4"), Sniffed::NotImage("PDF"));
    assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Sniffed::OtherImage("WebP"));
    assert_eq!(sniff(b"\xff\xd8\xff\xe0"), Sniffed::Jpeg);
    assert_eq!(sniff(b"II*\0"), Sniffed::Tiff);
    assert_eq!(sniff(b"\xff\xa0\xff\xa8\x00\x7aNIST_COM"), Sniffed::Wsq);
    let image = GrayImage::from_pixel(3, 2, image::Luma([7]));
    let png = encode_png(&image).unwrap();
    assert_eq!(sniff(&png), Sniffed::Png);
    assert_eq!(decode_gray(&png, &ImageLimits::FINGERPRINT).unwrap(), image);
}

fn wsq_fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../wsq/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_wsq_fingerprint_decodes_to_the_pixels_nbis_gives() {
    let gray = decode_gray(&wsq_fixture("db1_101_1_r075.wsq"), &ImageLimits::FINGERPRINT).unwrap();
    let nbis = image::load_from_memory(&wsq_fixture("db1_101_1_r075.nbis.png")).unwrap().into_luma8();
    assert_eq!(gray.dimensions(), (388, 374));
    assert!(gray == nbis, "the WSQ decoding differs from NBIS's");
}

#[test]
fn a_damaged_or_oversized_wsq_is_refused_with_its_code() {
    let error = decode_gray(b"\xff\xa0\xff\xa8\x00\x10WSQ data", &ImageLimits::FINGERPRINT).unwrap_err();
    assert_eq!(error.code(), "image.corrupt");
    let wsq = wsq_fixture("db2_102_1_r075.wsq");
    let error = decode_gray(&wsq[..wsq.len() / 2], &ImageLimits::FINGERPRINT).unwrap_err();
    assert_eq!(error.code(), "image.corrupt");
    // 296 × 560 against limits of 300 × 500 pixels: refused on the header.
    let limits = ImageLimits { max_width: 300, max_height: 500, ..ImageLimits::FINGERPRINT };
    let error = decode_gray(&wsq, &limits).unwrap_err();
    assert_eq!(error.code(), "image.too_large");
    let limits = ImageLimits { max_bytes: wsq.len() - 1, ..ImageLimits::FINGERPRINT };
    assert_eq!(decode_gray(&wsq, &limits).unwrap_err().code(), "image.too_large");
}

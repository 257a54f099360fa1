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
    let image = GrayImage::from_pixel(3, 2, image::Luma([7]));
    let png = encode_png(&image).unwrap();
    assert_eq!(sniff(&png), Sniffed::Png);
    assert_eq!(decode_gray(&png, &ImageLimits::FINGERPRINT).unwrap(), image);
}

use super::*;

/// CRC-32 (ISO 3309) as PNG chunks need it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A 100-byte PNG declaring 100,000 × 100,000 grey pixels (10 GB).
fn bomb_png() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    png.extend(chunk(b"IEND", &[]));
    png
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

//! The biometric image decoders (`gerbang_biometrics`): a fingerprint scan
//! decoded to grey under the fingerprint limits (`image_input`), a face
//! photo decoded by content with its EXIF orientation (`photo_input`), and
//! the photo's base64 text reader. Any bytes give an image within the
//! limits or a coded error, never a panic or an allocation past the limits.

#![no_main]

use gerbang_biometrics::image_input::{ImageLimits, decode_gray, sniff};
use gerbang_biometrics::photo_input::{decode_base64, decode_image};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sniff(data);
    let limits = ImageLimits::FINGERPRINT;
    if let Ok(gray) = decode_gray(data, &limits) {
        assert!(gray.width() <= limits.max_width && gray.height() <= limits.max_height);
    }
    let _ = decode_image(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decode_base64(text);
    }
});

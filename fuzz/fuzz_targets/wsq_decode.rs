//! The WSQ fingerprint decoder (`gerbang_wsq`), directly and as the
//! biometrics read an upload (`image_input::decode_gray`). Any bytes give an
//! image within the limits, whose pixel count matches its size, or an
//! error; never a panic, an endless loop or an allocation past the limits.

#![no_main]

use gerbang_biometrics::image_input::{ImageLimits, decode_gray};
use gerbang_wsq::{Limits, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::new(2_048, 2_048);
    if let Ok(image) = decode(data, &limits) {
        assert!(image.width <= limits.max_width && image.height <= limits.max_height);
        assert_eq!(image.pixels.len() as u64, u64::from(image.width) * u64::from(image.height));
    }
    // Through the biometrics too (the input is a WSQ whenever it starts as
    // one, else another decoder refuses or reads it).
    if gerbang_wsq::is_wsq(data) {
        let _ = decode_gray(data, &ImageLimits::FINGERPRINT);
    }
});

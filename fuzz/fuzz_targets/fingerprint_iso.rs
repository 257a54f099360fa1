//! ISO/IEC 19794-2:2005 fingerprint templates
//! (`gerbang_biometrics::fingerprint`): any record is a template or a coded
//! error, never a panic; a template read writes back to a record that
//! reads to the same template, and prepares for bozorth3.

#![no_main]

use gerbang_biometrics::fingerprint::{FingerprintTemplate, MAX_MINUTIAE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(template) = FingerprintTemplate::from_iso(data) else {
        if let Ok(text) = std::str::from_utf8(data) {
            let _ = FingerprintTemplate::from_iso_base64(text);
        }
        return;
    };
    assert!(template.minutiae().len() <= MAX_MINUTIAE);
    let again = FingerprintTemplate::from_iso(&template.to_iso());
    assert_eq!(again.as_ref().ok(), Some(&template));
    let _ = template.prepare();
});

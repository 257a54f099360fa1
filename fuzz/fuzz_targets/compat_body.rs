//! The compatible web service's body readers (`gerbang_proto::compat`,
//! WIRE.md): any bytes are a request or a `BodyError`, never a panic; the
//! face recognition service shares the lenient object reader. The same
//! bytes as text also go through the Basic credentials reader.

#![no_main]

use gerbang_proto::compat::{basic_credentials, parse_request};
use gerbang_proto::face_recognition::FrRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = parse_request(data) {
        // Keys are upper-cased and unique; blank values are left out.
        for (at, (key, value)) in request.fields.iter().enumerate() {
            assert_eq!(key, &key.to_uppercase());
            assert!(!value.trim().is_empty() || value.is_empty());
            assert!(request.fields[..at].iter().all(|(k, _)| k != key));
        }
        let _ = format!("{request:?}");
    }
    let _ = FrRequest::parse(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = basic_credentials(text);
    }
});

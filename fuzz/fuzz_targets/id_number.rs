//! NIK and NO_KK parsing (`gerbang_core::id_number`): any text is either
//! refused with a code or accepted as a number that prints back as the
//! same 16 digits and parses again to itself.

#![no_main]

use gerbang_core::id_number::{Nik, NoKk};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Nik::parse(text) {
        Ok(nik) => {
            let printed = nik.to_string();
            assert_eq!(printed.len(), 16);
            assert_eq!(Nik::parse(&printed).ok(), Some(nik));
            assert_eq!(Nik::from_stored(nik.value()), Some(nik));
            let _ = (nik.sex(), nik.serial(), nik.district_code());
        }
        Err(error) => assert!(!error.code().is_empty()),
    }
    match NoKk::parse(text) {
        Ok(kk) => {
            let printed = kk.to_string();
            assert_eq!(printed.len(), 16);
            assert_eq!(NoKk::parse(&printed).ok(), Some(kk));
            assert_eq!(NoKk::from_stored(kk.value()), Some(kk));
        }
        Err(error) => assert!(!error.code().is_empty()),
    }
});

//! The v1 API's JSON request bodies (`gerbang_proto::v1`) and what the
//! handlers do with them first: the first byte picks the body type, the
//! rest is the JSON. A body either fails to deserialize or yields values
//! the core's readers (NIK, NO_KK, element names, dates) take or refuse
//! without panicking; a read body written back reads back equal.

#![no_main]

use gerbang_core::access::scope::Scope;
use gerbang_core::element::Element;
use gerbang_core::id_number::{Nik, NoKk};
use gerbang_core::matching::parse_wire_date;
use gerbang_proto::v1::{self, admin, biometric, card_reader, return_data};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Reads `json` as `T`; when it reads, writing it back and reading again
/// gives the same value.
fn read<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(json: &[u8]) -> Option<T> {
    let value: T = serde_json::from_slice(json).ok()?;
    let written = serde_json::to_vec(&value).unwrap();
    let again: T = serde_json::from_slice(&written).unwrap();
    assert_eq!(again, value);
    Some(value)
}

fn ids(text: &str) {
    let _ = Nik::parse(text);
    let _ = NoKk::parse(text);
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, json)) = data.split_first() else {
        return;
    };
    match pick % 12 {
        0 => {
            if let Some(query) = read::<v1::NikQuery>(json) {
                ids(&query.nik);
            }
        }
        1 => {
            if let Some(verification) = read::<v1::NewVerification>(json) {
                ids(&verification.nik);
                for (key, value) in &verification.elements {
                    let _ = Element::from_wire_name(key);
                    let _ = parse_wire_date(value);
                }
            }
        }
        2 => {
            if let Some(check) = read::<v1::NewNikKkCheck>(json) {
                ids(&check.nik);
                check.no_kk.as_deref().map(ids);
                check.head_nik.as_deref().map(ids);
            }
        }
        3 => drop(read::<admin::NewInstitution>(json)),
        4 => {
            if let Some(agreement) = read::<admin::NewAgreement>(json) {
                // As the administration API reads the scope document.
                if let Ok(scope) = serde_json::from_value::<Scope>(agreement.scope) {
                    let _ = scope.validate();
                }
            }
        }
        5 => drop(read::<admin::NewAccount>(json)),
        6 => drop(read::<admin::NetworkChange>(json)),
        7 => drop(read::<biometric::FingerprintQuery>(json)),
        8 => drop(read::<biometric::FaceSearchQuery>(json)),
        9 => drop(read::<card_reader::NewReaderEvent>(json)),
        10 => drop(read::<return_data::NewReturnData>(json)),
        _ => drop(read::<admin::UpdateAccount>(json)),
    }
});

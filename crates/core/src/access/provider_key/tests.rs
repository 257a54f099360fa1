//! The fixture keys under `access/tests/` were made with OpenSSL 3 for these
//! tests only and protect nothing; `sealed_by_openssl.b64` is
//! `3374011501900001` sealed with `openssl pkeyutl -encrypt -pkeyopt
//! rsa_padding_mode:pkcs1` under `provider_key.pem`'s public half and
//! wrapped by `openssl base64` at 64 columns, as a partner's tool would.

use rsa::traits::PublicKeyParts;

use super::rand_core::OsRng;
use super::*;

const KEY_PKCS8: &str = include_str!("../tests/provider_key.pem");
const KEY_PKCS1: &str = include_str!("../tests/provider_key_pkcs1.pem");
const OTHER_KEY: &str = include_str!("../tests/other_provider_key.pem");
const SMALL_KEY: &str = include_str!("../tests/small_provider_key.pem");
const SEALED_BY_OPENSSL: &str = include_str!("../tests/sealed_by_openssl.b64");

fn key() -> ProviderKey {
    ProviderKey::from_pkcs8_pem(KEY_PKCS8).unwrap()
}

fn seal(key: &ProviderKey, plaintext: &str) -> String {
    seal_field(key.public_key_pem(), plaintext, &mut OsRng).unwrap()
}

/// Seals raw bytes, which [`seal_field`] (taking text) cannot.
fn seal_bytes(key: &ProviderKey, bytes: &[u8]) -> String {
    let public = RsaPublicKey::from_public_key_pem(key.public_key_pem()).unwrap();
    STANDARD.encode(public.encrypt(&mut OsRng, Pkcs1v15Encrypt, bytes).unwrap())
}

#[test]
fn opens_a_field_sealed_by_openssl_and_wrapped_in_lines() {
    assert!(SEALED_BY_OPENSSL.trim().contains('\n'), "the fixture is wrapped");
    assert_eq!(key().open_field(SEALED_BY_OPENSSL, &mut OsRng).unwrap(), "3374011501900001");
}

#[test]
fn seal_then_open_round_trips_and_trims() {
    let key = key();
    for text in ["3374011501900001", "mitra01", "kata sandi ✓ panjang", " spasi di tepi \n"] {
        let sealed = seal(&key, text);
        assert_eq!(key.open_field(&sealed, &mut OsRng).unwrap(), text.trim(), "{text:?}");
    }
    assert_ne!(seal(&key, "mitra01"), seal(&key, "mitra01"), "random padding");
}

#[test]
fn opens_url_safe_unpadded_and_broken_up_base64() {
    let key = key();
    let sealed = seal(&key, "3374011501900001");
    let url_safe = sealed.trim_end_matches('=').replace('+', "-").replace('/', "_");
    let broken_up: String = sealed
        .chars()
        .enumerate()
        .flat_map(|(i, c)| if i % 20 == 19 { vec![c, '\r', '\n'] } else { vec![c] })
        .collect();
    for text in [url_safe, broken_up, format!("  {sealed}\n"), sealed.trim_end_matches('=').to_owned()] {
        assert_eq!(key.open_field(&text, &mut OsRng).unwrap(), "3374011501900001", "{text:?}");
    }
}

#[test]
fn another_key_cannot_open() {
    let other = ProviderKey::from_pkcs8_pem(OTHER_KEY).unwrap();
    let sealed = seal(&key(), "3374011501900001");
    assert_eq!(other.open_field(&sealed, &mut OsRng), Err(SealedFieldError::Undecryptable));
}

#[test]
fn garbage_is_refused_before_decryption() {
    let key = key();
    for text in ["", "  \n", "bukan base64!", "abc$def", "ab+c-d"] {
        assert_eq!(key.open_field(text, &mut OsRng), Err(SealedFieldError::NotBase64), "{text:?}");
    }
    // Valid base64 of the wrong length: too short to be a ciphertext, or
    // longer than the modulus.
    for bytes in [vec![1u8; 16], vec![1u8; 257]] {
        assert_eq!(key.open_field(&STANDARD.encode(bytes), &mut OsRng), Err(SealedFieldError::Undecryptable));
    }
}

#[test]
fn a_ciphertext_of_bytes_that_are_not_text_reads_as_undecryptable_to_the_client() {
    let key = key();
    let error = key.open_field(&seal_bytes(&key, &[0x33, 0xff, 0xfe, 0x00]), &mut OsRng).unwrap_err();
    assert_eq!(error, SealedFieldError::NotText);
    assert_eq!(error.code(), "sealed_field.not_text");
    assert_eq!(error.client_code(), "sealed_field.undecryptable");
    assert_eq!(SealedFieldError::NotBase64.client_code(), "sealed_field.not_base64");
}

#[test]
fn pkcs8_pem_round_trips_and_pkcs1_reads_as_the_same_key() {
    let key = key();
    let pem = key.to_pkcs8_pem().unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{}", &pem[..30]);
    let again = ProviderKey::from_pkcs8_pem(&pem).unwrap();
    assert_eq!(again.public_key_pem(), key.public_key_pem());
    let pkcs1 = ProviderKey::from_pkcs8_pem(KEY_PKCS1).unwrap();
    assert!(KEY_PKCS1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    assert_eq!(pkcs1.fingerprint(), key.fingerprint());
    assert_eq!(pkcs1.open_field(SEALED_BY_OPENSSL, &mut OsRng).unwrap(), "3374011501900001");
}

#[test]
fn the_public_key_is_spki_pem_and_partners_may_also_hold_pkcs1() {
    let key = key();
    assert!(key.public_key_pem().starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(key.bits(), 2048);
    assert_eq!(key.fingerprint().len(), 64);
    let public = RsaPublicKey::from_public_key_pem(key.public_key_pem()).unwrap();
    let pkcs1 = rsa::pkcs1::EncodeRsaPublicKey::to_pkcs1_pem(&public, LineEnding::LF).unwrap();
    let sealed = seal_field(&pkcs1, "mitra01", &mut OsRng).unwrap();
    assert_eq!(key.open_field(&sealed, &mut OsRng).unwrap(), "mitra01");
}

#[test]
fn unreadable_and_short_keys_are_refused() {
    for pem in ["", "bukan kunci", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
        assert_eq!(ProviderKey::from_pkcs8_pem(pem).unwrap_err(), ProviderKeyError::Unreadable, "{pem:?}");
    }
    let public_only = key().public_key_pem().to_owned();
    assert_eq!(ProviderKey::from_pkcs8_pem(&public_only).unwrap_err().code(), "provider_key.unreadable");
    let error = ProviderKey::from_pkcs8_pem(SMALL_KEY).unwrap_err();
    assert_eq!(error, ProviderKeyError::TooSmall { bits: 1024 });
    assert_eq!(error.code(), "provider_key.too_small");
    assert_eq!(error.to_string(), "kunci RSA penyedia terlalu pendek: 1024 bit, minimal 2048 bit");
}

#[test]
fn sealing_refuses_a_bad_public_key_and_a_text_too_long() {
    let key = key();
    assert_eq!(seal_field("bukan kunci", "x", &mut OsRng), Err(SealedFieldError::PublicKeyUnreadable));
    let private_pem = key.to_pkcs8_pem().unwrap();
    assert_eq!(seal_field(&private_pem, "x", &mut OsRng), Err(SealedFieldError::PublicKeyUnreadable));
    let longest = "a".repeat(245);
    assert_eq!(key.open_field(&seal(&key, &longest), &mut OsRng).unwrap(), longest);
    assert_eq!(seal_field(key.public_key_pem(), &"a".repeat(246), &mut OsRng), Err(SealedFieldError::TooLong));
}

#[test]
fn debug_and_errors_show_no_key_material_or_field() {
    let key = key();
    let debug = format!("{key:?}");
    assert_eq!(debug, format!("ProviderKey {{ bits: 2048, fingerprint: {:?} }}", key.fingerprint()));
    let modulus_hex: String = key.key.n().to_bytes_be().iter().take(8).map(|b| format!("{b:02x}")).collect();
    assert!(!debug.contains(&modulus_hex));
    let errors = [
        SealedFieldError::NotBase64,
        SealedFieldError::Undecryptable,
        SealedFieldError::NotText,
        SealedFieldError::PublicKeyUnreadable,
        SealedFieldError::TooLong,
    ];
    let codes: Vec<_> = errors.iter().map(SealedFieldError::code).collect();
    assert_eq!(
        codes,
        [
            "sealed_field.not_base64",
            "sealed_field.undecryptable",
            "sealed_field.not_text",
            "sealed_field.public_key_unreadable",
            "sealed_field.too_long"
        ]
    );
    for error in errors {
        assert!(!error.to_string().contains("3374"), "{error}");
    }
}

/// The one key generation of the suite (2048-bit primes take a moment).
#[test]
fn a_generated_key_has_2048_bits_and_opens_what_its_public_half_sealed() {
    let generated = ProviderKey::generate(&mut OsRng).unwrap();
    assert_eq!(generated.bits(), PROVIDER_KEY_BITS);
    assert_eq!(generated.key.e(), &rsa::BigUint::from(65_537u32));
    let sealed = seal(&generated, "3374011501900001");
    assert_eq!(generated.open_field(&sealed, &mut OsRng).unwrap(), "3374011501900001");
    let pem = generated.to_pkcs8_pem().unwrap();
    assert_eq!(ProviderKey::from_pkcs8_pem(&pem).unwrap().fingerprint(), generated.fingerprint());
    assert_eq!(key().open_field(&sealed, &mut OsRng), Err(SealedFieldError::Undecryptable));
}

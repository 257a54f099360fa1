//! The optional second factor: time-based one-time codes (RFC 6238, the
//! codes of Google Authenticator, Aegis, FreeOTP): HMAC-SHA1, 6 digits, a
//! new code every 30 seconds, computed by `totp-rs`. A code from one
//! [`STEP`] either side of now is accepted (the phone's clock may drift),
//! and only for a step later than the last one accepted for the same User
//! ID, so a code that was seen once cannot be replayed within its window;
//! the portal's [`Sessions`](crate::session::Sessions) keep that step.
//!
//! Also what enrolment shows: the key grouped in fours, its `otpauth://`
//! URI, and that URI's QR code as the squares an inline SVG draws. The
//! key is a secret: it is never logged, and [`Key`]'s `Debug` does not
//! show it.

use chrono::{DateTime, Utc};
use gerbang_core::access::secret::{SecretError, random_bytes};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::session::same_token;

/// Seconds each code lasts.
pub const STEP: u64 = 30;

/// Digits of a code.
pub const DIGITS: usize = 6;

/// Steps either side of now a code may come from.
pub const DRIFT: u64 = 1;

/// Bytes of a new key: 160 bits, the HMAC-SHA1 output size that RFC 4226
/// recommends.
const KEY_BYTES: usize = 20;

/// Who the authenticator app says the codes are for.
pub const ISSUER: &str = "Gerbang";

/// A fresh random key, base32 (RFC 4648, no padding), as stored in
/// `Account.totp_secret`.
pub fn new_key() -> Result<String, SecretError> {
    Ok(Secret::Raw(random_bytes::<KEY_BYTES>()?.to_vec()).to_encoded().to_string())
}

/// One account's key, ready to compute codes.
pub struct Key {
    totp: TOTP,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(…)")
    }
}

/// The time step of `at`: whole [`STEP`]s since the Unix epoch.
pub fn step_of(at: DateTime<Utc>) -> u64 {
    u64::try_from(at.timestamp()).unwrap_or(0) / STEP
}

impl Key {
    /// The key of a base32 secret; `None` when it is not base32 or is
    /// shorter than 128 bits.
    pub fn from_base32(secret: &str) -> Option<Key> {
        let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
        let totp = TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP, bytes).ok()?;
        Some(Key { totp })
    }

    /// The code of time step `step`.
    pub fn code(&self, step: u64) -> String {
        self.totp.generate(step.saturating_mul(STEP))
    }

    /// The step whose code `code` is, among now and [`DRIFT`] steps either
    /// side, counting only steps after `after` (the last one accepted).
    /// `None`: a wrong code, or one already used.
    pub fn accepted_step(&self, code: &str, at: DateTime<Utc>, after: Option<u64>) -> Option<u64> {
        let now = step_of(at);
        (now.saturating_sub(DRIFT)..=now.saturating_add(DRIFT))
            .filter(|step| after.is_none_or(|last| *step > last))
            .find(|step| same_token(&self.code(*step), code))
    }
}

/// A code as typed, without spaces; `None` unless it is [`DIGITS`] digits.
pub fn typed_code(text: &str) -> Option<String> {
    let code: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// The key in groups of four, as people copy it by hand.
pub fn grouped(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// Percent-encodes all but RFC 3986's unreserved characters.
fn escaped(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `otpauth://` URI that authenticator apps read from the QR code.
pub fn otpauth_uri(user_id: &str, secret: &str) -> String {
    format!(
        "otpauth://totp/{issuer}:{user}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP}",
        issuer = escaped(ISSUER),
        user = escaped(user_id),
    )
}

/// A QR code as an SVG path: one unit square per dark module, inside a
/// quiet zone of four modules.
pub(crate) struct QrPicture {
    /// Width and height in modules, quiet zone included.
    pub size: usize,
    /// The dark modules, as the `d` of one `<path>`.
    pub path: String,
}

/// Modules of quiet zone around a QR code.
const QUIET: usize = 4;

/// The QR code of `text`; `None` if it does not fit in one.
pub(crate) fn qr_picture(text: &str) -> Option<QrPicture> {
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let path = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, color)| **color == qrcode::Color::Dark)
        .map(|(at, _)| format!("M{} {}h1v1h-1z", at % width + QUIET, at / width + QUIET))
        .collect();
    Some(QrPicture { size: width + 2 * QUIET, path })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;

    /// RFC 6238 appendix B's SHA-1 key, "12345678901234567890", in base32.
    const RFC_KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(seconds, 0).unwrap()
    }

    #[test]
    fn codes_are_rfc_6238s_test_vectors_in_six_digits() {
        assert_eq!(Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string(), RFC_KEY);
        let key = Key::from_base32(RFC_KEY).unwrap();
        // Appendix B gives eight digits; six are their last six.
        for (seconds, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(key.code(step_of(at(seconds))), eight[2..], "T = {seconds}");
        }
        assert_eq!(key.code(1), "287082");
    }

    #[test]
    fn a_code_from_one_step_either_side_is_accepted_and_none_further() {
        let key = Key::from_base32(RFC_KEY).unwrap();
        let now = at(1_234_567_890);
        let step = step_of(now);
        assert_eq!(key.accepted_step(&key.code(step), now, None), Some(step));
        assert_eq!(key.accepted_step(&key.code(step - 1), now, None), Some(step - 1), "the phone is slow");
        assert_eq!(key.accepted_step(&key.code(step + 1), now, None), Some(step + 1), "the phone is fast");
        assert_eq!(key.accepted_step(&key.code(step - 2), now, None), None);
        assert_eq!(key.accepted_step(&key.code(step + 2), now, None), None);
        assert_eq!(key.accepted_step("000000", now, None), None);
        assert_eq!(key.accepted_step("", now, None), None);
    }

    #[test]
    fn a_code_is_not_accepted_again_nor_one_older_than_the_last_accepted() {
        let key = Key::from_base32(RFC_KEY).unwrap();
        let now = at(1_234_567_890);
        let step = step_of(now);
        let accepted = key.accepted_step(&key.code(step), now, None).unwrap();
        assert_eq!(key.accepted_step(&key.code(step), now, Some(accepted)), None, "replayed");
        assert_eq!(key.accepted_step(&key.code(step - 1), now, Some(accepted)), None, "older");
        assert_eq!(key.accepted_step(&key.code(step + 1), now, Some(accepted)), Some(step + 1), "the next code");
        let later = at(1_234_567_890 + 30);
        assert_eq!(key.accepted_step(&key.code(step), later, Some(accepted)), None, "still refused a step later");
    }

    #[test]
    fn new_keys_are_random_160_bit_base32_and_bad_keys_are_refused() {
        let key = new_key().unwrap();
        assert_eq!(key.len(), 32);
        assert_ne!(key, new_key().unwrap());
        assert!(Key::from_base32(&key).is_some());
        assert!(Key::from_base32("not base32!").is_none());
        assert!(Key::from_base32("GEZDGNBV").is_none(), "40 bits is too short");
        assert_eq!(format!("{:?}", Key::from_base32(&key).unwrap()), "Key(…)", "Debug hides the key");
    }

    #[test]
    fn typed_codes_keys_uris_and_qr_codes() {
        assert_eq!(typed_code(" 287 082 ").as_deref(), Some("287082"));
        assert_eq!(typed_code("28708"), None);
        assert_eq!(typed_code("28708a"), None);
        assert_eq!(typed_code("２８７０８２"), None, "ASCII digits only");
        assert_eq!(grouped(RFC_KEY), "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
        assert_eq!(
            otpauth_uri("kra op@x", RFC_KEY),
            "otpauth://totp/Gerbang:kra%20op%40x?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Gerbang\
             &algorithm=SHA1&digits=6&period=30"
        );
        let picture = qr_picture(&otpauth_uri("kra-op", RFC_KEY)).unwrap();
        assert!(picture.size > 2 * QUIET + 21, "{}", picture.size);
        assert!(picture.path.starts_with(&format!("M{QUIET} {QUIET}h1v1h-1z")), "the finder's corner is dark");
    }
}

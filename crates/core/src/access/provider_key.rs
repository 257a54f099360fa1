//! The provider's RSA key pair for face recognition's sealed fields
//! (WIRE.md, "Face recognition (CALL_FR)"): partners encrypt `nik`,
//! `user_id` and `password` with the provider's public key (RSA PKCS#1 v1.5,
//! then base64) and Gerbang opens them with the private half kept here.
//!
//! What this module protects:
//! - The private key never leaves through `Debug`, `Display` or an error:
//!   `Debug` shows the size and the public key's fingerprint only, the PEM
//!   export is zeroized on drop, and errors never carry the plaintext or the
//!   ciphertext.
//! - No padding oracle on the wire. PKCS#1 v1.5 decryption that tells "bad
//!   padding" from "good padding, bad content" lets a client decrypt any
//!   sealed field it captured (Bleichenbacher). [`SealedFieldError::code`] is
//!   for the audit log; what reaches the client is
//!   [`SealedFieldError::client_code`], which says the same for every failure
//!   after decryption.
//! - Timing. The `rsa` crate's arithmetic is not constant-time
//!   (RUSTSEC-2023-0071, "Marvin", no fixed release): [`ProviderKey::open_field`]
//!   always decrypts with blinding, which takes a random number generator
//!   from the caller, and the web layer checks the connection's address
//!   against the partner's allow-list before opening anything, so only
//!   registered networks can time decryptions at all.
//!
//! Core draws no randomness of its own: key generation, sealing and blinding
//! take a `rand_core` 0.6 generator from the caller, usually
//! [`rand_core::OsRng`].

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::der::zeroize::Zeroizing;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::rand_core::CryptoRngCore;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Encrypt, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

/// The `rand_core` (0.6) the key's operations take their generator from;
/// `rand_core::OsRng` is the operating system's.
pub use rsa::rand_core;

/// The size of a key [`ProviderKey::generate`] makes, and the smallest one
/// [`ProviderKey::from_pkcs8_pem`] accepts: the original service's keys are
/// 2048-bit, and anything shorter is breakable.
pub const PROVIDER_KEY_BITS: usize = 2048;

/// Why a provider key could not be read, made or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderKeyError {
    /// The text is not an unencrypted RSA private key in PEM.
    #[error(
        "kunci privat penyedia tidak dapat dibaca: harus PEM RSA tanpa sandi (\"BEGIN PRIVATE KEY\" atau \"BEGIN RSA PRIVATE KEY\")"
    )]
    Unreadable,
    /// The key is shorter than [`PROVIDER_KEY_BITS`].
    #[error("kunci RSA penyedia terlalu pendek: {bits} bit, minimal {PROVIDER_KEY_BITS} bit")]
    TooSmall {
        /// The size of the key that was read.
        bits: usize,
    },
    /// Key generation failed.
    #[error("gagal membuat kunci RSA penyedia")]
    Generation,
    /// The key could not be written as PEM.
    #[error("kunci RSA penyedia tidak dapat ditulis sebagai PEM")]
    Unencodable,
}

impl ProviderKeyError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable => "provider_key.unreadable",
            Self::TooSmall { .. } => "provider_key.too_small",
            Self::Generation => "provider_key.generation",
            Self::Unencodable => "provider_key.unencodable",
        }
    }
}

/// Why a sealed field could not be opened, or a field sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SealedFieldError {
    /// The text is empty or not base64 (standard or URL-safe alphabet).
    #[error("isian tersegel bukan base64 yang sah")]
    NotBase64,
    /// The ciphertext does not decrypt with the provider's key: another key,
    /// bad padding, or the wrong length.
    #[error("isian tersegel tidak dapat didekripsi dengan kunci penyedia")]
    Undecryptable,
    /// The ciphertext decrypts, but not to UTF-8 text.
    #[error("isian tersegel tidak berisi teks UTF-8")]
    NotText,
    /// Sealing: the public key is not an RSA public key in PEM.
    #[error(
        "kunci publik penyedia tidak dapat dibaca: harus PEM RSA (\"BEGIN PUBLIC KEY\" atau \"BEGIN RSA PUBLIC KEY\")"
    )]
    PublicKeyUnreadable,
    /// Sealing: the text is longer than the key can hold (245 bytes for a
    /// 2048-bit key).
    #[error("teks terlalu panjang untuk disegel dengan kunci ini")]
    TooLong,
}

impl SealedFieldError {
    /// A stable machine-readable code, for the audit log.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotBase64 => "sealed_field.not_base64",
            Self::Undecryptable => "sealed_field.undecryptable",
            Self::NotText => "sealed_field.not_text",
            Self::PublicKeyUnreadable => "sealed_field.public_key_unreadable",
            Self::TooLong => "sealed_field.too_long",
        }
    }

    /// The code to tell the client: [`Self::code`], except that a ciphertext
    /// whose padding was valid but whose content is not text reads as
    /// `sealed_field.undecryptable` too, so the answer reveals nothing about
    /// the padding (see the module doc).
    pub fn client_code(&self) -> &'static str {
        match self {
            Self::NotText => Self::Undecryptable.code(),
            other => other.code(),
        }
    }
}

/// The provider's RSA private key. `Debug` shows its size and fingerprint,
/// never key material.
#[derive(Clone)]
pub struct ProviderKey {
    key: RsaPrivateKey,
    /// The public half as SPKI PEM, made once: encoding can fail only in
    /// theory, and this way [`ProviderKey::public_key_pem`] cannot.
    public_pem: String,
    /// SHA-256 of the public half's SPKI DER, lowercase hex.
    fingerprint: String,
}

impl ProviderKey {
    /// A new [`PROVIDER_KEY_BITS`]-bit key (public exponent 65537) from the
    /// caller's generator. Takes a second or so.
    pub fn generate(rng: &mut impl CryptoRngCore) -> Result<Self, ProviderKeyError> {
        let key = RsaPrivateKey::new(rng, PROVIDER_KEY_BITS).map_err(|_| ProviderKeyError::Generation)?;
        Self::from_key(key)
    }

    /// Reads an unencrypted RSA private key in PEM: PKCS#8 (`BEGIN PRIVATE
    /// KEY`, what [`Self::to_pkcs8_pem`] writes) or PKCS#1 (`BEGIN RSA
    /// PRIVATE KEY`, what older OpenSSL and many providers' tools write).
    /// Surrounding whitespace is ignored. The key is checked for
    /// consistency and must have at least [`PROVIDER_KEY_BITS`] bits.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, ProviderKeyError> {
        let pem = pem.trim();
        let key = RsaPrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| RsaPrivateKey::from_pkcs1_pem(pem))
            .map_err(|_| ProviderKeyError::Unreadable)?;
        Self::from_key(key)
    }

    fn from_key(key: RsaPrivateKey) -> Result<Self, ProviderKeyError> {
        let bits = key.n().bits();
        if bits < PROVIDER_KEY_BITS {
            return Err(ProviderKeyError::TooSmall { bits });
        }
        let public = key.to_public_key();
        let public_pem = public.to_public_key_pem(LineEnding::LF).map_err(|_| ProviderKeyError::Unencodable)?;
        let der = public.to_public_key_der().map_err(|_| ProviderKeyError::Unencodable)?;
        let fingerprint = Sha256::digest(der.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        Ok(ProviderKey { key, public_pem, fingerprint })
    }

    /// The private key as PKCS#8 PEM (`BEGIN PRIVATE KEY`, LF line ends),
    /// wiped from memory when dropped. For writing the key file only.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, ProviderKeyError> {
        self.key.to_pkcs8_pem(LineEnding::LF).map_err(|_| ProviderKeyError::Unencodable)
    }

    /// The public half as SPKI PEM (`BEGIN PUBLIC KEY`, LF line ends), the
    /// form partners are given to seal their fields with.
    pub fn public_key_pem(&self) -> &str {
        &self.public_pem
    }

    /// SHA-256 of the public half's SPKI DER, 64 lowercase hex digits: names
    /// the key in logs and lets a partner check it holds the right one.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.key.n().bits()
    }

    /// Opens one sealed field: base64 (standard or URL-safe alphabet, padding
    /// optional, whitespace and line breaks anywhere ignored), then RSA
    /// PKCS#1 v1.5 decryption, blinded with `rng`, then UTF-8; the text is
    /// trimmed. CPU-bound (a few milliseconds): run it off the async threads.
    pub fn open_field(&self, sealed: &str, rng: &mut impl CryptoRngCore) -> Result<String, SealedFieldError> {
        let ciphertext = decode_base64(sealed)?;
        // A ciphertext is never longer than the modulus; refuse before any arithmetic.
        if ciphertext.len() > self.key.size() {
            return Err(SealedFieldError::Undecryptable);
        }
        let plaintext = Zeroizing::new(
            self.key.decrypt_blinded(rng, Pkcs1v15Encrypt, &ciphertext).map_err(|_| SealedFieldError::Undecryptable)?,
        );
        let text = std::str::from_utf8(&plaintext).map_err(|_| SealedFieldError::NotText)?;
        Ok(text.trim().to_owned())
    }
}

impl fmt::Debug for ProviderKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProviderKey").field("bits", &self.bits()).field("fingerprint", &self.fingerprint).finish()
    }
}

/// Seals `plaintext` as a partner client does: RSA PKCS#1 v1.5 encryption
/// with the provider's public key (SPKI `BEGIN PUBLIC KEY` or PKCS#1 `BEGIN
/// RSA PUBLIC KEY` PEM), then standard base64 with padding. Random padding
/// makes every sealing of the same text different.
pub fn seal_field(
    public_key_pem: &str,
    plaintext: &str,
    rng: &mut impl CryptoRngCore,
) -> Result<String, SealedFieldError> {
    let pem = public_key_pem.trim();
    let public = RsaPublicKey::from_public_key_pem(pem)
        .or_else(|_| RsaPublicKey::from_pkcs1_pem(pem))
        .map_err(|_| SealedFieldError::PublicKeyUnreadable)?;
    // PKCS#1 v1.5 needs 11 bytes of padding; checked here so the one
    // failure a caller can cause has its own code.
    if plaintext.len() + 11 > public.size() {
        return Err(SealedFieldError::TooLong);
    }
    let ciphertext =
        public.encrypt(rng, Pkcs1v15Encrypt, plaintext.as_bytes()).map_err(|_| SealedFieldError::TooLong)?;
    Ok(STANDARD.encode(ciphertext))
}

/// Lenient base64 for sealed fields: padding optional.
const fn lenient(alphabet: &alphabet::Alphabet) -> GeneralPurpose {
    GeneralPurpose::new(alphabet, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent))
}

const STANDARD_LENIENT: GeneralPurpose = lenient(&alphabet::STANDARD);
const URL_SAFE_LENIENT: GeneralPurpose = lenient(&alphabet::URL_SAFE);

/// Decodes base64 after dropping ASCII whitespace (clients wrap at 64 or 76
/// columns, or escape `\n` in JSON); `-` or `_` selects the URL-safe alphabet.
fn decode_base64(text: &str) -> Result<Vec<u8>, SealedFieldError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if compact.is_empty() {
        return Err(SealedFieldError::NotBase64);
    }
    let engine = if compact.contains(['-', '_']) { &URL_SAFE_LENIENT } else { &STANDARD_LENIENT };
    engine.decode(compact).map_err(|_| SealedFieldError::NotBase64)
}

#[cfg(test)]
mod tests;

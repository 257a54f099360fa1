//! Passwords and tokens. Passwords are stored as argon2id hashes; bearer
//! tokens are 256-bit random strings stored as SHA-256 digests (their
//! entropy makes a slow hash unnecessary).
//!
//! An argon2id check costs tens of milliseconds of CPU, which would cap the
//! web service at a few dozen requests per second. [`CredentialCache`]
//! remembers, per User ID, a keyed digest of the password that last verified
//! against the stored hash; a later request with the same password and the
//! same stored hash skips argon2. The digest is keyed with a random per-process
//! key, so the cache holds nothing that could be brute-forced offline, and a
//! changed password hash (new password) simply misses.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use sha2::{Digest, Sha256};

/// Why a secret could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The operating system's random source failed.
    #[error("sumber bilangan acak sistem tidak tersedia")]
    NoRandomness,
    /// The password is too short.
    #[error("kata sandi minimal {MIN_PASSWORD_LEN} karakter")]
    PasswordTooShort,
    /// Hashing failed.
    #[error("gagal membuat hash kata sandi")]
    Hashing,
}

impl SecretError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SecretError::NoRandomness => "secret.no_randomness",
            SecretError::PasswordTooShort => "secret.password_too_short",
            SecretError::Hashing => "secret.hashing",
        }
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;

/// `n` random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], SecretError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| SecretError::NoRandomness)?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn argon2() -> Argon2<'static> {
    // OWASP's first recommended argon2id setting: 19 MiB, 2 passes, 1 lane.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
}

/// The argon2id PHC string of `password`.
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(SecretError::PasswordTooShort);
    }
    let salt = SaltString::encode_b64(&random_bytes::<16>()?).map_err(|_| SecretError::Hashing)?;
    argon2().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string()).map_err(|_| SecretError::Hashing)
}

/// Whether `password` matches the PHC string `stored`. Slow by design: run
/// it off the async threads.
pub fn verify_password(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
}

/// A new random password for an account (20 characters from an alphabet
/// without look-alikes).
pub fn generate_password() -> Result<String, SecretError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    Ok(random_bytes::<20>()?.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

/// A new bearer token, `gb_` and 64 hex digits.
pub fn generate_token() -> Result<String, SecretError> {
    Ok(format!("gb_{}", hex(&random_bytes::<32>()?)))
}

/// The stored form of a bearer token: SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// Remembers passwords that verified, as keyed digests (see the module doc).
#[derive(Debug)]
pub struct CredentialCache {
    key: [u8; 32],
    verified: Mutex<HashMap<String, [u8; 32]>>,
}

impl CredentialCache {
    /// An empty cache with a fresh random key.
    pub fn new() -> Result<Self, SecretError> {
        Ok(CredentialCache { key: random_bytes()?, verified: Mutex::new(HashMap::new()) })
    }

    fn digest(&self, stored: &str, password: &str) -> [u8; 32] {
        let mut hasher = Sha256::new();
        hasher.update(self.key);
        hasher.update((stored.len() as u64).to_be_bytes());
        hasher.update(stored.as_bytes());
        hasher.update(password.as_bytes());
        hasher.finalize().into()
    }

    /// Whether this password already verified against this stored hash.
    pub fn knows(&self, user_id: &str, stored: &str, password: &str) -> bool {
        let digest = self.digest(stored, password);
        self.verified.lock().map(|map| map.get(user_id) == Some(&digest)).unwrap_or(false)
    }

    /// Records a successful verification.
    pub fn remember(&self, user_id: &str, stored: &str, password: &str) {
        let digest = self.digest(stored, password);
        if let Ok(mut map) = self.verified.lock() {
            map.insert(user_id.to_owned(), digest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("kata-sandi-rahasia").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password(&hash, "kata-sandi-rahasia"));
        assert!(!verify_password(&hash, "kata-sandi-salah!"));
        assert!(!verify_password("not a phc string", "kata-sandi-rahasia"));
        assert_eq!(hash_password("pendek"), Err(SecretError::PasswordTooShort));
    }

    #[test]
    fn the_cache_knows_only_the_password_that_verified_against_that_hash() {
        let cache = CredentialCache::new().unwrap();
        assert!(!cache.knows("u", "$hash1", "secret-one"));
        cache.remember("u", "$hash1", "secret-one");
        assert!(cache.knows("u", "$hash1", "secret-one"));
        assert!(!cache.knows("u", "$hash1", "secret-two"));
        assert!(!cache.knows("u", "$hash2", "secret-one"), "a changed hash misses");
        assert!(!cache.knows("v", "$hash1", "secret-one"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (generate_token().unwrap(), generate_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 67);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_eq!(generate_password().unwrap().len(), 20);
    }
}

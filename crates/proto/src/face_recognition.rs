//! Wire types of the compatible face recognition service, `CALL_FR`
//! (WIRE.md, "Face recognition (CALL_FR)"): the lenient reading of the JSON
//! body partners' existing clients send, the service's error codes, and the
//! answer they expect back. No cryptography here: `nik`, `user_id` and
//! `password` arrive sealed with the provider's key and are handed on as
//! sent, for `gerbang_core::access::ProviderKey` to open.
//!
//! What this module protects: partners need not change a byte (keys in any
//! letter case, `transactionId` or `transaction_id`, thresholds as strings
//! or numbers, a photo with or without a data-URI prefix), and population
//! data stays out of logs (`Debug` of a request or an answer shows neither
//! the sealed fields, the photo, nor a candidate's NIK).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::compat::{BodyError, Unusable, read_object, text};

#[cfg(test)]
mod tests;

/// The similarity threshold as sent, a string or a number. Only whether it
/// is a number is decided here; whether it lies on the 0–10 scale is the
/// matcher's business.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum FrThreshold {
    /// Not sent, `null`, or a blank string.
    #[default]
    Absent,
    /// A finite number, sent as a number (`7`, `7.5`) or a string (`" 7.5 "`,
    /// or `"7,5"` with the Indonesian decimal comma).
    Number(f64),
    /// Anything else: not a number, not finite, or of another JSON type
    /// (the caller answers 5005).
    Invalid,
}

impl FrThreshold {
    fn from_value(value: &Value) -> Self {
        let finite = |n: f64| if n.is_finite() { Self::Number(n) } else { Self::Invalid };
        match value {
            Value::Null => Self::Absent,
            Value::String(s) if s.trim().is_empty() => Self::Absent,
            Value::String(s) => {
                let s = s.trim();
                let s = if s.contains('.') { s.to_owned() } else { s.replacen(',', ".", 1) };
                s.parse::<f64>().map_or(Self::Invalid, finite)
            }
            Value::Number(n) => n.as_f64().map_or(Self::Invalid, finite),
            Value::Bool(_) | Value::Array(_) | Value::Object(_) => Self::Invalid,
        }
    }
}

/// A `CALL_FR` request body, read leniently.
///
/// Keys are matched ignoring letter case and underscores, so
/// `transactionId`, `transaction_id` and `TRANSACTION_ID` are one key; when
/// a key arrives twice (under any spelling) the later one wins. Unknown keys
/// are ignored. Text values are trimmed, integers read as their digits, and
/// blanks and `null` read as `None` ("not supplied").
#[derive(Clone, PartialEq, Default)]
pub struct FrRequest {
    /// `transactionId`: the partner's reference, echoed in the answer.
    pub transaction_id: Option<String>,
    /// `transactionSource`: the partner's application, informational.
    pub transaction_source: Option<String>,
    /// `customer_id` / `customerId`: the partner institution's id.
    pub customer_id: Option<String>,
    /// `nik`, sealed. `None` (absent or blank) asks for a 1:N search.
    pub nik: Option<String>,
    /// `user_id` / `userId`, sealed.
    pub user_id: Option<String>,
    /// `password`, sealed; not trimmed (the provider key's base64 reading
    /// ignores whitespace anyway).
    pub password: Option<String>,
    /// `ip`: the address the client claims. Informational only: the
    /// allow-list checks the connection's address.
    pub ip: Option<String>,
    /// `threshold` (also `treshold`, as the get_json service spells it).
    pub threshold: FrThreshold,
    /// `image`: the photo in base64, a `data:image/...;base64,` prefix
    /// removed; not decoded here.
    pub image: Option<String>,
    /// `template`: sent empty by every client seen.
    pub template: Option<String>,
    /// `type`: `Face`.
    pub kind: Option<String>,
    /// `position`: `F` (frontal).
    pub position: Option<String>,
    /// Keys (as sent, trimmed) whose value had an unusable JSON type: a
    /// boolean, array, object or fractional number where text belongs. They
    /// read as `None`; the caller answers 5004.
    pub malformed: Vec<String>,
}

impl FrRequest {
    /// Reads a body: a JSON object (or a one-element array holding one),
    /// with a UTF-8 BOM and surrounding whitespace tolerated, like the
    /// get_json service. An error means the caller answers 6006.
    pub fn parse(body: &[u8]) -> Result<Self, BodyError> {
        let mut request = Self::default();
        for (key, value) in read_object(body)? {
            request.take(&key, value);
        }
        Ok(request)
    }

    fn take(&mut self, key: &str, value: Value) {
        let key = key.trim();
        let name = canonical(key);
        // The later spelling wins, and so does its verdict on the type.
        self.malformed.retain(|earlier| canonical(earlier) != name);
        let slot = match name.as_str() {
            "threshold" | "treshold" => {
                self.threshold = FrThreshold::from_value(&value);
                return;
            }
            "transactionid" => &mut self.transaction_id,
            "transactionsource" => &mut self.transaction_source,
            "customerid" => &mut self.customer_id,
            "nik" => &mut self.nik,
            "userid" => &mut self.user_id,
            "password" => &mut self.password,
            "ip" => &mut self.ip,
            "image" => &mut self.image,
            "template" => &mut self.template,
            "type" => &mut self.kind,
            "position" => &mut self.position,
            _ => return,
        };
        *slot = match text(value, name != "password") {
            Ok(text) if name == "image" => text.map(strip_data_uri),
            Ok(text) => text,
            Err(Unusable) => {
                self.malformed.push(key.to_owned());
                None
            }
        };
    }
}

/// A key without underscores, lower-cased: `transaction_id` → `transactionid`.
fn canonical(key: &str) -> String {
    key.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect()
}

/// `data:image/jpeg;base64,/9j/…` → `/9j/…`; anything else unchanged.
fn strip_data_uri(image: String) -> String {
    let is_data_uri = image.get(..5).is_some_and(|scheme| scheme.eq_ignore_ascii_case("data:"));
    match image.split_once(',') {
        Some((header, data)) if is_data_uri && header.to_ascii_lowercase().ends_with(";base64") => {
            data.trim().to_owned()
        }
        _ => image,
    }
}

impl fmt::Debug for FrRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sealed = |field: &Option<String>| field.as_ref().map(|_| "***");
        f.debug_struct("FrRequest")
            .field("transaction_id", &self.transaction_id)
            .field("transaction_source", &self.transaction_source)
            .field("customer_id", &self.customer_id)
            .field("nik", &sealed(&self.nik))
            .field("user_id", &sealed(&self.user_id))
            .field("password", &sealed(&self.password))
            .field("ip", &self.ip)
            .field("threshold", &self.threshold)
            .field("image_chars", &self.image.as_ref().map(String::len))
            .field("template", &self.template.as_ref().map(String::len))
            .field("kind", &self.kind)
            .field("position", &self.position)
            .field("malformed", &self.malformed)
            .finish()
    }
}

/// Why a request was not answered with a score: every `error.errorCode` of
/// WIRE.md except the two verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrFailure {
    /// 6020: the NIK is not in the register.
    NikNotFound,
    /// 6015: the photo cannot be processed (not an image, no face, too large).
    ImageUnprocessable,
    /// 6006: the body is not in the expected format.
    InvalidFormat,
    /// 5001: no such account.
    AccountNotFound,
    /// 5002: too many requests (quota or rate).
    RateLimited,
    /// 5003: the connection's address is not allowed.
    IpNotAllowed,
    /// 5004: a parameter is missing or unusable.
    InvalidParameter,
    /// 5005: the threshold is unusable.
    InvalidThreshold,
    /// 5006: a sealed field could not be opened.
    DecryptionFailed,
    /// 9002: wrong password.
    WrongPassword,
    /// 5000: the service is busy; what Gerbang answers when busy.
    Busy,
    /// 6012: also "busy" in the original; what set it apart from 5000 was
    /// not seen. Kept so a client can read it.
    Busy6012,
    /// 6014: as 6012.
    Busy6014,
}

/// Every `error.errorCode` of `CALL_FR`: a verdict or a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrCode {
    /// 6018: the face matches ("EKYC Sesuai").
    Match,
    /// 6019: the face does not match.
    NoMatch,
    /// Anything else.
    Failure(FrFailure),
}

impl From<FrFailure> for FrCode {
    fn from(failure: FrFailure) -> Self {
        Self::Failure(failure)
    }
}

/// Every code, in the order of WIRE.md, for [`FrCode::from_number`] and tests.
pub const FR_CODES: [FrCode; 15] = [
    FrCode::Match,
    FrCode::NoMatch,
    FrCode::Failure(FrFailure::NikNotFound),
    FrCode::Failure(FrFailure::ImageUnprocessable),
    FrCode::Failure(FrFailure::InvalidFormat),
    FrCode::Failure(FrFailure::AccountNotFound),
    FrCode::Failure(FrFailure::RateLimited),
    FrCode::Failure(FrFailure::IpNotAllowed),
    FrCode::Failure(FrFailure::InvalidParameter),
    FrCode::Failure(FrFailure::InvalidThreshold),
    FrCode::Failure(FrFailure::DecryptionFailed),
    FrCode::Failure(FrFailure::WrongPassword),
    FrCode::Failure(FrFailure::Busy),
    FrCode::Failure(FrFailure::Busy6012),
    FrCode::Failure(FrFailure::Busy6014),
];

impl FrCode {
    /// The number sent as `error.errorCode`.
    pub fn number(self) -> u32 {
        self.entry().0
    }

    /// The text sent as `error.errorMessage`: the original's "EKYC Sesuai"
    /// for 6018; Gerbang's Bahasa Indonesia for the rest, whose original
    /// texts were not seen.
    pub fn message(self) -> &'static str {
        self.entry().1
    }

    /// The code sent as `number`, if it is one of WIRE.md's.
    pub fn from_number(number: u32) -> Option<Self> {
        FR_CODES.into_iter().find(|code| code.number() == number)
    }

    fn entry(self) -> (u32, &'static str) {
        match self {
            Self::Match => (6018, "EKYC Sesuai"),
            Self::NoMatch => (6019, "EKYC Tidak Sesuai"),
            Self::Failure(failure) => match failure {
                FrFailure::NikNotFound => (6020, "NIK Tidak Ditemukan"),
                FrFailure::ImageUnprocessable => (6015, "Foto tidak dapat diproses"),
                FrFailure::InvalidFormat => (6006, "Format data tidak valid"),
                FrFailure::AccountNotFound => (5001, "Akun tidak ditemukan"),
                FrFailure::RateLimited => (5002, "Batas akses terlampaui"),
                FrFailure::IpNotAllowed => (5003, "IP tidak diizinkan"),
                FrFailure::InvalidParameter => (5004, "Parameter tidak valid"),
                FrFailure::InvalidThreshold => (5005, "Threshold tidak valid"),
                FrFailure::DecryptionFailed => (5006, "Dekripsi gagal"),
                FrFailure::WrongPassword => (9002, "Password salah"),
                FrFailure::Busy => (5000, "Layanan sedang sibuk"),
                FrFailure::Busy6012 => (6012, "Layanan sedang sibuk"),
                FrFailure::Busy6014 => (6014, "Layanan sedang sibuk"),
            },
        }
    }
}

/// One person a 1:N search found. `Debug` hides the NIK.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FrCandidate {
    /// The candidate's NIK.
    pub nik: String,
    /// The similarity, on the 0–10 scale of `matchScore`.
    pub match_score: f64,
}

impl fmt::Debug for FrCandidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrCandidate").field("nik", &"***").field("match_score", &self.match_score).finish()
    }
}

/// `error` of an answer: WIRE.md's `errorCode` and `errorMessage`, and
/// Gerbang's stable code as an extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FrError {
    /// WIRE.md's number, see [`FrCode::number`].
    pub error_code: u32,
    /// WIRE.md's text, see [`FrCode::message`].
    pub error_message: String,
    /// Extension: Gerbang's stable code (`face.match`, `access.denied.ip`, …),
    /// the same as in the audit record.
    pub code: String,
}

/// A `CALL_FR` answer. Serializes as
/// `{"transactionId", "matchScore", "quotaLimiter", "error": {"errorCode",
/// "errorMessage", "code"}}`, then, for a 1:N search only, the extensions
/// `"nik"` (the best candidate's) and `"candidates"`. Built with
/// [`FrAnswer::scored`], [`FrAnswer::searched`] or [`FrAnswer::failed`], so a
/// verdict always has its score and a failure never has one. `Debug` hides
/// NIKs.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FrAnswer {
    transaction_id: String,
    match_score: Option<f64>,
    quota_limiter: u32,
    error: FrError,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nik: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    candidates: Option<Vec<FrCandidate>>,
}

impl FrAnswer {
    fn new(
        transaction_id: &str,
        code: FrCode,
        match_score: Option<f64>,
        quota_limiter: u32,
        gerbang_code: &str,
    ) -> Self {
        FrAnswer {
            transaction_id: transaction_id.to_owned(),
            match_score,
            quota_limiter,
            error: FrError {
                error_code: code.number(),
                error_message: code.message().to_owned(),
                code: gerbang_code.to_owned(),
            },
            nik: None,
            candidates: None,
        }
    }

    /// A 1:1 verification: 6018 when `matched`, else 6019, with the score.
    /// `transaction_id` is the request's, or empty when it sent none
    /// (clients read it as a string).
    pub fn scored(
        transaction_id: &str,
        match_score: f64,
        matched: bool,
        quota_limiter: u32,
        gerbang_code: &str,
    ) -> Self {
        let code = if matched { FrCode::Match } else { FrCode::NoMatch };
        Self::new(transaction_id, code, Some(match_score), quota_limiter, gerbang_code)
    }

    /// A 1:N search. `matches` are the candidates at or above the
    /// threshold only (a NIK below it is not the asker's to know). With
    /// any, 6018, and `matchScore` and `nik` are the best one's; with none,
    /// 6019, `matchScore` null, no `nik`, `candidates` empty. Candidates are
    /// listed best first.
    pub fn searched(
        transaction_id: &str,
        mut matches: Vec<FrCandidate>,
        quota_limiter: u32,
        gerbang_code: &str,
    ) -> Self {
        matches.sort_by(|a, b| b.match_score.total_cmp(&a.match_score));
        let best = matches.first();
        let code = if best.is_some() { FrCode::Match } else { FrCode::NoMatch };
        let mut answer = Self::new(transaction_id, code, best.map(|c| c.match_score), quota_limiter, gerbang_code);
        answer.nik = best.map(|c| c.nik.clone());
        answer.candidates = Some(matches);
        answer
    }

    /// A refusal or failure: no score.
    pub fn failed(transaction_id: &str, failure: FrFailure, quota_limiter: u32, gerbang_code: &str) -> Self {
        Self::new(transaction_id, failure.into(), None, quota_limiter, gerbang_code)
    }

    /// `transactionId`.
    pub fn transaction_id(&self) -> &str {
        &self.transaction_id
    }

    /// `matchScore`, on the 0–10 scale; `None` for a failure or a search
    /// that found no one.
    pub fn match_score(&self) -> Option<f64> {
        self.match_score
    }

    /// `quotaLimiter`: the caller's remaining quota.
    pub fn quota_limiter(&self) -> u32 {
        self.quota_limiter
    }

    /// `error`.
    pub fn error(&self) -> &FrError {
        &self.error
    }

    /// `error.errorCode` as a code, `None` if it is not one of WIRE.md's
    /// (only possible for an answer read from elsewhere).
    pub fn code(&self) -> Option<FrCode> {
        FrCode::from_number(self.error.error_code)
    }

    /// `nik`: the best candidate's, for a 1:N search that found someone.
    pub fn nik(&self) -> Option<&str> {
        self.nik.as_deref()
    }

    /// `candidates`: for a 1:N search only, best first.
    pub fn candidates(&self) -> Option<&[FrCandidate]> {
        self.candidates.as_deref()
    }
}

impl fmt::Debug for FrAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FrAnswer")
            .field("transaction_id", &self.transaction_id)
            .field("match_score", &self.match_score)
            .field("quota_limiter", &self.quota_limiter)
            .field("error", &self.error)
            .field("nik", &self.nik.as_ref().map(|_| "***"))
            .field("candidates", &self.candidates)
            .finish()
    }
}

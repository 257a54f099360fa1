//! Wire types of the compatible "get_json" web service (WIRE.md): the lenient
//! reading of request bodies that thousands of existing partner clients send,
//! and the Spring-Data-page-shaped answer envelope they expect back.
//!
//! This module protects two things. Partners must not need to change a byte:
//! key names are matched case-insensitively, numbers and strings are both
//! accepted, blanks mean "not supplied", and key order in answers is kept.
//! And population data must never reach logs: the `Debug` output of a request
//! or a row names keys only, and never the password.

use std::collections::HashMap;
use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

#[cfg(test)]
mod tests;

/// The compatible service's methods (path segment, matched case-insensitively).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompatMethod {
    /// `CALL_NIK`: the record for a NIK, limited to the partner's granted elements.
    CallNik,
    /// `CALL_VERIFY_BY_ELEMEN`: verification of submitted elements.
    VerifyByElements,
}

impl CompatMethod {
    /// `CALL_NIK`, `GET_NIK`, `BYNIK` → `CallNik`; `CALL_VERIFY_BY_ELEMEN`,
    /// `NIK_VERIFBY_ELEMEN`, `KONEKSITAS_VERIFBY_ELEMEN` → `VerifyByElements`;
    /// case-insensitive, surrounding whitespace ignored; anything else `None`.
    pub fn from_path(segment: &str) -> Option<Self> {
        let segment = segment.trim();
        let is = |names: &[&str]| names.iter().any(|name| segment.eq_ignore_ascii_case(name));
        if is(&["CALL_NIK", "GET_NIK", "BYNIK"]) {
            Some(Self::CallNik)
        } else if is(&["CALL_VERIFY_BY_ELEMEN", "NIK_VERIFBY_ELEMEN", "KONEKSITAS_VERIFBY_ELEMEN"]) {
            Some(Self::VerifyByElements)
        } else {
            None
        }
    }

    /// The canonical name (`CALL_NIK`, `CALL_VERIFY_BY_ELEMEN`).
    pub fn canonical_name(self) -> &'static str {
        match self {
            Self::CallNik => "CALL_NIK",
            Self::VerifyByElements => "CALL_VERIFY_BY_ELEMEN",
        }
    }
}

/// The similarity threshold as sent (`TRESHOLD`, sic; also accept
/// `THRESHOLD`), a string or a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Threshold {
    /// Not sent, `null`, or a blank string.
    #[default]
    Absent,
    /// An integer 0–100, sent as a number (`80`, `80.0`) or a string (`" 80 "`).
    Valid(u8),
    /// Anything else: out of range, fractional, not a number, or of another JSON type.
    Invalid,
}

impl Threshold {
    fn from_value(value: &Value) -> Self {
        let valid = |n: u64| u8::try_from(n).ok().filter(|n| *n <= 100).map_or(Self::Invalid, Self::Valid);
        match value {
            Value::Null => Self::Absent,
            Value::String(s) if s.trim().is_empty() => Self::Absent,
            Value::String(s) => s.trim().parse::<u64>().map_or(Self::Invalid, valid),
            Value::Number(n) => integral(n).and_then(|i| u64::try_from(i).ok()).map_or(Self::Invalid, valid),
            _ => Self::Invalid,
        }
    }
}

/// A request body of the compatible service, read leniently.
///
/// Keys are trimmed and upper-cased before anything else; when the same key
/// arrives twice (in any letter case) the last value wins. When two aliases of
/// one credential are both sent (`IP_USER` and `ip_address`), the one whose key
/// was first seen later wins.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct CompatRequest {
    /// `USER_ID` / `user_id` (any case), trimmed; `None` when absent, null or blank.
    pub user_id: Option<String>,
    /// `PASSWORD` / `password` (any case), exactly as sent (not trimmed: spaces
    /// may be part of a password); `None` when absent, null or blank. Never
    /// shown by `Debug`.
    pub password: Option<String>,
    /// The IP the client claims: `IP_USER`, `ip_user`, `ip_address`,
    /// `ip_users` (any case), trimmed; `None` when absent or blank.
    /// Informational only: the allow-list checks the connection's address.
    pub claimed_ip: Option<String>,
    /// `TRESHOLD` (sic) or `THRESHOLD`.
    pub threshold: Threshold,
    /// Every other key, upper-cased, in first-seen order, with its value as
    /// text: strings trimmed, JSON integers as their exact digits (an integral
    /// float like `5.0` as `5`). Blank strings and `null` are left out: WIRE.md
    /// says a blank means "not supplied". Unknown keys are kept; the caller
    /// ignores them. `Debug` shows the keys only.
    pub fields: Vec<(String, String)>,
    /// Upper-cased keys whose value had an unusable JSON type: a boolean,
    /// array, object, a non-integral float, or a float too large to hold an
    /// integer exactly. Credential keys are reported here too (and read as `None`).
    pub malformed: Vec<String>,
}

impl CompatRequest {
    /// The text of a field by its upper-case key.
    pub fn field(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn from_entries(entries: Vec<(String, Value)>) -> Self {
        // A body carries a handful of keys, found faster by a look along the
        // list than by hashing; a map from key to position keeps a body with
        // many keys linear.
        let mut position: Option<HashMap<String, usize>> =
            (entries.len() > FEW_KEYS).then(|| HashMap::with_capacity(entries.len()));
        let mut unique: Vec<(String, Value)> = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let key = canonical_key(key);
            let seen = match &position {
                Some(position) => position.get(&key).copied(),
                None => unique.iter().position(|(earlier, _)| *earlier == key),
            };
            if let Some(slot) = seen.and_then(|at| unique.get_mut(at)) {
                slot.1 = value;
            } else {
                if let Some(position) = &mut position {
                    position.insert(key.clone(), unique.len());
                }
                unique.push((key, value));
            }
        }
        let mut request = Self::default();
        for (key, value) in unique {
            match key.as_str() {
                "TRESHOLD" | "THRESHOLD" => request.threshold = Threshold::from_value(&value),
                "USER_ID" => request.user_id = request.credential(key, value, true),
                "PASSWORD" => request.password = request.credential(key, value, false),
                "IP_USER" | "IP_USERS" | "IP_ADDRESS" => request.claimed_ip = request.credential(key, value, true),
                _ => match text(value, true) {
                    Ok(Some(text)) => request.fields.push((key, text)),
                    Ok(None) => {}
                    Err(Unusable) => request.malformed.push(key),
                },
            }
        }
        request
    }

    /// A credential's text; an unusable type is reported in `malformed` and reads as `None`.
    fn credential(&mut self, key: String, value: Value, trim: bool) -> Option<String> {
        text(value, trim).unwrap_or_else(|Unusable| {
            self.malformed.push(key);
            None
        })
    }
}

impl fmt::Debug for CompatRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompatRequest")
            .field("user_id", &self.user_id)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("claimed_ip", &self.claimed_ip)
            .field("threshold", &self.threshold)
            .field("fields", &Keys(&self.fields))
            .field("malformed", &self.malformed)
            .finish()
    }
}

/// Bodies with at most this many keys are de-duplicated without a map.
const FEW_KEYS: usize = 16;

/// A key as the service matches it: trimmed and upper case (kept as it came
/// when it already is, as partner clients usually send it).
fn canonical_key(key: String) -> String {
    let canonical = key.trim().len() == key.len() && !key.chars().any(char::is_lowercase) && key.is_ascii();
    if canonical { key } else { key.trim().to_uppercase() }
}

/// Prints the keys of key/value pairs, never the values.
struct Keys<'a, V>(&'a [(String, V)]);

impl<V> fmt::Debug for Keys<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter().map(|(key, _)| key)).finish()
    }
}

/// A value of a JSON type that cannot be read as text.
pub(crate) struct Unusable;

/// A value as text: `Ok(None)` for null and blanks; strings trimmed when `trim`.
pub(crate) fn text(value: Value, trim: bool) -> Result<Option<String>, Unusable> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) if trim && s.trim().len() != s.len() => Ok(Some(s.trim().to_owned())),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => integral(&n).map(|i| Some(i.to_string())).ok_or(Unusable),
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => Err(Unusable),
    }
}

/// A JSON number as an exact integer. serde_json keeps integers exact; a
/// float counts only with a zero fraction and within ±2^53, beyond which a
/// float cannot hold every integer and the digits of a NIK could be wrong.
fn integral(n: &Number) -> Option<i128> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    let f = n.as_f64()?;
    // The cast is exact: `f` is integral and within ±2^53.
    (f.fract() == 0.0 && f.abs() <= EXACT).then_some(f as i128)
}

/// Why a body cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// The body is not JSON (or not UTF-8, or empty).
    NotJson,
    /// The body is JSON but neither an object nor a one-element array holding one.
    NotAnObject,
}

impl BodyError {
    /// Stable machine code: `body.not_json`, `body.not_an_object`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotJson => "body.not_json",
            Self::NotAnObject => "body.not_an_object",
        }
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotJson => "Isi permintaan bukan JSON yang sah",
            Self::NotAnObject => "Isi permintaan harus berupa objek JSON",
        })
    }
}

impl std::error::Error for BodyError {}

/// Reads a body. Accepts a UTF-8 BOM, surrounding whitespace, and a body that
/// is a one-element JSON array holding the object (some clients wrap it).
/// Does not look at Content-Type: real clients send
/// `application/json,Accept: application/json`, so the caller reads every body as JSON.
pub fn parse_request(body: &[u8]) -> Result<CompatRequest, BodyError> {
    read_object(body).map(CompatRequest::from_entries)
}

/// A body's object entries in document order, duplicates included, read as
/// leniently as [`parse_request`] describes; shared with the face
/// recognition service, whose clients are the same.
pub(crate) fn read_object(body: &[u8]) -> Result<Vec<(String, Value)>, BodyError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body).trim_ascii();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let entries = ObjectSeed { unwrap_array: true }.deserialize(&mut deserializer).map_err(|_| BodyError::NotJson)?;
    deserializer.end().map_err(|_| BodyError::NotJson)?;
    entries.ok_or(BodyError::NotAnObject)
}

macro_rules! scalars_are_not_objects {
    ($($visit:ident: $ty:ty),*) => {$(
        fn $visit<E: de::Error>(self, _: $ty) -> Result<Self::Value, E> {
            Ok(None)
        }
    )*};
}

/// Reads any JSON value, yielding an object's entries in document order
/// (duplicates included) and `None` for anything that is not an object.
/// serde_json's own `Map` is sorted unless `preserve_order` is on, which this
/// workspace does not enable.
struct ObjectSeed {
    /// Also accept a one-element array holding an object (one level only).
    unwrap_array: bool,
}

type Entries = Vec<(String, Value)>;

impl<'de> DeserializeSeed<'de> for ObjectSeed {
    type Value = Option<Entries>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed {
    type Value = Option<Entries>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(Some(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let first =
            if self.unwrap_array { seq.next_element_seed(ObjectSeed { unwrap_array: false })?.flatten() } else { None };
        let mut more = false;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            more = true;
        }
        Ok(if more { None } else { first })
    }

    // A scalar is not an object.
    scalars_are_not_objects!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64, visit_str: &str);

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// Lenient base64: standard alphabet, padding optional.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// `Authorization: Basic base64(user:password)` → `(user, password)`, split at
/// the first colon, neither trimmed (an empty user is returned as such; the
/// caller treats it as missing). `None` for any other scheme, bad base64, no
/// colon, or non-UTF-8. The scheme name is case-insensitive.
pub fn basic_credentials(header_value: &str) -> Option<(String, String)> {
    let (scheme, encoded) = header_value.trim().split_once(|c: char| c.is_ascii_whitespace())?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(BASE64.decode(encoded.trim()).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// An ordered JSON object row: serialized as a JSON object with its keys in
/// the order given (clients and tests compare answers byte for byte), and
/// deserialized keeping the document's order. `Debug` shows the keys only,
/// since a row holds population data.
#[derive(Clone, PartialEq, Default)]
pub struct Row(pub Vec<(String, Value)>);

impl Row {
    /// The value under `key` (exact case; the first one if repeated).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl fmt::Debug for Row {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Row").field(&Keys(&self.0)).finish()
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = ObjectSeed { unwrap_array: false }.deserialize(deserializer)?;
        entries.map(Row).ok_or_else(|| de::Error::custom("expected a JSON object"))
    }
}

/// The answer envelope of WIRE.md ("Responses"), shaped like a Spring Data
/// page; clients read only `content[0]`. Serializes with its keys in field
/// order: `content, lastPage, numberOfElements, sort, totalElements,
/// firstPage, number, size, quotaLimiter`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope {
    /// The answer rows; always exactly one from [`envelope`].
    pub content: Vec<Row>,
    /// Always `true`.
    pub last_page: bool,
    /// Always 1.
    pub number_of_elements: u32,
    /// Always `null`.
    pub sort: Option<Value>,
    /// Always 1.
    pub total_elements: u32,
    /// Always `true`.
    pub first_page: bool,
    /// Always 0.
    pub number: u32,
    /// Always 1.
    pub size: u32,
    /// The caller's remaining quota.
    pub quota_limiter: u32,
}

impl Envelope {
    /// The row clients read, `content[0]`.
    pub fn row(&self) -> Option<&Row> {
        self.content.first()
    }
}

/// Wraps one row in the answer envelope, with the caller's remaining quota.
pub fn envelope(row: Row, quota_limiter: u32) -> Envelope {
    Envelope {
        content: vec![row],
        last_page: true,
        number_of_elements: 1,
        sort: None,
        total_elements: 1,
        first_page: true,
        number: 0,
        size: 1,
        quota_limiter,
    }
}

/// The WIRE.md error codes with their messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseCode {
    /// 03: login failed.
    LoginFailed,
    /// 04: the IP does not match the user.
    IpMismatch,
    /// 05: the daily quota is used up.
    QuotaExhausted,
    /// 06: outside the permitted access hours.
    OutsideHours,
    /// 07: incomplete or invalid parameters.
    InvalidParameters,
    /// 08: the NIK cannot be processed.
    NikUnprocessable,
    /// 09: user, password or IP empty.
    CredentialsMissing,
    /// 10: the client IP is not registered.
    IpNotRegistered,
    /// 11: found, deceased.
    Deceased,
    /// 12: found, duplicate record.
    Duplicate,
    /// 13: the NIK is not in the register.
    NotFound,
    /// 14: found, inactive.
    Inactive,
    /// 15: the NIK is malformed.
    NikMalformed,
    /// 16: the institution is inactive.
    InstitutionInactive,
    /// 17: the user ID is inactive.
    UserInactive,
}

impl ResponseCode {
    /// The two-digit code sent as `RESPONSE_CODE` (`"03"` …).
    pub fn code(self) -> &'static str {
        self.entry().0
    }

    /// The message of WIRE.md's table, exactly.
    pub fn message(self) -> &'static str {
        self.entry().1
    }

    fn entry(self) -> (&'static str, &'static str) {
        match self {
            Self::LoginFailed => ("03", "Login Gagal"),
            Self::IpMismatch => ("04", "IP Address Tidak Sesuai"),
            Self::QuotaExhausted => ("05", "Kuota Akses Hari Ini Telah Habis"),
            Self::OutsideHours => ("06", "Waktu Akses Tidak Sesuai"),
            Self::InvalidParameters => ("07", "Parameter Tidak Lengkap / Tidak Valid"),
            Self::NikUnprocessable => ("08", "NIK Tidak Dapat Diproses"),
            Self::CredentialsMissing => ("09", "User, password dan IP tidak boleh kosong"),
            Self::IpNotRegistered => ("10", "IP Client Tidak terdaftar"),
            Self::Deceased => ("11", "Data Ditemukan, Meninggal Dunia"),
            Self::Duplicate => ("12", "Data Ditemukan, Data Ganda"),
            Self::NotFound => ("13", "Data Tidak Ditemukan, NIK tidak terdapat di database Kependudukan"),
            Self::Inactive => ("14", "Data Ditemukan, Status Non Aktif silahkan hubungi Dinas Dukcapil"),
            Self::NikMalformed => ("15", "Data Tidak Ditemukan, NIK tidak sesuai format Dukcapil"),
            Self::InstitutionInactive => ("16", "Instansi Tidak Aktif"),
            Self::UserInactive => ("17", "User ID Tidak Aktif"),
        }
    }
}

/// An error row: `{"RESPONSE_CODE": "NN", "RESPON": message, "RESPONSE":
/// message}` in that order (clients read either message key). The message is
/// given separately so the caller may use a more specific Bahasa Indonesia
/// text for the same code; [`ResponseCode::message`] is the default.
pub fn error_row(code: ResponseCode, message: &str) -> Row {
    Row(vec![
        ("RESPONSE_CODE".to_owned(), Value::from(code.code())),
        ("RESPON".to_owned(), Value::from(message)),
        ("RESPONSE".to_owned(), Value::from(message)),
    ])
}

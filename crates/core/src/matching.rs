//! How the verification service compares a submitted value with the stored
//! one (SPEC.md §4.1): free text (names, places, addresses) by a normalized
//! similarity score 0–100 that the caller holds against its threshold; coded
//! elements (dates, sex, codes, numbers) exactly after normalization.
//!
//! What this protects: a [`Verdict`] carries only a boolean or a score, and a
//! [`MatchError`] only the element, so nothing built here can leak the stored
//! value back to the caller.
//!
//! # Normalizing free text ([`normalize_text`])
//!
//! 1. Upper case.
//! 2. Split into tokens at white space and commas. Titles and honorifics are
//!    recognised on these raw tokens, before punctuation goes, by their
//!    letters and digits alone (`S.H.`, `S.H` and `SH` are all `SH`); a title
//!    written with spaces (`S. H.`, `K. H.`) is up to three short fragments
//!    of which at least one carries a dot.
//!    - Prefix titles are removed from the front only: religious, academic
//!      and courtesy titles such as `DR`, `DRS`, `IR`, `PROF`, `H`, `HJ`,
//!      `HAJI`, `KH`, `TGK`, `NY`, `SDR`, `BPK`, `IBU` ([`PREFIX_TITLES`]).
//!    - Degrees are removed from the end only: `SH`, `SE`, `SPD`, `MM`, `MH`,
//!      `PHD`, `AMD`, `APT`… ([`SUFFIX_TITLES`]).
//!
//!    Keeping each list to its own end is what keeps `M. H. THAMRIN` intact
//!    while `BUDI SANTOSO, S.H., M.H.` loses its degrees. A title is never
//!    removed when it is the last token left (`HAJI` alone stays `HAJI`).
//! 3. Apostrophes and backticks vanish (`MA'RUF` = `MARUF`, both spellings
//!    are common); every other character that is not a letter or digit
//!    becomes a space; white space collapses to single spaces.
//! 4. Old (pre-1972) spellings fold to the current ones, in this order:
//!    `TJ`→`C`, `DJ`→`J`, `SJ`→`SY`, `OE`→`U` (`SOEKARNO` = `SUKARNO`,
//!    `SJAFRUDDIN` = `SYAFRUDDIN`). `J`→`Y` and `CH`→`KH` are not folded:
//!    outside these pairs they are real, different spellings.
//!
//! # Similarity ([`similarity`])
//!
//! On the normalized token lists A and B (either empty → 0):
//!
//! - token similarity `t(x, y)` = 1 − OSA(x, y) / max(|x|, |y|) (optimal
//!   string alignment: one substitution, insertion, deletion or swap of
//!   neighbours costs 1); raised to at least 0.7 when the shorter token is a
//!   proper prefix of the longer (initials `M` ~ `MUHAMMAD`, abbreviations
//!   `ABD` ~ `ABDUL`);
//! - token score T: every pair is scored, then pairs are taken greedily from
//!   the best down (ties by position) while both tokens are free; a pair
//!   weighs the mean of its tokens' lengths, so
//!   `T = Σ t(x, y)·(|x| + |y|)/2 / ((ΣA + ΣB)/2)` with ΣA, ΣB the total token
//!   lengths: word order does not matter, and an unpaired token costs its
//!   length;
//! - whole-string score W: 1 − OSA / max length on the tokens joined without
//!   spaces, both in the given order and sorted, the better of the two (this
//!   catches split or joined words, `ABDUL RAHMAN` ~ `ABDURRAHMAN`);
//! - score = round(100 · max(T, W)), and 100 only when the normalized forms
//!   are equal (anything else is capped at 99).
//!
//! The inputs are put in a fixed order first, so the score is symmetric and
//! deterministic.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::element::{Comparison, Element, WireType};
use crate::resident::ElementValue;
use crate::vocab::{
    Agama, GolonganDarah, HubunganKeluarga, JenisKelamin, Pekerjaan, Pendidikan, StatusEktp, StatusKawin,
};

/// Titles written before a name, by their letters alone.
pub const PREFIX_TITLES: &[&str] = &[
    "BAPAK", "BPK", "DR", "DRA", "DRG", "DRH", "DRS", "H", "HAJAH", "HAJI", "HAJJAH", "HJ", "HJH", "IBU", "IR", "KH",
    "NN", "NY", "NYONYA", "PROF", "SDR", "SDRI", "TGK", "TUAN",
];

/// Degrees and professional titles written after a name, by their letters
/// alone.
pub const SUFFIX_TITLES: &[&str] = &[
    "AMD", "AMDKEB", "AMK", "AMKEB", "APT", "BSC", "MA", "MAG", "MBA", "MENG", "MH", "MKES", "MKN", "MKOM", "MM",
    "MPD", "MPDI", "MSC", "MSI", "MT", "NERS", "PHD", "SAG", "SE", "SFARM", "SH", "SHI", "SIKOM", "SIP", "SKED",
    "SKEP", "SKG", "SKM", "SKOM", "SP", "SPD", "SPDI", "SPSI", "SPT", "SS", "SSI", "SSOS", "SST", "SSTP", "ST", "STP",
];

/// The score an initial or abbreviation earns against the word it starts.
const PREFIX_TOKEN_SCORE: f64 = 0.7;

/// The result of comparing one submitted element value with the stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Exact comparison: whether it matches.
    Exact(bool),
    /// Similarity comparison: the score 0–100 (the caller applies the threshold).
    Score(u8),
}

/// Why a submitted value cannot be compared (the caller answers "parameter
/// tidak valid", WIRE.md code 07). Holds the element only, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    /// A date element whose value is not a real `dd-mm-yyyy` or `yyyy-mm-dd` date.
    #[error("{element}: tanggal tidak valid (gunakan dd-mm-yyyy)")]
    InvalidDate {
        /// The element submitted.
        element: Element,
    },
    /// A numeric element whose value is not all digits.
    #[error("{element}: nilai harus berupa angka")]
    InvalidNumber {
        /// The element submitted.
        element: Element,
    },
    /// An element that cannot be verified by value (the photo).
    #[error("{element}: elemen tidak dapat diverifikasi dengan nilai")]
    NotComparable {
        /// The element submitted.
        element: Element,
    },
}

impl MatchError {
    /// A stable code for logs, the audit trail and the v1 API.
    pub fn code(&self) -> &'static str {
        match self {
            MatchError::InvalidDate { .. } => "verify.invalid_date",
            MatchError::InvalidNumber { .. } => "verify.invalid_number",
            MatchError::NotComparable { .. } => "verify.not_comparable",
        }
    }
}

/// Normalizes a name or other free text for comparison: upper case, titles
/// and honorifics removed, punctuation to spaces, old spellings folded (the
/// rules are in the [module documentation](self)).
pub fn normalize_text(raw: &str) -> String {
    let upper = raw.to_uppercase();
    let mut tokens: Vec<&str> =
        upper.split(|c: char| c.is_whitespace() || c == ',').filter(|t| t.chars().any(char::is_alphanumeric)).collect();
    let mut spelled = String::new();
    while let Some(n) = title_at(&tokens, PREFIX_TITLES, true, &mut spelled) {
        tokens.drain(..n);
    }
    while let Some(n) = title_at(&tokens, SUFFIX_TITLES, false, &mut spelled) {
        tokens.truncate(tokens.len() - n);
    }
    fold_text(&tokens.join(" "))
}

/// Similarity 0–100 of two free-text values after [`normalize_text`]:
/// symmetric and deterministic, 100 exactly when the normalized forms are
/// equal, 0 when either is empty. The formula is in the
/// [module documentation](self).
pub fn similarity(a: &str, b: &str) -> u8 {
    let (a, b) = (normalize_text(a), normalize_text(b));
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    if a == b {
        return 100;
    }
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let tokens_a: Vec<&str> = a.split(' ').collect();
    let tokens_b: Vec<&str> = b.split(' ').collect();
    let score = token_score(&tokens_a, &tokens_b).max(whole_string_score(&tokens_a, &tokens_b));
    // Unequal forms are capped at 99 so that 100 means "the same"; the cast cannot overflow after the clamp.
    ((score * 100.0).round().clamp(0.0, 99.0)) as u8
}

/// Parses a date as sent on the wire: `dd-mm-yyyy` (most clients),
/// `yyyy-mm-dd`, also `dd/mm/yyyy` and `yyyy/mm/dd`. Surrounding white space
/// is ignored; day and month may have one digit; impossible dates
/// (`31-02-2000`) give `None`.
pub fn parse_wire_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    let separator = if raw.contains('-') { '-' } else { '/' };
    let parts: Vec<&str> = raw.split(separator).collect();
    let [first, month, last] = parts.as_slice() else {
        return None;
    };
    let number = |part: &str, widths: std::ops::RangeInclusive<usize>| {
        if widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse::<u32>().ok()
        } else {
            None
        }
    };
    let (year, day) = if first.len() == 4 { (first, last) } else { (last, first) };
    let year = i32::try_from(number(year, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month, 1..=2)?, number(day, 1..=2)?)
}

/// Compares `submitted` (raw text as the client sent it) for `element`
/// against the stored value.
///
/// - Similarity elements score [`similarity`]; a missing stored value scores 0.
/// - Number elements need all digits (leading zeros allowed: RT `005` = 5)
///   and compare numerically, else [`MatchError::InvalidNumber`].
/// - Date elements need [`parse_wire_date`], else [`MatchError::InvalidDate`].
/// - `JENIS_KLMIN` accepts `L`/`P`, `LAKI-LAKI`, `LAKI LAKI`, `LAKI2`,
///   `PRIA`, `PEREMPUAN`, `WANITA` and the codes `1`/`2`; the vocabulary
///   elements accept the label in any case and spacing or the SIAK code. A
///   value outside the vocabulary simply does not match.
/// - Other text (region names, certificate numbers) is equal after upper
///   case, punctuation to spaces and spelling folding — but no title removal,
///   which would turn a code `H 1234` into `1234`.
///
/// The submitted value is checked first, so an invalid one is an error even
/// when nothing is stored; a missing stored value never matches.
pub fn compare(element: Element, submitted: &str, stored: &ElementValue) -> Result<Verdict, MatchError> {
    let submitted = submitted.trim();
    match (element.comparison(), element.wire_type()) {
        (Comparison::None, _) | (_, WireType::Image) => Err(MatchError::NotComparable { element }),
        (Comparison::Similarity, _) => Ok(Verdict::Score(match stored {
            ElementValue::Missing => 0,
            stored => similarity(submitted, &display(stored)),
        })),
        (Comparison::Exact, WireType::Number) => {
            let wanted = parse_digits(submitted).ok_or(MatchError::InvalidNumber { element })?;
            Ok(Verdict::Exact(match stored {
                ElementValue::Number(n) => wanted == Some(*n),
                ElementValue::Text(t) => parse_digits(t).is_some_and(|n| n.is_some() && n == wanted),
                ElementValue::Date(_) | ElementValue::Missing => false,
            }))
        }
        (Comparison::Exact, WireType::Date) => {
            let wanted = parse_wire_date(submitted).ok_or(MatchError::InvalidDate { element })?;
            Ok(Verdict::Exact(match stored {
                ElementValue::Date(d) => wanted == *d,
                ElementValue::Text(t) => parse_wire_date(t) == Some(wanted),
                ElementValue::Number(_) | ElementValue::Missing => false,
            }))
        }
        (Comparison::Exact, WireType::Text) => Ok(Verdict::Exact(match stored {
            ElementValue::Missing => false,
            stored => exact_text(element, submitted, &display(stored)),
        })),
    }
}

/// A stored value as text, for the rare store that keeps a number or date
/// where text is expected.
fn display(value: &ElementValue) -> Cow<'_, str> {
    match value {
        ElementValue::Number(n) => Cow::Owned(n.to_string()),
        ElementValue::Text(t) => Cow::Borrowed(t),
        ElementValue::Date(d) => Cow::Owned(d.format("%d-%m-%Y").to_string()),
        ElementValue::Missing => Cow::Borrowed(""),
    }
}

/// All ASCII digits → `Some(value)`, or `Some(None)` when the value is too
/// large for any stored number (then it matches nothing); otherwise `None`.
fn parse_digits(text: &str) -> Option<Option<u64>> {
    let text = text.trim();
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse::<u64>().ok())
}

/// Exact comparison of a text element.
fn exact_text(element: Element, submitted: &str, stored: &str) -> bool {
    if element == Element::JenisKelamin {
        return matches!((sex(submitted), sex(stored)), (Some(a), Some(b)) if a == b);
    }
    match vocabulary(element) {
        Some(lookup) => {
            let resolve = |text: &str| lookup(text).map_or_else(|| label_key(text), label_key);
            resolve(submitted) == resolve(stored)
        }
        None => {
            let (a, b) = (fold_text(submitted), fold_text(stored));
            !a.is_empty() && a == b
        }
    }
}

/// The sex as partner clients write it.
fn sex(text: &str) -> Option<JenisKelamin> {
    match fold_punctuation(&text.to_uppercase()).as_str() {
        "LAKI2" => Some(JenisKelamin::LakiLaki),
        other => JenisKelamin::parse_lenient(other).ok(),
    }
}

/// A SIAK vocabulary, as the matcher needs it.
trait Term: Copy + 'static {
    const ALL: &'static [Self];
    fn label(self) -> &'static str;
    fn from_code(code: u8) -> Option<Self>;
}

macro_rules! terms {
    ($($ty:ident),+) => {$(
        impl Term for $ty {
            const ALL: &'static [Self] = $ty::ALL;
            fn label(self) -> &'static str { $ty::label(self) }
            fn from_code(code: u8) -> Option<Self> { $ty::from_code(code) }
        }
    )+};
}

terms!(Agama, StatusKawin, Pendidikan, Pekerjaan, HubunganKeluarga, GolonganDarah, StatusEktp);

/// The official label for a SIAK code or a label written in any case and
/// spacing (`tamat sd / sederajat`).
fn lookup<T: Term>(text: &str) -> Option<&'static str> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().and_then(T::from_code).map(T::label);
    }
    let key = label_key(text);
    T::ALL.iter().map(|term| term.label()).find(|label| label_key_chars(label).eq(key.chars()))
}

/// The label lookup for a vocabulary element (`JENIS_KLMIN` aside).
fn vocabulary(element: Element) -> Option<fn(&str) -> Option<&'static str>> {
    Some(match element {
        Element::Agama => lookup::<Agama>,
        Element::StatusKawin => lookup::<StatusKawin>,
        Element::PendidikanAkhir => lookup::<Pendidikan>,
        Element::JenisPekerjaan => lookup::<Pekerjaan>,
        Element::StatusHubunganKeluarga => lookup::<HubunganKeluarga>,
        Element::GolonganDarah => lookup::<GolonganDarah>,
        Element::StatusEktp => lookup::<StatusEktp>,
        _ => return None,
    })
}

/// Upper case without white space: punctuation stays, because `A+` and `A-`
/// are different blood types.
fn label_key(text: &str) -> String {
    label_key_chars(text).collect()
}

/// The characters of [`label_key`], without building the string.
fn label_key_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase)
}

/// The letters and digits of a token, for recognising titles.
fn compact(token: &str) -> impl Iterator<Item = char> + '_ {
    token.chars().filter(|c| c.is_alphanumeric())
}

/// How many tokens at the front (or back) of `tokens` spell a title from
/// `titles`, never all of them. Longer spellings (`S.` `H.`) are tried first.
/// `spelled` is scratch space for a run's letters, reused between calls.
fn title_at(tokens: &[&str], titles: &[&str], front: bool, spelled: &mut String) -> Option<usize> {
    // Titles are short: a run longer than the longest title cannot be one.
    const LONGEST_TITLE: usize = 8;
    (1..=3.min(tokens.len().saturating_sub(1))).rev().find(|&n| {
        let run = if front { &tokens[..n] } else { &tokens[tokens.len() - n..] };
        if run.iter().map(|t| t.len()).sum::<usize>() > LONGEST_TITLE + 2 * n {
            return false;
        }
        let spaced = n == 1 || (run.iter().any(|t| t.contains('.')) && run.iter().all(|t| compact(t).count() <= 4));
        if !spaced {
            return false;
        }
        spelled.clear();
        spelled.extend(run.iter().flat_map(|t| compact(t)));
        titles.contains(&spelled.as_str())
    })
}

/// Upper case, apostrophes dropped, other punctuation to spaces, white space
/// collapsed, old spellings folded.
fn fold_text(text: &str) -> String {
    let folded = fold_punctuation_chars(text.chars().flat_map(char::to_uppercase), text.len());
    // Most text has none of the old spellings: skip the rewrites. None of
    // them spans a space, so rewriting the whole text rewrites each token.
    // Every old spelling is two ASCII letters: a look at each pair of bytes
    // is cheaper than a substring search per spelling.
    let has_old_spelling =
        folded.as_bytes().windows(2).any(|pair| OLD_SPELLINGS.iter().any(|(old, _)| pair == old.as_bytes()));
    if has_old_spelling { OLD_SPELLINGS.iter().fold(folded, |text, (old, new)| text.replace(old, new)) } else { folded }
}

/// The old spellings and their current forms, in the order they are folded.
const OLD_SPELLINGS: [(&str, &str); 4] = [("TJ", "C"), ("DJ", "J"), ("SJ", "SY"), ("OE", "U")];

/// Apostrophes and backticks dropped, anything else not a letter or digit to
/// a space, white space collapsed and trimmed.
fn fold_punctuation(text: &str) -> String {
    fold_punctuation_chars(text.chars(), text.len())
}

/// [`fold_punctuation`] over characters, written in one pass.
fn fold_punctuation_chars(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut folded = String::with_capacity(capacity);
    let mut gap = false;
    for c in chars {
        if matches!(c, '\'' | '`' | '\u{2019}' | '\u{2018}') {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !folded.is_empty() {
                folded.push(' ');
            }
            gap = false;
            folded.push(c);
        } else {
            gap = true;
        }
    }
    folded
}

/// 1 − OSA distance / longer length, by characters.
fn edit_similarity(a: &str, b: &str) -> f64 {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return 1.0;
    }
    1.0 - rapidfuzz::distance::osa::distance(a.chars(), b.chars()) as f64 / longest as f64
}

/// Token similarity: edit similarity, raised for initials and abbreviations.
fn token_similarity(a: &str, b: &str) -> f64 {
    let (short, long) = if a.chars().count() <= b.chars().count() { (a, b) } else { (b, a) };
    let edit = edit_similarity(a, b);
    if short != long && long.starts_with(short) { edit.max(PREFIX_TOKEN_SCORE) } else { edit }
}

/// T: greedy best pairing of tokens, weighted by length; unpaired tokens
/// count against it.
fn token_score(a: &[&str], b: &[&str]) -> f64 {
    let len = |t: &&str| t.chars().count() as f64;
    let mut pairs: Vec<(f64, usize, usize)> = a
        .iter()
        .enumerate()
        .flat_map(|(i, x)| b.iter().enumerate().map(move |(j, y)| (token_similarity(x, y), i, j)))
        .collect();
    pairs.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let (mut used_a, mut used_b) = (vec![false; a.len()], vec![false; b.len()]);
    let mut matched = 0.0;
    for (score, i, j) in pairs {
        if !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            matched += score * (len(&a[i]) + len(&b[j])) / 2.0;
        }
    }
    let total = (a.iter().map(len).sum::<f64>() + b.iter().map(len).sum::<f64>()) / 2.0;
    if total == 0.0 { 0.0 } else { matched / total }
}

/// W: edit similarity of the space-free strings, as given and sorted.
fn whole_string_score(a: &[&str], b: &[&str]) -> f64 {
    let sorted = |tokens: &[&str]| {
        let mut tokens = tokens.to_vec();
        tokens.sort_unstable();
        tokens.concat()
    };
    edit_similarity(&a.concat(), &b.concat()).max(edit_similarity(&sorted(a), &sorted(b)))
}

#[cfg(test)]
mod tests;

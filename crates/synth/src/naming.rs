//! Full names by naming culture: given names with an optional second word,
//! Batak marga with "BR" for daughters, family names passed from father to
//! child, Balinese birth-order names and the Bugis "ANDI" of noble families.

use gerbang_core::vocab::JenisKelamin;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use crate::names::{self, BALINESE_BIRTH_ORDER, BALINESE_BIRTH_ORDER_ALT, BUGIS_NOBLE_PREFIX, Culture, SurnameRule};

/// What a person inherits for their name from their father's line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lineage {
    /// The naming culture.
    pub culture: Culture,
    /// The family name / marga / fam, for cultures that have one.
    pub surname: Option<&'static str>,
    /// A Bugis noble line: names start with ANDI.
    pub noble: bool,
}

impl Lineage {
    /// A new, unrelated line of `culture`.
    pub fn new(rng: &mut ChaCha8Rng, culture: Culture) -> Self {
        let pool = names::pool(culture);
        let surname = match pool.surname_rule {
            SurnameRule::None => None,
            _ => pool.surnames.choose(rng).copied(),
        };
        let noble = culture == Culture::Bugis && rng.random_bool(0.12);
        Lineage { culture, surname, noble }
    }
}

fn pick(rng: &mut ChaCha8Rng, list: &'static [&'static str]) -> &'static str {
    list.choose(rng).copied().unwrap_or("BUDI")
}

/// A full name as printed on a KTP-el. `birth_order` (0-based) chooses the
/// Balinese order name; `None` picks one at random.
pub(crate) fn full_name(
    rng: &mut ChaCha8Rng,
    lineage: Lineage,
    sex: JenisKelamin,
    birth_order: Option<usize>,
) -> String {
    let pool = names::pool(lineage.culture);
    let female = sex == JenisKelamin::Perempuan;
    let mut words: Vec<&str> = Vec::with_capacity(5);
    if lineage.culture == Culture::Balinese {
        words.push(if female { "NI" } else { "I" });
        let order = birth_order.unwrap_or_else(|| rng.random_range(0..4)) % 4;
        let set = if rng.random_bool(0.35) { &BALINESE_BIRTH_ORDER_ALT } else { &BALINESE_BIRTH_ORDER };
        words.push(set[order]);
    }
    if lineage.noble {
        words.push(BUGIS_NOBLE_PREFIX);
    }
    words.push(pick(rng, if female { pool.female_given } else { pool.male_given }));
    if rng.random_range(0..100) < u32::from(pool.second_word_percent) {
        let second = pick(rng, if female { pool.female_second } else { pool.male_second });
        if !words.contains(&second) {
            words.push(second);
        }
    }
    if let Some(surname) = lineage.surname {
        if pool.surname_rule == SurnameRule::PatrilinealBoru && female {
            words.push("BR");
        }
        words.push(surname);
    }
    words.join(" ")
}

//! Attributes that follow from age, sex, birth cohort and place: education,
//! occupation, blood type, KTP-el status and civil-registry certificate
//! numbers. The weights are plausible, not census-exact: enough that a
//! five-year-old is never a PNS and a grandmother is rarely a student.

use chrono::{Datelike, NaiveDate};
use gerbang_core::vocab::{GolonganDarah, JenisKelamin, Pekerjaan, Pendidikan, StatusEktp};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Picks an item by integer weight.
pub(crate) fn weighted<T: Copy, W: Copy + Into<u32>>(rng: &mut ChaCha8Rng, items: &[(T, W)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| (*w).into()).sum();
    if total == 0 {
        return None;
    }
    let mut point = rng.random_range(0..total);
    for (item, weight) in items {
        let weight: u32 = (*weight).into();
        if point < weight {
            return Some(*item);
        }
        point -= weight;
    }
    None
}

/// Who a person is, for the attribute choices.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Profile {
    pub age: u32,
    pub sex: JenisKelamin,
    pub birth_year: i32,
    pub urban: bool,
    /// Coastal and island provinces, where fishing is common.
    pub coastal: bool,
}

/// Last education, by age and cohort; towns shift it upward.
pub(crate) fn education(rng: &mut ChaCha8Rng, p: Profile) -> Pendidikan {
    use Pendidikan::*;
    match p.age {
        0..=5 => return TidakBelumSekolah,
        6..=12 => {
            return if p.age == 6 && rng.random_bool(0.5) { TidakBelumSekolah } else { BelumTamatSd };
        }
        13..=15 => return TamatSd,
        16..=18 => return if rng.random_bool(0.9) { Sltp } else { TamatSd },
        _ => {}
    }
    let table: &[(Pendidikan, u32)] = if p.birth_year >= 1985 {
        &[(TamatSd, 12), (Sltp, 20), (Slta, 42), (Diploma1, 3), (Diploma3, 6), (Strata1, 15), (Strata2, 2)]
    } else if p.birth_year >= 1960 {
        &[
            (TidakBelumSekolah, 3),
            (BelumTamatSd, 7),
            (TamatSd, 30),
            (Sltp, 18),
            (Slta, 28),
            (Diploma3, 4),
            (Strata1, 9),
            (Strata2, 1),
        ]
    } else {
        &[
            (TidakBelumSekolah, 15),
            (BelumTamatSd, 22),
            (TamatSd, 35),
            (Sltp, 12),
            (Slta, 11),
            (Strata1, 4),
            (Strata2, 1),
        ]
    };
    let mut chosen = weighted(rng, table).unwrap_or(TamatSd);
    if p.urban && rng.random_bool(0.35) {
        chosen = Pendidikan::from_code((chosen.code() + 1).min(Strata2.code())).unwrap_or(chosen);
    }
    if chosen >= Strata1 && p.age < 22 {
        chosen = Slta;
    }
    if chosen == Strata2 && rng.random_bool(0.03) && p.age >= 35 {
        chosen = Strata3;
    }
    chosen
}

/// Occupation, by age, sex, education and place.
pub(crate) fn occupation(rng: &mut ChaCha8Rng, p: Profile, education: Pendidikan) -> Pekerjaan {
    use Pekerjaan::*;
    if p.age < 5 {
        return BelumTidakBekerja;
    }
    if p.age <= 18 {
        return if p.age >= 16 && rng.random_bool(0.12) { BelumTidakBekerja } else { PelajarMahasiswa };
    }
    if p.age <= 23 && education >= Pendidikan::Slta && rng.random_bool(0.45) {
        return PelajarMahasiswa;
    }
    if p.age >= 62 {
        let table: &[(Pekerjaan, u32)] = if education >= Pendidikan::Slta {
            &[(Pensiunan, 45), (Wiraswasta, 15), (BelumTidakBekerja, 25), (MengurusRumahTangga, 15)]
        } else {
            &[(PetaniPekebun, 35), (BelumTidakBekerja, 35), (MengurusRumahTangga, 20), (Pedagang, 10)]
        };
        return weighted(rng, table).unwrap_or(BelumTidakBekerja);
    }
    if p.sex == JenisKelamin::Perempuan && rng.random_bool(0.38) {
        return MengurusRumahTangga;
    }
    let farming = if p.urban { 2 } else { 30 };
    let fishing = if p.coastal { 10 } else { 2 };
    let table: Vec<(Pekerjaan, u32)> = if education >= Pendidikan::Strata1 {
        let mut t = vec![
            (PegawaiNegeriSipil, 22),
            (Guru, 14),
            (KaryawanSwasta, 25),
            (Wiraswasta, 12),
            (KaryawanBumn, 6),
            (Dokter, 2),
            (Bidan, 2),
            (Perawat, 3),
            (Akuntan, 1),
            (Pengacara, 1),
            (Konsultan, 1),
            (Arsitek, 1),
            (KaryawanHonorer, 5),
            (Apoteker, 1),
            (Peneliti, 1),
        ];
        if education >= Pendidikan::Strata2 {
            t.push((Dosen, 12));
        }
        t
    } else if education >= Pendidikan::Slta {
        vec![
            (KaryawanSwasta, 30),
            (Wiraswasta, 22),
            (Pedagang, 8),
            (Sopir, 5),
            (BuruhHarianLepas, 8),
            (TentaraNasionalIndonesia, 2),
            (KepolisianRi, 2),
            (PegawaiNegeriSipil, 4),
            (KaryawanHonorer, 4),
            (Mekanik, 2),
            (PetaniPekebun, farming / 2),
            (NelayanPerikanan, fishing / 2),
            (Transportasi, 2),
            (PerangkatDesa, if p.urban { 0 } else { 2 }),
            (PenataRambut, 1),
            (TukangListrik, 1),
        ]
    } else {
        vec![
            (PetaniPekebun, farming),
            (BuruhTaniPerkebunan, farming / 2),
            (BuruhHarianLepas, 20),
            (Wiraswasta, 10),
            (Pedagang, 8),
            (TukangBatu, 4),
            (TukangKayu, 3),
            (NelayanPerikanan, fishing),
            (BuruhNelayanPerikanan, fishing / 2),
            (Peternak, 2),
            (Sopir, 3),
            (PembantuRumahTangga, 2),
            (TukangJahit, 1),
            (KaryawanSwasta, 6),
            (BelumTidakBekerja, 5),
        ]
    };
    weighted(rng, &table).unwrap_or(Wiraswasta)
}

/// Blood type; many cards say TIDAK TAHU.
pub(crate) fn blood_type(rng: &mut ChaCha8Rng) -> GolonganDarah {
    use GolonganDarah::*;
    weighted(rng, &[(TidakTahu, 45_u32), (O, 21), (B, 16), (A, 12), (Ab, 4), (OPlus, 1), (BPlus, 1)])
        .unwrap_or(TidakTahu)
}

/// KTP-el status: only residents of 17 and over are recorded.
pub(crate) fn ektp_status(rng: &mut ChaCha8Rng, age: u32) -> StatusEktp {
    use StatusEktp::*;
    if age < 17 {
        return BelumRekam;
    }
    weighted(rng, &[(SudahCetak, 92_u32), (SudahRekam, 5), (BelumRekam, 3)]).unwrap_or(SudahCetak)
}

/// A civil-registry certificate number, e.g. `3313-LT-12052010-0042`
/// (regency, kind, event date, serial).
pub(crate) fn certificate(rng: &mut ChaCha8Rng, regency: u64, kind: &str, date: NaiveDate) -> String {
    format!(
        "{regency:04}-{kind}-{:02}{:02}{:04}-{:04}",
        date.day(),
        date.month(),
        date.year(),
        rng.random_range(1..10_000)
    )
}

/// Whether a person born in `birth_year` has a birth certificate: nearly all
/// children do, fewer of their grandparents.
pub(crate) fn has_birth_certificate(rng: &mut ChaCha8Rng, age: u32) -> bool {
    let share = match age {
        0..=17 => 0.93,
        18..=40 => 0.72,
        _ => 0.3,
    };
    rng.random_bool(share)
}

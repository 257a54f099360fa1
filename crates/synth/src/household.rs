//! Households of one district: who lives together, how old they are, how
//! they are named and numbered. Everything a family card implies holds by
//! construction: one KEPALA KELUARGA, one NO_KK and one address for all
//! members, children's father and mother fields pointing at the parents
//! present (names and NIKs), parents present named exactly as their
//! children's records say, every NIK encoding its holder's district, birth
//! date and sex, unique within the district.

use std::collections::HashMap;

use chrono::{Days, Months, NaiveDate};
use gerbang_core::region::{Region, place_name};
use gerbang_core::resident::{Address, Family, LifeStatus, Resident, age_on};
use gerbang_core::vocab::{Agama, HubunganKeluarga as Role, JenisKelamin, StatusKawin};
use gerbang_core::{Nik, NoKk, Regions};
use gerbang_store::Household;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use crate::attributes::{self, Profile, weighted};
use crate::names::{self, Culture};
use crate::naming::{Lineage, full_name};
use crate::{Plan, stream};

/// Provinces with long coasts and many islands, where fishing is common.
const COASTAL_PROVINCES: &[u64] = &[19, 21, 52, 53, 64, 65, 71, 72, 73, 74, 75, 76, 81, 82, 92, 96];

/// The shape of a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Single,
    Couple,
    Nuclear,
    SingleParent,
    ThreeGenerations,
    Extended,
}

/// Generates the households of one district from its own random stream.
pub struct DistrictGenerator<'r> {
    as_of: NaiveDate,
    district: u64,
    regions: &'r Regions,
    rng: ChaCha8Rng,
    villages: &'r [Region],
    regency: u64,
    province: u64,
    urban: bool,
    coastal: bool,
    home_place: &'static str,
    /// Serials used, by the first twelve digits of the NIK.
    nik_serials: HashMap<u64, u16>,
    /// Serials used, by the first twelve digits of the NO_KK.
    kk_serials: HashMap<u64, u16>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

impl<'r> DistrictGenerator<'r> {
    /// A generator for `district` (six-digit code) under `plan`.
    pub fn new(plan: &Plan, district: u64, regions: &'r Regions) -> Self {
        let regency = district / 100;
        let province = district / 10_000;
        let regency_name = regions.regency(regency).map_or("", |r| r.name);
        DistrictGenerator {
            as_of: plan.as_of,
            district,
            regions,
            rng: stream(plan.seed, district),
            villages: regions.villages_of(district),
            regency,
            province,
            urban: regency_name.starts_with("KOTA"),
            coastal: COASTAL_PROVINCES.contains(&province),
            home_place: place_name(regency_name),
            nik_serials: HashMap::new(),
            kk_serials: HashMap::new(),
        }
    }

    /// Households holding exactly `residents` people.
    pub fn generate(mut self, residents: u64) -> Vec<Household> {
        let mut households = Vec::with_capacity((residents / 3 + 1) as usize);
        let mut room = residents;
        while room > 0 {
            let household = self.household(room);
            room = room.saturating_sub(household.members.len() as u64);
            households.push(household);
        }
        households
    }

    fn culture(&mut self) -> Culture {
        weighted(&mut self.rng, names::province_mix(self.province as u8)).unwrap_or(Culture::Malay)
    }

    /// A birth date for someone `age` years old on the reference date.
    fn born_aged(&mut self, age: u32) -> NaiveDate {
        let latest = self.as_of.checked_sub_months(Months::new(age * 12)).unwrap_or(self.as_of);
        latest.checked_sub_days(Days::new(self.rng.random_range(0..365))).unwrap_or(latest)
    }

    fn days_after(&mut self, start: NaiveDate, low: u64, high: u64) -> NaiveDate {
        let date = start.checked_add_days(Days::new(self.rng.random_range(low..=high.max(low)))).unwrap_or(start);
        date.min(self.as_of)
    }

    /// A NIK for this birth date and sex; when a day's 9,999 serials are
    /// used up the birth date moves a day earlier (and is returned).
    fn nik(&mut self, mut born: NaiveDate, sex: JenisKelamin) -> (Nik, NaiveDate) {
        let district = self.district as u32;
        loop {
            let make = |serial| Nik::from_parts(district, born, sex, serial).ok();
            if let Some(serial) = make(1).and_then(|first| next_serial(&mut self.nik_serials, first.value()))
                && let Some(nik) = make(serial)
            {
                return (nik, born);
            }
            born = born.pred_opt().unwrap_or(born);
        }
    }

    /// A NO_KK issued on this day; a day without free serials moves the
    /// issue a day earlier.
    fn no_kk(&mut self, mut issued: NaiveDate) -> NoKk {
        let district = self.district as u32;
        loop {
            let make = |serial| NoKk::from_parts(district, issued, serial).ok();
            if let Some(serial) = make(1).and_then(|first| next_serial(&mut self.kk_serials, first.value()))
                && let Some(no_kk) = make(serial)
            {
                return no_kk;
            }
            issued = issued.pred_opt().unwrap_or(issued);
        }
    }

    fn birth_place(&mut self, roll_home: f64) -> String {
        if self.rng.random_bool(roll_home) {
            return self.home_place.to_owned();
        }
        let pool =
            if self.rng.random_bool(0.7) { self.regions.regencies_of(self.province) } else { self.regions.regencies() };
        pool.choose(&mut self.rng).map_or(self.home_place, |r| place_name(r.name)).to_owned()
    }

    /// A person with everything that follows from who they are; parents'
    /// fields are filled by the caller.
    #[allow(clippy::too_many_arguments)] // each argument is one independent fact about the person
    fn person(
        &mut self,
        no_kk: NoKk,
        lineage: Lineage,
        sex: JenisKelamin,
        born: NaiveDate,
        role: Role,
        order: Option<usize>,
        religion: Agama,
    ) -> Resident {
        let (nik, birth_date) = self.nik(born, sex);
        let age = age_on(birth_date, self.as_of);
        let profile = Profile {
            age,
            sex,
            birth_year: chrono::Datelike::year(&birth_date),
            urban: self.urban,
            coastal: self.coastal,
        };
        let education = attributes::education(&mut self.rng, profile);
        let occupation = attributes::occupation(&mut self.rng, profile, education);
        let home = if role == Role::Anak || role == Role::Cucu { 0.92 } else { 0.7 };
        let birth_place = self.birth_place(home);
        let birth_certificate = attributes::has_birth_certificate(&mut self.rng, age)
            .then(|| attributes::certificate(&mut self.rng, self.regency, "LT", birth_date));
        Resident {
            nik,
            no_kk,
            full_name: full_name(&mut self.rng, lineage, sex, order),
            sex,
            birth_place,
            birth_date,
            birth_certificate,
            blood_type: attributes::blood_type(&mut self.rng),
            religion,
            marital_status: StatusKawin::BelumKawin,
            married_on: None,
            marriage_certificate: None,
            divorced_on: None,
            divorce_certificate: None,
            education,
            occupation,
            relationship: role,
            father_nik: None,
            father_name: String::new(),
            mother_nik: None,
            mother_name: String::new(),
            ektp_status: attributes::ektp_status(&mut self.rng, age),
            life: LifeStatus::ALIVE,
        }
    }

    fn parents_outside(&mut self, person: &mut Resident, father_line: Lineage) {
        let mother_culture = if self.rng.random_bool(0.85) { father_line.culture } else { self.culture() };
        let mother_line = Lineage::new(&mut self.rng, mother_culture);
        person.father_name = full_name(&mut self.rng, father_line, JenisKelamin::LakiLaki, None);
        person.mother_name = full_name(&mut self.rng, mother_line, JenisKelamin::Perempuan, None);
    }

    fn marry(&mut self, husband: &mut Resident, wife: &mut Resident, on: NaiveDate) {
        let certificate = (wife.religion != Agama::Islam && self.rng.random_bool(0.85))
            .then(|| attributes::certificate(&mut self.rng, self.regency, "KW", on));
        for spouse in [husband, wife] {
            spouse.marital_status = StatusKawin::Kawin;
            spouse.married_on = Some(on);
            spouse.marriage_certificate.clone_from(&certificate);
        }
    }

    fn address(&mut self, culture: Culture) -> Address {
        let village = self.villages.choose(&mut self.rng).map_or(self.district * 10_000 + 2001, |v| v.code);
        let name = names::STREET_NAMES.choose(&mut self.rng).copied().unwrap_or("MERDEKA");
        let (street, hamlet) = if self.urban || self.rng.random_bool(0.15) {
            (format!("JL. {name} NO. {}", self.rng.random_range(1..=250)), None)
        } else {
            let word = match culture {
                Culture::Balinese => "BANJAR",
                Culture::Minang => "JORONG",
                Culture::Sundanese | Culture::Betawi => "KP.",
                _ => "DUSUN",
            };
            (format!("{word} {name}"), Some(name.to_owned()))
        };
        let (rt_max, rw_max) = if self.urban { (20, 15) } else { (12, 8) };
        Address {
            street,
            hamlet,
            rt: self.rng.random_range(1..=rt_max),
            rw: self.rng.random_range(1..=rw_max),
            village_code: village,
            postal_code: None,
        }
    }

    fn shape(&mut self, room: u64) -> Shape {
        use Shape::*;
        match room {
            1 => Single,
            2 => weighted(&mut self.rng, &[(Couple, 3_u32), (SingleParent, 1), (Single, 1)]).unwrap_or(Single),
            _ => weighted(
                &mut self.rng,
                &[
                    (Single, 7_u32),
                    (Couple, 9),
                    (Nuclear, 56),
                    (SingleParent, 8),
                    (ThreeGenerations, 12),
                    (Extended, 8),
                ],
            )
            .unwrap_or(Nuclear),
        }
    }

    fn wanted_children(&mut self) -> usize {
        let table: &[(usize, u32)] = match self.province {
            31..=36 | 51 => &[(1, 27), (2, 40), (3, 22), (4, 8), (5, 3)],
            53 | 81 | 82 | 91..=96 => &[(1, 10), (2, 25), (3, 30), (4, 20), (5, 15)],
            _ => &[(1, 18), (2, 32), (3, 28), (4, 15), (5, 7)],
        };
        weighted(&mut self.rng, table).unwrap_or(2)
    }

    /// Birth dates of up to `wanted` children of a mother born on
    /// `mother_born`, spaced one to five years apart, none after the
    /// reference date.
    fn child_births(&mut self, mother_born: NaiveDate, wanted: usize) -> Vec<NaiveDate> {
        let mut births = Vec::with_capacity(wanted);
        let mut next = self.days_after(mother_born, 19 * 365, 30 * 365);
        while births.len() < wanted && next < self.as_of && age_on(mother_born, next) <= 44 {
            births.push(next);
            next = self.days_after(next, 400, 5 * 365);
        }
        births
    }

    /// One household of at most `room` people.
    fn household(&mut self, room: u64) -> Household {
        let shape = self.shape(room);
        let culture = self.culture();
        let religion = religion_of(&mut self.rng, culture);
        let line = Lineage::new(&mut self.rng, culture);
        let head_sex = match shape {
            Shape::Single => {
                if self.rng.random_bool(0.55) {
                    JenisKelamin::LakiLaki
                } else {
                    JenisKelamin::Perempuan
                }
            }
            Shape::SingleParent => {
                if self.rng.random_bool(0.3) {
                    JenisKelamin::LakiLaki
                } else {
                    JenisKelamin::Perempuan
                }
            }
            _ => JenisKelamin::LakiLaki,
        };
        let head_age = match shape {
            Shape::Single => self.rng.random_range(19..=85),
            Shape::Couple => {
                if self.rng.random_bool(0.5) {
                    self.rng.random_range(22..=34)
                } else {
                    self.rng.random_range(55..=80)
                }
            }
            Shape::ThreeGenerations => self.rng.random_range(28..=55),
            Shape::Extended => self.rng.random_range(50..=72),
            _ => self.rng.random_range(26..=65),
        };
        let head_born = self.born_aged(head_age);
        let issued_earliest =
            head_born.checked_add_months(Months::new(17 * 12)).unwrap_or(head_born).max(date(2000, 1, 1));
        let span = (self.as_of - issued_earliest).num_days().max(0) as u64;
        let issued = self.days_after(issued_earliest, 0, span);
        let no_kk = self.no_kk(issued);
        // A woman heading a household carries her own father's line; her
        // children carry their father's.
        let head_line = if head_sex == JenisKelamin::Perempuan { Lineage::new(&mut self.rng, culture) } else { line };
        let mut head = self.person(no_kk, head_line, head_sex, head_born, Role::KepalaKeluarga, None, religion);
        self.parents_outside(&mut head, head_line);
        let mut members = Vec::new();

        let married = matches!(shape, Shape::Couple | Shape::Nuclear | Shape::ThreeGenerations | Shape::Extended);
        let mut wife = None;
        if married {
            let gap = self.rng.random_range(0..=7);
            let wife_born = self.born_aged(head_age.saturating_sub(gap).max(18));
            let wife_culture = if self.rng.random_bool(0.85) { culture } else { self.culture() };
            let wife_line = Lineage::new(&mut self.rng, wife_culture);
            let mut spouse =
                self.person(no_kk, wife_line, JenisKelamin::Perempuan, wife_born, Role::Istri, None, religion);
            self.parents_outside(&mut spouse, wife_line);
            wife = Some(spouse);
        } else if shape == Shape::Single {
            head.marital_status = match head_age {
                0..=29 => StatusKawin::BelumKawin,
                30..=59 => *[StatusKawin::BelumKawin, StatusKawin::CeraiHidup, StatusKawin::CeraiMati]
                    .choose(&mut self.rng)
                    .unwrap_or(&StatusKawin::BelumKawin),
                _ => StatusKawin::CeraiMati,
            };
        }

        // Children: of the couple, or of a single parent and an absent one.
        let fixed = 1 + u64::from(wife.is_some());
        let mut children = Vec::new();
        if matches!(shape, Shape::Nuclear | Shape::SingleParent | Shape::ThreeGenerations | Shape::Extended) {
            let mother_born = wife.as_ref().map_or(head.birth_date, |w| w.birth_date);
            let mother_born = if head_sex == JenisKelamin::LakiLaki && wife.is_none() {
                self.born_aged(head_age.saturating_sub(3).max(18))
            } else {
                mother_born
            };
            let wanted = self.wanted_children().min(room.saturating_sub(fixed) as usize);
            let absent_father = Lineage::new(&mut self.rng, culture);
            let father_line = if head_sex == JenisKelamin::LakiLaki { line } else { absent_father };
            let absent_father_name = full_name(&mut self.rng, absent_father, JenisKelamin::LakiLaki, None);
            let absent_mother_line = Lineage::new(&mut self.rng, culture);
            let absent_mother_name = full_name(&mut self.rng, absent_mother_line, JenisKelamin::Perempuan, None);
            for (order, born) in self.child_births(mother_born, wanted).into_iter().enumerate() {
                let sex = if self.rng.random_bool(0.51) { JenisKelamin::LakiLaki } else { JenisKelamin::Perempuan };
                let mut child = self.person(no_kk, father_line, sex, born, Role::Anak, Some(order), religion);
                if head_sex == JenisKelamin::LakiLaki {
                    child.father_nik = Some(head.nik);
                    child.father_name.clone_from(&head.full_name);
                } else {
                    child.father_name.clone_from(&absent_father_name);
                }
                match (&wife, head_sex) {
                    (Some(mother), _) => {
                        child.mother_nik = Some(mother.nik);
                        child.mother_name.clone_from(&mother.full_name);
                    }
                    (None, JenisKelamin::Perempuan) => {
                        child.mother_nik = Some(head.nik);
                        child.mother_name.clone_from(&head.full_name);
                    }
                    (None, JenisKelamin::LakiLaki) => child.mother_name.clone_from(&absent_mother_name),
                }
                children.push(child);
            }
        }
        if let Some(spouse) = wife.as_mut() {
            let first = children.first().map(|c| c.birth_date);
            let adult = spouse.birth_date.checked_add_months(Months::new(17 * 12)).unwrap_or(spouse.birth_date);
            let on = match first {
                Some(first) => {
                    first.checked_sub_days(Days::new(self.rng.random_range(30..700))).unwrap_or(first).max(adult)
                }
                None => self.days_after(adult, 365, 9 * 365),
            };
            self.marry(&mut head, spouse, on.min(self.as_of));
        }
        if shape == Shape::SingleParent {
            let first = children.first().map_or(head.birth_date, |c| c.birth_date);
            let married_on = first.checked_sub_days(Days::new(self.rng.random_range(60..700))).unwrap_or(first);
            head.married_on = Some(married_on);
            if self.rng.random_bool(0.55) {
                head.marital_status = StatusKawin::CeraiMati;
            } else {
                head.marital_status = StatusKawin::CeraiHidup;
                let last = children.last().map_or(first, |c| c.birth_date);
                let span = (self.as_of - last).num_days().max(1) as u64;
                let on = self.days_after(last, 1, span);
                head.divorced_on = Some(on);
                head.divorce_certificate = (religion != Agama::Islam && self.rng.random_bool(0.8))
                    .then(|| attributes::certificate(&mut self.rng, self.regency, "CR", on));
            }
        }

        let mut others = Vec::new();
        let mut used = fixed + children.len() as u64;
        if shape == Shape::ThreeGenerations && used < room {
            // The head's widowed parent or the wife's: named as their child's
            // record already says.
            let (child_record, role) = match wife.as_mut() {
                Some(spouse) if self.rng.random_bool(0.4) => (spouse, Role::Mertua),
                _ => (&mut head, Role::OrangTua),
            };
            let sex = if self.rng.random_bool(0.35) { JenisKelamin::LakiLaki } else { JenisKelamin::Perempuan };
            let child_age = age_on(child_record.birth_date, self.as_of);
            let gap = self.rng.random_range(20..=34);
            let born = self.born_aged(child_age + gap);
            let elder_line = Lineage::new(&mut self.rng, culture);
            let mut elder = self.person(no_kk, elder_line, sex, born, role, None, religion);
            elder.full_name = if sex == JenisKelamin::LakiLaki {
                child_record.father_name.clone()
            } else {
                child_record.mother_name.clone()
            };
            elder.marital_status = StatusKawin::CeraiMati;
            self.parents_outside(&mut elder, elder_line);
            if sex == JenisKelamin::LakiLaki {
                child_record.father_nik = Some(elder.nik)
            } else {
                child_record.mother_nik = Some(elder.nik)
            }
            others.push(elder);
            used += 1;
        }
        if shape == Shape::Extended
            && used + 2 <= room
            && let Some(eldest) = children.iter_mut().find(|c| age_on(c.birth_date, self.as_of) >= 21)
        {
            let partner_sex =
                if eldest.sex == JenisKelamin::LakiLaki { JenisKelamin::Perempuan } else { JenisKelamin::LakiLaki };
            let partner_age = age_on(eldest.birth_date, self.as_of) + self.rng.random_range(0..=4) - 2;
            let partner_born = self.born_aged(partner_age.max(19));
            let partner_culture = if self.rng.random_bool(0.8) { culture } else { self.culture() };
            let partner_line = Lineage::new(&mut self.rng, partner_culture);
            let mut partner =
                self.person(no_kk, partner_line, partner_sex, partner_born, Role::Menantu, None, religion);
            self.parents_outside(&mut partner, partner_line);
            let (husband, wife_of) = if eldest.sex == JenisKelamin::LakiLaki {
                (&mut *eldest, &mut partner)
            } else {
                (&mut partner, &mut *eldest)
            };
            let adult = wife_of.birth_date.checked_add_months(Months::new(19 * 12)).unwrap_or(wife_of.birth_date);
            let wedding = self.days_after(adult, 0, 4 * 365);
            self.marry(husband, wife_of, wedding);
            let grand_line = if eldest.sex == JenisKelamin::LakiLaki { line } else { partner_line };
            let (father, mother) =
                if eldest.sex == JenisKelamin::LakiLaki { (&*eldest, &partner) } else { (&partner, &*eldest) };
            let (father_nik, father_name, mother_nik, mother_name, mother_born) =
                (father.nik, father.full_name.clone(), mother.nik, mother.full_name.clone(), mother.birth_date);
            used += 1;
            let wanted = (room - used).min(self.rng.random_range(0..=2) as u64) as usize;
            let mut grandchildren = Vec::new();
            for (order, born) in self.child_births(mother_born, wanted).into_iter().filter(|b| *b > wedding).enumerate()
            {
                let sex = if self.rng.random_bool(0.51) { JenisKelamin::LakiLaki } else { JenisKelamin::Perempuan };
                let mut grandchild = self.person(no_kk, grand_line, sex, born, Role::Cucu, Some(order), religion);
                grandchild.father_nik = Some(father_nik);
                grandchild.father_name.clone_from(&father_name);
                grandchild.mother_nik = Some(mother_nik);
                grandchild.mother_name.clone_from(&mother_name);
                grandchildren.push(grandchild);
            }
            used += grandchildren.len() as u64;
            others.push(partner);
            others.extend(grandchildren);
        }
        if shape == Shape::Extended && used < room && self.rng.random_bool(0.3) {
            let relative_line = Lineage::new(&mut self.rng, culture);
            let sex = if self.rng.random_bool(0.5) { JenisKelamin::LakiLaki } else { JenisKelamin::Perempuan };
            let relative_age = self.rng.random_range(12..=30);
            let born = self.born_aged(relative_age);
            let mut relative = self.person(no_kk, relative_line, sex, born, Role::FamiliLain, None, religion);
            self.parents_outside(&mut relative, relative_line);
            others.push(relative);
        }

        members.push(head);
        members.extend(wife);
        members.extend(children);
        members.extend(others);
        self.life_events(&mut members);
        let address = self.address(culture);
        Household { family: Family { no_kk, address }, members }
    }

    /// Marks a small share deceased (more often the old), inactive or
    /// flagged duplicate. The head stays alive: a card's head who died is
    /// replaced on a new card.
    fn life_events(&mut self, members: &mut [Resident]) {
        let mut widowed_marriages = Vec::new();
        for member in members.iter_mut() {
            let age = age_on(member.birth_date, self.as_of);
            let death = match age {
                0..=39 => 0.003,
                40..=59 => 0.015,
                60..=74 => 0.05,
                _ => 0.15,
            };
            if member.relationship != Role::KepalaKeluarga && self.rng.random_bool(death) {
                let from = member.birth_date.max(self.as_of.checked_sub_months(Months::new(96)).unwrap_or(self.as_of));
                let span = (self.as_of - from).num_days().max(0) as u64;
                member.life.died_on = Some(self.days_after(from, 0, span));
                if member.marital_status == StatusKawin::Kawin {
                    widowed_marriages.push((member.nik, member.married_on));
                }
            }
            member.life.active = !self.rng.random_bool(0.005);
            member.life.duplicate = self.rng.random_bool(0.002);
        }
        // The surviving spouse (same household, same wedding) is widowed.
        for (dead, married_on) in widowed_marriages {
            for member in members.iter_mut() {
                if member.nik != dead && member.married_on == married_on && member.life.died_on.is_none() {
                    member.marital_status = StatusKawin::CeraiMati;
                }
            }
        }
    }
}

/// The next unused serial for the identity number whose serial-1 value is
/// `first` (its first twelve digits are the key); `None` when all 9,999 are
/// taken.
fn next_serial(serials: &mut HashMap<u64, u16>, first: u64) -> Option<u16> {
    let used = serials.entry(first / 10_000).or_insert(0);
    (*used < 9_999).then(|| {
        *used += 1;
        *used
    })
}

/// A household's religion, from its culture's mix.
fn religion_of(rng: &mut ChaCha8Rng, culture: Culture) -> Agama {
    weighted(rng, names::pool(culture).religion).and_then(Agama::from_code).unwrap_or(Agama::Islam)
}

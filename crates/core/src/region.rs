//! Kemendagri region reference data: provinces, regencies, districts and
//! villages with their official codes and names (SPEC.md §2).
//!
//! The table is compiled into the binary from `data/regions.txt` (see the
//! README there for source and licence) and parsed once, on first use, into
//! four code-sorted tables. Names are borrowed from the embedded text, so
//! loading allocates only the tables themselves.

use std::sync::LazyLock;

/// The embedded table, format described in `tools/regions/build.py`.
const EMBEDDED: &str = include_str!("../data/regions.txt");

/// One region: its full numeric code and its name in upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Full code without dots: 2 digits for a province, 4 for a regency,
    /// 6 for a district, 10 for a village.
    pub code: u64,
    /// Official name, upper case (e.g. `KABUPATEN KARANGANYAR`).
    pub name: &'static str,
}

/// The level of a region in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Provinsi.
    Province,
    /// Kabupaten / kota.
    Regency,
    /// Kecamatan.
    District,
    /// Desa / kelurahan.
    Village,
}

impl Level {
    /// How many decimal digits a code of this level has below its parent.
    fn own_digits(self) -> u32 {
        match self {
            Level::Village => 4,
            _ => 2,
        }
    }
}

/// Why the region text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("baris {line} data wilayah tidak valid: {reason}")]
pub struct RegionDataError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub reason: &'static str,
}

/// The four region tables, each sorted by code.
#[derive(Debug, Default)]
pub struct Regions {
    provinces: Vec<Region>,
    regencies: Vec<Region>,
    districts: Vec<Region>,
    villages: Vec<Region>,
}

static OFFICIAL: LazyLock<Regions> = LazyLock::new(|| {
    // The embedded table is checked line by line by the
    // `official_table_is_complete` test, so the empty fallback is never taken
    // by a tested build; it exists only so that loading cannot panic.
    Regions::parse(EMBEDDED).unwrap_or_default()
});

impl Regions {
    /// The official table compiled into the binary, parsed on first use.
    pub fn official() -> &'static Regions {
        &OFFICIAL
    }

    /// Parses a table in the `regions.txt` format.
    pub fn parse(text: &'static str) -> Result<Regions, RegionDataError> {
        let mut regions = Regions::default();
        let mut parents = [0u64; 3];
        for (index, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |reason| RegionDataError { line: index + 1, reason };
            let (head, name) = line.split_once('\t').ok_or(error("tanpa tab"))?;
            let (marker, digits) = head.split_at_checked(1).ok_or(error("kode kosong"))?;
            let level = match marker {
                "P" => Level::Province,
                "R" => Level::Regency,
                "D" => Level::District,
                "V" => Level::Village,
                _ => return Err(error("penanda tingkat tidak dikenal")),
            };
            if digits.len() != level.own_digits() as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(error("panjang kode tidak sesuai tingkat"));
            }
            let own: u64 = digits.parse().map_err(|_| error("kode bukan angka"))?;
            let parent = match level {
                Level::Province => 0,
                Level::Regency => parents[0],
                Level::District => parents[1],
                Level::Village => parents[2],
            };
            if level != Level::Province && parent == 0 {
                return Err(error("wilayah tanpa induk"));
            }
            let code = parent * 10u64.pow(level.own_digits()) + own;
            let table = match level {
                Level::Province => {
                    parents = [code, 0, 0];
                    &mut regions.provinces
                }
                Level::Regency => {
                    parents[1] = code;
                    parents[2] = 0;
                    &mut regions.regencies
                }
                Level::District => {
                    parents[2] = code;
                    &mut regions.districts
                }
                Level::Village => &mut regions.villages,
            };
            if table.last().is_some_and(|last| last.code >= code) {
                return Err(error("kode tidak urut"));
            }
            table.push(Region { code, name });
        }
        Ok(regions)
    }

    fn find(table: &[Region], code: u64) -> Option<&Region> {
        table.binary_search_by_key(&code, |r| r.code).ok().map(|i| &table[i])
    }

    /// Children of `parent` in `table`: those whose code lies in
    /// `parent * 10^digits ..= parent * 10^digits + (10^digits - 1)`.
    fn children(table: &[Region], parent: u64, digits: u32) -> &[Region] {
        let low = parent * 10u64.pow(digits);
        let high = low + 10u64.pow(digits);
        let start = table.partition_point(|r| r.code < low);
        let end = table.partition_point(|r| r.code < high);
        &table[start..end]
    }

    /// A province by its 2-digit code.
    pub fn province(&self, code: u64) -> Option<&Region> {
        Self::find(&self.provinces, code)
    }

    /// A regency by its 4-digit code.
    pub fn regency(&self, code: u64) -> Option<&Region> {
        Self::find(&self.regencies, code)
    }

    /// A district by its 6-digit code.
    pub fn district(&self, code: u64) -> Option<&Region> {
        Self::find(&self.districts, code)
    }

    /// A village by its 10-digit code.
    pub fn village(&self, code: u64) -> Option<&Region> {
        Self::find(&self.villages, code)
    }

    /// All provinces, by code.
    pub fn provinces(&self) -> &[Region] {
        &self.provinces
    }

    /// All regencies, by code.
    pub fn regencies(&self) -> &[Region] {
        &self.regencies
    }

    /// All districts, by code.
    pub fn districts(&self) -> &[Region] {
        &self.districts
    }

    /// All villages, by code.
    pub fn villages(&self) -> &[Region] {
        &self.villages
    }

    /// The regencies of a province.
    pub fn regencies_of(&self, province: u64) -> &[Region] {
        Self::children(&self.regencies, province, 2)
    }

    /// The districts of a regency.
    pub fn districts_of(&self, regency: u64) -> &[Region] {
        Self::children(&self.districts, regency, 2)
    }

    /// The villages of a district.
    pub fn villages_of(&self, district: u64) -> &[Region] {
        Self::children(&self.villages, district, 4)
    }

    /// The full chain for a village code: village, district, regency,
    /// province. `None` if any level is missing.
    pub fn chain(&self, village: u64) -> Option<RegionChain<'_>> {
        Some(RegionChain {
            village: self.village(village)?,
            district: self.district(village / 10_000)?,
            regency: self.regency(village / 1_000_000)?,
            province: self.province(village / 100_000_000)?,
        })
    }
}

/// A village with all the regions above it.
#[derive(Debug, Clone, Copy)]
pub struct RegionChain<'a> {
    /// Desa / kelurahan.
    pub village: &'a Region,
    /// Kecamatan.
    pub district: &'a Region,
    /// Kabupaten / kota.
    pub regency: &'a Region,
    /// Provinsi.
    pub province: &'a Region,
}

/// The short name of a regency as used for a place of birth: `KABUPATEN
/// KARANGANYAR` → `KARANGANYAR`, `KOTA SURAKARTA` → `SURAKARTA`.
pub fn place_name(regency_name: &str) -> &str {
    ["KABUPATEN ADMINISTRASI ", "KABUPATEN ", "KOTA ADMINISTRASI ", "KOTA "]
        .iter()
        .find_map(|kind| regency_name.strip_prefix(kind))
        .unwrap_or(regency_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_table_is_complete() {
        let parsed = Regions::parse(EMBEDDED);
        assert!(parsed.is_ok(), "{parsed:?}");
        let regions = Regions::official();
        assert_eq!(regions.provinces().len(), 38);
        assert_eq!(regions.regencies().len(), 514);
        assert_eq!(regions.districts().len(), 7_285);
        assert_eq!(regions.villages().len(), 83_762);
    }

    #[test]
    fn looks_up_karanganyar_down_to_its_villages() {
        let regions = Regions::official();
        assert_eq!(regions.regency(3313).map(|r| r.name), Some("KABUPATEN KARANGANYAR"));
        assert_eq!(regions.province(33).map(|r| r.name), Some("JAWA TENGAH"));
        let districts = regions.districts_of(3313);
        assert_eq!(districts.len(), 17);
        assert!(districts.iter().all(|d| d.code / 100 == 3313));
        let villages = regions.villages_of(districts[0].code);
        assert!(!villages.is_empty());
        let chain = regions.chain(villages[0].code);
        assert_eq!(chain.map(|c| c.province.code), Some(33));
        assert!(regions.district(331399).is_none());
    }

    #[test]
    fn every_village_has_a_full_chain() {
        let regions = Regions::official();
        assert!(regions.villages().iter().all(|v| regions.chain(v.code).is_some()));
    }

    #[test]
    fn rejects_malformed_lines_with_their_number() {
        assert_eq!(
            Regions::parse("P11\tACEH\nX01\tNOPE\n").map(|_| ()),
            Err(RegionDataError { line: 2, reason: "penanda tingkat tidak dikenal" })
        );
        assert!(Regions::parse("R01\tORPHAN\n").is_err());
        assert!(Regions::parse("P12\tB\nP11\tA\n").is_err());
    }

    #[test]
    fn place_names_drop_the_regency_kind() {
        assert_eq!(place_name("KABUPATEN KARANGANYAR"), "KARANGANYAR");
        assert_eq!(place_name("KOTA SURAKARTA"), "SURAKARTA");
        assert_eq!(place_name("KABUPATEN ADMINISTRASI KEPULAUAN SERIBU"), "KEPULAUAN SERIBU");
        assert_eq!(place_name("KOTA ADMINISTRASI JAKARTA PUSAT"), "JAKARTA PUSAT");
    }
}

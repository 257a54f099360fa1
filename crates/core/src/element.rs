//! The element catalogue: every population data element a partner can be
//! granted, with its wire name (WIRE.md), what it means, how it travels and
//! how the verification service compares it (SPEC.md §2, §4.1).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How a submitted value is compared with the stored one when verifying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Equal after normalization (dates, sex, codes, numbers).
    Exact,
    /// A normalized similarity score 0–100 against the caller's threshold
    /// (free text: names, places, addresses).
    Similarity,
    /// Not verifiable by value (the photo).
    None,
}

/// How an element's value is written in a compatible-service answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WireType {
    /// A JSON number (NIK, NO_KK, RT/RW, region codes).
    Number,
    /// Upper-case text.
    Text,
    /// A date as text, `dd-mm-yyyy`.
    Date,
    /// Base64 image data.
    Image,
}

macro_rules! elements {
    ($( $variant:ident => $wire:literal, $cmp:ident, $ty:ident, $meaning:literal; )+) => {
        /// A population data element, by its wire name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Element {
            $( #[doc = $meaning] $variant ),+
        }

        impl Element {
            /// Every element, in the order of a `CALL_NIK` answer row.
            pub const ALL: &'static [Element] = &[$(Element::$variant),+];

            /// The wire name, e.g. `NAMA_LGKP`.
            pub fn wire_name(self) -> &'static str {
                match self { $(Element::$variant => $wire),+ }
            }

            /// What the element means, in Bahasa Indonesia.
            pub fn meaning(self) -> &'static str {
                match self { $(Element::$variant => $meaning),+ }
            }

            /// How verification compares it.
            pub fn comparison(self) -> Comparison {
                match self { $(Element::$variant => Comparison::$cmp),+ }
            }

            /// How it is written on the wire.
            pub fn wire_type(self) -> WireType {
                match self { $(Element::$variant => WireType::$ty),+ }
            }
        }
    };
}

elements! {
    Nik => "NIK", Exact, Number, "Nomor Induk Kependudukan";
    NamaLengkap => "NAMA_LGKP", Similarity, Text, "Nama lengkap";
    JenisKelamin => "JENIS_KLMIN", Exact, Text, "Jenis kelamin";
    TempatLahir => "TMPT_LHR", Similarity, Text, "Tempat lahir";
    TanggalLahir => "TGL_LHR", Exact, Date, "Tanggal lahir";
    NoAktaLahir => "NO_AKTA_LHR", Exact, Text, "Nomor akta kelahiran";
    GolonganDarah => "GOL_DARAH", Exact, Text, "Golongan darah";
    Agama => "AGAMA", Exact, Text, "Agama";
    StatusKawin => "STATUS_KAWIN", Exact, Text, "Status perkawinan";
    TanggalKawin => "TGL_KWN", Exact, Date, "Tanggal perkawinan";
    NoAktaKawin => "NO_AKTA_KWN", Exact, Text, "Nomor akta perkawinan";
    TanggalCerai => "TGL_CRAI", Exact, Date, "Tanggal perceraian";
    NoAktaCerai => "NO_AKTA_CRAI", Exact, Text, "Nomor akta perceraian";
    PendidikanAkhir => "PDDK_AKH", Exact, Text, "Pendidikan terakhir";
    JenisPekerjaan => "JENIS_PKRJN", Exact, Text, "Jenis pekerjaan";
    StatusHubunganKeluarga => "STAT_HBKEL", Exact, Text, "Status hubungan dalam keluarga";
    NoKk => "NO_KK", Exact, Number, "Nomor Kartu Keluarga";
    Alamat => "ALAMAT", Similarity, Text, "Alamat";
    Dusun => "DUSUN", Similarity, Text, "Dusun";
    NoRt => "NO_RT", Exact, Number, "Nomor RT";
    NoRw => "NO_RW", Exact, Number, "Nomor RW";
    NoKelurahan => "NO_KEL", Exact, Number, "Kode desa/kelurahan";
    NoKecamatan => "NO_KEC", Exact, Number, "Kode kecamatan";
    NoKabupaten => "NO_KAB", Exact, Number, "Kode kabupaten/kota";
    NoProvinsi => "NO_PROP", Exact, Number, "Kode provinsi";
    NamaKelurahan => "KEL_NAME", Exact, Text, "Nama desa/kelurahan";
    NamaKecamatan => "KEC_NAME", Exact, Text, "Nama kecamatan";
    NamaKabupaten => "KAB_NAME", Exact, Text, "Nama kabupaten/kota";
    NamaProvinsi => "PROP_NAME", Exact, Text, "Nama provinsi";
    NikAyah => "NIK_AYAH", Exact, Number, "NIK ayah";
    NamaAyah => "NAMA_LGKP_AYAH", Similarity, Text, "Nama lengkap ayah";
    NikIbu => "NIK_IBU", Exact, Number, "NIK ibu";
    NamaIbu => "NAMA_LGKP_IBU", Similarity, Text, "Nama lengkap ibu";
    StatusEktp => "EKTP_STATUS", Exact, Text, "Status KTP-el";
    KodePos => "KODE_POS", Exact, Number, "Kode pos";
    Foto => "FOTO", None, Image, "Foto wajah";
}

impl Element {
    /// The element with this wire name, ignoring letter case (clients send
    /// `nama_lgkp` as well as `NAMA_LGKP`).
    pub fn from_wire_name(name: &str) -> Option<Element> {
        Element::ALL.iter().copied().find(|e| e.wire_name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

impl Serialize for Element {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.wire_name())
    }
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Element::from_wire_name(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("elemen data tidak dikenal: {name}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_unique_and_round_trip() {
        for element in Element::ALL {
            assert_eq!(Element::from_wire_name(&element.wire_name().to_lowercase()), Some(*element));
        }
        let mut names: Vec<_> = Element::ALL.iter().map(|e| e.wire_name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Element::ALL.len());
        assert_eq!(Element::from_wire_name("NOT_AN_ELEMENT"), None);
    }

    #[test]
    fn wire_md_similarity_elements_are_compared_by_similarity() {
        for name in ["NAMA_LGKP", "TMPT_LHR", "ALAMAT", "NAMA_LGKP_IBU"] {
            assert_eq!(Element::from_wire_name(name).map(Element::comparison), Some(Comparison::Similarity));
        }
        for name in ["NIK", "NO_KK", "TGL_LHR", "JENIS_KLMIN", "STATUS_KAWIN", "PDDK_AKH", "JENIS_PKRJN"] {
            assert_eq!(Element::from_wire_name(name).map(Element::comparison), Some(Comparison::Exact));
        }
    }

    #[test]
    fn wire_md_numeric_elements_travel_as_numbers() {
        for name in ["NIK", "NO_KK", "NO_RT", "NO_RW", "NO_KEL", "NO_KEC", "NO_KAB", "NO_PROP"] {
            assert_eq!(Element::from_wire_name(name).map(Element::wire_type), Some(WireType::Number));
        }
    }
}

//! The official Dukcapil vocabularies (SIAK code tables) with their exact
//! spellings: AGAMA, STATUS_KAWIN, PDDK_AKH, JENIS_PKRJN, STAT_HBKEL,
//! GOL_DARAH, JENIS_KLMIN, plus the KTP-el recording status.
//!
//! Each is an enum with the numeric SIAK code (what the register stores) and
//! the upper-case label (what the wire and the card show). Parsing a label
//! ignores letter case and surrounding spaces, because partner clients send
//! `Laki-laki` as often as `LAKI-LAKI` (WIRE.md).

use std::fmt;

use serde::{Serialize, Serializer};

/// A value that is not in a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{vocabulary}: nilai '{value}' tidak dikenal")]
pub struct UnknownTerm {
    /// The wire name of the vocabulary (e.g. `AGAMA`).
    pub vocabulary: &'static str,
    /// The offending value, trimmed.
    pub value: String,
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $wire:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = $label] $variant ),+
        }

        impl $name {
            /// Every term, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire name of this vocabulary.
            pub const WIRE_NAME: &'static str = $wire;

            /// The SIAK numeric code.
            pub fn code(self) -> u8 {
                match self { $($name::$variant => $code),+ }
            }

            /// The official upper-case spelling.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The term with this SIAK code.
            pub fn from_code(code: u8) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// Parses an official spelling, ignoring case and outer spaces.
            pub fn parse(text: &str) -> Result<Self, UnknownTerm> {
                let wanted = text.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|term| term.label().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| UnknownTerm { vocabulary: $wire, value: wanted.to_owned() })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.label())
            }
        }
    };
}

vocabulary! {
    /// JENIS_KLMIN: sex.
    JenisKelamin, "JENIS_KLMIN" {
        LakiLaki = 1 => "LAKI-LAKI",
        Perempuan = 2 => "PEREMPUAN",
    }
}

vocabulary! {
    /// AGAMA: religion.
    Agama, "AGAMA" {
        Islam = 1 => "ISLAM",
        Kristen = 2 => "KRISTEN",
        Katholik = 3 => "KATHOLIK",
        Hindu = 4 => "HINDU",
        Budha = 5 => "BUDHA",
        Khonghucu = 6 => "KHONGHUCU",
        Kepercayaan = 7 => "KEPERCAYAAN TERHADAP TUHAN YME",
    }
}

vocabulary! {
    /// STATUS_KAWIN: marital status.
    StatusKawin, "STATUS_KAWIN" {
        BelumKawin = 1 => "BELUM KAWIN",
        Kawin = 2 => "KAWIN",
        CeraiHidup = 3 => "CERAI HIDUP",
        CeraiMati = 4 => "CERAI MATI",
    }
}

vocabulary! {
    /// PDDK_AKH: last education, the ten official levels.
    Pendidikan, "PDDK_AKH" {
        TidakBelumSekolah = 1 => "TIDAK/BELUM SEKOLAH",
        BelumTamatSd = 2 => "BELUM TAMAT SD/SEDERAJAT",
        TamatSd = 3 => "TAMAT SD/SEDERAJAT",
        Sltp = 4 => "SLTP/SEDERAJAT",
        Slta = 5 => "SLTA/SEDERAJAT",
        Diploma1 = 6 => "DIPLOMA I/II",
        Diploma3 = 7 => "AKADEMI/DIPLOMA III/S. MUDA",
        Strata1 = 8 => "DIPLOMA IV/STRATA I",
        Strata2 = 9 => "STRATA II",
        Strata3 = 10 => "STRATA III",
    }
}

vocabulary! {
    /// STAT_HBKEL: relationship to the head of the family.
    HubunganKeluarga, "STAT_HBKEL" {
        KepalaKeluarga = 1 => "KEPALA KELUARGA",
        Suami = 2 => "SUAMI",
        Istri = 3 => "ISTRI",
        Anak = 4 => "ANAK",
        Menantu = 5 => "MENANTU",
        Cucu = 6 => "CUCU",
        OrangTua = 7 => "ORANG TUA",
        Mertua = 8 => "MERTUA",
        FamiliLain = 9 => "FAMILI LAIN",
        Pembantu = 10 => "PEMBANTU",
        Lainnya = 11 => "LAINNYA",
    }
}

vocabulary! {
    /// GOL_DARAH: blood type, with rhesus where recorded.
    GolonganDarah, "GOL_DARAH" {
        A = 1 => "A",
        B = 2 => "B",
        Ab = 3 => "AB",
        O = 4 => "O",
        APlus = 5 => "A+",
        AMinus = 6 => "A-",
        BPlus = 7 => "B+",
        BMinus = 8 => "B-",
        AbPlus = 9 => "AB+",
        AbMinus = 10 => "AB-",
        OPlus = 11 => "O+",
        OMinus = 12 => "O-",
        TidakTahu = 13 => "TIDAK TAHU",
    }
}

vocabulary! {
    /// EKTP_STATUS: where the resident is in KTP-el issuance.
    StatusEktp, "EKTP_STATUS" {
        BelumRekam = 1 => "BELUM REKAM",
        SudahRekam = 2 => "SUDAH REKAM",
        SudahCetak = 3 => "KTP-EL SUDAH DICETAK",
    }
}

vocabulary! {
    /// JENIS_PKRJN: the official occupation list.
    Pekerjaan, "JENIS_PKRJN" {
        BelumTidakBekerja = 1 => "BELUM/TIDAK BEKERJA",
        MengurusRumahTangga = 2 => "MENGURUS RUMAH TANGGA",
        PelajarMahasiswa = 3 => "PELAJAR/MAHASISWA",
        Pensiunan = 4 => "PENSIUNAN",
        PegawaiNegeriSipil = 5 => "PEGAWAI NEGERI SIPIL",
        TentaraNasionalIndonesia = 6 => "TENTARA NASIONAL INDONESIA",
        KepolisianRi = 7 => "KEPOLISIAN RI",
        Perdagangan = 8 => "PERDAGANGAN",
        PetaniPekebun = 9 => "PETANI/PEKEBUN",
        Peternak = 10 => "PETERNAK",
        NelayanPerikanan = 11 => "NELAYAN/PERIKANAN",
        Industri = 12 => "INDUSTRI",
        Konstruksi = 13 => "KONSTRUKSI",
        Transportasi = 14 => "TRANSPORTASI",
        KaryawanSwasta = 15 => "KARYAWAN SWASTA",
        KaryawanBumn = 16 => "KARYAWAN BUMN",
        KaryawanBumd = 17 => "KARYAWAN BUMD",
        KaryawanHonorer = 18 => "KARYAWAN HONORER",
        BuruhHarianLepas = 19 => "BURUH HARIAN LEPAS",
        BuruhTaniPerkebunan = 20 => "BURUH TANI/PERKEBUNAN",
        BuruhNelayanPerikanan = 21 => "BURUH NELAYAN/PERIKANAN",
        BuruhPeternakan = 22 => "BURUH PETERNAKAN",
        PembantuRumahTangga = 23 => "PEMBANTU RUMAH TANGGA",
        TukangCukur = 24 => "TUKANG CUKUR",
        TukangListrik = 25 => "TUKANG LISTRIK",
        TukangBatu = 26 => "TUKANG BATU",
        TukangKayu = 27 => "TUKANG KAYU",
        TukangSolSepatu = 28 => "TUKANG SOL SEPATU",
        TukangLasPandaiBesi = 29 => "TUKANG LAS/PANDAI BESI",
        TukangJahit = 30 => "TUKANG JAHIT",
        TukangGigi = 31 => "TUKANG GIGI",
        PenataRias = 32 => "PENATA RIAS",
        PenataBusana = 33 => "PENATA BUSANA",
        PenataRambut = 34 => "PENATA RAMBUT",
        Mekanik = 35 => "MEKANIK",
        Seniman = 36 => "SENIMAN",
        Tabib = 37 => "TABIB",
        Paraji = 38 => "PARAJI",
        PerancangBusana = 39 => "PERANCANG BUSANA",
        Penterjemah = 40 => "PENTERJEMAH",
        ImamMasjid = 41 => "IMAM MASJID",
        Pendeta = 42 => "PENDETA",
        Pastor = 43 => "PASTOR",
        Wartawan = 44 => "WARTAWAN",
        UstadzMubaligh = 45 => "USTADZ/MUBALIGH",
        JuruMasak = 46 => "JURU MASAK",
        PromotorAcara = 47 => "PROMOTOR ACARA",
        AnggotaDprRi = 48 => "ANGGOTA DPR-RI",
        AnggotaDpd = 49 => "ANGGOTA DPD",
        AnggotaBpk = 50 => "ANGGOTA BPK",
        Presiden = 51 => "PRESIDEN",
        WakilPresiden = 52 => "WAKIL PRESIDEN",
        AnggotaMahkamahKonstitusi = 53 => "ANGGOTA MAHKAMAH KONSTITUSI",
        AnggotaKabinetKementerian = 54 => "ANGGOTA KABINET/KEMENTERIAN",
        DutaBesar = 55 => "DUTA BESAR",
        Gubernur = 56 => "GUBERNUR",
        WakilGubernur = 57 => "WAKIL GUBERNUR",
        Bupati = 58 => "BUPATI",
        WakilBupati = 59 => "WAKIL BUPATI",
        Walikota = 60 => "WALIKOTA",
        WakilWalikota = 61 => "WAKIL WALIKOTA",
        AnggotaDprdProvinsi = 62 => "ANGGOTA DPRD PROVINSI",
        AnggotaDprdKabupatenKota = 63 => "ANGGOTA DPRD KABUPATEN/KOTA",
        Dosen = 64 => "DOSEN",
        Guru = 65 => "GURU",
        Pilot = 66 => "PILOT",
        Pengacara = 67 => "PENGACARA",
        Notaris = 68 => "NOTARIS",
        Arsitek = 69 => "ARSITEK",
        Akuntan = 70 => "AKUNTAN",
        Konsultan = 71 => "KONSULTAN",
        Dokter = 72 => "DOKTER",
        Bidan = 73 => "BIDAN",
        Perawat = 74 => "PERAWAT",
        Apoteker = 75 => "APOTEKER",
        PsikiaterPsikolog = 76 => "PSIKIATER/PSIKOLOG",
        PenyiarTelevisi = 77 => "PENYIAR TELEVISI",
        PenyiarRadio = 78 => "PENYIAR RADIO",
        Pelaut = 79 => "PELAUT",
        Peneliti = 80 => "PENELITI",
        Sopir = 81 => "SOPIR",
        Pialang = 82 => "PIALANG",
        Paranormal = 83 => "PARANORMAL",
        Pedagang = 84 => "PEDAGANG",
        PerangkatDesa = 85 => "PERANGKAT DESA",
        KepalaDesa = 86 => "KEPALA DESA",
        Biarawati = 87 => "BIARAWATI",
        Wiraswasta = 88 => "WIRASWASTA",
        Lainnya = 89 => "LAINNYA",
    }
}

impl JenisKelamin {
    /// Parses the sex as partner clients send it: the official spelling in
    /// any case, or the short forms `L`/`P` and the codes `1`/`2`.
    pub fn parse_lenient(text: &str) -> Result<Self, UnknownTerm> {
        match text.trim().to_ascii_uppercase().as_str() {
            "L" | "1" | "LAKI LAKI" | "PRIA" => Ok(JenisKelamin::LakiLaki),
            "P" | "2" | "WANITA" => Ok(JenisKelamin::Perempuan),
            _ => Self::parse(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip_in_every_vocabulary() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            code: fn(T) -> u8,
            from: fn(u8) -> Option<T>,
            label: fn(T) -> &'static str,
            parse: fn(&str) -> Result<T, UnknownTerm>,
        ) {
            for (index, term) in all.iter().copied().enumerate() {
                assert_eq!(usize::from(code(term)), index + 1, "codes are 1..=N in order");
                assert_eq!(from(code(term)), Some(term));
                assert_eq!(parse(&label(term).to_lowercase()), Ok(term));
                assert_eq!(label(term), label(term).to_uppercase());
            }
            assert_eq!(from(0), None);
        }
        check(JenisKelamin::ALL, JenisKelamin::code, JenisKelamin::from_code, JenisKelamin::label, JenisKelamin::parse);
        check(Agama::ALL, Agama::code, Agama::from_code, Agama::label, Agama::parse);
        check(StatusKawin::ALL, StatusKawin::code, StatusKawin::from_code, StatusKawin::label, StatusKawin::parse);
        check(Pendidikan::ALL, Pendidikan::code, Pendidikan::from_code, Pendidikan::label, Pendidikan::parse);
        check(
            HubunganKeluarga::ALL,
            HubunganKeluarga::code,
            HubunganKeluarga::from_code,
            HubunganKeluarga::label,
            HubunganKeluarga::parse,
        );
        check(
            GolonganDarah::ALL,
            GolonganDarah::code,
            GolonganDarah::from_code,
            GolonganDarah::label,
            GolonganDarah::parse,
        );
        check(StatusEktp::ALL, StatusEktp::code, StatusEktp::from_code, StatusEktp::label, StatusEktp::parse);
        check(Pekerjaan::ALL, Pekerjaan::code, Pekerjaan::from_code, Pekerjaan::label, Pekerjaan::parse);
    }

    #[test]
    fn official_list_sizes() {
        assert_eq!(Pendidikan::ALL.len(), 10);
        assert_eq!(Pekerjaan::ALL.len(), 89);
        assert_eq!(Agama::ALL.len(), 7);
    }

    #[test]
    fn sex_accepts_what_clients_send() {
        assert_eq!(JenisKelamin::parse_lenient(" Laki-laki "), Ok(JenisKelamin::LakiLaki));
        assert_eq!(JenisKelamin::parse_lenient("p"), Ok(JenisKelamin::Perempuan));
        assert!(JenisKelamin::parse_lenient("X").is_err());
        assert_eq!(Pekerjaan::parse("petani/pekebun"), Ok(Pekerjaan::PetaniPekebun));
        assert_eq!(
            Agama::parse("Jedi").map_err(|e| e.to_string()),
            Err("AGAMA: nilai 'Jedi' tidak dikenal".to_owned())
        );
    }
}

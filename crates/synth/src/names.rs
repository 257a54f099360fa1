//! Name pools for the synthetic population: given names, second words and family
//! names by regional naming culture, how family names pass on, religion mixes,
//! which cultures live in which province, province population weights and
//! address words. Written for this project from common Indonesian naming
//! practice; upper case as on a KTP-el.

/// A naming culture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Culture {
    /// Central and East Java (Madurese names are folded in here).
    Javanese,
    /// West Java and Banten.
    Sundanese,
    /// Toba, Karo, Simalungun, Mandailing and Angkola Batak.
    Batak,
    /// Minangkabau, West Sumatra.
    Minang,
    /// Bugis, Makassar, Mandar and neighbouring South Sulawesi peoples.
    Bugis,
    /// Balinese Hindu naming (birth-order words are added by the caller).
    Balinese,
    /// Indonesians of Chinese descent with Indonesian-style family names.
    ChineseIndonesian,
    /// Malay and other coastal Muslim naming of Sumatra, Kalimantan and the east.
    Malay,
    /// Betawi, the native people of Jakarta.
    Betawi,
    /// Minahasa, North Sulawesi, with a fam (family name).
    Minahasa,
    /// Central Maluku (Ambon, Lease, Seram) with a fam.
    Ambonese,
    /// East Nusa Tenggara: Timor, Flores, Sumba, Alor, Rote, Sabu.
    NusaTenggaraTimur,
    /// Dayak peoples of Kalimantan.
    Dayak,
    /// Indigenous Papuans of the highlands and the coast.
    Papuan,
}

/// How a family name passes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurnameRule {
    /// No family name (Javanese, Sundanese, Minang, Malay, Betawi, Bugis, Balinese).
    None,
    /// Children carry the father's family name as the last word (Minahasa,
    /// Ambonese, NusaTenggaraTimur, Dayak, Papuan, ChineseIndonesian).
    Patrilineal,
    /// Batak: sons carry the marga as last word, daughters "BR <MARGA>".
    PatrilinealBoru,
}

/// Everything needed to name a person of one culture.
pub struct NamePool {
    /// The culture this pool describes.
    pub culture: Culture,
    /// First words for men, older and younger generation styles.
    pub male_given: &'static [&'static str],
    /// First words for women, older and younger generation styles.
    pub female_given: &'static [&'static str],
    /// Optional second words for men.
    pub male_second: &'static [&'static str],
    /// Optional second words for women.
    pub female_second: &'static [&'static str],
    /// Share (0..=100) of people who get a second word.
    pub second_word_percent: u8,
    /// Family names; empty when `surname_rule` is `SurnameRule::None`.
    pub surnames: &'static [&'static str],
    /// How the family name passes on.
    pub surname_rule: SurnameRule,
    /// (religion code, weight). Codes: 1 ISLAM, 2 KRISTEN, 3 KATHOLIK, 4 HINDU,
    /// 5 BUDHA, 6 KHONGHUCU, 7 KEPERCAYAAN.
    pub religion: &'static [(u8, u16)],
}

/// Balinese birth-order first words for the first to fourth child (repeating after four).
pub const BALINESE_BIRTH_ORDER: [&str; 4] = ["WAYAN", "MADE", "NYOMAN", "KETUT"];

/// Alternative Balinese birth-order first words for the first to fourth child.
pub const BALINESE_BIRTH_ORDER_ALT: [&str; 4] = ["PUTU", "KADEK", "KOMANG", "KETUT"];

/// Title placed before the given name of Bugis nobility.
pub const BUGIS_NOBLE_PREFIX: &str = "ANDI";

/// The name pool of a culture.
pub fn pool(culture: Culture) -> &'static NamePool {
    match culture {
        Culture::Javanese => &JAVANESE,
        Culture::Sundanese => &SUNDANESE,
        Culture::Batak => &BATAK,
        Culture::Minang => &MINANG,
        Culture::Bugis => &BUGIS,
        Culture::Balinese => &BALINESE,
        Culture::ChineseIndonesian => &CHINESE_INDONESIAN,
        Culture::Malay => &MALAY,
        Culture::Betawi => &BETAWI,
        Culture::Minahasa => &MINAHASA,
        Culture::Ambonese => &AMBONESE,
        Culture::NusaTenggaraTimur => &NUSA_TENGGARA_TIMUR,
        Culture::Dayak => &DAYAK,
        Culture::Papuan => &PAPUAN,
    }
}

/// Weighted naming cultures living in a province (two-digit Kemendagri code).
/// Peoples without a pool of their own are folded into the nearest one
/// (Acehnese, Banjar, Sasak, Gorontalo and Ternate into Malay; Madurese into
/// Javanese; Makassar, Mandar, Buton into Bugis). Unknown codes get a
/// Malay and Javanese default.
pub fn province_mix(province: u8) -> &'static [(Culture, u16)] {
    use Culture::*;
    match province {
        11 => &[(Malay, 85), (Javanese, 10), (Batak, 3), (Minang, 2)],
        12 => &[(Batak, 45), (Malay, 30), (Javanese, 18), (ChineseIndonesian, 7)],
        13 => &[(Minang, 88), (Batak, 5), (Javanese, 5), (Malay, 2)],
        14 => &[(Malay, 45), (Javanese, 25), (Minang, 12), (Batak, 10), (ChineseIndonesian, 4), (Bugis, 4)],
        15 => &[(Malay, 55), (Javanese, 28), (Minang, 7), (Bugis, 4), (Batak, 3), (ChineseIndonesian, 3)],
        16 => &[(Malay, 70), (Javanese, 25), (ChineseIndonesian, 3), (Sundanese, 2)],
        17 => &[(Malay, 60), (Javanese, 25), (Minang, 8), (Sundanese, 4), (Batak, 3)],
        18 => &[(Javanese, 62), (Malay, 20), (Sundanese, 12), (Balinese, 2), (Minang, 2), (ChineseIndonesian, 2)],
        19 => &[(Malay, 65), (ChineseIndonesian, 28), (Javanese, 5), (Bugis, 2)],
        21 => &[(Malay, 35), (Javanese, 25), (Batak, 15), (Minang, 10), (ChineseIndonesian, 10), (Bugis, 5)],
        31 => &[
            (Javanese, 35), (Betawi, 28), (Sundanese, 15), (ChineseIndonesian, 7), (Batak, 4),
            (Minang, 4), (Malay, 4), (Bugis, 1), (Minahasa, 1), (Ambonese, 1),
        ],
        32 => &[(Sundanese, 75), (Javanese, 14), (Betawi, 6), (ChineseIndonesian, 2), (Minang, 2), (Batak, 1)],
        33 => &[(Javanese, 97), (Sundanese, 2), (ChineseIndonesian, 1)],
        34 => &[(Javanese, 96), (Sundanese, 1), (ChineseIndonesian, 1), (Malay, 1), (Batak, 1)],
        35 => &[(Javanese, 97), (ChineseIndonesian, 2), (Balinese, 1)],
        36 => &[(Sundanese, 50), (Javanese, 28), (Betawi, 15), (ChineseIndonesian, 4), (Minang, 2), (Batak, 1)],
        51 => &[(Balinese, 86), (Javanese, 10), (NusaTenggaraTimur, 2), (Bugis, 1), (ChineseIndonesian, 1)],
        52 => &[(Malay, 70), (Javanese, 10), (Bugis, 10), (Balinese, 8), (ChineseIndonesian, 2)],
        53 => &[(NusaTenggaraTimur, 92), (Bugis, 3), (Javanese, 2), (Malay, 2), (ChineseIndonesian, 1)],
        61 => &[(Malay, 38), (Dayak, 34), (Javanese, 11), (ChineseIndonesian, 9), (Bugis, 5), (Sundanese, 2), (Batak, 1)],
        62 => &[(Dayak, 46), (Malay, 24), (Javanese, 22), (Sundanese, 3), (Bugis, 3), (Batak, 1), (ChineseIndonesian, 1)],
        63 => &[(Malay, 78), (Javanese, 14), (Dayak, 4), (Bugis, 3), (ChineseIndonesian, 1)],
        64 => &[
            (Javanese, 30), (Malay, 22), (Bugis, 20), (Dayak, 10), (Sundanese, 3), (Batak, 3),
            (NusaTenggaraTimur, 3), (Minahasa, 2), (ChineseIndonesian, 2), (Minang, 1),
        ],
        65 => &[(Dayak, 35), (Bugis, 25), (Malay, 18), (Javanese, 15), (NusaTenggaraTimur, 4), (Batak, 2), (ChineseIndonesian, 1)],
        71 => &[(Minahasa, 75), (Malay, 12), (Bugis, 4), (Javanese, 4), (ChineseIndonesian, 3), (Ambonese, 2)],
        72 => &[(Malay, 35), (Bugis, 30), (Javanese, 12), (Minahasa, 10), (Balinese, 5), (NusaTenggaraTimur, 2), (ChineseIndonesian, 2), (Sundanese, 2), (Batak, 2)],
        73 => &[(Bugis, 92), (Javanese, 4), (ChineseIndonesian, 2), (Malay, 2)],
        74 => &[(Bugis, 50), (Malay, 32), (Javanese, 10), (Balinese, 5), (ChineseIndonesian, 2), (Minahasa, 1)],
        75 => &[(Malay, 88), (Bugis, 5), (Javanese, 4), (Minahasa, 3)],
        76 => &[(Bugis, 82), (Javanese, 8), (Malay, 5), (Balinese, 3), (Minahasa, 2)],
        81 => &[(Ambonese, 80), (Bugis, 8), (Javanese, 5), (NusaTenggaraTimur, 4), (Malay, 2), (ChineseIndonesian, 1)],
        82 => &[(Malay, 70), (Ambonese, 12), (Minahasa, 6), (Bugis, 6), (Javanese, 6)],
        91 => &[(Papuan, 70), (Javanese, 12), (Bugis, 8), (Ambonese, 4), (NusaTenggaraTimur, 3), (Minahasa, 2), (Batak, 1)],
        92 => &[(Papuan, 55), (Javanese, 15), (Bugis, 12), (Ambonese, 8), (Minahasa, 3), (NusaTenggaraTimur, 3), (Batak, 2), (Malay, 2)],
        93 => &[(Papuan, 60), (Javanese, 20), (Bugis, 8), (NusaTenggaraTimur, 5), (Ambonese, 5), (Batak, 2)],
        94 => &[(Papuan, 78), (Bugis, 8), (Javanese, 6), (NusaTenggaraTimur, 3), (Ambonese, 3), (Minahasa, 2)],
        95 => &[(Papuan, 95), (Bugis, 2), (Javanese, 2), (NusaTenggaraTimur, 1)],
        96 => &[(Papuan, 50), (Javanese, 14), (Bugis, 14), (Ambonese, 10), (Minahasa, 5), (NusaTenggaraTimur, 4), (Batak, 3)],
        _ => &[(Malay, 60), (Javanese, 40)],
    }
}

/// 2020 census population in thousands by province code. The six Papua
/// provinces created in 2022 are split from the 2020 figures by regency.
pub const PROVINCE_POPULATION: &[(u8, u32)] = &[
    (11, 5274), (12, 14799), (13, 5534), (14, 6394), (15, 3548), (16, 8467),
    (17, 2011), (18, 9008), (19, 1456), (21, 2064), (31, 10562), (32, 48274),
    (33, 36516), (34, 3669), (35, 40666), (36, 11905), (51, 4317), (52, 5320),
    (53, 5326), (61, 5414), (62, 2670), (63, 4074), (64, 3766), (65, 701),
    (71, 2622), (72, 2986), (73, 9074), (74, 2625), (75, 1171), (76, 1419),
    (81, 1848), (82, 1283), (91, 1035), (92, 553), (93, 514), (94, 1330),
    (95, 1425), (96, 581),
];

/// Words for street and hamlet names: national heroes, flowers, trees and virtues.
pub const STREET_NAMES: &[&str] = &[
    "MERDEKA", "SUDIRMAN", "DIPONEGORO", "KARTINI", "GATOT SUBROTO", "AHMAD YANI",
    "IMAM BONJOL", "PATTIMURA", "HASANUDDIN", "TEUKU UMAR", "CUT NYAK DIEN",
    "SISINGAMANGARAJA", "GAJAH MADA", "HAYAM WURUK", "SULTAN AGUNG", "SUTOMO",
    "KI HAJAR DEWANTARA", "HATTA", "SOEKARNO HATTA", "SUTAN SYAHRIR", "WAHID HASYIM",
    "YOS SUDARSO", "MARTADINATA", "SLAMET RIYADI", "SUPRAPTO", "PIERRE TENDEAN",
    "ADI SUCIPTO", "ABDUL MUIS", "HUSNI THAMRIN", "DEWI SARTIKA", "MARTHA TIAHAHU",
    "PANGERAN ANTASARI", "RADEN SALEH", "TUANKU TAMBUSAI", "PAHLAWAN", "PEMUDA",
    "PERSATUAN", "KEADILAN", "PANCASILA", "MELATI", "KENANGA", "ANGGREK", "MAWAR",
    "CEMPAKA", "DAHLIA", "FLAMBOYAN", "BUGENVIL", "SEROJA", "TERATAI", "KAMBOJA",
    "SEDAP MALAM", "BERINGIN", "CEMARA", "MAHONI", "JATI", "AKASIA", "KELAPA",
    "PINANG", "DURIAN", "MANGGA", "RAMBUTAN", "NANGKA", "SAWO", "BAMBU", "WARINGIN",
    "SEJAHTERA", "MAKMUR", "SENTOSA", "DAMAI", "RUKUN", "BAHAGIA", "HARAPAN",
    "BERDIKARI", "MANDIRI", "SETIA BUDI", "BHAKTI", "GOTONG ROYONG", "NUSANTARA",
];

static JAVANESE: NamePool = NamePool {
    culture: Culture::Javanese,
    male_given: &[
        "SUGIANTO", "BAMBANG", "SETYO", "BUDI", "AGUS", "SLAMET", "SUPRIYADI", "JOKO", "HERU",
        "TRI", "EKO", "DWI", "WAHYU", "SUTRISNO", "SUPARMAN", "SUKARDI", "SUTARNO", "PARJO",
        "KASMAN", "PAIMIN", "SARDJONO", "HARYANTO", "PRIYANTO", "SUSILO", "WIDODO", "HADI",
        "ARIF", "DANANG", "BAYU", "RIZKY", "DIMAS", "GILANG", "FAJAR", "YOGA", "ADITYA",
        "GALIH", "SATRIO", "PRASETYO", "TEGUH", "SUYANTO", "SUWARNO", "MULYONO", "PURWANTO",
        "TUGIMAN", "SAMIDI", "WARSITO", "DARMAJI", "SUGENG", "RUDI", "BAGUS", "AHMAD",
        "MUHAMMAD", "YUDHA", "PANJI", "ANGGA", "BIMA", "ARDI",
    ],
    female_given: &[
        "SRI", "WAHYUNI", "PARTINAH", "SITI", "SUMIATI", "SUPARMI", "SUKINAH", "PAINEM",
        "TUMINAH", "WARSINI", "SUWARNI", "SUMARNI", "MURNI", "ENDANG", "TUTIK", "YULI", "RETNO",
        "DEWI", "ANI", "RINI", "LESTARI", "PURWATI", "SULASTRI", "KARTINI", "NINGSIH", "WIDYA",
        "AYU", "PUTRI", "INDAH", "DIAH", "ENDAH", "NOVI", "FITRI", "ANIK", "WULAN", "ANGGUN",
        "SEKAR", "LARAS", "NADIA", "AULIA", "SALSABILA", "NAYLA", "ANISA", "DINDA", "KINANTI",
        "SUMINAH", "KASMI", "PONIYEM", "JUMIATI", "SAMINAH", "MARYATI", "SUPRIHATIN",
        "KUSMIATI",
    ],
    male_second: &[
        "SANTOSO", "WIBOWO", "SETIAWAN", "PRASETYO", "NUGROHO", "KURNIAWAN", "SAPUTRO",
        "HIDAYAT", "WIJAYA", "PRAKOSO", "UTOMO", "SULISTYO", "HARTANTO", "PRAMONO", "SUSANTO",
        "GUNAWAN", "PURNOMO", "RAHARJO", "SUBROTO", "HARYADI", "SAPUTRA", "FIRMANSYAH",
        "RAMADHAN", "PRATAMA", "WICAKSONO", "ARDIANSYAH", "SETIADI",
    ],
    female_second: &[
        "LESTARI", "WAHYUNI", "RAHAYU", "HANDAYANI", "WULANDARI", "PURWANINGSIH", "SUSANTI",
        "NINGSIH", "ASTUTI", "KURNIASIH", "RAHMAWATI", "SETYOWATI", "PRATIWI", "PUSPITASARI",
        "MULYANI", "UTAMI", "SULISTYOWATI", "WIDYASTUTI", "ANGGRAINI", "NURHAYATI", "SAFITRI",
        "HARYANTI", "KUSUMAWATI", "PERMATASARI", "NOVITASARI", "YULIANTI", "RAMADHANI",
    ],
    second_word_percent: 45,
    surnames: &[],
    surname_rule: SurnameRule::None,
    religion: &[(1, 930), (2, 30), (3, 25), (4, 3), (5, 5), (7, 7)],
};

static SUNDANESE: NamePool = NamePool {
    culture: Culture::Sundanese,
    male_given: &[
        "ASEP", "UJANG", "DEDE", "CECEP", "DADANG", "ENDANG", "OMAN", "ENCEP", "AEP", "IWAN",
        "DEDI", "JAJANG", "YAYAN", "YAYAT", "ENJANG", "AJAT", "ATENG", "DUDUNG", "MAMAN",
        "OTONG", "UDIN", "ADE", "DADAN", "RUDI", "HERMAN", "AAN", "ENGKOS", "DENI", "HENDRA",
        "YANA", "DIDIN", "ACENG", "ENGKUS", "ENTIS", "ARIF", "RIDWAN", "FIRMAN", "GINANJAR",
        "RIZAL", "DEDEN", "IRFAN", "FAHMI", "RAKA", "DIMAS", "RENDI", "WAWAN", "YUDI",
        "SUTISNA", "SUHENDAR", "SUPRIATNA", "SUKMANA", "NANANG",
    ],
    female_given: &[
        "EUIS", "NENENG", "IIS", "IMAS", "ENOK", "EUTIK", "ENTIN", "ENENG", "NANI", "NENI",
        "YAYAH", "OOM", "ENI", "IKA", "RINA", "TINA", "LILIS", "YANTI", "NURUL", "SITI", "ELIS",
        "CUCU", "IDA", "ICIH", "EMAH", "EDAH", "NUNUNG", "TITIN", "KOKOM", "TATI", "YENI",
        "WIWIN", "NIA", "RATNA", "RIA", "DEWI", "SALSA", "NAZWA", "KEISHA", "RAISA", "AULIA",
        "ZAHRA", "ANISA", "SRI", "ENUNG", "OMAH", "RISMA", "HANI", "DINI", "TIKA", "LIA",
        "MIMIN", "YATI", "OCAH",
    ],
    male_second: &[
        "SUHERMAN", "SUPRIATNA", "SUNARYA", "HIDAYAT", "KURNIAWAN", "SETIAWAN", "RUSTANDI",
        "SUKMANA", "SUTISNA", "SOBARI", "SOLIHIN", "MULYANA", "HERMAWAN", "PERMANA", "SUHENDAR",
        "RAHMAT", "NUGRAHA", "FIRMANSYAH", "GUMILAR", "SAEPUDIN", "SAPUTRA", "RUHIMAT",
        "SUPARMAN", "KOSASIH", "RUSMANA", "WAHYUDIN", "MAULANA", "SUMARNA",
    ],
    female_second: &[
        "NURHAYATI", "KURNIASIH", "ROSITA", "YULIANTI", "SUMIATI", "RAHMAWATI", "MULYANI",
        "SARI", "HANDAYANI", "HERAWATI", "KOMALASARI", "MARLINA", "SUSILAWATI", "FITRIANI",
        "NURAENI", "KARTIKA", "MAESAROH", "ROHAENI", "NURJANAH", "SOPIAH", "HASANAH",
        "PERMATASARI", "RAHAYU", "HALIMAH", "AMALIA", "SETIAWATI", "NURLAELA",
    ],
    second_word_percent: 40,
    surnames: &[],
    surname_rule: SurnameRule::None,
    religion: &[(1, 980), (2, 10), (3, 5), (7, 5)],
};

static BATAK: NamePool = NamePool {
    culture: Culture::Batak,
    male_given: &[
        "HOTMAN", "TIGOR", "PARLINDUNGAN", "MARULI", "RAJA", "BONAR", "TUMPAL", "SAHAT",
        "MANGATUR", "JANSEN", "DAVID", "SAMUEL", "DANIEL", "YOSUA", "JOHANNES", "ANDREAS",
        "MARTIN", "RICARDO", "HENDRIK", "POLTAK", "TUMBUR", "HISAR", "MARIHOT", "BINSAR",
        "TONGAM", "MANGASI", "PARULIAN", "SABAR", "TOGAR", "BISMAR", "HASUDUNGAN", "JONI",
        "FREDDY", "ROBERT", "BENNY", "EDWARD", "ARMAN", "RAHMAT", "AHMAD", "SYAHRIL",
        "ZULKARNAEN", "IRWAN", "MUHAMMAD", "RIZKI", "MUCHTAR", "MANAHAN", "PANDAPOTAN",
        "TIMBUL", "KEVIN", "GABRIEL", "FERNANDO", "RAFAEL", "NICHOLAS",
    ],
    female_given: &[
        "MARIA", "MAGDALENA", "DEBORA", "RUTH", "ESTER", "LENNY", "RISMA", "TIURMA", "TIOMINAR",
        "RUMONDANG", "HOTNIDA", "MASTIUR", "NURHAYATI", "ROSLINA", "LINDA", "MERI", "SUSI",
        "FRIDA", "SORTA", "NELLY", "RITA", "TETTY", "DUMASARI", "ROSMAULI", "TIARMA", "MANIAR",
        "LAMRIA", "LAMTIUR", "RATNA", "HOTMA", "BUTET", "INDAH", "GRACE", "NATALIA",
        "CHRISTINA", "MONIKA", "YOHANA", "SARAH", "DORA", "ROMAULI", "SONDANG", "ERNA",
        "JULIANA", "SITI", "AISYAH", "FATIMAH", "RAHMA", "SALMAH", "MARLINA", "DESI",
        "GLORIA", "HERLINA", "ROSIDA",
    ],
    male_second: &[
        "PARLINDUNGAN", "MARULI", "HAMONANGAN", "PARULIAN", "TUA", "SAHALA", "TUMPAL",
        "MANGATAS", "HASIHOLAN", "PANDAPOTAN", "MARTUA", "HALOMOAN", "SUMURUNG", "HUMALA",
        "DOHARMAN", "PARDAMEAN", "JOHANNES", "PETRUS", "PAULUS", "FRANS", "ALBERT", "DAUD",
        "MARKUS", "LUKAS", "EFENDI", "SYAHPUTRA", "SAPUTRA", "HIDAYAT",
    ],
    female_second: &[
        "NATALIA", "MAGDALENA", "MARIANA", "ROSALINA", "ELISABETH", "FRANSISKA", "YOHANA",
        "VERONIKA", "AGNES", "THERESIA", "LESTARI", "DAMAYANTI", "HANDAYANI", "SARI", "NOVITA",
        "YULIANA", "OKTAVIA", "FEBRIANA", "SEPTIANI", "PURNAMASARI", "RAHMAWATI", "NURHALIZA",
        "KHAIRUNNISA", "RAMADANI", "TIOMINAR", "ROMAIDA", "HOTMAIDA",
    ],
    second_word_percent: 55,
    surnames: &[
        "SIREGAR", "SIMANJUNTAK", "NASUTION", "LUBIS", "HARAHAP", "SITOMPUL", "HUTAPEA",
        "SITUMORANG", "SINAGA", "PARDEDE", "MANURUNG", "TAMBUNAN", "PANJAITAN", "GINTING",
        "TARIGAN", "SEMBIRING", "PURBA", "SARAGIH", "SIMATUPANG", "HUTAGALUNG", "SIAHAAN",
        "NAPITUPULU", "SIHOMBING", "SIMBOLON", "SITORUS", "HUTABARAT", "PASARIBU", "SILALAHI",
        "MARPAUNG", "SIAGIAN", "DAMANIK", "SIBARANI", "SIDABUTAR", "NAINGGOLAN", "GULTOM",
        "SIMAMORA", "RANGKUTI", "POHAN", "DALIMUNTHE", "BANGUN", "MANALU", "SITANGGANG",
        "SIMARMATA", "SAMOSIR", "SIRAIT", "ARITONANG", "RAJAGUKGUK", "MUNTHE",
    ],
    surname_rule: SurnameRule::PatrilinealBoru,
    religion: &[(1, 330), (2, 560), (3, 100), (5, 5), (7, 5)],
};

static MINANG: NamePool = NamePool {
    culture: Culture::Minang,
    male_given: &[
        "RAHMAT", "ZULKIFLI", "AFRIZAL", "YULIZAR", "SYAFRIAL", "ZULHENDRI", "DASRIL", "ASRUL",
        "FIRDAUS", "HENDRI", "ERIZAL", "DEDI", "YUSRIZAL", "AZWAR", "NOFRIZAL", "JONI", "ANDRI",
        "FAUZI", "HASAN", "BUYUNG", "AMIR", "ZAINAL", "MUSTAFA", "ARIFIN", "IRWAN", "DEFRI",
        "REZKI", "FADLI", "RIDHO", "ILHAM", "HAFIZ", "FARHAN", "RAFI", "IQBAL", "FIKRI",
        "NAUFAL", "ZAKI", "BAHAR", "SYAHRUL", "NASRUL", "JASMAN", "DARWIS", "ANWAR", "ADRIZAL",
        "ZULFAHMI", "YASRIL", "MUCHLIS", "MASRUL", "NOVRIANDI", "HARIS", "ALDI",
    ],
    female_given: &[
        "YULIA", "FITRI", "YENI", "ELFI", "NURHAYATI", "SRI", "YUSNIDAR", "ASNIDAR", "ROSNIDAR",
        "NURSIAH", "ZUBAIDAH", "MARNI", "DESI", "NOVI", "YUSNIATI", "ERNAWATI", "RATNA",
        "SURYANI", "DEWI", "HAYATI", "RAHMI", "ZULFA", "NADIA", "AFNI", "ELVI", "WIRDA", "LENI",
        "RINA", "FAUZIAH", "ZAHARA", "SALMA", "ROSMA", "NELI", "YELFI", "MELDA", "DEFI", "EVI",
        "ZURAIDA", "ROSMIATI", "NURMA", "SITI", "AISYAH", "HALIMAH", "FADHILAH", "AMELIA",
        "RAHMADANI", "SYAFRINA", "YUSRA", "FEBRI", "FITRIANI", "NAJWA", "ZAHRA", "KHAIRUNNISA",
        "ADELIA", "AULIA",
    ],
    male_second: &[
        "EFENDI", "PUTRA", "SAPUTRA", "ZULKARNAIN", "MUNAF", "HAMZAH", "ILYAS", "YUNUS",
        "ADNAN", "AZHAR", "AMRI", "ANAS", "SALIM", "YAHYA", "MAHMUD", "ISMAIL", "BAKAR", "HASAN",
        "MARDIUS", "FIRMANSYAH", "NOVIANDRI", "HIDAYAT", "RAHMAN", "ANWAR", "DARMAWAN",
        "SYAFEI", "SUHENDRI",
    ],
    female_second: &[
        "WATI", "YUSNITA", "SUSANTI", "NOVITA", "HANDAYANI", "MARLINA", "HASANAH", "RAHMAWATI",
        "MAISARAH", "ASMARA", "YULIANTI", "NOFRIANTI", "AFRIANI", "YENTI", "HAYATI", "NINGSIH",
        "PUTRI", "SARI", "ANGGRAINI", "ZULAIKHA", "HAMIDAH", "MARDIAH", "RAHMI", "FEBRIANTI",
        "DESWITA", "OKTAVIANI", "YOLANDA",
    ],
    second_word_percent: 50,
    surnames: &[],
    surname_rule: SurnameRule::None,
    religion: &[(1, 995), (2, 3), (3, 2)],
};

static BUGIS: NamePool = NamePool {
    culture: Culture::Bugis,
    male_given: &[
        "MUHAMMAD", "ARSYAD", "HASANUDDIN", "BASO", "BACO", "SYAMSUL", "SYARIFUDDIN",
        "BAHARUDDIN", "JAMALUDDIN", "SAINAL", "ABDUL", "AMIRUDDIN", "NASRUDDIN", "SUDIRMAN",
        "KAHAR", "MANSYUR", "ASRI", "RUSLAN", "ARIFUDDIN", "KADIR", "LATIF", "HAERUDDIN",
        "SULTAN", "RAHMAT", "RUSDI", "ANSAR", "AKBAR", "SAIFUL", "SYAHRIR", "ILHAM", "FIRMAN",
        "ANWAR", "BURHANUDDIN", "NURDIN", "HAMZAH", "MUHLIS", "ABDULLAH", "IDRIS", "AMIR",
        "BADARUDDIN", "KAMARUDDIN", "ZAINUDDIN", "SAHABUDDIN", "ASWAR", "FAJAR", "ALIF",
        "RIZAL", "ADNAN", "SYAMSUDDIN", "MAKMUR", "HAMID", "SUKRI", "MUSLIMIN", "JUFRI",
        "KASIM", "BASRI", "MUSTARI", "AHMAD", "YUSUF",
    ],
    female_given: &[
        "NURHAYATI", "HASNAH", "HASMAWATI", "SITTI", "NURHAEDA", "HAERANI", "KARTINI",
        "MUSDALIFAH", "NURJANNAH", "RAHMAWATI", "HASLINDA", "NURLINA", "ASMAWATI", "HADIJAH",
        "SALMAH", "ROSMINI", "NURMIATI", "HAMSIAH", "ERNAWATI", "MARYAM", "HAJRAH", "SUKMAWATI",
        "JUMIATI", "NURWAHIDA", "SAHARIAH", "HASNIAR", "ISMAWATI", "WAHIDAH", "NURUL",
        "FITRIANI", "ASTUTI", "MIRNA", "SRI", "INDAH", "DEWI", "MASNIAH", "FATIMAH", "MARWAH",
        "SURIANI", "RISNAWATI", "HERLINA", "MUSLIMAH", "ANDINI", "AINUN", "NABILA", "ZASKIA",
        "SALSABILA", "AMALIA", "RATNA", "MUTMAINNAH", "IRMAWATI", "NURHALIMAH", "SYAMSINAR",
    ],
    male_second: &[
        "RAHMAN", "LATIF", "HAKIM", "SALEH", "SYAM", "AZIS", "MAKMUR", "NUR", "ALIMUDDIN",
        "ARIF", "AMIR", "ILYAS", "BASRI", "HAMID", "JALIL", "KADIR", "GAFFAR", "MANSUR",
        "RASYID", "SAFAR", "HASYIM", "HATTA", "HALIM", "BAKRI", "TAHIR", "YUNUS", "MALIK",
        "SAMAD", "TAMRIN",
    ],
    female_second: &[
        "NUR", "HASANAH", "AMALIA", "WAHYUNI", "SARI", "ASTUTI", "RAHMAWATI", "SAFITRI",
        "FITRIANI", "HIDAYAH", "RAMADHANI", "HANDAYANI", "KARTIKA", "ANGGRAINI", "MUSTIKA",
        "HALIMAH", "JUMRAH", "SAHRA", "NURAENI", "HAJRAH", "MARDIANA", "KHAERUNNISA",
        "AULIA", "PUTRI", "NINGSIH", "SUKMAWATI", "MAHARANI",
    ],
    second_word_percent: 45,
    surnames: &[],
    surname_rule: SurnameRule::None,
    religion: &[(1, 985), (2, 10), (3, 3), (4, 2)],
};

static BALINESE: NamePool = NamePool {
    culture: Culture::Balinese,
    male_given: &[
        "SUDARSANA", "ARTAWAN", "SUARDANA", "WIRAWAN", "ADNYANA", "SUDIRTA", "MERTA",
        "SUKADANA", "ARSANA", "SUARTA", "DARMA", "SUWENA", "SUPARTA", "ARIMBAWA", "MAHENDRA",
        "PUTRA", "WIDIANA", "SUMERTA", "SUARJANA", "ASTAWA", "WARDANA", "SEDANA", "SUJANA",
        "ARSAWAN", "PARWATA", "ARDIKA", "SUPARSA", "YASA", "SUDANA", "ARNAWA", "SUASTIKA",
        "SUDIARTA", "SANTIKA", "KARIASA", "WIRATA", "SUARSANA", "ADI", "DARMAYASA", "SUDIKA",
        "MUDANA", "SUBAGIA", "SANJAYA", "PRADNYANA", "WIDNYANA", "RAKA", "SUKERTA", "BUDIASA",
        "SURYAWAN", "ARIAWAN", "DWIPAYANA", "SATRIA", "YUDISTIRA", "KRESNA", "ARJUNA",
    ],
    female_given: &[
        "ARTINI", "SUARNI", "SUARTINI", "SUKARMI", "SRIASIH", "WIDIASTUTI", "SUWITRI",
        "MURNIASIH", "SUDARMI", "ARIANI", "ARINI", "SUKERTI", "SUPARTINI", "ASTITI", "ADNYANI",
        "WIDIANI", "SUWARNI", "PURNAMI", "LASMI", "SUDIANI", "DARMINI", "SUKARSIH", "SRIANI",
        "WIDIARI", "ARIASIH", "PUSPAWATI", "SUKARNI", "DIANTARI", "PRADNYANI", "PURNAMASARI",
        "SUPARWATI", "ARIASTINI", "DEWI", "ASTRINI", "DARMAYANTI", "WULANDARI", "SANTI",
        "SURYANI", "SUDARTINI", "SUCIATI", "KARMINI", "KERTI", "WIRATNI", "MERTASARI",
        "SWANDEWI", "WIDYANTARI", "YUNIARI", "DWIJAYANTI", "SUARDANI", "SUKRENI",
        "CANDRAWATI", "SUMERTI", "ARSINI",
    ],
    male_second: &[
        "PUTRA", "WIJAYA", "SANJAYA", "PRATAMA", "ADNYANA", "WIRAWAN", "MAHENDRA", "DARMAWAN",
        "ARDANA", "ARTANA", "SUDARMA", "YASA", "SEDANA", "KUSUMA", "PERMANA", "SURYA",
        "ANTARA", "NATA", "GUNAWAN", "ANGGARA", "WIDIANTARA", "PRADANA", "SAPUTRA", "PRABAWA",
        "ARTAWAN", "DIPTA", "WISNU",
    ],
    female_second: &[
        "PUTRI", "DEWI", "ANTARI", "WIDIASARI", "SUARI", "ASTITI", "PRATIWI", "LESTARI",
        "PURNAMI", "PURNAMASARI", "SARASWATI", "DEWANTI", "MAHARANI", "JAYANTI", "YANTI",
        "PRADNYANI", "SURYANI", "ARIANI", "UTARI", "ANGGRENI", "WULANDARI", "KARTIKA",
        "WIDIASTUTI", "DARMAYANTI", "CANDRA", "PARAMITHA", "SWARI",
    ],
    second_word_percent: 60,
    surnames: &[],
    surname_rule: SurnameRule::None,
    religion: &[(4, 930), (1, 20), (2, 15), (3, 15), (5, 20)],
};

static CHINESE_INDONESIAN: NamePool = NamePool {
    culture: Culture::ChineseIndonesian,
    male_given: &[
        "HENDRA", "BUDI", "TONY", "ROBERT", "WILLIAM", "KEVIN", "STEVEN", "JOHAN", "HENRY",
        "JIMMY", "EDDY", "RUDY", "HERMAN", "FERRY", "ALBERT", "JONATHAN", "MICHAEL", "VINCENT",
        "RICHARD", "DANIEL", "FELIX", "ERIC", "JASON", "RYAN", "CALVIN", "DARREN", "NICHOLAS",
        "EDWIN", "FRANKY", "HARIANTO", "SUTANTO", "HENDRIK", "IWAN", "WILLY", "HERRY", "JOHNNY",
        "SUSANTO", "YOHANES", "ANTON", "ALEXANDER", "BENNY", "DAVID", "SAMUEL", "KELVIN",
        "JEFFREY", "ANDREW", "ADRIAN", "CHRISTOPHER", "GILBERT", "LEONARDO", "MARCEL",
        "TIMOTHY", "JOSHUA", "BRYAN", "ETHAN", "HANS", "ROBBY", "SANDY", "ALVIN", "VICTOR",
    ],
    female_given: &[
        "LINDA", "SUSI", "LILY", "MELINDA", "JESSICA", "MICHELLE", "CHRISTINE", "STEPHANIE",
        "JENNY", "VIVIAN", "WENDY", "YENNY", "MERRY", "LANNY", "LENNY", "FANNY", "SHERLY",
        "CINDY", "MONICA", "VERONICA", "FELICIA", "ANGELINE", "CLARISSA", "NATALIA", "CYNTHIA",
        "GRACE", "OLIVIA", "VALERIE", "CATHERINE", "PATRICIA", "SANDRA", "LIANA", "MEILANI",
        "SUSANTI", "IRENE", "EVELYN", "JULIANA", "YULIANA", "ELISABETH", "REGINA", "CELINE",
        "NADYA", "VANESSA", "JOANNA", "LAURA", "AUDREY", "SHIRLEY", "TIFFANY", "AGNES", "ELLEN",
        "ROSALINA", "HELEN", "LISA", "MARIA",
    ],
    male_second: &[
        "ANTHONY", "CHRISTIAN", "ALEXANDER", "JOSEPH", "PATRICK", "THOMAS", "AUGUSTINUS",
        "BENEDICT", "LEONARD", "MARTIN", "RAYMOND", "EDWARD", "GEORGE", "FRANSISKUS",
        "STEFANUS", "PAULUS", "PETRUS", "YOSEF", "MATTHEW", "DOMINIC", "GABRIEL", "RAPHAEL",
        "LUKAS", "JULIUS", "VICTOR", "OWEN", "NATHAN", "PUTRA",
    ],
    female_second: &[
        "ANGELINA", "CHRISTINA", "THERESIA", "ELISABETH", "YOHANA", "CECILIA", "FRANSISKA",
        "VERONIKA", "AGUSTINA", "NATASHA", "SABRINA", "GABRIELLA", "ISABELLA", "JOVITA",
        "OKTAVIA", "CAROLINE", "JOSEPHINE", "VIVIANA", "PRISCILLA", "REBECCA", "STEFANI",
        "LUCIA", "MONIKA", "ANASTASIA", "AURELIA", "CLAUDIA", "DEBORA", "PUTRI",
    ],
    second_word_percent: 50,
    surnames: &[
        "WIJAYA", "GUNAWAN", "HALIM", "SALIM", "TANOTO", "KUSUMA", "SANTOSO", "HARTONO",
        "SETIAWAN", "TANUWIJAYA", "LIMANTO", "SUSANTO", "LIMANTARA", "TANJAYA", "SUGIHARTO",
        "GOZALI", "TEDJA", "WIBISONO", "KURNIAWAN", "SUTANTO", "SUHENDRA", "TJANDRA", "LIM",
        "TAN", "ONG", "LIE", "WONG", "CHANDRA", "TANZIL", "WINATA", "SURYADI", "HIDAYAT",
        "HADINATA", "SALIMAN",
    ],
    surname_rule: SurnameRule::Patrilineal,
    religion: &[(5, 430), (2, 250), (3, 180), (6, 80), (1, 60)],
};

static MALAY: NamePool = NamePool {
    culture: Culture::Malay,
    male_given: &[
        "ABDUL", "AHMAD", "MUHAMMAD", "ZAINAL", "ZULKARNAIN", "SYAHRIAL", "AZHAR", "ISMAIL",
        "YUSUF", "HAMDAN", "RAHIM", "ROSLAN", "SAMSUL", "MAHMUD", "HARUN", "KAMARUDDIN",
        "SULAIMAN", "JAMALUDIN", "RIDUAN", "MUKHTAR", "BUSTAMI", "SYAMSUDIN", "AMRAN",
        "JUNAIDI", "HASAN", "HUSIN", "ZAKARIA", "ZULKIFLI", "RIZAL", "FAISAL", "IRWAN", "ARIFIN",
        "SAIFUL", "SYAHRIL", "FIRMAN", "HENDRA", "DEDI", "RUSDI", "SUDIRMAN", "ANWAR", "HAMZAH",
        "IDRIS", "MAHADI", "RAZALI", "KHAIRUL", "FAHRI", "RAFFI", "FARHAN", "RIZKY", "ALIF",
        "DAFFA", "RAIHAN", "HAIKAL", "AQIL", "ILHAM",
    ],
    female_given: &[
        "SITI", "NURHAYATI", "AISYAH", "FATIMAH", "ZAINAB", "AMINAH", "HALIMAH", "MAIMUNAH",
        "ROSNAH", "ZURAIDAH", "NORMA", "SALMAH", "HASNAH", "RAHMAH", "ROHANI", "NURUL", "NUR",
        "MARIANI", "SURIANI", "FAUZIAH", "ZAHARA", "ROSMAWATI", "YUSNIAR", "HAMIDAH", "RAMLAH",
        "SAODAH", "JUBAIDAH", "MAHYUNI", "NORLELA", "YANTI", "ERNI", "LELA", "MAYA", "DIANA",
        "RINA", "WATI", "DEWI", "AZIZAH", "SYARIFAH", "NADIA", "NABILA", "SALSABILA", "ZAHRA",
        "AULIA", "KHAIRUNNISA", "NAYLA", "AQILA", "HUSNA", "AFIFAH", "INTAN", "PUTRI", "MELATI",
    ],
    male_second: &[
        "RAHMAN", "HAMID", "EFFENDI", "SYAHPUTRA", "SAPUTRA", "RAMADHAN", "HIDAYAT", "HASAN",
        "ARIFIN", "MALIK", "SALEH", "KARIM", "RASYID", "HAKIM", "ALI", "UMAR", "YAHYA",
        "ISKANDAR", "ZAINUDDIN", "AZIZ", "FADLI", "FIRDAUS", "ABDULLAH", "MAULANA", "PRATAMA",
        "KURNIAWAN",
    ],
    female_second: &[
        "SYAFITRI", "RAHMAWATI", "HASANAH", "MAHARANI", "ANGGRAINI", "SARI", "WATI", "NOVITA",
        "PUTRI", "HIDAYATI", "SAFITRI", "AMALIA", "RAMADHANI", "YULIANTI", "FITRIANI",
        "HANDAYANI", "AFRIANI", "ZAHARA", "MARLINA", "NURAINI", "ISNAINI", "SOFIA", "KHAIRANI",
        "WAHYUNI", "ZAKIAH", "RAHMI", "YUSRA", "AZZAHRA",
    ],
    second_word_percent: 50,
    surnames: &[],
    surname_rule: SurnameRule::None,
    religion: &[(1, 980), (2, 10), (3, 5), (5, 5)],
};

static BETAWI: NamePool = NamePool {
    culture: Culture::Betawi,
    male_given: &[
        "SAPI'I", "MA'RUF", "MUHIDIN", "ROHIM", "MUNIR", "SANUSI", "MADUN", "JAELANI",
        "SAMSUDIN", "BASIR", "SARMILI", "ROJALI", "ROJAK", "MAMAT", "UDIN", "JAENUDIN",
        "MUHAMAD", "ABDUL", "ACHMAD", "SAIPUL", "NAWI", "NAPIS", "HASBULLAH", "MARZUKI",
        "MURSALIN", "SARIPUDIN", "JUNAEDI", "BACHTIAR", "DULLAH", "SAMIUN", "MUSA", "RIDWAN",
        "FAHMI", "RIZKI", "FIKRI", "ANDRE", "ARIEF", "DENNY", "AGUS", "HENDRA", "IQBAL", "RAFLI",
        "RIFKY", "DIMAS", "FARHAN", "ZAKI", "HAIKAL", "REZA", "ALDI", "BAYU", "YUSUF", "ENTONG",
    ],
    female_given: &[
        "ROKAYAH", "MARFU'AH", "SA'ADAH", "MUNAWAROH", "KHODIJAH", "ZAENAB", "MASITOH",
        "NURHASANAH", "HALIMAH", "ROSIDAH", "SALAMAH", "MURNI", "ANI", "ENI", "YATI", "ROMLAH",
        "NAPISAH", "JAMILAH", "ASIH", "ATIKAH", "FATMAWATI", "MARIAM", "SARIAH", "ROHANAH",
        "NENGSIH", "MAEMUNAH", "JUBAEDAH", "DEWI", "RINA", "LINDA", "SUSI", "YANTI", "MAYA",
        "FITRI", "RATNA", "AYU", "NURUL", "AULIA", "SALSABILA", "NAZWA", "ZAHRA", "KEISYA",
        "NABILA", "AISYAH", "ADINDA", "AMELIA", "PUTRI", "RAHMA", "SAFIRA", "TIARA", "INTAN",
    ],
    male_second: &[
        "HIDAYAT", "RAHMAN", "SOLEH", "SUPRIADI", "SAPUTRA", "FIRMANSYAH", "MAULANA",
        "RAMADHAN", "HIDAYATULLAH", "NURDIN", "HASAN", "EFENDI", "SYAHRONI", "SOBARI",
        "JUNAIDI", "FAUZI", "ABDULLAH", "ARIFIN", "KURNIAWAN", "SETIAWAN", "PRATAMA", "WIJAYA",
        "MUBAROK", "ALAMSYAH", "SULAIMAN", "ANSORI", "NAWAWI", "MUHIDIN",
    ],
    female_second: &[
        "RAHMAWATI", "FITRIANI", "NURLAELA", "HASANAH", "MARYAM", "SAFITRI", "AMALIA",
        "KHAIRUNNISA", "ROHMAH", "SOLIHAH", "FAUZIAH", "LESTARI", "PERMATASARI", "NOVITA",
        "SARI", "MARLINA", "HERAWATI", "YULIANTI", "HANDAYANI", "ANGGRAENI", "RAMADHANI",
        "AZZAHRA", "MAULIDA", "NABILAH", "MAHARANI",
    ],
    second_word_percent: 45,
    surnames: &[],
    surname_rule: SurnameRule::None,
    religion: &[(1, 970), (2, 20), (3, 10)],
};

static MINAHASA: NamePool = NamePool {
    culture: Culture::Minahasa,
    male_given: &[
        "FERRY", "REINHARD", "HENDRIK", "JOPPY", "MAX", "JOHNY", "RONNY", "FRANKY", "NOLDY",
        "STEVEN", "RICKY", "JEFRY", "ARNOLD", "ALFRED", "DENNY", "HARRY", "MARTHEN", "WILLEM",
        "ROY", "ROBBY", "LEXY", "ROLLY", "DJONI", "FREDDY", "RUDOLF", "JEMMY", "SONNY", "TOMMY",
        "FRANS", "JOHANIS", "ALEXANDER", "ANDRE", "BRYAN", "GABRIEL", "MICHAEL", "CHRISTIAN",
        "NATHANAEL", "JUAN", "KEVIN", "RAFAEL", "VALENTINO", "JULIUS", "OKTAVIANUS",
        "MARCELINO", "MARVIN", "RIVALDO", "GERALD", "ANTHONY", "JEFFREY", "RENALDY",
    ],
    female_given: &[
        "MEIKE", "JEANNE", "NOVA", "SANDRA", "DEISY", "VONNY", "MERRY", "NELLY", "ANNEKE",
        "ANGELA", "CHRISTIN", "GRACE", "FELICIA", "GLADYS", "JESSICA", "MARSELA", "NATALIA",
        "PRICILIA", "REGINA", "SHERLY", "STEFANI", "VERONIKA", "WINDY", "YOLANDA", "OLIVIA",
        "CINDY", "INGGRID", "FRIDA", "HELEN", "DEBBY", "EVA", "JOYCE", "LIDYA", "MARIA",
        "MARTHA", "RENY", "RIKA", "SINTIA", "TRIFENA", "VIVI", "ALFRIDA", "LENI", "DIANA",
        "MARLENE", "JULIANA", "SELVI", "KEZIA", "CLARA", "GABRIELA", "AUDREY", "CHELSEA",
    ],
    male_second: &[
        "ALBERT", "JOHAN", "HENDRIK", "ROBERT", "PIETER", "WILLIAM", "EDWARD", "FREDERIK",
        "GERARD", "HERMAN", "JACOB", "LEONARD", "MARTIN", "NICOLAAS", "PAUL", "RICHARD",
        "ROLAND", "SAMUEL", "THEODORUS", "VICTOR", "ANDREAS", "BERNARD", "DANIEL", "EMANUEL",
        "JOSEPH", "LUCAS", "MARKUS", "STEVANUS",
    ],
    female_second: &[
        "MARIA", "ELISABETH", "CHRISTINA", "MAGDALENA", "JOHANNA", "WILHELMINA", "KATHARINA",
        "FRANSISKA", "HENDRIKA", "CORNELIA", "LOUISA", "PAULINA", "THERESIA", "VERONIKA",
        "ANGELINA", "GABRIELA", "JULIANA", "SOFIA", "ROSALINA", "NATALIA", "EUNIKE",
        "AGUSTINA", "DEBORA", "MARGARETHA", "CAROLINA", "JOSEFINA", "RUTH",
    ],
    second_word_percent: 55,
    surnames: &[
        "WAROUW", "LUMENTUT", "SONDAKH", "RUMONDOR", "MAMAHIT", "TUMBELAKA", "RUNTUWENE",
        "MANTIRI", "KALALO", "MAMUAYA", "TUMEWU", "POLII", "RATULANGI", "SUMAMPOW",
        "PANGEMANAN", "KANDOU", "LONTOH", "LUMINGKEWAS", "SUMOLANG", "TAMBAJONG", "PINONTOAN",
        "TENDEAN", "PANGALILA", "MONTOLALU", "WUISAN", "ROTTY", "WOWOR", "TAMBUWUN", "MOGOT",
        "SAMBUAGA", "KAUNANG", "RUNTU", "RAMBING", "KAWILARANG", "WENAS", "TUWAIDAN",
    ],
    surname_rule: SurnameRule::Patrilineal,
    religion: &[(2, 880), (3, 70), (1, 50)],
};

static AMBONESE: NamePool = NamePool {
    culture: Culture::Ambonese,
    male_given: &[
        "YOHANIS", "SEMUEL", "JACOB", "MARTHEN", "ALEXANDER", "FREDRIK", "HENDRIK",
        "DOMINGGUS", "ELIA", "ABRAHAM", "LEONARD", "NICOLAS", "MOSES", "EMANUEL", "MELKY",
        "GLENN", "RICKY", "ARNOLD", "JOHNY", "ZETH", "PAULUS", "PETRUS", "YUNUS", "MARKUS",
        "YOSIAS", "SIMON", "ANTHONIUS", "FRANKY", "MICHAEL", "DANIEL", "DAVID", "ONISIMUS",
        "LODEWYK", "BARNABAS", "OKTOVIANUS", "RUDY", "JEMMY", "HASAN", "ABDULLAH", "RAHMAN",
        "ALI", "UMAR", "SALEH", "ISMAIL", "MUHAMMAD", "AHMAD", "RIZAL", "KEVIN", "GERALDO",
        "JORDAN", "YUSUF",
    ],
    female_given: &[
        "YOHANA", "MARTHA", "ELISABETH", "SARA", "RUTH", "DEBORA", "LEA", "SALOMINA",
        "MAGDALENA", "AGUSTINA", "FERONIKA", "MERLYN", "FRANSINA", "JOHANA", "PAULINA",
        "WILHELMINA", "NATALIA", "CHRISTINA", "HELENA", "ESTERLINA", "DORTEA", "JOSINA",
        "NELLY", "LENY", "SELVI", "MERY", "FEBY", "GRACE", "JULIA", "MONIKA", "SIFRA", "TABITA",
        "RAHEL", "MARIANA", "LUSIANA", "SANTI", "SITI", "NURHAYATI", "FATIMA", "AISA",
        "HADIJAH", "RAHMA", "SALMA", "ZAINAB", "NURUL", "MARLENA", "YOLANDA", "ANGEL", "PRISKA",
        "VANIA", "CLARA", "NOVITA", "RENY",
    ],
    male_second: &[
        "ALFONS", "BENYAMIN", "DOMINGGUS", "EFRAIM", "FRANS", "GIDEON", "HERMANUS", "IMANUEL",
        "JACOBUS", "KORNELIS", "LAURENS", "MATHEUS", "NATANAEL", "OKTAVIANUS", "PETRUS",
        "RUDOLF", "SAMUEL", "TOBIAS", "WILLEM", "YEREMIAS", "ZAKHARIAS", "ARNOLDUS",
        "BARTHOLOMEUS", "CAREL", "JUSTINUS",
    ],
    female_second: &[
        "AGUSTINA", "BEATRIX", "CHRISTIN", "DOROTHEA", "EVELINA", "FREDRIKA", "GERTRUIDA",
        "HENDRINA", "IRENE", "JOSEPHINA", "KAROLINA", "LOUISA", "MARGARETHA", "MARIA",
        "PAULINA", "REGINA", "SALOMINA", "THERESIA", "URSULA", "VIKTORIA", "WILHELMINA",
        "YOSEPHINE", "ELISA", "SOFIA", "ROSINA", "JOHANNA",
    ],
    second_word_percent: 50,
    surnames: &[
        "PATTINAMA", "LATUHERU", "SAHETAPY", "PATTIASINA", "LEIWAKABESSY", "PATTIRADJAWANE",
        "TUHUMURY", "LATUMAHINA", "MAKATITA", "SAPULETTE", "TETELEPTA", "WATTIMENA",
        "TAHAPARY", "SOPLANTILA", "RIUPASSA", "NANLOHY", "LEATEMIA", "TUASIKAL", "OHORELLA",
        "PESULIMA", "LATUCONSINA", "TITALEY", "SIAHAYA", "MATULESSY", "LESNUSSA", "HEHANUSSA",
        "PELUPESSY", "MANUPUTTY", "PATTIPEILOHY", "LOPULALAN", "SOUISA",
    ],
    surname_rule: SurnameRule::Patrilineal,
    religion: &[(2, 520), (1, 400), (3, 80)],
};

static NUSA_TENGGARA_TIMUR: NamePool = NamePool {
    culture: Culture::NusaTenggaraTimur,
    male_given: &[
        "YOHANES", "PETRUS", "PAULUS", "ANTONIUS", "FRANSISKUS", "YOSEF", "MARKUS",
        "AGUSTINUS", "DOMINIKUS", "KORNELIS", "STEFANUS", "YULIUS", "MIKAEL", "GREGORIUS",
        "KRISTOFORUS", "BERNARDUS", "ALOYSIUS", "BLASIUS", "EMANUEL", "FABIANUS",
        "HIERONIMUS", "IGNASIUS", "KASIMIRUS", "LORENSIUS", "MATIAS", "NIKOLAUS",
        "OKTAVIANUS", "PIUS", "ROBERTUS", "SEBASTIANUS", "VINSENSIUS", "YAKOBUS", "ZAKARIAS",
        "ARNOLDUS", "BONIFASIUS", "DAMIANUS", "EUSEBIUS", "FERDINANDUS", "GABRIEL",
        "HERMANUS", "ISIDORUS", "KLEMENS", "LUKAS", "MARSELINUS", "NORBERTUS", "ONESIMUS",
        "PATRISIUS", "REMIGIUS", "SILVESTER", "SIPRIANUS", "VALENTINUS", "WILIBRODUS",
        "ADRIANUS",
    ],
    female_given: &[
        "MARIA", "MARGARETA", "AGNES", "BERNADETA", "KATARINA", "ELISABETH", "FRANSISKA",
        "YOSEFINA", "VERONIKA", "SISILIA", "THERESIA", "ANASTASIA", "ANGELA", "BEATRIKS",
        "KRISTINA", "MAGDALENA", "PAULINA", "PETRONELA", "ROSALIA", "SABINA", "SKOLASTIKA",
        "VIKTORIA", "YULIANA", "ADRIANA", "BRIGITA", "DOROTEA", "EMERENSIANA", "FILOMENA",
        "GODELIVA", "HELENA", "IMELDA", "KLARA", "LUSIA", "MARSELINA", "NATALIA", "OKTAVIA",
        "REGINA", "SERAFINA", "SUSANA", "TEKLA", "VERA", "YASINTA", "YOVITA", "DESIDERIA",
        "FELISITAS", "KORNELIA", "MARTA", "AURELIA", "BENEDIKTA", "SANTI",
    ],
    male_second: &[
        "BOSCO", "BENEDIKTUS", "KRISTIANUS", "RAFAEL", "FELIX", "LEO", "BRUNO", "VIKTOR",
        "GERARDUS", "HUBERTUS", "KONRADUS", "LIBERTUS", "MAKSIMUS", "NATALIS", "OSKAR",
        "PASKALIS", "ROMANUS", "SIMON", "TITUS", "URBANUS", "VITALIS", "WALTER", "XAVERIUS",
        "ALFONSUS", "BERTOLOMEUS", "DIONISIUS", "EDUARDUS",
    ],
    female_second: &[
        "FATIMA", "GORETI", "IMAKULATA", "KONSOLATA", "ASUMPTA", "BONIFASIA", "DELFINA",
        "EDELTRUDIS", "FLORENSIA", "GRASIANA", "HERMINA", "IGNASIA", "JUSTINA", "KRESENSIA",
        "LAURENSIA", "MAKRINA", "ODILIA", "PRISKA", "RENATA", "SELESTINA", "URSULA",
        "VALENTINA", "WILHELMINA", "YOHANA", "ZITA", "AGATA", "BERTA",
    ],
    second_word_percent: 55,
    surnames: &[
        "NDOLU", "BENU", "LAKE", "BRIA", "MANEK", "NAHAK", "SERAN", "TAEK", "BERE", "KLAU",
        "NENO", "TEFA", "NUBATONIS", "NDUN", "WANGGE", "LEDO", "KOLO", "PELLO", "FOEH", "SELAN",
        "ADOE", "KOTEN", "KELEN", "MARAN", "KEBAN", "LEWAR", "TUKAN", "HURINT", "MESA",
        "TALLO", "RIWU", "LAY",
    ],
    surname_rule: SurnameRule::Patrilineal,
    religion: &[(3, 700), (2, 220), (1, 70), (7, 10)],
};

static DAYAK: NamePool = NamePool {
    culture: Culture::Dayak,
    male_given: &[
        "ALBERTUS", "ANDREAS", "ANTONIUS", "ARKADIUS", "BARNABAS", "BENEDIKTUS", "BONIFASIUS",
        "DAMIANUS", "DANIEL", "ELIAS", "EMANUEL", "FRANSISKUS", "GERARDUS", "HENDRIKUS",
        "IGNATIUS", "KORNELIS", "LUKAS", "MARKUS", "MATIUS", "NATALIS", "PAULUS", "PETRUS",
        "PIUS", "SAMUEL", "SIMON", "STEFANUS", "TOMAS", "VALENTINUS", "YOHANES", "YAKOBUS",
        "YULIUS", "ASANG", "BUJANG", "LAWING", "USING", "TAMBUN", "TERAS", "RANDI", "HERI",
        "ARDI", "RIKO", "YANTO", "DARIUS", "KRISTIANUS", "RONI", "SERGIUS", "KLEMENS",
        "LIBERTUS", "MIKAEL", "ROBERTUS", "SABINUS", "JUNAIDI",
    ],
    female_given: &[
        "ELISABETH", "MARIA", "YOHANA", "AGNES", "ANGELA", "BERNADETA", "KRISTINA", "DOMINIKA",
        "FRANSISKA", "HELENA", "KATARINA", "LUSIA", "MARGARETA", "MARTINA", "NATALIA",
        "PAULINA", "ROSALINA", "SISILIA", "THERESIA", "VERONIKA", "YOSEFINA", "YULIANA", "EVA",
        "LIDIA", "MARTA", "RUT", "SARA", "DEBORA", "ESTER", "TABITA", "DAYANG", "IDANG", "LENI",
        "MERI", "NOVI", "RINA", "SINTA", "TINA", "YANTI", "ERNA", "LINA", "SELVIA", "ANITA",
        "DESI", "ELSA", "FEBI", "GLORIA", "INDAH", "JELITA", "KARMILA", "MONIKA", "ODILIA",
        "PRISKILA", "REGINA", "SABINA",
    ],
    male_second: &[
        "SAPUTRA", "PRATAMA", "KRISTIAN", "SETIAWAN", "WIJAYA", "KURNIAWAN", "PERMANA",
        "NUGRAHA", "SANTOSO", "HENDRIK", "MARTINUS", "YOSEPH", "ROBERT", "ALBERT", "FREDERIK",
        "LEONARDUS", "EDWARD", "GABRIEL", "VALENTINO", "NATANAEL", "EFRAIM", "BENYAMIN",
        "DARMAWAN", "PUTRA", "ADIPUTRA",
    ],
    female_second: &[
        "SAPUTRI", "PRATIWI", "LESTARI", "KRISTIANI", "DEWI", "SARI", "NATALIA", "ROSALINA",
        "ANGELINA", "MAGDALENA", "MARSELINA", "SETIAWATI", "KURNIASARI", "PUSPITASARI",
        "WULANDARI", "HANDAYANI", "NOVITA", "OKTAVIANI", "FEBRIANTI", "YOSEPHA", "AGUSTINA",
        "MARIANI", "THERESIA", "VALENTINA", "PERMATA",
    ],
    second_word_percent: 45,
    surnames: &[
        "NARANG", "RIWUT", "DOHONG", "LAMBUNG", "BANGKAN", "NAHAN", "SIDOT", "LAWAI", "LAING",
        "JALONG", "USAT", "UJAU", "MAJANG", "NYURANG", "LUHAT", "ANTANG", "BILUNG", "UMBAN",
        "ADAU", "BALANG", "LENJAU", "SAHAY", "UNJUNG", "KALANG", "ASAK", "NGABUT", "PAHAN",
    ],
    surname_rule: SurnameRule::Patrilineal,
    religion: &[(2, 420), (3, 330), (1, 150), (7, 80), (4, 20)],
};

static PAPUAN: NamePool = NamePool {
    culture: Culture::Papuan,
    male_given: &[
        "YOHANIS", "YAKOB", "MARKUS", "MATIUS", "PETRUS", "PAULUS", "ELIA", "YULIANUS", "OTTO",
        "LUKAS", "DEMIANUS", "ISAK", "MESAK", "YUNUS", "SEM", "ZAKEUS", "HABEL", "KORNELIUS",
        "FRANS", "BENNY", "DOMINGGUS", "EDISON", "HERMAN", "YOSEF", "MIKAEL", "NAFTALI",
        "OKTOVIANUS", "PILIPUS", "ROBERT", "TITUS", "AMOS", "BARNABAS", "DANIEL", "ENOS",
        "GERSON", "HANOK", "LEVI", "MANASE", "NIKOLAUS", "OBED", "SALMON", "TOMAS", "YAFET",
        "YEREMIAS", "YESAYA", "ZAKARIAS", "AGUS", "ALEX", "ANDREAS", "ARNOLD", "EFRAIM",
        "KLEMENS",
    ],
    female_given: &[
        "YOSINA", "DORKAS", "MARIA", "MARTHA", "MERI", "SELINA", "YULIANA", "AGUSTINA",
        "ELSINA", "FERONIKA", "MARTINA", "REGINA", "SARA", "RUT", "DORTEA", "NAOMI", "LEA",
        "RAHEL", "ESTER", "LIDIA", "SUSANA", "YOHANA", "DEBORA", "PRISKILA", "TABITA", "SIFRA",
        "SALOME", "MIRIAM", "HANA", "ANACE", "BETSY", "ELISABETH", "FRANSINA", "HELENA",
        "KATARINA", "MAGDALENA", "NELCE", "OKTAVINA", "PAULINA", "ROSINA", "SELFINA",
        "TERESIA", "WILHELMINA", "YAKOMINA", "ADOLFINA", "BEATRIKS", "KRISTINA", "LUSIA",
        "NATALIA", "ORPA", "SINTA", "YUNITA", "ANITA", "MONIKA", "DINA",
    ],
    male_second: &[
        "ABNER", "BENYAMIN", "DAVID", "EZRA", "GIDEON", "HIZKIA", "IMANUEL", "YOEL", "KALEB",
        "LAZARUS", "MUSA", "NEHEMIA", "OBAJA", "RUBEN", "SAMUEL", "SIMSON", "TIMOTIUS", "URIA",
        "YOSUA", "ARON", "ABRAHAM", "ELIEZER", "FILEMON", "ISAK", "STEFANUS", "MATHEUS",
    ],
    female_second: &[
        "ANGELINA", "BERLIANA", "EUNIKE", "FEBE", "GRASIA", "HAGAR", "ISABELA", "YUDIT",
        "KEZIA", "LOIS", "MARIANA", "NATALIA", "OLIVIA", "PRISKA", "RUTH", "SAFIRA", "TAMAR",
        "URSULA", "VERONIKA", "YEMIMA", "ZIPORA", "ESTERLINA", "MARLINA", "SELVIANA", "ANACE",
    ],
    second_word_percent: 45,
    surnames: &[
        "WENDA", "KOGOYA", "RUMBIAK", "MANSEMBRA", "WONDA", "TABUNI", "KAREMBA", "MURIB",
        "ENUMBI", "WANIMBO", "YIGIBALOM", "KOSAY", "HILAPOK", "WAKERKWA", "MABEL", "LOKBERE",
        "TELENGGEN", "YIKWA", "GIRI", "RUMBEWAS", "RUMAKIEK", "MANDOWEN", "KAISIEPO", "KORWA",
        "WOMSIWOR", "AWOM", "RUMKORAM", "IBO", "MAYOR", "KAFIAR", "SAWAKI", "RUMAROPEN",
        "WANMA", "WAINGGAI", "DIMARA", "MOFU", "YOWENI", "OHEE",
    ],
    surname_rule: SurnameRule::Patrilineal,
    religion: &[(2, 700), (3, 230), (1, 60), (7, 10)],
};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const ALL: [Culture; 14] = [
        Culture::Javanese, Culture::Sundanese, Culture::Batak, Culture::Minang, Culture::Bugis,
        Culture::Balinese, Culture::ChineseIndonesian, Culture::Malay, Culture::Betawi,
        Culture::Minahasa, Culture::Ambonese, Culture::NusaTenggaraTimur, Culture::Dayak,
        Culture::Papuan,
    ];

    fn check_clean(what: &str, list: &[&str]) {
        assert!(!list.is_empty(), "{what}: empty list");
        let mut seen = HashSet::new();
        for name in list {
            assert!(!name.is_empty(), "{what}: empty entry");
            assert!(
                name.bytes().all(|b| b.is_ascii_uppercase() || b == b' ' || b == b'\''),
                "{what}: bad character in {name:?}"
            );
            assert!(
                !name.starts_with(' ') && !name.ends_with(' ') && !name.contains("  "),
                "{what}: bad spacing in {name:?}"
            );
            assert!(seen.insert(*name), "{what}: duplicate {name:?}");
        }
    }

    #[test]
    fn pools_are_clean_and_large_enough() {
        for c in ALL {
            let p = pool(c);
            assert_eq!(p.culture, c);
            check_clean(&format!("{c:?} male_given"), p.male_given);
            check_clean(&format!("{c:?} female_given"), p.female_given);
            check_clean(&format!("{c:?} male_second"), p.male_second);
            check_clean(&format!("{c:?} female_second"), p.female_second);
            assert!(p.male_given.len() >= 50, "{c:?} male_given {}", p.male_given.len());
            assert!(p.female_given.len() >= 50, "{c:?} female_given {}", p.female_given.len());
            assert!(p.male_second.len() >= 25, "{c:?} male_second {}", p.male_second.len());
            assert!(p.female_second.len() >= 25, "{c:?} female_second {}", p.female_second.len());
            assert!(p.second_word_percent <= 100, "{c:?} second_word_percent");
        }
    }

    #[test]
    fn surnames_match_rule() {
        for c in ALL {
            let p = pool(c);
            if p.surname_rule == SurnameRule::None {
                assert!(p.surnames.is_empty(), "{c:?} has surnames but rule None");
            } else {
                check_clean(&format!("{c:?} surnames"), p.surnames);
                assert!(p.surnames.len() >= 25, "{c:?} surnames {}", p.surnames.len());
            }
        }
        assert_eq!(pool(Culture::Batak).surname_rule, SurnameRule::PatrilinealBoru);
        assert_eq!(pool(Culture::Javanese).surname_rule, SurnameRule::None);
        assert_eq!(pool(Culture::Papuan).surname_rule, SurnameRule::Patrilineal);
    }

    #[test]
    fn religion_weights_are_valid() {
        for c in ALL {
            let p = pool(c);
            assert!(!p.religion.is_empty(), "{c:?} religion empty");
            let mut total = 0u32;
            for &(code, w) in p.religion {
                assert!((1..=7).contains(&code), "{c:?} religion code {code}");
                total += u32::from(w);
            }
            assert!(total > 0, "{c:?} religion total weight zero");
        }
    }

    #[test]
    fn provinces_have_mixes() {
        assert_eq!(PROVINCE_POPULATION.len(), 38);
        let mut seen = HashSet::new();
        for &(code, pop) in PROVINCE_POPULATION {
            assert!(seen.insert(code), "duplicate province {code}");
            assert!(pop > 0, "province {code} has no population");
            let mix = province_mix(code);
            assert!(!mix.is_empty(), "province {code} has empty mix");
            let total: u32 = mix.iter().map(|&(_, w)| u32::from(w)).sum();
            assert!(total > 0, "province {code} mix weight zero");
            let cultures: HashSet<Culture> = mix.iter().map(|&(c, _)| c).collect();
            assert_eq!(cultures.len(), mix.len(), "province {code} repeats a culture");
        }
        let default = province_mix(0);
        assert!(default.iter().any(|&(c, _)| c == Culture::Malay));
        assert!(default.iter().any(|&(c, _)| c == Culture::Javanese));
    }

    #[test]
    fn street_names_and_constants_are_clean() {
        check_clean("STREET_NAMES", STREET_NAMES);
        assert!(STREET_NAMES.len() >= 60, "STREET_NAMES {}", STREET_NAMES.len());
        check_clean("BALINESE_BIRTH_ORDER", &BALINESE_BIRTH_ORDER);
        check_clean("BALINESE_BIRTH_ORDER_ALT", &BALINESE_BIRTH_ORDER_ALT);
        check_clean("BUGIS_NOBLE_PREFIX", &[BUGIS_NOBLE_PREFIX]);
        let bali = pool(Culture::Balinese);
        for w in BALINESE_BIRTH_ORDER.iter().chain(BALINESE_BIRTH_ORDER_ALT.iter()) {
            assert!(!bali.male_given.contains(w) && !bali.female_given.contains(w));
        }
        let bugis = pool(Culture::Bugis);
        assert!(!bugis.male_given.contains(&BUGIS_NOBLE_PREFIX));
    }
}

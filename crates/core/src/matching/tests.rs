use chrono::NaiveDate;

use super::*;

/// The bound a similarity score must meet.
#[derive(Debug, Clone, Copy)]
enum Bound {
    Exactly(u8),
    AtLeast(u8),
    Below(u8),
}

use Bound::{AtLeast, Below, Exactly};

/// (submitted, stored, expected bound, what the row is about)
const SIMILARITY_VECTORS: &[(&str, &str, Bound, &str)] = &[
    ("BUDI SANTOSO", "BUDI SANTOSO", Exactly(100), "identical"),
    ("DR. H. AHMAD FAUZI, S.H., M.H.", "AHMAD FAUZI", Exactly(100), "prefix and suffix titles"),
    ("Prof. Dr. Ir. H. Bambang Sutrisno, M.Sc.", "BAMBANG SUTRISNO", Exactly(100), "stacked titles, mixed case"),
    ("K. H. AHMAD DAHLAN", "AHMAD DAHLAN", Exactly(100), "title written with spaces"),
    ("Hj. Siti Aminah, S.Pd.", "SITI AMINAH", Exactly(100), "hajjah and a degree"),
    ("BUDI SANTOSO S. H.", "BUDI SANTOSO", Exactly(100), "spaced degree without comma"),
    ("budi santoso", "BUDI SANTOSO", Exactly(100), "case"),
    ("  BUDI   SANTOSO ", "BUDI SANTOSO", Exactly(100), "spacing"),
    ("MA'RUF AMIN", "MARUF AMIN", Exactly(100), "apostrophe"),
    ("SITI-NURBAYA", "SITI NURBAYA", Exactly(100), "hyphen"),
    ("SOEHARTO", "SUHARTO", Exactly(100), "old spelling OE"),
    ("DJOKO TJIPTO", "JOKO CIPTO", Exactly(100), "old spelling DJ and TJ"),
    ("SJAFRUDDIN PRAWIRANEGARA", "SYAFRUDDIN PRAWIRANEGARA", Exactly(100), "old spelling SJ"),
    ("SITI NURHALIZA", "SITI NURHALIZAH", AtLeast(85), "one missing letter"),
    ("BUDI SANTOSO", "BUDI SANTOZO", AtLeast(85), "one wrong letter"),
    ("BUDI SANTOSO", "BUDI SANTSOO", AtLeast(85), "two letters swapped"),
    ("BUDI SANTOSO", "BUDI SANTOSO ", Exactly(100), "trailing space"),
    ("SANTOSO BUDI", "BUDI SANTOSO", AtLeast(95), "word order"),
    ("PUTRI AYU LESTARI", "PUTRI LESTARI AYU", AtLeast(95), "word order, three words"),
    ("BUDI SANTOSO", "BUDI AGUS SANTOSO", AtLeast(70), "missing middle name"),
    ("DEWI SARTIKA", "DEWI SARTIKA PUTRI", AtLeast(70), "missing last name"),
    ("MUHAMMAD RIZKI", "M. RIZKI", AtLeast(70), "initial"),
    ("MUH. RIZKI PRATAMA", "MUHAMMAD RIZKI PRATAMA", AtLeast(80), "abbreviation"),
    ("NURUL HUDA", "NURULHUDA", AtLeast(90), "joined words"),
    ("ABDUL RAHMAN", "ABDURRAHMAN", AtLeast(85), "assimilated spelling"),
    ("BUDI SANTOSO", "SITI RAHAYU", Below(50), "unrelated"),
    ("AGUS SETIAWAN", "DEWI LESTARI", Below(50), "unrelated"),
    ("RINA WULANDARI", "HENDRA GUNAWAN", Below(50), "unrelated, shared ending"),
    ("SRI MULYANI", "EKO PRASETYO", Below(50), "unrelated"),
    ("ANDI", "EKO", Below(50), "unrelated, short"),
    ("BAMBANG", "BAMBANG SUSILO YUDHOYONO", Below(70), "one word of three"),
    ("", "BUDI SANTOSO", Exactly(0), "empty"),
    ("...", "BUDI SANTOSO", Exactly(0), "punctuation only"),
    ("BUDI SANTOSO", "", Exactly(0), "empty stored"),
    ("JL. MERDEKA NO. 10", "JL MERDEKA NO 10", Exactly(100), "address punctuation"),
    ("JL. MERDEKA NO. 10", "JL. MERDEKA NO. 12", AtLeast(85), "address, other house number"),
];

#[test]
fn similarity_meets_every_vector_and_is_symmetric() {
    let mut failures = Vec::new();
    for &(a, b, bound, about) in SIMILARITY_VECTORS {
        let score = similarity(a, b);
        let ok = match bound {
            Exactly(n) => score == n,
            AtLeast(n) => score >= n,
            Below(n) => score < n,
        };
        if !ok {
            failures.push(format!("{about}: similarity({a:?}, {b:?}) = {score}, expected {bound:?}"));
        }
        if similarity(b, a) != score {
            failures.push(format!("{about}: not symmetric ({score} vs {})", similarity(b, a)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(SIMILARITY_VECTORS.len() >= 25);
}

#[test]
fn similarity_is_100_only_for_equal_normalized_forms() {
    for &(a, b, _, _) in SIMILARITY_VECTORS {
        let equal = !normalize_text(a).is_empty() && normalize_text(a) == normalize_text(b);
        assert_eq!(similarity(a, b) == 100, equal, "{a:?} vs {b:?}");
    }
}

#[test]
fn normalize_text_removes_titles_at_their_own_end_only() {
    let cases = [
        ("BUDI SANTOSO, S.H., M.H.", "BUDI SANTOSO"),
        ("budi santoso, s.h., m.h.", "BUDI SANTOSO"),
        ("BUDI SANTOSO SH MH", "BUDI SANTOSO"),
        ("BUDI SANTOSO, S. H., M. H.", "BUDI SANTOSO"),
        ("Drs. H. Ahmad, S.E., M.M.", "AHMAD"),
        ("PROF. DR. IR. H. AHMAD", "AHMAD"),
        ("K.H. AHMAD DAHLAN", "AHMAD DAHLAN"),
        ("NY. SITI AMINAH", "SITI AMINAH"),
        ("IBU SITI", "SITI"),
        ("dr. Rina Wati, S.Ked", "RINA WATI"),
        ("Yuni Astuti, A.Md.", "YUNI ASTUTI"),
        ("Andi Wijaya, S.Farm., Apt.", "ANDI WIJAYA"),
        // A degree at the front and an honorific at the end are names here.
        ("M. H. THAMRIN", "M H THAMRIN"),
        ("SITI IBU", "SITI IBU"),
        // Never everything.
        ("HAJI", "HAJI"),
        ("H.", "H"),
        ("S.H.", "S H"),
        ("DR. H.", "H"),
    ];
    for (raw, want) in cases {
        assert_eq!(normalize_text(raw), want, "{raw:?}");
    }
}

#[test]
fn normalize_text_folds_case_punctuation_spacing_and_old_spelling() {
    let cases = [
        ("  siti   aminah\t", "SITI AMINAH"),
        ("SITI-NURBAYA/(ALM)", "SITI NURBAYA ALM"),
        ("MA'RUF `AMIN", "MARUF AMIN"),
        ("\"BUDI\", SANTOSO.", "BUDI SANTOSO"),
        ("SOEKARNO", "SUKARNO"),
        ("DJOKO", "JOKO"),
        ("TJOKROAMINOTO", "COKROAMINOTO"),
        ("SJAHRIR", "SYAHRIR"),
        ("JL. MERDEKA NO.10 RT.005", "JL MERDEKA NO 10 RT 005"),
        ("", ""),
        ("- / .", ""),
    ];
    for (raw, want) in cases {
        assert_eq!(normalize_text(raw), want, "{raw:?}");
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn parse_wire_date_accepts_the_client_formats() {
    assert_eq!(parse_wire_date("17-08-1945"), Some(ymd(1945, 8, 17)));
    assert_eq!(parse_wire_date("1945-08-17"), Some(ymd(1945, 8, 17)));
    assert_eq!(parse_wire_date("17/08/1945"), Some(ymd(1945, 8, 17)));
    assert_eq!(parse_wire_date("1945/08/17"), Some(ymd(1945, 8, 17)));
    assert_eq!(parse_wire_date("  7-8-1945 "), Some(ymd(1945, 8, 7)));
    assert_eq!(parse_wire_date("29-02-2024"), Some(ymd(2024, 2, 29)));
}

#[test]
fn parse_wire_date_rejects_impossible_and_garbage() {
    for raw in [
        "29-02-2023",
        "31-02-2000",
        "32-01-2000",
        "01-13-2000",
        "00-01-2000",
        "",
        "kemarin",
        "17-08-45",
        "17081945",
        "17-08/1945",
        "17-08-1945-01",
        "+1945-08-17",
        "1945-08-17T00:00:00",
        "17-008-1945",
        "١٧-٠٨-١٩٤٥",
    ] {
        assert_eq!(parse_wire_date(raw), None, "{raw:?}");
    }
}

fn text(value: &str) -> ElementValue {
    ElementValue::Text(value.to_owned())
}

fn exact(element: Element, submitted: &str, stored: &ElementValue) -> bool {
    match compare(element, submitted, stored) {
        Ok(Verdict::Exact(matches)) => matches,
        other => panic!("{element} {submitted:?}: expected an exact verdict, got {other:?}"),
    }
}

#[test]
fn compare_scores_similarity_elements() {
    let stored = text("BUDI SANTOSO");
    assert_eq!(compare(Element::NamaLengkap, "Budi Santoso, S.H.", &stored), Ok(Verdict::Score(100)));
    assert_eq!(
        compare(Element::NamaIbu, "SITI RAHAYU", &stored),
        Ok(Verdict::Score(similarity("SITI RAHAYU", "BUDI SANTOSO")))
    );
    assert_eq!(
        compare(Element::TempatLahir, "SURABAYA", &text("SOERABAJA")),
        Ok(Verdict::Score(similarity("SURABAYA", "SOERABAJA")))
    );
    assert_eq!(compare(Element::Alamat, "JL MERDEKA NO 10", &text("JL. MERDEKA NO. 10")), Ok(Verdict::Score(100)));
    assert_eq!(compare(Element::Dusun, "KRAJAN", &ElementValue::Missing), Ok(Verdict::Score(0)));
}

#[test]
fn compare_numbers_numerically() {
    let rt = ElementValue::Number(5);
    assert!(exact(Element::NoRt, "005", &rt));
    assert!(exact(Element::NoRt, "5", &rt));
    assert!(!exact(Element::NoRt, "6", &rt));
    assert!(exact(Element::NoKelurahan, "0001", &ElementValue::Number(1)));
    assert!(exact(Element::Nik, "3273010101900001", &ElementValue::Number(3_273_010_101_900_001)));
    assert!(!exact(Element::Nik, "3273010101900002", &ElementValue::Number(3_273_010_101_900_001)));
    assert!(!exact(Element::NoKk, "99999999999999999999999999", &ElementValue::Number(u64::MAX)));
    assert!(exact(Element::KodePos, "40111", &text("40111")));
    assert!(!exact(Element::NikAyah, "3273010101900001", &ElementValue::Missing));
    for bad in ["5a", "-5", "+5", "5.0", "lima", "0x5", "", "٥"] {
        assert_eq!(
            compare(Element::NoRt, bad, &rt),
            Err(MatchError::InvalidNumber { element: Element::NoRt }),
            "{bad:?}"
        );
    }
    // An invalid value is an error even when nothing is stored.
    assert_eq!(
        compare(Element::NikIbu, "abc", &ElementValue::Missing),
        Err(MatchError::InvalidNumber { element: Element::NikIbu })
    );
}

#[test]
fn compare_dates_in_any_wire_format() {
    let stored = ElementValue::Date(ymd(1945, 8, 17));
    for same in ["17-08-1945", "1945-08-17", "17/08/1945", "1945/08/17", "17-8-1945"] {
        assert!(exact(Element::TanggalLahir, same, &stored), "{same:?}");
    }
    assert!(!exact(Element::TanggalLahir, "18-08-1945", &stored));
    assert!(!exact(Element::TanggalLahir, "08-17-1945".replace("08-17", "17-09").as_str(), &stored));
    assert!(!exact(Element::TanggalKawin, "17-08-1945", &ElementValue::Missing));
    assert!(exact(Element::TanggalCerai, "17-08-1945", &text("17-08-1945")));
    for bad in ["31-02-2000", "17 Agustus 1945", "1945"] {
        assert_eq!(
            compare(Element::TanggalLahir, bad, &stored),
            Err(MatchError::InvalidDate { element: Element::TanggalLahir }),
            "{bad:?}"
        );
    }
    assert_eq!(
        compare(Element::TanggalKawin, "31-02-2000", &ElementValue::Missing),
        Err(MatchError::InvalidDate { element: Element::TanggalKawin })
    );
}

#[test]
fn compare_sex_as_clients_write_it() {
    let male = text("LAKI-LAKI");
    let female = text("PEREMPUAN");
    for m in ["L", "l", "LAKI-LAKI", "Laki-laki", "LAKI LAKI", "laki - laki", "LAKI2", "laki2", "PRIA", "1"] {
        assert!(exact(Element::JenisKelamin, m, &male), "{m:?}");
        assert!(!exact(Element::JenisKelamin, m, &female), "{m:?}");
    }
    for f in ["P", "p", "PEREMPUAN", "Perempuan", "WANITA", "wanita", "2"] {
        assert!(exact(Element::JenisKelamin, f, &female), "{f:?}");
        assert!(!exact(Element::JenisKelamin, f, &male), "{f:?}");
    }
    for unknown in ["X", "3", "LAKI", "0"] {
        assert!(!exact(Element::JenisKelamin, unknown, &male), "{unknown:?}");
        assert!(!exact(Element::JenisKelamin, unknown, &female), "{unknown:?}");
    }
    assert!(!exact(Element::JenisKelamin, "L", &ElementValue::Missing));
}

#[test]
fn compare_vocabularies_by_label_or_code() {
    // (element, stored label, accepted submissions, rejected submissions)
    let cases: &[(Element, &str, &[&str], &[&str])] = &[
        (Element::Agama, "ISLAM", &["ISLAM", "islam", " Islam ", "1"], &["KRISTEN", "2", "Jedi", "99"]),
        (
            Element::Agama,
            "KEPERCAYAAN TERHADAP TUHAN YME",
            &["Kepercayaan terhadap Tuhan YME", "kepercayaan  terhadap tuhan yme", "7"],
            &["KEPERCAYAAN", "1"],
        ),
        (Element::StatusKawin, "BELUM KAWIN", &["Belum Kawin", "belum  kawin", "1"], &["KAWIN", "2", "BELUM"]),
        (Element::StatusKawin, "KAWIN", &["kawin", "2"], &["BELUM KAWIN", "CERAI HIDUP", "1"]),
        (
            Element::PendidikanAkhir,
            "TAMAT SD/SEDERAJAT",
            &["Tamat SD/Sederajat", "tamat sd / sederajat", "TAMAT SD/ SEDERAJAT", "3", "03"],
            &["BELUM TAMAT SD/SEDERAJAT", "2", "TAMAT SD"],
        ),
        (
            Element::PendidikanAkhir,
            "AKADEMI/DIPLOMA III/S. MUDA",
            &["Akademi/Diploma III/S. Muda", "akademi / diploma iii / s.muda", "7"],
            &["DIPLOMA I/II", "8"],
        ),
        (
            Element::JenisPekerjaan,
            "PETANI/PEKEBUN",
            &["Petani/Pekebun", "petani / pekebun", "9"],
            &["PETANI", "BURUH TANI/PERKEBUNAN", "89"],
        ),
        (
            Element::StatusHubunganKeluarga,
            "KEPALA KELUARGA",
            &["Kepala Keluarga", "kepala keluarga", "1"],
            &["ISTRI", "3", "KEPALA"],
        ),
        (Element::GolonganDarah, "A+", &["A+", "a+", "a +", "5"], &["A", "A-", "AB+", "1", "6"]),
        (Element::GolonganDarah, "O", &["O", "o", "4"], &["0", "O+", "TIDAK TAHU"]),
        (Element::GolonganDarah, "TIDAK TAHU", &["Tidak Tahu", "13"], &["O", "-"]),
        (
            Element::StatusEktp,
            "KTP-EL SUDAH DICETAK",
            &["KTP-el Sudah Dicetak", "ktp-el sudah  dicetak", "3"],
            &["SUDAH REKAM", "2", "KTP EL SUDAH DICETAK"],
        ),
    ];
    for &(element, stored, accepted, rejected) in cases {
        let stored_value = text(stored);
        for submitted in accepted {
            assert!(exact(element, submitted, &stored_value), "{element} {submitted:?} should match {stored:?}");
        }
        for submitted in rejected {
            assert!(!exact(element, submitted, &stored_value), "{element} {submitted:?} should not match {stored:?}");
        }
        assert!(!exact(element, accepted[0], &ElementValue::Missing), "{element}: missing never matches");
    }
}

#[test]
fn compare_other_text_after_normalization_without_title_removal() {
    assert!(exact(Element::NamaKabupaten, "kota  bandung", &text("KOTA BANDUNG")));
    assert!(exact(Element::NamaProvinsi, "DI Jogjakarta", &text("DI JOGJAKARTA")));
    assert!(exact(Element::NamaKelurahan, "Tjipedes", &text("CIPEDES")));
    assert!(!exact(Element::NamaKecamatan, "SUKAJADI", &text("SUKASARI")));
    assert!(exact(Element::NoAktaLahir, "3273-lt-01012000-0001", &text("3273-LT-01012000-0001")));
    assert!(exact(Element::NoAktaKawin, "474.2 / 12 / 2010", &text("474.2/12/2010")));
    assert!(!exact(Element::NoAktaLahir, "3273-LT-01012000-0002", &text("3273-LT-01012000-0001")));
    assert!(!exact(Element::NoAktaCerai, "H 1234", &text("1234")));
    assert!(!exact(Element::NoAktaCerai, "-", &text("-")));
    assert!(!exact(Element::NoAktaLahir, "3273-LT-01012000-0001", &ElementValue::Missing));
}

#[test]
fn the_photo_is_not_comparable() {
    let error = compare(Element::Foto, "iVBORw0KGgo=", &ElementValue::Missing);
    assert_eq!(error, Err(MatchError::NotComparable { element: Element::Foto }));
}

#[test]
fn errors_have_stable_codes_and_indonesian_messages() {
    let cases = [
        (
            MatchError::InvalidDate { element: Element::TanggalLahir },
            "verify.invalid_date",
            "TGL_LHR: tanggal tidak valid",
        ),
        (
            MatchError::InvalidNumber { element: Element::NoRt },
            "verify.invalid_number",
            "NO_RT: nilai harus berupa angka",
        ),
        (MatchError::NotComparable { element: Element::Foto }, "verify.not_comparable", "FOTO: elemen tidak dapat"),
    ];
    for (error, code, message) in cases {
        assert_eq!(error.code(), code);
        assert!(error.to_string().starts_with(message), "{error}");
    }
}

#[test]
fn compare_never_returns_the_stored_value() {
    fn no_text_inside<T: Copy>() {}
    no_text_inside::<Verdict>();
    no_text_inside::<Element>();

    const SECRET: &str = "RAHASIA";
    let stored_values =
        [text(SECRET), text("RAHASIA 123"), ElementValue::Number(987_654_321), ElementValue::Date(ymd(1987, 6, 5))];
    for element in Element::ALL {
        for stored in &stored_values {
            for submitted in ["1", "RAHASIA", "05-06-1987", "x"] {
                let answer = format!("{:?}", compare(*element, submitted, stored));
                let shown = match compare(*element, submitted, stored) {
                    Ok(verdict) => format!("{verdict:?}"),
                    Err(error) => format!("{error} {error:?}"),
                };
                for leaked in ["RAHASIA", "987654321", "1987"] {
                    if submitted.contains(leaked) {
                        continue;
                    }
                    assert!(!answer.contains(leaked) && !shown.contains(leaked), "{element}: {answer}");
                }
            }
        }
    }
}

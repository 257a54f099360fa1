use chrono::NaiveDate;

use super::*;
use crate::Nik;
use crate::access::tests::{day, ip, plane as partner_plane};
use crate::access::{Authentication, ControlPlane, Denial};
use crate::vocab::JenisKelamin;

fn schema() -> ReturnSchema {
    ReturnSchema {
        name: "uji".into(),
        title: "Skema uji".into(),
        fields: vec![
            Field { column: "NIP".into(), label: "NIP".into(), required: true, rule: Rule::Digits { length: 18 } },
            Field {
                column: "STATUS".into(),
                label: "Status kepegawaian".into(),
                required: true,
                rule: Rule::Choice { options: vec!["PNS".into(), "PPPK".into(), "CPNS".into()] },
            },
            Field { column: "TGL".into(), label: "Tanggal mutasi".into(), required: false, rule: Rule::Date },
            Field {
                column: "CATATAN".into(),
                label: "Catatan".into(),
                required: false,
                rule: Rule::Text { max_length: 5 },
            },
            Field {
                column: "JUMLAH".into(),
                label: "Jumlah".into(),
                required: false,
                rule: Rule::Integer { min: 1, max: 10 },
            },
        ],
    }
}

fn nik() -> Nik {
    Nik::from_parts(331301, NaiveDate::from_ymd_opt(1980, 5, 12).unwrap(), JenisKelamin::LakiLaki, 7).unwrap()
}

fn header() -> Vec<String> {
    ["Judul lain", " nik ", "NIP", "status", "TGL", "CATATAN", "JUMLAH"].iter().map(|s| s.to_string()).collect()
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn row(cells: Vec<Cell>) -> RawRow {
    RawRow { number: 5, cells }
}

fn good_cells() -> Vec<Cell> {
    vec![
        Cell::Empty,
        text(&format!("{:016}", nik().value())),
        text("198005122005011001"),
        text("pns"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
    ]
}

fn codes(problems: &[Problem]) -> Vec<&'static str> {
    problems.iter().map(|p| p.code).collect()
}

#[test]
fn a_schema_file_reads_from_toml_and_is_checked() {
    let schema: ReturnSchema = toml::from_str(
        r#"
        name = "bkn"
        title = "Data balikan BKN"
        [[field]]
        column = "NIP"
        label = "Nomor Induk Pegawai"
        type = "digits"
        length = 18
        [[field]]
        column = "KEDUDUKAN_HUKUM"
        label = "Kedudukan hukum"
        required = false
        type = "choice"
        options = ["AKTIF", "CLTN"]
        "#,
    )
    .unwrap();
    schema.check().unwrap();
    assert_eq!(schema.columns(), ["NIK", "NIP", "KEDUDUKAN_HUKUM"]);
    assert!(schema.fields[0].required && !schema.fields[1].required);
    let json = serde_json::to_string(&schema).unwrap();
    assert_eq!(serde_json::from_str::<ReturnSchema>(&json).unwrap(), schema);

    let mut bad = schema.clone();
    bad.fields[1].column = "nik".into();
    assert_eq!(bad.check().unwrap_err().code(), "schema.duplicate_column");
    bad.name = "BKN!".into();
    assert_eq!(bad.check().unwrap_err().code(), "schema.bad_name");
    let mut bad = schema;
    bad.fields[0].rule = Rule::Choice { options: vec![] };
    assert_eq!(bad.check().unwrap_err().code(), "schema.bad_rule");
}

#[test]
fn the_header_is_found_ignoring_case_and_a_missing_required_column_is_named() {
    let binding = schema().bind(&header()).unwrap();
    assert_eq!(binding.schema().name, "uji");
    assert!(schema().is_header(&header()));
    assert!(!schema().is_header(&["Data balikan BKN".to_string()]));
    let problems = schema().bind(&["NIK".to_string(), "TGL".to_string()]).unwrap_err();
    assert_eq!(problems.iter().map(|p| p.column.as_str()).collect::<Vec<_>>(), ["NIP", "STATUS"]);
    assert!(problems.iter().all(|p| p.code == "return.column_missing"));
}

#[test]
fn a_good_row_is_canonical_and_its_digest_ignores_nothing() {
    let binding = schema().bind(&header()).unwrap();
    let valid = binding.check(&row(good_cells())).unwrap();
    assert_eq!(valid.nik, nik());
    assert_eq!(valid.values, [("NIP".to_string(), "198005122005011001".to_string()), ("STATUS".into(), "PNS".into())]);
    let mut other = good_cells();
    other[3] = text("PPPK");
    assert_ne!(binding.check(&row(other)).unwrap().digest(), valid.digest());
    assert!(!format!("{valid:?}").contains("198005122005011001"), "values stay out of Debug");
}

#[test]
fn every_broken_rule_is_reported_per_field() {
    let binding = schema().bind(&header()).unwrap();
    let mut cells = good_cells();
    cells[2] = text("12345");
    cells[3] = text("HONORER");
    cells[4] = text("31-02-2023");
    cells[5] = text("terlalu panjang");
    cells[6] = text("11");
    let problems = binding.check(&row(cells)).unwrap_err();
    assert_eq!(
        codes(&problems),
        ["return.digits", "return.choice", "return.date", "return.too_long", "return.integer"]
    );
    assert!(problems[1].message.contains("PNS, PPPK, CPNS"));

    let mut cells = good_cells();
    cells[1] = text("3313011205800000");
    cells[2] = Cell::Empty;
    let problems = binding.check(&row(cells)).unwrap_err();
    assert_eq!(codes(&problems), ["return.nik_invalid", "return.required"]);
}

#[test]
fn dates_come_as_serials_dates_or_three_text_forms() {
    let binding = schema().bind(&header()).unwrap();
    let expected = ("TGL".to_string(), "2023-05-17".to_string());
    for cell in [
        Cell::Number(45063.0),
        Cell::Date(NaiveDate::from_ymd_opt(2023, 5, 17).unwrap()),
        text("17-05-2023"),
        text("17/05/2023"),
        text("2023-05-17"),
        text("2023-05-17 00:00:00"),
    ] {
        let mut cells = good_cells();
        cells[4] = cell;
        assert!(binding.check(&row(cells)).unwrap().values.contains(&expected));
    }
    assert_eq!(excel_serial_date(1.0), NaiveDate::from_ymd_opt(1900, 1, 1));
    assert_eq!(excel_serial_date(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
    assert_eq!(parse_date_text("2023/13/01"), None);
}

#[test]
fn a_nik_stored_as_a_number_is_read_unless_it_lost_digits() {
    let binding = schema().bind(&header()).unwrap();
    let mut cells = good_cells();
    cells[1] = Cell::Number(nik().value() as f64);
    assert_eq!(binding.check(&row(cells)).unwrap().nik, nik());

    // Papua (91…) NIKs are above 2^53: as a number the last digit is gone;
    // and a spreadsheet keeps 15 significant digits, so a trailing 0 may be
    // a digit it dropped (…0011 typed, …0010 kept): refused, not guessed.
    for number in [9_171_011_205_800_001.0, 3_313_011_205_800_010.0] {
        let mut cells = good_cells();
        cells[1] = Cell::Number(number);
        let problems = binding.check(&row(cells)).unwrap_err();
        assert_eq!(codes(&problems), ["return.nik_lost_digits"]);
        assert!(problems[0].message.contains("simpan kolom NIK sebagai teks"));
    }
}

#[test]
fn a_repeated_or_never_accessed_nik_is_refused() {
    let binding = schema().bind(&header()).unwrap();
    let valid = binding.check(&row(good_cells())).unwrap();
    assert!(settle(valid.clone(), None, true).is_ok());
    let problems = settle(valid.clone(), Some(3), true).unwrap_err();
    assert_eq!(codes(&problems), ["return.duplicate_nik"]);
    assert!(problems[0].message.contains("baris 3"));
    assert_eq!(codes(&settle(valid, None, false).unwrap_err()), ["return.not_accessed"]);
}

fn plane_with_schema() -> ControlPlane {
    let plane = partner_plane();
    let agreements = plane
        .agreements()
        .cloned()
        .map(|mut a| {
            a.return_schema = Some("uji".into());
            a
        })
        .collect();
    ControlPlane::new(
        plane.providers().cloned().collect(),
        plane.institutions().cloned().collect(),
        agreements,
        plane.accounts().cloned().collect(),
        plane.networks().to_vec(),
    )
}

#[test]
fn partners_send_for_themselves_under_an_agreement_naming_a_schema() {
    let plane = plane_with_schema();
    let today = day(2023, 6, 1);
    for user in ["mitra-ws", "mitra-op", "mitra-adm"] {
        let account = plane.account(user).unwrap();
        let submitter = authorize_submission(&plane, Authentication::Verified(account), ip("10.0.0.5"), today).unwrap();
        assert_eq!((submitter.institution.as_str(), submitter.schema.as_str()), ("mitra", "uji"));
        submitter.claims(&plane, "4242").unwrap();
        submitter.claims(&plane, "mitra").unwrap();
        assert_eq!(submitter.claims(&plane, "lain").unwrap_err().code(), "return.other_institution");
    }
    let ws = plane.account("mitra-ws").unwrap();
    let outside = authorize_submission(&plane, Authentication::Verified(ws), ip("10.9.9.9"), today).unwrap_err();
    assert_eq!(outside, ReturnDenial::Access(Denial::IpNotRegistered));
    let expired = authorize_submission(&plane, Authentication::Verified(ws), ip("10.0.0.5"), day(2025, 1, 1));
    assert_eq!(expired.unwrap_err().code(), "access.no_agreement_in_force");
    // The agreement without a schema: nothing to send.
    let bare = partner_plane();
    let ws = bare.account("mitra-ws").unwrap();
    let none = authorize_submission(&bare, Authentication::Verified(ws), ip("10.0.0.5"), today).unwrap_err();
    assert_eq!(none.code(), "return.no_schema");
    assert_eq!(submission_on_behalf(&plane, "mitra", "budi", today).unwrap().user_id, "cli:budi");
    assert_eq!(submission_on_behalf(&plane, "nope", "budi", today).unwrap_err().code(), "return.unknown_institution");
    // Partners never read return data back.
    let op = plane.account("mitra-op").unwrap();
    assert_eq!(authorize_reader(&plane, Authentication::Verified(op), None).unwrap_err().code(), "access.not_steward");
}

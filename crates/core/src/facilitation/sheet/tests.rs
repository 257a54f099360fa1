use super::*;
use crate::access::tests::plane;
use crate::facilitation::tests::{at, desk, granting};

fn text(value: &str) -> Cell {
    if value.is_empty() { Cell::Empty } else { Cell::Text(value.to_owned()) }
}

fn row(number: u64, cells: &[&str]) -> RawRow {
    RawRow { number, cells: cells.iter().map(|c| text(c)).collect() }
}

const HEADER: [&str; 10] = [
    "dokumen",
    "Kelompok",
    "NIK",
    "Nama Lengkap",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "nama_ibu",
    "alamat",
    "kode_wilayah",
];

fn child(number: u64, name: &str, born: &str) -> RawRow {
    row(number, &["akta_kelahiran", "anak", "", name, "P", "Karanganyar", born, "Sri Wahyuni", "Dusun Krajan", "3313"])
}

fn sheet(rows: Vec<RawRow>) -> Vec<RawRow> {
    let mut all = vec![row(1, &["Daftar anak tanpa akta"]), row(2, &[]), row(3, &HEADER)];
    all.extend(rows);
    all
}

fn granted() -> ControlPlane {
    granting(plane(), &[DocumentKind::AktaKelahiran, DocumentKind::Kia])
}

#[test]
fn a_sheet_under_a_title_files_every_row_in_order_with_its_row_number() {
    let rows = sheet(vec![child(4, "Siti Aminah", "04-03-2019"), child(5, "Budi", "2018-07-01")]);
    let cases = granted().file_facilitation_sheet(&desk(), rows, at(2024, 1, 2)).unwrap();
    assert_eq!(cases.iter().map(|(row, _)| *row).collect::<Vec<_>>(), vec![4, 5]);
    assert_eq!(cases[0].1.filing.subject.full_name, "SITI AMINAH");
    assert_eq!(cases[0].1.filing.institution, "mitra");
    assert_eq!(cases[1].1.filing.subject.birth_date, Some(crate::access::tests::day(2018, 7, 1)));
}

#[test]
fn dates_and_labels_read_as_spreadsheets_hold_them() {
    let mut first = child(4, "Siti", "");
    first.cells[0] = text("Akta kelahiran");
    first.cells[6] = Cell::Number(43528.0); // 2019-03-04 as a date serial
    let mut second = child(5, "Budi", "");
    second.cells[6] = Cell::Date(crate::access::tests::day(2018, 7, 1));
    let cases = granted().file_facilitation_sheet(&desk(), sheet(vec![first, second]), at(2024, 1, 2)).unwrap();
    assert_eq!(cases[0].1.filing.document, DocumentKind::AktaKelahiran);
    assert_eq!(cases[0].1.filing.subject.birth_date, Some(crate::access::tests::day(2019, 3, 4)));
}

#[test]
fn one_wrong_row_files_nothing_and_every_problem_is_named_by_row_and_column() {
    let mut no_mother = child(5, "Budi", "2018-07-01");
    no_mother.cells[7] = Cell::Empty;
    let mut bad_group = child(6, "Ani", "2018-07-01");
    bad_group.cells[1] = text("tetangga");
    let mut rounded = child(7, "Dewi", "2018-07-01");
    rounded.cells[0] = text("kia");
    rounded.cells[2] = Cell::Number(3_313_014_403_190_000.0);
    let rows =
        sheet(vec![child(4, "Siti", "2019-03-04"), no_mother, bad_group, rounded, child(8, "siti", "2019-03-04")]);
    let Err(SheetError::Rows(problems)) = granted().file_facilitation_sheet(&desk(), rows, at(2024, 1, 2)) else {
        panic!("the sheet must be refused row by row");
    };
    let found: Vec<(u64, Option<FilingField>)> = problems.iter().map(|p| (p.row, p.column)).collect();
    assert_eq!(
        found,
        vec![(5, Some(FilingField::MotherName)), (6, Some(FilingField::Group)), (7, Some(FilingField::Nik)), (8, None),]
    );
    assert!(problems[2].problem.contains("teks"), "a rounded NIK says to store it as text");
    assert!(problems[3].problem.contains("baris 4"), "a repeated person names the first row");
}

#[test]
fn the_header_must_be_found_and_name_only_the_forms_columns() {
    let now = at(2024, 1, 2);
    let no_header = vec![row(1, &["nama", "tanggal"]), child(2, "Siti", "2019-03-04")];
    assert_eq!(granted().file_facilitation_sheet(&desk(), no_header, now), Err(SheetError::HeaderNotFound));
    let mut header = HEADER.to_vec();
    header.push("catatan");
    let unknown = vec![row(1, &header), child(2, "Siti", "2019-03-04")];
    assert_eq!(
        granted().file_facilitation_sheet(&desk(), unknown, now).map_err(|e| e.code()),
        Err("facilitation.unknown_column")
    );
    assert_eq!(granted().file_facilitation_sheet(&desk(), sheet(vec![]), now), Err(SheetError::NoRows));
    let many = (0..=MAX_SHEET_ROWS as u64).map(|n| child(4 + n, "Siti", "2019-03-04")).collect();
    assert_eq!(
        granted().file_facilitation_sheet(&desk(), sheet(many), now),
        Err(SheetError::TooManyRows { limit: MAX_SHEET_ROWS })
    );
}

#[test]
fn without_an_agreement_in_force_the_sheet_is_refused_once_not_row_by_row() {
    let rows = sheet(vec![child(4, "Siti", "2019-03-04"), child(5, "Budi", "2018-07-01")]);
    assert_eq!(
        granted().file_facilitation_sheet(&desk(), rows, at(2024, 7, 1)),
        Err(SheetError::Refused(FacilitationError::NoAgreementInForce))
    );
}

#[test]
fn rows_repeating_an_open_case_are_named() {
    let plane = granted();
    let now = at(2024, 1, 2);
    let cases = plane.file_facilitation_sheet(&desk(), sheet(vec![child(4, "Siti", "2019-03-04")]), now).unwrap();
    let mut open = cases[0].1.clone();
    open.number = 12;
    let problems = rows_already_open(&cases, &[open.clone()]);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].row, 4);
    assert!(problems[0].problem.contains("FAS-000012"));
    open.steps.push(super::super::Step {
        status: super::super::Status::Rejected { reason: "data tidak lengkap".into() },
        at: now,
        by: "admin".into(),
    });
    assert!(rows_already_open(&cases, &[open]).is_empty(), "a closed case does not block a new one");
}

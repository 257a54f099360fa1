//! Intake against a real SQLite store, with fixtures made by LibreOffice
//! (`soffice --convert-to`) from CSV text, never by Gerbang's own writer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{TimeZone, Utc};
use gerbang_core::access::Mechanism;
use gerbang_core::audit::{AuditRecord, NikHasher};
use gerbang_core::return_data::{IntakeMethod, IntakeMode, ReturnSchema, Submitter};
use gerbang_store::Store;
use gerbang_store_sqlite::{OpenMode, SqliteStore};

use super::*;

const SCHEMAS: [&str; 2] = [
    include_str!("../../gerbang/demo/schemas/bpbd.toml"),
    include_str!("../../gerbang/demo/schemas/pemasyarakatan.toml"),
];

/// Converts each CSV (`;`-separated, UTF-8) in `files` to `format` with
/// LibreOffice, every column imported as text except those in `typed`
/// (1-based column, LibreOffice column type: 1 standard — numbers read as
/// numbers —, 4 a D/M/Y date).
pub(crate) fn soffice(dir: &Path, files: &[(&str, &str)], format: &str, typed: &[(usize, u8)]) -> Vec<PathBuf> {
    let Ok(status) = Command::new("soffice").arg("--version").output() else {
        panic!("soffice (LibreOffice) tidak terpasang: pasang libreoffice-calc-nogui (scripts/test.sh memasangnya)");
    };
    assert!(status.status.success(), "soffice --version gagal");
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.join(format!("{name}.csv"));
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let columns: String = (1..=12)
        .map(|c| format!("{c}/{}", typed.iter().find(|(t, _)| *t == c).map_or(2, |(_, kind)| *kind)))
        .collect::<Vec<_>>()
        .join("/");
    let profile = dir.join("lo-profile");
    let output = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .arg("--headless")
        .arg(format!("--infilter=CSV:59,34,76,1,{columns}"))
        .args(["--convert-to", format])
        .arg("--outdir")
        .arg(dir)
        .args(&paths)
        .output()
        .unwrap();
    assert!(output.status.success(), "soffice gagal: {}", String::from_utf8_lossy(&output.stderr));
    files.iter().map(|(name, _)| dir.join(format!("{name}.{format}"))).collect()
}

fn at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 3, 0, 0).unwrap()
}

fn nik(serial: u16) -> String {
    format!("331301120580{serial:04}")
}

struct Fixture {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    hasher: NikHasher,
}

async fn fixture(accessed: &[u16]) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap();
    gerbang_store::story::seeded_control_plane(&store).await;
    for text in SCHEMAS {
        let schema: ReturnSchema = toml::from_str(text).unwrap();
        schema.check().unwrap();
        store.define_return_schema(schema).await.unwrap();
    }
    let hasher = NikHasher::new(store.installation_key().await.unwrap());
    let records = accessed
        .iter()
        .map(|serial| AuditRecord {
            operation_id: format!("op-{serial}"),
            at: at() - chrono::Duration::days(3),
            interface: "portal".into(),
            institution: Some("bpbd".into()),
            user_id: Some("bpbd-op".into()),
            source_ip: "10.33.13.7".parse().unwrap(),
            mechanism: Some(Mechanism::CallNik),
            resident: Some(hasher.key(gerbang_core::Nik::parse(&nik(*serial)).unwrap())),
            elements: vec![],
            outcome: "resident.found".into(),
            latency_us: 10,
            charged: true,
        })
        .collect();
    store.record_audit(records).await.unwrap();
    Fixture { _dir: dir, store, hasher }
}

fn submitter(schema: &str) -> Submitter {
    Submitter {
        user_id: "bpbd-op".into(),
        institution: "bpbd".into(),
        agreement: "bpbd-1".into(),
        schema: schema.into(),
    }
}

async fn send(
    fixture: &Fixture,
    schema: &str,
    batch: &str,
    path: &Path,
    mode: IntakeMode,
    book: Option<&Path>,
) -> Result<IntakeReport, IntakeError> {
    let file = std::fs::File::open(path).unwrap();
    let length = file.metadata().unwrap().len();
    let who = submitter(schema);
    let actor = Actor { submitter: &who, method: IntakeMethod::Upload, batch: batch.into(), at: at() };
    let source = Source::File { file: Box::new(file), length, filename: Some("data.bin".into()) };
    submit(&fixture.store, &fixture.hasher, actor, source, mode, &IntakeConfig::default(), book, &|_| {}).await
}

fn bpbd_csv(rows: &[(u16, &str)]) -> String {
    let mut text =
        "Data balikan BPBD Kab. Karanganyar;;\n;;\nNIK;ID_PENERIMA_BANTUAN;JENIS_BANTUAN;DAERAH_RAWAN_BENCANA\n"
            .to_owned();
    for (serial, id) in rows {
        text += &format!("{};{id};SEMBAKO;LERENG LAWU\n", nik(*serial));
        text += ";;;\n";
    }
    text
}

#[tokio::test]
async fn every_format_made_by_libreoffice_is_read_by_content() {
    let fixture = fixture(&[1, 2, 3]).await;
    let dir = tempfile::tempdir().unwrap();
    let csv = bpbd_csv(&[(1, "B-1"), (2, "B-2"), (3, "B-3")]);
    let mut files = Vec::new();
    for format in ["xlsx", "xls", "ods"] {
        let sub = dir.path().join(format);
        std::fs::create_dir_all(&sub).unwrap();
        files.push((format, soffice(&sub, &[("bantuan", &csv)], format, &[]).remove(0)));
    }
    let plain = dir.path().join("bantuan.txt");
    std::fs::write(&plain, &csv).unwrap();
    files.push(("csv", plain));
    for (index, (format, path)) in files.iter().enumerate() {
        // Renamed: the name says nothing.
        let renamed = dir.path().join(format!("unggahan-{index}.dat"));
        std::fs::copy(path, &renamed).unwrap();
        let report =
            send(&fixture, "bpbd", &format!("b-{format}"), &renamed, IntakeMode::AllOrNothing, None).await.unwrap();
        assert_eq!(report.format.map(Format::name), Some(*format));
        assert_eq!(report.counts.rows, 3, "{format}: title and blank rows are skipped");
        if index == 0 {
            assert_eq!((report.counts.accepted, report.stored), (3, true));
        } else {
            assert_eq!((report.counts.accepted, report.counts.already_sent), (0, 3), "{format}: same rows again");
        }
    }
    let stored = fixture.store.return_data_of(gerbang_core::Nik::parse(&nik(2)).unwrap()).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].values[0], ("ID_PENERIMA_BANTUAN".to_string(), "B-2".to_string()));
}

#[tokio::test]
async fn dates_and_nik_numbers_from_libreoffice_cells() {
    let fixture = fixture(&[1, 2]).await;
    let dir = tempfile::tempdir().unwrap();
    let header = "NIK;NOMOR_IDENTITAS;JENIS_IDENTITAS;STATUS_WBP;LOKASI_LAPAS;TANGGAL_MUTASI;LOKASI_MUTASI\n";
    let csv = format!(
        "{header}{};W-1;WBP;aktif;LAPAS KELAS I SEMARANG;17/05/2023;RUTAN SURAKARTA\n{};W-2;TAHANAN;PASIF;RUTAN SURAKARTA;01-02-2024;\n9171011205800001;W-3;ANAK;AKTIF;LPKA KUTOARJO;;\n",
        nik(1),
        nik(2)
    );
    // The transfer date (6) typed by LibreOffice as a date; NIKs as text.
    let dated = dir.path().join("dated");
    std::fs::create_dir_all(&dated).unwrap();
    let path = soffice(&dated, &[("mutasi", &csv)], "xlsx", &[(6, 4)]).remove(0);
    let report = send(&fixture, "pemasyarakatan", "p-1", &path, IntakeMode::RowByRow, None).await.unwrap();
    assert_eq!((report.counts.accepted, report.counts.rejected), (2, 1), "{report:?}");
    assert_eq!((report.rejected_rows[0].number, report.rejected_rows[0].problems[0].code), (4, "return.not_accessed"));
    let stored = fixture.store.return_data_of(gerbang_core::Nik::parse(&nik(1)).unwrap()).await.unwrap();
    assert!(stored[0].values.contains(&("TANGGAL_MUTASI".into(), "2023-05-17".into())), "{:?}", stored[0].values);
    assert!(stored[0].values.contains(&("STATUS_WBP".into(), "AKTIF".into())));

    // The NIK column typed as numbers: LibreOffice keeps 15 digits, so every
    // NIK lost its last digit, and each row says to store NIK as text.
    let numbered = dir.path().join("numbered");
    std::fs::create_dir_all(&numbered).unwrap();
    let path = soffice(&numbered, &[("mutasi", &csv)], "xlsx", &[(1, 1)]).remove(0);
    let report = send(&fixture, "pemasyarakatan", "p-2", &path, IntakeMode::RowByRow, None).await.unwrap();
    assert_eq!(report.counts.rejected, 3, "{report:?}");
    for rejected in &report.rejected_rows {
        assert_eq!(rejected.problems[0].code, "return.nik_lost_digits");
        assert!(rejected.problems[0].message.contains("simpan kolom NIK sebagai teks"));
    }
}

#[tokio::test]
async fn windows_1252_csv_with_commas_is_read() {
    let fixture = fixture(&[1]).await;
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = b"NIK,ID_PENERIMA_BANTUAN,JENIS_BANTUAN,DAERAH_RAWAN_BENCANA\r\n".to_vec();
    bytes.extend_from_slice(format!("{},B-1,BANTUAN P\u{e9}NGUNGSI,\"DESA A, B\"\r\n", nik(1)).as_bytes());
    let latin: Vec<u8> = String::from_utf8(bytes).unwrap().chars().map(|c| c as u32 as u8).collect();
    let path = dir.path().join("bantuan.csv");
    std::fs::write(&path, latin).unwrap();
    let report = send(&fixture, "bpbd", "w-1", &path, IntakeMode::AllOrNothing, None).await.unwrap();
    assert_eq!(report.counts.accepted, 1);
    let stored = fixture.store.return_data_of(gerbang_core::Nik::parse(&nik(1)).unwrap()).await.unwrap();
    assert_eq!(stored[0].values[1].1, "BANTUAN P\u{e9}NGUNGSI");
    assert_eq!(stored[0].values[2].1, "DESA A, B");
}

#[tokio::test]
async fn all_or_nothing_stores_nothing_and_row_by_row_stores_the_good_rows() {
    let fixture = fixture(&[1, 2]).await;
    let dir = tempfile::tempdir().unwrap();
    // Row 3 never accessed; NIK 1 again later.
    let csv = bpbd_csv(&[(1, "B-1"), (2, "B-2"), (3, "B-3"), (1, "B-9")]);
    let path = soffice(dir.path(), &[("campur", &csv)], "xlsx", &[]).remove(0);
    let book = dir.path().join("ditolak.xlsx");
    let report = send(&fixture, "bpbd", "a-1", &path, IntakeMode::AllOrNothing, Some(&book)).await.unwrap();
    assert!(!report.stored);
    assert_eq!((report.counts.rows, report.counts.rejected), (4, 2));
    let codes: Vec<_> = report.rejected_rows.iter().map(|r| (r.number, r.problems[0].code)).collect();
    assert_eq!(codes, [(8, "return.not_accessed"), (10, "return.duplicate_nik")]);
    assert!(report.rejected_rows[1].problems[0].message.contains("baris 4"));
    assert!(fixture.store.return_batches_of("bpbd").await.unwrap().is_empty(), "nothing of the file is stored");
    assert!(fixture.store.return_data_of(gerbang_core::Nik::parse(&nik(1)).unwrap()).await.unwrap().is_empty());

    // The rejected rows' workbook, read back through LibreOffice's CSV export.
    let out = dir.path().join("back");
    std::fs::create_dir_all(&out).unwrap();
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.path().join("lo").display()))
        .args(["--headless", "--convert-to", "csv", "--outdir"])
        .arg(&out)
        .arg(&book)
        .output()
        .unwrap();
    assert!(status.status.success());
    let text = std::fs::read_to_string(out.join("ditolak.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].ends_with(REASON_COLUMN));
    assert!(lines[1].starts_with(&nik(3)) && lines[1].contains("tidak pernah diakses"), "{}", lines[1]);

    let report = send(&fixture, "bpbd", "r-1", &path, IntakeMode::RowByRow, None).await.unwrap();
    assert!(report.stored);
    assert_eq!((report.counts.accepted, report.counts.rejected), (2, 2));
    assert_eq!(fixture.store.return_batches_of("bpbd").await.unwrap()[0].counts, report.counts);
}

#[tokio::test]
async fn bad_files_are_refused_whole_with_a_clear_code() {
    let fixture = fixture(&[1]).await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.resize(4096, 0);
    // A Word-style compound file: OLE2, but no workbook stream in it.
    let mut document = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    document.create_stream("/WordDocument").unwrap().write_all(&[0; 4096]).unwrap();
    let document = document.into_inner().into_inner();
    let cases = [
        (write("program.xlsx", &exe), "intake.not_a_spreadsheet"),
        (write("surat.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "intake.not_a_spreadsheet"),
        (write("surat.xls", &document), "intake.not_a_spreadsheet"),
        // Found by fuzzing: a sector chain looping back on itself made
        // calamine allocate until the process died; refused before it reads.
        (write("putaran.xls", include_bytes!("../fixtures/fuzz-oom-calamine-cfb-loop.xls")), "intake.unreadable"),
        (write("kosong.csv", b""), "intake.empty"),
        (write("judul.csv", b"tanpa judul\n1;2\n"), "intake.header_not_found"),
        (write("kurang.csv", b"NIK;JENIS_BANTUAN\n3313011205800001;X\n"), "intake.columns_missing"),
    ];
    for (path, code) in cases {
        let error = send(&fixture, "bpbd", "bad", &path, IntakeMode::RowByRow, None).await.unwrap_err();
        assert_eq!(error.code(), code, "{}: {error}", path.display());
    }

    // A formula, made by LibreOffice from a CSV cell starting with "=".
    let csv = format!("NIK;ID_PENERIMA_BANTUAN;JENIS_BANTUAN\n{};=1+1;SEMBAKO\n", nik(1));
    for format in ["xlsx", "xls", "ods"] {
        let sub = dir.path().join(format!("rumus-{format}"));
        std::fs::create_dir_all(&sub).unwrap();
        let formula = soffice(&sub, &[("rumus", &csv)], format, &[(2, 1)]).remove(0);
        let error = send(&fixture, "bpbd", "f", &formula, IntakeMode::RowByRow, None).await.unwrap_err();
        assert_eq!(error.code(), "intake.formula", "{format}: {error}");
        assert!(error.to_string().contains("B2"), "{format}: {error}");
    }

    // A zip bomb dressed as a workbook: 1 GiB of zeros declared, a few MiB packed.
    let bomb = dir.path().join("bom.xlsx");
    {
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        let options = zip::write::SimpleFileOptions::default().large_file(true);
        zip.start_file("xl/workbook.xml", options).unwrap();
        zip.write_all(b"<workbook/>").unwrap();
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..1024 {
            zip.write_all(&zeros).unwrap();
        }
        zip.finish().unwrap();
    }
    let error = send(&fixture, "bpbd", "z", &bomb, IntakeMode::RowByRow, None).await.unwrap_err();
    assert_eq!(error.code(), "intake.zip_bomb");

    // Too large: refused from the declared length, before reading.
    let who = submitter("bpbd");
    let actor = Actor { submitter: &who, method: IntakeMethod::Upload, batch: "big".into(), at: at() };
    let huge = Source::File { file: Box::new(std::io::Cursor::new(Vec::new())), length: 2 << 30, filename: None };
    let error = submit(
        &fixture.store,
        &fixture.hasher,
        actor,
        huge,
        IntakeMode::RowByRow,
        &IntakeConfig::default(),
        None,
        &|_| {},
    )
    .await
    .unwrap_err();
    assert_eq!(error.code(), "intake.too_large");
    assert!(fixture.store.return_batches_of("bpbd").await.unwrap().is_empty());
}

#[tokio::test]
async fn records_of_the_web_service_go_the_same_way() {
    let fixture = fixture(&[1]).await;
    let who = submitter("bpbd");
    let record = |id: &str| {
        vec![
            ("nik".to_string(), nik(1)),
            ("ID_PENERIMA_BANTUAN".into(), id.into()),
            ("JENIS_BANTUAN".into(), "SEMBAKO".into()),
        ]
    };
    for (batch, expected) in [("ws-1", (1, 0)), ("ws-2", (0, 1))] {
        let actor = Actor { submitter: &who, method: IntakeMethod::WebService, batch: batch.into(), at: at() };
        let source = Source::Records(vec![record("B-1")]);
        let report = submit(
            &fixture.store,
            &fixture.hasher,
            actor,
            source,
            IntakeMode::AllOrNothing,
            &IntakeConfig::default(),
            None,
            &|_| {},
        )
        .await
        .unwrap();
        assert_eq!((report.counts.accepted, report.counts.already_sent), expected);
        assert_eq!(report.all_already_sent(), batch == "ws-2");
    }
}

#[tokio::test]
async fn a_small_sheet_is_read_whole_under_the_same_guards_and_a_row_cap() {
    let config = IntakeConfig::default();
    let open = |bytes: &'static [u8]| -> Box<dyn ReadSeek> { Box::new(std::io::Cursor::new(bytes)) };
    let csv: &[u8] = b"Daftar\n\n\ndokumen;nama_lengkap\nakta_kelahiran;SITI\n\nkia;BUDI\n";
    let rows = read_rows(open(csv), csv.len() as u64, &config, 10).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.number).collect::<Vec<_>>(), vec![1, 4, 5, 7], "blank lines keep numbering");
    assert_eq!(rows[2].cells[1].display(), "SITI");
    let quoted: &[u8] = b"dokumen;alamat\nkia;\"Jl. Kenari\nRT 2\"\n\nkia;Jl. Melati";
    let rows = read_rows(open(quoted), quoted.len() as u64, &config, 10).await.unwrap();
    assert_eq!(
        rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        vec![1, 2, 5],
        "a quoted line break, no last newline"
    );

    let error = read_rows(open(csv), csv.len() as u64, &config, 3).await.unwrap_err();
    assert_eq!(error.code(), "intake.too_many_rows");
    let pdf: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj";
    assert_eq!(
        read_rows(open(pdf), pdf.len() as u64, &config, 10).await.unwrap_err().code(),
        "intake.not_a_spreadsheet"
    );
    let error = read_rows(open(csv), 2 << 30, &config, 10).await.unwrap_err();
    assert_eq!(error.code(), "intake.too_large");
}

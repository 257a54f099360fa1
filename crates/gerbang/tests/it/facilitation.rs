//! Document facilitation over real HTTP (SPEC.md §9): KemenPPPA files a
//! child's birth-certificate case, sees it received, cannot file the same
//! child twice while it is open nor a document its agreement does not
//! grant; Ditjen Dukcapil verifies and issues it with the akta's number,
//! which KemenPPPA then reads; the regional office of Karanganyar sees none
//! of it; every list and step is in the audit trail.

use reqwest::StatusCode;

use crate::gateway::Gateway;
use crate::portal::{Visitor, admin_password};
use crate::support::soffice;

fn child(name: &str) -> Vec<(&'static str, String)> {
    [
        ("dokumen", "akta_kelahiran"),
        ("kelompok", "anak"),
        ("nik", ""),
        ("nama_lengkap", name),
        ("jenis_kelamin", "P"),
        ("tempat_lahir", "Jakarta"),
        ("tanggal_lahir", "2019-03-04"),
        ("nama_ibu", "Sri Wahyuni"),
        ("nama_ayah", ""),
        ("alamat", "Jl. Kenanga 5, Cempaka Putih"),
        ("kode_wilayah", "31.71"),
        ("nomor_registrasi", ""),
        ("lapas_rutan", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

fn with(mut fields: Vec<(&'static str, String)>, name: &str, value: &str) -> Vec<(&'static str, String)> {
    fields.iter_mut().filter(|(k, _)| *k == name).for_each(|(_, v)| *v = value.to_owned());
    fields
}

async fn signed_in(gateway: &Gateway, user_id: &str, password: &str) -> Visitor {
    let mut visitor = Visitor::new(gateway);
    let page = visitor.sign_in(user_id, password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    visitor
}

/// The `data-case` handles of a page, in order.
fn handles(body: &str) -> Vec<String> {
    body.split("data-case=\"").skip(1).map(|rest| rest.split('"').next().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_childs_case_is_filed_worked_and_issued_and_each_side_sees_only_its_own() {
    let gateway = Gateway::start(50).await;
    let admin = gateway.login("kemenpppa", "partner_admin");
    let mut partner = signed_in(&gateway, &admin.user_id, &admin.password).await;

    let home = partner.get("/portal/mitra").await;
    assert!(
        home.body.contains("id=\"obligations\"") && home.body.contains("data-kind=\"semester_report\""),
        "the partner sees what it owes"
    );

    let empty = partner.get("/portal/mitra/fasilitasi").await;
    assert_eq!(empty.status, 200, "{}", empty.body);
    assert!(empty.body.contains("id=\"no-cases\"") && empty.body.contains("value=\"kia\""));
    assert!(!empty.body.contains("value=\"ktp_el\""), "only the documents KemenPPPA's agreement grants are offered");

    let refused =
        partner.submit("/portal/mitra/fasilitasi", &borrowed(&with(child("Ayu"), "kode_wilayah", "317"))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"error-kode_wilayah\""), "{}", refused.body);
    let not_granted =
        partner.submit("/portal/mitra/fasilitasi", &borrowed(&with(child("Ayu"), "dokumen", "ktp_el"))).await;
    assert_eq!(not_granted.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(not_granted.body.contains("tidak mencakup fasilitasi"), "{}", not_granted.body);

    let filed = partner.submit("/portal/mitra/fasilitasi", &borrowed(&child("Ayu Lestari"))).await;
    assert_eq!((filed.status, filed.location()), (StatusCode::SEE_OTHER, "/portal/mitra/fasilitasi"));
    let twice = partner.submit("/portal/mitra/fasilitasi", &borrowed(&child("ayu  lestari"))).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("masih diproses"), "{}", twice.body);
    let listed = partner.get("/portal/mitra/fasilitasi").await;
    assert_eq!(handles(&listed.body), ["FAS-000001"]);
    assert!(listed.body.contains("AYU LESTARI") && listed.body.contains(">Diterima<"));

    let mut regional = signed_in(&gateway, "admin-karanganyar", &admin_password(&gateway, "admin-karanganyar")).await;
    let theirs = regional.get("/portal/konsol/fasilitasi").await;
    assert_eq!(theirs.status, 200);
    assert!(handles(&theirs.body).is_empty(), "a regional office sees only its own partners' cases");
    let token = regional.csrf.clone();
    let foreign = regional
        .post("/portal/konsol/fasilitasi/1", &[("csrf", token.as_str()), ("action", "verify"), ("steps", "1")])
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    let mut national = signed_in(&gateway, "admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    let queue = national.get("/portal/konsol/fasilitasi?status=received").await;
    assert_eq!(handles(&queue.body), ["FAS-000001"]);
    let early = national
        .submit("/portal/konsol/fasilitasi/1", &[("action", "issue"), ("document_number", "x"), ("steps", "1")])
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "issued only after verification");
    let verified = national.submit("/portal/konsol/fasilitasi/1", &[("action", "verify"), ("steps", "1")]).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER, "{}", verified.body);
    let stale = national
        .submit("/portal/konsol/fasilitasi/1", &[("action", "reject"), ("reason", "data ganda"), ("steps", "1")])
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "a page shown before the last step is noticed");
    let number = "3171-LT-04032019-0042";
    let issued = national
        .submit("/portal/konsol/fasilitasi/1", &[("action", "issue"), ("document_number", number), ("steps", "2")])
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);

    let seen = partner.get("/portal/mitra/fasilitasi").await;
    assert!(seen.body.contains(">Terbit<") && seen.body.contains(number), "{}", seen.body);
    let again = partner.submit("/portal/mitra/fasilitasi", &borrowed(&child("Ayu Lestari"))).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "a finished case does not block a new one");

    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    let outcomes: Vec<&str> =
        trail.iter().map(|s| s.record.outcome.as_str()).filter(|o| o.starts_with("facilitation.")).collect();
    assert!(outcomes.contains(&"facilitation.filed") && outcomes.contains(&"facilitation.verify"));
    assert!(outcomes.contains(&"facilitation.issue") && outcomes.contains(&"facilitation.listed"));
    let case = gateway.store.case(1).await.unwrap().unwrap();
    assert_eq!(
        case.steps.iter().map(|s| s.by.as_str()).collect::<Vec<_>>(),
        [admin.user_id.as_str(), "admin-dukcapil", "admin-dukcapil"]
    );
}

/// A Pemasyarakatan sheet (`;`-separated) under a title row: inmates
/// needing their KTP-el recorded.
fn inmates_sheet(rows: &[(&str, &str, &str)]) -> String {
    let mut csv = String::from(
        "Daftar warga binaan Lapas Kelas I Semarang\n\
         dokumen;kelompok;nik;nama_lengkap;jenis_kelamin;tempat_lahir;tanggal_lahir;nama_ibu;alamat;kode_wilayah;nomor_registrasi;lapas_rutan\n",
    );
    for (nik, name, born) in rows {
        csv.push_str(&format!(
            "ktp_el;narapidana;{nik};{name};L;Semarang;{born};Siti Rahayu;Jl. Pemuda 3, Semarang;33.74;B.I-{}/2024;Lapas Kelas I Semarang\n",
            name.len()
        ));
    }
    csv
}

/// The `data-row` numbers of a refused sheet's problem table.
fn refused_rows(body: &str) -> Vec<u64> {
    body.split("data-row=\"").skip(1).map(|rest| rest.split('"').next().unwrap().parse().unwrap()).collect()
}

#[tokio::test]
async fn a_sheet_of_inmates_is_filed_whole_or_refused_whole_with_its_rows_named() {
    let gateway = Gateway::start(50).await;
    let admin = gateway.login("pemasyarakatan", "partner_admin");
    let mut partner = signed_in(&gateway, &admin.user_id, &admin.password).await;
    let page = partner.get("/portal/mitra/fasilitasi").await;
    assert!(page.body.contains("id=\"sheet-form\"") && page.body.contains("<code>nomor_registrasi</code>"));
    let (status, template) = partner.get_bytes("/portal/mitra/fasilitasi/templat.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(template).unwrap().contains("dokumen;kelompok;nik;nama_lengkap"));

    // One inmate too young for a KTP-el, one NIK that is not one, one
    // person twice: the sheet files nothing and names rows 4, 5 and 6.
    let bad = inmates_sheet(&[
        ("3374011505900001", "Andi Saputra", "15-05-1990"),
        ("3374011505100002", "Bayu", "15-05-2010"),
        ("33740115059", "Candra", "01-01-1985"),
        ("3374011505900001", "Andi Saputra", "15-05-1990"),
    ]);
    let (status, _, body) = partner.post_file("/portal/mitra/fasilitasi/unggah", &[], "napi.csv", bad.as_bytes()).await;
    let body = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("id=\"sheet-refused\""), "{body}");
    assert_eq!(refused_rows(&body), [4, 5, 6]);
    assert!(body.contains("17 tahun") && body.contains("baris 3"), "{body}");
    assert!(gateway.store.case(1).await.unwrap().is_none(), "a refused sheet files nothing");

    // The corrected sheet, saved by LibreOffice as .xlsx (NIK as text).
    let good = inmates_sheet(&[
        ("3374011505900001", "Andi Saputra", "15-05-1990"),
        ("3374012001880003", "Dedi Kurniawan", "20-01-1988"),
    ]);
    let work = tempfile::tempdir().unwrap();
    let workbook = std::fs::read(soffice(work.path(), &[("napi".to_owned(), good)], "xlsx").remove(0)).unwrap();
    let (status, headers, _) = partner.post_file("/portal/mitra/fasilitasi/unggah", &[], "napi.xlsx", &workbook).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/portal/mitra/fasilitasi?berkas=2");
    let listed = partner.get("/portal/mitra/fasilitasi?berkas=2").await;
    assert!(listed.body.contains("id=\"sheet-notice\""), "{}", listed.body);
    assert_eq!(handles(&listed.body), ["FAS-000002", "FAS-000001"]);
    assert!(listed.body.contains("DEDI KURNIAWAN"));
    let first = gateway.store.case(1).await.unwrap().unwrap();
    assert_eq!(first.filing.subject.full_name, "ANDI SAPUTRA");
    assert_eq!(first.filing.subject.custody_number, "B.I-12/2024");

    // The same sheet again: both people have an open case, so nothing is
    // filed and each row names the case it repeats.
    let (status, _, body) = partner.post_file("/portal/mitra/fasilitasi/unggah", &[], "napi.xlsx", &workbook).await;
    let body = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(refused_rows(&body), [3, 4]);
    assert!(body.contains("FAS-000001") && body.contains("FAS-000002"));
    assert!(gateway.store.case(3).await.unwrap().is_none());

    // Not a spreadsheet; no header row.
    let (status, _, body) =
        partner.post_file("/portal/mitra/fasilitasi/unggah", &[], "daftar.xlsx", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("id=\"sheet-error\""));
    let (status, _, body) =
        partner.post_file("/portal/mitra/fasilitasi/unggah", &[], "daftar.csv", b"nama;umur\nAndi;30\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("baris judul tidak ditemukan"));

    // KemenPPPA's agreement grants no KTP-el: its rows are refused as such.
    let kemenpppa = gateway.login("kemenpppa", "partner_admin");
    let mut other = signed_in(&gateway, &kemenpppa.user_id, &kemenpppa.password).await;
    other.get("/portal/mitra/fasilitasi").await;
    let sheet = inmates_sheet(&[("3374011505900001", "Andi Saputra", "15-05-1990")]);
    let (status, _, body) = other.post_file("/portal/mitra/fasilitasi/unggah", &[], "napi.csv", sheet.as_bytes()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("tidak mencakup fasilitasi"));

    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    let filed = trail.iter().filter(|s| s.record.outcome == "facilitation.filed_sheet").count();
    assert_eq!(filed, 1, "the one sheet filed is in the audit trail");
}

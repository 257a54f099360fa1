//! Semester reports over real HTTP (SPEC.md §8, 001 Ps.4, 004 Ps.9): the
//! figures a partner's report shows equal what the audit trail says,
//! counted here independently from the trail's records; the partner
//! submits, the provider that manages it evaluates (and no other office
//! may), the submission meets the agreement's semester-report obligation,
//! the PDF renders (pdftoppm) and reads (pdftotext), the xlsx is a
//! workbook with its sheets and charts, and a regional office downloads
//! its summary for the Bupati.

use std::collections::{BTreeMap, HashSet};

use gerbang_core::report::Semester;
use reqwest::StatusCode;
use serde_json::json;

use crate::gateway::{Gateway, code, nik_text, today};
use crate::portal::{Visitor, admin_password};
use crate::support::{gerbang, stdout};

/// The value cell of the figures row labelled `label`.
fn figure(body: &str, label: &str) -> String {
    let marker = format!("<th>{label}</th><td>");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no figure {label} in {body}")) + marker.len();
    body[at..].split('<').next().unwrap().to_owned()
}

/// The text of the element with `id` (up to its first tag).
fn text_of<'b>(body: &'b str, id: &str) -> &'b str {
    let marker = format!("id=\"{id}\">");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no #{id} in {body}")) + marker.len();
    body[at..].split('<').next().unwrap()
}

async fn signed_in(gateway: &Gateway, user_id: &str, password: &str) -> Visitor {
    let mut visitor = Visitor::new(gateway);
    let page = visitor.sign_in(user_id, password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    visitor
}

/// What the trail says about `institution`'s mechanism calls in
/// `semester`: calls, answered hits, calls per outcome, distinct residents
/// of answered calls.
async fn from_the_trail(
    gateway: &Gateway,
    institution: &str,
    semester: Semester,
) -> (u64, u64, BTreeMap<String, u64>, u64) {
    let trail = gateway.store.audit_page(0, 100_000).await.unwrap();
    let calls: Vec<_> = trail
        .iter()
        .map(|s| &s.record)
        .filter(|r| r.institution.as_deref() == Some(institution) && r.mechanism.is_some())
        .filter(|r| semester.from() <= r.at && r.at < semester.until())
        .collect();
    let mut outcomes = BTreeMap::new();
    for record in &calls {
        *outcomes.entry(record.outcome.clone()).or_insert(0u64) += 1;
    }
    let answered: Vec<_> = calls.iter().filter(|r| !r.outcome.starts_with("access.")).collect();
    let residents: HashSet<_> = answered.iter().filter_map(|r| r.resident).collect();
    (calls.len() as u64, answered.len() as u64, outcomes, residents.len() as u64)
}

#[tokio::test]
async fn semester_report_figures_match_the_trail_and_flow_from_partner_to_registry() {
    let gateway = Gateway::start(60).await;
    let (alive, ..) = gateway.residents().await;
    let service = gateway.login("lpsk", "service");
    // Five hits a day, so the sixth call is refused: a call, not a hit.
    let plane = gateway.plane().await;
    gateway.apply(vec![plane.set_quota(&service.user_id, 5, None).unwrap()]).await;
    for resident in [&alive[0], &alive[0], &alive[1], &alive[2]] {
        assert_eq!(code(&gateway.compat(&service, "CALL_NIK", json!({ "NIK": nik_text(resident.nik) })).await), None);
    }
    gateway.compat(&service, "CALL_NIK", json!({ "NIK": "3313015512990999" })).await;
    let refused = gateway.compat(&service, "CALL_NIK", json!({ "NIK": nik_text(alive[3].nik) })).await;
    assert_eq!(code(&refused), Some("05"), "quota used up");
    let semester = Semester::containing(today());
    let (calls, hits, outcomes, residents) = from_the_trail(&gateway, "lpsk", semester).await;
    // Three residents found and one NIK not found were looked up.
    assert_eq!((calls, hits, residents), (6, 5, 4), "{outcomes:?}");
    assert_eq!(outcomes.get("access.quota_exhausted"), Some(&1));

    let admin = gateway.login("lpsk", "partner_admin");
    let mut partner = signed_in(&gateway, &admin.user_id, &admin.password).await;
    let list = partner.get("/portal/mitra/laporan").await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert!(
        list.body.contains(&format!("data-semester=\"{semester}\"")) && list.body.contains("/portal/mitra/laporan\"")
    );
    let path = format!("/portal/mitra/laporan/{semester}");
    let page = partner.get(&path).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(figure(&page.body, "Jumlah panggilan"), calls.to_string());
    assert_eq!(figure(&page.body, "Hit terjawab"), hits.to_string());
    assert_eq!(figure(&page.body, "Penduduk yang diakses (NIK berbeda)"), residents.to_string());
    for (outcome, n) in &outcomes {
        assert!(page.body.contains(&format!("<td>{outcome}</td><td>{n}</td>")), "{outcome} {n}");
    }
    assert!(page.body.contains("<svg") && page.body.contains("id=\"narrative\""));
    assert_eq!(text_of(&page.body, "report-status"), "Draf");

    // The narrative is needed to submit; what was written is kept.
    let empty = partner.submit(&path, &[("kendala", ""), ("tindak_lanjut", "Pelatihan"), ("aksi", "ajukan")]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert!(empty.body.contains("kendala: wajib diisi"));
    let form = [
        ("kendala", "Koneksi VPN terputus dua kali"),
        ("tindak_lanjut", "Menambah jalur cadangan"),
        ("aksi", "ajukan"),
    ];
    let submitted = partner.submit(&path, &form).await;
    assert_eq!((submitted.status, submitted.location()), (StatusCode::SEE_OTHER, path.as_str()), "{}", submitted.body);
    let page = partner.get(&path).await;
    assert_eq!(text_of(&page.body, "report-status"), "Diajukan");
    assert!(!page.body.contains("id=\"narrative\""), "locked once submitted");
    let stored = gateway.store.semester_report("lpsk", semester).await.unwrap().unwrap();
    assert_eq!(stored.figures.as_ref().map(|f| (f.calls, f.residents_accessed)), Some((calls, residents)), "frozen");

    // Another partner sees only its own; a regional office not LPSK's.
    let other = gateway.login("kemenpppa", "partner_admin");
    let mut stranger = signed_in(&gateway, &other.user_id, &other.password).await;
    let theirs = stranger.get(&path).await;
    assert!(!theirs.body.contains("Koneksi VPN"), "kemenpppa opens its own report");
    let mut karanganyar =
        signed_in(&gateway, "admin-karanganyar", &admin_password(&gateway, "admin-karanganyar")).await;
    assert_eq!(karanganyar.get("/portal/konsol/laporan").await.status, 200);
    let console_path = format!("/portal/konsol/laporan/lpsk/{semester}");
    assert_eq!(karanganyar.get(&console_path).await.status, StatusCode::NOT_FOUND);
    let refused =
        karanganyar.submit(&format!("{console_path}/evaluasi"), &[("temuan", "x"), ("kesimpulan", "diterima")]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    // Ditjen evaluates: a revision needs its reason; then accepted.
    let mut ditjen = signed_in(&gateway, "admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    let listing = ditjen.get(&format!("/portal/konsol/laporan?semester={semester}&status=diajukan")).await;
    assert_eq!(listing.status, 200);
    assert!(listing.body.contains("data-partner=\"lpsk\"") && !listing.body.contains("data-partner=\"bkn\""));
    let evaluation = format!("{console_path}/evaluasi");
    let no_reason = ditjen
        .submit(&evaluation, &[("temuan", "Kurang rinci"), ("kesimpulan", "perlu_perbaikan"), ("alasan", "")])
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("alasan perbaikan wajib diisi"));
    let accepted = ditjen
        .submit(
            &evaluation,
            &[("temuan", "Pemanfaatan sesuai PKS"), ("tindak_lanjut", "-"), ("kesimpulan", "diterima")],
        )
        .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let page = partner.get(&path).await;
    assert_eq!(text_of(&page.body, "report-status"), "Diterima");
    assert_eq!(text_of(&page.body, "evaluation-verdict"), "Diterima");

    // Every look and change is in the trail.
    let trail = gateway.store.audit_page(0, 100_000).await.unwrap();
    let outcomes_of = |user: &str| -> Vec<String> {
        trail.iter().filter(|s| s.record.user_id.as_deref() == Some(user)).map(|s| s.record.outcome.clone()).collect()
    };
    let partner_trail = outcomes_of(&admin.user_id);
    for expected in ["portal.report_list", "portal.report_view", "admin.report_submit"] {
        assert!(partner_trail.contains(&expected.to_owned()), "{expected} in {partner_trail:?}");
    }
    let registry_trail = outcomes_of("admin-dukcapil");
    for expected in ["portal.report_list", "portal.report_view", "admin.report_evaluate"] {
        assert!(registry_trail.contains(&expected.to_owned()), "{expected} in {registry_trail:?}");
    }

    // The PDF renders and reads; the xlsx is a workbook with charts.
    let (status, pdf) = partner.get_bytes(&format!("{path}/unduh/pdf")).await;
    assert_eq!(status, 200);
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("laporan.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let rendered = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "50", "-f", "1", "-l", "1"])
        .arg(&file)
        .arg(folder.path().join("halaman"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(rendered.success());
    let png = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("a page image");
    let image = std::fs::read(&png).unwrap();
    assert!(image.starts_with(b"\x89PNG") && image.len() > 5_000, "a page with something on it");
    let text = std::process::Command::new("pdftotext").args(["-layout"]).arg(&file).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Lembaga Perlindungan Saksi dan Korban"), "{text}");
    assert!(text.contains("Koneksi VPN terputus dua kali") && text.contains("Pemanfaatan sesuai PKS"));
    let calls_line = text.lines().find(|l| l.contains("Jumlah panggilan")).unwrap();
    assert!(calls_line.trim_end().ends_with(&calls.to_string()), "{calls_line}");

    let (status, xlsx) = partner.get_bytes(&format!("{path}/unduh/xlsx")).await;
    assert_eq!(status, 200);
    assert!(xlsx.starts_with(b"PK"), "a zip");
    for part in ["xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/charts/chart1.xml"] {
        assert!(xlsx.windows(part.len()).any(|w| w == part.as_bytes()), "{part}");
    }

    // The CLI gives the same figures for scripts.
    let out = folder.path().join("cli.pdf");
    let cli = gerbang(
        &gateway.dir,
        &[
            "report",
            "semester",
            "--partner",
            "lpsk",
            "--semester",
            &semester.to_string(),
            "--json",
            "--pdf",
            out.to_str().unwrap(),
        ],
    );
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    let figures: serde_json::Value = serde_json::from_str(&stdout(&cli)).unwrap();
    assert_eq!((figures["calls"].as_u64(), figures["residents_accessed"].as_u64()), (Some(calls), Some(residents)));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
}

#[tokio::test]
async fn a_regional_partners_submission_meets_its_obligation_and_reaches_the_bupati_summary() {
    let gateway = Gateway::start(20).await;
    // 2024-S1: within BPBD's agreement (004 Ps.9), report due 30 June 2024.
    let semester: Semester = "2024-S1".parse().unwrap();
    let admin = gateway.login("bpbd-karanganyar", "partner_admin");
    let mut partner = signed_in(&gateway, &admin.user_id, &admin.password).await;
    let path = format!("/portal/mitra/laporan/{semester}");
    assert_eq!(partner.get(&path).await.status, 200);
    let form = [("kendala", "Belum ada kendala"), ("tindak_lanjut", "Pengadaan card reader"), ("aksi", "ajukan")];
    assert_eq!(partner.submit(&path, &form).await.status, StatusCode::SEE_OTHER);
    let plane = gateway.plane().await;
    let due = semester.last_day();
    let obligation = plane
        .agreements_of("bpbd-karanganyar")
        .flat_map(|a| a.obligations.iter())
        .find(|o| o.kind == gerbang_core::access::ObligationKind::SemesterReport && o.due_on == due)
        .unwrap();
    assert_eq!(obligation.fulfilled_on, Some(today()), "the semester-report obligation is met");
    assert_eq!(
        partner.get("/portal/mitra/laporan/2030-S1").await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not begun"
    );

    let mut karanganyar =
        signed_in(&gateway, "admin-karanganyar", &admin_password(&gateway, "admin-karanganyar")).await;
    let listing = karanganyar.get(&format!("/portal/konsol/laporan?semester={semester}")).await;
    assert!(listing.body.contains("data-partner=\"bpbd-karanganyar\"") && listing.body.contains("id=\"bupati-pdf\""));
    assert!(!listing.body.contains("data-partner=\"lpsk\""), "only its own partners");
    let (status, pdf) = karanganyar.get_bytes(&format!("/portal/konsol/laporan-bupati/{semester}/pdf")).await;
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF-"));
    let (status, xlsx) = karanganyar.get_bytes(&format!("/portal/konsol/laporan-bupati/{semester}/xlsx")).await;
    assert_eq!((status, xlsx.starts_with(b"PK")), (StatusCode::OK, true));
    let mut ditjen = signed_in(&gateway, "admin-dukcapil", &admin_password(&gateway, "admin-dukcapil")).await;
    let national = ditjen.get(&format!("/portal/konsol/laporan-bupati/{semester}/pdf")).await;
    assert_eq!(national.status, StatusCode::UNPROCESSABLE_ENTITY, "only a regional office reports to a Bupati");
}

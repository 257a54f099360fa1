//! Return data through the portal (SPEC.md §5, 004 Juknis 3d): LPSK's
//! administrator types one row into the online form and uploads a
//! LibreOffice workbook. A NIK LPSK never accessed is refused with the
//! reason; after LPSK calls it, the same row is stored, and sending it
//! again stores nothing new; a row-by-row upload stores the good rows and,
//! when asked, answers with the workbook of the rejected rows; a file that
//! is not a spreadsheet is refused; every submission is in the trail.

use reqwest::StatusCode;
use serde_json::json;

use crate::gateway::{Gateway, code, nik_text};
use crate::portal::Visitor;
use crate::support::soffice;

fn count(body: &str, id: &str) -> u64 {
    let marker = format!("id=\"{id}\">");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no #{id} in {body}")) + marker.len();
    body[at..].split('<').next().unwrap().parse().unwrap()
}

/// Posts LPSK's online form for `nik`.
async fn send(portal: &mut Visitor, nik: &str) -> crate::portal::Page {
    let form = [("NIK", nik), ("NOMOR_REGISTER", "REG-7"), ("NOMOR_SK_PARIPURNA", "SK-3/2024")];
    portal.submit("/portal/mitra/data-balikan/formulir", &form).await
}

#[tokio::test]
async fn a_partner_sends_return_data_by_form_and_by_upload() {
    let gateway = Gateway::start(300).await;
    let (alive, ..) = gateway.residents().await;
    let admin = gateway.login("lpsk", "partner_admin");
    let mut portal = Visitor::new(&gateway);
    assert_eq!(portal.sign_in(&admin.user_id, &admin.password).await.status, StatusCode::SEE_OTHER);

    let page = portal.get("/portal/mitra/data-balikan").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("data-column=\"NOMOR_REGISTER\"") && page.body.contains("id=\"no-batches\""));

    let nik = nik_text(alive[10].nik);
    let refused = send(&mut portal, &nik).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&refused.body, "count-rejected"), 1);
    assert!(refused.body.contains("id=\"rejected-rows\""), "{}", refused.body);

    let service = gateway.login("lpsk", "service");
    let answer = gateway.compat(&service, "CALL_NIK", json!({ "NIK": nik })).await;
    assert_eq!(code(&answer), None, "{answer}");
    let stored = send(&mut portal, &nik).await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.body);
    assert_eq!(count(&stored.body, "count-accepted"), 1);
    let again = send(&mut portal, &nik).await;
    assert_eq!(count(&again.body, "count-already-sent"), 1);
    assert_eq!(gateway.store.return_data_of(alive[10].nik).await.unwrap().len(), 1, "never stored twice");

    // A workbook saved by LibreOffice: one good row, one for a NIK never
    // accessed, one malformed NIK.
    let (good, never) = (nik_text(alive[11].nik), nik_text(alive[12].nik));
    let answer = gateway.compat(&service, "CALL_NIK", json!({ "NIK": good })).await;
    assert_eq!(code(&answer), None, "{answer}");
    let csv =
        format!("NIK;NOMOR_REGISTER;NOMOR_SK_PARIPURNA\n{good};REG-8;SK-4\n{never};REG-9;SK-5\n12345;REG-10;SK-6\n");
    let work = tempfile::tempdir().unwrap();
    let workbook = std::fs::read(soffice(work.path(), &[("lpsk".to_owned(), csv)], "xlsx").remove(0)).unwrap();
    portal.get("/portal/mitra/data-balikan").await;
    let (status, _, body) =
        portal.post_file("/portal/mitra/data-balikan/unggah", &[("mode", "all")], "lpsk.xlsx", &workbook).await;
    let body = String::from_utf8_lossy(&body).into_owned();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!((count(&body, "count-rows"), count(&body, "count-rejected")), (3, 2));
    assert_eq!(gateway.store.return_data_of(alive[11].nik).await.unwrap().len(), 0, "all or nothing");

    let (status, headers, bytes) = portal
        .post_file("/portal/mitra/data-balikan/unggah", &[("mode", "rows"), ("workbook", "1")], "lpsk.xlsx", &workbook)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-disposition"].to_str().unwrap().contains(".xlsx"));
    assert_eq!(&bytes[..2], b"PK", "the rejected rows come back as a workbook");
    assert_eq!(gateway.store.return_data_of(alive[11].nik).await.unwrap().len(), 1, "the good row is stored");

    portal.get("/portal/mitra/data-balikan").await;
    let (status, _, body) = portal
        .post_file("/portal/mitra/data-balikan/unggah", &[("mode", "rows")], "data.xlsx", b"MZ\x90\x00 not a workbook")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(String::from_utf8_lossy(&body).contains("id=\"intake-error\""));

    let listed = portal.get("/portal/mitra/data-balikan").await;
    assert!(listed.body.contains("id=\"batches\"") && listed.body.contains("lpsk.xlsx"));
    let trail = gateway.store.audit_page(0, 10_000).await.unwrap();
    let outcomes: Vec<&str> = trail
        .iter()
        .filter(|s| s.record.interface == "portal" && s.record.outcome.starts_with("return_data."))
        .map(|s| s.record.outcome.as_str())
        .collect();
    assert!(outcomes.contains(&"return_data.stored") && outcomes.contains(&"return_data.already_sent"), "{outcomes:?}");
    assert!(outcomes.iter().any(|o| o.starts_with("return_data.refused.")), "{outcomes:?}");
}

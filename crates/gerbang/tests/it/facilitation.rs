//! Document facilitation over real HTTP (SPEC.md §9): KemenPPPA files a
//! child's birth-certificate case, sees it received, cannot file the same
//! child twice while it is open nor a document its agreement does not
//! grant; Ditjen Dukcapil verifies and issues it with the akta's number,
//! which KemenPPPA then reads; the regional office of Karanganyar sees none
//! of it; every list and step is in the audit trail.

use reqwest::StatusCode;

use crate::gateway::Gateway;
use crate::portal::{Visitor, admin_password};

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

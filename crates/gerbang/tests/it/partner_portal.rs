//! A partner administrator and the registry over real HTTP (SPEC.md §7):
//! a requested User ID is issued with a password shown once, stays
//! inactive until its NDA is recorded, then signs in; a regional partner's
//! quota raise above the default is approved only by Ditjen Dukcapil; a
//! partner administrator sees nothing of another partner, and forged forms
//! change nothing. (The same in a real browser is in `browser.rs`.)

use reqwest::StatusCode;

use crate::gateway::{Gateway, nik_text, today};
use crate::portal::{Visitor, admin_password};

/// The eight fields of a User-ID request (004 Juknis 2f), with `nik`.
pub(crate) fn applicant(nik: &str) -> Vec<(&'static str, String)> {
    vec![
        ("nik", nik.to_owned()),
        ("full_name", "Siti Rahayu".to_owned()),
        ("nip", "199005152015032001".to_owned()),
        ("employment_status", "PNS".to_owned()),
        ("position", "Analis Perlindungan Anak".to_owned()),
        ("office_region", "31.71".to_owned()),
        ("office", "Kementerian PPPA, Jl. Medan Merdeka Barat 15".to_owned()),
        ("local_user_id", "siti.r".to_owned()),
    ]
}

pub(crate) fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    fields.iter().map(|(name, value)| (*name, value.as_str())).collect()
}

/// The text of the element with `id` (up to its first tag).
fn text_of<'b>(body: &'b str, id: &str) -> &'b str {
    let marker = format!("id=\"{id}\">");
    let at = body.find(&marker).unwrap_or_else(|| panic!("no #{id} in {body}")) + marker.len();
    body[at..].split('<').next().unwrap()
}

/// Signs in `user_id` and checks where the portal lands.
async fn signed_in(gateway: &Gateway, user_id: &str, password: &str, landing: &str) -> Visitor {
    let mut visitor = Visitor::new(gateway);
    let page = visitor.sign_in(user_id, password).await;
    assert_eq!((page.status, page.location()), (StatusCode::SEE_OTHER, landing), "{}", page.body);
    visitor
}

/// The outcomes the trail recorded for `user_id`, oldest first.
async fn outcomes_of(gateway: &Gateway, user_id: &str) -> Vec<String> {
    let trail = gateway.store.audit_page(0, 1_000).await.unwrap();
    trail.into_iter().filter(|s| s.record.user_id.as_deref() == Some(user_id)).map(|s| s.record.outcome).collect()
}

#[tokio::test]
async fn a_requested_user_id_is_issued_once_and_signs_in_only_after_its_nda_and_activation() {
    let gateway = Gateway::start(50).await;
    let (alive, ..) = gateway.residents().await;
    let nik = nik_text(alive[0].nik);
    let admin = gateway.login("kemenpppa", "partner_admin");
    let mut partner = signed_in(&gateway, &admin.user_id, &admin.password, "/portal/mitra").await;

    let home = partner.get("/portal/mitra").await;
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("data-account=\"kemenpppa-op\"") && home.body.contains("data-account=\"kemenpppa-ws\""));
    assert!(!home.body.contains("data-account=\"kemenpppa-adm\""), "administrators are not listed");
    assert!(home.body.contains("id=\"no-requests\"") && home.body.contains("<svg"));

    // A bad NIK: the form again, the message at the NIK, nothing filed.
    assert_eq!(partner.get("/portal/mitra/permintaan/user-id").await.status, 200);
    let wrong = applicant("123");
    let refused = partner.submit("/portal/mitra/permintaan/user-id", &borrowed(&wrong)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&refused.body, "error-nik"), "bukan NIK yang valid");
    assert!(refused.body.contains("value=\"123\"") && refused.body.contains("value=\"Siti Rahayu\""), "re-displayed");
    assert_eq!(gateway.plane().await.requests_of("kemenpppa").count(), 0, "nothing filed");

    let filed = partner.submit("/portal/mitra/permintaan/user-id", &borrowed(&applicant(&nik))).await;
    assert_eq!((filed.status, filed.location()), (StatusCode::SEE_OTHER, "/portal/mitra/permintaan/kemenpppa-u1"));
    assert_eq!(outcomes_of(&gateway, &admin.user_id).await.last().unwrap(), "admin.request_user_id");
    let page = partner.get("/portal/mitra/permintaan/kemenpppa-u1").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(&format!("************{}", &nik[12..])), "the NIK shows its last four digits");
    assert!(!page.body.contains(&nik), "and only those");
    assert_eq!(text_of(&page.body, "request-status"), "menunggu");
    let target = (today() + chrono::Days::new(14)).format("%d-%m-%Y").to_string();
    assert_eq!(text_of(&page.body, "target-on"), target, "two weeks (004 Juknis 2f)");
    assert!(page.body.contains("SITI RAHAYU"));

    // Ditjen Dukcapil issues the User ID; the password is shown once.
    let mut registry =
        signed_in(&gateway, "admin-dukcapil", &admin_password(&gateway, "admin-dukcapil"), "/portal/konsol").await;
    let queue = registry.get("/portal/konsol/permintaan").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("data-request=\"kemenpppa-u1\"") && queue.body.contains("14 hari lagi"));
    let issued =
        registry.submit("/portal/konsol/permintaan/kemenpppa-u1/setujui", &[("user_id", "kemenpppa-siti")]).await;
    assert_eq!(issued.status, 200, "{}", issued.body);
    assert_eq!(text_of(&issued.body, "issued-user-id"), "kemenpppa-siti");
    let password = text_of(&issued.body, "issued-password").to_owned();
    assert!(password.len() >= 10, "a generated password");
    assert!(issued.body.contains("saluran resmi"), "handed over through an official channel");
    assert_eq!(issued.headers["cache-control"], "no-store");
    let after = registry.get("/portal/konsol/permintaan").await;
    assert!(!after.body.contains(&password), "shown only once");
    assert!(after.body.contains("id=\"decided\"") && after.body.contains("kemenpppa-siti"));
    let again =
        registry.submit("/portal/konsol/permintaan/kemenpppa-u1/setujui", &[("user_id", "kemenpppa-lain")]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("sudah diputuskan"));
    assert!(outcomes_of(&gateway, "admin-dukcapil").await.contains(&"admin.request_approve".to_owned()));

    // Inactive until the NDA: no sign-in, no activation.
    let mut newcomer = Visitor::new(&gateway);
    let inactive = newcomer.sign_in("kemenpppa-siti", &password).await;
    assert_eq!(inactive.status, StatusCode::FORBIDDEN);
    assert!(inactive.body.contains("User ID Tidak Aktif"), "{}", inactive.body);
    let home = partner.get("/portal/mitra").await;
    assert!(home.body.contains("data-account=\"kemenpppa-siti\""));
    assert!(home.body.contains("belum ada NDA"));
    let page = partner.get("/portal/mitra/permintaan/kemenpppa-u1").await;
    assert_eq!(
        (text_of(&page.body, "request-status"), text_of(&page.body, "decision")),
        ("disetujui", "kemenpppa-siti")
    );
    let no_nda = partner.submit("/portal/mitra/operator/kemenpppa-siti/status", &[("active", "true")]).await;
    assert_eq!(no_nda.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&no_nda.body, "account-error").starts_with("Belum ada NDA yang tercatat"));
    assert!(!gateway.plane().await.account("kemenpppa-siti").unwrap().active);
    let future = (today() + chrono::Days::new(1)).to_string();
    let early = partner.submit("/portal/mitra/operator/kemenpppa-siti/nda", &[("signed_on", &future)]).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("Tanggal NDA tidak boleh setelah hari ini"));

    let nda = partner.submit("/portal/mitra/operator/kemenpppa-siti/nda", &[("signed_on", &today().to_string())]).await;
    assert_eq!((nda.status, nda.location()), (StatusCode::SEE_OTHER, "/portal/mitra"));
    let on = partner.submit("/portal/mitra/operator/kemenpppa-siti/status", &[("active", "true")]).await;
    assert_eq!((on.status, on.location()), (StatusCode::SEE_OTHER, "/portal/mitra"));
    let account = gateway.plane().await.account("kemenpppa-siti").unwrap().clone();
    assert_eq!((account.active, account.nda_on), (true, Some(today())));
    let trail = outcomes_of(&gateway, &admin.user_id).await;
    assert!(trail.ends_with(&["admin.operator_nda".to_owned(), "admin.operator_activate".to_owned()]), "{trail:?}");
    signed_in(&gateway, "kemenpppa-siti", &password, "/portal").await;
}

#[tokio::test]
async fn only_ditjen_dukcapil_approves_a_regional_partners_quota_above_the_default() {
    let gateway = Gateway::start(50).await;
    let admin = gateway.login("bpbd-karanganyar", "partner_admin");
    let service = gateway.login("bpbd-karanganyar", "service");
    let mut partner = signed_in(&gateway, &admin.user_id, &admin.password, "/portal/mitra").await;
    let form = partner.get("/portal/mitra/permintaan/kuota").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(&format!("<option value=\"{}\"", service.user_id)));
    let why = "Pendataan korban banjir bandang di 17 kecamatan";
    let not_a_number = partner
        .submit(
            "/portal/mitra/permintaan/kuota",
            &[("user_id", &service.user_id), ("daily_quota", "banyak"), ("justification", why)],
        )
        .await;
    assert_eq!(not_a_number.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&not_a_number.body, "error-daily_quota"), "harus bilangan bulat");
    let too_short = partner
        .submit(
            "/portal/mitra/permintaan/kuota",
            &[("user_id", &service.user_id), ("daily_quota", "5000"), ("justification", "perlu")],
        )
        .await;
    assert_eq!(too_short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_short.body.contains("id=\"error-justification\""));
    let filed = partner
        .submit(
            "/portal/mitra/permintaan/kuota",
            &[("user_id", &service.user_id), ("daily_quota", "5000"), ("justification", why)],
        )
        .await;
    assert_eq!(filed.location(), "/portal/mitra/permintaan/bpbd-karanganyar-q1");
    let id = "bpbd-karanganyar-q1";

    // The regional provider sees it, may reject it, but may not approve it.
    let mut regional =
        signed_in(&gateway, "admin-karanganyar", &admin_password(&gateway, "admin-karanganyar"), "/portal/konsol")
            .await;
    let queue = regional.get("/portal/konsol/permintaan").await;
    assert!(queue.body.contains(&format!("id=\"national-{id}\"")), "perlu persetujuan Ditjen Dukcapil");
    assert!(!queue.body.contains(&format!("id=\"approve-{id}\"")), "no approval button");
    let refused = regional.submit(&format!("/portal/konsol/permintaan/{id}/setujui"), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&refused.body, "request-error").contains("hanya dapat disetujui oleh Ditjen Dukcapil"));
    assert_eq!(gateway.plane().await.account(&service.user_id).unwrap().daily_quota, 1_000);

    let mut national =
        signed_in(&gateway, "admin-dukcapil", &admin_password(&gateway, "admin-dukcapil"), "/portal/konsol").await;
    let queue = national.get("/portal/konsol/permintaan").await;
    assert!(
        !queue.body.contains(&format!("id=\"national-{id}\"")) && queue.body.contains(&format!("id=\"approve-{id}\""))
    );
    let approved = national.submit(&format!("/portal/konsol/permintaan/{id}/setujui"), &[]).await;
    assert_eq!((approved.status, approved.location()), (StatusCode::SEE_OTHER, "/portal/konsol/permintaan"));
    let account = gateway.plane().await.account(&service.user_id).unwrap().clone();
    assert_eq!(account.daily_quota, 5_000);
    assert_eq!(account.quota_approval.as_deref(), Some("bpbd-karanganyar-q1 (admin-dukcapil)"));

    // A User ID the regional provider rejects, with a reason the partner reads.
    let (alive, ..) = gateway.residents().await;
    partner.get("/portal/mitra/permintaan/user-id").await;
    let mut fields = applicant(&nik_text(alive[1].nik));
    fields[5].1 = "33.13".into();
    partner.submit("/portal/mitra/permintaan/user-id", &borrowed(&fields)).await;
    regional.get("/portal/konsol/permintaan").await;
    let no_reason = regional.submit("/portal/konsol/permintaan/bpbd-karanganyar-u1/tolak", &[("reason", " ")]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(text_of(&no_reason.body, "request-error"), "Alasan wajib diisi.");
    let rejected = regional
        .submit("/portal/konsol/permintaan/bpbd-karanganyar-u1/tolak", &[("reason", "NDA belum dilampirkan")])
        .await;
    assert_eq!(rejected.location(), "/portal/konsol/permintaan");
    let page = partner.get("/portal/mitra/permintaan/bpbd-karanganyar-u1").await;
    assert_eq!(text_of(&page.body, "request-status"), "ditolak");
    assert_eq!(text_of(&page.body, "decision"), "NDA belum dilampirkan");
    let home = partner.get("/portal/mitra").await;
    assert!(home.body.contains("NDA belum dilampirkan") && home.body.contains("bpbd-karanganyar-q1"));
}

#[tokio::test]
async fn a_partner_administrator_sees_nothing_of_another_partner_and_forged_forms_change_nothing() {
    let gateway = Gateway::start(50).await;
    let (alive, ..) = gateway.residents().await;
    let lpsk = gateway.login("lpsk", "partner_admin");
    let mut own = signed_in(&gateway, &lpsk.user_id, &lpsk.password, "/portal/mitra").await;
    own.get("/portal/mitra/permintaan/user-id").await;
    let filed = own.submit("/portal/mitra/permintaan/user-id", &borrowed(&applicant(&nik_text(alive[0].nik)))).await;
    assert_eq!(filed.location(), "/portal/mitra/permintaan/lpsk-u1");

    let bkn = gateway.login("bkn", "partner_admin");
    let mut other = signed_in(&gateway, &bkn.user_id, &bkn.password, "/portal/mitra").await;
    let home = other.get("/portal/mitra").await;
    assert!(!home.body.contains("lpsk"), "another partner's accounts and requests are not listed");
    assert_eq!(other.get("/portal/mitra/permintaan/lpsk-u1").await.status, StatusCode::NOT_FOUND);
    assert_eq!(other.get("/portal/mitra/permintaan/tidak-ada").await.status, StatusCode::NOT_FOUND);
    for path in ["/portal/mitra/operator/lpsk-op/nda", "/portal/mitra/operator/lpsk-op/status"] {
        let foreign = other.submit(path, &[("signed_on", "2026-11-01"), ("active", "false")]).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{path}");
    }
    let service = other.submit("/portal/mitra/operator/bkn-ws/status", &[("active", "false")]).await;
    assert_eq!(service.status, StatusCode::NOT_FOUND, "a service account is not an operator");
    assert!(gateway.plane().await.account("lpsk-op").unwrap().active);
    assert!(gateway.plane().await.account("bkn-ws").unwrap().active);
    assert_eq!(other.get("/portal/konsol/permintaan").await.status, StatusCode::NOT_FOUND, "no console");
    assert_eq!(other.get("/portal").await.location(), "/portal/mitra");

    // Forged forms: refused, nothing filed, nothing changed.
    let before = gateway.audit_count().await;
    let forged = other.post("/portal/mitra/permintaan/user-id", &[("csrf", "0000"), ("nik", "3171015505900001")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged = other.post("/portal/mitra/operator/bkn-op/status", &[("csrf", "0000"), ("active", "false")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let forged = other.post("/portal/mitra/permintaan/kuota", &[("user_id", "bkn-ws"), ("daily_quota", "2000")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(gateway.plane().await.requests_of("bkn").count(), 0);
    assert!(gateway.plane().await.account("bkn-op").unwrap().active);

    // Operators have no partner pages; a regional provider has no other
    // provider's requests.
    let operator = gateway.login("lpsk", "operator");
    let mut desk = signed_in(&gateway, &operator.user_id, &operator.password, "/portal").await;
    assert_eq!(desk.get("/portal/mitra").await.status, StatusCode::NOT_FOUND);
    assert_eq!(desk.get("/portal/mitra/permintaan/lpsk-u1").await.status, StatusCode::NOT_FOUND);
    let mut regional =
        signed_in(&gateway, "admin-karanganyar", &admin_password(&gateway, "admin-karanganyar"), "/portal/konsol")
            .await;
    assert!(!regional.get("/portal/konsol/permintaan").await.body.contains("lpsk-u1"));
    let foreign = regional.submit("/portal/konsol/permintaan/lpsk-u1/tolak", &[("reason", "bukan milik kami")]).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let mut national =
        signed_in(&gateway, "admin-dukcapil", &admin_password(&gateway, "admin-dukcapil"), "/portal/konsol").await;
    national.get("/portal/konsol/permintaan").await;
    let forged =
        national.post("/portal/konsol/permintaan/lpsk-u1/setujui", &[("csrf", "0000"), ("user_id", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(gateway.plane().await.request("lpsk-u1").unwrap().is_open());
    let sign_ins = 3;
    assert_eq!(gateway.audit_count().await, before + sign_ins, "only the sign-ins were recorded");
}

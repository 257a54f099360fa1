use std::collections::BTreeSet;

use gerbang_core::Element;
use gerbang_core::access::secret::verify_password;
use gerbang_core::access::{Channel, Mechanism, ObligationKind};
use gerbang_store_sqlite::{OpenMode, SqliteStore};

use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn store(dir: &Path) -> SqliteStore {
    SqliteStore::open(&dir.join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap()
}

fn elements(names: &[&str]) -> BTreeSet<Element> {
    names.iter().map(|n| Element::from_wire_name(n).unwrap()).collect()
}

#[test]
fn every_scope_file_parses_and_validates() {
    for partner in &PARTNERS {
        let scope: Scope = toml::from_str(partner.scope).unwrap_or_else(|e| panic!("{}: {e}", partner.code));
        scope.validate().unwrap_or_else(|e| panic!("{}: {e}", partner.code));
    }
}

#[test]
fn the_scopes_grant_exactly_what_the_seeds_say() {
    let scope =
        |code: &str| -> Scope { toml::from_str(PARTNERS.iter().find(|p| p.code == code).unwrap().scope).unwrap() };
    let grant = |scope: &Scope, mechanism, channel| scope.grant(mechanism, channel).map(|g| g.elements.clone());
    use Channel::{Portal, WebService};
    use Mechanism::*;

    let bkn = scope("bkn");
    let eight = elements(&["NO_KK", "NIK", "NAMA_LGKP", "JENIS_KLMIN", "AGAMA", "TMPT_LHR", "TGL_LHR", "ALAMAT"]);
    assert_eq!(grant(&bkn, NikKkCheck, WebService), Some(elements(&["NIK", "NO_KK"])));
    assert_eq!(grant(&bkn, NikKkCheck, Portal), None);
    for mechanism in [CallNik, FamilyMembers] {
        for channel in [WebService, Portal] {
            assert_eq!(grant(&bkn, mechanism, channel), Some(eight.clone()));
            assert!(bkn.grant(mechanism, channel).unwrap().after_match, "{mechanism} only after 'ditemukan'");
        }
    }

    let pas = scope("pemasyarakatan");
    assert_eq!(grant(&pas, FingerprintIdentify, WebService), Some(elements(&["NIK"])));
    assert_eq!(grant(&pas, FaceSearch, WebService), Some(elements(&["NIK"])));
    assert_eq!(grant(&pas, FaceMatch, WebService), Some(elements(&["NIK"])));
    let verify = ["NIK", "NO_KK", "NAMA_LGKP", "JENIS_KLMIN", "TMPT_LHR", "TGL_LHR", "JENIS_PKRJN", "ALAMAT"];
    assert_eq!(grant(&pas, VerifyByElements, WebService), Some(elements(&verify)));
    let nine =
        ["NO_KK", "NIK", "NAMA_LGKP", "JENIS_KLMIN", "TMPT_LHR", "TGL_LHR", "STATUS_KAWIN", "JENIS_PKRJN", "ALAMAT"];
    assert_eq!(grant(&pas, CallNik, Portal), Some(elements(&nine)));
    assert_eq!(grant(&pas, CallNik, WebService), None, "call NIK only in the portal (001 Ps.2(1)d)");

    let lpsk = scope("lpsk");
    let ten = [
        "NIK",
        "NAMA_LGKP",
        "JENIS_KLMIN",
        "TMPT_LHR",
        "TGL_LHR",
        "STATUS_KAWIN",
        "JENIS_PKRJN",
        "NAMA_LGKP_IBU",
        "NAMA_LGKP_AYAH",
        "ALAMAT",
    ];
    for channel in [WebService, Portal] {
        assert_eq!(grant(&lpsk, CallNik, channel), Some(elements(&ten)));
        assert_eq!(grant(&lpsk, FamilyMembers, channel), Some(elements(&ten)));
        assert_eq!(grant(&lpsk, Photo, channel), Some(elements(&["FOTO"])));
    }

    let pppa = scope("kemenpppa");
    let nine =
        ["NIK", "NAMA_LGKP", "JENIS_KLMIN", "TMPT_LHR", "TGL_LHR", "STATUS_KAWIN", "PDDK_AKH", "JENIS_PKRJN", "ALAMAT"];
    assert_eq!(grant(&pppa, VerifyByElements, WebService), Some(elements(&nine)));
    assert_eq!(grant(&pppa, CallNik, Portal), Some(elements(&nine)));
    assert_eq!(pppa.grants.len(), 2);

    let bpbd = scope("bpbd-karanganyar");
    let nine =
        ["NO_KK", "NIK", "NAMA_LGKP", "JENIS_KLMIN", "TMPT_LHR", "TGL_LHR", "JENIS_PKRJN", "STATUS_KAWIN", "ALAMAT"];
    assert_eq!(grant(&bpbd, CallNik, Portal), Some(elements(&nine)));
    assert!(bpbd.mechanisms(WebService).is_empty(), "web portal only (004 Ps.3(2)d)");
}

#[test]
fn obligations_follow_the_seeds() {
    let pas = PARTNERS.iter().find(|p| p.code == "pemasyarakatan").unwrap().obligations();
    let due = |kind| pas.iter().find(|o| o.kind == kind).map(|o| o.due_on);
    assert_eq!(due(ObligationKind::Sptjm), Some(day(2023, 4, 27)));
    assert_eq!(due(ObligationKind::Iso27001), Some(day(2023, 6, 30)));
    assert_eq!(due(ObligationKind::TechnicalImplementation), Some(day(2023, 6, 27)));
    let reports: Vec<NaiveDate> =
        pas.iter().filter(|o| o.kind == ObligationKind::SemesterReport).map(|o| o.due_on).collect();
    assert_eq!(reports, [day(2023, 6, 30), day(2023, 12, 31)]);
    let pppa = PARTNERS.iter().find(|p| p.code == "kemenpppa").unwrap().obligations();
    let due = |kind| pppa.iter().find(|o| o.kind == kind).map(|o| o.due_on);
    assert_eq!(due(ObligationKind::TechnicalImplementation), Some(day(2023, 2, 28)));
    assert_eq!(due(ObligationKind::CardReader), Some(day(2023, 12, 30)));
    let bpbd = PARTNERS.iter().find(|p| p.code == "bpbd-karanganyar").unwrap().obligations();
    let sptjm = bpbd.iter().find(|o| o.kind == ObligationKind::Sptjm).unwrap();
    assert_eq!(sptjm.fulfilled_on, Some(day(2022, 11, 10)), "signed in the annex of 004");
}

#[tokio::test]
async fn a_second_run_reuses_everything() {
    let folder = tempfile::tempdir().unwrap();
    let store = store(folder.path());
    let today = day(2026, 7, 1);
    let first = ensure_demo_partners(&store, today, folder.path()).await.unwrap();
    assert_eq!(first.partners.len(), 15);
    assert_eq!(first.admins.len(), 2);
    let version = store.control_version().await.unwrap();

    let second = ensure_demo_partners(&store, today, folder.path()).await.unwrap();
    assert_eq!(second, first, "identical credentials");
    assert_eq!(store.control_version().await.unwrap(), version, "nothing new was written");

    let plane = store.control_plane().await.unwrap();
    assert_eq!(plane.providers().count(), 2);
    assert_eq!(plane.institutions().count(), 5);
    assert_eq!(plane.agreements().count(), 5);
    assert_eq!(plane.accounts().count(), 17);
    assert_eq!(plane.networks().len(), 10);
    for agreement in plane.agreements() {
        assert_eq!(agreement.addenda.len(), 1, "{}", agreement.id);
        assert_eq!(agreement.valid_through(), day(2027, 7, 1));
        assert!(agreement.in_force_on(today));
        assert_eq!(agreement.addenda[0].number, format!("ADENDUM/{}/2026", agreement.institution));
    }
    let karanganyar = plane.agreement("bpbd-karanganyar-1").unwrap();
    assert_eq!(karanganyar.provider_number, "473.3/2743.12/XI/2022");
    assert_eq!((karanganyar.signed_on, karanganyar.valid_until), (day(2022, 11, 10), day(2024, 11, 9)));
    assert_eq!(plane.institution("bpbd-karanganyar").unwrap().provider, "disdukcapil-3313");

    for credential in &first.partners {
        let account = plane.account(&credential.user_id).unwrap();
        assert!(verify_password(&account.password_hash, &credential.password));
        assert_eq!(account.token_hash.as_deref(), Some(token_hash(&credential.token).as_str()));
        assert_eq!(account.daily_quota, 1_000);
    }
    let find = |user_id: &str| first.partners.iter().find(|c| c.user_id == user_id).unwrap();
    assert_eq!(find("bkn-ws").mechanisms, ["nik_kk_check", "call_nik", "family_members"]);
    assert_eq!(find("bkn-op").mechanisms, ["call_nik", "family_members"]);
    assert_eq!(find("bkn-op").role, "operator");
    assert_eq!(find("lpsk-op").mechanisms, ["call_nik", "photo", "family_members"]);
    assert!(find("bpbd-karanganyar-ws").mechanisms.is_empty());
    assert_eq!(find("bpbd-karanganyar-op").instansi, "BPBD_KARANGANYAR");
    assert_eq!(find("kemenpppa-ws").agreement, "kemenpppa-1");
    assert_eq!(find("kemenpppa-ws").valid_until, day(2027, 7, 1));

    let written: Vec<DemoCredential> =
        serde_json::from_str(&std::fs::read_to_string(&first.credentials_path).unwrap()).unwrap();
    assert_eq!(written, first.partners);
    let admins: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&first.admin_credentials_path).unwrap()).unwrap();
    assert_eq!(admins[0]["user_id"], "admin-dukcapil");
    assert_eq!(admins[1]["provider"], "disdukcapil-3313");
    #[cfg(unix)]
    for path in [&first.credentials_path, &first.admin_credentials_path] {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[tokio::test]
async fn a_lost_credentials_file_resets_the_secrets() {
    let folder = tempfile::tempdir().unwrap();
    let store = store(folder.path());
    let today = day(2026, 7, 1);
    let first = ensure_demo_partners(&store, today, folder.path()).await.unwrap();
    std::fs::remove_file(&first.credentials_path).unwrap();
    let again = ensure_demo_partners(&store, today, folder.path()).await.unwrap();
    assert_eq!(again.admins, first.admins, "the administrators' file was kept");
    let plane = store.control_plane().await.unwrap();
    for (old, new) in first.partners.iter().zip(&again.partners) {
        assert_eq!(old.user_id, new.user_id);
        assert_ne!(old.password, new.password);
        assert_ne!(old.token, new.token);
        let account = plane.account(&new.user_id).unwrap();
        assert!(verify_password(&account.password_hash, &new.password));
        assert_eq!(account.token_hash.as_deref(), Some(token_hash(&new.token).as_str()));
    }
    assert_eq!(plane.accounts().count(), 17, "no account was added");
}

#[tokio::test]
async fn a_run_a_year_later_extends_again() {
    let folder = tempfile::tempdir().unwrap();
    let store = store(folder.path());
    ensure_demo_partners(&store, day(2026, 7, 1), folder.path()).await.unwrap();
    let month_later = ensure_demo_partners(&store, day(2026, 8, 1), folder.path()).await.unwrap();
    assert_eq!(month_later.partners[0].valid_until, day(2027, 7, 1), "no addendum while a year is left");
    let year_later = ensure_demo_partners(&store, day(2027, 6, 20), folder.path()).await.unwrap();
    assert_eq!(year_later.partners[0].valid_until, day(2028, 6, 20));
    let plane = store.control_plane().await.unwrap();
    let bkn = plane.agreement("bkn-1").unwrap();
    let numbers: Vec<&str> = bkn.addenda.iter().map(|a| a.number.as_str()).collect();
    assert_eq!(numbers, ["ADENDUM/bkn/2026", "ADENDUM/bkn/2027"]);
    assert_eq!(year_later.partners[0].password, month_later.partners[0].password);
}

//! Partners' requests (User IDs, quota raises), operators' NDAs and the
//! partner administrator's desk.

use super::{day, ip, plane, regional_plane};
use crate::access::*;

const TODAY: (i32, u32, u32) = (2024, 1, 2);

fn today() -> chrono::NaiveDate {
    day(TODAY.0, TODAY.1, TODAY.2)
}

fn applicant() -> Applicant {
    Applicant {
        nik: "3313015505900001".into(),
        full_name: "  Siti Rahayu ".into(),
        nip: "199005152015032001".into(),
        employment_status: "pns".into(),
        position: "Analis Kebencanaan".into(),
        office_region: "33.13".into(),
        office: "BPBD Kab. Karanganyar, Jl. Lawu 1".into(),
        local_user_id: "siti.r".into(),
    }
}

fn steward(plane: &ControlPlane, user_id: &str, holder: &str) -> (ControlPlane, Steward) {
    let new = NewAccount {
        user_id: user_id.into(),
        holder: holder.into(),
        role: Role::ProviderAdmin,
        password_hash: "$x".into(),
        token_hash: None,
        nda_on: None,
    };
    let plane = plane.applying(&[plane.add_account(new).unwrap()]);
    let steward = authorize_steward(&plane, Authentication::Verified(plane.account(user_id).unwrap())).unwrap();
    (plane, steward)
}

fn field_of(error: AdminError) -> RequestField {
    match error {
        AdminError::Field { field, .. } => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn a_user_id_request_checks_the_eight_fields_and_tidies_them() {
    let plane = plane();
    let file = |applicant| plane.request_user_id("mitra", "mitra-adm", applicant, today());
    let bad_nik = Applicant { nik: "123".into(), ..applicant() };
    assert_eq!(field_of(file(bad_nik).unwrap_err()), RequestField::Nik);
    let no_nip = Applicant { nip: String::new(), ..applicant() };
    assert_eq!(field_of(file(no_nip).unwrap_err()), RequestField::Nip, "a civil servant has a NIP");
    let contractor = Applicant { nip: String::new(), employment_status: "Non-ASN".into(), ..applicant() };
    assert!(file(contractor).is_ok());
    let bad_region = Applicant { office_region: "331".into(), ..applicant() };
    assert_eq!(field_of(file(bad_region).unwrap_err()), RequestField::OfficeRegion);
    let no_office = Applicant { office: "  ".into(), ..applicant() };
    assert_eq!(field_of(file(no_office).unwrap_err()), RequestField::Office);

    let ControlWrite::Request(request) = file(applicant()).unwrap() else { panic!("a request") };
    assert_eq!(request.id, "mitra-u1");
    let Ask::UserId { applicant } = &request.ask else { panic!("a User-ID request") };
    assert_eq!((applicant.full_name.as_str(), applicant.office_region.as_str()), ("SITI RAHAYU", "3313"));
    assert_eq!(request.target_on(), Some(day(2024, 1, 16)), "two weeks (004 Juknis 2f)");
    assert_eq!(request.status(day(2024, 1, 16)), RequestStatus::Pending);
    assert_eq!(request.status(day(2024, 1, 17)), RequestStatus::Overdue);
    assert!(!format!("{request:?}").contains("3313015505900001"), "the operator's NIK stays out of logs");

    let after = day(2024, 7, 1);
    assert_eq!(
        plane.request_user_id("mitra", "mitra-adm", self::applicant(), after).unwrap_err().code(),
        "admin.no_agreement_in_force"
    );
}

#[test]
fn an_approved_user_id_stays_inactive_until_its_nda_is_recorded() {
    let plane = plane();
    let plane = plane.applying(&[plane.request_user_id("mitra", "mitra-adm", applicant(), today()).unwrap()]);
    let (plane, admin) = steward(&plane, "admin-pusat", "dukcapil");
    assert_eq!(plane.approve_request(&admin, "mitra-u1", None, today()), Err(AdminError::NoUserId));
    let writes = plane.approve_request(&admin, "mitra-u1", Some(("mitra-siti".into(), "$y".into())), today()).unwrap();
    let plane = plane.applying(&writes);
    let issued = plane.account("mitra-siti").unwrap();
    assert_eq!((issued.role, issued.active, issued.nda_on), (Role::Operator, false, None));
    assert_eq!(plane.request("mitra-u1").unwrap().status(today()), RequestStatus::Approved);
    assert_eq!(plane.reject_request(&admin, "mitra-u1", "x", today()).unwrap_err().code(), "admin.already_decided");

    assert_eq!(plane.set_account_active("mitra-siti", true), Err(AdminError::NdaMissing("mitra-siti".into())));
    assert_eq!(plane.record_nda("mitra-siti", day(2024, 2, 1), today()), Err(AdminError::NdaInFuture));
    assert!(plane.record_nda("mitra-ws", today(), today()).is_err(), "service accounts sign no NDA");
    let plane = plane.applying(&[plane.record_nda("mitra-siti", today(), today()).unwrap()]);
    let plane = plane.applying(&[plane.set_account_active("mitra-siti", true).unwrap()]);
    assert!(plane.account("mitra-siti").unwrap().active);
}

#[test]
fn only_the_national_provider_approves_a_regional_partners_raise_above_the_default() {
    let plane = regional_plane();
    let (plane, local) = steward(&plane, "admin-kra", "disdukcapil-3313");
    let (plane, national) = steward(&plane, "admin-pusat", "dukcapil");

    let why = "Pendataan korban banjir bandang di 17 kecamatan";
    assert_eq!(
        field_of(plane.request_quota("mitra", "a", "mitra-ws", 900, why, today()).unwrap_err()),
        RequestField::DailyQuota
    );
    assert_eq!(
        field_of(plane.request_quota("mitra", "a", "mitra-ws", 2_000, "perlu", today()).unwrap_err()),
        RequestField::Justification
    );
    assert_eq!(
        field_of(plane.request_quota("mitra", "a", "mitra-adm", 2_000, why, today()).unwrap_err()),
        RequestField::UserId
    );
    let plane = plane.applying(&[plane.request_quota("mitra", "mitra-adm", "mitra-ws", 2_000, why, today()).unwrap()]);
    assert!(plane.request("mitra-q1").unwrap().needs_national_approval(&plane));

    assert_eq!(plane.approve_request(&local, "mitra-q1", None, today()), Err(AdminError::NationalApprovalRequired));
    let plane = plane.applying(&plane.approve_request(&national, "mitra-q1", None, today()).unwrap());
    let account = plane.account("mitra-ws").unwrap();
    assert_eq!(account.daily_quota, 2_000);
    assert_eq!(account.quota_approval.as_deref(), Some("mitra-q1 (admin-pusat)"));
}

#[test]
fn a_partner_administrator_sees_only_its_own_partners_objects() {
    let plane = plane();
    let admin = Authentication::Verified(plane.account("mitra-adm").unwrap());
    let Ok(Desk::Partner(desk)) = admit_to_portal(&plane, admin, ip("10.0.0.7"), today()) else {
        panic!("the partner administrator should be admitted")
    };
    assert_eq!(admit_to_portal(&plane, admin, ip("10.9.0.7"), today()), Err(Denial::IpNotRegistered));
    let plane = plane.applying(&[plane.request_user_id("mitra", "mitra-adm", applicant(), today()).unwrap()]);
    assert!(desk.request(&plane, "mitra-u1").is_some());
    assert!(desk.account(&plane, "mitra-op").is_some());
    assert!(desk.account(&plane, "mitra-adm").is_none(), "administrators are not managed here");
    assert!(desk.operator(&plane, "mitra-op").is_some());
    assert!(desk.operator(&plane, "mitra-ws").is_none(), "service accounts sign no NDA and have no operator page");
    let other = PartnerDesk { institution: "lain".into(), ..desk };
    assert!(other.request(&plane, "mitra-u1").is_none() && other.account(&plane, "mitra-op").is_none());
    let (plane, _) = steward(&plane, "admin-pusat", "dukcapil");
    let regional_outsider = Steward { user_id: "x".into(), provider: "lain".into(), national: false };
    assert!(
        plane.approve_request(&regional_outsider, "mitra-u1", None, today()).unwrap_err().code() == "admin.not_found"
    );
}

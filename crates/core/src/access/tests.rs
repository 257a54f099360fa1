use std::net::IpAddr;

use chrono::NaiveDate;

use super::*;

mod requests;
use crate::element::Element;

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

fn scope() -> Scope {
    toml::from_str(
        r#"
        [[grant]]
        mechanism = "verify_by_elements"
        channels = ["web_service"]
        elements = ["NIK", "NAMA_LGKP", "TGL_LHR"]

        [[grant]]
        mechanism = "call_nik"
        channels = ["portal"]
        elements = ["NIK", "NAMA_LGKP"]
        "#,
    )
    .unwrap()
}

/// One national provider, one partner with an agreement 2023-01-01..2023-12-31
/// extended to 2024-06-30, a service account and an operator, 10.0.0.0/24.
pub(crate) fn plane() -> ControlPlane {
    plane_with(scope())
}

/// [`plane`] with the agreement granting `scope`.
pub(crate) fn plane_with(scope: Scope) -> ControlPlane {
    let plane = ControlPlane::default();
    let provider = Provider { code: "dukcapil".into(), name: "Ditjen Dukcapil".into(), level: ProviderLevel::National };
    let plane = plane.applying(&[plane.add_provider(provider).unwrap()]);
    let institution = Institution {
        code: "mitra".into(),
        provider: "dukcapil".into(),
        name: "Mitra".into(),
        instansi: Some("MITRA".into()),
        customer_id: Some(4242),
        active: true,
    };
    let plane = plane.applying(&[plane.add_institution(institution).unwrap()]);
    let new = NewAgreement {
        institution: "mitra".into(),
        provider_number: "1/DUKCAPIL".into(),
        partner_number: "2/MITRA".into(),
        signed_on: day(2022, 12, 20),
        valid_from: day(2023, 1, 1),
        valid_until: day(2023, 12, 31),
        scope,
        return_schema: None,
        obligations: vec![],
    };
    let plane = plane.applying(&[plane.add_agreement(new).unwrap()]);
    let addendum = Addendum { number: "3/ADENDUM".into(), signed_on: day(2023, 12, 1), valid_until: day(2024, 6, 30) };
    let plane = plane.applying(&[plane.extend_agreement("mitra-1", addendum).unwrap()]);
    let mut writes = Vec::new();
    for (user_id, role) in
        [("mitra-ws", Role::Service), ("mitra-op", Role::Operator), ("mitra-adm", Role::PartnerAdmin)]
    {
        let new = NewAccount {
            user_id: user_id.into(),
            holder: "mitra".into(),
            role,
            password_hash: "$x".into(),
            token_hash: None,
            nda_on: (role == Role::Operator).then(|| day(2022, 12, 21)),
        };
        writes.push(plane.add_account(new).unwrap());
    }
    let plane = plane.applying(&writes);
    plane.applying(&[plane.allow_network("mitra", None, "10.0.0.0/24".parse().unwrap()).unwrap()])
}

fn ask<'a>(mechanism: Mechanism, elements: &'a [Element], source: &str) -> AccessRequest<'a> {
    AccessRequest { mechanism, elements, source_ip: ip(source), instansi: Some("mitra") }
}

fn check(plane: &ControlPlane, user: &str, request: &AccessRequest<'_>, on: NaiveDate) -> Result<Access, Denial> {
    authorize(plane, Authentication::Verified(plane.account(user).unwrap()), request, on)
}

#[test]
fn a_granted_request_passes_every_guard() {
    let plane = plane();
    let access =
        check(&plane, "mitra-ws", &ask(Mechanism::VerifyByElements, &[Element::Nik], "10.0.0.7"), day(2024, 1, 2))
            .unwrap();
    assert_eq!(access.agreement, "mitra-1");
    assert_eq!(access.channel, Channel::WebService);
    assert_eq!(access.daily_quota, 1_000);
}

#[test]
fn the_guards_fail_in_the_order_of_the_specification() {
    let plane = plane();
    let request = ask(Mechanism::VerifyByElements, &[Element::Nik], "10.0.0.7");
    let today = day(2024, 1, 2);
    assert_eq!(authorize(&plane, Authentication::Missing, &request, today), Err(Denial::CredentialsMissing));
    assert_eq!(authorize(&plane, Authentication::Failed, &request, today), Err(Denial::LoginFailed));
    let wrong_instansi = AccessRequest { instansi: Some("LAIN"), ..request };
    assert_eq!(check(&plane, "mitra-ws", &wrong_instansi, today), Err(Denial::LoginFailed));
    let by_customer_id = AccessRequest { instansi: Some("4242"), ..request };
    assert!(check(&plane, "mitra-ws", &by_customer_id, today).is_ok());

    let disabled = plane.applying(&[plane.set_account_active("mitra-ws", false).unwrap()]);
    assert_eq!(check(&disabled, "mitra-ws", &request, today), Err(Denial::UserInactive));
    let suspended = plane.applying(&[plane.set_institution_active("mitra", false).unwrap()]);
    assert_eq!(check(&suspended, "mitra-ws", &request, today), Err(Denial::InstitutionInactive));
    assert_eq!(check(&plane, "mitra-ws", &request, day(2024, 7, 1)), Err(Denial::NoAgreementInForce));
    assert_eq!(check(&plane, "mitra-ws", &request, day(2022, 12, 31)), Err(Denial::NoAgreementInForce));
    let outside = ask(Mechanism::VerifyByElements, &[Element::Nik], "10.0.1.7");
    assert_eq!(check(&plane, "mitra-ws", &outside, today), Err(Denial::IpNotRegistered));
    let narrowed =
        plane.applying(&[plane.allow_network("mitra", Some("mitra-ws"), "10.0.0.9/32".parse().unwrap()).unwrap()]);
    assert_eq!(check(&narrowed, "mitra-ws", &request, today), Err(Denial::IpMismatch));
    assert!(
        check(&narrowed, "mitra-ws", &ask(Mechanism::VerifyByElements, &[Element::Nik], "10.0.0.9"), today).is_ok()
    );
    assert_eq!(
        check(&plane, "mitra-ws", &ask(Mechanism::CallNik, &[], "10.0.0.7"), today),
        Err(Denial::MechanismNotGranted(Mechanism::CallNik)),
        "call NIK is granted only through the portal"
    );
    assert_eq!(
        check(
            &plane,
            "mitra-ws",
            &ask(Mechanism::VerifyByElements, &[Element::Nik, Element::Agama], "10.0.0.7"),
            today
        ),
        Err(Denial::ElementsNotGranted(vec![Element::Agama]))
    );
    assert!(check(&plane, "mitra-op", &ask(Mechanism::CallNik, &[], "10.0.0.7"), today).is_ok());
}

#[test]
fn ipv4_mapped_ipv6_sources_count_as_their_ipv4_address() {
    let plane = plane();
    let request = ask(Mechanism::VerifyByElements, &[], "::ffff:10.0.0.7");
    assert!(check(&plane, "mitra-ws", &request, day(2024, 1, 2)).is_ok());
}

#[test]
fn sealed_fields_are_opened_only_for_a_registered_network_of_the_named_institution() {
    let plane = plane();
    let ip = |text: &str| text.parse().unwrap();
    assert_eq!(admit_sealed_caller(&plane, "mitra", ip("10.0.0.7")), Ok(()));
    assert_eq!(admit_sealed_caller(&plane, "MITRA", ip("::ffff:10.0.0.7")), Ok(()));
    assert_eq!(admit_sealed_caller(&plane, "mitra", ip("10.0.1.7")), Err(Denial::IpNotRegistered));
    assert_eq!(admit_sealed_caller(&plane, "tidak-ada", ip("10.0.0.7")), Err(Denial::IpNotRegistered));
}

#[test]
fn termination_cuts_access_from_its_effective_day() {
    let plane = plane();
    let ended = plane.applying(&[plane
        .terminate_agreement("mitra-1", day(2024, 3, 1), TerminationReason::Breach, "kebocoran data")
        .unwrap()]);
    let request = ask(Mechanism::VerifyByElements, &[], "10.0.0.7");
    assert!(check(&ended, "mitra-ws", &request, day(2024, 2, 29)).is_ok());
    assert_eq!(check(&ended, "mitra-ws", &request, day(2024, 3, 1)), Err(Denial::NoAgreementInForce));
    assert!(matches!(
        ended.terminate_agreement("mitra-1", day(2024, 3, 2), TerminationReason::Consent, "lagi"),
        Err(AdminError::AlreadyTerminated(_))
    ));
    assert_eq!(
        plane.terminate_agreement("mitra-1", day(2024, 3, 1), TerminationReason::Consent, "  ").unwrap_err(),
        AdminError::NoReason
    );
}

#[test]
fn administration_refuses_incoherent_changes() {
    let plane = plane();
    let short = Addendum { number: "x".into(), signed_on: day(2024, 1, 1), valid_until: day(2024, 5, 1) };
    assert!(matches!(plane.extend_agreement("mitra-1", short), Err(AdminError::Dates(_))));
    let twin = Institution {
        code: "kembar".into(),
        provider: "dukcapil".into(),
        name: "Kembar".into(),
        instansi: Some("mitra".into()),
        customer_id: None,
        active: true,
    };
    assert_eq!(plane.add_institution(twin).unwrap_err().code(), "admin.wire_name_taken");
    assert_eq!(plane.set_quota("mitra-ws", 0, None).unwrap_err(), AdminError::ZeroQuota);
    assert!(plane.set_quota("mitra-ws", 5_000, None).is_ok(), "a national provider decides alone");
    let bad = NewAccount {
        user_id: "Bad User".into(),
        holder: "mitra".into(),
        role: Role::Service,
        password_hash: "$x".into(),
        token_hash: None,
        nda_on: None,
    };
    assert_eq!(plane.add_account(bad).unwrap_err().code(), "admin.invalid_handle");
    assert_eq!(Scope::default().validate(), Err(ScopeError::Empty));
}

/// [`plane`] with the partner moved under Disdukcapil Kab. Karanganyar, a
/// regional provider.
pub(crate) fn regional_plane() -> ControlPlane {
    let plane = plane();
    let regional = Provider {
        code: "disdukcapil-3313".into(),
        name: "Disdukcapil Kab. Karanganyar".into(),
        level: ProviderLevel::Regional { region_code: 3313 },
    };
    let plane = plane.applying(&[plane.add_provider(regional).unwrap()]);
    let mut institution = plane.institution("mitra").unwrap().clone();
    institution.provider = "disdukcapil-3313".into();
    plane.applying(&[ControlWrite::Institution(institution)])
}

#[test]
fn a_regional_providers_quota_raise_needs_national_approval() {
    let plane = regional_plane();
    assert_eq!(plane.set_quota("mitra-ws", 2_000, None), Err(AdminError::NationalApprovalRequired));
    assert!(plane.set_quota("mitra-ws", 800, None).is_ok());
    let approved = plane.set_quota("mitra-ws", 2_000, Some("B/123/DUKCAPIL".into())).unwrap();
    let ControlWrite::Account(account) = approved else { panic!("an account write") };
    assert_eq!(account.quota_approval.as_deref(), Some("B/123/DUKCAPIL"));
}

#[test]
fn scopes_read_from_toml_and_json_alike() {
    let json: Scope = serde_json::from_str(
        r#"{"grant":[{"mechanism":"verify_by_elements","channels":["web_service"],"elements":["NIK","NAMA_LGKP","TGL_LHR"]},
                     {"mechanism":"call_nik","channels":["portal"],"elements":["nik","NAMA_LGKP"]}]}"#,
    )
    .unwrap();
    assert_eq!(json, scope());
    assert!(
        serde_json::from_str::<Scope>(
            r#"{"grant":[{"mechanism":"call_nik","channels":["portal"],"elements":["NOPE"]}]}"#
        )
        .is_err()
    );
    assert!(serde_json::from_str::<Scope>(r#"{"grants":[]}"#).is_err(), "unknown fields are refused");
}

#[test]
fn only_active_provider_administrators_steward_and_regional_ones_only_their_partners() {
    let plane = plane();
    let regional = Provider {
        code: "disdukcapil-3313".into(),
        name: "Disdukcapil Kab. Karanganyar".into(),
        level: ProviderLevel::Regional { region_code: 3313 },
    };
    let plane = plane.applying(&[plane.add_provider(regional).unwrap()]);
    let mut writes = Vec::new();
    for (user_id, holder) in [("admin-pusat", "dukcapil"), ("admin-kra", "disdukcapil-3313")] {
        let new = NewAccount {
            user_id: user_id.into(),
            holder: holder.into(),
            role: Role::ProviderAdmin,
            password_hash: "$x".into(),
            token_hash: None,
            nda_on: None,
        };
        writes.push(plane.add_account(new).unwrap());
    }
    let plane = plane.applying(&writes);
    let national = authorize_steward(&plane, Authentication::Verified(plane.account("admin-pusat").unwrap())).unwrap();
    assert!(national.national && national.manages(&plane, "mitra").is_ok());
    let regional = authorize_steward(&plane, Authentication::Verified(plane.account("admin-kra").unwrap())).unwrap();
    assert_eq!(regional.manages(&plane, "mitra"), Err(Denial::NotSteward));
    // Biometric enrolment: Karanganyar's residents (3313…) by Karanganyar
    // and by the national provider; Semarang's (3374…) by the national one only.
    let karanganyar = crate::Nik::parse("3313015501900001").unwrap();
    let semarang = crate::Nik::parse("3374015501900001").unwrap();
    assert_eq!(regional.may_enrol_biometrics(&plane, karanganyar), Ok(()));
    assert_eq!(regional.may_enrol_biometrics(&plane, semarang), Err(Denial::NotSteward));
    assert_eq!(national.may_enrol_biometrics(&plane, semarang), Ok(()));
    // One-time codes for the access history follow the same region rule.
    assert_eq!(regional.may_issue_resident_code(&plane, karanganyar), Ok(()));
    assert_eq!(regional.may_issue_resident_code(&plane, semarang), Err(Denial::NotSteward));
    assert_eq!(national.may_issue_resident_code(&plane, semarang), Ok(()));
    let partner = plane.account("mitra-ws").unwrap();
    assert_eq!(authorize_steward(&plane, Authentication::Verified(partner)), Err(Denial::NotSteward));
    assert_eq!(authorize_steward(&plane, Authentication::Missing), Err(Denial::CredentialsMissing));
}

#[test]
fn the_portal_admits_operators_under_the_same_guards_and_never_service_accounts() {
    let plane = plane();
    let today = day(2024, 1, 2);
    let operator = Authentication::Verified(plane.account("mitra-op").unwrap());
    let Ok(Desk::Operator(desk)) = admit_to_portal(&plane, operator, ip("10.0.0.7"), today) else {
        panic!("the operator should be admitted")
    };
    assert_eq!((desk.institution.as_str(), desk.agreement.as_str()), ("mitra", "mitra-1"));
    assert_eq!(desk.mechanisms, vec![Mechanism::CallNik], "only what the scope grants through the portal");
    assert!(desk.may_use(Mechanism::CallNik) && !desk.may_use(Mechanism::VerifyByElements));
    assert_eq!(admit_to_portal(&plane, operator, ip("10.9.0.7"), today), Err(Denial::IpNotRegistered));
    assert_eq!(admit_to_portal(&plane, operator, ip("10.0.0.7"), day(2024, 7, 1)), Err(Denial::NoAgreementInForce));
    let ended = plane.applying(&[plane
        .terminate_agreement("mitra-1", day(2024, 1, 2), TerminationReason::Breach, "kebocoran data")
        .unwrap()]);
    let operator = Authentication::Verified(ended.account("mitra-op").unwrap());
    assert_eq!(admit_to_portal(&ended, operator, ip("10.0.0.7"), today), Err(Denial::NoAgreementInForce));
    let service = Authentication::Verified(plane.account("mitra-ws").unwrap());
    assert_eq!(admit_to_portal(&plane, service, ip("10.0.0.7"), today), Err(Denial::LoginFailed));
    assert_eq!(admit_to_portal(&plane, Authentication::Failed, ip("10.0.0.7"), today), Err(Denial::LoginFailed));
}

#[test]
fn the_registry_records_an_obligation_as_met_once() {
    let plane = plane();
    let mut agreement = plane.agreement("mitra-1").unwrap().clone();
    agreement.obligations =
        vec![Obligation { kind: ObligationKind::Iso27001, due_on: day(2023, 6, 30), fulfilled_on: None }];
    let plane = plane.applying(&[ControlWrite::Agreement(agreement)]);
    let (due, today) = (day(2023, 6, 30), day(2023, 7, 5));
    let fulfil =
        |plane: &ControlPlane, met_on| plane.fulfil_obligation("mitra-1", ObligationKind::Iso27001, due, met_on, today);
    assert_eq!(fulfil(&plane, day(2023, 7, 6)).unwrap_err().code(), "admin.dates", "not in the future");
    let wrong_day = plane.fulfil_obligation("mitra-1", ObligationKind::Iso27001, today, today, today);
    assert_eq!(wrong_day.unwrap_err().code(), "admin.not_found");
    let plane = plane.applying(&[fulfil(&plane, day(2023, 7, 3)).unwrap()]);
    let met = &plane.agreement("mitra-1").unwrap().obligations[0];
    assert_eq!((met.fulfilled_on, met.status(today)), (Some(day(2023, 7, 3)), ObligationStatus::Met));
    assert_eq!(fulfil(&plane, today).unwrap_err().code(), "admin.exists");
}

use chrono::{Duration, TimeZone};

use super::*;
use crate::access::TerminationReason;
use crate::access::tests::{day, plane};

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 3, 0, 0).unwrap()
}

fn desk() -> PartnerDesk {
    PartnerDesk {
        user_id: "mitra-adm".into(),
        institution: "mitra".into(),
        institution_name: "Mitra".into(),
        agreement: "mitra-1".into(),
    }
}

fn steward() -> Steward {
    Steward { user_id: "admin".into(), provider: "dukcapil".into(), national: true }
}

fn new_sam(id: &str) -> NewSam {
    NewSam { id: id.into(), reader_serial: "RDR-0001".into(), reader_model: " Inti  KTP-el Reader v2 ".into() }
}

fn apply(plane: &ControlPlane, write: ControlWrite) -> ControlPlane {
    plane.applying(&[write])
}

/// The test plane with SAM-0001 registered, personalized and active.
fn active() -> (ControlPlane, SamConfig) {
    let now = at(2024, 1, 2);
    let plane = apply(&plane(), plane().register_sam(&desk(), new_sam("SAM-0001"), now).unwrap());
    let (write, config) = plane.personalize_sam(&steward(), "SAM-0001", [7; 32], now).unwrap();
    let plane = apply(&plane, write);
    let plane = apply(&plane, plane.activate_sam(&steward(), "SAM-0001", now).unwrap());
    (plane, config)
}

fn event(counter: u64, at: DateTime<Utc>) -> ReaderEvent {
    ReaderEvent {
        sam: "SAM-0001".into(),
        reader: "RDR-0001".into(),
        counter,
        at,
        nik: "3313014512900001".into(),
        fingerprint_verified: true,
    }
}

#[test]
fn a_sam_goes_registered_personalized_active_and_the_file_holds_the_only_secret() {
    let now = at(2024, 1, 2);
    let registered = apply(&plane(), plane().register_sam(&desk(), new_sam("SAM-0001"), now).unwrap());
    let sam = registered.sam("SAM-0001").unwrap();
    assert_eq!((sam.institution.as_str(), sam.reader_model.as_str()), ("mitra", "Inti KTP-el Reader v2"));
    assert_eq!(sam.status(&registered, now), SamStatus::Registered);
    assert_eq!(
        registered.activate_sam(&steward(), "SAM-0001", now).unwrap_err(),
        SamError::Transition(SamStatus::Registered, "diaktifkan")
    );
    assert_eq!(registered.register_sam(&desk(), new_sam("SAM-0001"), now).unwrap_err().code(), "sam.exists");
    assert_eq!(registered.register_sam(&desk(), new_sam("S 1"), now).unwrap_err().code(), "sam.field");

    let (plane, config) = active();
    let sam = plane.sam("SAM-0001").unwrap();
    assert_eq!(sam.status(&plane, now), SamStatus::Active);
    assert_eq!(sam.public_key.as_deref(), Some(config.public_key.as_str()));
    let stored = serde_json::to_string(sam).unwrap();
    assert!(!stored.contains(&config.secret_key), "Gerbang keeps only the public half");
    assert_eq!(
        plane.personalize_sam(&steward(), "SAM-0001", [8; 32], now).unwrap_err().code(),
        "sam.transition",
        "an active SAM is not given a new key"
    );
}

#[test]
fn only_the_partners_own_provider_or_the_national_registry_works_its_sams() {
    let now = at(2024, 1, 2);
    let plane = apply(&plane(), plane().register_sam(&desk(), new_sam("SAM-0001"), now).unwrap());
    let foreign = Steward { user_id: "lain".into(), provider: "disdukcapil-lain".into(), national: false };
    assert_eq!(
        plane.personalize_sam(&foreign, "SAM-0001", [7; 32], now).unwrap_err(),
        SamError::NotManaged("SAM-0001".into())
    );
    assert_eq!(plane.activate_sam(&steward(), "SAM-9999", now).unwrap_err().code(), "sam.not_found");
}

#[test]
fn a_signed_recent_event_of_an_active_own_sam_is_believed() {
    let (plane, config) = active();
    let now = at(2024, 1, 2);
    let read = event(1, now - Duration::seconds(30));
    let signature = read.sign(&config).unwrap();
    assert_eq!(plane.check_reader_event("mitra", &read, &signature, now).unwrap().to_string(), "3313014512900001");

    let refused = |institution: &str, event: &ReaderEvent, signature: &str| {
        plane.check_reader_event(institution, event, signature, now).unwrap_err().code()
    };
    assert_eq!(refused("lain", &read, &signature), "sam.foreign");
    let mut unknown = read.clone();
    unknown.sam = "SAM-9999".into();
    assert_eq!(refused("mitra", &unknown, &signature), "sam.unknown");
    let mut tampered = read.clone();
    tampered.nik = "3313014512900002".into();
    assert_eq!(refused("mitra", &tampered, &signature), "sam.bad_signature", "the NIK is signed");
    assert_eq!(refused("mitra", &read, "bukan-base64!"), "sam.bad_signature");
    let old = event(2, now - Duration::seconds(EVENT_WINDOW_SECONDS + 1));
    assert_eq!(refused("mitra", &old, &old.sign(&config).unwrap()), "sam.stale");
    let mut other_reader = event(3, now);
    other_reader.reader = "RDR-0002".into();
    assert_eq!(refused("mitra", &other_reader, &other_reader.sign(&config).unwrap()), "sam.wrong_reader");
    let mut forged_key = config.clone();
    forged_key.secret_key = BASE64.encode([9u8; 32]);
    assert_eq!(refused("mitra", &read, &read.sign(&forged_key).unwrap()), "sam.bad_signature");
}

#[test]
fn deactivated_and_ended_agreement_sams_are_refused_distinctly_and_the_file_return_is_recorded() {
    let (plane, config) = active();
    let now = at(2024, 1, 2);
    let read = event(1, now);
    let signature = read.sign(&config).unwrap();
    assert_eq!(
        plane.record_config_return(&steward(), "SAM-0001", now).unwrap_err().code(),
        "sam.transition",
        "an active SAM's file is still in use"
    );

    let off = apply(&plane, plane.deactivate_sam(&steward(), "SAM-0001", "pembaca rusak", now).unwrap());
    assert_eq!(off.check_reader_event("mitra", &read, &signature, now).unwrap_err().code(), "sam.deactivated");
    let returned = apply(&off, off.record_config_return(&steward(), "SAM-0001", now).unwrap());
    assert!(returned.sam("SAM-0001").unwrap().config_returned.is_some());
    assert_eq!(returned.record_config_return(&steward(), "SAM-0001", now).unwrap_err().code(), "sam.transition");

    // Ending the agreement stops its SAMs from the effective day, at once.
    let ended = apply(
        &plane,
        plane.terminate_agreement("mitra-1", day(2024, 1, 2), TerminationReason::Breach, "kebocoran data").unwrap(),
    );
    assert_eq!(ended.sam("SAM-0001").unwrap().status(&ended, now), SamStatus::Deactivated);
    assert_eq!(ended.check_reader_event("mitra", &read, &signature, now).unwrap_err(), SamError::AgreementEnded);
    assert!(ended.record_config_return(&steward(), "SAM-0001", now).is_ok());
    assert_eq!(ended.register_sam(&desk(), new_sam("SAM-0002"), now).unwrap_err(), SamError::AgreementEnded);
}

#[test]
fn the_plane_rebuilds_with_its_sams() {
    let (plane, _) = active();
    let rebuilt = ControlPlane::new(vec![], vec![], vec![], vec![], vec![]).applying(&plane.as_writes());
    assert_eq!(rebuilt.sam("SAM-0001"), plane.sam("SAM-0001"));
    assert_eq!(rebuilt.sams_of("mitra").count(), 1);
}

#[test]
fn a_partners_service_account_forwards_events_through_the_common_guards() {
    use crate::access::tests::ip;
    use crate::access::{Authentication, Denial};
    let (plane, config) = active();
    let now = at(2024, 1, 2);
    let read = event(1, now);
    let signature = read.sign(&config).unwrap();
    let as_user = |user: &str, source: &str| {
        let account = plane.account(user).unwrap();
        authorize_reader_event(&plane, Authentication::Verified(account), ip(source), &read, &signature, now)
    };
    let accepted = as_user("mitra-ws", "10.0.0.5").unwrap();
    assert_eq!((accepted.institution.as_str(), accepted.user_id.as_str()), ("mitra", "mitra-ws"));
    assert_eq!(accepted.nik.to_string(), "3313014512900001");
    assert_eq!(as_user("mitra-ws", "192.0.2.1").unwrap_err().code(), "access.ip_not_registered", "closed network");
    assert_eq!(
        as_user("mitra-op", "10.0.0.5").unwrap_err(),
        EventDenial::Access(Denial::LoginFailed),
        "devices forward through the partner's system"
    );
    let missing = authorize_reader_event(&plane, Authentication::Missing, ip("10.0.0.5"), &read, &signature, now);
    assert_eq!(missing.unwrap_err(), EventDenial::Access(Denial::CredentialsMissing));
}

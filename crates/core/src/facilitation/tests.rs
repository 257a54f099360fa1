use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::access::tests::{day, plane, regional_plane};
use crate::access::{ControlWrite, Desk, Steward};

pub(super) fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 3, 0, 0).unwrap()
}

/// The test plane, its agreement granting `documents`.
pub(super) fn granting(plane: ControlPlane, documents: &[DocumentKind]) -> ControlPlane {
    let mut agreement = plane.agreement("mitra-1").unwrap().clone();
    agreement.scope.facilitation = documents.to_vec();
    plane.applying(&[ControlWrite::Agreement(agreement)])
}

pub(super) fn desk() -> PartnerDesk {
    PartnerDesk {
        user_id: "mitra-adm".into(),
        institution: "mitra".into(),
        institution_name: "Mitra".into(),
        agreement: "mitra-1".into(),
    }
}

fn steward(national: bool) -> Steward {
    let provider = if national { "dukcapil" } else { "disdukcapil-lain" };
    Steward { user_id: "admin".into(), provider: provider.into(), national }
}

fn child() -> Filing {
    Filing {
        institution: "someone-else".into(),
        document: DocumentKind::AktaKelahiran,
        group: SubjectGroup::Anak,
        subject: Subject {
            full_name: "  siti   aminah ".into(),
            sex: "perempuan".into(),
            birth_place: "Karanganyar".into(),
            birth_date: Some(day(2019, 3, 4)),
            mother_name: "Sri Wahyuni".into(),
            address: "Dusun Krajan RT 002 RW 003".into(),
            region_code: "33.13".into(),
            ..Subject::default()
        },
    }
}

fn inmate(document: DocumentKind) -> Filing {
    Filing {
        document,
        group: SubjectGroup::Narapidana,
        subject: Subject {
            nik: "3313014512900001".into(),
            birth_date: Some(day(1990, 12, 5)),
            custody_number: "B.I-123/2023".into(),
            facility: "Lapas Kelas I Semarang".into(),
            ..child().subject
        },
        ..child()
    }
}

#[test]
fn a_granted_filing_is_tidied_and_received_for_the_desks_own_institution() {
    let plane = granting(plane(), &[DocumentKind::AktaKelahiran, DocumentKind::Kia]);
    let case = plane.file_facilitation(&desk(), child(), at(2024, 1, 2)).unwrap();
    assert_eq!(case.filing.institution, "mitra", "the desk's institution, whatever the form said");
    assert_eq!(case.filing.subject.full_name, "SITI AMINAH");
    assert_eq!(case.filing.subject.sex, "P");
    assert_eq!(case.filing.subject.region_code, "3313");
    assert_eq!(case.status(), &Status::Received);
    assert_eq!(case.steps[0].by, "mitra-adm");
    assert!(desk().sees(&case));
}

#[test]
fn only_documents_the_agreement_grants_may_be_asked_while_it_is_in_force() {
    let plane = granting(plane(), &[DocumentKind::AktaKelahiran]);
    assert_eq!(
        plane.file_facilitation(&desk(), inmate(DocumentKind::KtpEl), at(2024, 1, 2)),
        Err(FacilitationError::NotGranted(DocumentKind::KtpEl))
    );
    assert_eq!(plane.file_facilitation(&desk(), child(), at(2024, 7, 1)), Err(FacilitationError::NoAgreementInForce));
    let none = super::super::access::tests::plane();
    assert_eq!(
        none.file_facilitation(&desk(), child(), at(2024, 1, 2)),
        Err(FacilitationError::NotGranted(DocumentKind::AktaKelahiran))
    );
}

#[test]
fn each_document_has_its_rules_of_age_nik_and_custody() {
    let plane = granting(plane(), &DocumentKind::ALL);
    let now = at(2024, 1, 2);
    let refused = |filing: Filing| match plane.file_facilitation(&desk(), filing, now) {
        Err(FacilitationError::Field { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    };
    let mut kia = child();
    kia.document = DocumentKind::Kia;
    assert_eq!(refused(kia.clone()), FilingField::Nik, "a KIA is issued from a NIK");
    kia.subject.nik = "3313014403190001".into();
    assert!(plane.file_facilitation(&desk(), kia.clone(), now).is_ok());
    kia.subject.nik = "1234".into();
    assert_eq!(refused(kia), FilingField::Nik);

    let mut young = inmate(DocumentKind::KtpEl);
    young.subject.birth_date = Some(day(2010, 1, 1));
    assert_eq!(refused(young), FilingField::BirthDate, "KTP-el from 17");
    let mut grown = child();
    grown.document = DocumentKind::Kia;
    grown.subject.nik = "3313014403190001".into();
    grown.subject.birth_date = Some(day(2000, 1, 1));
    assert_eq!(refused(grown), FilingField::BirthDate, "KIA under 17");
    let mut unborn = child();
    unborn.subject.birth_date = Some(day(2024, 2, 1));
    assert_eq!(refused(unborn), FilingField::BirthDate);

    let mut no_facility = inmate(DocumentKind::Ikd);
    no_facility.subject.facility = " ".into();
    assert_eq!(refused(no_facility), FilingField::Facility);
    let mut no_sex = child();
    no_sex.subject.sex = "x".into();
    assert_eq!(refused(no_sex), FilingField::Sex);
    let mut bad_region = child();
    bad_region.subject.region_code = "331".into();
    assert_eq!(refused(bad_region), FilingField::RegionCode);
    assert!(plane.file_facilitation(&desk(), inmate(DocumentKind::Ikd), now).is_ok());
}

#[test]
fn a_case_moves_forward_to_issued_or_is_rejected_with_a_reason() {
    let plane = granting(plane(), &DocumentKind::ALL);
    let national = steward(true);
    let case = plane.file_facilitation(&desk(), child(), at(2024, 1, 2)).unwrap();
    let step = |case: Case, action: Action| advance(&plane, &national, case, action, at(2024, 1, 3));

    assert!(matches!(
        step(case.clone(), Action::Process),
        Err(FacilitationError::Transition { from: "received", to: "in_process" })
    ));
    assert!(matches!(
        step(case.clone(), Action::Issue { document_number: "AL.123".into() }),
        Err(FacilitationError::Transition { .. })
    ));
    let verified = step(case.clone(), Action::Verify).unwrap();
    let issued = step(verified.clone(), Action::Issue { document_number: " 3313-LT-01022024-0001 ".into() }).unwrap();
    assert_eq!(issued.status(), &Status::Issued { document_number: "3313-LT-01022024-0001".into() });
    assert_eq!(issued.steps.len(), 3);
    assert!(matches!(
        step(issued, Action::Reject { reason: "salah data".into() }),
        Err(FacilitationError::Transition { .. })
    ));

    let processing = step(verified, Action::Process).unwrap();
    assert!(matches!(
        step(processing.clone(), Action::Reject { reason: "".into() }),
        Err(FacilitationError::Incomplete(_))
    ));
    assert!(matches!(
        step(processing.clone(), Action::Issue { document_number: "".into() }),
        Err(FacilitationError::Incomplete(_))
    ));
    let rejected = step(processing, Action::Reject { reason: "ibu kandung tidak terdaftar".into() }).unwrap();
    assert_eq!(rejected.status().name(), "rejected");
    assert!(rejected.status().is_final());
}

#[test]
fn a_regional_office_works_only_its_own_partners_cases() {
    let plane = granting(regional_plane(), &DocumentKind::ALL);
    let case = plane.file_facilitation(&desk(), child(), at(2024, 1, 2)).unwrap();
    let other = steward(false);
    assert_eq!(
        advance(&plane, &other, case.clone(), Action::Verify, at(2024, 1, 3)),
        Err(FacilitationError::NotFound(case.handle()))
    );
    let own = Steward { provider: "disdukcapil-3313".into(), ..steward(false) };
    assert!(advance(&plane, &own, case, Action::Verify, at(2024, 1, 3)).is_ok());
    let _ = Desk::Partner(desk());
}

#[test]
fn the_same_open_case_has_the_same_key_and_handles_read_back() {
    let a = child();
    let mut b = child();
    b.subject.address = "elsewhere".into();
    assert_eq!(a.subject_key(), b.subject_key());
    assert_ne!(a.subject_key(), inmate(DocumentKind::AktaKelahiran).subject_key());
    let case = Case { number: 42, filing: a, steps: vec![] };
    assert_eq!(case.handle(), "FAS-000042");
    assert_eq!(parse_handle("FAS-000042"), Some(42));
    assert_eq!(parse_handle("42"), Some(42));
    assert_eq!(parse_handle("FAS-x"), None);
    assert_eq!(DocumentKind::from_name("KTP-el"), Some(DocumentKind::KtpEl));
    assert_eq!(SubjectGroup::from_name("Anak Binaan"), Some(SubjectGroup::AnakBinaan));
}

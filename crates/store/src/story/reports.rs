//! Storage-story steps of semester reports (SPEC.md §8): the report table
//! and the count of distinct residents a partner's calls reached.

use std::net::{IpAddr, Ipv4Addr};

use chrono::{NaiveDate, TimeZone, Utc};
use gerbang_core::access::{Mechanism, PartnerDesk, Steward};
use gerbang_core::audit::{AuditRecord, NikHasher};
use gerbang_core::report::{Narrative, NewEvaluation, ReportStatus, Semester, Utilization, UtilizationInput, Verdict};
use gerbang_core::{Element, Nik};

use crate::Store;
use crate::story::seeded_control_plane;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A call of `institution` on a Jakarta day about the resident with NIK
/// serial `serial` (none for 0), with `outcome`.
fn call(n: u32, institution: &str, on: NaiveDate, serial: u16, outcome: &str) -> AuditRecord {
    let at = gerbang_core::clock::JAKARTA.from_local_datetime(&on.and_hms_opt(10, 0, 0).unwrap()).unwrap();
    let nik =
        Nik::from_parts(331301, day(1980, 5, 12), gerbang_core::vocab::JenisKelamin::LakiLaki, serial.max(1)).unwrap();
    AuditRecord {
        operation_id: format!("rep-{n}"),
        at: at.with_timezone(&Utc),
        interface: "compat".into(),
        institution: Some(institution.into()),
        user_id: Some(format!("{institution}-op")),
        source_ip: IpAddr::V4(Ipv4Addr::new(10, 33, 13, 7)),
        mechanism: Some(Mechanism::CallNik),
        resident: (serial > 0).then(|| NikHasher::new([9; 32]).key(nik)),
        elements: vec![Element::Nik],
        outcome: outcome.into(),
        latency_us: 100,
        charged: !outcome.starts_with("access."),
    }
}

/// Residents are counted once per partner and range, only for answered
/// calls; reports round-trip, are one per partner and semester, and list
/// by partner and semester.
pub async fn semester_reports_round_trip(store: &dyn Store) {
    let plane = seeded_control_plane(store).await;
    let records = vec![
        call(1, "bpbd", day(2024, 1, 2), 1, "resident.found"),
        call(2, "bpbd", day(2024, 1, 3), 1, "resident.found"),
        call(3, "bpbd", day(2024, 6, 30), 2, "resident.not_found"),
        call(4, "bpbd", day(2024, 3, 1), 3, "access.quota_exhausted"),
        call(5, "bpbd", day(2024, 7, 1), 4, "resident.found"),
        call(6, "bkn", day(2024, 2, 1), 5, "resident.found"),
        call(7, "bpbd", day(2024, 2, 2), 0, "verify.not_found"),
    ];
    store.record_audit(records).await.unwrap();
    let first = Semester { year: 2024, half: gerbang_core::report::Half::First };
    let accessed = store.residents_accessed("bpbd", first.from(), first.until()).await.unwrap();
    assert_eq!(accessed, 2, "NIK 1 twice, NIK 2; not the refusal, July, another partner, or no resident");
    assert_eq!(store.residents_accessed("bpbd' or '1'='1", first.from(), first.until()).await.unwrap(), 0);
    let until_june = first.until() - chrono::Duration::hours(15);
    assert_eq!(store.residents_accessed("bpbd", first.from(), until_june).await.unwrap(), 1, "until is exclusive");

    let desk = PartnerDesk {
        user_id: "bpbd-adm".into(),
        institution: "bpbd".into(),
        institution_name: "BPBD Kab. Karanganyar".into(),
        agreement: "bpbd-1".into(),
    };
    assert!(store.semester_report("bpbd", first).await.unwrap().is_none());
    let today = day(2024, 7, 2);
    let draft = desk.open_report(&plane, first, None, today).unwrap();
    let draft = desk
        .write_narrative(draft, Narrative { obstacles: "Jaringan".into(), plans: "Pelatihan \"operator\"".into() })
        .unwrap();
    store.save_semester_report(draft.clone()).await.unwrap();
    assert_eq!(store.semester_report("bpbd", first).await.unwrap(), Some(draft.clone()));

    let figures = Utilization::compute(&UtilizationInput {
        semester: first,
        tallies: &[],
        daily_quota: 1000,
        residents_accessed: accessed,
        residents_with_return_data: 1,
    });
    let submitted = desk.submit_report(draft, figures, today).unwrap();
    store.save_semester_report(submitted.clone()).await.unwrap();
    let steward = Steward { user_id: "admin-3313".into(), provider: "disdukcapil-3313".into(), national: false };
    let evaluation = NewEvaluation {
        findings: "Sesuai".into(),
        follow_up: String::new(),
        verdict: Verdict::Revise { reason: "Lengkapi".into() },
    };
    let evaluated = steward.evaluate_report(&plane, submitted, evaluation, today).unwrap();
    store.save_semester_report(evaluated.clone()).await.unwrap();
    let loaded = store.semester_report("bpbd", first).await.unwrap().unwrap();
    assert_eq!(loaded, evaluated, "replaced, not added");
    assert_eq!(loaded.status(), ReportStatus::NeedsRevision);

    let second = first.previous();
    let older = desk.open_report(&plane, second, None, today).unwrap();
    store.save_semester_report(older).await.unwrap();
    let listed = |reports: Vec<gerbang_core::report::SemesterReport>| {
        reports.iter().map(|r| r.semester.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(listed(store.semester_reports(Some("bpbd"), None).await.unwrap()), ["2024-S1", "2023-S2"]);
    assert_eq!(listed(store.semester_reports(None, Some(second)).await.unwrap()), ["2023-S2"]);
    assert!(store.semester_reports(Some("bkn"), None).await.unwrap().is_empty());
}

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::access::{
    ControlPlane, Institution, NewAgreement, Obligation, ObligationKind, PartnerDesk, Provider, ProviderLevel, Scope,
    Steward,
};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn s(text: &str) -> Semester {
    text.parse().unwrap()
}

#[test]
fn semesters_read_and_write_as_year_and_half() {
    assert_eq!(s("2026-S1"), Semester { year: 2026, half: Half::First });
    assert_eq!(s("2026-s2").to_string(), "2026-S2");
    for bad in ["2026", "2026-S3", "S1-2026", "26-S1", ""] {
        assert_eq!(bad.parse::<Semester>().unwrap_err().code(), "report.invalid_semester", "{bad}");
    }
    assert_eq!(serde_json::to_string(&s("2025-S2")).unwrap(), "\"2025-S2\"");
    assert_eq!(s("2026-S1").previous(), s("2025-S2"));
    assert_eq!(s("2026-S2").previous(), s("2026-S1"));
}

#[test]
fn a_semester_is_six_jakarta_months() {
    let first = s("2026-S1");
    assert_eq!((first.first_day(), first.last_day()), (day(2026, 1, 1), day(2026, 6, 30)));
    let second = s("2026-S2");
    assert_eq!((second.first_day(), second.last_day()), (day(2026, 7, 1), day(2026, 12, 31)));
    // Midnight in Jakarta is 17:00 UTC the day before.
    assert_eq!(first.from(), Utc.with_ymd_and_hms(2025, 12, 31, 17, 0, 0).unwrap());
    assert_eq!(first.until(), Utc.with_ymd_and_hms(2026, 6, 30, 17, 0, 0).unwrap());
    assert_eq!(first.until(), second.from(), "semesters tile the year");
    assert_eq!(first.months().len(), 6);
    assert_eq!(second.months()[5], day(2026, 12, 1));
    assert_eq!(Semester::containing(day(2026, 6, 30)), first);
    assert_eq!(Semester::containing(day(2026, 7, 1)), second);
    // 30 June 23:30 WIB is still the first semester; 1 July 00:00 WIB is not.
    let late = crate::clock::JAKARTA.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap().to_utc();
    assert_eq!(Semester::containing(crate::clock::jakarta_date(late)), first);
    assert!(late < first.until() && first.until() <= late + chrono::Duration::minutes(30));
    assert!(first.has_begun(day(2026, 1, 1)) && !second.has_begun(day(2026, 6, 30)));
    assert!(first.is_over(day(2026, 7, 1)) && !first.is_over(day(2026, 6, 30)));
}

fn tally(d: NaiveDate, user: &str, mechanism: &str, outcome: &str, count: u64) -> Tally {
    Tally { day: d, user_id: user.into(), mechanism: mechanism.into(), outcome: outcome.into(), count }
}

#[test]
fn utilization_counts_by_mechanism_outcome_operator_month_and_quota() {
    let tallies = vec![
        tally(day(2026, 1, 5), "op-1", "call_nik", "resident.found", 7),
        tally(day(2026, 1, 5), "op-2", "call_nik", "resident.not_found", 3),
        tally(day(2026, 3, 9), "op-1", "verify_by_elements", "verify.match", 4),
        tally(day(2026, 3, 9), "op-1", "call_nik", "access.quota_exhausted", 2),
        tally(day(2026, 6, 30), "op-2", "call_nik", "resident.found", 10),
        tally(day(2026, 7, 1), "op-2", "call_nik", "resident.found", 99),
    ];
    let figures = Utilization::compute(&UtilizationInput {
        semester: s("2026-S1"),
        tallies: &tallies,
        daily_quota: 20,
        residents_accessed: 16,
        residents_with_return_data: 4,
    });
    assert_eq!(figures.calls, 26, "the July tally is outside");
    assert_eq!(figures.by_mechanism.get("call_nik"), Some(&22));
    assert_eq!(figures.by_mechanism.get("verify_by_elements"), Some(&4));
    assert_eq!(figures.by_outcome.get("access.quota_exhausted"), Some(&2));
    assert_eq!((figures.by_operator["op-1"], figures.by_operator["op-2"]), (13, 13));
    let months: Vec<u64> = figures.by_month.iter().map(|m| m.total).collect();
    assert_eq!(months, [10, 0, 6, 0, 0, 10]);
    assert_eq!(figures.by_month[2].by_mechanism.get("verify_by_elements"), Some(&4));
    let quota = &figures.quota;
    assert_eq!((quota.hits, quota.days_used, quota.allowance), (24, 3, 60), "refusals are not hits");
    assert_eq!((quota.peak_day, quota.peak_hits), (Some(day(2026, 1, 5)), 10), "the earliest of equal days");
    assert_eq!((quota.exhausted, quota.percent()), (2, 40));
    assert_eq!(figures.return_percent(), 25);
    assert_eq!(figures.mechanisms(), ["call_nik", "verify_by_elements"]);
}

#[test]
fn an_empty_semester_divides_by_nothing() {
    let figures = Utilization::compute(&UtilizationInput {
        semester: s("2026-S2"),
        tallies: &[],
        daily_quota: 0,
        residents_accessed: 0,
        residents_with_return_data: 0,
    });
    assert_eq!((figures.calls, figures.quota.percent(), figures.return_percent()), (0, 0, 0));
    assert_eq!(figures.quota.peak_day, None);
    assert_eq!(figures.by_month.len(), 6);
}

fn scope() -> Scope {
    serde_json::from_str(r#"{"grant":[{"mechanism":"call_nik","channels":["portal"],"elements":["NIK"]}]}"#).unwrap()
}

/// Ditjen (national), Disdukcapil Karanganyar (regional, partner `bpbd`
/// with semester-report obligations) and Disdukcapil Sragen (regional,
/// partner `dinsos-sragen`).
fn plane() -> ControlPlane {
    let mut plane = ControlPlane::default();
    for (code, level) in [
        ("dukcapil", ProviderLevel::National),
        ("disdukcapil-3313", ProviderLevel::Regional { region_code: 3313 }),
        ("disdukcapil-3314", ProviderLevel::Regional { region_code: 3314 }),
    ] {
        let provider = Provider { code: code.into(), name: format!("Penyelenggara {code}"), level };
        plane = plane.applying(&[plane.add_provider(provider).unwrap()]);
    }
    for (n, (code, provider)) in
        [("bpbd", "disdukcapil-3313"), ("dinsos-sragen", "disdukcapil-3314"), ("bkn", "dukcapil")].iter().enumerate()
    {
        let institution = Institution {
            code: (*code).into(),
            provider: (*provider).into(),
            name: code.to_uppercase(),
            instansi: Some(code.to_uppercase()),
            customer_id: Some(n as u64 + 1),
            active: true,
        };
        plane = plane.applying(&[plane.add_institution(institution).unwrap()]);
        let obligations = crate::access::semester_ends(day(2025, 10, 1), day(2027, 9, 30))
            .into_iter()
            .map(|due_on| Obligation { kind: ObligationKind::SemesterReport, due_on, fulfilled_on: None })
            .collect();
        let agreement = NewAgreement {
            institution: (*code).into(),
            provider_number: format!("470/{n}/2025"),
            partner_number: format!("{}/PKS/2025", code.to_uppercase()),
            signed_on: day(2025, 10, 1),
            valid_from: day(2025, 10, 1),
            valid_until: day(2027, 9, 30),
            scope: scope(),
            return_schema: None,
            obligations,
        };
        plane = plane.applying(&[plane.add_agreement(agreement).unwrap()]);
    }
    plane
}

fn desk(institution: &str) -> PartnerDesk {
    PartnerDesk {
        user_id: format!("{institution}-adm"),
        institution: institution.into(),
        institution_name: institution.to_uppercase(),
        agreement: format!("{institution}-1"),
    }
}

fn steward(provider: &str, national: bool) -> Steward {
    Steward { user_id: format!("{provider}-admin"), provider: provider.into(), national }
}

fn figures() -> Utilization {
    Utilization::compute(&UtilizationInput {
        semester: s("2026-S1"),
        tallies: &[tally(day(2026, 2, 2), "bpbd-op", "call_nik", "resident.found", 3)],
        daily_quota: 1000,
        residents_accessed: 3,
        residents_with_return_data: 0,
    })
}

fn narrative() -> Narrative {
    Narrative { obstacles: "Jaringan sering terputus".into(), plans: "Menambah operator".into() }
}

fn accept() -> NewEvaluation {
    NewEvaluation { findings: "Pemanfaatan sesuai PKS".into(), follow_up: String::new(), verdict: Verdict::Accepted }
}

#[test]
fn a_partner_opens_writes_and_submits_its_own_report() {
    let plane = plane();
    let today = day(2026, 6, 20);
    let bpbd = desk("bpbd");
    assert_eq!(bpbd.open_report(&plane, s("2026-S2"), None, today).unwrap_err(), ReportError::NotBegun(s("2026-S2")));
    assert_eq!(bpbd.open_report(&plane, s("2024-S2"), None, today).unwrap_err().code(), "report.no_agreement");
    let report = bpbd.open_report(&plane, s("2026-S1"), None, today).unwrap();
    assert_eq!((report.status(), report.agreement.as_str()), (ReportStatus::Draft, "bpbd-1"));
    assert_eq!(report.agreement_numbers.1, "BPBD/PKS/2025");

    let early = bpbd.submit_report(report.clone(), figures(), today).unwrap_err();
    assert_eq!(early, ReportError::Text { field: "kendala", problem: "wajib diisi" });
    let report = bpbd.write_narrative(report, narrative()).unwrap();
    let other = desk("bkn");
    assert_eq!(other.write_narrative(report.clone(), narrative()).unwrap_err(), ReportError::NotFound);
    assert_eq!(
        other.open_report(&plane, s("2026-S1"), Some(report.clone()), today).unwrap_err().code(),
        "report.not_found"
    );
    assert_eq!(other.submit_report(report.clone(), figures(), today).unwrap_err(), ReportError::NotFound);

    let submitted = bpbd.submit_report(report, figures(), today).unwrap();
    assert_eq!((submitted.status(), submitted.submissions), (ReportStatus::Submitted, 1));
    assert_eq!(submitted.figures.as_ref().map(|f| f.calls), Some(3), "the figures freeze");
    assert_eq!(bpbd.write_narrative(submitted.clone(), narrative()).unwrap_err(), ReportError::Locked);
    assert_eq!(bpbd.submit_report(submitted.clone(), figures(), today).unwrap_err(), ReportError::Locked);

    let writes = submitted.obligation_writes(&plane, today);
    assert_eq!(writes.len(), 1, "the semester-report obligation due 30 June is met");
    let after = plane.applying(&writes);
    let met = after.agreement("bpbd-1").unwrap().obligations.iter().find(|o| o.due_on == day(2026, 6, 30)).unwrap();
    assert_eq!(met.fulfilled_on, Some(today));
    assert!(submitted.obligation_writes(&after, today).is_empty(), "met once");
}

#[test]
fn only_the_managing_provider_evaluates_and_a_revision_reopens_the_report() {
    let plane = plane();
    let today = day(2026, 7, 3);
    let bpbd = desk("bpbd");
    let draft = bpbd.open_report(&plane, s("2026-S1"), None, today).unwrap();
    let draft = bpbd.write_narrative(draft, narrative()).unwrap();
    let karanganyar = steward("disdukcapil-3313", false);
    let sragen = steward("disdukcapil-3314", false);
    let ditjen = steward("dukcapil", true);
    assert_eq!(
        karanganyar.evaluate_report(&plane, draft.clone(), accept(), today).unwrap_err().code(),
        "report.not_awaiting_evaluation"
    );
    let submitted = bpbd.submit_report(draft, figures(), today).unwrap();

    assert_eq!(sragen.sees_report(&plane, submitted.clone()).unwrap_err(), ReportError::NotFound);
    assert_eq!(sragen.evaluate_report(&plane, submitted.clone(), accept(), today).unwrap_err(), ReportError::NotFound);
    assert!(ditjen.sees_report(&plane, submitted.clone()).is_ok(), "the national provider sees every partner");

    let no_reason = NewEvaluation { verdict: Verdict::Revise { reason: " ".into() }, ..accept() };
    assert_eq!(
        karanganyar.evaluate_report(&plane, submitted.clone(), no_reason, today).unwrap_err(),
        ReportError::NoReason
    );
    let no_findings = NewEvaluation { findings: String::new(), ..accept() };
    assert_eq!(
        karanganyar.evaluate_report(&plane, submitted.clone(), no_findings, today).unwrap_err().code(),
        "report.invalid_text"
    );
    let revise = NewEvaluation { verdict: Verdict::Revise { reason: "Lengkapi kendala".into() }, ..accept() };
    let returned = karanganyar.evaluate_report(&plane, submitted, revise, today).unwrap();
    assert_eq!(returned.status(), ReportStatus::NeedsRevision);
    assert!(returned.is_editable());

    let edited =
        bpbd.write_narrative(returned, Narrative { plans: "Pelatihan operator".into(), ..narrative() }).unwrap();
    let again = bpbd.submit_report(edited, figures(), day(2026, 7, 10)).unwrap();
    assert_eq!((again.status(), again.submissions), (ReportStatus::Submitted, 2));
    let accepted = ditjen.evaluate_report(&plane, again, accept(), day(2026, 7, 12)).unwrap();
    assert_eq!(accepted.status(), ReportStatus::Accepted);
    assert_eq!(accepted.evaluations.iter().map(|e| e.of_submission).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        karanganyar.evaluate_report(&plane, accepted, accept(), today).unwrap_err(),
        ReportError::NotAwaitingEvaluation
    );
    let round_trip: SemesterReport = serde_json::from_str(&serde_json::to_string(&again_json()).unwrap()).unwrap();
    assert_eq!(round_trip.semester, s("2026-S1"));
    for status in ReportStatus::ALL {
        assert_eq!(ReportStatus::from_name(status.name()), Some(status));
    }
}

fn again_json() -> SemesterReport {
    desk("bpbd").open_report(&plane(), s("2026-S1"), None, day(2026, 7, 1)).unwrap()
}

#[test]
fn the_bupati_summary_is_a_regional_providers_own_partners() {
    let plane = plane();
    let today = day(2026, 7, 3);
    let reports: Vec<SemesterReport> = ["bpbd", "dinsos-sragen", "bkn"]
        .iter()
        .map(|code| desk(code).open_report(&plane, s("2026-S1"), None, today).unwrap())
        .collect();
    let summary = steward("disdukcapil-3313", false).bupati_summary(&plane, s("2026-S1"), reports.clone()).unwrap();
    assert_eq!(summary.reports.iter().map(|r| r.institution.as_str()).collect::<Vec<_>>(), ["bpbd"]);
    assert_eq!((summary.region_code, summary.missing.len()), (3313, 0));
    let none = steward("disdukcapil-3313", false).bupati_summary(&plane, s("2026-S1"), Vec::new()).unwrap();
    assert_eq!(none.missing, ["bpbd"]);
    let national = steward("dukcapil", true).bupati_summary(&plane, s("2026-S1"), reports);
    assert_eq!(national.unwrap_err(), ReportError::NotRegional);
}

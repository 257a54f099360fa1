//! Storage-story steps of the registry's casework: the document-facilitation
//! queue and the notification outbox.

use chrono::{TimeZone, Utc};
use gerbang_core::access::{ControlPlane, ControlWrite, PartnerDesk, Steward};
use gerbang_core::facilitation::{Action, DocumentKind, Filing, Subject, SubjectGroup, advance};
use gerbang_core::reminder::{Audience, Notification};

use super::access::{apply, day, seeded_control_plane};
use crate::{CaseQuery, QueuedNotification, Store, StoreError};

fn child(name: &str) -> Filing {
    Filing {
        institution: String::new(),
        document: DocumentKind::AktaKelahiran,
        group: SubjectGroup::Anak,
        subject: Subject {
            full_name: name.into(),
            sex: "L".into(),
            birth_place: "Karanganyar".into(),
            birth_date: Some(day(2020, 2, 3)),
            mother_name: "Sri".into(),
            address: "Tawangmangu".into(),
            region_code: "3313".into(),
            ..Subject::default()
        },
    }
}

/// The story's partner, its agreement granting birth certificates, and its
/// desk.
async fn granting_birth_certificates(store: &dyn Store) -> (ControlPlane, PartnerDesk) {
    let plane = seeded_control_plane(store).await;
    let mut agreement = plane.agreement("bpbd-1").unwrap().clone();
    agreement.scope.facilitation = vec![DocumentKind::AktaKelahiran];
    let plane = apply(store, &plane, vec![ControlWrite::Agreement(agreement)]).await;
    let desk = PartnerDesk {
        user_id: "bpbd-op".into(),
        institution: "bpbd".into(),
        institution_name: "BPBD".into(),
        agreement: "bpbd-1".into(),
    };
    (plane, desk)
}

/// Cases are numbered, read back whole, refused while the same person's
/// case is open (all or none of a batch), moved only from the step last
/// seen, and listed newest first by partner and status.
pub async fn facilitation_cases_round_trip(store: &dyn Store) {
    let (plane, desk) = granting_birth_certificates(store).await;
    let now = Utc.with_ymd_and_hms(2024, 1, 8, 2, 0, 0).unwrap();
    let file = |name: &str| plane.file_facilitation(&desk, child(name), now).unwrap();

    let numbers = store.file_cases(vec![file("Adi"), file("Budi")]).await.unwrap();
    assert_eq!(numbers.len(), 2);
    assert!(numbers[0] < numbers[1]);
    let adi = store.case(numbers[0]).await.unwrap().unwrap();
    assert_eq!(adi.number, numbers[0]);
    assert_eq!(adi.filing.subject.full_name, "ADI");
    assert_eq!(adi.steps, file("Adi").steps);
    assert_eq!(store.case(numbers[1] + 100).await.unwrap(), None);

    let again = store.file_cases(vec![file("Citra"), file("Adi")]).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let all = CaseQuery { institution: Some("bpbd".into()), status: None, limit: 10 };
    assert_eq!(store.cases(all.clone()).await.unwrap().len(), 2, "the batch with a duplicate wrote nothing");

    let steward = Steward { user_id: "kra-admin".into(), provider: "disdukcapil-3313".into(), national: false };
    let later = Utc.with_ymd_and_hms(2024, 1, 9, 2, 0, 0).unwrap();
    let verified = advance(&plane, &steward, adi.clone(), Action::Verify, later).unwrap();
    store.record_case_step(verified.clone(), 1).await.unwrap();
    let stale = advance(&plane, &steward, adi, Action::Reject { reason: "data ganda".into() }, later).unwrap();
    assert!(matches!(store.record_case_step(stale, 1).await, Err(StoreError::Conflict(_))));
    let rejected = advance(&plane, &steward, verified, Action::Reject { reason: "data ganda".into() }, later).unwrap();
    store.record_case_step(rejected, 2).await.unwrap();
    assert_eq!(store.case(numbers[0]).await.unwrap().unwrap().status().name(), "rejected");

    let refiled = store.file_cases(vec![file("Adi")]).await.unwrap();
    assert!(refiled[0] > numbers[1], "a closed case does not block a new one");
    let listed = store.cases(all).await.unwrap();
    assert_eq!(listed.iter().map(|c| c.number).collect::<Vec<_>>(), [refiled[0], numbers[1], numbers[0]]);
    let rejected = CaseQuery { institution: None, status: Some("rejected".into()), limit: 10 };
    assert_eq!(store.cases(rejected).await.unwrap().len(), 1);
    let other = CaseQuery { institution: Some("lain".into()), status: None, limit: 10 };
    assert!(store.cases(other).await.unwrap().is_empty());
}

/// A notification is queued once per key, delivered once, and a failed
/// attempt keeps it queued with its reason.
pub async fn notifications_are_queued_once_and_drained(store: &dyn Store) {
    let note = |key: &str| Notification {
        key: key.into(),
        institution: "bpbd".into(),
        audience: Audience::Partner,
        subject: "Kewajiban".into(),
        body: "Segera jatuh tempo".into(),
    };
    let at = Utc.with_ymd_and_hms(2024, 1, 8, 2, 0, 0).unwrap();
    assert_eq!(store.queue_notifications(vec![note("a"), note("b")], at).await.unwrap(), 2);
    assert_eq!(store.queue_notifications(vec![note("b"), note("c")], at).await.unwrap(), 1);
    let queued = store.undelivered_notifications(10).await.unwrap();
    let keys: Vec<&str> = queued.iter().map(|q| q.notification.key.as_str()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
    assert_eq!(queued[0].queued_at, at);
    assert_eq!(queued[0].notification, note("a"));

    store.record_delivery(queued[0].id, at, None).await.unwrap();
    store.record_delivery(queued[1].id, at, Some("SMTP menolak".into())).await.unwrap();
    let left = store.undelivered_notifications(10).await.unwrap();
    assert_eq!(left.len(), 2);
    assert_eq!((left[0].attempts, left[0].last_error.as_deref()), (1, Some("SMTP menolak")));
    assert_eq!(store.queue_notifications(vec![note("a")], at).await.unwrap(), 0, "delivered keys stay known");
}

/// A copied deployment's cases and outbox keep their numbers, ids and
/// delivery state, and numbering goes on after them.
pub async fn casework_is_restored_with_its_numbers(store: &dyn Store) {
    let (plane, desk) = granting_birth_certificates(store).await;
    let now = Utc.with_ymd_and_hms(2024, 1, 8, 2, 0, 0).unwrap();
    let numbered = |name: &str, number: u64| {
        let mut case = plane.file_facilitation(&desk, child(name), now).unwrap();
        case.number = number;
        case
    };
    let note = |key: &str| Notification {
        key: key.into(),
        institution: "bpbd".into(),
        audience: Audience::Registry,
        subject: "Kewajiban".into(),
        body: "Lewat tenggat".into(),
    };
    let sent = QueuedNotification {
        id: 3,
        queued_at: now,
        notification: note("sent"),
        attempts: 2,
        last_error: None,
        sent_at: Some(now),
    };
    let waiting = QueuedNotification {
        id: 7,
        notification: note("waiting"),
        attempts: 1,
        last_error: Some("SMTP menolak".into()),
        sent_at: None,
        ..sent.clone()
    };
    let cases = vec![numbered("Adi", 5), numbered("Budi", 9)];
    store.restore_casework(cases.clone(), vec![sent.clone(), waiting.clone()]).await.unwrap();

    assert_eq!(store.case(9).await.unwrap().unwrap(), cases[1]);
    assert_eq!(store.file_cases(vec![numbered("Citra", 0)]).await.unwrap(), [10]);
    assert_eq!(store.notifications_after(0, 10).await.unwrap(), [sent.clone(), waiting.clone()]);
    assert_eq!(store.notifications_after(3, 10).await.unwrap(), std::slice::from_ref(&waiting));
    assert_eq!(store.undelivered_notifications(10).await.unwrap(), [waiting]);
    assert_eq!(store.queue_notifications(vec![note("sent"), note("new")], now).await.unwrap(), 1);
    // Ids go on after the copied ones (PostgreSQL may skip some: a key
    // already queued still draws one).
    let next = store.notifications_after(7, 10).await.unwrap();
    assert_eq!((next.len(), next[0].notification.key.as_str()), (1, "new"));
}

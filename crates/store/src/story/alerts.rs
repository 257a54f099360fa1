//! Storage-story steps of canaries and alerts (issue 8, hardening): a
//! canary round-trips and bumps the control version; sightings of one kind
//! and User ID merge into one open alert within the window and open a new
//! one after it, after acknowledgement, or for another kind; open alerts
//! come first; alerts copied from another deployment keep their ids.

use chrono::{Duration, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::alert::{
    ALERT_MERGE_WINDOW, Acknowledgement, Alert, AlertKind, Canary, OPERATIONS_PER_ALERT, Sighting,
};

use crate::Store;

fn sighting(kind: AlertKind, user_id: &str, minutes: i64) -> Sighting {
    Sighting {
        kind,
        institution: "bkn".into(),
        user_id: user_id.into(),
        at: Utc.with_ymd_and_hms(2026, 11, 23, 16, 0, 0).unwrap() + Duration::minutes(minutes),
        count: 2,
        detail: format!("rincian {minutes}"),
        operation_id: format!("op-{minutes}"),
    }
}

/// Canaries are stored by NIK with their label (a second mark replaces the
/// label), and every mark moves the control version.
pub async fn canaries_round_trip_and_move_the_control_version(store: &dyn Store) {
    assert_eq!(store.canaries().await.unwrap(), Vec::new());
    let version = store.control_version().await.unwrap();
    let at = Utc.with_ymd_and_hms(2026, 11, 23, 3, 0, 0).unwrap();
    let nik = |text: &str| Nik::parse(text).unwrap();
    let first =
        Canary { nik: nik("3313014101900002"), label: "umpan-2".into(), added_at: at, added_by: "admin".into() };
    let second =
        Canary { nik: nik("3313010101900001"), label: "umpan-1".into(), added_at: at, added_by: "demo".into() };
    store.add_canary(first.clone()).await.unwrap();
    store.add_canary(second.clone()).await.unwrap();
    assert!(store.control_version().await.unwrap() > version, "servers notice a new canary");
    assert_eq!(store.canaries().await.unwrap(), vec![second.clone(), first.clone()], "in NIK order");
    let relabelled = Canary { label: "umpan-baru".into(), ..first };
    store.add_canary(relabelled.clone()).await.unwrap();
    assert_eq!(store.canaries().await.unwrap(), vec![second, relabelled]);
}

/// One open alert per kind and User ID within the window; acknowledging
/// closes it and the next sighting opens another.
pub async fn alerts_merge_within_the_window_and_are_acknowledged(store: &dyn Store) {
    let first = store.raise_alert(sighting(AlertKind::SequentialScan, "bkn-svc", 0)).await.unwrap();
    let merged = store.raise_alert(sighting(AlertKind::SequentialScan, "bkn-svc", 30)).await.unwrap();
    assert_eq!(first, merged, "the same kind and User ID within the window merge");
    let other_kind = store.raise_alert(sighting(AlertKind::NotFoundScan, "bkn-svc", 31)).await.unwrap();
    let other_user = store.raise_alert(sighting(AlertKind::SequentialScan, "bkn-2", 32)).await.unwrap();
    assert!(other_kind != first && other_user != first && other_kind != other_user);
    let late = 30 + ALERT_MERGE_WINDOW.num_minutes();
    let after_window = store.raise_alert(sighting(AlertKind::SequentialScan, "bkn-svc", late)).await.unwrap();
    assert_ne!(after_window, first, "an hour after the last sighting opens a new alert");

    let alert = store.alert(first).await.unwrap().unwrap();
    assert_eq!(
        (alert.kind, alert.institution.as_str(), alert.user_id.as_str()),
        (AlertKind::SequentialScan, "bkn", "bkn-svc")
    );
    assert_eq!((alert.count, alert.detail.as_str()), (4, "rincian 30"));
    assert_eq!(alert.operations, ["op-0", "op-30"]);
    assert_eq!(
        (alert.first_at, alert.last_at),
        (sighting(AlertKind::Canary, "", 0).at, sighting(AlertKind::Canary, "", 30).at)
    );
    assert_eq!(alert.acknowledged, None);
    assert_eq!(store.alert(999_999).await.unwrap(), None);

    let at = Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap();
    assert!(store.acknowledge_alert(first, "admin", at).await.unwrap());
    assert!(!store.acknowledge_alert(first, "admin", at).await.unwrap(), "already acknowledged");
    assert!(!store.acknowledge_alert(999_999, "admin", at).await.unwrap());
    let acknowledged = store.alert(first).await.unwrap().unwrap().acknowledged.unwrap();
    assert_eq!((acknowledged.by.as_str(), acknowledged.at), ("admin", at));

    let listed = store.alerts(100).await.unwrap();
    assert_eq!(listed.len(), 4);
    assert_eq!(listed.last().unwrap().id, first, "acknowledged alerts come after the open ones");
    assert_eq!(listed[0].id, after_window, "open ones newest first");
    assert_eq!(store.alerts(1).await.unwrap().len(), 1);

    let reopened = store.raise_alert(sighting(AlertKind::NotFoundScan, "bkn-svc", 40)).await.unwrap();
    assert_eq!(reopened, other_kind, "other open alerts are untouched by an acknowledgement");
    for minute in 41..41 + OPERATIONS_PER_ALERT as i64 {
        store.raise_alert(sighting(AlertKind::NotFoundScan, "bkn-svc", minute)).await.unwrap();
    }
    assert_eq!(store.alert(other_kind).await.unwrap().unwrap().operations.len(), OPERATIONS_PER_ALERT);
}

/// Alerts copied from another deployment keep their ids, counts, evidence
/// and acknowledgements; a later sighting merges into a copied open alert
/// and a new alert is numbered after the largest copied id.
pub async fn alerts_are_restored_with_their_ids(store: &dyn Store) {
    let at = Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap();
    let open = Alert { id: 4, ..Alert::opened_by(&sighting(AlertKind::SequentialScan, "bkn-svc", 0)) };
    let acknowledged = Alert {
        id: 9,
        acknowledged: Some(Acknowledgement { by: "admin".into(), at }),
        ..Alert::opened_by(&sighting(AlertKind::Canary, "bkn-svc", 5))
    };
    store.restore_alerts(vec![open.clone(), acknowledged.clone()]).await.unwrap();
    assert_eq!(store.alert(4).await.unwrap().unwrap(), open);
    assert_eq!(store.alert(9).await.unwrap().unwrap(), acknowledged);

    let merged = store.raise_alert(sighting(AlertKind::SequentialScan, "bkn-svc", 10)).await.unwrap();
    assert_eq!(merged, 4, "a copied open alert still absorbs its sightings");
    let next = store.raise_alert(sighting(AlertKind::NotFoundScan, "bkn-svc", 11)).await.unwrap();
    assert!(next > 9, "new alerts are numbered after the copied ones: {next}");
}

/// Sightings handed over with a batch of audit records are stored as
/// [`Store::raise_alert`] stores them, merging into an open alert, and the
/// records join the chain after it.
pub async fn sightings_are_stored_with_their_audit_batch(store: &dyn Store) {
    let records = vec![crate::story::sample_audit_record(1), crate::story::sample_audit_record(2)];
    let seqs = store
        .record_audit_raising(
            records,
            vec![
                sighting(AlertKind::OffHoursBulk, "bkn-svc", 0),
                sighting(AlertKind::OffHoursBulk, "bkn-svc", 1),
                sighting(AlertKind::Canary, "bkn-svc", 1),
            ],
        )
        .await
        .unwrap();
    assert_eq!(seqs, [1, 2]);
    let alerts = store.alerts(10).await.unwrap();
    let kinds: Vec<(AlertKind, u64)> = alerts.iter().map(|alert| (alert.kind, alert.count)).collect();
    assert_eq!(kinds.len(), 2, "the second off-hours sighting merges into the first: {kinds:?}");
    assert!(kinds.contains(&(AlertKind::OffHoursBulk, 4)) && kinds.contains(&(AlertKind::Canary, 2)), "{kinds:?}");
    let page = store.audit_page(0, 10).await.unwrap();
    assert_eq!(page.iter().map(|r| r.record.operation_id.as_str()).collect::<Vec<_>>(), ["op-1", "op-2"]);
    let seqs = store.record_audit_raising(vec![crate::story::sample_audit_record(3)], Vec::new()).await.unwrap();
    assert_eq!(seqs, [3], "a batch without sightings continues the chain");
}

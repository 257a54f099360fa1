//! Storage-story steps of KTP-el card readers (SPEC.md §6): SAM records
//! round-trip through the control plane, and the replay guard accepts each
//! SAM's counters only rising, atomically, and lists the last one kept.

use chrono::{TimeZone, Utc};
use gerbang_core::access::{PartnerDesk, Steward};
use gerbang_core::card_reader::{NewSam, SamStatus};

use super::access::{apply, seeded_control_plane};
use crate::Store;

/// A SAM registered, personalized and activated is read back as stored
/// (its public key, never the secret); counters are accepted only above
/// the last, per SAM.
pub async fn sams_round_trip_and_counters_only_rise(store: &dyn Store) {
    let plane = seeded_control_plane(store).await;
    let now = Utc.with_ymd_and_hms(2023, 6, 10, 3, 0, 0).unwrap();
    let desk = PartnerDesk {
        user_id: "bpbd-adm".into(),
        institution: "bpbd".into(),
        institution_name: "BPBD".into(),
        agreement: "bpbd-1".into(),
    };
    let steward = Steward { user_id: "admin".into(), provider: "dukcapil".into(), national: true };
    let new = NewSam { id: "SAM-0001".into(), reader_serial: "RDR-0001".into(), reader_model: "Pembaca".into() };
    let plane = apply(store, &plane, vec![plane.register_sam(&desk, new, now).unwrap()]).await;
    let (write, config) = plane.personalize_sam(&steward, "SAM-0001", [3; 32], now).unwrap();
    let plane = apply(store, &plane, vec![write]).await;
    let plane = apply(store, &plane, vec![plane.activate_sam(&steward, "SAM-0001", now).unwrap()]).await;

    let stored = store.control_plane().await.unwrap();
    let sam = stored.sam("SAM-0001").expect("the SAM is stored");
    assert_eq!(sam, plane.sam("SAM-0001").unwrap());
    assert_eq!(sam.status(&stored, now), SamStatus::Active);
    assert_eq!(sam.public_key.as_deref(), Some(config.public_key.as_str()));
    assert_eq!(stored.sams_of("bpbd").count(), 1);

    assert_eq!(store.sam_counters().await.unwrap(), Vec::new());
    assert!(store.accept_sam_counter("SAM-0001", 1).await.unwrap());
    assert!(store.accept_sam_counter("SAM-0001", 5).await.unwrap(), "counters may skip");
    assert!(!store.accept_sam_counter("SAM-0001", 5).await.unwrap(), "a repeated event is refused");
    assert!(!store.accept_sam_counter("SAM-0001", 3).await.unwrap(), "an older event is refused");
    assert!(store.accept_sam_counter("SAM-0001", 6).await.unwrap());
    assert_eq!(store.sam_counters().await.unwrap(), vec![("SAM-0001".to_owned(), 6)], "the last accepted, kept");
}

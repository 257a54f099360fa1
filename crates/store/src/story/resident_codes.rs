//! Storage-story steps of residents' one-time codes (transparency for
//! residents): a code round-trips by the resident's keyed NIK hash, a new
//! code replaces the old one whole, and settling is compare-and-set, so a
//! code opens once and a stale view of it settles nothing.

use chrono::{Duration, TimeZone, Utc};
use gerbang_core::Nik;
use gerbang_core::audit::NikHasher;
use gerbang_core::transparency::{OneTimeCode, Redemption, ResidentCode, code_digest, issue, redeem};

use crate::Store;

/// Codes are kept per resident, replaced whole, and settled only from the
/// state the settler saw.
pub async fn resident_codes_replace_and_settle_once(store: &dyn Store) {
    let hasher = NikHasher::new([9; 32]);
    let nik = Nik::parse("3313015501900001").unwrap();
    let other = hasher.key(Nik::parse("3313015501900002").unwrap());
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 2, 0, 0).unwrap();
    let first = OneTimeCode::from_random([1; 10]);
    let issued = issue(&hasher, nik, &first, "admin-pusat", now);
    store.put_resident_code(issued.clone()).await.unwrap();
    assert_eq!(store.resident_code(issued.resident).await.unwrap(), Some(issued.clone()));
    assert_eq!(store.resident_code(other).await.unwrap(), None);

    // A wrong attempt is counted once: a second settle from the same view fails.
    let Redemption::Refused { settled: Some(counted), .. } =
        redeem(Some(&issued), &code_digest(&hasher, issued.resident, "ZZZZZZZZZZ"), now)
    else {
        panic!("a wrong code is counted")
    };
    assert!(store.settle_resident_code(issued.clone(), counted.clone()).await.unwrap());
    assert!(!store.settle_resident_code(issued.clone(), counted.clone()).await.unwrap(), "stale view");
    assert_eq!(store.resident_code(issued.resident).await.unwrap().unwrap().wrong_attempts, 1);

    // The right code opens once.
    let at = now + Duration::minutes(3);
    let Redemption::Accepted { settled: used } =
        redeem(Some(&counted), &code_digest(&hasher, issued.resident, first.as_str()), at)
    else {
        panic!("the right code opens")
    };
    assert!(store.settle_resident_code(counted.clone(), used.clone()).await.unwrap());
    assert!(!store.settle_resident_code(counted.clone(), used.clone()).await.unwrap(), "used already");
    let stored = store.resident_code(issued.resident).await.unwrap().unwrap();
    assert_eq!((stored.used_at, stored.wrong_attempts), (Some(at), 1));

    // A new code replaces the used one whole: fresh attempts, unused, new digest.
    let second = OneTimeCode::from_random([2; 10]);
    let reissued = issue(&hasher, nik, &second, "admin-kra", at + Duration::hours(1));
    store.put_resident_code(reissued.clone()).await.unwrap();
    let stored: ResidentCode = store.resident_code(issued.resident).await.unwrap().unwrap();
    assert_eq!(stored, reissued);
    assert_ne!(stored.digest, issued.digest);
    // A settle from the old code's view does not touch the new one.
    assert!(!store.settle_resident_code(counted, used).await.unwrap());
    assert_eq!(store.resident_code(issued.resident).await.unwrap(), Some(reissued));
}

//! Property tests of the daily quota on SQLite: random sequences of charges
//! and refunds, limits reached and passed, against a plain counting model;
//! and concurrent charges that race for the last hits.
//!
//! Days only move forward in a sequence, as the injected clock does: the
//! store keeps only the newest day's counters in memory and reads an older
//! day back from the stored usage, which the audit batches (not exercised
//! here) keep up to date.

use std::collections::HashMap;
use std::sync::Arc;

use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone, Copy)]
enum Op {
    Charge {
        user: usize,
        limit: u32,
    },
    /// Gives back one of the user's hits today, as the gate does for a
    /// request it could not answer (only after a charge that succeeded).
    Refund {
        user: usize,
    },
    NextDay,
}

const USERS: [&str; 3] = ["mitra-ws", "mitra-op", "lain-ws"];

fn ops() -> impl Strategy<Value = Vec<Op>> {
    let op = prop_oneof![
        6 => (0..USERS.len(), 0u32..5).prop_map(|(user, limit)| Op::Charge { user, limit }),
        3 => (0..USERS.len()).prop_map(|user| Op::Refund { user }),
        1 => Just(Op::NextDay),
    ];
    proptest::collection::vec(op, 1..60)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn charges_and_refunds_count_exactly(ops in ops()) {
        let (_folder, store) = fresh();
        runtime().block_on(async {
            let mut today = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
            // The model: hits charged per user today.
            let mut used: HashMap<usize, u32> = HashMap::new();
            for op in ops {
                match op {
                    Op::Charge { user, limit } => {
                        let charged = store.charge_quota(USERS[user], today, limit).await.unwrap();
                        let count = used.entry(user).or_default();
                        let expected = (*count < limit).then(|| {
                            *count += 1;
                            limit - *count
                        });
                        prop_assert_eq!(charged, expected, "charge of {} with limit {}", USERS[user], limit);
                    }
                    Op::Refund { user } => {
                        let count = used.entry(user).or_default();
                        if *count > 0 {
                            store.refund_quota(USERS[user], today).await.unwrap();
                            *count -= 1;
                        }
                    }
                    Op::NextDay => {
                        today = today.succ_opt().unwrap();
                        used.clear();
                    }
                }
                for (user, name) in USERS.iter().enumerate() {
                    let stored = store.quota_used(name, today).await.unwrap();
                    prop_assert_eq!(stored, used.get(&user).copied().unwrap_or(0), "{} after {:?}", name, op);
                }
            }
            Ok(())
        })?;
    }

    #[test]
    fn concurrent_charges_never_pass_the_limit(limit in 0u32..12, callers in 0usize..24, refunds in 0usize..6) {
        let (_folder, store) = fresh();
        let store = Arc::new(store);
        let day = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        runtime().block_on(async {
            let charges: Vec<_> = (0..callers)
                .map(|_| {
                    let store = Arc::clone(&store);
                    tokio::spawn(async move { store.charge_quota("mitra-ws", day, limit).await.unwrap() })
                })
                .collect();
            let mut left = Vec::new();
            for charge in charges {
                left.extend(charge.await.unwrap());
            }
            let granted = callers.min(limit as usize);
            left.sort_unstable();
            // Each successful call saw a different count: limit-1, limit-2, …
            let expected: Vec<u32> = (0..granted as u32).map(|n| limit - granted as u32 + n).collect();
            prop_assert_eq!(&left, &expected);
            let refunds = refunds.min(granted);
            let gives: Vec<_> = (0..refunds)
                .map(|_| {
                    let store = Arc::clone(&store);
                    tokio::spawn(async move { store.refund_quota("mitra-ws", day).await.unwrap() })
                })
                .collect();
            for give in gives {
                give.await.unwrap();
            }
            prop_assert_eq!(store.quota_used("mitra-ws", day).await.unwrap(), (granted - refunds) as u32);
            Ok(())
        })?;
    }
}

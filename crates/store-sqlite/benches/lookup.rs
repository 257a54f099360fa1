//! How long one register look-up by NIK takes on the SQLite backend (the
//! resident joined with their family card, decoded into core types), on a
//! quiet database and while audit batches are being committed — as they
//! are on a serving node, where every answered request appends to the trail.
//! Run: `cargo bench -p gerbang-store-sqlite --bench lookup` (seeds 200,000
//! residents in a temporary folder first). Prints medians of repeated rounds.

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use gerbang_core::access::Mechanism;
use gerbang_core::audit::AuditRecord;
use gerbang_core::{Nik, Regions};
use gerbang_store::Store;
use gerbang_store_sqlite::{OpenMode, SqliteStore};
use gerbang_synth::{Plan, default_as_of, district_households, district_quotas};

const RESIDENTS: u64 = 200_000;
const LOOKUPS_PER_ROUND: usize = 20_000;

fn record(n: u64) -> AuditRecord {
    AuditRecord {
        operation_id: format!("bench-{n}"),
        at: Utc.timestamp_opt(1_790_000_000, 0).unwrap(),
        interface: "compat".into(),
        institution: Some("kemenpppa".into()),
        user_id: Some("kemenpppa-ws".into()),
        source_ip: "127.0.0.1".parse().unwrap(),
        mechanism: Some(Mechanism::VerifyByElements),
        resident: None,
        elements: Vec::new(),
        outcome: "00".into(),
        latency_us: 100,
        charged: false,
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn rounds(runtime: &tokio::runtime::Runtime, store: &SqliteStore, niks: &[Nik]) -> Duration {
    median(
        (0..9)
            .map(|_| {
                let started = Instant::now();
                for nik in niks.iter().take(LOOKUPS_PER_ROUND) {
                    std::hint::black_box(runtime.block_on(store.resident(*nik)).unwrap());
                }
                started.elapsed() / LOOKUPS_PER_ROUND as u32
            })
            .collect(),
    )
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&folder.path().join("gerbang.sqlite3"), OpenMode::CreateIfMissing).unwrap();
    let regions = Regions::official();
    let plan = Plan::new(RESIDENTS, 1, default_as_of()).unwrap();
    let mut niks = Vec::new();
    runtime.block_on(async {
        store.begin_bulk_load().await.unwrap();
        for quota in district_quotas(&plan, regions) {
            let households = district_households(&plan, quota, regions);
            niks.extend(households.iter().flat_map(|h| h.members.iter().map(|m| m.nik)));
            store.insert_households(households).await.unwrap();
        }
        store.finish_bulk_load().await.unwrap();
    });
    // Spread the look-ups over the register, like real traffic.
    niks.sort_unstable_by_key(|nik| nik.value().wrapping_mul(0x9E37_79B9_7F4A_7C15));
    println!("register: {} residents", niks.len());

    let quiet = rounds(&runtime, &store, &niks);
    println!("look-up, quiet database:            {:.1} µs", quiet.as_secs_f64() * 1e6);

    // A writer committing a batch of 20 audit records every millisecond.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (store, stop) = (store.clone(), Arc::clone(&stop));
        let handle = runtime.handle().clone();
        std::thread::spawn(move || {
            let mut n = 0;
            let mut batches = 0_u64;
            while !stop.load(Ordering::Relaxed) {
                let batch: Vec<_> = (0..20)
                    .map(|_| {
                        n += 1;
                        record(n)
                    })
                    .collect();
                handle.block_on(store.record_audit(batch)).unwrap();
                batches += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            batches
        })
    };
    let busy = rounds(&runtime, &store, &niks);
    stop.store(true, Ordering::Relaxed);
    let batches = writer.join().unwrap();
    println!(
        "look-up, audit batches committing:  {:.1} µs  ({batches} batches of 20 records meanwhile)",
        busy.as_secs_f64() * 1e6
    );
}

//! How long one register look-up by NIK takes on the PostgreSQL backend
//! (the resident joined with their family card, decoded into core types),
//! on a register that is already loaded: one caller at a time (latency) and
//! many at once (throughput of one node's pool).
//!
//! Run against a seeded database (`scripts/bench-postgres.sh` does both):
//! `GERBANG_BENCH_POSTGRES_URL=postgres://… cargo bench -p gerbang-store-postgres --bench lookup`.
//! NIKs are drawn at random from the whole table, so the figures include
//! index pages that are not in PostgreSQL's cache when the register is
//! larger than its memory.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use gerbang_core::Nik;
use gerbang_store::Store;
use gerbang_store_postgres::PostgresStore;
use tokio_postgres::NoTls;

const VARIABLE: &str = "GERBANG_BENCH_POSTGRES_URL";
const SAMPLES: i64 = 20_000;
const CONCURRENT: usize = 16;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p) as usize).min(sorted.len() - 1)]
}

/// Random NIKs from the whole register, in random order.
async fn sample(url: &str) -> (i64, Vec<Nik>) {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.expect("the database answers");
    tokio::spawn(connection);
    let residents: i64 = client.query_one("select count(*) from residents", &[]).await.unwrap().get(0);
    let percent = (SAMPLES as f64 * 300.0 / residents.max(1) as f64).clamp(0.001, 100.0);
    let rows = client
        .query(
            "select nik from (select nik from residents tablesample bernoulli ($1::float8)) s order by random() limit $2",
            &[&percent, &SAMPLES],
        )
        .await
        .unwrap();
    let niks = rows.iter().map(|row| Nik::from_stored(row.get::<_, i64>(0) as u64).expect("a stored NIK")).collect();
    (residents, niks)
}

async fn one_at_a_time(store: &PostgresStore, niks: &[Nik]) -> Vec<Duration> {
    let mut times = Vec::with_capacity(niks.len());
    for nik in niks {
        let started = Instant::now();
        assert!(store.resident(*nik).await.unwrap().is_some());
        times.push(started.elapsed());
    }
    times.sort_unstable();
    times
}

async fn many_at_once(store: &PostgresStore, niks: &Arc<Vec<Nik>>) -> f64 {
    let started = Instant::now();
    let mut tasks = Vec::new();
    for part in 0..CONCURRENT {
        let (store, niks) = (store.clone(), Arc::clone(niks));
        tasks.push(tokio::spawn(async move {
            for nik in niks.iter().skip(part).step_by(CONCURRENT) {
                assert!(store.resident(*nik).await.unwrap().is_some());
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    niks.len() as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let Ok(url) = std::env::var(VARIABLE) else {
        eprintln!("{VARIABLE} is not set: point it at a seeded Gerbang database (scripts/bench-postgres.sh does)");
        return;
    };
    let store = PostgresStore::connect(&url).await.expect("the database answers");
    let (residents, niks) = sample(&url).await;
    let first = one_at_a_time(&store, &niks).await;
    let warm = one_at_a_time(&store, &niks).await;
    let niks = Arc::new(niks);
    let throughput = many_at_once(&store, &niks).await;
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "lookup on {residents} residents, {} random NIKs: first pass p50 {:.0} µs p99 {:.0} µs; \
         warm p50 {:.0} µs p99 {:.0} µs; {CONCURRENT} at once {throughput:.0} look-ups/s",
        niks.len(),
        us(percentile(&first, 0.5)),
        us(percentile(&first, 0.99)),
        us(percentile(&warm, 0.5)),
        us(percentile(&warm, 0.99)),
    );
}

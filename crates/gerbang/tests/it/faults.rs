//! Faults under load (issue 7): the database restarted beneath a busy
//! node, and a node killed outright. What must hold, whatever happens: no
//! answer without its audit record, a clear "service unavailable" instead
//! of a hang or an internal error, no quota charged for a request that
//! was not answered, and service resuming by itself once the database is
//! back. Deadlines below only stop a hung test; they are not speed targets.

mod cluster;
mod load;
mod trail;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::postgres::{Database, demo_login};
use crate::process::{Running, spawn_listening, terminate};
use crate::support::{gerbang, samples, stderr, stdout};
use cluster::Cluster;
use load::{Answer, Front, Load};
use trail::{Backend, charged_hits};

/// Client threads of the load.
const CLIENTS: usize = 6;

/// The account under load, and a daily quota it will not use up.
const ACCOUNT: &str = "lpsk-ws";
const QUOTA: u64 = 1_000_000;

/// The generous ceiling for anything that should take a moment: service
/// back after the database, a refund retried, a control-plane change seen.
const WITHIN: Duration = Duration::from_secs(10);

/// A `gerbang demo` node on a seeded register, with the account and a NIK
/// to call.
struct Node {
    running: Running,
    login: Value,
    nik: String,
}

/// Runs `gerbang ARGS` on `backend` and returns its standard output.
fn cli(dir: &Path, backend: Backend<'_>, args: &[&str]) -> String {
    let output = gerbang(dir, &[args, &backend.args()].concat());
    assert!(output.status.success(), "gerbang {args:?}: {}", stderr(&output));
    stdout(&output)
}

/// Seeds 300 residents, starts `gerbang demo` on them and raises the
/// account's quota, waiting until the node has taken the change in.
fn demo_node(dir: &Path, backend: Backend<'_>) -> Node {
    let seeded = cli(dir, backend, &["seed", "--residents", "300", "--seed", "11"]);
    let nik = samples(&seeded).0.swap_remove(0);
    let dir_arg = dir.to_str().unwrap();
    let running =
        spawn_listening(&[&["demo", "--data-dir", dir_arg, "--listen", "127.0.0.1:0"], &backend.args()[..]].concat());
    let login = demo_login(dir, ACCOUNT);
    let node = Node { running, login, nik };
    set_quota(dir, backend, &node, QUOTA);
    node
}

/// Sets the account's daily quota with the CLI and waits until `node`
/// answers with it.
fn set_quota(dir: &Path, backend: Backend<'_>, node: &Node, quota: u64) {
    cli(dir, backend, &["user", "set-quota", ACCOUNT, &quota.to_string()]);
    let client = reqwest::blocking::Client::new();
    let asked = Instant::now();
    loop {
        let answer = load::call(&client, Front::V1, &node.running.address, &node.login, &node.nik);
        if answer.remaining.is_some_and(|left| left > quota / 2) {
            return;
        }
        assert!(asked.elapsed() < WITHIN, "the node did not take the new quota in: {answer:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// When the node was serving again for good: the sending time of the first
/// served answer after the last unserved one, once the node has served
/// without a failure for `steady`.
fn recovered(answers: &[Answer], steady: Duration) -> Option<Instant> {
    let last_failure = answers.iter().filter(|a| !a.served()).map(|a| a.sent).max()?;
    let first_after = answers.iter().filter(|a| a.served() && a.sent > last_failure).map(|a| a.sent).min()?;
    (first_after.elapsed() >= steady).then_some(first_after)
}

/// PostgreSQL restarted in the middle of load: while it is away every call
/// is answered at once with 503 `service.unavailable` (the compatible
/// service: 503 with RESPONSE_CODE 99), never a hang, an internal error or
/// an answer without its audit record; the node stays up, serves again by
/// itself when the database is back, keeps following control-plane
/// changes, and charged no quota for what it could not answer.
#[test]
fn postgresql_restarted_under_load_answers_unavailable_then_recovers() {
    let cluster = Cluster::start();
    let url = cluster.url();
    let backend = Backend::Postgres(&url);
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path();
    let mut node = demo_node(dir, backend);

    let load = Load::start(&node.running.address, &node.login, &node.nik, CLIENTS);
    std::thread::sleep(Duration::from_secs(1));
    cluster.stop();
    let stopped = Instant::now();
    std::thread::sleep(Duration::from_secs(2));
    cluster.start_again();
    let back = Instant::now();
    let recovery = loop {
        std::thread::sleep(Duration::from_millis(100));
        if let Some(at) = recovered(&load.answers(), Duration::from_secs(1)) {
            break Some(at);
        }
        if back.elapsed() > 2 * WITHIN {
            break None;
        }
    };
    let answers = load.finish();
    let summary = summarize(&answers);
    let unavailable: Vec<&Answer> = answers.iter().filter(|a| a.status == Some(503)).collect();
    assert!(!unavailable.is_empty(), "the restart went unnoticed: {summary}");
    let recovery = recovery.unwrap_or_else(|| panic!("the node did not serve again after the restart: {summary}"));
    let delay = recovery.saturating_duration_since(back);
    eprintln!(
        "restart: {summary}; database away {} ms, serving again {} ms after it was back",
        back.duration_since(stopped).as_millis(),
        delay.as_millis()
    );
    assert!(delay < WITHIN, "service resumed only {delay:?} after the database was back");
    assert!(node.running.child.try_wait().unwrap().is_none(), "the node died with the database");
    let log = node.running.log();
    let panics: Vec<&str> = log.lines().filter(|l| l.contains("panicked")).collect();
    assert!(panics.is_empty(), "the node panicked: {panics:?}");
    assert!(log.contains("store.unavailable"), "the outage is logged with its code");

    let odd: Vec<&Answer> = answers.iter().filter(|a| !matches!(a.status, Some(200 | 503))).collect();
    let first_odd = &odd[..odd.len().min(3)];
    assert!(
        odd.is_empty(),
        "{} calls got neither 200 nor 503 (a hang, a reset, another error): {first_odd:?}",
        odd.len()
    );
    for answer in &unavailable {
        let expected = if answer.front == Front::V1 { "service.unavailable" } else { "99" };
        assert_eq!(answer.code(), Some(expected), "{answer:?}");
        assert!(answer.message().is_some_and(|m| m.starts_with("Layanan sementara tidak tersedia")), "{answer:?}");
        if answer.front == Front::V1 {
            assert_eq!(answer.body_operation_id(), answer.operation_id.as_deref(), "{answer:?}");
        }
    }
    assert!(answers.iter().filter(|a| a.sent >= recovery).all(Answer::served), "a failure after recovery: {summary}");

    // Control-plane polling outlived the failed polls of the outage.
    set_quota(dir, backend, &node, 2 * QUOTA);

    assert_audited(&answers, &backend.trail(dir));
    // Refunds of hits charged just before the database went away may be
    // retried once it is back.
    let refunded = Instant::now();
    loop {
        let trail = backend.trail(dir);
        let charged = trail.values().filter(|r| r.charged).count() as i64;
        let counted = charged_hits(&url, ACCOUNT);
        if counted == charged {
            break;
        }
        assert!(refunded.elapsed() < WITHIN, "quota counters say {counted} hits, the trail proves {charged}");
        std::thread::sleep(Duration::from_millis(200));
    }

    let records = backend.trail(dir).len();
    let verified = cli(dir, backend, &["audit", "verify"]);
    assert!(verified.contains(&format!("audit: {records} catatan, rantai utuh")), "{verified}");
    assert!(terminate(&mut node.running.child).success(), "the node stops cleanly after the outage");
}

/// Every call that got an HTTP answer has its record, with the outcome the
/// caller saw: served answers `resident.found` and charged; a 503 that
/// left a record left an uncharged `service.unavailable`.
fn assert_audited(answers: &[Answer], trail: &std::collections::HashMap<String, trail::Audited>) {
    for answer in answers.iter().filter(|a| a.status.is_some()) {
        let id =
            answer.operation_id.as_deref().unwrap_or_else(|| panic!("an answer without an operation id: {answer:?}"));
        let record = trail.get(id);
        if answer.status == Some(503) {
            if let Some(record) = record {
                assert_eq!((record.outcome.as_str(), record.charged), ("service.unavailable", false), "{answer:?}");
            }
            continue;
        }
        let record = record.unwrap_or_else(|| panic!("answered without an audit record: {answer:?}"));
        if answer.served() {
            assert_eq!((record.outcome.as_str(), record.charged), ("resident.found", true), "{answer:?}");
        }
    }
    let charged_unavailable: Vec<_> =
        trail.values().filter(|r| r.outcome == "service.unavailable" && r.charged).collect();
    assert!(charged_unavailable.is_empty(), "quota charged for unanswered calls: {charged_unavailable:?}");
}

/// Counts of answers by status (0: no answer).
fn summarize(answers: &[Answer]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for answer in answers {
        *counts.entry(answer.status.unwrap_or(0)).or_insert(0) += 1;
    }
    let slowest = answers.iter().map(|a| a.took).max().unwrap_or_default();
    format!("{} calls by status {counts:?}, slowest {} ms", answers.len(), slowest.as_millis())
}

/// A node killed with SIGKILL under load loses none of the records of what
/// it answered, answered nothing without one, and leaves a chain that a new
/// node on the same storage continues.
fn killed_under_load(dir: &Path, backend: Backend<'_>) {
    let mut node = demo_node(dir, backend);
    let load = Load::start(&node.running.address, &node.login, &node.nik, CLIENTS);
    std::thread::sleep(Duration::from_secs(1));
    node.running.child.kill().unwrap();
    node.running.child.wait().unwrap();
    let answers = load.finish();
    backend.settle();
    let summary = summarize(&answers);
    eprintln!("SIGKILL ({backend:?}): {summary}");
    assert!(answers.iter().filter(|a| a.served()).count() > 0, "no load before the kill: {summary}");

    let before = backend.trail(dir);
    assert_audited(&answers, &before);
    let verified = cli(dir, backend, &["audit", "verify"]);
    assert!(verified.contains(&format!("audit: {} catatan, rantai utuh", before.len())), "{verified}");

    let dir_arg = dir.to_str().unwrap();
    let mut next =
        spawn_listening(&[&["serve", "--data-dir", dir_arg, "--listen", "127.0.0.1:0"], &backend.args()[..]].concat());
    let client = reqwest::blocking::Client::new();
    let fresh: Vec<Answer> = [Front::V1, Front::Compat, Front::V1]
        .into_iter()
        .map(|front| load::call(&client, front, &next.address, &node.login, &node.nik))
        .collect();
    assert!(fresh.iter().all(Answer::served), "the new node does not serve: {fresh:?}");
    assert!(terminate(&mut next.child).success());

    let after = backend.trail(dir);
    assert_audited(&fresh, &after);
    let last_before = before.values().map(|r| r.seq).max().unwrap_or(0);
    for answer in &fresh {
        let record = &after[answer.operation_id.as_deref().unwrap()];
        assert!(record.seq > last_before, "the new node's records follow the old chain: {record:?}");
    }
    let verified = cli(dir, backend, &["audit", "verify"]);
    assert!(verified.contains(&format!("audit: {} catatan, rantai utuh", before.len() + 3)), "{verified}");
}

#[test]
fn a_node_killed_under_load_on_postgresql_keeps_every_answer_audited() {
    let database = Database::create("gerbang_sigkill");
    let folder = tempfile::tempdir().unwrap();
    killed_under_load(folder.path(), Backend::Postgres(&database.url));
}

#[test]
fn a_node_killed_under_load_on_sqlite_keeps_every_answer_audited() {
    let folder = tempfile::tempdir().unwrap();
    killed_under_load(&folder.path().join("data"), Backend::Sqlite);
}

/// The server's resident memory, in KiB, from `/proc`.
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The bytes of every file in `dir` (the database, its audit file and
/// their write-ahead logs).
fn stored_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).unwrap().filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum()
}

fn median(mut samples: Vec<u64>) -> u64 {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Seconds of sustained load, sampled once a second; the first third
/// warms up (caches, the audit writer's buffers, SQLite's page cache).
const SUSTAINED_SECONDS: usize = 24;

/// Sustained load for a bounded time: after the warm-up the server's memory
/// grows no more than the data it stored (SQLite's page caches, up to
/// their fixed sizes, hold the new audit pages), not with the number of
/// requests; every answer has its record, and the chain verifies.
#[test]
fn sustained_load_keeps_memory_flat_and_every_answer_audited() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("data");
    let node = demo_node(&dir, Backend::Sqlite);
    let pid = node.running.child.id();
    let load = Load::start(&node.running.address, &node.login, &node.nik, CLIENTS);
    let mut samples = Vec::with_capacity(SUSTAINED_SECONDS);
    let mut served_at = Vec::with_capacity(SUSTAINED_SECONDS);
    let mut stored = Vec::with_capacity(SUSTAINED_SECONDS);
    for _ in 0..SUSTAINED_SECONDS {
        std::thread::sleep(Duration::from_secs(1));
        samples.push(resident_kib(pid));
        served_at.push(load.answers().len());
        stored.push(stored_bytes(&dir) / 1024);
    }
    let answers = load.finish();
    let third = SUSTAINED_SECONDS / 3;
    let (middle, last) = (median(samples[third..2 * third].to_vec()), median(samples[2 * third..].to_vec()));
    let last_calls = answers.len() - served_at[2 * third - 1];
    let grown_data = stored[SUSTAINED_SECONDS - 1].saturating_sub(stored[third]);
    eprintln!(
        "sustained load: {} calls; RSS median {middle} KiB in the middle third, {last} KiB in the last \
         ({last_calls} calls); data grew {grown_data} KiB; RSS samples {samples:?}",
        answers.len()
    );
    assert!(answers.iter().all(Answer::served), "{}", summarize(&answers));
    assert!(last_calls > 100, "the last third was under load: {last_calls} calls");
    // Flat: beyond the pages of new data, at most 8 MiB of slack.
    assert!(
        last <= middle + grown_data + 8 * 1024,
        "memory grew under load beyond the data stored: {middle} → {last} KiB, data +{grown_data} KiB ({samples:?})"
    );

    let mut running = node.running;
    assert!(terminate(&mut running.child).success());
    Backend::Sqlite.settle();
    let trail = Backend::Sqlite.trail(&dir);
    assert_audited(&answers, &trail);
    let verified = cli(&dir, Backend::Sqlite, &["audit", "verify"]);
    assert!(verified.contains("rantai utuh"), "{verified}");
}

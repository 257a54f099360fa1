//! An import killed outright (SIGKILL) at several moments: whatever the
//! moment, the partner's return data is either the whole file or nothing,
//! and importing the file afterwards stores every row exactly once.

use std::process::{Command, Stdio};
use std::time::Duration;

use gerbang_core::Nik;
use gerbang_core::audit::AuditRecord;
use serde_json::json;

use crate::gateway::{Gateway, code, nik_text};

/// Rows of the file, one per accessed resident.
const RESIDENTS: usize = 15_000;

#[tokio::test(flavor = "multi_thread")]
async fn an_import_killed_at_any_moment_is_all_or_nothing_and_a_rerun_stores_it_once() {
    let gateway = Gateway::start(RESIDENTS as u64 + 2_000).await;
    let (alive, ..) = gateway.residents().await;
    let residents: Vec<Nik> = alive.iter().take(RESIDENTS).map(|r| r.nik).collect();
    assert_eq!(residents.len(), RESIDENTS);
    // LPSK looked one resident up through the service; the trail holds the
    // same kind of record for the others (15,000 calls would only slow the test).
    let service = gateway.login("lpsk", "service");
    let answer = gateway.compat(&service, "CALL_NIK", json!({ "NIK": nik_text(residents[0]) })).await;
    assert_eq!(code(&answer), None, "{answer}");
    let model = gateway.store.audit_page(0, 10_000).await.unwrap().pop().unwrap().record;
    for (n, chunk) in residents[1..].chunks(2_000).enumerate() {
        let records = chunk
            .iter()
            .enumerate()
            .map(|(m, nik)| AuditRecord {
                operation_id: format!("{}-{n}-{m}", model.operation_id),
                resident: Some(gateway.state.access.hasher.key(*nik)),
                ..model.clone()
            })
            .collect();
        gateway.store.record_audit(records).await.unwrap();
    }
    let mut csv = String::from("NIK;NOMOR_REGISTER;NOMOR_SK_PARIPURNA\n");
    for (n, nik) in residents.iter().enumerate() {
        csv.push_str(&format!("{};REG-{n:05};SK-{n}/2024\n", nik_text(*nik)));
    }
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("data-balikan-lpsk.csv");
    std::fs::write(&file, csv).unwrap();
    let command = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gerbang"));
        command
            .args(["return-data", "import", "--partner", "lpsk", "--json", "--file", file.to_str().unwrap()])
            .arg("--data-dir")
            .arg(&gateway.dir)
            .env_remove("GERBANG_DATABASE_URL");
        command
    };
    let import = || command().stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let stored = || async {
        let mut total = 0;
        for nik in &residents {
            total += gateway.store.return_data_of(*nik).await.unwrap().len();
        }
        total
    };

    let mut killed_while_running = 0;
    for delay in [150, 400, 900, 1_600, 2_500] {
        let mut child = import();
        tokio::time::sleep(Duration::from_millis(delay)).await;
        if matches!(child.try_wait(), Ok(None)) {
            killed_while_running += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let seen = stored().await;
        assert!(seen == 0 || seen == RESIDENTS, "killed after {delay} ms: {seen} rows visible");
        if seen > 0 {
            break;
        }
    }
    assert!(killed_while_running >= 1, "no kill landed while the import ran");

    let rerun = command().output().unwrap();
    assert!(rerun.status.success(), "{}", &String::from_utf8_lossy(&rerun.stdout)[..4000.min(rerun.stdout.len())]);
    assert_eq!(stored().await, RESIDENTS, "the whole file, each row once");
    let batches = gateway.store.return_batches_of("lpsk").await.unwrap();
    assert!(batches.len() <= 2, "at most the killed run's commit and the rerun: {}", batches.len());
}

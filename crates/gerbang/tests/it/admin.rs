//! The administration commands, end to end: a scripted session from an
//! empty control plane to a terminated agreement, the refusals with their
//! stable codes, and `audit verify` / `audit who` on real trails, one of
//! them tampered with behind Gerbang's back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::DateTime;
use gerbang_core::access::Mechanism;
use gerbang_core::access::secret::{token_hash, verify_password};
use gerbang_core::audit::{AuditRecord, ChainLink, NikHasher, SealedRecord, hex, seal};
use gerbang_core::{Element, Nik};
use gerbang_store::Store;
use gerbang_store_sqlite::{OpenMode, SqliteStore};
use serde_json::Value;

use crate::support::{gerbang, stderr, stdout};

/// The committed example scope of BKN (seed 000).
const BKN_SCOPE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/demo/scopes/bkn.toml");

/// A fresh data folder with a small register and an empty control plane.
fn fresh() -> (tempfile::TempDir, PathBuf) {
    let keep = tempfile::tempdir().unwrap();
    let dir = keep.path().join("data");
    let output = gerbang(&dir, &["seed", "--residents", "50"]);
    assert!(output.status.success(), "{}", stderr(&output));
    (keep, dir)
}

/// Runs a command that must succeed and returns its standard output.
fn ok(dir: &Path, args: &[&str]) -> String {
    let output = gerbang(dir, args);
    assert!(output.status.success(), "{args:?} failed: {}", stderr(&output));
    stdout(&output)
}

/// Runs a command that must fail with `code` and returns its standard error.
fn fails(dir: &Path, args: &[&str], code: &str) -> String {
    let output = gerbang(dir, args);
    assert!(!output.status.success(), "{args:?} succeeded: {}", stdout(&output));
    let error = stderr(&output);
    assert!(error.starts_with(&format!("galat [{code}]: ")), "{args:?}: {error}");
    assert!(!error.contains("panicked"), "{error}");
    error
}

/// Runs `gerbang ARGS` with `input` on standard input.
fn with_stdin(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gerbang"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("GERBANG_CONFIG")
        .env_remove("GERBANG_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// The value of the `NAME: value` line.
fn line_value(text: &str, name: &str) -> String {
    let prefix = format!("{name}: ");
    text.lines().find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {name} in {text}")).to_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

async fn store(dir: &Path) -> SqliteStore {
    SqliteStore::open(&dir.join("gerbang.sqlite3"), OpenMode::MustExist).unwrap()
}

/// Providers, BKN and an agreement from the example scope: bkn-1.
fn set_up_bkn(dir: &Path) {
    assert_eq!(ok(dir, &["provider", "create", "dukcapil", "--name", "Ditjen Dukcapil"]), "dukcapil\n");
    let regional = ["provider", "create", "disdukcapil-3313", "--name", "Disdukcapil Kab. Karanganyar"];
    ok(dir, &[&regional[..], &["--regional", "3313"]].concat());
    let bkn = ["institution", "create", "bkn", "--provider", "dukcapil", "--name", "Badan Kepegawaian Negara"];
    ok(dir, &[&bkn[..], &["--instansi", "BKN", "--customer-id", "190920"]].concat());
    let created = ok(
        dir,
        &[
            "agreement",
            "create",
            "--institution",
            "bkn",
            "--provider-number",
            "119 / 7138 /DUKCAPIL",
            "--partner-number",
            "32/1/KS/IX/2019",
            "--signed-on",
            "2019-09-20",
            "--valid-from",
            "2019-09-20",
            "--valid-until",
            "2020-09-30",
            "--scope",
            BKN_SCOPE,
            "--return-schema",
            "bkn",
            "--obligation",
            "sptjm=2019-09-20",
            "--obligation",
            "semester_report=2019-12-31",
        ],
    );
    assert_eq!(created.lines().last(), Some("bkn-1"), "{created}");
}

#[tokio::test]
async fn a_scripted_session_from_provider_to_termination() {
    let (_keep, dir) = fresh();
    set_up_bkn(&dir);

    let created = ok(&dir, &["user", "create", "bkn-ws", "--institution", "bkn", "--role", "service"]);
    let (password, token) = (line_value(&created, "password"), line_value(&created, "token"));
    let piped = with_stdin(
        &dir,
        &[
            "user",
            "create",
            "bkn-op",
            "--institution",
            "bkn",
            "--role",
            "operator",
            "--password-stdin",
            "--nda-on",
            "2020-08-01",
        ],
        "kata-sandi-operator-bkn\n",
    );
    assert!(piped.status.success(), "{}", stderr(&piped));
    assert!(!stdout(&piped).contains("password:"), "a password read from stdin is not echoed");
    let operator_token = line_value(&stdout(&piped), "token");
    assert_eq!(ok(&dir, &["user", "set-quota", "bkn-ws", "5000"]), "bkn-ws: kuota harian 5000\n");
    ok(&dir, &["ip", "allow", "bkn", "10.20.0.0/16"]);
    assert_eq!(
        ok(&dir, &["ip", "allow", "bkn", "127.0.0.1", "--user", "bkn-ws"]),
        "bkn/bkn-ws: 127.0.0.1/32 diizinkan\n"
    );
    let extend = ["agreement", "extend", "bkn-1", "--number", "ADENDUM/bkn/2020", "--signed-on", "2020-09-01"];
    ok(&dir, &[&extend[..], &["--valid-until", "2030-12-31"]].concat());
    let terminate = ["agreement", "terminate", "bkn-1", "--effective-on", "2021-01-01", "--reason", "breach"];
    ok(&dir, &[&terminate[..], &["--note", "Kewajiban Pasal 2 ayat (2) tidak dilaksanakan"]].concat());

    // What the store now holds: hashes that verify the printed secrets.
    let plane = store(&dir).await.control_plane().await.unwrap();
    let service = plane.account("bkn-ws").unwrap();
    assert!(verify_password(&service.password_hash, &password));
    assert_eq!(service.token_hash.as_deref(), Some(token_hash(&token).as_str()));
    let operator = plane.account("bkn-op").unwrap();
    assert!(verify_password(&operator.password_hash, "kata-sandi-operator-bkn"));
    assert_eq!(operator.token_hash.as_deref(), Some(token_hash(&operator_token).as_str()));

    // The lists show every change.
    let providers = ok(&dir, &["provider", "list"]);
    assert!(providers.lines().any(|l| l.starts_with("disdukcapil-3313") && l.contains("daerah 3313")), "{providers}");
    let institutions = ok(&dir, &["institution", "list"]);
    assert!(institutions.lines().any(|l| l.starts_with("bkn ") && l.contains("BKN") && l.contains("190920")));
    let agreements = ok(&dir, &["agreement", "list", "--institution", "bkn"]);
    let row = agreements.lines().find(|l| l.starts_with("bkn-1")).unwrap();
    assert!(row.contains("2030-12-31") && row.ends_with("diakhiri"), "{agreements}");
    let shown = json(&ok(&dir, &["agreement", "show", "bkn-1", "--json"]));
    assert_eq!(shown["addenda"][0]["number"], "ADENDUM/bkn/2020");
    assert_eq!(shown["valid_through"], "2030-12-31");
    assert_eq!(shown["termination"]["reason"], "breach");
    assert_eq!(shown["status"], "diakhiri");
    assert_eq!(shown["scope"]["grant"][1]["mechanism"], "call_nik");
    assert_eq!(shown["scope"]["grant"][1]["after_match"], true);
    assert_eq!(shown["obligations"].as_array().unwrap().len(), 2);
    let text = ok(&dir, &["agreement", "show", "bkn-1"]);
    assert!(text.contains("nik_kk_check    web_service  -                    NIK, NO_KK"), "{text}");
    assert!(text.contains("PENGAKHIRAN") && text.contains("mulai 2021-01-01 (breach)"), "{text}");
    let users = json(&ok(&dir, &["user", "list", "--institution", "bkn", "--json"]));
    let service = users.as_array().unwrap().iter().find(|u| u["user_id"] == "bkn-ws").unwrap();
    assert_eq!((service["daily_quota"].as_u64(), service["role"].as_str()), (Some(5000), Some("service")));
    let listed = ok(&dir, &["user", "list"]);
    assert!(!listed.contains("argon2") && !listed.contains(&token_hash(&token)), "no secret in {listed}");
    let networks = json(&ok(&dir, &["ip", "list", "bkn", "--json"]));
    assert_eq!(networks.as_array().unwrap().len(), 2);
    assert!(networks.as_array().unwrap().iter().any(|n| n["network"] == "127.0.0.1/32" && n["user_id"] == "bkn-ws"));

    // Switches, and their effect on the lists.
    ok(&dir, &["institution", "deactivate", "bkn"]);
    assert!(json(&ok(&dir, &["institution", "list", "--json"]))[0]["active"] == false);
    ok(&dir, &["user", "disable", "bkn-op"]);
    let users = ok(&dir, &["user", "list"]);
    assert!(users.lines().any(|l| l.starts_with("bkn-op") && l.contains("tidak")), "{users}");
    ok(&dir, &["ip", "revoke", "bkn", "10.20.0.0/16"]);
    assert!(!ok(&dir, &["ip", "list"]).contains("10.20.0.0/16"));
    let reset = ok(&dir, &["user", "reset-password", "bkn-ws"]);
    let new_password = line_value(&reset, "password");
    let new_token = line_value(&ok(&dir, &["user", "issue-token", "bkn-ws"]), "token");
    let plane = store(&dir).await.control_plane().await.unwrap();
    let service = plane.account("bkn-ws").unwrap();
    assert!(
        verify_password(&service.password_hash, &new_password) && !verify_password(&service.password_hash, &password)
    );
    assert_eq!(service.token_hash.as_deref(), Some(token_hash(&new_token).as_str()));
}

#[test]
fn refusals_carry_their_codes() {
    let (keep, dir) = fresh();
    set_up_bkn(&dir);
    let duplicate = ["institution", "create", "bkn", "--provider", "dukcapil", "--name", "Lagi", "--instansi", "BKN2"];
    fails(&dir, &duplicate, "admin.exists");
    let agreement = |institution: &str, scope: &str| {
        vec![
            "agreement".to_owned(),
            "create".into(),
            "--institution".into(),
            institution.into(),
            "--provider-number".into(),
            "1/DUKCAPIL".into(),
            "--partner-number".into(),
            "2/MITRA".into(),
            "--signed-on".into(),
            "2024-01-10".into(),
            "--valid-from".into(),
            "2024-01-10".into(),
            "--valid-until".into(),
            "2025-01-09".into(),
            "--scope".into(),
            scope.into(),
        ]
    };
    let run = |args: Vec<String>, code: &str| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(&dir, &args, code)
    };
    run(agreement("tidak-ada", BKN_SCOPE), "admin.not_found");

    let unknown_element = keep.path().join("unknown.toml");
    std::fs::write(
        &unknown_element,
        "[[grant]]\nmechanism = \"call_nik\"\nchannels = [\"portal\"]\nelements = [\"NIK\", \"NAMA_PALSU\"]\n",
    )
    .unwrap();
    let error = run(agreement("bkn", unknown_element.to_str().unwrap()), "scope.parse");
    assert!(error.contains("NAMA_PALSU") && error.contains("baris 4"), "{error}");
    let malformed = keep.path().join("malformed.toml");
    std::fs::write(&malformed, "[[grant]\nmechanism = call_nik\n").unwrap();
    run(agreement("bkn", malformed.to_str().unwrap()), "scope.parse");
    let json_scope = keep.path().join("scope.json");
    std::fs::write(
        &json_scope,
        r#"{"grant": [{"mechanism": "photo", "channels": ["portal"], "elements": ["FOTO"]}], "x": 1}"#,
    )
    .unwrap();
    run(agreement("bkn", json_scope.to_str().unwrap()), "scope.parse");
    let empty = keep.path().join("empty.json");
    std::fs::write(&empty, r#"{"grant": []}"#).unwrap();
    run(agreement("bkn", empty.to_str().unwrap()), "scope.empty");
    run(agreement("bkn", keep.path().join("none.toml").to_str().unwrap()), "scope.file");

    let karanganyar = ["--provider", "disdukcapil-3313", "--name", "BPBD Kabupaten Karanganyar", "--instansi", "BPBD"];
    ok(&dir, &[&["institution", "create", "bpbd"][..], &karanganyar].concat());
    let created = gerbang(&dir, &["user", "create", "bpbd-op", "--institution", "bpbd", "--role", "operator"]);
    assert!(created.status.success(), "{}", stderr(&created));
    assert!(stderr(&created).contains("nonaktif sampai NDA dicatat"), "{}", stderr(&created));
    fails(&dir, &["user", "enable", "bpbd-op"], "admin.nda_missing");
    fails(&dir, &["user", "nda", "bpbd-op", "--signed-on", "2999-01-01"], "admin.nda_in_future");
    assert_eq!(
        ok(&dir, &["user", "nda", "bpbd-op", "--signed-on", "2022-11-10"]),
        "bpbd-op: NDA tercatat 2022-11-10\n"
    );
    assert_eq!(ok(&dir, &["user", "enable", "bpbd-op"]), "bpbd-op: aktif\n");
    fails(&dir, &["user", "set-quota", "bpbd-op", "2000"], "admin.national_approval_required");
    ok(&dir, &["user", "set-quota", "bpbd-op", "900"]);
    ok(&dir, &["user", "set-quota", "bpbd-op", "2000", "--national-approval", "B/123/DUKCAPIL/2025"]);
    let users = json(&ok(&dir, &["user", "list", "--institution", "bpbd", "--json"]));
    assert_eq!(users[0]["quota_approval"], "B/123/DUKCAPIL/2025");
    fails(&dir, &["user", "create", "bpbd-op", "--institution", "bpbd", "--role", "operator"], "admin.exists");
    fails(
        &dir,
        &["user", "create", "x-admin", "--institution", "bpbd", "--role", "provider-admin"],
        "admin.role_mismatch",
    );
    fails(&dir, &["user", "disable", "siapa"], "admin.not_found");
    let short = with_stdin(&dir, &["user", "reset-password", "bpbd-op", "--password-stdin"], "pendek\n");
    assert!(stderr(&short).starts_with("galat [secret.password_too_short]"), "{}", stderr(&short));

    let shorter = ["agreement", "extend", "bkn-1", "--number", "ADENDUM/1", "--signed-on", "2020-01-01"];
    fails(&dir, &[&shorter[..], &["--valid-until", "2020-06-30"]].concat(), "admin.dates");
    fails(&dir, &["ip", "allow", "bkn", "10.0.0.300"], "ip.invalid");
    fails(&dir, &["ip", "revoke", "bkn", "10.0.0.0/8"], "admin.network");
    fails(&dir, &["provider", "create", "x", "--name", "X", "--regional", "9999"], "provider.unknown_region");
    fails(&dir, &["provider", "create", "Dukcapil Pusat", "--name", "X"], "admin.invalid_handle");
    fails(&dir, &["audit", "who", "3313013102850001"], "nik.invalid_date");

    let bad_date = gerbang(&dir, &["agreement", "terminate", "bkn-1", "--effective-on", "31-12-2025"]);
    assert_eq!(bad_date.status.code(), Some(2), "a usage error: {}", stderr(&bad_date));
    let terminate = ["agreement", "terminate", "bkn-1", "--effective-on", "2021-01-01", "--reason", "consent"];
    ok(&dir, &[&terminate[..], &["--note", "Kesepakatan para pihak"]].concat());
    fails(&dir, &[&terminate[..], &["--note", "Lagi"]].concat(), "admin.already_terminated");
}

#[test]
fn an_empty_trail_verifies() {
    let (_keep, dir) = fresh();
    assert_eq!(ok(&dir, &["audit", "verify"]), "audit: 0 catatan, rantai utuh\n");
}

#[test]
fn admin_commands_do_not_create_a_database() {
    let folder = tempfile::tempdir().unwrap();
    let missing = folder.path().join("none");
    fails(&missing, &["provider", "list"], "store.unavailable");
    assert!(!missing.exists());
}

/// A record of an access by BKN's operator; about `resident` when given.
fn access(n: i64, resident: Option<gerbang_core::audit::ResidentKey>) -> AuditRecord {
    AuditRecord {
        operation_id: format!("op-{n}"),
        at: DateTime::from_timestamp(1_750_000_000 + n * 60, 0).unwrap(),
        interface: "portal".into(),
        institution: Some("bkn".into()),
        user_id: Some("bkn-op".into()),
        source_ip: "127.0.0.1".parse().unwrap(),
        mechanism: Some(Mechanism::CallNik),
        resident,
        elements: vec![Element::Nik, Element::NamaLengkap],
        outcome: "resident.found".into(),
        latency_us: 800,
        charged: false,
    }
}

#[tokio::test]
async fn a_row_altered_in_the_database_breaks_the_chain_at_that_record() {
    let (_keep, dir) = fresh();
    let nik = "3313011205850001";
    let last = {
        let store = store(&dir).await;
        let resident = NikHasher::new(store.installation_key().await.unwrap()).key(Nik::parse(nik).unwrap());
        let mut sealed: Vec<SealedRecord> = Vec::new();
        for n in 1..=4 {
            let prev = sealed.last().map(|s| ChainLink { seq: s.seq, hash: s.hash });
            sealed.push(seal(prev.as_ref(), access(n, (n % 2 == 1).then_some(resident))));
        }
        let last = sealed[3].hash;
        store.append_audit(sealed).await.unwrap();
        last
    };
    assert_eq!(
        ok(&dir, &["audit", "verify"]),
        format!("audit: 4 catatan, rantai utuh (terakhir #4 {})\n", hex(&last[..4]))
    );

    let who = ok(&dir, &["audit", "who", nik]);
    let rows: Vec<&str> = who.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{who}");
    assert!(rows.iter().all(|r| r.contains("bkn-op") && r.contains("call_nik") && r.ends_with("NIK,NAMA_LGKP")));
    assert!(who.lines().next().unwrap().starts_with("WAKTU_WIB"));
    assert!(!who.contains(nik), "the NIK is not echoed");
    let listed = json(&ok(&dir, &["audit", "who", nik, "--json"]));
    assert_eq!(listed.as_array().unwrap().iter().map(|r| r["seq"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(listed[0]["outcome"], "resident.found");
    assert_eq!(ok(&dir, &["audit", "who", "3313011205850002", "--json"]), "[]\n");

    let connection = rusqlite::Connection::open(dir.join("gerbang.audit.sqlite3")).unwrap();
    assert_eq!(connection.execute("update audit_trail set outcome = 'x' where seq = 2", []).unwrap(), 1);
    drop(connection);
    let error = fails(&dir, &["audit", "verify"], "audit.chain_broken");
    assert!(error.contains("catatan audit 2 "), "{error}");
}

#[tokio::test]
async fn retention_removes_old_months_and_verify_starts_from_the_anchor() {
    let (_keep, dir) = fresh();
    let last = {
        let store = store(&dir).await;
        // June 2025: long before any month `retain` keeps.
        let sealed = gerbang_core::audit::seal_all(None, (1..=4).map(|n| access(n, None)).collect());
        let last = sealed[3].hash;
        store.append_audit(sealed).await.unwrap();
        last
    };
    let anchor = format!("#4 {}", hex(&last[..4]));
    let refused = gerbang(&dir, &["audit", "retain", "--months", "0"]);
    assert_eq!(refused.status.code(), Some(2), "keeping no month at all is refused");
    let removed = ok(&dir, &["audit", "retain", "--months", "1"]);
    assert!(removed.starts_with("audit: 4 catatan sebelum "), "{removed}");
    assert!(removed.contains(&format!("rantai kini dimulai setelah {anchor}")), "{removed}");
    assert_eq!(ok(&dir, &["audit", "verify"]), format!("audit: 0 catatan, rantai utuh (dimulai setelah {anchor})\n"));
    assert!(ok(&dir, &["audit", "retain", "--months", "1"]).contains("tidak ada yang dihapus"));

    // The chain goes on from the anchor.
    let store = store(&dir).await;
    assert_eq!(store.record_audit(vec![access(5, None)]).await.unwrap(), [5]);
    drop(store);
    let verified = ok(&dir, &["audit", "verify"]);
    assert!(verified.starts_with("audit: 1 catatan, rantai utuh (terakhir #5 "), "{verified}");
    assert!(verified.ends_with(&format!("dimulai setelah {anchor})\n")), "{verified}");
}

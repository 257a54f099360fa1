//! The portal in a real browser: starts the gateway, then runs
//! `tests/browser/portal.mjs` (Playwright driving Debian's Chromium,
//! headless, at 1366×768) against it. Screenshots of the main pages land in
//! `target/screenshots/` for CI to keep. `scripts/test.sh` installs Chromium
//! and the script's one npm package; without them this test fails and says
//! how to get them.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::gateway::{Gateway, nik_text};
use crate::portal::admin_password;

const CHROMIUM: &str = "/usr/bin/chromium";

fn script_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn screenshots() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("screenshots")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_partner_administrators_and_a_registry_administrator_in_chromium() {
    let folder = script_folder();
    assert!(
        Path::new(CHROMIUM).exists() && folder.join("node_modules/playwright-core").exists(),
        "the browser test needs Debian's Chromium ({CHROMIUM}) and Playwright: run `bash scripts/test.sh`, or \
         `apt-get install chromium` and `npm ci --prefix {}`",
        folder.display()
    );
    let gateway = Gateway::start(300).await;
    let (alive, ..) = gateway.residents().await;
    let operator = gateway.login("bpbd-karanganyar", "operator");
    let partner_admin = gateway.login("bpbd-karanganyar", "partner_admin");
    let other_partner_admin = gateway.login("kemenpppa", "partner_admin");
    let config = json!({
        "base": gateway.base,
        "chromium": CHROMIUM,
        "screenshots": screenshots(),
        "operator": { "user_id": operator.user_id, "password": operator.password },
        "admin": { "user_id": "admin-karanganyar", "password": admin_password(&gateway, "admin-karanganyar") },
        "national": { "user_id": "admin-dukcapil", "password": admin_password(&gateway, "admin-dukcapil") },
        "partner_admin": { "user_id": partner_admin.user_id, "password": partner_admin.password },
        "other_partner_admin": { "user_id": other_partner_admin.user_id, "password": other_partner_admin.password },
        "service_user_id": gateway.login("bpbd-karanganyar", "service").user_id,
        "nik": nik_text(alive[0].nik),
        "full_name": alive[0].full_name,
        "granted": ["NO_KK", "NIK", "NAMA_LGKP", "JENIS_KLMIN", "TMPT_LHR", "TGL_LHR", "JENIS_PKRJN", "STATUS_KAWIN", "ALAMAT"],
    });
    let config_path = gateway.dir.join("browser.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let script = folder.join("portal.mjs");
    let node = move || std::process::Command::new("node").arg(script).arg(config_path).current_dir(folder).output();
    let output = tokio::task::spawn_blocking(node).await.unwrap().expect("node (Node.js) must be installed");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "the browser journey failed:\n{said}");
    assert!(said.contains("every check passed"), "{said}");
    let pages = [
        "01-masuk",
        "03-hasil-call-nik",
        "04-kuota-habis",
        "06-konsol-perjanjian",
        "07-akses-ditolak",
        "11-mitra",
        "12-konsol-permintaan",
        "17-fasilitasi-mitra",
        "18-konsol-fasilitasi",
    ];
    for page in pages {
        let shot = screenshots().join(format!("{page}.png"));
        let bytes = std::fs::read(&shot).unwrap_or_else(|_| panic!("no screenshot {}", shot.display()));
        assert!(bytes.starts_with(b"\x89PNG"), "{} is a PNG", shot.display());
    }
    // The journey's own record: 1,000 answered calls and the refused 1,001st.
    let trail = gateway.store.audit_page(0, 5_000).await.unwrap();
    let calls: Vec<_> =
        trail.iter().filter(|s| s.record.user_id.as_deref() == Some(operator.user_id.as_str())).collect();
    let answered = calls.iter().filter(|s| s.record.outcome == "resident.found" && s.record.charged).count();
    let exhausted = calls.iter().filter(|s| s.record.outcome == "access.quota_exhausted").count();
    assert_eq!((answered, exhausted), (1_000, 1));
    assert!(calls.iter().any(|s| s.record.outcome == "access.no_agreement_in_force"), "the refused page load");
}

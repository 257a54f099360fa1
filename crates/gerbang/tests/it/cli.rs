//! The command line, end to end: seed, resident show, bad input.

use gerbang_core::Nik;
use gerbang_store::Store;
use gerbang_store_sqlite::{OpenMode, SqliteStore};

use crate::support::{gerbang, samples, seeded, stderr, stdout};

#[test]
fn seed_prints_samples_that_resident_show_finds() {
    let seeded = seeded();
    assert!(
        seeded.output.contains("Selesai: 5.000 penduduk") || seeded.output.contains("Selesai: 5,000 penduduk"),
        "{}",
        seeded.output
    );
    let (niks, cards) = samples(&seeded.output);
    assert!(niks.len() >= 5 && cards.len() >= 5, "{}", seeded.output);
    for nik in &niks {
        let output = gerbang(&seeded.dir, &["resident", "show", nik]);
        assert!(output.status.success(), "{}", stderr(&output));
        let shown = stdout(&output);
        assert!(shown.contains("NIK  ") && shown.contains(nik.as_str()), "{shown}");
        for element in ["NAMA_LGKP", "JENIS_KLMIN", "TGL_LHR", "NO_KK", "ALAMAT", "KAB_NAME", "STATUS"] {
            assert!(shown.lines().any(|l| l.starts_with(element)), "{element} missing in {shown}");
        }
    }
}

#[tokio::test]
async fn the_seeded_register_is_consistent() {
    let seeded = seeded();
    let store = SqliteStore::open(&seeded.dir.join("gerbang.sqlite3"), OpenMode::MustExist).unwrap();
    let health = store.register_health().await.unwrap();
    assert_eq!(health.residents, 5_000);
    assert_eq!(health.families_without_one_head, 0, "each NO_KK has exactly one KEPALA KELUARGA");
    assert_eq!(health.empty_families, 0);
    let mut after = None;
    let mut seen = 0;
    loop {
        let page = store.residents_after(after, 1_000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.nik);
        for resident in &page {
            seen += 1;
            assert_eq!(Nik::parse(&resident.nik.to_string()), Ok(resident.nik));
            assert!(resident.nik.encodes(resident.birth_date, resident.sex));
            let household = store.household(resident.no_kk).await.unwrap().expect("the card exists");
            assert!(household.members.iter().any(|m| m.nik == resident.nik));
        }
    }
    assert_eq!(seen, 5_000);
}

#[test]
fn resident_show_prints_json_for_scripts() {
    let seeded = seeded();
    let (niks, _) = samples(&seeded.output);
    let output = gerbang(&seeded.dir, &["resident", "show", &niks[0], "--json"]);
    let record: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(record["elements"]["NIK"].as_u64().map(|n| n.to_string()), Some(niks[0].clone()));
    assert!(record["active"].is_boolean() && record["deceased"].is_boolean());
}

#[test]
fn the_same_seed_reproduces_the_same_register() {
    let folder = tempfile::tempdir().unwrap();
    let run = |name: &str| stdout(&gerbang(&folder.path().join(name), &["seed", "--residents", "5000", "--seed", "7"]));
    let sample_lines = |text: &str| samples(text);
    assert_eq!(sample_lines(&run("again")), sample_lines(&seeded().output));
}

#[test]
fn bad_seed_sizes_fail_clearly() {
    let folder = tempfile::tempdir().unwrap();
    let zero = gerbang(folder.path(), &["seed", "--residents", "0"]);
    assert!(!zero.status.success());
    assert!(stderr(&zero).contains("galat [seed.empty]"), "{}", stderr(&zero));
    let absurd = gerbang(folder.path(), &["seed", "--residents", "1000000000000"]);
    assert!(!absurd.status.success());
    assert!(stderr(&absurd).contains("galat [seed.too_many]"));
    let letters = gerbang(folder.path(), &["seed", "--residents", "banyak"]);
    assert_eq!(letters.status.code(), Some(2), "usage error");
    assert!(!stderr(&letters).contains("panicked"));
}

#[test]
fn seeding_twice_needs_replace() {
    let folder = tempfile::tempdir().unwrap();
    assert!(gerbang(folder.path(), &["seed", "--residents", "50"]).status.success());
    let again = gerbang(folder.path(), &["seed", "--residents", "50"]);
    assert!(stderr(&again).contains("galat [seed.not_empty]"), "{}", stderr(&again));
    let replaced = gerbang(folder.path(), &["seed", "--residents", "60", "--replace"]);
    assert!(replaced.status.success(), "{}", stderr(&replaced));
    assert!(stdout(&replaced).contains("60 penduduk"));
}

#[test]
fn an_unwritable_data_folder_fails_clearly() {
    let folder = tempfile::tempdir().unwrap();
    let blocker = folder.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let output = gerbang(&blocker.join("data"), &["seed", "--residents", "10"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("galat [store.unavailable]"), "{}", stderr(&output));
}

#[test]
fn a_corrupted_database_fails_clearly() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("gerbang.sqlite3"), vec![0x42; 8192]).unwrap();
    let output = gerbang(folder.path(), &["resident", "show", "3313011205850001"]);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("galat [store.corrupt]"), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"));
}

#[test]
fn malformed_niks_say_which_rule_failed() {
    let seeded = seeded();
    for (nik, code) in [
        ("33130112058500AB", "nik.not_digits"),
        ("331301120585001", "nik.length"),
        ("3313013102850001", "nik.invalid_date"),
        ("9999011205850001", "nik.unknown_district"),
    ] {
        let output = gerbang(&seeded.dir, &["resident", "show", nik]);
        assert!(!output.status.success());
        assert!(stderr(&output).contains(&format!("galat [{code}]")), "{nik}: {}", stderr(&output));
    }
}

#[test]
fn a_missing_register_is_not_created_by_resident_show() {
    let folder = tempfile::tempdir().unwrap();
    let output = gerbang(&folder.path().join("none"), &["resident", "show", "3313011205850001"]);
    assert!(stderr(&output).contains("galat [store.unavailable]"));
    assert!(!folder.path().join("none").exists());
}

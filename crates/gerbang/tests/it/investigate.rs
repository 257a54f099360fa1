//! `gerbang investigate leak FILE` against a gateway's real trail: LPSK's
//! service account retrieved twelve residents, KemenPPPA verified four (two
//! of them among LPSK's), BKN was refused one. A leaked file holding LPSK's
//! twelve and two residents nobody accessed names LPSK first, with ten
//! residents only LPSK accessed, then KemenPPPA; BKN, whose call let
//! nothing leave, is not named.

use serde_json::{Value, json};

use crate::gateway::{Gateway, nik_text};
use crate::support::{gerbang, stderr, stdout};

#[tokio::test]
async fn a_leaked_file_is_traced_to_the_partner_whose_accesses_cover_it() {
    let gateway = Gateway::start(80).await;
    let (alive, ..) = gateway.residents().await;
    let lpsk = gateway.login("lpsk", "service");
    for resident in &alive[..12] {
        let (status, _, answer) = gateway.v1(&lpsk, "call-nik", json!({"nik": nik_text(resident.nik)})).await;
        assert_eq!(status, 200, "{answer}");
    }
    let kemenpppa = gateway.login("kemenpppa", "service");
    for resident in &alive[10..14] {
        let body = json!({"nik": nik_text(resident.nik), "elements": {"NAMA_LGKP": resident.full_name}});
        let (status, _, answer) = gateway.v1(&kemenpppa, "verify-by-elements", body).await;
        assert_eq!(status, 200, "{answer}");
    }
    let bkn = gateway.login("bkn", "service");
    let (status, _, _) = gateway.v1(&bkn, "call-nik", json!({"nik": nik_text(alive[0].nik)})).await;
    assert_eq!(status, 403, "BKN may retrieve only after a 'ditemukan'");

    let mut leaked = String::from("no;nik;nama\n");
    for (n, resident) in alive[..12].iter().chain(&alive[40..42]).enumerate() {
        leaked.push_str(&format!("{n};'{};{}\n", nik_text(resident.nik), resident.full_name));
    }
    leaked.push_str("baris rusak tanpa nomor\n");
    let file = gateway.dir.join("bocor.csv");
    std::fs::write(&file, leaked).unwrap();
    let output = gerbang(&gateway.dir, &["investigate", "leak", file.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["leaked"], 14);
    assert_eq!(report["lines_without_nik"], 2, "the header and the broken line");
    let suspects = report["suspects"].as_array().unwrap();
    let first = &suspects[0];
    assert_eq!((first["institution"].as_str(), first["user_id"].as_str()), (Some("lpsk"), None));
    assert_eq!((first["covered"].as_u64(), first["exclusive"].as_u64()), (Some(12), Some(10)));
    assert_eq!(first["evidence"].as_array().unwrap().len(), 5);
    assert_eq!(suspects[1]["user_id"], lpsk.user_id.as_str());
    let kemenpppa_row = suspects.iter().find(|s| s["institution"] == "kemenpppa" && s["user_id"].is_null()).unwrap();
    assert_eq!((kemenpppa_row["covered"].as_u64(), kemenpppa_row["exclusive"].as_u64()), (Some(2), Some(0)));
    assert!(suspects.iter().all(|s| s["institution"] != "bkn"), "a refused call lets nothing leave");

    let table = gerbang(&gateway.dir, &["investigate", "leak", file.to_str().unwrap()]);
    let text = stdout(&table);
    assert!(text.contains("Berkas bocor: 14 NIK sah") && text.contains("12 (85.7 %)"), "{text}");
    let empty = gateway.dir.join("kosong.csv");
    std::fs::write(&empty, "nama\nbudi\n").unwrap();
    let refused = gerbang(&gateway.dir, &["investigate", "leak", empty.to_str().unwrap()]);
    assert!(!refused.status.success() && stderr(&refused).contains("[investigate.no_nik]"));
}

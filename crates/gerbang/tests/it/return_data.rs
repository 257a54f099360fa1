//! Return data (SPEC.md §5) end to end, for each seed partner's schema:
//! the compatible store API and `POST /api/v1/return-data` on the real
//! server, and the CLI's import of a LibreOffice-made workbook. A row is
//! accepted only after the partner accessed the NIK through the server; a
//! resubmission is "Data sudah pernah dikirim" and stores nothing new.

use gerbang_core::Nik;
use serde_json::{Value, json};

use crate::gateway::{Gateway, Login, code, nik_text};
use crate::support::{gerbang, soffice, stderr, stdout};

/// Institution code, schema values of one row (column, value).
fn partners() -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    vec![
        ("bkn", vec![("NIP", "198005122005011001"), ("STATUS_KEPEGAWAIAN", "PNS"), ("KEDUDUKAN_HUKUM", "AKTIF")]),
        (
            "pemasyarakatan",
            vec![
                ("NOMOR_IDENTITAS", "WBP-2023-001"),
                ("JENIS_IDENTITAS", "WBP"),
                ("STATUS_WBP", "AKTIF"),
                ("LOKASI_LAPAS", "LAPAS KELAS I SEMARANG"),
                ("TANGGAL_MUTASI", "17-05-2023"),
                ("SIDIK_JARI", "FP-TPL-0001"),
            ],
        ),
        ("lpsk", vec![("NOMOR_REGISTER", "REG-2020-001"), ("NOMOR_SK_PARIPURNA", "SK-12/2020")]),
        ("kemenpppa", vec![("NOMOR_REGISTRASI_KASUS", "KASUS-2023-7")]),
        ("bpbd-karanganyar", vec![("ID_PENERIMA_BANTUAN", "BNT-1"), ("JENIS_BANTUAN", "SEMBAKO")]),
    ]
}

/// The partner looks the NIK up through the real server, with a mechanism
/// its agreement grants: CALL_NIK on the compatible service (BKN after its
/// NIK + KK check) or call NIK in the portal's channel.
async fn access(gateway: &Gateway, institution: &str, nik: Nik, no_kk: u64) {
    match institution {
        "bkn" | "lpsk" => {
            let service = gateway.login(institution, "service");
            if institution == "bkn" {
                let body = json!({ "nik": nik_text(nik), "no_kk": format!("{no_kk:016}") });
                assert_eq!(gateway.v1(&service, "nik-kk-check", body).await.0, 200);
            }
            let answer = gateway.compat(&service, "CALL_NIK", json!({ "NIK": nik_text(nik) })).await;
            assert_eq!(code(&answer), None, "{institution}: {answer}");
        }
        _ => {
            let operator = gateway.login(institution, "operator");
            let (status, _, body) = gateway.v1(&operator, "call-nik", json!({ "nik": nik_text(nik) })).await;
            assert_eq!(status, 200, "{institution}: {body}");
        }
    }
}

async fn store_api(gateway: &Gateway, login: &Login, body: String) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/dukcapil/data_balikan", gateway.base))
        .bearer_auth(&login.token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn compat_body(customer_id: u64, name: &str, nik: Nik, values: &[(&str, &str)]) -> String {
    let param: Vec<Value> = values.iter().map(|(k, v)| json!({ *k: v })).collect();
    json!([{ "id_lembaga": customer_id, "nama_lembaga": name, "data": [{ "NIK": nik_text(nik), "param": param }] }])
        .to_string()
}

async fn stored_rows(gateway: &Gateway, nik: Nik) -> usize {
    gateway.store.return_data_of(nik).await.unwrap().len()
}

#[tokio::test]
async fn every_partner_sends_return_data_through_the_compatible_store_api() {
    let gateway = Gateway::start(400).await;
    let (alive, ..) = gateway.residents().await;
    let plane = gateway.plane().await;
    for (index, (institution, values)) in partners().into_iter().enumerate() {
        let resident = &alive[10 + index];
        let service = gateway.login(institution, "service");
        let partner = plane.institution(institution).unwrap();
        let body = compat_body(partner.customer_id.unwrap(), &partner.name, resident.nik, &values);

        let (status, answer) = store_api(&gateway, &service, body.clone()).await;
        assert_eq!(status, 400, "{institution}: never accessed");
        assert!(answer["message"].as_str().unwrap().contains("tidak pernah diakses"), "{answer}");
        assert_eq!(stored_rows(&gateway, resident.nik).await, 0);

        access(&gateway, institution, resident.nik, resident.no_kk.value()).await;
        let (status, answer) = store_api(&gateway, &service, body.clone()).await;
        assert_eq!((status, answer), (200, json!({ "message": "Success" })), "{institution}");
        let (status, answer) = store_api(&gateway, &service, body).await;
        assert_eq!((status, answer), (400, json!({ "message": "Data sudah pernah dikirim" })), "{institution}");

        let rows = gateway.store.return_data_of(resident.nik).await.unwrap();
        assert_eq!(rows.len(), 1, "{institution}: the resubmission stored nothing");
        assert_eq!(rows[0].institution, institution);
        assert_eq!(rows[0].values[0], (values[0].0.to_owned(), values[0].1.to_owned()));
    }
    // The trail holds every intake, none with a resident or a mechanism.
    let records = gateway.store.audit_page(0, 10_000).await.unwrap();
    let intakes: Vec<&str> = records
        .iter()
        .filter(|r| r.record.outcome.starts_with("return_data."))
        .map(|r| r.record.outcome.as_str())
        .collect();
    assert_eq!(intakes.iter().filter(|o| **o == "return_data.stored").count(), 5);
    assert_eq!(intakes.iter().filter(|o| **o == "return_data.already_sent").count(), 5);
    assert_eq!(intakes.iter().filter(|o| **o == "return_data.rejected").count(), 5);
}

#[tokio::test]
async fn the_store_api_refuses_strangers_other_institutions_and_bad_json() {
    let gateway = Gateway::start(200).await;
    let (alive, ..) = gateway.residents().await;
    let lpsk = gateway.login("lpsk", "service");
    let bkn_id = gateway.plane().await.institution("bkn").unwrap().customer_id.unwrap();
    let body = compat_body(bkn_id, "BKN", alive[0].nik, &[("NOMOR_REGISTER", "R-1"), ("NOMOR_SK_PARIPURNA", "S")]);
    let (status, answer) = store_api(&gateway, &lpsk, body.clone()).await;
    assert_eq!(status, 403);
    assert_eq!(answer["message"], "Data balikan hanya boleh dikirim untuk lembaga Anda sendiri");

    let stranger = Login { token: "gb_bukan-token".into(), ..lpsk.clone() };
    assert_eq!(store_api(&gateway, &stranger, body).await.0, 401);

    let (status, answer) = store_api(&gateway, &lpsk, "[{\"id_lembaga\": ".into()).await;
    assert_eq!(status, 400);
    assert!(answer["message"].as_str().unwrap().starts_with("Format JSON tidak valid"), "{answer}");
}

#[tokio::test]
async fn the_v1_api_reports_row_by_row_for_every_partner() {
    let gateway = Gateway::start(400).await;
    let (alive, ..) = gateway.residents().await;
    for (index, (institution, values)) in partners().into_iter().enumerate() {
        let (accessed, never) = (&alive[20 + index], &alive[40 + index]);
        access(&gateway, institution, accessed.nik, accessed.no_kk.value()).await;
        let row = |nik: Nik| {
            let mut row: serde_json::Map<String, Value> =
                values.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
            row.insert("NIK".into(), json!(nik_text(nik)));
            Value::Object(row)
        };
        let service = gateway.login(institution, "service");
        let all = json!({ "rows": [row(accessed.nik), row(never.nik)] });
        let (status, _, report) = gateway.v1(&service, "return-data", all.clone()).await;
        assert_eq!(status, 422, "{institution}: all-or-nothing with a rejected row: {report}");
        assert_eq!((report["stored"].as_bool(), report["rejected"].as_u64()), (Some(false), Some(1)));
        assert_eq!(report["rejected_rows"][0]["row"], 2);
        assert_eq!(report["rejected_rows"][0]["problems"][0]["code"], "return.not_accessed");
        assert_eq!(stored_rows(&gateway, accessed.nik).await, 0);

        let rows = json!({ "mode": "rows", "rows": [row(accessed.nik), row(never.nik)] });
        let (status, _, report) = gateway.v1(&service, "return-data", rows.clone()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!((report["accepted"].as_u64(), report["rejected"].as_u64()), (Some(1), Some(1)));
        assert_eq!(report["institution"], institution);
        let (_, _, again) = gateway.v1(&service, "return-data", rows).await;
        assert_eq!((again["accepted"].as_u64(), again["already_sent"].as_u64()), (Some(0), Some(1)));
        assert_eq!(stored_rows(&gateway, accessed.nik).await, 1);
    }
    let bad =
        gateway.v1(&gateway.login("lpsk", "service"), "return-data", json!({ "mode": "semua", "rows": [] })).await;
    assert_eq!((bad.0, bad.2["code"].as_str()), (400, Some("input.body")));
    let openapi: Value =
        reqwest::get(format!("{}/api/v1/openapi.json", gateway.base)).await.unwrap().json().await.unwrap();
    assert!(openapi["paths"]["/api/v1/return-data"]["post"].is_object());
}

#[tokio::test]
async fn the_cli_imports_libreoffice_workbooks_of_every_partner() {
    let gateway = Gateway::start(400).await;
    let (alive, ..) = gateway.residents().await;
    let work = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (index, (institution, values)) in partners().into_iter().enumerate() {
        let resident = &alive[60 + index];
        access(&gateway, institution, resident.nik, resident.no_kk.value()).await;
        let header: Vec<&str> = values.iter().map(|(k, _)| *k).collect();
        let cells: Vec<&str> = values.iter().map(|(_, v)| *v).collect();
        let csv = format!(
            "DATA BALIKAN {institution}\n\nNIK;{}\n{};{}\n;\n",
            header.join(";"),
            nik_text(resident.nik),
            cells.join(";")
        );
        files.push((institution.to_owned(), csv));
    }
    let workbooks = soffice(work.path(), &files, "xlsx");
    for (index, (institution, values)) in partners().into_iter().enumerate() {
        let file = workbooks[index].to_str().unwrap();
        let output = gerbang(&gateway.dir, &["return-data", "import", "--partner", institution, "--file", file]);
        assert!(output.status.success(), "{institution}: {}", stderr(&output));
        assert!(stdout(&output).contains("1 baris dibaca, 1 diterima"), "{}", stdout(&output));
        let again = gerbang(&gateway.dir, &["return-data", "import", "--partner", institution, "--file", file]);
        assert!(stdout(&again).contains("Data sudah pernah dikirim"), "{}", stdout(&again));
        let nik = nik_text(alive[60 + index].nik);
        let shown = gerbang(&gateway.dir, &["return-data", "show", &nik]);
        assert!(stdout(&shown).contains(values[0].1), "{}", stdout(&shown));
        assert_eq!(stored_rows(&gateway, alive[60 + index].nik).await, 1);
    }

    // A NIK BPBD never accessed: all-or-nothing stores nothing, says why,
    // and hands back the rejected rows.
    let never = &alive[90];
    let csv = format!("NIK;ID_PENERIMA_BANTUAN;JENIS_BANTUAN\n{};BNT-9;SEMBAKO\n", nik_text(never.nik));
    let workbook = soffice(work.path(), &[("asing".to_owned(), csv)], "ods").remove(0);
    let report = work.path().join("ditolak.xlsx");
    let output = gerbang(
        &gateway.dir,
        &[
            "return-data",
            "import",
            "--partner",
            "bpbd-karanganyar",
            "--file",
            workbook.to_str().unwrap(),
            "--mode",
            "all",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    assert!(stderr(&output).contains("return_data.rejected"), "{}", stderr(&output));
    assert!(stdout(&output).contains("baris 2: NIK: NIK ini tidak pernah diakses"), "{}", stdout(&output));
    assert!(report.is_file());
    assert_eq!(stored_rows(&gateway, never.nik).await, 0);

    // Each import is in the trail, by the registry's CLI on the partner's behalf.
    let records = gateway.store.audit_page(0, 10_000).await.unwrap();
    let imports: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r.record.interface == "cli")
        .map(|r| (r.record.institution.as_deref().unwrap(), r.record.outcome.as_str()))
        .collect();
    assert_eq!(imports.len(), 11, "{imports:?}");
    assert!(imports.contains(&("bpbd-karanganyar", "return_data.rejected")));
    assert_eq!(imports.iter().filter(|(_, o)| *o == "return_data.already_sent").count(), 5);

    // A schema defined without code: a JSON file.
    let file = work.path().join("dinsos.json");
    let schema = json!({"name": "dinsos", "title": "Data balikan Dinas Sosial", "field": [
        {"column": "NOMOR_KPM", "label": "Nomor keluarga penerima manfaat", "type": "digits", "length": 12},
        {"column": "TAHUN", "label": "Tahun", "type": "integer", "min": 2000, "max": 2100, "required": false}
    ]});
    std::fs::write(&file, schema.to_string()).unwrap();
    let defined = gerbang(&gateway.dir, &["schema", "define", file.to_str().unwrap()]);
    assert!(defined.status.success(), "{}", stderr(&defined));
    std::fs::write(&file, r#"{"name": "Dinsos!", "title": "x", "field": []}"#).unwrap();
    let refused = gerbang(&gateway.dir, &["schema", "define", file.to_str().unwrap()]);
    assert!(stderr(&refused).contains("schema.bad_name"), "{}", stderr(&refused));
    let listed = gerbang(&gateway.dir, &["schema", "list"]);
    assert!(stdout(&listed).contains("NOMOR_KPM"), "{}", stdout(&listed));
    for name in ["bkn", "pemasyarakatan", "lpsk", "kemenpppa", "bpbd", "dinsos"] {
        assert!(stdout(&listed).lines().any(|l| l.starts_with(name)), "{}", stdout(&listed));
    }
}

async fn read_back(gateway: &Gateway, token: &str, nik: Nik) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/return-data/of-resident", gateway.base))
        .bearer_auth(token)
        .json(&json!({ "nik": nik_text(nik) }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn the_registry_reads_return_data_and_partners_never_do() {
    let gateway = Gateway::start(200).await;
    let (alive, ..) = gateway.residents().await;
    let resident = &alive[5];
    let plane = gateway.plane().await;
    for institution in ["lpsk", "bpbd-karanganyar"] {
        access(&gateway, institution, resident.nik, resident.no_kk.value()).await;
        let values = partners().into_iter().find(|(code, _)| *code == institution).unwrap().1;
        let partner = plane.institution(institution).unwrap();
        let body = compat_body(partner.customer_id.unwrap(), &partner.name, resident.nik, &values);
        assert_eq!(store_api(&gateway, &gateway.login(institution, "service"), body).await.0, 200);
    }
    let (status, national) = read_back(&gateway, &gateway.admin_token("admin-dukcapil"), resident.nik).await;
    assert_eq!(status, 200, "{national}");
    let institutions: Vec<&str> =
        national["rows"].as_array().unwrap().iter().map(|r| r["institution"].as_str().unwrap()).collect();
    assert_eq!(institutions, ["lpsk", "bpbd-karanganyar"]);
    assert_eq!(national["rows"][0]["values"][0], json!(["NOMOR_REGISTER", "REG-2020-001"]));
    // A regional provider sees only its own partner's rows.
    let (_, regional) = read_back(&gateway, &gateway.admin_token("admin-karanganyar"), resident.nik).await;
    assert_eq!(regional["rows"].as_array().unwrap().len(), 1);
    assert_eq!(regional["rows"][0]["institution"], "bpbd-karanganyar");
    // Partners, even the one that sent the data, never read it back.
    for role in ["service", "operator", "partner_admin"] {
        let login = gateway.logins.iter().find(|l| l.institution == "lpsk" && l.role == role).unwrap();
        let (status, body) = read_back(&gateway, &login.token, resident.nik).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("access.not_steward")), "{role}");
    }
    let records = gateway.store.audit_of_resident(gateway.state.access.hasher.key(resident.nik)).await.unwrap();
    assert_eq!(records.iter().filter(|r| r.record.outcome == "return_data.read").count(), 2);
}

//! `gerbang resident show NIK`: every recorded element of one resident, as a
//! table for people or JSON for scripts. `gerbang resident code NIK`: the
//! one-time code that opens the resident's access history (transparency
//! for residents), printed once and stored only as a keyed digest; the
//! issue is audited. Whoever runs the command holds the registry's
//! database, so it is the registry itself (as for `gerbang enrol`): core's
//! regional rule applies to the console, not here.

use gerbang_core::audit::{AuditRecord, NikHasher};
use gerbang_core::clock::JAKARTA;
use gerbang_core::resident::recorded_elements;
use gerbang_core::transparency::{CODE_LIFETIME_HOURS, ISSUED_OUTCOME, OneTimeCode, issue};
use gerbang_core::{Clock, ElementValue, Nik, Regions, SystemClock};
use gerbang_store_sqlite::OpenMode;

use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// Shows one resident.
pub async fn show(config: &Config, nik: &str, json: bool) -> Result<(), CliError> {
    let nik = Nik::parse(nik)?;
    let store = open::store(config, OpenMode::MustExist).await?;
    let (resident, family) = store
        .resident(nik)
        .await?
        .ok_or_else(|| CliError::new("resident.not_found", "NIK tidak terdapat di database kependudukan"))?;
    let elements = recorded_elements(&resident, &family, Regions::official());
    if json {
        let record = gerbang_web::resident_record(&resident, &family, Regions::official());
        println!("{}", serde_json::to_string(&record).unwrap_or_default());
        return Ok(());
    }
    let width = elements.iter().map(|(e, _)| e.wire_name().len()).max().unwrap_or(0);
    for (element, value) in &elements {
        let shown = match value {
            ElementValue::Number(n) => n.to_string(),
            ElementValue::Text(text) => text.clone(),
            ElementValue::Date(date) => date.format("%d-%m-%Y").to_string(),
            ElementValue::Missing => "-".into(),
        };
        println!("{:<width$}  {shown}", element.wire_name());
    }
    let life = &resident.life;
    let vital = life.died_on.map_or("HIDUP".to_owned(), |d| format!("MENINGGAL DUNIA ({})", d.format("%d-%m-%Y")));
    let active = if life.active { "AKTIF" } else { "NON AKTIF" };
    let duplicate = if life.duplicate { ", DATA GANDA" } else { "" };
    println!("{:<width$}  {vital}, {active}{duplicate}", "STATUS");
    Ok(())
}

/// Who the CLI records as the issuer.
fn issuer() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "operator".into());
    format!("cli:{}", user.chars().take(32).collect::<String>())
}

/// Issues one resident a new one-time code, replacing any earlier one, and
/// prints it once.
pub async fn code(config: &Config, nik: &str) -> Result<(), CliError> {
    let nik = Nik::parse(nik)?;
    let store = open::store(config, OpenMode::MustExist).await?;
    if store.resident(nik).await?.is_none() {
        return Err(CliError::new("resident.not_found", "NIK tidak terdapat di database kependudukan"));
    }
    let hasher = NikHasher::new(store.installation_key().await?);
    let code = OneTimeCode::draw()
        .map_err(|_| CliError::new("resident_code.no_randomness", "sistem operasi tidak memberi bilangan acak"))?;
    let now = SystemClock.now();
    let by = issuer();
    let row = issue(&hasher, nik, &code, &by, now);
    let resident = row.resident;
    store.put_resident_code(row).await?;
    let record = AuditRecord {
        operation_id: format!("cli-{}-{}", now.timestamp_micros(), std::process::id()),
        at: now,
        interface: "cli".into(),
        institution: None,
        user_id: Some(by),
        source_ip: std::net::IpAddr::from([127, 0, 0, 1]),
        mechanism: None,
        resident: Some(resident),
        elements: Vec::new(),
        outcome: ISSUED_OUTCOME.into(),
        latency_us: 0,
        charged: false,
    };
    store.record_audit(vec![record]).await?;
    let expires = (now + chrono::Duration::hours(CODE_LIFETIME_HOURS)).with_timezone(&JAKARTA);
    println!("{}", code.grouped());
    eprintln!(
        "Kode akses sekali pakai untuk NIK {nik}, berlaku sampai {} WIB; penduduk membukanya di /portal/warga.",
        expires.format("%d-%m-%Y %H:%M")
    );
    Ok(())
}

//! `gerbang resident show NIK`: every recorded element of one resident, as a
//! table for people or JSON for scripts.

use gerbang_core::resident::recorded_elements;
use gerbang_core::{ElementValue, Nik, Regions};
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

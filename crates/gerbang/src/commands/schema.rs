//! `gerbang schema define FILE | list`: return-data schemas (SPEC.md §5) are
//! data, not code: a TOML or JSON file names the schema and its ordered
//! columns with their rules (see `demo/schemas/*.toml`), checked by core
//! and stored in the database. `gerbang demo` defines the five seed schemas.

use std::path::Path;

use gerbang_core::return_data::{ReturnSchema, Rule};
use gerbang_store::Store;
use gerbang_store_sqlite::OpenMode;

use crate::commands::admin::{print_json, print_table};
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// The five seed schemas, as shipped in `crates/gerbang/demo/schemas/`.
pub const SEED_SCHEMAS: [(&str, &str); 5] = [
    ("bkn.toml", include_str!("../../demo/schemas/bkn.toml")),
    ("pemasyarakatan.toml", include_str!("../../demo/schemas/pemasyarakatan.toml")),
    ("lpsk.toml", include_str!("../../demo/schemas/lpsk.toml")),
    ("kemenpppa.toml", include_str!("../../demo/schemas/kemenpppa.toml")),
    ("bpbd.toml", include_str!("../../demo/schemas/bpbd.toml")),
];

/// Reads and checks a schema file: JSON when it looks like JSON (or is
/// named `.json`), TOML otherwise.
pub fn parse(name: &str, text: &str) -> Result<ReturnSchema, CliError> {
    let json = name.ends_with(".json") || text.trim_start().starts_with('{');
    let schema: ReturnSchema = if json {
        serde_json::from_str(text)
            .map_err(|e| CliError::new("schema.parse", format!("{name} bukan skema JSON yang sah: {e}")))?
    } else {
        toml::from_str(text)
            .map_err(|e| CliError::new("schema.parse", format!("{name} bukan skema TOML yang sah: {e}")))?
    };
    schema.check().map_err(|e| CliError::new(e.code(), format!("{name}: {e}")))?;
    Ok(schema)
}

/// Defines the seed schemas that are not stored yet.
pub async fn ensure_seed_schemas(store: &dyn Store) -> Result<(), CliError> {
    let stored = store.return_schemas().await?;
    for (name, text) in SEED_SCHEMAS {
        let schema = parse(name, text)?;
        if !stored.iter().any(|s| s.name == schema.name) {
            store.define_return_schema(schema).await?;
        }
    }
    Ok(())
}

/// `gerbang schema define FILE`.
pub async fn define(config: &Config, file: &Path) -> Result<(), CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::new("schema.read", format!("tidak dapat membaca {}: {e}", file.display())))?;
    let schema = parse(&file.display().to_string(), &text)?;
    let store = open::store(config, OpenMode::MustExist).await?;
    let name = schema.name.clone();
    store.define_return_schema(schema).await?;
    println!("{name}");
    Ok(())
}

fn rule_text(rule: &Rule) -> String {
    match rule {
        Rule::Text { max_length } => format!("teks ≤{max_length}"),
        Rule::Digits { length } => format!("{length} digit"),
        Rule::Date => "tanggal".into(),
        Rule::Choice { options } => format!("pilihan: {}", options.join("/")),
        Rule::Integer { min, max } => format!("bilangan {min}..{max}"),
    }
}

/// `gerbang schema list`.
pub async fn list(config: &Config, json: bool) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::MustExist).await?;
    let schemas = store.return_schemas().await?;
    if json {
        return print_json(&schemas);
    }
    let mut rows = Vec::new();
    for schema in &schemas {
        rows.push(vec![schema.name.clone(), "NIK".into(), "wajib".into(), "NIK (16 digit)".into()]);
        for field in &schema.fields {
            rows.push(vec![
                String::new(),
                field.column.clone(),
                if field.required { "wajib".into() } else { "opsional".into() },
                rule_text(&field.rule),
            ]);
        }
    }
    print_table(&["SKEMA", "KOLOM", "ISIAN", "ATURAN"], &rows);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_five_seed_schemas_parse_and_follow_spec_5() {
        let schemas: Vec<ReturnSchema> = SEED_SCHEMAS.iter().map(|(n, t)| parse(n, t).unwrap()).collect();
        let columns: Vec<Vec<String>> = schemas.iter().map(ReturnSchema::columns).collect();
        assert_eq!(columns[0], ["NIK", "NIP", "STATUS_KEPEGAWAIAN", "KEDUDUKAN_HUKUM"]);
        assert_eq!(schemas[0].fields[0].rule, Rule::Digits { length: 18 });
        assert!(columns[1].contains(&"SIDIK_JARI".to_string()) && columns[1].contains(&"TANGGAL_MUTASI".to_string()));
        assert_eq!(columns[2], ["NIK", "NOMOR_REGISTER", "NOMOR_SK_PARIPURNA"]);
        assert_eq!(columns[3], ["NIK", "NOMOR_REGISTRASI_KASUS"]);
        assert_eq!(columns[4], ["NIK", "ID_PENERIMA_BANTUAN", "JENIS_BANTUAN", "DAERAH_RAWAN_BENCANA"]);
        let json = serde_json::to_string(&schemas[1]).unwrap();
        assert_eq!(parse("x.json", &json).unwrap(), schemas[1]);
        assert_eq!(parse("x.toml", "name = \"X\"\ntitle = \"t\"\nfield = []").unwrap_err().code, "schema.bad_name");
    }
}

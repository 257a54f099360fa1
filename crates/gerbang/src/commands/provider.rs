//! `gerbang provider create|list`: the registry offices that grant access,
//! Ditjen Dukcapil (national) or a Disdukcapil (regional, whose quota raises
//! need national approval; SPEC.md §1, 004 Juknis 2d/2j).

use gerbang_core::Regions;
use gerbang_core::access::{Provider, ProviderLevel};

use crate::cli::ProviderCommand;
use crate::commands::admin::{Admin, print_json, print_table};
use crate::config::Config;
use crate::error::CliError;

/// Runs `gerbang provider …`.
pub async fn run(config: &Config, command: ProviderCommand) -> Result<(), CliError> {
    let admin = Admin::open(config).await?;
    match command {
        ProviderCommand::Create { code, name, regional } => {
            let level = match regional {
                None => ProviderLevel::National,
                Some(region_code) => ProviderLevel::Regional { region_code: known_region(region_code)? },
            };
            let write = admin.plane.add_provider(Provider { code: code.clone(), name, level })?;
            admin.commit(vec![write]).await?;
            println!("{code}");
            Ok(())
        }
        ProviderCommand::List { json } => {
            let providers: Vec<&Provider> = admin.plane.providers().collect();
            if json {
                return print_json(&providers);
            }
            let rows: Vec<Vec<String>> =
                providers.iter().map(|p| vec![p.code.clone(), level_name(p.level), p.name.clone()]).collect();
            print_table(&["KODE", "TINGKAT", "NAMA"], &rows);
            Ok(())
        }
    }
}

/// `nasional` or `daerah 3313`.
pub fn level_name(level: ProviderLevel) -> String {
    match level {
        ProviderLevel::National => "nasional".to_owned(),
        ProviderLevel::Regional { region_code } => format!("daerah {region_code}"),
    }
}

/// Accepts a Kemendagri province (2 digits) or regency (4 digits) code.
fn known_region(code: u32) -> Result<u32, CliError> {
    let regions = Regions::official();
    let name = match code {
        10..=99 => regions.province(code.into()),
        1000..=9999 => regions.regency(code.into()),
        _ => None,
    };
    match name {
        Some(_) => Ok(code),
        None => Err(CliError::new(
            "provider.unknown_region",
            format!("kode wilayah {code} bukan kode provinsi (2 digit) atau kabupaten/kota (4 digit) Kemendagri"),
        )),
    }
}

//! `gerbang institution create|list|activate|deactivate`: partner
//! institutions (Lembaga Pengguna, SPEC.md §1). A suspended institution's
//! accounts get no access at all (WIRE code 16).

use gerbang_core::access::Institution;

use crate::cli::{InstitutionCommand, InstitutionCreateArgs};
use crate::commands::admin::{Admin, or_dash, print_json, print_table, yes_no};
use crate::config::Config;
use crate::error::CliError;

/// Runs `gerbang institution …`.
pub async fn run(config: &Config, command: InstitutionCommand) -> Result<(), CliError> {
    let admin = Admin::open(config).await?;
    match command {
        InstitutionCommand::Create(args) => create(&admin, args).await,
        InstitutionCommand::List { json } => list(&admin, json),
        InstitutionCommand::Activate { code } => set_active(&admin, &code, true).await,
        InstitutionCommand::Deactivate { code } => set_active(&admin, &code, false).await,
    }
}

async fn create(admin: &Admin, args: InstitutionCreateArgs) -> Result<(), CliError> {
    let institution = Institution {
        code: args.code.clone(),
        provider: args.provider,
        name: args.name,
        instansi: args.instansi.map(|name| name.trim().to_owned()).filter(|name| !name.is_empty()),
        customer_id: args.customer_id,
        active: true,
    };
    admin.commit(vec![admin.plane.add_institution(institution)?]).await?;
    println!("{}", args.code);
    Ok(())
}

fn list(admin: &Admin, json: bool) -> Result<(), CliError> {
    let institutions: Vec<&Institution> = admin.plane.institutions().collect();
    if json {
        return print_json(&institutions);
    }
    let rows: Vec<Vec<String>> = institutions
        .iter()
        .map(|i| {
            vec![
                i.code.clone(),
                i.provider.clone(),
                or_dash(i.instansi.as_deref()),
                or_dash(i.customer_id),
                yes_no(i.active).to_owned(),
                i.name.clone(),
            ]
        })
        .collect();
    print_table(&["KODE", "PENYELENGGARA", "INSTANSI", "CUSTOMER_ID", "AKTIF", "NAMA"], &rows);
    Ok(())
}

async fn set_active(admin: &Admin, code: &str, active: bool) -> Result<(), CliError> {
    admin.commit(vec![admin.plane.set_institution_active(code, active)?]).await?;
    println!("{code}: {}", if active { "aktif" } else { "nonaktif" });
    Ok(())
}

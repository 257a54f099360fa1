//! `gerbang agreement create|extend|terminate|list|show`: cooperation
//! agreements (PKS) with both document numbers, validity, addenda, early
//! termination, the scope they grant and the obligations they impose
//! (SPEC.md §3). Access exists only while an agreement is in force.

use std::path::Path;

use chrono::NaiveDate;
use gerbang_core::access::{Addendum, Agreement, ControlWrite, NewAgreement, Scope};
use serde_json::{Value, json};

use crate::cli::{AgreementCommand, AgreementCreateArgs};
use crate::commands::admin::{Admin, or_dash, print_json, print_table, today};
use crate::config::Config;
use crate::error::CliError;

/// Runs `gerbang agreement …`.
pub async fn run(config: &Config, command: AgreementCommand) -> Result<(), CliError> {
    let admin = Admin::open(config).await?;
    match command {
        AgreementCommand::Create(args) => create(&admin, args).await,
        AgreementCommand::Extend { id, number, signed_on, valid_until } => {
            let write = admin.plane.extend_agreement(&id, Addendum { number, signed_on, valid_until })?;
            admin.commit(vec![write]).await?;
            println!("{id}: berlaku hingga {valid_until}");
            Ok(())
        }
        AgreementCommand::Terminate { id, effective_on, reason, note } => {
            let write = admin.plane.terminate_agreement(&id, effective_on, reason.into(), &note)?;
            admin.commit(vec![write]).await?;
            println!("{id}: diakhiri mulai {effective_on}");
            Ok(())
        }
        AgreementCommand::List { institution, json } => list(&admin, institution.as_deref(), json),
        AgreementCommand::Show { id, json } => show(&admin, &id, json),
    }
}

async fn create(admin: &Admin, args: AgreementCreateArgs) -> Result<(), CliError> {
    let scope = read_scope(&args.scope)?;
    let new = NewAgreement {
        institution: args.institution,
        provider_number: args.provider_number,
        partner_number: args.partner_number,
        signed_on: args.signed_on,
        valid_from: args.valid_from,
        valid_until: args.valid_until,
        scope,
        return_schema: args.return_schema,
        obligations: args.obligation,
    };
    let write = admin.plane.add_agreement(new)?;
    let ControlWrite::Agreement(agreement) = &write else {
        return Err(CliError::new("agreement.internal", "operasi perjanjian tidak menghasilkan perjanjian"));
    };
    let id = agreement.id.clone();
    admin.commit(vec![write]).await?;
    println!("{id}");
    Ok(())
}

/// Reads a scope file: TOML for `.toml`, JSON for `.json`, otherwise
/// whichever the content looks like.
pub fn read_scope(path: &Path) -> Result<Scope, CliError> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        CliError::new("scope.file", format!("berkas ruang lingkup {} tidak dapat dibaca: {error}", path.display()))
    })?;
    let json = match path.extension().and_then(|e| e.to_str()) {
        Some(ext) if ext.eq_ignore_ascii_case("json") => true,
        Some(ext) if ext.eq_ignore_ascii_case("toml") => false,
        _ => text.trim_start().starts_with('{'),
    };
    let parsed = if json {
        serde_json::from_str::<Scope>(&text).map_err(|error| error.to_string())
    } else {
        toml::from_str::<Scope>(&text).map_err(|error| match error.span().and_then(|span| text.get(..span.start)) {
            Some(before) => format!("baris {}: {}", before.matches('\n').count() + 1, error.message()),
            None => error.message().to_owned(),
        })
    };
    let scope = parsed.map_err(|error| {
        let error = error.trim().replace('\n', "; ");
        CliError::new("scope.parse", format!("berkas ruang lingkup {} tidak valid: {error}", path.display()))
    })?;
    scope.validate()?;
    Ok(scope)
}

/// Where an agreement stands on `day`.
pub fn status(agreement: &Agreement, day: NaiveDate) -> &'static str {
    match &agreement.termination {
        Some(termination) if day >= termination.effective_on => "diakhiri",
        _ if day < agreement.valid_from => "belum berlaku",
        _ if day > agreement.valid_through() => "berakhir",
        _ => "berlaku",
    }
}

/// The agreement as JSON, with its validity after addenda and its status.
fn to_json(agreement: &Agreement, day: NaiveDate) -> Result<Value, CliError> {
    let mut value = serde_json::to_value(agreement)
        .map_err(|error| CliError::new("output.json", format!("gagal menyusun JSON: {error}")))?;
    if let Value::Object(map) = &mut value {
        map.insert("valid_through".into(), json!(agreement.valid_through()));
        map.insert("status".into(), json!(status(agreement, day)));
    }
    Ok(value)
}

fn list(admin: &Admin, institution: Option<&str>, json: bool) -> Result<(), CliError> {
    let day = today();
    let agreements: Vec<&Agreement> =
        admin.plane.agreements().filter(|a| institution.is_none_or(|i| a.institution == i)).collect();
    if json {
        let values = agreements.iter().map(|a| to_json(a, day)).collect::<Result<Vec<_>, _>>()?;
        return print_json(&values);
    }
    let rows: Vec<Vec<String>> = agreements
        .iter()
        .map(|a| {
            vec![
                a.id.clone(),
                a.institution.clone(),
                a.signed_on.to_string(),
                a.valid_from.to_string(),
                a.valid_through().to_string(),
                a.addenda.len().to_string(),
                status(a, day).to_owned(),
            ]
        })
        .collect();
    print_table(&["ID", "INSTANSI", "DITANDATANGANI", "BERLAKU_DARI", "BERLAKU_HINGGA", "ADENDUM", "STATUS"], &rows);
    Ok(())
}

fn show(admin: &Admin, id: &str, json: bool) -> Result<(), CliError> {
    let agreement = admin
        .plane
        .agreement(id)
        .ok_or_else(|| CliError::new("admin.not_found", format!("perjanjian '{id}' tidak ditemukan")))?;
    let day = today();
    if json {
        return print_json(&to_json(agreement, day)?);
    }
    let institution = admin.plane.institution(&agreement.institution);
    let named = |code: &str, name: Option<&str>| name.map_or(code.to_owned(), |name| format!("{code} ({name})"));
    let provider = institution.map(|i| i.provider.as_str()).unwrap_or("-");
    let provider_name = admin.plane.provider(provider).map(|p| p.name.as_str());
    let fields = [
        ("ID", agreement.id.clone()),
        ("INSTANSI", named(&agreement.institution, institution.map(|i| i.name.as_str()))),
        ("PENYELENGGARA", named(provider, provider_name)),
        ("NOMOR PIHAK KESATU", agreement.provider_number.clone()),
        ("NOMOR PIHAK KEDUA", agreement.partner_number.clone()),
        ("DITANDATANGANI", agreement.signed_on.to_string()),
        ("BERLAKU", format!("{} s.d. {}", agreement.valid_from, agreement.valid_until)),
        ("BERLAKU HINGGA", agreement.valid_through().to_string()),
        ("STATUS", status(agreement, day).to_owned()),
        ("DATA BALIKAN", or_dash(agreement.return_schema.as_deref())),
    ];
    let width = fields.iter().map(|(label, _)| label.len()).max().unwrap_or(0);
    for (label, value) in &fields {
        println!("{label:<width$}  {value}");
    }
    match &agreement.termination {
        Some(t) => println!("{:<width$}  mulai {} ({}): {}", "PENGAKHIRAN", t.effective_on, t.reason.name(), t.note),
        None => println!("{:<width$}  -", "PENGAKHIRAN"),
    }
    println!("\nADENDUM");
    let addenda: Vec<Vec<String>> = agreement
        .addenda
        .iter()
        .map(|a| vec![a.number.clone(), a.signed_on.to_string(), a.valid_until.to_string()])
        .collect();
    print_section(&["NOMOR", "DITANDATANGANI", "BERLAKU_HINGGA"], &addenda);
    println!("\nRUANG LINGKUP");
    let mut grants = Vec::new();
    for grant in &agreement.scope.grants {
        for channel in &grant.channels {
            let elements: Vec<&str> = grant.elements.iter().map(|e| e.wire_name()).collect();
            let condition = if grant.after_match { "setelah \"ditemukan\"" } else { "-" };
            grants.push(vec![
                grant.mechanism.name().to_owned(),
                channel.name().to_owned(),
                condition.to_owned(),
                elements.join(", "),
            ]);
        }
    }
    print_table(&["MEKANISME", "SALURAN", "SYARAT", "ELEMEN"], &grants);
    println!("\nKEWAJIBAN");
    let obligations: Vec<Vec<String>> = agreement
        .obligations
        .iter()
        .map(|o| vec![o.kind.name().to_owned(), o.due_on.to_string(), or_dash(o.fulfilled_on)])
        .collect();
    print_section(&["JENIS", "JATUH_TEMPO", "DIPENUHI"], &obligations);
    Ok(())
}

/// A table, or `-` when it has no rows.
fn print_section(headers: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        println!("-");
    } else {
        print_table(headers, rows);
    }
}

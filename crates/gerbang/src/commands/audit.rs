//! `gerbang audit verify|who`: the audit trail that "cannot be silently
//! altered" (SPEC.md §8, §10). `verify` walks the whole hash chain and names
//! the first record that was altered, removed or moved; `who` answers "who
//! accessed this resident, when, how, with what outcome" from the keyed NIK
//! hash, without the trail ever holding a plain NIK.

use std::io::IsTerminal;

use gerbang_core::Nik;
use gerbang_core::audit::{ChainVerifier, NikHasher, SealedRecord, hex};
use gerbang_core::clock::JAKARTA;
use gerbang_store::Store;
use gerbang_store_sqlite::OpenMode;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cli::AuditCommand;
use crate::commands::admin::{or_dash, print_json, print_table};
use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// Records read per page while verifying.
const PAGE: u32 = 10_000;

/// Runs `gerbang audit …`.
pub async fn run(config: &Config, command: AuditCommand) -> Result<(), CliError> {
    let store = open::store(config, OpenMode::MustExist).await?;
    match command {
        AuditCommand::Verify => verify(store.as_ref()).await,
        AuditCommand::Who { nik, json } => who(store.as_ref(), &nik, json).await,
    }
}

/// Checks every record in sequence order; the first break is the error.
async fn verify(store: &dyn Store) -> Result<(), CliError> {
    let total = store.audit_tail().await?.map_or(0, |link| link.seq);
    let progress = if std::io::stderr().is_terminal() {
        let style =
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} catatan")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(total).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let mut verifier = ChainVerifier::new();
    let checked = walk_chain(store, &mut verifier, &progress).await;
    progress.finish_and_clear();
    let checked = checked?;
    match verifier.last() {
        Some(link) => {
            println!("audit: {checked} catatan, rantai utuh (terakhir #{} {})", link.seq, hex(&link.hash[..4]))
        }
        None => println!("audit: 0 catatan, rantai utuh"),
    }
    Ok(())
}

/// Checks every record of `store`'s chain with `verifier`, in sequence
/// order, advancing `progress`; the number checked, or the first break.
pub(super) async fn walk_chain(
    store: &dyn Store,
    verifier: &mut ChainVerifier,
    progress: &ProgressBar,
) -> Result<u64, CliError> {
    let mut after = 0;
    loop {
        let page = store.audit_page(after, PAGE).await?;
        let Some(last) = page.last() else { return Ok(verifier.checked()) };
        after = last.seq;
        page.iter().try_for_each(|sealed| verifier.check(sealed))?;
        progress.inc(page.len() as u64);
    }
}

/// One access to a resident, as listed.
#[derive(Debug, Serialize)]
struct AccessView<'a> {
    seq: u64,
    at: String,
    interface: &'a str,
    institution: Option<&'a str>,
    user_id: Option<&'a str>,
    source_ip: String,
    mechanism: Option<&'static str>,
    outcome: &'a str,
    elements: Vec<&'static str>,
}

fn view(sealed: &SealedRecord) -> AccessView<'_> {
    let record = &sealed.record;
    AccessView {
        seq: sealed.seq,
        at: record.at.with_timezone(&JAKARTA).format("%Y-%m-%d %H:%M:%S").to_string(),
        interface: &record.interface,
        institution: record.institution.as_deref(),
        user_id: record.user_id.as_deref(),
        source_ip: record.source_ip.to_string(),
        mechanism: record.mechanism.map(|m| m.name()),
        outcome: &record.outcome,
        elements: record.elements.iter().map(|e| e.wire_name()).collect(),
    }
}

/// Lists the records about the resident with `nik`, oldest first; times in
/// WIB.
async fn who(store: &dyn Store, nik: &str, json: bool) -> Result<(), CliError> {
    let nik = Nik::parse(nik)?;
    let resident = NikHasher::new(store.installation_key().await?).key(nik);
    let records = store.audit_of_resident(resident).await?;
    let views: Vec<AccessView<'_>> = records.iter().map(view).collect();
    if json {
        return print_json(&views);
    }
    let rows: Vec<Vec<String>> = views
        .iter()
        .map(|v| {
            vec![
                v.at.clone(),
                or_dash(v.institution),
                or_dash(v.user_id),
                or_dash(v.mechanism),
                v.outcome.to_owned(),
                if v.elements.is_empty() { "-".to_owned() } else { v.elements.join(",") },
            ]
        })
        .collect();
    print_table(&["WAKTU_WIB", "INSTANSI", "USER_ID", "MEKANISME", "HASIL", "ELEMEN"], &rows);
    if views.is_empty() {
        eprintln!("Tidak ada catatan akses untuk NIK ini.");
    }
    Ok(())
}

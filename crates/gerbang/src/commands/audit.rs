//! `gerbang audit verify|who|retain`: the audit trail that "cannot be
//! silently altered" (SPEC.md §8, §10). `verify` walks the whole hash chain
//! and names the first record that was altered, removed or moved; `who`
//! answers "who accessed this resident, when, how, with what outcome" from
//! the keyed NIK hash, without the trail ever holding a plain NIK; `retain`
//! removes whole old months from the start of the chain, after which
//! `verify` checks the chain from the last removed link (printed, so that it
//! can be kept elsewhere too).

use std::io::IsTerminal;

use chrono::Months;
use gerbang_core::Nik;
use gerbang_core::audit::{ChainLink, ChainVerifier, NikHasher, SealedRecord, hex};
use gerbang_core::clock::{JAKARTA, month_start};
use gerbang_store::Store;
use gerbang_store_sqlite::OpenMode;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cli::AuditCommand;
use crate::commands::admin::{or_dash, print_json, print_table, today};
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
        AuditCommand::Retain { months } => retain(store.as_ref(), months).await,
    }
}

/// `#seq abcd1234`: a link as people compare it.
fn show_link(link: &ChainLink) -> String {
    format!("#{} {}", link.seq, hex(&link.hash[..4]))
}

/// Checks every record in sequence order; the first break is the error.
async fn verify(store: &dyn Store) -> Result<(), CliError> {
    let progress = if std::io::stderr().is_terminal() {
        let style =
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {human_pos}/{human_len} catatan")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        ProgressBar::new(0).with_style(style)
    } else {
        ProgressBar::hidden()
    };
    let walked = walk_chain(store, &progress).await;
    progress.finish_and_clear();
    let walked = walked?;
    let checked = walked.checked;
    let last = walked.last.filter(|_| checked > 0).map(|link| format!("terakhir {}", show_link(&link)));
    let from = walked.anchor.map(|link| format!("dimulai setelah {}", show_link(&link)));
    let notes: Vec<String> = last.into_iter().chain(from).collect();
    let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
    println!("audit: {checked} catatan, rantai utuh{notes}");
    Ok(())
}

/// Removes the months before the current one and the `months` before it.
async fn retain(store: &dyn Store, months: u32) -> Result<(), CliError> {
    let this_month = month_start(today());
    let before = this_month.checked_sub_months(Months::new(months)).unwrap_or(this_month);
    let removed = store.remove_audit_before(before).await?;
    let kept = before.format("%Y-%m");
    match removed.anchor {
        Some(anchor) if removed.records > 0 => println!(
            "audit: {} catatan sebelum {kept} dihapus; rantai kini dimulai setelah {} (simpan tautan ini)",
            removed.records,
            show_link(&anchor)
        ),
        _ => println!("audit: tidak ada catatan sebelum {kept}; tidak ada yang dihapus"),
    }
    Ok(())
}

/// What walking the chain found: where it starts, how many records were
/// checked, and the last good link.
pub(super) struct Walked {
    /// The link the stored chain starts after (retention), if any.
    pub anchor: Option<ChainLink>,
    /// Records checked.
    pub checked: u64,
    /// The last good link (the anchor when no record is stored).
    pub last: Option<ChainLink>,
}

/// Checks every stored record of `store`'s chain, from its anchor, in
/// sequence order, advancing `progress` (whose length it sets); the first
/// break is the error.
pub(super) async fn walk_chain(store: &dyn Store, progress: &ProgressBar) -> Result<Walked, CliError> {
    let anchor = store.audit_anchor().await?;
    let stored = |link: Option<ChainLink>| link.map_or(0, |link| link.seq);
    progress.set_length(stored(store.audit_tail().await?).saturating_sub(stored(anchor)));
    let mut verifier = ChainVerifier::after(anchor);
    let mut after = 0;
    loop {
        let page = store.audit_page(after, PAGE).await?;
        let Some(last) = page.last() else {
            return Ok(Walked { anchor, checked: verifier.checked(), last: verifier.last() });
        };
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

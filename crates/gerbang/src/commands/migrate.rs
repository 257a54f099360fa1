//! `gerbang migrate --to URL`: copies a whole deployment (the register with
//! the residents' enrolled faces and fingerprints, the control plane with
//! the card readers' replay counters, the installation secret, the
//! return-data schemas and committed return data with their batches, and
//! the audit trail with its quota usage, the partners' semester reports,
//! the facilitation queue and the notification outbox, the canary residents
//! and the security alerts) from the configured store into an empty one, typically from the embedded SQLite default into
//! PostgreSQL. Records are copied sealed, exactly as they are, so the
//! target's chain is the source's chain; the copy is then checked by counts
//! and by walking the target's chain. Residents' one-time codes for their
//! access history are not copied: they last a day, and the registry issues
//! a new one on request.

use std::collections::HashSet;
use std::sync::Arc;

use gerbang_store::{CaseQuery, Household, QueuedNotification, Store};
use gerbang_store_sqlite::OpenMode;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::{Config, redact_url};
use crate::error::CliError;
use crate::open;

/// Residents or audit records read per page.
const PAGE: u32 = 5_000;

/// Faces read per page: each carries its photo (about 200 KB, at most 2 MB).
const FACE_PAGE: u32 = 100;

/// Runs `gerbang migrate`.
pub async fn run(config: &Config, target_url: &str) -> Result<(), CliError> {
    let source = open::store(config, OpenMode::MustExist).await?;
    let target_config = Config { database_url: Some(target_url.to_owned()), ..config.clone() };
    let target = open::store(&target_config, OpenMode::CreateIfMissing).await?;
    refuse_unless_empty(target.as_ref()).await?;
    println!("Memindahkan {} → {}", source.describe(), redact_url(target_url));

    target.adopt_installation_key(source.installation_key().await?).await?;
    target.apply_control(source.control_plane().await?.as_writes()).await?;
    let sams = copy_sam_counters(source.as_ref(), target.as_ref()).await?;
    let reports = source.semester_reports(None, None).await?;
    let report_count = reports.len();
    for report in reports {
        target.save_semester_report(report).await?;
    }
    let families = copy_register(&source, &target).await?;
    copy_biometrics(source.as_ref(), target.as_ref()).await?;
    let returned = copy_return_data(source.as_ref(), target.as_ref()).await?;
    let records = copy_trail(source.as_ref(), target.as_ref()).await?;
    let (cases, notifications) = copy_casework(source.as_ref(), target.as_ref()).await?;
    let (canaries, alerts) = copy_alerts(source.as_ref(), target.as_ref()).await?;

    let (from, to) = (source.register_health().await?, target.register_health().await?);
    if from != to {
        return Err(CliError::new(
            "migrate.mismatch",
            format!("jumlah di tujuan berbeda: sumber {from:?}, tujuan {to:?}"),
        ));
    }
    let (enrolled, copied) = (source.biometric_counts().await?, target.biometric_counts().await?);
    if enrolled != copied {
        return Err(CliError::new(
            "migrate.mismatch",
            format!("jumlah biometrik di tujuan berbeda: sumber {enrolled:?}, tujuan {copied:?}"),
        ));
    }
    let checked = verify_chain(target.as_ref()).await?;
    println!(
        "Selesai: {} penduduk dalam {families} keluarga, {} wajah, {} jari sidik jari ({} rekaman), data kendali \
         dengan {sams} penghitung SAM, {returned} baris data balikan, {report_count} laporan semester, \
         {records} catatan audit, {cases} permohonan fasilitasi, {notifications} notifikasi, {canaries} penduduk \
         umpan dan {alerts} peringatan keamanan dipindahkan; \
         jumlah cocok, rantai audit tujuan utuh ({checked} catatan).",
        to.residents, copied.faces, copied.fingers, copied.impressions
    );
    Ok(())
}

/// Copies the facilitation queue and the notification outbox with their
/// numbers and delivery state, in one transaction.
async fn copy_casework(source: &dyn Store, target: &dyn Store) -> Result<(usize, usize), CliError> {
    let cases = source.cases(CaseQuery { institution: None, status: None, limit: u32::MAX }).await?;
    let mut notifications = Vec::new();
    loop {
        let after = notifications.last().map_or(0, |n: &QueuedNotification| n.id);
        let page = source.notifications_after(after, PAGE).await?;
        if page.is_empty() {
            break;
        }
        notifications.extend(page);
    }
    let counts = (cases.len(), notifications.len());
    target.restore_casework(cases, notifications).await?;
    Ok(counts)
}

/// Copies the canary residents and every security alert with its id,
/// evidence and acknowledgement.
async fn copy_alerts(source: &dyn Store, target: &dyn Store) -> Result<(usize, usize), CliError> {
    let canaries = source.canaries().await?;
    let marked = canaries.len();
    for canary in canaries {
        target.add_canary(canary).await?;
    }
    let alerts = source.alerts(u32::MAX).await?;
    let raised = alerts.len();
    target.restore_alerts(alerts).await?;
    Ok((marked, raised))
}

/// Copies the last counter accepted from each SAM, so an event replayed
/// from before the move is still refused after it. The SAMs themselves came
/// with the control plane.
async fn copy_sam_counters(source: &dyn Store, target: &dyn Store) -> Result<usize, CliError> {
    let counters = source.sam_counters().await?;
    for (sam, counter) in &counters {
        target.accept_sam_counter(sam, *counter).await?;
    }
    Ok(counters.len())
}

/// Copies the enrolled faces page by page (their photos never all in memory
/// at once), then every enrolled finger with its impressions. The register
/// must be copied first: an enrolment names a resident.
async fn copy_biometrics(source: &dyn Store, target: &dyn Store) -> Result<(), CliError> {
    let enrolled = source.biometric_counts().await?;
    let progress = bar(enrolled.faces, "wajah");
    let mut after = None;
    loop {
        let page = source.faces_after(after, FACE_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.nik);
        for face in &page {
            target.enrol_face(face).await?;
        }
        progress.inc(page.len() as u64);
    }
    progress.finish_and_clear();
    let progress = bar(enrolled.fingers, "jari");
    for finger in source.fingerprint_enrolments().await? {
        target.enrol_fingerprints(&finger).await?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(())
}

async fn refuse_unless_empty(target: &dyn Store) -> Result<(), CliError> {
    let health = target.register_health().await?;
    let plane = target.control_plane().await?;
    if health.residents > 0 || target.audit_tail().await?.is_some() || plane.providers().next().is_some() {
        return Err(CliError::new(
            "migrate.target_not_empty",
            "basis data tujuan tidak kosong; pindahkan hanya ke basis data baru",
        ));
    }
    Ok(())
}

fn bar(length: u64, what: &str) -> ProgressBar {
    let style = ProgressStyle::with_template(&format!("{{spinner}} {{wide_bar}} {{human_pos}}/{{human_len}} {what}"))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    ProgressBar::new(length).with_style(style)
}

/// Copies every family card with its members, in batches.
async fn copy_register(source: &Arc<dyn Store>, target: &Arc<dyn Store>) -> Result<u64, CliError> {
    let progress = bar(source.register_health().await?.residents, "penduduk");
    let mut copied_cards = HashSet::new();
    let mut after = None;
    target.begin_bulk_load().await?;
    loop {
        let page = source.residents_after(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.nik);
        let mut batch: Vec<Household> = Vec::new();
        for resident in &page {
            if copied_cards.insert(resident.no_kk)
                && let Some(household) = source.household(resident.no_kk).await?
            {
                progress.inc(household.members.len() as u64);
                batch.push(household);
            }
        }
        target.insert_households(batch).await?;
    }
    target.finish_bulk_load().await?;
    progress.finish_and_clear();
    Ok(copied_cards.len() as u64)
}

/// Copies the return-data schemas, then every committed batch of every
/// partner, oldest first, its rows page by page; each batch is committed in
/// the target only once all its rows are there. Returns the rows copied.
async fn copy_return_data(source: &dyn Store, target: &dyn Store) -> Result<u64, CliError> {
    for schema in source.return_schemas().await? {
        target.define_return_schema(schema).await?;
    }
    let mut copied = 0;
    for institution in source.control_plane().await?.institutions() {
        let mut batches = source.return_batches_of(&institution.code).await?;
        batches.reverse();
        for batch in batches {
            let (id, counts) = (batch.id.clone(), batch.counts);
            target.open_return_batch(batch).await?;
            let mut after = 0;
            loop {
                let page = source.return_rows_page(&id, after, PAGE).await?;
                let Some(last) = page.last() else { break };
                after = last.number;
                copied += page.len() as u64;
                target.add_return_rows(&id, page).await?;
            }
            target.commit_return_batch(&id, counts).await?;
        }
    }
    Ok(copied)
}

/// Copies the sealed audit records page by page (quota usage follows them),
/// after the anchor where the source's stored chain begins, if any.
async fn copy_trail(source: &dyn Store, target: &dyn Store) -> Result<u64, CliError> {
    let anchor = source.audit_anchor().await?;
    if let Some(anchor) = anchor {
        target.adopt_audit_anchor(anchor).await?;
    }
    let total = source.audit_tail().await?.map_or(0, |link| link.seq).saturating_sub(anchor.map_or(0, |link| link.seq));
    let progress = bar(total, "catatan audit");
    let mut after = 0;
    loop {
        let page = source.audit_page(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        progress.inc(page.len() as u64);
        target.append_audit(page).await?;
    }
    progress.finish_and_clear();
    Ok(progress.position())
}

async fn verify_chain(store: &dyn Store) -> Result<u64, CliError> {
    let progress = bar(0, "catatan audit diperiksa");
    let walked = super::audit::walk_chain(store, &progress).await;
    progress.finish_and_clear();
    Ok(walked?.checked)
}

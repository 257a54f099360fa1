//! `gerbang notify queue|send|list`: reminders of the partners' obligations
//! (SPEC.md §3) through an outbox. `queue` computes today's reminders in
//! `core` and stores the new ones (each obligation state once); `send`
//! drains the outbox to the SMTP relay named in the configuration's `[mail]`
//! section, recording each attempt, so a failed delivery is retried by the
//! next run and a delivered one never again. A serving node also queues
//! the day's reminders every hour ([`keep_queueing`]); run `send` from cron
//! or a systemd timer.

use std::sync::Arc;
use std::time::Duration;

use gerbang_core::Clock;
use gerbang_core::SystemClock;
use gerbang_core::reminder::{Audience, obligation_reminders};
use gerbang_store::QueuedNotification;
use gerbang_web::AppState;
use indicatif::{ProgressBar, ProgressStyle};
use lettre::message::Mailbox;
use lettre::transport::smtp::SmtpTransport;
use lettre::{Message, Transport};
use serde::Serialize;

use crate::cli::NotifyCommand;
use crate::commands::admin::{Admin, print_json, print_table, today};
use crate::config::{Config, MailConfig};
use crate::error::CliError;

/// Runs `gerbang notify …`.
pub async fn run(config: &Config, command: NotifyCommand) -> Result<(), CliError> {
    let admin = Admin::open(config).await?;
    match command {
        NotifyCommand::Queue { on } => {
            let day = on.unwrap_or_else(today);
            let reminders = obligation_reminders(&admin.plane, day);
            let due = reminders.len();
            let queued = admin.store.queue_notifications(reminders, SystemClock.now()).await?;
            println!(
                "{queued} pengingat baru masuk antrean untuk {} ({} sudah pernah diantrekan)",
                day.format("%d-%m-%Y"),
                due as u64 - queued
            );
            Ok(())
        }
        NotifyCommand::Send { limit } => send(&admin, &config.mail, limit).await,
        NotifyCommand::List { json } => list(&admin, json).await,
    }
}

/// How often a serving node queues the day's reminders (queueing is
/// idempotent, so several nodes may all do it).
const QUEUE_EVERY: Duration = Duration::from_secs(3600);

/// Queues the day's reminders now and then every hour, for as long as the
/// server runs, so the outbox fills without a cron job; delivery stays with
/// `gerbang notify send`.
pub(crate) async fn keep_queueing(state: AppState, clock: Arc<dyn Clock>) {
    loop {
        let reminders = obligation_reminders(&state.plane(), clock.today());
        match state.store.queue_notifications(reminders, clock.now()).await {
            Ok(0) => {}
            Ok(queued) => tracing::info!(queued, "pengingat kewajiban masuk antrean"),
            Err(error) => tracing::warn!(code = error.code(), %error, "pengingat kewajiban tidak dapat diantrekan"),
        }
        tokio::time::sleep(QUEUE_EVERY).await;
    }
}

/// A queued notification as listed.
#[derive(Serialize)]
struct Listed<'a> {
    id: u64,
    queued_at: String,
    institution: &'a str,
    audience: &'static str,
    subject: &'a str,
    attempts: u32,
    last_error: Option<&'a str>,
}

async fn list(admin: &Admin, json: bool) -> Result<(), CliError> {
    let queued = admin.store.undelivered_notifications(10_000).await?;
    let listed: Vec<Listed<'_>> = queued
        .iter()
        .map(|q| Listed {
            id: q.id,
            queued_at: q.queued_at.to_rfc3339(),
            institution: &q.notification.institution,
            audience: q.notification.audience.name(),
            subject: &q.notification.subject,
            attempts: q.attempts,
            last_error: q.last_error.as_deref(),
        })
        .collect();
    if json {
        return print_json(&listed);
    }
    let rows: Vec<Vec<String>> = listed
        .iter()
        .map(|l| {
            vec![
                l.id.to_string(),
                l.institution.to_owned(),
                l.audience.to_owned(),
                l.attempts.to_string(),
                l.subject.to_owned(),
            ]
        })
        .collect();
    print_table(&["NO", "INSTANSI", "UNTUK", "PERCOBAAN", "PERIHAL"], &rows);
    Ok(())
}

/// The SMTP relay of `smtp://HOST[:PORT]`.
fn relay(url: &str) -> Result<SmtpTransport, CliError> {
    let invalid =
        || CliError::new("mail.smtp_url", format!("alamat SMTP {url} tidak valid; gunakan smtp://HOST[:PORT]"));
    let rest = url.strip_prefix("smtp://").ok_or_else(invalid)?;
    let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
        Some((host, port)) => (host, port.parse::<u16>().map_err(|_| invalid())?),
        None => (rest.trim_end_matches('/'), 25),
    };
    if host.is_empty() || host.contains(['@', '/']) {
        return Err(invalid());
    }
    Ok(SmtpTransport::builder_dangerous(host).port(port).timeout(Some(Duration::from_secs(30))).build())
}

/// The address a notification goes to: the partner's own, or for the
/// registry's copy its provider's.
fn recipient(admin: &Admin, mail: &MailConfig, queued: &QueuedNotification) -> Result<Mailbox, String> {
    let note = &queued.notification;
    let code = match note.audience {
        Audience::Partner => note.institution.clone(),
        Audience::Registry => admin
            .plane
            .institution(&note.institution)
            .map(|i| i.provider.clone())
            .ok_or_else(|| format!("lembaga {} tidak dikenal", note.institution))?,
    };
    let address = mail
        .recipients
        .get(&code)
        .ok_or_else(|| format!("alamat penerima untuk {code} belum dikonfigurasi ([mail.recipients])"))?;
    address.parse().map_err(|_| format!("alamat penerima untuk {code} tidak valid"))
}

async fn send(admin: &Admin, mail: &MailConfig, limit: u32) -> Result<(), CliError> {
    let queued = admin.store.undelivered_notifications(limit).await?;
    let Some(url) = &mail.smtp else {
        return Err(CliError::new(
            "mail.not_configured",
            format!(
                "SMTP belum dikonfigurasi (bagian [mail] smtp di berkas konfigurasi); {} notifikasi tetap di antrean",
                queued.len()
            ),
        ));
    };
    let relay = relay(url)?;
    let from: Mailbox = mail
        .from
        .parse()
        .map_err(|_| CliError::new("mail.from", format!("alamat pengirim {} tidak valid", mail.from)))?;
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    let progress = ProgressBar::new(queued.len() as u64).with_style(style).with_message("mengirim notifikasi");
    let (mut sent, mut failed) = (0_u64, 0_u64);
    for item in queued {
        let outcome = match recipient(admin, mail, &item) {
            Ok(to) => deliver(&relay, from.clone(), to, &item).await,
            Err(reason) => Err(reason),
        };
        let now = SystemClock.now();
        match outcome {
            Ok(()) => sent += 1,
            Err(_) => failed += 1,
        }
        if let Err(reason) = &outcome {
            tracing::warn!(notification = item.id, %reason, "notifikasi belum terkirim");
        }
        admin.store.record_delivery(item.id, now, outcome.err()).await?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    println!("{sent} notifikasi terkirim, {failed} gagal (dicoba lagi pada pengiriman berikutnya)");
    Ok(())
}

async fn deliver(relay: &SmtpTransport, from: Mailbox, to: Mailbox, item: &QueuedNotification) -> Result<(), String> {
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(item.notification.subject.clone())
        .body(item.notification.body.clone())
        .map_err(|e| format!("pesan tidak dapat disusun: {e}"))?;
    let relay = relay.clone();
    match tokio::task::spawn_blocking(move || relay.send(&message)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(format!("relai SMTP menolak atau tidak dapat dihubungi: {error}")),
        Err(_) => Err("pengiriman terhenti".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_smtp_urls_with_a_host_name_a_relay() {
        assert!(relay("smtp://relay.dukcapil.local").is_ok());
        assert!(relay("smtp://127.0.0.1:2525").is_ok());
        for bad in ["relay:25", "smtp://", "smtp://host:port", "smtp://user:pw@host:25", "smtps://host"] {
            assert_eq!(relay(bad).err().map(|e| e.code), Some("mail.smtp_url".to_owned()), "{bad}");
        }
    }
}

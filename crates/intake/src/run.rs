//! The intake itself: find the header row, then per chunk validate every
//! row, probe the trail for the chunk's NIKs in one call, store the
//! accepted rows into the pending batch, and list the rejected ones; at
//! the end commit or abort the batch.

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use gerbang_core::audit::NikHasher;
use gerbang_core::return_data::{
    BatchCounts, BatchState, Binding, Cell, IntakeMethod, IntakeMode, Problem, RawRow, ReturnBatch, ReturnSchema,
    Submitter, ValidRow, settle,
};
use gerbang_store::Store;
use tokio::sync::mpsc;

use crate::read::{self, CHUNK_ROWS, Chunk};
use crate::rejected::RejectedBook;
use crate::seen::SeenNiks;
use crate::sniff::Format;
use crate::{IntakeConfig, IntakeError, ReadSeek};

/// How many non-blank rows are searched for the header row.
const HEADER_SEARCH_ROWS: usize = 50;

/// Who submits, how, and under which batch id and time.
#[derive(Debug, Clone)]
pub struct Actor<'a> {
    /// The authorized partner (from `gerbang_core::return_data`'s guards).
    pub submitter: &'a Submitter,
    /// Upload, form or web service.
    pub method: IntakeMethod,
    /// The batch id (the request's operation id, or a fresh one).
    pub batch: String,
    /// Now, from the injected clock.
    pub at: DateTime<Utc>,
}

/// One record of the form or the web service: column → value as sent.
pub type Record = Vec<(String, String)>;

/// What to read.
pub enum Source {
    /// A file of unknown type.
    File {
        /// Its content.
        file: Box<dyn ReadSeek>,
        /// Its length in bytes (from the file system or the upload).
        length: u64,
        /// The name it was given, kept for the record only.
        filename: Option<String>,
    },
    /// Records of the online form or the web service.
    Records(Vec<Record>),
}

/// A rejected row in the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    /// Its row number.
    pub number: u64,
    /// Every reason.
    pub problems: Vec<Problem>,
}

/// The row-level answer of an intake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeReport {
    /// The batch id.
    pub batch: String,
    /// The partner.
    pub institution: String,
    /// The schema.
    pub schema: String,
    /// How the rows came.
    pub method: IntakeMethod,
    /// All-or-nothing or row by row.
    pub mode: IntakeMode,
    /// The file's name as given.
    pub filename: Option<String>,
    /// The format read from the content (files only).
    pub format: Option<Format>,
    /// Rows read, accepted, already sent, rejected.
    pub counts: BatchCounts,
    /// Whether the batch was committed (false: nothing of it was stored).
    pub stored: bool,
    /// The first rejected rows, in row order.
    pub rejected_rows: Vec<RejectedRow>,
    /// Whether more rows were rejected than listed.
    pub rejected_rows_truncated: bool,
}

impl IntakeReport {
    /// Whether every row was stored before: the whole submission is a
    /// resubmission ("Data sudah pernah dikirim").
    pub fn all_already_sent(&self) -> bool {
        self.counts.rows > 0 && self.counts.already_sent == self.counts.rows
    }
}

/// Everything the chunks share.
struct Intake<'a> {
    store: &'a dyn Store,
    hasher: &'a NikHasher,
    batch: String,
    institution: String,
    since: DateTime<Utc>,
    /// Taken while a chunk is checked on a blocking thread.
    seen: Option<SeenNiks>,
    counts: BatchCounts,
    rejected: Vec<RejectedRow>,
    truncated: bool,
    report_limit: usize,
    book: Option<RejectedBook>,
}

impl Intake<'_> {
    async fn chunk(&mut self, binding: &Binding, rows: Vec<RawRow>) -> Result<(), IntakeError> {
        let mut candidates: Vec<(RawRow, ValidRow, Option<u64>)> = Vec::with_capacity(rows.len());
        let mut refused: Vec<(RawRow, Vec<Problem>)> = Vec::new();
        for row in rows {
            if Binding::is_blank(&row) {
                continue;
            }
            self.counts.rows += 1;
            match binding.check(&row) {
                Ok(valid) => candidates.push((row, valid, None)),
                Err(problems) => refused.push((row, problems)),
            }
        }
        // The repeat check (a temporary file) and the accessed-NIK probe
        // (the trail) are independent: they run side by side.
        let niks: Vec<(u64, u64)> = candidates.iter().map(|(row, valid, _)| (valid.nik.value(), row.number)).collect();
        let mut seen = self.seen.take().ok_or_else(|| IntakeError::Io("pemeriksa NIK ganda tidak tersedia".into()))?;
        let repeats = tokio::task::spawn_blocking(move || {
            let firsts = seen.first_rows(&niks);
            (seen, firsts)
        });
        let keys: Vec<_> = candidates.iter().map(|(_, valid, _)| self.hasher.key(valid.nik)).collect();
        let probe = self.store.accessed_residents(&self.institution, self.since, keys.clone());
        let (repeats, accessed) = tokio::join!(repeats, probe);
        let (seen, firsts) = repeats.map_err(|e| IntakeError::Io(e.to_string()))?;
        self.seen = Some(seen);
        for ((_, _, first), found) in candidates.iter_mut().zip(firsts?) {
            *first = found;
        }
        let accessed: HashSet<_> = accessed?.into_iter().collect();
        let mut accepted = Vec::with_capacity(candidates.len());
        for ((row, valid, first), key) in candidates.into_iter().zip(keys) {
            match settle(valid, first, accessed.contains(&key)) {
                Ok(valid) => accepted.push(valid),
                Err(problems) => refused.push((row, problems)),
            }
        }
        if !accepted.is_empty() {
            for new in self.store.add_return_rows(&self.batch, accepted).await? {
                if new {
                    self.counts.accepted += 1;
                } else {
                    self.counts.already_sent += 1;
                }
            }
        }
        refused.sort_by_key(|(row, _)| row.number);
        for (row, problems) in refused {
            self.counts.rejected += 1;
            if let Some(book) = self.book.as_mut() {
                book.add(&row, &problems)?;
            }
            if self.rejected.len() < self.report_limit {
                self.rejected.push(RejectedRow { number: row.number, problems });
            } else {
                self.truncated = true;
            }
        }
        Ok(())
    }
}

/// Turns records into rows behind a header row of the schema's columns.
fn record_rows(schema: &ReturnSchema, records: Vec<Record>) -> mpsc::Receiver<Chunk> {
    let columns = schema.columns();
    let (sender, receiver) = mpsc::channel(records.len() / CHUNK_ROWS + 2);
    let header = RawRow { number: 0, cells: columns.iter().map(|c| Cell::Text(c.clone())).collect() };
    let mut rows = vec![header];
    for (index, record) in records.into_iter().enumerate() {
        let cells = columns
            .iter()
            .map(|column| {
                record
                    .iter()
                    .find(|(key, _)| key.trim().eq_ignore_ascii_case(column))
                    .map_or(Cell::Empty, |(_, value)| Cell::Text(value.clone()))
            })
            .collect();
        rows.push(RawRow { number: index as u64 + 1, cells });
        if rows.len() >= CHUNK_ROWS {
            let _ = sender.try_send(Ok(std::mem::take(&mut rows)));
        }
    }
    if !rows.is_empty() {
        let _ = sender.try_send(Ok(rows));
    }
    receiver
}

/// Validates and stores a submission. `rejected_book`, when given, receives
/// the rejected rows as an `.xlsx`; `progress` is told the rows read so far.
/// Refusals of the whole submission are errors; row problems are in the
/// report. Nothing is stored unless the report says `stored`.
#[allow(clippy::too_many_arguments)] // one entry point for every intake method; each argument is one decision
pub async fn submit(
    store: &dyn Store,
    hasher: &NikHasher,
    actor: Actor<'_>,
    source: Source,
    mode: IntakeMode,
    config: &IntakeConfig,
    rejected_book: Option<&Path>,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<IntakeReport, IntakeError> {
    let submitter = actor.submitter;
    let schema = store
        .return_schemas()
        .await?
        .into_iter()
        .find(|s| s.name == submitter.schema)
        .ok_or_else(|| IntakeError::UnknownSchema(submitter.schema.clone()))?;
    let (mut chunks, format, filename) = match source {
        Source::File { file, length, filename } => {
            let (chunks, format) = read::start(file, length, config).await?;
            (chunks, Some(format), filename)
        }
        Source::Records(records) => (record_rows(&schema, records), None, None),
    };
    let mut intake = Intake {
        store,
        hasher,
        batch: actor.batch.clone(),
        institution: submitter.institution.clone(),
        since: actor.at - Duration::days(i64::from(config.access_window_days)),
        seen: Some(SeenNiks::new()?),
        counts: BatchCounts::default(),
        rejected: Vec::new(),
        truncated: false,
        report_limit: config.report_limit,
        book: None,
    };
    let mut binding: Option<Binding> = None;
    let mut searched = 0usize;
    let outcome: Result<(), IntakeError> = async {
        while let Some(chunk) = chunks.recv().await {
            let mut rows = chunk?.into_iter();
            if binding.is_none() {
                for row in rows.by_ref() {
                    if Binding::is_blank(&row) {
                        continue;
                    }
                    let texts: Vec<String> = row.cells.iter().map(Cell::display).collect();
                    if schema.is_header(&texts) {
                        binding = Some(schema.bind(&texts).map_err(IntakeError::Columns)?);
                        if let Some(path) = rejected_book {
                            intake.book = Some(RejectedBook::create(path, &texts)?);
                        }
                        store
                            .open_return_batch(ReturnBatch {
                                id: actor.batch.clone(),
                                institution: submitter.institution.clone(),
                                schema: schema.name.clone(),
                                user_id: submitter.user_id.clone(),
                                method: actor.method,
                                mode,
                                filename: filename.clone(),
                                received_at: actor.at,
                                counts: BatchCounts::default(),
                                state: BatchState::Pending,
                            })
                            .await?;
                        break;
                    }
                    searched += 1;
                    if searched >= HEADER_SEARCH_ROWS {
                        break;
                    }
                }
            }
            let Some(binding) = binding.as_ref() else {
                if searched >= HEADER_SEARCH_ROWS {
                    break;
                }
                continue;
            };
            intake.chunk(binding, rows.collect()).await?;
            progress(intake.counts.rows);
        }
        if binding.is_none() {
            return Err(IntakeError::HeaderNotFound { columns: schema.columns().join(", ") });
        }
        if intake.counts.rows == 0 {
            return Err(IntakeError::NoRows);
        }
        Ok(())
    }
    .await;
    drop(chunks);
    let opened = binding.is_some();
    if let Err(error) = outcome {
        if opened {
            store.abort_return_batch(&actor.batch).await?;
        }
        return Err(error);
    }
    if let Some(book) = intake.book.take() {
        let written = tokio::task::spawn_blocking(move || book.finish()).await;
        if let Err(error) = written.map_err(|e| IntakeError::Report(e.to_string())).and_then(|r| r) {
            store.abort_return_batch(&actor.batch).await?;
            return Err(error);
        }
    }
    let stored = if mode == IntakeMode::AllOrNothing && intake.counts.rejected > 0 {
        store.abort_return_batch(&actor.batch).await?;
        false
    } else {
        store.commit_return_batch(&actor.batch, intake.counts).await?;
        true
    };
    Ok(IntakeReport {
        batch: actor.batch,
        institution: submitter.institution.clone(),
        schema: schema.name,
        method: actor.method,
        mode,
        filename,
        format,
        counts: intake.counts,
        stored,
        rejected_rows: intake.rejected,
        rejected_rows_truncated: intake.truncated,
    })
}

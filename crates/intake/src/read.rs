//! Reading rows out of a file (of a workbook, its first sheet) on a blocking thread, in chunks through a
//! bounded channel, so the file is parsed while the previous chunk is
//! validated and stored, and at most a few chunks are ever in memory.
//!
//! - xlsx: calamine's streaming cell reader (the sheet's XML is never held
//!   whole; shared strings and styles are);
//! - xls and ods: calamine reads the sheet whole (xls holds at most 65,536
//!   rows; an ods is bounded by the upload limit);
//! - csv: the `csv` crate over the file, decoded from Windows-1252 on the
//!   fly when the start of the file is not UTF-8; `;`, `,` or tab, whichever
//!   the first lines use most.
//!
//! A cell holding a formula refuses the whole file: its cached value may be
//! stale and Gerbang does not recompute spreadsheets.

use std::io::{BufReader, Read, Seek, SeekFrom};

use calamine::{Data, DataRef, Reader, Xls, Xlsx};
use gerbang_core::return_data::{Cell, RawRow, excel_serial_date};
use tokio::sync::mpsc;

use crate::sniff::{Format, sniff};
use crate::{IntakeConfig, IntakeError, ReadSeek};

/// Rows per chunk sent to the validator.
pub(crate) const CHUNK_ROWS: usize = 8192;

/// A chunk of rows, or why reading stopped.
pub(crate) type Chunk = Result<Vec<RawRow>, IntakeError>;

/// Checks an uploaded file of `length` bytes before reading a row: its size
/// against the deployment's limit, then its type by content and the
/// zip-bomb guard (on a blocking thread); then starts reading it.
pub(crate) async fn start(
    file: Box<dyn ReadSeek>,
    length: u64,
    config: &IntakeConfig,
) -> Result<(mpsc::Receiver<Chunk>, Format), IntakeError> {
    if length > config.max_upload_bytes {
        return Err(IntakeError::TooLarge { limit_mib: config.max_upload_bytes >> 20 });
    }
    let limits = config.clone();
    let (file, format) = tokio::task::spawn_blocking(move || {
        let mut file = file;
        sniff(&mut file, &limits).map(|format| (file, format))
    })
    .await
    .map_err(|e| IntakeError::Io(e.to_string()))??;
    Ok((spawn(format, file), format))
}

/// Starts reading `file` as `format` on a blocking thread.
pub(crate) fn spawn(format: Format, file: Box<dyn ReadSeek>) -> mpsc::Receiver<Chunk> {
    let (sender, receiver) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || {
        let mut emitter = Emitter { sender, rows: Vec::with_capacity(CHUNK_ROWS) };
        // A spreadsheet library that panics on a malformed file must not
        // end the row stream as if the file had ended there: the rows read
        // so far would pass for the whole file. (Found by fuzzing: a
        // mangled .xls made calamine slice out of bounds.)
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match format {
            Format::Csv => csv_rows(file, &mut emitter),
            Format::Xlsx => xlsx_rows(file, &mut emitter),
            Format::Xls => match Xls::new(BufReader::new(file)) {
                Ok(workbook) => whole_sheet(workbook, &mut emitter),
                Err(error) => Err(IntakeError::Unreadable(error.to_string())),
            },
            Format::Ods => match calamine::Ods::new(BufReader::new(file)) {
                Ok(workbook) => whole_sheet(workbook, &mut emitter),
                Err(error) => Err(IntakeError::Unreadable(error.to_string())),
            },
        }));
        let result = read.unwrap_or_else(|_| {
            Err(IntakeError::Unreadable("berkas lembar kerja rusak dan tidak dapat dibaca sampai habis".into()))
        });
        match result {
            Ok(()) => emitter.flush(),
            Err(error) => {
                let _ = emitter.sender.blocking_send(Err(error));
            }
        }
    });
    receiver
}

struct Emitter {
    sender: mpsc::Sender<Chunk>,
    rows: Vec<RawRow>,
}

impl Emitter {
    /// Queues a row; false when the receiver is gone (stop reading).
    fn push(&mut self, row: RawRow) -> bool {
        self.rows.push(row);
        if self.rows.len() >= CHUNK_ROWS {
            let chunk = std::mem::replace(&mut self.rows, Vec::with_capacity(CHUNK_ROWS));
            return self.sender.blocking_send(Ok(chunk)).is_ok();
        }
        true
    }

    fn flush(&mut self) {
        if !self.rows.is_empty() {
            let _ = self.sender.blocking_send(Ok(std::mem::take(&mut self.rows)));
        }
    }
}

/// A1-style name of a zero-based cell position.
pub(crate) fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

fn from_data_ref(value: DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(n) => Cell::Number(n as f64),
        DataRef::Float(n) => Cell::Number(n),
        DataRef::String(text) => Cell::Text(text),
        DataRef::SharedString(text) => Cell::Text(text.to_owned()),
        DataRef::Bool(b) => Cell::Text(if b { "TRUE".into() } else { "FALSE".into() }),
        DataRef::DateTime(at) => excel_serial_date(at.as_f64()).map_or(Cell::Number(at.as_f64()), Cell::Date),
        DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => Cell::Text(text),
        DataRef::Error(error) => Cell::Text(format!("#{error}")),
    }
}

fn from_data(value: &Data) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::Int(n) => Cell::Number(*n as f64),
        Data::Float(n) => Cell::Number(*n),
        Data::String(text) => Cell::Text(text.clone()),
        Data::Bool(b) => Cell::Text(if *b { "TRUE".into() } else { "FALSE".into() }),
        Data::DateTime(at) => excel_serial_date(at.as_f64()).map_or(Cell::Number(at.as_f64()), Cell::Date),
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Text(text.clone()),
        Data::Error(error) => Cell::Text(format!("#{error}")),
    }
}

fn put(row: &mut Vec<Cell>, column: u32, cell: Cell) {
    let column = column as usize;
    if column >= 16_384 {
        return;
    }
    if row.len() <= column {
        row.resize(column + 1, Cell::Empty);
    }
    row[column] = cell;
}

fn xlsx_rows(file: Box<dyn ReadSeek>, emitter: &mut Emitter) -> Result<(), IntakeError> {
    let unreadable = |error: calamine::XlsxError| IntakeError::Unreadable(error.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(BufReader::with_capacity(1 << 16, file)).map_err(unreadable)?;
    let sheet = workbook.sheet_names().first().cloned().ok_or(IntakeError::NoSheet)?;
    let mut cells = workbook.worksheet_cells_reader(&sheet).map_err(unreadable)?;
    let mut current: Option<u32> = None;
    let mut row = Vec::new();
    while let Some(record) = cells.next_cell_with_formula_metadata().map_err(unreadable)? {
        let (r, c) = record.pos;
        if record.formula.is_some() {
            return Err(IntakeError::Formula { cell: cell_name(r, c) });
        }
        if current != Some(r) {
            if let Some(previous) = current
                && !emitter.push(RawRow { number: u64::from(previous) + 1, cells: std::mem::take(&mut row) })
            {
                return Ok(());
            }
            current = Some(r);
        }
        put(&mut row, c, from_data_ref(record.value));
    }
    if let Some(previous) = current {
        emitter.push(RawRow { number: u64::from(previous) + 1, cells: row });
    }
    Ok(())
}

fn whole_sheet<R, W>(mut workbook: W, emitter: &mut Emitter) -> Result<(), IntakeError>
where
    R: Read + Seek,
    W: Reader<R>,
    W::Error: std::fmt::Display,
{
    let sheet = workbook.sheet_names().first().cloned().ok_or(IntakeError::NoSheet)?;
    if let Ok(formulas) = workbook.worksheet_formula(&sheet)
        && let Some((r, c, _)) = formulas.used_cells().find(|(_, _, f)| !f.trim().is_empty())
    {
        let (r0, c0) = formulas.start().unwrap_or((0, 0));
        return Err(IntakeError::Formula { cell: cell_name(r0 + r as u32, c0 + c as u32) });
    }
    let range = workbook.worksheet_range(&sheet).map_err(|e| IntakeError::Unreadable(e.to_string()))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    for (offset, cells) in range.rows().enumerate() {
        let mut row = Vec::with_capacity(cells.len() + first_column as usize);
        row.resize(first_column as usize, Cell::Empty);
        row.extend(cells.iter().map(from_data));
        if !emitter.push(RawRow { number: u64::from(first_row) + offset as u64 + 1, cells: row }) {
            return Ok(());
        }
    }
    Ok(())
}

/// Decodes Windows-1252 to UTF-8 while reading.
struct Windows1252<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    decoded: Vec<u8>,
    position: usize,
}

impl<R: Read> Read for Windows1252<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.position == self.decoded.len() {
            let n = self.inner.read(&mut self.raw)?;
            if n == 0 {
                return Ok(0);
            }
            // A Windows-1252 byte is at most 3 bytes of UTF-8.
            self.decoded.resize(n * 3 + 8, 0);
            let (_, _, written, _) = self.decoder.decode_to_utf8(&self.raw[..n], &mut self.decoded, false);
            self.decoded.truncate(written);
            self.position = 0;
        }
        let n = out.len().min(self.decoded.len() - self.position);
        out[..n].copy_from_slice(&self.decoded[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

/// Whether `head` is UTF-8 (a sequence cut at the end of the sample is fine).
fn is_utf8(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(error) => error.error_len().is_none(),
    }
}

/// The separator the first lines use most: `;` (Excel and LibreOffice in
/// an Indonesian locale), `,` or tab.
fn separator(head: &[u8]) -> u8 {
    let sample: Vec<&[u8]> =
        head.split(|b| *b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace)).take(20).collect();
    let count = |sep: u8| sample.iter().map(|l| l.iter().filter(|b| **b == sep).count()).sum::<usize>();
    [b';', b',', b'\t'].into_iter().max_by_key(|sep| (count(*sep), *sep == b',')).unwrap_or(b',')
}

fn csv_rows(mut file: Box<dyn ReadSeek>, emitter: &mut Emitter) -> Result<(), IntakeError> {
    let mut head = vec![0u8; 1 << 16];
    let mut filled = 0;
    while filled < head.len() {
        let n = file.read(&mut head[filled..]).map_err(IntakeError::io)?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let bom = head.starts_with(&[0xEF, 0xBB, 0xBF]);
    file.seek(SeekFrom::Start(if bom { 3 } else { 0 })).map_err(IntakeError::io)?;
    let separator = separator(&head);
    let input: Box<dyn Read> = if is_utf8(&head) {
        Box::new(file)
    } else {
        Box::new(Windows1252 {
            inner: file,
            decoder: encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            raw: vec![0; 1 << 16],
            decoded: Vec::new(),
            position: 0,
        })
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .buffer_capacity(1 << 16)
        // A last line without its newline gets one, so every record ends
        // with a line break and its number counts back the same way.
        .from_reader(input.chain(&b"\n"[..]));
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                // The record's own position is where parsing began, which
                // is before any blank lines the reader skipped; so count
                // back from where it ended instead.
                let end = reader.position().line();
                let inner = record.as_slice().iter().filter(|b| **b == b'\n').count() as u64;
                let number = end.saturating_sub(inner + 1).max(1);
                let cells = record
                    .iter()
                    .map(|field| {
                        let text = String::from_utf8_lossy(field);
                        if text.trim().is_empty() { Cell::Empty } else { Cell::Text(text.into_owned()) }
                    })
                    .collect();
                if !emitter.push(RawRow { number, cells }) {
                    return Ok(());
                }
            }
            Err(error) => return Err(IntakeError::Unreadable(format!("CSV tidak dapat dibaca: {error}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_spreadsheet_that_crashes_its_reader_is_unreadable_not_short() {
        let bytes = include_bytes!("../fixtures/fuzz-crash-calamine-cfb.xls");
        let mut rows = spawn(Format::Xls, Box::new(std::io::Cursor::new(bytes.to_vec())));
        let mut last = None;
        while let Some(chunk) = rows.recv().await {
            last = Some(chunk);
        }
        assert!(matches!(last, Some(Err(IntakeError::Unreadable(_)))), "{last:?}");
    }

    #[test]
    fn cells_are_named_like_a_spreadsheet() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(4, 27), "AB5");
    }

    #[test]
    fn the_separator_is_the_one_used_most() {
        assert_eq!(separator(b"NIK;NIP;STATUS\n1;2;3\n"), b';');
        assert_eq!(separator(b"NIK,NIP\n1,2\n"), b',');
        assert_eq!(separator(b"\n\nNIK\tNIP\n"), b'\t');
    }

    #[test]
    fn windows_1252_is_decoded_while_reading() {
        let raw: &[u8] = b"Jalan Kenari \xe9\x93 8";
        assert!(!is_utf8(raw));
        let mut reader = Windows1252 {
            inner: raw,
            decoder: encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            raw: vec![0; 4],
            decoded: Vec::new(),
            position: 0,
        };
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "Jalan Kenari \u{e9}\u{201c} 8");
    }
}

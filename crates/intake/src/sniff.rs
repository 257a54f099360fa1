//! What a file is, decided by its content (magic bytes, then the zip
//! directory), never by its name; and the zip-bomb guard: a workbook is a
//! zip archive whose entries' declared uncompressed sizes are summed and
//! compared to their compressed sizes before anything is decompressed. The
//! zip reader then refuses to inflate an entry past its declared size, so a
//! lying header cannot get around the check.
//!
//! An .xls is an OLE2 compound file, and its sector chains are checked
//! with the `cfb` crate before calamine reads it: calamine follows a chain
//! that loops back on itself without end, so a 6 KB mangled .xls made it
//! allocate gigabytes (found by fuzzing; fixture `fuzz-oom-calamine-cfb-loop.xls`).

use std::io::{Read, Seek, SeekFrom};

use crate::{IntakeConfig, IntakeError};

/// A readable spreadsheet format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (Excel 2007+, LibreOffice "Excel 2007-365").
    Xlsx,
    /// Excel 97–2003 binary workbook (OLE2).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Comma- or semicolon-separated text, UTF-8 or Windows-1252.
    Csv,
}

impl Format {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
        }
    }
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Reads the format from the content of `file` (left at its start).
pub fn sniff<R: Read + Seek>(file: &mut R, config: &IntakeConfig) -> Result<Format, IntakeError> {
    let mut head = vec![0u8; 8192];
    let mut filled = 0;
    while filled < head.len() {
        let n = file.read(&mut head[filled..]).map_err(IntakeError::io)?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    file.seek(SeekFrom::Start(0)).map_err(IntakeError::io)?;
    if head.is_empty() {
        return Err(IntakeError::Empty);
    }
    if head.starts_with(b"PK\x03\x04") {
        return zipped(file, config);
    }
    if head.starts_with(OLE2) {
        return compound(file);
    }
    let refused = if head.starts_with(b"%PDF") {
        Some("dokumen PDF")
    } else if head.starts_with(b"MZ") || head.starts_with(b"\x7fELF") {
        Some("program (berkas yang dapat dijalankan)")
    } else if head.starts_with(b"PK") || head.starts_with(&[0x1F, 0x8B]) || head.starts_with(b"Rar!") {
        Some("arsip terkompresi")
    } else if head.starts_with(&[0x89, b'P', b'N', b'G']) || head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("gambar")
    } else {
        None
    };
    if let Some(kind) = refused {
        return Err(IntakeError::NotASpreadsheet(kind.into()));
    }
    if looks_like_text(&head) {
        Ok(Format::Csv)
    } else {
        Err(IntakeError::NotASpreadsheet("berkas biner yang tidak dikenal".into()))
    }
}

/// Text in UTF-8 or Windows-1252: no NUL and no control bytes besides tab,
/// line breaks and form feed.
fn looks_like_text(head: &[u8]) -> bool {
    head.iter().all(|b| *b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

/// Checks that an OLE2 file is a well-formed compound file (every sector
/// chain ends, the allocation table fits the file) holding a workbook
/// stream, as Excel 97–2003 writes it.
fn compound<R: Read + Seek>(file: &mut R) -> Result<Format, IntakeError> {
    let broken = |_| IntakeError::Unreadable("berkas .xls rusak: struktur berkasnya tidak utuh".into());
    let compound = cfb::CompoundFile::open(&mut *file).map_err(broken)?;
    let has_workbook = compound.is_stream("/Workbook") || compound.is_stream("/Book");
    drop(compound);
    if !has_workbook {
        return Err(IntakeError::NotASpreadsheet("dokumen Office yang bukan lembar kerja Excel".into()));
    }
    file.seek(SeekFrom::Start(0)).map_err(IntakeError::io)?;
    Ok(Format::Xls)
}

/// Tells xlsx from ods and applies the zip-bomb guard.
fn zipped<R: Read + Seek>(file: &mut R, config: &IntakeConfig) -> Result<Format, IntakeError> {
    let mut archive = zip::ZipArchive::new(&mut *file)
        .map_err(|_| IntakeError::NotASpreadsheet("arsip zip yang rusak atau bukan lembar kerja".into()))?;
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(archive.len().min(1024));
    for index in 0..archive.len() {
        let entry =
            archive.by_index_raw(index).map_err(|_| IntakeError::NotASpreadsheet("arsip zip yang rusak".into()))?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        // Small entries compress well legitimately (styles, shared strings).
        if size > 16 << 20 && size / packed > config.max_ratio {
            return Err(IntakeError::ZipBomb);
        }
        if names.len() < 1024 {
            names.push(entry.name().map(|n| n.to_string()).unwrap_or_default());
        }
    }
    if total > config.max_unpacked_bytes {
        return Err(IntakeError::ZipBomb);
    }
    let format = if names.iter().any(|n| n == "xl/workbook.xml") {
        Format::Xlsx
    } else if names.iter().any(|n| n == "mimetype") && is_ods(&mut archive) {
        Format::Ods
    } else {
        return Err(IntakeError::NotASpreadsheet("arsip zip yang bukan lembar kerja (xlsx/ods)".into()));
    };
    drop(archive);
    file.seek(SeekFrom::Start(0)).map_err(IntakeError::io)?;
    Ok(format)
}

fn is_ods<R: Read + Seek>(archive: &mut zip::ZipArchive<R>) -> bool {
    let Ok(entry) = archive.by_name("mimetype") else { return false };
    let mut text = String::new();
    entry.take(128).read_to_string(&mut text).is_ok() && text.trim() == "application/vnd.oasis.opendocument.spreadsheet"
}

//! ISO/IEC 19794-2:2005 finger minutiae records, read and written by hand.
//!
//! **Why not nbis-rs's reader.** `nbis::load_iso_19794_2_2005` takes the
//! minutiae count as a *signed* byte: a record with 128 or more minutiae
//! turns into a negative count cast to `usize` and an allocation that
//! aborts the process; its writer likewise wraps past 127. So every record
//! is parsed here, with every length and count checked against the bytes
//! actually present, and only a record this module wrote (at most
//! [`MAX_MINUTIAE`] minutiae, one finger view) is ever handed to nbis.
//!
//! Layout (all big-endian): record header of 24 bytes — `"FMR\0"`,
//! `" 20\0"`, total length (4), capture equipment (2), width (2), height
//! (2), x and y resolution in pixels per cm (2 + 2), number of finger
//! views (1), reserved (1); then per view a 4-byte header — finger
//! position, view number and impression type, finger quality, minutiae
//! count — the minutiae (6 bytes each: type in the top 2 bits of x, x in
//! 14 bits, y in 14 bits, angle in units of 360/256 degrees, quality
//! 0–100) and an extended data block (2-byte length, then that many
//! bytes).

use super::{FingerprintTemplate, MAX_MINUTIAE, Minutia, MinutiaKind};
use crate::error::{BiometricsError, Result};

const HEADER_LEN: usize = 24;
const VIEW_HEADER_LEN: usize = 4;
const MINUTIA_LEN: usize = 6;
/// 500 dpi in pixels per centimetre, as the record states it.
const PIXELS_PER_CM_500_DPI: u16 = 197;
/// Most minutiae a record may declare before it is refused rather than
/// capped: beyond this no real finger is behind it.
pub const MAX_DECLARED_MINUTIAE: usize = 200;
/// Largest record accepted: one view of 255 minutiae plus a generous
/// extended data block. Longer input is refused before it is parsed.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;

fn be16(bytes: &[u8], at: usize) -> Result<u16> {
    match bytes.get(at..at + 2) {
        Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
        _ => Err(BiometricsError::bad_template("rekaman terpotong")),
    }
}

fn byte(bytes: &[u8], at: usize) -> Result<u8> {
    bytes.get(at).copied().ok_or_else(|| BiometricsError::bad_template("rekaman terpotong"))
}

/// Parses a record; see the module documentation for what is checked.
pub(super) fn parse(bytes: &[u8]) -> Result<FingerprintTemplate> {
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(BiometricsError::bad_template(format!("rekaman lebih dari {MAX_RECORD_BYTES} byte")));
    }
    if bytes.len() < HEADER_LEN + VIEW_HEADER_LEN {
        return Err(BiometricsError::bad_template("rekaman terlalu pendek"));
    }
    if &bytes[0..4] != b"FMR\0" {
        return Err(BiometricsError::bad_template("tanda format \"FMR\" tidak ditemukan"));
    }
    if &bytes[4..8] != b" 20\0" {
        return Err(BiometricsError::bad_template("hanya versi 2005 (\" 20\") yang didukung"));
    }
    let declared = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if usize::try_from(declared).ok() != Some(bytes.len()) {
        return Err(BiometricsError::bad_template(format!(
            "panjang tercatat {declared} byte, yang diterima {} byte",
            bytes.len()
        )));
    }
    let width = be16(bytes, 14)?;
    let height = be16(bytes, 16)?;
    let views = byte(bytes, 22)?;
    if views == 0 {
        return Err(BiometricsError::bad_template("rekaman tanpa tampilan jari"));
    }
    // The first view is the template; later views (other fingers or
    // impressions) are length-checked but not used.
    let mut at = HEADER_LEN;
    let mut first = None;
    for _ in 0..views {
        let count = usize::from(byte(bytes, at + 3)?);
        if count > MAX_DECLARED_MINUTIAE {
            return Err(BiometricsError::bad_template(format!(
                "{count} minusi, lebih dari batas {MAX_DECLARED_MINUTIAE}"
            )));
        }
        let records_at = at + VIEW_HEADER_LEN;
        let records_end = records_at + count * MINUTIA_LEN;
        let records =
            bytes.get(records_at..records_end).ok_or_else(|| BiometricsError::bad_template("data minusi terpotong"))?;
        let extended = usize::from(be16(bytes, records_end)?);
        let view_end = records_end + 2 + extended;
        if view_end > bytes.len() {
            return Err(BiometricsError::bad_template("blok data tambahan terpotong"));
        }
        if first.is_none() {
            first = Some(records);
        }
        at = view_end;
    }
    if at != bytes.len() {
        return Err(BiometricsError::bad_template("ada data lebih setelah tampilan jari terakhir"));
    }
    let records = first.unwrap_or_default();
    let mut minutiae = Vec::with_capacity(records.len() / MINUTIA_LEN);
    for record in records.chunks_exact(MINUTIA_LEN) {
        minutiae.push(parse_minutia(record, width, height)?);
    }
    Ok(FingerprintTemplate::from_minutiae(width, height, minutiae))
}

fn parse_minutia(record: &[u8], width: u16, height: u16) -> Result<Minutia> {
    let kind = match record[0] >> 6 {
        0b01 => MinutiaKind::RidgeEnding,
        0b10 => MinutiaKind::Bifurcation,
        _ => MinutiaKind::Other,
    };
    let x = u16::from_be_bytes([record[0] & 0x3f, record[1]]);
    let y = u16::from_be_bytes([record[2] & 0x3f, record[3]]);
    if (width > 0 && x >= width) || (height > 0 && y >= height) {
        return Err(BiometricsError::bad_template(format!("minusi di ({x}, {y}) di luar gambar {width}×{height}")));
    }
    Ok(Minutia {
        x,
        y,
        angle: record[4],
        // ISO quality is 0–100 (0: not reported); some writers put more.
        quality: record[5].min(100),
        kind,
    })
}

/// Writes `template` as a one-view record at 500 dpi.
pub(super) fn write(template: &FingerprintTemplate) -> Vec<u8> {
    let minutiae = template.minutiae();
    // `FingerprintTemplate` holds at most MAX_MINUTIAE (127), so the count
    // fits the byte, and nbis's signed reading of it, without wrapping.
    let count = minutiae.len().min(MAX_MINUTIAE);
    let total = HEADER_LEN + VIEW_HEADER_LEN + count * MINUTIA_LEN + 2;
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"FMR\0 20\0");
    out.extend_from_slice(&u32::try_from(total).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&template.width().to_be_bytes());
    out.extend_from_slice(&template.height().to_be_bytes());
    out.extend_from_slice(&PIXELS_PER_CM_500_DPI.to_be_bytes());
    out.extend_from_slice(&PIXELS_PER_CM_500_DPI.to_be_bytes());
    out.extend_from_slice(&[1, 0]);
    // Finger position 0 (unknown), view 0 / live-scan plain, quality 0.
    out.extend_from_slice(&[0, 0, 0, u8::try_from(count).unwrap_or(0)]);
    for m in &minutiae[..count] {
        let kind: u16 = match m.kind {
            MinutiaKind::Other => 0,
            MinutiaKind::RidgeEnding => 1,
            MinutiaKind::Bifurcation => 2,
        };
        out.extend_from_slice(&((kind << 14) | (m.x & 0x3fff)).to_be_bytes());
        out.extend_from_slice(&(m.y & 0x3fff).to_be_bytes());
        out.push(m.angle);
        out.push(m.quality);
    }
    out.extend_from_slice(&[0, 0]);
    out
}

//! The marker segments before and between the coded blocks: the frame
//! header, the wavelet filters (DTT), the quantizer (DQT), the Huffman
//! tables (DHT) and comments, of which the first NISTCOM may carry the
//! scan resolution. Numbers are read exactly as NBIS reads them, so the
//! reconstruction that uses them matches NBIS bit for bit; like NBIS, the
//! length fields of the fixed-size segments (SOF, DTT, DQT, block
//! headers) are skipped, not trusted, while comments and Huffman tables
//! are read by theirs.

use crate::bytes::{COM, DHT, DQT, DTT, Reader, scaled};
use crate::error::{Result, WsqError};

/// Subbands carried by the quantization table (60 used, 4 reserved).
pub(crate) const SUBBANDS: usize = 64;
/// Huffman tables a stream may define (table ids 0 to 7).
const HUFFMAN_TABLES: usize = 8;
/// Code lengths in a Huffman table, 1 to 16 bits.
pub(crate) const MAX_CODE_BITS: usize = 16;
/// Values a Huffman table may hold (NBIS's `MAX_HUFFCOUNTS_WSQ + 1`).
pub(crate) const MAX_HUFFMAN_VALUES: usize = 257;
/// Longest filter accepted. The standard filters have 9 and 7 taps; a
/// bound keeps the work per pixel bounded for a hostile stream (a byte
/// could declare 255).
const MAX_FILTER_TAPS: u8 = 32;

/// The frame header (SOF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    /// Width, in pixels.
    pub(crate) width: u16,
    /// Height, in pixels.
    pub(crate) height: u16,
    /// The mean the encoder subtracted from every pixel.
    pub(crate) m_shift: f32,
    /// The scale the encoder divided every pixel by.
    pub(crate) r_scale: f32,
}

impl Frame {
    /// Reads the frame header after its SOF marker.
    pub(crate) fn read(reader: &mut Reader<'_>) -> Result<Frame> {
        let _length = reader.u16()?;
        let _black = reader.u8()?;
        let _white = reader.u8()?;
        let height = reader.u16()?;
        let width = reader.u16()?;
        let m_shift = scaled_u16(reader)?;
        let r_scale = scaled_u16(reader)?;
        let _encoder = reader.u8()?;
        let _software = reader.u16()?;
        Ok(Frame { width, height, m_shift, r_scale })
    }
}

/// The synthesis filters, expanded from the transmitted halves (DTT).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Filters {
    /// Lowpass synthesis filter.
    pub(crate) lo: Vec<f32>,
    /// Highpass synthesis filter.
    pub(crate) hi: Vec<f32>,
}

impl Filters {
    /// Reads a transform table after its DTT marker. The stream carries
    /// the right half of each analysis filter; the synthesis filters are
    /// their mirror images, modulated by (−1)^n (NBIS
    /// `getc_transform_table`, whose reading order this follows: the first
    /// size and coefficients make the highpass synthesis filter).
    fn read(reader: &mut Reader<'_>) -> Result<Filters> {
        let _length = reader.u16()?;
        let hi_len = reader.u8()?;
        let lo_len = reader.u8()?;
        if hi_len == 0 || lo_len == 0 {
            return Err(WsqError::Corrupt("empty wavelet filter"));
        }
        if hi_len > MAX_FILTER_TAPS || lo_len > MAX_FILTER_TAPS {
            return Err(WsqError::Unsupported("wavelet filter longer than 32 taps"));
        }
        let hi = expand(reader, usize::from(hi_len), sign, true)?;
        let lo = expand(reader, usize::from(lo_len), |n| sign(n + 1), false)?;
        Ok(Filters { lo, hi })
    }
}

/// (−1)^n, as NBIS's `int_sign`.
fn sign(n: usize) -> f32 {
    if n.is_multiple_of(2) { 1.0 } else { -1.0 }
}

/// Reads the transmitted half of a filter of `len` taps and mirrors it.
/// For an odd length the halves share the centre tap; for an even one the
/// `even_sign` of tap n is used, and the mirrored half is negated when
/// `negate_even_mirror`.
fn expand(
    reader: &mut Reader<'_>,
    len: usize,
    even_sign: impl Fn(usize) -> f32,
    negate_even_mirror: bool,
) -> Result<Vec<f32>> {
    let mut filter = vec![0.0f32; len];
    let half = len.div_ceil(2) - 1;
    for n in 0..=half {
        let negative = reader.u8()? != 0;
        let scale = reader.u8()?;
        let magnitude = scaled(reader.u32()?, scale);
        let value = if negative { -magnitude } else { magnitude };
        if len % 2 == 1 {
            filter[n + half] = sign(n) * value;
            if n > 0 {
                filter[half - n] = filter[n + half];
            }
        } else {
            filter[n + half + 1] = even_sign(n) * value;
            let mirrored = filter[n + half + 1];
            filter[half - n] = if negate_even_mirror { -mirrored } else { mirrored };
        }
    }
    Ok(filter)
}

/// The quantizer (DQT): per subband the bin width and the zero bin width.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quantizer {
    /// The bin centre, as a fraction of the bin width.
    pub(crate) bin_center: f32,
    /// Bin width per subband; zero for a subband not transmitted.
    pub(crate) q_bin: [f32; SUBBANDS],
    /// Zero bin width per subband.
    pub(crate) z_bin: [f32; SUBBANDS],
}

impl Quantizer {
    fn read(reader: &mut Reader<'_>) -> Result<Quantizer> {
        let _length = reader.u16()?;
        let bin_center = scaled_u16(reader)?;
        let mut q_bin = [0.0; SUBBANDS];
        let mut z_bin = [0.0; SUBBANDS];
        for (q, z) in q_bin.iter_mut().zip(z_bin.iter_mut()) {
            *q = scaled_u16(reader)?;
            *z = scaled_u16(reader)?;
        }
        Ok(Quantizer { bin_center, q_bin, z_bin })
    }
}

/// A Huffman table as transmitted: how many codes of each length, and the
/// values in code order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HuffmanTable {
    /// Number of codes of length 1 to 16.
    pub(crate) counts: [u8; MAX_CODE_BITS],
    /// The values, in code order, zero-padded to 257.
    pub(crate) values: [u8; MAX_HUFFMAN_VALUES],
}

/// Everything the tables define so far; a later table replaces an earlier
/// one of the same kind (and id), as in NBIS.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tables {
    /// The wavelet filters, once a DTT was read.
    pub(crate) filters: Option<Filters>,
    /// The quantizer, once a DQT was read.
    pub(crate) quantizer: Option<Quantizer>,
    /// Huffman tables by id.
    pub(crate) huffman: [Option<HuffmanTable>; HUFFMAN_TABLES],
    /// The scan resolution from the first NISTCOM comment before the first
    /// block, if it gives a positive one.
    pub(crate) ppi: Option<u32>,
    /// Whether a NISTCOM was already seen (only the first counts).
    nistcom_seen: bool,
    /// Whether a block was started (comments after it are not searched for
    /// a NISTCOM, as in NBIS's `getc_ppi_wsq`).
    pub(crate) in_blocks: bool,
}

impl Tables {
    /// Reads the table or comment segment after `marker`.
    pub(crate) fn read(&mut self, marker: u16, reader: &mut Reader<'_>) -> Result<()> {
        match marker {
            DTT => self.filters = Some(Filters::read(reader)?),
            DQT => self.quantizer = Some(Quantizer::read(reader)?),
            DHT => self.read_huffman(reader)?,
            COM => {
                let length = reader.u16()?;
                let text =
                    reader.take(usize::from(length.checked_sub(2).ok_or(WsqError::Corrupt("comment length"))?))?;
                if !self.in_blocks && !self.nistcom_seen && text.starts_with(b"NIST_COM") {
                    self.nistcom_seen = true;
                    self.ppi = nistcom_ppi(text);
                }
            }
            _ => return Err(WsqError::Corrupt("unexpected marker where a table belongs")),
        }
        Ok(())
    }

    /// Reads a DHT segment: one or more tables, the first replacing any
    /// table of its id, the later ones refused if their id is already
    /// defined (NBIS `getc_huffman_table_wsq`).
    fn read_huffman(&mut self, reader: &mut Reader<'_>) -> Result<()> {
        let length = reader.u16()?;
        let mut left = i32::from(length) - 2;
        let mut first = true;
        loop {
            if left <= 0 {
                return Err(WsqError::Corrupt("Huffman table length"));
            }
            let id = usize::from(reader.u8()?);
            let mut counts = [0u8; MAX_CODE_BITS];
            for count in &mut counts {
                *count = reader.u8()?;
            }
            let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
            if total > MAX_HUFFMAN_VALUES {
                return Err(WsqError::Corrupt("Huffman table with too many values"));
            }
            let mut values = [0u8; MAX_HUFFMAN_VALUES];
            values[..total].copy_from_slice(reader.take(total)?);
            left -= 1 + MAX_CODE_BITS as i32 + total as i32;
            let slot = self.huffman.get_mut(id).ok_or(WsqError::Corrupt("Huffman table id over 7"))?;
            if !first && slot.is_some() {
                return Err(WsqError::Corrupt("Huffman table defined twice"));
            }
            *slot = Some(HuffmanTable { counts, values });
            first = false;
            if left == 0 {
                return Ok(());
            }
        }
    }
}

/// A two-byte value with its one-byte decimal exponent before it.
fn scaled_u16(reader: &mut Reader<'_>) -> Result<f32> {
    let scale = reader.u8()?;
    Ok(scaled(u32::from(reader.u16()?), scale))
}

/// The `PPI` field of a NISTCOM text ("NIST_COM n\nPPI 500\n..."): its
/// value read as C's `atoi`, kept if positive (NBIS writes "PPI -1" for an
/// unknown resolution).
fn nistcom_ppi(text: &[u8]) -> Option<u32> {
    let text = text.split(|&b| b == 0).next().unwrap_or_default();
    let line = text.split(|&b| b == b'\n').find_map(|line| line.strip_prefix(b"PPI "))?;
    let start = line.iter().position(|b| !b.is_ascii_whitespace())?;
    let digits: Vec<u8> = line[start..].iter().copied().take_while(u8::is_ascii_digit).take(9).collect();
    let ppi: u32 = std::str::from_utf8(&digits).ok()?.parse().ok()?;
    (ppi > 0).then_some(ppi)
}

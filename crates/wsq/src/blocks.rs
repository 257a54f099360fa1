//! The coded blocks after the frame header: tables and comments may come
//! between them, each block names its Huffman table, and the symbols give
//! the quantized coefficients of the transmitted subbands in order (NBIS
//! `huffman_decode_data_mem`). The output never grows past the image.

use crate::bytes::{COM, EOI, Expect, Reader, SOB};
use crate::error::{Result, WsqError};
use crate::huffman::{BitReader, Bits, Decoder, Symbol};
use crate::tables::Tables;

/// Decodes the blocks up to the End of Image marker into at most
/// `capacity` quantized coefficients, reading the tables met on the way
/// into `tables`.
pub(crate) fn decode(reader: &mut Reader<'_>, tables: &mut Tables, capacity: usize) -> Result<Vec<i16>> {
    let mut out: Vec<i16> = Vec::with_capacity(capacity);
    let mut bits = BitReader::default();
    let mut decoder: Option<Decoder> = None;
    let mut blocks = 0u32;
    let mut marker = reader.marker(Expect::TablesOrBlock)?;
    while marker != EOI {
        if marker != 0 {
            blocks = blocks.saturating_add(1);
            while marker != SOB {
                tables.read(marker, reader)?;
                marker = reader.marker(Expect::TablesOrBlock)?;
            }
            tables.in_blocks = true;
            let _length = reader.u16()?;
            let id = usize::from(reader.u8()?);
            let table = tables.huffman.get(id).and_then(Option::as_ref);
            decoder = Some(Decoder::new(table.ok_or(WsqError::Corrupt("block uses an undefined Huffman table"))?));
            bits.reset();
            marker = 0;
        }
        let decoder = decoder.as_ref().ok_or(WsqError::Corrupt("coded data outside a block"))?;
        match bits.symbol(reader, decoder)? {
            Symbol::Marker(found) => {
                marker = found;
                // NBIS reads comments after the third block here (the
                // standard's place for them); elsewhere they are read as
                // tables before the next block.
                while marker == COM && blocks == 3 {
                    tables.read(COM, reader)?;
                    marker = reader.marker(Expect::Any)?;
                }
            }
            Symbol::Value(value) => push(&mut out, capacity, value, &mut bits, reader)?,
        }
    }
    Ok(out)
}

/// Appends what `value` of WSQ's coefficient alphabet stands for: a run of
/// zeros (1 to 100, or 105/106 with an 8/16-bit length), a coefficient
/// with an 8- or 16-bit magnitude (101 to 104), or a small coefficient
/// (107 to 254, offset by 180).
fn push(out: &mut Vec<i16>, capacity: usize, value: u8, bits: &mut BitReader, reader: &mut Reader<'_>) -> Result<()> {
    let mut extra = |count: u32| -> Result<u16> {
        match bits.bits(reader, count)? {
            Bits::Value(value) => Ok(value),
            Bits::Marker(_) => Err(WsqError::Corrupt("marker inside coded data")),
        }
    };
    let (run, coefficient) = match value {
        1..=100 => (usize::from(value), None),
        101 => (0, Some(extra(8)? as i16)),
        102 => (0, Some(-(extra(8)? as i16))),
        // A 16-bit magnitude is stored in NBIS's `short`, wrapping.
        103 => (0, Some(extra(16)? as i16)),
        104 => (0, Some((-i32::from(extra(16)?)) as i16)),
        105 => (usize::from(extra(8)?), None),
        106 => (usize::from(extra(16)?), None),
        107..=254 => (0, Some(i16::from(value) - 180)),
        _ => return Err(WsqError::Corrupt("invalid coefficient code")),
    };
    let count = if coefficient.is_some() { 1 } else { run };
    if out.len() + count > capacity {
        return Err(WsqError::Corrupt("more coefficients than the image holds"));
    }
    match coefficient {
        Some(c) => out.push(c),
        None => out.resize(out.len() + run, 0),
    }
    Ok(())
}

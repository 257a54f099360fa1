//! The entropy-coded data: canonical Huffman codes (built from a table's
//! code counts as in JPEG), a bit reader that undoes the 0xFF 0x00 byte
//! stuffing and notices markers, and the symbols of WSQ's coefficient
//! alphabet (NBIS `decode_data_mem`, `getc_nextbits_wsq`).

use crate::bytes::Reader;
use crate::error::{Result, WsqError};
use crate::tables::{HuffmanTable, MAX_CODE_BITS, MAX_HUFFMAN_VALUES};

/// A Huffman table ready for decoding: per code length, the smallest and
/// largest code and where its values start.
#[derive(Debug, Clone)]
pub(crate) struct Decoder {
    max_code: [i32; MAX_CODE_BITS + 1],
    min_code: [i32; MAX_CODE_BITS + 1],
    first_value: [usize; MAX_CODE_BITS + 1],
    values: [u8; MAX_HUFFMAN_VALUES],
}

impl Decoder {
    /// Builds the decoding tables of `table` (NBIS `build_huffsizes`,
    /// `build_huffcodes`, `gen_decode_table`). Codes are 16-bit and wrap
    /// as NBIS's do; a table whose counts over-fill the code space gives
    /// codes that decode to an error, never a read out of the table.
    pub(crate) fn new(table: &HuffmanTable) -> Decoder {
        let mut codes = [0u16; MAX_HUFFMAN_VALUES];
        let mut next = 0usize;
        let mut code = 0u16;
        for &count in &table.counts {
            for _ in 0..count {
                if let Some(slot) = codes.get_mut(next) {
                    *slot = code;
                }
                code = code.wrapping_add(1);
                next += 1;
            }
            code <<= 1;
        }
        let mut decoder = Decoder {
            max_code: [0; MAX_CODE_BITS + 1],
            min_code: [0; MAX_CODE_BITS + 1],
            first_value: [0; MAX_CODE_BITS + 1],
            values: table.values,
        };
        let mut at = 0usize;
        for (bits, &count) in (1..=MAX_CODE_BITS).zip(&table.counts) {
            if count == 0 {
                decoder.max_code[bits] = -1;
                continue;
            }
            decoder.first_value[bits] = at;
            decoder.min_code[bits] = i32::from(codes.get(at).copied().unwrap_or(0));
            at += usize::from(count) - 1;
            decoder.max_code[bits] = i32::from(codes.get(at).copied().unwrap_or(0));
            at += 1;
        }
        decoder
    }
}

/// What the entropy-coded data gives next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Symbol {
    /// A Huffman-coded value (a category of WSQ's coefficient alphabet).
    Value(u8),
    /// A marker met where a code should start: the end of the block.
    Marker(u16),
}

/// What [`BitReader::bits`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bits {
    /// The bits asked for, right-aligned.
    Value(u16),
    /// A marker where the next byte should have started.
    Marker(u16),
}

/// Reads bits most significant first, dropping the 0x00 stuffed after each
/// 0xFF data byte.
#[derive(Debug, Default)]
pub(crate) struct BitReader {
    byte: u8,
    left: u32,
}

impl BitReader {
    /// Starts afresh on a byte boundary (at each block).
    pub(crate) fn reset(&mut self) {
        self.left = 0;
    }

    /// The next `count` (1 to 16) bits, or the marker met where a byte
    /// should start when `count` is 1 (a code's bits are read one at a
    /// time, so that is where a block ends); a marker anywhere else is
    /// corrupt data.
    pub(crate) fn bits(&mut self, reader: &mut Reader<'_>, count: u32) -> Result<Bits> {
        let mut value = 0u16;
        let mut wanted = count;
        while wanted > 0 {
            if self.left == 0 {
                self.byte = reader.u8()?;
                self.left = 8;
                if self.byte == 0xff {
                    let next = reader.u8()?;
                    if next != 0 {
                        if count == 1 {
                            return Ok(Bits::Marker(0xff00 | u16::from(next)));
                        }
                        return Err(WsqError::Corrupt("marker inside coded data"));
                    }
                }
            }
            let take = wanted.min(self.left);
            self.left -= take;
            let chunk = (u32::from(self.byte) >> self.left) & ((1 << take) - 1);
            value = ((u32::from(value) << take) | chunk) as u16;
            wanted -= take;
        }
        Ok(Bits::Value(value))
    }

    /// The next symbol coded with `decoder`.
    pub(crate) fn symbol(&mut self, reader: &mut Reader<'_>, decoder: &Decoder) -> Result<Symbol> {
        let mut code = match self.bits(reader, 1)? {
            Bits::Value(bit) => i32::from(bit),
            Bits::Marker(marker) => return Ok(Symbol::Marker(marker)),
        };
        let mut length = 1;
        while code > decoder.max_code[length] {
            length += 1;
            if length > MAX_CODE_BITS {
                return Err(WsqError::Corrupt("invalid Huffman code"));
            }
            match self.bits(reader, 1)? {
                Bits::Value(bit) => code = (code << 1) + i32::from(bit),
                Bits::Marker(marker) => return Ok(Symbol::Marker(marker)),
            }
        }
        let index = decoder.first_value[length] as i64 + i64::from(code) - i64::from(decoder.min_code[length]);
        let value = usize::try_from(index).ok().and_then(|i| decoder.values.get(i));
        value.map(|&v| Symbol::Value(v)).ok_or(WsqError::Corrupt("invalid Huffman code"))
    }
}

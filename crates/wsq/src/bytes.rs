//! A bounded cursor over the input and the WSQ markers. Every read checks
//! the remaining length, so a truncated stream is an error where it ends.

use crate::error::{Result, WsqError};

/// Start of Image.
pub(crate) const SOI: u16 = 0xffa0;
/// End of Image.
pub(crate) const EOI: u16 = 0xffa1;
/// Start of Frame (the frame header).
pub(crate) const SOF: u16 = 0xffa2;
/// Start of Block (a block header, then entropy-coded data).
pub(crate) const SOB: u16 = 0xffa3;
/// Define Transform Table (the wavelet filters).
pub(crate) const DTT: u16 = 0xffa4;
/// Define Quantization Table.
pub(crate) const DQT: u16 = 0xffa5;
/// Define Huffman Table(s).
pub(crate) const DHT: u16 = 0xffa6;
/// Comment (a NISTCOM, or free text).
pub(crate) const COM: u16 = 0xffa8;

/// Which markers may come next, as NBIS's `getc_marker_wsq` checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expect {
    /// A table, a comment or the frame header.
    TablesOrFrame,
    /// A table, a comment or a block header.
    TablesOrBlock,
    /// Any WSQ marker (0xFFA0 to 0xFFA8).
    Any,
}

/// A cursor over the input bytes.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A cursor at the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    /// The next byte.
    pub(crate) fn u8(&mut self) -> Result<u8> {
        let byte = *self.bytes.get(self.at).ok_or(WsqError::Truncated)?;
        self.at += 1;
        Ok(byte)
    }

    /// The next two bytes, big-endian.
    pub(crate) fn u16(&mut self) -> Result<u16> {
        Ok(u16::from_be_bytes([self.u8()?, self.u8()?]))
    }

    /// The next four bytes, big-endian.
    pub(crate) fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_be_bytes([self.u8()?, self.u8()?, self.u8()?, self.u8()?]))
    }

    /// The next `len` bytes.
    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(len).ok_or(WsqError::Truncated)?;
        let slice = self.bytes.get(self.at..end).ok_or(WsqError::Truncated)?;
        self.at = end;
        Ok(slice)
    }

    /// The next marker, refused unless `expect` allows it.
    pub(crate) fn marker(&mut self, expect: Expect) -> Result<u16> {
        let marker = self.u16()?;
        let allowed = match expect {
            Expect::TablesOrFrame => matches!(marker, DTT | DQT | DHT | COM | SOF),
            Expect::TablesOrBlock => matches!(marker, DTT | DQT | DHT | COM | SOB),
            Expect::Any => (SOI..=COM).contains(&marker),
        };
        if allowed { Ok(marker) } else { Err(WsqError::Corrupt("unexpected marker")) }
    }
}

/// `value` (an unsigned integer with a decimal exponent) as NBIS makes it a
/// float: converted to `f32`, then divided by ten `scale` times, each
/// division done in double precision and rounded back to `f32` (C's
/// `float /= 10.0`).
pub(crate) fn scaled(value: u32, scale: u8) -> f32 {
    let mut out = value as f32;
    for _ in 0..scale {
        out = (f64::from(out) / 10.0) as f32;
    }
    out
}

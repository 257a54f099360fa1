//! One pass of the inverse wavelet transform: each line of a node is
//! synthesised from its low and high halves (NBIS `join_lets`). The
//! transmitted filters are extended symmetrically at both ends of the
//! halves, whole-sample for odd-length filters, half-sample (and
//! antisymmetric for the highpass) for even ones; the walk below is NBIS's,
//! pointer for index, so that every sample enters every sum in the same
//! place and order.
//!
//! Every sample read or written is checked to lie on the line being
//! filtered: a line too short for the filters is refused, never read out
//! of place.

use crate::error::{Result, WsqError};
use crate::tables::Filters;

/// The lines one pass filters: `count` lines of `len` samples, line `k`
/// starting `k × pitch` after the base, samples `stride` apart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lines {
    /// How many lines.
    pub(crate) count: usize,
    /// Samples per line.
    pub(crate) len: usize,
    /// From one line's start to the next.
    pub(crate) pitch: usize,
    /// From one sample to the next.
    pub(crate) stride: usize,
}

/// A bounded view of one line for reading: samples between `first` and
/// `last` (inclusive) of `data`.
struct Line<'a> {
    data: &'a [f32],
    first: isize,
    last: isize,
}

impl<'a> Line<'a> {
    /// The sample at `index`, refused off the line.
    fn at(&self, index: isize) -> Result<f32> {
        if index < self.first || index > self.last {
            return Err(TOO_SMALL);
        }
        usize::try_from(index).ok().and_then(|i| self.data.get(i)).copied().ok_or(TOO_SMALL)
    }

    /// The `reads` samples a filter reads from `walk` when none of them
    /// but the last `unchecked` meets an edge of the line (where the walk
    /// would reflect); `None` near the edges.
    fn inner_window(&self, walk: &Walk, reads: usize, unchecked: usize) -> Option<Window<'a>> {
        let reads = reads as isize;
        let checked = reads - unchecked as isize;
        if walk.step == 0 || reads == 0 {
            return None;
        }
        let last_checked = walk.at + walk.step * (checked - 1).max(0);
        let (low, high) = (walk.at.min(last_checked), walk.at.max(last_checked));
        if checked > 0 && (low <= self.first || high >= self.last) {
            return None;
        }
        let end = walk.at + walk.step * (reads - 1);
        let (from, to) = (walk.at.min(end), walk.at.max(end));
        if from < self.first || to > self.last {
            return None;
        }
        let samples = self.data.get(usize::try_from(from).ok()?..=usize::try_from(to).ok()?)?;
        Some(Window { samples, backwards: walk.step < 0 })
    }
}

/// Consecutive samples a filter reads in one direction.
struct Window<'a> {
    samples: &'a [f32],
    backwards: bool,
}

impl Window<'_> {
    /// The lowpass output over the window: the first product, then each
    /// further product added in reading order.
    fn low(&self, coefficients: &[f32]) -> f32 {
        fn sum<'x>(mut samples: impl Iterator<Item = &'x f32>, coefficients: &[f32]) -> f32 {
            let mut products = coefficients.iter();
            let (Some(&x), Some(&c)) = (samples.next(), products.next()) else { return 0.0 };
            let mut acc = x * c;
            for (&x, &c) in samples.zip(products) {
                acc += x * c;
            }
            acc
        }
        if self.backwards {
            sum(self.samples.iter().rev(), coefficients)
        } else {
            sum(self.samples.iter(), coefficients)
        }
    }

    /// The highpass output over the window added to `acc`: each sample
    /// times its coefficient times `sign`, in reading order.
    fn high(&self, coefficients: &[f32], sign: f32, mut acc: f32) -> f32 {
        if self.backwards {
            for (&x, &c) in self.samples.iter().rev().zip(coefficients) {
                acc += x * c * sign;
            }
        } else {
            for (&x, &c) in self.samples.iter().zip(coefficients) {
                acc += x * c * sign;
            }
        }
        acc
    }
}

/// The output sample at `index`, refused off the line.
fn slot(line: &mut [f32], index: isize) -> Result<&mut f32> {
    usize::try_from(index).ok().and_then(|i| line.get_mut(i)).ok_or(TOO_SMALL)
}

const TOO_SMALL: WsqError = WsqError::Unsupported("image too small for its wavelet filters");

/// The boundary handling of one filter, fixed for a pass (NBIS's `loc`,
/// `lotap`, `olle`, `olre` and their highpass twins).
#[derive(Debug, Clone, Copy)]
struct Edges {
    /// Offset of the first sample read for the first output.
    start: isize,
    /// Whether the first output pair starts at tap 1 (else tap 0).
    odd_tap: bool,
    /// Whether the left edge sample is repeated before reflecting.
    repeat_left: bool,
    /// Whether the right edge sample is repeated before reflecting.
    repeat_right: bool,
}

/// Where a filter's window stands on a line: NBIS's `lspx`, `lspxstr`,
/// `lle2`, `lre2` (and `osfac` for the highpass).
#[derive(Debug, Clone, Copy)]
struct Walk {
    at: isize,
    step: isize,
    repeat_left: bool,
    repeat_right: bool,
    sign: f32,
}

impl Walk {
    /// Moves the window one sample on, reflecting at the line's start
    /// (where the highpass's antisymmetric sign also ends).
    fn advance(&mut self, first: isize) {
        if self.at == first {
            if self.repeat_left {
                self.step = 0;
                self.repeat_left = false;
            } else {
                self.step = 1;
                self.sign = 1.0;
            }
        }
        self.at += self.step;
    }
}

/// One pass's fixed parameters.
struct Pass<'a> {
    lo: &'a [f32],
    hi: &'a [f32],
    /// The lowpass taps 0, 2, 4, … and 1, 3, 5, …
    lo_phases: [Vec<f32>; 2],
    /// The highpass taps likewise.
    hi_phases: [Vec<f32>; 2],
    /// Even-length filters: the high half is extended antisymmetrically.
    asym: bool,
    /// The lines have an odd number of samples.
    odd_data: bool,
}

impl Pass<'_> {
    /// One lowpass output from `tap`, `tap + 2`, … of the lowpass filter
    /// over the low half, starting at the window and walking with its
    /// reflections.
    #[inline]
    fn low(&self, lows: &Line<'_>, walk: &Walk, tap: usize) -> Result<f32> {
        let phase = self.lo_phases.get(tap).ok_or(TOO_SMALL)?;
        // Inside the line no reflection happens: the same products in the
        // same order, without the edge checks (the positions compared
        // against the edges are all but the last read).
        if let Some(window) = lows.inner_window(walk, phase.len(), 1) {
            return Ok(window.low(phase));
        }
        let (mut at, mut step) = (walk.at, walk.step);
        let (mut repeat_left, mut repeat_right) = (walk.repeat_left, walk.repeat_right);
        let mut acc = lows.at(at)? * *self.lo.get(tap).ok_or(TOO_SMALL)?;
        for &coefficient in self.lo.iter().skip(tap + 2).step_by(2) {
            if at == lows.first {
                if repeat_left {
                    step = 0;
                    repeat_left = false;
                } else {
                    step = 1;
                }
            }
            if at == lows.last {
                if repeat_right {
                    step = 0;
                    repeat_right = false;
                } else {
                    step = -1;
                }
            }
            at += step;
            acc += lows.at(at)? * coefficient;
        }
        Ok(acc)
    }

    /// Adds to `acc` the highpass output from `tap`, `tap + 2`, … over the
    /// high half, term by term as NBIS adds them into the pixel.
    #[inline]
    fn high(&self, highs: &Line<'_>, walk: &Walk, tap: usize, fhre: &mut i32, mut acc: f32) -> Result<f32> {
        let phase = self.hi_phases.get(tap).ok_or(TOO_SMALL)?;
        // As in `low`, but every position read is compared to the edges.
        if let Some(window) = highs.inner_window(walk, phase.len(), 0) {
            return Ok(window.high(phase, walk.sign, acc));
        }
        let (mut at, mut step, mut sign) = (walk.at, walk.step, walk.sign);
        let (mut repeat_left, mut repeat_right) = (walk.repeat_left, walk.repeat_right);
        for &coefficient in self.hi.iter().skip(tap).step_by(2) {
            if at == highs.first {
                if repeat_left {
                    step = 0;
                    repeat_left = false;
                } else {
                    step = 1;
                    sign = 1.0;
                }
            }
            if at == highs.last {
                if repeat_right {
                    step = 0;
                    repeat_right = false;
                    if self.asym && self.odd_data {
                        repeat_right = true;
                        *fhre = fhre.saturating_sub(1);
                        sign = *fhre as f32;
                        if sign == 0.0 {
                            repeat_right = false;
                        }
                    }
                } else {
                    step = -1;
                    if self.asym {
                        sign = -1.0;
                    }
                }
            }
            acc += highs.at(at)? * coefficient * sign;
            at += step;
        }
        Ok(acc)
    }
}

/// Synthesises each line of `lines` from its low and high halves in `src`
/// (from `src_base`) into `dst` (from `dst_base`): NBIS `join_lets`,
/// statement for statement, with `inv` putting the high half first. Each
/// line is first copied out to contiguous buffers (NBIS walks it in place
/// with a stride; the arithmetic is the same).
pub(crate) fn join(
    dst: &mut [f32],
    dst_base: usize,
    src: &[f32],
    src_base: usize,
    lines: Lines,
    filters: &Filters,
    inv: bool,
) -> Result<()> {
    let (lsz, hsz) = (filters.lo.len(), filters.hi.len());
    let odd_filter = lsz % 2 == 1;
    // Even-length (half-sample symmetric) filters use the highpass negated.
    let hi: Vec<f32> = if odd_filter { filters.hi.clone() } else { filters.hi.iter().map(|h| h * -1.0).collect() };
    let odd_data = lines.len % 2 == 1;
    let phases = |taps: &[f32]| [0, 1].map(|first| taps.iter().skip(first).step_by(2).copied().collect::<Vec<f32>>());
    let pass = Pass {
        lo: &filters.lo,
        hi: &hi,
        lo_phases: phases(&filters.lo),
        hi_phases: phases(&hi),
        asym: !odd_filter,
        odd_data,
    };
    let (start_sign, start_fhre) = if odd_filter { (1.0f32, 0i32) } else { (-1.0, 2) };
    let (mut low, mut high) = if odd_filter {
        let low = Edges {
            start: ((lsz - 1) / 4) as isize,
            odd_tap: ((lsz - 1) / 2) % 2 == 1,
            repeat_left: false,
            repeat_right: !odd_data,
        };
        let high = Edges {
            start: ((hsz + 1) / 4) as isize - 1,
            odd_tap: hsz.div_ceil(2) % 2 == 1,
            repeat_left: true,
            repeat_right: odd_data,
        };
        (low, high)
    } else {
        let low = Edges {
            start: (lsz / 4) as isize - 1,
            odd_tap: (lsz / 2) % 2 == 1,
            repeat_left: true,
            repeat_right: !odd_data,
        };
        let high =
            Edges { start: (hsz / 4) as isize - 1, odd_tap: (hsz / 2) % 2 == 1, repeat_left: true, repeat_right: true };
        (low, high)
    };
    if !odd_filter {
        for edges in [&mut low, &mut high] {
            if edges.start == -1 {
                edges.start = 0;
                edges.repeat_left = false;
            }
        }
    }
    let llen = lines.len.div_ceil(2) as isize;
    let hlen = (lines.len / 2) as isize;
    let (lopass, hipass) = if inv { (hlen, 0) } else { (0, llen) };
    // NBIS's `fhre` lives across lines: the tail of a line with a 2-tap
    // highpass may use the value the previous steps left.
    let mut fhre = 0i32;
    let mut input = vec![0.0f32; lines.len];
    let mut output = vec![0.0f32; lines.len];

    for line in 0..lines.count {
        let src_line = src_base + line * lines.pitch;
        let dst_line = dst_base + line * lines.pitch;
        for (k, (sample, out)) in input.iter_mut().zip(output.iter_mut()).enumerate() {
            *sample = *src.get(src_line + k * lines.stride).ok_or(TOO_SMALL)?;
            *out = *dst.get(dst_line + k * lines.stride).ok_or(TOO_SMALL)?;
        }
        let mut limg = 0isize;
        let mut himg = 0isize;
        // NBIS clears the first two outputs (the highpass may add into the
        // second before the lowpass sets it); for a one-sample line the
        // second lies outside and is never used.
        for k in [0, 1] {
            if let Ok(sample) = slot(&mut output, k) {
                *sample = 0.0;
            }
        }
        let lows = Line { data: &input, first: lopass, last: lopass + llen - 1 };
        let highs = Line { data: &input, first: hipass, last: hipass + hlen - 1 };
        let mut lw = Walk {
            at: lopass + low.start,
            step: -1,
            repeat_left: low.repeat_left,
            repeat_right: low.repeat_right,
            sign: 1.0,
        };
        let mut hw = Walk {
            at: hipass + high.start,
            step: -1,
            repeat_left: high.repeat_left,
            repeat_right: high.repeat_right,
            sign: start_sign,
        };
        let mut low_taps = usize::from(low.odd_tap);
        let mut high_taps = usize::from(high.odd_tap);

        for _ in 0..hlen {
            for tap in (0..=low_taps).rev() {
                *slot(&mut output, limg)? = pass.low(&lows, &lw, tap)?;
                limg += 1;
            }
            lw.advance(lows.first);
            low_taps = 1;
            for tap in (0..=high_taps).rev() {
                fhre = start_fhre;
                let sample = slot(&mut output, himg)?;
                *sample = pass.high(&highs, &hw, tap, &mut fhre, *sample)?;
                himg += 1;
            }
            hw.advance(highs.first);
            high_taps = 1;
        }

        // The last outputs: taps 1 down to `last_low_tap`.
        let last_low_tap = match (odd_data, low.odd_tap) {
            (true, true) | (false, false) => 1,
            (true, false) => 0,
            (false, true) => 2,
        };
        for tap in (last_low_tap..=1).rev() {
            *slot(&mut output, limg)? = pass.low(&lows, &lw, tap)?;
            limg += 1;
        }
        let last_high_tap = if odd_data {
            if hsz == 2 {
                hw.at -= hw.step;
                fhre = 1;
            }
            usize::from(high.odd_tap)
        } else if high.odd_tap {
            2
        } else {
            1
        };
        for tap in (last_high_tap..=1).rev() {
            if hsz != 2 {
                fhre = start_fhre;
            }
            let sample = slot(&mut output, himg)?;
            *sample = pass.high(&highs, &hw, tap, &mut fhre, *sample)?;
            himg += 1;
        }
        for (k, &value) in output.iter().enumerate() {
            *dst.get_mut(dst_line + k * lines.stride).ok_or(TOO_SMALL)? = value;
        }
    }
    Ok(())
}

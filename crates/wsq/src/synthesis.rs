//! From quantized coefficients to pixels: dequantization into the 64
//! subbands, the inverse wavelet transform over the 20 nodes with the
//! symmetric extension of the transmitted filters, and the final shift and
//! scale to 8 bits (NBIS `unquantize`, `wsq_reconstruct`, `join_lets`,
//! `conv_img_2_uchar`).
//!
//! Every floating-point operation is done in the same precision and order
//! as NBIS's C (single precision, with the few double-precision steps C's
//! promotions make), so the pixels come out identical.

use crate::error::{Result, WsqError};
use crate::join::{Lines, join};
use crate::tables::{Filters, Frame, Quantizer};
use crate::tree::{Node, Q_NODES, USED_SUBBANDS, W_NODES};

/// How many coefficients the transmitted subbands (those with a non-zero
/// bin width) hold.
pub(crate) fn coefficient_count(quantizer: &Quantizer, q_tree: &[Node; Q_NODES]) -> usize {
    q_tree
        .iter()
        .zip(quantizer.q_bin)
        .take(USED_SUBBANDS)
        .filter(|(_, q)| *q != 0.0)
        .map(|(n, _)| n.lenx * n.leny)
        .sum()
}

/// Places the dequantized `coefficients` into their subbands of a
/// `width`-wide image of `pixels` samples.
pub(crate) fn dequantize(
    coefficients: &[i16],
    quantizer: &Quantizer,
    q_tree: &[Node; Q_NODES],
    width: usize,
    pixels: usize,
) -> Result<Vec<f32>> {
    let mut image = vec![0.0f32; pixels];
    let mut next = coefficients.iter();
    let center = quantizer.bin_center;
    for (band, node) in q_tree.iter().enumerate().take(USED_SUBBANDS) {
        let (q, z) = (quantizer.q_bin[band], quantizer.z_bin[band]);
        if q == 0.0 {
            continue;
        }
        for row in node.y..node.y + node.leny {
            let start = row * width + node.x;
            let line = image.get_mut(start..start + node.lenx).ok_or(WsqError::Corrupt("subband outside the image"))?;
            for sample in line {
                let s = *next.next().ok_or(WsqError::Corrupt("too few coefficients"))?;
                // C: `q * ((float)s ∓ C) ± z / 2.0`, the sum in double.
                *sample = match s {
                    0 => 0.0,
                    1.. => (f64::from(q * (f32::from(s) - center)) + f64::from(z) / 2.0) as f32,
                    _ => (f64::from(q * (f32::from(s) + center)) - f64::from(z) / 2.0) as f32,
                };
            }
        }
    }
    Ok(image)
}

/// Runs the inverse transform in place over `image` (`width` wide), from
/// the smallest node to the whole image.
pub(crate) fn reconstruct(image: &mut [f32], width: usize, w_tree: &[Node; W_NODES], filters: &Filters) -> Result<()> {
    let mut scratch = vec![0.0f32; image.len()];
    for node in w_tree.iter().rev() {
        let base = node.y * width + node.x;
        // Columns into the scratch buffer, then rows back into place.
        let columns = Lines { count: node.lenx, len: node.leny, pitch: 1, stride: width };
        join(&mut scratch, 0, image, base, columns, filters, node.inv_cl)?;
        let rows = Lines { count: node.leny, len: node.lenx, pitch: width, stride: 1 };
        join(image, base, &scratch, 0, rows, filters, node.inv_rw)?;
    }
    Ok(())
}

/// Shifts and scales the reconstructed samples back to 8-bit pixels.
pub(crate) fn to_pixels(image: &[f32], frame: &Frame) -> Vec<u8> {
    image
        .iter()
        .map(|&sample| {
            let value = sample * frame.r_scale + frame.m_shift;
            let value = (f64::from(value) + 0.5) as f32;
            if value < 0.0 {
                0
            } else if value > 255.0 {
                255
            } else {
                value as u8
            }
        })
        .collect()
}

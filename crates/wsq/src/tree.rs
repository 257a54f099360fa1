//! Where each wavelet node and each of the 64 subbands lies in the image
//! (NBIS `build_w_tree` / `build_q_tree`, the FBI specification's
//! decomposition). Splitting an odd length gives the extra sample to the
//! low half, except in the branches the specification marks, which give
//! it to the high half; the arithmetic below is the same as NBIS's, so
//! every odd size lands where the encoder put it.

/// Wavelet nodes: each is one two-dimensional split.
pub(crate) const W_NODES: usize = 20;
/// Subbands; 60 carry data, the last four are reserved.
pub(crate) const Q_NODES: usize = 64;
/// Subbands that carry data.
pub(crate) const USED_SUBBANDS: usize = 60;

/// A rectangle of the image, with the spectral inversion flags of a
/// wavelet node.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Node {
    /// Left edge.
    pub(crate) x: usize,
    /// Top edge.
    pub(crate) y: usize,
    /// Width.
    pub(crate) lenx: usize,
    /// Height.
    pub(crate) leny: usize,
    /// The row filtering of this node swaps the low and high halves.
    pub(crate) inv_rw: bool,
    /// The column filtering of this node swaps the low and high halves.
    pub(crate) inv_cl: bool,
}

/// The wavelet nodes for an image of `width` × `height`.
pub(crate) fn wavelet_tree(width: usize, height: usize) -> [Node; W_NODES] {
    let mut w = [Node::default(); W_NODES];
    for node in [2, 4, 7, 9, 11, 13, 16, 18] {
        w[node].inv_rw = true;
    }
    for node in [3, 5, 8, 9, 12, 13, 17, 18] {
        w[node].inv_cl = true;
    }
    split4(&mut w, 0, 1, width, height, 0, 0, true);
    let (lenx, lenx2) = halves(w[1].lenx);
    let (leny, leny2) = halves(w[1].leny);
    split4(&mut w, 4, 6, lenx2, leny, lenx, 0, false);
    split4(&mut w, 5, 10, lenx, leny2, 0, leny, false);
    split4(&mut w, 14, 15, lenx, leny, 0, 0, false);
    w[19].x = 0;
    w[19].y = 0;
    w[19].lenx = w[15].lenx.div_ceil(2);
    w[19].leny = w[15].leny.div_ceil(2);
    w
}

/// The larger and the smaller half of `len`.
fn halves(len: usize) -> (usize, usize) {
    if len.is_multiple_of(2) { (len / 2, len / 2) } else { (len.div_ceil(2), len.div_ceil(2) - 1) }
}

/// Places node `p1` at (`x`, `y`) with size `lenx` × `leny`, and its four
/// quarters at `p2`..`p2 + 3` (NBIS `w_tree4`). `top` leaves the fourth
/// quarter's position to a later call, as for the whole image.
#[allow(clippy::too_many_arguments)] // NBIS's own parameters, kept for comparison.
fn split4(w: &mut [Node; W_NODES], p1: usize, p2: usize, lenx: usize, leny: usize, x: usize, y: usize, top: bool) {
    w[p1].x = x;
    w[p1].y = y;
    w[p1].lenx = lenx;
    w[p1].leny = leny;
    w[p2].x = x;
    w[p2 + 2].x = x;
    w[p2].y = y;
    w[p2 + 1].y = y;
    if lenx.is_multiple_of(2) {
        w[p2].lenx = lenx / 2;
        w[p2 + 1].lenx = w[p2].lenx;
    } else if p1 == 4 {
        w[p2].lenx = (lenx - 1) / 2;
        w[p2 + 1].lenx = w[p2].lenx + 1;
    } else {
        w[p2].lenx = lenx.div_ceil(2);
        w[p2 + 1].lenx = w[p2].lenx - 1;
    }
    w[p2 + 1].x = w[p2].lenx + x;
    if !top {
        w[p2 + 3].lenx = w[p2 + 1].lenx;
        w[p2 + 3].x = w[p2 + 1].x;
    }
    w[p2 + 2].lenx = w[p2].lenx;
    if leny.is_multiple_of(2) {
        w[p2].leny = leny / 2;
        w[p2 + 2].leny = w[p2].leny;
    } else if p1 == 5 {
        w[p2].leny = (leny - 1) / 2;
        w[p2 + 2].leny = w[p2].leny + 1;
    } else {
        w[p2].leny = leny.div_ceil(2);
        w[p2 + 2].leny = w[p2].leny - 1;
    }
    w[p2 + 2].y = w[p2].leny + y;
    if !top {
        w[p2 + 3].leny = w[p2 + 2].leny;
        w[p2 + 3].y = w[p2 + 2].y;
    }
    w[p2 + 1].leny = w[p2].leny;
}

/// The 64 subbands of the wavelet nodes `w` (NBIS `build_q_tree`; the
/// order of the calls matters: the whole image's group overlaps 48 to 50,
/// which the next group then places).
pub(crate) fn subband_tree(w: &[Node; W_NODES]) -> [Node; Q_NODES] {
    let mut q = [Node::default(); Q_NODES];
    split16(&mut q, 3, &w[14], false, false);
    split16(&mut q, 19, &w[4], false, true);
    split16(&mut q, 48, &w[0], false, false);
    split16(&mut q, 35, &w[5], true, false);
    let n = w[19];
    split2x2(&mut q, 0, n.lenx, n.leny, n.x, n.y);
    q
}

/// Places the 4 × 4 subbands of the area `n` from `p` on (NBIS
/// `q_tree16`); `rw` and `cl` give the odd sample of the first split of
/// rows or columns to the second half.
fn split16(q: &mut [Node; Q_NODES], p: usize, n: &Node, rw: bool, cl: bool) {
    let (x, y) = (n.x, n.y);
    let (tempx, temp2x) = first_split(n.lenx, cl);
    let (tempy, temp2y) = first_split(n.leny, rw);
    split2x2(q, p, tempx, tempy, x, y);

    q[p + 4].x = x + tempx;
    q[p + 6].x = q[p + 4].x;
    q[p + 4].y = y;
    q[p + 5].y = y;
    q[p + 6].y = q[p + 2].y;
    q[p + 7].y = q[p + 2].y;
    q[p + 4].leny = q[p].leny;
    q[p + 5].leny = q[p].leny;
    q[p + 6].leny = q[p + 2].leny;
    q[p + 7].leny = q[p + 2].leny;
    if temp2x.is_multiple_of(2) {
        for k in 4..8 {
            q[p + k].lenx = temp2x / 2;
        }
    } else {
        q[p + 5].lenx = temp2x.div_ceil(2);
        q[p + 4].lenx = q[p + 5].lenx - 1;
        q[p + 6].lenx = q[p + 4].lenx;
        q[p + 7].lenx = q[p + 5].lenx;
    }
    q[p + 5].x = q[p + 4].x + q[p + 4].lenx;
    q[p + 7].x = q[p + 5].x;

    q[p + 8].x = x;
    q[p + 9].x = q[p + 1].x;
    q[p + 10].x = x;
    q[p + 11].x = q[p + 1].x;
    q[p + 8].y = y + tempy;
    q[p + 9].y = q[p + 8].y;
    q[p + 8].lenx = q[p].lenx;
    q[p + 9].lenx = q[p + 1].lenx;
    q[p + 10].lenx = q[p].lenx;
    q[p + 11].lenx = q[p + 1].lenx;
    if temp2y.is_multiple_of(2) {
        for k in 8..12 {
            q[p + k].leny = temp2y / 2;
        }
    } else {
        q[p + 10].leny = temp2y.div_ceil(2);
        q[p + 11].leny = q[p + 10].leny;
        q[p + 8].leny = q[p + 10].leny - 1;
        q[p + 9].leny = q[p + 8].leny;
    }
    q[p + 10].y = q[p + 8].y + q[p + 8].leny;
    q[p + 11].y = q[p + 10].y;

    for (k, from_x, from_y) in [(12, 4, 8), (13, 5, 8), (14, 4, 10), (15, 5, 10)] {
        q[p + k].x = q[p + from_x].x;
        q[p + k].y = q[p + from_y].y;
        q[p + k].lenx = q[p + from_x].lenx;
        q[p + k].leny = q[p + from_y].leny;
    }
}

/// The two halves of `len` for the first split of a 4 × 4 group: the
/// first gets the odd sample unless `second_gets_odd`.
fn first_split(len: usize, second_gets_odd: bool) -> (usize, usize) {
    if len.is_multiple_of(2) {
        (len / 2, len / 2)
    } else if second_gets_odd {
        (len.div_ceil(2) - 1, len.div_ceil(2))
    } else {
        (len.div_ceil(2), len.div_ceil(2) - 1)
    }
}

/// Places the 2 × 2 subbands of a `lenx` × `leny` area at (`x`, `y`) from
/// `p` on (NBIS `q_tree4`): the odd sample goes to the first half.
fn split2x2(q: &mut [Node; Q_NODES], p: usize, lenx: usize, leny: usize, x: usize, y: usize) {
    q[p].x = x;
    q[p + 2].x = x;
    q[p].y = y;
    q[p + 1].y = y;
    if lenx.is_multiple_of(2) {
        for k in 0..4 {
            q[p + k].lenx = lenx / 2;
        }
    } else {
        q[p].lenx = lenx.div_ceil(2);
        q[p + 1].lenx = q[p].lenx - 1;
        q[p + 2].lenx = q[p].lenx;
        q[p + 3].lenx = q[p + 1].lenx;
    }
    q[p + 1].x = x + q[p].lenx;
    q[p + 3].x = q[p + 1].x;
    if leny.is_multiple_of(2) {
        for k in 0..4 {
            q[p + k].leny = leny / 2;
        }
    } else {
        q[p].leny = leny.div_ceil(2);
        q[p + 1].leny = q[p].leny;
        q[p + 2].leny = q[p].leny - 1;
        q[p + 3].leny = q[p + 2].leny;
    }
    q[p + 2].y = y + q[p].leny;
    q[p + 3].y = q[p + 2].y;
}

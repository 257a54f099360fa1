//! Fingerprints: minutiae templates, extraction from images with NIST's
//! mindtct (through nbis-rs), ISO/IEC 19794-2 records, bozorth3 matching,
//! a 1:N gallery and accuracy evaluation on FVC-style folders.
//!
//! **Resolution.** Everything here works at 500 dpi, the resolution
//! bozorth3's distances and mindtct's parameters are tuned for and the one
//! ISO records are written at. An image at another resolution is resampled
//! to 500 dpi first ([`ExtractOptions::dpi`]), so templates from different
//! scanners compare.
//!
//! **Quality gate.** mindtct finds "minutiae" in anything: a face, a
//! landscape, a smudge. An image is refused (`fingerprint.low_quality`)
//! unless its minutiae pass [`QUALITY_GATE`]: a plausible count, and a
//! plausible share that mindtct rates reliable; see [`QualityGate`] for
//! the figures and why.

mod eval;
mod gallery;
mod iso;
mod matcher;
#[cfg(test)]
mod tests;

use base64::Engine as _;
use image::GrayImage;
use image::imageops::{self, FilterType};

use crate::error::{BiometricsError, Result};
use crate::image_input::{ImageLimits, decode_gray, encode_tiff};

pub use eval::{EvalProgress, FingerprintEvaluation, ScoreSummary, evaluate_fingerprints};
pub use gallery::{FingerPosition, FingerprintGallery, Identification};
pub use iso::{MAX_DECLARED_MINUTIAE, MAX_RECORD_BYTES};
pub use matcher::{Matcher, PreparedTemplate};

/// Most minutiae a template keeps: the most reliable ones. 127 because
/// nbis-rs reads an ISO record's count as a signed byte, and because
/// bozorth3 gains nothing from the unreliable tail.
pub const MAX_MINUTIAE: usize = 127;

/// How many minutiae, the most reliable, bozorth3 compares. bozorth3's
/// time grows with about the square of the count. On FVC2002 DB1_B and
/// DB2_B the 45 best give the same rank-1 as all of them (100 % and 98 %)
/// and a lower impostor tail (highest impostor score over 11,520
/// impression pairs 26 rather than 32), at about a third of the time for
/// templates with many minutiae (BENCHMARKS.md).
pub const MATCH_MINUTIAE: usize = 45;

/// The resolution templates are made at, in dots per inch.
pub const TEMPLATE_DPI: f64 = 500.0;

/// Score at or above which two fingerprints are taken to be the same
/// finger. Measured on FVC2002 DB1_B and DB2_B (DB2 resampled to 500 dpi),
/// every impression against every other, comparing [`MATCH_MINUTIAE`]:
/// the highest of 11,520 impostor scores is 26, so no impostor reaches 34
/// (false match rate below 1 in 11,520, i.e. < 0.01 %), while a finger
/// enrolled with 3 impressions still reaches it for 84 % (DB1) and 92 %
/// (DB2) of probes. In 1:N search the chance of some false match grows
/// with the gallery (about N × FMR): large galleries want a higher one.
pub const DEFAULT_THRESHOLD: u32 = 34;

/// The kind of a minutia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MinutiaKind {
    /// A ridge that ends.
    RidgeEnding,
    /// A ridge that splits in two.
    Bifurcation,
    /// Neither or not stated (ISO type 00).
    Other,
}

/// One minutia, in ISO/IEC 19794-2 units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Minutia {
    /// Column, in pixels at 500 dpi from the left edge (< 16,384).
    pub x: u16,
    /// Row, in pixels at 500 dpi from the top edge (< 16,384).
    pub y: u16,
    /// Direction, counter-clockwise from the x axis, in units of
    /// 360/256 degrees.
    pub angle: u8,
    /// Quality 1–100 (0: not reported), from mindtct's reliability.
    pub quality: u8,
    /// Ending or bifurcation.
    pub kind: MinutiaKind,
}

/// A fingerprint's minutiae: what is stored and matched, never the image.
///
/// Invariant: at most [`MAX_MINUTIAE`] minutiae, most reliable first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerprintTemplate {
    width: u16,
    height: u16,
    minutiae: Vec<Minutia>,
}

impl FingerprintTemplate {
    /// A template from minutiae: keeps the [`MAX_MINUTIAE`] of highest
    /// quality, ordered by quality (ties keep their order).
    pub fn from_minutiae(width: u16, height: u16, mut minutiae: Vec<Minutia>) -> Self {
        minutiae.sort_by_key(|m| std::cmp::Reverse(m.quality));
        minutiae.truncate(MAX_MINUTIAE);
        FingerprintTemplate { width, height, minutiae }
    }

    /// Width of the (500 dpi) image the minutiae come from, in pixels.
    pub fn width(&self) -> u16 {
        self.width
    }

    /// Height of the (500 dpi) image the minutiae come from, in pixels.
    pub fn height(&self) -> u16 {
        self.height
    }

    /// The minutiae, most reliable first.
    pub fn minutiae(&self) -> &[Minutia] {
        &self.minutiae
    }

    /// Reads an ISO/IEC 19794-2:2005 record. Lengths and counts are checked
    /// against the bytes present; a record declaring more than
    /// [`MAX_DECLARED_MINUTIAE`] minutiae is refused, one with more than
    /// [`MAX_MINUTIAE`] is cut to the most reliable. Never panics.
    pub fn from_iso(bytes: &[u8]) -> Result<Self> {
        iso::parse(bytes)
    }

    /// [`from_iso`](Self::from_iso) of standard base64 text (as the web
    /// service carries templates); `input.not_base64` if it is not base64.
    pub fn from_iso_base64(text: &str) -> Result<Self> {
        // Base64 of the largest record accepted, plus line breaks.
        if text.len() > MAX_RECORD_BYTES / 3 * 4 + 1024 {
            return Err(BiometricsError::bad_template(format!("rekaman lebih dari {MAX_RECORD_BYTES} byte")));
        }
        let compact: String = text.split_ascii_whitespace().collect();
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(compact).map_err(|_| BiometricsError::NotBase64)?;
        Self::from_iso(&bytes)
    }

    /// The template as a one-view ISO/IEC 19794-2:2005 record at 500 dpi.
    pub fn to_iso(&self) -> Vec<u8> {
        iso::write(self)
    }

    /// [`to_iso`](Self::to_iso) as standard base64.
    pub fn to_iso_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.to_iso())
    }

    /// The template in the form bozorth3 compares (see [`Matcher`]).
    pub fn prepare(&self) -> Result<PreparedTemplate> {
        PreparedTemplate::new(self)
    }
}

/// What makes a plausible fingerprint image, from the minutiae mindtct
/// finds in it.
///
/// mindtct rates each minutia's reliability (0–1) from the quality of its
/// block: contrast, ridge flow, curvature. In a fingerprint a good share
/// of the minutiae sit in clean ridge flow; in a photograph of anything
/// else almost none do, however many "minutiae" its texture gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QualityGate {
    /// Fewest minutiae accepted (any reliability).
    pub min_minutiae: usize,
    /// Most minutiae accepted (any reliability).
    pub max_minutiae: usize,
    /// mindtct reliability from which a minutia counts as reliable.
    pub reliable_from: f64,
    /// Smallest share of reliable minutiae accepted, 0–1.
    pub min_reliable_share: f64,
}

/// The gate [`extract`] applies; figures measured with mindtct:
///
/// | images | minutiae | reliable (≥ 0.4) share |
/// |---|---|---|
/// | FVC2002 DB1_B, 80 | 19–76, median 49 | lowest 11 %, 21 %, 22 %; median 55 % |
/// | FVC2002 DB2_B resampled to 500 dpi, 80 | 23–91, median 52 | lowest 13 %, 21 %, 30 %; median 62 % |
/// | nbis-rs p1/p2, 7 | 71–106 | 36–62 % |
/// | face, landscape, portrait (nbis-rs negative/) | 97, 237, 103 | 1.0 %, 1.3 %, 2.9 % |
///
/// so 10 % separates them with room on both sides. bozorth3 scores
/// nothing below 15 minutiae (its `min_computable_minutiae`), hence no
/// fewer than 12; more than 200 is texture, not ridges.
pub const QUALITY_GATE: QualityGate =
    QualityGate { min_minutiae: 12, max_minutiae: 200, reliable_from: 0.4, min_reliable_share: 0.10 };

/// How to read a fingerprint image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExtractOptions {
    /// Resolution of the image, in dpi; resampled to 500 dpi (Catmull-Rom)
    /// when it differs by more than 1 %. FVC2002 DB2 is 569 dpi.
    pub dpi: f64,
    /// The plausibility gate.
    pub gate: QualityGate,
    /// Decoding limits.
    pub limits: ImageLimits,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions { dpi: TEMPLATE_DPI, gate: QUALITY_GATE, limits: ImageLimits::FINGERPRINT }
    }
}

/// Smallest side of an image worth extracting from, in pixels at 500 dpi
/// (about 5 mm: mindtct works in 8-pixel blocks with 24-pixel windows).
const MIN_SIDE: u32 = 100;

/// Extracts a template from a PNG, TIFF, JPEG or WSQ fingerprint at 500 dpi.
///
/// Refuses with `image.*` codes when the bytes are not a decodable image
/// within [`ImageLimits::FINGERPRINT`], and with `fingerprint.low_quality`
/// when the image does not pass [`QUALITY_GATE`].
pub fn extract(image: &[u8]) -> Result<FingerprintTemplate> {
    extract_with(image, &ExtractOptions::default())
}

/// [`extract`] with explicit resolution, gate and limits.
pub fn extract_with(image: &[u8], options: &ExtractOptions) -> Result<FingerprintTemplate> {
    let gray = decode_gray(image, &options.limits)?;
    extract_gray(&gray, options)
}

/// [`extract`] from decoded grey pixels.
pub fn extract_gray(image: &GrayImage, options: &ExtractOptions) -> Result<FingerprintTemplate> {
    let resampled;
    let image =
        if options.dpi.is_finite() && options.dpi > 0.0 && ((options.dpi - TEMPLATE_DPI) / TEMPLATE_DPI).abs() > 0.01 {
            let scale = TEMPLATE_DPI / options.dpi;
            let width = (f64::from(image.width()) * scale).round().max(1.0) as u32;
            let height = (f64::from(image.height()) * scale).round().max(1.0) as u32;
            resampled = imageops::resize(image, width, height, FilterType::CatmullRom);
            &resampled
        } else {
            image
        };
    let low = |minutiae: usize, reliable: usize| BiometricsError::LowQuality {
        minutiae,
        reliable_percent: (100 * reliable).checked_div(minutiae).unwrap_or(0) as u32,
    };
    if image.width() < MIN_SIDE || image.height() < MIN_SIDE {
        return Err(low(0, 0));
    }
    let (Ok(width), Ok(height)) = (u16::try_from(image.width()), u16::try_from(image.height())) else {
        return Err(options.limits_error());
    };
    let encoded = encode_tiff(image)?;
    // nbis-rs panics on a minutia type it does not know and on a null
    // result from C; neither should happen, and this is the last guard so
    // that a bad image can never take a server thread down.
    let extracted = std::panic::catch_unwind(|| nbis::extract_minutiae(&encoded, Some(TEMPLATE_DPI)))
        .map_err(|_| BiometricsError::Extraction(-1))?
        .map_err(|error| match error {
            nbis::NbisError::UnexpectedError(code) => BiometricsError::Extraction(code),
            _ => BiometricsError::CorruptImage,
        })?;
    let all = extracted.get();
    let reliable = all.iter().filter(|m| m.reliability() >= options.gate.reliable_from).count();
    if all.len() < options.gate.min_minutiae
        || all.len() > options.gate.max_minutiae
        || (reliable as f64) < options.gate.min_reliable_share * all.len() as f64
    {
        return Err(low(all.len(), reliable));
    }
    let minutiae = all
        .iter()
        .filter_map(|m| {
            let x = u16::try_from(m.x()).ok().filter(|&x| x < width)?;
            let y = u16::try_from(m.y()).ok().filter(|&y| y < height)?;
            Some(Minutia {
                x,
                y,
                // Same quantisation as nbis-rs's ISO writer, so the
                // direction survives the trip to bozorth3 exactly.
                angle: ((m.angle().rem_euclid(360.0) / (360.0 / 256.0)).round() as u32 % 256) as u8,
                quality: (m.reliability() * 100.0).round().clamp(1.0, 100.0) as u8,
                kind: match m.kind() {
                    nbis::MinutiaKind::RidgeEnding => MinutiaKind::RidgeEnding,
                    nbis::MinutiaKind::Bifurcation => MinutiaKind::Bifurcation,
                },
            })
        })
        .collect();
    Ok(FingerprintTemplate::from_minutiae(width, height, minutiae))
}

impl ExtractOptions {
    fn limits_error(&self) -> BiometricsError {
        BiometricsError::ImageTooLarge {
            max_width: self.limits.max_width,
            max_height: self.limits.max_height,
            max_bytes: self.limits.max_bytes,
        }
    }
}

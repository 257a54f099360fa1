//! Gerbang's semester reports as documents (SPEC.md §8): a partner's report
//! and a regional provider's summary for the Bupati, as PDF ([`pdf`]: title
//! block, figures, vector bar charts, narrative, evaluation, in an embedded
//! DejaVu Sans) and as `.xlsx` ([`xlsx`]: the same figures with native
//! charts). Everything here only draws what `gerbang-core` decided and
//! computed; it holds no population data (figures are counts).

pub mod pdf;
mod words;
pub mod xlsx;

use std::path::Path;

pub use pdf::{bupati_pdf, semester_pdf};
pub use xlsx::{bupati_xlsx, semester_xlsx};

/// Where the report font is looked for, in order: Debian and Ubuntu's
/// `fonts-dejavu-core`, then Fedora's and Alpine's layouts.
pub const FONT_PATHS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
];

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// No report font was found.
    #[error("huruf laporan (DejaVu Sans) tidak ditemukan; pasang paket fonts-dejavu-core")]
    FontMissing,
    /// The report has no figures to show.
    #[error("laporan belum memiliki angka pemanfaatan")]
    NoFigures,
    /// The PDF writer failed.
    #[error("PDF gagal disusun: {0}")]
    Pdf(String),
    /// The spreadsheet writer failed.
    #[error("berkas xlsx gagal disusun: {0}")]
    Xlsx(String),
}

impl ExportError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ExportError::FontMissing => "report.font_missing",
            ExportError::NoFigures => "report.no_figures",
            ExportError::Pdf(_) => "report.pdf_failed",
            ExportError::Xlsx(_) => "report.xlsx_failed",
        }
    }
}

/// A TrueType font to embed.
#[derive(Clone)]
pub struct Font(Vec<u8>);

impl std::fmt::Debug for Font {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Font({} bytes)", self.0.len())
    }
}

impl Font {
    /// The first of `paths` that can be read.
    pub fn from_paths(paths: &[&Path]) -> Result<Font, ExportError> {
        paths.iter().find_map(|path| std::fs::read(path).ok()).map(Font).ok_or(ExportError::FontMissing)
    }

    /// DejaVu Sans from the first of [`FONT_PATHS`] present.
    pub fn system() -> Result<Font, ExportError> {
        let paths: Vec<&Path> = FONT_PATHS.iter().map(Path::new).collect();
        Font::from_paths(&paths)
    }

    /// The font's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

#[cfg(test)]
mod tests;

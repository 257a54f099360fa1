//! The crate's one error type: a message for people in Bahasa Indonesia and a
//! stable machine code ([`Error::code`]) that callers put in API bodies, audit
//! records and logs.

use std::path::PathBuf;

/// Everything that can go wrong reading a photo, finding a face in it, loading
/// the models or evaluating a labelled folder.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// More bytes than any photo Gerbang accepts (checked before decoding).
    #[error("berkas gambar terlalu besar: {bytes} byte, paling banyak {max} byte")]
    FileTooLarge {
        /// Size of what was sent.
        bytes: usize,
        /// The limit, [`crate::image_input::MAX_INPUT_BYTES`].
        max: usize,
    },
    /// The declared width, height or decoded size is past the limits; refused
    /// before the pixels are allocated (decompression bombs land here).
    #[error("gambar terlalu besar: {detail}")]
    ImageTooLarge {
        /// Which limit, for people.
        detail: String,
    },
    /// The bytes are not an image in a format Gerbang reads (JPEG, PNG, WebP,
    /// TIFF, BMP), e.g. a PDF.
    #[error("berkas bukan gambar JPEG, PNG, WebP, TIFF atau BMP")]
    NotAnImage,
    /// The format is recognised but the file is damaged (e.g. a truncated JPEG).
    #[error("gambar rusak atau terpotong: {detail}")]
    CorruptImage {
        /// The decoder's words.
        detail: String,
    },
    /// Text that should be base64 is not.
    #[error("data gambar bukan base64 yang sah")]
    NotBase64,
    /// No face found in the photo.
    #[error("tidak ada wajah yang terdeteksi pada foto")]
    NoFace,
    /// More than one face: the photo cannot say whose face it is.
    #[error("terdeteksi {count} wajah pada foto; foto harus berisi tepat satu wajah")]
    ManyFaces {
        /// How many faces were found.
        count: usize,
    },
    /// A model file is missing or unreadable.
    #[error(
        "model wajah {path} tidak dapat dibuka ({detail}); jalankan scripts/face-models.sh \
         atau atur GERBANG_FACE_MODELS ke folder model"
    )]
    ModelMissing {
        /// The file that was looked for.
        path: PathBuf,
        /// Why it could not be used.
        detail: String,
    },
    /// A labelled evaluation folder could not be read.
    #[error("data evaluasi {path} tidak dapat dibaca: {detail}")]
    EvaluationData {
        /// The file or folder.
        path: PathBuf,
        /// What was wrong.
        detail: String,
    },
}

impl Error {
    /// The stable machine code of this error, e.g. `face.no_face`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::FileTooLarge { .. } | Error::ImageTooLarge { .. } => "image.too_large",
            Error::NotAnImage => "image.not_an_image",
            Error::CorruptImage { .. } => "image.corrupt",
            Error::NotBase64 => "image.not_base64",
            Error::NoFace => "face.no_face",
            Error::ManyFaces { .. } => "face.many_faces",
            Error::ModelMissing { .. } => "face.model_missing",
            Error::EvaluationData { .. } => "eval.bad_data",
        }
    }
}

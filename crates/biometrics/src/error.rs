//! The crate's one error type: a message for people in Bahasa Indonesia and a
//! stable machine code ([`BiometricsError::code`]) that the web service and
//! the CLI pass on unchanged.

/// Why an image, a template or an evaluation was refused.
#[derive(Debug, thiserror::Error)]
pub enum BiometricsError {
    /// The bytes are not an image of any kind we recognise.
    #[error("berkas bukan gambar (terdeteksi: {detected}); kirim gambar PNG, TIFF, JPEG atau WSQ")]
    NotAnImage {
        /// What the content looks like instead, for the message.
        detected: &'static str,
    },
    /// The bytes are an image, but in a format Gerbang does not decode.
    #[error("format gambar {format} tidak didukung; kirim gambar PNG, TIFF, JPEG atau WSQ")]
    UnsupportedImageFormat {
        /// The format found.
        format: &'static str,
    },
    /// The image is larger than the limits allow; refused before decoding.
    #[error("gambar terlalu besar: batasnya {max_width}×{max_height} piksel dan {max_bytes} byte")]
    ImageTooLarge {
        /// Largest width accepted, in pixels.
        max_width: u32,
        /// Largest height accepted, in pixels.
        max_height: u32,
        /// Largest encoded size accepted, in bytes.
        max_bytes: usize,
    },
    /// The image is damaged or truncated.
    #[error("gambar rusak atau terpotong dan tidak dapat dibaca")]
    CorruptImage,
    /// The fingerprint image yields an implausible set of minutiae.
    #[error(
        "kualitas sidik jari terlalu rendah: {minutiae} minusi ditemukan, {reliable_percent} % di antaranya andal; ulangi perekaman dengan jari bersih dan tekanan yang cukup"
    )]
    LowQuality {
        /// Minutiae mindtct found.
        minutiae: usize,
        /// Share of them rated reliable, in per cent.
        reliable_percent: u32,
    },
    /// The fingerprint template is not a valid ISO/IEC 19794-2 record.
    #[error("templat sidik jari ISO/IEC 19794-2 tidak sah: {reason}")]
    BadTemplate {
        /// What is wrong, in Bahasa Indonesia.
        reason: String,
    },
    /// A request's parameter is unusable (a finger position, a count).
    #[error("{reason}")]
    BadInput {
        /// What is wrong, in Bahasa Indonesia.
        reason: String,
    },
    /// Text that should be base64 is not.
    #[error("data bukan base64 yang sah")]
    NotBase64,
    /// NBIS could not process the image.
    #[error("ekstraksi minusi sidik jari gagal (kode NBIS {0})")]
    Extraction(i64),
    /// An evaluation data set could not be read or is unusable.
    #[error("data evaluasi tidak dapat dipakai: {0}")]
    EvalData(String),
    /// A photo file is larger than accepted.
    #[error("berkas gambar terlalu besar: {bytes} byte, paling banyak {max} byte")]
    FileTooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A photo declares more pixels than accepted (a decompression bomb).
    #[error("gambar terlalu besar: {detail}")]
    PhotoTooLarge {
        /// Which limit.
        detail: String,
    },
    /// A photo is not one of the photo formats read.
    #[error("berkas bukan gambar JPEG, PNG, WebP, TIFF atau BMP")]
    NotAPhoto,
    /// A photo is damaged or cut short.
    #[error("gambar rusak atau terpotong: {detail}")]
    CorruptPhoto {
        /// What the decoder said.
        detail: String,
    },
    /// No face was found.
    #[error("tidak ada wajah yang terdeteksi pada foto")]
    NoFace,
    /// More than one face was found.
    #[error("terdeteksi {count} wajah pada foto; foto harus berisi tepat satu wajah")]
    ManyFaces {
        /// How many.
        count: usize,
    },
    /// The face models are not where they should be.
    #[error(
        "model wajah {path} tidak dapat dibuka ({detail}); jalankan scripts/face-models.sh \
         atau atur GERBANG_FACE_MODELS ke folder model"
    )]
    ModelMissing {
        /// The model file.
        path: std::path::PathBuf,
        /// Why it could not be opened.
        detail: String,
    },
    /// A face evaluation folder cannot be read.
    #[error("data evaluasi {path} tidak dapat dibaca: {detail}")]
    EvaluationData {
        /// The file or folder.
        path: std::path::PathBuf,
        /// What is wrong.
        detail: String,
    },
}

impl BiometricsError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            BiometricsError::NotAnImage { .. } => "image.not_an_image",
            BiometricsError::UnsupportedImageFormat { .. } => "image.unsupported_format",
            BiometricsError::ImageTooLarge { .. } => "image.too_large",
            BiometricsError::CorruptImage => "image.corrupt",
            BiometricsError::LowQuality { .. } => "fingerprint.low_quality",
            BiometricsError::BadTemplate { .. } => "fingerprint.bad_template",
            BiometricsError::NotBase64 => "input.not_base64",
            BiometricsError::BadInput { .. } => "input.value",
            BiometricsError::Extraction(_) => "fingerprint.extraction_failed",
            BiometricsError::EvalData(_) | BiometricsError::EvaluationData { .. } => "eval.bad_data",
            BiometricsError::FileTooLarge { .. } | BiometricsError::PhotoTooLarge { .. } => "image.too_large",
            BiometricsError::NotAPhoto => "image.not_an_image",
            BiometricsError::CorruptPhoto { .. } => "image.corrupt",
            BiometricsError::NoFace => "face.no_face",
            BiometricsError::ManyFaces { .. } => "face.many_faces",
            BiometricsError::ModelMissing { .. } => "face.model_missing",
        }
    }

    /// A [`BiometricsError::BadInput`] saying `reason`.
    pub fn bad_input(reason: impl Into<String>) -> Self {
        BiometricsError::BadInput { reason: reason.into() }
    }

    pub(crate) fn bad_template(reason: impl Into<String>) -> Self {
        BiometricsError::BadTemplate { reason: reason.into() }
    }
}

/// The crate's result type.
pub type Result<T, E = BiometricsError> = std::result::Result<T, E>;

//! The decoder's one error type. Every way a byte string can fail to be a
//! WSQ image the decoder can reconstruct ends here, never in a panic.

/// Why a byte string was not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WsqError {
    /// The bytes do not start with a WSQ Start of Image marker.
    #[error("not a WSQ image (no SOI marker)")]
    NotWsq,
    /// The data ends before the image does.
    #[error("WSQ data truncated")]
    Truncated,
    /// The frame header declares more pixels than the limits allow; refused
    /// before any pixel buffer is allocated.
    #[error("WSQ image of {width} × {height} pixels exceeds the limits")]
    TooLarge {
        /// Declared width, in pixels.
        width: u32,
        /// Declared height, in pixels.
        height: u32,
    },
    /// A well-formed stream using something this decoder does not
    /// reconstruct (an image too small for the 64 subbands, filters longer
    /// than any standard one).
    #[error("WSQ feature not supported: {0}")]
    Unsupported(&'static str),
    /// The data is damaged: a bad marker, table or entropy-coded segment.
    #[error("corrupt WSQ data: {0}")]
    Corrupt(&'static str),
}

/// The decoder's result type.
pub type Result<T> = std::result::Result<T, WsqError>;

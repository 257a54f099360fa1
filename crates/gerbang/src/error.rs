//! The command-line error: a stable code for scripts and a message for
//! people, printed as `galat [code]: message` with a non-zero exit.

use gerbang_core::IdNumberError;
use gerbang_core::access::secret::SecretError;
use gerbang_core::access::{AdminError, ScopeError};
use gerbang_core::audit::ChainBreak;
use gerbang_store::StoreError;
use gerbang_synth::PlanError;

/// A failed command.
#[derive(Debug)]
pub struct CliError {
    /// Stable machine-readable code.
    pub code: String,
    /// What went wrong, in Bahasa Indonesia.
    pub message: String,
}

impl CliError {
    /// An error with its code and message.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        CliError { code: code.into(), message: message.into() }
    }
}

impl From<StoreError> for CliError {
    fn from(error: StoreError) -> Self {
        CliError::new(error.code(), error.to_string())
    }
}

impl From<IdNumberError> for CliError {
    fn from(error: IdNumberError) -> Self {
        CliError::new(error.code(), error.to_string())
    }
}

impl From<PlanError> for CliError {
    fn from(error: PlanError) -> Self {
        let code = match error {
            PlanError::Empty => "seed.empty",
            PlanError::TooMany(_) => "seed.too_many",
            PlanError::AsOfOutOfRange(_) => "seed.as_of",
        };
        CliError::new(code, error.to_string())
    }
}

impl From<AdminError> for CliError {
    fn from(error: AdminError) -> Self {
        CliError::new(error.code(), error.to_string())
    }
}

impl From<ScopeError> for CliError {
    fn from(error: ScopeError) -> Self {
        CliError::new(error.code(), format!("ruang lingkup tidak valid: {error}"))
    }
}

impl From<SecretError> for CliError {
    fn from(error: SecretError) -> Self {
        CliError::new(error.code(), error.to_string())
    }
}

/// A broken audit chain (`gerbang audit verify`): the trail was altered,
/// and the message says at which record.
impl From<ChainBreak> for CliError {
    fn from(error: ChainBreak) -> Self {
        CliError::new("audit.chain_broken", error.to_string())
    }
}

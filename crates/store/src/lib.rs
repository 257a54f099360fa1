//! The one narrow storage trait of Gerbang. Each backend crate
//! (`gerbang-store-sqlite`, later `gerbang-store-postgres`) implements it and
//! owns its own numbered migrations; nothing above this trait writes SQL.
//!
//! The trait speaks domain types from `gerbang-core` only. Methods are async
//! so that a backend on a network database and one on an embedded file look
//! the same to the server; the embedded backend runs its blocking work off
//! the async threads.

use async_trait::async_trait;
use gerbang_core::{Family, Nik, NoKk, Resident};

/// Why a storage operation failed. Messages are for people (Bahasa
/// Indonesia) and never contain population data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached, opened or created (missing directory,
    /// no permission, server down). Usually temporary or a set-up problem.
    #[error("basis data tidak dapat digunakan: {0}")]
    Unavailable(String),
    /// The database file or a stored value is damaged.
    #[error("basis data rusak: {0}")]
    Corrupt(String),
    /// The schema on disk does not match this build (an edited or unknown
    /// migration).
    #[error("skema basis data tidak cocok: {0}")]
    Schema(String),
    /// A write would break a uniqueness rule (e.g. a NIK already registered).
    #[error("data bentrok: {0}")]
    Conflict(String),
    /// Any other backend failure.
    #[error("galat basis data: {0}")]
    Backend(String),
}

impl StoreError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Unavailable(_) => "store.unavailable",
            StoreError::Corrupt(_) => "store.corrupt",
            StoreError::Schema(_) => "store.schema",
            StoreError::Conflict(_) => "store.conflict",
            StoreError::Backend(_) => "store.backend",
        }
    }
}

/// A family card with its members, as written by a bulk load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    /// The card and its address.
    pub family: Family,
    /// Everyone listed on it; exactly one is the KEPALA KELUARGA.
    pub members: Vec<Resident>,
}

/// Counts and structural checks over the whole register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RegisterHealth {
    /// Residents in the register.
    pub residents: u64,
    /// Family cards in the register.
    pub families: u64,
    /// Family cards that do not have exactly one KEPALA KELUARGA.
    pub families_without_one_head: u64,
    /// Family cards with no member at all.
    pub empty_families: u64,
}

/// The storage of Gerbang.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A short description for start-up logs (backend and location, never
    /// credentials).
    fn describe(&self) -> String;

    /// A resident with their family card, by NIK.
    async fn resident(&self, nik: Nik) -> Result<Option<(Resident, Family)>, StoreError>;

    /// A family card and its members (head first, then by relationship and
    /// birth date), by NO_KK.
    async fn household(&self, no_kk: NoKk) -> Result<Option<Household>, StoreError>;

    /// Up to `limit` residents with a NIK greater than `after`, in NIK order:
    /// a keyset page for walking the whole register.
    async fn residents_after(&self, after: Option<Nik>, limit: u32) -> Result<Vec<Resident>, StoreError>;

    /// Prepares for a large load of households (seeding, copying a
    /// deployment). Until [`Store::finish_bulk_load`] the backend may defer
    /// secondary indexes and relax durability against power loss (not
    /// against a crash of the process); every batch stays atomic.
    async fn begin_bulk_load(&self) -> Result<(), StoreError>;

    /// Ends a bulk load: builds what was deferred and restores full
    /// durability.
    async fn finish_bulk_load(&self) -> Result<(), StoreError>;

    /// Writes households in one transaction: all of them or none.
    async fn insert_households(&self, households: Vec<Household>) -> Result<(), StoreError>;

    /// Removes every resident and family card, in one transaction.
    async fn clear_register(&self) -> Result<(), StoreError>;

    /// Counts and structural checks.
    async fn register_health(&self) -> Result<RegisterHealth, StoreError>;
}

#[cfg(feature = "story")]
pub mod story;

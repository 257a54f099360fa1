//! The domain of Gerbang: identity numbers (NIK, NO_KK), the element catalogue,
//! the official Dukcapil vocabularies, region reference data, the resident
//! record, injected time, the access plane (agreements, accounts, guards),
//! the audit chain, leak attribution over it, canary residents and the
//! detectors that raise alerts, residents' view of who accessed their
//! data, and the shapes of biometric
//! enrolments.
//!
//! Nothing here speaks HTTP or SQL. Values are validated when they are built,
//! so a `Nik` or a `NoKk` held anywhere in the program is known to be well
//! formed.

pub mod access;
pub mod alert;
pub mod answer;
pub mod audit;
pub mod biometric;
pub mod card_reader;
pub mod clock;
pub mod element;
pub mod facilitation;
pub mod id_number;
pub mod leak;
pub mod matching;
pub mod region;
pub mod reminder;
pub mod report;
pub mod resident;
pub mod return_data;
pub mod transparency;
pub mod vocab;

pub use clock::{Clock, FixedClock, SystemClock};
pub use element::{Comparison, Element, WireType};
pub use id_number::{IdNumberError, Nik, NoKk};
pub use region::Regions;
pub use resident::{Address, ElementValue, Family, LifeStatus, Resident};

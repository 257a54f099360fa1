//! The access plane's domain: the control plane (providers, partners,
//! agreements, accounts, networks), the guards that decide every access,
//! the secrets that prove who is asking, and the provider's key that opens
//! face recognition's sealed fields (SPEC.md §1, §3, §4, §7; WIRE.md).
//! Authorization is decided here and nowhere else.

pub mod admin;
pub mod control;
pub mod guard;
pub mod lockout;
pub mod mechanism;
pub mod obligation;
pub mod portal;
pub mod provider_key;
pub mod request;
pub mod scope;
pub mod secret;

pub use admin::{AdminError, ControlWrite, NewAccount, NewAgreement};
pub use control::{
    Account, Addendum, Agreement, ControlPlane, DEFAULT_DAILY_QUOTA, Institution, NetworkRule, Obligation,
    ObligationKind, Provider, ProviderLevel, Role, Termination, TerminationReason,
};
pub use guard::{
    Access, AccessRequest, Authentication, Denial, Steward, admit_sealed_caller, authorize, authorize_steward,
    channel_of, require_prior_match,
};
pub use lockout::{LockoutPolicy, Lockouts};
pub use mechanism::{Channel, Mechanism};
pub use obligation::{DUE_SOON_DAYS, ObligationStatus, semester_ends};
pub use portal::{Desk, OperatorDesk, PartnerDesk, admit_to_portal};
pub use provider_key::{PROVIDER_KEY_BITS, ProviderKey, ProviderKeyError, SealedFieldError, seal_field};
pub use request::{Applicant, Ask, Decision, Request, RequestField, RequestStatus, USER_ID_TARGET_DAYS, Verdict};
pub use scope::{Grant, Scope, ScopeError};

#[cfg(test)]
pub(crate) mod tests;

//! Return data ("data balikan", SPEC.md §5; 000 Ps.2(2)b, 001 Ps.2(2)c,
//! 002 Ps.2(2)b, 003 Ps.3(2)c, 004 Ps.3(2)b and Juknis 3): what each partner
//! sends back about the residents it looked up, to enrich the register.
//!
//! This module owns the three decisions of an intake, so the upload, the
//! online form and the web service cannot disagree:
//! - the **schema** of an agreement ([`ReturnSchema`]): named, ordered
//!   fields with a spreadsheet column header, a label in Bahasa Indonesia, a
//!   type with its rules, required or optional. Schemas are data (TOML or
//!   JSON files), not code; the NIK column is implicit and always first;
//! - the **validation** of one row ([`Binding::check`], [`settle`]): cell
//!   rules, NIK structure, a NIK stored as a number that lost digits, a NIK
//!   repeated in one file, and the rule that a row is accepted only for a
//!   NIK the same partner accessed within the deployment's window (an
//!   audited mechanism call naming the resident: the server names the
//!   resident in a record only once the caller passed the guards)
//!   ([`DEFAULT_ACCESS_WINDOW_DAYS`], set by `[return_data]
//!   access_window_days` in the server's configuration);
//! - **who** may submit and read ([`authorize_submission`],
//!   [`submission_on_behalf`], [`authorize_reader`]): a partner's service
//!   account, operator or administrator, under an agreement in force that
//!   names a return schema, for its own institution only; the registry
//!   reads; other partners never.
//!
//! A row's values are population data: their `Debug` forms hide them.

mod access;
mod cell;
mod schema;
mod validate;

pub use access::{ReturnDenial, Submitter, authorize_reader, authorize_submission, submission_on_behalf};
pub use cell::{Cell, MAX_EXACT_NUMBER, excel_serial_date, parse_date_text};
pub use schema::{Field, ReturnSchema, Rule, SchemaError};
pub use validate::{
    BatchCounts, BatchState, Binding, IntakeMethod, IntakeMode, Problem, RawRow, ReturnBatch, RowOutcome,
    StoredReturnRow, ValidRow, settle,
};

/// How far back a partner's access to a NIK counts for the "accessed NIK"
/// rule, unless the deployment says otherwise (`[return_data]
/// access_window_days`).
pub const DEFAULT_ACCESS_WINDOW_DAYS: u32 = 365;

/// The header of the NIK column, present in every schema.
pub const NIK_COLUMN: &str = "NIK";

#[cfg(test)]
mod tests;

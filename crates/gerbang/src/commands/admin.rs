//! What the administration commands share: the control plane opened from
//! the existing database, one transaction per command, today's date in
//! Jakarta, and output as aligned text tables for people or JSON for
//! scripts. No command writes SQL: every change is a core admin operation
//! turned into [`ControlWrite`]s and applied with one
//! [`Store::apply_control`].

use std::fmt::Display;
use std::sync::Arc;

use chrono::NaiveDate;
use gerbang_core::access::{ControlPlane, ControlWrite};
use gerbang_core::{Clock, SystemClock};
use gerbang_store::Store;
use gerbang_store_sqlite::OpenMode;
use serde::Serialize;

use crate::config::Config;
use crate::error::CliError;
use crate::open;

/// An opened store and its control plane as it was when opened.
pub struct Admin {
    /// The store.
    pub store: Arc<dyn Store>,
    /// The snapshot every operation is checked against.
    pub plane: ControlPlane,
}

impl Admin {
    /// Opens the existing database (never creates one) and reads the control
    /// plane.
    pub async fn open(config: &Config) -> Result<Self, CliError> {
        let store = open::store(config, OpenMode::MustExist).await?;
        let plane = store.control_plane().await?;
        Ok(Admin { store, plane })
    }

    /// Applies `writes` in one transaction.
    pub async fn commit(&self, writes: Vec<ControlWrite>) -> Result<(), CliError> {
        self.store.apply_control(writes).await?;
        Ok(())
    }
}

/// Today in Asia/Jakarta, from the system clock (the one read of it in the
/// administration commands).
pub fn today() -> NaiveDate {
    SystemClock.today()
}

/// Prints rows under headers, columns aligned by two spaces; the last
/// column is not padded, so lines carry no trailing blanks.
pub fn print_table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (index, (cell, width)) in cells.iter().zip(&widths).enumerate() {
            if index + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  "));
            }
        }
        println!("{}", out.trim_end());
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// Prints `value` as pretty JSON.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| CliError::new("output.json", format!("gagal menyusun JSON: {error}")))?;
    println!("{text}");
    Ok(())
}

/// The value, or `-` when there is none.
pub fn or_dash<T: Display>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// `ya` or `tidak`.
pub fn yes_no(value: bool) -> &'static str {
    if value { "ya" } else { "tidak" }
}

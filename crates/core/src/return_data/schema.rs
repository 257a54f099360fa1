//! Return-data schemas as data: a name, a title and ordered fields, read
//! from a TOML or JSON file and checked before they are stored.

use serde::{Deserialize, Serialize};

use super::NIK_COLUMN;

/// A field's type and its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Rule {
    /// Free text of at most `max_length` characters.
    Text {
        /// The longest value allowed, in characters.
        max_length: usize,
    },
    /// Exactly `length` ASCII digits (e.g. an 18-digit NIP).
    Digits {
        /// The number of digits.
        length: usize,
    },
    /// A calendar date: a spreadsheet date, or text as `dd-mm-yyyy`,
    /// `dd/mm/yyyy` or `yyyy-mm-dd`; stored as `yyyy-mm-dd`.
    Date,
    /// One of `options`, compared ignoring case; stored as listed.
    Choice {
        /// The allowed values.
        options: Vec<String>,
    },
    /// A whole number from `min` to `max` inclusive.
    Integer {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
    },
}

/// One column of a return-data file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// The header in the file's header row (e.g. `NIP`), matched ignoring
    /// case and surrounding spaces; also the key in the web service.
    pub column: String,
    /// What it is, in Bahasa Indonesia (shown in forms and reports).
    pub label: String,
    /// Whether every row must fill it.
    #[serde(default = "yes")]
    pub required: bool,
    /// The type and its rules.
    #[serde(flatten)]
    pub rule: Rule,
}

fn yes() -> bool {
    true
}

/// The return data an agreement asks for (`Agreement.return_schema` names it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnSchema {
    /// Stable handle: lower-case letters, digits, `-` and `_` (e.g. `bkn`).
    pub name: String,
    /// What it is, in Bahasa Indonesia.
    pub title: String,
    /// The columns after the implicit NIK column, in order.
    #[serde(rename = "field")]
    pub fields: Vec<Field>,
}

/// Why a schema file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// The name is empty or has characters other than `a-z0-9-_`.
    #[error("nama skema \"{0}\" tidak sah: gunakan huruf kecil, angka, - atau _")]
    BadName(String),
    /// No field besides NIK.
    #[error("skema harus memiliki paling sedikit satu kolom selain NIK")]
    NoFields,
    /// Two fields share a column header (ignoring case), or one is `NIK`.
    #[error("kolom \"{0}\" ganda (kolom NIK sudah selalu ada)")]
    DuplicateColumn(String),
    /// A rule that no value could satisfy or that makes no sense.
    #[error("aturan kolom \"{column}\" tidak sah: {reason}")]
    BadRule {
        /// The column.
        column: String,
        /// What is wrong, in Bahasa Indonesia.
        reason: String,
    },
}

impl SchemaError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            SchemaError::BadName(_) => "schema.bad_name",
            SchemaError::NoFields => "schema.no_fields",
            SchemaError::DuplicateColumn(_) => "schema.duplicate_column",
            SchemaError::BadRule { .. } => "schema.bad_rule",
        }
    }
}

impl ReturnSchema {
    /// Checks the schema's own consistency (not any data).
    pub fn check(&self) -> Result<(), SchemaError> {
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self.name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !name_ok {
            return Err(SchemaError::BadName(self.name.clone()));
        }
        if self.fields.is_empty() {
            return Err(SchemaError::NoFields);
        }
        let mut seen = vec![NIK_COLUMN.to_owned()];
        for field in &self.fields {
            let column = field.column.trim().to_uppercase();
            if column.is_empty() || seen.contains(&column) {
                return Err(SchemaError::DuplicateColumn(field.column.clone()));
            }
            seen.push(column);
            let bad = |reason: &str| SchemaError::BadRule { column: field.column.clone(), reason: reason.into() };
            match &field.rule {
                Rule::Text { max_length: 0 } => return Err(bad("panjang maksimum harus lebih dari 0")),
                Rule::Digits { length } if !(1..=64).contains(length) => {
                    return Err(bad("jumlah digit harus 1 sampai 64"));
                }
                Rule::Choice { options } if options.is_empty() => return Err(bad("pilihan tidak boleh kosong")),
                Rule::Integer { min, max } if min > max => return Err(bad("batas bawah melebihi batas atas")),
                _ => {}
            }
        }
        Ok(())
    }

    /// Every column header, NIK first.
    pub fn columns(&self) -> Vec<String> {
        std::iter::once(NIK_COLUMN.to_owned()).chain(self.fields.iter().map(|f| f.column.clone())).collect()
    }

    /// The field with this column header (ignoring case).
    pub fn field(&self, column: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.column.eq_ignore_ascii_case(column.trim()))
    }
}

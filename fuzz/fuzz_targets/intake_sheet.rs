//! Return-data intake (`gerbang_intake`): any file is read by content
//! (CSV, xlsx, xls, ods) into rows or refused with an `IntakeError`, never
//! a panic; the rows are then bound to the BPBD demo schema and checked
//! row by row, as `submit` does before storing.

#![no_main]

use std::io::Cursor;
use std::sync::OnceLock;

use gerbang_core::return_data::{Binding, Cell, ReturnSchema};
use gerbang_intake::{IntakeConfig, read_rows};
use libfuzzer_sys::fuzz_target;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Builder::new_current_thread().build().unwrap())
}

fn schema() -> &'static ReturnSchema {
    static SCHEMA: OnceLock<ReturnSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| toml::from_str(include_str!("../../crates/gerbang/demo/schemas/bpbd.toml")).unwrap())
}

/// libfuzzer-sys aborts on every panic, even one the code under test
/// catches. The intake catches the panics of its spreadsheet library
/// (calamine panics on some malformed `.xls` files) and answers
/// "unreadable", so those are let through to that catch; any other panic
/// still aborts and is a finding.
fn let_calamine_panics_reach_the_intake() {
    let aborting = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.location().is_some_and(|at| at.file().contains("/calamine-")) {
            return;
        }
        aborting(info);
    }));
}

fuzz_target!(init: let_calamine_panics_reach_the_intake(), |data: &[u8]| {
    // Small limits so a declared-huge zip is refused quickly, as in
    // production it is refused for the same reason at larger sizes.
    let config = IntakeConfig { max_unpacked_bytes: 16 << 20, ..IntakeConfig::default() };
    let file = Box::new(Cursor::new(data.to_vec()));
    let Ok(rows) = runtime().block_on(read_rows(file, data.len() as u64, &config, 10_000)) else {
        return;
    };
    let schema = schema();
    let mut binding: Option<Binding> = None;
    for row in &rows {
        match &binding {
            Some(binding) => {
                if !Binding::is_blank(row) {
                    let _ = binding.check(row);
                }
            }
            None => {
                let texts: Vec<String> = row.cells.iter().map(Cell::display).collect();
                if schema.is_header(&texts) {
                    binding = schema.bind(&texts).ok();
                }
            }
        }
    }
});

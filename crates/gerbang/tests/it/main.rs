//! The one integration test binary: runs the real `gerbang` executable for
//! the command line, and starts the real server on `127.0.0.1:0` to speak
//! HTTP to it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod admin;
mod admin_api;
mod alerts;
mod biometrics;
mod browser;
mod brute_force;
mod card_reader;
mod cli;
mod console;
mod crash_import;
mod eval;
mod facilitation;
mod faults;
mod gateway;
mod guards;
mod http;
mod injection;
mod investigate;
mod limits;
mod log_scan;
mod notify;
mod partner_portal;
mod partners;
mod portal;
mod portal_return_data;
mod postgres;
mod process;
mod return_data;
mod security;
mod semester_report;
mod support;
mod totp;
mod transparency;
mod wire;

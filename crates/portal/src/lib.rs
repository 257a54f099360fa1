//! Gerbang's web portal, served by the same `gerbang serve` under
//! `/portal/…`: server-rendered pages (askama), Bahasa Indonesia first with
//! English available.
//!
//! - sign-in with argon2id passwords and a lockout ([`session`]), HttpOnly
//!   SameSite=Strict session cookies, a CSRF token on every form and
//!   security headers on every page ([`security`]);
//! - an optional second factor, RFC 6238 codes ([`totp`]), that each user
//!   turns on and off on the security page ([`second_factor`]) and that the
//!   sign-in then asks for after the password;
//! - operators' pages ([`operator`]): call NIK, verification by elements and
//!   family members through the same gate as the web service, so the guards,
//!   the quota and the audit record are the web service's own;
//! - the registry's console ([`console`]): partners, agreements (extend,
//!   terminate, enrol a partner and file its agreement, IP allow-lists,
//!   obligations), partners' requests ([`requests`]: issue a User ID, raise
//!   a quota, or reject), the audit search ([`trail`]: by partner, User ID,
//!   dates, outcome, and who accessed a resident) and the monitoring
//!   dashboard ([`monitor`], charts drawn as inline SVG by [`plot`]), and
//!   the security alerts ([`alerts`]: canary residents touched, NIK
//!   enumeration, off-hours bulk access; their open count in the
//!   navigation);
//! - a partner administrator's pages ([`partner`]): its operators and
//!   service accounts, operators' NDAs and activation, requests for User
//!   IDs and quota raises, its own usage;
//! - return data ([`return_data`]): the partner's online form and file
//!   upload, through the same intake as the web service;
//! - document facilitation ([`facilitation`]): partners file children's and
//!   inmates' document cases, the console works the queue;
//! - semester reports ([`reports`] for the partner: figures, charts,
//!   narrative, submit, PDF/xlsx; [`report_console`] for the registry:
//!   reports by semester and status, evaluation, the Bupati summary);
//! - transparency for residents ([`resident_access`]): a resident, with
//!   NIK and a one-time code the console issues, sees which partners
//!   accessed their data (`/portal/warga`).
//!
//! Authorization is decided in `core` (`admit_to_portal`, `Steward`); pages
//! only ask.

mod alerts;
mod biometric_console;
mod card_reader_console;
mod card_readers;
mod console;
mod desk;
mod enrolment;
mod facilitation;
mod facilitation_sheet;
mod monitor;
mod networks;
mod obligations;
mod operator;
mod partner;
mod plot;
mod report_console;
mod reports;
mod requests;
mod resident_access;
mod return_data;
mod second_factor;
pub mod security;
pub mod session;
mod signin;
pub mod texts;
pub mod totp;
mod trail;
mod upload;
mod view;

use std::sync::Arc;

use axum::Extension;
use axum::routing::{get, post};
use gerbang_web::Routes;

pub use session::Sessions;

/// The portal's routes, to merge into the server's router.
pub fn router(sessions: Arc<Sessions>) -> Routes {
    Routes::new()
        .route("/portal", get(operator::home))
        .route("/portal/", get(operator::home))
        .route("/portal/masuk", get(signin::form).post(signin::submit))
        .route("/portal/masuk/kode", get(signin::code_form).post(signin::code_submit))
        .route("/portal/keamanan", get(second_factor::page).post(second_factor::change))
        .route("/portal/keluar", post(signin::sign_out))
        .route("/portal/bahasa/{code}", get(signin::language))
        .route("/portal/call-nik", get(operator::call_nik_form).post(operator::call_nik))
        .route("/portal/verifikasi", get(operator::verify_form).post(operator::verify))
        .route("/portal/anggota-keluarga", get(operator::family_form).post(operator::family))
        .route("/portal/foto", get(operator::photo_form).post(operator::photo))
        .route("/portal/konsol", get(console::partners))
        .route("/portal/konsol/mitra/{code}", get(console::partner))
        .route("/portal/konsol/mitra/{code}/jaringan", post(networks::change))
        .route("/portal/konsol/mitra/{code}/perjanjian", post(enrolment::create_agreement))
        .route("/portal/konsol/mitra-baru", get(enrolment::partner_form).post(enrolment::create_partner))
        .route("/portal/konsol/kewajiban", get(obligations::list).post(obligations::fulfil))
        .route("/portal/konsol/perjanjian/{id}/akhiri", post(console::terminate))
        .route("/portal/konsol/perjanjian/{id}/adendum", post(console::extend))
        .route("/portal/konsol/permintaan", get(requests::queue))
        .route("/portal/konsol/permintaan/{id}/setujui", post(requests::approve))
        .route("/portal/konsol/permintaan/{id}/tolak", post(requests::reject))
        .route("/portal/konsol/pantauan", get(monitor::monitoring))
        .route("/portal/konsol/pembaca-kartu", get(card_reader_console::list))
        .route("/portal/konsol/biometrik", get(biometric_console::show))
        .route("/portal/konsol/kode-warga", get(resident_access::console_form).post(resident_access::console_issue))
        .route("/portal/warga", get(resident_access::form).post(resident_access::show))
        .route("/portal/konsol/pembaca-kartu/{id}", post(card_reader_console::step))
        .route("/portal/konsol/fasilitasi", get(facilitation::queue))
        .route("/portal/konsol/fasilitasi/{number}", post(facilitation::step))
        .route("/portal/mitra/fasilitasi", get(facilitation::partner).post(facilitation::file))
        .route("/portal/mitra/fasilitasi/templat.csv", get(facilitation_sheet::template))
        .route("/portal/mitra/pembaca-kartu", get(card_readers::show).post(card_readers::register))
        .route("/portal/mitra/data-balikan", get(return_data::show))
        .route("/portal/mitra/data-balikan/formulir", post(return_data::form))
        .route("/portal/konsol/laporan", get(report_console::list))
        .route("/portal/konsol/laporan/{institution}/{semester}", get(report_console::view_report))
        .route("/portal/konsol/laporan/{institution}/{semester}/evaluasi", post(report_console::evaluate))
        .route("/portal/konsol/laporan/{institution}/{semester}/unduh/{format}", get(report_console::download_report))
        .route("/portal/konsol/laporan-bupati/{semester}/{format}", get(report_console::bupati))
        .route("/portal/konsol/peringatan", get(alerts::list))
        .route("/portal/konsol/peringatan/{id}", post(alerts::acknowledge))
        .route("/portal/konsol/audit", get(trail::search))
        .route("/portal/konsol/audit.csv", get(trail::search_csv))
        .route("/portal/konsol/audit/nik", post(trail::by_resident))
        .route("/portal/mitra", get(partner::home))
        .route("/portal/mitra/permintaan/user-id", get(partner::user_id_request_form).post(partner::user_id_request))
        .route("/portal/mitra/permintaan/kuota", get(partner::quota_request_form).post(partner::quota_request))
        .route("/portal/mitra/permintaan/{id}", get(partner::request))
        .route("/portal/mitra/laporan", get(reports::partner_list))
        .route("/portal/mitra/laporan/{semester}", get(reports::partner_view).post(reports::partner_save))
        .route("/portal/mitra/laporan/{semester}/unduh/{format}", get(reports::partner_download))
        .route("/portal/mitra/operator/{user_id}/nda", post(partner::record_nda))
        .route("/portal/mitra/operator/{user_id}/status", post(partner::set_status))
        .route("/portal/static/gerbang.css", get(security::stylesheet))
        .wrap(|router| router.layer(axum::middleware::from_fn(security::headers)).layer(Extension(sessions)))
}

/// The portal's upload routes, to merge beside the services outside the
/// 1 MiB body limit of [`router`]: each streams its file to disk under the
/// deployment's own upload limit ([`return_data`]).
pub fn uploads(sessions: Arc<Sessions>) -> Routes {
    Routes::new()
        .route("/portal/mitra/data-balikan/unggah", post(return_data::upload))
        .route("/portal/mitra/fasilitasi/unggah", post(facilitation_sheet::upload))
        .route("/portal/konsol/biometrik/wajah", post(biometric_console::enrol_face))
        .route("/portal/konsol/biometrik/sidik-jari", post(biometric_console::enrol_fingerprints))
        .wrap(|router| {
            router
                .layer(axum::extract::DefaultBodyLimit::disable())
                .layer(axum::middleware::from_fn(security::headers))
                .layer(Extension(sessions))
        })
}

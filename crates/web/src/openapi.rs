//! The OpenAPI document of `/api/v1`, generated from the handlers' and the
//! bodies' own annotations and served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Declares the two ways to authenticate.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("gb_…").build()),
        );
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
    }
}

/// The v1 API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Gerbang API v1",
        description = "Akses data kependudukan sesuai Perjanjian Kerja Sama: verifikasi elemen, akses NIK, \
                       pemeriksaan NIK dan NO_KK, anggota keluarga, wajah, sidik jari, foto, pembaca KTP-el, \
                       dan administrasi penyelenggara."
    ),
    paths(
        crate::v1::call_nik,
        crate::v1::verify_by_elements,
        crate::v1::nik_kk_check,
        crate::v1::family_members,
        crate::admin::institutions_list,
        crate::admin::institution_create,
        crate::admin::institution_update,
        crate::admin::agreements_list,
        crate::admin::agreement_create,
        crate::admin::agreement_extend,
        crate::admin::agreement_terminate,
        crate::admin::account_create,
        crate::admin::account_update,
        crate::admin::network_allow,
        crate::admin::network_revoke,
        crate::alerts_api::alerts_list,
        crate::return_data::v1_store,
        crate::return_data::of_resident,
        crate::card_reader::reader_event,
        crate::card_reader::personalize,
        crate::card_reader::activate,
        crate::card_reader::deactivate,
        crate::card_reader::config_return,
        crate::biometric_api::face_match,
        crate::biometric_api::face_search,
        crate::biometric_api::fingerprint_identify,
        crate::biometric_api::photo,
        crate::biometric_api::enrol_face,
        crate::biometric_api::enrol_fingerprints,
        crate::transparency::access_history_show,
    ),
    modifiers(&Security),
    tags((name = "mechanisms", description = "Mekanisme akses (SPEC.md §4)"), (name = "admin", description = "Administrasi penyelenggara"), (name = "return-data", description = "Data balikan (SPEC.md §5)"), (name = "resident", description = "Riwayat akses data untuk penduduk, dengan NIK dan kode akses sekali pakai dari Dukcapil"))
)]
pub struct ApiDoc;

/// `GET /api/v1/openapi.json`.
pub(crate) async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

//! The development-only register view: `GET /api/v1/residents/{nik}`.
//! Mounted only with `--dev-open-register`; it has no authorization and
//! exists so that a developer can look at the synthetic register before the
//! access plane (agreements, guards, audit) lands.

use axum::Json;
use axum::extract::{Path, State};
use gerbang_core::resident::recorded_elements;
use gerbang_core::{Family, Nik, Regions, Resident};
use gerbang_proto::v1::ResidentRecord;

use crate::{AppState, WebError};

/// Every element of one resident, with their life status.
pub(crate) async fn resident_show(
    State(state): State<AppState>,
    Path(nik): Path<String>,
) -> Result<Json<ResidentRecord>, WebError> {
    let nik = Nik::parse(&nik)?;
    let (resident, family) = state
        .store
        .resident(nik)
        .await?
        .ok_or_else(|| WebError::not_found("resident.not_found", "NIK tidak terdapat di database kependudukan"))?;
    Ok(Json(resident_record(&resident, &family, state.regions)))
}

/// A resident's recorded elements and life status as the development view
/// (and `gerbang resident show --json`) present them.
pub fn resident_record(resident: &Resident, family: &Family, regions: &Regions) -> ResidentRecord {
    let elements = recorded_elements(resident, family, regions)
        .into_iter()
        .map(|(element, value)| (element.wire_name().to_owned(), serde_json::to_value(value).unwrap_or_default()))
        .collect();
    ResidentRecord {
        elements,
        deceased: resident.life.is_deceased(),
        active: resident.life.active,
        duplicate: resident.life.duplicate,
    }
}

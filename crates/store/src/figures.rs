//! The figures of a semester report, gathered from the store: the trail's
//! counts of the partner's calls, the distinct residents they reached, and
//! the residents the partner sent return data for. The portal, the CLI and
//! the exports all get their figures here, so they agree.

use gerbang_core::access::{ControlPlane, Role};
use gerbang_core::report::{Semester, Tally, Utilization, UtilizationInput};

use crate::{Store, StoreError};

/// Computes `institution`'s figures for `semester` now.
pub async fn semester_figures(
    store: &dyn Store,
    plane: &ControlPlane,
    institution: &str,
    semester: Semester,
) -> Result<Utilization, StoreError> {
    let (from, until) = (semester.from(), semester.until());
    let tallies: Vec<Tally> = store
        .audit_counts(institution, from, until)
        .await?
        .into_iter()
        .map(|c| Tally { day: c.day, user_id: c.user_id, mechanism: c.mechanism, outcome: c.outcome, count: c.count })
        .collect();
    let daily_quota = plane
        .accounts_of(institution)
        .filter(|a| matches!(a.role, Role::Operator | Role::Service))
        .map(|a| u64::from(a.daily_quota))
        .sum();
    Ok(Utilization::compute(&UtilizationInput {
        semester,
        tallies: &tallies,
        daily_quota,
        residents_accessed: store.residents_accessed(institution, from, until).await?,
        residents_with_return_data: store.residents_with_return_data(institution, from, until).await?,
    }))
}

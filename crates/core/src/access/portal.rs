//! The guard of the portal's pages (SPEC.md §4, issue "web portal"): who may
//! sign in and open a page. Operators pass the same guards as the web
//! service — User ID and institution active, an agreement in force, the
//! source address on the allow-lists — on every page, so a termination or a
//! suspension cuts a signed-in operator off at the next page load. Provider
//! administrators reach the registry's console. A partner's administrator
//! passes the same guards and reaches its partner's pages, and
//! [`PartnerDesk`] answers only with that partner's own objects. Service
//! accounts have no portal.

use std::net::IpAddr;

use chrono::NaiveDate;

use crate::access::control::{Account, ControlPlane, Role};
use crate::access::guard::{Authentication, Denial, Steward, admit_partner, authorize_steward};
use crate::access::mechanism::{Channel, Mechanism};
use crate::access::request::Request;

/// A partner's operator at the portal, under the agreement in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorDesk {
    /// The operator's User ID.
    pub user_id: String,
    /// The partner institution's code.
    pub institution: String,
    /// The partner's official name.
    pub institution_name: String,
    /// The agreement in force.
    pub agreement: String,
    /// Mechanisms the agreement grants through the portal.
    pub mechanisms: Vec<Mechanism>,
    /// The operator's daily quota.
    pub daily_quota: u32,
}

impl OperatorDesk {
    /// Whether the agreement grants `mechanism` through the portal.
    pub fn may_use(&self, mechanism: Mechanism) -> bool {
        self.mechanisms.contains(&mechanism)
    }
}

/// A partner's administrator (its head or whom the head appoints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerDesk {
    /// The administrator's User ID.
    pub user_id: String,
    /// The partner institution's code.
    pub institution: String,
    /// The partner's official name.
    pub institution_name: String,
    /// The agreement in force.
    pub agreement: String,
}

impl PartnerDesk {
    /// One of the partner's own requests; another partner's is not found.
    pub fn request<'p>(&self, plane: &'p ControlPlane, id: &str) -> Option<&'p Request> {
        plane.request(id).filter(|r| r.institution == self.institution)
    }

    /// One of the partner's own operator or service User IDs; anyone
    /// else's is not found.
    pub fn account<'p>(&self, plane: &'p ControlPlane, user_id: &str) -> Option<&'p Account> {
        plane
            .account(user_id)
            .filter(|a| a.holder == self.institution && matches!(a.role, Role::Operator | Role::Service))
    }

    /// One of the partner's own operators, whose NDA the administrator
    /// records and whom it activates or deactivates (SPEC.md §7); a
    /// service account or anyone else's User ID is not found.
    pub fn operator<'p>(&self, plane: &'p ControlPlane, user_id: &str) -> Option<&'p Account> {
        self.account(plane, user_id).filter(|a| a.role == Role::Operator)
    }
}

/// Who is at the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Desk {
    /// A partner's operator.
    Operator(OperatorDesk),
    /// A provider administrator at the registry's console.
    Registry(Steward),
    /// A partner's administrator.
    Partner(PartnerDesk),
}

impl Desk {
    /// The User ID.
    pub fn user_id(&self) -> &str {
        match self {
            Desk::Operator(desk) => &desk.user_id,
            Desk::Registry(steward) => &steward.user_id,
            Desk::Partner(desk) => &desk.user_id,
        }
    }
}

/// Runs the portal's guards for a signed-in (or signing-in) account coming
/// from `source_ip` on the Jakarta day `today`.
pub fn admit_to_portal(
    plane: &ControlPlane,
    authentication: Authentication<'_>,
    source_ip: IpAddr,
    today: NaiveDate,
) -> Result<Desk, Denial> {
    let account = authentication.account()?;
    match account.role {
        Role::ProviderAdmin => authorize_steward(plane, authentication).map(Desk::Registry),
        Role::Service => Err(Denial::LoginFailed),
        Role::PartnerAdmin => {
            let institution = plane.institution(&account.holder).ok_or(Denial::LoginFailed)?;
            let agreement = admit_partner(plane, account, institution, source_ip, today)?;
            Ok(Desk::Partner(PartnerDesk {
                user_id: account.user_id.clone(),
                institution: institution.code.clone(),
                institution_name: institution.name.clone(),
                agreement: agreement.id.clone(),
            }))
        }
        Role::Operator => {
            let institution = plane.institution(&account.holder).ok_or(Denial::LoginFailed)?;
            let agreement = admit_partner(plane, account, institution, source_ip, today)?;
            Ok(Desk::Operator(OperatorDesk {
                user_id: account.user_id.clone(),
                institution: institution.code.clone(),
                institution_name: institution.name.clone(),
                agreement: agreement.id.clone(),
                mechanisms: agreement.scope.mechanisms(Channel::Portal),
                daily_quota: account.daily_quota,
            }))
        }
    }
}

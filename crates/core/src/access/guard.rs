//! The guards: the one place that decides whether a caller may use a
//! mechanism (SPEC.md §4 "Guards on every call"). They run in the order of
//! the specification, and the first that fails names the error:
//! credentials present → valid → User ID active → institution active →
//! agreement in force → source IP allowed → mechanism granted → elements
//! granted. The daily quota and the input come after, in the server, because
//! they need storage and the parsed request.

use std::net::IpAddr;

use crate::access::control::{Account, Agreement, ControlPlane, Institution, Role};
use crate::access::mechanism::{Channel, Mechanism};
use crate::access::scope::Grant;
use crate::element::Element;

/// What the server learned about the caller's credentials.
#[derive(Debug, Clone, Copy)]
pub enum Authentication<'a> {
    /// No user, password or token was sent (WIRE code 09).
    Missing,
    /// Unknown user, wrong password or unknown token (WIRE code 03).
    Failed,
    /// Too many failures in a row: not checked until the lock ends
    /// ([`crate::access::lockout`]).
    LockedOut,
    /// The password or token belongs to this account.
    Verified(&'a Account),
}

impl<'a> Authentication<'a> {
    /// The first two guards: credentials present (WIRE 09) and valid (03).
    pub fn account(self) -> Result<&'a Account, Denial> {
        match self {
            Authentication::Missing => Err(Denial::CredentialsMissing),
            Authentication::Failed => Err(Denial::LoginFailed),
            Authentication::LockedOut => Err(Denial::LockedOut),
            Authentication::Verified(account) => Ok(account),
        }
    }
}

/// What the caller wants to do.
#[derive(Debug, Clone, Copy)]
pub struct AccessRequest<'a> {
    /// The mechanism.
    pub mechanism: Mechanism,
    /// The elements it asks to verify or see; empty means "whatever is
    /// granted" (call NIK, family members).
    pub elements: &'a [Element],
    /// The connection's real source address (or the trusted proxy's
    /// forwarded address), never the address the body claims.
    pub source_ip: IpAddr,
    /// The `{INSTANSI}` path segment of the compatible service, which must
    /// name the account's own institution.
    pub instansi: Option<&'a str>,
}

/// Permission to go on: who is asking, under which agreement, and what the
/// grant allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// The User ID.
    pub user_id: String,
    /// The partner institution.
    pub institution: String,
    /// The agreement in force.
    pub agreement: String,
    /// The channel, from the account's role.
    pub channel: Channel,
    /// The grant used.
    pub grant: Grant,
    /// The account's daily quota.
    pub daily_quota: u32,
}

/// Why access is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Denial {
    /// No credentials (WIRE 09).
    #[error("User, password dan IP tidak boleh kosong")]
    CredentialsMissing,
    /// Wrong credentials, an account that is not a partner's, or an
    /// `{INSTANSI}` that is not the account's institution (WIRE 03).
    #[error("Login Gagal")]
    LoginFailed,
    /// Too many failed logins in a row from this address; the password is
    /// not checked until the lock ends (answered as WIRE 03).
    #[error("Login Gagal: terlalu banyak percobaan yang gagal, coba lagi beberapa menit lagi")]
    LockedOut,
    /// The User ID is disabled (WIRE 17).
    #[error("User ID Tidak Aktif")]
    UserInactive,
    /// The institution is suspended (WIRE 16).
    #[error("Instansi Tidak Aktif")]
    InstitutionInactive,
    /// No agreement of the institution is in force today.
    #[error("Perjanjian Kerja Sama tidak berlaku")]
    NoAgreementInForce,
    /// The source address is not on the institution's allow-list (WIRE 10).
    #[error("IP Client Tidak terdaftar")]
    IpNotRegistered,
    /// The address is the institution's but not on this account's own
    /// allow-list (WIRE 04).
    #[error("IP Address Tidak Sesuai")]
    IpMismatch,
    /// The agreement does not grant the mechanism through this channel.
    #[error("Layanan {0} tidak termasuk hak akses Perjanjian Kerja Sama")]
    MechanismNotGranted(Mechanism),
    /// Some requested elements are outside the scope.
    #[error("Elemen data berikut tidak termasuk hak akses: {}", list(.0))]
    ElementsNotGranted(Vec<Element>),
    /// The grant allows retrieval only after this partner's own
    /// "ditemukan" for the NIK (BKN, 000 Ps.2(1)), and there was none (WIRE 08).
    #[error("NIK Tidak Dapat Diproses: lakukan pemeriksaan NIK dan NO_KK (hasil ditemukan) lebih dulu")]
    MatchRequired,
    /// The account is not a provider administrator, or the partner is not
    /// its provider's.
    #[error("Hanya administrator penyelenggara yang berwenang")]
    NotSteward,
    /// The daily quota is used up (WIRE 05).
    #[error("Kuota Akses Hari Ini Telah Habis")]
    QuotaExhausted,
}

fn list(elements: &[Element]) -> String {
    elements.iter().map(|e| e.wire_name()).collect::<Vec<_>>().join(", ")
}

impl Denial {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Denial::CredentialsMissing => "access.credentials_missing",
            Denial::LoginFailed => "access.login_failed",
            Denial::LockedOut => "access.locked_out",
            Denial::UserInactive => "access.user_inactive",
            Denial::InstitutionInactive => "access.institution_inactive",
            Denial::NoAgreementInForce => "access.no_agreement_in_force",
            Denial::IpNotRegistered => "access.ip_not_registered",
            Denial::IpMismatch => "access.ip_mismatch",
            Denial::MechanismNotGranted(_) => "access.mechanism_not_granted",
            Denial::ElementsNotGranted(_) => "access.elements_not_granted",
            Denial::MatchRequired => "access.match_required",
            Denial::NotSteward => "access.not_steward",
            Denial::QuotaExhausted => "access.quota_exhausted",
        }
    }
}

/// The guard of a grant with `after_match`: `had_match` says whether the
/// partner's own NIK + KK check of this NIK answered "ditemukan".
pub fn require_prior_match(grant: &Grant, had_match: bool) -> Result<(), Denial> {
    if grant.after_match && !had_match { Err(Denial::MatchRequired) } else { Ok(()) }
}

/// The channel an account acts through.
pub fn channel_of(role: Role) -> Option<Channel> {
    match role {
        Role::Service => Some(Channel::WebService),
        Role::Operator => Some(Channel::Portal),
        Role::ProviderAdmin | Role::PartnerAdmin => None,
    }
}

/// Runs the guards. `today` is the Jakarta calendar day from the injected
/// clock.
pub fn authorize(
    plane: &ControlPlane,
    authentication: Authentication<'_>,
    request: &AccessRequest<'_>,
    today: chrono::NaiveDate,
) -> Result<Access, Denial> {
    let account = authentication.account()?;
    let (Some(channel), Some(institution)) = (channel_of(account.role), plane.institution(&account.holder)) else {
        return Err(Denial::LoginFailed);
    };
    if let Some(segment) = request.instansi
        && plane.institution_by_wire_name(segment).map(|i| &i.code) != Some(&institution.code)
    {
        return Err(Denial::LoginFailed);
    }
    let agreement = admit_partner(plane, account, institution, request.source_ip, today)?;
    let grant =
        agreement.scope.grant(request.mechanism, channel).ok_or(Denial::MechanismNotGranted(request.mechanism))?;
    let outside: Vec<Element> = request.elements.iter().filter(|e| !grant.elements.contains(e)).copied().collect();
    if !outside.is_empty() {
        return Err(Denial::ElementsNotGranted(outside));
    }
    Ok(Access {
        user_id: account.user_id.clone(),
        institution: institution.code.clone(),
        agreement: agreement.id.clone(),
        channel,
        grant: grant.clone(),
        daily_quota: account.daily_quota,
    })
}

/// The guards every partner account passes whatever it asks, in the order
/// of the specification: User ID active → institution active → agreement in
/// force on `today` → source IP on the institution's list and, when the
/// account has one, on its own. Returns the agreement in force.
pub(crate) fn admit_partner<'p>(
    plane: &'p ControlPlane,
    account: &Account,
    institution: &'p Institution,
    source_ip: IpAddr,
    today: chrono::NaiveDate,
) -> Result<&'p Agreement, Denial> {
    if !account.active {
        return Err(Denial::UserInactive);
    }
    if !institution.active {
        return Err(Denial::InstitutionInactive);
    }
    let agreement = plane.agreement_in_force(&institution.code, today).ok_or(Denial::NoAgreementInForce)?;
    let source = source_ip.to_canonical();
    if !plane.institution_networks(&institution.code).any(|net| net.contains(&source)) {
        return Err(Denial::IpNotRegistered);
    }
    let mut own = plane.account_networks(&account.user_id).peekable();
    if own.peek().is_some() && !own.any(|net| net.contains(&source)) {
        return Err(Denial::IpMismatch);
    }
    Ok(agreement)
}

/// The guard the compatible face service (WIRE.md `CALL_FR`) runs before
/// it opens the RSA-sealed credentials: the connection must come from a
/// network registered for the institution named in the path. So only a
/// partner's own closed network can make the server decrypt, or time its
/// decryptions. An unknown institution is refused the same way, revealing
/// nothing about which exist.
pub fn admit_sealed_caller(plane: &ControlPlane, instansi: &str, source_ip: IpAddr) -> Result<(), Denial> {
    let source = source_ip.to_canonical();
    match plane.institution_by_wire_name(instansi) {
        Some(institution) if plane.institution_networks(&institution.code).any(|net| net.contains(&source)) => Ok(()),
        _ => Err(Denial::IpNotRegistered),
    }
}

/// A provider administrator, allowed to run the programme of its provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Steward {
    /// The administrator's User ID.
    pub user_id: String,
    /// The provider.
    pub provider: String,
    /// Whether the provider is Ditjen Dukcapil, which approves quotas for
    /// regional providers (004 Juknis 2d, 2j).
    pub national: bool,
}

/// The guard of the administration API: an active provider administrator.
pub fn authorize_steward(plane: &ControlPlane, authentication: Authentication<'_>) -> Result<Steward, Denial> {
    let account = authentication.account()?;
    if !account.active {
        return Err(Denial::UserInactive);
    }
    let provider = match (account.role, plane.provider(&account.holder)) {
        (Role::ProviderAdmin, Some(provider)) => provider,
        _ => return Err(Denial::NotSteward),
    };
    Ok(Steward {
        user_id: account.user_id.clone(),
        provider: provider.code.clone(),
        national: matches!(provider.level, crate::access::ProviderLevel::National),
    })
}

impl Steward {
    /// Whether the steward may manage `institution`: the national provider
    /// manages every partner, a regional one only its own.
    pub fn manages(&self, plane: &ControlPlane, institution: &str) -> Result<(), Denial> {
        let own = plane.institution(institution).is_some_and(|i| i.provider == self.provider);
        if self.national || own { Ok(()) } else { Err(Denial::NotSteward) }
    }

    /// Whether the steward may enrol a new partner under `provider`: the
    /// national provider under any, a regional one under itself only.
    pub fn may_enrol_under(&self, provider: &str) -> Result<(), Denial> {
        if self.national || self.provider == provider { Ok(()) } else { Err(Denial::NotSteward) }
    }

    /// Whether the steward may enrol a resident's face or fingerprints:
    /// Ditjen Dukcapil anyone's, a regional Disdukcapil only its own
    /// region's residents (by the region code that opens the NIK).
    pub fn may_enrol_biometrics(&self, plane: &ControlPlane, nik: crate::Nik) -> Result<(), Denial> {
        self.serves_resident(plane, nik)
    }

    /// Whether the steward may issue a resident the one-time code that
    /// opens their access history (`crate::transparency`): as for
    /// biometrics, Ditjen Dukcapil anyone's, a regional Disdukcapil only its
    /// own region's residents.
    pub fn may_issue_resident_code(&self, plane: &ControlPlane, nik: crate::Nik) -> Result<(), Denial> {
        self.serves_resident(plane, nik)
    }

    /// Whether `nik` is a resident this steward's office serves: every
    /// resident for the national provider, those whose NIK opens with its
    /// region code for a regional one.
    fn serves_resident(&self, plane: &ControlPlane, nik: crate::Nik) -> Result<(), Denial> {
        if self.national {
            return Ok(());
        }
        let region = plane.provider(&self.provider).and_then(|provider| match provider.level {
            crate::access::ProviderLevel::Regional { region_code } => Some(region_code.to_string()),
            crate::access::ProviderLevel::National => None,
        });
        match region {
            Some(region) if nik.to_string().starts_with(&region) => Ok(()),
            _ => Err(Denial::NotSteward),
        }
    }
}

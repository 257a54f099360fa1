//! Administration of the control plane: each operation is checked against
//! the current snapshot and turns into [`ControlWrite`]s that the storage
//! applies in one transaction. The CLI and the v1 API for provider
//! administrators both go through here, so the rules live in one place.

use chrono::NaiveDate;
use ipnet::IpNet;

use crate::access::control::{
    Account, Addendum, Agreement, ControlPlane, DEFAULT_DAILY_QUOTA, Institution, NetworkRule, Obligation, Provider,
    Role, Termination, TerminationReason,
};
use crate::access::request::{Request, RequestField};
use crate::access::scope::{Scope, ScopeError};

/// One change to the stored control plane. Entities are written whole and
/// keyed by their natural handle (code, id, User ID).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ControlWrite {
    /// Insert or replace a provider.
    Provider(Provider),
    /// Insert or replace an institution.
    Institution(Institution),
    /// Insert or replace an agreement.
    Agreement(Agreement),
    /// Insert or replace an account.
    Account(Account),
    /// Add a network rule.
    AllowNetwork(NetworkRule),
    /// Remove a network rule.
    RevokeNetwork(NetworkRule),
    /// Insert or replace a partner's request.
    Request(Request),
    /// Insert or replace a KTP-el reader's SAM card.
    Sam(crate::card_reader::Sam),
}

/// Why an administrative operation is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdminError {
    /// A handle is empty or has characters other than `a-z 0-9 - _ .`.
    #[error("kode '{0}' tidak valid: gunakan huruf kecil, angka, '-', '_' atau '.'")]
    InvalidHandle(String),
    /// Something with that handle already exists.
    #[error("{kind} '{handle}' sudah ada")]
    Exists {
        /// What kind of thing.
        kind: &'static str,
        /// Its handle.
        handle: String,
    },
    /// Nothing with that handle exists.
    #[error("{kind} '{handle}' tidak ditemukan")]
    NotFound {
        /// What kind of thing.
        kind: &'static str,
        /// Its handle.
        handle: String,
    },
    /// An institution needs a wire name or a customer id.
    #[error("instansi memerlukan nama INSTANSI atau customer id")]
    NoWireName,
    /// The wire name or customer id is taken.
    #[error("nama INSTANSI atau customer id '{0}' sudah dipakai instansi lain")]
    WireNameTaken(String),
    /// Dates out of order.
    #[error("tanggal tidak runtut: {0}")]
    Dates(&'static str),
    /// The scope is incoherent.
    #[error("ruang lingkup tidak valid: {0}")]
    Scope(#[from] ScopeError),
    /// The agreement has already been terminated.
    #[error("perjanjian '{0}' sudah diakhiri")]
    AlreadyTerminated(String),
    /// A reason must be written down.
    #[error("alasan wajib diisi")]
    NoReason,
    /// The role does not fit the holder.
    #[error("peran {role} tidak sesuai untuk '{holder}'")]
    RoleMismatch {
        /// The role.
        role: &'static str,
        /// The holder.
        holder: String,
    },
    /// A quota of zero.
    #[error("kuota harian harus lebih dari nol")]
    ZeroQuota,
    /// A regional provider's quota raise needs national approval
    /// (004 Juknis 2d, 2j).
    #[error(
        "kenaikan kuota di atas {DEFAULT_DAILY_QUOTA} untuk penyelenggara daerah memerlukan persetujuan Ditjen Dukcapil"
    )]
    NationalApprovalRequired,
    /// The network rule exists already or does not exist.
    #[error("aturan jaringan {0} {1}")]
    Network(String, &'static str),
    /// A field of a request is wrong.
    #[error("{}: {problem}", field.name())]
    Field {
        /// Which field.
        field: RequestField,
        /// What is wrong, for people.
        problem: &'static str,
    },
    /// Requests need an agreement in force.
    #[error("instansi '{0}' tidak memiliki perjanjian yang berlaku")]
    NoAgreementInForce(String),
    /// The request has been answered already.
    #[error("permintaan '{0}' sudah diputuskan")]
    AlreadyDecided(String),
    /// Approving a User-ID request needs the User ID to issue.
    #[error("User ID yang diterbitkan wajib diisi")]
    NoUserId,
    /// An operator cannot be activated before its NDA is recorded
    /// (SPEC.md §7).
    #[error("operator '{0}' belum memiliki NDA yang tercatat dan tidak dapat diaktifkan")]
    NdaMissing(String),
    /// An NDA date in the future.
    #[error("tanggal NDA tidak boleh setelah hari ini")]
    NdaInFuture,
}

impl AdminError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AdminError::InvalidHandle(_) => "admin.invalid_handle",
            AdminError::Exists { .. } => "admin.exists",
            AdminError::NotFound { .. } => "admin.not_found",
            AdminError::NoWireName => "admin.no_wire_name",
            AdminError::WireNameTaken(_) => "admin.wire_name_taken",
            AdminError::Dates(_) => "admin.dates",
            AdminError::Scope(e) => e.code(),
            AdminError::AlreadyTerminated(_) => "admin.already_terminated",
            AdminError::NoReason => "admin.no_reason",
            AdminError::RoleMismatch { .. } => "admin.role_mismatch",
            AdminError::ZeroQuota => "admin.zero_quota",
            AdminError::NationalApprovalRequired => "admin.national_approval_required",
            AdminError::Network(..) => "admin.network",
            AdminError::Field { .. } => "admin.invalid_field",
            AdminError::NoAgreementInForce(_) => "admin.no_agreement_in_force",
            AdminError::AlreadyDecided(_) => "admin.already_decided",
            AdminError::NoUserId => "admin.no_user_id",
            AdminError::NdaMissing(_) => "admin.nda_missing",
            AdminError::NdaInFuture => "admin.nda_in_future",
        }
    }
}

fn check_handle(handle: &str) -> Result<(), AdminError> {
    let fine = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.');
    if handle.is_empty() || handle.len() > 64 || !handle.chars().all(fine) {
        return Err(AdminError::InvalidHandle(handle.to_owned()));
    }
    Ok(())
}

fn not_found(kind: &'static str, handle: &str) -> AdminError {
    AdminError::NotFound { kind, handle: handle.to_owned() }
}

/// A new agreement as the registry files it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgreement {
    /// The partner.
    pub institution: String,
    /// The provider's document number.
    pub provider_number: String,
    /// The partner's document number.
    pub partner_number: String,
    /// Signing date.
    pub signed_on: NaiveDate,
    /// First day of access.
    pub valid_from: NaiveDate,
    /// Last day of access.
    pub valid_until: NaiveDate,
    /// What it grants.
    pub scope: Scope,
    /// The return-data schema.
    pub return_schema: Option<String>,
    /// Obligations with due dates.
    pub obligations: Vec<Obligation>,
}

/// A new account; secrets arrive already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    /// The login name.
    pub user_id: String,
    /// Institution (service, operator) or provider (administrator).
    pub holder: String,
    /// What it is for.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    /// SHA-256 of the bearer token, if one is issued.
    pub token_hash: Option<String>,
    /// When the operator signed its NDA; an operator without one starts
    /// inactive.
    pub nda_on: Option<NaiveDate>,
}

impl ControlPlane {
    /// Registers a provider.
    pub fn add_provider(&self, provider: Provider) -> Result<ControlWrite, AdminError> {
        check_handle(&provider.code)?;
        if self.provider(&provider.code).is_some() {
            return Err(AdminError::Exists { kind: "penyelenggara", handle: provider.code });
        }
        Ok(ControlWrite::Provider(provider))
    }

    /// Registers a partner institution.
    pub fn add_institution(&self, institution: Institution) -> Result<ControlWrite, AdminError> {
        check_handle(&institution.code)?;
        if self.institution(&institution.code).is_some() {
            return Err(AdminError::Exists { kind: "instansi", handle: institution.code });
        }
        if self.provider(&institution.provider).is_none() {
            return Err(not_found("penyelenggara", &institution.provider));
        }
        let wire_names: Vec<String> =
            institution.instansi.iter().cloned().chain(institution.customer_id.map(|id| id.to_string())).collect();
        if wire_names.is_empty() {
            return Err(AdminError::NoWireName);
        }
        if let Some(taken) = wire_names.into_iter().find(|name| self.institution_by_wire_name(name).is_some()) {
            return Err(AdminError::WireNameTaken(taken));
        }
        Ok(ControlWrite::Institution(institution))
    }

    /// Suspends or reinstates an institution.
    pub fn set_institution_active(&self, code: &str, active: bool) -> Result<ControlWrite, AdminError> {
        let mut institution = self.institution(code).ok_or_else(|| not_found("instansi", code))?.clone();
        institution.active = active;
        Ok(ControlWrite::Institution(institution))
    }

    /// Files an agreement; its id is `{institution}-{n}`.
    pub fn add_agreement(&self, new: NewAgreement) -> Result<ControlWrite, AdminError> {
        if self.institution(&new.institution).is_none() {
            return Err(not_found("instansi", &new.institution));
        }
        if new.valid_from > new.valid_until {
            return Err(AdminError::Dates("awal berlaku setelah akhir berlaku"));
        }
        if new.signed_on > new.valid_until {
            return Err(AdminError::Dates("tanggal tanda tangan setelah akhir berlaku"));
        }
        new.scope.validate()?;
        let n = self.agreements_of(&new.institution).count() + 1;
        Ok(ControlWrite::Agreement(Agreement {
            id: format!("{}-{n}", new.institution),
            institution: new.institution,
            provider_number: new.provider_number,
            partner_number: new.partner_number,
            signed_on: new.signed_on,
            valid_from: new.valid_from,
            valid_until: new.valid_until,
            addenda: Vec::new(),
            termination: None,
            scope: new.scope,
            return_schema: new.return_schema,
            obligations: new.obligations,
        }))
    }

    fn open_agreement(&self, id: &str) -> Result<Agreement, AdminError> {
        let agreement = self.agreement(id).ok_or_else(|| not_found("perjanjian", id))?;
        if agreement.termination.is_some() {
            return Err(AdminError::AlreadyTerminated(id.to_owned()));
        }
        Ok(agreement.clone())
    }

    /// Extends an agreement by an addendum.
    pub fn extend_agreement(&self, id: &str, addendum: Addendum) -> Result<ControlWrite, AdminError> {
        let mut agreement = self.open_agreement(id)?;
        if addendum.valid_until <= agreement.valid_through() {
            return Err(AdminError::Dates("adendum harus memperpanjang masa berlaku"));
        }
        if addendum.signed_on < agreement.signed_on {
            return Err(AdminError::Dates("adendum ditandatangani sebelum perjanjian"));
        }
        agreement.addenda.push(addendum);
        Ok(ControlWrite::Agreement(agreement))
    }

    /// Ends an agreement early; from `effective_on` every account of the
    /// partner loses access under it (001 Ps.9(3), 003 Ps.10(4)).
    pub fn terminate_agreement(
        &self,
        id: &str,
        effective_on: NaiveDate,
        reason: TerminationReason,
        note: &str,
    ) -> Result<ControlWrite, AdminError> {
        let mut agreement = self.open_agreement(id)?;
        if note.trim().is_empty() {
            return Err(AdminError::NoReason);
        }
        agreement.termination = Some(Termination { effective_on, reason, note: note.trim().to_owned() });
        Ok(ControlWrite::Agreement(agreement))
    }

    /// Creates an account with the default quota.
    pub fn add_account(&self, new: NewAccount) -> Result<ControlWrite, AdminError> {
        check_handle(&new.user_id)?;
        if self.account(&new.user_id).is_some() {
            return Err(AdminError::Exists { kind: "User ID", handle: new.user_id });
        }
        let fits = match new.role {
            Role::Service | Role::Operator | Role::PartnerAdmin => self.institution(&new.holder).is_some(),
            Role::ProviderAdmin => self.provider(&new.holder).is_some(),
        };
        if !fits {
            return Err(AdminError::RoleMismatch { role: new.role.name(), holder: new.holder });
        }
        Ok(ControlWrite::Account(Account {
            user_id: new.user_id,
            holder: new.holder,
            role: new.role,
            password_hash: new.password_hash,
            token_hash: new.token_hash,
            active: new.role != Role::Operator || new.nda_on.is_some(),
            daily_quota: DEFAULT_DAILY_QUOTA,
            quota_approval: None,
            nda_on: new.nda_on,
            totp_secret: None,
        }))
    }

    fn existing_account(&self, user_id: &str) -> Result<Account, AdminError> {
        self.account(user_id).cloned().ok_or_else(|| not_found("User ID", user_id))
    }

    /// Disables or re-enables an account. An operator is enabled only once
    /// its NDA is recorded.
    pub fn set_account_active(&self, user_id: &str, active: bool) -> Result<ControlWrite, AdminError> {
        let mut account = self.existing_account(user_id)?;
        if active && account.role == Role::Operator && account.nda_on.is_none() {
            return Err(AdminError::NdaMissing(account.user_id));
        }
        account.active = active;
        Ok(ControlWrite::Account(account))
    }

    /// Records the day an operator signed its NDA.
    pub fn record_nda(
        &self,
        user_id: &str,
        signed_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<ControlWrite, AdminError> {
        let mut account = self.existing_account(user_id)?;
        if account.role != Role::Operator {
            return Err(AdminError::RoleMismatch { role: account.role.name(), holder: account.holder });
        }
        if signed_on > today {
            return Err(AdminError::NdaInFuture);
        }
        account.nda_on = Some(signed_on);
        Ok(ControlWrite::Account(account))
    }

    /// Sets or removes an account's TOTP secret (base32).
    pub fn set_totp_secret(&self, user_id: &str, secret: Option<String>) -> Result<ControlWrite, AdminError> {
        let mut account = self.existing_account(user_id)?;
        account.totp_secret = secret;
        Ok(ControlWrite::Account(account))
    }

    /// Replaces an account's password hash and/or token hash.
    pub fn set_account_secrets(
        &self,
        user_id: &str,
        password_hash: Option<String>,
        token_hash: Option<String>,
    ) -> Result<ControlWrite, AdminError> {
        let mut account = self.existing_account(user_id)?;
        if let Some(hash) = password_hash {
            account.password_hash = hash;
        }
        if token_hash.is_some() {
            account.token_hash = token_hash;
        }
        Ok(ControlWrite::Account(account))
    }

    /// Sets an account's daily quota. Above the default, a partner of a
    /// regional provider needs the national approval's reference.
    pub fn set_quota(&self, user_id: &str, quota: u32, approval: Option<String>) -> Result<ControlWrite, AdminError> {
        let mut account = self.existing_account(user_id)?;
        if quota == 0 {
            return Err(AdminError::ZeroQuota);
        }
        let regional = self.is_regional_partner(&account.holder);
        let approval = approval.filter(|a| !a.trim().is_empty());
        if regional && quota > DEFAULT_DAILY_QUOTA && approval.is_none() {
            return Err(AdminError::NationalApprovalRequired);
        }
        account.daily_quota = quota;
        account.quota_approval = approval;
        Ok(ControlWrite::Account(account))
    }

    fn network_rule(
        &self,
        institution: &str,
        user_id: Option<&str>,
        network: IpNet,
    ) -> Result<NetworkRule, AdminError> {
        if self.institution(institution).is_none() {
            return Err(not_found("instansi", institution));
        }
        if let Some(user_id) = user_id
            && self.account(user_id).is_none_or(|a| a.holder != institution)
        {
            return Err(not_found("User ID", user_id));
        }
        Ok(NetworkRule {
            institution: institution.to_owned(),
            user_id: user_id.map(str::to_owned),
            network: network.trunc(),
        })
    }

    /// Adds a network to an institution's allow-list, or to one account's.
    pub fn allow_network(
        &self,
        institution: &str,
        user_id: Option<&str>,
        network: IpNet,
    ) -> Result<ControlWrite, AdminError> {
        let rule = self.network_rule(institution, user_id, network)?;
        if self.networks().contains(&rule) {
            return Err(AdminError::Network(rule.network.to_string(), "sudah terdaftar"));
        }
        Ok(ControlWrite::AllowNetwork(rule))
    }

    /// Removes a network from an allow-list.
    pub fn revoke_network(
        &self,
        institution: &str,
        user_id: Option<&str>,
        network: IpNet,
    ) -> Result<ControlWrite, AdminError> {
        let rule = self.network_rule(institution, user_id, network)?;
        if !self.networks().contains(&rule) {
            return Err(AdminError::Network(rule.network.to_string(), "tidak terdaftar"));
        }
        Ok(ControlWrite::RevokeNetwork(rule))
    }

    /// The snapshot after `writes`, without touching storage (used to chain
    /// several operations before one commit, and by tests).
    pub fn applying(&self, writes: &[ControlWrite]) -> ControlPlane {
        let mut providers: Vec<Provider> = self.providers().cloned().collect();
        let mut institutions: Vec<Institution> = self.institutions().cloned().collect();
        let mut agreements: Vec<Agreement> = self.agreements().cloned().collect();
        let mut accounts: Vec<Account> = self.accounts().cloned().collect();
        let mut networks: Vec<NetworkRule> = self.networks().to_vec();
        let mut requests: Vec<Request> = self.requests().cloned().collect();
        let mut sams: Vec<crate::card_reader::Sam> = self.sams().cloned().collect();
        for write in writes {
            match write {
                ControlWrite::Provider(p) => upsert(&mut providers, p.clone(), |x| x.code == p.code),
                ControlWrite::Institution(i) => upsert(&mut institutions, i.clone(), |x| x.code == i.code),
                ControlWrite::Agreement(a) => upsert(&mut agreements, a.clone(), |x| x.id == a.id),
                ControlWrite::Account(a) => upsert(&mut accounts, a.clone(), |x| x.user_id == a.user_id),
                ControlWrite::AllowNetwork(rule) => networks.push(rule.clone()),
                ControlWrite::RevokeNetwork(rule) => networks.retain(|r| r != rule),
                ControlWrite::Request(r) => upsert(&mut requests, r.clone(), |x| x.id == r.id),
                ControlWrite::Sam(sam) => upsert(&mut sams, sam.clone(), |x| x.id == sam.id),
            }
        }
        ControlPlane::new(providers, institutions, agreements, accounts, networks)
            .with_requests(requests)
            .with_sams(sams)
    }
}

fn upsert<T>(items: &mut Vec<T>, item: T, same: impl Fn(&T) -> bool) {
    match items.iter_mut().find(|x| same(x)) {
        Some(slot) => *slot = item,
        None => items.push(item),
    }
}

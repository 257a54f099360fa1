//! The demo partners: the two providers and five partner institutions of
//! the seed agreements (SPEC.md §3), each with its agreement, scope,
//! obligations, a service account, an operator and a loopback allow-list,
//! plus one administrator per provider, so `gerbang demo` can be tried at
//! once.
//!
//! [`ensure_demo_partners`] creates only what is missing and commits it in
//! one transaction. The credentials it hands out are written to
//! `DIR/demo-credentials.json` and `DIR/demo-admin-credentials.json`
//! (atomically, mode 0600); a later run reuses the passwords and tokens in
//! those files when they still match the stored hashes, and resets an
//! account's secrets when they do not (file lost, password changed).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, Months, NaiveDate};
use gerbang_core::access::secret::{generate_password, generate_token, token_hash, verify_password};
use gerbang_core::access::{
    Account, Addendum, Agreement, ControlPlane, ControlWrite, Institution, NewAccount, NewAgreement, Provider, Role,
    Scope, channel_of,
};
use gerbang_store::Store;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::commands::user::hashed;
use crate::error::CliError;

mod catalogue;
mod files;
#[cfg(test)]
mod tests;

use catalogue::{ADMINS, PARTNERS, PROVIDERS, PartnerSpec};
use files::{read_known, write_private};

/// The partner credentials file in the demo folder.
pub const CREDENTIALS_FILE: &str = "demo-credentials.json";

/// The provider administrators' credentials file in the demo folder.
pub const ADMIN_CREDENTIALS_FILE: &str = "demo-admin-credentials.json";

/// An agreement with fewer days of validity left than this is extended to
/// a year from today. (Extending whenever it is not in force a full year
/// ahead would add an addendum on every run of every day.)
const RENEW_WITHIN_DAYS: u64 = 30;

/// Each demo partner's accounts, by User-ID suffix: a service account for
/// its system, an operator for the portal and its administrator.
const PARTNER_ACCOUNTS: [(&str, Role); 3] =
    [("ws", Role::Service), ("op", Role::Operator), ("adm", Role::PartnerAdmin)];

/// One demo account of a partner and what it may do.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoCredential {
    /// The institution's handle, e.g. `bkn`.
    pub institution: String,
    /// Its official name.
    pub institution_name: String,
    /// Its `{INSTANSI}` path segment, e.g. `BKN`.
    pub instansi: String,
    /// Its numeric customer id.
    pub customer_id: u64,
    /// `service` (web service) or `operator` (web portal).
    pub role: String,
    /// The User ID.
    pub user_id: String,
    /// The password, in clear: shown to the person running the demo.
    pub password: String,
    /// The v1 bearer token, in clear.
    pub token: String,
    /// The mechanisms the agreement grants through this account's channel.
    pub mechanisms: Vec<String>,
    /// The agreement's id, e.g. `bkn-1`.
    pub agreement: String,
    /// The agreement's last day of validity after its addenda.
    pub valid_until: NaiveDate,
}

impl std::fmt::Debug for DemoCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoCredential")
            .field("institution", &self.institution)
            .field("role", &self.role)
            .field("user_id", &self.user_id)
            .field("mechanisms", &self.mechanisms)
            .field("agreement", &self.agreement)
            .field("valid_until", &self.valid_until)
            .finish_non_exhaustive()
    }
}

/// A demo provider administrator.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoAdminCredential {
    /// The User ID.
    pub user_id: String,
    /// The password, in clear.
    pub password: String,
    /// The v1 bearer token, in clear.
    pub token: String,
    /// The provider's handle.
    pub provider: String,
}

impl std::fmt::Debug for DemoAdminCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoAdminCredential")
            .field("user_id", &self.user_id)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

/// What [`ensure_demo_partners`] set up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPartners {
    /// `DIR/demo-credentials.json`.
    pub credentials_path: PathBuf,
    /// `DIR/demo-admin-credentials.json`.
    pub admin_credentials_path: PathBuf,
    /// Two accounts per partner (service, operator), in SPEC.md §3 order.
    pub partners: Vec<DemoCredential>,
    /// One administrator per provider.
    pub admins: Vec<DemoAdminCredential>,
}

/// A password and a token, in clear.
#[derive(Clone, PartialEq, Eq, Deserialize)]
struct Secrets {
    password: String,
    token: String,
}

impl Secrets {
    fn generate() -> Result<Self, CliError> {
        Ok(Secrets { password: generate_password()?, token: generate_token()? })
    }
}

/// The writes so far and the snapshot they lead to.
struct Changes {
    plane: ControlPlane,
    writes: Vec<ControlWrite>,
}

impl Changes {
    fn push(&mut self, write: ControlWrite) {
        self.plane = self.plane.applying(std::slice::from_ref(&write));
        self.writes.push(write);
    }
}

/// Creates whatever of the demo partners is missing in `store`, extends
/// their agreements past `today` (a Jakarta calendar day), and writes the
/// credentials into `dir`. Running it again changes nothing and returns the
/// same credentials.
pub async fn ensure_demo_partners(store: &dyn Store, today: NaiveDate, dir: &Path) -> Result<DemoPartners, CliError> {
    let credentials_path = dir.join(CREDENTIALS_FILE);
    let admin_credentials_path = dir.join(ADMIN_CREDENTIALS_FILE);
    let mut known = read_known(&credentials_path);
    known.extend(read_known(&admin_credentials_path));
    let mut changes = Changes { plane: store.control_plane().await?, writes: Vec::new() };
    for (code, name, level) in PROVIDERS {
        if changes.plane.provider(code).is_none() {
            let provider = Provider { code: code.to_owned(), name: name.to_owned(), level };
            let write = changes.plane.add_provider(provider)?;
            changes.push(write);
        }
    }
    let mut agreements = Vec::new();
    let mut secrets = HashMap::new();
    for partner in &PARTNERS {
        ensure_institution(&mut changes, partner)?;
        agreements.push(ensure_agreement(&mut changes, partner, today)?);
        for network in ["127.0.0.1/32", "::1/128"] {
            let network: IpNet = network.parse().map_err(|_| internal("jaringan loopback"))?;
            if !changes.plane.institution_networks(partner.code).any(|n| *n == network) {
                let write = changes.plane.allow_network(partner.code, None, network)?;
                changes.push(write);
            }
        }
        for (suffix, role) in PARTNER_ACCOUNTS {
            let user_id = format!("{}-{suffix}", partner.code);
            let found = ensure_account(&mut changes, &user_id, partner.code, role, known.get(&user_id)).await?;
            secrets.insert(user_id.clone(), found);
            let account = changes.plane.account(&user_id).ok_or_else(|| internal("akun"))?;
            if role == Role::Operator && account.nda_on.is_none() {
                // The demo operators signed their NDAs with the agreement.
                let write = changes.plane.record_nda(&user_id, partner.signed_on, today)?;
                changes.push(write);
                let write = changes.plane.set_account_active(&user_id, true)?;
                changes.push(write);
            }
        }
    }
    let mut admins = Vec::new();
    for (user_id, provider) in ADMINS {
        let found = ensure_account(&mut changes, user_id, provider, Role::ProviderAdmin, known.get(user_id)).await?;
        let Secrets { password, token } = found;
        admins.push(DemoAdminCredential {
            user_id: user_id.to_owned(),
            password,
            token,
            provider: provider.to_owned(),
        });
    }
    if !changes.writes.is_empty() {
        tracing::info!(writes = changes.writes.len(), "mitra demo dilengkapi");
        store.apply_control(std::mem::take(&mut changes.writes)).await?;
    }
    let mut partners = Vec::new();
    for (partner, agreement) in PARTNERS.iter().zip(&agreements) {
        for (suffix, _) in PARTNER_ACCOUNTS {
            let user_id = format!("{}-{suffix}", partner.code);
            let Some(found) = secrets.remove(&user_id) else { continue };
            partners.push(credential(&changes.plane, partner, agreement, user_id, found)?);
        }
    }
    write_private(&credentials_path, &partners)?;
    write_private(&admin_credentials_path, &admins)?;
    crate::commands::schema::ensure_seed_schemas(store).await?;
    Ok(DemoPartners { credentials_path, admin_credentials_path, partners, admins })
}

fn internal(what: &str) -> CliError {
    CliError::new("demo.internal", format!("data mitra demo tidak konsisten: {what}"))
}

fn ensure_institution(changes: &mut Changes, partner: &PartnerSpec) -> Result<(), CliError> {
    if changes.plane.institution(partner.code).is_some() {
        return Ok(());
    }
    let institution = Institution {
        code: partner.code.to_owned(),
        provider: partner.provider.to_owned(),
        name: partner.name.to_owned(),
        instansi: Some(partner.instansi.to_owned()),
        customer_id: Some(partner.customer_id),
        active: true,
    };
    let write = changes.plane.add_institution(institution)?;
    changes.push(write);
    Ok(())
}

/// Files the partner's agreement unless one with the same document numbers
/// exists, and extends it to a year from `today` when it is about to lapse
/// (a terminated one is left as the registry left it). Returns its id.
fn ensure_agreement(changes: &mut Changes, partner: &PartnerSpec, today: NaiveDate) -> Result<String, CliError> {
    let same =
        |a: &&Agreement| a.provider_number == partner.provider_number && a.partner_number == partner.partner_number;
    let existing = changes.plane.agreements_of(partner.code).find(same).map(|a| a.id.clone());
    let id = match existing {
        Some(id) => id,
        None => {
            let scope: Scope = toml::from_str(partner.scope)
                .map_err(|error| CliError::new("scope.parse", format!("{}: {}", partner.code, error.message())))?;
            let new = NewAgreement {
                institution: partner.code.to_owned(),
                provider_number: partner.provider_number.to_owned(),
                partner_number: partner.partner_number.to_owned(),
                signed_on: partner.signed_on,
                valid_from: partner.signed_on,
                valid_until: partner.valid_until,
                scope,
                return_schema: Some(partner.return_schema.to_owned()),
                obligations: partner.obligations(),
            };
            let write = changes.plane.add_agreement(new)?;
            let ControlWrite::Agreement(agreement) = &write else { return Err(internal("perjanjian")) };
            let id = agreement.id.clone();
            changes.push(write);
            id
        }
    };
    let agreement = changes.plane.agreement(&id).ok_or_else(|| internal("perjanjian"))?;
    let soon = today.checked_add_days(Days::new(RENEW_WITHIN_DAYS)).ok_or_else(|| internal("tanggal"))?;
    if agreement.termination.is_none() && agreement.valid_through() < soon && today >= agreement.signed_on {
        let valid_until = today.checked_add_months(Months::new(12)).ok_or_else(|| internal("tanggal"))?;
        let base = format!("ADENDUM/{}/{}", partner.code, today.year());
        let taken = |number: &str| agreement.addenda.iter().any(|a| a.number == number);
        let number = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|n| !taken(n));
        let number = number.ok_or_else(|| internal("nomor adendum"))?;
        let write = changes.plane.extend_agreement(&id, Addendum { number, signed_on: today, valid_until })?;
        changes.push(write);
    }
    Ok(id)
}

/// Keeps an account's secrets when `known` still matches them; otherwise
/// sets new ones (or creates the account with `known` or new secrets).
async fn ensure_account(
    changes: &mut Changes,
    user_id: &str,
    holder: &str,
    role: Role,
    known: Option<&Secrets>,
) -> Result<Secrets, CliError> {
    if let Some(account) = changes.plane.account(user_id) {
        if let Some(known) = known
            && secrets_match(account, &known.password, &known.token).await?
        {
            return Ok(known.clone());
        }
        let fresh = Secrets::generate()?;
        let password_hash = hashed(fresh.password.clone()).await?;
        let write = changes.plane.set_account_secrets(user_id, Some(password_hash), Some(token_hash(&fresh.token)))?;
        changes.push(write);
        return Ok(fresh);
    }
    let secrets = match known {
        Some(known) => known.clone(),
        None => Secrets::generate()?,
    };
    let new = NewAccount {
        user_id: user_id.to_owned(),
        holder: holder.to_owned(),
        role,
        password_hash: hashed(secrets.password.clone()).await?,
        token_hash: Some(token_hash(&secrets.token)),
        nda_on: None,
    };
    let write = changes.plane.add_account(new)?;
    changes.push(write);
    Ok(secrets)
}

/// Whether `password` and `token` are the account's current secrets
/// (argon2id, off the async threads).
async fn secrets_match(account: &Account, password: &str, token: &str) -> Result<bool, CliError> {
    if account.token_hash.as_deref() != Some(token_hash(token).as_str()) {
        return Ok(false);
    }
    let (stored, password) = (account.password_hash.clone(), password.to_owned());
    tokio::task::spawn_blocking(move || verify_password(&stored, &password))
        .await
        .map_err(|_| CliError::new("secret.hashing", "pemeriksaan kata sandi berhenti tak terduga"))
}

fn credential(
    plane: &ControlPlane,
    partner: &PartnerSpec,
    agreement: &str,
    user_id: String,
    secrets: Secrets,
) -> Result<DemoCredential, CliError> {
    let institution = plane.institution(partner.code).ok_or_else(|| internal("instansi"))?;
    let agreement = plane.agreement(agreement).ok_or_else(|| internal("perjanjian"))?;
    let role = plane.account(&user_id).map(|a| a.role).ok_or_else(|| internal("akun"))?;
    let mechanisms = channel_of(role)
        .map(|channel| agreement.scope.mechanisms(channel).into_iter().map(|m| m.name().to_owned()).collect())
        .unwrap_or_default();
    Ok(DemoCredential {
        institution: institution.code.clone(),
        institution_name: institution.name.clone(),
        instansi: institution.instansi.clone().unwrap_or_else(|| partner.instansi.to_owned()),
        customer_id: institution.customer_id.unwrap_or(partner.customer_id),
        role: role.name().to_owned(),
        user_id,
        password: secrets.password,
        token: secrets.token,
        mechanisms,
        agreement: agreement.id.clone(),
        valid_until: agreement.valid_through(),
    })
}

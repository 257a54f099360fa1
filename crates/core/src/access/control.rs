//! The control plane: providers, partner institutions, their agreements
//! (PKS), their accounts and their networks (SPEC.md §1, §3, §7). The server
//! keeps one [`ControlPlane`] snapshot in memory and decides every access
//! against it, so no request touches the database to be authorized.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};

use crate::access::request::Request;
use crate::access::scope::Scope;
use crate::card_reader::Sam;

/// The default daily quota of a User ID (004 Juknis 2: 1,000 NIK hits a day).
pub const DEFAULT_DAILY_QUOTA: u32 = 1_000;

/// Whether a provider is the national directorate or a regional office.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "level")]
pub enum ProviderLevel {
    /// Ditjen Dukcapil.
    National,
    /// A Disdukcapil of a province or regency; quota raises need national
    /// approval (004 Juknis 2d, 2j).
    Regional {
        /// Kemendagri code of its province (2 digits) or regency (4 digits).
        region_code: u32,
    },
}

/// A registry office that grants access (Penyelenggara).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    /// Short stable handle, e.g. `dukcapil` or `disdukcapil-3313`.
    pub code: String,
    /// Official name.
    pub name: String,
    /// National or regional.
    #[serde(flatten)]
    pub level: ProviderLevel,
}

/// A partner institution (Lembaga Pengguna).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// Short stable handle, e.g. `bkn`.
    pub code: String,
    /// The provider it has its agreements with.
    pub provider: String,
    /// Official name.
    pub name: String,
    /// The `{INSTANSI}` path segment of the compatible service, unique
    /// ignoring case.
    pub instansi: Option<String>,
    /// The numeric customer id, also accepted as `{INSTANSI}`.
    pub customer_id: Option<u64>,
    /// False when the registry has suspended the institution (WIRE code 16).
    pub active: bool,
}

/// An extension of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Addendum {
    /// Its document number.
    pub number: String,
    /// When it was signed.
    pub signed_on: NaiveDate,
    /// The new last day of validity.
    pub valid_until: NaiveDate,
}

/// Why an agreement was ended early (000 Ps.10(1), 001 Ps.6, 004 Juknis 6g).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerminationReason {
    /// Both parties agreed.
    Consent,
    /// The partner's nomenclature or structure changed.
    Restructuring,
    /// The partner broke its obligations.
    Breach,
}

impl TerminationReason {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            TerminationReason::Consent => "consent",
            TerminationReason::Restructuring => "restructuring",
            TerminationReason::Breach => "breach",
        }
    }
}

/// An early end of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Termination {
    /// The first day without access.
    pub effective_on: NaiveDate,
    /// Why.
    pub reason: TerminationReason,
    /// The registry's explanation.
    pub note: String,
}

/// Something the partner must do by a date (SPEC.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    /// The absolute-liability statement signed by the partner's head.
    Sptjm,
    /// Non-disclosure agreements of the operators.
    Nda,
    /// ISO/IEC 27001 certificate delivered.
    Iso27001,
    /// Technical implementation finished (two months after signing).
    TechnicalImplementation,
    /// KTP-el card reader procured (one year after signing).
    CardReader,
    /// Semester utilization report.
    SemesterReport,
}

/// An obligation with its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligation {
    /// What is owed.
    pub kind: ObligationKind,
    /// By when.
    pub due_on: NaiveDate,
    /// When it was met, if it was.
    pub fulfilled_on: Option<NaiveDate>,
}

/// A cooperation agreement (PKS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreement {
    /// Stable handle, e.g. `bkn-1`.
    pub id: String,
    /// The partner.
    pub institution: String,
    /// The provider's document number (NOMOR of PIHAK KESATU).
    pub provider_number: String,
    /// The partner's document number (NOMOR of PIHAK KEDUA).
    pub partner_number: String,
    /// When it was signed.
    pub signed_on: NaiveDate,
    /// First day of access.
    pub valid_from: NaiveDate,
    /// Last day of access as signed; addenda extend it.
    pub valid_until: NaiveDate,
    /// Extensions, oldest first.
    pub addenda: Vec<Addendum>,
    /// An early end, if any.
    pub termination: Option<Termination>,
    /// What it grants.
    pub scope: Scope,
    /// Name of the return-data schema the partner must fill (SPEC.md §5).
    pub return_schema: Option<String>,
    /// Obligations with due dates.
    pub obligations: Vec<Obligation>,
}

impl Agreement {
    /// The last day of validity after every addendum (ignoring termination).
    pub fn valid_through(&self) -> NaiveDate {
        self.addenda.iter().map(|a| a.valid_until).fold(self.valid_until, NaiveDate::max)
    }

    /// Whether the agreement gives access on `day` (a Jakarta calendar day).
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        let terminated = self.termination.as_ref().is_some_and(|t| day >= t.effective_on);
        self.valid_from <= day && day <= self.valid_through() && !terminated
    }
}

/// What an account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A partner system calling the web service.
    Service,
    /// A partner's operator using the portal.
    Operator,
    /// A provider administrator running the programme.
    ProviderAdmin,
    /// The partner's head or its administrator: requests User IDs and quota
    /// raises, records operators' NDAs, sees the partner's own usage.
    PartnerAdmin,
}

impl Role {
    /// The stable name.
    pub fn name(self) -> &'static str {
        match self {
            Role::Service => "service",
            Role::Operator => "operator",
            Role::ProviderAdmin => "provider_admin",
            Role::PartnerAdmin => "partner_admin",
        }
    }

    /// Reads a stable name.
    pub fn from_name(name: &str) -> Option<Role> {
        [Role::Service, Role::Operator, Role::ProviderAdmin, Role::PartnerAdmin].into_iter().find(|r| r.name() == name)
    }

    /// Whether the account belongs to a partner institution (rather than to
    /// a provider).
    pub fn is_partner_side(self) -> bool {
        !matches!(self, Role::ProviderAdmin)
    }
}

/// A User ID.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The login name, unique.
    pub user_id: String,
    /// The partner institution (operators and services) or the provider
    /// (administrators) it belongs to.
    pub holder: String,
    /// What it is for.
    pub role: Role,
    /// argon2id PHC string of the password.
    pub password_hash: String,
    /// SHA-256 (hex) of the v1 bearer token, if one was issued.
    pub token_hash: Option<String>,
    /// False when disabled (WIRE code 17).
    pub active: bool,
    /// Hits allowed per Jakarta calendar day.
    pub daily_quota: u32,
    /// The national approval reference of a quota above the default set by a
    /// regional provider.
    pub quota_approval: Option<String>,
    /// When the operator's non-disclosure agreement was signed; an operator
    /// cannot be activated without one (SPEC.md §7, 004 Juknis 2f).
    #[serde(default)]
    pub nda_on: Option<NaiveDate>,
    /// The base32 secret of the optional TOTP second factor (RFC 6238).
    #[serde(default)]
    pub totp_secret: Option<String>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("user_id", &self.user_id)
            .field("holder", &self.holder)
            .field("role", &self.role)
            .field("active", &self.active)
            .field("daily_quota", &self.daily_quota)
            .field("nda_on", &self.nda_on)
            .field("totp", &self.totp_secret.is_some())
            .finish_non_exhaustive()
    }
}

/// Reads a CIDR block, or one address as a /32 (IPv4) or /128 (IPv6) block.
pub fn parse_network(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>().ok().or_else(|| text.parse::<std::net::IpAddr>().ok().map(IpNet::from))
}

/// A network an institution (or one of its accounts) may call from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NetworkRule {
    /// The institution.
    pub institution: String,
    /// Narrowed to one account, when set.
    pub user_id: Option<String>,
    /// The CIDR block.
    pub network: IpNet,
}

/// Everything the guards need, held in memory.
#[derive(Debug, Clone, Default)]
pub struct ControlPlane {
    providers: BTreeMap<String, Provider>,
    institutions: BTreeMap<String, Institution>,
    agreements: BTreeMap<String, Agreement>,
    accounts: BTreeMap<String, Account>,
    networks: Vec<NetworkRule>,
    requests: BTreeMap<String, Request>,
    sams: BTreeMap<String, Sam>,
    by_wire_name: HashMap<String, String>,
    by_token: HashMap<String, String>,
}

impl ControlPlane {
    /// Builds the snapshot and its look-up indexes.
    pub fn new(
        providers: Vec<Provider>,
        institutions: Vec<Institution>,
        agreements: Vec<Agreement>,
        accounts: Vec<Account>,
        networks: Vec<NetworkRule>,
    ) -> Self {
        let mut by_wire_name = HashMap::new();
        for institution in &institutions {
            if let Some(name) = &institution.instansi {
                by_wire_name.insert(name.to_uppercase(), institution.code.clone());
            }
            if let Some(id) = institution.customer_id {
                by_wire_name.insert(id.to_string(), institution.code.clone());
            }
        }
        let by_token = accounts
            .iter()
            .filter_map(|a| a.token_hash.as_ref().map(|hash| (hash.clone(), a.user_id.clone())))
            .collect();
        ControlPlane {
            providers: providers.into_iter().map(|p| (p.code.clone(), p)).collect(),
            institutions: institutions.into_iter().map(|i| (i.code.clone(), i)).collect(),
            agreements: agreements.into_iter().map(|a| (a.id.clone(), a)).collect(),
            accounts: accounts.into_iter().map(|a| (a.user_id.clone(), a)).collect(),
            networks,
            requests: BTreeMap::new(),
            sams: BTreeMap::new(),
            by_wire_name,
            by_token,
        }
    }

    /// The snapshot with the partners' requests.
    pub fn with_requests(mut self, requests: Vec<Request>) -> Self {
        self.requests = requests.into_iter().map(|r| (r.id.clone(), r)).collect();
        self
    }

    /// With the KTP-el readers' SAM cards.
    pub fn with_sams(mut self, sams: Vec<Sam>) -> Self {
        self.sams = sams.into_iter().map(|s| (s.id.clone(), s)).collect();
        self
    }

    /// Every SAM card.
    pub fn sams(&self) -> impl Iterator<Item = &Sam> {
        self.sams.values()
    }

    /// A SAM card by serial number.
    pub fn sam(&self, id: &str) -> Option<&Sam> {
        self.sams.get(id)
    }

    /// The SAM cards of one institution.
    pub fn sams_of<'a>(&'a self, institution: &'a str) -> impl Iterator<Item = &'a Sam> + 'a {
        self.sams.values().filter(move |s| s.institution == institution)
    }

    /// The writes that rebuild this snapshot in an empty store: providers,
    /// institutions, agreements, accounts, network rules, requests, then
    /// SAM cards.
    pub fn as_writes(&self) -> Vec<super::ControlWrite> {
        use super::ControlWrite;
        let mut writes: Vec<ControlWrite> = self.providers().cloned().map(ControlWrite::Provider).collect();
        writes.extend(self.institutions().cloned().map(ControlWrite::Institution));
        writes.extend(self.agreements().cloned().map(ControlWrite::Agreement));
        writes.extend(self.accounts().cloned().map(ControlWrite::Account));
        writes.extend(self.networks().iter().cloned().map(ControlWrite::AllowNetwork));
        writes.extend(self.requests().cloned().map(ControlWrite::Request));
        writes.extend(self.sams().cloned().map(ControlWrite::Sam));
        writes
    }

    /// Every provider.
    pub fn providers(&self) -> impl Iterator<Item = &Provider> {
        self.providers.values()
    }

    /// Every institution.
    pub fn institutions(&self) -> impl Iterator<Item = &Institution> {
        self.institutions.values()
    }

    /// Every agreement.
    pub fn agreements(&self) -> impl Iterator<Item = &Agreement> {
        self.agreements.values()
    }

    /// Every account.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    /// Every network rule.
    pub fn networks(&self) -> &[NetworkRule] {
        &self.networks
    }

    /// Every request, by id.
    pub fn requests(&self) -> impl Iterator<Item = &Request> {
        self.requests.values()
    }

    /// A request by id.
    pub fn request(&self, id: &str) -> Option<&Request> {
        self.requests.get(id)
    }

    /// The requests of one institution.
    pub fn requests_of<'a>(&'a self, institution: &'a str) -> impl Iterator<Item = &'a Request> + 'a {
        self.requests.values().filter(move |r| r.institution == institution)
    }

    /// A provider by code.
    pub fn provider(&self, code: &str) -> Option<&Provider> {
        self.providers.get(code)
    }

    /// An institution by code.
    pub fn institution(&self, code: &str) -> Option<&Institution> {
        self.institutions.get(code)
    }

    /// An institution by its `{INSTANSI}` path segment: the wire name
    /// (ignoring case) or the numeric customer id.
    pub fn institution_by_wire_name(&self, segment: &str) -> Option<&Institution> {
        self.by_wire_name.get(&segment.trim().to_uppercase()).and_then(|code| self.institutions.get(code))
    }

    /// An agreement by id.
    pub fn agreement(&self, id: &str) -> Option<&Agreement> {
        self.agreements.get(id)
    }

    /// The institution's agreements, oldest first.
    pub fn agreements_of<'a>(&'a self, institution: &'a str) -> impl Iterator<Item = &'a Agreement> + 'a {
        self.agreements.values().filter(move |a| a.institution == institution)
    }

    /// The agreement in force for `institution` on `day`: the one valid
    /// longest, if several overlap.
    pub fn agreement_in_force<'a>(&'a self, institution: &'a str, day: NaiveDate) -> Option<&'a Agreement> {
        self.agreements_of(institution).filter(|a| a.in_force_on(day)).max_by_key(|a| a.valid_through())
    }

    /// An account by User ID.
    pub fn account(&self, user_id: &str) -> Option<&Account> {
        self.accounts.get(user_id)
    }

    /// An account by the SHA-256 (hex) of its bearer token.
    pub fn account_by_token_hash(&self, token_hash: &str) -> Option<&Account> {
        self.by_token.get(token_hash).and_then(|user_id| self.accounts.get(user_id))
    }

    /// The accounts of an institution or provider.
    pub fn accounts_of<'a>(&'a self, holder: &'a str) -> impl Iterator<Item = &'a Account> + 'a {
        self.accounts.values().filter(move |a| a.holder == holder)
    }

    /// The networks of an institution as a whole (`user_id` unset).
    pub fn institution_networks<'a>(&'a self, institution: &'a str) -> impl Iterator<Item = &'a IpNet> + 'a {
        self.networks.iter().filter(move |r| r.institution == institution && r.user_id.is_none()).map(|r| &r.network)
    }

    /// The networks narrowed to one account.
    pub fn account_networks<'a>(&'a self, user_id: &'a str) -> impl Iterator<Item = &'a IpNet> + 'a {
        self.networks.iter().filter(move |r| r.user_id.as_deref() == Some(user_id)).map(|r| &r.network)
    }
}

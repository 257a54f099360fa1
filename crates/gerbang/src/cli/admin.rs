//! Arguments of the administration commands: providers, institutions,
//! agreements, User IDs, networks and the audit trail (SPEC.md §1, §3, §7,
//! §8). Every list takes `--json` for scripts; every date is `YYYY-MM-DD`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use gerbang_core::access::{Obligation, ObligationKind, Role, TerminationReason};

/// `gerbang provider …`.
#[derive(Debug, Subcommand)]
pub enum ProviderCommand {
    /// Register a provider
    Create {
        /// Short handle, e.g. dukcapil or disdukcapil-3313 (a-z, 0-9, '-', '_', '.')
        code: String,
        /// Official name
        #[arg(long)]
        name: String,
        /// A regional provider: the Kemendagri code of its province (2 digits) or regency (4 digits)
        #[arg(long, value_name = "REGION_CODE")]
        regional: Option<u32>,
    },
    /// List providers
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang institution …`.
#[derive(Debug, Subcommand)]
pub enum InstitutionCommand {
    /// Register a partner institution
    Create(InstitutionCreateArgs),
    /// List partner institutions
    List {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Reinstate a suspended institution
    Activate {
        /// The institution's handle
        code: String,
    },
    /// Suspend an institution: none of its accounts gets access
    Deactivate {
        /// The institution's handle
        code: String,
    },
}

/// `gerbang institution create`.
#[derive(Debug, Args)]
pub struct InstitutionCreateArgs {
    /// Short handle, e.g. bkn (a-z, 0-9, '-', '_', '.')
    pub code: String,
    /// The provider it has its agreements with
    #[arg(long, value_name = "P")]
    pub provider: String,
    /// Official name
    #[arg(long)]
    pub name: String,
    /// The {INSTANSI} path segment of the compatible web service, e.g. BKN
    #[arg(long, value_name = "WIRE_NAME")]
    pub instansi: Option<String>,
    /// The numeric customer id, also accepted as {INSTANSI}
    #[arg(long, value_name = "N")]
    pub customer_id: Option<u64>,
}

/// `gerbang agreement …`.
#[derive(Debug, Subcommand)]
pub enum AgreementCommand {
    /// File a signed agreement (PKS); prints its id
    Create(AgreementCreateArgs),
    /// Extend an agreement by an addendum
    Extend {
        /// The agreement's id, e.g. bkn-1
        id: String,
        /// The addendum's document number
        #[arg(long, value_name = "TEXT")]
        number: String,
        /// When the addendum was signed
        #[arg(long, value_name = "DATE")]
        signed_on: NaiveDate,
        /// The new last day of validity
        #[arg(long, value_name = "DATE")]
        valid_until: NaiveDate,
    },
    /// End an agreement early; from that day its partner has no access under it
    Terminate {
        /// The agreement's id
        id: String,
        /// The first day without access
        #[arg(long, value_name = "DATE")]
        effective_on: NaiveDate,
        /// Why: consent of both parties, the partner's restructuring, or its breach
        #[arg(long, value_enum)]
        reason: ReasonArg,
        /// The registry's explanation
        #[arg(long, value_name = "TEXT")]
        note: String,
    },
    /// List agreements
    List {
        /// Only this institution's
        #[arg(long, value_name = "I")]
        institution: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Show one agreement: validity, addenda, termination, scope, obligations
    Show {
        /// The agreement's id
        id: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang agreement create`.
#[derive(Debug, Args)]
pub struct AgreementCreateArgs {
    /// The partner institution
    #[arg(long, value_name = "I")]
    pub institution: String,
    /// The provider's document number (NOMOR of PIHAK KESATU)
    #[arg(long, value_name = "TEXT")]
    pub provider_number: String,
    /// The partner's document number (NOMOR of PIHAK KEDUA)
    #[arg(long, value_name = "TEXT")]
    pub partner_number: String,
    /// When it was signed
    #[arg(long, value_name = "DATE")]
    pub signed_on: NaiveDate,
    /// First day of access
    #[arg(long, value_name = "DATE")]
    pub valid_from: NaiveDate,
    /// Last day of access
    #[arg(long, value_name = "DATE")]
    pub valid_until: NaiveDate,
    /// What it grants: a TOML or JSON file of [[grant]] entries (see crates/gerbang/demo/scopes/)
    #[arg(long, value_name = "FILE")]
    pub scope: PathBuf,
    /// Name of the return-data schema the partner fills (SPEC.md §5)
    #[arg(long, value_name = "NAME")]
    pub return_schema: Option<String>,
    /// An obligation and its due date, e.g. sptjm=2019-09-20 (sptjm, nda, iso27001,
    /// technical_implementation, card_reader, semester_report); repeatable
    #[arg(long, value_name = "KIND=DATE", value_parser = parse_obligation)]
    pub obligation: Vec<Obligation>,
}

/// Why an agreement ends early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReasonArg {
    /// Both parties agreed
    Consent,
    /// The partner's nomenclature or structure changed
    Restructuring,
    /// The partner broke its obligations
    Breach,
}

impl From<ReasonArg> for TerminationReason {
    fn from(reason: ReasonArg) -> Self {
        match reason {
            ReasonArg::Consent => TerminationReason::Consent,
            ReasonArg::Restructuring => TerminationReason::Restructuring,
            ReasonArg::Breach => TerminationReason::Breach,
        }
    }
}

/// Parses `KIND=YYYY-MM-DD`.
fn parse_obligation(text: &str) -> Result<Obligation, String> {
    let (kind, date) = text.split_once('=').ok_or("expected KIND=YYYY-MM-DD, e.g. sptjm=2019-09-20")?;
    let kind = ObligationKind::from_name(&kind.trim().replace('-', "_")).ok_or_else(|| {
        format!(
            "unknown obligation '{kind}'; use sptjm, nda, iso27001, technical_implementation, card_reader \
                 or semester_report"
        )
    })?;
    let due_on = date.trim().parse::<NaiveDate>().map_err(|_| format!("'{date}' is not a YYYY-MM-DD date"))?;
    Ok(Obligation { kind, due_on, fulfilled_on: None })
}

/// `gerbang user …`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a User ID; prints its password and bearer token once
    Create(UserCreateArgs),
    /// Disable a User ID
    Disable {
        /// The User ID
        user_id: String,
    },
    /// Re-enable a User ID
    Enable {
        /// The User ID
        user_id: String,
    },
    /// Set the daily quota of a User ID (default 1000 NIK hits a day)
    SetQuota {
        /// The User ID
        user_id: String,
        /// Hits allowed per day
        #[arg(value_name = "N")]
        quota: u32,
        /// Reference of the national approval (needed above 1000 for a regional provider's partner)
        #[arg(long, value_name = "REF")]
        national_approval: Option<String>,
    },
    /// Replace the password of a User ID; prints a generated one once
    ResetPassword {
        /// The User ID
        user_id: String,
        /// Read the new password from the first line of standard input instead of generating one
        #[arg(long)]
        password_stdin: bool,
    },
    /// Issue a new bearer token (the old one stops working); prints it once
    IssueToken {
        /// The User ID
        user_id: String,
    },
    /// Record the day an operator signed its non-disclosure agreement (an operator cannot be enabled without one)
    Nda {
        /// The operator's User ID
        user_id: String,
        /// The signing date (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        signed_on: NaiveDate,
    },
    /// List User IDs (never their secrets)
    List {
        /// Only the accounts of this institution (or provider)
        #[arg(long, value_name = "I")]
        institution: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// `gerbang user create`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("holder").required(true).args(["institution", "provider"])))]
pub struct UserCreateArgs {
    /// The login name (a-z, 0-9, '-', '_', '.')
    pub user_id: String,
    /// The partner institution of a service account or an operator
    #[arg(long, value_name = "I")]
    pub institution: Option<String>,
    /// The provider of an administrator
    #[arg(long, value_name = "P")]
    pub provider: Option<String>,
    /// What the account is for
    #[arg(long, value_enum)]
    pub role: RoleArg,
    /// Read the password from the first line of standard input instead of generating one
    #[arg(long)]
    pub password_stdin: bool,
    /// For an operator: the day its NDA was signed (YYYY-MM-DD); without it the operator starts disabled
    #[arg(long, value_name = "DATE")]
    pub nda_on: Option<NaiveDate>,
}

/// What an account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// A partner system calling the web service
    Service,
    /// A partner's operator using the web portal
    Operator,
    /// A provider administrator
    ProviderAdmin,
    /// A partner's head or administrator (User-ID and quota requests, operators' NDAs)
    PartnerAdmin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Service => Role::Service,
            RoleArg::Operator => Role::Operator,
            RoleArg::ProviderAdmin => Role::ProviderAdmin,
            RoleArg::PartnerAdmin => Role::PartnerAdmin,
        }
    }
}

/// `gerbang ip …`.
#[derive(Debug, Subcommand)]
pub enum IpCommand {
    /// Add a network to an institution's allow-list (or one account's)
    Allow(NetworkArgs),
    /// Remove a network from an allow-list
    Revoke(NetworkArgs),
    /// List allowed networks
    List {
        /// Only this institution's
        institution: Option<String>,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// A network rule on the command line.
#[derive(Debug, Args)]
pub struct NetworkArgs {
    /// The institution
    pub institution: String,
    /// A CIDR block (10.1.2.0/24) or one address (127.0.0.1, ::1)
    pub cidr: String,
    /// Narrow the rule to one of the institution's accounts
    #[arg(long, value_name = "USER_ID")]
    pub user: Option<String>,
}

/// `gerbang audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of the whole audit trail
    Verify,
    /// List the accesses to one resident: when, who, how, with what outcome
    Who {
        /// The resident's NIK (16 digits)
        nik: String,
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Retention: remove the records of every month before the current one
    /// and the N before it (whole months from the start of the chain; on
    /// PostgreSQL their partitions are dropped)
    Retain {
        /// Whole months to keep before the current one
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1200))]
        months: u32,
    },
}

//! The one path every mechanism call takes, whatever front it came through
//! (the compatible service or `/api/v1`): authenticate, run the guards of
//! `core`, check the input, charge the quota, look the resident up, build
//! the answer from `core::answer`, store any alert the sentinel raises
//! (a canary touched, a detector fired) and write the audit record durably
//! before anything is returned. The fronts only parse requests into an
//! [`Ask`] and format the [`Answered`].

use std::net::IpAddr;
use std::time::Instant;

use chrono::{DateTime, Utc};
use gerbang_core::access::lockout;
use gerbang_core::access::secret::{token_hash, verify_password};
use gerbang_core::access::{
    Access, AccessRequest, Authentication, ControlPlane, Denial, Mechanism, authorize, require_prior_match,
};
use gerbang_core::alert::Sighting;
use gerbang_core::alert::detect::Observation;
use gerbang_core::answer::{
    self, CheckAgainst, CheckOutcome, ElementVerdict, Lookup, check_family, check_submitted, granted_record,
};
use gerbang_core::audit::{AuditRecord, ResidentKey};
use gerbang_core::matching::MatchError;
use gerbang_core::{Element, ElementValue, IdNumberError, Nik, NoKk};
use gerbang_store::StoreError;

use crate::sentinel::Seen;
use crate::state::AppState;

pub mod biometric;

/// Default similarity threshold when the caller sends none.
pub const DEFAULT_THRESHOLD: u8 = 80;

/// Who is calling, from where, and when the request arrived.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The connection's address (or a trusted proxy's forwarded address).
    pub source_ip: IpAddr,
    /// The operation id.
    pub operation_id: String,
    /// Arrival, for latency.
    pub started: Instant,
    /// Arrival, from the injected clock.
    pub at: DateTime<Utc>,
}

/// Credentials as presented.
#[derive(Clone, Default)]
pub enum Presented {
    /// None at all.
    #[default]
    Nothing,
    /// User ID and password (compatible body or Basic header).
    Password {
        /// User ID.
        user_id: String,
        /// Password.
        password: String,
    },
    /// A v1 bearer token.
    Token(String),
    /// A portal session: the portal verified the password at sign-in and
    /// holds the session; the guards still run on every call.
    Session(String),
}

impl Presented {
    fn claimed_user(&self) -> Option<String> {
        match self {
            Presented::Password { user_id, .. } | Presented::Session(user_id) => {
                Some(user_id.chars().take(64).collect())
            }
            _ => None,
        }
    }
}

/// What the caller asks, with its input still as text.
#[derive(Debug, Clone)]
pub enum Ask {
    /// Retrieve the granted elements of a NIK.
    CallNik {
        /// The NIK as sent.
        nik: Option<String>,
    },
    /// Verify submitted elements of a NIK.
    Verify {
        /// The NIK as sent.
        nik: Option<String>,
        /// The threshold: `None` when absent, `Some(Err(()))` when unusable.
        threshold: Option<Result<u8, ()>>,
        /// Submitted elements (NIK included), with their text.
        submitted: Vec<(Element, String)>,
        /// Element keys whose JSON value had an unusable type.
        malformed: Vec<String>,
    },
    /// NIK + NO_KK / NIK + head-of-family NIK check.
    NikKkCheck {
        /// The NIK as sent.
        nik: Option<String>,
        /// NO_KK as sent.
        no_kk: Option<String>,
        /// NIK of the head of family as sent.
        head_nik: Option<String>,
    },
    /// The members of the NIK's family card.
    FamilyMembers {
        /// The NIK as sent.
        nik: Option<String>,
    },
    /// Photo + NIK → similarity with the enrolled face (1:1).
    FaceMatch {
        /// The NIK as sent.
        nik: Option<String>,
        /// The photo, base64 as sent.
        photo: String,
        /// The decision threshold 0–100 (`None`: the default 50).
        threshold: Option<Result<f32, ()>>,
    },
    /// Photo → the enrolled residents it resembles (1:N).
    FaceSearch {
        /// The photo, base64 as sent.
        photo: String,
        /// The lowest similarity 0–100 listed (`None`: the default 50).
        threshold: Option<Result<f32, ()>>,
        /// Most candidates wanted.
        limit: usize,
    },
    /// A resident's enrolled face photo.
    Photo {
        /// The NIK as sent.
        nik: Option<String>,
    },
    /// Fingerprint → the enrolled resident it is (1:N).
    FingerprintIdentify {
        /// The image or ISO template, base64 as sent.
        probe: biometric::SentFinger,
    },
}

impl Ask {
    /// The mechanism asked for.
    pub fn mechanism(&self) -> Mechanism {
        match self {
            Ask::CallNik { .. } => Mechanism::CallNik,
            Ask::Verify { .. } => Mechanism::VerifyByElements,
            Ask::NikKkCheck { .. } => Mechanism::NikKkCheck,
            Ask::FamilyMembers { .. } => Mechanism::FamilyMembers,
            Ask::FaceMatch { .. } => Mechanism::FaceMatch,
            Ask::FaceSearch { .. } => Mechanism::FaceSearch,
            Ask::Photo { .. } => Mechanism::Photo,
            Ask::FingerprintIdentify { .. } => Mechanism::FingerprintIdentify,
        }
    }

    /// The NIK sent, for the asks about one resident; `None` for searches.
    fn nik_text(&self) -> Option<Option<&str>> {
        match self {
            Ask::CallNik { nik }
            | Ask::Verify { nik, .. }
            | Ask::NikKkCheck { nik, .. }
            | Ask::FamilyMembers { nik }
            | Ask::FaceMatch { nik, .. }
            | Ask::Photo { nik } => Some(nik.as_deref()),
            Ask::FaceSearch { .. } | Ask::FingerprintIdentify { .. } => None,
        }
    }

    /// The elements the guards must find granted.
    fn requested(&self) -> Vec<Element> {
        match self {
            Ask::Verify { submitted, .. } => {
                let mut elements: Vec<Element> =
                    std::iter::once(Element::Nik).chain(submitted.iter().map(|(e, _)| *e)).collect();
                elements.sort_unstable();
                elements.dedup();
                elements
            }
            Ask::NikKkCheck { no_kk, .. } => {
                if no_kk.is_some() {
                    vec![Element::Nik, Element::NoKk]
                } else {
                    vec![Element::Nik]
                }
            }
            Ask::Photo { .. } => vec![Element::Foto],
            Ask::FaceSearch { .. } | Ask::FingerprintIdentify { .. } => vec![Element::Nik],
            Ask::CallNik { .. } | Ask::FamilyMembers { .. } | Ask::FaceMatch { .. } => Vec::new(),
        }
    }
}

/// Input that cannot be used (WIRE 07 or 15).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    /// The body is not a JSON object, or too large.
    Body(String),
    /// A required field is missing.
    Missing(&'static str),
    /// The NIK is malformed (WIRE 15).
    Nik(IdNumberError),
    /// Another value is unusable.
    Value(String),
    /// A value unusable for a reason with its own stable code: a photo,
    /// fingerprint image or template (`image.*`, `face.*`, `fingerprint.*`,
    /// `input.not_base64`), a sealed field (`sealed_field.*`).
    Coded(&'static str, String),
}

impl InputError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            InputError::Body(_) => "input.body",
            InputError::Missing(_) => "input.missing",
            InputError::Nik(_) => "input.nik_malformed",
            InputError::Value(_) => "input.value",
            InputError::Coded(code, _) => code,
        }
    }

    /// What is wrong, in Bahasa Indonesia.
    pub fn message(&self) -> String {
        match self {
            InputError::Body(why) => why.clone(),
            InputError::Missing(what) => format!("{what} wajib diisi"),
            InputError::Nik(error) => error.to_string(),
            InputError::Value(why) | InputError::Coded(_, why) => why.clone(),
        }
    }
}

impl From<MatchError> for InputError {
    fn from(error: MatchError) -> Self {
        InputError::Value(error.to_string())
    }
}

/// What a call produced.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A guard refused.
    Denied(Denial),
    /// The input is unusable.
    Invalid(InputError),
    /// Storage failed; nothing was answered.
    Unavailable,
    /// The register was consulted.
    Looked(Lookup, Payload),
}

impl From<InputError> for Reply {
    fn from(error: InputError) -> Self {
        Reply::Invalid(error)
    }
}

/// The data of an answered call (empty unless the resident was found).
#[derive(Debug, Clone)]
pub enum Payload {
    /// Nothing to show.
    Nothing,
    /// Granted elements of one resident.
    Record(Vec<(Element, ElementValue)>),
    /// Verdicts of a verification.
    Verdicts(Vec<ElementVerdict>),
    /// The NIK + KK check.
    Check(CheckOutcome),
    /// Granted elements of each family member.
    Family(Vec<Vec<(Element, ElementValue)>>),
    /// A face compared with the enrolled one.
    FaceScore(biometric::FaceVerdict),
    /// Enrolled residents resembling a face, best first (empty: none).
    FaceCandidates(Vec<biometric::FaceCandidate>),
    /// The enrolled photo (`None`: none enrolled).
    Photo(Option<biometric::StoredPhoto>),
    /// Who a fingerprint is (`None`: not found).
    Identified(Option<biometric::Identified>),
}

/// A call's reply with what the fronts need to format it.
#[derive(Debug, Clone)]
pub struct Answered {
    /// The reply.
    pub reply: Reply,
    /// Hits left today for the account (0 when unknown).
    pub remaining: u32,
    /// The operation id.
    pub operation_id: String,
}

/// Audit fields gathered as the call goes.
struct Trail {
    user_id: Option<String>,
    institution: Option<String>,
    resident: Option<ResidentKey>,
    /// The NIK asked about, for the sentinel's detectors only (the record
    /// keeps the keyed hash).
    nik: Option<Nik>,
    elements: Vec<Element>,
    charged: bool,
}

/// Turns presented credentials into an authentication against `plane`,
/// verifying a password with argon2id off the async threads, one check per
/// User ID at a time, unless the cache already knows it. A password is not
/// checked at all while its User ID is locked from `caller`'s address, or
/// that address is locked ([`gerbang_core::access::lockout`]).
pub async fn authenticate<'p>(
    state: &AppState,
    plane: &'p ControlPlane,
    presented: &Presented,
    caller: &Caller,
) -> Authentication<'p> {
    match presented {
        Presented::Nothing => Authentication::Missing,
        Presented::Session(user_id) => plane.account(user_id).map_or(Authentication::Failed, Authentication::Verified),
        Presented::Token(token) => {
            plane.account_by_token_hash(&token_hash(token)).map_or(Authentication::Failed, Authentication::Verified)
        }
        Presented::Password { user_id, password } => {
            let access = &state.access;
            let (user_key, source_key) =
                (lockout::service_key(user_id, caller.source_ip), lockout::source_key(caller.source_ip));
            if access.user_lockouts.locked_until(&user_key, caller.at).is_some()
                || access.source_lockouts.locked_until(&source_key, caller.at).is_some()
            {
                return Authentication::LockedOut;
            }
            let verified = match plane.account(user_id) {
                Some(account) => verify_known(state, account, user_id, password).await,
                None => false,
            };
            match plane.account(user_id).filter(|_| verified) {
                Some(account) => {
                    access.user_lockouts.succeeded(&user_key);
                    access.source_lockouts.succeeded(&source_key);
                    Authentication::Verified(account)
                }
                None => {
                    access.user_lockouts.failed(&user_key, caller.at);
                    access.source_lockouts.failed(&source_key, caller.at);
                    Authentication::Failed
                }
            }
        }
    }
}

/// Whether `password` is `account`'s: from the cache, or by argon2id.
async fn verify_known(
    state: &AppState,
    account: &gerbang_core::access::Account,
    user_id: &str,
    password: &str,
) -> bool {
    let cache = &state.access.credentials;
    if cache.knows(user_id, &account.password_hash, password) {
        return true;
    }
    let _turn = state.access.password_checks.turn(user_id).await;
    // The request before this one may have verified the same password.
    if cache.knows(user_id, &account.password_hash, password) {
        return true;
    }
    let (stored, attempt) = (account.password_hash.clone(), password.to_owned());
    let verified = tokio::task::spawn_blocking(move || verify_password(&stored, &attempt)).await.unwrap_or(false);
    if verified {
        cache.remember(user_id, &account.password_hash, password);
    }
    verified
}

pub(crate) fn parse_nik(text: Option<&str>) -> Result<Nik, InputError> {
    let text = text.ok_or(InputError::Missing("NIK"))?;
    Nik::parse_with(text, gerbang_core::Regions::official()).map_err(InputError::Nik)
}

/// The input once checked.
struct Checked {
    /// The resident asked about (`None` for searches).
    nik: Option<Nik>,
    /// The verification threshold.
    threshold: u8,
    /// What a NIK + KK check compares with.
    against: Option<CheckAgainst>,
    /// A read face or fingerprint.
    probe: Option<biometric::Probe>,
}

/// Checks the input that does not need the register.
fn check_input(ask: &Ask) -> Result<Checked, InputError> {
    let nik = ask.nik_text().map(parse_nik).transpose()?;
    let checked = |threshold, against| Checked { nik, threshold, against, probe: None };
    match ask {
        Ask::Verify { threshold, submitted, malformed, .. } => {
            if let Some(key) = malformed.first() {
                return Err(InputError::Value(format!("nilai {key} harus berupa teks atau angka")));
            }
            let threshold = match threshold {
                None => DEFAULT_THRESHOLD,
                Some(Ok(t)) if *t <= 100 => *t,
                Some(_) => return Err(InputError::Value("TRESHOLD harus bilangan bulat 0–100".into())),
            };
            check_submitted(submitted)?;
            Ok(checked(threshold, None))
        }
        Ask::NikKkCheck { no_kk, head_nik, .. } => {
            let against = match (no_kk, head_nik) {
                (Some(no_kk), _) => CheckAgainst::NoKk(
                    NoKk::parse(no_kk).map_err(|e| InputError::Value(format!("NO_KK tidak valid: {e}")))?,
                ),
                (None, Some(head)) => CheckAgainst::HeadOfFamily(
                    Nik::parse(head).map_err(|e| InputError::Value(format!("NIK kepala keluarga tidak valid: {e}")))?,
                ),
                (None, None) => return Err(InputError::Missing("NO_KK atau NIK kepala keluarga")),
            };
            Ok(checked(0, Some(against)))
        }
        _ => Ok(checked(0, None)),
    }
}

/// Serves one mechanism call end to end. `ask` is `Err` when the body
/// could not be read at all.
pub async fn serve(
    state: &AppState,
    caller: &Caller,
    interface: &'static str,
    presented: &Presented,
    instansi: Option<&str>,
    ask: Result<Ask, InputError>,
) -> Answered {
    let plane = state.plane();
    let mechanism = ask.as_ref().ok().map(Ask::mechanism);
    let mut trail = Trail {
        user_id: presented.claimed_user(),
        institution: None,
        resident: None,
        nik: None,
        elements: Vec::new(),
        charged: false,
    };
    let day = gerbang_core::clock::jakarta_date(caller.at);
    let (reply, mut remaining) = match decide(state, &plane, caller, presented, instansi, ask, day, &mut trail).await {
        Ok((reply, remaining)) => (reply, remaining),
        Err(reply) => {
            let remaining = remaining_without_charge(state, &trail, &plane, day).await;
            (reply, remaining)
        }
    };
    // Storage failed after the charge (the register look-up): nothing is
    // answered, so nothing is charged, and the record says so.
    if matches!(reply, Reply::Unavailable) && trail.charged {
        remaining = give_back(state, &mut trail, day, remaining).await;
    }
    // An alert is stored with the call's record, before the answer leaves,
    // or nothing is answered.
    let sightings = sightings(state, caller, mechanism, &trail, &reply);
    let outcome = outcome_code(&reply);
    let record = AuditRecord {
        operation_id: caller.operation_id.clone(),
        at: caller.at,
        interface: interface.to_owned(),
        institution: trail.institution.clone(),
        user_id: trail.user_id.clone(),
        source_ip: caller.source_ip,
        mechanism,
        resident: trail.resident,
        elements: if matches!(reply, Reply::Looked(Lookup::Found, _)) { trail.elements.clone() } else { Vec::new() },
        outcome: outcome.to_owned(),
        latency_us: caller.started.elapsed().as_micros() as u64,
        charged: trail.charged,
    };
    let reply = match state.access.audit.record_raising(record, sightings).await {
        Ok(_) => reply,
        Err(_) => {
            if trail.charged {
                remaining = give_back(state, &mut trail, day, remaining).await;
            }
            Reply::Unavailable
        }
    };
    state.metrics.observe(mechanism, outcome_code(&reply), caller.started.elapsed());
    Answered { reply, remaining, operation_id: caller.operation_id.clone() }
}

/// Hands a call of a partner's User ID (past the guards) to the sentinel;
/// the sightings it answers, to be stored with the call's audit record.
fn sightings(
    state: &AppState,
    caller: &Caller,
    mechanism: Option<Mechanism>,
    trail: &Trail,
    reply: &Reply,
) -> Vec<Sighting> {
    let (Some(institution), Some(user_id)) = (&trail.institution, &trail.user_id) else { return Vec::new() };
    let answered = match reply {
        Reply::Looked(lookup, payload) => {
            let not_found = looked_code(*lookup, payload).ends_with("not_found");
            Some(Observation {
                at: caller.at,
                nik: trail.nik.map(Nik::value),
                not_found,
                data_bearing: *lookup == Lookup::Found && !not_found && !trail.elements.is_empty(),
            })
        }
        Reply::Denied(_) | Reply::Invalid(_) | Reply::Unavailable => None,
    };
    let seen = Seen {
        institution,
        user_id,
        at: caller.at,
        operation_id: &caller.operation_id,
        mechanism: mechanism.map_or("-", Mechanism::name),
        resident: trail.resident,
        answered,
    };
    state.access.sentinel.sightings(&seen)
}

/// The audit record of an event that is not a mechanism call: a sign-in,
/// a sign-out, an administrative change, a search of the trail.
pub fn event_record(
    caller: &Caller,
    interface: &str,
    institution: Option<String>,
    user_id: Option<String>,
    resident: Option<ResidentKey>,
    outcome: String,
) -> AuditRecord {
    AuditRecord {
        operation_id: caller.operation_id.clone(),
        at: caller.at,
        interface: interface.to_owned(),
        institution,
        user_id: user_id.map(|u| u.chars().take(64).collect()),
        source_ip: caller.source_ip,
        mechanism: None,
        resident,
        elements: Vec::new(),
        outcome,
        latency_us: caller.started.elapsed().as_micros() as u64,
        charged: false,
    }
}

/// Refunds the hit charged for a call that is not answered; the hits left
/// once it is back.
async fn give_back(state: &AppState, trail: &mut Trail, day: chrono::NaiveDate, remaining: u32) -> u32 {
    trail.charged = false;
    let Some(user_id) = &trail.user_id else { return remaining };
    crate::refund::give_back(&state.store, user_id, day).await;
    remaining.saturating_add(1)
}

async fn remaining_without_charge(
    state: &AppState,
    trail: &Trail,
    plane: &ControlPlane,
    day: chrono::NaiveDate,
) -> u32 {
    let Some(account) = trail.institution.as_ref().and(trail.user_id.as_deref()).and_then(|u| plane.account(u)) else {
        return 0;
    };
    let used = state.store.quota_used(&account.user_id, day).await.unwrap_or(account.daily_quota);
    account.daily_quota.saturating_sub(used)
}

/// The stable outcome code of a reply.
pub fn outcome_code(reply: &Reply) -> &'static str {
    match reply {
        Reply::Denied(denial) => denial.code(),
        Reply::Invalid(error) => error.code(),
        Reply::Unavailable => "service.unavailable",
        Reply::Looked(lookup, payload) => looked_code(*lookup, payload),
    }
}

/// The stable outcome code of an answered call.
pub fn looked_code(lookup: Lookup, payload: &Payload) -> &'static str {
    match (lookup, payload) {
        (_, Payload::Check(outcome)) => outcome.code(),
        (Lookup::Found, payload) => biometric::outcome_code(payload).unwrap_or(Lookup::Found.code()),
        (lookup, _) => lookup.code(),
    }
}

#[allow(clippy::too_many_arguments)] // one call's whole context; split only to keep `serve` short
async fn decide(
    state: &AppState,
    plane: &ControlPlane,
    caller: &Caller,
    presented: &Presented,
    instansi: Option<&str>,
    ask: Result<Ask, InputError>,
    day: chrono::NaiveDate,
    trail: &mut Trail,
) -> Result<(Reply, u32), Reply> {
    let authentication = authenticate(state, plane, presented, caller).await;
    let ask = match ask {
        Ok(ask) => ask,
        // An unreadable body is refused before the guards: there is nothing
        // to authorize against.
        Err(error) => return Err(Reply::Invalid(error)),
    };
    let requested = ask.requested();
    let request =
        AccessRequest { mechanism: ask.mechanism(), elements: &requested, source_ip: caller.source_ip, instansi };
    let access = authorize(plane, authentication, &request, day).map_err(Reply::Denied)?;
    trail.user_id = Some(access.user_id.clone());
    trail.institution = Some(access.institution.clone());

    let checked = match check_input(&ask) {
        Ok(checked) => biometric::read_probe(state, &ask, checked).await,
        Err(error) => Err(Reply::Invalid(error)),
    };
    let checked = match checked {
        Ok(checked) => checked,
        Err(Reply::Invalid(error)) => {
            let used = state.store.quota_used(&access.user_id, day).await.map_err(unavailable)?;
            if used >= access.daily_quota {
                return Err(Reply::Denied(Denial::QuotaExhausted));
            }
            return Err(Reply::Invalid(error));
        }
        Err(reply) => return Err(reply),
    };
    if let Some(nik) = checked.nik {
        let key = state.access.hasher.key(nik);
        trail.resident = Some(key);
        trail.nik = Some(nik);
        if access.grant.after_match {
            let had = state
                .store
                .partner_had_outcome(&access.institution, key, Mechanism::NikKkCheck, CheckOutcome::Found.code())
                .await
                .map_err(unavailable)?;
            require_prior_match(&access.grant, had).map_err(Reply::Denied)?;
        }
    }
    let remaining = state
        .store
        .charge_quota(&access.user_id, day, access.daily_quota)
        .await
        .map_err(unavailable)?
        .ok_or(Reply::Denied(Denial::QuotaExhausted))?;
    trail.charged = true;
    let reply = match checked {
        Checked { probe: Some(probe), nik, .. } => biometric::look_up(state, probe, nik, trail).await,
        Checked { nik: Some(nik), threshold, against, probe: None } => {
            look_up(state, &access, &ask, nik, threshold, against, trail).await
        }
        // Every ask without a NIK carries a probe.
        Checked { nik: None, probe: None, .. } => Reply::Unavailable,
    };
    Ok((reply, remaining))
}

pub(crate) fn unavailable(error: StoreError) -> Reply {
    tracing::error!(code = error.code(), %error, "penyimpanan gagal saat melayani permintaan");
    Reply::Unavailable
}

async fn look_up(
    state: &AppState,
    access: &Access,
    ask: &Ask,
    nik: Nik,
    threshold: u8,
    against: Option<CheckAgainst>,
    trail: &mut Trail,
) -> Reply {
    let found = match state.store.resident(nik).await {
        Ok(found) => found,
        Err(error) => return unavailable(error),
    };
    let lookup = Lookup::of(found.as_ref().map(|(r, _)| r));
    let regions = state.regions;
    if let (Ask::NikKkCheck { .. }, Some(against)) = (ask, against) {
        let members = match &found {
            Some((resident, _)) => match state.store.household(resident.no_kk).await {
                Ok(household) => household.map(|h| h.members).unwrap_or_default(),
                Err(error) => return unavailable(error),
            },
            None => Vec::new(),
        };
        let outcome = check_family(found.as_ref().map(|(r, _)| r), &members, against);
        trail.elements = ask.requested();
        return Reply::Looked(Lookup::Found, Payload::Check(outcome));
    }
    let Some((resident, family)) = found.filter(|_| lookup == Lookup::Found) else {
        return Reply::Looked(lookup, Payload::Nothing);
    };
    let payload = match ask {
        Ask::CallNik { .. } => {
            let record = granted_record(&access.grant, &resident, &family, regions);
            trail.elements = record.iter().map(|(e, _)| *e).collect();
            Payload::Record(record)
        }
        Ask::Verify { submitted, .. } => match answer::verify(submitted, threshold, &resident, &family, regions) {
            Ok(verdicts) => {
                trail.elements = verdicts.iter().map(|v| v.element).collect();
                Payload::Verdicts(verdicts)
            }
            Err(error) => return Reply::Invalid(error.into()),
        },
        Ask::FamilyMembers { .. } => match state.store.household(resident.no_kk).await {
            Ok(Some(household)) => {
                let members: Vec<_> = household
                    .members
                    .iter()
                    .map(|member| granted_record(&access.grant, member, &household.family, regions))
                    .collect();
                trail.elements = members.first().map(|m| m.iter().map(|(e, _)| *e).collect()).unwrap_or_default();
                Payload::Family(members)
            }
            Ok(None) => Payload::Family(Vec::new()),
            Err(error) => return unavailable(error),
        },
        Ask::Photo { .. } => match biometric::stored_photo(state, nik, trail).await {
            Ok(payload) => payload,
            Err(reply) => return reply,
        },
        Ask::NikKkCheck { .. } | Ask::FaceMatch { .. } | Ask::FaceSearch { .. } | Ask::FingerprintIdentify { .. } => {
            Payload::Nothing
        }
    };
    Reply::Looked(Lookup::Found, payload)
}

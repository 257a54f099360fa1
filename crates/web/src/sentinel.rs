//! The sentinel beside the gate (issue 8, hardening): it knows the canary
//! residents and keeps, per User ID, the recent calls that `core`'s
//! detectors (`gerbang_core::alert::detect`) decide on. The gate hands it
//! every call a partner's User ID made once the guards let it through, and
//! stores what it answers before the caller gets its answer, so an alert is
//! durable by the time the intruder sees anything. The answer itself is the
//! same as for any resident.
//!
//! Why an in-memory window per User ID and not a scan of the audit trail:
//! the trail keeps only keyed hashes of NIKs, on purpose, and sequential
//! scanning is a property of the NIKs' numbers, which a hash destroys; the
//! gate is the one place that sees the number. A window in memory also
//! costs one short lock per call instead of a query. What it gives up: each
//! node watches only the calls it serves and forgets them on restart, so a
//! scan spread over several nodes or across a restart shows up later or
//! not at all (the thresholds are per node). Canaries do not depend on the
//! window: every access to one raises an alert on any node.
//!
//! Only codes, User IDs and partners are logged; never a NIK.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use gerbang_core::alert::detect::{Observation, Watch};
use gerbang_core::alert::{Canary, Sighting, canary_sighting};
use gerbang_core::audit::{NikHasher, ResidentKey};

/// One call as the sentinel sees it.
pub struct Seen<'a> {
    /// The partner.
    pub institution: &'a str,
    /// The User ID.
    pub user_id: &'a str,
    /// When it arrived.
    pub at: DateTime<Utc>,
    /// The operation id.
    pub operation_id: &'a str,
    /// The mechanism's stable name.
    pub mechanism: &'a str,
    /// The resident it named or found, by keyed hash.
    pub resident: Option<ResidentKey>,
    /// What the detectors see of it, when it was answered (not refused).
    pub answered: Option<Observation>,
}

/// Canaries and the per-User-ID windows.
#[derive(Default)]
pub struct Sentinel {
    canaries: RwLock<Arc<HashMap<ResidentKey, String>>>,
    watches: Mutex<HashMap<String, Watch>>,
}

impl Sentinel {
    /// Replaces the known canaries.
    pub fn load(&self, canaries: &[Canary], hasher: &NikHasher) {
        let keyed: HashMap<ResidentKey, String> =
            canaries.iter().map(|canary| (hasher.key(canary.nik), canary.label.clone())).collect();
        match self.canaries.write() {
            Ok(mut slot) => *slot = Arc::new(keyed),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(keyed),
        }
    }

    fn canary_label(&self, resident: ResidentKey) -> Option<String> {
        let canaries = match self.canaries.read() {
            Ok(canaries) => Arc::clone(&canaries),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        };
        canaries.get(&resident).cloned()
    }

    /// What `seen` reveals: a canary sighting if it touched one, and the
    /// findings of the detectors over the User ID's recent calls.
    pub fn sightings(&self, seen: &Seen<'_>) -> Vec<Sighting> {
        let mut sightings = Vec::new();
        if let Some(label) = seen.resident.and_then(|resident| self.canary_label(resident)) {
            sightings.push(canary_sighting(
                seen.institution,
                seen.user_id,
                seen.at,
                seen.operation_id,
                seen.mechanism,
                &label,
            ));
        }
        if let Some(observation) = seen.answered {
            let observe = |watches: &mut HashMap<String, Watch>| match watches.get_mut(seen.user_id) {
                Some(watch) => watch.observe(observation),
                None => watches.entry(seen.user_id.to_owned()).or_default().observe(observation),
            };
            let findings = match self.watches.lock() {
                Ok(mut watches) => observe(&mut watches),
                Err(poisoned) => observe(&mut poisoned.into_inner()),
            };
            sightings.extend(findings.into_iter().map(|finding| Sighting {
                kind: finding.kind,
                institution: seen.institution.to_owned(),
                user_id: seen.user_id.to_owned(),
                at: seen.at,
                count: finding.count,
                detail: finding.detail,
                operation_id: seen.operation_id.to_owned(),
            }));
        }
        for sighting in &sightings {
            tracing::warn!(
                kind = sighting.kind.code(),
                institution = sighting.institution,
                user_id = sighting.user_id,
                operation_id = sighting.operation_id,
                "peringatan keamanan"
            );
        }
        sightings
    }
}

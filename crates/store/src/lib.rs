//! The one narrow storage trait of Gerbang. Each backend crate
//! (`gerbang-store-sqlite`, later `gerbang-store-postgres`) implements it and
//! owns its own numbered migrations; nothing above this trait writes SQL.
//!
//! The trait speaks domain types from `gerbang-core` only. Methods are async
//! so that a backend on a network database and one on an embedded file look
//! the same to the server; the embedded backend runs its blocking work off
//! the async threads.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use gerbang_core::access::{ControlPlane, ControlWrite, Mechanism};
use gerbang_core::alert::{Alert, Canary, Sighting};
use gerbang_core::audit::{AuditRecord, ChainLink, ResidentKey, SealedRecord};
use gerbang_core::biometric::{BiometricCounts, FaceEnrolment, FingerprintEnrolment};
use gerbang_core::facilitation::Case;
use gerbang_core::reminder::Notification;
use gerbang_core::report::{Semester, SemesterReport};
use gerbang_core::return_data::{BatchCounts, ReturnBatch, ReturnSchema, StoredReturnRow, ValidRow};
use gerbang_core::transparency::ResidentCode;
use gerbang_core::{Family, Nik, NoKk, Resident};

mod casework;
mod figures;
mod oversight;
pub use casework::{CaseQuery, QueuedNotification};
pub use figures::semester_figures;
pub use oversight::{AuditCount, AuditSearch};

/// Why a storage operation failed. Messages are for people (Bahasa
/// Indonesia) and never contain population data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached, opened or created (missing directory,
    /// no permission, server down). Usually temporary or a set-up problem.
    #[error("basis data tidak dapat digunakan: {0}")]
    Unavailable(String),
    /// The database file or a stored value is damaged.
    #[error("basis data rusak: {0}")]
    Corrupt(String),
    /// The schema on disk does not match this build (an edited or unknown
    /// migration).
    #[error("skema basis data tidak cocok: {0}")]
    Schema(String),
    /// A write would break a uniqueness rule (e.g. a NIK already registered).
    #[error("data bentrok: {0}")]
    Conflict(String),
    /// Any other backend failure.
    #[error("galat basis data: {0}")]
    Backend(String),
}

impl StoreError {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::Unavailable(_) => "store.unavailable",
            StoreError::Corrupt(_) => "store.corrupt",
            StoreError::Schema(_) => "store.schema",
            StoreError::Conflict(_) => "store.conflict",
            StoreError::Backend(_) => "store.backend",
        }
    }
}

/// A family card with its members, as written by a bulk load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Household {
    /// The card and its address.
    pub family: Family,
    /// Everyone listed on it; exactly one is the KEPALA KELUARGA.
    pub members: Vec<Resident>,
}

/// Counts and structural checks over the whole register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RegisterHealth {
    /// Residents in the register.
    pub residents: u64,
    /// Family cards in the register.
    pub families: u64,
    /// Family cards that do not have exactly one KEPALA KELUARGA.
    pub families_without_one_head: u64,
    /// Family cards with no member at all.
    pub empty_families: u64,
}

/// What one retention run removed from the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AuditRemoval {
    /// Records removed.
    pub records: u64,
    /// Where the stored chain begins now (the last link removed, ever).
    pub anchor: Option<ChainLink>,
}

/// A backend's audit write as a blocking call (see
/// [`Store::blocking_audit`]).
pub trait BlockingAudit: Send + Sync {
    /// What [`Store::record_audit_raising`] does, on the calling thread,
    /// which it blocks until the batch is durable.
    fn record_batch(&self, records: Vec<AuditRecord>, sightings: Vec<Sighting>) -> Result<Vec<u64>, StoreError>;
}

/// The storage of Gerbang.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// A short description for start-up logs (backend and location, never
    /// credentials).
    fn describe(&self) -> String;

    /// A resident with their family card, by NIK.
    async fn resident(&self, nik: Nik) -> Result<Option<(Resident, Family)>, StoreError>;

    /// A family card and its members (head first, then by relationship and
    /// birth date), by NO_KK.
    async fn household(&self, no_kk: NoKk) -> Result<Option<Household>, StoreError>;

    /// Up to `limit` residents with a NIK greater than `after`, in NIK order:
    /// a keyset page for walking the whole register.
    async fn residents_after(&self, after: Option<Nik>, limit: u32) -> Result<Vec<Resident>, StoreError>;

    /// Prepares for a large load of households (seeding, copying a
    /// deployment). Until [`Store::finish_bulk_load`] the backend may defer
    /// secondary indexes and relax durability against power loss (not
    /// against a crash of the process); every batch stays atomic.
    async fn begin_bulk_load(&self) -> Result<(), StoreError>;

    /// Ends a bulk load: builds what was deferred and restores full
    /// durability.
    async fn finish_bulk_load(&self) -> Result<(), StoreError>;

    /// Writes households in one transaction: all of them or none.
    async fn insert_households(&self, households: Vec<Household>) -> Result<(), StoreError>;

    /// Removes every resident and family card, with the residents'
    /// biometric enrolments, in one transaction.
    async fn clear_register(&self) -> Result<(), StoreError>;

    /// Counts and structural checks.
    async fn register_health(&self) -> Result<RegisterHealth, StoreError>;

    /// The installation's 32-byte secret for keyed NIK hashes in the audit
    /// trail, created with the database.
    async fn installation_key(&self) -> Result<[u8; 32], StoreError>;

    /// Takes over another installation's secret when a deployment moves to
    /// this database, so the moved trail's keyed NIK hashes still answer
    /// "who accessed this NIK". Refused with `Conflict` once this database
    /// has audit records of its own.
    async fn adopt_installation_key(&self, key: [u8; 32]) -> Result<(), StoreError>;

    /// The whole control plane.
    async fn control_plane(&self) -> Result<ControlPlane, StoreError>;

    /// A number that grows with every control-plane change, so servers can
    /// notice changes made elsewhere (the CLI, another node) cheaply.
    async fn control_version(&self) -> Result<u64, StoreError>;

    /// Applies control-plane writes in one transaction and bumps the version.
    async fn apply_control(&self, writes: Vec<ControlWrite>) -> Result<(), StoreError>;

    /// The replay guard of KTP-el reader events (SPEC.md §6): accepts
    /// `counter` from the SAM `sam` only if it is above every counter
    /// accepted from it before, atomically; false for a replayed or
    /// reordered event.
    async fn accept_sam_counter(&self, sam: &str, counter: u64) -> Result<bool, StoreError>;

    /// The last counter accepted from each SAM, by SAM id: what a move
    /// between backends copies so the replay guard holds across it.
    async fn sam_counters(&self) -> Result<Vec<(String, u64)>, StoreError>;

    /// Enrols a resident's face, replacing the one enrolled before.
    /// `Conflict` when the NIK is not in the register.
    async fn enrol_face(&self, enrolment: &FaceEnrolment) -> Result<(), StoreError>;

    /// A resident's enrolled face (photo and embedding), if any.
    async fn face(&self, nik: Nik) -> Result<Option<FaceEnrolment>, StoreError>;

    /// Every enrolled face's embedding, in NIK order, to build the 1:N index.
    async fn face_embeddings(&self) -> Result<Vec<(Nik, Vec<u8>)>, StoreError>;

    /// Up to `limit` whole face enrolments with a NIK greater than `after`,
    /// in NIK order: a keyset page for copying a deployment without holding
    /// every photo at once.
    async fn faces_after(&self, after: Option<Nik>, limit: u32) -> Result<Vec<FaceEnrolment>, StoreError>;

    /// Enrols one finger's impressions, replacing those enrolled before for
    /// the same resident and finger. `Conflict` when the NIK is not in the
    /// register.
    async fn enrol_fingerprints(&self, enrolment: &FingerprintEnrolment) -> Result<(), StoreError>;

    /// Every enrolled finger with its impressions, in (NIK, finger) order,
    /// to build the 1:N gallery.
    async fn fingerprint_enrolments(&self) -> Result<Vec<FingerprintEnrolment>, StoreError>;

    /// Enrolled faces, fingers and impressions.
    async fn biometric_counts(&self) -> Result<BiometricCounts, StoreError>;

    /// Marks a resident as a canary, replacing the label of one marked
    /// before, and bumps the control-plane version so that running servers
    /// reload the canaries within their refresh.
    async fn add_canary(&self, canary: Canary) -> Result<(), StoreError>;

    /// Every canary, in NIK order.
    async fn canaries(&self) -> Result<Vec<Canary>, StoreError>;

    /// Stores a sighting durably, in one transaction: the newest open alert
    /// of its kind, partner and User ID absorbs it when `core` says so
    /// ([`Alert::absorbs`]), else it opens a new alert. Answers the alert's
    /// id.
    async fn raise_alert(&self, sighting: Sighting) -> Result<u64, StoreError>;

    /// Up to `limit` alerts: open ones first, then by last sighting, newest
    /// first.
    async fn alerts(&self, limit: u32) -> Result<Vec<Alert>, StoreError>;

    /// One alert by id.
    async fn alert(&self, id: u64) -> Result<Option<Alert>, StoreError>;

    /// Acknowledges the open alert `id` by `by` at `at`; false when no open
    /// alert has that id.
    async fn acknowledge_alert(&self, id: u64, by: &str, at: DateTime<Utc>) -> Result<bool, StoreError>;

    /// Copies alerts from another deployment keeping their ids, counts,
    /// evidence and acknowledgements (a move between backends), in one
    /// transaction; ids given later continue after the largest.
    async fn restore_alerts(&self, alerts: Vec<Alert>) -> Result<(), StoreError>;

    /// Hits charged to `user_id` on `day` (a Jakarta calendar day).
    async fn quota_used(&self, user_id: &str, day: NaiveDate) -> Result<u32, StoreError>;

    /// Charges one hit if fewer than `limit` were charged on `day`, exactly
    /// even under concurrent calls. Returns the hits left after this one, or
    /// `None` when the quota is used up.
    async fn charge_quota(&self, user_id: &str, day: NaiveDate, limit: u32) -> Result<Option<u32>, StoreError>;

    /// Gives back a hit charged for a request that could not be answered.
    async fn refund_quota(&self, user_id: &str, day: NaiveDate) -> Result<(), StoreError>;

    /// The last record of the audit chain; once retention has removed every
    /// record, the last one removed (the chain goes on from it).
    async fn audit_tail(&self) -> Result<Option<ChainLink>, StoreError>;

    /// Where the stored chain begins: `None` while it still starts at record
    /// 1, else the last link that retention removed (or that a copied trail
    /// started after), which the first stored record must point at.
    async fn audit_anchor(&self) -> Result<Option<ChainLink>, StoreError>;

    /// Removes every record filed under a Jakarta month before `before` (the
    /// first day of a month). A record is filed under the month of its time
    /// or of the record before it, whichever is later, so what goes is always
    /// a prefix of the chain and the chain stays verifiable from its new
    /// anchor. All or nothing.
    async fn remove_audit_before(&self, before: NaiveDate) -> Result<AuditRemoval, StoreError>;

    /// Makes an empty trail start after `anchor` (copying a trail whose
    /// beginning was removed by retention). Refused once the trail has records.
    async fn adopt_audit_anchor(&self, anchor: ChainLink) -> Result<(), StoreError>;

    /// Appends sealed records (consecutive, following the tail) durably in
    /// one transaction: all or none. For copying a trail that is already
    /// sealed (a move between backends); answered requests go through
    /// [`Store::record_audit`].
    async fn append_audit(&self, records: Vec<SealedRecord>) -> Result<(), StoreError>;

    /// Seals `records` onto the chain after whatever tail is stored at that
    /// moment and appends them durably in one transaction (all or none);
    /// returns their sequence numbers in order. Sealing happens inside the
    /// transaction, under the backend's write lock, so any number of
    /// processes recording into the same database build one unbroken chain.
    async fn record_audit(&self, records: Vec<AuditRecord>) -> Result<Vec<u64>, StoreError>;

    /// Stores `sightings` (as [`Store::raise_alert`] does, in order) and
    /// records `records` (as [`Store::record_audit`] does); when this
    /// returns `Ok`, both are durable. The audit writer hands over every
    /// sighting of a batch's calls this way, so a busy night does not cost a
    /// transaction of its own per alert. This default stores them one after
    /// the other; a backend that can write both in one transaction should.
    async fn record_audit_raising(
        &self,
        records: Vec<AuditRecord>,
        sightings: Vec<Sighting>,
    ) -> Result<Vec<u64>, StoreError> {
        for sighting in sightings {
            self.raise_alert(sighting).await?;
        }
        self.record_audit(records).await
    }

    /// The same audit write as a blocking call, when the backend's writes
    /// are blocking calls anyway (an embedded file). The group-commit
    /// writer then runs on a thread of its own and writes each batch
    /// there, instead of handing every batch to a thread pool and back:
    /// two thread wake-ups fewer per batch, which at a few calls per batch
    /// is much of a call's cost. `None` (the default): the writer uses
    /// [`Store::record_audit_raising`].
    fn blocking_audit(&self) -> Option<Arc<dyn BlockingAudit>> {
        None
    }

    /// Up to `limit` records with a sequence number above `after`, in order.
    async fn audit_page(&self, after: u64, limit: u32) -> Result<Vec<SealedRecord>, StoreError>;

    /// The records about one resident, oldest first ("who accessed this NIK?").
    async fn audit_of_resident(&self, resident: ResidentKey) -> Result<Vec<SealedRecord>, StoreError>;

    /// Stores a resident's one-time code (transparency for residents) in
    /// place of any earlier code of theirs.
    async fn put_resident_code(&self, code: ResidentCode) -> Result<(), StoreError>;

    /// The resident's current one-time code, used or not.
    async fn resident_code(&self, resident: ResidentKey) -> Result<Option<ResidentCode>, StoreError>;

    /// Stores `settled` (the same code, a wrong attempt counted or marked
    /// used) only if the stored code is still exactly `seen`: the same
    /// digest, the same count of wrong attempts, unused. Returns whether it
    /// was. Of two requests racing with one code only one settles, so a
    /// code opens at most once and every wrong attempt counts.
    async fn settle_resident_code(&self, seen: ResidentCode, settled: ResidentCode) -> Result<bool, StoreError>;

    /// Whether `institution` ever got `outcome` from `mechanism` for
    /// `resident` (BKN may retrieve a NIK only after a "ditemukan").
    async fn partner_had_outcome(
        &self,
        institution: &str,
        resident: ResidentKey,
        mechanism: Mechanism,
        outcome: &str,
    ) -> Result<bool, StoreError>;

    /// The records matching `search`, newest first.
    async fn audit_search(&self, search: AuditSearch) -> Result<Vec<SealedRecord>, StoreError>;

    /// The mechanism calls of `institution` from `from` (inclusive) to
    /// `until` (exclusive), counted per Jakarta day, hour, User ID,
    /// mechanism and outcome.
    async fn audit_counts(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<AuditCount>, StoreError>;

    /// Stores new document-facilitation cases in one transaction (all or
    /// none) and returns the numbers given to them, in order. Refused with
    /// `Conflict` when one is already open for the same partner, document
    /// and person ([`Filing::subject_key`](gerbang_core::facilitation::Filing::subject_key)),
    /// stored or earlier in `cases`.
    async fn file_cases(&self, cases: Vec<Case>) -> Result<Vec<u64>, StoreError>;

    /// One facilitation case by number.
    async fn case(&self, number: u64) -> Result<Option<Case>, StoreError>;

    /// Stores a case's new step, provided it still had `seen_steps` steps
    /// (else `Conflict`: someone else moved it meanwhile).
    async fn record_case_step(&self, case: Case, seen_steps: usize) -> Result<(), StoreError>;

    /// The cases matching `query`, newest first.
    async fn cases(&self, query: CaseQuery) -> Result<Vec<Case>, StoreError>;

    /// Queues notifications in the outbox, skipping any whose key was ever
    /// queued; returns how many were new.
    async fn queue_notifications(&self, notifications: Vec<Notification>, at: DateTime<Utc>)
    -> Result<u64, StoreError>;

    /// Up to `limit` notifications not yet delivered, oldest first.
    async fn undelivered_notifications(&self, limit: u32) -> Result<Vec<QueuedNotification>, StoreError>;

    /// Records a delivery attempt: delivered at `at`, or failed with a
    /// reason.
    async fn record_delivery(&self, id: u64, at: DateTime<Utc>, failure: Option<String>) -> Result<(), StoreError>;

    /// Up to `limit` notifications, delivered or not, with an id above
    /// `after`, in id order: a page for copying the outbox.
    async fn notifications_after(&self, after: u64, limit: u32) -> Result<Vec<QueuedNotification>, StoreError>;

    /// Copies cases and notifications from another deployment keeping their
    /// numbers, ids and delivery state (a move between backends), in one
    /// transaction; numbers given later continue after the largest.
    async fn restore_casework(
        &self,
        cases: Vec<Case>,
        notifications: Vec<QueuedNotification>,
    ) -> Result<(), StoreError>;
    /// Distinct residents reached by the answered mechanism calls of
    /// `institution` from `from` (inclusive) to `until` (exclusive): records
    /// with a resident key and an outcome other than a guard's refusal
    /// (`access.*`). For semester reports (SPEC.md §8).
    async fn residents_accessed(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError>;

    /// Inserts or replaces a partner's semester report (one per partner and
    /// semester).
    async fn save_semester_report(&self, report: SemesterReport) -> Result<(), StoreError>;

    /// One partner's report of one semester.
    async fn semester_report(
        &self,
        institution: &str,
        semester: Semester,
    ) -> Result<Option<SemesterReport>, StoreError>;

    /// The reports matching both filters that are `Some`, by semester
    /// (newest first), then partner.
    async fn semester_reports(
        &self,
        institution: Option<&str>,
        semester: Option<Semester>,
    ) -> Result<Vec<SemesterReport>, StoreError>;
    /// Stores a return-data schema (SPEC.md §5), replacing one of the same
    /// name. The schema must already be checked.
    async fn define_return_schema(&self, schema: ReturnSchema) -> Result<(), StoreError>;

    /// Every return-data schema, by name.
    async fn return_schemas(&self) -> Result<Vec<ReturnSchema>, StoreError>;

    /// Which of `residents` `institution` accessed through any mechanism
    /// (an audited call naming the resident) at or after `since`. Answers
    /// batches of keys through the trail's (resident, institution) index, so
    /// checking a million rows is a million index probes, not a scan.
    async fn accessed_residents(
        &self,
        institution: &str,
        since: chrono::DateTime<chrono::Utc>,
        residents: Vec<ResidentKey>,
    ) -> Result<Vec<ResidentKey>, StoreError>;

    /// Opens a pending return-data batch: rows added to it stay invisible
    /// to every read until [`Store::commit_return_batch`]. Pending batches
    /// older than a day (a crashed intake) are removed first.
    async fn open_return_batch(&self, batch: ReturnBatch) -> Result<(), StoreError>;

    /// Adds valid rows to a pending batch, in one transaction. Answers, per
    /// row, `true` when stored and `false` when an identical row
    /// (institution, schema, NIK, values) was stored before ("sudah pernah
    /// dikirim"): such a row is never stored twice.
    async fn add_return_rows(&self, batch: &str, rows: Vec<ValidRow>) -> Result<Vec<bool>, StoreError>;

    /// Makes a pending batch's rows visible and records its counts.
    async fn commit_return_batch(&self, batch: &str, counts: BatchCounts) -> Result<(), StoreError>;

    /// Removes a pending batch and its rows (an all-or-nothing file with a
    /// rejected row, or a failed intake).
    async fn abort_return_batch(&self, batch: &str) -> Result<(), StoreError>;

    /// Up to `limit` rows of a batch with a row number above `after`, in
    /// row-number order: a keyset page for copying a deployment.
    async fn return_rows_page(&self, batch: &str, after: u64, limit: u32) -> Result<Vec<ValidRow>, StoreError>;

    /// The committed return data about one resident, oldest first.
    async fn return_data_of(&self, nik: Nik) -> Result<Vec<StoredReturnRow>, StoreError>;

    /// The committed batches of a partner, newest first.
    async fn return_batches_of(&self, institution: &str) -> Result<Vec<ReturnBatch>, StoreError>;

    /// Distinct residents with return data from `institution` received from
    /// `from` (inclusive) to `until` (exclusive): the semester report's count.
    async fn residents_with_return_data(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError>;
}

#[cfg(feature = "story")]
pub mod story;

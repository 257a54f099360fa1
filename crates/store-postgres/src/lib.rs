//! The PostgreSQL backend of the Gerbang storage trait: several Gerbang
//! nodes share one database, so daily quotas, the audit chain and the
//! control plane are the same for all of them.
//!
//! Connections come from a small `deadpool-postgres` pool over
//! `tokio-postgres`. They are **not encrypted** (`NoTls`): run the database
//! on the same host or a private network until TLS is added.
//!
//! Storage choices: NIK, NO_KK and audit sequence numbers are `bigint`;
//! SIAK codes `smallint`; dates `date`; audit times `timestamptz` (microsecond
//! precision, exactly what the chain hashes); hashes, keys, face embeddings,
//! photos and fingerprint templates `bytea`; the agreement's addenda,
//! termination, scope and obligations JSON text written and read through
//! `gerbang-core`'s serde types. How quotas stay exact across nodes is
//! described in the `quota` module.
//!
//! Every value reaches PostgreSQL as a bound parameter; the only SQL built
//! with `format!` joins fixed column lists.

mod alerts;
mod audit;
mod biometrics;
mod casework;
mod charges;
mod control;
mod error;
mod migrate;
mod oversight;
mod quota;
mod register;
mod reports;
mod resident_codes;
mod return_data;

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Client, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime, Transaction};
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
use gerbang_store::{
    AuditCount, AuditRemoval, AuditSearch, CaseQuery, Household, QueuedNotification, RegisterHealth, Store, StoreError,
};
use tokio_postgres::config::Host;
use tokio_postgres::{Config, IsolationLevel, NoTls};

use crate::error::{from_pool, from_postgres};

/// Most connections one node keeps open to the database.
const POOL_SIZE: usize = 16;

/// Most connections one node keeps for quota charges and refunds.
const QUOTA_POOL_SIZE: usize = 8;

/// Idle time after which a connection's TCP keepalive probes start.
const KEEPALIVE_IDLE: Duration = Duration::from_secs(10);

/// How long a request waits for a free connection, and how long opening
/// one may take, before the database counts as unavailable.
const WAIT: Duration = Duration::from_secs(10);

/// The PostgreSQL store. Cloning shares the same pool.
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    /// Connections for charging and refunding quota only, whose commits do
    /// not wait for the disk (see [`quota`]).
    quota_pool: Pool,
    /// Charges waiting to be grouped into one statement per account.
    charges: charges::ChargeQueue,
    /// Where the database is, without credentials (for logs).
    location: String,
    /// Set between `begin_bulk_load` and `finish_bulk_load`: register
    /// batches then commit without waiting for the write-ahead log flush.
    bulk_load: AtomicBool,
}

/// Host, port, database and user of a connection configuration; never the
/// password.
fn location(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|host| match host {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    format!(
        "{}:{}/{} user={}",
        hosts.join(","),
        ports.join(","),
        config.get_dbname().unwrap_or("-"),
        config.get_user().unwrap_or("-")
    )
}

/// Removes the password from a message, should a driver ever echo it.
fn without_password(error: StoreError, config: &Config) -> StoreError {
    let Some(password) = config.get_password().map(String::from_utf8_lossy).filter(|p| !p.is_empty()) else {
        return error;
    };
    let scrub = |text: String| text.replace(password.as_ref(), "***");
    match error {
        StoreError::Unavailable(text) => StoreError::Unavailable(scrub(text)),
        StoreError::Corrupt(text) => StoreError::Corrupt(scrub(text)),
        StoreError::Schema(text) => StoreError::Schema(scrub(text)),
        StoreError::Conflict(text) => StoreError::Conflict(scrub(text)),
        StoreError::Backend(text) => StoreError::Backend(scrub(text)),
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (a `postgres://` URL or a
    /// `key=value` connection string) and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        // The parser's message may quote the string, password included.
        let config = Config::from_str(url).map_err(|_| {
            StoreError::Unavailable(
                "alamat PostgreSQL tidak dapat dibaca (contoh: postgres://gerbang@host/gerbang)".into(),
            )
        })?;
        Self::connect_with(config).await
    }

    /// Connects with a parsed configuration and applies pending migrations.
    pub(crate) async fn connect_with(mut config: Config) -> Result<Self, StoreError> {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(WAIT);
        }
        let location = location(&config);
        let opened = Self::open(config.clone(), location).await;
        opened.map_err(|error| without_password(error, &config))
    }

    async fn open(mut config: Config, location: String) -> Result<Self, StoreError> {
        // A server that vanished without closing the connection (a cut
        // network, a crashed host) is noticed within seconds, not hours.
        config.keepalives(true).keepalives_idle(KEEPALIVE_IDLE);
        let mut quota_config = config.clone();
        let options = config.get_options().map(|o| format!("{o} ")).unwrap_or_default();
        quota_config.options(format!("{options}-c synchronous_commit=off"));
        let store = PostgresStore {
            inner: Arc::new(Inner {
                pool: pool(config, POOL_SIZE)?,
                quota_pool: pool(quota_config, QUOTA_POOL_SIZE)?,
                charges: charges::ChargeQueue::default(),
                location,
                bulk_load: AtomicBool::new(false),
            }),
        };
        let mut client = store.client().await?;
        migrate::run(&mut client).await?;
        audit::ensure_installation_key(&client).await?;
        audit::prepare_partitions(&mut client).await?;
        // A bulk load interrupted before it finished leaves the NO_KK index
        // and the family-card rule dropped; put them back.
        client.batch_execute(register::FAMILY_LINKS).await.map_err(from_postgres)?;
        Ok(store)
    }

    /// A pooled connection.
    async fn client(&self) -> Result<Client, StoreError> {
        self.inner.pool.get().await.map_err(from_pool)
    }

    /// Charges every request waiting for `key`, batch after batch, until
    /// none waits (see [`charges`]).
    async fn flush_charges(self, key: charges::Key) {
        while let Some(batch) = self.inner.charges.take(&key) {
            let limits: Vec<u32> = batch.iter().map(|waiter| waiter.limit).collect();
            let charged = match self.quota_client().await {
                Ok(client) => quota::charge_many(&client, &key.0, key.1, &limits).await,
                Err(error) => Err(error),
            };
            match charged {
                Ok(answers) => {
                    for (waiter, answer) in batch.into_iter().zip(answers) {
                        let _ = waiter.reply.send(Ok(answer));
                    }
                }
                Err(error) => {
                    for waiter in batch {
                        let _ = waiter.reply.send(Err(charges::repeat(&error)));
                    }
                }
            }
        }
    }

    /// A pooled connection for quota charges and refunds.
    async fn quota_client(&self) -> Result<Client, StoreError> {
        self.inner.quota_pool.get().await.map_err(from_pool)
    }
}

/// A pool of at most `size` connections made with `config`.
fn pool(config: Config, size: usize) -> Result<Pool, StoreError> {
    let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
    Pool::builder(manager)
        .max_size(size)
        .runtime(Runtime::Tokio1)
        .wait_timeout(Some(WAIT))
        .create_timeout(Some(WAIT))
        .build()
        .map_err(|error| StoreError::Unavailable(format!("kumpulan koneksi PostgreSQL: {error}")))
}

/// Commits a transaction, mapping the failure.
async fn commit(transaction: Transaction<'_>) -> Result<(), StoreError> {
    transaction.commit().await.map_err(from_postgres)
}

#[async_trait]
impl Store for PostgresStore {
    fn describe(&self) -> String {
        format!("postgres {}", self.inner.location)
    }

    async fn resident(&self, nik: Nik) -> Result<Option<(Resident, Family)>, StoreError> {
        register::resident(&self.client().await?, nik).await
    }

    async fn household(&self, no_kk: NoKk) -> Result<Option<Household>, StoreError> {
        register::household(&self.client().await?, no_kk).await
    }

    async fn residents_after(&self, after: Option<Nik>, limit: u32) -> Result<Vec<Resident>, StoreError> {
        register::residents_after(&self.client().await?, after, limit).await
    }

    /// In bulk mode the NO_KK index is built, and the rule that every
    /// resident's family card exists is checked, once at the end instead of
    /// row by row, and this node's register batches commit without waiting
    /// for the disk (`synchronous_commit = off` for those transactions only):
    /// a crash of the database server may lose the last batches, a crash of
    /// this process loses nothing committed. `connect` puts index and rule
    /// back if a load never finished. Other nodes keep serving meanwhile, but
    /// look-ups of households by NO_KK scan the table until the load
    /// finishes: bulk loads are for seeding and copying a deployment, not for
    /// busy hours.
    async fn begin_bulk_load(&self) -> Result<(), StoreError> {
        self.client().await?.batch_execute(register::DROP_FAMILY_LINKS).await.map_err(from_postgres)?;
        self.inner.bulk_load.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn finish_bulk_load(&self) -> Result<(), StoreError> {
        self.inner.bulk_load.store(false, Ordering::SeqCst);
        // Both statements commit with the server's full durability; flushing
        // the write-ahead log up to their commit also flushes every batch
        // committed before them without waiting. ANALYZE gives the planner
        // the new table sizes.
        let client = self.client().await?;
        client.batch_execute(register::FAMILY_LINKS).await.map_err(from_postgres)?;
        client.batch_execute("analyze families; analyze residents").await.map_err(from_postgres)
    }

    async fn insert_households(&self, households: Vec<Household>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        if self.inner.bulk_load.load(Ordering::SeqCst) {
            transaction.batch_execute("set local synchronous_commit = off").await.map_err(from_postgres)?;
        }
        register::insert_households(&transaction, &households).await?;
        commit(transaction).await
    }

    async fn clear_register(&self) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        transaction.batch_execute(biometrics::CLEAR).await.map_err(from_postgres)?;
        transaction.batch_execute("delete from residents; delete from families;").await.map_err(from_postgres)?;
        commit(transaction).await
    }

    async fn register_health(&self) -> Result<RegisterHealth, StoreError> {
        register::health(&self.client().await?).await
    }

    async fn installation_key(&self) -> Result<[u8; 32], StoreError> {
        audit::installation_key(&self.client().await?).await
    }

    async fn adopt_installation_key(&self, key: [u8; 32]) -> Result<(), StoreError> {
        audit::adopt_installation_key(&self.client().await?, key).await
    }

    async fn control_plane(&self) -> Result<ControlPlane, StoreError> {
        let mut client = self.client().await?;
        let transaction = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(from_postgres)?;
        let plane = control::load(&transaction).await?;
        commit(transaction).await?;
        Ok(plane)
    }

    async fn control_version(&self) -> Result<u64, StoreError> {
        control::version(&self.client().await?).await
    }

    async fn apply_control(&self, writes: Vec<ControlWrite>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        control::apply(&transaction, &writes).await?;
        commit(transaction).await
    }

    async fn accept_sam_counter(&self, sam: &str, counter: u64) -> Result<bool, StoreError> {
        let client = self.client().await?;
        let counter = i64::try_from(counter).unwrap_or(i64::MAX);
        let changed = client
            .execute(
                "insert into sam_counters (sam, last_counter) values ($1, $2)
                 on conflict (sam) do update set last_counter = excluded.last_counter
                 where excluded.last_counter > sam_counters.last_counter",
                &[&sam, &counter],
            )
            .await
            .map_err(from_postgres)?;
        Ok(changed == 1)
    }

    async fn sam_counters(&self) -> Result<Vec<(String, u64)>, StoreError> {
        control::sam_counters(&self.client().await?).await
    }

    async fn add_canary(&self, canary: Canary) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        alerts::add_canary(&transaction, &canary).await?;
        commit(transaction).await
    }

    async fn canaries(&self) -> Result<Vec<Canary>, StoreError> {
        alerts::canaries(&self.client().await?).await
    }

    async fn raise_alert(&self, sighting: Sighting) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        let id = alerts::raise(&transaction, &sighting).await?;
        commit(transaction).await?;
        Ok(id)
    }

    async fn alerts(&self, limit: u32) -> Result<Vec<Alert>, StoreError> {
        alerts::alerts(&self.client().await?, limit).await
    }

    async fn alert(&self, id: u64) -> Result<Option<Alert>, StoreError> {
        alerts::alert(&self.client().await?, id).await
    }

    async fn acknowledge_alert(&self, id: u64, by: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        alerts::acknowledge(&self.client().await?, id, by, at).await
    }

    async fn restore_alerts(&self, alerts: Vec<Alert>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        alerts::restore(&transaction, &alerts).await?;
        commit(transaction).await
    }

    async fn enrol_face(&self, enrolment: &FaceEnrolment) -> Result<(), StoreError> {
        biometrics::enrol_face(&self.client().await?, enrolment).await
    }

    async fn face(&self, nik: Nik) -> Result<Option<FaceEnrolment>, StoreError> {
        biometrics::face(&self.client().await?, nik).await
    }

    async fn face_embeddings(&self) -> Result<Vec<(Nik, Vec<u8>)>, StoreError> {
        biometrics::face_embeddings(&self.client().await?).await
    }

    async fn faces_after(&self, after: Option<Nik>, limit: u32) -> Result<Vec<FaceEnrolment>, StoreError> {
        biometrics::faces_after(&self.client().await?, after, limit).await
    }

    /// The old impressions are deleted and the new ones written in one
    /// transaction: readers see the finger before or after, never between.
    async fn enrol_fingerprints(&self, enrolment: &FingerprintEnrolment) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        biometrics::enrol_fingerprints(&transaction, enrolment).await?;
        commit(transaction).await
    }

    async fn fingerprint_enrolments(&self) -> Result<Vec<FingerprintEnrolment>, StoreError> {
        biometrics::fingerprint_enrolments(&self.client().await?).await
    }

    async fn biometric_counts(&self) -> Result<BiometricCounts, StoreError> {
        biometrics::counts(&self.client().await?).await
    }

    async fn quota_used(&self, user_id: &str, day: NaiveDate) -> Result<u32, StoreError> {
        quota::used(&self.client().await?, user_id, day).await
    }

    async fn charge_quota(&self, user_id: &str, day: NaiveDate, limit: u32) -> Result<Option<u32>, StoreError> {
        let key: charges::Key = (user_id.to_owned(), day);
        let (reply, answer) = tokio::sync::oneshot::channel();
        if self.inner.charges.push(&key, charges::Waiter { limit, reply }) {
            tokio::spawn(self.clone().flush_charges(key));
        }
        answer.await.map_err(|_| StoreError::Unavailable("penghitung kuota berhenti".into()))?
    }

    async fn refund_quota(&self, user_id: &str, day: NaiveDate) -> Result<(), StoreError> {
        quota::refund(&self.quota_client().await?, user_id, day).await
    }

    async fn audit_tail(&self) -> Result<Option<ChainLink>, StoreError> {
        audit::tail(&self.client().await?).await
    }

    async fn audit_anchor(&self) -> Result<Option<ChainLink>, StoreError> {
        audit::anchor(&self.client().await?).await
    }

    async fn remove_audit_before(&self, before: NaiveDate) -> Result<AuditRemoval, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        let removed = audit::remove_before(&transaction, before).await?;
        commit(transaction).await?;
        Ok(removed)
    }

    async fn adopt_audit_anchor(&self, anchor: ChainLink) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        audit::adopt_anchor(&transaction, anchor).await?;
        commit(transaction).await
    }

    async fn append_audit(&self, records: Vec<SealedRecord>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        audit::append(&transaction, &records).await?;
        commit(transaction).await
    }

    async fn record_audit(&self, records: Vec<AuditRecord>) -> Result<Vec<u64>, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        let seqs = audit::record(&transaction, records).await?;
        commit(transaction).await?;
        Ok(seqs)
    }

    async fn audit_page(&self, after: u64, limit: u32) -> Result<Vec<SealedRecord>, StoreError> {
        audit::page(&self.client().await?, after, limit).await
    }

    async fn audit_of_resident(&self, resident: ResidentKey) -> Result<Vec<SealedRecord>, StoreError> {
        audit::of_resident(&self.client().await?, resident).await
    }

    async fn put_resident_code(&self, code: ResidentCode) -> Result<(), StoreError> {
        resident_codes::put(&self.client().await?, &code).await
    }

    async fn resident_code(&self, resident: ResidentKey) -> Result<Option<ResidentCode>, StoreError> {
        resident_codes::get(&self.client().await?, resident).await
    }

    async fn settle_resident_code(&self, seen: ResidentCode, settled: ResidentCode) -> Result<bool, StoreError> {
        resident_codes::settle(&self.client().await?, &seen, &settled).await
    }

    async fn partner_had_outcome(
        &self,
        institution: &str,
        resident: ResidentKey,
        mechanism: Mechanism,
        outcome: &str,
    ) -> Result<bool, StoreError> {
        audit::had_outcome(&self.client().await?, institution, resident, mechanism, outcome).await
    }

    async fn audit_search(&self, search: AuditSearch) -> Result<Vec<SealedRecord>, StoreError> {
        oversight::search(&self.client().await?, &search).await
    }

    async fn audit_counts(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<AuditCount>, StoreError> {
        oversight::counts(&self.client().await?, institution, from, until).await
    }

    async fn file_cases(&self, cases: Vec<Case>) -> Result<Vec<u64>, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        let numbers = casework::file(&transaction, &cases).await?;
        commit(transaction).await?;
        Ok(numbers)
    }

    async fn case(&self, number: u64) -> Result<Option<Case>, StoreError> {
        casework::case(&self.client().await?, number).await
    }

    async fn record_case_step(&self, case: Case, seen_steps: usize) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        casework::record_step(&transaction, &case, seen_steps).await?;
        commit(transaction).await
    }

    async fn cases(&self, query: CaseQuery) -> Result<Vec<Case>, StoreError> {
        casework::cases(&self.client().await?, &query).await
    }

    async fn queue_notifications(
        &self,
        notifications: Vec<Notification>,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        let queued = casework::queue(&transaction, &notifications, at).await?;
        commit(transaction).await?;
        Ok(queued)
    }

    async fn undelivered_notifications(&self, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
        casework::undelivered(&self.client().await?, limit).await
    }

    async fn record_delivery(&self, id: u64, at: DateTime<Utc>, failure: Option<String>) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        casework::record_delivery(&transaction, id, at, failure.as_deref()).await?;
        commit(transaction).await
    }

    async fn notifications_after(&self, after: u64, limit: u32) -> Result<Vec<QueuedNotification>, StoreError> {
        casework::after(&self.client().await?, after, limit).await
    }

    async fn restore_casework(
        &self,
        cases: Vec<Case>,
        notifications: Vec<QueuedNotification>,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        casework::restore(&transaction, &cases, &notifications).await?;
        commit(transaction).await
    }

    async fn residents_accessed(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        reports::residents_accessed(&self.client().await?, institution, from, until).await
    }

    async fn save_semester_report(&self, report: SemesterReport) -> Result<(), StoreError> {
        reports::save(&self.client().await?, &report).await
    }

    async fn semester_report(
        &self,
        institution: &str,
        semester: Semester,
    ) -> Result<Option<SemesterReport>, StoreError> {
        reports::one(&self.client().await?, institution, semester).await
    }

    async fn semester_reports(
        &self,
        institution: Option<&str>,
        semester: Option<Semester>,
    ) -> Result<Vec<SemesterReport>, StoreError> {
        reports::list(&self.client().await?, institution, semester).await
    }
    async fn define_return_schema(&self, schema: ReturnSchema) -> Result<(), StoreError> {
        return_data::define_schema(&self.client().await?, &schema).await
    }

    async fn return_schemas(&self) -> Result<Vec<ReturnSchema>, StoreError> {
        return_data::schemas(&self.client().await?).await
    }

    async fn accessed_residents(
        &self,
        institution: &str,
        since: chrono::DateTime<chrono::Utc>,
        residents: Vec<ResidentKey>,
    ) -> Result<Vec<ResidentKey>, StoreError> {
        return_data::accessed(&self.client().await?, institution, since, &residents).await
    }

    async fn open_return_batch(&self, batch: ReturnBatch) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        return_data::open_batch(&transaction, &batch).await?;
        commit(transaction).await
    }

    async fn add_return_rows(&self, batch: &str, rows: Vec<ValidRow>) -> Result<Vec<bool>, StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        let stored = return_data::add_rows(&transaction, batch, &rows).await?;
        commit(transaction).await?;
        Ok(stored)
    }

    async fn commit_return_batch(&self, batch: &str, counts: BatchCounts) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        return_data::commit_batch(&transaction, batch, counts).await?;
        commit(transaction).await
    }

    async fn abort_return_batch(&self, batch: &str) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        let transaction = client.transaction().await.map_err(from_postgres)?;
        return_data::abort_batch(&transaction, batch).await?;
        commit(transaction).await
    }

    async fn return_rows_page(&self, batch: &str, after: u64, limit: u32) -> Result<Vec<ValidRow>, StoreError> {
        return_data::rows_page(&self.client().await?, batch, after, limit).await
    }

    async fn return_data_of(&self, nik: Nik) -> Result<Vec<StoredReturnRow>, StoreError> {
        return_data::of_resident(&self.client().await?, nik).await
    }

    async fn return_batches_of(&self, institution: &str) -> Result<Vec<ReturnBatch>, StoreError> {
        return_data::batches_of(&self.client().await?, institution).await
    }

    async fn residents_with_return_data(
        &self,
        institution: &str,
        from: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        return_data::residents_with_data(&self.client().await?, institution, from, until).await
    }
}

#[cfg(test)]
mod tests;

//! The application state every handler shares: storage, region names, the
//! injected clock, and the access plane — the in-memory control-plane
//! snapshot (kept fresh from storage), the verified-password cache and the
//! turns for checking new passwords, the NIK hasher, the audit sink and
//! the sentinel (canaries, detectors) — and the biometric engine.

use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use gerbang_core::access::secret::CredentialCache;
use gerbang_core::access::{ControlPlane, ControlWrite, ProviderKey};
use gerbang_core::audit::NikHasher;
use gerbang_core::{Clock, Regions};
use gerbang_intake::IntakeConfig;
use gerbang_store::{Store, StoreError};
use ipnet::IpNet;

use crate::audit_sink::AuditSink;
use crate::biometrics::BiometricEngine;
use crate::gate::{Caller, event_record};
use crate::metrics::Metrics;
use crate::password_checks::PasswordChecks;
use crate::sentinel::Sentinel;
use gerbang_core::access::lockout::{self, Lockouts};

/// How often a server looks for control-plane changes made elsewhere (the
/// CLI, another node). Termination therefore takes effect everywhere within
/// this bound.
pub const CONTROL_REFRESH: Duration = Duration::from_millis(500);

/// What every handler shares. Cloning is cheap.
#[derive(Clone)]
pub struct AppState {
    /// The storage backend.
    pub store: Arc<dyn Store>,
    /// Region names for element values.
    pub regions: &'static Regions,
    /// The injected clock: quota days and agreement validity follow it.
    pub clock: Arc<dyn Clock>,
    /// The access plane.
    pub access: Arc<AccessPlane>,
    /// Prometheus metrics.
    pub metrics: Arc<Metrics>,
    /// The return-data intake's limits and access window (SPEC.md §5).
    pub intake: Arc<IntakeConfig>,
    /// Face and fingerprint matching over the enrolled residents.
    pub biometrics: Arc<BiometricEngine>,
    /// The provider's RSA key that opens the sealed fields of the
    /// compatible face service (`None`: that service cannot open them).
    pub provider_key: Option<Arc<ProviderKey>>,
}

/// The access plane's live state.
pub struct AccessPlane {
    plane: RwLock<Arc<ControlPlane>>,
    version: AtomicU64,
    /// Passwords that already verified.
    pub credentials: CredentialCache,
    /// Turns for argon2id checks of passwords the cache does not know.
    pub password_checks: PasswordChecks,
    /// Failed passwords of a User ID from one address
    /// ([`gerbang_core::access::lockout::SERVICE`]).
    pub user_lockouts: Lockouts,
    /// Failed passwords from one address under any User ID
    /// ([`gerbang_core::access::lockout::SOURCE`]).
    pub source_lockouts: Lockouts,
    /// Keyed hashes of NIKs for the audit trail.
    pub hasher: NikHasher,
    /// The audit trail's group-commit writer.
    pub audit: AuditSink,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Canary residents and the detectors' windows; canaries are reloaded
    /// with the control plane.
    pub sentinel: Sentinel,
}

impl AppState {
    /// Loads the control plane and the installation key, and starts the
    /// audit writer and the control-plane refresher. Must run inside a tokio
    /// runtime.
    pub async fn open(
        store: Arc<dyn Store>,
        regions: &'static Regions,
        clock: Arc<dyn Clock>,
        trusted_proxies: Vec<IpNet>,
    ) -> Result<AppState, StoreError> {
        let version = store.control_version().await?;
        let plane = store.control_plane().await?;
        let hasher = NikHasher::new(store.installation_key().await?);
        let credentials = CredentialCache::new().map_err(|e| StoreError::Backend(e.to_string()))?;
        let sentinel = Sentinel::default();
        sentinel.load(&store.canaries().await?, &hasher);
        let access = Arc::new(AccessPlane {
            plane: RwLock::new(Arc::new(plane)),
            version: AtomicU64::new(version),
            credentials,
            password_checks: PasswordChecks::default(),
            user_lockouts: Lockouts::new(lockout::SERVICE),
            source_lockouts: Lockouts::new(lockout::SOURCE),
            hasher,
            audit: AuditSink::start(Arc::clone(&store))?,
            trusted_proxies,
            sentinel,
        });
        tokio::spawn(refresh(Arc::downgrade(&access), Arc::clone(&store)));
        Ok(AppState {
            store,
            regions,
            clock,
            access,
            metrics: Arc::new(Metrics::new()),
            intake: Arc::new(IntakeConfig::default()),
            biometrics: Arc::new(BiometricEngine::empty(None)),
            provider_key: None,
        })
    }

    /// The same state with the provider's RSA key for `CALL_FR`.
    pub fn with_provider_key(mut self, key: ProviderKey) -> Self {
        self.provider_key = Some(Arc::new(key));
        self
    }

    /// The same state with `engine` for the biometric mechanisms, kept
    /// current with enrolments made elsewhere while the state lives.
    pub fn with_biometrics(mut self, engine: BiometricEngine) -> Self {
        let engine = Arc::new(engine);
        tokio::spawn(BiometricEngine::follow(Arc::downgrade(&engine), Arc::clone(&self.store)));
        self.biometrics = engine;
        self
    }

    /// The same state with the deployment's return-data intake settings.
    pub fn with_intake(mut self, intake: IntakeConfig) -> Self {
        self.intake = Arc::new(intake);
        self
    }

    /// The current control-plane snapshot.
    pub fn plane(&self) -> Arc<ControlPlane> {
        self.access.snapshot()
    }

    /// Applies control-plane writes and takes the new snapshot at once.
    pub async fn apply_control(&self, writes: Vec<ControlWrite>) -> Result<(), StoreError> {
        self.store.apply_control(writes).await?;
        self.access.reload(self.store.as_ref()).await
    }

    /// An administrator's change of `institution` through `interface`
    /// (the v1 API, the console, a partner's administration pages):
    /// applies `writes`, then records `admin.{operation}` by
    /// `administrator` (a provider's or the partner's own administrator,
    /// whom `core` has already authorized) in the audit trail before the
    /// caller answers.
    pub async fn administer(
        &self,
        caller: &Caller,
        interface: &str,
        administrator: &str,
        institution: &str,
        operation: &str,
        writes: Vec<ControlWrite>,
    ) -> Result<(), StoreError> {
        self.apply_control(writes).await?;
        let record = event_record(
            caller,
            interface,
            Some(institution.to_owned()),
            Some(administrator.to_owned()),
            None,
            format!("admin.{operation}"),
        );
        self.access.audit.record(record).await.map(|_| ())
    }
}

impl AccessPlane {
    /// The current snapshot.
    pub fn snapshot(&self) -> Arc<ControlPlane> {
        match self.plane.read() {
            Ok(plane) => Arc::clone(&plane),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    async fn reload(&self, store: &dyn Store) -> Result<(), StoreError> {
        let version = store.control_version().await?;
        let plane = Arc::new(store.control_plane().await?);
        self.sentinel.load(&store.canaries().await?, &self.hasher);
        match self.plane.write() {
            Ok(mut slot) => *slot = plane,
            Err(poisoned) => *poisoned.into_inner() = plane,
        }
        self.version.store(version, Ordering::Release);
        Ok(())
    }

    /// Whether `address` is a trusted proxy.
    pub fn is_trusted_proxy(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.trusted_proxies.iter().any(|net| net.contains(&address))
    }
}

/// Reloads the snapshot whenever the stored version moves, until the state
/// is dropped.
async fn refresh(access: Weak<AccessPlane>, store: Arc<dyn Store>) {
    let mut ticker = tokio::time::interval(CONTROL_REFRESH);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        let Some(access) = access.upgrade() else { return };
        match store.control_version().await {
            Ok(version) if version != access.version.load(Ordering::Acquire) => {
                if let Err(error) = access.reload(store.as_ref()).await {
                    tracing::warn!(code = error.code(), %error, "gagal memuat ulang data kendali");
                } else {
                    tracing::info!(version, "data kendali dimuat ulang");
                }
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(code = error.code(), %error, "gagal membaca versi data kendali"),
        }
    }
}

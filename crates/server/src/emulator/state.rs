//! The server's shared state: the settings from the CLI, the store, the clock, the fault rules
//! and the request record, behind one cheap-to-clone handle.

use super::clock::Clock;
use super::faults::{FaultSet, RequestLog};
use super::log_gen;
use super::oidc::OAuthStore;
use super::seed::Seed;
use super::store::Store;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use tokio::sync::watch;

/// The id of the (first) emulated workspace: a 16-digit number, as real workspace ids are.
pub const DEFAULT_WORKSPACE_ID: &str = "1234567890123456";

/// Settings of one emulator instance (from the CLI).
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// A request without a token gets 401 (otherwise it acts as the admin).
    pub strict_auth: bool,
    /// Enable the `/__emulator/` control API (reset, time, faults, requests).
    pub control: bool,
    /// Start (and reset) with a frozen clock.
    pub freeze_time: bool,
    /// How long a config update runs before it finishes, in seconds.
    pub update_delay_secs: u64,
    /// The console's built files; `None` serves no static files.
    pub dist: Option<PathBuf>,
    /// `--log-lines N`: one endpoint's server logs have N lines (benchmarks).
    pub log_lines: Option<log_gen::LogLines>,
    /// Where this workspace is mounted: `""` (the root, one workspace) or `/w/{id}`
    /// (`demo --workspaces N`). URLs the emulator hands out (OIDC discovery, host metadata)
    /// start with it.
    pub base_path: String,
    /// The workspace id (`/.well-known/databricks-config`, `X-Databricks-Org-Id`).
    pub workspace_id: String,
    /// Lifetime of the OAuth access tokens `/oidc/v1/token` issues, seconds (on the emulated
    /// clock, so a frozen clock plus the control API's `time` can expire them in tests).
    pub token_ttl_secs: u64,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            strict_auth: false,
            control: false,
            freeze_time: false,
            update_delay_secs: 20,
            dist: None,
            log_lines: None,
            base_path: String::new(),
            workspace_id: DEFAULT_WORKSPACE_ID.to_string(),
            token_ttl_secs: 3600,
        }
    }
}

impl EmulatorConfig {
    /// The update delay in ms.
    pub fn update_delay_ms(&self) -> i64 {
        i64::try_from(self.update_delay_secs.saturating_mul(1000)).unwrap_or(i64::MAX)
    }
}

/// Shared state of the server; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: EmulatorConfig,
    seed: Seed,
    store: RwLock<Store>,
    clock: Mutex<Clock>,
    faults: Mutex<FaultSet>,
    requests: Mutex<RequestLog>,
    oauth: Mutex<OAuthStore>,
    shutdown: watch::Sender<bool>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl AppState {
    /// A new emulator from `seed`, with the clock real or frozen per `config.freeze_time`.
    pub fn new(config: EmulatorConfig, seed: Seed) -> Self {
        let clock = Clock::new(config.freeze_time);
        Self::with_clock(config, seed, clock)
    }

    /// A new emulator with an explicit clock (tests).
    pub fn with_clock(config: EmulatorConfig, seed: Seed, clock: Clock) -> Self {
        let store = seed.build(clock.now_ms(), config.update_delay_ms());
        let (shutdown, _) = watch::channel(false);
        AppState {
            inner: Arc::new(Inner {
                config,
                seed,
                store: RwLock::new(store),
                clock: Mutex::new(clock),
                faults: Mutex::new(FaultSet::default()),
                requests: Mutex::new(RequestLog::default()),
                oauth: Mutex::new(OAuthStore::default()),
                shutdown,
            }),
        }
    }

    /// The settings.
    pub fn config(&self) -> &EmulatorConfig {
        &self.inner.config
    }

    /// The emulated now (ms since the epoch).
    pub fn now_ms(&self) -> i64 {
        lock(&self.inner.clock).now_ms()
    }

    /// Change the clock (control API).
    pub fn with_clock_mut<R>(&self, f: impl FnOnce(&mut Clock) -> R) -> R {
        f(&mut lock(&self.inner.clock))
    }

    /// Apply every transition due now.
    pub fn advance(&self) {
        let now = self.now_ms();
        let due = self
            .inner
            .store
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_due(now);
        if due {
            self.inner
                .store
                .write()
                .unwrap_or_else(PoisonError::into_inner)
                .advance(now);
        }
    }

    /// The store, brought up to date with the clock first.
    pub fn store(&self) -> RwLockReadGuard<'_, Store> {
        self.advance();
        self.inner
            .store
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The store for a change, brought up to date with the clock first.
    pub fn store_mut(&self) -> RwLockWriteGuard<'_, Store> {
        let now = self.now_ms();
        let mut s = self
            .inner
            .store
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        s.advance(now);
        s
    }

    /// Fault rules.
    pub fn faults(&self) -> MutexGuard<'_, FaultSet> {
        lock(&self.inner.faults)
    }

    /// The record of requests received.
    pub fn requests(&self) -> MutexGuard<'_, RequestLog> {
        lock(&self.inner.requests)
    }

    /// OAuth codes and tokens issued by `/oidc/v1/…` (kept across a reset: a client holding a
    /// token keeps it, as it would when a real workspace's data changes).
    pub fn oauth(&self) -> MutexGuard<'_, OAuthStore> {
        lock(&self.inner.oauth)
    }

    /// Restore the seed, the clock (per `--freeze-time`), and clear faults and the request record.
    pub fn reset(&self) {
        let clock = Clock::new(self.inner.config.freeze_time);
        let store = self
            .inner
            .seed
            .build(clock.now_ms(), self.inner.config.update_delay_ms());
        *lock(&self.inner.clock) = clock;
        *self
            .inner
            .store
            .write()
            .unwrap_or_else(PoisonError::into_inner) = store;
        self.faults().clear();
        self.requests().clear();
    }

    /// Tell hanging requests to end (graceful shutdown).
    pub fn begin_shutdown(&self) {
        self.inner.shutdown.send_replace(true);
    }

    /// Resolves once [`AppState::begin_shutdown`] has been called.
    pub fn shutdown_signal(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.inner.shutdown.subscribe();
        async move {
            let _ = rx.wait_for(|v| *v).await;
        }
    }
}

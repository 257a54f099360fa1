//! Prometheus metrics, served at `/metrics`: calls by mechanism and outcome,
//! a latency histogram per mechanism, and quota rejections. Labels carry
//! only mechanism and outcome names, never users or residents.

use std::sync::Mutex;
use std::time::Duration;

use gerbang_core::access::Mechanism;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    mechanism: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MechanismLabel {
    mechanism: &'static str,
}

type LatencyFamily = Family<MechanismLabel, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 100 µs … ~3.3 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 16))
}

/// The server's metrics.
pub struct Metrics {
    registry: Mutex<Registry>,
    calls: Family<CallLabels, Counter>,
    latency: LatencyFamily,
    quota_rejections: Counter,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("gerbang");
        let calls = Family::<CallLabels, Counter>::default();
        let latency = LatencyFamily::new_with_constructor(latency_histogram);
        let quota_rejections = Counter::default();
        registry.register("calls", "Mechanism calls by mechanism and outcome", calls.clone());
        registry.register("call_latency_seconds", "Time to answer a mechanism call", latency.clone());
        registry.register(
            "quota_rejections",
            "Calls refused because the daily quota was used up",
            quota_rejections.clone(),
        );
        Metrics { registry: Mutex::new(registry), calls, latency, quota_rejections }
    }

    /// Counts one call.
    pub fn observe(&self, mechanism: Option<Mechanism>, outcome: &'static str, took: Duration) {
        let mechanism = mechanism.map_or("unknown", Mechanism::name);
        self.calls.get_or_create(&CallLabels { mechanism, outcome }).inc();
        self.latency.get_or_create(&MechanismLabel { mechanism }).observe(took.as_secs_f64());
        if outcome == "access.quota_exhausted" {
            self.quota_rejections.inc();
        }
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Ok(registry) = self.registry.lock() {
            let _ = encode(&mut out, &registry);
        }
        out
    }
}

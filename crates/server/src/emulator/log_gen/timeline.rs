//! What the generator knows of one served entity in one config version: its deployment's
//! start, end and outcome.

use crate::emulator::random::splitmix64;

/// How an entity's deployment ends, as far as its logs tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The image builds and the model server serves.
    Succeeds,
    /// The image build fails (dependency resolution), with this deployment message.
    BuildFails,
    /// The image builds but the model fails to load: a Python stack trace in the server log.
    ServerFails,
    /// Cancelled because a sibling entity of the same config version failed.
    Aborted,
}

/// Everything the generator needs about one served entity in one config version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// Endpoint name.
    pub endpoint: String,
    /// Served-entity name (`served_entities[].name`).
    pub entity: String,
    /// What it serves, e.g. `main.risk.fraud_xgb`.
    pub model: String,
    /// Model version, e.g. `7`.
    pub model_version: String,
    /// Config version the entity belongs to.
    pub config_version: i64,
    /// GPU workload (CUDA base image, torch wheels).
    pub gpu: bool,
    /// When the deployment of this config version began (ms).
    pub start_ms: i64,
    /// When it ended or will end: ready, or failed (ms).
    pub end_ms: i64,
    /// How it ends.
    pub outcome: Outcome,
    /// The endpoint was stopped at this instant (ms): the server log ends there.
    pub stopped_at: Option<i64>,
    /// An entity in `DEPLOYMENT_RECOVERING`: workers get OOM-killed now and then.
    pub recovering: bool,
}

impl Timeline {
    pub(super) fn seed(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self
            .endpoint
            .bytes()
            .chain([0u8])
            .chain(self.entity.bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        splitmix64(h ^ (self.config_version as u64).wrapping_mul(0x9e37_79b9))
    }

    /// End of the image build (the model server starts right after).
    pub(super) fn build_end(&self) -> i64 {
        let span = (self.end_ms - self.start_ms).max(0);
        match self.outcome {
            Outcome::BuildFails | Outcome::Aborted => self.end_ms,
            // The model server needs a few seconds to start before the deployment ends.
            Outcome::Succeeds | Outcome::ServerFails => self.end_ms - (span * 7 / 20).min(6_000),
        }
    }

    /// Two replica pod ids, `[5f8kq]`-style.
    pub(super) fn pods(&self) -> [String; 2] {
        let h = self.seed();
        [pod_id(h), pod_id(splitmix64(h))]
    }
}

fn pod_id(h: u64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..5)
        .map(|i| ALPHABET[((h >> (i * 7)) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

//! What the emulator starts from, and returns to on reset: the embedded default seed or
//! `--seed FILE` (format: [`super::seed_file`]), plus the scenarios `--generate N`,
//! `--schema-mb N` ([`super::schema_gen`]) and `--hostile` ([`super::hostile`]).

mod generated;
mod materialize;

pub use super::seed_file::SeedError;
pub use generated::{generated_endpoint, GENERATED_CREATORS};
pub use materialize::seed_record;

use super::seed_file::SeedFile;
use super::store::Store;
use materialize::newest_timestamp;
use std::path::Path;

/// The default seed, embedded at build time.
pub const DEFAULT_SEED_JSON: &str = include_str!("../../../seed/default.json");

/// What the emulator starts from (and returns to on reset): a seed file plus N generated endpoints.
#[derive(Debug, Clone, Default)]
pub struct Seed {
    pub file: SeedFile,
    pub generate: usize,
    /// A generated benchmark OpenAPI document (`--schema-mb`), served by `schema-bench`.
    pub schema_bench: super::schema_gen::BenchSchema,
    /// Add the hostile-input endpoints (`--hostile`).
    pub hostile: bool,
}

impl Seed {
    /// The embedded default seed.
    pub fn default_seed() -> Result<Seed, SeedError> {
        Self::parse(DEFAULT_SEED_JSON, "(embedded default seed)")
    }

    /// An empty seed (tests).
    pub fn empty() -> Seed {
        Seed::default()
    }

    /// Read and validate a seed file.
    pub fn from_path(path: &Path) -> Result<Seed, SeedError> {
        Ok(Seed {
            file: SeedFile::read(path)?,
            ..Default::default()
        })
    }

    /// Parse and validate seed JSON; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Seed, SeedError> {
        Ok(Seed {
            file: SeedFile::parse(text, origin)?,
            ..Default::default()
        })
    }

    /// Add the `schema-bench` endpoint with a generated OpenAPI document of about `mb` MB.
    pub fn with_schema_mb(mut self, mb: f64) -> Seed {
        self.schema_bench = super::schema_gen::BenchSchema(
            (mb > 0.0).then(|| std::sync::Arc::from(super::schema_gen::bench_document(mb))),
        );
        self
    }

    /// Add the hostile-input endpoints of [`super::hostile`].
    pub fn with_hostile(mut self, on: bool) -> Seed {
        self.hostile = on;
        self
    }

    /// The seed of the `k`-th workspace (0-based) of `demo --workspaces N`: the first keeps every
    /// seed endpoint, the `k`-th only every `(k+1)`-th one, so each workspace lists its own set.
    pub fn for_workspace(mut self, k: usize) -> Seed {
        if k > 0 {
            let step = k + 1;
            let mut i = 0;
            self.file.endpoints.retain(|_| {
                i += 1;
                (i - 1) % step == 0
            });
        }
        self
    }

    /// Add `n` generated endpoints.
    pub fn with_generated(mut self, n: usize) -> Seed {
        self.generate = n;
        self
    }

    /// Materialize the seed at `now_ms`; running updates end `update_delay_ms` later.
    pub fn build(&self, now_ms: i64, update_delay_ms: i64) -> Store {
        let mut store = Store::new();
        let shift = self.shift(now_ms);
        for se in &self.file.endpoints {
            let record = seed_record(se, shift, now_ms, update_delay_ms);
            if let Err(e) = store.insert(record) {
                tracing::warn!("seed: skipping an endpoint: {e}");
            }
        }
        if let Some(doc) = &self.schema_bench.0 {
            let se = super::schema_gen::bench_endpoint(doc.clone(), now_ms);
            if let Err(e) = store.insert(seed_record(&se, 0, now_ms, update_delay_ms)) {
                tracing::warn!("benchmark schema endpoint: {e}");
            }
        }
        if self.hostile {
            for se in super::hostile::seed_endpoints(now_ms) {
                if let Err(e) = store.insert(seed_record(&se, 0, now_ms, update_delay_ms)) {
                    tracing::warn!("hostile endpoints: skipping one: {e}");
                }
            }
        }
        for i in 0..self.generate {
            if let Err(e) = store.insert(generated_endpoint(i, now_ms, update_delay_ms)) {
                tracing::warn!("generated endpoints: skipping one: {e}");
            }
        }
        store
    }

    fn shift(&self, now_ms: i64) -> i64 {
        let reference = self
            .file
            .hints
            .as_ref()
            .and_then(|h| h.reference_time)
            .or_else(|| {
                self.file
                    .endpoints
                    .iter()
                    .filter_map(|e| newest_timestamp(&e.endpoint))
                    .max()
            });
        reference.map_or(0, |r| now_ms.saturating_sub(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seed_parses_and_builds() {
        let seed = Seed::default_seed();
        assert!(seed.is_ok(), "{:?}", seed.err().map(|e| e.to_string()));
        let store = seed
            .map(|s| s.build(1_800_000_000_000, 20_000))
            .unwrap_or_default();
        assert!(store.len() >= 12);
    }
}

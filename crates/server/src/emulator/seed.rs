//! Seeding: the embedded default seed, `--seed FILE`, and `--generate N`.
//!
//! # Seed file format
//!
//! ```json
//! {
//!   "_emulator": { "reference_time": 1755072000000 },
//!   "endpoints": [
//!     { …a ServingEndpointDetailed exactly as GET /api/2.0/serving-endpoints/{name} returns it…,
//!       "_emulator": {
//!         "acl": [ { "user_name": "alice.chen@contoso.com", "permission_level": "CAN_MANAGE" },
//!                  { "group_name": "users", "permission_level": "CAN_VIEW" } ],
//!         "fails": "Container image creation failed. Please see build logs for more information.",
//!         "transition_after_secs": 20,
//!         "signature": { "inputs": [ {"name": "amount", "type": "double"} ] }
//!       } }
//!   ]
//! }
//! ```
//!
//! - `_emulator` keys are emulator hints, never sent to clients; all are optional.
//! - Timestamps are made relative to the time of loading: every timestamp is shifted by
//!   `now - reference_time` (default `reference_time`: the largest timestamp in the file), so
//!   the newest event happens "now" and the rest keep their spacing.
//! - `acl`: the endpoint's direct grants (`user_name` | `group_name` | `service_principal_name`
//!   plus `permission_level`). Absent: the creator gets `CAN_MANAGE` (a UUID creator is taken
//!   as a service principal). The `admins` group always has `CAN_MANAGE` (inherited).
//! - An endpoint whose `state.config_update` is `IN_PROGRESS` (with a `pending_config`) finishes
//!   its update `transition_after_secs` (default `--update-delay-secs`) after loading: it succeeds,
//!   or, with `fails`, ends in `UPDATE_FAILED` with that message on the pending entities.
//! - `signature`: the MLflow signature of every served custom model; `signatures`: per
//!   served-entity name. Without either the endpoint has no OpenAPI document (see `signature.rs`).
//! - `start_fails`: every `config:start` of this (stopped) endpoint rolls out the new config
//!   version, then ends in `UPDATE_FAILED` with this message; the endpoint stays stopped.
//! - `logs`: `{"build": "…", "server": "…"}`, the logs of every served custom model as is
//!   (either may be absent: that log is generated as usual).
//! - `openapi`: the OpenAPI document (any JSON), answered as is while the endpoint is READY.
//! - `display_names`: `{"user or service principal name": "display name"}` for the
//!   Permissions API (default: known people, else derived from the e-mail, else the id).
//! - `--hostile` adds the endpoints of [`super::hostile`] (hostile text in every field).
//! - `permission_level` in the file is ignored (it is computed per caller); `*_plaintext`
//!   secrets of external models are dropped.

use super::principals::{principal_of_creator, SP_APPLICATION_ID};
use super::store::{EndpointRecord, Grant, Store};
use api_types::{
    is_valid_endpoint_name, AccessControlRequest, AiGatewayConfig, AiGatewayRateLimit,
    ConfigUpdateState, DeploymentState, EnabledFlag, EndpointCoreConfigOutput, EndpointState,
    EndpointTag, ExternalModel, InferenceTableConfig, PermissionLevel, Principal, ReadyState,
    Route, ServedEntityOutput, ServedModelState, ServingEndpointDetailed, TrafficConfig,
    WorkloadType,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The default seed, embedded at build time.
pub const DEFAULT_SEED_JSON: &str = include_str!("../../seed/default.json");

/// Emulator hints of a whole seed file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedFileHints {
    /// The instant (ms) that maps to "now" at load; default: the newest timestamp in the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_time: Option<i64>,
}

/// Emulator hints of one endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointHints {
    /// Direct grants; absent = the creator gets `CAN_MANAGE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acl: Option<Vec<AccessControlRequest>>,
    /// The running update ends in `UPDATE_FAILED` with this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fails: Option<String>,
    /// Seconds after loading when the running update ends (default `--update-delay-secs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition_after_secs: Option<u64>,
    /// The MLflow signature of every served custom model (see `signature.rs` for the form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<super::signature::Signature>,
    /// Signatures per served-entity name (override `signature`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures: Option<BTreeMap<String, super::signature::Signature>>,
    /// Every start (`config:start`) of this endpoint ends in `UPDATE_FAILED` with this message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_fails: Option<String>,
    /// The build and/or server logs of every served custom model, as is (not generated).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<LogTexts>,
    /// The OpenAPI document, answered as is (instead of one built from the signatures).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openapi: Option<serde_json::Value>,
    /// Display names of ACL principals, by user or service principal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_names: Option<BTreeMap<String, String>>,
}

/// Fixed log texts of an endpoint (`_emulator.logs`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogTexts {
    /// `…/build-logs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// `…/logs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
}

/// One endpoint of a seed file: the GET shape plus `_emulator` hints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedEndpoint {
    #[serde(flatten)]
    pub endpoint: ServingEndpointDetailed,
    #[serde(
        default,
        rename = "_emulator",
        skip_serializing_if = "is_default_hints"
    )]
    pub hints: EndpointHints,
}

fn is_default_hints(h: &EndpointHints) -> bool {
    *h == EndpointHints::default()
}

/// A seed file: `{"endpoints": [...]}` plus optional hints.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedFile {
    #[serde(default, rename = "_emulator", skip_serializing_if = "Option::is_none")]
    pub hints: Option<SeedFileHints>,
    #[serde(default)]
    pub endpoints: Vec<SeedEndpoint>,
}

/// Why a seed could not be loaded. The messages name the file.
#[derive(Debug)]
pub enum SeedError {
    Read {
        file: String,
        error: std::io::Error,
    },
    Parse {
        file: String,
        error: serde_json::Error,
    },
    Invalid {
        file: String,
        message: String,
    },
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SeedError::Read { file, error } => write!(f, "cannot read seed file {file}: {error}"),
            SeedError::Parse { file, error } => {
                write!(f, "seed file {file} is malformed: {error}")
            }
            SeedError::Invalid { file, message } => {
                write!(f, "seed file {file} is invalid: {message}")
            }
        }
    }
}

impl std::error::Error for SeedError {}

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
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| SeedError::Read {
            file: file.clone(),
            error,
        })?;
        Self::parse(&text, &file)
    }

    /// Parse and validate seed JSON; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Seed, SeedError> {
        let file: SeedFile = serde_json::from_str(text).map_err(|error| SeedError::Parse {
            file: origin.to_string(),
            error,
        })?;
        validate(&file).map_err(|message| SeedError::Invalid {
            file: origin.to_string(),
            message,
        })?;
        Ok(Seed {
            file,
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
            if let Err(e) = store.insert(super::schema_gen::bench_record(doc.clone(), now_ms)) {
                tracing::warn!("benchmark schema endpoint: {e}");
            }
        }
        if self.hostile {
            for record in super::hostile::records(now_ms, update_delay_ms) {
                if let Err(e) = store.insert(record) {
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

fn validate(file: &SeedFile) -> Result<(), String> {
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    for (i, se) in file.endpoints.iter().enumerate() {
        let name = &se.endpoint.name;
        if !is_valid_endpoint_name(name) {
            return Err(format!(
                "endpoints[{i}]: endpoint name '{name}' is invalid (must match ^[A-Za-z0-9_-]{{1,63}}$)"
            ));
        }
        if !names.insert(name.as_str()) {
            return Err(format!("endpoints[{i}]: duplicate endpoint name '{name}'"));
        }
        if let Some(id) = &se.endpoint.id {
            if !ids.insert(id.as_str()) {
                return Err(format!("endpoints[{i}] ('{name}'): duplicate id '{id}'"));
            }
        }
        for (j, entry) in se.hints.acl.iter().flatten().enumerate() {
            if entry.principal().is_none() {
                return Err(format!(
                    "endpoints[{i}] ('{name}'): _emulator.acl[{j}] must name exactly one of \
                     user_name, group_name, service_principal_name"
                ));
            }
            match &entry.permission_level {
                Some(l) if !l.is_unknown() => {}
                other => {
                    return Err(format!(
                        "endpoints[{i}] ('{name}'): _emulator.acl[{j}] has permission_level {:?}; \
                         expected CAN_MANAGE, CAN_QUERY or CAN_VIEW",
                        other.as_ref().map(|l| l.as_str())
                    ))
                }
            }
        }
    }
    Ok(())
}

/// The newest timestamp anywhere in an endpoint.
fn newest_timestamp(d: &ServingEndpointDetailed) -> Option<i64> {
    let mut ts: Vec<i64> = Vec::new();
    ts.extend(d.creation_timestamp);
    ts.extend(d.last_updated_timestamp);
    for c in d.config.iter().chain(d.pending_config.iter()) {
        ts.extend(c.start_time);
        ts.extend(
            c.served_entities
                .iter()
                .filter_map(|e| e.creation_timestamp),
        );
        ts.extend(c.served_models.iter().filter_map(|m| m.creation_timestamp));
    }
    ts.into_iter().max()
}

fn shift_timestamps(d: &mut ServingEndpointDetailed, shift: i64, now_ms: i64) {
    let f = |t: &mut Option<i64>| {
        if let Some(v) = t.as_mut() {
            *v = v.saturating_add(shift).min(now_ms);
        }
    };
    f(&mut d.creation_timestamp);
    f(&mut d.last_updated_timestamp);
    for c in d.config.iter_mut().chain(d.pending_config.iter_mut()) {
        f(&mut c.start_time);
        for e in &mut c.served_entities {
            f(&mut e.creation_timestamp);
        }
        for m in &mut c.served_models {
            f(&mut m.creation_timestamp);
        }
    }
}

fn strip_plaintext_secrets(d: &mut ServingEndpointDetailed) {
    for c in d.config.iter_mut().chain(d.pending_config.iter_mut()) {
        for e in &mut c.served_entities {
            if let Some(em) = e.external_model.as_mut() {
                for v in em.provider_config.values_mut() {
                    strip_plaintext(v);
                }
            }
        }
    }
}

fn strip_plaintext(v: &mut serde_json::Value) {
    if let serde_json::Value::Object(map) = v {
        map.retain(|k, _| !k.ends_with("_plaintext"));
        for inner in map.values_mut() {
            strip_plaintext(inner);
        }
    }
}

/// A 32-hex id derived from a name (for seed endpoints without an `id`).
pub fn id_from_name(name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!(
        "{:016x}{:016x}",
        splitmix64(h),
        splitmix64(h ^ 0x9e37_79b9_7f4a_7c15)
    )
}

pub(crate) fn seed_record(
    se: &SeedEndpoint,
    shift: i64,
    now_ms: i64,
    update_delay_ms: i64,
) -> EndpointRecord {
    let mut d = se.endpoint.clone();
    shift_timestamps(&mut d, shift, now_ms);
    strip_plaintext_secrets(&mut d);
    if d.id.is_none() {
        d.id = Some(id_from_name(&d.name));
    }
    let acl: Vec<Grant> = match &se.hints.acl {
        Some(entries) => entries
            .iter()
            .filter_map(|e| Some(Grant::new(e.principal()?, e.permission_level.clone()?)))
            .collect(),
        None => d
            .creator
            .as_deref()
            .map(|c| {
                vec![Grant::new(
                    principal_of_creator(c),
                    PermissionLevel::CanManage,
                )]
            })
            .unwrap_or_default(),
    };
    let in_progress =
        d.state.as_ref().and_then(|s| s.config_update()) == Some(&ConfigUpdateState::InProgress);
    let pending = d.pending_config.is_some();
    let mut record = EndpointRecord::new(d, acl);
    record.set_start_fails(se.hints.start_fails.clone());
    record.signatures = super::signature::Signatures {
        all: se.hints.signature.clone(),
        by_entity: se.hints.signatures.clone().unwrap_or_default(),
        document: se
            .hints
            .openapi
            .as_ref()
            .map(|doc| std::sync::Arc::from(doc.to_string())),
    };
    record.logs = se.hints.logs.clone().unwrap_or_default();
    record.display_names = se.hints.display_names.clone().unwrap_or_default();
    if in_progress && pending {
        let delay = se.hints.transition_after_secs.map_or(update_delay_ms, |s| {
            i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX)
        });
        record.schedule(now_ms.saturating_add(delay), se.hints.fails.clone());
    }
    record
}

// ---------------------------------------------------------------------------------------------
// Generated endpoints (`--generate N`): deterministic from the index.

/// SplitMix64: a tiny, good-enough mixer for deterministic variety.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

const DOMAINS: &[&str] = &[
    "churn",
    "fraud",
    "pricing",
    "ranking",
    "forecast",
    "sentiment",
    "ltv",
    "anomaly",
    "credit",
    "search",
    "ads-ctr",
    "inventory",
    "routing",
    "ocr",
    "translate",
    "triage",
];
const ALGOS: &[&str] = &[
    "xgb", "lgbm", "bert", "rf", "logreg", "mlp", "catboost", "prophet", "t5", "gbt",
];
const TEAMS: &[&str] = &[
    "risk-ml",
    "crm-ds",
    "commerce",
    "personalization",
    "supply",
    "nlp",
    "marketing-ds",
    "genai-platform",
];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const SIZES: &[&str] = &["Small", "Small", "Small", "Medium", "Large"];

/// About twenty creators, users and one service principal.
pub const GENERATED_CREATORS: &[&str] = &[
    "alice.chen@contoso.com",
    "bob.okafor@contoso.com",
    "carla.mendes@contoso.com",
    "dev.patel@contoso.com",
    "erin.walsh@contoso.com",
    "frank.li@contoso.com",
    "gina.rossi@contoso.com",
    "henry.adams@contoso.com",
    "ivan.petrov@contoso.com",
    "julia.santos@contoso.com",
    "kenji.tanaka@contoso.com",
    "lena.fischer@contoso.com",
    "marco.bianchi@contoso.com",
    "nadia.haddad@contoso.com",
    "oscar.nilsson@contoso.com",
    "priya.raman@contoso.com",
    "rahul.mehta@contoso.com",
    "sara.kim@contoso.com",
    "svc-mlops@contoso.com",
    SP_APPLICATION_ID,
];

fn pick<'a>(list: &[&'a str], h: u64) -> &'a str {
    list[(h % list.len() as u64) as usize]
}

fn route(name: &str, pct: i64) -> Route {
    Route {
        served_entity_name: Some(name.to_string()),
        served_model_name: Some(name.to_string()),
        traffic_percentage: pct,
    }
}

fn state(ready: ReadyState, update: ConfigUpdateState) -> Option<EndpointState> {
    Some(EndpointState {
        ready: Some(ready),
        config_update: Some(update),
        ..Default::default()
    })
}

fn deployment(dep: DeploymentState, message: &str) -> Option<ServedModelState> {
    Some(ServedModelState {
        deployment: Some(dep),
        deployment_state_message: Some(message.to_string()),
    })
}

/// The `i`-th generated endpoint (deterministic), materialized at `now_ms`.
pub fn generated_endpoint(i: usize, now_ms: i64, update_delay_ms: i64) -> EndpointRecord {
    const DAY: i64 = 86_400_000;
    let idx = i as u64;
    let h = splitmix64(idx ^ 0x5eed_0000_0000_0000);
    let h2 = splitmix64(h);
    let domain = pick(DOMAINS, h);
    let algo = pick(ALGOS, h >> 8);
    let name = format!("gen-{i:05}-{domain}-{algo}");
    let creator = pick(GENERATED_CREATORS, h >> 16).to_string();
    let kind = (h >> 24) % 10; // 0: external model, 1: agent, else custom model
    let variant = (h >> 32) % 20;
    let version = 1 + ((h >> 40) % 30) as i64;
    let created =
        now_ms - (1 + ((h2 >> 4) % 400) as i64) * DAY - ((h2 >> 20) % 86_400) as i64 * 1000;
    let updated = (created + ((h2 >> 32) % 30) as i64 * DAY).min(now_ms - 60_000);
    let team = pick(TEAMS, h2 >> 44);
    let env = pick(ENVS, h2 >> 50);

    let mut tags = vec![
        EndpointTag {
            key: "team".into(),
            value: Some(team.into()),
        },
        EndpointTag {
            key: "env".into(),
            value: Some(env.into()),
        },
    ];
    if h2.is_multiple_of(5) {
        tags.push(EndpointTag {
            key: "pii".into(),
            value: None,
        });
    }
    if h2.is_multiple_of(7) {
        tags.push(EndpointTag {
            key: "cost-center".into(),
            value: Some(format!("cc-{}", 1000 + h2 % 9000)),
        });
    }

    let entity_base = format!("{}_{}", domain.replace('-', "_"), algo);
    let custom_entity = |v: i64, dep: DeploymentState, msg: &str, ts: i64| ServedEntityOutput {
        name: format!("{entity_base}-{v}"),
        entity_name: Some(format!("main.{}.{entity_base}", team.replace('-', "_"))),
        entity_version: Some(v.to_string()),
        workload_size: Some(pick(SIZES, h2 >> 12).to_string()),
        workload_type: Some(if algo == "bert" || algo == "t5" {
            WorkloadType::GpuSmall
        } else {
            WorkloadType::Cpu
        }),
        scale_to_zero_enabled: Some(h2.is_multiple_of(3)),
        state: deployment(dep, msg),
        creator: Some(creator.clone()),
        creation_timestamp: Some(ts),
        ..Default::default()
    };
    let single = |e: ServedEntityOutput, cv: i64, start: Option<i64>| {
        let routes = vec![route(&e.name, 100)];
        EndpointCoreConfigOutput {
            start_time: start,
            served_entities: vec![e],
            traffic_config: Some(TrafficConfig { routes }),
            config_version: Some(cv),
            ..Default::default()
        }
    };

    let mut d = ServingEndpointDetailed {
        name: name.clone(),
        id: Some(format!(
            "{:016x}{:016x}",
            splitmix64(h ^ 0x1d),
            splitmix64(h2 ^ 0x2e)
        )),
        creator: Some(creator.clone()),
        creation_timestamp: Some(created),
        last_updated_timestamp: Some(updated),
        description: Some(if h2.is_multiple_of(4) {
            String::new()
        } else {
            format!("Generated {domain} model ({algo}).")
        }),
        tags,
        route_optimized: Some(kind > 1 && h2.is_multiple_of(23)),
        ..Default::default()
    };
    let mut script: Option<(i64, Option<String>)> = None;
    let ready_msg = "";
    let failed_msg = "Container image creation failed. Please see build logs for more information.";

    if kind == 0 {
        // External model, always ready.
        let provider = if h2.is_multiple_of(2) {
            "openai"
        } else {
            "anthropic"
        };
        let model = if provider == "openai" {
            "gpt-4o-mini"
        } else {
            "claude-haiku-4-5"
        };
        let mut cfg = BTreeMap::new();
        cfg.insert(
            format!("{provider}_config"),
            serde_json::json!({ format!("{provider}_api_key"): format!("{{{{secrets/{team}/{provider}-key}}}}") }),
        );
        let e = ServedEntityOutput {
            name: model.to_string(),
            entity_type: Some(api_types::EntityType::ExternalModel),
            external_model: Some(ExternalModel {
                name: Some(model.to_string()),
                provider: Some(provider.to_string()),
                task: Some("llm/v1/chat".into()),
                provider_config: cfg,
            }),
            creator: Some(creator.clone()),
            creation_timestamp: Some(created),
            ..Default::default()
        };
        d.task = Some("llm/v1/chat".into());
        d.state = state(ReadyState::Ready, ConfigUpdateState::NotUpdating);
        d.config = Some(single(e, 1 + (version % 4), None));
        d.ai_gateway = Some(AiGatewayConfig {
            usage_tracking_config: Some(EnabledFlag {
                enabled: Some(true),
            }),
            rate_limits: vec![AiGatewayRateLimit {
                calls: Some(10 * (1 + (h2 % 20) as i64)),
                key: Some("user".into()),
                renewal_period: Some("minute".into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        d.endpoint_type = Some("EXTERNAL_MODEL".into());
    } else {
        if kind == 1 {
            d.task = Some("agent/v1/responses".into());
            d.ai_gateway = Some(AiGatewayConfig {
                inference_table_config: Some(InferenceTableConfig {
                    catalog_name: Some("main".into()),
                    schema_name: Some("agents".into()),
                    table_name_prefix: Some(name.replace('-', "_")),
                    enabled: Some(true),
                }),
                ..Default::default()
            });
        }
        let old = custom_entity(version, DeploymentState::Ready, ready_msg, updated);
        let start = now_ms - ((h2 >> 8) % 600) as i64 * 1000;
        let new = |dep, msg: &str| custom_entity(version + 1, dep, msg, start);
        match variant {
            // Ready (Updating), succeeds or fails later.
            14 => {
                d.state = state(ReadyState::Ready, ConfigUpdateState::InProgress);
                d.config = Some(single(old, version, None));
                d.pending_config = Some(single(
                    new(DeploymentState::Creating, "Creating"),
                    version + 1,
                    Some(start),
                ));
                script = Some((
                    now_ms + update_delay_ms,
                    (h2.is_multiple_of(4)).then(|| failed_msg.to_string()),
                ));
            }
            // Ready (Update failed).
            15 => {
                d.state = state(ReadyState::Ready, ConfigUpdateState::UpdateFailed);
                d.config = Some(single(old, version, None));
                d.pending_config = Some(single(
                    new(DeploymentState::Failed, failed_msg),
                    version + 1,
                    Some(start),
                ));
            }
            // Not ready (Updating): first deployment.
            16 => {
                d.state = state(ReadyState::NotReady, ConfigUpdateState::InProgress);
                let e = custom_entity(1, DeploymentState::Creating, "Creating", start);
                d.pending_config = Some(single(e, 1, Some(start)));
                d.creation_timestamp = Some(start);
                d.last_updated_timestamp = Some(start);
                script = Some((
                    now_ms + update_delay_ms,
                    (h2.is_multiple_of(3)).then(|| failed_msg.to_string()),
                ));
            }
            // Not ready (Update failed): first deployment failed.
            17 => {
                d.state = state(ReadyState::NotReady, ConfigUpdateState::UpdateFailed);
                let e = custom_entity(
                    1,
                    DeploymentState::Failed,
                    "Served model failed to start. Model loading raised an exception. Please see service logs for more information.",
                    updated,
                );
                d.pending_config = Some(single(e, 1, Some(updated)));
            }
            // Not ready (Stopped).
            18 if !d.route_optimized.unwrap_or(false) => {
                d.state = state(ReadyState::NotReady, ConfigUpdateState::NotUpdating);
                d.config = Some(single(
                    custom_entity(
                        version,
                        DeploymentState::Stopped,
                        "Served entity is stopped.",
                        updated,
                    ),
                    version,
                    None,
                ));
            }
            // Ready with a champion/challenger split.
            19 => {
                d.state = state(ReadyState::Ready, ConfigUpdateState::NotUpdating);
                let a = custom_entity(version, DeploymentState::Ready, ready_msg, updated);
                let b = custom_entity(version + 1, DeploymentState::Ready, ready_msg, updated);
                let routes = vec![route(&a.name, 90), route(&b.name, 10)];
                d.config = Some(EndpointCoreConfigOutput {
                    served_entities: vec![a, b],
                    traffic_config: Some(TrafficConfig { routes }),
                    config_version: Some(version + 1),
                    ..Default::default()
                });
            }
            _ => {
                d.state = state(ReadyState::Ready, ConfigUpdateState::NotUpdating);
                d.config = Some(single(old, version, None));
            }
        }
    }

    let mut acl = vec![Grant::new(
        principal_of_creator(&creator),
        PermissionLevel::CanManage,
    )];
    if i.is_multiple_of(3) {
        acl.push(Grant::new(
            Principal::Group("users".into()),
            PermissionLevel::CanView,
        ));
    }
    if i % 4 == 1 {
        acl.push(Grant::new(
            Principal::User("quinn.query@contoso.com".into()),
            PermissionLevel::CanQuery,
        ));
    }
    if i % 5 == 2 {
        acl.push(Grant::new(
            Principal::User("vera.view@contoso.com".into()),
            PermissionLevel::CanView,
        ));
    }
    if i % 7 == 3 {
        acl.push(Grant::new(
            Principal::Group("data-science".into()),
            PermissionLevel::CanQuery,
        ));
    }
    let mut record = EndpointRecord::new(d, acl);
    if kind != 0 {
        record.signatures.all = Some(super::signature::generated_signature(h2));
    }
    if let Some((at, fails)) = script {
        record.schedule(at, fails);
    }
    record
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

    #[test]
    fn generation_is_deterministic_and_valid() {
        for i in [0usize, 1, 7, 42, 99_999, 123_456] {
            let a = generated_endpoint(i, 1_800_000_000_000, 20_000);
            let b = generated_endpoint(i, 1_800_000_000_000, 20_000);
            assert_eq!(a.detailed(), b.detailed());
            assert!(is_valid_endpoint_name(a.name()), "{}", a.name());
        }
    }

    #[test]
    fn id_from_name_is_32_hex() {
        let id = id_from_name("x");
        assert_eq!(id.len(), 32);
        assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    }
}

//! Generated endpoints (`--generate N`): deterministic from the index, with mixed states,
//! ~20 creators, tasks and tags, and the mix fleet operations look at (issue #18): external
//! models and agents, custom models on CPU or GPU (BERT/T5 ones), scale to zero on for about
//! a third, and about 3 in 10 custom-model endpoints idle (their `/metrics` show 0 requests).

use crate::emulator::principals::{principal_of_creator, SP_APPLICATION_ID};
use crate::emulator::random::splitmix64;
use crate::emulator::signature::generated_signature;
use crate::emulator::store::{EndpointRecord, Grant};
use api_types::{
    AiGatewayConfig, AiGatewayRateLimit, ConfigUpdateState, DeploymentState, EnabledFlag,
    EndpointCoreConfigOutput, EndpointState, EndpointTag, ExternalModel, InferenceTableConfig,
    PermissionLevel, Principal, ReadyState, Route, ServedEntityOutput, ServedModelState,
    ServingEndpointDetailed, TrafficConfig, WorkloadType,
};
use std::collections::BTreeMap;

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

/// Is the generated endpoint of hash `h2` idle (no requests)? 3 in 10.
fn is_idle(h2: u64) -> bool {
    (h2 >> 56) % 10 < 3
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
    // About 3 in 10 custom-model endpoints are idle: provisioned, queried by nobody (with
    // scale to zero off, the "idle and costing" ones of the idle view, GPU ones included).
    record.idle = kind != 0 && is_idle(h2);
    if kind != 0 {
        record.signatures.all = Some(generated_signature(h2));
    }
    if let Some((at, fails)) = script {
        record.schedule(at, fails);
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::is_valid_endpoint_name;

    #[test]
    fn generation_is_deterministic_and_valid() {
        for i in [0usize, 1, 7, 42, 99_999, 123_456] {
            let a = generated_endpoint(i, 1_800_000_000_000, 20_000);
            let b = generated_endpoint(i, 1_800_000_000_000, 20_000);
            assert_eq!(a.detailed(), b.detailed());
            assert!(is_valid_endpoint_name(a.name()), "{}", a.name());
        }
    }
}

//! Benchmark schemas (`serving-console demo --schema-mb N`): an extra READY endpoint,
//! [`BENCH_ENDPOINT`], whose OpenAPI document is generated to about N MB in the documented
//! shape, scaled up (budgets.md P7): several served models, each taking thousands of columns
//! (`dataframe_split` with `prefixItems`, `dataframe_records`), plus thousands of component
//! schemas referenced with `$ref` — chains 40 deep, cycles back to the head of each chain,
//! `oneOf`/`allOf` of references, and one 200-way `oneOf`.

use super::ordered_json::{write_str, J};
use super::random::id_from_name;
use super::seed_file::{EndpointHints, OpenApiText, SeedEndpoint};
use api_types::{
    AccessControlRequest, ConfigUpdateState, DeploymentState, EndpointCoreConfigOutput,
    EndpointState, PermissionLevel, ReadyState, Route, ServedEntityOutput, ServedModelState,
    ServingEndpointDetailed, TrafficConfig,
};
use std::fmt::Write as _;
use std::sync::Arc;

/// The name of the benchmark endpoint.
pub const BENCH_ENDPOINT: &str = "schema-bench";
/// Served models of the benchmark endpoint.
pub const MODELS: usize = 4;
/// Columns each served model takes.
pub const COLUMNS: usize = 2_000;
/// Length of each `$ref` chain (the nesting depth through references).
pub const CHAIN: usize = 40;

/// A generated document (kept once, shared by every reset).
#[derive(Clone, Default)]
pub struct BenchSchema(pub Option<Arc<str>>);

impl std::fmt::Debug for BenchSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(d) => write!(f, "BenchSchema({} bytes)", d.len()),
            None => write!(f, "BenchSchema(none)"),
        }
    }
}

const TYPES: [(&str, Option<&str>); 8] = [
    ("integer", Some("int64")),
    ("number", Some("double")),
    ("string", None),
    ("boolean", None),
    ("integer", Some("int32")),
    ("number", Some("float")),
    ("string", Some("date-time")),
    ("string", Some("byte")),
];

fn column_schema(c: usize) -> J {
    let (t, f) = TYPES[c % TYPES.len()];
    let mut o = J::obj([("type", J::s(t))]);
    if let Some(f) = f {
        o.push("format", J::s(f));
    }
    o
}

fn column(c: usize) -> String {
    format!("feature_{c:05}")
}

fn reference(i: usize) -> J {
    J::obj([("$ref", J::s(format!("#/components/schemas/Comp{i}")))])
}

fn component(i: usize, k: usize) -> J {
    let mut props = vec![
        (
            "id".to_string(),
            J::obj([
                ("type", J::s("integer")),
                ("format", J::s("int64")),
                ("minimum", J::Int(0)),
            ]),
        ),
        (
            "name".to_string(),
            J::obj([
                ("type", J::s("string")),
                ("maxLength", J::Int(64)),
                ("description", J::s(format!("Display name of entity {i}."))),
            ]),
        ),
        (
            "score".to_string(),
            J::obj([("type", J::s("number")), ("format", J::s("double"))]),
        ),
        (
            "kind".to_string(),
            J::obj([
                ("type", J::s("string")),
                (
                    "enum",
                    J::Arr(vec![
                        J::s("alpha"),
                        J::s("beta"),
                        J::s("gamma"),
                        J::s("delta"),
                    ]),
                ),
            ]),
        ),
        (
            "tags".to_string(),
            J::obj([
                ("type", J::s("array")),
                ("items", J::obj([("type", J::s("string"))])),
            ]),
        ),
        (
            "matrix".to_string(),
            J::obj([
                ("type", J::s("array")),
                (
                    "prefixItems",
                    J::Arr(vec![column_schema(0), column_schema(1), column_schema(2)]),
                ),
            ]),
        ),
        (
            "meta".to_string(),
            J::obj([
                ("type", J::s("object")),
                ("additionalProperties", J::obj([("type", J::s("string"))])),
            ]),
        ),
    ];
    // Chains CHAIN deep, each link pointing back at the chain's head (a cycle).
    if i % CHAIN != CHAIN - 1 && i + 1 < k {
        props.push(("next".to_string(), reference(i + 1)));
    }
    props.push(("head".to_string(), reference(i - i % CHAIN)));
    props.push((
        "choice".to_string(),
        J::obj([(
            "oneOf",
            J::Arr(vec![
                reference((i * 7 + 3) % k),
                reference((i * 13 + 5) % k),
                J::obj([("type", J::s("null"))]),
            ]),
        )]),
    ));
    props.push((
        "mixin".to_string(),
        J::obj([(
            "allOf",
            J::Arr(vec![
                reference((i * 31 + 11) % k),
                J::obj([
                    ("type", J::s("object")),
                    (
                        "properties",
                        J::obj([("extra", J::obj([("type", J::s("boolean"))]))]),
                    ),
                ]),
            ]),
        )]),
    ));
    J::obj([
        ("type", J::s("object")),
        ("title", J::s(format!("Component {i}"))),
        (
            "description",
            J::s(format!(
                "Generated component {i} of {k}: links to Comp{} and back to the head of its chain.",
                i + 1
            )),
        ),
        ("required", J::Arr(vec![J::s("id"), J::s("name")])),
        ("properties", J::Obj(props)),
    ])
}

fn operation(m: usize, k: usize) -> J {
    let names: Vec<J> = (0..COLUMNS).map(|c| J::s(column(c + m))).collect();
    let split = J::obj([
        ("type", J::s("object")),
        (
            "properties",
            J::obj([
                (
                    "dataframe_split",
                    J::obj([
                        ("type", J::s("object")),
                        (
                            "properties",
                            J::obj([
                                (
                                    "columns",
                                    J::obj([
                                        (
                                            "description",
                                            J::s(format!("required fields: {}", column(m))),
                                        ),
                                        ("type", J::s("array")),
                                        (
                                            "items",
                                            J::obj([
                                                ("type", J::s("string")),
                                                ("enum", J::Arr(names)),
                                            ]),
                                        ),
                                    ]),
                                ),
                                (
                                    "data",
                                    J::obj([
                                        ("type", J::s("array")),
                                        (
                                            "items",
                                            J::obj([
                                                ("type", J::s("array")),
                                                (
                                                    "prefixItems",
                                                    J::Arr(
                                                        (0..COLUMNS).map(column_schema).collect(),
                                                    ),
                                                ),
                                            ]),
                                        ),
                                    ]),
                                ),
                            ]),
                        ),
                    ]),
                ),
                (
                    "params",
                    J::obj([
                        ("type", J::s("object")),
                        (
                            "properties",
                            J::obj([(
                                "threshold",
                                J::obj([
                                    ("type", J::s("number")),
                                    ("format", J::s("double")),
                                    ("default", J::s("0.5")),
                                ]),
                            )]),
                        ),
                    ]),
                ),
            ]),
        ),
    ]);
    let record_props: Vec<(String, J)> = (0..COLUMNS)
        .map(|c| {
            let schema = if c % 50 == 49 {
                reference((c * 3 + m) % k)
            } else {
                column_schema(c)
            };
            (column(c + m), schema)
        })
        .collect();
    let records = J::obj([
        ("type", J::s("object")),
        (
            "properties",
            J::obj([(
                "dataframe_records",
                J::obj([
                    ("type", J::s("array")),
                    (
                        "items",
                        J::obj([
                            ("required", J::Arr(vec![J::s(column(m))])),
                            ("type", J::s("object")),
                            ("properties", J::Obj(record_props)),
                        ]),
                    ),
                ]),
            )]),
        ),
    ]);
    let instances = J::obj([
        ("type", J::s("object")),
        (
            "properties",
            J::obj([(
                "instances",
                J::obj([("type", J::s("array")), ("items", reference(m % k))]),
            )]),
        ),
    ]);
    let inputs = J::obj([
        ("type", J::s("object")),
        (
            "properties",
            J::obj([(
                "inputs",
                J::obj([("$ref", J::s("#/components/schemas/Choice200"))]),
            )]),
        ),
    ]);
    J::obj([(
        "post",
        J::obj([
            (
                "requestBody",
                J::obj([(
                    "content",
                    J::obj([(
                        "application/json",
                        J::obj([(
                            "schema",
                            J::obj([("oneOf", J::Arr(vec![split, records, instances, inputs]))]),
                        )]),
                    )]),
                )]),
            ),
            (
                "responses",
                J::obj([(
                    "200",
                    J::obj([
                        ("description", J::s("Successful operation")),
                        (
                            "content",
                            J::obj([(
                                "application/json",
                                J::obj([(
                                    "schema",
                                    J::obj([
                                        ("type", J::s("object")),
                                        (
                                            "properties",
                                            J::obj([(
                                                "predictions",
                                                J::obj([
                                                    ("type", J::s("array")),
                                                    ("items", reference((m * 97) % k)),
                                                ]),
                                            )]),
                                        ),
                                    ]),
                                )]),
                            )]),
                        ),
                    ]),
                )]),
            ),
        ]),
    )])
}

/// A document of about `mb` megabytes (at least the served models and 50 components).
pub fn bench_document(mb: f64) -> String {
    let target = (mb.max(0.0) * 1_000_000.0) as usize;
    // Size the component count from the fixed part and one component.
    let k_probe = 5_000;
    let fixed: usize = (0..MODELS)
        .map(|m| operation(m, k_probe).to_json().len())
        .sum();
    let per = component(k_probe / 2, k_probe).to_json().len() + 14;
    let k = (target.saturating_sub(fixed + 4_000) / per).max(50);
    let mut out = String::with_capacity(target + 64_000);
    out.push_str("{\"openapi\":\"3.1.0\",\"info\":{\"title\":");
    write_str(&mut out, BENCH_ENDPOINT);
    let _ = write!(
        out,
        ",\"version\":\"1\",\"description\":\"Benchmark document: {MODELS} served models × {COLUMNS} columns, {k} component schemas.\"}},\"servers\":[{{\"url\":\"https://example.cloud.databricks.com/serving-endpoints/{BENCH_ENDPOINT}\"}}],\"paths\":{{"
    );
    for m in 0..MODELS {
        if m > 0 {
            out.push(',');
        }
        write_str(
            &mut out,
            &format!("/served-models/{}/invocations", entity(m)),
        );
        out.push(':');
        operation(m, k).write(&mut out);
    }
    out.push_str("},\"components\":{\"schemas\":{\"Choice200\":");
    J::obj([(
        "oneOf",
        J::Arr((0..200).map(|i| reference((i * 17) % k)).collect()),
    )])
    .write(&mut out);
    for i in 0..k {
        let _ = write!(out, ",\"Comp{i}\":");
        component(i, k).write(&mut out);
    }
    out.push_str("}}}");
    out
}

fn entity(m: usize) -> String {
    format!("bench_model-{}", m + 1)
}

/// The READY endpoint serving the benchmark document (admin and the `users` group can view;
/// the query user can query), as a seed endpoint.
pub fn bench_endpoint(document: Arc<str>, now_ms: i64) -> SeedEndpoint {
    let entities: Vec<ServedEntityOutput> = (0..MODELS)
        .map(|m| ServedEntityOutput {
            name: entity(m),
            entity_name: Some("main.bench.wide_model".into()),
            entity_version: Some((m + 1).to_string()),
            workload_size: Some("Small".into()),
            scale_to_zero_enabled: Some(true),
            state: Some(ServedModelState {
                deployment: Some(DeploymentState::Ready),
                deployment_state_message: Some(String::new()),
            }),
            creator: Some("admin@example.com".into()),
            creation_timestamp: Some(now_ms - 86_400_000),
            ..Default::default()
        })
        .collect();
    let routes = entities
        .iter()
        .map(|e| Route {
            served_entity_name: Some(e.name.clone()),
            served_model_name: Some(e.name.clone()),
            traffic_percentage: 25,
        })
        .collect();
    let d = ServingEndpointDetailed {
        name: BENCH_ENDPOINT.into(),
        creator: Some("admin@example.com".into()),
        creation_timestamp: Some(now_ms - 86_400_000),
        last_updated_timestamp: Some(now_ms - 3_600_000),
        description: Some("Generated benchmark schema (--schema-mb).".into()),
        state: Some(EndpointState {
            ready: Some(ReadyState::Ready),
            config_update: Some(ConfigUpdateState::NotUpdating),
            ..Default::default()
        }),
        config: Some(EndpointCoreConfigOutput {
            served_entities: entities,
            traffic_config: Some(TrafficConfig { routes }),
            config_version: Some(1),
            ..Default::default()
        }),
        id: Some(id_from_name(BENCH_ENDPOINT)),
        ..Default::default()
    };
    let grant = |level: PermissionLevel| AccessControlRequest {
        permission_level: Some(level),
        ..Default::default()
    };
    SeedEndpoint {
        endpoint: d,
        hints: EndpointHints {
            acl: Some(vec![
                AccessControlRequest {
                    group_name: Some("users".into()),
                    ..grant(PermissionLevel::CanView)
                },
                AccessControlRequest {
                    user_name: Some("quinn.query@contoso.com".into()),
                    ..grant(PermissionLevel::CanQuery)
                },
            ]),
            openapi: Some(OpenApiText(document)),
            ..Default::default()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_shape_and_references() {
        let doc = bench_document(2.0);
        assert!((1_700_000..2_400_000).contains(&doc.len()), "{}", doc.len());
        let v: serde_json::Value = serde_json::from_str(&doc).unwrap_or_default();
        let paths = v["paths"].as_object().map(|p| p.len());
        assert_eq!(paths, Some(MODELS));
        let comps = v["components"]["schemas"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert!(comps.len() > 100, "{}", comps.len());
        // Every local $ref points at a component that exists.
        let mut refs = 0;
        let mut stack = vec![&v];
        while let Some(x) = stack.pop() {
            match x {
                serde_json::Value::Object(m) => {
                    if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                        let name = r.trim_start_matches("#/components/schemas/");
                        assert!(comps.contains_key(name), "{r}");
                        refs += 1;
                    }
                    stack.extend(m.values());
                }
                serde_json::Value::Array(a) => stack.extend(a.iter()),
                _ => {}
            }
        }
        assert!(refs > 1000, "{refs}");
        assert_eq!(
            v["components"]["schemas"]["Choice200"]["oneOf"]
                .as_array()
                .map(Vec::len),
            Some(200)
        );
        // A chain head is referenced from inside its own chain: a cycle.
        assert_eq!(
            comps["Comp5"]["properties"]["head"]["$ref"],
            "#/components/schemas/Comp0"
        );
    }
}

//! The OpenAPI document of an endpoint, built from its served models' signatures
//! (`GET /api/2.0/serving-endpoints/{name}/openapi`; the form is described in the folder's doc).

use super::spec::{DataType, ParamSpec, Signature, Spec};
use crate::emulator::ordered_json::J;
use serde_json::Value;

// Signature → JSON Schema.

fn typed(ty: &str, format: Option<&str>) -> J {
    let mut o = J::obj([("type", J::s(ty))]);
    if let Some(f) = format {
        o.push("format", J::s(f));
    }
    o
}

/// The JSON Schema of one MLflow data type.
pub fn type_schema(t: &DataType) -> J {
    match t {
        DataType::Boolean => typed("boolean", None),
        DataType::Integer => typed("integer", Some("int32")),
        DataType::Long => typed("integer", Some("int64")),
        DataType::Float => typed("number", Some("float")),
        DataType::Double => typed("number", Some("double")),
        DataType::String => typed("string", None),
        DataType::Binary => typed("string", Some("byte")),
        DataType::Datetime => typed("string", Some("date-time")),
        DataType::Any => J::obj([("description", J::s("any value"))]),
        DataType::Array { items } => {
            J::obj([("type", J::s("array")), ("items", type_schema(items))])
        }
        DataType::Object { properties } => object_schema(properties),
        DataType::Map { values } => J::obj([
            ("type", J::s("object")),
            ("additionalProperties", type_schema(values)),
        ]),
        DataType::Tensor { spec } => tensor_schema(&spec.dtype, &spec.shape),
    }
}

fn object_schema(props: &[Spec]) -> J {
    let required: Vec<J> = props
        .iter()
        .enumerate()
        .filter(|(_, p)| p.required)
        .map(|(i, p)| J::s(p.label(i)))
        .collect();
    let mut o = J::obj::<&str>([]);
    if !required.is_empty() {
        o.push("required", J::Arr(required));
    }
    o.push("type", J::s("object"));
    o.push(
        "properties",
        J::Obj(
            props
                .iter()
                .enumerate()
                .map(|(i, p)| (p.label(i), type_schema(&p.ty)))
                .collect(),
        ),
    );
    o
}

/// The JSON Schema of a numpy dtype.
pub fn dtype_schema(dtype: &str) -> J {
    match dtype {
        "float16" | "float32" => typed("number", Some("float")),
        "float64" | "float" | "double" => typed("number", Some("double")),
        "int8" | "int16" | "int32" | "uint8" | "uint16" => typed("integer", Some("int32")),
        "int64" | "uint32" | "uint64" | "int" => typed("integer", Some("int64")),
        "bool" => typed("boolean", None),
        "bytes" => typed("string", Some("byte")),
        _ => typed("string", None),
    }
}

/// Nested arrays for `shape` (a `-1` dimension has no size bounds).
pub fn tensor_schema(dtype: &str, shape: &[i64]) -> J {
    let mut s = dtype_schema(dtype);
    for &d in shape.iter().rev() {
        let mut a = J::obj([("type", J::s("array")), ("items", s)]);
        if d >= 0 {
            a.push("minItems", J::Int(d));
            a.push("maxItems", J::Int(d));
        }
        s = a;
    }
    s
}

fn param_schema(p: &ParamSpec) -> J {
    let scalar = match p.ty.as_str() {
        "boolean" => DataType::Boolean,
        "integer" => DataType::Integer,
        "long" => DataType::Long,
        "float" => DataType::Float,
        "double" => DataType::Double,
        "binary" => DataType::Binary,
        "datetime" => DataType::Datetime,
        _ => DataType::String,
    };
    let mut s = match &p.shape {
        Some(_) => J::obj([("type", J::s("array")), ("items", type_schema(&scalar))]),
        None => type_schema(&scalar),
    };
    if !p.default.is_null() {
        // The documented form gives defaults as strings ("default": "0.5").
        let text = match &p.default {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        s.push("default", J::Str(text));
    }
    s
}

fn params_schema(sig: &Signature) -> Option<J> {
    (!sig.params.is_empty()).then(|| {
        J::obj([
            ("type", J::s("object")),
            (
                "properties",
                J::Obj(
                    sig.params
                        .iter()
                        .map(|p| (p.name.clone(), param_schema(p)))
                        .collect(),
                ),
            ),
        ])
    })
}

/// A sample value of `t` for example row `row` (0 or 1).
pub fn sample(t: &DataType, row: usize) -> J {
    let r = row % 2;
    match t {
        DataType::Boolean => J::Bool(r == 0),
        DataType::Integer | DataType::Long => J::Int([3, 2][r]),
        DataType::Float | DataType::Double => J::Num([10.4, 20.4][r]),
        DataType::String => J::s(["abc", "xyz"][r]),
        DataType::Binary => J::s(["YWJj", "eHl6"][r]),
        DataType::Datetime => J::s(["2024-01-01T00:00:00Z", "2024-06-30T12:30:00Z"][r]),
        DataType::Any => J::s(["any", "value"][r]),
        DataType::Array { items } => J::Arr(vec![sample(items, r), sample(items, r + 1)]),
        DataType::Object { properties } => J::Obj(
            properties
                .iter()
                .enumerate()
                .map(|(i, p)| (p.label(i), sample(&p.ty, r)))
                .collect(),
        ),
        DataType::Map { values } => J::obj([("key", sample(values, r))]),
        DataType::Tensor { spec } => sample_tensor(&spec.dtype, &spec.shape, r),
    }
}

fn sample_tensor(dtype: &str, shape: &[i64], seed: usize) -> J {
    match shape.split_first() {
        None => match dtype_schema(dtype) {
            J::Obj(p) if p.iter().any(|(_, v)| *v == J::s("integer")) => J::Int(seed as i64 % 7),
            J::Obj(p) if p.iter().any(|(_, v)| *v == J::s("boolean")) => {
                J::Bool(seed.is_multiple_of(2))
            }
            J::Obj(p) if p.iter().any(|(_, v)| *v == J::s("string")) => J::s("abc"),
            _ => J::Num(((seed * 37) % 100) as f64 / 100.0),
        },
        Some((&d, rest)) => {
            let n = if d < 0 { 1 } else { d as usize };
            J::Arr(
                (0..n)
                    .map(|i| sample_tensor(dtype, rest, seed + i))
                    .collect(),
            )
        }
    }
}

/// The `oneOf` input formats of a signature.
pub fn input_variants(sig: &Signature) -> Vec<J> {
    let params = params_schema(sig);
    let variant = |key: &str, schema: J, example: Option<J>| {
        let mut props = vec![(key.to_string(), schema)];
        if let Some(p) = &params {
            props.push(("params".to_string(), p.clone()));
        }
        let mut v = J::obj([("type", J::s("object")), ("properties", J::Obj(props))]);
        if let Some(e) = example {
            v.push("examples", J::Arr(vec![e]));
        }
        v
    };
    if sig.is_tensor_based() {
        let single = sig.inputs.len() == 1 && sig.inputs[0].name.is_none();
        let tensors: Vec<(String, &str, &[i64])> = sig
            .inputs
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match &s.ty {
                DataType::Tensor { spec } => {
                    Some((s.label(i), spec.dtype.as_str(), &spec.shape[..]))
                }
                _ => None,
            })
            .collect();
        let row_of = |shape: &[i64]| shape.get(1..).unwrap_or(&[]).to_vec();
        let (instances_item, instances_example, inputs_schema) = if single {
            let (_, dtype, shape) = &tensors[0];
            (
                tensor_schema(dtype, &row_of(shape)),
                J::Arr(vec![sample_tensor(dtype, &row_of(shape), 0)]),
                tensor_schema(dtype, shape),
            )
        } else {
            let required = J::Arr(tensors.iter().map(|(n, _, _)| J::s(n.clone())).collect());
            let item = J::obj([
                ("required", required.clone()),
                ("type", J::s("object")),
                (
                    "properties",
                    J::Obj(
                        tensors
                            .iter()
                            .map(|(n, d, s)| (n.clone(), tensor_schema(d, &row_of(s))))
                            .collect(),
                    ),
                ),
            ]);
            let example = J::Arr(vec![J::Obj(
                tensors
                    .iter()
                    .map(|(n, d, s)| (n.clone(), sample_tensor(d, &row_of(s), 0)))
                    .collect(),
            )]);
            let columnar = J::obj([
                ("required", required),
                ("type", J::s("object")),
                (
                    "properties",
                    J::Obj(
                        tensors
                            .iter()
                            .map(|(n, d, s)| (n.clone(), tensor_schema(d, s)))
                            .collect(),
                    ),
                ),
            ]);
            (item, example, columnar)
        };
        return vec![
            variant(
                "instances",
                J::obj([("type", J::s("array")), ("items", instances_item)]),
                Some(instances_example),
            ),
            variant("inputs", inputs_schema, None),
        ];
    }
    let names: Vec<String> = sig
        .inputs
        .iter()
        .enumerate()
        .map(|(i, s)| s.label(i))
        .collect();
    let required: Vec<&str> = sig
        .inputs
        .iter()
        .zip(&names)
        .filter(|(s, _)| s.required)
        .map(|(_, n)| n.as_str())
        .collect();
    let split = J::obj([
        ("type", J::s("object")),
        (
            "properties",
            J::obj([
                (
                    "columns",
                    J::obj([
                        (
                            "description",
                            J::s(format!("required fields: {}", required.join(", "))),
                        ),
                        ("type", J::s("array")),
                        (
                            "items",
                            J::obj([
                                ("type", J::s("string")),
                                (
                                    "enum",
                                    J::Arr(names.iter().map(|n| J::s(n.clone())).collect()),
                                ),
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
                                    J::Arr(sig.inputs.iter().map(|s| type_schema(&s.ty)).collect()),
                                ),
                            ]),
                        ),
                    ]),
                ),
            ]),
        ),
    ]);
    let example = J::obj([
        (
            "columns",
            J::Arr(names.iter().map(|n| J::s(n.clone())).collect()),
        ),
        (
            "data",
            J::Arr(
                (0..2)
                    .map(|r| J::Arr(sig.inputs.iter().map(|s| sample(&s.ty, r)).collect()))
                    .collect(),
            ),
        ),
    ]);
    let records = J::obj([
        ("type", J::s("array")),
        ("items", object_schema(&sig.inputs)),
    ]);
    vec![
        variant("dataframe_split", split, Some(example)),
        variant("dataframe_records", records, None),
    ]
}

/// The response schema (`predictions`) of a signature.
pub fn response_schema(sig: &Signature) -> J {
    let items = match sig.outputs.as_slice() {
        [] => J::obj::<&str>([]),
        [one] => match &one.ty {
            DataType::Tensor { spec } => {
                tensor_schema(&spec.dtype, spec.shape.get(1..).unwrap_or(&[]))
            }
            t => type_schema(t),
        },
        many => object_schema(many),
    };
    J::obj([
        ("type", J::s("object")),
        (
            "properties",
            J::obj([(
                "predictions",
                J::obj([("type", J::s("array")), ("items", items)]),
            )]),
        ),
    ])
}

/// The `post` operation of one served model.
pub fn operation(sig: &Signature) -> J {
    J::obj([(
        "post",
        J::obj([
            (
                "requestBody",
                J::obj([(
                    "content",
                    J::obj([(
                        "application/json",
                        J::obj([("schema", J::obj([("oneOf", J::Arr(input_variants(sig)))]))]),
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
                                J::obj([("schema", response_schema(sig))]),
                            )]),
                        ),
                    ]),
                )]),
            ),
        ]),
    )])
}

/// The whole OpenAPI document of an endpoint: one path per `(served entity, signature)`.
pub fn document(
    endpoint: &str,
    base_url: &str,
    version: &str,
    models: &[(&str, &Signature)],
) -> String {
    J::obj([
        ("openapi", J::s("3.1.0")),
        (
            "info",
            J::obj([("title", J::s(endpoint)), ("version", J::s(version))]),
        ),
        (
            "servers",
            J::Arr(vec![J::obj([(
                "url",
                J::s(format!(
                    "{}/serving-endpoints/{endpoint}",
                    base_url.trim_end_matches('/')
                )),
            )])]),
        ),
        (
            "paths",
            J::Obj(
                models
                    .iter()
                    .map(|(entity, sig)| {
                        (
                            format!("/served-models/{entity}/invocations"),
                            operation(sig),
                        )
                    })
                    .collect(),
            ),
        ),
    ])
    .to_json()
}

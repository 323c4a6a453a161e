//! MLflow model signatures of served entities, the OpenAPI document built from them
//! (`GET /api/2.0/serving-endpoints/{name}/openapi`), and the checks and predictions of
//! `POST /serving-endpoints/{name}/invocations`.
//!
//! # Signature hint (seed `_emulator.signature` / `_emulator.signatures`)
//!
//! The MLflow signature of a served model, in MLflow's own spec vocabulary but as plain JSON
//! (MLflow stores `inputs`/`outputs`/`params` as JSON *strings*; the hint uses the parsed form):
//!
//! ```json
//! { "inputs": [ {"name": "amount", "type": "double"},
//!               {"name": "merchant", "type": "string", "required": false},
//!               {"name": "recent", "type": "array", "items": {"type": "double"}},
//!               {"name": "address", "type": "object",
//!                "properties": [ {"name": "country", "type": "string"} ]},
//!               {"name": "stats", "type": "map", "values": {"type": "long"}},
//!               {"name": "image", "type": "tensor",
//!                "tensor-spec": {"dtype": "float32", "shape": [-1, 28, 28]}} ],
//!   "outputs": [ {"type": "double"} ],
//!   "params": [ {"name": "threshold", "type": "double", "default": 0.5} ] }
//! ```
//!
//! Column types: `boolean integer long float double string binary datetime any array object
//! map`; a signature whose inputs are `tensor`s is tensor-based.
//!
//! # The OpenAPI document
//!
//! The documented form (serving-api.md §5.8, fixture `openapi.json`): OpenAPI 3.1, `info.title`
//! = endpoint name, `info.version` = config version, one server (the endpoint's base URL), one
//! `/served-models/{entity}/invocations` path per served model with a signature, a `oneOf` of
//! input formats, `params` when the signature has some, and a `predictions` response.
//! CONFIRMED by the docs example: `dataframe_split` (columns enum + `prefixItems` rows,
//! `examples` holding the *inner* value) and `dataframe_records` for column signatures, params
//! defaults as strings. UNCONFIRMED (our inference): `instances`/`inputs` variants for tensor
//! signatures, `format`s of `binary` (`byte`), `datetime` (`date-time`), `integer` (`int32`),
//! `float` (`float`), the shapes of `array`/`object`/`map` columns, and the response schema of
//! multi-output models (an array of objects).
//!
//! Documents are written with [`J`], a tiny ordered JSON builder: `serde_json::Value` sorts keys,
//! and column order matters to readers.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// Ordered JSON builder.

/// An ordered JSON value (objects keep insertion order).
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    /// An object from `(key, value)` pairs.
    pub fn obj<K: Into<String>>(pairs: impl IntoIterator<Item = (K, J)>) -> J {
        J::Obj(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string.
    pub fn s(s: impl Into<String>) -> J {
        J::Str(s.into())
    }

    /// Append `(key, value)` to an object (no-op on other values).
    pub fn push(&mut self, key: &str, value: J) {
        if let J::Obj(pairs) = self {
            pairs.push((key.to_string(), value));
        }
    }

    /// From a `serde_json::Value` (object keys in that value's order).
    pub fn from_value(v: &Value) -> J {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => J::Int(i),
                None => J::Num(n.as_f64().unwrap_or(0.0)),
            },
            Value::String(s) => J::Str(s.clone()),
            Value::Array(a) => J::Arr(a.iter().map(J::from_value).collect()),
            Value::Object(m) => J::Obj(
                m.iter()
                    .map(|(k, v)| (k.clone(), J::from_value(v)))
                    .collect(),
            ),
        }
    }

    /// Compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Append compact JSON text to `out`.
    pub fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Int(i) => {
                let _ = write!(out, "{i}");
            }
            J::Num(f) => write_f64(out, *f),
            J::Str(s) => write_str(out, s),
            J::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out);
                }
                out.push(']');
            }
            J::Obj(pairs) => {
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A finite number as JSON (non-finite → `null`; integral values keep a `.0`).
pub fn write_f64(out: &mut String, f: f64) {
    if !f.is_finite() {
        out.push_str("null");
    } else if f.fract() == 0.0 && f.abs() < 1e15 {
        let _ = write!(out, "{f:.1}");
    } else {
        let _ = write!(out, "{f}");
    }
}

/// A JSON string literal.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// Signature model.

/// An MLflow model signature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signature {
    /// Input columns, or input tensors.
    pub inputs: Vec<Spec>,
    /// Output columns or tensors (empty: unknown).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outputs: Vec<Spec>,
    /// Inference parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamSpec>,
}

/// One input/output column or tensor (`ColSpec` / `TensorSpec`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    /// Column or tensor name (unnamed specs are positional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(flatten)]
    pub ty: DataType,
    /// Columns are required unless `"required": false`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

/// MLflow data types (scalars, composites, tensors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DataType {
    Boolean,
    Integer,
    Long,
    Float,
    Double,
    String,
    Binary,
    Datetime,
    Any,
    Array {
        items: Box<DataType>,
    },
    Object {
        properties: Vec<Spec>,
    },
    Map {
        values: Box<DataType>,
    },
    Tensor {
        #[serde(rename = "tensor-spec")]
        spec: TensorSpec,
    },
}

/// `tensor-spec`: numpy dtype and shape (`-1` = variable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TensorSpec {
    pub dtype: String,
    pub shape: Vec<i64>,
}

/// An inference parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub default: Value,
    /// `Some([-1])`: a list parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<Vec<i64>>,
}

impl Signature {
    /// Are the inputs tensors?
    pub fn is_tensor_based(&self) -> bool {
        self.inputs
            .iter()
            .any(|s| matches!(s.ty, DataType::Tensor { .. }))
    }
}

impl Spec {
    /// The name, or the position for unnamed specs.
    pub fn label(&self, i: usize) -> String {
        self.name.clone().unwrap_or_else(|| i.to_string())
    }
}

/// The signatures of one endpoint's served entities (emulator state), or a whole pre-built
/// document (benchmark schemas).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signatures {
    /// Applies to every custom served entity not named in `by_entity`.
    pub all: Option<Signature>,
    /// Per served-entity name.
    pub by_entity: BTreeMap<String, Signature>,
    /// A pre-built OpenAPI document answered as is (`--schema-mb`).
    pub document: Option<Arc<str>>,
}

impl Signatures {
    /// The signature of the served entity `entity`.
    pub fn for_entity(&self, entity: &str) -> Option<&Signature> {
        self.by_entity.get(entity).or(self.all.as_ref())
    }

    /// No signature at all?
    pub fn is_empty(&self) -> bool {
        self.all.is_none() && self.by_entity.is_empty() && self.document.is_none()
    }
}

/// A small deterministic column signature for generated endpoints (`--generate N`).
pub fn generated_signature(h: u64) -> Signature {
    const POOL: &[(&str, DataType)] = &[
        ("amount", DataType::Double),
        ("customer_id", DataType::String),
        ("tenure_months", DataType::Long),
        ("is_active", DataType::Boolean),
        ("score", DataType::Float),
        ("region", DataType::String),
        ("visits", DataType::Integer),
        ("signup_date", DataType::Datetime),
    ];
    let n = 3 + (h % 6) as usize;
    let inputs = (0..n)
        .map(|i| {
            let (name, ty) = &POOL[(i + (h >> 8) as usize) % POOL.len()];
            Spec {
                name: Some((*name).to_string()),
                ty: ty.clone(),
                required: i < 2 || (h >> (16 + i)) & 1 == 0,
            }
        })
        .collect();
    Signature {
        inputs,
        outputs: vec![Spec {
            name: None,
            ty: DataType::Double,
            required: true,
        }],
        params: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------
// Invocations: input checks and predictions (as MLflow's scoring server does).

/// The input formats MLflow's scoring server accepts.
pub const INPUT_FORMATS: [&str; 4] = [
    "dataframe_split",
    "dataframe_records",
    "instances",
    "inputs",
];

/// Check an invocation body against `sig` (if any); the number of input rows, or a message.
pub fn check_input(body: &Value, sig: Option<&Signature>) -> Result<usize, String> {
    let Value::Object(map) = body else {
        return Err(format!(
            "The input must be a JSON dictionary with exactly one of the input fields {{{}}}. \
             Received: {}.",
            quoted(&INPUT_FORMATS),
            json_kind(body)
        ));
    };
    let present: Vec<&str> = INPUT_FORMATS
        .iter()
        .copied()
        .filter(|k| map.contains_key(*k))
        .collect();
    let [format] = present.as_slice() else {
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        return Err(format!(
            "The input must be a JSON dictionary with exactly one of the input fields {{{}}}. \
             Received dictionary with input fields: [{}].",
            quoted(&INPUT_FORMATS),
            quoted(&keys)
        ));
    };
    let value = &map[*format];
    if let (Some(p), Some(sig)) = (map.get("params"), sig) {
        check_params(p, sig)?;
    } else if let Some(p) = map.get("params") {
        if !p.is_object() {
            return Err(format!(
                "'params' must be a JSON object, got {}.",
                json_kind(p)
            ));
        }
    }
    match sig {
        Some(sig) if sig.is_tensor_based() => check_tensors(format, value, sig),
        Some(sig) => check_columns(format, value, sig),
        None => rows_of(format, value),
    }
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|s| format!("'{s}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn rows_of(format: &str, value: &Value) -> Result<usize, String> {
    match (format, value) {
        ("dataframe_split", Value::Object(m)) => {
            Ok(m.get("data").and_then(Value::as_array).map_or(0, Vec::len))
        }
        (_, Value::Array(a)) => Ok(a.len()),
        ("inputs", Value::Object(m)) => Ok(m
            .values()
            .next()
            .and_then(Value::as_array)
            .map_or(1, Vec::len)),
        _ => Err(format!(
            "Invalid '{format}' input: expected {}, got {}.",
            if format == "dataframe_split" {
                "an object"
            } else {
                "an array"
            },
            json_kind(value)
        )),
    }
}

fn check_params(p: &Value, sig: &Signature) -> Result<(), String> {
    let Value::Object(m) = p else {
        return Err(format!(
            "'params' must be a JSON object, got {}.",
            json_kind(p)
        ));
    };
    for (k, v) in m {
        // MLflow ignores (and logs) unknown params.
        let Some(spec) = sig.params.iter().find(|s| &s.name == k) else {
            continue;
        };
        let scalar_ok = |v: &Value| match spec.ty.as_str() {
            "boolean" => v.is_boolean(),
            "integer" | "long" => v.is_i64() || v.is_u64(),
            "float" | "double" => v.is_number(),
            _ => v.is_string(),
        };
        let ok = match (&spec.shape, v) {
            (Some(_), Value::Array(items)) => items.iter().all(scalar_ok),
            (Some(_), _) => false,
            (None, v) => scalar_ok(v),
        };
        if !ok {
            return Err(format!(
                "Failed to enforce params schema: param '{k}' must be of type {}{}, got {}.",
                spec.ty,
                if spec.shape.is_some() { " (list)" } else { "" },
                json_kind(v)
            ));
        }
    }
    Ok(())
}

/// Does `v` fit MLflow type `t` (nulls are the caller's business)?
fn fits(t: &DataType, v: &Value) -> bool {
    match t {
        DataType::Boolean => v.is_boolean(),
        DataType::Integer => v.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        DataType::Long => v.is_i64() || v.is_u64(),
        DataType::Float | DataType::Double => v.is_number(),
        DataType::String | DataType::Binary | DataType::Datetime => v.is_string(),
        DataType::Any => true,
        DataType::Array { items } => v
            .as_array()
            .is_some_and(|a| a.iter().all(|x| x.is_null() || fits(items, x))),
        DataType::Object { properties } => v.as_object().is_some_and(|o| {
            properties
                .iter()
                .enumerate()
                .all(|(i, p)| match o.get(&p.label(i)) {
                    None | Some(Value::Null) => !p.required,
                    Some(x) => fits(&p.ty, x),
                })
        }),
        DataType::Map { values } => v
            .as_object()
            .is_some_and(|o| o.values().all(|x| fits(values, x))),
        DataType::Tensor { .. } => true,
    }
}

fn type_name(t: &DataType) -> String {
    match t {
        DataType::Array { items } => format!("Array({})", type_name(items)),
        DataType::Object { .. } => "Object".into(),
        DataType::Map { values } => format!("Map({})", type_name(values)),
        DataType::Tensor { spec } => format!("Tensor({})", spec.dtype),
        other => format!("{other:?}").to_lowercase(),
    }
}

fn check_columns(format: &str, value: &Value, sig: &Signature) -> Result<usize, String> {
    let names: Vec<String> = sig
        .inputs
        .iter()
        .enumerate()
        .map(|(i, s)| s.label(i))
        .collect();
    // Each row as (column name → value).
    let mut rows: Vec<BTreeMap<&str, &Value>> = Vec::new();
    match (format, value) {
        ("dataframe_split", Value::Object(m)) => {
            let columns: Vec<&str> = match m.get("columns") {
                Some(Value::Array(c)) => c.iter().filter_map(Value::as_str).collect(),
                None => names.iter().map(String::as_str).collect(),
                Some(other) => {
                    return Err(format!(
                        "Invalid 'dataframe_split' input: 'columns' must be an array of strings, got {}.",
                        json_kind(other)
                    ))
                }
            };
            let data = match m.get("data") {
                Some(Value::Array(d)) => d,
                Some(other) => {
                    return Err(format!(
                        "Invalid 'dataframe_split' input: 'data' must be an array of rows, got {}.",
                        json_kind(other)
                    ))
                }
                None => {
                    return Err("Invalid 'dataframe_split' input: 'data' is missing.".to_string())
                }
            };
            for (r, row) in data.iter().enumerate() {
                let Value::Array(cells) = row else {
                    return Err(format!(
                        "Invalid 'dataframe_split' input: data[{r}] must be an array, got {}.",
                        json_kind(row)
                    ));
                };
                if cells.len() != columns.len() {
                    return Err(format!(
                        "Invalid 'dataframe_split' input: data[{r}] has {} values but there are {} \
                         columns.",
                        cells.len(),
                        columns.len()
                    ));
                }
                rows.push(columns.iter().copied().zip(cells.iter()).collect());
            }
        }
        (_, Value::Array(records)) => {
            for (r, rec) in records.iter().enumerate() {
                let Value::Object(o) = rec else {
                    return Err(format!(
                        "Invalid '{format}' input: record {r} must be an object, got {}.",
                        json_kind(rec)
                    ));
                };
                rows.push(o.iter().map(|(k, v)| (k.as_str(), v)).collect());
            }
        }
        ("inputs", Value::Object(cols)) => {
            let n = cols
                .values()
                .filter_map(Value::as_array)
                .map(Vec::len)
                .max()
                .unwrap_or(0);
            for r in 0..n {
                rows.push(
                    cols.iter()
                        .filter_map(|(k, v)| Some((k.as_str(), v.as_array()?.get(r)?)))
                        .collect(),
                );
            }
        }
        _ => return rows_of(format, value),
    }
    let mut missing: Vec<&str> = Vec::new();
    for (spec, name) in sig.inputs.iter().zip(&names) {
        if spec.required && rows.first().is_some_and(|r| !r.contains_key(name.as_str())) {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        return Err(format!(
            "Failed to enforce schema of data: Model is missing inputs [{}].",
            quoted(&missing)
        ));
    }
    for (r, row) in rows.iter().enumerate() {
        for (spec, name) in sig.inputs.iter().zip(&names) {
            match row.get(name.as_str()) {
                None | Some(Value::Null) if !spec.required => {}
                None | Some(Value::Null) => {
                    return Err(format!(
                        "Failed to enforce schema of data: required column '{name}' is null in row {r}."
                    ))
                }
                Some(v) if !fits(&spec.ty, v) => {
                    return Err(format!(
                        "Failed to enforce schema of data: incompatible input types for column \
                         '{name}' in row {r}: expected {}, got {}.",
                        type_name(&spec.ty),
                        json_kind(v)
                    ))
                }
                Some(_) => {}
            }
        }
    }
    Ok(rows.len())
}

/// Depth of nested arrays and whether every leaf is a number/bool/string.
fn tensor_fits(v: &Value, shape: &[i64]) -> bool {
    match shape.split_first() {
        None => !v.is_array() && !v.is_object() && !v.is_null(),
        Some((&d, rest)) => v.as_array().is_some_and(|a| {
            (d < 0 || a.len() as i64 == d) && a.iter().all(|x| tensor_fits(x, rest))
        }),
    }
}

fn check_tensors(format: &str, value: &Value, sig: &Signature) -> Result<usize, String> {
    let tensors: Vec<(String, &TensorSpec)> = sig
        .inputs
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match &s.ty {
            DataType::Tensor { spec } => Some((s.label(i), spec)),
            _ => None,
        })
        .collect();
    let single = sig.inputs.len() == 1 && sig.inputs[0].name.is_none();
    let bad = |name: &str, spec: &TensorSpec| {
        format!(
            "Failed to enforce schema of data: tensor '{name}' does not match shape {:?} of dtype {}.",
            spec.shape, spec.dtype
        )
    };
    match (format, value) {
        ("instances", Value::Array(rows)) => {
            for row in rows {
                for (name, spec) in &tensors {
                    let item_shape = spec.shape.get(1..).unwrap_or(&[]);
                    let v = if single {
                        Some(row)
                    } else {
                        row.as_object().and_then(|o| o.get(name))
                    };
                    if !v.is_some_and(|v| tensor_fits(v, item_shape)) {
                        return Err(bad(name, spec));
                    }
                }
            }
            Ok(rows.len())
        }
        ("inputs", v) => {
            let mut n = 0;
            for (name, spec) in &tensors {
                let t = if single {
                    Some(v)
                } else {
                    v.as_object().and_then(|o| o.get(name))
                };
                match t {
                    Some(t) if tensor_fits(t, &spec.shape) => {
                        n = t.as_array().map_or(1, Vec::len);
                    }
                    _ => return Err(bad(name, spec)),
                }
            }
            Ok(n)
        }
        ("instances", other) => Err(format!(
            "Invalid 'instances' input: expected an array, got {}.",
            json_kind(other)
        )),
        (f, _) => Err(format!(
            "This model has a tensor-based signature: send 'instances' or 'inputs', not '{f}'."
        )),
    }
}

/// A deterministic pseudo-random number in [0, 1) from `seed`.
fn unit(seed: u64) -> f64 {
    (super::seed::splitmix64(seed) >> 11) as f64 / (1u64 << 53) as f64
}

fn predict_value(t: &DataType, seed: u64) -> J {
    let u = unit(seed);
    match t {
        DataType::Boolean => J::Bool(u >= 0.5),
        DataType::Integer | DataType::Long => J::Int((u * 10.0) as i64),
        DataType::Float | DataType::Double => J::Num((u * 10_000.0).round() / 10_000.0),
        DataType::String | DataType::Any => J::s(["low", "medium", "high"][(u * 3.0) as usize % 3]),
        DataType::Binary => J::s("AA=="),
        DataType::Datetime => J::s("2024-01-01T00:00:00Z"),
        DataType::Array { items } => J::Arr(
            (0..2)
                .map(|i| predict_value(items, seed ^ (i + 1)))
                .collect(),
        ),
        DataType::Object { properties } => J::Obj(
            properties
                .iter()
                .enumerate()
                .map(|(i, p)| (p.label(i), predict_value(&p.ty, seed ^ (i as u64 + 7))))
                .collect(),
        ),
        DataType::Map { values } => J::obj([("value", predict_value(values, seed ^ 3))]),
        DataType::Tensor { spec } => {
            predict_tensor(&spec.dtype, spec.shape.get(1..).unwrap_or(&[]), seed)
        }
    }
}

fn predict_tensor(dtype: &str, shape: &[i64], seed: u64) -> J {
    match shape.split_first() {
        None => match dtype {
            d if d.starts_with("int") || d.starts_with("uint") => {
                J::Int((unit(seed) * 10.0) as i64)
            }
            "bool" => J::Bool(unit(seed) >= 0.5),
            "str" | "object" | "bytes" => J::s("abc"),
            _ => J::Num((unit(seed) * 10_000.0).round() / 10_000.0),
        },
        Some((&d, rest)) => {
            let n = if d < 0 { 1 } else { d.min(4096) as u64 };
            J::Arr(
                (0..n)
                    .map(|i| predict_tensor(dtype, rest, seed.wrapping_mul(31) ^ i))
                    .collect(),
            )
        }
    }
}

/// `{"predictions": [...]}` for `rows` input rows, shaped by the outputs of `sig`; `seed`
/// (e.g. a hash of the body) makes answers deterministic.
pub fn predictions(sig: Option<&Signature>, rows: usize, seed: u64) -> String {
    let outputs: &[Spec] = sig.map_or(&[], |s| s.outputs.as_slice());
    let preds: Vec<J> = (0..rows as u64)
        .map(|r| {
            let s = seed ^ r.wrapping_mul(0x9e37_79b9);
            match outputs {
                [] => predict_value(&DataType::Double, s),
                [one] => predict_value(&one.ty, s),
                many => J::Obj(
                    many.iter()
                        .enumerate()
                        .map(|(i, o)| (o.label(i), predict_value(&o.ty, s ^ (i as u64 + 1))))
                        .collect(),
                ),
            }
        })
        .collect();
    J::obj([("predictions", J::Arr(preds))]).to_json()
}

/// FNV-1a of some bytes (prediction seeds).
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for x in b {
        h ^= u64::from(*x);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        serde_json::from_str(text).unwrap_or_else(|e| panic!("bad signature ({e}): {text}"))
    }

    fn example_sig() -> Signature {
        sig(
            r#"{"inputs":[{"name":"int_col","type":"long"},{"name":"float_col","type":"double","required":false},
                {"name":"string_col","type":"string","required":false}],
               "outputs":[{"type":"double"}],
               "params":[{"name":"sentiment","type":"double","default":0.5}]}"#,
        )
    }

    #[test]
    fn documented_example_shape() {
        let doc = document(
            "example-endpoint",
            "https://example.databricks.com",
            "2",
            &[("vanilla_simple_model-2", &example_sig())],
        );
        let v: Value = serde_json::from_str(&doc).unwrap_or_default();
        assert_eq!(v["openapi"], "3.1.0");
        assert_eq!(v["info"]["title"], "example-endpoint");
        assert_eq!(v["info"]["version"], "2");
        assert_eq!(
            v["servers"][0]["url"],
            "https://example.databricks.com/serving-endpoints/example-endpoint"
        );
        let op = &v["paths"]["/served-models/vanilla_simple_model-2/invocations"]["post"];
        let one_of = &op["requestBody"]["content"]["application/json"]["schema"]["oneOf"];
        let split = &one_of[0]["properties"]["dataframe_split"]["properties"];
        assert_eq!(split["columns"]["description"], "required fields: int_col");
        assert_eq!(split["columns"]["items"]["enum"][1], "float_col");
        assert_eq!(split["data"]["items"]["prefixItems"][0]["format"], "int64");
        assert_eq!(
            one_of[0]["properties"]["params"]["properties"]["sentiment"]["default"],
            "0.5"
        );
        assert_eq!(one_of[0]["examples"][0]["data"][0][0], 3);
        let rec = &one_of[1]["properties"]["dataframe_records"]["items"];
        assert_eq!(rec["required"], serde_json::json!(["int_col"]));
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
                ["predictions"]["items"]["format"],
            "double"
        );
        // Column order is kept (serde_json::Value would sort the keys).
        assert!(doc.find("\"int_col\":{").unwrap_or(0) < doc.find("\"float_col\":{").unwrap_or(0));
    }

    #[test]
    fn every_column_type_maps_to_a_schema() {
        let s = sig(
            r#"{"inputs":[{"name":"b","type":"boolean"},{"name":"i","type":"integer"},{"name":"f","type":"float"},
            {"name":"bin","type":"binary"},{"name":"dt","type":"datetime"},{"name":"any","type":"any"},
            {"name":"arr","type":"array","items":{"type":"long"}},
            {"name":"obj","type":"object","properties":[{"name":"x","type":"double"},{"name":"y","type":"string","required":false}]},
            {"name":"m","type":"map","values":{"type":"double"}}]}"#,
        );
        let v: Value =
            serde_json::from_str(&J::Arr(input_variants(&s)).to_json()).unwrap_or_default();
        let p = &v[1]["properties"]["dataframe_records"]["items"]["properties"];
        assert_eq!(p["i"]["format"], "int32");
        assert_eq!(p["f"]["format"], "float");
        assert_eq!(p["bin"]["format"], "byte");
        assert_eq!(p["dt"]["format"], "date-time");
        assert_eq!(p["arr"]["items"]["format"], "int64");
        assert_eq!(p["obj"]["required"], serde_json::json!(["x"]));
        assert_eq!(p["m"]["additionalProperties"]["type"], "number");
        assert!(p["any"].get("type").is_none());
    }

    #[test]
    fn tensor_signatures_get_instances_and_inputs() {
        let s = sig(
            r#"{"inputs":[{"type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1,2,3]}}],
                        "outputs":[{"type":"tensor","tensor-spec":{"dtype":"float32","shape":[-1,4]}}]}"#,
        );
        let v: Value =
            serde_json::from_str(&J::Arr(input_variants(&s)).to_json()).unwrap_or_default();
        let inst = &v[0]["properties"]["instances"];
        assert_eq!(inst["items"]["minItems"], 2);
        assert_eq!(inst["items"]["items"]["maxItems"], 3);
        assert!(v[0]["examples"][0][0][1][2].is_number());
        assert!(
            v[1]["properties"]["inputs"]["minItems"].is_null(),
            "-1 is unbounded"
        );
        let body = serde_json::json!({"instances": [[[1,2,3],[4,5,6]], [[1,2,3],[4,5,6]]]});
        assert_eq!(check_input(&body, Some(&s)), Ok(2));
        let bad = serde_json::json!({"instances": [[[1,2],[4,5,6]]]});
        assert!(check_input(&bad, Some(&s)).is_err());
        let out: Value = serde_json::from_str(&predictions(Some(&s), 2, 1)).unwrap_or_default();
        assert_eq!(out["predictions"][1].as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn input_checks_name_the_problem() {
        let s = example_sig();
        let ok = serde_json::json!({"dataframe_split": {"columns": ["int_col", "float_col"], "data": [[1, 2.5], [2, null]]}, "params": {"sentiment": 0.7}});
        assert_eq!(check_input(&ok, Some(&s)), Ok(2));
        let two = serde_json::json!({"dataframe_split": {}, "instances": []});
        assert!(check_input(&two, Some(&s))
            .unwrap_err()
            .contains("exactly one"));
        let none = serde_json::json!({"foo": 1});
        assert!(check_input(&none, Some(&s))
            .unwrap_err()
            .contains("['foo']"));
        let missing = serde_json::json!({"dataframe_records": [{"float_col": 1.0}]});
        assert!(check_input(&missing, Some(&s))
            .unwrap_err()
            .contains("missing inputs ['int_col']"));
        let wrong = serde_json::json!({"dataframe_records": [{"int_col": "x"}]});
        assert!(check_input(&wrong, Some(&s))
            .unwrap_err()
            .contains("'int_col'"));
        let ragged =
            serde_json::json!({"dataframe_split": {"columns": ["int_col"], "data": [[1, 2]]}});
        assert!(check_input(&ragged, Some(&s))
            .unwrap_err()
            .contains("data[0]"));
        let bad_param = serde_json::json!({"dataframe_records": [{"int_col": 1}], "params": {"sentiment": "high"}});
        assert!(check_input(&bad_param, Some(&s))
            .unwrap_err()
            .contains("sentiment"));
        assert!(check_input(&serde_json::json!([1]), Some(&s)).is_err());
    }

    #[test]
    fn predictions_follow_outputs_and_rows() {
        let s = sig(r#"{"inputs":[{"name":"a","type":"double"}],
            "outputs":[{"name":"label","type":"string"},{"name":"score","type":"double"}]}"#);
        let v: Value = serde_json::from_str(&predictions(Some(&s), 3, 42)).unwrap_or_default();
        let p = v["predictions"].as_array().cloned().unwrap_or_default();
        assert_eq!(p.len(), 3);
        assert!(p[0]["label"].is_string() && p[0]["score"].is_number());
        assert_eq!(predictions(Some(&s), 3, 42), predictions(Some(&s), 3, 42));
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(J::s("a\"b\\\n\u{1}").to_json(), r#""a\"b\\\n\u0001""#);
        assert_eq!(J::Num(2.0).to_json(), "2.0");
        assert_eq!(J::Num(f64::NAN).to_json(), "null");
    }
}

//! The input checks of `POST /serving-endpoints/{name}/invocations`, as MLflow's scoring server
//! makes them: one of the input formats, the signature's required columns and their types, params.

use super::spec::{DataType, Signature, TensorSpec};
use serde_json::Value;
use std::collections::BTreeMap;

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

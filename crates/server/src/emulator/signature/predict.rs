//! The predictions an invocation answers: shaped by the signature's outputs, one per input row,
//! deterministic from the request body.

use super::spec::{DataType, Signature, Spec};
use crate::emulator::ordered_json::J;
use crate::emulator::random::splitmix64;

/// A deterministic pseudo-random number in [0, 1) from `seed`.
fn unit(seed: u64) -> f64 {
    (splitmix64(seed) >> 11) as f64 / (1u64 << 53) as f64
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

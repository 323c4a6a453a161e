//! Signatures of generated endpoints (`--generate N`).

use super::spec::{DataType, Signature, Spec};

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

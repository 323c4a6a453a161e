//! The MLflow model signature of a served entity (the seed hint's form, see the folder's doc)
//! and the signatures of one endpoint.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

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

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
//! Documents are written with [`J`](crate::emulator::ordered_json::J), a tiny ordered JSON builder: `serde_json::Value` sorts keys,
//! and column order matters to readers.

mod check;
mod generated;
mod openapi;
mod predict;
mod spec;

pub use check::{check_input, INPUT_FORMATS};
pub use generated::generated_signature;
pub use openapi::{
    document, dtype_schema, input_variants, operation, response_schema, sample, tensor_schema,
    type_schema,
};
pub use predict::predictions;
pub use spec::{DataType, ParamSpec, Signature, Signatures, Spec, TensorSpec};

#[cfg(test)]
mod tests;

//! The OpenAPI model of the Schema tab, over a [`Doc`](crate::model::json_doc::Doc): header
//! facts, operations, request and response schemas, lazy `$ref` resolution (memoised, loops
//! detected, never remote), the flattened tree of expanded nodes with cycles marked, search
//! across every reachable schema, and request examples.
//!
//! Tree nodes are named by their JSON pointer *relative to the operation object*, followed
//! through `$ref`s (e.g. `requestBody/content/application~1json/schema/oneOf/0/properties/x`):
//! stable across reloads, so they serve as deep links and as keys of the expanded set.

mod refs;
mod sample;
mod schema;
mod search;
mod spec;
mod tree;

pub use refs::Resolved;
pub use schema::{request_prefix, ResponseInfo, SchemaInfo, ENUM_SHOWN};
pub use search::{contains_ci, Hit};
pub use spec::{Operation, Spec, SpecError, METHODS};
pub use tree::{ancestors, join, Child, Role, Row};

/// The documents the tests of this module read.
#[cfg(test)]
mod test_docs {
    use super::Spec;

    pub(super) const FIXTURE: &str = api_fixtures::get("openapi.json");

    pub(super) fn spec(text: &str) -> Spec {
        Spec::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    pub(super) const CYCLIC: &str = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/p": {"post": {"requestBody": {"$ref": "#/components/requestBodies/B"},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}}}}},
      "components": {
        "requestBodies": {"B": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Node"}}}}},
        "schemas": {
          "Node": {"type": "object", "required": ["name"], "description": "A tree node",
                   "properties": {"name": {"type": "string", "enum": ["root", "leaf"]},
                                  "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                                  "meta": {"$ref": "#/components/schemas/Meta"},
                                  "remote": {"$ref": "https://example.com/x.json"},
                                  "broken": {"$ref": "#/components/schemas/Nope"},
                                  "loop": {"$ref": "#/components/schemas/A"}}},
          "Meta": {"type": "object", "additionalProperties": {"type": "integer", "format": "int32", "minimum": 0}},
          "A": {"$ref": "#/components/schemas/B"},
          "B": {"$ref": "#/components/schemas/A"}
        }}}"##;
}

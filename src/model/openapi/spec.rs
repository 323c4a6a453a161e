//! The document: parsing it, its header facts (`info`, `openapi`, `servers`) and its operations.

use crate::model::json_doc::{line_col, Doc, Kind, NodeId};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// HTTP methods of a path item, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A parsed OpenAPI document.
pub struct Spec {
    /// The document.
    pub doc: Doc,
    pub(super) refs: Mutex<HashMap<String, Option<NodeId>>>,
    pub(super) schemas: OnceLock<HashMap<String, NodeId>>,
}

/// Why a document cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecError {
    /// Not JSON: message, line, column.
    Json(String, usize, usize),
    /// JSON, but not an OpenAPI document.
    NotOpenApi(String),
}

impl std::fmt::Display for SpecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SpecError::Json(m, l, c) => {
                write!(
                    f,
                    "The schema is not valid JSON: {m} (line {l}, column {c})."
                )
            }
            SpecError::NotOpenApi(m) => write!(f, "The schema is not an OpenAPI document: {m}."),
        }
    }
}

/// One operation (path + method).
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The path template, e.g. `/served-models/m-1/invocations`.
    pub path: String,
    /// Upper-case method.
    pub method: String,
    /// The operation object.
    pub node: NodeId,
    /// `summary`, if any.
    pub summary: Option<String>,
}

impl Spec {
    /// Parse a document (raw JSON text as `GET …/openapi` returns it).
    pub fn parse(text: &str) -> Result<Spec, SpecError> {
        let doc = Doc::parse(text).map_err(|e| {
            let (l, c) = line_col(text, e.offset);
            SpecError::Json(e.message, l, c)
        })?;
        if doc.kind(doc.root()) != Kind::Obj {
            return Err(SpecError::NotOpenApi(format!(
                "the document is {} instead of an object",
                doc.kind(doc.root()).name()
            )));
        }
        match doc.get(doc.root(), "paths") {
            Some(p) if doc.kind(p) == Kind::Obj => {}
            Some(_) => return Err(SpecError::NotOpenApi("`paths` is not an object".into())),
            None => return Err(SpecError::NotOpenApi("it has no `paths`".into())),
        }
        Ok(Spec {
            doc,
            refs: Mutex::new(HashMap::new()),
            schemas: OnceLock::new(),
        })
    }

    fn info_str(&self, key: &str) -> Option<String> {
        let info = self.doc.get(self.doc.root(), "info")?;
        self.doc.get_str(info, key).map(str::to_string)
    }

    /// `info.title`.
    pub fn title(&self) -> Option<String> {
        self.info_str("title")
    }

    /// `info.version`.
    pub fn version(&self) -> Option<String> {
        self.info_str("version")
    }

    /// `openapi` (e.g. `3.1.0`).
    pub fn openapi_version(&self) -> Option<String> {
        self.doc
            .get_str(self.doc.root(), "openapi")
            .map(str::to_string)
    }

    /// The server URLs, as text (never fetched).
    pub fn servers(&self) -> Vec<String> {
        let Some(s) = self.doc.get(self.doc.root(), "servers") else {
            return Vec::new();
        };
        self.doc
            .items(s)
            .filter_map(|x| self.doc.get_str(x, "url").map(str::to_string))
            .collect()
    }

    /// Every operation, in document order.
    pub fn operations(&self) -> Vec<Operation> {
        let Some(paths) = self.doc.get(self.doc.root(), "paths") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (path, item) in self.doc.members(paths) {
            let item = self.resolve(item).node;
            for (m, op) in self.doc.members(item) {
                if METHODS.contains(&m) && self.doc.kind(op) == Kind::Obj {
                    out.push(Operation {
                        path: path.to_string(),
                        method: m.to_ascii_uppercase(),
                        node: op,
                        summary: self.doc.get_str(op, "summary").map(str::to_string),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::model::openapi::test_docs::*;
    use crate::model::openapi::*;

    #[test]
    fn header_and_operations_of_the_documented_example() {
        let s = spec(FIXTURE);
        assert_eq!(s.title().as_deref(), Some("example-endpoint"));
        assert_eq!(s.version().as_deref(), Some("2"));
        assert_eq!(s.openapi_version().as_deref(), Some("3.1.0"));
        assert_eq!(
            s.servers(),
            ["https://example.databricks.com/serving-endpoints/example-endpoint"]
        );
        let ops = s.operations();
        assert_eq!(ops.len(), 1);
        assert_eq!(
            ops[0].path,
            "/served-models/vanilla_simple_model-2/invocations"
        );
        assert_eq!(ops[0].method, "POST");
        let (media, prefix, schema) = s.request_schema(ops[0].node).unwrap_or_default();
        assert_eq!(media, "application/json");
        assert_eq!(prefix, "requestBody/content/application~1json/schema");
        let (kw, vs) = s.variants(schema).unwrap_or(("", Vec::new()));
        assert_eq!(kw, "oneOf");
        let labels: Vec<&str> = vs.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["dataframe_split", "dataframe_records"]);
        let rs = s.responses(ops[0].node);
        assert_eq!(rs[0].0, "200");
        assert_eq!(rs[0].1.as_deref(), Some("Successful operation"));
        assert!(rs[0].2.is_some());
    }

    #[test]
    fn bad_documents_say_why() {
        assert!(matches!(
            Spec::parse("{\"a\":"),
            Err(SpecError::Json(_, 1, 6))
        ));
        assert!(matches!(Spec::parse("[]"), Err(SpecError::NotOpenApi(_))));
        assert!(matches!(
            Spec::parse("{\"openapi\": \"3.1.0\"}"),
            Err(SpecError::NotOpenApi(_))
        ));
        let e = Spec::parse("<html>")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("not valid JSON"), "{e}");
    }
}

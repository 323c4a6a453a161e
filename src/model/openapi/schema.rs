//! What a schema is: the request and response schemas of an operation, its `oneOf`/`anyOf`
//! alternatives, its type label, and everything a tree row shows about it.

use super::Spec;
use crate::model::json_doc::{escape_segment, Doc, Kind, NodeId};

/// What a row shows about a schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaInfo {
    /// `integer (int64)`, `array of string`, `tuple [3]`, `one of 2`, …
    pub type_label: String,
    /// The `$ref` name followed, if any.
    pub ref_name: Option<String>,
    /// An unresolvable or remote `$ref`.
    pub ref_error: Option<String>,
    /// `title`.
    pub title: Option<String>,
    /// `description` (plain text; never rendered as HTML).
    pub description: Option<String>,
    /// `enum` values as JSON text (at most [`ENUM_SHOWN`]).
    pub enum_values: Vec<String>,
    /// How many `enum` values there are in all.
    pub enum_count: usize,
    /// `default` as JSON text.
    pub default: Option<String>,
    /// `const` as JSON text.
    pub constant: Option<String>,
    /// Constraints such as `minItems 4`, `≤ 100`, `pattern ^a`.
    pub constraints: Vec<String>,
    /// `deprecated`, `readOnly`, `writeOnly`, `nullable`.
    pub flags: Vec<&'static str>,
    /// Number of `examples`/`example` given on the schema.
    pub example_count: usize,
}

/// How many enum values a row lists.
pub const ENUM_SHOWN: usize = 50;

/// A response: status, description, and the pointer and schema of its JSON body.
pub type ResponseInfo = (String, Option<String>, Option<(String, NodeId)>);

/// The pointer from an operation to the schema of its JSON request body.
pub fn request_prefix(media: &str) -> String {
    format!("requestBody/content/{}/schema", escape_segment(media))
}

impl Spec {
    /// The JSON request body of an operation: (media type, pointer from the operation, schema).
    pub fn request_schema(&self, op: NodeId) -> Option<(String, String, NodeId)> {
        let body = self.resolve(self.doc.get(op, "requestBody")?).node;
        let (media, schema) = self.media_schema(body)?;
        Some((media.clone(), request_prefix(&media), schema))
    }

    fn media_schema(&self, holder: NodeId) -> Option<(String, NodeId)> {
        let content = self.doc.get(holder, "content")?;
        let pick = self
            .doc
            .members(content)
            .find(|(k, _)| k.starts_with("application/json"))
            .or_else(|| self.doc.members(content).next())?;
        Some((pick.0.to_string(), self.doc.get(pick.1, "schema")?))
    }

    /// Responses of an operation: (status, description, pointer and schema of the JSON body).
    pub fn responses(&self, op: NodeId) -> Vec<ResponseInfo> {
        let Some(rs) = self.doc.get(op, "responses") else {
            return Vec::new();
        };
        self.doc
            .members(rs)
            .map(|(status, r)| {
                let r = self.resolve(r).node;
                let desc = self.doc.get_str(r, "description").map(str::to_string);
                let schema = self.media_schema(r).map(|(media, s)| {
                    (
                        format!(
                            "responses/{}/content/{}/schema",
                            escape_segment(status),
                            escape_segment(&media)
                        ),
                        s,
                    )
                });
                (status.to_string(), desc, schema)
            })
            .collect()
    }

    /// The `oneOf`/`anyOf` alternatives at the top of a schema: keyword and (label, node).
    pub fn variants(&self, schema: NodeId) -> Option<(&'static str, Vec<(String, NodeId)>)> {
        let s = self.resolve(schema).node;
        for kw in ["oneOf", "anyOf"] {
            if let Some(list) = self.doc.get(s, kw) {
                if self.doc.kind(list) == Kind::Arr && !self.doc.is_empty(list) {
                    let v = self
                        .doc
                        .items(list)
                        .enumerate()
                        .map(|(i, n)| (self.variant_label(n, i), n))
                        .collect();
                    return Some((kw, v));
                }
            }
        }
        None
    }

    /// A label for an alternative: its title, its one input-format key (`dataframe_split`,
    /// ignoring `params`), its `$ref` name, its type, or `Option N`.
    pub fn variant_label(&self, n: NodeId, i: usize) -> String {
        let r = self.resolve(n);
        let s = r.node;
        if let Some(t) = self.doc.get_str(s, "title") {
            return t.to_string();
        }
        if let Some(props) = self.doc.get(s, "properties") {
            let keys: Vec<&str> = self
                .doc
                .members(props)
                .map(|(k, _)| k)
                .filter(|k| *k != "params")
                .collect();
            if keys.len() == 1 {
                return keys[0].to_string();
            }
        }
        if let Some(name) = r.ref_name {
            return name;
        }
        if let Some(t) = self.doc.get_str(s, "type") {
            return t.to_string();
        }
        format!("Option {}", i + 1)
    }

    pub(super) fn types(&self, s: NodeId) -> Vec<String> {
        let mut t: Vec<String> = match self.doc.get(s, "type") {
            Some(n) if self.doc.kind(n) == Kind::Str => {
                self.doc.as_str(n).map(str::to_string).into_iter().collect()
            }
            Some(n) => self
                .doc
                .items(n)
                .filter_map(|x| self.doc.as_str(x).map(str::to_string))
                .collect(),
            None => Vec::new(),
        };
        if t.is_empty() {
            let has = |k| self.doc.get(s, k).is_some();
            if has("properties") || has("additionalProperties") || has("patternProperties") {
                t.push("object".into());
            } else if has("items") || has("prefixItems") {
                t.push("array".into());
            }
        }
        if self
            .doc
            .get(s, "nullable")
            .and_then(|n| self.doc.as_bool(n))
            == Some(true)
            && !t.iter().any(|x| x == "null")
        {
            t.push("null".into());
        }
        t
    }

    /// A short type label; `depth` bounds how far `array of …` looks inside.
    pub fn type_label(&self, schema: NodeId, depth: usize) -> String {
        let r = self.resolve(schema);
        if r.error.is_some() {
            return "unresolved $ref".into();
        }
        let s = r.node;
        let types = self.types(s);
        if types.is_empty() {
            for (kw, word) in [
                ("oneOf", "one of"),
                ("anyOf", "any of"),
                ("allOf", "all of"),
            ] {
                if let Some(l) = self.doc.get(s, kw) {
                    return format!("{word} {}", self.doc.len(l));
                }
            }
            if let Some(c) = self.doc.get(s, "const") {
                return format!("const ({})", self.doc.kind(c).name());
            }
            if let Some(first) = self.doc.get(s, "enum").and_then(|e| self.doc.index(e, 0)) {
                return format!("enum ({})", self.doc.kind(first).name());
            }
            return "any".into();
        }
        let fmt = self.doc.get_str(s, "format");
        let labels: Vec<String> = types
            .iter()
            .map(|t| match t.as_str() {
                "array" => {
                    if let Some(p) = self.doc.get(s, "prefixItems") {
                        format!("tuple [{}]", self.doc.len(p))
                    } else if let Some(items) = self.doc.get(s, "items") {
                        if self.doc.kind(items) == Kind::Arr {
                            format!("tuple [{}]", self.doc.len(items))
                        } else if depth == 0 {
                            "array".into()
                        } else {
                            let inner = self.resolve(items);
                            match inner.ref_name {
                                Some(n) if inner.error.is_none() => format!("array of {n}"),
                                _ => format!("array of {}", self.type_label(items, depth - 1)),
                            }
                        }
                    } else {
                        "array".into()
                    }
                }
                "object" => {
                    let ap = self
                        .doc
                        .get(s, "additionalProperties")
                        .filter(|a| self.doc.kind(*a) == Kind::Obj);
                    match (self.doc.get(s, "properties"), ap) {
                        (None, Some(a)) if depth > 0 => {
                            format!("map of {}", self.type_label(a, depth - 1))
                        }
                        _ => "object".into(),
                    }
                }
                other => match fmt {
                    Some(f) if other != "null" => format!("{other} ({f})"),
                    _ => other.to_string(),
                },
            })
            .collect();
        labels.join(" | ")
    }

    /// Everything a row shows about `schema`.
    pub fn info(&self, schema: NodeId) -> SchemaInfo {
        let r = self.resolve(schema);
        let s = r.node;
        let d = &self.doc;
        // A description next to the $ref wins over the target's (OpenAPI 3.1).
        let description = d
            .get_str(schema, "description")
            .or_else(|| d.get_str(s, "description"))
            .map(str::to_string);
        let enum_node = d.get(s, "enum");
        let enum_values = enum_node
            .map(|e| {
                d.items(e)
                    .take(ENUM_SHOWN)
                    .map(|v| short_json(d, v))
                    .collect()
            })
            .unwrap_or_default();
        let mut constraints = Vec::new();
        for (k, word) in [
            ("minItems", "min items"),
            ("maxItems", "max items"),
            ("minLength", "min length"),
            ("maxLength", "max length"),
            ("minProperties", "min properties"),
            ("maxProperties", "max properties"),
            ("multipleOf", "multiple of"),
        ] {
            if let Some(v) = d.get(s, k).and_then(|v| d.raw_num(v)) {
                constraints.push(format!("{word} {v}"));
            }
        }
        let excl = |k: &str| d.get(s, k).and_then(|v| d.as_bool(v)) == Some(true);
        if let Some(v) = d.get(s, "minimum").and_then(|v| d.raw_num(v)) {
            let op = if excl("exclusiveMinimum") { ">" } else { "≥" };
            constraints.push(format!("{op} {v}"));
        }
        if let Some(v) = d.get(s, "exclusiveMinimum").and_then(|v| d.raw_num(v)) {
            constraints.push(format!("> {v}"));
        }
        if let Some(v) = d.get(s, "maximum").and_then(|v| d.raw_num(v)) {
            let op = if excl("exclusiveMaximum") { "<" } else { "≤" };
            constraints.push(format!("{op} {v}"));
        }
        if let Some(v) = d.get(s, "exclusiveMaximum").and_then(|v| d.raw_num(v)) {
            constraints.push(format!("< {v}"));
        }
        if let Some(p) = d.get_str(s, "pattern") {
            constraints.push(format!("pattern {p}"));
        }
        if d.get(s, "uniqueItems").and_then(|v| d.as_bool(v)) == Some(true) {
            constraints.push("unique items".into());
        }
        if d.get(s, "additionalProperties").and_then(|v| d.as_bool(v)) == Some(false) {
            constraints.push("no other properties".into());
        }
        let mut flags = Vec::new();
        for (k, f) in [
            ("deprecated", "deprecated"),
            ("readOnly", "read-only"),
            ("writeOnly", "write-only"),
            ("nullable", "nullable"),
        ] {
            if d.get(s, k).and_then(|v| d.as_bool(v)) == Some(true) {
                flags.push(f);
            }
        }
        let example_count = d.get(s, "examples").map_or(0, |e| d.len(e).max(1))
            + usize::from(d.get(s, "example").is_some());
        SchemaInfo {
            type_label: self.type_label(schema, 2),
            ref_name: r.ref_name,
            ref_error: r.error,
            title: d.get_str(s, "title").map(str::to_string),
            description,
            enum_count: enum_node.map_or(0, |e| d.len(e)),
            enum_values,
            default: d.get(s, "default").map(|v| short_json(d, v)),
            constant: d.get(s, "const").map(|v| short_json(d, v)),
            constraints,
            flags,
            example_count,
        }
    }
}

/// Compact JSON of a value, cut at 200 characters.
fn short_json(d: &Doc, v: NodeId) -> String {
    let t = d.to_json(v, false);
    if t.chars().count() > 200 {
        let mut s: String = t.chars().take(199).collect();
        s.push('…');
        s
    } else {
        t
    }
}

//! The OpenAPI model of the Schema tab, over a [`Doc`]: header facts, operations, request and
//! response schemas, lazy `$ref` resolution (memoised, loops detected, never remote), the
//! flattened tree of expanded nodes with cycles marked, search across every reachable schema,
//! and request examples.
//!
//! Tree nodes are named by their JSON pointer *relative to the operation object*, followed
//! through `$ref`s (e.g. `requestBody/content/application~1json/schema/oneOf/0/properties/x`):
//! stable across reloads, so they serve as deep links and as keys of the expanded set.

use super::json_doc::{escape_segment, line_col, unescape_segment, Doc, Kind, NodeId};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Mutex, OnceLock};

/// HTTP methods of a path item, in the order OpenAPI lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How far a `$ref` chain is followed before it is called a loop.
const MAX_REF_HOPS: usize = 32;

/// A parsed OpenAPI document.
pub struct Spec {
    /// The document.
    pub doc: Doc,
    refs: Mutex<HashMap<String, Option<NodeId>>>,
    schemas: OnceLock<HashMap<String, NodeId>>,
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

/// A resolved schema: the node reached after following `$ref`s.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The schema (the original node when resolution failed).
    pub node: NodeId,
    /// The name of the last `$ref` followed (its last pointer segment).
    pub ref_name: Option<String>,
    /// Why a `$ref` could not be followed.
    pub error: Option<String>,
}

/// What a child of a schema is to its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A named property.
    Property,
    /// A `patternProperties` entry.
    Pattern,
    /// `additionalProperties` (values of a map).
    Additional,
    /// `items` (every item of an array).
    Items,
    /// `prefixItems[i]` (a tuple position).
    Tuple(usize),
    /// `oneOf`/`anyOf`/`allOf` alternative `i`.
    Variant(&'static str, usize),
    /// `not`.
    Not,
}

/// A child of a schema, borrowed from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg<'a> {
    Prop(&'a str),
    Pattern(&'a str),
    Additional,
    /// `prefixItems`/`items` tuple position.
    Tuple(&'static str, usize),
    Items,
    Variant(&'static str, usize),
    Not,
}

impl Seg<'_> {
    /// The escaped pointer segments from the parent.
    fn path(&self) -> String {
        match self {
            Seg::Prop(k) => format!("properties/{}", escape_segment(k)),
            Seg::Pattern(k) => format!("patternProperties/{}", escape_segment(k)),
            Seg::Additional => "additionalProperties".into(),
            Seg::Tuple(kw, i) => format!("{kw}/{i}"),
            Seg::Items => "items".into(),
            Seg::Variant(kw, i) => format!("{kw}/{i}"),
            Seg::Not => "not".into(),
        }
    }

    /// The name the tree shows (`parent`: the resolved parent schema, for `[items]`/`[more]`).
    fn label(&self, spec: &Spec, node: NodeId, parent: Option<NodeId>) -> String {
        match self {
            Seg::Prop(k) => k.to_string(),
            Seg::Pattern(k) => format!("/{k}/"),
            Seg::Additional => "{any key}".into(),
            Seg::Tuple(_, i) => format!("[{i}]"),
            Seg::Items => {
                let tuple = parent.is_some_and(|p| spec.doc.get(p, "prefixItems").is_some());
                if tuple { "[more]" } else { "[items]" }.into()
            }
            Seg::Variant(kw, i) => {
                let word = match *kw {
                    "oneOf" => "one of",
                    "anyOf" => "any of",
                    _ => "all of",
                };
                format!("{word} #{}: {}", i + 1, spec.variant_label(node, *i))
            }
            Seg::Not => "not".into(),
        }
    }
}

/// A child schema of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    /// Pointer segments from the parent, escaped and joined with `/` (`properties/x`).
    pub segs: String,
    /// What the tree shows as its name.
    pub label: String,
    /// Its role.
    pub role: Role,
    /// Listed in the parent's `required`.
    pub required: bool,
    /// The child schema (unresolved).
    pub node: NodeId,
}

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

/// One visible row of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Pointer from the operation (the row's identity and deep link).
    pub path: String,
    /// Nesting level, 1 for the root's children.
    pub depth: usize,
    /// The name shown.
    pub label: String,
    /// What it is to its parent.
    pub role: Role,
    /// Required by its parent.
    pub required: bool,
    /// The resolved schema.
    pub node: NodeId,
    /// What the row shows.
    pub info: SchemaInfo,
    /// Has children (and is not a cycle).
    pub expandable: bool,
    /// Is expanded.
    pub expanded: bool,
    /// A `$ref` back to an ancestor: that ancestor's path (the root's is the tree root path).
    pub cycle_to: Option<String>,
    /// 1-based position among its siblings.
    pub pos: usize,
    /// Number of siblings.
    pub size: usize,
}

/// A response: status, description, and the pointer and schema of its JSON body.
pub type ResponseInfo = (String, Option<String>, Option<(String, NodeId)>);

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The row path to reveal.
    pub path: String,
    /// Where it is, as names: `dataframe_split › data › [0]`.
    pub trail: String,
    /// What matched: `name`, `type`, `description` or `enum value`.
    pub what: &'static str,
}

/// Case-insensitive (ASCII) substring test without allocating; `needle` is lower case.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return true;
    }
    if n.len() > h.len() {
        return false;
    }
    h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// Join a parent path and child segments.
pub fn join(parent: &str, segs: &str) -> String {
    if parent.is_empty() {
        segs.to_string()
    } else {
        format!("{parent}/{segs}")
    }
}

/// Every prefix of `path` at a segment boundary (ancestors to expand when revealing it).
pub fn ancestors(path: &str) -> Vec<String> {
    path.match_indices('/')
        .map(|(i, _)| path[..i].to_string())
        .collect()
}

/// The pointer from an operation to the schema of its JSON request body.
pub fn request_prefix(media: &str) -> String {
    format!("requestBody/content/{}/schema", escape_segment(media))
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

    /// Follow `$ref`s from `n`: only local (`#…`) references; memoised; loops detected.
    pub fn resolve(&self, n: NodeId) -> Resolved {
        let mut cur = n;
        let mut ref_name = None;
        for _ in 0..MAX_REF_HOPS {
            let Some(r) = self.doc.get_str(cur, "$ref") else {
                return Resolved {
                    node: cur,
                    ref_name,
                    error: None,
                };
            };
            if !r.starts_with('#') {
                return Resolved {
                    node: cur,
                    ref_name: Some(r.to_string()),
                    error: Some(format!(
                        "External reference {r} is not loaded (the console never fetches remote schemas)."
                    )),
                };
            }
            match self.target_of(r) {
                Some(t) => {
                    ref_name = Some(unescape_segment(r.rsplit('/').next().unwrap_or(r)));
                    cur = t;
                }
                None => {
                    return Resolved {
                        node: cur,
                        ref_name: Some(r.to_string()),
                        error: Some(format!("Reference {r} points to nothing in this document.")),
                    }
                }
            }
        }
        Resolved {
            node: cur,
            ref_name,
            error: Some("The reference chain loops without reaching a schema.".into()),
        }
    }

    /// The node a local reference points to: `#/components/schemas/X` from an index built on
    /// first use (documents have thousands of components), anything else through a memo.
    fn target_of(&self, r: &str) -> Option<NodeId> {
        if let Some(name) = r.strip_prefix("#/components/schemas/") {
            if !name.contains(['/', '~', '%']) {
                let index = self.schemas.get_or_init(|| {
                    let d = &self.doc;
                    d.get(d.root(), "components")
                        .and_then(|c| d.get(c, "schemas"))
                        .map(|s| d.members(s).map(|(k, v)| (k.to_string(), v)).collect())
                        .unwrap_or_default()
                });
                return index.get(name).copied();
            }
        }
        match self.refs.lock() {
            Ok(mut cache) => {
                if let Some(t) = cache.get(r) {
                    return *t;
                }
                let t = self.doc.pointer(r);
                cache.insert(r.to_string(), t);
                t
            }
            Err(_) => self.doc.pointer(r),
        }
    }

    /// Walk a path (escaped segments joined by `/`) from `from`, following `$ref`s on the way.
    pub fn walk(&self, from: NodeId, path: &str) -> Option<NodeId> {
        let mut n = from;
        if path.is_empty() {
            return Some(n);
        }
        for seg in path.split('/') {
            n = self.resolve(n).node;
            n = self.doc.child(n, &unescape_segment(seg))?;
        }
        Some(n)
    }

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

    fn types(&self, s: NodeId) -> Vec<String> {
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

    /// The column names of a `dataframe_split`-like object (`columns.items.enum`), which label
    /// the tuple positions of its `data` rows.
    fn column_names(&self, object: NodeId) -> Option<Vec<String>> {
        let props = self.doc.get(object, "properties")?;
        self.doc.get(props, "data")?;
        let cols = self.resolve(self.doc.get(props, "columns")?).node;
        let items = self.resolve(self.doc.get(cols, "items")?).node;
        let e = self.doc.get(items, "enum")?;
        Some(
            self.doc
                .items(e)
                .map(|v| self.doc.as_str(v).unwrap_or("?").to_string())
                .collect(),
        )
    }

    /// The children of a (resolved) schema, in display order. `columns` labels tuple positions.
    pub fn children(&self, s: NodeId, columns: Option<&[String]>) -> Vec<Child> {
        let d = &self.doc;
        let mut out = Vec::new();
        let required: HashSet<&str> = d
            .get(s, "required")
            .map(|r| d.items(r).filter_map(|x| d.as_str(x)).collect())
            .unwrap_or_default();
        if let Some(props) = d.get(s, "properties") {
            for (k, v) in d.members(props) {
                out.push(Child {
                    segs: format!("properties/{}", escape_segment(k)),
                    label: k.to_string(),
                    role: Role::Property,
                    required: required.contains(k),
                    node: v,
                });
            }
        }
        if let Some(pp) = d.get(s, "patternProperties") {
            for (k, v) in d.members(pp) {
                out.push(Child {
                    segs: format!("patternProperties/{}", escape_segment(k)),
                    label: format!("/{k}/"),
                    role: Role::Pattern,
                    required: false,
                    node: v,
                });
            }
        }
        if let Some(a) = d
            .get(s, "additionalProperties")
            .filter(|a| d.kind(*a) == Kind::Obj)
        {
            out.push(Child {
                segs: "additionalProperties".into(),
                label: "{any key}".into(),
                role: Role::Additional,
                required: false,
                node: a,
            });
        }
        let tuple = d
            .get(s, "prefixItems")
            .or_else(|| d.get(s, "items").filter(|i| d.kind(*i) == Kind::Arr));
        if let Some(p) = tuple {
            let kw = if d.get(s, "prefixItems").is_some() {
                "prefixItems"
            } else {
                "items"
            };
            for (i, v) in d.items(p).enumerate() {
                let label = match columns.and_then(|c| c.get(i)) {
                    Some(c) => format!("[{i}] {c}"),
                    None => format!("[{i}]"),
                };
                out.push(Child {
                    segs: format!("{kw}/{i}"),
                    label,
                    role: Role::Tuple(i),
                    required: false,
                    node: v,
                });
            }
        }
        if let Some(items) = d.get(s, "items").filter(|i| d.kind(*i) == Kind::Obj) {
            let label = if tuple.is_some() { "[more]" } else { "[items]" };
            out.push(Child {
                segs: "items".into(),
                label: label.into(),
                role: Role::Items,
                required: false,
                node: items,
            });
        }
        for (kw, word) in [
            ("oneOf", "one of"),
            ("anyOf", "any of"),
            ("allOf", "all of"),
        ] {
            if let Some(list) = d.get(s, kw) {
                for (i, v) in d.items(list).enumerate() {
                    out.push(Child {
                        segs: format!("{kw}/{i}"),
                        label: format!("{word} #{}: {}", i + 1, self.variant_label(v, i)),
                        role: Role::Variant(kw_static(kw), i),
                        required: false,
                        node: v,
                    });
                }
            }
        }
        if let Some(n) = d.get(s, "not").filter(|n| d.kind(*n) == Kind::Obj) {
            out.push(Child {
                segs: "not".into(),
                label: "not".into(),
                role: Role::Not,
                required: false,
                node: n,
            });
        }
        out
    }

    /// The visible rows under `root` (pointer `root_path` from the operation): the root's
    /// children, and the children of every expanded row, depth first; at most `max_rows`.
    /// A `$ref` back to an ancestor is a cycle row, never expanded.
    pub fn flatten(
        &self,
        root_path: &str,
        root: NodeId,
        expanded: &HashSet<String>,
        max_rows: usize,
    ) -> Vec<Row> {
        struct Frame {
            path: String,
            node: NodeId,
            kids: Vec<Child>,
            next: usize,
            columns: Option<Vec<String>>,
        }
        let mut rows = Vec::new();
        let root_r = self.resolve(root).node;
        let mut stack = vec![Frame {
            path: root_path.to_string(),
            node: root_r,
            kids: self.children(root_r, None),
            next: 0,
            columns: self.column_names(root_r),
        }];
        while let Some(top) = stack.last_mut() {
            if rows.len() >= max_rows {
                break;
            }
            if top.next >= top.kids.len() {
                stack.pop();
                continue;
            }
            let i = top.next;
            top.next += 1;
            let size = top.kids.len();
            let child = top.kids[i].clone();
            let parent_cols = top.columns.clone();
            let path = join(&top.path, &child.segs);
            let r = self.resolve(child.node);
            let cycle_to = stack
                .iter()
                .find(|f| f.node == r.node && r.ref_name.is_some())
                .map(|f| f.path.clone());
            // Tuple labels: the `data` of a dataframe_split object, passed down to its rows.
            let cols_here = if (child.label == "data" && child.role == Role::Property)
                || matches!(child.role, Role::Items)
            {
                parent_cols
            } else {
                self.column_names(r.node)
            };
            let kids = if cycle_to.is_none() && r.error.is_none() {
                self.children(r.node, cols_here.as_deref())
            } else {
                Vec::new()
            };
            let expandable = !kids.is_empty();
            let is_open = expandable && expanded.contains(&path);
            rows.push(Row {
                path: path.clone(),
                depth: stack.len(),
                label: child.label.clone(),
                role: child.role.clone(),
                required: child.required,
                node: r.node,
                info: self.info(child.node),
                expandable,
                expanded: is_open,
                cycle_to,
                pos: i + 1,
                size,
            });
            if is_open {
                stack.push(Frame {
                    path,
                    node: r.node,
                    kids,
                    next: 0,
                    columns: cols_here,
                });
            }
        }
        rows
    }

    /// Paths to expand so that the tree under `root` is open everywhere (cycles stay closed),
    /// stopping once about `max_rows` rows would be visible.
    pub fn expand_all(&self, root_path: &str, root: NodeId, max_rows: usize) -> HashSet<String> {
        let mut open = HashSet::new();
        let mut shown = 0usize;
        // Breadth first, so a cap leaves the top levels open.
        let root_r = self.resolve(root).node;
        let mut queue: VecDeque<(String, NodeId, Vec<NodeId>)> = VecDeque::new();
        queue.push_back((root_path.to_string(), root_r, vec![root_r]));
        let mut first = true;
        while let Some((path, node, ancestors)) = queue.pop_front() {
            let kids = self.children(node, None);
            if kids.is_empty() {
                continue;
            }
            if shown + kids.len() > max_rows {
                break;
            }
            shown += kids.len();
            if !first {
                open.insert(path.clone());
            }
            first = false;
            for k in kids {
                let r = self.resolve(k.node);
                if r.error.is_some() || ancestors.contains(&r.node) {
                    continue;
                }
                let mut a = ancestors.clone();
                a.push(r.node);
                queue.push_back((join(&path, &k.segs), r.node, a));
            }
        }
        open
    }

    /// The children of a (resolved) schema as borrowed segments, without allocating.
    fn each_child<'a>(&'a self, s: NodeId, f: &mut dyn FnMut(Seg<'a>, NodeId)) {
        let d = &self.doc;
        if let Some(props) = d.get(s, "properties") {
            for (k, v) in d.members(props) {
                f(Seg::Prop(k), v);
            }
        }
        if let Some(pp) = d.get(s, "patternProperties") {
            for (k, v) in d.members(pp) {
                f(Seg::Pattern(k), v);
            }
        }
        if let Some(a) = d
            .get(s, "additionalProperties")
            .filter(|a| d.kind(*a) == Kind::Obj)
        {
            f(Seg::Additional, a);
        }
        let (tuple_kw, tuple) = match d.get(s, "prefixItems") {
            Some(p) => ("prefixItems", Some(p)),
            None => (
                "items",
                d.get(s, "items").filter(|i| d.kind(*i) == Kind::Arr),
            ),
        };
        if let Some(p) = tuple {
            for (i, v) in d.items(p).enumerate() {
                f(Seg::Tuple(tuple_kw, i), v);
            }
        }
        if let Some(items) = d.get(s, "items").filter(|i| d.kind(*i) == Kind::Obj) {
            f(Seg::Items, items);
        }
        for kw in ["oneOf", "anyOf", "allOf"] {
            if let Some(list) = d.get(s, kw) {
                for (i, v) in d.items(list).enumerate() {
                    f(Seg::Variant(kw_static(kw), i), v);
                }
            }
        }
        if let Some(n) = d.get(s, "not").filter(|n| d.kind(*n) == Kind::Obj) {
            f(Seg::Not, n);
        }
    }

    /// Follow `$ref`s quickly: the target, and the raw last segment of the last reference;
    /// `None` when a reference cannot be followed.
    fn resolve_fast(&self, n: NodeId) -> Option<(NodeId, Option<&str>)> {
        let mut cur = n;
        let mut last = None;
        for _ in 0..MAX_REF_HOPS {
            let Some(r) = self.doc.get_str(cur, "$ref") else {
                return Some((cur, last));
            };
            if !r.starts_with('#') {
                return None;
            }
            cur = self.target_of(r)?;
            last = r.rsplit('/').next();
        }
        None
    }

    /// Search names, `$ref` names, descriptions and enum values of every schema reachable from
    /// `roots` ((pointer, schema) pairs), each resolved schema visited once (breadth first, so
    /// each hit has its shortest path). Name matches come first; at most `limit` hits; `true`
    /// when there were more. Nothing is allocated per schema visited but the queue entry.
    pub fn search(
        &self,
        roots: &[(String, NodeId)],
        query: &str,
        limit: usize,
    ) -> (Vec<Hit>, bool) {
        let q = query.trim().to_ascii_lowercase();
        if q.is_empty() {
            return (Vec::new(), false);
        }
        const ROOT: u32 = u32::MAX;
        struct Entry<'a> {
            parent: u32,
            /// For roots: the index into `roots`.
            seg: Seg<'a>,
            node: NodeId,
        }
        let d = &self.doc;
        let mut entries: Vec<Entry> = Vec::new();
        for (i, (_, n)) in roots.iter().enumerate() {
            entries.push(Entry {
                parent: ROOT,
                seg: Seg::Tuple("root", i),
                node: *n,
            });
        }
        let mut visited = vec![0u64; d.node_count() / 64 + 1];
        let mut names: Vec<(usize, &'static str)> = Vec::new();
        let mut others: Vec<(usize, &'static str)> = Vec::new();
        let mut more = false;
        let mut next = 0usize;
        while next < entries.len() {
            let idx = next;
            next += 1;
            if names.len() >= limit {
                more = true;
                break;
            }
            let (node, parent, seg) = (entries[idx].node, entries[idx].parent, entries[idx].seg);
            let Some((target, last_ref)) = self.resolve_fast(node) else {
                continue;
            };
            if parent != ROOT {
                let name = match seg {
                    Seg::Prop(k) | Seg::Pattern(k) => Some(k),
                    _ => None,
                };
                if name.is_some_and(|k| contains_ci(k, &q)) {
                    names.push((idx, "name"));
                } else if last_ref.is_some_and(|n| contains_ci(n, &q)) {
                    names.push((idx, "type"));
                } else if others.len() < limit {
                    let desc = d
                        .get_str(node, "description")
                        .or_else(|| d.get_str(target, "description"));
                    if desc.is_some_and(|t| contains_ci(t, &q)) {
                        others.push((idx, "description"));
                    } else if d.get(target, "enum").is_some_and(|e| {
                        d.items(e)
                            .any(|v| d.as_str(v).is_some_and(|s| contains_ci(s, &q)))
                    }) {
                        others.push((idx, "enum value"));
                    }
                }
            }
            let (word, bit) = (target as usize / 64, 1u64 << (target % 64));
            if visited.get(word).is_none_or(|w| w & bit != 0) {
                continue;
            }
            visited[word] |= bit;
            let parent = idx as u32;
            self.each_child(target, &mut |seg, node| {
                entries.push(Entry { parent, seg, node });
            });
        }
        let hit = |(idx, what): (usize, &'static str)| {
            let mut chain = Vec::new();
            let mut i = idx as u32;
            while i != ROOT {
                chain.push(i as usize);
                i = entries[i as usize].parent;
            }
            chain.reverse();
            let mut path = String::new();
            let mut labels = Vec::new();
            let mut parent_node = None;
            for i in chain {
                let e = &entries[i];
                match (e.parent, e.seg) {
                    (ROOT, Seg::Tuple(_, r)) => {
                        path.push_str(roots.get(r).map_or("", |x| x.0.as_str()));
                    }
                    (_, seg) => {
                        if !path.is_empty() {
                            path.push('/');
                        }
                        path.push_str(&seg.path());
                        labels.push(seg.label(self, e.node, parent_node));
                    }
                }
                parent_node = self.resolve_fast(e.node).map(|x| x.0);
            }
            Hit {
                path,
                trail: labels.join(" › "),
                what,
            }
        };
        let total = names.len() + others.len();
        let mut hits: Vec<Hit> = names
            .into_iter()
            .chain(others)
            .take(limit)
            .map(hit)
            .collect();
        hits.dedup_by(|a, b| a.path == b.path);
        (hits, more || total > limit)
    }

    /// The examples given on a schema (`examples` items, then `example`).
    pub fn examples(&self, schema: NodeId) -> Vec<NodeId> {
        let s = self.resolve(schema).node;
        let d = &self.doc;
        let mut out: Vec<NodeId> = match d.get(s, "examples") {
            Some(e) if d.kind(e) == Kind::Arr => d.items(e).collect(),
            // OpenAPI media-type style `examples: {name: {value}}`.
            Some(e) if d.kind(e) == Kind::Obj => d
                .members(e)
                .map(|(_, x)| d.get(x, "value").unwrap_or(x))
                .collect(),
            _ => Vec::new(),
        };
        out.extend(d.get(s, "example"));
        out
    }

    /// The request body to start the builder from, for one alternative: its example — wrapped
    /// in the alternative's one input-format key when the example is that key's value (the
    /// documented form gives `{"columns", "data"}` for `dataframe_split`) — or a value made up
    /// from the schema.
    pub fn example_body(&self, variant: NodeId) -> String {
        let s = self.resolve(variant).node;
        let d = &self.doc;
        let keys: Vec<&str> = d
            .get(s, "properties")
            .map(|p| d.members(p).map(|(k, _)| k).collect())
            .unwrap_or_default();
        let formats: Vec<&str> = keys.iter().copied().filter(|k| *k != "params").collect();
        if let Some(&ex) = self.examples(variant).first() {
            let is_body = d.kind(ex) == Kind::Obj && d.members(ex).any(|(k, _)| keys.contains(&k));
            let text = d.to_json(ex, true);
            if is_body || formats.len() != 1 {
                return text;
            }
            // Wrap: {"<format>": <example>} (and the params' defaults, if any).
            let mut out = String::from("{\n  ");
            super::json_doc::write_json_string(&mut out, formats[0]);
            out.push_str(": ");
            out.push_str(&indent(&text, 1));
            if let Some(p) = d.get(s, "properties").and_then(|p| d.get(p, "params")) {
                let params = self.sample(p);
                out.push_str(",\n  \"params\": ");
                out.push_str(&indent(&params, 1));
            }
            out.push_str("\n}");
            return out;
        }
        self.sample(variant)
    }

    /// A value valid for `schema` as far as we can tell (defaults, first enum values, typed
    /// placeholders; every enum value for arrays of enum strings such as `columns`), pretty.
    pub fn sample(&self, schema: NodeId) -> String {
        let mut out = String::new();
        let mut cx = SampleCtx {
            budget: SAMPLE_BUDGET,
            bytes: 0,
            path: Vec::new(),
        };
        self.write_sample(schema, 0, 0, &mut out, &mut cx);
        out
    }

    /// One value of a sample; a schema already being sampled further up (a cycle) or a spent
    /// budget gives `null`, so generated documents with cyclic, branching `$ref`s stay cheap.
    fn write_sample(
        &self,
        schema: NodeId,
        depth: usize,
        indent_level: usize,
        out: &mut String,
        cx: &mut SampleCtx,
    ) {
        let r = self.resolve(schema);
        if cx.budget == 0
            || cx.bytes > SAMPLE_BYTES
            || depth > 12
            || r.error.is_some()
            || cx.path.contains(&r.node)
        {
            out.push_str("null");
            return;
        }
        cx.budget -= 1;
        cx.path.push(r.node);
        let (start, before) = (cx.bytes, out.len());
        self.write_sample_of(r.node, depth, indent_level, out, cx);
        // Exact running total: this value's text, its parts counted once.
        cx.bytes = start + (out.len() - before);
        cx.path.pop();
    }

    fn write_sample_of(
        &self,
        s: NodeId,
        depth: usize,
        indent_level: usize,
        out: &mut String,
        cx: &mut SampleCtx,
    ) {
        let d = &self.doc;
        let pad = |out: &mut String, l: usize| {
            out.push('\n');
            for _ in 0..l {
                out.push_str("  ");
            }
        };
        let types = self.types(s);
        let ty = types.iter().find(|t| *t != "null").map(String::as_str);
        if let Some(v) = d.get(s, "default") {
            // Documented params give defaults as strings ("0.5") for numbers.
            let text = d.as_str(v).unwrap_or("");
            let as_num = matches!(ty, Some("number" | "integer")) && text.parse::<f64>().is_ok();
            let as_bool = ty == Some("boolean") && matches!(text, "true" | "false");
            let as_json = matches!(ty, Some("array" | "object"))
                && Doc::parse(text).is_ok_and(|x| Some(x.kind(x.root()).name()) == ty);
            if d.kind(v) == Kind::Str && (as_num || as_bool || as_json) {
                out.push_str(text);
            } else {
                out.push_str(&indent(&d.to_json(v, true), indent_level));
            }
            return;
        }
        if let Some(v) = d
            .get(s, "const")
            .or_else(|| d.get(s, "enum").and_then(|e| d.index(e, 0)))
        {
            out.push_str(&indent(&d.to_json(v, true), indent_level));
            return;
        }
        for kw in ["oneOf", "anyOf", "allOf"] {
            if let Some(first) = d.get(s, kw).and_then(|l| d.index(l, 0)) {
                if ty.is_none() {
                    self.write_sample(first, depth + 1, indent_level, out, cx);
                    return;
                }
            }
        }
        let fmt = d.get_str(s, "format").unwrap_or("");
        match ty {
            Some("object") | None if d.get(s, "properties").is_some() => {
                // The required properties when some are listed, else all of them.
                let required: Vec<&str> = d
                    .get(s, "required")
                    .map(|r| d.items(r).filter_map(|x| d.as_str(x)).collect())
                    .unwrap_or_default();
                let props: Vec<(&str, NodeId)> = d
                    .get(s, "properties")
                    .map(|p| {
                        d.members(p)
                            .filter(|(k, _)| required.is_empty() || required.contains(k))
                            .collect()
                    })
                    .unwrap_or_default();
                if props.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (i, (k, v)) in props.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    pad(out, indent_level + 1);
                    super::json_doc::write_json_string(out, k);
                    out.push_str(": ");
                    self.write_sample(*v, depth + 1, indent_level + 1, out, cx);
                }
                pad(out, indent_level);
                out.push('}');
            }
            Some("object") => {
                if let Some(a) = d
                    .get(s, "additionalProperties")
                    .filter(|a| d.kind(*a) == Kind::Obj)
                {
                    out.push('{');
                    pad(out, indent_level + 1);
                    out.push_str("\"key\": ");
                    self.write_sample(a, depth + 1, indent_level + 1, out, cx);
                    pad(out, indent_level);
                    out.push('}');
                } else {
                    out.push_str("{}");
                }
            }
            Some("array") => {
                let tuple = d
                    .get(s, "prefixItems")
                    .or_else(|| d.get(s, "items").filter(|i| d.kind(*i) == Kind::Arr));
                let items: Vec<NodeId> = if let Some(t) = tuple {
                    d.items(t).collect()
                } else if let Some(it) = d.get(s, "items") {
                    let inner = self.resolve(it).node;
                    if let Some(e) = d
                        .get(inner, "enum")
                        .filter(|_| self.types(inner).iter().any(|t| t == "string"))
                    {
                        // An array of enum strings (dataframe_split `columns`): all of them.
                        let vals: Vec<String> = d
                            .items(e)
                            .take(ENUM_SHOWN * 20)
                            .map(|v| d.to_json(v, false))
                            .collect();
                        out.push('[');
                        out.push_str(&vals.join(", "));
                        out.push(']');
                        return;
                    }
                    let n = d
                        .get(s, "minItems")
                        .and_then(|m| d.as_f64(m))
                        .map_or(1, |m| (m as usize).clamp(1, 16));
                    vec![it; n]
                } else {
                    Vec::new()
                };
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                // Each item once; short scalar rows on one line, the rest one item a line.
                let parts: Vec<String> = items
                    .iter()
                    .map(|it| {
                        let mut one = String::new();
                        self.write_sample(*it, depth + 1, indent_level + 1, &mut one, cx);
                        one
                    })
                    .collect();
                let flat = parts.iter().all(|p| !p.contains('\n'));
                let inline = parts.join(", ");
                if flat && inline.len() < 100 {
                    out.push('[');
                    out.push_str(&inline);
                    out.push(']');
                } else {
                    out.push('[');
                    for (i, p) in parts.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        pad(out, indent_level + 1);
                        out.push_str(p);
                    }
                    pad(out, indent_level);
                    out.push(']');
                }
            }
            Some("integer") => out.push('0'),
            Some("number") => out.push_str("0.0"),
            Some("boolean") => out.push_str("false"),
            Some("null") => out.push_str("null"),
            Some("string") => out.push_str(match fmt {
                "date-time" => "\"2024-01-01T00:00:00Z\"",
                "date" => "\"2024-01-01\"",
                "byte" => "\"YWJj\"",
                "uuid" => "\"00000000-0000-0000-0000-000000000000\"",
                _ => "\"string\"",
            }),
            _ => out.push_str("null"),
        }
    }
}

/// How many schema nodes one sample may visit.
const SAMPLE_BUDGET: usize = 20_000;
/// Text one sample may grow to before further values become `null`: a large `default` reached
/// through many paths would otherwise be copied into hundreds of megabytes.
const SAMPLE_BYTES: usize = 1 << 20;

struct SampleCtx {
    budget: usize,
    /// Bytes of sample text written so far.
    bytes: usize,
    path: Vec<NodeId>,
}

fn kw_static(kw: &str) -> &'static str {
    match kw {
        "oneOf" => "oneOf",
        "anyOf" => "anyOf",
        _ => "allOf",
    }
}

/// Indent every line but the first by `level` steps of two spaces.
fn indent(text: &str, level: usize) -> String {
    if level == 0 || !text.contains('\n') {
        return text.to_string();
    }
    let pad = "  ".repeat(level);
    text.replace('\n', &format!("\n{pad}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = api_fixtures::get("openapi.json");

    fn spec(text: &str) -> Spec {
        Spec::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    const CYCLIC: &str = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
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
    fn tree_of_dataframe_split_labels_tuple_columns() {
        let s = spec(FIXTURE);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let root_path = format!("{prefix}/oneOf/0");
        let root = s.walk(op, &root_path).unwrap_or(0);
        assert_eq!(s.resolve(schema).node, s.walk(op, &prefix).unwrap_or(1));
        let mut open = HashSet::new();
        let rows = s.flatten(&root_path, root, &open, 1000);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["dataframe_split", "params"]);
        assert!(rows[0].expandable && !rows[0].expanded);
        open.insert(rows[0].path.clone());
        let data = format!("{root_path}/properties/dataframe_split/properties/data");
        open.insert(data.clone());
        open.insert(format!("{data}/items"));
        let rows = s.flatten(&root_path, root, &open, 1000);
        let labels: Vec<String> = rows
            .iter()
            .map(|r| format!("{}:{}:{}", r.depth, r.label, r.info.type_label))
            .collect();
        assert_eq!(
            labels,
            [
                "1:dataframe_split:object",
                "2:columns:array of string",
                "2:data:array of tuple [3]",
                "3:[items]:tuple [3]",
                "4:[0] int_col:integer (int64)",
                "4:[1] float_col:number (double)",
                "4:[2] string_col:string",
                "1:params:object",
            ]
        );
        let columns = &rows[1];
        assert_eq!(columns.info.enum_count, 0, "the enum is on the items");
        assert_eq!(
            columns.info.description.as_deref(),
            Some("required fields: int_col")
        );
        assert_eq!(rows[4].pos, 1);
        assert_eq!(rows[4].size, 3);
    }

    #[test]
    fn cycles_are_rows_that_point_back_and_never_expand() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let root = s.resolve(schema).node;
        let mut open = HashSet::new();
        open.insert(format!("{prefix}/properties/children"));
        let rows = s.flatten(&prefix, schema, &open, 1000);
        let items = rows
            .iter()
            .find(|r| r.label == "[items]")
            .cloned()
            .unwrap_or_else(|| panic!("{rows:?}"));
        assert_eq!(items.cycle_to.as_deref(), Some(prefix.as_str()));
        assert!(!items.expandable);
        assert_eq!(items.node, root);
        let name = &rows[0];
        assert!(name.required);
        assert_eq!(name.info.enum_values, ["\"root\"", "\"leaf\""]);
        let remote = rows
            .iter()
            .find(|r| r.label == "remote")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert!(remote
            .info
            .ref_error
            .unwrap_or_default()
            .contains("never fetches"));
        let broken = rows
            .iter()
            .find(|r| r.label == "broken")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert!(broken
            .info
            .ref_error
            .unwrap_or_default()
            .contains("points to nothing"));
        let lp = rows
            .iter()
            .find(|r| r.label == "loop")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert!(lp.info.ref_error.unwrap_or_default().contains("loops"));
        let meta = rows
            .iter()
            .find(|r| r.label == "meta")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert_eq!(meta.info.type_label, "map of integer (int32)");
        assert_eq!(meta.info.ref_name.as_deref(), Some("Meta"));
    }

    #[test]
    fn expand_all_stops_at_cycles_and_the_cap() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let open = s.expand_all(&prefix, schema, 10_000);
        let rows = s.flatten(&prefix, schema, &open, 10_000);
        assert!(rows.len() < 20, "{}", rows.len());
        assert!(rows.iter().any(|r| r.cycle_to.is_some()));
        assert!(rows.iter().filter(|r| r.expandable).all(|r| r.expanded));
        let capped = s.expand_all(&prefix, schema, 3);
        assert!(capped.is_empty());
    }

    #[test]
    fn search_finds_names_descriptions_and_enum_values_once_each() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let roots = vec![(prefix.clone(), schema)];
        let (hits, more) = s.search(&roots, "CHILD", 50);
        assert!(!more);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].path, format!("{prefix}/properties/children"));
        assert_eq!(hits[0].trail, "children");
        let (hits, _) = s.search(&roots, "leaf", 50);
        assert_eq!(hits[0].what, "enum value");
        assert_eq!(hits[0].trail, "name");
        let (hits, _) = s.search(&roots, "meta", 50);
        assert_eq!(hits[0].what, "name");
        let (hits, more) = s.search(&roots, "e", 2);
        assert_eq!(hits.len(), 2);
        assert!(more);
        assert!(s.search(&roots, "  ", 5).0.is_empty());
    }

    #[test]
    fn example_bodies_wrap_the_documented_inner_example() {
        let s = spec(FIXTURE);
        let op = s.operations()[0].node;
        let (_, _, schema) = s.request_schema(op).unwrap_or_default();
        let (_, vs) = s.variants(schema).unwrap_or(("", Vec::new()));
        let body = s.example_body(vs[0].1);
        let d = Doc::parse(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        let split = d.get(d.root(), "dataframe_split").unwrap_or(0);
        assert_eq!(
            d.to_json(d.get(split, "columns").unwrap_or(0), false),
            r#"["int_col","float_col","string_col"]"#
        );
        let params = d.get(d.root(), "params").unwrap_or(0);
        assert_eq!(
            d.raw_num(d.get(params, "sentiment").unwrap_or(0)),
            Some("0.5"),
            "string default as number: {body}"
        );
        let listy = spec(
            r#"{"paths": {}, "x": {"type": "array", "items": {"type": "string"}, "default": "[\"velocity\"]"}}"#,
        );
        let x = listy.doc.get(listy.doc.root(), "x").unwrap_or(0);
        assert_eq!(listy.sample(x), "[\"velocity\"]");
        // No example: made up from the schema.
        let body = s.example_body(vs[1].1);
        let d = Doc::parse(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        let rec = d
            .get(d.root(), "dataframe_records")
            .and_then(|r| d.index(r, 0))
            .unwrap_or(0);
        assert_eq!(d.raw_num(d.get(rec, "int_col").unwrap_or(0)), Some("0"));
        assert_eq!(
            d.as_str(d.get(rec, "string_col").unwrap_or(0)),
            Some("string")
        );
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

    #[test]
    fn walk_follows_refs_and_escapes() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let n = s.walk(op, "requestBody/content/application~1json/schema/properties/children/items/properties/name");
        assert_eq!(n.and_then(|n| s.doc.get_str(n, "type")), Some("string"));
        assert!(s.walk(op, "requestBody/nope").is_none());
        assert_eq!(ancestors("a/b/c"), ["a", "a/b"]);
        assert!(contains_ci("DataFrame_Split", "frame_s"));
    }

    /// A document like the benchmark generator's: every component refers to four others
    /// (a chain, its head, a oneOf and an allOf), so naive recursion is exponential.
    fn branching(k: usize) -> String {
        let comps: Vec<String> = (0..k)
            .map(|i| {
                format!(
                    r##""C{i}": {{"type": "object", "required": ["id"], "properties": {{
                        "id": {{"type": "integer"}},
                        "next": {{"$ref": "#/components/schemas/C{}"}},
                        "head": {{"$ref": "#/components/schemas/C{}"}},
                        "choice": {{"oneOf": [{{"$ref": "#/components/schemas/C{}"}}, {{"type": "null"}}]}},
                        "mixin": {{"allOf": [{{"$ref": "#/components/schemas/C{}"}}]}}}}}}"##,
                    (i + 1) % k,
                    i - i % 10,
                    (i * 7 + 3) % k,
                    (i * 13 + 5) % k
                )
            })
            .collect();
        format!(
            r##"{{"openapi": "3.1.0", "paths": {{"/p": {{"post": {{"requestBody": {{"content": {{"application/json":
              {{"schema": {{"type": "object", "properties": {{"all": {{"type": "array", "items": {{"$ref": "#/components/schemas/C0"}}}},
              "open": {{"type": "object", "properties": {{"c": {{"$ref": "#/components/schemas/C1"}}}}}}}}}}}}}}}}}}}}}},
              "components": {{"schemas": {{{}}}}}}}"##,
            comps.join(",")
        )
    }

    #[test]
    fn branching_cyclic_references_stay_bounded() {
        let s = spec(&branching(400));
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        // The sample visits each schema at most once per path and within a budget.
        let body = s.sample(schema);
        assert!(body.len() < 2_000_000, "{}", body.len());
        let d = Doc::parse(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(d.kind(d.root()), Kind::Obj);
        // Expand all stops at the cap; search visits each schema once.
        let open = s.expand_all(&prefix, schema, 2_000);
        let rows = s.flatten(&prefix, schema, &open, 100_000);
        assert!(rows.len() <= 2_000 + 10, "{}", rows.len());
        assert!(rows.iter().any(|r| r.cycle_to.is_some()));
        let (hits, _) = s.search(&[(prefix.clone(), schema)], "mixin", 1_000);
        assert!(hits.len() >= 100, "{}", hits.len());
        let (none, more) = s.search(&[(prefix, schema)], "no-such-name", 10);
        assert!(none.is_empty() && !more);
    }
}
